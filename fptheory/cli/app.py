"""The ``fptheory`` command line: ``ft`` (transforms), ``check`` (proof scripts), ``prove``.

Errors in the user's input are one line on stderr and exit code 2 (a numeric
disagreement between a derived transform and quadrature exits 3); never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from fptheory.core.errors import FPTheoryError

__all__ = ["main", "build_parser"]

#: The sub-commands, each a module of this package with ``register(subparsers)``, in the
#: order ``--help`` lists them.
COMMAND_MODULES = ("ft", "check", "prove", "alpha", "experiment", "lfp", "measure", "report")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fptheory", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__package__}.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "digits", 30) < 30:
        parser.error("--digits must be at least 30")
    try:
        return args.func(args)
    except FPTheoryError as exc:
        print(f"fptheory: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("fptheory: interrupted", file=sys.stderr)
        return 130
