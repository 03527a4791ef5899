"""The third-order Taylor models of fptheory.verify.cubic: every model holds the expression's
values on its box (checked against mpmath at 50 digits, an independent evaluation, on the
same expressions and boxes as the second-order models), its error falls like width⁴, its
guards refuse where a function leaves its domain, and the ``quadratic`` judgement closes
with it what the second-order model leaves open."""

import itertools

import mpmath
import pytest
import sympy as sp
from flint import arb, ctx
from hypothesis import given, settings
from hypothesis import strategies as st
from test_quadratic import MODELS, OUTSIDE_DOMAIN, _balls, _box, _errors_as_boxes_halve, _values

from fptheory.verify.backends import Undefined
from fptheory.verify.cubic import cubic_form, cubic_low, taylor_model_low
from fptheory.verify.kernel import Kernel
from fptheory.verify.quadratic import quadratic_low

u, v, w = sp.symbols("u v w", real=True)


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(range(len(MODELS))), st.lists(st.integers(0, 15), min_size=3, max_size=3),
       st.lists(st.integers(0, 16), min_size=3, max_size=3))
def test_the_model_holds_every_value(which, starts, widths):
    expr, box = MODELS[which], _box(starts, widths)
    ctx.prec = 100
    model = cubic_form(expr, [u, v, w], _balls(box))
    low, high, tight = model.low(), model.high(), model.tight_low()
    combined = taylor_model_low(expr, [u, v, w], _balls(box))
    with mpmath.workdps(50):
        slack = mpmath.mpf(10) ** -25
        for value in _values(expr, box):
            assert low.lower() <= value + slack, (expr, box)
            assert tight.lower() <= value + slack, (expr, box)
            assert combined.lower() <= value + slack, (expr, box)
            assert value - slack <= high.upper(), (expr, box)


def test_the_error_falls_like_the_fourth_power_of_the_width():
    errors = _errors_as_boxes_halve(cubic_form)
    assert all(a / b > 12 for a, b in itertools.pairwise(errors))  # 16 for a pure fourth power


def test_cubic_terms_that_cancel_are_kept():
    # (u + v)³ - u³ - 3u²v - 3uv² - v³ + 1 is 1; the second-order model bounds each product's
    # cubic terms on its own
    one = (u + v) ** 3 - u**3 - 3 * u**2 * v - 3 * u * v**2 - v**3 + 1
    ctx.prec = 100
    box = {u: arb(1, 0.5), v: arb(1, 0.5)}
    assert abs(float(cubic_low(one, [u, v], box)) - 1) < 1e-12
    assert float(quadratic_low(one, [u, v], box)) < 0
    kernel = Kernel([u, v])
    sides = [(sp.Rational(1, 2), sp.Rational(3, 2))] * 2
    assert kernel.quadratic(one - sp.Rational(999, 1000), sides, True)
    assert not kernel.quadratic(one - sp.Rational(1001, 1000), sides, False)


@pytest.mark.parametrize("expr, box", OUTSIDE_DOMAIN)
def test_a_function_outside_its_domain_is_refused(expr, box):
    with pytest.raises(Undefined):
        cubic_form(expr, list(box), _balls(box))


@settings(max_examples=40, deadline=None)
@given(st.integers(-8, 8), st.integers(-8, 8), st.integers(1, 6), st.integers(1, 6))
def test_a_polynomial_keeps_its_exact_terms_to_degree_three(a, b, i, j):
    """Through powers (function applications) and products, the kept coefficients of a
    polynomial's model are its exact Taylor coefficients at the box's centre (sympy's
    expansion in ε), and the terms of higher degree lie within the error."""
    expr = (u + v**2 + u * v) ** 3 + (u - v) ** 2 * (u + 1) - (u * v) ** 2 * v
    centre, radius = {u: sp.Rational(a, 8), v: sp.Rational(b, 8)}, {u: sp.Rational(i, 16),
                                                                    v: sp.Rational(j, 32)}
    ctx.prec = 120
    balls = {s: arb(float(centre[s]), float(radius[s])) for s in (u, v)}
    model = cubic_form(expr, [u, v], balls)

    def exact(b: arb) -> sp.Rational:  # (a ball's radius is a 30-bit bound, rounded up)
        man, exp = b.man_exp()
        return sp.Integer(int(man)) * sp.Integer(2) ** int(exp)
    centre = {s: exact(b.mid()) for s, b in balls.items()}
    radius = {s: exact(b.rad()) for s, b in balls.items()}
    eps = sp.symbols("e0 e1")
    shifted = sp.Poly(sp.expand(expr.subs({s: centre[s] + radius[s] * e for s, e in
                                           zip((u, v), eps, strict=True)})), *eps)
    kept, rest = {}, sp.Integer(0)
    for (p, q), coefficient in shifted.terms():
        if p + q == 0:
            assert abs(float(model.c) - float(coefficient)) < 1e-25
        elif p + q <= 3:
            kept[(0,) * p + (1,) * q] = coefficient
        else:
            rest += abs(coefficient)
    assert set(model.a) <= set(kept)
    for key, coefficient in kept.items():
        assert abs(float(model.a.get(key, arb(0))) - float(coefficient)) < 1e-25, key
    assert float(model.dn.upper()) >= 0 and float(model.up.upper()) >= 0
    assert float(model.dn.max(model.up).upper()) >= float(rest) * (1 - 1e-20) or rest == 0


def test_the_third_order_is_tried_above_its_floor_or_on_a_polynomial(monkeypatch):
    from fptheory.verify import cubic
    calls = []
    original = cubic.cubic_low
    monkeypatch.setattr(cubic, "cubic_low", lambda *args: calls.append(args) or original(*args))
    ctx.prec = 100
    box = {u: arb(1, 0.5), v: arb(1, 0.5)}
    margin = sp.exp(u * v) - u - v
    second = cubic.quadratic_form(margin, [u, v], box)
    low, error = second.tight_low(), second.dn.max(second.up)
    for share, tried in ((0.5, True), (0.9, False)):
        # the polynomial's least value at (1 - share) of the error: above or below the floor
        shift = sp.Rational(float(low + share * error))
        calls.clear()
        taylor_model_low(margin - shift, [u, v], box)
        assert bool(calls) is tried, share
    cubic_margin = (u + v) ** 3 - u**3 - 3 * u**2 * v - 3 * u * v**2 - v**3 + 1
    polynomial = cubic.quadratic_form(cubic_margin, [u, v], box)
    just = sp.Rational(float(polynomial.tight_low() + 0.99 * polynomial.up))
    calls.clear()
    assert taylor_model_low(cubic_margin - just, [u, v], box) > 0 and calls
