"""The α-critical model (1.31)-(1.34): closed form in the data space against an independent
primal minimum-norm solve, the FFT grid against the kernel sum, the kernel diagonal against
quadrature, the scaling exponents against theory, bad input, and the ``fptheory alpha`` CLI."""

import itertools
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad

from fptheory.cli import main
from fptheory.core.errors import FPTheoryError
from fptheory.fourier.conventions import ANGULAR, ORDINARY
from fptheory.theory.alpha_critical import (
    DEFAULT_DELTA_XI,
    alpha_model,
    classify_scaling,
    default_M_ladder,
    default_training_data,
    extrapolated_limit,
    inverse_weights,
    off_data_ratio,
    scaling_study,
    solve_interpolant,
    validate_data,
)


def primal_min_norm(x, y, alpha, M, delta_xi, beta=2 * np.pi):
    """Independent solve of (1.33)-(1.34) on the full feature matrix: substitute ψ = W^{1/2} φ,
    take numpy's minimum-norm least-squares solution of (A W^{-1/2}) ψ = y, return φ."""
    d = x.shape[1]
    freqs = np.array(list(itertools.product(range(-M, M + 1), repeat=d)), float) * delta_xi
    w = (1 + (freqs**2).sum(axis=1)) ** (alpha / 2)  # (1.33) typed from the chapter
    A = np.exp(1j * beta * x @ freqs.T)
    psi = np.linalg.lstsq(A / np.sqrt(w), y.astype(complex), rcond=None)[0]
    return freqs, psi / np.sqrt(w), A, w


@settings(max_examples=15, deadline=None)
@given(alpha=st.floats(0, 4), M=st.integers(3, 12), seed=st.integers(0, 10**6))
def test_closed_form_equals_primal_lstsq_d1(alpha, M, seed):
    x, y = default_training_data(1, n=4, seed=seed)
    h = solve_interpolant(x, y, alpha, M)
    freqs, phi, A, w = primal_min_norm(x, y, alpha, M, DEFAULT_DELTA_XI)
    assert np.allclose(h.spectrum(), phi, atol=1e-9 * np.abs(phi).max())
    assert np.allclose(A @ phi, y, atol=1e-9)
    assert np.allclose(h(x), y, atol=1e-9)


@pytest.mark.parametrize("alpha", [0.5, 2.0, 3.5])
def test_closed_form_equals_primal_lstsq_d2(alpha):
    x, y = default_training_data(2, n=6, seed=3)
    M = 5
    h = solve_interpolant(x, y, alpha, M)
    freqs, phi, A, w = primal_min_norm(x, y, alpha, M, DEFAULT_DELTA_XI)
    assert np.allclose(h.spectrum().reshape(-1), phi, atol=1e-9 * np.abs(phi).max())
    # h at arbitrary points: kernel sum vs the primal trigonometric polynomial
    pts = np.random.default_rng(1).uniform(-1, 1, size=(20, 2))
    direct = (np.exp(2j * np.pi * pts @ freqs.T) @ phi).real
    assert np.allclose(h(pts), direct, atol=1e-9)
    # optimality: a feasible perturbation (null space of A) never lowers the weighted norm
    null = np.linalg.svd(A)[2][A.shape[0]:].conj().T
    rng = np.random.default_rng(2)
    base = np.sum(w * np.abs(phi) ** 2)
    for _ in range(5):
        dphi = null @ (rng.normal(size=null.shape[1]) + 1j * rng.normal(size=null.shape[1]))
        assert np.allclose(A @ (phi + 0.1 * dphi), y)
        assert np.sum(w * np.abs(phi + 0.1 * dphi) ** 2) > base


@pytest.mark.parametrize("dim,M", [(1, 300), (2, 40)])
def test_fft_grid_equals_kernel_sum(dim, M):
    x, y = default_training_data(dim)
    h = solve_interpolant(x, y, 1.3, M)
    axes, values, max_imag = h.on_grid([-1.0] * dim, n=1024 if dim == 1 else 128)
    rng = np.random.default_rng(0)
    idx = rng.integers(0, len(axes[0]), size=(25, dim))
    pts = np.stack([axes[i][idx[:, i]] for i in range(dim)], axis=1)
    assert np.allclose(values[tuple(idx.T)], h(pts), atol=1e-10)
    assert max_imag < 1e-10


def test_kernel_diagonal_is_a_trapezoid_sum_of_the_bracket_integral():
    """Δξ Σ_J ⟨JΔξ⟩^{-α} (ends halved) = ∫_{-MΔξ}^{MΔξ} (1+ξ²)^{-α/2} dξ (scipy quad)."""
    for alpha in (0.5, 1.0, 2.5):
        M, dxi = 400, 0.05
        wi = inverse_weights(M, 1, dxi, alpha)
        trap = dxi * (wi.sum() - (wi[0] + wi[-1]) / 2)
        exact = quad(lambda t, a=alpha: (1 + t * t) ** (-a / 2), -M * dxi, M * dxi, limit=200)[0]
        assert abs(trap - exact) < 1e-4 * exact


def test_inverse_weights_d2_are_radial():
    wi = inverse_weights(3, 2, 0.5, 1.5)
    j = np.arange(-3, 4) * 0.5
    assert np.allclose(wi, (1 + j[:, None] ** 2 + j[None, :] ** 2) ** -0.75)


def test_off_data_ratio_fft_equals_independent_kernel_sum_on_another_grid():
    x, y = default_training_data(1)
    for alpha in (0.5, 2.0):
        h = solve_interpolant(x, y, alpha, 500)
        r = off_data_ratio(h)
        grid = np.linspace(-1, 1, 3001)
        far = np.min(np.abs(grid[:, None] - x[None, :, 0]), axis=1) >= 0.1
        direct = np.abs(h(grid[far][:, None])).mean() / np.abs(y).mean()
        assert abs(r.ratio - direct) < 0.01 * direct
        assert r.max_constraint_residual < 1e-10


@pytest.mark.parametrize("dim,alpha,Ms", [(1, 0.5, [250, 500, 1000, 2000]),
                                          (2, 1.0, [25, 50, 100, 200])])
def test_ratio_vanishes_like_m_to_the_alpha_minus_d_below_d(dim, alpha, Ms):
    x, y = default_training_data(dim)
    s = scaling_study(x, y, alpha, Ms)
    assert s.behaviour == "vanishes" and s.prediction_holds is True
    assert abs(s.slope - (alpha - dim)) < 0.15  # the theory's exponent -(d - α)
    assert np.all(np.diff(s.ratios) < 0)
    assert np.all(np.diff(s.kernel_diagonals) > 0)


@pytest.mark.parametrize("dim,alpha,Ms", [(1, 2.0, [250, 500, 1000, 2000]),
                                          (2, 3.0, [25, 50, 100, 200])])
def test_ratio_levels_off_above_d(dim, alpha, Ms):
    x, y = default_training_data(dim)
    s = scaling_study(x, y, alpha, Ms)
    assert s.behaviour == "levels off" and s.prediction_holds is True
    assert min(s.ratios) > 0.1
    assert "holds" in s.verdict


def test_near_critical_alpha_is_not_decided_and_looks_logarithmic():
    """At α = d the ratio decays like 1/log M: its extrapolated limit is about half the last
    ratio (exactly r(M_2)/2 for c/log M on a doubling ladder), so the study says borderline."""
    x, y = default_training_data(1)
    s = scaling_study(x, y, 1.0, [250, 500, 1000])
    assert s.expected is None and s.prediction_holds is None and "not tested" in s.verdict
    assert s.behaviour == "borderline" and 1 / 3 < s.limit_fraction < 2 / 3


def test_extrapolated_limit_recovers_known_forms():
    Ms = [100, 200, 400]
    assert extrapolated_limit(Ms, [3 * m**-0.7 for m in Ms])[0] == pytest.approx(0, abs=1e-12)
    r_inf, q = extrapolated_limit([50, 120, 300], [0.25 + 4 * m**-1.3 for m in (50, 120, 300)])
    assert r_inf == pytest.approx(0.25, rel=1e-9) and q == pytest.approx(1.3, rel=1e-9)
    L = np.log(np.array(Ms, float))
    r_inf, _ = extrapolated_limit(Ms, list(1 / L))  # 1/log M: r_inf = r(M_2)/2
    assert r_inf == pytest.approx(0.5 / L[1], rel=1e-6)
    assert extrapolated_limit(Ms, [0.3, 0.2, 0.25]) is None


@pytest.mark.parametrize("ratios,behaviour", [
    ([0.5, 0.25, 0.125], "vanishes"),            # M^-1: slope rule
    ([0.5, 0.45, 0.42], "levels off"),           # converging, limit far from 0
    ([0.4, 0.401, 0.402], "levels off"),         # flat within 1 %
    ([0.3, 0.27, 0.245], "borderline"),          # 1/log-like
    ([0.1, 0.2, 0.4], "grows"),                  # no extrapolation: slope fallback
])
def test_classify_scaling_rules(ratios, behaviour):
    got = classify_scaling([100, 200, 400], ratios)[0]
    if behaviour == "borderline":  # check it is indeed between the thresholds
        r_inf = extrapolated_limit([100, 200, 400], ratios)[0]
        assert 1 / 3 < r_inf / ratios[-1] < 2 / 3
    assert got == behaviour


@settings(max_examples=6, deadline=None)
@given(seed=st.integers(0, 10**6))
def test_alpha_zero_vanishes_for_any_seed(seed):
    """α = 0 (flat weights): the ratio scatters ±15 % about M^-1, the verdict must not."""
    x, y = default_training_data(1, seed=seed)
    s = scaling_study(x, y, 0.0, [250, 500, 1000])
    assert s.behaviour == "vanishes" and s.prediction_holds is True


def test_conventions_agree_at_alpha_zero_and_differ_otherwise():
    """Same phases e^{2πiΔξJx} = e^{iΔk J x} for Δk = 2πΔξ; weights ⟨ξ⟩ vs ⟨2πξ⟩ differ."""
    x, y = default_training_data(1)
    pts = np.linspace(-1, 1, 50)[:, None]
    a0 = solve_interpolant(x, y, 0.0, 50, 0.25, ORDINARY)
    b0 = solve_interpolant(x, y, 0.0, 50, 2 * np.pi * 0.25, ANGULAR)
    assert np.allclose(a0(pts), b0(pts), atol=1e-10)
    a2 = solve_interpolant(x, y, 2.0, 50, 0.25, ORDINARY)
    b2 = solve_interpolant(x, y, 2.0, 50, 2 * np.pi * 0.25, ANGULAR)
    assert np.abs(a2(pts) - b2(pts)).max() > 1e-3
    assert a2.period == pytest.approx(4.0) and b2.period == pytest.approx(4.0)


def test_minimiser_is_complex_so_phi_real_in_1_33_is_wrong():
    x, y = default_training_data(1)
    r = alpha_model(x, y, 2.0, 100, scaling=False)
    assert r.max_abs_imag_phi_over_max_abs_phi > 0.1
    phi = r.interpolant.spectrum()
    assert np.allclose(phi[::-1], phi.conj())  # Hermitian: h real


def test_default_ladder():
    assert default_M_ladder(1000, 1) == [125, 250, 500, 1000, 2000]
    assert default_M_ladder(100, 2) == [12, 25, 50, 100, 200]


@pytest.mark.parametrize("call,message", [
    (lambda: validate_data([], []), "no training data"),
    (lambda: validate_data([0.0, 0.0], [1.0, 2.0]), "duplicate x"),
    (lambda: validate_data([0.0, np.nan], [1.0, 2.0]), "NaN"),
    (lambda: validate_data([0.0, 1.0], [1.0, np.inf]), "NaN"),
    (lambda: validate_data(np.zeros((2, 3)), [1.0, 2.0]), "dim must be 1 or 2"),
    (lambda: validate_data([0.0, 1.0], [1.0]), "2 points but 1 labels"),
    (lambda: solve_interpolant([0.0, 0.5], [1.0, 2.0], -0.1, 10), "alpha must be"),
    (lambda: solve_interpolant([0.0, 0.5], [1.0, 2.0], 1.0, 0), "M must be"),
    (lambda: solve_interpolant([0.0, 0.5], [1.0, 2.0], 1.0, 10, 0.0), "delta-xi"),
    (lambda: solve_interpolant([0.0, 5.0], [1.0, 2.0], 1.0, 10), "period"),
    (lambda: solve_interpolant([0.0, 1e-9], [1.0, 2.0], 3.0, 10), "singular"),
    (lambda: off_data_ratio(solve_interpolant([0.0, 0.5], [0.0, 0.0], 1.0, 10)), "all labels are 0"),
    (lambda: default_training_data(3), "dim must be 1 or 2"),
])
def test_bad_input_is_one_line_error(call, message):
    with pytest.raises(FPTheoryError, match=message) as err:
        call()
    assert "\n" not in str(err.value)


def test_exact_duplicates_are_merged():
    x, y = validate_data([0.0, 0.5, 0.0], [1.0, 2.0, 1.0])
    assert x.shape == (2, 1) and y.tolist() == [1.0, 2.0]


# ---- CLI ------------------------------------------------------------------------------------

def test_cli_json_has_ratio_scaling_and_verdict(capsys):
    assert main(["alpha", "--dim", "1", "--alpha", "0.5", "--M", "400", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert 0 < out["off_data_ratio"] < 0.05
    assert out["scaling"]["Ms"] == [50, 100, 200, 400, 800]
    assert out["scaling"]["behaviour"] == "vanishes" and out["prediction_holds"] is True
    assert out["convention"]["name"] == "ordinary"
    assert out["max_constraint_residual"] < 1e-9


def test_cli_text_and_plot_d2(capsys, tmp_path):
    plot = tmp_path / "a.png"
    assert main(["alpha", "--dim", "2", "--alpha", "3", "--M", "40", "--plot", str(plot)]) == 0
    out = capsys.readouterr().out
    assert "off_data_ratio" in out and "levels off" in out
    assert plot.stat().st_size > 1000


def test_cli_data_file(capsys, tmp_path):
    f = tmp_path / "d.csv"
    f.write_text("x,y\n-0.5,1\n0.0,2\n0.6,1.5\n")
    assert main(["alpha", "--dim", "1", "--alpha", "2", "--M", "200", "--data", str(f),
                 "--no-scaling", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["interpolant"]["x"] == [[-0.5], [0.0], [0.6]]
    assert out["scaling"] is None and out["off_data_ratio"] > 0.2


@pytest.mark.parametrize("args,message", [
    (["--dim", "3", "--alpha", "1"], "dim must be 1 or 2"),
    (["--dim", "1", "--alpha", "-1"], "alpha must be"),
    (["--dim", "1", "--alpha", "nan"], "alpha must be"),
    (["--dim", "1", "--alpha", "1", "--M", "0"], "M must be"),
    (["--dim", "1", "--alpha", "1", "--delta-xi", "-1"], "delta-xi"),
])
def test_cli_bad_input_exit_2(capsys, args, message):
    assert main(["alpha", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


@pytest.mark.parametrize("text,message", [
    ("x,y\n", "no training data"),
    ("x,y\n0.1,1\n0.1,2\n", "duplicate x"),
    ("x,y\n0.1,nan\n", "NaN"),
    ("x,y\n0.1,abc\n", "cannot read"),
])
def test_cli_bad_data_file_exit_2(capsys, tmp_path, text, message):
    f = tmp_path / "d.csv"
    f.write_text(text)
    assert main(["alpha", "--dim", "1", "--alpha", "1", "--data", str(f)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


@pytest.mark.slow
def test_paper_sizes_scaling_verdicts():
    for dim, M in ((1, 1000), (2, 100)):
        x, y = default_training_data(dim)
        for alpha in (dim - 0.5, dim + 1.0):
            r = alpha_model(x, y, alpha, M)
            assert r.scaling.prediction_holds is True


def test_numerics_script_quick(tmp_path):
    """numerics/alpha_critical.py follows the numerics contract; its verdict comes from data."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "numerics" / "alpha_critical.py"
    spec = importlib.util.spec_from_file_location("alpha_critical", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = module.run("quick", tmp_path, seed=1)
    assert {"study", "title", "chapter", "verdict", "prediction_holds", "figures"} <= set(out)
    assert out["prediction_holds"] is True
    assert all(Path(f).stat().st_size > 1000 for f in out["figures"])
    saved = json.loads((tmp_path / "alpha_critical.json").read_text())
    assert saved["verdict"] == out["verdict"]
    by_alpha = {(r["dim"], r["alpha"]): r["off_data_ratio"] for r in out["figure_1_7"]}
    assert by_alpha[(1, 0.5)] < by_alpha[(1, 1.0)] < by_alpha[(1, 2.0)]
    assert by_alpha[(2, 1.0)] < by_alpha[(2, 3.0)]
