"""Points of a box for the search (fptheory.verify.balls.signs_seen): every sign it reports
is the exact sign of the function at the box's centre or one of its corners, and every
strict sign there is reported."""

import itertools

import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from fptheory.verify.balls import CORNERS_SEEN, signs_seen
from fptheory.verify.kernel import Kernel

X, Y, Z = sp.symbols("x y z", real=True)
small = st.integers(-4, 4)


@settings(max_examples=150, deadline=None)
@given(coefficients=st.lists(small, min_size=6, max_size=6), starts=st.lists(small, min_size=2, max_size=2),
       widths=st.lists(st.integers(0, 3), min_size=2, max_size=2))
def test_the_signs_seen_are_those_at_the_centre_and_corners(coefficients, starts, widths):
    a, b, c, d, e, f = coefficients
    expr = a * X**2 + b * X * Y + c * Y**2 + d * X + e * Y + f
    box = [(sp.Integer(s), sp.Integer(s + w)) for s, w in zip(starts, widths, strict=True)]
    free = [i for i, (lo, hi) in enumerate(box) if lo != hi]
    kernel = Kernel([X, Y])
    seen = signs_seen(lambda point: kernel.enclose(expr, point), box, free)
    points = [[(lo + hi) / 2 for lo, hi in box]]
    points += [list(p) for p in itertools.product(*[(lo, hi) for lo, hi in box])]
    exact = {sp.sign(expr.subs({X: p[0], Y: p[1]})) for p in points}
    assert seen == {s for s in exact if s != 0}


def test_corners_are_looked_at_in_few_free_sides_and_infinite_ends_skipped():
    kernel = Kernel([X, Y, Z])
    one, two = sp.Integer(1), sp.Integer(2)
    # x·y·z - 1/2 on [-1, 1]³: -1/2 at the centre, 1/2 at the corner (1, 1, 1)
    box = [(-one, one)] * 3
    expr = X * Y * Z - sp.Rational(1, 2)
    assert CORNERS_SEEN >= 3
    assert signs_seen(lambda p: kernel.enclose(expr, p), box, [0, 1, 2]) == {1, -1}
    # a side reaching ∞: no centre, and the corners at ∞ skipped
    tail = [(one, sp.oo), (one, two), (one, two)]
    assert signs_seen(lambda p: kernel.enclose(X - 3 * Y, p), tail, [0, 1, 2]) == {-1}
