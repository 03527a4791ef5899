"""Collect proof-check scripts, run their claims, and report (table, errata, JSON)."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fptheory.core.errors import FPTheoryError
from fptheory.core.execution import Executor, LocalExecutor, Task, TaskFailure
from fptheory.verify.claims import ClaimResult, failed_claim, run_claim

__all__ = ["Finished", "Tally", "tally", "collect_claims", "script_paths", "run_paths", "print_report",
           "report_dict",
           "run_script", "PROOFS_DIR", "ScriptError", "run_proof_scripts"]

PROOFS_DIR = Path(__file__).resolve().parents[2] / "proofs"


def _script_paths(paths: Iterable[str | Path]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(q for q in p.glob("*.py") if not q.name.startswith("_")))
        elif p.is_file() and p.suffix == ".py":
            out.append(p)
        else:
            raise FPTheoryError(f"no proof script or folder at {p}")
    return out


def script_paths(paths: Iterable[str | Path]) -> list[Path]:
    """The proof scripts ``paths`` name (a folder: its ``*.py`` not starting with ``_``,
    sorted); FPTheoryError for a path that is neither."""
    return _script_paths(paths)


def _load(path: Path):
    name = f"fptheory_proof_{path.stem}_{abs(hash(str(path.resolve())))}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise FPTheoryError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    real_exit = os._exit
    os._exit = _exit_on_import  # type: ignore[assignment]  # a script's os._exit ends the process silently
    try:
        spec.loader.exec_module(module)
    except _ExitOnImport as exc:
        raise FPTheoryError(f"script {path} called os._exit({exc.args[0]!r}) on import") from None
    except Exception as exc:
        raise FPTheoryError(f"importing {path} failed: {type(exc).__name__}: {exc}") from None
    except SystemExit as exc:  # sys.exit() at import: the script's fault, one line
        raise FPTheoryError(f"script {path} exited with {exc.code!r} on import") from None
    finally:
        os._exit = real_exit  # type: ignore[assignment]
    return module


class _ExitOnImport(BaseException):
    """os._exit called by a proof script while it is imported."""


def _exit_on_import(code: int = 0) -> None:
    raise _ExitOnImport(code)


def collect_claims(paths: Iterable[str | Path]) -> list[tuple[str, Any]]:
    """(script name, claim function) for every @claim in the scripts, in file order."""
    found = []
    for path in _script_paths(paths):
        module = _load(path)
        index = 0
        for obj in vars(module).values():
            if callable(obj) and hasattr(obj, "_fptheory_claim"):
                found.append((path.name, obj))
                _SITES[id(obj)] = (path, index)
                index += 1
    return found


#: where each collected claim function came from: (script path, position among its claims),
#: so that a cluster run can ship the script and name the claim by position
_SITES: dict[int, tuple[Path, int]] = {}


#: Called as each claim (or study) finishes: ``finished(result, done, total)``, ``done``
#: counting from 1; the result is a :class:`~fptheory.verify.claims.ClaimResult` (or a
#: :class:`~fptheory.report.studies.StudyOutcome`).
Finished = Callable[[Any, int, int], None]


def run_paths(paths: Iterable[str | Path], progress=None, *, jobs: int = 1,
              finished: Finished | None = None,
              claims: list[tuple[str, Any]] | None = None,
              executor: Executor | None = None) -> list[ClaimResult]:
    """Run every claim of the scripts, in file order, shared out over ``jobs`` forked
    processes (one is still a separate process, so that a claim that kills it is named;
    ``jobs=0``, or no fork on this platform, runs them in this process). The results come
    back in the same order, each with its own time. ``progress(label)`` is called as a claim
    finishes (as it starts with ``jobs=0``), ``finished`` as each finishes. ``claims``: the
    scripts' claims already collected (:func:`collect_claims`). ``executor``: a cluster
    (:class:`~fptheory.core.execution.DaskExecutor`) to run the claims on instead, each
    script shipped as its source text (:mod:`fptheory.report.shipping`)."""
    claims = collect_claims(paths) if claims is None else claims
    if executor is not None and not isinstance(executor, LocalExecutor):
        return _run_on(executor, claims, progress, finished)
    import multiprocessing as mp

    if "fork" not in mp.get_all_start_methods():  # no fork: in this process (a crash ends it)
        jobs = 0
    if jobs < 1 or not claims:
        results = []
        for source, fn in claims:
            if progress is not None:
                progress(fn._fptheory_claim["label"])
            results.append(run_claim(fn, source))
            if finished is not None:
                finished(results[-1], len(results), len(claims))
        return results
    # even one job runs in a forked worker, so that a claim that kills its process (os._exit,
    # a crash, the out-of-memory killer) is named instead of ending the check silently
    global _FORKED_CLAIMS
    _FORKED_CLAIMS = claims  # inherited by the forked workers: nothing is pickled but results
    try:
        tasks = [Task(f"claim {fn._fptheory_claim['label']} of {source}", _run_forked, (i,))
                 for i, (source, fn) in enumerate(claims)]
        return _claim_tasks(LocalExecutor(jobs, isolate=True), tasks, claims, progress, finished, "")
    finally:
        _FORKED_CLAIMS = []


_FORKED_CLAIMS: list[tuple[str, Any]] = []


def _run_forked(index: int) -> ClaimResult:
    source, fn = _FORKED_CLAIMS[index]
    return run_claim(fn, source)


def _claim_tasks(executor: Executor, tasks: list[Task], claims: list[tuple[str, Any]], progress,
                 finished: Finished | None, where: str) -> list[ClaimResult]:
    """Run one task per claim on ``executor``; a task that failed (its process died, its
    worker was lost) is the claim's ``unknown`` verdict with the reason (``where`` first)."""
    results: dict[int, ClaimResult] = {}

    def record(i: int, value: Any, done: int, total: int) -> None:
        source, fn = claims[i]
        if isinstance(value, TaskFailure):
            value = failed_claim(fn, source, f"{where}{value.reason}")
        results[i] = value
        if progress is not None:
            progress(value.label)
        if finished is not None:
            finished(value, done, total)

    executor.run(tasks, record)
    return [results[i] for i in range(len(claims))]


def _run_on(executor: Executor, claims: list[tuple[str, Any]], progress,
            finished: Finished | None) -> list[ClaimResult]:
    """The claims as tasks on ``executor``, their scripts shipped as source text."""
    from .shipping import ShippedScript, run_shipped_claim

    shipped: dict[Path, ShippedScript] = {}
    tasks = []
    for source, fn in claims:
        path, index = _SITES[id(fn)]
        if path not in shipped:
            shipped[path] = ShippedScript.from_path(path)
        label = fn._fptheory_claim["label"]
        tasks.append(Task(f"claim {label} of {source}", run_shipped_claim,
                          (shipped[path], index, label)))
    return _claim_tasks(executor, tasks, claims, progress, finished, "on the cluster: ")


@dataclass(frozen=True)
class Tally:
    """How a run's claims count, the same for ``fptheory check`` and ``fptheory report``.

    ``holding``: the expected form is proved or certified; ``sampled``: established at the
    sampled strength the claim declares; ``errata``: the text's form differs from the
    verified form (a corrected form is given: :attr:`ClaimResult.is_erratum`);
    ``not_established``: the claim did not reach its declared strength (a refuted claim
    without a corrected form is here, not an erratum)."""

    holding: list[ClaimResult]
    sampled: list[ClaimResult]
    errata: list[ClaimResult]
    not_established: list[ClaimResult]

    def line(self) -> str:
        """The one summary line both commands print."""
        n = len(self.holding) + len(self.sampled) + len(self.not_established)
        return (f"{n} claims: {len(self.holding)} hold (proved/certified), "
                + (f"{len(self.sampled)} sampled as declared (evidence, not proof: "
                   f"{', '.join(r.label for r in self.sampled)}), " if self.sampled else "")
                + f"{len(self.errata)} errata, {len(self.not_established)} not established"
                + (f": {', '.join(r.label for r in self.not_established)}"
                   if self.not_established else ""))


def tally(results: list[ClaimResult]) -> Tally:
    """Count the claims: every claim is exactly one of holding, sampled as declared or not
    established; errata are counted across them (:class:`Tally`)."""
    return Tally([r for r in results if r.holds],
                 [r for r in results if r.established and not r.holds],
                 [r for r in results if r.is_erratum],
                 [r for r in results if not r.established])


def report_dict(results: list[ClaimResult]) -> dict[str, Any]:
    counts = tally(results)
    failing = [r.label for r in counts.not_established]
    return {
        "claims": [r.to_dict() for r in results],
        "errata": [
            {"label": r.label, "title": r.title, "text": r.text.statement,
             "text_verdict": r.text.verdict.value,
             "corrected": r.corrected.statement if r.corrected else None,
             "corrected_verdict": r.corrected.verdict.value if r.corrected else None,
             "note": r.note}
            for r in results if r.is_erratum
        ],
        "summary": {
            "claims": len(results),
            "holding": len(counts.holding),
            "errata": len(counts.errata),
            "not_holding": failing,
            "sampled_as_declared": [r.label for r in counts.sampled],
        },
    }


def print_report(results: list[ClaimResult], console=None, cached: Collection[int] = ()) -> None:
    """The table of verdicts, the errata and a summary; the rows whose index is in ``cached``
    were answered from the result cache and say so in the time column."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = console or Console(width=None if sys.stdout.isatty() else 130)
    table = Table(title="fptheory check", show_lines=False)
    for col in ("label", "claim", "verdict", "evidence", "time"):
        table.add_column(col, overflow="fold")
    style = {"proved": "green", "certified": "green", "sampled": "yellow",
             "refuted": "red", "unknown": "magenta"}
    for i, r in enumerate(results):
        verdict = f"[{style[r.text.verdict.value]}]{r.text.verdict.value}[/]"
        if r.corrected is not None:
            verdict += f" → corrected: [{style[r.corrected.verdict.value]}]" \
                       f"{r.corrected.verdict.value}[/]"
        table.add_row(escape(r.label), escape(r.title), verdict, escape(r.final.summary()),
                      f"cached ({r.seconds:.1f}s)" if i in cached else f"{r.seconds:.1f}s")
    console.print(table)
    errata = [r for r in results if r.is_erratum]
    if errata:
        console.print("[bold]Errata[/] (text form → correct form):")
        for r in errata:
            console.print(escape(f"  ({r.label}) {r.title}"))
            console.print(escape(f"      text:      {r.text.statement}   [{r.text.verdict.value}]"))
            if r.text.counterexample:
                console.print(escape(f"                 {r.text.summary()}"))
            console.print(escape(
                f"      corrected: {r.corrected.statement}   [{r.corrected.verdict.value}]"))
            if r.note:
                console.print(escape(f"      note: {r.note}"))
    console.print(escape(tally(results).line()))
    if cached:
        console.print(f"{len(cached)} of {len(results)} verdicts from the cache of an earlier run "
                      "with the same script, library and versions (fptheory check --fresh re-runs "
                      "them)")


def run_script(path: str, argv: list[str] | None = None) -> int:
    """Entry point for ``python proofs/<script>.py``: run its claims and print the report."""
    argv = sys.argv[1:] if argv is None else argv
    results = run_paths([path])
    if "--json" in argv:
        print(json.dumps(report_dict(results), indent=2))
    else:
        print_report(results)
    return 0 if all(r.established for r in results) else 1


@dataclass
class ScriptError:
    """A proof script that could not be imported (its claims are missing)."""

    script: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"script": self.script, "reason": self.reason}


def run_proof_scripts(paths: Iterable[str | Path], progress: Callable[[str], None] | None = None,
                      finished: Finished | None = None, executor: Executor | None = None
                      ) -> tuple[list[ClaimResult], list[ScriptError]]:
    """Run every claim of every script (all scripts are imported first, so ``finished``
    knows the total); a script that fails to import is recorded. With a cluster
    ``executor`` the claims run there, their scripts shipped as text."""
    results: list[ClaimResult] = []
    errors: list[ScriptError] = []
    found = []
    for path in _script_paths(paths):
        try:
            found += collect_claims([path])
        except FPTheoryError as exc:
            errors.append(ScriptError(path.name, str(exc)))
    if executor is not None and not isinstance(executor, LocalExecutor):
        return _run_on(executor, found, progress, finished), errors
    for source, fn in found:
        if progress is not None:
            progress(f"claim {fn._fptheory_claim['label']}")
        results.append(run_claim(fn, source))
        if finished is not None:
            finished(results[-1], len(results), len(found))
    return results, errors
