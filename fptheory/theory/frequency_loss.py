r"""The per-frequency loss of §1.1.1, (1.4)-(1.7): Parseval's constant, the update, and the
factor G of (1.7) made explicit.

(1.4) defines :math:`L(k) = \tfrac12|\hat h(k) - \hat f(k)|^2`. Its integral (1.5) is
Parseval's identity, whose constant depends on the convention
:math:`\mathcal F_{a,b}[g](k) = \sqrt{|b|/(2\pi)^{1-a}}\int g e^{ibkx}dx`:

.. math:: \int |\mathcal F_{a,b}[g](k)|^2 dk = (2\pi)^a \int |g(x)|^2 dx,

so :math:`\int L(k)dk = 2\pi\int\tfrac12|f-h|^2dx` in §1.1's angular convention (a = 1)
and (1.5) holds as printed only for a = 0 (ordinary, unitary): :func:`parseval_constant`.

(1.7) writes :math:`|\partial L(k)/\partial\theta| \approx |D(k)| e^{-|\pi k/2w_j|} G(\theta,k)`.
With :math:`D = A e^{i\phi}`, ψ = b k/w − φ and u = πk/(2w), the exact gradients
(:func:`fptheory.theory.theorem1.polar_gradients`) give :math:`G = |\partial L/\partial\theta|
e^{|u|}/A` exactly (:func:`g_factor`); for θ = a_j and b_j

.. math:: G_a = \frac{2\pi|\sin\psi|}{|w|(1 - e^{-\pi|k/w|})},\qquad
          G_b = \frac{|a k|}{|w|}\,\frac{2\pi|\cos\psi|}{|w|(1 - e^{-\pi|k/w|})}

(:func:`g_closed_form`): bounded in ψ, but growing like 1/|w| (a) and |k|/w² (b), so
G is O(1) only against the exponential factor, not uniformly. :func:`g_envelope_range`
measures the envelope (|sin ψ|, |cos ψ| → 1) over a parameter box.

>>> parseval_constant(ANGULAR), parseval_constant(ORDINARY)
(2*pi, 1)
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import mpmath
import sympy as sp

from fptheory.fourier.conventions import ANGULAR, ORDINARY, FourierConvention
from fptheory.fourier.engine import K, fourier_transform

__all__ = ["parseval_constant", "gaussian_parseval_ratio", "PSI", "g_factor", "g_closed_form",
           "GRange", "g_envelope_range", "ANGULAR", "ORDINARY"]

#: ψ = b k/w − φ, the phase in the gradients of (1.10)
PSI = sp.Symbol("psi", real=True)


def parseval_constant(convention: FourierConvention) -> sp.Expr:
    r"""The c with :math:`\int|\mathcal F[g]|^2dk = c\int|g|^2dx`: :math:`(2\pi)^a`
    (from F = N G(−bk), N² = |b|/(2π)^{1−a} and Plancherel ∫|G(ω)|²dω = 2π∫|g|²)."""
    n2 = convention.normalisation ** 2
    return sp.simplify(n2 / sp.Abs(convention.b) * 2 * sp.pi)


def gaussian_parseval_ratio(convention: FourierConvention) -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    r"""For g = e^{−(x−c)²/s²} (s > 0, c real): the engine's transform in ``convention``,
    ∫|F[g]|²dk and ∫g²dx (sympy, exactly). Their ratio is the convention's Parseval constant
    for the whole family (an independent check of :func:`parseval_constant`)."""
    x = sp.Symbol("x", real=True)
    s = sp.Symbol("s", positive=True)
    c = sp.Symbol("c", real=True)
    g = sp.exp(-(x - c) ** 2 / s ** 2)
    spectrum = fourier_transform(g, x, convention).spectrum.regular
    power = sp.simplify(sp.expand_complex(spectrum * sp.conjugate(spectrum)))
    lhs = sp.simplify(sp.integrate(power, (K, -sp.oo, sp.oo)))
    rhs = sp.simplify(sp.integrate(g ** 2, (x, -sp.oo, sp.oo)))
    return spectrum, lhs, rhs


def g_factor(kind: str) -> sp.Expr:
    r"""G(θ, k) of (1.7) for θ of kind ``"a"``, ``"b"`` or ``"w"`` (one neuron), exactly:
    :math:`|\partial L/\partial\theta|\,e^{|\pi k/2w|}/A` with the gradient of
    :func:`~fptheory.theory.theorem1.polar_gradients` written in ψ."""
    from fptheory.theory.theorem1.gradients import polar_gradients
    from fptheory.theory.theorem1.network import NEURON, PHI, A

    w, b = NEURON.w[0], NEURON.b[0]
    grad = polar_gradients()[kind].subs(PHI, b * K / w - PSI)
    return sp.Abs(grad) * sp.exp(sp.Abs(sp.pi * K / (2 * w))) / A


def g_closed_form(kind: str) -> sp.Expr:
    """The closed forms of G for θ = a_j and b_j (module docstring); ``w`` has no short form."""
    from fptheory.theory.theorem1.network import NEURON

    a, w = NEURON.a[0], NEURON.w[0]
    base = 2 * sp.pi / (sp.Abs(w) * (1 - sp.exp(-sp.pi * sp.Abs(K / w))))
    if kind == "a":
        return base * sp.Abs(sp.sin(PSI))
    if kind == "b":
        return sp.Abs(a * K / w) * base * sp.Abs(sp.cos(PSI))
    raise ValueError(f"no closed form of G for kind {kind!r} (use a or b)")


@dataclass(frozen=True)
class GRange:
    """The envelope of G (|sin ψ| = |cos ψ| = 1) over a parameter box, against the
    exponential factor e^{−|πk/2w|} over the same box (both as log10 spans)."""

    kind: str
    box: dict[str, tuple[str, str]]
    g_min: mpmath.mpf
    g_max: mpmath.mpf
    exp_min: mpmath.mpf
    exp_max: mpmath.mpf
    points: int

    @property
    def g_decades(self) -> float:
        return float(mpmath.log10(self.g_max / self.g_min))

    @property
    def exp_decades(self) -> float:
        return float(mpmath.log10(self.exp_max / self.exp_min))

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "box": self.box, "points": self.points,
                "G_min": mpmath.nstr(self.g_min, 6), "G_max": mpmath.nstr(self.g_max, 6),
                "exp_factor_min": mpmath.nstr(self.exp_min, 6),
                "exp_factor_max": mpmath.nstr(self.exp_max, 6),
                "G_decades": round(self.g_decades, 2), "exp_decades": round(self.exp_decades, 2)}


def g_envelope_range(kind: str, ks: Sequence[Any], ws: Sequence[Any], a: Any = 1,
                     dps: int = 30) -> GRange:
    """Min and max of G's envelope (closed form, |sin ψ|, |cos ψ| set to 1) on the grid
    ks × ws (both > 0; G depends on |k| and |w| only), and of e^{−πk/2w} there."""
    from fptheory.theory.theorem1.network import NEURON

    env = g_closed_form(kind).subs({sp.Abs(sp.sin(PSI)): 1, sp.Abs(sp.cos(PSI)): 1})
    f = sp.lambdify((K, NEURON.w[0], NEURON.a[0]), env, "mpmath")
    gs, es = [], []
    with mpmath.workdps(dps):
        for k, w in itertools.product(ks, ws):
            kk, ww = mpmath.mpf(sp.Rational(k).p) / sp.Rational(k).q, \
                mpmath.mpf(sp.Rational(w).p) / sp.Rational(w).q
            gs.append(f(kk, ww, mpmath.mpf(a)))
            es.append(mpmath.exp(-mpmath.pi * kk / (2 * ww)))
    box = {"k": (str(min(ks, key=float)), str(max(ks, key=float))),
           "w": (str(min(ws, key=float)), str(max(ws, key=float))), "a": (str(a), str(a))}
    return GRange(kind, box, min(gs), max(gs), min(es), max(es), len(gs))
