r"""Exact Taylor coefficients at a rational point, by power-series arithmetic over ℚ
(python-flint's ``fmpq_series``): the kernel asks whether the k-th derivative of a margin
vanishes at an end (:meth:`~fptheory.verify.kernel.Kernel.taylor`), and sympy's k-fold
``diff`` of P(x)/P(−x) − eˣ swells past any deadline by k = 13, where the series of the
same expression at 0 is a few exact divisions.

The expression is expanded around the point, node by node, only where every node is
analytic there *and* its series has rational coefficients: a rational constant; the
variable (c + t); sums, products, integer powers (a negative one of a series whose
constant is not 0); a rational power of a series whose constant c > 0 is the power of a
rational (c^(p/q) rational), as c^(p/q)·exp((p/q)·log(1 + h/c)); exp, sin, cos, tan, sinh,
cosh, tanh, atan, asin, asinh, atanh of a series with constant 0, log of one with constant
1; Abs of a series whose constant is not 0 (its sign times the series). Anything else —
π, e^c for c ≠ 0, log 2, a root of 2, Abs at 0 — gives None, and the caller asks sympy.
Where every node is analytic the coefficient of tᵏ is f⁽ᵏ⁾(c)/k! exactly.

>>> x = sp.Symbol("x", real=True)
>>> p = x**2 + 6*x + 12
>>> [taylor_coefficient((p / p.subs(x, -x)) - sp.exp(x), x, {x: 0}, k) for k in range(6)]
[0, 0, 0, 0, 0, -1/720]
>>> taylor_coefficient(sp.exp(x), x, {x: 1}, 2) is None  # (e/2: not rational)
True
"""

from __future__ import annotations

from collections.abc import Mapping

import sympy as sp
from flint import ctx, fmpq, fmpq_series

__all__ = ["taylor_coefficient"]

#: at most this many coefficients (order + 1), and this many nodes in the expression
MAX_ORDER = 40
MAX_NODES = 20000

_AT_ZERO = {sp.exp: "exp", sp.sin: "sin", sp.cos: "cos", sp.tan: "tan", sp.sinh: "sinh",
            sp.cosh: "cosh", sp.tanh: "tanh", sp.atan: "atan", sp.asin: "asin",
            sp.asinh: "asinh", sp.atanh: "atanh"}


class _NotRational(Exception):
    """A node whose series at the point is not over ℚ, or is not analytic there."""


def taylor_coefficient(expr: sp.Expr, v: sp.Symbol, point: Mapping[sp.Symbol, sp.Expr],
                       k: int) -> fmpq | None:
    """The coefficient of tᵏ in expr(point with v = c + t), i.e. ∂ᵏexpr/∂vᵏ / k! at the
    point, exactly; None where the expansion leaves ℚ or a node is not analytic there (the
    module docstring says which), or the order or expression is too large."""
    if not 0 <= k < MAX_ORDER or _larger_than(expr, MAX_NODES) or any(
            not sp.sympify(c).is_Rational for c in point.values()) or v not in point:
        return None
    values = {s: fmpq(int(sp.Rational(c).p), int(sp.Rational(c).q)) for s, c in point.items()}
    saved = ctx.cap  # (flint truncates every series at this global length: raised, restored)
    ctx.cap = max(saved, k + 1)
    try:
        series = _series(expr, v, values, k + 1)
    except (_NotRational, ValueError, ZeroDivisionError):
        return None
    finally:
        ctx.cap = saved
    if series.prec <= k:  # (known only to a lower order: no answer, never a 0 by default)
        return None
    coefficients = series.coeffs()
    return coefficients[k] if k < len(coefficients) else fmpq(0)


def _larger_than(expr: sp.Expr, most: int) -> bool:
    return any(k >= most for k, _ in enumerate(sp.preorder_traversal(expr)))


def _constant(value: fmpq, n: int) -> fmpq_series:
    return fmpq_series([value], prec=n)


def _head(s: fmpq_series) -> fmpq:
    coefficients = s.coeffs()
    return coefficients[0] if coefficients else fmpq(0)


def _rational_root(c: fmpq, p: int, q: int) -> fmpq:
    """c^(p/q) for c > 0 where it is rational, else _NotRational."""
    root = sp.Rational(int(c.p), int(c.q)) ** sp.Rational(p, q)
    if not root.is_Rational:
        raise _NotRational
    return fmpq(int(root.p), int(root.q))


def _series(e: sp.Expr, v: sp.Symbol, values: Mapping[sp.Symbol, fmpq], n: int) -> fmpq_series:
    if e.is_Rational:
        return _constant(fmpq(int(e.p), int(e.q)), n)
    if e.is_Symbol:
        if e not in values:
            raise _NotRational
        return fmpq_series([values[e], 1] if e == v else [values[e]], prec=n)
    if isinstance(e, sp.Add):
        out = _constant(fmpq(0), n)
        for a in e.args:
            out += _series(a, v, values, n)
        return out
    if isinstance(e, sp.Mul):
        out = _constant(fmpq(1), n)
        for a in e.args:
            out *= _series(a, v, values, n)
        return out
    if isinstance(e, sp.Pow):
        base, exponent = _series(e.base, v, values, n), e.exp
        if exponent.is_Integer:
            power = int(exponent)
            if abs(power) > 10**4:
                raise _NotRational
            if power >= 0:
                return base ** power if power else _constant(fmpq(1), n)
            if _head(base) == 0:
                raise _NotRational  # (a pole)
            return (_constant(fmpq(1), n) / base) ** (-power)
        if exponent.is_Rational:
            c = _head(base)
            if c <= 0:
                raise _NotRational  # (a root of 0 or of a negative number)
            scale = _rational_root(c, int(exponent.p), int(exponent.q))
            logarithm = (base / _constant(c, n)).log()
            return _constant(scale, n) * (logarithm * _constant(
                fmpq(int(exponent.p), int(exponent.q)), n)).exp()
        raise _NotRational
    if isinstance(e, sp.log) and len(e.args) == 1:
        inner = _series(e.args[0], v, values, n)
        if _head(inner) != 1:
            raise _NotRational
        return inner.log()
    if isinstance(e, sp.Abs):
        inner = _series(e.args[0], v, values, n)
        c = _head(inner)
        if c == 0:
            raise _NotRational  # (a kink)
        return inner if c > 0 else -inner
    name = next((m for f, m in _AT_ZERO.items() if isinstance(e, f)), None)
    if name is not None and len(e.args) == 1:
        inner = _series(e.args[0], v, values, n)
        if _head(inner) != 0:
            raise _NotRational
        return getattr(inner, name)()
    raise _NotRational
