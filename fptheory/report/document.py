r"""The whole chapter in one document: proof checks and numeric studies, as LaTeX and PDF.

:func:`build_report` runs every proof-check script (``proofs/``, through
:mod:`fptheory.report.collect`) and every numeric study (``numerics/*.py``, through the
numerics contract ``run(size, out_dir, seed) -> dict``), then writes

* ``report.tex`` — LaTeX needing only amsmath, amssymb and graphicx (all three ship
  with Debian's ``texlive-latex-base``): sections follow the chapter, each claim under
  its equation number with the text's form, the verified form, the derivation and the
  verdict with its evidence (rendered by :mod:`fptheory.report.latex`), each study with its
  verdict, numbers and figures, and an errata section;
* ``figures/`` — the studies' figures, copied under safe names;
* ``numerics/<study>/`` — each study's own output (its JSON and figures);
* ``summary.json`` — the claims, errata, studies and the compile status;
* ``report.pdf`` — compiled with latexmk (or pdflatex twice) when TeX is installed.

Each study runs in its own Python process (a crash, a hang past the timeout or a
missing optional dependency is reported, not fatal), concurrently with the proof
checks. A study that raises is reported as *failed* with its reason; one that needs
torch when torch is missing as *skipped* with the install hint.

Where claims and studies go (:data:`SECTIONS`): a claim by the equation number its
label starts with (``1.14`` → Theorem 1); a study by its name, else by the first
equation, figure or § reference in its ``chapter`` field.

>>> equation_number("1.16-c2"), equation_number("1.1.1-tanh"), equation_number("my-lemma")
(16, 1, None)
>>> part_for_study({"study": "new_thing", "chapter": "figure 1.6"}).title
'Linear frequency principle: NN vs LFP model'
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fptheory.core import __version__
from fptheory.core.errors import FPTheoryError
from fptheory.verify.claims import ClaimResult, Verdict, run_claim

from .collect import PROOFS_DIR, report_dict
from .latex import (
    PREAMBLE_MACROS,
    escape_text,
    render_claim,
    render_erratum,
    verdict_badge,
)

__all__ = [
    "NUMERICS_DIR",
    "SIZES",
    "SECTIONS",
    "TORCH_HINT",
    "Part",
    "Section",
    "ScriptError",
    "StudyOutcome",
    "CompileResult",
    "ReportBuild",
    "equation_number",
    "part_for_claim",
    "part_for_study",
    "study_scripts",
    "run_proof_scripts",
    "run_study",
    "run_studies",
    "default_jobs",
    "render_study",
    "build_tex",
    "compile_pdf",
    "build_report",
]

NUMERICS_DIR = Path(__file__).resolve().parents[2] / "numerics"
SIZES = ("quick", "paper")


TORCH_HINT = "needs torch: pip install 'fptheory[torch]' (torch==2.13.0)"
STUDY_TIMEOUT = 900.0
COMPILE_TIMEOUT = 300.0
CONTRACT_KEYS = ("study", "title", "chapter", "verdict", "prediction_holds", "figures")
FIGURE_TYPES = (".png", ".pdf", ".jpg", ".jpeg")

Progress = Callable[[str], None]


# ---------------------------------------------------------------------------------------
# the chapter's layout


@dataclass(frozen=True)
class Part:
    """A part of a section: the equations (inclusive range), figures and study names
    that belong to it."""

    title: str
    equations: tuple[int, int] | None = None
    figures: tuple[int, ...] = ()
    studies: tuple[str, ...] = ()
    intro: str = ""


@dataclass(frozen=True)
class Section:
    title: str
    parts: tuple[Part, ...]


SECTIONS: tuple[Section, ...] = (
    Section("§1.1 Activation functions and Theorem 1", (
        Part("Transforms of the activations, (1.1)-(1.8)", (1, 8), (1,),
             ("ricker", "frequency_ordering"),
             "Two-layer tanh network h(x) = Σ_j a_j tanh(w_j x + b_j), angular convention "
             "(kernel e^{-ikx}); the Ricker activation (1.8) and figure 1.1."),
        Part("Theorem 1, (1.9)-(1.21)", (9, 21), (), ("measure_ratio",),
             "For |k2| > |k1| > 0, near W = 0 the low frequency's gradient dominates on all "
             "but a fraction C e^{-c/δ} of the ball B_δ; the proof's steps one by one."),
        Part("Loss weighting, (1.22)-(1.23)", (22, 23), (2,), ("grad_loss",),
             "L_grad adds the MSE of the input derivative: high frequencies weigh more."),
    )),
    Section("§1.2 Large initialisation", (
        Part("Large initialisation", None, (3, 4, 5), ("initialization",),
             "With large initial weights e^{-πk/2w} hardly varies with k: the initial output's "
             "high frequencies stay after training."),
    )),
    Section("§1.3 Linear frequency principle", (
        Part("Linear frequency principle: NN vs LFP model", (24, 30), (6,), ("lfp_vs_nn",),
             "Linearised dynamics ∂_t F[u](ξ) = -γ(ξ)² F[u_ρ](ξ) (1.26), ordinary convention "
             "(kernel e^{-2πixξ}), and the LFP model (1.27)-(1.30) against a wide ReLU net "
             "(figure 1.6)."),
    )),
    Section("§1.3.2 The decay-rate limit (α-critical)", (
        Part("The decay-rate limit", (31, 34), (7,), ("alpha_critical",),
             "min ∫⟨ξ⟩^α |F[h]|² subject to interpolation: α = d is critical (figure 1.7)."),
    )),
    Section("§1.4 Regularity and decay", (
        Part("Regularity and decay, (1.35)-(1.44)", (35, 44), (), (),
             "Derivative theorem, δ, Heaviside and ReLU transforms (ordinary convention); "
             "smoothness and the decay of the transform."),
    )),
)

OTHER = Part("Claims and studies outside the chapter's numbering")


def equation_number(label: str) -> int | None:
    """The chapter equation a claim label starts with: "1.14" → 14, "1.1.1-x" → 1 (a
    §1.1.1 remark), anything else → None."""
    m = re.match(r"\(?1\.(\d+)", label.strip())
    return int(m.group(1)) if m else None


def _parts() -> list[Part]:
    return [p for s in SECTIONS for p in s.parts]


def part_for_claim(label: str) -> Part:
    n = equation_number(label)
    for p in _parts():
        if n is not None and p.equations and p.equations[0] <= n <= p.equations[1]:
            return p
    return OTHER


def part_for_study(study: dict[str, Any]) -> Part:
    """By the study's name, else by the first equation/figure/§ reference of ``chapter``."""
    name = str(study.get("study", ""))
    for p in _parts():
        if name in p.studies:
            return p
    chapter = str(study.get("chapter", ""))
    for m in re.finditer(r"(fig(?:ure)?s?\.?\s*1\.(\d+))|(\(1\.(\d+)\))|(§\s*1\.(\d+)(\.\d+)?)",
                         chapter, re.IGNORECASE):
        if m.group(2):
            found = [p for p in _parts() if int(m.group(2)) in p.figures]
        elif m.group(4):
            found = [part_for_claim("1." + m.group(4))]
        else:
            sec = "§1." + m.group(6) + (m.group(7) or "")
            found = [s.parts[0] for s in SECTIONS if s.title.split()[0] == sec]
        found = [p for p in found if p is not OTHER]
        if found:
            return found[0]
    return OTHER


# ---------------------------------------------------------------------------------------
# proof scripts


@dataclass
class ScriptError:
    """A proof script that could not be imported (its claims are missing)."""

    script: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"script": self.script, "reason": self.reason}


def run_proof_scripts(paths: Iterable[str | Path], progress: Progress | None = None
                      ) -> tuple[list[ClaimResult], list[ScriptError]]:
    """Run every claim of every script; a script that fails to import is recorded."""
    from .collect import _script_paths, collect_claims

    results: list[ClaimResult] = []
    errors: list[ScriptError] = []
    for path in _script_paths(paths):
        try:
            found = collect_claims([path])
        except FPTheoryError as exc:
            errors.append(ScriptError(path.name, str(exc)))
            continue
        for source, fn in found:
            if progress is not None:
                progress(f"claim {fn._fptheory_claim['label']}")
            results.append(run_claim(fn, source))
    return results, errors


# ---------------------------------------------------------------------------------------
# numeric studies


@dataclass
class StudyOutcome:
    """One numeric study as run: ``status`` is ok, failed (with the reason) or skipped
    (an optional dependency is missing; the reason says what to install)."""

    name: str
    script: str
    status: str
    reason: str = ""
    result: dict[str, Any] | None = None
    figures: list[str] = field(default_factory=list)  # relative to the report folder
    seconds: float = 0.0

    @property
    def prediction_holds(self) -> bool | None:
        return None if self.result is None else self.result.get("prediction_holds")

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "script": self.script, "status": self.status,
                "reason": self.reason, "seconds": round(self.seconds, 2),
                "figures": self.figures, "result": self.result}


def study_scripts(folder: str | Path) -> list[Path]:
    """The study scripts of a folder: ``*.py`` not starting with ``_``, sorted."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FPTheoryError(f"no numerics folder at {folder}")
    return sorted(p for p in folder.glob("*.py") if not p.name.startswith("_"))


def _jsonable(obj: Any) -> Any:
    """json.dumps fallback: numpy scalars and arrays, paths, anything else as str."""
    if hasattr(obj, "tolist"):
        return obj.tolist()
    if hasattr(obj, "item"):
        return obj.item()
    if isinstance(obj, Path):
        return str(obj)
    return str(obj)


def _needs_torch(exc: BaseException) -> bool:
    if isinstance(exc, ImportError) and (exc.name or "").split(".")[0] == "torch":
        return True
    return isinstance(exc, FPTheoryError) and "needs torch" in str(exc)


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return ""
    f = frames[-1]
    return f" (at {Path(f.filename).name}:{f.lineno})"


def _contract_problems(result: Any) -> list[str]:
    if not isinstance(result, dict):
        return [f"run() returned {type(result).__name__}, not a dict"]
    problems = [f"missing key {k!r}" for k in CONTRACT_KEYS if k not in result]
    if "prediction_holds" in result and result["prediction_holds"] not in (True, False, None):
        problems.append("prediction_holds is not true, false or null")
    if "figures" in result and not isinstance(result["figures"], (list, tuple)):
        problems.append("figures is not a list")
    return problems


def _run_study_here(path: Path, size: str, out_dir: Path, seed: int) -> dict[str, Any]:
    """Import and run one study in this process; the outcome as a JSON-able dict."""
    import importlib.util

    sys.path.insert(0, str(path.parent))
    try:
        spec = importlib.util.spec_from_file_location(f"fptheory_study_{path.stem}", path)
        if spec is None or spec.loader is None:
            return {"status": "failed", "reason": f"cannot import {path.name}"}
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        run = getattr(module, "run", None)
        if not callable(run):
            return {"status": "failed", "reason": "no run(size, out_dir, seed) function"}
        result = run(size=size, out_dir=out_dir, seed=seed)
    except Exception as exc:  # a study's failure is reported, never fatal
        if _needs_torch(exc):
            return {"status": "skipped", "reason": TORCH_HINT}
        return {"status": "failed", "reason": f"{type(exc).__name__}: {exc}{_where(exc)}"}
    problems = _contract_problems(result)
    if problems:
        return {"status": "failed", "reason": "does not follow the numerics contract: "
                + "; ".join(problems), "result": result if isinstance(result, dict) else None}
    return {"status": "ok", "reason": "", "result": result}


def study_child(argv: Sequence[str]) -> int:
    """Entry point of the per-study process: PATH SIZE OUT_DIR SEED RESULT_JSON."""
    path, size, out_dir, seed, result_file = argv
    os.environ.setdefault("MPLBACKEND", "Agg")
    outcome = _run_study_here(Path(path), size, Path(out_dir), int(seed))
    try:
        text = json.dumps(outcome, default=_jsonable, allow_nan=True)
    except (TypeError, ValueError) as exc:
        text = json.dumps({"status": "failed", "reason": f"result is not JSON-able: {exc}"})
    Path(result_file).write_text(text)
    return 0


_CHILD = "import sys; from fptheory.report.document import study_child; sys.exit(study_child(sys.argv[1:]))"


def _resolve_figure(p: str, study_dir: Path) -> Path | None:
    for candidate in (Path(p), Path.cwd() / p, study_dir / p, study_dir / Path(p).name):
        if candidate.is_file():
            return candidate
    return None


def run_study(path: Path, size: str, out_dir: Path, seed: int = 0,
              timeout: float = STUDY_TIMEOUT) -> StudyOutcome:
    """Run one study in a fresh Python process (one thread for BLAS/OpenMP), with a
    timeout; copy its figures into ``out_dir/figures`` under safe names."""
    name = re.sub(r"[^A-Za-z0-9]+", "-", path.stem).strip("-") or "study"
    study_dir = out_dir / "numerics" / path.stem
    study_dir.mkdir(parents=True, exist_ok=True)
    result_file = study_dir / "_outcome.json"
    result_file.unlink(missing_ok=True)
    env = dict(os.environ)
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        env.setdefault(var, "1")
    env["MPLBACKEND"] = "Agg"
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            [sys.executable, "-c", _CHILD, str(path.resolve()), size, str(study_dir.resolve()),
             str(seed), str(result_file.resolve())],
            capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return StudyOutcome(path.stem, path.name, "failed", f"timed out after {timeout:g} s",
                            seconds=time.perf_counter() - start)
    seconds = time.perf_counter() - start
    if not result_file.is_file():
        tail = [line for line in proc.stderr.strip().splitlines() if line.strip()][-1:]
        return StudyOutcome(path.stem, path.name, "failed",
                            f"the study process exited with code {proc.returncode}"
                            + (f": {tail[0]}" if tail else ""), seconds=seconds)
    outcome = json.loads(result_file.read_text())
    result_file.unlink()
    study = StudyOutcome(path.stem, path.name, outcome["status"], outcome.get("reason", ""),
                         outcome.get("result"), seconds=seconds)
    if study.result is not None:
        (out_dir / "figures").mkdir(exist_ok=True)
        missing = []
        for i, fig in enumerate(study.result.get("figures") or [], 1):
            src = _resolve_figure(str(fig), study_dir)
            if src is None or src.suffix.lower() not in FIGURE_TYPES:
                missing.append(str(fig))
                continue
            dest = out_dir / "figures" / f"{name}-{i}{src.suffix.lower()}"
            shutil.copyfile(src, dest)
            study.figures.append(dest.relative_to(out_dir).as_posix())
        if missing:
            study.reason = (study.reason + "; " if study.reason else "") + \
                "figures not found or not PNG/PDF/JPG: " + ", ".join(missing)
    return study


class _StudyQueue:
    """Studies handed out one at a time to any number of worker threads (each runs its
    study in a subprocess); outcomes kept in script order."""

    def __init__(self, scripts: Sequence[Path], size: str, out_dir: Path, seed: int,
                 timeout: float, progress: Progress | None) -> None:
        self.scripts = list(scripts)
        self.args = (size, out_dir, seed, timeout)
        self.progress = progress
        self.results: list[StudyOutcome | None] = [None] * len(self.scripts)
        self.running: list[str] = []
        self.next = 0
        self.lock = threading.Lock()

    def _report(self) -> None:
        if self.progress is not None:
            done = sum(r is not None for r in self.results)
            self.progress(f"studies {done}/{len(self.scripts)} done"
                          + (f", running {', '.join(self.running)}" if self.running else ""))

    def work(self) -> None:
        while True:
            with self.lock:
                if self.next >= len(self.scripts):
                    return
                i, path = self.next, self.scripts[self.next]
                self.next += 1
                self.running.append(path.stem)
                self._report()
            outcome = run_study(path, *self.args)
            with self.lock:
                self.results[i] = outcome
                self.running.remove(path.stem)
                self._report()

    def outcomes(self) -> list[StudyOutcome]:
        return [r for r in self.results if r is not None]


def default_jobs() -> int:
    """Processes to run at once: the CPU count, at most 8."""
    return max(1, min(os.cpu_count() or 1, 8))


def run_studies(folder: str | Path, size: str, out_dir: Path, seed: int = 0,
                timeout: float = STUDY_TIMEOUT, progress: Progress | None = None,
                jobs: int = 1) -> list[StudyOutcome]:
    """Run every study of ``folder``, ``jobs`` at a time; outcomes in script order."""
    queue = _StudyQueue(study_scripts(folder), size, out_dir, seed, timeout, progress)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for f in [pool.submit(queue.work) for _ in range(max(1, jobs))]:
            f.result()
    return queue.outcomes()


# ---------------------------------------------------------------------------------------
# LaTeX


def _number_text(value: Any) -> str | None:
    """A scalar as short text, or None for what is not shown (nested data)."""
    if isinstance(value, bool) or value is None:
        return str(value).lower() if value is not None else "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "nan" if math.isnan(value) else f"{value:.6g}"
    if isinstance(value, str):
        return value if len(value) <= 100 else value[:97] + "..."
    if isinstance(value, (list, tuple)):
        if value and len(value) <= 6 and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                             for v in value):
            return "[" + ", ".join(_number_text(v) or "" for v in value) + "]"
        return f"({len(value)} values)" if value else "[]"
    return None


def _measured_rows(result: dict[str, Any], out_dir: Path | None = None,
                   limit: int = 30) -> list[tuple[str, str]]:
    """(key, short text) for the scalar entries of a study's result beyond the contract
    keys, one level of nested dicts flattened; paths inside the report folder relative."""
    rows = []
    for key, value in result.items():
        if key in CONTRACT_KEYS:
            continue
        if isinstance(value, dict):
            for sub, v in value.items():
                text = _number_text(v)
                if text is not None:
                    rows.append((f"{key}.{sub}", text))
        else:
            text = _number_text(value)
            if text is not None:
                rows.append((key, text))
    if out_dir is not None:
        root = str(out_dir.resolve()) + os.sep
        rows = [(k, v[len(root):] if v.startswith(root) else v) for k, v in rows]
    return rows[:limit]


def render_study(s: StudyOutcome, out_dir: Path | None = None) -> str:
    """A study: title, chapter references, status, the verdict computed from data,
    whether the text's prediction holds, the measured numbers and the figures."""
    r = s.result or {}
    title = r.get("title") or s.name
    lines = [r"\subsubsection*{Study: " + escape_text(title) + r" \quad{\small(\texttt{"
             + escape_text(s.script, scripts=False) + "})}}"]
    meta = []
    if r.get("chapter"):
        meta.append("chapter: " + escape_text(r["chapter"]))
    meta.append(f"{s.seconds:.1f}\\,s")
    lines.append(r"\noindent{\small " + r" \quad ".join(meta) + "}\\par\\medskip")
    if s.status != "ok":
        lines.append(r"\noindent\textbf{" + s.status + r":} " + escape_text(s.reason))
        if s.result is None:
            return "\n".join(lines) + "\n"
    holds = s.prediction_holds
    badge = {True: r"$\checkmark$\,\textbf{the text's prediction holds}",
             False: r"$\times$\,\textbf{the text's prediction does not hold}",
             None: r"\textbf{no prediction to test}"}.get(holds, "?")
    lines.append(r"\noindent\textbf{Verdict (computed from the data):} \hfill " + badge)
    lines.append(r"\begin{quote}" + escape_text(r.get("verdict", "")) + r"\end{quote}")
    if s.status == "ok" and s.reason:
        lines.append(r"\noindent{\small " + escape_text(s.reason) + "}")
    rows = _measured_rows(r, out_dir)
    if rows:
        body = "\n".join(r"\parbox[t]{5cm}{\raggedright\texttt{"
                         + escape_text(k, scripts=False).replace(r"\_", r"\_\allowbreak{}")
                         + r"}} & \parbox[t]{8.4cm}{\raggedright "
                         + escape_text(v, scripts=False).replace("/", r"/\allowbreak{}")
                         + r"\strut} \\" for k, v in rows)
        lines.append("{\\small\\begin{center}\\begin{tabular}{ll}\n" + body
                     + "\n\\end{tabular}\\end{center}}")
    for fig in s.figures:
        lines.append(r"\begin{center}\includegraphics[width=0.85\linewidth,height=0.42\textheight,"
                     r"keepaspectratio]{" + fig + r"}\end{center}")
    return "\n".join(lines) + "\n"


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
            rows.append(r"\texttt{" + escape_text(r.label, scripts=False) + r"} & \parbox[t]{7.1cm}"
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
        rows.append(r"\texttt{" + escape_text(s.name, scripts=False) + r"} & \parbox[t]{6cm}"
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


def _is_erratum(r: ClaimResult) -> bool:
    """The text and the verified form differ: a corrected form, or the text refuted."""
    return r.corrected is not None or r.text.verdict is Verdict.REFUTED


def build_tex(build: ReportBuild) -> str:
    """The report as one LaTeX document."""
    claims, studies = build.claims, build.studies
    holding = sum(r.holds for r in claims)
    sampled = [r for r in claims if r.established and not r.holds]
    unestablished = [r for r in claims if not r.established]
    errata = [r for r in claims if _is_erratum(r)]
    failed_predictions = [s for s in studies if s.prediction_holds is False]
    counts = {k: sum(s.status == k for s in studies) for k in ("ok", "failed", "skipped")}
    out = [_PREAMBLE, PREAMBLE_MACROS,
           r"\title{The frequency principle, checked\\[1ex]\large the chapter's claims, "
           r"derivations, verdicts, errata and numeric studies}",
           r"\author{fptheory " + escape_text(__version__) + "}",
           r"\date{size \texttt{" + escape_text(build.size) + r"}, seed "
           + str(build.seed) + "}",
           r"\begin{document}", r"\maketitle"]
    out.append(
        r"\noindent Made by \texttt{" + escape_text(build.command, scripts=False) + "}. "
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
    out.append(
        f"{len(claims)} claims: {holding} hold (proved or certified), "
        + (f"{len(sampled)} sampled as declared (evidence, not proof: "
           + escape_text(", ".join(r.label for r in sampled)) + "), " if sampled else "")
        + f"{len(errata)} place{'' if len(errata) == 1 else 's'} "
        f"where the text and the verified form differ, {len(unestablished)} not "
        f"established" + (": " + escape_text(", ".join(r.label for r in unestablished))
                          if unestablished else "") + ". "
        + (f"{len(studies)} numeric studies: {counts['ok']} ran, {counts['failed']} failed, "
           f"{counts['skipped']} skipped; the text's prediction fails in "
           f"{len(failed_predictions)}"
           + (" (" + escape_text(", ".join(s.name for s in failed_predictions)) + ")"
              if failed_predictions else "") + "." if build.numerics_run else
           "Numeric studies were not run (--no-numerics).") + "\n")
    for e in build.script_errors:
        out.append(r"\noindent\textbf{proof script not run:} \texttt{" + escape_text(e.script)
                   + "}: " + escape_text(e.reason) + "\n")
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
# compile


@dataclass
class CompileResult:
    """Outcome of the PDF compile: ``ok``; ``tool`` used (None when TeX is absent);
    ``message`` one line; ``log`` the relevant lines of the LaTeX log on failure."""

    ok: bool
    tool: str | None
    message: str
    log: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "tool": self.tool, "message": self.message, "log": self.log}


TEX_MISSING = ("pdflatex not found: report.tex written, no PDF (Debian/Ubuntu: "
               "apt-get install texlive-latex-base latexmk)")


def _log_excerpt(log: Path, limit: int = 20) -> list[str]:
    """The error lines of a LaTeX log (``!`` lines and file:line: errors) with the two
    lines after each."""
    if not log.is_file():
        return []
    lines = log.read_text(errors="replace").splitlines()
    out: list[str] = []
    for i, line in enumerate(lines):
        if line.startswith("!") or re.match(r"^\S+\.tex:\d+: ", line):
            out.extend(lines[i:i + 3])
            if len(out) >= limit:
                break
    return out[:limit]


def compile_pdf(tex: Path, timeout: float = COMPILE_TIMEOUT) -> CompileResult:
    """Compile ``tex`` in its folder with latexmk (else pdflatex twice, for the table of
    contents); TeX absent is not an error (``ok`` False, ``tool`` None)."""
    pdflatex = shutil.which("pdflatex")
    if pdflatex is None:
        return CompileResult(False, None, TEX_MISSING)
    latexmk = shutil.which("latexmk")
    flags = ["-interaction=nonstopmode", "-halt-on-error", "-file-line-error"]
    if latexmk:
        runs = [[latexmk, "-pdf", "-silent", *flags, tex.name]]
    else:
        runs = [[pdflatex, *flags, tex.name]] * 2
    tool = "latexmk" if latexmk else "pdflatex"
    for cmd in runs:
        try:
            proc = subprocess.run(cmd, cwd=tex.parent, capture_output=True, text=True,
                                  timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return CompileResult(False, tool, f"{tool} timed out after {timeout:g} s")
        if proc.returncode != 0:
            excerpt = _log_excerpt(tex.with_suffix(".log"))
            return CompileResult(False, tool, f"{tool} failed (exit {proc.returncode}); see "
                                 f"{tex.with_suffix('.log')}", excerpt)
    pdf = tex.with_suffix(".pdf")
    if not pdf.is_file():
        return CompileResult(False, tool, f"{tool} reported success but wrote no {pdf.name}")
    return CompileResult(True, tool, f"{pdf} written ({tool})")


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
                       for r in self.claims if _is_erratum(r)],
            "summary": {**checked["summary"],
                        "errata": sum(_is_erratum(r) for r in self.claims),
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
            "tex": self.tex.name,
            "pdf": None if self.pdf is None else self.pdf.name,
            "compile": None if self.compile is None else self.compile.to_dict(),
            "seconds": round(self.seconds, 1),
        }


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
) -> ReportBuild:
    """Run the proof checks and (unless ``numerics`` is None) the studies, concurrently;
    write report.tex, figures/, summary.json and (with ``pdf``) report.pdf in ``out_dir``.

    ``jobs`` (default :func:`default_jobs`) bounds the processes running at once: the
    proof checks (in this process) plus ``jobs - 1`` studies, then ``jobs`` studies once
    the proofs are done (``jobs = 1``: proofs first, then one study at a time).

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

    # the proof checks run here while jobs - 1 workers run studies; then jobs workers
    queue = _StudyQueue(scripts, size, out, seed, study_timeout, report("numerics"))
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        workers = [pool.submit(queue.work) for _ in range(jobs - 1)] if scripts else []
        claims, errors = run_proof_scripts(proofs, report("proofs"))
        report("proofs")("proofs done")
        if scripts:
            workers.append(pool.submit(queue.work))
        for f in workers:
            f.result()
    studies = queue.outcomes()
    build = ReportBuild(out, size, seed, command, claims, errors, studies,
                        numerics is not None)
    build.tex.write_text(build_tex(build))
    if pdf:
        if progress is not None:
            progress("compiling report.tex")
        build.compile = compile_pdf(build.tex)
    build.seconds = time.perf_counter() - start
    (out / "summary.json").write_text(json.dumps(build.to_dict(), indent=2, default=_jsonable))
    return build
