"""The sampling before the search (fptheory.verify.sampling): a violation on its grid or at
its random points is reported only as an exactly checked point, and the sampling stops at
its time cap (the search then goes on with the float hunt and the boxes)."""

import sympy as sp

from fptheory.verify import Domain
from fptheory.verify.sampling import _sample

X, Y = sp.symbols("x y", real=True)


def _checked(found: list):
    def check(point, undefined):
        found.append(point)
        return point if (X**2 + Y**2 - sp.Rational(1, 2)).xreplace(point) < 0 else None
    return check


def test_a_violation_on_the_grid_is_reported_as_the_checked_point():
    found: list = []
    witness, count = _sample(X**2 + Y**2 - sp.Rational(1, 2), Domain.parse("-1<=x<=1, -1<=y<=1"),
                             False, 50, 0, 30, _checked(found))
    assert witness is not None and witness in found and count >= 1
    assert (X**2 + Y**2 - sp.Rational(1, 2)).xreplace(witness) < 0


def test_no_point_is_evaluated_past_the_time_cap():
    found: list = []
    g = X**2 + Y**2 + 1  # no violation: every point would be evaluated
    _, all_points = _sample(g, Domain.parse("-1<=x<=1, -1<=y<=1"), False, 50, 0, 30, _checked(found))
    assert all_points > 50
    witness, count = _sample(g, Domain.parse("-1<=x<=1, -1<=y<=1"), False, 50, 0, 30,
                             _checked(found), seconds=0.0)
    assert witness is None and count == 0 and found == []
