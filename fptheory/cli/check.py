"""``fptheory check``: run proof-check scripts and report every claim (table, errata, JSON)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from fptheory.core.errors import FPTheoryError
from fptheory.core.execution import LocalExecutor

from . import _validate as V
from ._progress import Reporter, add_quiet, claim_outcome, output_path
from ._scheduler import add_scheduler, executor_from

__all__ = ["register"]


def _cmd_check(args: argparse.Namespace) -> int:
    if not args.fresh:
        return _run_check(args)
    from fptheory.core import cache as disk

    disk.set_reading(False)  # every claim, and every derivation in it, afresh
    try:
        return _run_check(args)
    finally:
        disk.set_reading(True)


def _run_check(args: argparse.Namespace) -> int:
    from fptheory.report.collect import (
        PROOFS_DIR,
        collect_claims,
        print_report,
        report_dict,
        run_paths,
        script_paths,
    )

    paths = args.paths
    if not paths:
        local = Path.cwd() / "proofs"
        paths = [local if local.is_dir() else PROOFS_DIR]
        if not Path(paths[0]).is_dir():
            raise FPTheoryError("no proofs/ folder found; pass the scripts or folders to check")
    if args.jobs is not None:
        V.int_range(args.jobs, "--jobs", 1, 256)
    jobs = args.jobs if args.jobs is not None else min(2, os.cpu_count() or 1)
    if args.output:
        V.writable_file(args.output, "--output")  # before the work, not after it
    scripts = script_paths(paths)
    shown = ", ".join(str(p) for p in paths)
    if not scripts:
        raise FPTheoryError(f"no proof scripts (*.py not starting with _) in {shown}")
    claims = collect_claims(scripts)  # a script that fails to import: one line, before any progress
    if not claims:
        raise FPTheoryError(f"no @claim in the proof scripts of {shown}")
    cached = {} if args.fresh else _cached_results(claims)
    to_run = [c for i, c in enumerate(claims) if i not in cached]
    with executor_from(args, args.jobs or 1, "--jobs") as executor, \
            Reporter("fptheory check", quiet=args.quiet) as progress:
        where = (f"{jobs} process{'es' if jobs > 1 else ''}" if isinstance(executor, LocalExecutor)
                 else executor.describe())
        progress.line(f"fptheory check: {len(scripts)} proof script{'s' if len(scripts) != 1 else ''} "
                      f"in {shown}, {where}")
        if cached:
            progress.line(f"fptheory check: {len(cached)} of {len(claims)} claims unchanged since a "
                          "previous run (script, helpers, library, versions): answered from the "
                          "cache, marked 'cached' (--fresh re-runs them)")

        def finished(result, done: int, total: int) -> None:
            done, total = done + len(cached), total + len(cached)
            progress.step(done, total, f"claim {result.label}", claim_outcome(result), result.seconds)
            progress.status(f"{done}/{total} claims checked")

        fresh = run_paths(paths, progress=lambda label: progress.status(f"checking claim {label}"),
                          jobs=jobs, finished=finished, claims=to_run,
                          executor=executor) if to_run else []
        for (_, fn), result in zip(to_run, fresh, strict=True):
            _remember(fn, result)
        fresh_iter = iter(fresh)
        results = [cached[i] if i in cached else next(fresh_iter) for i in range(len(claims))]
        progress.line(f"fptheory check: {len(results)} claims in {progress.elapsed:.1f} s"
                      + (f" ({len(cached)} from the cache)" if cached else ""))
    report = report_dict(results)
    _mark_cached(report, results, cached)
    report.update(_coverage_part(results))
    if args.output:
        out = output_path(args.output)
        try:
            out.write_text(json.dumps(report, indent=2))
        except OSError as exc:
            raise FPTheoryError(f"cannot write {out}: {exc.strerror or type(exc).__name__}") from None
    if args.json:
        print(json.dumps(report, indent=2))
        if args.output and not args.quiet:
            print(f"JSON report written to {args.output}", file=sys.stderr)
    else:
        print_report(results, cached=set(cached))
        if args.coverage:
            _print_coverage(report["coverage"])
        if args.output:
            print(f"JSON report written to {args.output}")
    return 0 if all(r.established for r in results) else 1


# --- coverage of the chapter's equations (kept apart: fptheory.report.coverage) ---


def _coverage_part(results) -> dict:
    from fptheory.report.coverage import coverage, coverage_summary

    table = coverage(results)
    return {"coverage": table, "coverage_summary": coverage_summary(table)}


def _print_coverage(table) -> None:
    from fptheory.report.coverage import print_coverage

    print_coverage(table)


# ---- the result cache (fptheory.report.check_cache): claims whose inputs did not change ----

def _cached_results(claims) -> dict[int, object]:
    """index -> stored result, for the claims whose script, helpers and library are unchanged."""
    from fptheory.report.check_cache import lookup

    found = {}
    for i, (_, fn) in enumerate(claims):
        result = lookup(fn)
        if result is not None:
            found[i] = result
    return found


def _remember(fn, result) -> None:
    from fptheory.report.check_cache import remember

    remember(fn, result)


def _mark_cached(report: dict, results, cached: dict) -> None:
    """Each claim of the JSON report says whether it was answered from the cache."""
    for i, entry in enumerate(report["claims"]):
        entry["cached"] = i in cached
    report["summary"]["cached"] = [results[i].label for i in sorted(cached)]


def register(sub: argparse._SubParsersAction) -> None:
    check = sub.add_parser(
        "check", help="run proof-check scripts and report every claim",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Run every @claim of the proof-check scripts (a .py file, or every .py in a "
                    "folder)\nand print a table of verdicts (proved, certified, sampled, refuted, "
                    "unknown),\nthe errata (the text's form against the corrected form) and a "
                    "summary. A line per\nclaim goes to stderr as it finishes. Exit 0 when every "
                    "claim is established, 1 if not.",
        epilog="examples:\n"
               "  fptheory check                      # proofs/ in this folder (or the package's)\n"
               "  fptheory check proofs/theorem1.py --jobs 1\n"
               "  fptheory check my_proofs/ --scheduler tcp://127.0.0.1:8786")
    check.add_argument("paths", nargs="*", help="proof scripts or folders (default: proofs/)")
    check.add_argument("--json", action="store_true", help="print the JSON report on stdout")
    check.add_argument("--output", default="fptheory-check.json", metavar="FILE",
                       help="also write the JSON report here (default: fptheory-check.json in "
                            "the current folder; '' to skip)")
    check.add_argument("--jobs", type=int, default=None,
                       help="processes to share the claims over (default: 2, or 1 on one core)")
    check.add_argument("--coverage", action="store_true",
                       help="also print the coverage table: every numbered equation of the "
                            "chapter, its role and the claims checking it (always in --json)")
    add_scheduler(check, "the claims (each script shipped to the workers as its source text)")
    check.add_argument("--fresh", action="store_true",
                       help="re-run every claim and derive everything in it afresh (nothing "
                            "is read from the cache; the new results are stored); by default a "
                            "claim whose script (and _*.py helpers), library source and "
                            "versions are unchanged since a run that established or refuted it "
                            "is answered from the cache (marked 'cached' in the table and the "
                            "JSON), and derivations (base transforms, simplifications) are "
                            "read from it")
    add_quiet(check)
    check.set_defaults(func=_cmd_check)
