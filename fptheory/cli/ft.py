"""``fptheory ft``: the Fourier transform of an expression, as a distribution, with its decay,
spectral peak, values and an independent quadrature cross-check."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import sympy as sp

from fptheory.core.cache import simplified as simplify
from fptheory.core.deadlines import attempt
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


def _parse_params(items: list[str]) -> dict[str, sp.Expr]:
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise FPTheoryError(f"--param {item!r}: expected NAME=VALUE")
        out[name.strip()] = _parse_k(value, f"--param {name.strip()}")
    return out


def _declare_signs(expr: sp.Expr, x: sp.Symbol, values: dict[str, sp.Expr]) -> sp.Expr:
    """``expr`` with each parameter given by --param declared positive (value > 0) or
    negative (< 0), so that sympy can decide signs; a zero value is substituted exactly."""
    known = {s.name: s for s in expr.free_symbols - {x}}
    unknown = set(values) - set(known)
    if unknown:
        raise FPTheoryError(f"--param: {', '.join(sorted(unknown))} not in the expression")
    swap: dict[sp.Symbol, sp.Expr] = {}
    for name, v in values.items():
        sign = sp.sign(v)
        if sign == 0:
            swap[known[name]] = sp.Integer(0)
        elif sign in (1, -1):
            swap[known[name]] = sp.Symbol(name, positive=True) if sign == 1 else \
                sp.Symbol(name, negative=True)
    out = expr.xreplace(swap)
    if x not in out.free_symbols:
        zeros = ", ".join(f"{n}=0" for n, v in values.items() if v == 0)
        raise FPTheoryError(f"with {zeros} the expression {out} does not depend on {x}; "
                            "give nonzero values")
    return out


def _step_seconds() -> float:
    """Wall-clock limit of each step after the transform (FPTHEORY_STEP_SECONDS, default 60)."""
    import os

    try:
        return max(0.5, float(os.environ.get("FPTHEORY_STEP_SECONDS", "60")))
    except ValueError:
        return 60.0


def _delta_points(result, params) -> list[sp.Expr]:
    """Where the singular part of the transform is supported (its δ terms)."""
    return [simplify(d.at.subs(params)) for d in result.spectrum.deltas]


def _value_at(result, text: str, k: sp.Expr, params, digits: int) -> dict[str, Any]:
    """The transform at k: the regular part's value with its numeric cross-check (or
    "not determined: <reason>" for a step that fails or runs out of time). At a point of
    the singular part's support the transform is a distribution, not a value."""
    from fptheory.core.errors import NumericMismatchError, SingularPointError
    from fptheory.core.numbers import decimal_string
    entry: dict[str, Any] = {"k": text}
    poles = [simplify(p.subs(params)) for p in result.poles]
    at = [p for p in _delta_points(result, params) if p not in poles]  # a pole: refused below
    if any(p.is_number and simplify(p - k) == 0 for p in at):
        entry["distribution"] = (
            f"k = {text} is in the support of the singular part {result.singular}: the "
            "transform there is a distribution, not a number")
        return entry
    seconds = _step_seconds()
    found, reason = attempt(lambda: checked_transform(result, [k], digits, params), seconds,
                            (NumericMismatchError, SingularPointError))
    if found:
        value, check = found[0][0].symbolic, found[0][0].to_dict()
        check["cached"] = found[1]
    else:
        value, why = attempt(lambda: result.regular_value(k, digits + 10, params), seconds,
                             (SingularPointError,))
        if value is None:
            raise FPTheoryError(f"F({text}): not determined: {why}")
        check = f"not determined: {reason}"
    entry.update(re=decimal_string(value.real, digits), im=decimal_string(value.imag, digits),
                 numeric_check=check)
    return entry


def _cmd_ft(args: argparse.Namespace) -> int:
    from fptheory.core import cache as disk
    from fptheory.core.errors import NumericMismatchError
    from fptheory.fourier.decay import Decay, decay_of, spectral_peak
    from fptheory.fourier.engine import fourier_transform, parse_expression

    if args.digits > MAX_DIGITS:
        raise FPTheoryError(f"--digits {args.digits}: at most {MAX_DIGITS}")
    if args.no_cache:
        disk.set_enabled(False)  # this process only: derive everything afresh
    convention = get_convention(args.convention)
    given = _parse_params(args.param)
    expr, x = parse_expression(args.expr, args.var)
    declared = _declare_signs(expr, x, given)
    seconds = _step_seconds()
    # a refusal ("unsupported: ...") passes through as is; a transform that runs past the
    # step deadline (sums of many modulations, say) is a one-line error, not a hang
    result, why = attempt(lambda: fourier_transform(declared, x, convention), seconds,
                          (FPTheoryError,))
    if result is None:
        raise FPTheoryError(f"the transform of {args.expr} was not determined: {why} "
                            "(FPTHEORY_STEP_SECONDS sets the limit)")
    params = {s: given[s.name] for s in result.parameters if s.name in given}
    ks = [(text, _parse_k(text)) for text in args.at]
    if ks:
        _require_values(result, params, "--at")
    values = [_value_at(result, text, k, params, args.digits) for text, k in ks]
    cross_check = None
    if not args.no_check:
        cross_check, why = attempt(lambda: _default_cross_check(result, params, args.digits),
                                   seconds, (NumericMismatchError,))
        if cross_check is None:
            cross_check = {"points": [], "max_abs_difference": None,
                           "summary": f"not determined: {why}"}
    pairing = _pairing(result, params, args, seconds) if args.pair is not None else None
    parseval = (_plancherel(declared, x, convention, params, result, args, seconds)
                if args.plancherel else None)
    decay, why = attempt(lambda: decay_of(result), seconds)
    if decay is None:
        decay = Decay("unknown", reason=why)
    peak, why = attempt(lambda: spectral_peak(result), seconds)
    if why is not None:
        peak = f"not determined: {why}"
    if args.json:
        out: dict[str, Any] = result.to_dict()
        out["numeric_check"] = cross_check
        out["decay"] = decay.to_dict()
        out["spectral_peak"] = peak.to_dict() if hasattr(peak, "to_dict") else peak
        out["values"] = values
        out["parameters"] = {name: str(v) for name, v in given.items()}
        out["pairing"] = pairing.to_dict() if pairing is not None else None
        out["plancherel"] = parseval.to_dict() if parseval is not None else None
        print(json.dumps(out, indent=2))
        return 0
    _print_ft(result, decay, peak, values, args)
    if cross_check is not None:
        print(f"numeric cross-check: {cross_check['summary']}")
    if pairing is not None:
        print(f"pairing with phi(k) = {args.pair}: {pairing.summary()}")
    if parseval is not None:
        d = parseval.to_dict()
        print(f"Plancherel ({d['convention']}): ∫|f|² dx = {d['x_side']}, "
              f"{d['constant']}·∫|F[f]|² dk = {d['k_side']}: "
              + ("equal" if d["agree"] else "NOT equal") + f" to {parseval.digits} digits")
    return 0


def _require_values(result, params, option: str) -> None:
    """Numbers need a value for every parameter of the transform (one-line error otherwise)."""
    missing = [s.name for s in result.parameters if s not in params]
    if missing:
        raise FPTheoryError(
            f"{option} needs values for {', '.join(missing)} (--param NAME=VALUE)"
        )


def _pairing(result, params, args, seconds: float):
    """--pair: ⟨F[f], φ⟩ (p.v./finite part + δ terms), cross-checked by ⟨f, F[φ]⟩. The
    pairing was asked for, so a refusal, a failure or the step deadline is a one-line error."""
    from fptheory.fourier.pairing import pair

    _require_values(result, params, "--pair")
    value, why = attempt(lambda: pair(result, args.pair, digits=min(args.digits, 60), params=params),
                         seconds, (FPTheoryError,))
    if why is not None:
        raise FPTheoryError(f"--pair: not determined: {why}")
    return value


def _plancherel(declared, x, convention, params, result, args, seconds: float):
    """--plancherel: ∫|f|² dx against c·∫|F[f]|² dk with c = (2π)^{-a} from the convention,
    both by quadrature. Asked for, so a refusal (f not in L²) or the deadline is one line."""
    from fptheory.fourier.pairing import plancherel

    _require_values(result, params, "--plancherel")
    value, why = attempt(lambda: plancherel(declared, x, convention,
                                            digits=min(args.digits, 60), params=params),
                         seconds, (FPTheoryError,))
    if why is not None:
        raise FPTheoryError(f"--plancherel: not determined: {why}")
    return value


#: the most significant digits ``--digits`` may ask for (quadrature time grows fast)
MAX_DIGITS = 1000
DEFAULT_CHECK_POINTS = (sp.Rational(7, 10), sp.Rational(-23, 10))


def _default_cross_check(result, params, digits: int) -> dict[str, Any]:
    """The regular part against quadrature at two fixed k (the agreement is part of the
    result); symbolic parameters take the given values or two default sets."""
    poles = {simplify(p.subs(params)) for p in result.poles}
    poles |= set(_delta_points(result, params))  # where the transform is not a function value
    ks = [k for k in DEFAULT_CHECK_POINTS if k not in poles]
    given = params if len(params) == len(result.parameters) else None
    checks, cached = checked_transform(result, ks, digits, given)
    worst = max(c.difference for c in checks)
    sets = sorted({", ".join(f"{n}={v}" for n, v in c.parameters.items()) for c in checks})
    return {
        "points": [c.to_dict() for c in checks],
        "max_abs_difference": f"{float(worst):.2e}",
        "cached": cached,
        "summary": ((CACHED_NOTE if cached else "")
                    + f"regular part = independent quadrature (45 digits) at k = "
                    f"{', '.join(map(str, ks))}"
                    + (f" with {' and '.join(sets)}" if any(sets) else "")
                    + f"; max |difference| = {float(worst):.1e}"),
    }


#: what a cross-check answered from the cache says first
CACHED_NOTE = ("(from the cache of an earlier run with the same inputs, library and versions; "
               "--no-cache re-runs it) ")


def checked_transform(result, ks, digits: int, params) -> tuple[list, bool]:
    """:func:`~fptheory.fourier.quadrature.check_transform`, answered from the on-disk cache
    when the same check (expression, transform, convention, points, digits, parameter
    values) passed before with this library source and versions; (checks, from the cache).
    A mismatch raises and is never stored."""
    from fptheory.core import cache as disk
    from fptheory.fourier.engine import NumericCheck
    from fptheory.fourier.quadrature import check_transform

    text = disk.expr_to_text
    key = [text(result.expression), result.variable.name, text(result.convention.a),
           text(result.convention.b), text(result.spectrum.to_sympy()),
           text(sp.Tuple(*result.poles)), text(sp.Tuple(*ks)), str(digits),
           "default parameters" if params is None else
           text(sp.Tuple(*(sp.Tuple(s, v) for s, v in sorted(params.items(), key=str))))]
    stored = disk.load("numeric-checks", key)
    if stored is not None:
        try:
            checks = [NumericCheck.from_record(r) for r in stored["checks"]]
            result.checks.extend(checks)
            return checks, True
        except (KeyError, TypeError, ValueError):
            pass
    checks = check_transform(result, ks, digits, params)
    disk.store("numeric-checks", key, {"checks": [c.to_record() for c in checks]})
    return checks, False


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
    if isinstance(peak, str):
        print(f"spectral peak: {peak}")
    elif peak is not None:
        print(f"spectral peak: k* = {show(peak.location)}"
              + "".join(f";  dk*/d{p} = {show(v)}" for p, v in peak.derivatives.items()))
    print("derivation:")
    for i, step in enumerate(result.derivation.steps, 1):
        print(f"  {i:2d}. [{step.rule}] {step.text}")
        if args.latex and step.latex:
            print(f"        {step.latex}")
    for v in values:
        if "distribution" in v:
            print(f"F({v['k']}): {v['distribution']}")
            continue
        c = v["numeric_check"]
        print(f"F({v['k']}) = {v['re']} + ({v['im']})*I")
        if isinstance(c, str):
            print(f"    numeric transform (mpmath quadrature): {c}")
            continue
        print(f"    numeric transform (mpmath quadrature, {c['dps'] + 15} digits): "
              f"|difference| = {c['abs_difference']}, quadrature error estimate "
              f"{c['quadrature_error_estimate']}"
              + (" [from the cache of an earlier identical run]" if c.get("cached") else ""))
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
    ft.add_argument("--pair", metavar="PHI",
                    help='pair the transform with a test function of k, e.g. "exp(-(k-1)**2)", '
                         "with an x-side cross-check <f, F[phi]>")
    ft.add_argument("--plancherel", action="store_true",
                    help="check Parseval/Plancherel, ∫|f|² dx = c ∫|F[f]|² dk, with the "
                         "convention's constant c (f in L² only)")
    ft.add_argument("--digits", type=int, default=30, help="significant digits (>= 30)")
    ft.add_argument("--latex", action="store_true", help="print LaTeX of the result and steps")
    ft.add_argument("--pretty", action=argparse.BooleanOptionalAction, default=None,
                    help="formulas in Unicode (default: when stdout is a terminal)")
    ft.add_argument("--no-check", action="store_true",
                    help="skip the default numeric cross-check at k = 0.7 and -2.3")
    ft.add_argument("--no-cache", action="store_true",
                    help="derive the base transforms and run the numeric checks afresh, neither "
                         "reading nor writing the cache (fptheory cache info shows where it is)")
    ft.add_argument("--json", action="store_true", help="print one JSON object")
    ft.set_defaults(func=_cmd_ft)
