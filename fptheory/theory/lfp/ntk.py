r"""Exact infinite-width kernels of the gradient features: the NTK of (1.25), and its interpolant.

The kernel :math:`K(x, y) = \mathbb E[\nabla_\theta h(x)\cdot\nabla_\theta h(y)]` of the
features :math:`\sigma(wx+b)` (a), :math:`a\sigma'(wx+b)` (b), :math:`a\sigma'(wx+b)x` (w) for
ReLU: in closed form for uniform initialisations (:func:`ntk_closed_form`, exact sympy
integration), by Monte Carlo over sampled neurons (:func:`ntk_monte_carlo`), and for one given
net (:func:`empirical_ntk`); :class:`KernelParts` selects the features (the chapter's γ² (1.26)
keeps a and b only). :func:`kernel_interpolant` is where gradient flow of the linearised net
converges; used to explain where NN and LFP differ.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy as sp

from fptheory.core.errors import FPTheoryError

from .gamma import Init
from .solver import validate_data

__all__ = ["KernelParts", "ntk_closed_form", "ntk_monte_carlo", "empirical_ntk", "kernel_interpolant"]


@dataclass(frozen=True)
class KernelParts:
    """Which gradient features enter a kernel: a (σ), b (aσ'), w (aσ'x)."""

    a: bool = True
    b: bool = True
    w: bool = True

    def label(self) -> str:
        return "+".join(n for n in ("a", "b", "w") if getattr(self, n)) or "none"


@functools.cache
def _relu_kernel_symbolic() -> dict[str, sp.Expr]:
    r"""Per-neuron ReLU NTK pieces for w ~ U[-U_w, U_w], b ~ U[-B, B], x ≤ y, U_w max(|x|,|y|) ≤ B.

    K_σ = E[relu(wx+b) relu(wy+b)], K_H = E[H(wx+b) H(wy+b)] by exact sympy integration over b
    (for w > 0 the larger argument is wy; for w < 0 it is wx) and then over w.
    """
    x, y = sp.symbols("x y", real=True)
    w, b = sp.symbols("w b", real=True)
    uw, bb = sp.symbols("U_w B", positive=True)
    out = {}
    for name, prod in (("sigma", lambda u, v: (u + b) * (v + b)), ("H", lambda u, v: sp.Integer(1))):
        # both factors > 0 iff b > -min(u, v); min is w x for w > 0, w y for w < 0 (x ≤ y)
        pos = sp.integrate(prod(w * x, w * y), (b, -w * x, bb)) / (2 * bb)
        neg = sp.integrate(prod(w * x, w * y), (b, -w * y, bb)) / (2 * bb)
        total = (sp.integrate(pos, (w, 0, uw)) + sp.integrate(neg, (w, -uw, 0))) / (2 * uw)
        out[name] = sp.expand(total)
    out["symbols"] = (x, y, uw, bb)  # type: ignore[assignment]
    return out


def ntk_closed_form(init: Init, parts: KernelParts = KernelParts(), activation: str = "relu"
                    ) -> tuple[sp.Expr, Callable[[np.ndarray, np.ndarray], np.ndarray], float]:
    r"""Exact infinite-width NTK per neuron, K(x, y) = E[∇_θ h(x)·∇_θ h(y)], ReLU, uniform init.

    Returns (sympy expression in x ≤ y, numpy callable K(x, y) for any x, y (it orders them),
    validity radius ρ = B/U_w): exact for |x|, |y| ≤ ρ, where every kink -b/w lies... inside
    the bias range. Outside it the callable raises. Pieces: a-feature K_σ, b-feature E a²·K_H,
    w-feature E a²·xy·K_H. With w symmetric: K_σ = B²/6 + E w² xy/2 + E|w|³|x-y|³/(24B),
    K_H = 1/2 - E|w| |x - y|/(4B).
    """
    if activation != "relu" or init.distribution != "uniform":
        raise FPTheoryError("the closed-form kernel covers ReLU with uniform inits; use ntk_monte_carlo")
    sym = _relu_kernel_symbolic()
    x, y, uw, bb = sym["symbols"]  # type: ignore[misc]
    subs = {uw: sp.nsimplify(init.w), bb: sp.nsimplify(init.b)}
    e_a2 = sp.nsimplify(init.a) ** 2 / 3
    expr = sp.Integer(0)
    if parts.a:
        expr += sym["sigma"].subs(subs)
    if parts.b:
        expr += e_a2 * sym["H"].subs(subs)
    if parts.w:
        expr += e_a2 * x * y * sym["H"].subs(subs)
    expr = sp.expand(expr)
    f = sp.lambdify((x, y), expr, "numpy")
    radius = init.b / init.w

    def kernel(s: np.ndarray, t: np.ndarray) -> np.ndarray:
        s, t = np.broadcast_arrays(np.asarray(s, dtype=float), np.asarray(t, dtype=float))
        if np.any(np.abs(s) > radius * (1 + 1e-12)) or np.any(np.abs(t) > radius * (1 + 1e-12)):
            raise FPTheoryError(f"closed-form kernel valid for |x| <= B/U_w = {radius:g}; "
                                "use ntk_monte_carlo outside")
        return np.asarray(f(np.minimum(s, t), np.maximum(s, t)), dtype=float) + 0 * s

    return expr, kernel, radius


def ntk_monte_carlo(init: Init, neurons: int, rng: np.random.Generator,
                    parts: KernelParts = KernelParts()
                    ) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """Monte Carlo NTK per neuron: (1/m) Σ_j ∇_θj h(x)·∇_θj h(y) over ``neurons`` sampled neurons.

    Independent of :func:`ntk_closed_form` (no integration, only sampling); also valid outside
    its validity radius and for normal inits.
    """
    if neurons < 1:
        raise FPTheoryError("neurons must be >= 1")
    draw = (lambda s: rng.uniform(-s, s, neurons)) if init.distribution == "uniform" else \
        (lambda s: rng.normal(0.0, s, neurons))
    w, a, b = draw(init.w), draw(init.a), draw(init.b)
    return empirical_ntk(a, w, b, parts)


def empirical_ntk(a: np.ndarray, w: np.ndarray, b: np.ndarray, parts: KernelParts = KernelParts()
                  ) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """The NTK of one ReLU net θ = (a, w, b), per neuron: (1/m) Σ_j ∇_θj h(x)·∇_θj h(y).

    The gradient features are σ(wx+b) (a), a H(wx+b) (b), a H(wx+b) x (w). The linearised net
    trained from h_ini converges to h_ini + :func:`kernel_interpolant` of this kernel.
    """
    a, w, b = (np.asarray(v, dtype=float) for v in (a, w, b))
    neurons = w.size

    def features(t: np.ndarray) -> np.ndarray:
        t = np.asarray(t, dtype=float).ravel()
        pre = np.outer(t, w) + b
        cols = []
        if parts.a:
            cols.append(np.maximum(pre, 0.0))
        heav = (pre > 0) * a
        if parts.b:
            cols.append(heav)
        if parts.w:
            cols.append(heav * t[:, None])
        return np.hstack(cols) / math.sqrt(neurons)

    def kernel(s: np.ndarray, t: np.ndarray) -> np.ndarray:
        return features(s) @ features(t).T

    return kernel


def kernel_interpolant(kernel: Callable[[np.ndarray, np.ndarray], np.ndarray], x: np.ndarray,
                       y: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """Minimum-norm interpolant f = k(·, X) c, k(X, X) c = y (Cholesky; lstsq if singular).

    This is where gradient flow of the linearised net converges from h_ini ≡ 0.
    """
    import scipy.linalg as sla

    x, y = validate_data(x, y)
    gram = np.asarray(kernel(x[:, None], x[None, :]), dtype=float)
    try:
        c = sla.cho_solve(sla.cho_factor(gram, lower=True), y)
    except np.linalg.LinAlgError:
        c = np.linalg.lstsq(gram, y, rcond=None)[0]

    def f(t: np.ndarray) -> np.ndarray:
        t = np.asarray(t, dtype=float)
        return (np.asarray(kernel(t.ravel()[:, None], x[None, :]), dtype=float) @ c).reshape(t.shape)

    return f
