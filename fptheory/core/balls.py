"""Rigorous ball evaluation of sympy expressions with python-flint (``acb``).

lambdify's printers round rationals and π to floats; here exact constants enter as
balls (``arb(p)/q``, ``arb.pi()``), so every result is an enclosure of the exact value.

>>> x = sp.Symbol("x")
>>> ball = evaluate(sp.pi / 3 + sp.sinh(x), {x: sp.Rational(1, 7)}, digits=30)
>>> ball.real.rad() < 1e-30
True
>>> rigorous_digits(sp.exp(sp.pi * sp.sqrt(163)), digits=30)
'262537412640768743.999999999999'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import sympy as sp
from flint import acb, arb, ctx

from .errors import FPTheoryError

__all__ = ["evaluate", "ball_function", "rigorous_digits", "working_precision", "contour_integral"]


class working_precision:
    """Context manager: flint precision for ``digits`` decimal digits plus guard bits."""

    def __init__(self, digits: int, guard_bits: int = 40):
        self.prec = int(digits * 3.33) + guard_bits

    def __enter__(self):
        self.saved = ctx.prec
        ctx.prec = self.prec
        return self

    def __exit__(self, *exc):
        ctx.prec = self.saved


def _heaviside(z: acb) -> acb:
    r = z.real
    if r > 0:
        return acb(1)
    if r < 0:
        return acb(0)
    raise FPTheoryError("Heaviside at a ball containing 0")


def _sign(z: acb) -> acb:
    return 2 * _heaviside(z) - 1


_FUNCTIONS: dict[type, Callable[[acb], acb]] = {
    sp.exp: acb.exp,
    sp.sin: acb.sin,
    sp.cos: acb.cos,
    sp.tan: acb.tan,
    sp.sinh: acb.sinh,
    sp.cosh: acb.cosh,
    sp.tanh: acb.tanh,
    sp.sech: acb.sech,
    sp.csch: acb.csch,
    sp.coth: acb.coth,
    sp.log: acb.log,
    sp.Abs: lambda z: acb(abs(z)),
    sp.re: lambda z: acb(z.real),
    sp.im: lambda z: acb(z.imag),
    sp.Heaviside: _heaviside,
    sp.sign: _sign,
}


def _ev(e: sp.Basic, env: Mapping[sp.Symbol, acb]) -> acb:
    if e in env:
        return env[e]
    if e.is_Integer:
        return acb(int(e))
    if e.is_Rational:
        return acb(arb(int(e.p)) / int(e.q))
    if e is sp.pi:
        return acb(arb.pi())
    if e is sp.E:
        return acb(1).exp()
    if e is sp.I:
        return acb(0, 1)
    if e.is_Float:
        return acb(arb(sp.Rational(e).p) / int(sp.Rational(e).q))
    if isinstance(e, sp.Add):
        total = acb(0)
        for a in e.args:
            total += _ev(a, env)
        return total
    if isinstance(e, sp.Mul):
        prod = acb(1)
        for a in e.args:
            prod *= _ev(a, env)
        return prod
    if isinstance(e, sp.Pow):
        base = _ev(e.base, env)
        if e.exp.is_Integer:
            return base ** int(e.exp)
        if e.exp == sp.S.Half:
            return base.sqrt()
        return base ** _ev(e.exp, env)
    for cls, fn in _FUNCTIONS.items():
        if isinstance(e, cls) and len(e.args) == 1:
            return fn(_ev(e.args[0], env))
    if isinstance(e, sp.Symbol):
        raise FPTheoryError(f"no value for the symbol {e} in a rigorous evaluation")
    raise FPTheoryError(f"rigorous evaluation does not support {type(e).__name__}")


def evaluate(expr: sp.Expr, values: Mapping[sp.Symbol, object] | None = None,
             digits: int = 30) -> acb:
    """An ``acb`` ball containing the exact value of ``expr`` at ``values``.

    Values may be sympy numbers (entered exactly) or ``acb``/``arb`` balls.
    """
    with working_precision(digits):
        env = {s: (v if isinstance(v, acb) else acb(v) if isinstance(v, arb)
                   else _ev(sp.sympify(v), {})) for s, v in (values or {}).items()}
        return _ev(sp.sympify(expr), env)


def ball_function(expr: sp.Expr, variable: sp.Symbol,
                  constants: Mapping[sp.Symbol, sp.Expr] | None = None) -> Callable[[acb], acb]:
    """z ↦ ball enclosure of expr at variable = z (other symbols fixed exactly), evaluated
    at flint's current precision; for ``acb.integral`` and interval checks."""
    expr = sp.sympify(expr).subs(constants or {})

    def f(z: acb) -> acb:
        return _ev(expr, {variable: z})

    return f


def rigorous_digits(expr: sp.Expr, values: Mapping[sp.Symbol, object] | None = None,
                    digits: int = 30) -> str:
    """Decimal digits of a real value that the enclosure guarantees (midpoint, rounded)."""
    ball = evaluate(expr, values, digits)
    if not ball.imag.contains(0) and ball.imag != 0:
        raise FPTheoryError("rigorous_digits expects a real value")
    with working_precision(digits):
        return ball.real.str(digits, radius=False)


def contour_integral(f: Callable[[acb], acb], center: acb, radius: arb, digits: int = 30) -> acb:
    """(1/2πi)∮ f(z) dz on the circle |z - center| = radius, as a rigorous enclosure
    (flint's ``acb.integral``; f must be analytic on a neighbourhood of the circle)."""
    with working_precision(digits):
        two_pi = 2 * arb.pi()

        def integrand(t: acb, analytic: bool) -> acb:
            e = (acb(0, 1) * t).exp()
            return f(center + radius * e) * acb(0, 1) * radius * e

        return acb.integral(integrand, 0, two_pi) / (acb(0, 1) * two_pi)
