r"""A box closed by convexity about another variable: Pinsker's bound
p·log(p/q) + (1 − p)·log((1 − p)/(1 − q)) ≥ 2(p − q)² is an equality all along the diagonal
p = q, so no enclosure of a box that meets the diagonal is ≥ 0 with room to spare, and
boxes along it are split for ever. Where the margin g is convex in p with its p-slope 0 at
p = q, though, g(p, r) ≥ g(q, r) + ∂g/∂p(q, r)·(p − q) = g(q, r), and g(q, r) is 0 or a
statement without p.

The leaf rule ``convex in v about w`` (v, w two variables of the margin) closes g ≥ 0
(> 0) on a box B when

1. g, with |u|^(2k) read as u^(2k) (:func:`without_even_abs`), is built of functions
   smooth wherever they are defined (no Abs, sign, Heaviside, Max, Min, Piecewise:
   :func:`~fptheory.verify.eliminate.smooth_margin`), and ∂g/∂v with w put for v is shown
   identically 0 (:func:`~fptheory.verify.equality.exactly_equal`);
2. g with w put for v is ≥ 0 (> 0) on B (decided by the kernel's judgements);
3. on the box B′ whose v-side is J, the hull of v's and w's sides of B, g and ∂g/∂v are
   defined off the domain's excluded ends (``defined_off_excluded``, as for a leaf's
   typed sub-terms: the walk, the affine guards, the ends moved to ∞, the open walk) and
   ∂²g/∂v² ≥ 0 (by the open walk, or decided by the kernel's judgements) — at every point
   of B′ off the excluded ends;
4. w never takes a value of J that is an excluded end of v unless w's domain excludes it
   too (so the point v = w of every point of B is one of B′'s points off those ends), and
   no excluded end of v lies inside J (where w's domain reaches past v's).

For a point (v₀, r₀) of B off the excluded ends, w₀ (r₀'s w) and v₀ lie in J off those ends,
where t ↦ g(t, r₀) is twice differentiable with a second derivative ≥ 0, so it is convex
on the segment between them: g(v₀, r₀) ≥ g(w₀, r₀) + ∂g/∂v(w₀, r₀)·(v₀ − w₀) = g(w₀, r₀),
which is ≥ 0 (> 0) by 2. The search proposes the rule on boxes nothing else closed; the
kernel's judgements decide every step, and ``recheck`` replays the same steps from the
rule's text (:func:`convex_about`).

>>> from fptheory.verify.search import PROVED, Problem, decide
>>> p, q = sp.symbols("p q", real=True)
>>> g = p*sp.log(p/q) + (1 - p)*sp.log((1 - p)/(1 - q)) - 2*(p - q)**2
>>> problem = Problem(g, False, [p, q], 30, float("inf"), 1000)
>>> tangent_pairs(problem, g)
[(0, 1), (1, 0)]
>>> box = [(sp.Rational(2, 5), sp.Rational(1, 2)), (sp.Rational(9, 20), sp.Rational(11, 20))]
>>> convex_about(problem, g, box, False, 0, 1, 0, decide, PROVED)
''
>>> convex_about(problem, g + (p - q)/100, box, False, 0, 1, 0, decide, PROVED)[:60]
'the margin is not smooth, or its slope is not shown 0 at the'
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import sympy as sp
from flint import ctx

from .backends import Interval
from .balls import slope_along
from .eliminate import smooth_margin
from .equality import exactly_equal
from .openends import defined_off_excluded, open_walk_applies
from .splits import _finite_ends

__all__ = ["tangent_pairs", "convex_about", "close_about", "without_even_abs"]

#: seconds for the exact check that a slope vanishes at another variable, per pair
EXACT_SECONDS = 2.0
#: margins in more variables than this are not tried (the pairs grow as n²)
MAX_VARIABLES = 6


def tangent_pairs(p: Any, expr: sp.Expr, box: list[Interval] | None = None) -> list[tuple[int, int]]:
    """(i, j) for the variables v = x_i, w = x_j of a smooth margin whose v-slope is shown
    identically 0 at v = w (step 1 of the module docstring); remembered per expression.
    ``box``: where the quick test samples the slope (a slope that is real at no sample
    point is never sent to the exact check)."""
    cached = p.tangents.get(expr)
    if cached is not None:
        return cached
    pairs: list[tuple[int, int]] = []
    names = [i for i, v in enumerate(p.variables) if v in expr.free_symbols]
    smooth = without_even_abs(expr)
    if 2 <= len(names) <= MAX_VARIABLES and smooth_margin(smooth):
        sides = dict(zip(p.variables, box, strict=True)) if box is not None else {}
        for i, j in itertools.permutations(names, 2):
            if not _slope_near_zero_at_samples(p, smooth, i, j, sides):
                continue
            v, w = p.variables[i], p.variables[j]
            at = p.kernel.derivative(smooth, v).xreplace({v: w})
            if at == 0 or exactly_equal(at, sp.Integer(0), EXACT_SECONDS) is not None:
                pairs.append((i, j))
    p.tangents[expr] = pairs
    return pairs


def _sample_point(names: list[sp.Symbol], sides: dict[sp.Symbol, Interval], k: int
                  ) -> dict[sp.Symbol, sp.Expr]:
    """The k-th fixed exact point of the quick test: inside each variable's side of the box
    where one is given (a Flyspeck margin is real only on its box: √Δ of edges near 2), at
    small rationals otherwise."""
    point = {}
    for n, s in enumerate(names):
        t = sp.Rational(2 * k + 3 + n, 7 + 2 * n)  # in (0, 1), apart for each variable
        if s in sides:  # (a side reaching ±∞: between the finite points the search uses)
            a, _, b = _finite_ends(*sides[s])
            point[s] = a + t * (b - a)
        else:
            point[s] = t
    return point


def _slope_near_zero_at_samples(p: Any, expr: sp.Expr, i: int, j: int,
                                sides: dict[sp.Symbol, Interval]) -> bool:
    """∂expr/∂x_i at x_i = x_j is within 10⁻¹⁰ of 0 at three fixed points (:func:`_sample_point`,
    with x_i moved to x_j's value), and expr real around one of them at least: a proposal
    only, which spares the symbolic slope and its exact check (up to :data:`EXACT_SECONDS`
    for each step) the pairs whose slope plainly does not vanish. The slope is a central
    difference, step 2⁻⁴⁰, of the kernel's point enclosures of expr at 128 bits (sympy's
    evalf of a Flyspeck margin's slope took 0.4 s a point: for its thirty pairs, half a minute
    of one process)."""
    real = False
    saved = ctx.prec
    ctx.prec = max(saved, 128)
    try:
        for k in range(3):
            point = _sample_point(p.variables, sides, k)
            point[p.variables[i]] = point[p.variables[j]]
            slope = slope_along(lambda box: p.kernel.enclose(expr, box),
                                [point[v] for v in p.variables], {i: 1.0}, 2.0**-40)
            if slope is None:
                continue  # (not real there)
            if abs(slope) > 1e-10:
                return False
            real = True
    finally:
        ctx.prec = saved
    return real


def without_even_abs(expr: sp.Expr) -> sp.Expr:
    """expr with every |u|^(2k) written u^(2k) (the same real value wherever u is real):
    Topsøe's refined Pinsker bound has (2|p − q|)⁴, which sympy leaves as it is.

    >>> p, q = sp.symbols("p q", real=True)
    >>> without_even_abs((2*sp.Abs(p - q))**4 + sp.Abs(p))
    16*(p - q)**4 + Abs(p)
    """
    if not expr.has(sp.Abs):  # (the common case, once per box: no walk of the tree)
        return expr
    return expr.replace(
        lambda e: isinstance(e, sp.Pow) and isinstance(e.base, sp.Abs) and e.exp.is_Integer
        and e.exp % 2 == 0, lambda e: e.base.args[0] ** e.exp)


def _hull(a: Interval, b: Interval) -> Interval:
    return (a[0] if bool(a[0] <= b[0]) else b[0], a[1] if bool(a[1] >= b[1]) else b[1])


def convex_about(p: Any, expr: sp.Expr, box: list[Interval], strict: bool, i: int, j: int,
                 depth: int, decide: Callable[..., tuple[str, str]], proved: str) -> str:
    """'' when the rule ``convex in x_i about x_j`` closes expr ≥ 0 (> 0) on the box by the
    kernel's judgements (``decide`` at depth + 1, ``proved`` its closing status), else why
    not (module docstring)."""
    if (i, j) not in tangent_pairs(p, expr, box):
        return "the margin is not smooth, or its slope is not shown 0 at the other variable"
    if depth + 1 > p.max_depth:
        return "deeper than the certificate's max_depth"
    v, w = p.variables[i], p.variables[j]
    expr = without_even_abs(expr)
    side = _hull(box[i], box[j])
    own, other = p.excluded.get(v, (None, None)), p.excluded.get(w, (None, None))
    for s in (0, 1):
        if own[s] is not None and own[s] == side[s] == box[j][s] and other[s] != side[s]:
            return f"{w} reaches an excluded end of {v}"
        if own[s] is not None and bool(side[0] < own[s]) and bool(own[s] < side[1]):
            return f"{w}'s side reaches past an excluded end of {v}"  # (no walk is off it there)
    wide = list(box)
    wide[i] = side
    slope = p.kernel.derivative(expr, v)
    if not all(defined_off_excluded(p.kernel, e, p.variables, wide, p.excluded, open_walk=True)
               for e in (expr, slope)):
        return f"the margin or its {v}-slope is not shown defined on the box widened to {w}'s side"
    if decide(p, expr.xreplace({v: w}), box, strict, depth + 1)[0] != proved:
        return f"the margin at {v} = {w} is not shown {'>' if strict else '≥'} 0"
    curvature = p.kernel.derivative(slope, v)
    if not (open_walk_applies(p.excluded, p.variables, wide) and p.kernel.open_interval(
            curvature, wide, False, p.excluded)) and \
            decide(p, curvature, wide, False, depth + 1)[0] != proved:
        return f"∂²/∂{v}² of the margin is not shown ≥ 0 on the box widened to {w}'s side"
    return ""


def close_about(p: Any, expr: sp.Expr, box: list[Interval], strict: bool, depth: int,
                decide: Callable[..., tuple[str, str]], proved: str) -> str | None:
    """The rule ``convex in v about w`` that closes the box, for the first pair of
    :func:`tangent_pairs` whose sides meet or lie within a side's width of each other (the
    tight set v = w crosses the box or passes near it), or None."""
    for i, j in tangent_pairs(p, expr, box):
        (a, b), (c, d) = box[i], box[j]
        if bool(sp.Max(c - b, a - d) > sp.Max(b - a, d - c)):
            continue
        if not convex_about(p, expr, box, strict, i, j, depth, decide, proved):
            return f"convex in {p.variables[i]} about {p.variables[j]}"
    return None
