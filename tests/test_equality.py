"""Exact zeros of numbers (fptheory.verify.equality): sums of inverse trigonometric angles
shown 0 by the argument of an algebraic product (angle_sum_is_zero), checked against
mpmath at 60 digits on random inputs, on the classic identities and their near misses;
and a bound sharp at such a point certified and re-checked, its strict form not."""

from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from fptheory.verify import prove
from fptheory.verify.claims import Verdict
from fptheory.verify.equality import angle_sum_is_zero, zero_at

_FUNCTIONS = {"atan": sp.atan, "acos": sp.acos, "asin": sp.asin}
_ARGUMENTS = [sp.Rational(1, 2), sp.Rational(1, 3), sp.Rational(1, 5), sp.Rational(1, 239),
              sp.Integer(2), sp.Integer(3), sp.sqrt(2) / 4, 2 * sp.sqrt(2), sp.Rational(1, 3),
              sp.sqrt(3) / 2, sp.Rational(-1, 7), sp.Integer(1), sp.Integer(-1)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(sorted(_FUNCTIONS)), st.sampled_from(_ARGUMENTS),
                          st.integers(-4, 4)), min_size=1, max_size=4),
       st.fractions(-3, 3, max_denominator=4))
def test_a_sum_shown_zero_is_zero(angles, multiple_of_pi):
    """Whatever the sum, True only where its 60-digit value is 0 (to 50 digits)."""
    value = sp.Add(*[k * _FUNCTIONS[f](a) for f, a, k in angles]) \
        + sp.Rational(multiple_of_pi.numerator, multiple_of_pi.denominator) * sp.pi
    numeric = sp.N(value, 60)
    if angle_sum_is_zero(value):
        assert abs(numeric) < sp.Float(10)**-50, value


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.fractions(Fraction(1, 30), 30, max_denominator=30),
                          st.integers(-3, 3)), min_size=1, max_size=3))
def test_sums_of_complementary_angles_are_shown_zero(pairs):
    """Σ k·(atan a + atan(1/a) − π/2) for rationals a > 0: 0, and shown so (sympy's
    evaluation leaves most of these sums as typed)."""
    value = sp.Add(*[k * (sp.atan(sp.Rational(a.numerator, a.denominator))
                          + sp.atan(sp.Rational(a.denominator, a.numerator)) - sp.pi / 2)
                     for a, k in pairs])
    assert value == 0 or angle_sum_is_zero(value), value


@pytest.mark.parametrize("value", [
    sp.pi / 2 - sp.atan(2 * sp.sqrt(2)) - sp.atan(sp.sqrt(2) / 4),  # atan a + atan(1/a)
    2 * sp.atan(sp.Rational(1, 3)) + sp.atan(sp.Rational(1, 7)) - sp.pi / 4,  # Hermann
    sp.pi / 4 - sp.atan(sp.Rational(1, 2)) - sp.atan(sp.Rational(1, 3)),
    sp.acos(sp.Rational(1, 3)) - sp.atan(2 * sp.sqrt(2)),
    sp.asin(sp.sqrt(2) / 3) - sp.atan(sp.sqrt(14) / 7),
    2 * sp.atan(sp.Rational(1, 2)) - sp.atan(sp.Rational(4, 3)),
    sp.acos(sp.Rational(3, 5)) - sp.asin(sp.Rational(4, 5)),
    3 * sp.pi / 2 - 3 * sp.acos(sp.Rational(1, 3)) - 3 * sp.atan(sp.sqrt(2) / 4),  # taum at y = 2
    sp.acos(sp.Rational(-1, 3)) + sp.acos(sp.Rational(1, 3)) - sp.pi,
])
def test_classic_identities_are_shown_zero(value):
    assert value != 0  # (sympy's evaluation leaves it as typed)
    assert abs(sp.N(value, 50)) < 1e-45  # (the identity itself, independently)
    assert angle_sum_is_zero(value)


@pytest.mark.parametrize("value", [
    sp.pi / 4 - sp.atan(sp.Rational(1, 2)) - sp.atan(sp.Rational(1, 4)),  # 0.0867
    sp.pi / 4 - 4 * sp.atan(sp.Rational(1, 5)) + sp.atan(sp.Rational(1, 240)),  # 1.7e-5
    5 * sp.pi / 2 - sp.atan(2 * sp.sqrt(2)) - sp.atan(sp.sqrt(2) / 4),  # 2π, not 0
    sp.pi / 2 - sp.atan(2 * sp.sqrt(2)) - sp.atan(sp.sqrt(2) / 4) + sp.Rational(1, 10**40),
    sp.acos(2) - sp.acos(2),  # (sympy's 0 already)
    sp.atan(sp.pi) - sp.atan(sp.pi),
    sp.pi / 2 - sp.atan(sp.E) - sp.atan(1 / sp.E),  # 0, but e is not algebraic: not claimed
])
def test_near_misses_and_other_numbers_are_not_shown_zero(value):
    if value == 0:
        return
    assert not angle_sum_is_zero(value)


def test_zero_at_uses_the_angles_where_simplify_does_not():
    y = sp.Symbol("y", real=True)
    expr = 3 * sp.pi / 2 - 3 * sp.acos(y / 3) - 3 * sp.atan(sp.sqrt(2) / 4)
    assert zero_at(expr, [y], [1], 5.0)
    assert not zero_at(expr, [y], [Fraction(11, 10)], 5.0)


@pytest.mark.parametrize("shift", ["x", "x**2"])
def test_a_bound_sharp_where_two_angles_make_a_right_angle_is_certified(shift, certified):
    """atan(2√2) + atan(√2/4 + x) ≥ π/2 on [0, 1]: 0 at x = 0 exactly (a·(1/a) = 1),
    increasing; sympy's simplify leaves the value at 0 as it is, the angles show it 0. The
    strict form is not certified."""
    statement = f"atan(2*sqrt(2)) + atan(sqrt(2)/4 + {shift}) >= pi/2"
    certified(statement, "0<=x<=1")
    r = prove(statement.replace(">=", ">"), "0<=x<=1", time_limit=4)
    assert r.verdict is not Verdict.CERTIFIED
