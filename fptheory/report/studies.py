"""The command line of a ``numerics/<study>.py`` script, and its entry point.

A study script defines ``run(size, out_dir, seed) -> dict`` (the numerics contract that
:func:`fptheory.report.document.build_report` calls) and ends with
``sys.exit(numerics_main(run))``, or parses its own options with :func:`study_arguments`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from fptheory.core.errors import FPTheoryError

__all__ = ["study_arguments", "numerics_main"]


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
