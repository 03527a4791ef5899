"""Proposals of the search: rewritten forms and split points. Nothing here decides: every
form goes to :meth:`fptheory.verify.kernel.Kernel.admit`, which accepts it only with its
equality to the original established exactly, and split points only shape the boxes (the
coverage of the leaves is checked exactly). Every sympy call runs under a deadline."""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Iterable, Sequence

import sympy as sp

from fptheory.core.errors import FPTheoryError

from .backends import ARB, Interval, compile_balls
from .equality import smallest_bases
from .limits import bounded, manageable

__all__ = ["factored_forms", "at_infinity_forms", "exponentials_out", "roots_at_infinity",
           "simpler_derivative", "presplit", "simple_points", "simple_zeros", "conjugate_forms",
           "collected_trig_forms"]

_HYPERBOLIC = [sp.sinh, sp.cosh, sp.tanh, sp.sech, sp.csch, sp.coth]  # (sin → e^{ix} is complex)


def exponentials_out(expr: sp.Expr, v: sp.Symbol, sign: int) -> sp.Expr | None:
    """expr with every logarithm of a sum that has a term c·e^(av + b), a a number of the
    sign ``sign`` (the largest |a| taken), written av + log(S·e^(-av)), the product
    distributed; None where there is none. For x → +∞, log(1 + x² + eˣ) - x is
    log(1 + e⁻ˣ + x²e⁻ˣ), which tends to 0 where the typed one is ∞ - ∞. For every real v,
    S·e^(-av) > 0 exactly where S > 0 and log S = av + log(S·e^(-av)): the same function
    (the kernel admits it only after establishing the equality itself).

    >>> x = sp.Symbol("x", real=True)
    >>> exponentials_out(sp.log(1 + x**2 + sp.exp(x)) - x, x, 1)
    log(x**2*exp(-x) + 1 + exp(-x))
    """
    def pulled(node: sp.log) -> sp.Expr:
        best = None
        for term in node.args[0].args:
            for power in (f for f in sp.Mul.make_args(term) if isinstance(f, sp.exp)):
                a = sp.diff(power.args[0], v)
                if a.is_number and a.is_real and sign * a > 0 and (best is None or abs(a) > best):
                    best = abs(a)
        if best is None:
            return node
        return sign * best * v + sp.log(sp.expand_mul(node.args[0] * sp.exp(-sign * best * v)))
    form = expr.replace(lambda e: isinstance(e, sp.log) and len(e.args) == 1 and e.args[0].is_Add
                        and e.args[0].has(v), pulled)
    return None if form == expr else form


def at_infinity_forms(expr: sp.Expr, far: Sequence[tuple[sp.Symbol, int]],
                      seconds: float = 5.0) -> list[sp.Expr]:
    """The same function as expr, written for variables far out (x → +∞ for sign +1, x → -∞
    for -1), factored: (a) x = 1/t, cancelled, t = 1/x back, so x/(1 + x²) reads
    (1/x)/(1 + 1/x²) = [0, 1/X] on [X, ∞) and not [X, ∞]/[X², ∞] = [0, ∞]; (b) after
    rewriting hyperbolic functions by exp, x = -log t (x = log t for -∞), cancelled as a
    rational function of t and the other exponentials, t = e^{-x} back, so that
    e^{-d} - sinh(u)/sinh(u + d) reads e^{-2u}(1 - e^{-2d})/(e^{-d}(1 - e^{-2u-2d})) and
    not a difference of two balls around e^{-d}. Each form is an identity where both are
    defined (cancelling removes only removable 0/0 points, as factoring does). One
    deadline of ``seconds`` covers them all (each factors a polynomial that may be of
    degree 17 in two variables)."""
    if not far or sp.count_ops(expr) > 60 or not manageable(expr):
        return []
    until = time.perf_counter() + seconds
    forms: list[sp.Expr] = [f for v, sign in far if expr.has(sp.log, sp.exp)
                            and (f := exponentials_out(expr, v, sign)) is not None]
    rt = {v: sp.Dummy(f"t_{v.name}", real=True) for v, _ in far}
    et = {(v, sign): sp.Dummy(f"t_{v.name}", positive=True) for v, sign in far}
    attempts = [(expr, {v: 1 / t for v, t in rt.items()}, {t: 1 / v for v, t in rt.items()})]
    for sign in (1, -1):
        pairs = {key: t for key, t in et.items() if key[1] == sign}
        if pairs:
            attempts.append((expr.rewrite(_HYPERBOLIC, sp.exp),
                             {v: -sign * sp.log(t) for (v, _), t in pairs.items()},
                             {t: sp.exp(-sign * v) for (v, _), t in pairs.items()}))
    for e, there, back in attempts:
        def rewrite(e=e, there=there):
            try:
                return sp.factor(sp.cancel(sp.together(sp.expand_power_exp(e.xreplace(there)))))
            except (sp.PolynomialError, NotImplementedError, TypeError, ValueError):
                return None
        f = bounded(rewrite, until - time.perf_counter(), None)
        if f is None:
            continue
        f = f.xreplace(back)
        if f != expr and f not in forms and not f.has(sp.Dummy):
            forms.append(f)
    far_variables = [v for v, _ in far]
    written = bounded(lambda: [roots_at_infinity(f, far_variables) for f in [expr, *forms]],
                      until - time.perf_counter(), [])
    for r in written:
        if r != expr and r not in forms:
            forms.append(r)
    return forms


def roots_at_infinity(expr: sp.Expr, variables: Sequence[sp.Symbol]) -> sp.Expr:
    """Each root P^r of expr (r a rational that is not an integer, P a polynomial of degree
    d ≥ 1 in one of the variables v) written |v|^(dr)·(P/|v|^d)^r: far out the second
    factor tends to the leading coefficient's root, and the first joins the other powers of
    v, so x²·√(x² + 9)·e^(-x) reads |x|³·√(1 + 9/x²)·e^(-x), a decaying product, on
    [X, ∞). An identity wherever v ≠ 0 (|v|^d > 0 there, so both roots are defined
    together).

    >>> x = sp.Symbol("x", real=True)
    >>> roots_at_infinity(x**2 * sp.sqrt(x**2 + 9), [x])
    x**2*sqrt(1 + 9/x**2)*Abs(x)
    """
    def degree_in(base: sp.Expr) -> tuple[sp.Symbol, int] | None:
        for v in variables:
            if base.has(v) and base.is_polynomial(v):
                d = sp.degree(base, v)
                if d >= 1:
                    return v, int(d)
        return None

    def written(p: sp.Pow) -> sp.Expr:
        found = degree_in(p.base)
        if found is None:
            return p
        v, d = found
        return sp.Abs(v)**(d * p.exp) * sp.expand(p.base / sp.Abs(v)**d)**p.exp
    return expr.replace(lambda e: isinstance(e, sp.Pow) and e.exp.is_Rational
                        and not e.exp.is_Integer, written)

#: the largest non-rational expression (in operations) that is factored
FACTOR_OPS = 60


def factored_forms(expr: sp.Expr, seconds: float = 5.0, *, slope: bool = False
                   ) -> list[sp.Expr]:
    """The factored form of a polynomial or rational expression ((x - y)²/2 is visibly ≥ 0
    where x y ≤ (x² + y²)/2 is not); of a small other one that is a ``slope`` (a
    derivative the monotone rule signs), its common factors taken out and its factored
    form with the functions as generators: 3 - x - (3 - x)·cos(u) reads (x - 3)·(cos(u) - 1),
    whose second factor keeps its sign where the terms' enclosures overlap, and
    (1 - x/2)²·eᵃ - (2 - x)²·eᵇ/2 reads (2 - x)²·(2eᵇ - eᵃ)/4. (Offered for every
    expression, such forms sent the search of 1 + √y - 2√((1 + y)/2) ≤ 0 down longer
    paths: 3052 boxes in place of 798.)"""
    if not manageable(expr):
        return []

    def factor() -> list[sp.Expr]:
        if expr.is_polynomial() or expr.is_rational_function():
            return [sp.factor(expr)] if _common_numerator_terms(expr) <= FACTOR_TERMS else []
        if sp.count_ops(expr) > FACTOR_OPS:
            return []
        if not slope:  # only where it reveals a square: (3x·sin x - 2)²/(x·sin x) ≥ 0
            out = []
            for e in dict.fromkeys([expr, smallest_bases(expr)]):
                factored = sp.factor(e)
                if _has_square_factor(factored):
                    out.append(factored)
            return out
        return [sp.factor_terms(expr), sp.factor(expr)]
    out: list[sp.Expr] = []
    for f in bounded(factor, seconds, []):
        if f != expr and f not in out:
            out.append(f)
    return out


#: the most terms a rational function's numerator over its common denominator may reach for
#: it to be factored (Shekel's five reciprocals of quadratics in four variables reach 1001:
#: sympy's factor spent its whole 5 s on each of the margin and its derivatives, 17 boxes in
#: 60 s; Nesbitt's three reach 20, Iran 1996's 84)
FACTOR_TERMS = 400


def _common_numerator_terms(expr: sp.Expr) -> int:
    """An upper bound on the number of monomials of expr's numerator over the product of
    its terms' distinct denominators: all monomials in its n variables up to the total
    degree D, C(n + D, n); 0 for a polynomial (factored whatever its size, as before)."""
    variables = sorted(expr.free_symbols, key=str)
    if expr.is_polynomial() or not variables:
        return 0
    fractions = [sp.fraction(term) for term in sp.Add.make_args(sp.expand_mul(expr))]
    degree = sum(sp.Poly(d, *variables).total_degree() for d in {d for _, d in fractions})
    degree += max(sp.Poly(n, *variables).total_degree() for n, _ in fractions)
    return math.comb(len(variables) + degree, len(variables))


def _has_square_factor(form: sp.Expr) -> bool:
    """A factor of form is an even power of a sum (9x²sin²x - 12x·sin x + 4 factored is
    (3x·sin x - 2)², ≥ 0 at sight, where the sum's enclosure straddles 0 near its zeros)."""
    numerator = sp.fraction(form)[0]
    return any(isinstance(f, sp.Pow) and f.exp.is_Integer and f.exp > 0 and f.exp % 2 == 0
               and f.base.is_Add for f in sp.Mul.make_args(numerator))


def conjugate_forms(expr: sp.Expr, seconds: float = 5.0) -> list[sp.Expr]:
    """A + c√B written (A² - c²B)/(A - c√B), numerator expanded, for each square-root term
    c√B of expr (c a number; at most three): 1 + √u - √(1 + u) reads 2√u/(1 + √u + √(1 + u)),
    ≥ 0 by one enclosure on [0, ε], where the difference of the two roots is not. An
    identity wherever A - c√B ≠ 0 (the kernel's walk of the form shows that on a box)."""
    if not isinstance(expr, sp.Add) or not manageable(expr) or sp.count_ops(expr) > 80:
        return []
    forms = []
    roots = [t for t in expr.args
             if isinstance(t.as_coeff_Mul()[1], sp.Pow) and t.as_coeff_Mul()[1].exp == sp.S.Half
             and t.as_coeff_Mul()[1].base.free_symbols]
    for term in roots[:3]:
        c, root = term.as_coeff_Mul()
        a, b = expr - term, root.base

        def conjugate(a=a, b=b, c=c, root=root) -> sp.Expr:
            return sp.expand(a**2 - c**2 * b) / (a - c * root)
        f = bounded(conjugate, seconds, None)
        if f is not None and f != expr and f not in forms:
            forms.append(f)
    return forms


#: the largest multiple of a variable inside a sine or cosine that sympy's trigonometric
#: expansions and simplifications are asked to handle: sin(50x) expands to a Chebyshev
#: polynomial of degree 50 (Trefethen's function: 5 s in expand_trig, 6 s in trigsimp of
#: its derivatives, before the search closed a box or hunted again)
TRIG_MULTIPLE = 4


def large_trig_multiples(expr: sp.Expr) -> bool:
    """Some sine, cosine or tangent in expr has a term k·u in its argument with a rational
    |k| > :data:`TRIG_MULTIPLE`.

    >>> x = sp.Symbol("x")
    >>> large_trig_multiples(sp.sin(50*x) + sp.cos(x + 1)), large_trig_multiples(sp.sin(2*x))
    (True, False)
    """
    return any(c.is_Rational and abs(c) > TRIG_MULTIPLE
               for node in expr.atoms(sp.sin, sp.cos, sp.tan)
               for c in (t.as_coeff_Mul()[0] for t in sp.Add.make_args(node.args[0])))


def collected_trig_forms(expr: sp.Expr, seconds: float = 5.0) -> list[sp.Expr]:
    """expr with sines and cosines of sums expanded (``expand_trig``) and the terms collected
    by the sines, and by the cosines, of single arguments: sin x + sin y - sin(x + y) reads
    sin x·(1 - cos y) + sin y·(1 - cos x), each product ≥ 0 by the signs of its factors on
    [0, π]², where the three enclosures of the sum overlap near the axes. Only for small
    expressions with such a sum inside a sine or cosine."""
    if not manageable(expr) or sp.count_ops(expr) > FACTOR_OPS or not any(
            isinstance(node.args[0], sp.Add) and len(node.args[0].free_symbols) > 1
            for node in expr.atoms(sp.sin, sp.cos)) or large_trig_multiples(expr):
        return []

    def collect() -> list[sp.Expr]:
        expanded = sp.expand(sp.expand_trig(expr))
        out = []
        for kind in (sp.sin, sp.cos):
            atoms = sorted(expanded.atoms(kind), key=sp.default_sort_key)
            collected = sp.collect(expanded, atoms) if atoms else expanded
            if collected != expanded and collected not in out:
                out.append(collected)
        return out
    return [f for f in bounded(collect, seconds, []) if f != expr]


def simpler_derivative(d: sp.Expr, seconds: float = 5.0) -> list[sp.Expr]:
    """A simplified derivative where it is smaller (1 - sech² → tanh²: tighter enclosures
    near zeros); only for small derivatives, where simplify is quick."""
    # (a rational function: its forms are factored_forms'; simplify only re-cancels it, 1 s
    # each for the slopes of IMO 1974/5's four quotients in four variables, to no avail)
    if sp.count_ops(d) >= 25 or not manageable(d) or large_trig_multiples(d) \
            or d.is_rational_function():
        return []
    simpler = bounded(lambda: sp.simplify(d), seconds, None)
    if simpler is None or simpler == d or sp.count_ops(simpler) > sp.count_ops(d):
        return []
    return [simpler]


def _enclosable(c: sp.Expr) -> bool:
    """The kernel can enclose the exact number c (a box end it cannot enclose — a LambertW
    value — would leave every box around it undefined)."""
    try:
        compile_balls(c, [], ARB, checked=True)([])
        return True
    except (FPTheoryError, ArithmeticError, ValueError):
        return False


def _strictly_inside(c: sp.Expr, lo: sp.Expr, hi: sp.Expr) -> bool:
    """c is an exact real number (no float) the kernel can enclose, with lo < c < hi."""
    return bool(c.is_number and c.is_real and not c.has(sp.Float) and _enclosable(c)
                and (lo < c) == True and (c < hi) == True)  # noqa: E712


#: the most critical points of one variable a side is cut at
MAX_CRITICAL_POINTS = 64


def presplit(g: sp.Expr, variables: Sequence[sp.Symbol], box: list[Interval],
             seconds: float = 5.0) -> list[list[Interval]]:
    """Split at the real critical points sympy finds, where a bound can be tight in the
    interior (e^x ≥ 1 + x at 0), so that they become box ends: in one variable at all of
    them, and at the zeros of every Abs or sign argument; in two or three, at one exact
    critical point strictly inside the box (log(xy) ≤ x + y - 2 at (1, 1)), which becomes
    a corner of the 2^n boxes around it."""
    if 2 <= len(variables) <= 3:
        cut = _presplit_at_a_point(g, variables, box, min(seconds, 1.0))
        zeros = [] if len(cut) > 1 else simple_zeros(g, variables, box, min(seconds, 0.5))
        return _cut_at(zeros, box) or cut
    if len(variables) != 1:
        return [box]
    (lo, hi), v = box[0], variables[0]
    if not manageable(g):
        return [box]
    def inside(critical: Iterable[sp.Expr]) -> list[sp.Expr]:
        return sorted((c for c in critical if _strictly_inside(c, lo, hi)),
                      key=lambda c: float(c))

    def every_one() -> list[sp.Expr] | None:
        # (sympy's solve gives one period's solutions; solveset on the side gives them all:
        # sin(x)·cos(x) ≤ 1/2 on [-10, 10] is tight at seven odd multiples of π/4)
        found = sp.solveset(sp.diff(g, v), v, sp.Interval(lo, hi))
        if not isinstance(found, sp.FiniteSet) or len(found) > MAX_CRITICAL_POINTS:
            return None
        return inside(found)

    def solve() -> list[sp.Expr]:
        try:
            return inside(sp.solve(sp.diff(g, v), v))
        except (NotImplementedError, ValueError, TypeError):
            return []
    def kinks() -> list[sp.Expr]:
        # (where |u| or sign(u) has u = 0 there is no slope, and a bound such as
        # |sin x| ≤ |x| is tight there: a cut makes it a box end)
        out: set[sp.Expr] = set()
        for node in g.atoms(sp.Abs, sp.sign):
            slope, offset = sp.Poly(node.args[0], v).all_coeffs() \
                if node.args[0].is_polynomial(v) and sp.degree(node.args[0], v) == 1 else (sp.S.Zero,) * 2
            if slope.is_number and offset.is_number and slope != 0:  # (119 of AMC 2010/22's
                out.add(-offset / slope)  # kinks: solveset would take its whole second)
                continue
            found = sp.solveset(node.args[0], v, sp.Interval(lo, hi))
            if isinstance(found, sp.FiniteSet) and len(found) <= MAX_CRITICAL_POINTS:
                out |= set(found)
        return inside(out)

    bounded_side = v.is_real and lo.is_finite and hi.is_finite
    periodic = bounded_side and g.has(sp.sin, sp.cos, sp.tan)
    points = bounded(every_one, min(1.0, seconds / 2), None) if periodic else None
    if points is None:
        points = bounded(solve, seconds / 2 if periodic else seconds, [])
    if bounded_side and g.has(sp.Abs, sp.sign):
        points = _distinct([*points, *bounded(kinks, min(1.0, seconds / 2), [])])
    if not points:
        points = _distinct([c for c, in simple_zeros(g, variables, box, min(seconds, 0.5))])
    ends = [lo, *points, hi]
    return [[(a, b)] for a, b in zip(ends, ends[1:], strict=False)]


def _distinct(points: Sequence[sp.Expr]) -> list[sp.Expr]:
    """The points in increasing order, one of each value (two forms of one number would
    make a box of width 0)."""
    out: list[sp.Expr] = []
    for c in sorted(points, key=lambda c: float(c)):
        if not out or abs(float(c) - float(out[-1])) > 1e-12 * (1 + abs(float(c))):
            out.append(c)
    return out


#: exact numbers where bounds are often tight in the interior: Taylor and Padé bounds at 0,
#: logarithmic ones at 1, trigonometric ones at multiples of π/4
SIMPLE_POINTS = (sp.Integer(0), sp.Integer(1), sp.Integer(-1), sp.Rational(1, 2),
                 sp.Rational(-1, 2), sp.Integer(2), sp.Integer(-2), sp.pi / 4, -sp.pi / 4,
                 sp.pi / 2, -sp.pi / 2, sp.pi)


def simple_points(box: list[Interval], most: int = 256) -> list[tuple[sp.Expr, ...]]:
    """The points strictly inside the box with every coordinate in :data:`SIMPLE_POINTS`
    (none where there would be more than ``most``): where bounds are often tight, and
    where a false variant of one is violated (the hunt starts there too)."""
    sides = [[c for c in SIMPLE_POINTS if _strictly_inside(c, lo, hi)] for lo, hi in box]
    if not all(sides) or math.prod(len(side) for side in sides) > most:
        return []
    return list(itertools.product(*sides))


def simple_zeros(g: sp.Expr, variables: Sequence[sp.Symbol], box: list[Interval],
                 seconds: float = 0.5) -> list[tuple[sp.Expr, ...]]:
    """The points strictly inside the box with every coordinate in :data:`SIMPLE_POINTS`
    where g is 0 to 40 digits (mpmath at 60 digits): where a bound is tight in the
    interior and sympy's solve finds no critical point, e^x ≤ 2304/(48 − 24x + 6x² − x³)²
    at 0 (its derivative mixes e^x and a rational function). A proposal of cuts only: a
    point where g merely comes close to 0 costs boxes, never soundness.

    >>> x = sp.Symbol("x", real=True)
    >>> simple_zeros(sp.exp(x) - 1 - x - x**2/2 - x**3/6, [x], [(-sp.oo, sp.Integer(3))])
    [(0,)]
    """
    import mpmath

    points = simple_points(box)
    if not points or not manageable(g):
        return []

    def zeros() -> list[tuple[sp.Expr, ...]]:
        fn = sp.lambdify(list(variables), g, "mpmath")
        found = []
        with mpmath.workdps(60):
            for point in points:
                try:
                    value = fn(*(mpmath.mpf(str(sp.N(c, 70))) for c in point))
                except (ArithmeticError, ValueError, TypeError):
                    continue
                if isinstance(value, mpmath.mpf) and abs(value) < mpmath.mpf(10) ** -40:
                    found.append(point)
        return found
    return bounded(zeros, seconds, [])


def _cut_at(points: Sequence[tuple[sp.Expr, ...]], box: list[Interval]
            ) -> list[list[Interval]] | None:
    """The box cut, in each variable, at the points' coordinates (each point a corner of
    the boxes around it); None where there is no point or more than 64 boxes."""
    if not points:
        return None
    sides = []
    for i, (lo, hi) in enumerate(box):
        ends = [lo, *sorted({p[i] for p in points}, key=lambda c: float(c)), hi]
        sides.append(list(zip(ends, ends[1:], strict=False)))
    if math.prod(len(s) for s in sides) > 64:
        return None
    return [list(p) for p in itertools.product(*sides)]


def _presplit_at_a_point(g: sp.Expr, variables: Sequence[sp.Symbol], box: list[Interval],
                         seconds: float) -> list[list[Interval]]:
    """The box cut, in each variable, at the coordinates of the isolated exact critical
    points strictly inside it (at most 64 boxes): each such point is a corner."""
    if not manageable(g) or g.has(sp.Float) or any(
            not (lo.is_finite and hi.is_finite) for lo, hi in box):
        return [box]

    def inside(points: Iterable[tuple[sp.Expr | None, ...]]) -> list[tuple[sp.Expr, ...]]:
        return [p for p in points if all(c is not None and _strictly_inside(c, lo, hi)
                                         for c, (lo, hi) in zip(p, box, strict=True))]

    def solve() -> list[tuple[sp.Expr, ...]] | None:
        try:
            solutions = sp.solve([sp.diff(g, v) for v in variables], list(variables),
                                 dict=True)
        except (NotImplementedError, ValueError, TypeError):
            return None
        return inside(tuple(sol.get(v) for v in variables) for sol in solutions)

    def eliminate() -> list[tuple[sp.Expr, ...]] | None:
        # in two variables: ∂g/∂w = 0 solved for w where it is a polynomial in w, then ∂g/∂u
        # on each of its curves for every u of the side (Branin's function: y = q(x), then
        # sin x = 0 at x = -π, 0, π, 2π, 3π, where sympy's joint solve gives one period's
        # three, in 1 s)
        for w, u in itertools.permutations(variables):
            if not sp.diff(g, w).is_polynomial(w):
                continue  # (sympy's solve may spend seconds on it before it gives up)
            try:
                curves = sp.solve(sp.diff(g, w), w)
            except (NotImplementedError, ValueError, TypeError):
                continue
            lo, hi = box[list(variables).index(u)]
            points = []
            for curve in curves:
                found = sp.solveset(sp.diff(g, u).xreplace({w: curve}), u, sp.Interval(lo, hi))
                if not isinstance(found, sp.FiniteSet) or len(found) > MAX_CRITICAL_POINTS:
                    break
                points += [{u: c, w: sp.simplify(curve.xreplace({u: c}))} for c in found]
            else:
                if points:
                    return inside(tuple(p[v] for v in variables) for p in points)
        return None
    found = bounded(eliminate, seconds, None) if len(variables) == 2 else None
    return _cut_at(found or bounded(solve, seconds, None) or [], box) or [box]
