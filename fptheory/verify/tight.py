"""Tighter arb images of monotone and periodic functions on wide balls.

arb evaluates a function on a ball as a ball around its value at the midpoint, with a
radius from a derivative bound: rigorous, but on a wide ball far wider than the image (tanh
of [-0.9, 0.99] reaches -4.4). For functions that are monotone, monotone in |x|, or
periodic, the image of a ball is spanned by the values at its ends (and the extrema the
ball may contain); these helpers intersect arb's ball with that hull — both enclose the
image, so their intersection does too.

>>> from flint import arb
>>> b = arb(-9, 0).union(arb(99) / 100)
>>> bool(_monotone(arb.tanh)(b).upper() < 1)
True
"""

from __future__ import annotations

from collections.abc import Callable

from flint import arb

_WIDE = arb(2) ** -20


def _wide(b: arb) -> bool:
    """A finite ball whose radius is above 2^-20 of its midpoint."""
    return bool(b.is_finite() and b.rad() > abs(b.mid()) * _WIDE)


def _monotone(fn: Callable[[arb], arb]) -> Callable[[arb], arb]:
    """fn (monotone wherever it is defined and real) tightened on wide balls: arb's tanh
    of the ball [-0.9, 0.99] reaches -4.4 and its asin -1.42, while the image of the ball
    is spanned by fn at its two ends ([-0.72, 0.76], [-1.12, 1.43]). Each end value is a ball around fn at an
    enclosure of the end (arb's ``lower``/``upper``), so their union encloses the image;
    it is intersected with fn's own ball (both enclose it). Only called on balls where the
    walk has checked the argument (log of a value > 0, asin of one in [-1, 1])."""
    def tight(b: arb) -> arb:
        y = fn(b)
        if not _wide(b):
            return y
        hull = fn(b.lower()).union(fn(b.upper()))
        if not hull.is_finite():
            return y
        return y.intersection(hull) if y.is_finite() else hull
    return tight


def _acosh(b: arb) -> arb:
    """acosh of a ball whose points are all ≥ 1 (the walk checks that first), as the hull of
    its values at the ball's exact ends (acosh is increasing): arb's own acosh is nan on a
    ball [1, a] whose radius' rounding reaches below 1."""
    return arb.acosh(b.lower()).union(arb.acosh(b.upper()))


def _cosh(b: arb) -> arb:
    """cosh, tightened on wide balls: cosh is monotone in |x| (cosh of |b| = [lo, hi] ∪
    its mirror)."""
    y = arb.cosh(b)
    if not _wide(b):
        return y
    a = abs(b)  # arb's |b|: a ball enclosing {|x| : x ∈ b}
    if bool(b > 0) or bool(b < 0):
        hull = arb.cosh(a.lower()).union(arb.cosh(a.upper()))
    else:
        hull = arb(1).union(arb.cosh(a.upper()))
    return y.intersection(hull) if (hull.is_finite() and y.is_finite()) else y


def _periodic(fn: Callable[[arb], arb], top: float) -> Callable[[arb], arb]:
    """sin (top = 1/4) or cos (top = 0), tightened on wide balls: arb's sin of a ball is
    sin(mid) ± rad, so cos of [0, 1/4] reaches 1.12 and 1 - cos(x) ≥ 0 fails there. The
    image of [lo, hi] (arb's ``lower``/``upper``, an interval containing the ball) is
    spanned by the end values, with 1 added when a maximum (x = 2π(k + top)) may lie in
    it and -1 when a minimum (x = 2π(k + top + 1/2)) may; an extremum is ruled out only
    when floor of the upper end's turn count is certainly below the lower end's. The hull
    is intersected with fn's own ball and with [-1, 1] (all enclose the image)."""
    def may_contain(lo: arb, hi: arb, phase: float) -> bool:
        turn = 2 * arb.pi()
        a, b = lo / turn - arb(phase), hi / turn - arb(phase)
        return not bool(b.upper().floor() < a.lower())

    def tight(b: arb) -> arb:
        y = fn(b)
        unit = arb(-1).union(arb(1))
        if not b.is_finite():
            return y
        y = y.intersection(unit) if y.is_finite() else unit
        if not _wide(b):
            return y
        lo, hi = b.lower(), b.upper()
        hull = fn(lo).union(fn(hi))
        if may_contain(lo, hi, top):
            hull = hull.union(arb(1))
        if may_contain(lo, hi, top + 0.5):
            hull = hull.union(arb(-1))
        return y.intersection(hull) if hull.is_finite() else y
    return tight
