"""``fptheory check``: run proof-check scripts and report every claim (table, errata, JSON)."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from fptheory.core.errors import FPTheoryError

__all__ = ["register"]


def _cmd_check(args: argparse.Namespace) -> int:
    from fptheory.report.collect import PROOFS_DIR, print_report, report_dict, run_paths

    paths = args.paths
    if not paths:
        local = Path.cwd() / "proofs"
        paths = [local if local.is_dir() else PROOFS_DIR]
        if not Path(paths[0]).is_dir():
            raise FPTheoryError("no proofs/ folder found; pass the scripts or folders to check")
    if args.jobs < 1:
        raise FPTheoryError(f"--jobs must be >= 1, got {args.jobs}")
    if args.json:
        results = run_paths(paths, jobs=args.jobs)
    else:
        from rich.console import Console

        console = Console(stderr=True)
        with console.status("checking claims") as status:
            results = run_paths(paths, progress=lambda label: status.update(f"checking ({label})"),
                                jobs=args.jobs)
    report = report_dict(results)
    if args.output:
        Path(args.output).write_text(json.dumps(report, indent=2))
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_report(results)
        if args.output:
            print(f"JSON report written to {args.output}")
    return 0 if all(r.established for r in results) else 1


def register(sub: argparse._SubParsersAction) -> None:
    check = sub.add_parser("check", help="run proof-check scripts and report every claim")
    check.add_argument("paths", nargs="*", help="proof scripts or folders (default: proofs/)")
    check.add_argument("--json", action="store_true", help="print the JSON report")
    check.add_argument("--output", default="fptheory-check.json",
                       help="also write the JSON report here ('' to skip)")
    check.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                       help="processes to share the claims over (default: 2, or 1 on one core)")
    check.set_defaults(func=_cmd_check)
