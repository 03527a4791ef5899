import sympy as sp

from fptheory import ORDINARY, Assessment, assess_identity, certify, claim, fourier_transform
from fptheory.verify import Evidence

x, k = sp.symbols("x k", real=True)


@claim("my-gauss", "F[exp(-x²)](k) = √π exp(-k²/4)", convention="ordinary",
       note="√π exp(-k²/4) is the angular-convention transform; with e^{-2πixk} it is √π exp(-π²k²).")
def gaussian():
    f = fourier_transform(sp.exp(-x**2), x, ORDINARY).regular
    text = assess_identity(f, sp.sqrt(sp.pi) * sp.exp(-k**2 / 4), r"\hat f = \sqrt\pi e^{-k^2/4}")
    fixed = assess_identity(f, sp.sqrt(sp.pi) * sp.exp(-sp.pi**2 * k**2), r"\hat f = \sqrt\pi e^{-\pi^2k^2}")
    return text, fixed


@claim("my-double-angle", "sin 2x = 2 sin x cos x")
def double_angle():
    return assess_identity(sp.sin(2 * x), 2 * sp.sin(x) * sp.cos(x), r"\sin 2x = 2\sin x\cos x")


@claim("my-jordan", "Jordan's inequality (2/π)x ≤ sin x on [0, π/2]")
def jordan():
    r = certify("2*x/pi <= sin(x)", "0 <= x <= pi/2")
    return Assessment(r"\tfrac{2}{\pi}x \le \sin x", r.verdict, [Evidence("certified", r.evidence_text())])


@claim("my-dilog", "Li₂(x) + Li₂(1 - x) = π²/6 - log x log(1 - x), 0 < x < 1", expected="sampled")
def dilogarithm():
    lhs, rhs = sp.polylog(2, x) + sp.polylog(2, 1 - x), sp.pi**2 / 6 - sp.log(x) * sp.log(1 - x)
    return assess_identity(lhs, rhs, r"\mathrm{Li}_2(x) + \mathrm{Li}_2(1-x) = \pi^2/6 - \log x\log(1-x)",
                           samples={x: [sp.Rational(n, 10) for n in (1, 3, 7)]})
