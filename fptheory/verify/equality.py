"""Exact equality of two expressions: how the kernel admits a rewritten form.

A form (a factored, normalised or quotient form of a margin) is used by the kernel only
when its equality with the original is established here — exactly, by sympy steps under a
deadline, never by sampling or floats (:func:`exactly_equal`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sympy as sp

from .limits import bounded, manageable

__all__ = ["exactly_equal", "zero_at"]

_HYPERBOLIC = [sp.sinh, sp.cosh, sp.tanh, sp.sech, sp.csch, sp.coth]


def _is_zero_by(method: Callable[[], sp.Expr], seconds: float) -> bool:
    value = bounded(method, seconds, None)
    return value is not None and value == 0


def exactly_equal(a: sp.Expr, b: sp.Expr, seconds: float = 5.0) -> str | None:
    """How a = b was established as an identity of expressions (equal wherever both are
    defined), or None. Tried in order: structural equality; for two rational functions,
    ``cancel`` of each (lowest terms over one denominator) giving the same expression;
    ``cancel`` of a - b (a decision procedure for rational functions); the same after
    writing hyperbolic functions and powers of exponentials as exponentials;
    ``simplify(a - b) == 0``. Each sympy step
    runs under a deadline of ``seconds``. Expressions with floats are never equal by this
    test unless structurally equal (a float is a binary number; rewriting it decides
    nothing exactly).

    >>> x = sp.Symbol("x", real=True)
    >>> exactly_equal(x**2 - 2*x + 1, (x - 1)**2)
    'cancel each'
    >>> exactly_equal(1/(x + 1) - 1/(x - 1), -2/(x**2 - 1))
    'cancel each'
    >>> exactly_equal(1/(x + 1), 1/(x - 1)) is None
    True
    >>> exactly_equal(sp.Rational(1, 3) * x, sp.Float(0.333333333333333) * x) is None
    True
    """
    if a == b:
        return "identical"
    if a.has(sp.Float) or b.has(sp.Float) or not (manageable(a) and manageable(b)):
        return None
    if any(isinstance(e, sp.Basic) and e.has(sp.nan, sp.zoo, sp.oo, -sp.oo) for e in (a, b)):
        return None
    d = a - b
    if d == 0:
        return "identical"
    if a.is_rational_function() and b.is_rational_function() and bounded(
            lambda: sp.cancel(a) == sp.cancel(b), seconds, False):
        # each over one denominator, in lowest terms: p/q is canonical, and the two
        # quotients are the same expression only if a = b (ten times quicker than the
        # difference, whose denominator is the product of both)
        return "cancel each"
    if _is_zero_by(lambda: sp.cancel(sp.together(d)), seconds):
        return "cancel"
    if _is_zero_by(lambda: sp.cancel(sp.together(sp.powsimp(sp.expand_power_exp(
            d.rewrite(_HYPERBOLIC, sp.exp))))), seconds):
        return "cancel in exponentials"
    if _is_zero_by(lambda: sp.simplify(d), seconds):
        return "simplify"
    return None


def zero_at(expr: sp.Expr, variables: Sequence[sp.Symbol], point: Sequence[sp.Expr],
            seconds: float) -> bool:
    """sympy proves expr at the exact point equal to 0 (``simplify`` of the substituted value,
    within ``seconds``). Refused on huge points, where simplify expands functions of huge
    integers for minutes, and where Max or Min appear: sympy builds Max/Min of numbers by
    15-digit comparisons, and next to a tie it may pick the wrong argument and hand back an
    exact 0 that is not one.

    >>> x = sp.Symbol("x", real=True)
    >>> zero_at(sp.sin(x)**2 + sp.cos(x)**2 - 1, [x], [sp.pi/7], 1.0)
    True
    """
    if any(bool(abs(p) > 2**16) for p in point) or expr.has(sp.Max, sp.Min):
        return False

    def zero() -> bool:
        value = expr.subs(dict(zip(variables, point, strict=True)))
        if not manageable(value) or value.has(sp.nan, sp.zoo, sp.oo, -sp.oo, sp.I):
            return False
        return sp.count_ops(value) <= 40 and sp.simplify(value) == 0
    return bool(bounded(zero, seconds, False))
