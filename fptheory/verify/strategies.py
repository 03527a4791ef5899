"""Hypothesis strategies for property-based tests of the chapter's bounds.

Imported only by tests (hypothesis is in the ``test`` extra); arguments are keyword-only
and validated eagerly, so a wrong call fails at definition time with a clear message.

* :func:`frequency_pairs` — exact rationals 0 < k1 < k2;
* :func:`ball_points` — W = (w_1, ..., w_m) in B_δ \\ {w_j = 0}, exact rationals;
* :func:`boxes` — small boxes [lo, hi] inside a given interval, for arb certification.
"""

from __future__ import annotations

import sympy as sp
from hypothesis import strategies as st

from fptheory.core.errors import FPTheoryError

__all__ = ["frequency_pairs", "ball_points", "boxes"]


def _rational(numerator: int, denominator: int) -> sp.Rational:
    return sp.Rational(numerator, denominator)


def frequency_pairs(*, k_max: int = 10, denominator: int = 64) -> st.SearchStrategy:
    """Pairs (k1, k2) of exact rationals with 0 < k1 < k2 ≤ k_max."""
    if k_max <= 0 or denominator <= 0:
        raise FPTheoryError("frequency_pairs: k_max and denominator must be positive")
    top = k_max * denominator
    return (st.tuples(st.integers(1, top - 1), st.integers(1, top - 1))
            .filter(lambda p: p[0] != p[1])
            .map(lambda p: (_rational(min(p), denominator), _rational(max(p), denominator))))


def ball_points(*, m: int, delta: sp.Expr, denominator: int = 2**12) -> st.SearchStrategy:
    """W in the open ball B_δ ⊂ R^m (Theorem 1's input weights), no coordinate 0."""
    delta = sp.sympify(delta)
    if m < 1:
        raise FPTheoryError("ball_points: m must be at least 1")
    if not (delta.is_number and delta.is_positive):
        raise FPTheoryError(f"ball_points: delta must be a positive number, got {delta}")
    coordinate = st.integers(-denominator, denominator).filter(bool)

    def scaled(ints: list[int]) -> tuple[sp.Rational, ...]:
        return tuple(delta * _rational(i, denominator) / sp.sqrt(m) for i in ints)

    # |w_j| < δ/√m keeps ‖W‖ < δ; the corners of the cube outside the ball are simply
    # not drawn, which is all these property tests need
    return st.lists(coordinate, min_size=m, max_size=m).map(scaled)


def boxes(*, lo: sp.Expr, hi: sp.Expr, max_width: sp.Expr,
          denominator: int = 2**16) -> st.SearchStrategy:
    """Intervals [a, b] ⊂ [lo, hi] with 0 < b - a ≤ max_width, exact endpoints."""
    lo, hi, max_width = map(sp.sympify, (lo, hi, max_width))
    if not (hi - lo).is_positive or not max_width.is_positive:
        raise FPTheoryError("boxes: need lo < hi and max_width > 0")

    def build(pair: tuple[int, int]) -> tuple[sp.Expr, sp.Expr]:
        t, s = (_rational(v, denominator) for v in pair)
        a = lo + t * (hi - lo)
        width = min(max_width, hi - a) * (s if s > 0 else _rational(1, denominator))
        return a, a + width

    return st.tuples(st.integers(0, denominator - 1), st.integers(1, denominator)).map(build)
