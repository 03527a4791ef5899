"""``fptheory ft``: the Fourier transform of an expression, as a distribution, with its decay,
spectral peak, values and an independent quadrature cross-check."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import sympy as sp

from fptheory.core.errors import FPTheoryError
from fptheory.fourier.conventions import CONVENTIONS, get_convention

__all__ = ["register"]


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


_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def _unicode_printer():
    from sympy.printing.str import StrPrinter

    class UnicodePrinter(StrPrinter):
        """sympy's one-line printer with π, i, e, ∞, |x|, δ(k) and √."""

        def _print_Pi(self, expr):
            return "π"

        def _print_ImaginaryUnit(self, expr):
            return "i"

        def _print_Exp1(self, expr):
            return "e"

        def _print_Infinity(self, expr):
            return "∞"

        def _print_NegativeInfinity(self, expr):
            return "-∞"

        def _print_Abs(self, expr):
            return f"|{self._print(expr.args[0])}|"

        def _print_DiracDelta(self, expr):
            order = f"⁽{str(expr.args[1]).translate(_SUPERSCRIPT)}⁾" if len(expr.args) > 1 else ""
            return f"δ{order}({self._print(expr.args[0])})"

    return UnicodePrinter()


def unicode_text(expr: Any) -> str:
    """A formula on one line in Unicode: -i·π·exp(i·b·k/w)/(sinh(π·k/(2w))·|w|), k², √π.

    >>> unicode_text(sp.sympify("sqrt(pi)*exp(-k**2/4) + I*pi*DiracDelta(k)/Abs(w)"))
    'i·π·δ(k)/|w| + √π·exp(-k²/4)'
    """
    import re

    text = _unicode_printer().doprint(sp.sympify(expr))
    text = text.replace("**", "^").replace("*", "·")
    text = re.sub(r"\^(\d+)(?![\d.])", lambda m: m.group(1).translate(_SUPERSCRIPT), text)
    text = re.sub(r"\^\((-\d+)\)", lambda m: m.group(1).translate(_SUPERSCRIPT), text)
    text = re.sub(r"sqrt\(([\wπ]+)\)", r"√\1", text).replace("sqrt(", "√(")
    return re.sub(r"(?<![\w.√⁰¹²³⁴⁵⁶⁷⁸⁹^])(\d+)·(?=[A-Za-zπ(|√])", r"\1", text)


def _print_ft(result, decay, peak, values, args) -> None:
    pretty = args.pretty if args.pretty is not None else sys.stdout.isatty()
    show = unicode_text if pretty else str
    conv = result.convention
    print(f"f({result.variable}) = {show(result.expression)}")
    x, k = sp.symbols("x k")
    norm = "" if conv.normalisation == 1 else f"{show(conv.normalisation)} "
    print(f"convention: {conv.name} (a={show(conv.a)}, b={show(conv.b)}):  "
          f"F[f](k) = {norm}∫ f(x) {show(conv.kernel(x, k))} dx over the real line")
    if args.latex:
        print(f"            {conv.latex_definition()}")
    pv = (f"   [principal value / finite part at k = {', '.join(map(show, result.poles))}]"
          if result.poles else "")
    print(f"regular part:  F(k) = {show(result.regular)}{pv}")
    print(f"singular part: {show(result.singular)}")
    if args.latex:
        print(f"latex:         {sp.latex(result.spectrum.to_sympy())}")
    if result.conditions:
        print(f"conditions:    {'; '.join(result.conditions)}")
    print(f"decay:         {_decay_text(decay) if pretty else decay.summary()}"
          + (f" (C = {show(decay.constant)})" if decay.constant is not None
             and decay.kind != "polynomial" else ""))
    if peak is not None:
        print(f"spectral peak: k* = {show(peak.location)}"
              + "".join(f";  dk*/d{p} = {show(v)}" for p, v in peak.derivatives.items()))
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


def _decay_text(decay) -> str:
    """Decay.summary() with its formulas in Unicode."""
    rate = unicode_text(decay.rate) if decay.rate is not None else ""
    if decay.kind == "gaussian":
        return f"gaussian: |F(k)| ~ exp(-rate·k²), rate = {rate}"
    if decay.kind == "exponential":
        power = "" if decay.power == 0 else f"·{unicode_text(sp.Symbol('|k|') ** decay.power)}"
        return f"exponential: |F(k)| ~ C{power}·exp(-rate·|k|), rate = {rate}"
    if decay.kind == "polynomial":
        c = f", C = {unicode_text(decay.constant)}" if decay.constant is not None else ""
        return f"polynomial: |F(k)| ~ C/{unicode_text(sp.Symbol('|k|') ** decay.power)}{c}"
    return decay.summary()


def register(sub: argparse._SubParsersAction) -> None:
    ft = sub.add_parser(
        "ft", help="Fourier transform of an expression, as a distribution",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="The Fourier transform of f(x) as a tempered distribution: regular part\n"
                    "(principal value where it has poles), singular part (Dirac deltas), decay\n"
                    "class, spectral peak and the derivation steps, checked against independent\n"
                    "quadrature. In a terminal the formulas are shown in Unicode (--no-pretty:\n"
                    "sympy text; --latex adds LaTeX; --json: one JSON object).",
        epilog="examples:\n"
               '  fptheory ft "tanh(w*x + b)"\n'
               '  fptheory ft "1/(1+exp(-x))" --at 0.7 --at -2\n'
               '  fptheory ft "Max(0, w*x)" --convention ordinary --at 0.5 --param w=-2 --json')
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
    ft.add_argument("--pretty", action=argparse.BooleanOptionalAction, default=None,
                    help="formulas in Unicode (default: when stdout is a terminal)")
    ft.add_argument("--no-check", action="store_true",
                    help="skip the default numeric cross-check at k = 0.7 and -2.3")
    ft.add_argument("--json", action="store_true", help="print one JSON object")
    ft.set_defaults(func=_cmd_ft)
