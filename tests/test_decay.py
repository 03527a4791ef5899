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


# ------------------------------------------------------------------------------------------
# decay read from the structure, cross-checked against sympy limits

def _agree(a, b) -> bool:
    """Same class, rate and power; the same constant where both found one."""
    same = a.kind == b.kind and all(
        sp.simplify(sp.sympify(getattr(a, f) or 0) - (getattr(b, f) or 0)) == 0
        for f in ("rate", "power"))
    return same and (a.constant is None or b.constant is None
                     or sp.simplify(a.constant - b.constant) == 0)


_SLOW_LIMITS = {"tanh", "sigmoid", "sech2", "x*tanh(x)", "tanh(w*x + b)", "diff(tanh(x), x)"}
_CROSS = [n for n in REGISTRY] + ["x*tanh(x)", "tanh(w*x + b)", "diff(tanh(x), x)",
                                  "(x - 1)*Heaviside(x - 1)", "sin(2*x)*Heaviside(x)",
                                  "Abs(w*x + 1)", "x**2*DiracDelta(x - 1, 1)"]


@pytest.mark.parametrize("conv", [ANGULAR, ORDINARY], ids=["angular", "ordinary"])
@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.slow) if n in _SLOW_LIMITS
                                  else n for n in _CROSS])
def test_structure_agrees_with_limits(name, conv):
    """The decay read from poles, jumps and δ's equals the one from sympy's limits."""
    expr = REGISTRY[name].expression if name in REGISTRY else name
    r = fourier_transform(expr, x, conv)
    by_structure, by_limits = decay_of(r), decay_of(r, "limits")
    assert by_structure.method == "structure" and by_limits.method == "limits"
    assert _agree(by_structure, by_limits), (by_structure.summary(), by_limits.summary())


@pytest.mark.parametrize("name", list(REGISTRY))
def test_registry_decay_needs_no_limits(name, monkeypatch):
    """Every registry function's decay comes from the structure alone (no sympy limit)."""
    import fptheory.fourier.decay as decay_module

    r = fourier_transform(REGISTRY[name].expression, x, ANGULAR)

    def no_limits(*args):
        raise AssertionError("the limit fallback was used")

    monkeypatch.setattr(decay_module, "_decay_direction", no_limits)
    assert decay_of(r).method == "structure"


def test_symbolic_scale_from_structure_without_limits(monkeypatch):
    """tanh(wx + b): the pole of tanh nearest the axis, iπ/2, moves to (iπ/2 - b)/w: rate
    π/(2|w|), C = 2π/|w| (residue 1 at a simple pole), for both signs of w."""
    import fptheory.fourier.decay as decay_module

    r = fourier_transform("tanh(w*x + b)")
    monkeypatch.setattr(decay_module, "_decay_direction", None)
    d = decay_of(r)
    assert d.kind == "exponential" and d.cases == ["w > 0", "w < 0"]
    assert sp.simplify(d.rate - sp.pi / (2 * sp.Abs(w))) == 0
    assert sp.simplify(d.constant - 2 * sp.pi / sp.Abs(w)) == 0 and d.power == 0


def test_jumps_at_one_point_are_taken_together():
    """x H(x-1) - H(x-1) = (x-1)H(x-1) is continuous: the jump is in its derivative, 1/k²."""
    d = decay_of(fourier_transform("(x - 1)*Heaviside(x - 1)"))
    assert (d.method, d.kind, d.power, d.constant) == ("structure", "polynomial", 2, 1)


def test_two_terms_with_the_same_rate_fall_back_to_limits():
    """tanh(x) + tanh(x + 1): two poles at the same distance; the structure does not decide
    whether their leading parts cancel, so the limits answer."""
    d = decay_of(fourier_transform("tanh(x) + tanh(x + 1)"))
    assert d.method == "limits"


def test_decay_method_is_checked():
    with pytest.raises(ValueError):
        decay_of(fourier_transform("exp(-x**2)"), "guess")
