"""The ``fptheory`` command line: ``ft`` (transforms), ``check`` (proof scripts), ``prove``.

Errors in the user's input are one line on stderr and exit code 2 (a numeric
disagreement between a derived transform and quadrature exits 3); never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import sympy as sp

from fptheory.core.errors import FPTheoryError
from fptheory.fourier.conventions import CONVENTIONS, get_convention

__all__ = ["main"]

#: Sub-commands that live in their own module; each defines ``register(subparsers)``.
COMMAND_MODULES = ("alpha", "experiment", "lfp", "measure", "report")


def _parse_k(text: str, option: str = "--at") -> sp.Expr:
    """An exact finite real number from the command line: 0.7 is 7/10, 1e400 is 10^400, and
    pi/2 or sqrt(2) are kept exact. Read by the closed-grammar parser (sp.Rational(text)
    hangs on 1e999999999 and raises ZeroDivisionError on 1/0); one-line error otherwise."""
    from fptheory.core.parsing import parse_number

    try:
        value = parse_number(text)
    except FPTheoryError as exc:
        raise FPTheoryError(f"{option} {text!r}: not a finite real number: {exc}") from None
    if not value.is_finite:
        raise FPTheoryError(f"{option} {text!r}: not a finite real number")
    return value


def _parse_params(items: list[str]) -> dict[sp.Symbol, sp.Expr]:
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise FPTheoryError(f"--param {item!r}: expected NAME=VALUE")
        out[sp.Symbol(name.strip(), real=True)] = _parse_k(value, f"--param {name.strip()}")
    return out


def _cmd_ft(args: argparse.Namespace) -> int:
    from fptheory.core.numbers import decimal_string
    from fptheory.fourier.decay import decay_of, spectral_peak
    from fptheory.fourier.engine import fourier_transform
    from fptheory.fourier.quadrature import check_transform

    convention = get_convention(args.convention)
    result = fourier_transform(args.expr, args.var, convention)
    params = _parse_params(args.param)
    unknown = {s.name for s in params} - {s.name for s in result.parameters}
    if unknown:
        raise FPTheoryError(f"--param: {', '.join(sorted(unknown))} not in the expression")
    params = {s: params[sp.Symbol(s.name, real=True)] for s in result.parameters
              if sp.Symbol(s.name, real=True) in params}
    ks = [(text, _parse_k(text)) for text in args.at]
    if ks and len(params) < len(result.parameters):
        missing = [s.name for s in result.parameters if s not in params]
        raise FPTheoryError(
            f"--at needs values for the parameters {', '.join(missing)} (--param NAME=VALUE)"
        )
    values = []
    for text, k in ks:
        check = check_transform(result, [k], args.digits, params)[0]
        values.append({
            "k": text,
            "re": decimal_string(check.symbolic.real, args.digits),
            "im": decimal_string(check.symbolic.imag, args.digits),
            "numeric_check": check.to_dict(),
        })
    cross_check = None if args.no_check else _default_cross_check(result, params, args.digits)
    decay = decay_of(result)
    peak = spectral_peak(result)
    if args.json:
        out: dict[str, Any] = result.to_dict()
        out["numeric_check"] = cross_check
        out["decay"] = decay.to_dict()
        out["spectral_peak"] = peak.to_dict() if peak else None
        out["values"] = values
        out["parameters"] = {str(s): str(v) for s, v in params.items()}
        print(json.dumps(out, indent=2))
        return 0
    _print_ft(result, decay, peak, values, args)
    if cross_check is not None:
        print(f"numeric cross-check: {cross_check['summary']}")
    return 0


DEFAULT_CHECK_POINTS = (sp.Rational(7, 10), sp.Rational(-23, 10))


def _default_cross_check(result, params, digits: int) -> dict[str, Any]:
    """The regular part against quadrature at two fixed k (the agreement is part of the
    result); symbolic parameters take the given values or two default sets."""
    from fptheory.fourier.quadrature import check_transform

    poles = {sp.simplify(p.subs(params)) for p in result.poles}
    ks = [k for k in DEFAULT_CHECK_POINTS if k not in poles]
    given = params if len(params) == len(result.parameters) else None
    checks = check_transform(result, ks, digits, given)
    worst = max(c.difference for c in checks)
    sets = sorted({", ".join(f"{n}={v}" for n, v in c.parameters.items()) for c in checks})
    return {
        "points": [c.to_dict() for c in checks],
        "max_abs_difference": f"{float(worst):.2e}",
        "summary": (f"regular part = independent quadrature (45 digits) at k = "
                    f"{', '.join(map(str, ks))}"
                    + (f" with {' and '.join(sets)}" if any(sets) else "")
                    + f"; max |difference| = {float(worst):.1e}"),
    }


def _print_ft(result, decay, peak, values, args) -> None:
    conv = result.convention
    print(f"f({result.variable}) = {result.expression}")
    print(f"convention: {conv}:  {conv.latex_definition()}")
    pv = (f"   [principal value / finite part at k = {', '.join(map(str, result.poles))}]"
          if result.poles else "")
    print(f"regular part:  F(k) = {result.regular}{pv}")
    print(f"singular part: {result.singular}")
    if args.latex:
        print(f"latex:         {sp.latex(result.spectrum.to_sympy())}")
    if result.conditions:
        print(f"conditions:    {'; '.join(result.conditions)}")
    print(f"decay:         {decay.summary()}"
          + (f" (C = {decay.constant})" if decay.constant is not None
             and decay.kind != "polynomial" else ""))
    if peak is not None:
        print(f"spectral peak: k* = {peak.location}"
              + "".join(f";  dk*/d{p} = {v}" for p, v in peak.derivatives.items()))
    print("derivation:")
    for i, step in enumerate(result.derivation.steps, 1):
        print(f"  {i:2d}. [{step.rule}] {step.text}")
        if args.latex and step.latex:
            print(f"        {step.latex}")
    for v in values:
        c = v["numeric_check"]
        print(f"F({v['k']}) = {v['re']} + ({v['im']})*I")
        print(f"    numeric transform (mpmath quadrature, {c['dps'] + 15} digits): "
              f"|difference| = {c['abs_difference']}, quadrature error estimate "
              f"{c['quadrature_error_estimate']}")
        if c["closed_form_enclosure"]:
            re, im = c["closed_form_enclosure"]
            print(f"    closed form enclosed by ball arithmetic (python-flint): {re} + ({im})*I")


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
    from fptheory.verify import Domain, certify, parse_statement
    from fptheory.verify.identity import check_identity

    statement = parse_statement(args.statement)
    domain = Domain.parse(args.assume) if args.assume.strip() else Domain({})
    if not args.max_boxes > 0:
        raise FPTheoryError(f"--max-boxes must be a positive integer, not {args.max_boxes}")
    if not (args.time_limit > 0) or args.time_limit == float("inf"):
        raise FPTheoryError(f"--time-limit must be a positive number of seconds, not {args.time_limit}")
    literals = []
    for piece in re.split(r"<=|>=|==|<|>|,", f"{args.statement},{args.assume}"):
        try:
            literals += decimal_literals(piece.strip()) if piece.strip() else []
        except FPTheoryError:  # "x real" and the like: no number in it
            pass
    notes = [f"{d} is read as exactly {_exact_text(sp.Rational(d))}" for d in dict.fromkeys(literals)]
    if isinstance(statement, sp.Eq):
        out = check_identity(statement, domain, time_limit=args.time_limit,
                             max_boxes=args.max_boxes, source=args.statement).to_dict()
    else:
        result = certify(statement, domain, max_boxes=args.max_boxes, time_limit=args.time_limit,
                         source=args.statement)
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fptheory", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    ft = sub.add_parser("ft", help="Fourier transform of an expression, as a distribution")
    ft.add_argument("expr", help='expression, e.g. "tanh(w*x + b)", "Max(0, x)", "1/(1+exp(-x))"')
    ft.add_argument("--var", default="x", help="integration variable (default x)")
    ft.add_argument("--convention", default="angular", choices=sorted(CONVENTIONS),
                    help="angular: e^{-ikx}; ordinary: e^{-2πikx}; unitary: e^{-ikx}/sqrt(2π)")
    ft.add_argument("--at", action="append", default=[], metavar="K",
                    help="evaluate the regular part at K (repeatable), with a numeric cross-check")
    ft.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                    help="value of a symbolic parameter for --at (repeatable)")
    ft.add_argument("--digits", type=int, default=30, help="significant digits (>= 30)")
    ft.add_argument("--latex", action="store_true", help="print LaTeX of the result and steps")
    ft.add_argument("--no-check", action="store_true",
                    help="skip the default numeric cross-check at k = 0.7 and -2.3")
    ft.add_argument("--json", action="store_true", help="print one JSON object")
    ft.set_defaults(func=_cmd_ft)

    check = sub.add_parser("check", help="run proof-check scripts and report every claim")
    check.add_argument("paths", nargs="*", help="proof scripts or folders (default: proofs/)")
    check.add_argument("--json", action="store_true", help="print the JSON report")
    check.add_argument("--output", default="fptheory-check.json",
                       help="also write the JSON report here ('' to skip)")
    check.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                       help="processes to share the claims over (default: 2, or 1 on one core)")
    check.set_defaults(func=_cmd_check)

    prove = sub.add_parser("prove", help="certify an inequality (or check an identity) on a box")
    prove.add_argument("statement", help='e.g. "2*x/pi <= sin(x)"')
    prove.add_argument("--assume", default="",
                       help='bounds, e.g. "0<=x<=pi/2, 1/2<=k<=1" (with a leading minus '
                            'write --assume="-1<=x<=1")')
    prove.add_argument("--json", action="store_true", help="print one JSON object")
    prove.add_argument("--max-boxes", type=int, default=20000, help="box budget (default 20000)")
    prove.add_argument("--time-limit", type=float, default=30.0, help="seconds (default 30)")
    prove.add_argument("--certificate", default="", help="save the certificate (JSON) here")
    prove.set_defaults(func=_cmd_prove)

    recheck = sub.add_parser("recheck", help="re-check a saved certificate (every leaf box, and "
                             "that the leaves cover the domain)")
    recheck.add_argument("certificate", help="JSON written by prove --certificate")
    recheck.add_argument("--time-limit", type=float, default=600.0,
                         help="seconds before the re-check stops as invalid (default 600)")
    recheck.set_defaults(func=_cmd_recheck)

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
