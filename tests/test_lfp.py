"""fptheory.theory.lfp: γ(ξ)², the LFP solver (primal = dual), the exact kernels."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from scipy import integrate
from scipy.interpolate import CubicSpline

from fptheory.core.errors import FPTheoryError
from fptheory.report.collect import PROOFS_DIR, run_paths
from fptheory.theory.lfp import (
    C_B,
    CHAPTER_INITS,
    DEFAULT_X,
    DEFAULT_Y,
    Init,
    KernelParts,
    chapter_integrand,
    derive_gamma_squared,
    gamma_squared,
    kernel_interpolant,
    lfp_fit,
    moments,
    ntk_closed_form,
    ntk_monte_carlo,
    validate_data,
)
from fptheory.verify.claims import Verdict

X3 = np.array(DEFAULT_X)
Y3 = np.array(DEFAULT_Y)


def test_relu_gamma_is_the_chapters_with_unit_bias_density():
    g = derive_gamma_squared("relu")
    assert sp.simplify(g.integrand - C_B * chapter_integrand(1)) == 0
    assert sp.simplify(g.integrand.subs(C_B, 1) - chapter_integrand(1)) == 0


@pytest.mark.parametrize("dist", ["uniform", "normal"])
def test_moments_against_scipy_quadrature(dist):
    init = Init(dist, 1.7, 0.4, 1.0)
    m = {k: float(v) for k, v in moments(init).items()}
    if dist == "uniform":
        dens_w = lambda t: 1 / (2 * 1.7) if abs(t) <= 1.7 else 0.0  # noqa: E731
        dens_a = lambda t: 1 / (2 * 0.4) if abs(t) <= 0.4 else 0.0  # noqa: E731
        lim_w, lim_a = (-1.7, 1.7), (-0.4, 0.4)
    else:
        dens_w = lambda t: math.exp(-t * t / (2 * 1.7**2)) / (math.sqrt(2 * math.pi) * 1.7)  # noqa: E731
        dens_a = lambda t: math.exp(-t * t / (2 * 0.4**2)) / (math.sqrt(2 * math.pi) * 0.4)  # noqa: E731
        lim_w, lim_a = (-40.0, 40.0), (-10.0, 10.0)
    q = lambda f, lim: integrate.quad(f, *lim, points=[0.0], limit=200)[0]  # noqa: E731
    assert m["E_r3"] == pytest.approx(q(lambda t: abs(t) ** 3 * dens_w(t), lim_w), rel=1e-9)
    assert m["E_r"] == pytest.approx(q(lambda t: abs(t) * dens_w(t), lim_w), rel=1e-9)
    assert m["E_a2"] == pytest.approx(q(lambda t: t * t * dens_a(t), lim_a), rel=1e-9)


def test_tanh_gamma_numeric_average_matches_scipy():
    init = CHAPTER_INITS["a"]
    _, g2 = gamma_squared(init, "tanh")
    e_a2 = init.a**2 / 3

    def integrand(r, xi):  # independent re-typing of the proved closed form, averaged by scipy
        z = math.pi**2 * xi / r
        csch2 = 4 * math.exp(-2 * z) / (1 - math.exp(-2 * z)) ** 2  # 1/sinh², no overflow
        return math.pi**2 * csch2 / r * (1 + 4 * math.pi**2 * e_a2 * xi**2 / r**2) / init.w

    for xi in (0.05, 0.7):
        ref = integrate.quad(integrand, 1e-9, init.w, args=(xi,), limit=200)[0]
        assert g2(np.array([xi]))[0] == pytest.approx(ref, rel=1e-7)


@pytest.fixture(scope="module")
def claims():
    return {r.label: r for r in run_paths([PROOFS_DIR / "lfp_gamma.py"])}


def test_proof_script_verdicts(claims):
    for label in ("1.26-relu", "1.26-tanh", "1.26-E", "1.26-kernel"):
        assert claims[label].text.verdict is Verdict.PROVED and claims[label].corrected is None
    for label in ("1.26-w", "1.26-d", "1.27-arg"):
        r = claims[label]
        assert r.text.verdict is Verdict.REFUTED and r.text.counterexample
        assert r.corrected.verdict is Verdict.PROVED
    assert all(r.holds for r in claims.values())


@pytest.mark.parametrize("case", ["a", "b"])
def test_dual_equals_primal(case):
    _, g2 = gamma_squared(CHAPTER_INITS[case])
    dual = lfp_fit(X3, Y3, g2, K=40)
    primal = lfp_fit(X3, Y3, g2, K=40, method="primal")
    assert primal.unknowns == 2 * 400 - 1
    t = np.linspace(-1.2, 1.2, 101)
    assert np.max(np.abs(dual(t) - primal(t))) < 1e-7
    # the dual coefficients reproduce the kernel-form prediction a0 + k(t, X) c
    pen = np.isfinite(dual.gamma2)
    diff = t[:, None] - X3[None, :]
    k = np.cos(2 * np.pi * diff[..., None] * dual.xi[pen]) @ dual.gamma2[pen]
    assert np.max(np.abs(dual.cos_coef[0] + k @ dual.dual - dual(t))) < 1e-9


def test_chapter_size_has_3999_unknowns_and_interpolates():
    _, g2 = gamma_squared(CHAPTER_INITS["b"])
    sol = lfp_fit(X3, Y3, g2)
    assert sol.unknowns == 3999 and sol.K == 200 and sol.eps == 1e-6 and sol.L_prime == 20
    assert sol.residual() < 1e-4


@pytest.mark.parametrize("data", [([-1, -0.3, 1], [0.1, 1, -0.5]), ([0, 0.4, 1.1, 2], [1, -1, 0.5, 2])])
def test_pure_power_weights_give_the_splines(data):
    x, y = np.array(data[0], float), np.array(data[1], float)
    t = np.linspace(x[0], x[-1], 201)
    scale = np.ptp(y)
    cubic = lfp_fit(x, y, lambda xi: np.where(xi == 0, np.inf, 1 / np.where(xi == 0, 1, xi) ** 4), eps=1e-9)
    linear = lfp_fit(x, y, lambda xi: np.where(xi == 0, np.inf, 1 / np.where(xi == 0, 1, xi) ** 2), eps=1e-9)
    nat = CubicSpline(x, y, bc_type="natural")(t)
    lin = np.interp(t, x, y)
    assert np.max(np.abs(cubic(t) - nat)) < 0.05 * scale  # periodic wrap over L' = 10L: a few %
    assert np.max(np.abs(linear(t) - lin)) < 0.01 * scale
    assert np.max(np.abs(cubic(t) - lin)) > 0.1 * scale  # the two are told apart


def test_closed_form_kernel_against_monte_carlo():
    for case in "ab":
        init = CHAPTER_INITS[case]
        _, k, radius = ntk_closed_form(init)
        assert radius >= 1
        mc = ntk_monte_carlo(init, 100_000, np.random.default_rng(7))
        t = np.linspace(-1, 1, 9)
        diff = np.abs(k(t[:, None], t[None, :]) - mc(t, t))
        # standard error of the Monte Carlo mean, from a second independent sample's spread
        mc2 = ntk_monte_carlo(init, 100_000, np.random.default_rng(8))
        spread = np.abs(mc(t, t) - mc2(t, t))
        assert np.max(diff) < 6 * max(np.max(spread), 1e-12)
        assert np.max(diff) / np.max(np.abs(k(t[:, None], t[None, :]))) < 0.02


def test_w_feature_moves_the_kernel_interpolant_in_case_b_only():
    t = np.linspace(-1, 1, 201)
    gaps = {}
    for case in "ab":
        init = CHAPTER_INITS[case]
        full = kernel_interpolant(ntk_closed_form(init)[1], X3, Y3)(t)
        ab = kernel_interpolant(ntk_closed_form(init, KernelParts(w=False))[1], X3, Y3)(t)
        _, g2 = gamma_squared(init)
        lfp = lfp_fit(X3, Y3, g2)(t)
        gaps[case] = (np.max(np.abs(full - ab)), np.max(np.abs(ab - lfp)))
    assert gaps["a"][0] < 1e-4 and gaps["b"][0] > 0.1  # w-feature: negligible in (a), large in (b)
    assert gaps["b"][1] < 0.01  # without it the kernel interpolant is the LFP one


@pytest.mark.parametrize("x, y, message", [
    ([], [], "no data points"),
    ([0, 0, 1], [1, 2, 3], "duplicate x"),
    ([0, np.nan], [1, 2], "finite"),
    ([0, 1], [1, np.inf], "finite"),
    ([0, 1], [1], "inputs but"),
])
def test_bad_data(x, y, message):
    with pytest.raises(FPTheoryError, match=message):
        validate_data(x, y)


def test_duplicates_with_equal_y_merge():
    x, y = validate_data([1, 0, 1], [2, 5, 2])
    assert x.tolist() == [0, 1] and y.tolist() == [5, 2]


@pytest.mark.parametrize("kw, message", [({"K": 0}, "K must"), ({"eps": 0.0}, "ε must"),
                                         ({"eps": -1e-3}, "ε must"), ({"eps": float("nan")}, "ε must")])
def test_bad_solver_parameters(kw, message):
    with pytest.raises(FPTheoryError, match=message):
        lfp_fit(X3, Y3, lambda xi: np.ones_like(xi), **kw)


# ---------------------------------------------------------------------------------------
# explicit L and L' against an independent solve of the normal equations (1.28)

def _independent_normal_equations(x, y, g2, K, eps, L, L_prime):
    """(1.28): Σ_i (f(x_i) - y_i) e_j(x_i) + ε γ_j^{-2} c_j = 0 for every feature e_j, i.e.
    (EᵀE + ε diag(γ^{-2})) c = Eᵀy, built and solved directly (np.linalg.solve)."""
    J = int(round(L_prime / L * K))
    xi = np.arange(J) / L_prime
    cols, weights = [], []
    for j in range(1, J):
        cols.append(np.sin(2 * np.pi * j * x / L_prime))
        weights.append(g2(np.array([xi[j]]))[0])
    for j in range(J):
        cols.append(np.cos(2 * np.pi * j * x / L_prime))
        weights.append(g2(np.array([xi[j]]))[0])
    E = np.array(cols).T
    penalty = np.array([0.0 if np.isinf(w) else 1.0 / w for w in weights])
    c = np.linalg.solve(E.T @ E + eps * np.diag(penalty), E.T @ y)
    return np.concatenate([[0.0], c[: J - 1]]), c[J - 1:]


@pytest.mark.parametrize("free_constant", [False, True])
@pytest.mark.parametrize("method", ["dual", "primal"])
def test_explicit_lengths_match_independent_solve(free_constant, method):
    x = np.array([-0.5, 0.1, 0.6])
    y = np.array([0.3, -1.0, 0.7])

    def g2(xi):
        xi = np.asarray(xi, dtype=float)
        out = 1.0 / (1.0 + xi**2) ** 2
        return np.where(xi == 0, np.inf, out) if free_constant else out

    sol = lfp_fit(x, y, g2, K=10, eps=1e-3, L=2.0, L_prime=20.0, method=method)
    assert (sol.L, sol.L_prime, sol.xi.size) == (2.0, 20.0, 100)
    s_ref, c_ref = _independent_normal_equations(x, y, g2, 10, 1e-3, 2.0, 20.0)
    assert np.max(np.abs(sol.sin_coef - s_ref)) < 1e-10
    assert np.max(np.abs(sol.cos_coef - c_ref)) < 1e-10


def test_explicit_lengths_defaults_and_refusals():
    from fptheory.theory.lfp import chapter_lengths

    g2 = lambda xi: 1.0 / (1.0 + np.asarray(xi) ** 2)  # noqa: E731
    default = lfp_fit(X3, Y3, g2, K=5)
    assert (default.L, default.L_prime) == chapter_lengths(X3)
    with pytest.raises(FPTheoryError, match="shorter than the range"):
        lfp_fit([0.0, 3.0], [1.0, 2.0], g2, K=5, L=2.0)
    with pytest.raises(FPTheoryError, match="must be >= L"):
        lfp_fit([0.0, 1.0], [1.0, 2.0], g2, K=5, L=2.0, L_prime=1.0)
    with pytest.raises(FPTheoryError, match="integer"):
        lfp_fit([0.0, 1.0], [1.0, 2.0], g2, K=5, L=2.0, L_prime=3.3)


def test_w_feature_operator_is_positive():
    from fptheory.theory.lfp import XI, w_feature_operator

    u = sp.exp(-XI**2) * XI
    Lu = w_feature_operator(u, 1 / (1 + XI**2))
    inner = sp.Integral(u * Lu, (XI, 0, sp.oo)).evalf(30)
    energy = sp.Integral((1 / (1 + XI**2)) * sp.diff(u, XI) ** 2, (XI, 0, sp.oo)).evalf(30)
    boundary_free = energy / (4 * sp.pi**2)
    assert abs(inner - boundary_free) < 1e-20 and inner > 0
