"""Signs by parts off the domain's excluded ends (fptheory.verify.signs): every claimed
sign holds at exact points of the box off those ends, and nothing is claimed from an end
that is not excluded or from a side that is the excluded end itself."""

from fractions import Fraction

import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from fptheory.verify.kernel import Kernel
from fptheory.verify.signs import beyond_excluded_end

X, Y = sp.symbols("x y", real=True)
small = st.fractions(min_value=-4, max_value=4, max_denominator=6)


@settings(max_examples=300, deadline=None)
@given(k=small, c=small, a=small, width=st.fractions(min_value=0, max_value=3, max_denominator=4),
       low_excluded=st.booleans(), high_excluded=st.booleans())
def test_a_claimed_sign_of_a_linear_term_holds_off_the_excluded_ends(
        k, c, a, width, low_excluded, high_excluded):
    lo, hi = sp.Rational(a), sp.Rational(a + width)
    excluded = {X: (lo if low_excluded else None, hi if high_excluded else None)}
    expr = sp.Rational(k) * X + sp.Rational(c)
    claim = beyond_excluded_end(expr, [X], [(lo, hi)], excluded)
    if claim == 0:
        return
    assert width > 0 and k != 0
    points = [a + width * Fraction(t, 16) for t in range(17)]
    inside = [p for p in points if not (low_excluded and p == a)
              and not (high_excluded and p == a + width)]
    for p in inside:
        value = k * p + c
        assert (value > 0) if claim == 2 else (value < 0), (expr, lo, hi, excluded, p)
    # the end it leans on is excluded: at that end the value may be 0
    assert low_excluded or high_excluded


def test_nothing_is_claimed_from_an_included_end_or_a_face():
    one, two = sp.Integer(1), sp.Integer(2)
    assert beyond_excluded_end(X - 1, [X], [(one, two)], {}) == 0
    assert beyond_excluded_end(X - 1, [X], [(one, two)], {X: (None, two)}) == 0
    assert beyond_excluded_end(X - 1, [X], [(one, one)], {X: (one, None)}) == 0
    assert beyond_excluded_end(X - 1, [X], [(one, two)], {X: (one, None)}) == 2
    assert beyond_excluded_end(X**2 - 1, [X], [(one, two)], {X: (one, None)}) == 0
    assert beyond_excluded_end(X - Y, [X, Y], [(one, two), (one, two)], {X: (one, None)}) == 0


def test_products_and_sums_take_their_parts_signs_off_the_excluded_corner():
    kernel = Kernel([X, Y])
    box = [(sp.Integer(0), sp.Integer(1)), (sp.Integer(0), sp.Integer(1))]
    corner = {X: (sp.Integer(0), None), Y: (sp.Integer(0), None)}
    assert kernel.open_sign(X**2 * (X + Y), box, corner)
    assert not kernel.open_sign(X**2 * (X + Y), box, {Y: (sp.Integer(0), None)})  # x = 0 in
    assert not kernel.open_sign(X * (X - Y), box, corner)
    assert kernel.sign(X * Y, box) == 1 and kernel.sign(X * Y, box, excluded=corner) == 2
