"""(1.28)-(1.30) (fptheory.theory.lfp.discretisation): the printed vector form is singular, the
corrected one solves (1.29) and agrees with an independent float64 ridge."""

from __future__ import annotations

import mpmath
import numpy as np

from fptheory.theory.lfp import CHAPTER_INITS, gamma_squared
from fptheory.theory.lfp.discretisation import (
    closed_form_solution,
    corrected_matrices,
    printed_matrices,
    vector_form_sizes,
)

X = [mpmath.mpf(v) / 4 for v in (-3, -1, 0, 2, 3)]
Y = [mpmath.mpf(v) / 10 for v in (2, -1, 3, 1, -2)]


def _gamma2():
    g = gamma_squared(CHAPTER_INITS["a"])[1]
    return lambda xi: mpmath.mpf(float(g(np.array([float(xi)]))[0]))


def test_sizes_as_printed_and_corrected():
    s = vector_form_sizes(K=2, ratio=10, samples=5)
    assert s["printed"]["a"] == 40 and s["printed"]["W_inv_diagonal"] == 20  # εaᵀW⁻¹a undefined
    assert s["corrected"]["a"] == s["corrected"]["W_inv_diagonal"] == 39
    assert s["corrected"]["E"] == (5, 39)


def test_printed_form_has_a_zero_column_and_a_zero_weight():
    with mpmath.workdps(30):
        E, w = printed_matrices(X, 4, mpmath.mpf(20), _gamma2())
        assert E.cols == 8 and len(w) == 4
        assert max(abs(E[r, 0]) for r in range(E.rows)) == 0  # sin(0·X)
        assert w[0] == 0 and all(v > 0 for v in w[1:])


def test_corrected_closed_form_solves_the_normal_equations_and_matches_the_solver():
    with mpmath.workdps(40):
        E, w = corrected_matrices(X, 4, mpmath.mpf(20), _gamma2())
        eps = mpmath.mpf("1e-6")
        a, lhs = closed_form_solution(E, w, Y, eps)
        residual = lhs * a - E.T * mpmath.matrix(Y)
        assert max(abs(v) for v in residual) < mpmath.mpf(10) ** -30
    # an independent float64 ridge on the same 7 features: the normal equations are
    # ill-conditioned (coefficients agree to ~1e-7), the fitted values to rounding
    feats = np.array([[float(E[r, c]) for c in range(E.cols)] for r in range(E.rows)])
    W = np.diag([float(v) for v in w])
    ridge = np.linalg.solve(feats.T @ feats + 1e-6 * W, feats.T @ np.array([float(v) for v in Y]))
    exact = np.array([float(v) for v in a])
    assert np.allclose(ridge, exact, rtol=1e-5)
    assert np.allclose(feats @ ridge, feats @ exact, atol=1e-9)
