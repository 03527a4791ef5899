"""The activation registry: numpy callables generated from the sympy expressions agree
with an mpmath evaluation of the same expressions, and entries are well formed."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from fptheory.core.errors import FPTheoryError
from fptheory.fourier.activations import A_RICKER, REGISTRY, X, activation

POINTWISE = [n for n in REGISTRY if not REGISTRY[n].expression.has(sp.DiracDelta)]
XS = np.array([-7.5, -2.0, -0.5, -1e-3, 0.0, 1e-3, 0.3, 1.0, 2.5, 9.0])


def mp_value(expr: sp.Expr, x: float) -> float:
    """expr at x by mpmath at 30 digits (sympy's Heaviside(0) = 1/2, sign(0) = 0)."""
    value = sp.N(expr.subs(X, sp.Float(x, 30)), 30)
    assert value.is_real, f"{expr} at {x} is {value}"
    with mpmath.workdps(30):
        return float(mpmath.mpf(str(value)))


@pytest.mark.parametrize("name", POINTWISE)
def test_numpy_callable_matches_sympy(name):
    """act.numpy(**params)(x) = f(x) from the sympy expression (Ricker at a = 0.7 and 2)."""
    entry = REGISTRY[name]
    values = [{"a": 0.7}, {"a": 2.0}] if entry.parameters else [{}]
    for params in values:
        expr = entry.expression.subs({p: sp.Float(params[p.name], 30) for p in entry.parameters})
        got = np.asarray(entry.numpy(**params)(XS), dtype=float) * np.ones_like(XS)
        expected = np.array([mp_value(expr, x) for x in XS])
        np.testing.assert_allclose(got, expected, rtol=1e-13, atol=1e-15)


@settings(max_examples=20, deadline=None)
@given(x=st.floats(min_value=-30, max_value=30, allow_nan=False),
       name=st.sampled_from(POINTWISE),
       a=st.floats(min_value=0.1, max_value=5))
def test_numpy_callable_random_points(x, name, a):
    """numpy and mpmath agree at random x (and random Ricker width a > 0)."""
    entry = REGISTRY[name]
    params = {"a": a} if entry.parameters else {}
    expr = entry.expression.subs({p: sp.Float(params[p.name], 30) for p in entry.parameters})
    got = float(entry.numpy(**params)(np.float64(x)))
    assert got == pytest.approx(mp_value(expr, x), rel=1e-12, abs=1e-14)


@pytest.mark.parametrize("name", ["dirac", "dirac_prime"])
def test_dirac_numpy_callable_off_zero(name):
    """δ and δ' vanish pointwise off 0, as sympy evaluates them (regression: the callable
    raised NameError, DiracDelta having no numpy implementation)."""
    xs = np.array([-1.5, 0.25, 3.0])
    assert all(REGISTRY[name].expression.subs(X, sp.Float(x)) == 0 for x in xs)
    np.testing.assert_array_equal(REGISTRY[name].numpy()(xs), np.zeros_like(xs))


def test_ricker_normalisations():
    """ricker_wavelet has unit L² norm for every a > 0; ricker_chapter is π^{1/4}/(15a) times the
    shape (1 - (x/a)²) e^{-(x/a)²/2}."""
    wavelet = REGISTRY["ricker_wavelet"].expression
    assert sp.simplify(sp.integrate(wavelet**2, (X, -sp.oo, sp.oo))) == 1
    shape = (1 - (X / A_RICKER) ** 2) * sp.exp(-((X / A_RICKER) ** 2) / 2)
    chapter = REGISTRY["ricker_chapter"].expression
    assert sp.simplify(chapter - sp.pi ** sp.Rational(1, 4) / (15 * A_RICKER) * shape) == 0
    assert REGISTRY["ricker_chapter"].parameters == (A_RICKER,) and A_RICKER.is_positive


def test_registry_entries_are_well_formed():
    """Every entry is a function of the real x, keyed by its name, with declared parameters."""
    assert X.is_real
    for name, entry in REGISTRY.items():
        assert entry.name == name and entry.description
        assert entry.expression.free_symbols == {X, *entry.parameters}


def test_equivalent_entries_agree():
    """relu = x·H and sigmoid(x) = (1 + tanh(x/2))/2 pointwise (numpy callables)."""
    np.testing.assert_allclose(REGISTRY["relu"].numpy()(XS), REGISTRY["relu_xh"].numpy()(XS))
    np.testing.assert_allclose(REGISTRY["sigmoid"].numpy()(XS),
                               (1 + REGISTRY["tanh"].numpy()(XS / 2)) / 2, rtol=1e-14)
    np.testing.assert_allclose(REGISTRY["sign"].numpy()(XS),
                               2 * REGISTRY["heaviside"].numpy()(XS) - 1)


def test_unknown_activation_is_a_one_line_error():
    """activation('softplus') raises FPTheoryError naming the registry."""
    with pytest.raises(FPTheoryError, match="registry") as info:
        activation("softplus")
    assert "\n" not in str(info.value)
    assert activation("tanh") is REGISTRY["tanh"]


def test_numpy_callable_without_its_parameter_is_a_clear_error():
    """Ricker needs a: a one-line FPTheoryError, not a bare KeyError."""
    from fptheory.core.errors import FPTheoryError

    with pytest.raises(FPTheoryError, match="needs values for a"):
        REGISTRY["ricker_wavelet"].numpy()
