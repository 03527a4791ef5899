"""The numeric studies: a study script's command line, and running studies for the report.

A study script ``numerics/<study>.py`` defines ``run(size, out_dir, seed) -> dict`` (the
numerics contract that :func:`fptheory.report.document.build_report` calls: the dict has
the keys :data:`CONTRACT_KEYS`) and ends with ``sys.exit(numerics_main(run))``, or parses
its own options with :func:`study_arguments`.

For the report each study runs in its own Python process (:func:`run_study`; a crash, a
hang past the timeout or a missing optional dependency is reported, not fatal), several at
once (:func:`run_studies`). A study that raises is reported as *failed* with its reason;
one that needs torch when torch is missing as *skipped* with the install hint
(:data:`TORCH_HINT`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fptheory.core.errors import FPTheoryError

__all__ = [
    "NUMERICS_DIR",
    "SIZES",
    "TORCH_HINT",
    "STUDY_TIMEOUT",
    "CONTRACT_KEYS",
    "StudyOutcome",
    "study_arguments",
    "numerics_main",
    "study_scripts",
    "study_child",
    "run_study",
    "run_studies",
    "default_jobs",
]

NUMERICS_DIR = Path(__file__).resolve().parents[2] / "numerics"
SIZES = ("quick", "paper")
TORCH_HINT = "needs torch: pip install 'fptheory[torch]' (torch==2.13.0)"
STUDY_TIMEOUT = 900.0
CONTRACT_KEYS = ("study", "title", "chapter", "verdict", "prediction_holds", "figures")
FIGURE_TYPES = (".png", ".pdf", ".jpg", ".jpeg")

Progress = Callable[[str], None]


def study_arguments(description: str | None, argv: Sequence[str] | None = None):
    """The command line every ``numerics/<study>.py`` takes: ``[--quick | --paper] [--out DIR]
    [--seed S]``; returns the parsed namespace (``size`` is "quick" unless --paper)."""
    import argparse

    parser = argparse.ArgumentParser(description=description)
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", dest="size", action="store_const", const="quick")
    size.add_argument("--paper", dest="size", action="store_const", const="paper")
    parser.set_defaults(size="quick")
    parser.add_argument("--out", type=Path, default=Path("numerics/output"))
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args(argv)


def numerics_main(run: Callable[..., dict[str, Any]], argv: list[str] | None = None) -> int:
    """``python numerics/<study>.py [--quick|--paper] [--out DIR] [--seed N]``: run and print a summary."""
    doc = (run.__doc__ or "").strip()
    args = study_arguments(doc.splitlines()[0] if doc else None, argv)
    try:
        result = run(size=args.size, out_dir=args.out, seed=args.seed)
    except FPTheoryError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    print(f"{result['study']}: {result['title']} [{result['chapter']}]")
    print(f"verdict: {result['verdict']}")
    print(f"prediction_holds: {result['prediction_holds']}")
    for f in result["figures"]:
        print(f"figure: {f}")
    print(f"json: {result['json']}")
    return 0


# ---------------------------------------------------------------------------------------
# running studies for the report


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


_CHILD = "import sys; from fptheory.report.studies import study_child; sys.exit(study_child(sys.argv[1:]))"


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
                 timeout: float, progress: Progress | None,
                 finished: Callable[[StudyOutcome, int, int], None] | None = None) -> None:
        self.scripts = list(scripts)
        self.args = (size, out_dir, seed, timeout)
        self.progress = progress
        self.finished = finished
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
                if self.finished is not None:
                    self.finished(outcome, sum(r is not None for r in self.results), len(self.scripts))

    def outcomes(self) -> list[StudyOutcome]:
        return [r for r in self.results if r is not None]


def default_jobs() -> int:
    """Processes to run at once: the CPU count, at most 8."""
    return max(1, min(os.cpu_count() or 1, 8))


def run_studies(folder: str | Path, size: str, out_dir: Path, seed: int = 0,
                timeout: float = STUDY_TIMEOUT, progress: Progress | None = None,
                jobs: int = 1, finished: Callable[[StudyOutcome, int, int], None] | None = None
                ) -> list[StudyOutcome]:
    """Run every study of ``folder``, ``jobs`` at a time; outcomes in script order
    (``finished(outcome, done, total)`` is called as each one ends)."""
    queue = _StudyQueue(study_scripts(folder), size, out_dir, seed, timeout, progress, finished)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for f in [pool.submit(queue.work) for _ in range(max(1, jobs))]:
            f.result()
    return queue.outcomes()
