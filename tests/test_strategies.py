"""Property-based checks of Theorem 1's steps on random draws (fptheory.verify.strategies):
points at 50 digits, small boxes certified by arb."""

import mpmath
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from fptheory.core.errors import FPTheoryError
from fptheory.verify import Domain, certify
from fptheory.verify.claims import Verdict
from fptheory.verify.strategies import ball_points, boxes, frequency_pairs

SETTINGS = settings(max_examples=15, deadline=None)


@SETTINGS
@given(frequency_pairs(), ball_points(m=3, delta=sp.Rational(1, 2)))
def test_strategies_draw_what_they_promise(pair, w):
    k1, k2 = pair
    assert 0 < k1 < k2
    assert all(wj != 0 for wj in w) and sum(wj**2 for wj in w) < sp.Rational(1, 4)


@SETTINGS
@given(frequency_pairs(), ball_points(m=1, delta=1))
def test_sharp_sinh_ratio_bound_at_50_digits(pair, w):
    """(1.14) with the sharp constant 1: |sinh(πk1/2w)/sinh(πk2/2w)| < e^{-π(k2-k1)/(2|w|)}."""
    (k1, k2), (w1,) = pair, w
    with mpmath.workdps(50):
        k1, k2, w1 = (mpmath.mpf(sp.Rational(v).p) / sp.Rational(v).q for v in (k1, k2, w1))
        u1 = mpmath.pi * k1 / (2 * abs(w1))
        ratio = abs(mpmath.sinh(mpmath.pi * k1 / (2 * w1)) / mpmath.sinh(mpmath.pi * k2 / (2 * w1)))
        bound = mpmath.exp(-mpmath.pi * (k2 - k1) / (2 * abs(w1)))
        # the relative gap is about e^{-2 u1}: strict where 50 digits resolve it, else equal
        # up to the rounding of a 50-digit evaluation
        if mpmath.exp(-2 * u1) > mpmath.mpf(10) ** -40:
            assert ratio < bound
        else:
            assert ratio <= bound * (1 + mpmath.mpf(10) ** -45)


@SETTINGS
@given(frequency_pairs(k_max=4), st.integers(-40, 40).filter(bool), st.integers(0, 60),
       st.floats(0.1, 3), st.floats(0.1, 3), st.floats(-3, 3), st.floats(-3, 3))
def test_a_gradient_ratio_is_the_1_11_product(pair, w_int, b_int, amp1, amp2, p1, p2):
    """|∂L(k2)/∂a| / |∂L(k1)/∂a| = (A2/A1)|sinh(u1)/sinh(u2)||sin ψ2/sin ψ1| (1.11), 50 digits."""
    from fptheory.fourier.engine import K
    from fptheory.theory.theorem1 import NEURON, PHI, A, polar_gradients

    grad = polar_gradients()["a"]
    fn = sp.lambdify((K, NEURON.w[0], NEURON.b[0], A, PHI), grad, "mpmath")
    (k1, k2), w, b = pair, sp.Rational(w_int, 20), sp.Rational(b_int, 10)
    with mpmath.workdps(50):
        args = [mpmath.mpf(v.p) / v.q for v in (k1, k2, w, b)]
        k1m, k2m, wm, bm = args
        g1, g2 = fn(k1m, wm, bm, amp1, p1), fn(k2m, wm, bm, amp2, p2)
        u1, u2 = mpmath.pi * k1m / (2 * wm), mpmath.pi * k2m / (2 * wm)
        s1, s2 = mpmath.sin(bm * k1m / wm - p1), mpmath.sin(bm * k2m / wm - p2)
        if abs(s1) < mpmath.mpf(10) ** -30 or abs(g1) == 0:
            return
        product = (mpmath.mpf(amp2) / amp1) * abs(mpmath.sinh(u1) / mpmath.sinh(u2)) * abs(s2 / s1)
        assert abs(abs(g2 / g1) - product) <= mpmath.mpf(10) ** -40 * product


@settings(max_examples=8, deadline=None)
@given(boxes(lo=0, hi=sp.pi / 2, max_width=sp.Rational(1, 4)))
def test_jordan_inequality_certified_on_random_small_boxes(box):
    x = sp.Symbol("x", real=True)
    a, b = box
    r = certify(2 * x / sp.pi <= sp.sin(x), Domain({x: (a, b)}), time_limit=30)
    assert r.verdict is Verdict.CERTIFIED


@settings(max_examples=8, deadline=None)
@given(boxes(lo=sp.Rational(1, 10), hi=5, max_width=sp.Rational(1, 2)),
       boxes(lo=sp.Rational(1, 10), hi=5, max_width=sp.Rational(1, 2)))
def test_sharp_1_14_factor_certified_on_random_small_boxes(u_box, d_box):
    """(1 - e^{-2u1})/(1 - e^{-2(u1+d)}) ≤ 1: the constant 1 of (1.14), by arb on boxes."""
    u1, d = sp.symbols("u1 d", real=True)
    factor = (1 - sp.exp(-2 * u1)) / (1 - sp.exp(-2 * (u1 + d)))
    r = certify(factor <= 1, Domain({u1: u_box, d: d_box}), time_limit=30)
    assert r.verdict is Verdict.CERTIFIED


def test_strategies_validate_their_arguments_eagerly():
    with pytest.raises(FPTheoryError, match="positive number"):
        ball_points(m=2, delta=-1)
    with pytest.raises(FPTheoryError, match="at least 1"):
        ball_points(m=0, delta=1)
    with pytest.raises(FPTheoryError, match="lo < hi"):
        boxes(lo=1, hi=0, max_width=1)
