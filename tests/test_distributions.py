"""Spectrum operations against the identities in fptheory/fourier/distributions.py: small explicit
cases, and random cases checked by pairing with test functions,
⟨c δ^{(n)}(ω - a), φ⟩ = c (-1)^n φ^{(n)}(a)."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from fptheory.fourier.distributions import DeltaTerm, Spectrum

W = sp.Symbol("omega", real=True)
PHIS = [
    sp.exp(-((W - sp.Rational(1, 3)) ** 2)) * (1 + sp.Rational(2, 5) * W),
    sp.exp(-((W + sp.Rational(1, 2)) ** 2) / 2) * (1 - W + W**3 / 7),
]


def delta(coefficient, order=0, at=0) -> Spectrum:
    return Spectrum(W, sp.Integer(0), (DeltaTerm(sp.sympify(coefficient), order, sp.sympify(at)),))


def pair(spectrum: Spectrum, phi: sp.Expr) -> sp.Expr:
    """⟨singular part, φ⟩, computed from the definition of δ^{(n)}."""
    return sp.Add(*(d.coefficient * (-1) ** d.order * sp.diff(phi, W, d.order).subs(W, d.at)
                    for d in spectrum.deltas))


def assert_equal_numbers(a: sp.Expr, b: sp.Expr) -> None:
    assert abs(sp.N(a - b, 40)) < sp.Float(10) ** -30 * (1 + abs(sp.N(b, 40)))


def _rational(f: Fraction) -> sp.Rational:
    return sp.Rational(f.numerator, f.denominator)


rationals = st.fractions(min_value=-3, max_value=3, max_denominator=7).map(_rational)
nonzero = rationals.filter(lambda r: r != 0)
orders = st.integers(min_value=0, max_value=3)
smooth = st.sampled_from([W, W**2 - 3 * W + 1, sp.exp(2 * W), sp.exp(sp.I * W / 3) * (1 + W**3),
                          sp.cos(W)])


# ------------------------------------------------------------------------------------------
# multiply_smooth: g δ^{(n)}(ω - ω₀) = Σ_m (-1)^m C(n, m) g^{(m)}(ω₀) δ^{(n-m)}(ω - ω₀)

def test_omega_times_delta_prime_is_minus_delta():
    """ω · δ'(ω) = -δ(ω)."""
    assert delta(1, 1).multiply_smooth(W).deltas == (DeltaTerm(-1, 0, 0),)


def test_omega_times_delta_is_zero():
    """ω · δ(ω) = 0: no δ term survives."""
    assert delta(1, 0).multiply_smooth(W).deltas == ()


def test_omega_squared_times_delta_second():
    """ω² · δ''(ω) = 2δ(ω)."""
    assert delta(1, 2).multiply_smooth(W**2).deltas == (DeltaTerm(2, 0, 0),)


def test_exponential_times_delta_second_at_one():
    """e^{2ω} δ''(ω - 1) = e²(δ'' - 4δ' + 4δ)(ω - 1)."""
    got = delta(1, 2, 1).multiply_smooth(sp.exp(2 * W))
    e2 = sp.exp(2)
    expected = {(2, e2), (1, -4 * e2), (0, 4 * e2)}
    assert {(d.order, sp.simplify(d.coefficient)) for d in got.deltas} == expected
    assert all(d.at == 1 for d in got.deltas)


def test_multiply_smooth_regular_and_poles():
    """ω · fp(ω^{-2}) = p.v.(1/ω) (pole kept); ω · p.v.(1/ω) = 1 (pole removed)."""
    fp = Spectrum(W, 1 / W**2, (), (sp.Integer(0),))
    pv = fp.multiply_smooth(W)
    assert sp.simplify(pv.regular - 1 / W) == 0 and pv.poles == (0,)
    one = pv.multiply_smooth(W)
    assert one.regular == 1 and one.poles == ()


@settings(max_examples=25, deadline=None)
@given(n=orders, at=rationals, c=nonzero, g=smooth)
def test_multiply_smooth_is_the_adjoint_action(n, at, c, g):
    """⟨g T, φ⟩ = ⟨T, g φ⟩ for T = c δ^{(n)}(ω - a)."""
    t = delta(c, n, at)
    product = t.multiply_smooth(g)
    assert all(not d.coefficient.has(W) for d in product.deltas)
    assert all(d.order <= n and d.at == at for d in product.deltas)
    for phi in PHIS:
        assert_equal_numbers(pair(product, phi), pair(t, g * phi))


# ------------------------------------------------------------------------------------------
# dilate: T(λω), δ^{(n)}(λy) = δ^{(n)}(y)/(|λ| λ^n)

@pytest.mark.parametrize("n,lam,expected", [
    (0, -2, sp.Rational(1, 2)), (1, -2, -sp.Rational(1, 4)), (2, 3, sp.Rational(1, 27)),
    (3, -sp.Rational(1, 2), -16),
])
def test_dilate_delta_at_zero(n, lam, expected):
    """δ^{(n)}(λω) = δ^{(n)}(ω)/(|λ| λ^n)."""
    assert delta(1, n).dilate(sp.sympify(lam)).deltas == (DeltaTerm(expected, n, 0),)


def test_dilate_moves_points_and_poles():
    """T(λω) for T = δ(ω - 1) + fp(1/(ω - 1)): point and pole move to 1/λ."""
    t = Spectrum(W, 1 / (W - 1), (DeltaTerm(sp.Integer(1), 0, sp.Integer(1)),), (sp.Integer(1),))
    d = t.dilate(sp.Integer(-4))
    assert d.deltas == (DeltaTerm(sp.Rational(1, 4), 0, -sp.Rational(1, 4)),)
    assert d.poles == (-sp.Rational(1, 4),)
    assert sp.simplify(d.regular - 1 / (-4 * W - 1)) == 0


@settings(max_examples=25, deadline=None)
@given(n=orders, at=rationals, c=nonzero, lam=nonzero)
def test_dilate_is_the_adjoint_action(n, at, c, lam):
    """⟨T(λ·), φ⟩ = ⟨T, φ(·/λ)⟩ / |λ|."""
    t = delta(c, n, at)
    d = t.dilate(lam)
    for phi in PHIS:
        assert_equal_numbers(pair(d, phi), pair(t, phi.subs(W, W / lam)) / abs(lam))


# ------------------------------------------------------------------------------------------
# shift, differentiate, linear structure

@settings(max_examples=20, deadline=None)
@given(n=orders, at=rationals, c=nonzero, a=rationals)
def test_shift_is_the_adjoint_action(n, at, c, a):
    """⟨T(· - a), φ⟩ = ⟨T, φ(· + a)⟩; poles move by a."""
    t = Spectrum(W, 1 / (W - at), (DeltaTerm(c, n, at),), (at,))
    s = t.shift(a)
    assert s.poles == (at + a,)
    assert sp.simplify(s.regular - 1 / (W - a - at)) == 0
    for phi in PHIS:
        assert_equal_numbers(pair(s, phi), pair(t, phi.subs(W, W + a)))


@settings(max_examples=20, deadline=None)
@given(n=orders, at=rationals, c=nonzero)
def test_differentiate_is_the_adjoint_action(n, at, c):
    """⟨T', φ⟩ = -⟨T, φ'⟩; the order goes up by one."""
    t = delta(c, n, at)
    d = t.differentiate()
    assert [e.order for e in d.deltas] == [n + 1]
    for phi in PHIS:
        assert_equal_numbers(pair(d, phi), -pair(t, sp.diff(phi, W)))


def test_differentiate_principal_value():
    """d/dω p.v.(1/ω) = -fp(1/ω²): regular part differentiated, pole kept."""
    pv = Spectrum(W, 1 / W, (), (sp.Integer(0),))
    d = pv.differentiate()
    assert sp.simplify(d.regular + 1 / W**2) == 0 and d.poles == (0,)


def test_sum_merges_equal_points_and_drops_zeros():
    """δ(ω - 1/2) + δ(ω - 2/4) = 2δ(ω - 1/2); δ - δ = 0; different orders stay apart."""
    half = delta(1, 0, sp.Rational(1, 2))
    also_half = Spectrum(W, sp.Integer(0), (DeltaTerm(sp.Integer(1), 0, sp.Rational(2, 4)),))
    assert (half + also_half).deltas == (DeltaTerm(2, 0, sp.Rational(1, 2)),)
    assert (delta(3, 1) + delta(-3, 1)).deltas == ()
    assert len((delta(1, 0) + delta(1, 1)).deltas) == 2


def test_sum_of_different_variables_is_an_error():
    """Spectra in different variables do not add."""
    with pytest.raises(ValueError):
        delta(1) + Spectrum.zero(sp.Symbol("k", real=True))


def test_scale_multiplies_regular_and_deltas():
    """c · (R + a δ') = cR + ca δ'."""
    t = Spectrum(W, 1 / W, (DeltaTerm(sp.Integer(2), 1, sp.Integer(0)),), (sp.Integer(0),))
    s = t.scale(sp.I * 3)
    assert sp.simplify(s.regular - 3 * sp.I / W) == 0
    assert s.deltas == (DeltaTerm(6 * sp.I, 1, 0),)


def test_to_sympy_and_rename():
    """3 δ''(ω - 1) renders as 3·DiracDelta(ω - 1, 2); rename keeps δ terms and poles."""
    t = Spectrum(W, 1 / W, (DeltaTerm(sp.Integer(3), 2, sp.Integer(1)),), (sp.Integer(0),))
    assert t.singular_sympy() == 3 * sp.DiracDelta(W - 1, 2)
    assert t.to_sympy() == 1 / W + 3 * sp.DiracDelta(W - 1, 2)
    assert DeltaTerm(sp.Integer(5), 0, sp.Integer(0)).to_sympy(W) == 5 * sp.DiracDelta(W)
    k = sp.Symbol("k", real=True)
    r = t.rename(k)
    assert r.regular == 1 / k and r.deltas == t.deltas and r.poles == t.poles
    assert r.singular_sympy() == 3 * sp.DiracDelta(k - 1, 2)
    assert t.has_pv and not Spectrum.zero(W).has_pv


def test_simplified_keeps_the_distribution():
    """simplified() changes neither values nor δ terms."""
    t = Spectrum(W, (sp.exp(W) - sp.exp(-W)) / 2 / W, (DeltaTerm(sp.sin(1) ** 2 + sp.cos(1) ** 2, 0,
                                                                  sp.Integer(0)),))
    s = t.simplified()
    assert s.deltas == (DeltaTerm(1, 0, 0),)
    for w in (sp.Rational(1, 3), sp.Integer(-2)):
        assert_equal_numbers(s.regular.subs(W, w), t.regular.subs(W, w))
