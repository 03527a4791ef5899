"""Theorem 1 (§1.1.1): the tanh network's transform, closed-form loss gradients checked
against 50-digit finite differences, E_0 of (1.10), the ratio of (1.11), stable float64."""

import math

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from fptheory.core.errors import FPTheoryError
from fptheory.fourier.conventions import ANGULAR
from fptheory.fourier.engine import K, fourier_transform
from fptheory.theory import theorem1 as t1
from fptheory.verify.claims import Verdict, assess_identity

SETTINGS = settings(max_examples=6, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


# ---------------------------------------------------------------------------------------
# the model and its transform


def test_neuron_transform_is_the_engines_and_the_csch_form():
    a, w, b = t1.NEURON.a[0], t1.NEURON.w[0], t1.NEURON.b[0]
    x = t1.X
    engine = fourier_transform(a * sp.tanh(w * x + b), x, ANGULAR).regular
    assert t1.neuron_transform(a, w, b) == engine
    typed = a * (-sp.I * sp.pi / sp.Abs(w)) * sp.exp(sp.I * b * K / w) * sp.csch(sp.pi * K / (2 * w))
    assert assess_identity(engine, typed, r"\hat h_j = \ldots").verdict is Verdict.PROVED


def test_network_transform_sums_the_neurons_and_the_loss_is_half_abs_squared():
    net = t1.network_symbols(2)
    assert net.m == 2 and net.parameters[0].name == "a_1" and net.w[1].is_nonzero
    expected = sum(t1.neuron_transform(a, w, b) for a, w, b in zip(net.a, net.w, net.b, strict=True))
    assert sp.simplify(t1.network_transform(net) - expected) == 0
    d = t1.residual(net, 1 + 2 * sp.I)
    assert sp.simplify(d - expected + 1 + 2 * sp.I) == 0
    point = {net.a[0]: 1, net.a[1]: -2, net.w[0]: sp.Rational(1, 2), net.w[1]: -3,
             net.b[0]: 1, net.b[1]: 0, K: sp.Rational(7, 10)}
    value = complex(sp.N(t1.loss(net, 1 + 2 * sp.I).subs(point), 30))
    assert abs(value.imag) < 1e-25
    assert math.isclose(value.real, abs(complex(sp.N(d.subs(point), 30))) ** 2 / 2, rel_tol=1e-14)


@pytest.mark.parametrize("s", ["0.05", "0.7", "-1.3", "4", "-11"])
def test_series_tanh_transform_matches_the_csch_closed_form(s):
    with mpmath.workdps(60):
        s = mpmath.mpf(s)
        series = t1.tanh_transform_mp(s)
        closed = -1j * mpmath.pi * mpmath.csch(mpmath.pi * s / 2)
        assert abs(series - closed) <= mpmath.mpf(10) ** -45 * abs(closed)


def test_invalid_inputs_give_one_line_errors():
    with pytest.raises(FPTheoryError, match="nonzero"):
        t1.NetworkParams((1, 2), (1, 0), (0, 0))
    with pytest.raises(FPTheoryError, match="same length"):
        t1.NetworkParams((1, 2), (1,), (0, 0))
    with pytest.raises(FPTheoryError, match="principal value"):
        t1.tanh_transform_mp(0)
    with pytest.raises(FPTheoryError, match="m >= 1"):
        t1.network_symbols(0)
    with pytest.raises(FPTheoryError, match="kind"):
        t1.log_abs_gradient("c", 1.0, 0.5, b=0.1, A=1.0, phi=0.0)


# ---------------------------------------------------------------------------------------
# gradients


def test_gradient_expressions_mention_sign_and_abs_of_w_only_for_the_w_gradient():
    net = t1.network_symbols(2)
    g = t1.gradient_expressions(net)
    assert list(g) == [*net.a, *net.b, *net.w]
    assert g[net.w[0]].has(sp.sign(net.w[0])) and not g[net.a[0]].has(sp.sign)
    fixed = t1.gradient_expressions(net, 1 - sp.I)
    assert not fixed[net.a[0]].has(t1.F_RE, t1.F_IM)


magnitudes = st.floats(0.3, 2.5, allow_nan=False)
signs = st.sampled_from([1.0, -1.0])


@st.composite
def network_points(draw):
    m = draw(st.integers(2, 3))
    a = [draw(st.floats(0.15, 2.0)) * draw(signs) for _ in range(m)]
    w = [draw(magnitudes) * draw(signs) for _ in range(m)]
    b = [draw(st.floats(-2.0, 2.0)) for _ in range(m)]
    fhat = complex(draw(st.floats(-2.0, 2.0)), draw(st.floats(-2.0, 2.0)))
    k = draw(st.floats(0.2, 3.5)) * draw(signs)
    return t1.NetworkParams(a, w, b), fhat, k


@settings(SETTINGS, max_examples=10)
@given(network_points())
def test_closed_form_gradients_agree_with_50_digit_finite_differences(point):
    params, fhat, k = point
    check = t1.check_gradients(params, fhat, k, digits=50)
    assert len(check.entries) == 3 * params.m
    worst = min(check.entries, key=lambda e: e.digits)
    assert check.agrees(40), (worst.parameter, mpmath.nstr(worst.relative_error, 3))


def test_gradients_of_both_signs_of_w_at_a_fixed_point():
    params = t1.NetworkParams(("0.5", "-1.2", "0.8"), ("0.7", "-1.3", "2.1"), ("0.3", "-0.4", "1.1"))
    check = t1.check_gradients(params, complex(0.4, -0.9), "1.3")
    assert check.agrees(40) and check.min_digits > 60
    assert set(check.relative_errors()) == {f"{n}_{j}" for n in "abw" for j in (1, 2, 3)}


def test_re_identity_matches_sympys_own_derivative_of_the_loss():
    net = t1.network_symbols(2)
    grads = t1.gradient_expressions(net)
    loss = t1.loss(net)
    point = {net.a[0]: sp.Rational(3, 4), net.a[1]: -1, net.w[0]: sp.Rational(-1, 2),
             net.w[1]: sp.Rational(6, 5), net.b[0]: sp.Rational(1, 3), net.b[1]: 2,
             t1.F_RE: sp.Rational(1, 5), t1.F_IM: -1, K: sp.Rational(9, 10)}
    for theta in (net.a[1], net.b[0], net.w[0]):
        direct = complex(sp.N(sp.diff(loss, theta).subs(point), 30))
        ours = complex(sp.N(grads[theta].subs(point), 30))
        assert abs(direct.imag) < 1e-25
        assert math.isclose(direct.real, ours.real, rel_tol=1e-20)


@pytest.mark.parametrize("w", ["0.8", "-0.45"])
def test_polar_gradients_equal_the_explicit_ones_with_A_and_phi_from_D(w):
    params = t1.NetworkParams(("1.1",), (w,), ("0.35",))
    fhat, k = complex(-0.3, 0.7), mpmath.mpf("1.7")
    explicit = t1.gradient_evaluator(1)(params, fhat, k, 40)
    with mpmath.workdps(40):
        d = -mpmath.mpc(fhat)
        d += mpmath.mpf("1.1") / abs(mpmath.mpf(w)) * t1.tanh_transform_mp(k / mpmath.mpf(w)) * \
            mpmath.expj(mpmath.mpf("0.35") * k / mpmath.mpf(w))
        amp, phase = abs(d), mpmath.arg(d)
        n = t1.NEURON
        for kind in "abw":
            f = sp.lambdify([t1.A, t1.PHI, n.a[0], n.b[0], n.w[0], K], t1.polar_gradients()[kind],
                            "mpmath")
            polar = f(amp, phase, mpmath.mpf("1.1"), mpmath.mpf("0.35"), mpmath.mpf(w), k)
            assert abs(polar - explicit[f"{kind}_1"]) < mpmath.mpf(10) ** -30


# planted bugs: the finite-difference check must catch them

def _tampered(kind_index: int, change):
    net = t1.network_symbols(2)
    g = t1.gradient_expressions(net)
    theta = net.parameters[kind_index]
    g[theta] = change(g[theta], net)
    return g, theta.name


@pytest.mark.parametrize("index, change", [
    (0, lambda e, net: -e),  # a_1 gradient with a flipped sign
    (4, lambda e, net: e * sp.Abs(net.w[0])),  # w_1 gradient with the 1/|w_1| dropped
    (3, lambda e, net: e.subs(sp.sign(net.w[1]), 1)),  # b_2: harmless, no sign(w) there
    (5, lambda e, net: e.subs(sp.sign(net.w[1]), 1)),  # w_2: d|w|/dw = 1 assumed
])
def test_planted_bugs_fail_the_finite_difference_check(index, change):
    tampered, name = _tampered(index, change)
    # w_2 < 0, so assuming d|w|/dw = +1 is a real bug there
    params = t1.NetworkParams(("0.9", "-0.6"), ("1.4", "-0.8"), ("0.2", "1.5"))
    check = t1.check_gradients(params, complex(0.5, 0.25), "1.1", gradients=tampered)
    digits = {e.parameter: e.digits for e in check.entries}
    others = [v for p, v in digits.items() if p != name]
    assert min(others) > 40
    if index == 3:  # control: the substitution does not touch b_2's gradient
        assert digits[name] > 40
    else:
        assert digits[name] < 3 and not check.agrees(40)


# ---------------------------------------------------------------------------------------
# (1.10) and (1.11)


def test_E0_is_half_A_over_sinh_of_pi_k_over_2_abs_w():
    ident = t1.identify_E0()
    w, k = t1.NEURON.w[0], K
    assert ident.assessment.verdict is Verdict.PROVED
    assert ident.e0 == t1.A / (2 * sp.sinh(sp.pi * k / (2 * sp.Abs(w))))
    sketch = t1.A * sp.sign(w) * sp.csch(sp.pi * k / (2 * w)) / 2
    assert assess_identity(ident.e0, sketch, "E_0 = A sgn(w) csch/2").verdict is Verdict.PROVED
    assert set(ident.cases) == {"w > 0", "w < 0"}
    # the sign of w matters: E_0 = A csch(πk/2w)/2 (no sgn) is wrong for w < 0
    wrong = ident.text_form.subs(t1.E0, t1.A * sp.csch(sp.pi * k / (2 * w)) / 2)
    assert assess_identity(wrong, ident.exact, "no sgn").verdict is Verdict.REFUTED


def test_1_11_is_exactly_the_a_gradient_ratio():
    assert t1.check_1_11().verdict is Verdict.PROVED
    # and numerically, with the evaluator of a one-neuron network at two frequencies
    s = t1.RATIO_SYMBOLS
    params = t1.NetworkParams(("0.8",), ("-0.6",), ("0.9",))
    fhats = {1: complex(0.4, -0.2), 2: complex(-0.1, 0.3)}
    ks = {1: mpmath.mpf("0.7"), 2: mpmath.mpf("1.6")}
    point = {t1.NEURON.w[0]: sp.Rational(-6, 10), t1.NEURON.b[0]: sp.Rational(9, 10)}
    grads = {}
    with mpmath.workdps(40):
        for i in (1, 2):
            grads[i] = t1.gradient_evaluator(1)(params, fhats[i], ks[i], 40)["a_1"]
            d = (mpmath.mpf("0.8") / mpmath.mpf("0.6") * t1.tanh_transform_mp(ks[i] / -mpmath.mpf("0.6"))
                 * mpmath.expj(mpmath.mpf("0.9") * ks[i] / -mpmath.mpf("0.6")) - mpmath.mpc(fhats[i]))
            point.update({s[f"k{i}"]: sp.Float(ks[i], 40), s[f"A{i}"]: sp.Float(abs(d), 40),
                          s[f"phi{i}"]: sp.Float(mpmath.arg(d), 40)})
        ratio = mpmath.mpf(str(sp.N(t1.a_gradient_ratio().subs(point), 35)))
        assert abs(ratio - abs(grads[2] / grads[1])) < mpmath.mpf(10) ** -28


def test_sinh_ratio_symbol_form():
    k1, k2 = t1.RATIO_SYMBOLS["k1"], t1.RATIO_SYMBOLS["k2"]
    r = t1.sinh_ratio(k1, k2, t1.NEURON.w[0])
    value = sp.N(r.subs({k1: 1, k2: 2, t1.NEURON.w[0]: -1}), 20)
    assert math.isclose(float(value), math.sinh(math.pi / 2) / math.sinh(math.pi), rel_tol=1e-14)


# ---------------------------------------------------------------------------------------
# stable float64 numerics for tiny |w|

W_GRID = np.concatenate([np.logspace(-4, 0, 9), -np.logspace(-4, 0, 5)])


def test_naive_float64_overflows_where_the_stable_form_does_not():
    with np.errstate(over="ignore", divide="ignore"):
        naive = np.log(np.abs(1.0 / np.sinh(np.pi * 1.0 / (2 * 1e-4))))
    assert naive == -np.inf
    stable = t1.log_abs_csch(np.pi / (2 * 1e-4))
    assert np.isfinite(stable) and math.isclose(stable, math.log(2) - np.pi / 2e-4, rel_tol=1e-15)


@pytest.mark.parametrize("kind", ["a", "b", "w"])
def test_log_abs_gradient_matches_mpmath_at_50_digits(kind):
    k, a, b, amp, phi = 1.3, 0.7, 0.4, 0.9, 0.2
    got = t1.log_abs_gradient(kind, k, W_GRID, a=a, b=b, A=amp, phi=phi)
    assert got.shape == W_GRID.shape and np.all(np.isfinite(got))
    for w, g in zip(W_GRID, got, strict=True):
        ref = t1.log_abs_gradient_mp(kind, k, w, a=a, b=b, A=amp, phi=phi, dps=50)
        assert abs(g - float(ref)) <= 1e-12 * abs(float(ref)) + 1e-11


@SETTINGS
@given(st.floats(-4.0, 0.0), signs, st.floats(0.5, 3.0), st.floats(0.1, 1.0),
       st.floats(-3.0, 3.0), st.floats(-3.0, 3.0), st.sampled_from(["a", "b", "w"]))
def test_log_gradient_ratio_matches_mpmath_on_w_from_1e_4_to_1(log_w, sign, k1, b, phi1, phi2, kind):
    w, k2 = sign * 10.0**log_w, k1 + 1.0
    for k, phi in ((k1, phi1), (k2, phi2)):
        with mpmath.workdps(50):
            psi = mpmath.mpf(b) * k / w - phi
            assume(min(abs(mpmath.sin(psi)), abs(mpmath.cos(psi))) > 0.05)
            u = mpmath.pi * k / (2 * mpmath.mpf(w))
            bracket = (mpmath.pi * k * mpmath.coth(u) / 2 - w) * mpmath.sin(psi) - b * k * mpmath.cos(psi)
            assume(abs(bracket) > 0.05 * k)
    got = t1.log_gradient_ratio(kind, k1, k2, np.array([w]), a=0.8, b=b, A1=1.2, A2=0.7,
                                phi1=phi1, phi2=phi2)
    ref = (t1.log_abs_gradient_mp(kind, k1, w, a=0.8, b=b, A=1.2, phi=phi1)
           - t1.log_abs_gradient_mp(kind, k2, w, a=0.8, b=b, A=0.7, phi=phi2))
    assert abs(got[0] - float(ref)) < 1e-8
    ratio = t1.gradient_ratio(kind, k1, k2, np.array([w]), a=0.8, b=b, A1=1.2, A2=0.7,
                              phi1=phi1, phi2=phi2)[0]
    assert not np.isnan(ratio)
    if abs(float(ref)) < 700:
        assert math.isclose(ratio, float(mpmath.exp(ref)), rel_tol=1e-8)
    else:
        assert ratio in (0.0, np.inf)


def test_stable_sinh_ratio_matches_mpmath_and_never_gives_nan():
    w = np.abs(W_GRID)
    x1, x2 = np.pi * 1.0 / (2 * w), np.pi * 2.5 / (2 * w)
    got = t1.stable_sinh_ratio(x1, x2)
    logs = t1.log_abs_sinh_ratio(x1, -x2)
    assert not np.any(np.isnan(got))
    with mpmath.workdps(50):
        for g, lg, a, b in zip(got, logs, x1, x2, strict=True):
            ref = mpmath.sinh(mpmath.mpf(a)) / mpmath.sinh(mpmath.mpf(b))
            assert abs(lg - float(mpmath.log(ref))) < 1e-9
            if ref > mpmath.mpf(10) ** -300:
                assert math.isclose(g, float(ref), rel_tol=1e-10)
            else:
                assert g < 1e-290
    with pytest.raises(FPTheoryError):
        t1.stable_sinh_ratio(-1.0, 2.0)


# ---------------------------------------------------------------------------------------
# (1.17)-(1.21) and the explicit Theorem 1

EXPLICIT_ARGS = (1.0, 2.0, 1.0, 0.5, [0.1], [1.0])


@pytest.fixture(scope="module")
def explicit():
    return t1.explicit_theorem1(*EXPLICIT_ARGS)


def test_explicit_theorem_interface_rate_and_constant(explicit):
    th = explicit
    assert th.m == 1 and th.k1 == 1.0 and th.k2 == 2.0
    assert math.isclose(th.c, math.pi / 2, rel_tol=1e-15)
    k1, k2 = t1.RATIO_SYMBOLS["k1"], t1.RATIO_SYMBOLS["k2"]
    assert sp.simplify(th.c_expr - sp.pi * (k2 - k1) / 2) == 0
    assert math.isclose(th.C, th.C_band + th.C_edge * th.delta0, rel_tol=1e-12)
    assert 0 < th.delta0 <= math.pi * th.k1 / 4 and th.verdict == "sampled" and th.evidence
    assert math.isnan(th.failure_bound(1.01 * th.delta0)) and math.isnan(th.failure_bound(0))
    grid = np.linspace(0.05, 1.0, 12) * th.delta0
    values = [th.failure_bound(d) for d in grid]
    assert all(v <= th.C * math.exp(-th.c / d) * (1 + 1e-12) for v, d in zip(values, grid, strict=True))
    assert all(np.diff(values) > 0)  # increasing in δ
    import json
    assert json.loads(json.dumps(th.to_dict()))["c_expr"] == str(th.c_expr)
    # the sum of the per-(j, θ) terms is C_band / C_edge, one term per θ in {a, b, w}
    assert sorted(t["kind"] for t in th.terms) == ["a", "b", "w"]
    assert math.isclose(sum(t["band"] for t in th.terms), th.C_band, rel_tol=1e-12)
    assert th.conditions["theta_max"] <= 0.1 + 1e-12 and th.conditions["eps_max"] <= 0.5


def test_delta0_makes_the_step_1_13_assumptions_hold_at_sampled_points(explicit):
    """Independent of the bound (1.12): A(k) from the series transform at 30 digits."""
    th = explicit
    rng = np.random.default_rng(3)
    W = t1.ball_sample(th.m, th.delta0, 40, rng)
    f1, f2 = abs(th.fhat1), abs(th.fhat2)
    with mpmath.workdps(30):
        for w in W:
            params = t1.NetworkParams(th.a, tuple(float(v) for v in w), th.b)
            assert abs(t1.residual_mp(params, th.fhat1, th.k1)) > f1 / 2
            assert abs(t1.residual_mp(params, th.fhat2, th.k2)) < 2 * f2


@pytest.mark.parametrize("args, fragment", [
    ((1.0, 2.0, 1.0, 0.5, [0.0], [1.0]), "a_j = 0"),
    ((1.0, 2.0, 1.0, 0.5, [0.1], [0.0]), "b_j = 0"),
    ((2.0, 1.0, 1.0, 0.5, [0.1], [1.0]), "0 < k1 < k2"),
    ((1.0, 2.0, 0.0, 0.5, [0.1], [1.0]), "f̂"),
    ((1.0, 2.0, 1.0, 0.5, [0.1, 0.2], [1.0]), "same length"),
    ((1.0, float("nan"), 1.0, 0.5, [0.1], [1.0]), "finite"),
])
def test_explicit_theorem_bad_input(args, fragment):
    with pytest.raises(FPTheoryError, match=fragment):
        t1.explicit_theorem1(*args)


def test_event_margins_agree_with_the_40_digit_sympy_gradients(explicit):
    args = (1.0, 1.5, 1.0, 0.2, [0.05, -0.03], [1.0, -0.5])
    rng = np.random.default_rng(11)
    W = t1.ball_sample(2, 0.3, 12, rng)
    margins = t1.event_margins(W, *args)
    assert margins.shape == (12, 6)
    ev = t1.gradient_evaluator(2)
    for w, row in zip(W, margins, strict=True):
        params = t1.NetworkParams(args[4], tuple(w), args[5])
        g1, g2 = ev(params, args[2], args[0], 40), ev(params, args[3], args[1], 40)
        names = [f"{kind}_{j}" for kind in "abw" for j in (1, 2)]
        ref = [float(mpmath.log(abs(g1[n]) / abs(g2[n]))) for n in names]
        assert np.allclose(row, ref, rtol=1e-9, atol=1e-9)


def test_ball_marginal_density_matches_sampled_ball_points():
    rng = np.random.default_rng(5)
    for m in (1, 2, 4):
        W = t1.ball_sample(m, 2.0, 40000, rng)
        assert np.all(np.linalg.norm(W, axis=1) <= 2.0)
        inside = float(sp.N(sp.integrate(t1.ball_marginal_density(m).subs(t1.DELTA, 2),
                                         (t1.T, -sp.Rational(1, 2), sp.Rational(1, 2)))))
        frac = np.mean(np.abs(W[:, 0]) < 0.5)
        assert abs(frac - inside) < 4 * math.sqrt(inside * (1 - inside) / 40000) + 1e-3
    assert float(t1.ball_marginal_density(2).subs({t1.T: 0, t1.DELTA: 1})) > 0.5  # > 1/(2δ)


def test_ball_tail_bound_holds_and_a_planted_exponent_fails():
    for m, c, delta in ((1, 1.0, 0.2), (2, 0.5, 0.1), (4, 1.0, 0.3)):
        quad = float(t1.ball_tail_mp(m, c, delta))
        alpha = float(t1.ball_tail_constant(m))
        x = delta / c
        assert quad <= min(1, alpha * x ** ((m + 1) / 2)) * math.exp(-c / delta)
    # planted: exponent (m+1)/2 → (m+3)/2 (a factor δ/c too many) is violated
    quad = float(t1.ball_tail_mp(1, 1.0, 0.2))
    assert quad > float(t1.ball_tail_constant(1)) * 0.2 ** 2 * math.exp(-5.0)


def test_band_interval_and_planted_variants():
    lo, hi = t1.band_interval()
    s = sp.Symbol("s", positive=True)
    on = {t1.XQ: t1.EPS + s}
    assert assess_identity((hi - lo).subs(on), t1.band_length().subs(on), "len").verdict is Verdict.PROVED
    planted = [
        ((lo - hi).subs(on), t1.band_length().subs(on)),  # endpoints swapped
        ((hi - lo).subs(on), (t1.band_length() / 2).subs(on)),  # factor 2 dropped
        ((hi - lo).subs(on), (2 * t1.BETA * t1.EPS / (t1.XQ**2 + t1.EPS**2)).subs(on)),  # sign of ε²
    ]
    for lhs, rhs in planted:
        assert assess_identity(lhs, rhs, "planted").verdict is Verdict.REFUTED


@pytest.mark.parametrize("statement, expected", [
    ("2*e/((pi - e + s)**2 - e**2) <= 2*e/(s*(pi - 2*e + s))", Verdict.CERTIFIED),  # the gap lemma
    ("2*e/((pi - e + s)**2 - e**2) <= e/(s*(pi - 2*e + s))", Verdict.REFUTED),  # constant halved
    ("2*e/((pi - e + s)**2 - e**2) >= 2*e/(s*(pi - 2*e + s))", Verdict.REFUTED),  # flipped
])
def test_gap_comparison_certified_and_planted_variants_refuted(statement, expected):
    from fptheory.verify import Domain, certify, parse_statement

    r = certify(parse_statement(statement), Domain.parse("1/100<=e<=1/2, 1/100<=s<=20"), time_limit=30)
    assert r.verdict is expected


def test_monte_carlo_is_consistent_and_planted_bounds_are_refuted():
    import dataclasses

    th = t1.explicit_theorem1(1.0, 1.5, 1.0, 1.0, [0.05], [0.5])
    delta = 0.75 * th.delta0
    s = t1.sample_failure(th, delta, 20000, seed=2)
    assert s.consistent and s.failures > 20 and s.low <= s.failures / s.n <= s.high
    doubled = dataclasses.replace(th, c=2 * th.c)  # the text's c2 = π(k2 - k1)
    assert not t1.sample_failure(th, delta, 20000, seed=2, bound=doubled.failure_bound).consistent
    small = dataclasses.replace(th, C_band=th.C_band / 100, C_edge=th.C_edge / 100)
    assert not t1.sample_failure(th, delta, 20000, seed=2, bound=small.failure_bound).consistent
    assert s.high < s.bound  # 'failure ≥ bound' (the inequality flipped) is refuted too
    with pytest.raises(FPTheoryError, match="outside"):
        t1.sample_failure(th, 2 * th.delta0, 100)
