"""The independent numeric transform and check_transform: agreement on every registry
entry, closed forms computed without the engine, and mutations that must be caught."""

from __future__ import annotations

import dataclasses
from functools import cache

import mpmath
import pytest
import sympy as sp

from fptheory import ANGULAR, ORDINARY, UNITARY, fourier_transform
from fptheory.core.errors import NumericMismatchError
from fptheory.fourier.activations import A_RICKER, REGISTRY
from fptheory.fourier.engine import K
from fptheory.fourier.quadrature import check_transform, numeric_angular_transform

X = sp.Symbol("x", real=True)
W, B = sp.symbols("w b", real=True)
KS = [sp.Rational(7, 10), -2, 5]


@cache
def ft(expr, convention=ANGULAR):
    return fourier_transform(expr, convention=convention)


# ------------------------------------------------------------------------------------------
# 3. every registry transform agrees with the numeric transform

PARAMETER_FREE = [n for n, a in REGISTRY.items() if not a.parameters]


@pytest.mark.parametrize("name", PARAMETER_FREE)
def test_registry_transform_matches_quadrature(name):
    """Regular part = contour-rotated mpmath quadrature at k = 0.7, -2, 5 (30 digits)."""
    checks = check_transform(ft(REGISTRY[name].expression), KS)
    assert len(checks) == len(KS)
    assert all(c.difference <= mpmath.mpf(10) ** -30 * max(1, abs(c.symbolic)) for c in checks)


@pytest.mark.parametrize("name,a", [("ricker_chapter", sp.Rational(1, 2)),
                                    ("ricker_wavelet", sp.Rational(7, 4))])
def test_registry_ricker_matches_quadrature(name, a):
    """Ricker (symbolic a > 0) agrees with quadrature at given a, k = 0.7, -2, 5."""
    checks = check_transform(ft(REGISTRY[name].expression), KS, parameters={A_RICKER: a})
    assert [c.parameters for c in checks] == [{"a": str(a)}] * len(KS)


@pytest.mark.parametrize("name", ["ricker_chapter", "ricker_wavelet"])
def test_registry_ricker_default_parameters(name):
    """With no parameter values given, a correct Ricker transform passes the check and a > 0
    keeps its sign (regression: the second default set used to flip a to -13/10 and report a
    mismatch)."""
    checks = check_transform(ft(REGISTRY[name].expression), [sp.Rational(7, 10)])
    assert checks and all(sp.Rational(c.parameters["a"]) > 0 for c in checks)


@pytest.mark.parametrize("conv", [ORDINARY, UNITARY], ids=lambda c: c.name)
@pytest.mark.parametrize("text", ["tanh(x)", "relu(x)", "exp(-x**2/2)"])
def test_other_conventions_match_quadrature(text, conv):
    """The converted regular part N·G(-bk) agrees with quadrature in ordinary and unitary."""
    check_transform(fourier_transform(text, convention=conv), [sp.Rational(7, 10), -2])


@pytest.mark.parametrize("text", ["tanh(w*x + b)", "relu(w*x + b)", "sigmoid(w*x + b)"])
def test_parametric_transform_default_parameters(text):
    """Symbolic w, b: two default parameter sets (one sign-flipped) both agree."""
    checks = check_transform(fourier_transform(text), [sp.Rational(-2)])
    ws = {sp.Rational(c.parameters["w"]) for c in checks}
    assert len(checks) == 2 and min(ws) < 0 < max(ws)


@pytest.mark.parametrize("text,params", [
    ("Heaviside(x - 1/3)", None),
    ("sign(3*x - 1)", None),
    ("Heaviside(w*x + b)", None),  # default parameters: the jump is at x = ±13/7
    ("Heaviside(w*x + b)", {W: 3, B: -1}),
])
def test_jump_at_non_dyadic_point_matches_quadrature(text, params):
    """A step at x = 1/3 passes the 30-digit check (regression: jumps were rounded to floats,
    which limited the quadrature to ~1e-19)."""
    check_transform(fourier_transform(text), [sp.Rational(7, 10)], parameters=params)


def test_numeric_transform_of_step_at_one_third():
    """∫ H(x - 1/3) e^{-iωx} dx = e^{-iω/3}/(iω) (ω ≠ 0) to 30 digits by quadrature."""
    omega = sp.Rational(7, 10)
    value, _ = numeric_angular_transform(sp.Heaviside(X - sp.Rational(1, 3)), X, omega, dps=40)
    with mpmath.workdps(40):
        w = mpmath.mpf(7) / 10
        assert abs(value - mpmath.expj(-w / 3) / (1j * w)) < mpmath.mpf(10) ** -30


# ------------------------------------------------------------------------------------------
# numeric_angular_transform against closed forms (no engine involved)

CLOSED = [
    (sp.exp(-(X**2) / 2), lambda w: mpmath.sqrt(2 * mpmath.pi) * mpmath.exp(-w * w / 2)),
    (sp.tanh(X), lambda w: -1j * mpmath.pi / mpmath.sinh(mpmath.pi * w / 2)),
    (sp.sech(X) ** 2, lambda w: mpmath.pi * w / mpmath.sinh(mpmath.pi * w / 2)),
    (sp.Heaviside(X), lambda w: 1 / (1j * w)),
    (sp.Heaviside(X - 1), lambda w: mpmath.expj(-w) / (1j * w)),
    (sp.Max(0, X), lambda w: -1 / w**2),
    (sp.exp(-sp.Abs(X)), lambda w: 2 / (1 + w * w)),
    (sp.exp(2 * sp.I * X) * sp.Heaviside(X), lambda w: 1 / (1j * (w - 2))),
    (sp.DiracDelta(X - 1, 1), lambda w: 1j * w * mpmath.expj(-w)),
]


@pytest.mark.parametrize("omega", [sp.Rational(7, 10), sp.Rational(-13, 5)])
@pytest.mark.parametrize("expr,closed", CLOSED, ids=[str(c[0]) for c in CLOSED])
def test_numeric_transform_closed_forms(expr, closed, omega):
    """∫ f e^{-iωx} dx by quadrature equals the textbook closed form to 30 digits."""
    value, error = numeric_angular_transform(expr, X, omega, dps=40)
    with mpmath.workdps(40):
        expected = closed(mpmath.mpf(sp.Rational(omega).p) / sp.Rational(omega).q)
        assert abs(value - expected) < mpmath.mpf(10) ** -30 * max(1, abs(expected))
    assert error < mpmath.mpf(10) ** -25


def test_numeric_transform_at_zero_is_the_integral():
    """G(0) = ∫ f: ∫ sech² = 2, ∫ e^{-x²/2} = √(2π)."""
    with mpmath.workdps(30):
        assert abs(numeric_angular_transform(sp.sech(X) ** 2, X, 0, 30)[0] - 2) < 1e-28
        value = numeric_angular_transform(sp.exp(-(X**2) / 2), X, 0, 30)[0]
        assert abs(value - mpmath.sqrt(2 * mpmath.pi)) < 1e-28


# ------------------------------------------------------------------------------------------
# 5. mutations: tampered transforms must be caught


def _tamper(result, regular):
    spectrum = dataclasses.replace(result.spectrum, regular=regular)
    return dataclasses.replace(result, spectrum=spectrum, checks=[])


MUTATIONS = [
    # (id, expression, convention, mutation of the regular part, parameters)
    ("negated-tanh", "tanh(x)", ANGULAR, lambda r: -r, None),
    ("conjugated-tanh", "tanh(x)", ANGULAR, sp.conjugate, None),
    ("conjugated-heaviside", "Heaviside(x)", ANGULAR, sp.conjugate, None),
    ("conjugated-shifted-gaussian", "exp(-(x - 1)**2/2)", ANGULAR, sp.conjugate, None),
    ("conjugated-sigmoid-ordinary", "sigmoid(x)", ORDINARY, sp.conjugate, None),
    ("negated-relu", "relu(x)", ANGULAR, lambda r: -r, None),
    ("k-reflected-tanh-shift", "tanh(x - 1/2)", ANGULAR, lambda r: r.subs(K, -K), None),
    ("times-2pi-heaviside-ordinary", "Heaviside(x)", ORDINARY, lambda r: 2 * sp.pi * r, None),
    ("times-2pi-gaussian-ordinary", "exp(-x**2/2)", ORDINARY, lambda r: 2 * sp.pi * r, None),
    ("k-to-2pik-gaussian-ordinary", "exp(-x**2/2)", ORDINARY, lambda r: r.subs(K, 2 * sp.pi * K),
     None),
    ("k-to-2pik-tanh-ordinary", "tanh(x)", ORDINARY, lambda r: r.subs(K, 2 * sp.pi * K), None),
    ("sqrt-2pi-dropped-unitary", "sech(x)**2", UNITARY, lambda r: r * sp.sqrt(2 * sp.pi), None),
    ("abs-w-dropped", "tanh(w*x + b)", ANGULAR, lambda r: r * sp.Abs(W), None),
    ("abs-w-dropped-given-w", "tanh(w*x + b)", ANGULAR, lambda r: r * sp.Abs(W),
     {W: sp.Rational(5, 2), B: sp.Rational(1, 3)}),
    ("abs-w-dropped-negative-w", "tanh(w*x + b)", ANGULAR, lambda r: r * sp.Abs(W),
     {W: sp.Rational(-3, 2), B: sp.Rational(-1, 4)}),
    ("phase-sign-dropped", "tanh(w*x + b)", ANGULAR, lambda r: r.subs(B, -B),
     {W: sp.Rational(5, 2), B: sp.Rational(1, 3)}),
    ("abs-w-as-w", "tanh(w*x + b)", ANGULAR, lambda r: r.subs(sp.Abs(W), W),
     {W: sp.Rational(-3, 2), B: sp.Rational(1, 3)}),
]


@pytest.mark.parametrize("text,conv,mutate,params", [m[1:] for m in MUTATIONS],
                         ids=[m[0] for m in MUTATIONS])
def test_mutation_is_caught(text, conv, mutate, params):
    """The untampered transform passes check_transform; the tampered copy raises.

    20 digits suffice here (the mutations change the value at the first digit) and halve
    the quadrature time.
    """
    original = ft(text, conv)
    tampered = _tamper(original, mutate(original.regular))
    assert tampered.regular != original.regular
    check_transform(original, [sp.Rational(7, 10)], dps=20, parameters=params)
    with pytest.raises(NumericMismatchError) as info:
        check_transform(tampered, [sp.Rational(7, 10)], dps=20, parameters=params)
    assert "\n" not in str(info.value)
    assert not tampered.checks  # a failed check records nothing


def test_second_derivative_of_tanh_matches_quadrature():
    """F[tanh''] = (ik)² F[tanh] is checked numerically like any supported expression."""
    check_transform(ft("diff(tanh(x), x, 2)"), [sp.Rational(7, 10)])
