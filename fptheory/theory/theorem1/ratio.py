r"""The gradients of Theorem 1 (§1.1.1) at two frequencies k_1 < k_2: the text's
inequality (1.11), the sinh factor of (1.11) and (1.14), and their overflow-free float64 logs.

Contents

* the proof's (1.11): :data:`RATIO_SYMBOLS`, :func:`sinh_ratio`, :func:`a_gradient_ratio`
  (exact, from :func:`~.gradients.polar_gradients`), :func:`text_1_11` (the two sides as
  typed) and :func:`check_1_11` (the exact ratio against the text's, proved by sympy);
* float64 numerics that never overflow for tiny :math:`|w|`: :func:`log_abs_csch`,
  :func:`stable_sinh_ratio`, :func:`log_abs_sinh_ratio`, :func:`log_abs_gradient`,
  :func:`log_gradient_ratio`, :func:`gradient_ratio` (with the 50-digit reference
  :func:`log_abs_gradient_mp`).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

import mpmath
import numpy as np
import sympy as sp

from fptheory.core.errors import FPTheoryError
from fptheory.fourier.engine import K
from fptheory.verify.claims import Assessment, assess_identity

from .gradients import polar_gradients
from .network import _PSI, KINDS, NEURON, PHI, A, Theta, _mpf

__all__ = [
    "RATIO_SYMBOLS",
    "sinh_ratio",
    "a_gradient_ratio",
    "text_1_11",
    "check_1_11",
    "log_abs_csch",
    "stable_sinh_ratio",
    "log_abs_sinh_ratio",
    "log_abs_gradient",
    "log_gradient_ratio",
    "gradient_ratio",
    "log_abs_gradient_mp",
]

#: symbols of the two frequencies in (1.11): k_1, k_2 > 0 (the proof's "WLOG"), A_i, φ_i
RATIO_SYMBOLS = {
    "k1": sp.Symbol("k_1", positive=True), "k2": sp.Symbol("k_2", positive=True),
    "A1": sp.Symbol("A_1", positive=True), "A2": sp.Symbol("A_2", positive=True),
    "phi1": sp.Symbol("phi_1", real=True), "phi2": sp.Symbol("phi_2", real=True),
}


def sinh_ratio(k1: sp.Expr, k2: sp.Expr, w: sp.Expr) -> sp.Expr:
    r""":math:`|\sinh(\pi k_1/2w)/\sinh(\pi k_2/2w)|`, the factor of (1.11) and (1.14)."""
    return sp.Abs(sp.sinh(sp.pi * k1 / (2 * w)) / sp.sinh(sp.pi * k2 / (2 * w)))


def _at(expr: sp.Expr, i: int) -> sp.Expr:
    s = RATIO_SYMBOLS
    return expr.subs({K: s[f"k{i}"], A: s[f"A{i}"], PHI: s[f"phi{i}"]}, simultaneous=True)


def a_gradient_ratio() -> sp.Expr:
    r"""Exact :math:`|\partial L(k_2)/\partial a_j| / |\partial L(k_1)/\partial a_j|`, from
    :func:`polar_gradients` at (k_i, A_i = A(k_i), φ_i = φ(k_i)); (1.11) says it is ≥ 1
    exactly when the text's left side is ≥ its right side."""
    g = polar_gradients()["a"]
    return sp.Abs(_at(g, 2)) / sp.Abs(_at(g, 1))


def text_1_11() -> tuple[sp.Expr, sp.Expr]:
    r"""The two sides of the text's inequality (1.11), as typed in the chapter:

    .. math:: \frac{A(k_2)}{A(k_1)}
        \left|\frac{e^{\pi k_1/2w} - e^{-\pi k_1/2w}}{e^{\pi k_2/2w} - e^{-\pi k_2/2w}}\right|
        \left|\sin\Big(\frac{b k_2}{w} - \phi(k_2)\Big)\right|
        \;\ge\; \left|\sin\Big(\frac{b k_1}{w} - \phi(k_1)\Big)\right|.
    """
    s = RATIO_SYMBOLS
    w, b = NEURON.w[0], NEURON.b[0]

    def u(k: sp.Expr) -> sp.Expr:
        return sp.pi * k / (2 * w)

    lhs = (s["A2"] / s["A1"]
           * sp.Abs((sp.exp(u(s["k1"])) - sp.exp(-u(s["k1"])))
                    / (sp.exp(u(s["k2"])) - sp.exp(-u(s["k2"]))))
           * sp.Abs(sp.sin(b * s["k2"] / w - s["phi2"])))
    rhs = sp.Abs(sp.sin(b * s["k1"] / w - s["phi1"]))
    return lhs, rhs


def _abs_squared(expr: sp.Expr) -> sp.Expr:
    """expr² with every |u|^(2n) written (u·conj(u))^n: an identity for complex u, and
    for the real expressions here it removes the Abs that sympy cannot resolve."""
    squared = sp.expand_power_base(expr**2, force=True)
    out = squared.replace(
        lambda z: z.is_Pow and isinstance(z.base, sp.Abs) and z.exp.is_even,
        lambda z: (z.base.args[0] * sp.conjugate(z.base.args[0])) ** (z.exp / 2))
    if out.has(sp.Abs):
        raise AssertionError(f"an Abs survived squaring: {out}")
    return out


def check_1_11() -> Assessment:
    """:func:`assess_identity` of the exact ratio against (text lhs)/(text rhs) of (1.11).

    Both sides are ≥ 0, so they are equal iff their squares are; squaring turns each
    |u|² into u·conj(u) (:func:`_abs_squared`) and sympy then simplifies the difference
    to 0 with no sign cases left. ``proved`` means (1.11) is exactly
    |∂L(k_1)/∂a_j| ≤ |∂L(k_2)/∂a_j| (for A(k_1) > 0 and sin(b k_1/w − φ(k_1)) ≠ 0).
    """
    lhs, rhs = text_1_11()
    return assess_identity(
        _abs_squared(a_gradient_ratio()), _abs_squared(lhs / rhs),
        r"\Big(\frac{|\partial L(k_2)/\partial a_j|}{|\partial L(k_1)/\partial a_j|}\Big)^2"
        r" = \Big(\frac{\text{lhs of (1.11)}}{\text{rhs of (1.11)}}\Big)^2",
        sign_split=False)


# ---------------------------------------------------------------------------------------
# float64 numerics without overflow (for the measure ratio at tiny |w|)

_LOG2 = math.log(2.0)


def log_abs_csch(x: Any) -> np.ndarray:
    r""":math:`\log|\operatorname{csch} x| = \log 2 - |x| - \log(1 - e^{-2|x|})`, x ≠ 0,
    in float64 without overflow (``expm1`` keeps small |x| accurate).

    >>> float(log_abs_csch(1e4))
    -9999.30685281944
    """
    ax = np.abs(np.asarray(x, dtype=float))
    return _LOG2 - ax - np.log(-np.expm1(-2.0 * ax))


def stable_sinh_ratio(x1: Any, x2: Any) -> np.ndarray:
    r""":math:`\sinh x_1/\sinh x_2 = e^{x_1-x_2}(1-e^{-2x_1})/(1-e^{-2x_2})` for x_1, x_2 > 0,
    vectorised float64; underflows to 0 (never nan) when x_2 − x_1 is huge."""
    x1 = np.asarray(x1, dtype=float)
    x2 = np.asarray(x2, dtype=float)
    if np.any(x1 <= 0) or np.any(x2 <= 0):
        raise FPTheoryError("stable_sinh_ratio needs x1, x2 > 0 (use log_abs_sinh_ratio)")
    return np.exp(x1 - x2) * np.expm1(-2.0 * x1) / np.expm1(-2.0 * x2)


def log_abs_sinh_ratio(x1: Any, x2: Any) -> np.ndarray:
    r""":math:`\log|\sinh x_1/\sinh x_2|` for nonzero x_1, x_2 (either sign), float64."""
    return log_abs_csch(x2) - log_abs_csch(x1)


_S, _COTH = sp.symbols("S C", positive=True)  # S = sinh u, C = coth u, u = πk/(2w)


@functools.cache
def _scaled_gradient(kind: Theta) -> Callable[..., Any]:
    """numpy callable of sinh(u)·∂L/∂θ with cosh u = C·sinh u: no exponentials of u left."""
    w = NEURON.w[0]
    u = sp.pi * K / (2 * w)
    g = polar_gradients()[kind].subs(PHI, NEURON.b[0] * K / w - _PSI)
    g = g.subs({sp.sinh(u): _S, sp.cosh(u): _COTH * _S})
    scaled = sp.expand(g * _S)
    if scaled.has(_S) or scaled.has(sp.sinh, sp.cosh, sp.exp):
        raise AssertionError(f"sinh(u) did not factor out of ∂L/∂{kind}: {scaled}")
    args = [A, _PSI, NEURON.a[0], NEURON.b[0], w, K, _COTH]
    return sp.lambdify(args, scaled, modules="numpy")


def log_abs_gradient(kind: Theta, k: Any, w: Any, *, a: Any = 1.0, b: Any, A: Any,
                     phi: Any) -> np.ndarray:
    r""":math:`\log|\partial L(k)/\partial\theta|` for θ = a_j, b_j or w_j of one neuron,
    float64, vectorised (broadcast) over k, w, a, b, A, φ.

    Computed as :math:`\log|\sinh(u)\,\partial L/\partial\theta| + \log|\operatorname{csch} u|`,
    u = πk/(2w): the first factor is sympy's :func:`polar_gradients` expression times
    sinh u (lambdified; only powers of 1/w, sin ψ, cos ψ and coth u remain), the second is
    :func:`log_abs_csch`. No overflow for |w| down to ~1e-300·k; −inf where the gradient
    vanishes. A = A(k), φ = φ(k) are the residual's amplitude and phase at this k.
    """
    if kind not in KINDS:
        raise FPTheoryError(f"kind must be one of {KINDS}, got {kind!r}")
    k, w, a, b, amp, phase = np.broadcast_arrays(*(np.asarray(v, dtype=float)
                                                  for v in (k, w, a, b, A, phi)))
    if np.any(w == 0) or np.any(k == 0):
        raise FPTheoryError("log_abs_gradient needs w ≠ 0 and k ≠ 0")
    u = np.pi * k / (2.0 * w)
    psi = b * k / w - phase
    with np.errstate(divide="ignore"):
        scaled = _scaled_gradient(kind)(amp, psi, a, b, w, k, 1.0 / np.tanh(u))
        return np.log(np.abs(np.broadcast_to(scaled, u.shape))) + log_abs_csch(u)


def log_gradient_ratio(kind: Theta, k1: Any, k2: Any, w: Any, *, a: Any = 1.0, b: Any,
                       A1: Any, A2: Any, phi1: Any, phi2: Any) -> np.ndarray:
    r""":math:`\log(|\partial L(k_1)/\partial\theta| / |\partial L(k_2)/\partial\theta|)`,
    float64, vectorised over w (and the rest); > 0 means the lower frequency k_1 dominates,
    as (1.9) asserts for small W. Finite for any |w| ≥ ~1e-300 (it is about
    π(k_2 − k_1)/(2|w|), e.g. 15708 at k_2 − k_1 = 1, w = 1e-4)."""
    return (log_abs_gradient(kind, k1, w, a=a, b=b, A=A1, phi=phi1)
            - log_abs_gradient(kind, k2, w, a=a, b=b, A=A2, phi=phi2))


def gradient_ratio(kind: Theta, k1: Any, k2: Any, w: Any, *, a: Any = 1.0, b: Any, A1: Any,
                   A2: Any, phi1: Any, phi2: Any) -> np.ndarray:
    r""":math:`|\partial L(k_1)/\partial\theta| / |\partial L(k_2)/\partial\theta|` =
    exp(:func:`log_gradient_ratio`): inf or 0 only where the true ratio is beyond float64
    (e.g. k_1 < k_2 and |w| < ~2e-3 (k_2 − k_1)), never nan from sinh overflow. Compare
    the log for verdicts."""
    diff = log_gradient_ratio(kind, k1, k2, w, a=a, b=b, A1=A1, A2=A2, phi1=phi1, phi2=phi2)
    with np.errstate(over="ignore"):
        return np.exp(diff)


@functools.cache
def _polar_mp(kind: Theta) -> Callable[..., Any]:
    n = NEURON
    return sp.lambdify([A, PHI, n.a[0], n.b[0], n.w[0], K], polar_gradients()[kind],
                       modules="mpmath")


def log_abs_gradient_mp(kind: Theta, k: Any, w: Any, *, a: Any = 1, b: Any, A: Any, phi: Any,
                        dps: int = 50) -> mpmath.mpf:
    """Reference for :func:`log_abs_gradient`: the polar gradient lambdified to mpmath and
    evaluated at ``dps`` digits (mpmath's exponent range is unbounded), then log|·|."""
    with mpmath.workdps(dps):
        v = _polar_mp(kind)(_mpf(A), _mpf(phi), _mpf(a), _mpf(b), _mpf(w), _mpf(k))
        return mpmath.log(abs(v))
