r"""The whole chapter in one document: proof checks and numeric studies, as LaTeX and PDF.

:func:`build_report` runs every proof-check script (``proofs/``, through
:mod:`fptheory.report.collect`) and every numeric study (``numerics/*.py``, through the
numerics contract ``run(size, out_dir, seed) -> dict``, :mod:`fptheory.report.studies`),
then writes

* ``report.tex`` — LaTeX needing only amsmath, amssymb and graphicx (all three ship
  with Debian's ``texlive-latex-base``): sections follow the chapter
  (:mod:`fptheory.report.sections`), each claim under its equation number with the
  text's form, the verified form, the derivation and the verdict with its evidence
  (rendered by :mod:`fptheory.report.latex`), each study with its verdict, numbers and
  figures, a coverage section (every numbered equation of the chapter, its role and
  the claims checking it: :mod:`fptheory.report.coverage`) and an errata section;
* ``figures/`` — the studies' figures, copied under safe names;
* ``numerics/<study>/`` — each study's own output (its JSON and figures);
* ``summary.json`` — the claims, errata, coverage table, studies and the compile status;
* ``report.pdf`` — compiled with latexmk (or pdflatex twice) when TeX is installed
  (:mod:`fptheory.report.pdf`).

Each study runs in its own Python process (a crash, a hang past the timeout or a
missing optional dependency is reported, not fatal), concurrently with the proof
checks. A study that raises is reported as *failed* with its reason; one that needs
torch when torch is missing as *skipped* with the install hint.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fptheory.core import __version__
from fptheory.core.errors import FPTheoryError
from fptheory.core.execution import Executor, LocalExecutor
from fptheory.verify.claims import ClaimResult

from .collect import PROOFS_DIR, Finished, ScriptError, report_dict, run_proof_scripts, tally
from .coverage import NUMBERED, coverage, coverage_latex, coverage_summary
from .latex import (
    PREAMBLE_MACROS,
    escape_text,
    render_claim,
    render_erratum,
    verdict_badge,
)
from .pdf import CompileResult, compile_pdf
from .sections import OTHER, SECTIONS, Part, equation_number, part_for_claim, part_for_study
from .studies import (
    NUMERICS_DIR,
    SIZES,
    STUDY_TIMEOUT,
    Progress,
    StudyOutcome,
    _jsonable,
    _StudyQueue,
    default_jobs,
    study_scripts,
)
from .study_pages import render_study
from .text import texttt

__all__ = [
    "ReportBuild",
    "render_study",
    "build_tex",
    "build_report",
]


# ---------------------------------------------------------------------------------------
# LaTeX: studies, tables, the document


_PREAMBLE = r"""\documentclass[11pt,a4paper]{article}
\usepackage{amsmath}
\usepackage{amssymb}
\usepackage{graphicx}
\setlength{\oddsidemargin}{0pt}
\setlength{\evensidemargin}{0pt}
\setlength{\textwidth}{\paperwidth}
\addtolength{\textwidth}{-2in}
\addtolength{\textwidth}{-1.2cm}
\setlength{\topmargin}{-0.6in}
\setlength{\textheight}{\paperheight}
\addtolength{\textheight}{-1.6in}
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.4ex}
\sloppy
"""


def _section_heading(level: str, title: str) -> str:
    t = escape_text(title)
    return f"\\{level}*{{{t}}}\n\\addcontentsline{{toc}}{{{level}}}{{{t}}}"


def _claim_order(claims: list[ClaimResult]) -> list[ClaimResult]:
    """Claims in the chapter's order: by equation number (others last), then as run."""
    index = {id(r): i for i, r in enumerate(claims)}
    return sorted(claims, key=lambda r: (equation_number(r.label) or 10**6, index[id(r)]))


def _summary_table(claims: list[ClaimResult], rows_per_table: int = 22) -> str:
    if not claims:
        return ""
    chunks = []
    ordered = _claim_order(claims)
    for start in range(0, len(ordered), rows_per_table):
        rows = []
        for r in ordered[start:start + rows_per_table]:
            final = verdict_badge(r.corrected.verdict) if r.corrected is not None else ""
            rows.append(texttt(r.label) + r" & \parbox[t]{7.1cm}"
                        r"{\raggedright " + escape_text(r.title) + r"\strut} & "
                        + verdict_badge(r.text.verdict) + " & " + final + r" \\")
        chunks.append("{\\small\\begin{tabular}{llll}\n\\hline\nlabel & claim & the text "
                      "& verified form \\\\\n\\hline\n" + "\n".join(rows)
                      + "\n\\hline\n\\end{tabular}}")
    return "\n\n\\medskip\n".join(chunks)


def _studies_table(studies: list[StudyOutcome]) -> str:
    if not studies:
        return ""
    holds = {True: r"$\checkmark$\,holds", False: r"$\times$\,does not hold", None: "n/a"}
    rows = []
    for s in studies:
        title = (s.result or {}).get("title") or s.name
        rows.append(texttt(s.name) + r" & \parbox[t]{6cm}"
                    r"{\raggedright " + escape_text(title) + r"\strut} & " + escape_text(s.status)
                    + " & " + (holds.get(s.prediction_holds, "?") if s.status == "ok" else "")
                    + r" \\")
    return ("\\medskip\n{\\small\\begin{tabular}{llll}\n\\hline\nstudy & title & run & "
            "the text's prediction \\\\\n\\hline\n" + "\n".join(rows) + "\n\\hline\n\\end{tabular}}")


def _safe(render: Callable[[ClaimResult], str], r: ClaimResult) -> str:
    """Render a claim; if rendering itself fails, a plain fallback that says so (the
    report is still written)."""
    try:
        return render(r)
    except Exception as exc:  # a rendering bug must not lose the whole report
        return (r"\subsection*{(" + escape_text(r.label, scripts=False) + ") "
                + escape_text(r.title) + "}\n" + r"\noindent text: " + verdict_badge(r.text.verdict)
                + (r", verified form: " + verdict_badge(r.corrected.verdict) if r.corrected else "")
                + r"\par{\small rendering failed: " + escape_text(f"{type(exc).__name__}: {exc}")
                + "}\n")


def _path_tt(s: str) -> str:
    """A command line or path in typewriter type that may break after a slash (a long
    ``--out`` path would otherwise run into the margin)."""
    return texttt(s).replace("/", r"/\allowbreak{}")


def build_tex(build: ReportBuild) -> str:
    """The report as one LaTeX document."""
    claims, studies = build.claims, build.studies
    counts = tally(claims)
    errata = counts.errata
    failed_predictions = [s for s in studies if s.prediction_holds is False]
    study_counts = {k: sum(s.status == k for s in studies) for k in ("ok", "failed", "skipped")}
    out = [_PREAMBLE, PREAMBLE_MACROS,
           r"\title{The frequency principle, checked\\[1ex]\large the chapter's claims, "
           r"derivations, verdicts, errata and numeric studies}",
           r"\author{fptheory " + escape_text(__version__) + "}",
           r"\date{size " + texttt(build.size) + r", seed "
           + str(build.seed) + "}",
           r"\begin{document}", r"\maketitle"]
    out.append(
        r"{\raggedright\noindent Made by " + _path_tt(build.command) + ".\\par}\n\n\\noindent "
        "Every transform is derived by the engine and cross-checked by quadrature; every "
        "formula below is printed from the sympy object it was checked as. Verdicts, "
        r"strongest first: " + verdict_badge("proved") + " (symbolic), "
        + verdict_badge("certified") + " (interval arithmetic over the whole domain), "
        + verdict_badge("sampled") + " (high-precision evaluation at finitely many points: "
        "evidence, not proof), " + verdict_badge("refuted") + " (a counterexample at 30+ "
        "digits), " + verdict_badge("unknown") + " (with the reason). Where the text is "
        "wrong or loose, both the text's form and the verified form are given, and the "
        "errata section lists them.")
    out.append(r"\tableofcontents")
    out.append(_section_heading("section", "Summary"))
    studies_line = (
        f"{len(studies)} numeric studies: {study_counts['ok']} ran, {study_counts['failed']} "
        f"failed, {study_counts['skipped']} skipped; the text's prediction fails in "
        f"{len(failed_predictions)}"
        + (" (" + ", ".join(s.name for s in failed_predictions) + ")" if failed_predictions else "")
        + "." if build.numerics_run else "Numeric studies were not run (--no-numerics).")
    out.append(escape_text(counts.line() + " (an erratum: the text's form differs from the "
                           "verified form). ", scripts=False) + escape_text(studies_line, scripts=False)
               + "\n")
    cov = coverage_summary(coverage(claims))
    out.append("Coverage: every numbered equation of the chapter, (1.1)--(1.44), has a row in "
               f"the coverage section, and {cov['rows'] - len(NUMBERED)} more rows hold the "
               "unnumbered statements the text relies on and the figures; each with its role and "
               "the claims that check it ("
               + escape_text(", ".join(f"{n} {k}" for k, n in sorted(cov["status"].items())))
               + ").\n")
    for e in build.script_errors:
        out.append(r"\noindent\textbf{proof script not run:} " + _path_tt(e.script)
                   + ": " + escape_text(e.reason) + "\n")
    out.append(_summary_table(claims))
    out.append(_studies_table(studies))

    placed: dict[Part, tuple[list[ClaimResult], list[StudyOutcome]]] = {}
    for r in claims:
        placed.setdefault(part_for_claim(r.label), ([], []))[0].append(r)
    for s in studies:
        part = part_for_study(s.result or {"study": s.name})
        placed.setdefault(part, ([], []))[1].append(s)
    sections = [(s.title, s.parts) for s in SECTIONS]
    if OTHER in placed:
        sections.append(("Other claims and studies", (OTHER,)))
    for title, parts in sections:
        out.append(r"\clearpage" if title.startswith("§1.1") else r"\bigskip")
        out.append(_section_heading("section", title))
        for part in parts:
            part_claims, part_studies = placed.get(part, ([], []))
            if len(parts) > 1:
                out.append(_section_heading("subsection", part.title))
            if part.intro:
                out.append(r"\noindent{\small " + escape_text(part.intro) + "}\n")
            if not part_claims and not part_studies:
                out.append(r"\noindent\emph{No proof check or numeric study covers this part "
                           r"yet.}" + "\n")
            key = {id(r): i for i, r in enumerate(part_claims)}
            for r in sorted(part_claims, key=lambda r: (equation_number(r.label) or 0,
                                                         key[id(r)])):
                out.append(_safe(render_claim, r))
            for s in part_studies:
                out.append(render_study(s, build.out_dir))

    out.append(r"\clearpage")
    out.append(coverage_latex(claims))  # every numbered equation: role, claims, verdicts
    out.append(r"\clearpage")
    out.append(_section_heading("section", "Errata"))
    out.append("Every place where the text's statement and the verified form differ, with the "
               "decisive evidence: the text's form with its verdict, then the verified form.\n")
    if not errata:
        out.append(r"\emph{None found.}")
    for r in sorted(errata, key=lambda r: equation_number(r.label) or 0):
        out.append(_safe(render_erratum, r))
    if failed_predictions:
        out.append(_section_heading("subsection", "Numeric predictions of the text not borne out"))
        for s in failed_predictions:
            r = s.result or {}
            out.append(r"\paragraph{" + escape_text(r.get("title", s.name)) + "} "
                       + escape_text(r.get("chapter", "")) + ": " + escape_text(r.get("verdict", ""))
                       + "\n")
    out.append(r"\end{document}")
    return "\n\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------
# the whole report


@dataclass
class ReportBuild:
    """Everything a report run produced; ``to_dict`` is ``summary.json``."""

    out_dir: Path
    size: str
    seed: int
    command: str
    claims: list[ClaimResult]
    script_errors: list[ScriptError]
    studies: list[StudyOutcome]
    numerics_run: bool
    compile: CompileResult | None = None
    seconds: float = 0.0
    snippets: list[Path] | None = None

    @property
    def tex(self) -> Path:
        return self.out_dir / "report.tex"

    @property
    def pdf(self) -> Path | None:
        ok = self.compile is not None and self.compile.ok
        return self.out_dir / "report.pdf" if ok else None

    @property
    def complete(self) -> bool:
        """Every claim holds, every script ran, no study failed (skipped is fine)."""
        return (all(r.established for r in self.claims) and not self.script_errors
                and all(s.status != "failed" for s in self.studies))

    def to_dict(self) -> dict[str, Any]:
        checked = report_dict(self.claims)
        placement = {}
        for r in self.claims:
            placement.setdefault(part_for_claim(r.label).title, []).append(r.label)
        for s in self.studies:
            placement.setdefault(part_for_study(s.result or {"study": s.name}).title,
                                 []).append(f"study:{s.name}")
        return {
            "command": self.command,
            "size": self.size,
            "seed": self.seed,
            "claims": checked["claims"],
            "errata": [{"label": r.label, "title": r.title, "text": r.text.statement,
                        "text_verdict": r.text.verdict.value,
                        "corrected": r.corrected.statement if r.corrected else None,
                        "corrected_verdict": r.corrected.verdict.value if r.corrected else None,
                        "evidence": (r.text.summary()), "note": r.note}
                       for r in self.claims if r.is_erratum],
            "summary": {**checked["summary"],
                        "scripts_failed": [e.script for e in self.script_errors],
                        "studies": {k: [s.name for s in self.studies if s.status == k]
                                    for k in ("ok", "failed", "skipped")},
                        "predictions_not_holding": [s.name for s in self.studies
                                                    if s.prediction_holds is False],
                        "complete": self.complete},
            "script_errors": [e.to_dict() for e in self.script_errors],
            "numerics": [s.to_dict() for s in self.studies],
            "numerics_run": self.numerics_run,
            "sections": placement,
            "coverage": coverage(self.claims),
            "tex": self.tex.name,
            "pdf": None if self.pdf is None else self.pdf.name,
            "compile": None if self.compile is None else self.compile.to_dict(),
            "snippets": None if self.snippets is None else [str(p) for p in self.snippets],
            "seconds": round(self.seconds, 1),
        }


def _on_cluster(executor: Executor, proofs, scripts, size: str, out: Path, seed: int,
                timeout: float, report, finished):
    """Claims and studies submitted together to a cluster (scripts shipped as text)."""
    from .shipping import run_studies_on

    with ThreadPoolExecutor(max_workers=1) as pool:
        studies = pool.submit(run_studies_on, executor, scripts, size, out, seed, timeout,
                              finished) if scripts else None
        claims, errors = run_proof_scripts(proofs, report("proofs"), finished, executor=executor)
        report("proofs")("proofs done")
        return claims, errors, studies.result() if studies is not None else []


def build_report(
    out_dir: str | Path,
    *,
    size: str = "quick",
    seed: int = 0,
    proofs: Sequence[str | Path] = (PROOFS_DIR,),
    numerics: str | Path | None = NUMERICS_DIR,
    pdf: bool = True,
    study_timeout: float = STUDY_TIMEOUT,
    jobs: int | None = None,
    progress: Progress | None = None,
    command: str = "fptheory report",
    finished: Finished | None = None,
    executor: Executor | None = None,
    snippets: str | Path | None = None,
) -> ReportBuild:
    """Run the proof checks and (unless ``numerics`` is None) the studies, concurrently;
    write report.tex, figures/, summary.json and (with ``pdf``) report.pdf in ``out_dir``.

    ``jobs`` (default :func:`default_jobs`) bounds the processes running at once: the
    proof checks (in this process) plus ``jobs - 1`` studies, then ``jobs`` studies once
    the proofs are done (``jobs = 1``: proofs first, then one study at a time).
    ``progress(text)`` gets a one-line status; ``finished(result, done, total)`` is called
    as each claim (a ClaimResult) and each study (a StudyOutcome) ends, from any thread.
    ``executor``: a cluster (:class:`~fptheory.core.execution.DaskExecutor`) to run the
    claims and the studies on instead, their scripts shipped as text and the studies'
    figures and data sent back (:mod:`fptheory.report.shipping`).

    With ``snippets`` (a folder), one LaTeX fragment per claim and ``snippets.tex`` are
    written there (:func:`fptheory.report.snippets.write_snippets`).

    Raises FPTheoryError for a bad size, a missing folder or an unwritable ``out_dir``;
    failures inside scripts and studies are recorded in the result instead.
    """
    if size not in SIZES:
        raise FPTheoryError(f"size must be one of {', '.join(SIZES)}, not {size!r}")
    if not math.isfinite(study_timeout) or study_timeout <= 0:
        raise FPTheoryError("the study timeout must be a positive number of seconds")
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise FPTheoryError("--jobs must be at least 1")
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        (out / "figures").mkdir(exist_ok=True)
    except OSError as exc:
        raise FPTheoryError(f"cannot write to {out}: {exc.strerror}") from None
    scripts = study_scripts(numerics) if numerics is not None else []
    start = time.perf_counter()
    status = {"proofs": "", "numerics": ""}

    def report(kind: str) -> Progress:
        def update(text: str) -> None:
            status[kind] = text
            if progress is not None:
                progress("  |  ".join(v for v in status.values() if v))
        return update

    if executor is not None and not isinstance(executor, LocalExecutor):
        claims, errors, studies = _on_cluster(executor, proofs, scripts, size, out, seed,
                                              study_timeout, report, finished)
    else:
        # the proof checks run here while jobs - 1 workers run studies; then jobs workers
        queue = _StudyQueue(scripts, size, out, seed, study_timeout, report("numerics"), finished)
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            workers = [pool.submit(queue.work) for _ in range(jobs - 1)] if scripts else []
            claims, errors = run_proof_scripts(proofs, report("proofs"), finished)
            report("proofs")("proofs done")
            if scripts:
                workers.append(pool.submit(queue.work))
            for f in workers:
                f.result()
        studies = queue.outcomes()
    build = ReportBuild(out, size, seed, command, claims, errors, studies,
                        numerics is not None)
    build.tex.write_text(build_tex(build))
    if snippets is not None:
        from .snippets import write_snippets

        build.snippets = write_snippets(claims, snippets)
    if pdf:
        if progress is not None:
            progress("compiling report.tex")
        build.compile = compile_pdf(build.tex)
    build.seconds = time.perf_counter() - start
    (out / "summary.json").write_text(json.dumps(build.to_dict(), indent=2, default=_jsonable))
    return build
