"""``fptheory prove`` (certify an inequality, or check an identity, on a box) and
``fptheory recheck`` (replay a saved certificate through the kernel)."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import sympy as sp

from fptheory.core.errors import FPTheoryError

from . import _validate as V
from ._progress import add_quiet

__all__ = ["register"]


def _exact_text(q: sp.Rational) -> str:
    """A rational as short exact text: 1/10, 3*10**-300, 10**300."""
    text = sp.sstr(q)
    if len(text) <= 40:
        return text
    p, d, k = int(q.p), int(q.q), 0
    while p % 10 == 0:
        p, k = p // 10, k + 1
    while d % 10 == 0:
        d, k = d // 10, k - 1
    mantissa = sp.sstr(sp.Rational(p, d))
    return f"{mantissa}*10**{k}" if mantissa != "1" else f"10**{k}"


def _cmd_prove(args: argparse.Namespace) -> int:
    from fptheory.core.parsing import decimal_literals
    from fptheory.verify.statement import prove

    if not args.max_boxes > 0:
        raise FPTheoryError(f"--max-boxes must be a positive integer, not {args.max_boxes}")
    if not (args.time_limit > 0) or args.time_limit == float("inf"):
        raise FPTheoryError(f"--time-limit must be a positive number of seconds, not {args.time_limit}")
    if args.certificate:
        V.writable_file(args.certificate, "--certificate")
    def progress(line: str) -> None:
        print(f"prove: {line}", file=sys.stderr, flush=True)
    result = prove(args.statement, args.assume, max_boxes=args.max_boxes,
                   time_limit=args.time_limit, progress=None if args.quiet else progress)
    literals = []
    for piece in re.split(r"<=|>=|==|<|>|,", f"{args.statement},{args.assume}"):
        try:
            literals += decimal_literals(piece.strip()) if piece.strip() else []
        except FPTheoryError:  # "x real" and the like: no number in it
            pass
    notes = [f"{d} is read as exactly {_exact_text(sp.Rational(d))}" for d in dict.fromkeys(literals)]
    if args.certificate and result.verdict.value == "certified":
        result.save(args.certificate)
    out = result.to_dict()
    out["statement"] = args.statement
    out["notes"] = notes
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        print(f"statement: {out['statement']}")
        if args.assume.strip():
            print(f"domain:    {args.assume}")
        for note in notes:
            print(f"note:      {note}")
        print(f"verdict:   {out['verdict']}")
        print(f"evidence:  {out['evidence']}")
        if out["counterexample"]:
            print(f"counterexample: {out['counterexample']}")
        if args.certificate and out["verdict"] == "certified":
            print(f"certificate written to {args.certificate}")
    return 0 if out["verdict"] in ("proved", "certified") else 1


def _cmd_recheck(args: argparse.Namespace) -> int:
    from fptheory.verify import recheck_certificate

    try:
        path = Path(args.certificate)
        if path.stat().st_size > 200 * 2**20:
            raise FPTheoryError(f"{args.certificate}: larger than 200 MiB, not a certificate")
        certificate = json.loads(path.read_text())
        statement = certificate["statement"]
    except (OSError, ValueError, KeyError, TypeError, RecursionError, MemoryError) as exc:
        raise FPTheoryError(f"cannot read a certificate from {args.certificate}: "
                            f"{type(exc).__name__}") from None
    if not (args.time_limit > 0) or args.time_limit == float("inf"):
        raise FPTheoryError(f"--time-limit must be a positive number of seconds, not {args.time_limit}")
    ok = recheck_certificate(certificate, time_limit=args.time_limit)
    shown = statement if isinstance(statement, str) else "(no statement)"
    print(f"{shown[:200]}: certificate {'re-checked, valid' if ok else 'INVALID: ' + ok.reason} "
          f"({ok.leaves} leaf boxes)")
    return 0 if ok else 1


def register(sub: argparse._SubParsersAction) -> None:
    prove = sub.add_parser(
        "prove", help="certify an inequality (or check an identity) on a box",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Certify an inequality on a box of real variables by branch and bound with\n"
                    "rigorous ball arithmetic (or check an identity symbolically), or refute it\n"
                    "with an exactly checked counterexample. Verdicts: proved, certified, refuted,\n"
                    "unknown (with the reason). Decimals are read as exact rationals.\n"
                    "Exit 0 when proved or certified, 1 otherwise, 2 for bad input.",
        epilog="examples:\n"
               '  fptheory prove "2*x/pi <= sin(x)" --assume "0 <= x <= pi/2"\n'
               '  fptheory prove "x**2 >= 0" --assume "-1<=x<=1" --certificate cert.json\n'
               '  fptheory prove "sin(2*x) == 2*sin(x)*cos(x)" --assume "x real" --json')
    prove.add_argument("statement", help='an inequality or identity in x, k, ..., e.g. "2*x/pi <= sin(x)"')
    prove.add_argument("--assume", default="", metavar="BOUNDS",
                       help='bounds of the variables, comma-separated, e.g. "0<=x<=pi/2, 1/2<=k<=1" '
                            'or "-1<=x<=1" (default: none)')
    prove.add_argument("--json", action="store_true", help="print one JSON object")
    prove.add_argument("--max-boxes", type=int, default=200000, metavar="N",
                       help="box budget (default 200000: the time limit is the budget that "
                            "ends a search; this one keeps a certificate small enough to "
                            "re-check)")
    prove.add_argument("--time-limit", type=float, default=30.0, metavar="SECONDS",
                       help="time budget (default 30)")
    add_quiet(prove)
    prove.add_argument("--certificate", default="", metavar="FILE",
                       help="save the certificate (JSON) here when certified; fptheory recheck "
                            "replays it")
    prove.set_defaults(func=_cmd_prove)

    recheck = sub.add_parser(
        "recheck", help="re-check a saved certificate (every leaf box, and that the leaves cover "
                        "the domain)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Replay a certificate written by fptheory prove --certificate through the\n"
                    "trusted kernel: every leaf box is decided again by its stated rule and the\n"
                    "leaves must cover the domain. Exit 0 when valid, 1 when invalid.",
        epilog="examples:\n"
               '  fptheory prove "x**2 >= 0" --assume "-1<=x<=1" --certificate cert.json\n'
               "  fptheory recheck cert.json\n"
               "  fptheory recheck cert.json --time-limit 60")
    recheck.add_argument("certificate", help="JSON written by prove --certificate")
    recheck.add_argument("--time-limit", type=float, default=600.0, metavar="SECONDS",
                         help="seconds before the re-check stops as invalid (default 600)")
    recheck.set_defaults(func=_cmd_recheck)
