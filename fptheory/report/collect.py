"""Collect proof-check scripts, run their claims, and report (table, errata, JSON)."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fptheory.core.errors import FPTheoryError
from fptheory.verify.claims import ClaimResult, run_claim

__all__ = ["Finished", "collect_claims", "script_paths", "run_paths", "print_report", "report_dict",
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
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        raise FPTheoryError(f"importing {path} failed: {type(exc).__name__}: {exc}") from None
    return module


def collect_claims(paths: Iterable[str | Path]) -> list[tuple[str, Any]]:
    """(script name, claim function) for every @claim in the scripts, in file order."""
    found = []
    for path in _script_paths(paths):
        module = _load(path)
        for obj in vars(module).values():
            if callable(obj) and hasattr(obj, "_fptheory_claim"):
                found.append((path.name, obj))
    return found


#: Called as each claim (or study) finishes: ``finished(result, done, total)``, ``done``
#: counting from 1; the result is a :class:`~fptheory.verify.claims.ClaimResult` (or a
#: :class:`~fptheory.report.studies.StudyOutcome`).
Finished = Callable[[Any, int, int], None]


def run_paths(paths: Iterable[str | Path], progress=None, *, jobs: int = 1,
              finished: Finished | None = None) -> list[ClaimResult]:
    """Run every claim of the scripts, in file order. With ``jobs`` > 1 the claims are
    shared out over that many forked processes (each imports the scripts once); the
    results come back in the same order, each with its own time. ``progress(label)`` is
    called as a claim starts (as it finishes with ``jobs`` > 1), ``finished`` as each
    finishes."""
    claims = collect_claims(paths)
    if jobs <= 1 or len(claims) < 2:
        results = []
        for source, fn in claims:
            if progress is not None:
                progress(fn._fptheory_claim["label"])
            results.append(run_claim(fn, source))
            if finished is not None:
                finished(results[-1], len(results), len(claims))
        return results
    import concurrent.futures as cf
    import multiprocessing as mp

    global _FORKED_CLAIMS
    _FORKED_CLAIMS = claims  # inherited by the forked workers: nothing is pickled but results
    try:
        with cf.ProcessPoolExecutor(jobs, mp_context=mp.get_context("fork")) as pool:
            futures = [pool.submit(_run_forked, i) for i in range(len(claims))]
            for done, future in enumerate(cf.as_completed(futures), 1):
                if progress is not None:
                    progress(future.result().label)
                if finished is not None:
                    finished(future.result(), done, len(claims))
            return [f.result() for f in futures]
    finally:
        _FORKED_CLAIMS = []


_FORKED_CLAIMS: list[tuple[str, Any]] = []


def _run_forked(index: int) -> ClaimResult:
    source, fn = _FORKED_CLAIMS[index]
    return run_claim(fn, source)


def report_dict(results: list[ClaimResult]) -> dict[str, Any]:
    failing = [r.label for r in results if not r.established]
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
            "holding": sum(r.holds for r in results),
            "errata": sum(r.is_erratum for r in results),
            "not_holding": failing,
            "sampled_as_declared": [r.label for r in results if r.established and not r.holds],
        },
    }


def print_report(results: list[ClaimResult], console=None) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = console or Console(width=None if sys.stdout.isatty() else 130)
    table = Table(title="fptheory check", show_lines=False)
    for col in ("label", "claim", "verdict", "evidence", "time"):
        table.add_column(col, overflow="fold")
    style = {"proved": "green", "certified": "green", "sampled": "yellow",
             "refuted": "red", "unknown": "magenta"}
    for r in results:
        verdict = f"[{style[r.text.verdict.value]}]{r.text.verdict.value}[/]"
        if r.corrected is not None:
            verdict += f" → corrected: [{style[r.corrected.verdict.value]}]" \
                       f"{r.corrected.verdict.value}[/]"
        table.add_row(escape(r.label), escape(r.title), verdict, escape(r.final.summary()),
                      f"{r.seconds:.1f}s")
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
    bad = [r for r in results if not r.established]
    sampled = [r for r in results if r.established and not r.holds]
    holding = sum(r.holds for r in results)
    console.print(
        f"{len(results)} claims: {holding} hold (proved/certified), "
        + (f"{len(sampled)} sampled as declared (evidence, not proof: "
           f"{', '.join(r.label for r in sampled)}), " if sampled else "")
        + f"{len(errata)} errata, {len(bad)} not established"
        + (f": {', '.join(r.label for r in bad)}" if bad else "")
    )


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
                      finished: Finished | None = None
                      ) -> tuple[list[ClaimResult], list[ScriptError]]:
    """Run every claim of every script (all scripts are imported first, so ``finished``
    knows the total); a script that fails to import is recorded."""
    results: list[ClaimResult] = []
    errors: list[ScriptError] = []
    found = []
    for path in _script_paths(paths):
        try:
            found += collect_claims([path])
        except FPTheoryError as exc:
            errors.append(ScriptError(path.name, str(exc)))
    for source, fn in found:
        if progress is not None:
            progress(f"claim {fn._fptheory_claim['label']}")
        results.append(run_claim(fn, source))
        if finished is not None:
            finished(results[-1], len(results), len(found))
    return results, errors
