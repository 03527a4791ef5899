"""Decay classes and spectral peaks, against hand-derived asymptotics."""

import pytest
import sympy as sp

from fptheory.fourier.activations import A_RICKER, REGISTRY
from fptheory.fourier.conventions import ANGULAR, ORDINARY
from fptheory.fourier.decay import decay_of, spectral_peak
from fptheory.fourier.engine import fourier_transform

x = sp.Symbol("x", real=True)
w = sp.Symbol("w", real=True)


@pytest.mark.parametrize(
    "name, conv, kind, rate, power",
    [
        ("tanh", ANGULAR, "exponential", sp.pi / 2, 0),  # |F| = π csch(π|k|/2) ~ 2π e^{-πk/2}
        ("sigmoid", ANGULAR, "exponential", sp.pi, 0),
        ("sech2", ANGULAR, "exponential", sp.pi / 2, 1),  # π|k| csch ~ 2π|k| e^{-πk/2}
        ("tanh", ORDINARY, "exponential", sp.pi**2, 0),  # k → 2πξ
        ("heaviside", ORDINARY, "polynomial", None, 1),
        ("relu", ORDINARY, "polynomial", None, 2),
        ("gaussian", ANGULAR, "gaussian", sp.Rational(1, 2), None),
        ("dirac", ANGULAR, "none", None, 0),
    ],
)
def test_registry_decay_classes(name, conv, kind, rate, power):
    """The chapter's qualitative claims: tanh exponential, H ~ 1/|ξ|, ReLU ~ 1/|ξ|²."""
    d = decay_of(fourier_transform(REGISTRY[name].expression, x, conv))
    assert d.kind == kind
    if rate is not None:
        assert sp.simplify(d.rate - rate) == 0
    if power is not None:
        assert sp.simplify(d.power - power) == 0


def test_polynomial_constants_in_ordinary_convention():
    """|F[H](ξ)| ~ 1/(2π|ξ|), |F[ReLU](ξ)| ~ 1/(4π²ξ²)."""
    h = decay_of(fourier_transform(sp.Heaviside(x), x, ORDINARY))
    r = decay_of(fourier_transform(sp.Max(0, x), x, ORDINARY))
    assert sp.simplify(h.constant - 1 / (2 * sp.pi)) == 0
    assert sp.simplify(r.constant - 1 / (4 * sp.pi**2)) == 0


def test_symbolic_scale_gives_rate_in_abs_w():
    """tanh(wx + b): rate π/(2|w|) for either sign of w; b only enters the phase."""
    d = decay_of(fourier_transform("tanh(w*x + b)"))
    assert d.kind == "exponential"
    assert sp.simplify(d.rate - sp.pi / (2 * sp.Abs(w))) == 0
    assert d.cases == ["w > 0", "w < 0"]


def test_ricker_peak_moves_up_as_a_shrinks():
    """(1.8): k*(a) = √2/a in the angular convention, √2/(2πa) in the ordinary one."""
    for conv, expected in ((ANGULAR, sp.sqrt(2) / A_RICKER),
                           (ORDINARY, sp.sqrt(2) / (2 * sp.pi * A_RICKER))):
        peak = spectral_peak(fourier_transform(REGISTRY["ricker_chapter"].expression, x, conv))
        assert sp.simplify(peak.location - expected) == 0
        assert sp.simplify(peak.derivatives["a"]).is_negative


def test_peak_is_a_maximum_numerically():
    """Independent check: |F| on a grid around k* is largest at k*."""
    r = fourier_transform(REGISTRY["ricker_wavelet"].expression.subs(A_RICKER, sp.Rational(3, 10)),
                          x, ANGULAR)
    peak = spectral_peak(r)
    f = sp.lambdify(sp.Symbol("k", real=True), sp.Abs(r.regular))
    k_star = float(peak.location)
    assert f(k_star) > max(f(k_star * 0.97), f(k_star * 1.03))


def test_monotone_transforms_have_no_peak():
    assert spectral_peak(fourier_transform("exp(-x**2/2)")) is None
    assert spectral_peak(fourier_transform("tanh(x)")) is None
