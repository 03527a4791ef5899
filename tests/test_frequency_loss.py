"""(1.4)-(1.7) as the library states them (fptheory.theory.frequency_loss): Parseval's constant
per convention, G of (1.7) against the gradients at numeric points, and G's measured range."""

from __future__ import annotations

import itertools

import mpmath
import pytest
import sympy as sp

from fptheory.fourier.conventions import ANGULAR, ORDINARY, UNITARY
from fptheory.fourier.engine import K
from fptheory.theory.frequency_loss import (
    PSI,
    g_closed_form,
    g_envelope_range,
    g_factor,
    parseval_constant,
)
from fptheory.theory.theorem1.network import NEURON, A


def test_parseval_constant_is_two_pi_only_in_the_angular_convention():
    assert [parseval_constant(c) for c in (ANGULAR, ORDINARY, UNITARY)] == [2 * sp.pi, 1, 1]


def _sech2_power(k, b, norm):
    """|F[sech²](k)|² for F = norm·∫ g e^{ibkx}dx: F[sech²](k) = norm·πbk/sinh(πbk/2) (2·norm at 0)."""
    spectrum = norm * mpmath.pi * b * k / mpmath.sinh(mpmath.pi * b * k / 2) if k else 2 * norm
    return spectrum ** 2


def test_parseval_constant_against_quadrature_of_sech2():
    """∫|F[g]|² / ∫|g|² by quadrature, with the transform of sech² in closed form (no engine)."""
    with mpmath.workdps(20):
        energy = mpmath.quad(lambda x: mpmath.sech(x) ** 4, [-mpmath.inf, 0, mpmath.inf])
        for conv in (ANGULAR, ORDINARY, UNITARY):
            b, norm = mpmath.mpf(float(conv.b)), mpmath.mpf(float(conv.normalisation))
            power = mpmath.quad(lambda k, b=b, norm=norm: _sech2_power(k, b, norm),
                                [-mpmath.inf, 0, mpmath.inf])
            assert abs(power / energy - float(parseval_constant(conv))) < 1e-12


@pytest.mark.parametrize("kind", ["a", "b"])
def test_g_closed_form_matches_the_exact_gradient_at_numeric_points(kind):
    w, b, a = NEURON.w[0], NEURON.b[0], NEURON.a[0]
    exact = sp.lambdify((K, w, b, a, A, PSI), g_factor(kind), "mpmath")
    closed = sp.lambdify((K, w, a, PSI), g_closed_form(kind), "mpmath")
    with mpmath.workdps(30):
        for k, wv, psi in itertools.product((-3.5, 0.7, 4.0), (-0.3, 0.25, 1.6), (0.4, 2.0)):
            e = exact(mpmath.mpf(k), mpmath.mpf(wv), mpmath.mpf("0.9"), mpmath.mpf("-1.3"),
                      mpmath.mpf(2), mpmath.mpf(psi))
            c = closed(mpmath.mpf(k), mpmath.mpf(wv), mpmath.mpf("-1.3"), mpmath.mpf(psi))
            assert abs(e - c) <= mpmath.mpf(10) ** -25 * abs(c)


def test_g_is_o1_only_against_the_exponential():
    ks, ws = [1, 2, 5, 10], [sp.Rational(1, 10), sp.Rational(1, 4), sp.Rational(1, 2), 1]
    ga, gb = g_envelope_range("a", ks, ws), g_envelope_range("b", ks, ws)
    assert mpmath.almosteq(ga.g_min, 2 * mpmath.pi, 1e-6) and ga.g_decades < 1.1  # 2π to 20π
    assert 2.5 < gb.g_decades < 3.5 < 60 < ga.exp_decades  # G_b grows like |k|/w²
    assert ga.points == 16 and ga.to_dict()["box"]["w"] == ("1/10", "1")
    with pytest.raises(ValueError, match="no closed form"):
        g_closed_form("w")
