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

import functools
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sympy as sp
from flint import arb, arb_series
from flint import ctx as flint_ctx

from fptheory.core.errors import FPTheoryError

from .backends import Undefined, _constant
from .sharing import worth_refining

__all__ = ["taylor_enclosure", "taylor_at_end", "partial_enclosures", "compile_series",
           "second_order_form", "refined_enclosure", "TAYLOR_DEGREES"]

#: the degrees the search tries, cheapest first (a certificate names the one that closed)
TAYLOR_DEGREES = (4, 10)


def _positive(b: arb) -> bool:
    return bool(b > 0)


def _nonzero(b: arb) -> bool:
    return bool(b > 0) or bool(b < 0)


#: where a guarded series comes from: its sympy argument and the values the run was given
#: (their constant terms are the box), so that a failing guard can refine the enclosure
Site = tuple[sp.Expr, dict[sp.Symbol, arb_series]] | None


def _guard(u: arb_series, test: Callable[[arb], bool], what: str, site: Site = None
           ) -> arb_series:
    c0 = u.coeffs()[0] if u.length() else arb(0)
    if test(c0):
        return u
    better = None if site is None else refined_constant(site[0], site[1], c0)
    if better is None or not test(better):
        raise Undefined(what)
    # the constant coefficient encloses the argument over the box; so does the refined one.
    # The series keeps its precision, not its length: a series whose higher coefficients are
    # exactly 0 is shorter than its precision, and rebuilt at its length it would truncate
    # every product with it (∂(x·P)/∂x came back 0 for a P free of x)
    return arb_series([better, *u.coeffs()[1:]], prec=u.prec)


def _inv(u: arb_series, site: Site = None) -> arb_series:
    return 1 / _guard(u, _nonzero, "a denominator may vanish on the box", site)


def _power(base: arb_series, e: sp.Expr, exponent: Callable[[], arb_series] | None,
           n: int, site: Site = None) -> arb_series:
    if e.is_Integer:
        k = int(e)
        b = base if k >= 0 else _inv(base, site)
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
        return _guard(base, _positive, "a square root's argument may reach 0", site).sqrt()
    if e == sp.Rational(-1, 2):
        return _guard(base, _positive, "a square root's argument may reach 0", site).rsqrt()
    log = _guard(base, _positive, "a real power of a base that may be ≤ 0", site).log()
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
        worth = worth_refining(e)

        def add(out: list, values: dict, n: int) -> arb_series:
            total = out[args[0]]
            for i in args[1:]:
                total = total + out[i]
            if worth and getattr(_refining, "depth", 0) == 0 and total.length():
                c0 = total.coeffs()[0]
                better = refined_constant(e, values, c0)
                if better is not None and better.rad() < c0.rad():
                    # (the precision kept, not the length: see _guard)
                    total = arb_series([better, *total.coeffs()[1:]], prec=total.prec)
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
            out[base_i], e.exp, None if exp_i is None else (lambda: out[exp_i]), n,
            (e.base, values))
    if isinstance(e, (sp.Abs, sp.sign)):
        kind = type(e)
        return lambda out, values, n: _signed(kind, out[args[0]], (e.args[0], values))
    if len(e.args) != 1 or type(e) not in _UNARY_KINDS:
        raise FPTheoryError(f"{type(e).__name__} has no Taylor kernel")
    kind = type(e)
    return lambda out, values, n: _unary(kind, out[args[0]], (e.args[0], values))


_UNARY_KINDS = (sp.exp, sp.log, sp.sin, sp.cos, sp.tan, sp.sec, sp.cot, sp.csc, sp.atan,
                sp.asin, sp.acos, sp.sinh, sp.cosh, sp.tanh, sp.sech, sp.csch, sp.coth,
                sp.asinh, sp.acosh, sp.atanh)


def _signed(kind: type, u: arb_series, site: Site = None) -> arb_series:
    """|u| = s·u and sign(u) = s where u's constant term — its enclosure over the region of
    this run, the whole box for a remainder — has the one sign s: there both are analytic.
    Where it may reach 0 they are not, and the run is refused (:func:`_guard`)."""
    u = _guard(u, lambda b: bool(b > 0 or b < 0), "Abs or sign of a value that may be 0",
               site)
    s = 1 if u.coeffs()[0] > 0 else -1
    return s * u if kind is sp.Abs else arb_series([arb(s)], prec=u.prec)


def _atan(u: arb_series) -> arb_series:
    """atan of a power series. arb's own is nan when the constant term is a wide ball (of
    [-1, 1]); then atan(u) = atan(u₀) + ∫ u′/(1 + u²), with u₀² taken ≥ 0 so that the
    divisor's constant term is ≥ 1 (the same function, each step enclosed by arb)."""
    out = u.atan()
    if all(c.is_finite() for c in out.coeffs()):
        return out
    c0, square = _constant_and_square(u)
    square[0] = (c0 * c0).nonnegative_part()
    return c0.atan() + (u.derivative() / (1 + arb_series(square, prec=u.prec))).integral()


def _constant_and_square(u: arb_series) -> tuple[arb, list[arb]]:
    """u's constant term and the coefficients of u², with the constant term present
    (python-flint drops trailing zero coefficients: x² to length 2 is the empty list)."""
    c = u.coeffs()
    square = (u * u).coeffs() or [arb(0)]
    return (c[0] if c else arb(0)), square


def _square(b: arb) -> arb:
    """b², as the hull of its ends' squares where b has a sign (arb's b·b is as wide as a
    product of two independent balls: acosh's u² - 1 would reach 0 for u > 1)."""
    if b > 0 or b < 0:
        lo, hi = abs(b.lower()), abs(b.upper())
        return (lo * lo).union(hi * hi)
    return (b * b).nonnegative_part()


def _inverse_hyperbolic(kind: type, u: arb_series, site: Site = None) -> arb_series:
    """asinh, acosh, atanh of a power series as F(u₀) + ∫ u′·F′(u): F′ is (1 + u²)^(-1/2),
    (u² - 1)^(-1/2), 1/(1 - u²), with u₀² taken ≥ 0 (the same function, each step enclosed
    by arb; python-flint has no series of these). acosh needs u > 1 and atanh |u| < 1 on
    the run's region (at acosh's 1 and atanh's ±1 they are not analytic)."""
    if kind is sp.acosh:
        u = _guard(u, lambda b: bool(b > 1), "acosh at 1 is not differentiable", site)
    elif kind is sp.atanh:
        u = _guard(u, lambda b: bool(abs(b) < 1), "atanh at ±1 has a pole", site)
    c0, square = _constant_and_square(u)
    square[0] = _square(c0)
    u2 = arb_series(square, prec=u.prec)
    slope = {sp.asinh: lambda: (1 + u2).rsqrt(), sp.acosh: lambda: (u2 - 1).rsqrt(),
             sp.atanh: lambda: _inv(1 - u2)}[kind]()
    start = {sp.asinh: arb.asinh, sp.acosh: arb.acosh, sp.atanh: arb.atanh}[kind](c0)
    return start + (u.derivative() * slope).integral()


def _unary(kind: type, u: arb_series, site: Site = None) -> arb_series:
    if kind is sp.exp:
        return u.exp()
    if kind is sp.log:
        return _guard(u, _positive, "a logarithm's argument may reach 0", site).log()
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
        return _atan(u)
    if kind in (sp.asin, sp.acos):
        u = _guard(u, lambda b: bool(abs(b) < 1), "asin/acos at ±1 is not differentiable", site)
        return u.asin() if kind is sp.asin else u.acos()
    if kind in (sp.sinh, sp.cosh, sp.tanh, sp.sech, sp.csch, sp.coth):
        ep, em = u.exp(), (-u).exp()
        sinh, cosh = (ep - em) / 2, (ep + em) / 2
        return {sp.sinh: lambda: sinh, sp.cosh: lambda: cosh,
                sp.tanh: lambda: sinh * _inv(cosh), sp.sech: lambda: _inv(cosh),
                sp.csch: lambda: _inv(sinh), sp.coth: lambda: cosh * _inv(sinh)}[kind]()
    if kind in (sp.asinh, sp.acosh, sp.atanh):
        return _inverse_hyperbolic(kind, u, site)
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


def _expansion(expr: sp.Expr | Series, variables: Sequence[sp.Symbol],
               box: Sequence[tuple[Any, Any]], i: int, degree: int, at: arb,
               ball: Callable[[Any, Any], arb]) -> tuple[list[arb], arb]:
    """([a_0, ..., a_{n-1} at the ball ``at``, R_n over the i-th side], that side's ball):
    Taylor's theorem in the i-th variable, every other side entering as its ball."""
    lo, hi = box[i]
    whole = ball(lo, hi)
    fixed = {v: ball(a, b) for j, (v, (a, b)) in enumerate(zip(variables, box, strict=True))
             if j != i}

    def values(x: arb, n: int) -> dict[sp.Symbol, arb_series]:
        out = {u: arb_series([b], prec=n) for u, b in fixed.items()}
        out[variables[i]] = arb_series([x, 1], prec=n)
        return out

    run = compile_series(expr) if isinstance(expr, sp.Expr) else expr
    with _series_cap(degree + 1):
        # the remainder first: its guards cover the whole side (the point's are a subset)
        over_box = _finite(run(values(whole, degree + 1), degree + 1))
        at_point = _finite(run(values(at, degree), degree))
    # python-flint drops only exactly-zero trailing coefficients once no operation truncates
    # below the length asked for (_series_cap): a polynomial of lower degree, remainder 0
    over_box = over_box + [arb(0)] * (degree + 1 - len(over_box))
    return at_point + [arb(0)] * (degree - len(at_point)) + [over_box[degree]], whole


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
    coeffs, whole = _expansion(expr, variables, box, i, degree, centre, ball)
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


def taylor_at_end(expr: sp.Expr | Series, variables: Sequence[sp.Symbol],
                  box: Sequence[tuple[Any, Any]], i: int, degree: int, end: str,
                  ball: Callable[[Any, Any], arb], is_zero: Callable[[int], bool]
                  ) -> tuple[int, arb]:
    """Taylor's theorem at an end z of the i-th side (``end`` "low" or "high"; every other
    side a point): expr(z + S) = Σ_{k<n} a_k S^k + R_n S^n, the a_k at z, R_n enclosing
    f^(n)(ξ)/n! over the side, S between 0 and ±(the side's width). With a_j = 0 for every
    j < m — its ball 0 exactly, or a ball around 0 that ``is_zero(j)`` shows exactly 0 (the
    balls of 1/3! and 1/5! are not exact: the terms of sin³x − x³·cos x cancel to balls of
    radius 1e-30) — expr = S^m·Q(S): returns (m, an enclosure of Q over the side).
    sin³x − x³·cos x on [0, 1/4] is x⁷·Q with Q ⊂ [0.06, 0.07], > 0; at the centre the same
    expansion straddles 0 on every box that reaches 0.

    >>> x = sp.Symbol("x", real=True)
    >>> g = sp.sin(x)**3 - x**3*sp.cos(x)
    >>> def is_zero(j):  # (the kernel asks sympy, under its deadline)
    ...     return sp.diff(g, x, j).subs(x, 0) == 0
    >>> m, q = taylor_at_end(g, [x], [(0, sp.Rational(1, 4))], 0, 10, "low",
    ...                      lambda a, b: _constant(sp.sympify(a)).union(_constant(sp.sympify(b))),
    ...                      is_zero)
    >>> m, q > 0
    (7, True)
    """
    if degree < 1 or end not in ("low", "high"):
        raise ValueError("degree ≥ 1 and end 'low' or 'high'")
    lo, hi = box[i]
    at = ball(lo, lo) if end == "low" else ball(hi, hi)
    coeffs, whole = _expansion(expr, variables, box, i, degree, at, ball)
    m = next((k for k, a in enumerate(coeffs[:degree])
              if not (a.is_zero() or (a.contains(0) and is_zero(k)))), degree)
    width = abs(whole - at).upper()
    span = arb(0).union(arb(width)) if end == "low" else arb(0).union(-arb(width))
    q = arb(0)
    for k, a in enumerate(coeffs[m:]):
        q += a * span ** k if k else a
    return m, q


#: how deep failing guards refine (a guard inside the refined argument may refine once more)
REFINE_DEPTH = 2
_refining = threading.local()


@functools.lru_cache(maxsize=1024)
def _compiled(expr: sp.Expr) -> Series:
    return compile_series(expr)


def refined_constant(arg: sp.Expr, values: dict[sp.Symbol, arb_series], naive: arb
                     ) -> arb | None:
    """:func:`refined_enclosure` over the box of the values' constant terms (a guard's
    view of the box inside a series run)."""
    balls = {v: (s.coeffs()[0] if s.length() else arb(0)) for v, s in values.items()}
    return refined_enclosure(arg, balls, naive)


def refined_enclosure(arg: sp.Expr, balls: dict[sp.Symbol, arb], naive: arb) -> arb | None:
    """A tighter enclosure of ``arg`` over the box Π balls than the walked one
    (``naive``): their intersection with :func:`second_order_form`, or None when that form
    is not available (arg not admitted on the box, or refinement already REFINE_DEPTH
    deep). A guard calls it when the walked argument fails its test: the walk of the cubic
    Δ of a tetrahedron's squared edges over [4, 5.1752]^6 reaches -550 although Δ ≥ 128
    there; the second-order form shows Δ ≥ 19."""
    depth = getattr(_refining, "depth", 0)
    if depth >= REFINE_DEPTH:
        return None
    _refining.depth = depth + 1
    try:
        return naive.intersection(second_order_form(_compiled(arg), balls))
    except (Undefined, FPTheoryError, ArithmeticError, ValueError, ZeroDivisionError):
        return None
    finally:
        _refining.depth = depth


def _coefficient(s: arb_series, k: int) -> arb:
    coeffs = _finite(s)
    # (exactly-zero trailing coefficients are dropped; _series_cap keeps the rest)
    return coeffs[k] if len(coeffs) > k else arb(0)


def second_order_form(run: Series, balls: dict[sp.Symbol, arb]) -> arb:
    """An enclosure of f over the box X = Π balls by Taylor's theorem of order 2 with the
    Lagrange remainder, f given compiled (:func:`compile_series`): with c the balls'
    (exact) midpoints and h = x - c ∈ H = X - c,

        f(x) = f(c) + ∇f(c)·h + ½ hᵀ∇²f(ξ) h,  ξ on the segment [c, x] ⊆ X,

    so f(X) ⊆ f(c) + Σ ∂_i f(c)·H_i + R with R coefficient 2 of the series t ↦ f(X + tH)
    (for every ξ ∈ X and h ∈ H it encloses ½ d²/dt² f(ξ + th) at t = 0). The gradient is
    taken at the point c, so the linear part's range is exact up to rounding; only the
    remainder, of order width², carries the dependency problem. Every run's guards show f
    analytic on X (the remainder's run is over X), which the theorem needs. Raises
    :class:`Undefined` or :class:`FPTheoryError` where f is not admitted on the box."""
    mids = {v: arb(b.mid()) for v, b in balls.items()}
    moving = [v for v, b in balls.items() if not b.is_exact()]
    with _series_cap(3):
        total = _coefficient(run({v: arb_series([m], prec=1) for v, m in mids.items()}, 1), 0)
        for v in moving:
            along = {u: arb_series([m, 1] if u == v else [m], prec=2) for u, m in mids.items()}
            total += _coefficient(run(along, 2), 1) * (balls[v] - mids[v])
        spread = {v: arb_series([b, b - mids[v]], prec=3) for v, b in balls.items()}
        total += _coefficient(run(spread, 3), 2)
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
