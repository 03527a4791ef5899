"""⟨F[T], φ⟩ (p.v./finite part + δ terms) and the Plancherel check, against closed forms and
x-side integrals computed here by a different route."""

import mpmath
import pytest

from fptheory.core.errors import FPTheoryError
from fptheory.fourier import ANGULAR, ORDINARY, UNITARY, fourier_transform, pair, plancherel
from fptheory.fourier.pairing import plancherel_constant

PHI = "exp(-(k-1)**2)"
DIGITS = 20


def _digits(a, b):
    d = abs(a - b)
    return float("inf") if d == 0 else float(-mpmath.log10(d / abs(b)))


def _closed_heaviside_angular():
    # F[H] = π δ - i p.v. 1/k; p.v.∫ e^{-(k-1)²}/k dk = π erfi(1)/e (Hilbert transform of a Gaussian)
    e = mpmath.e
    return mpmath.mpc(mpmath.pi / e, -mpmath.pi * mpmath.erfi(1) / e)


def _closed_relu_angular():
    # F[ReLU] = -fp 1/k² + iπ δ'; fp∫ φ/k² = p.v.∫ φ'/k = -2√π + 2π erfi(1)/e; ⟨δ', φ⟩ = -φ'(0) = -2/e
    e, pi = mpmath.e, mpmath.pi
    return mpmath.mpc(2 * mpmath.sqrt(pi) - 2 * pi * mpmath.erfi(1) / e, -2 * pi / e)


def test_heaviside_angular_closed_form():
    with mpmath.workdps(40):
        p = pair(fourier_transform("Heaviside(x)", "x", ANGULAR), PHI, digits=DIGITS)
        assert _digits(p.value, _closed_heaviside_angular()) >= 18
        assert p.agreement_digits >= 18


def test_heaviside_ordinary_closed_form():
    # F[H] = δ/2 - i/(2π k) in the ordinary convention
    with mpmath.workdps(40):
        p = pair(fourier_transform("Heaviside(x)", "x", ORDINARY), PHI, digits=DIGITS)
        e = mpmath.e
        assert _digits(p.value, mpmath.mpc(1 / (2 * e), -mpmath.erfi(1) / (2 * e))) >= 18


def test_relu_double_pole_closed_form():
    with mpmath.workdps(40):
        p = pair(fourier_transform("Max(0, x)", "x", ANGULAR), PHI, digits=DIGITS)
        assert _digits(p.value, _closed_relu_angular()) >= 18
        assert p.agreement_digits >= 18


def test_relu_x_side_by_hand():
    # ⟨F[ReLU], φ⟩ = ∫_0^∞ x F[φ](x) dx, F[φ](x) = √π e^{-ix} e^{-x²/4} (written out here)
    with mpmath.workdps(40):
        direct = mpmath.quad(lambda x: x * mpmath.sqrt(mpmath.pi) * mpmath.exp(-1j * x - x**2 / 4),
                             [0, 2, mpmath.inf])
        p = pair(fourier_transform("Max(0, x)", "x", ANGULAR), PHI, digits=DIGITS)
        assert _digits(p.value, direct) >= 18


def test_tanh_x_side_by_hand():
    # ⟨F[tanh], φ⟩ = -i√π ∫ tanh(x) sin(x) e^{-x²/4} dx (odd tanh; F[φ] written out)
    with mpmath.workdps(40):
        direct = -1j * mpmath.sqrt(mpmath.pi) * mpmath.quad(
            lambda x: mpmath.tanh(x) * mpmath.sin(x) * mpmath.exp(-x**2 / 4), [-mpmath.inf, 0, mpmath.inf])
        p = pair(fourier_transform("tanh(x)", "x", ANGULAR), PHI, digits=DIGITS)
        assert _digits(p.value, direct) >= 18
        assert p.agreement_digits >= 18


def test_shifted_tanh_with_parameters():
    with mpmath.workdps(40):
        r = fourier_transform("tanh(w*x + b)", "x", ORDINARY)
        p = pair(r, "exp(-k**2)", digits=DIGITS, params={"w": 2, "b": "1/2"})
        assert p.agreement_digits >= 18


def test_pair_refusals():
    r = fourier_transform("Heaviside(x)", "x", ANGULAR)
    with pytest.raises(FPTheoryError, match="unknown symbols"):
        pair(r, "exp(-(k-a)**2)")
    with pytest.raises(FPTheoryError, match="give values"):
        pair(fourier_transform("tanh(w*x)", "x", ANGULAR), PHI)
    with pytest.raises(FPTheoryError, match="digits"):
        pair(r, PHI, digits=2)


@pytest.mark.parametrize("conv, constant", [(ANGULAR, 1 / (2 * mpmath.pi)), (ORDINARY, 1), (UNITARY, 1)])
def test_plancherel_gaussian(conv, constant):
    res = plancherel("exp(-x**2)", "x", conv, digits=DIGITS)
    with mpmath.workdps(40):
        exact = mpmath.sqrt(mpmath.pi / 2)  # ∫ e^{-2x²} dx
        assert abs(float(plancherel_constant(conv)) - float(constant)) < 1e-15
        assert _digits(res.x_side, exact) >= 18 and _digits(res.k_side, exact) >= 18
        assert res.agree


def test_plancherel_refuses_non_l2():
    with pytest.raises(FPTheoryError, match="singular part"):
        plancherel("Heaviside(x)", "x", ANGULAR)
    with pytest.raises(FPTheoryError, match="singular part"):
        plancherel("tanh(x)", "x", ORDINARY)


def test_pair_refuses_divergent_k_side():
    with pytest.raises(FPTheoryError, match="does not decay"):
        pair(fourier_transform("Heaviside(x)", "x", ANGULAR), "k**2")


def test_pair_against_tempered_polynomial_phi_where_it_converges():
    # ⟨F[tanh], k⟩: R = -iπ/sinh(πk/2) decays exponentially; ∫ -iπ k/sinh(πk/2) dk = -2πi
    p = pair(fourier_transform("tanh(x)", "x", ANGULAR), "k", digits=DIGITS)
    with mpmath.workdps(30):
        assert abs(p.value - (-2j * mpmath.pi)) < 1e-19


def test_cli_ft_pair(capsys):
    from fptheory.cli import main

    assert main(["ft", "Heaviside(x)", "--pair", PHI, "--no-check", "--no-pretty", "--digits", "30"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("pairing with phi(k) = exp(-(k-1)**2): <F[T], phi> = 1.1557273497909217179")
    assert "x-side quadrature" in last
    assert main(["ft", "tanh(w*x)", "--pair", PHI, "--no-check"]) == 2
    assert "--pair needs values for w" in capsys.readouterr().err


@pytest.mark.parametrize("expr", ["exp(I*x)*Heaviside(x)", "exp(I*x)*Heaviside(x) + exp(2*I*x)*Max(0, x)"])
def test_irrational_poles_ordinary(expr):
    # poles at 1/(2π) (and 1/π): the neighbourhoods are placed at the exact pole positions
    p = pair(fourier_transform(expr, "x", ORDINARY), PHI, digits=DIGITS)
    assert p.agreement_digits >= 18


def test_cli_ft_plancherel(capsys):
    """--plancherel: both sides agree for a Gaussian in the ordinary convention (c = 1), and
    the x side is the exact ∫ e^{-4x²} dx = √π/2 computed here independently."""
    import json

    import mpmath

    from fptheory.cli import main

    assert main(["ft", "exp(-a*x**2)", "--param", "a=2", "--convention", "ordinary",
                 "--plancherel", "--no-check", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)["plancherel"]
    assert d["agree"] is True and d["constant"] == "1"
    with mpmath.workdps(40):
        assert abs(mpmath.mpf(d["x_side"]) - mpmath.sqrt(mpmath.pi) / 2) < mpmath.mpf(10) ** -25
