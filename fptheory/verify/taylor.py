r"""Taylor enclosures of a margin in one variable: the kernel's ``taylor`` judgement.

A polynomial approximation minus the function it approximates, ``p(x) - e^x``, is a
difference of two nearly equal terms; interval arithmetic encloses each term on a box of
width r with an error of order r, and the mean-value form (``centered``) encloses the
derivative ``p'(x) - e^x`` just as badly, so both need boxes of width comparable to the
margin itself (10^-8 and below). Taylor's theorem with the Lagrange remainder does not:
for f analytic on X = [lo, hi] with exact centre c,

    f(x) = Σ_{k<n} f^(k)(c)/k! (x - c)^k + f^(n)(ξ)/n! (x - c)^n,  ξ ∈ X,

so f(X) lies in the ball sum Σ_{k<n} a_k S^k + R_n S^n with S = X - c, a_k = f^(k)(c)/k!
and R_n an enclosure of f^(n)(X)/n!. The coefficients of the difference are themselves
small (the approximation matches the function's Taylor coefficients), so the enclosure's
width falls like r^n, not r.

Both sets of coefficients come from python-flint's ``arb_series``: the expression is
evaluated on the truncated power series ``c + t`` (respectively ``X + t``, a ball constant
term), every operation a rigorous ball operation on power series, so coefficient k of the
result encloses f^(k)(x)/k! for every x in the ball. Only functions analytic where they are
evaluated are admitted, each guarded on the ball of its argument's constant term over the
whole box: 1/u needs u ≠ 0, log u and u^q (q not an integer) need u > 0, √u needs u > 0
(√ is not differentiable at 0), asin/acos need |u| < 1, tan/sec need cos u ≠ 0. Anything
else — Abs, sign, Heaviside, Max, Min, Piecewise, an unknown function — is refused, and a
non-finite coefficient refuses the judgement: it never guesses.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> g = sp.Rational(1, 10**8) - (sp.exp(x) - (1 + x + x**2/2))
>>> lo, hi = sp.Rational(-1, 256), sp.Rational(1, 256)
>>> bool(taylor_enclosure(g, [x], [(lo, hi)], 0, 4) > 0)  # e^x - (1 + x + x²/2) ≤ 1e-8
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sympy as sp
from flint import arb, arb_series
from flint import ctx as flint_ctx

from fptheory.core.errors import FPTheoryError

from .backends import Undefined, _constant

__all__ = ["taylor_enclosure", "partial_enclosures", "compile_series", "TAYLOR_DEGREES"]

#: the degrees the search tries, cheapest first (a certificate names the one that closed)
TAYLOR_DEGREES = (4, 10)


def _positive(b: arb) -> bool:
    return bool(b > 0)


def _nonzero(b: arb) -> bool:
    return bool(b > 0) or bool(b < 0)


def _guard(u: arb_series, test: Callable[[arb], bool], what: str) -> arb_series:
    c0 = u.coeffs()[0] if u.length() else arb(0)
    if not test(c0):
        raise Undefined(what)
    return u


def _inv(u: arb_series) -> arb_series:
    return 1 / _guard(u, _nonzero, "a denominator may vanish on the box")


def _power(base: arb_series, e: sp.Expr, exponent: Callable[[], arb_series] | None,
           n: int) -> arb_series:
    if e.is_Integer:
        k = int(e)
        b = base if k >= 0 else _inv(base)
        out = arb_series([arb(1)], prec=n)
        square = b
        k = abs(k)
        while k:
            if k & 1:
                out = out * square
            k >>= 1
            if k:
                square = square * square
        return out
    if e == sp.Rational(1, 2):
        return _guard(base, _positive, "a square root's argument may reach 0").sqrt()
    if e == sp.Rational(-1, 2):
        return _guard(base, _positive, "a square root's argument may reach 0").rsqrt()
    log = _guard(base, _positive, "a real power of a base that may be ≤ 0").log()
    assert exponent is not None
    return (exponent() * log).exp()


Series = Callable[[dict[sp.Symbol, arb_series], int], arb_series]


def compile_series(expr: sp.Expr) -> Series:
    """expr compiled once into a function of (symbol → truncated power series, length n)
    that evaluates it on those series: each shared sub-expression once per call. The
    function raises :class:`Undefined` where a guard of the module docstring fails;
    compiling raises :class:`FPTheoryError` on anything not admitted."""
    order: list[sp.Expr] = []
    index: dict[sp.Expr, int] = {}

    def visit(e: sp.Expr) -> int:
        if e in index:
            return index[e]
        if isinstance(e, sp.Pow) and e.base is not sp.E and e.exp.is_Integer:
            if abs(int(e.exp)) > 4096:
                raise FPTheoryError("exponent too large for a series")
            visit(e.base)
        elif e.args and not e.is_Number:
            for a in e.args:
                visit(a)
        index[e] = len(order)
        order.append(e)
        return index[e]

    visit(expr)
    steps: list[Callable[[list[arb_series], dict[sp.Symbol, arb_series], int], arb_series]] = []
    for e in order:
        steps.append(_step(e, index))

    def run(values: dict[sp.Symbol, arb_series], n: int) -> arb_series:
        out: list[arb_series] = []
        for step in steps:
            out.append(step(out, values, n))
        return out[-1]

    return run


def _step(e: sp.Expr, index: dict[sp.Expr, int]) -> Callable[..., arb_series]:
    if e.is_Symbol:
        def symbol(out: list, values: dict, n: int) -> arb_series:
            if e not in values:
                raise FPTheoryError(f"unknown symbol {e}")
            return values[e]
        return symbol
    if e.is_Number or e in (sp.pi, sp.E):
        if e in (sp.oo, -sp.oo, sp.zoo, sp.nan):
            raise FPTheoryError("an infinite constant")
        c = _constant(e)
        return lambda out, values, n: arb_series([c], prec=n)
    args = [index[a] for a in e.args] if not (isinstance(e, sp.Pow) and e.exp.is_Integer) \
        else [index[e.base]]
    if isinstance(e, sp.Add):
        def add(out: list, values: dict, n: int) -> arb_series:
            total = out[args[0]]
            for i in args[1:]:
                total = total + out[i]
            return total
        return add
    if isinstance(e, sp.Mul):
        def mul(out: list, values: dict, n: int) -> arb_series:
            total = out[args[0]]
            for i in args[1:]:
                total = total * out[i]
            return total
        return mul
    if isinstance(e, sp.Pow):
        if e.base is sp.E:
            return lambda out, values, n: out[args[1]].exp()
        base_i = args[0]
        exp_i = None if e.exp.is_Integer else args[1]
        return lambda out, values, n: _power(
            out[base_i], e.exp, None if exp_i is None else (lambda: out[exp_i]), n)
    if len(e.args) != 1 or type(e) not in _UNARY_KINDS:
        raise FPTheoryError(f"{type(e).__name__} has no Taylor kernel")
    kind = type(e)
    return lambda out, values, n: _unary(kind, out[args[0]])


_UNARY_KINDS = (sp.exp, sp.log, sp.sin, sp.cos, sp.tan, sp.sec, sp.cot, sp.csc, sp.atan,
                sp.asin, sp.acos, sp.sinh, sp.cosh, sp.tanh, sp.sech, sp.csch, sp.coth)


def _unary(kind: type, u: arb_series) -> arb_series:
    if kind is sp.exp:
        return u.exp()
    if kind is sp.log:
        return _guard(u, _positive, "a logarithm's argument may reach 0").log()
    if kind is sp.sin:
        return u.sin()
    if kind is sp.cos:
        return u.cos()
    if kind in (sp.tan, sp.sec):
        s, c = u.sin_cos()
        return (s if kind is sp.tan else 1) * _inv(c)
    if kind in (sp.cot, sp.csc):
        s, c = u.sin_cos()
        return (c if kind is sp.cot else 1) * _inv(s)
    if kind is sp.atan:
        return u.atan()
    if kind in (sp.asin, sp.acos):
        _guard(u, lambda b: bool(abs(b) < 1), "asin/acos at ±1 is not differentiable")
        return u.asin() if kind is sp.asin else u.acos()
    if kind in (sp.sinh, sp.cosh, sp.tanh, sp.sech, sp.csch, sp.coth):
        ep, em = u.exp(), (-u).exp()
        sinh, cosh = (ep - em) / 2, (ep + em) / 2
        return {sp.sinh: lambda: sinh, sp.cosh: lambda: cosh,
                sp.tanh: lambda: sinh * _inv(cosh), sp.sech: lambda: _inv(cosh),
                sp.csch: lambda: _inv(sinh), sp.coth: lambda: cosh * _inv(sinh)}[kind]()
    raise FPTheoryError(f"{kind.__name__} has no Taylor kernel")


def _finite(s: arb_series) -> list[arb]:
    coeffs = s.coeffs()
    if not all(c.is_finite() for c in coeffs):
        raise Undefined("a Taylor coefficient is not finite on the box")
    return coeffs


@contextmanager
def _series_cap(n: int) -> Iterator[None]:
    """python-flint truncates the results of series functions (1/u, exp, sqrt, ...) at
    ``ctx.cap`` terms whatever the length asked for (10 by default): a Taylor remainder of
    degree 10 would silently be 0. The cap is raised to n for the computation."""
    saved = flint_ctx.cap
    flint_ctx.cap = max(saved, n)
    try:
        yield
    finally:
        flint_ctx.cap = saved


def taylor_enclosure(expr: sp.Expr | Series, variables: Sequence[sp.Symbol],
                     box: Sequence[tuple[Any, Any]], i: int, degree: int,
                     ball: Callable[[Any, Any], arb] | None = None) -> arb:
    """An enclosure of expr on the box (every side but the i-th a point) by Taylor's
    theorem of the module docstring, of the given degree n: Σ_{k<n} a_k S^k + R_n S^n.
    ``ball(lo, hi)`` turns a side's exact ends into an arb ball (the kernel's, by default
    the plain union of the ends' balls). ``expr`` may be given compiled
    (:func:`compile_series`). Raises :class:`Undefined` or
    :class:`FPTheoryError` when the expression is not admitted on the box."""
    if ball is None:
        def ball(lo: Any, hi: Any) -> arb:
            a, b = _constant(sp.sympify(lo)), _constant(sp.sympify(hi))
            return a if lo == hi else a.union(b)
    if degree < 1:
        raise ValueError("degree ≥ 1")
    lo, hi = box[i]
    centre = ball((lo + hi) / 2, (lo + hi) / 2)
    whole = ball(lo, hi)
    fixed = {v: ball(a, b) for j, (v, (a, b)) in enumerate(zip(variables, box, strict=True))
             if j != i}

    def values(x: arb, n: int) -> dict[sp.Symbol, arb_series]:
        out = {u: arb_series([b], prec=n) for u, b in fixed.items()}
        out[variables[i]] = arb_series([x, 1], prec=n)
        return out

    run = compile_series(expr) if isinstance(expr, sp.Expr) else expr
    with _series_cap(degree + 1):
        # the remainder first: its guards cover the whole box (the centre's are a subset)
        over_box = _finite(run(values(whole, degree + 1), degree + 1))
        at_centre = _finite(run(values(centre, degree), degree))
    if len(over_box) <= degree:
        # python-flint drops only exactly-zero trailing coefficients once no operation
        # truncates below the length asked for (_series_cap): a polynomial of lower degree,
        # whose remainder is 0
        over_box = over_box + [arb(0)] * (degree + 1 - len(over_box))
    coeffs = at_centre + [arb(0)] * (degree - len(at_centre)) + [over_box[degree]]
    m = abs(whole - centre).upper()
    total = arb(0)
    for k, a in enumerate(coeffs):
        if k == 0:
            total += a
            continue
        top = arb(m) ** k
        span = arb(0).union(top) if k % 2 == 0 else (-top).union(top)
        total += a * span
    return total


def partial_enclosures(run: Series, variables: Sequence[sp.Symbol],
                       box: Sequence[tuple[Any, Any]], ball: Callable[[Any, Any], arb]
                       ) -> list[arb | None]:
    """Enclosures of ∂f/∂x_i over the whole box, one per variable (None for a side that is a
    point), f given compiled (:func:`compile_series`): the series of f along x_i, with the
    other variables entering as their balls, has as coefficient 1 the partial derivative at
    every point of the box. Raises :class:`Undefined` where f is not shown analytic on the
    box (the same guards as the Taylor enclosure)."""
    balls = [ball(lo, hi) for lo, hi in box]
    out: list[arb | None] = []
    for i, (lo, hi) in enumerate(box):
        if lo == hi:
            out.append(None)
            continue
        values = {v: arb_series([b] if j != i else [b, 1], prec=2)
                  for j, (v, b) in enumerate(zip(variables, balls, strict=True))}
        with _series_cap(2):
            coeffs = _finite(run(values, 2))
        out.append(coeffs[1] if len(coeffs) > 1 else arb(0))
    return out
