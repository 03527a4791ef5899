"""Running proof-check scripts and numeric studies, and the report they make.

:mod:`~fptheory.report.collect` (collect ``@claim`` functions from scripts, run them, the
table, errata and JSON of ``fptheory check``, the one tally both commands print),
:mod:`~fptheory.report.text` (the one escaping function for free text),
:mod:`~fptheory.report.latex` (LaTeX rendering of claims, derivations and verdicts),
:mod:`~fptheory.report.sections` (the chapter's parts and where each claim and study goes),
:mod:`~fptheory.report.studies` (the numerics contract: a study's command line, running
studies in child processes), :mod:`~fptheory.report.study_pages` (a study's page: parameters,
measurements, captioned figures), :mod:`~fptheory.report.pdf` (compiling the LaTeX with
latexmk or pdflatex), :mod:`~fptheory.report.document` (the whole chapter as one LaTeX/PDF
document, studies included) and :mod:`~fptheory.report.snippets` (one LaTeX fragment per
claim, for authors). May import every layer below it (core,
fourier, verify, theory, nets); nothing imports it but :mod:`fptheory.cli`.
"""

from fptheory.core.lazy import lazy_exports

#: public name -> the module it is loaded from on first use
_EXPORTS = {
    "collect_claims": "fptheory.report.collect",
    "run_paths": "fptheory.report.collect",
    "report_dict": "fptheory.report.collect",
    "print_report": "fptheory.report.collect",
    "run_script": "fptheory.report.collect",
    "study_arguments": "fptheory.report.studies",
    "numerics_main": "fptheory.report.studies",
    "run_studies": "fptheory.report.studies",
    "build_tex": "fptheory.report.document",
    "build_report": "fptheory.report.document",
    "write_snippets": "fptheory.report.snippets",
    "escape_text": "fptheory.report.text",
    "tally": "fptheory.report.collect",
}
__all__ = list(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
