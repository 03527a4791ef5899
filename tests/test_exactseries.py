"""Exact Taylor coefficients over ℚ (fptheory.verify.exactseries): every coefficient it
gives is sympy's k-th derivative over k! at the same rational point (an independent
computation), and it gives none where the expansion leaves ℚ or is not analytic."""

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from fptheory.verify.exactseries import taylor_coefficient

X, Y = sp.symbols("x y", real=True)

atoms = st.sampled_from([X, Y, sp.Integer(1), sp.Integer(2), sp.Rational(-1, 3), X + 1, 1 - Y])


def _grow(children):
    unary = st.sampled_from([sp.exp, sp.sin, sp.cos, sp.atan, sp.log, sp.sqrt, sp.tanh,
                             sp.Abs, lambda e: 1 / e, lambda e: e**3])
    return st.one_of(
        st.tuples(children, children).map(lambda p: p[0] + p[1]),
        st.tuples(children, children).map(lambda p: p[0] * p[1]),
        st.tuples(unary, children).map(lambda p: p[0](p[1])))


expressions = st.recursive(atoms, _grow, max_leaves=6)
points = st.sampled_from([sp.Integer(0), sp.Integer(1), sp.Rational(1, 2), sp.Integer(-1),
                          sp.Integer(3)])


@settings(max_examples=150, deadline=None)
@given(expressions, points, points, st.sampled_from([0, 1, 2, 3, 4, 11]))
def test_every_coefficient_given_is_sympys_derivative_over_k_factorial(expr, x0, y0, k):
    got = taylor_coefficient(expr, X, {X: x0, Y: y0}, k)
    if got is None:
        return
    expected = sp.diff(expr, X, k).subs({X: x0, Y: y0}) / sp.factorial(k)
    assert sp.Rational(int(got.p), int(got.q)) == sp.nsimplify(sp.simplify(expected)), \
        (expr, x0, y0, k)


def test_the_pade_bound_of_exp_vanishes_to_its_contact_order_at_0():
    """Paulson's eˣ ≤ P₆(x)/P₆(−x): the margin's coefficients vanish up to t¹², the 13th is
    not 0 — sympy's 13-fold diff of this runs for minutes."""
    p = sum(sp.factorial(12 - j) / (sp.factorial(j) * sp.factorial(6 - j)) * X**j for j in range(7))
    margin = p / p.subs(X, -X) - sp.exp(X)
    coefficients = [taylor_coefficient(margin, X, {X: 0}, k) for k in range(14)]
    assert all(c == 0 for c in coefficients[:13]) and coefficients[13] != 0


@pytest.mark.parametrize("expr, at", [
    (sp.exp(X), 1),            # e
    (sp.pi * X, 0),            # π
    (sp.log(X), 2),            # log 2
    (sp.sqrt(X), 2),           # √2
    (sp.sqrt(X), 0),           # not analytic at 0
    (X**sp.Rational(1, 3), -8),  # a root of a negative number
    (sp.Abs(X), 0),            # a kink
    (1 / X, 0),                # a pole
    (sp.acos(X), 0),           # π/2
    (X**Y, 1),                 # a symbolic exponent
])
def test_no_coefficient_where_the_expansion_leaves_the_rationals(expr, at):
    assert taylor_coefficient(expr, X, {X: sp.Integer(at), Y: sp.Integer(1)}, 2) is None


def test_roots_of_rational_powers_are_expanded():
    assert taylor_coefficient(sp.sqrt(X), X, {X: sp.Rational(9, 4)}, 1) == sp.Rational(1, 3)
    assert taylor_coefficient(sp.Abs(X - 2), X, {X: 0}, 1) == -1
