"""The ``fptheory`` command line: the parser (one module per sub-command), ``--version``,
and :func:`main`, which first joins option values that start with a minus onto their option
(:func:`join_dash_values`: ``--assume -1<=x<=1`` works as written).

Errors in the user's input are one line on stderr and exit code 2 (a numeric
disagreement between a derived transform and quadrature exits 3); never a traceback: an
unexpected exception (a bug) is one line too, exit code 70.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from fptheory.core import __version__
from fptheory.core.errors import FPTheoryError

__all__ = ["main", "build_parser", "join_dash_values"]

#: The sub-commands, each a module of this package with ``register(subparsers)``, in the
#: order ``--help`` lists them.
COMMAND_MODULES = ("ft", "check", "prove", "alpha", "experiment", "lfp", "measure", "report",
                   "cache")

DESCRIPTION = """\
The frequency-principle chapter as executable, checkable mathematics: Fourier
transforms as distributions, proof-check scripts, certified inequalities, and the
numeric studies (Theorem 1's measure, the LFP model, the alpha-critical model,
small torch experiments) behind one report."""

EPILOG = """\
examples:
  fptheory ft "tanh(w*x + b)"
  fptheory prove "2*x/pi <= sin(x)" --assume "0 <= x <= pi/2"
  fptheory report --quick

Each command has its own help: fptheory COMMAND --help. The long ones (check,
report, measure, experiment, lfp, alpha) report progress on stderr (--quiet
silences it); --json prints only JSON on stdout. Files go to fptheory-report/,
fptheory-output/COMMAND/ or fptheory-check.json in the current folder unless
told otherwise."""


class _Parser(argparse.ArgumentParser):
    """argparse with its errors in one line (no usage block): ``PROG: error: MESSAGE
    (PROG --help)``, exit 2. The sub-command parsers are of this class too."""

    def error(self, message: str):  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {' '.join(message.split())} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="fptheory", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, title="commands", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__package__}.{name}").register(sub)
    return parser


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _resolve(parser: argparse.ArgumentParser, token: str) -> argparse.Action | None:
    """The option ``token`` names in ``parser`` (exactly, or as argparse's unique abbreviation
    of a long option), or None."""
    actions = parser._option_string_actions
    if token in actions:
        return actions[token]
    if token.startswith("--") and len(token) > 2 and "=" not in token:
        found = {actions[o] for o in actions if o.startswith(token)}
        if len(found) == 1:
            return found.pop()
    return None


def _is_option(parser: argparse.ArgumentParser, token: str) -> bool:
    return _resolve(parser, token.split("=", 1)[0] if token.startswith("--") else token) is not None


def join_dash_values(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """argv with every value that starts with a minus joined to its option, so that argparse
    reads it as a value (``--assume -1<=x<=1`` becomes ``--assume=-1<=x<=1``); and, when a
    positional starts with a minus (``ft -x*exp(-x**2)``), the options first, then ``--``,
    then the positionals.

    A token is taken as a value only when it is not itself an option of the sub-command
    (nor looks like a long option), so ``--assume --json`` is still the error "expected one
    argument"; a token of the form ``-word`` is left to argparse as a (mistyped) option."""
    commands = _subparsers(parser)
    index = next((i for i, t in enumerate(argv) if t in commands), None)
    if index is None:
        return argv
    sub = commands[argv[index]]
    head, rest = argv[: index + 1], argv[index + 1:]
    joined: list[tuple[str, bool]] = []  # (token, is a positional)
    moved = False

    def value_like(token: str) -> bool:
        if not token.startswith("-") or token == "-":
            return True
        return not _is_option(sub, token) and not (token.startswith("--") and _looks_like_a_flag(token))

    i = 0
    while i < len(rest):
        token = rest[i]
        i += 1
        if token == "--":
            joined += [(t, True) for t in rest[i:]]
            moved = True  # the "--" is kept: options, then "--", then the positionals
            break
        action = _resolve(sub, token) if token.startswith("-") else None
        if action is not None and _takes_value(action):
            if action.nargs in (None, "?") and i < len(rest) and rest[i] != "--" and value_like(rest[i]):
                if rest[i].startswith("-"):
                    joined.append((f"{token}={rest[i]}", False))
                else:
                    joined += [(token, False), (rest[i], False)]
                i += 1
                continue
            joined.append((token, False))
            if action.nargs in ("+", "*"):
                while i < len(rest) and rest[i] != "--" and value_like(rest[i]):
                    joined.append((rest[i], False))
                    i += 1
            continue
        positional = not token.startswith("-") or token == "-" or (
            not _is_option(sub, token) and not _looks_like_a_flag(token))
        moved = moved or (positional and token.startswith("-") and token != "-")
        joined.append((token, positional))
    if not moved:
        return head + [t for t, _ in joined]
    return (head + [t for t, pos in joined if not pos] + ["--"]
            + [t for t, pos in joined if pos])


def _takes_value(action: argparse.Action) -> bool:
    return action.nargs != 0 and not isinstance(action, (
        argparse._StoreConstAction, argparse._CountAction, argparse._HelpAction,
        argparse._VersionAction))


def _looks_like_a_flag(token: str) -> bool:
    """``-x``, ``--no-such-option``: a mistyped option, not an expression or a number."""
    body = token.lstrip("-")
    return bool(body) and body[0].isalpha() and all(c.isalnum() or c in "-_" for c in body)


#: the exit status of an unexpected exception (a bug)
INTERNAL_ERROR = 70  # (sysexits EX_SOFTWARE; 4 is the report's LaTeX failure)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(join_dash_values(parser, argv))
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
    except BrokenPipeError:  # stdout closed early (| head): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except Exception as exc:  # a bug, said in one line (FPTHEORY_DEBUG=1 shows the traceback)
        if os.environ.get("FPTHEORY_DEBUG"):
            raise
        print(f"fptheory: internal error: {type(exc).__name__}: {str(exc)[:200]} (a bug: please "
              "report the command; FPTHEORY_DEBUG=1 shows where it happened)", file=sys.stderr)
        return INTERNAL_ERROR
