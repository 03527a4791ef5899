"""Balls of box sides and points for the kernel: exact ends enclosed by arb balls, corners
of a box, and two comparisons of enclosures."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import sympy as sp
from flint import arb, ctx

from fptheory.core.errors import FPTheoryError

from .backends import ARB, Interval, Undefined, _constant, _Enclosure, _infinite, compile_balls

__all__ = ["side_ball", "exact_ball", "corner_point", "zero_corners", "signs_seen", "slope_along",
           "rounding_short", "strictly_above", "semidefinite_balls"]


def corner_point(box: Sequence[Interval], free: list[int], k: int) -> list[sp.Expr]:
    """Corner k of the box: bit j of k set takes the upper end of the j-th side in free."""
    return [hi if i in free and k >> free.index(i) & 1 else lo
            for i, (lo, hi) in enumerate(box)]


def zero_corners(enclose: Callable[[Sequence[Interval]], Any], box: Sequence[Interval],
                 free: list[int]) -> list[int]:
    """Corners k of the box (as :func:`corner_point` numbers them) where the enclosure
    ``enclose(point)`` holds 0 (or fails): where a bound may be tight. A look for the
    search, deciding nothing."""
    out = []
    for corner in range(2 ** len(free)):
        try:
            b = enclose([(c, c) for c in corner_point(box, free, corner)])
        except (Undefined, FPTheoryError):
            continue
        if not (b > 0 or b < 0):
            out.append(corner)
    return out


#: at most this many free sides for :func:`signs_seen` to look at every corner
CORNERS_SEEN = 3


def signs_seen(enclose: Callable[[Sequence[Interval]], Any], box: Sequence[Interval],
               free: list[int]) -> set[int]:
    """The signs (1, -1) that ``enclose(point)`` shows strictly at the box's centre and, in at
    most :data:`CORNERS_SEEN` free sides, at its corners (points at ±∞ or where the
    enclosure fails are skipped). A look for the search, deciding nothing: where a
    derivative is < 0 at a point, "≥ 0 on the box" is not worth deciding.

    >>> cube = lambda point: arb(float(point[0][0])) ** 3
    >>> one, two = sp.Integer(1), sp.Integer(2)
    >>> sorted(signs_seen(cube, [(-one, two)], [0])), signs_seen(cube, [(0 * one, two)], [0])
    ([-1, 1], {1})
    """
    bounded = not any(_infinite(lo) or _infinite(hi) for lo, hi in box)
    points = [[(lo + hi) / 2 for lo, hi in box]] if bounded else []
    if len(free) <= CORNERS_SEEN:
        points += [corner_point(box, free, k) for k in range(2 ** len(free))]
    seen = set()
    for point in points:
        if any(_infinite(c) for c in point):
            continue
        try:
            b = enclose([(c, c) for c in point])
        except (Undefined, FPTheoryError, ArithmeticError, ValueError, ZeroDivisionError):
            continue
        seen.update([1] if b > 0 else [-1] if b < 0 else [])
    return seen


def slope_along(enclose: Callable[[Sequence[Interval]], Any], point: Sequence[sp.Expr],
                direction: dict[int, float], step: float) -> float | None:
    """The central difference (f(p + h·d) − f(p − h·d)) / 2h of the midpoints of
    ``enclose`` at the two exact points p ± h·d (h = ``step``, d ``direction`` by side
    index): f's slope along d, in floats; None where either point is not enclosed. A look
    for the search's proposals, deciding nothing.

    >>> square = lambda box: arb(float(box[0][0])) ** 2
    >>> slope_along(square, [sp.Integer(3)], {0: 1.0}, 2.0**-20)
    6.0
    """
    values = []
    for sign in (1, -1):
        moved = list(point)
        for i, d in direction.items():
            moved[i] = point[i] + sp.Rational(sign * step * d)
        try:
            values.append(enclose([(t, t) for t in moved]).mid())
        except (Undefined, FPTheoryError, ArithmeticError, ValueError, AttributeError):
            return None
    return float((values[0] - values[1]) / (2 * step))


def semidefinite_balls(rows: Sequence[Sequence[Any]]) -> bool:
    """Every real matrix whose entries lie in the enclosures ``rows`` is positive
    semidefinite: diagonally dominant with a non-negative diagonal (Gershgorin), or, in two
    or three dimensions, every leading principal minor enclosed above 0 (Sylvester's
    criterion, for the symmetric matrices among them: the Hessians this serves, whose two
    off-diagonal enclosures each hold the same number; each such matrix has its minors in
    the minors' enclosures). Branin's function at (-π, 12.275) has the Hessian
    [[10.8, 4.8], [4.8, 2]]: positive definite, not diagonally dominant.

    >>> semidefinite_balls([[arb(2), arb(1)], [arb(1), arb(2)]])
    True
    >>> semidefinite_balls([[arb(11), arb(5)], [arb(5), arb(2)]])
    False
    >>> semidefinite_balls([[arb(11), arb(4)], [arb(4), arb(2)]])
    True
    """
    n = len(rows)
    if not all(isinstance(h, arb) for row in rows for h in row) or any(len(r) != n for r in rows):
        return False
    if all(bool(row[a].lower() - sum((abs(h).upper() for b, h in enumerate(row) if b != a),
                                       arb(0)) >= 0) for a, row in enumerate(rows)):
        return True
    if n not in (2, 3):
        return False
    h = rows
    minors = [h[0][0], h[0][0] * h[1][1] - h[0][1] * h[1][0]]
    if n == 3:
        minors.append(h[0][0] * (h[1][1] * h[2][2] - h[1][2] * h[2][1])
                      - h[0][1] * (h[1][0] * h[2][2] - h[1][2] * h[2][0])
                      + h[0][2] * (h[1][0] * h[2][1] - h[1][1] * h[2][0]))
    return all(bool(m > 0) for m in minors)


def rounding_short(b: arb) -> bool:
    """A ball that misses ≥ 0 by little: its lower end is within 2^-24 of its radius (or
    of 1) below 0."""
    if not b.is_finite() or bool(b >= 0):
        return False
    return bool(b.lower() > -(b.rad() + 1) * arb(2) ** -24)


def strictly_above(a: Any, b: Any) -> bool:
    """Every point of enclosure a is above every point of b."""
    if isinstance(a, arb) and isinstance(b, arb):
        return bool(a.lower() > b.upper())
    alo = a.lo if isinstance(a, _Enclosure) else None
    bhi = b.hi if isinstance(b, _Enclosure) else None
    return alo is not None and bhi is not None and bool(alo > bhi)


def side_ball(lo: sp.Expr, hi: sp.Expr) -> arb:
    """The arb ball of a box side [lo, hi] (exact ends enclosed; a point stays a point)."""
    a = exact_ball(lo)
    if lo == hi:
        return a
    b = a.union(exact_ball(hi))
    # arb's radii carry 30 bits: the ball of [0, 1] reaches -1e-9. A side known to be ≥ 0
    # (≤ 0) is intersected with [0, ∞) ((-∞, 0]), which still encloses it, so that roots
    # and logarithms of a variable at an end 0 of its interval are defined on the ball.
    if bool(lo >= 0):
        return b.nonnegative_part()
    if bool(hi <= 0):
        return -((-b).nonnegative_part())
    return b


def exact_ball(e: sp.Expr) -> arb:
    """An arb ball of the exact number e at the working precision (remembered per number
    and precision: √8 ends a side of Flyspeck's boxes, walked again on every box)."""
    if e.is_Atom:
        return _constant(e)
    return _compiled_ball(e, ctx.prec)


@functools.lru_cache(maxsize=1024)
def _compiled_ball(e: sp.Expr, prec: int) -> arb:
    return compile_balls(e, [], ARB, checked=True)([])
