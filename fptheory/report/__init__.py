"""Running proof-check scripts and numeric studies, and the report they make.

:mod:`~fptheory.report.collect` (collect ``@claim`` functions from scripts, run them, the
table, errata and JSON of ``fptheory check``), :mod:`~fptheory.report.latex` (LaTeX rendering
of claims, derivations and verdicts) and :mod:`~fptheory.report.document` (the whole chapter as
one LaTeX/PDF document, studies included). May import every layer below it (core, fourier,
verify, theory, nets); nothing imports it but :mod:`fptheory.cli`.
"""
