"""The coverage check of a certificate's leaves: exact comparisons of their ends, and the
proof that the leaf boxes cover the domain (pairwise disjoint interiors, volumes adding up
exactly to the domain's), for :func:`~fptheory.verify.recheck_certificate`."""

from __future__ import annotations

from fractions import Fraction

import sympy as sp

from .backends import Interval, _infinite
from .limits import bounded, tame


class _Invalid(Exception):
    """A certificate fails a check (the message is the reason)."""


def _le(a: sp.Expr, b: sp.Expr) -> bool:
    """a ≤ b proved (exact numbers or ±oo): decided by 50-digit values where they differ
    clearly, else a = b must be proved; False when it cannot be decided."""
    if a == b or a == -sp.oo or b == sp.oo:
        return True
    if _infinite(a) or _infinite(b):
        return False
    return _compare(a, b) <= 0


def _compare(a: sp.Expr, b: sp.Expr) -> int:
    """-1, 0 or 1 for a < b, a = b, a > b, proved; raises _Invalid when undecided."""
    if a == b:
        return 0
    if a.is_Rational and b.is_Rational:
        return -1 if a < b else 1
    d = bounded(lambda: sp.N(b - a, 50), 10.0, None)
    if d is not None and d.is_Number and abs(d) > sp.Float(10) ** -40 * (1 + abs(sp.N(a, 15))):
        return -1 if d > 0 else 1
    if tame(b - a) and bounded(lambda: sp.simplify(b - a) == 0, 10.0, False):
        return 0
    raise _Invalid(f"cannot order {sp.sstr(a)[:40]} and {sp.sstr(b)[:40]}")


def _check_cover(boxes: list[list[Interval]], domain: list[Interval], far: bool) -> None:
    """Raise _Invalid unless the leaf boxes (each inside the domain) cover it: their
    interiors are pairwise disjoint (exact comparisons) and their volumes, in the
    coordinates of :func:`_measure`, add up exactly to the domain's. A finite union of
    closed boxes of full measure in a box is the box. A side the domain fixes at one value
    (every leaf holds exactly that value there) is left out of the volumes and overlaps."""
    live = [k for k, (lo, hi) in enumerate(domain) if (hi - lo).is_extended_positive]
    boxes = [[box[k] for k in live] for box in boxes]
    domain = [domain[k] for k in live]
    volume = sp.Add(*(sp.Mul(*(_measure(hi, far) - _measure(lo, far) for lo, hi in box))
                      for box in boxes))
    total = sp.Mul(*(_measure(hi, far) - _measure(lo, far) for lo, hi in domain))
    excess = bounded(lambda: sp.simplify(volume - total), 30.0, None) \
        if tame(volume - total) else None
    if excess is None:
        raise _Invalid("the coverage of the leaves could not be decided in time")
    if excess != 0:
        def shown(e: sp.Expr) -> str:
            return sp.sstr(e if e.is_Rational else sp.N(e, 6))
        raise _Invalid(f"the leaves do not cover the domain: their volumes add up to "
                       f"{shown(volume)}, the domain has {shown(total)} (difference "
                       f"{sp.sstr(sp.N(excess, 3))})")
    # interiors: [a, b] and [c, d] meet iff max(a, c) < min(b, d); floats sort out the
    # clear cases, exact comparisons the touching ones
    approx = [[(_approx(lo), _approx(hi)) for lo, hi in box] for box in boxes]
    exact = [[(_exact_key(lo), _exact_key(hi)) for lo, hi in box] for box in boxes]

    def cmp(i: int, k: int, end: int, j: int, end2: int) -> int:  # box i's end vs box j's
        x, y = exact[i][k][end], exact[j][k][end2]
        if x is not None and y is not None:
            return (x > y) - (x < y)
        return _compare_ext(boxes[i][k][end], boxes[j][k][end2])

    # sweep along the first side: only boxes starting before one ends can meet it
    order = sorted(range(len(boxes)), key=lambda k: approx[k][0][0] if approx[k] else 0.0)
    for n, i in enumerate(order):
        for j in order[n + 1:]:
            if approx[i] and approx[j][0][0] - approx[i][0][1] > 1e-9 * (1 + abs(approx[j][0][0])):
                break  # j, and every box after it, starts clearly after box i ends
            meet = True
            for k, ((alo, ahi), (blo, bhi)) in enumerate(zip(approx[i], approx[j], strict=True)):
                gap = min(ahi, bhi) - max(alo, blo)
                if gap < -1e-9 * (1 + abs(max(alo, blo))):
                    meet = False
                    break
                if gap > 1e-9 * (1 + abs(max(alo, blo))):
                    continue
                # exactly: max(lo_i, lo_j) < min(hi_i, hi_j) iff each lo < each hi
                if cmp(i, k, 0, j, 1) >= 0 or cmp(j, k, 0, i, 1) >= 0:
                    meet = False
                    break
            if meet:
                raise _Invalid(f"leaves {min(i, j) + 1} and {max(i, j) + 1} overlap")


def _approx(e: sp.Expr) -> float:
    return float("inf") if e == sp.oo else float("-inf") if e == -sp.oo else float(sp.N(e, 17))


def _exact_key(e: sp.Expr) -> Fraction | float | None:
    """An exact Python value for fast comparisons (rationals, ±∞), None otherwise."""
    if e == sp.oo or e == -sp.oo:
        return float(e)
    if e.is_Rational:
        return Fraction(int(e.p), int(e.q))
    return None


def _compare_ext(a: sp.Expr, b: sp.Expr) -> int:
    if a == b:
        return 0
    if _infinite(a) or _infinite(b):
        return -1 if (a == -sp.oo or b == sp.oo) else 1
    return _compare(a, b)


def _measure(e: sp.Expr, unbounded: bool) -> sp.Expr:
    """Coordinates for the coverage check: x itself, or x/(1 + |x|) on a domain reaching
    ±∞ (increasing, ±∞ ↦ ±1), so that leaf boxes that are disjoint and whose images'
    volumes add up to the domain's image cover it (a closed union of full measure)."""
    if not unbounded:
        return e
    return sp.sign(e) if _infinite(e) else e / (1 + abs(e))
