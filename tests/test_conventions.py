import sympy as sp

from fptheory.fourier.conventions import ANGULAR, ORDINARY, UNITARY, FourierConvention


def test_named_conventions_kernels_and_constants():
    x, k = sp.symbols("x k", real=True)
    assert ANGULAR.kernel(x, k) == sp.exp(-sp.I * k * x) and ANGULAR.normalisation == 1
    assert ORDINARY.kernel(x, k) == sp.exp(-2 * sp.pi * sp.I * k * x)
    assert ORDINARY.normalisation == 1
    assert sp.simplify(UNITARY.normalisation - 1 / sp.sqrt(2 * sp.pi)) == 0


def test_convert_round_trip_is_identity():
    k = sp.Symbol("k", real=True)
    spectrum = sp.exp(-(k**2)) * (1 + k)
    odd = FourierConvention(sp.Rational(1, 2), 3, "odd")
    for a in (ANGULAR, ORDINARY, UNITARY, odd):
        for b in (ANGULAR, ORDINARY, UNITARY, odd):
            back = b.convert(a.convert(spectrum, k, b), k, a)
            assert sp.simplify(back - spectrum) == 0


def test_every_engine_rewrite_is_an_identity():
    """sign = 2H-1, Max(0,u) = uH, |u| = u(2H-1), σ(u) = (1+tanh(u/2))/2, tanh² = 1-sech², ..."""
    from fptheory.fourier.engine import verify_rewrites

    verify_rewrites()
