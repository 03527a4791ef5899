r"""The LFP solver (1.27)-(1.30): the training data and the ridge fit on sin/cos features.

:func:`lfp_fit` is ridge regression on sin/cos features at the frequencies :math:`\xi_j = j/L'`,
:math:`j\in I = \{0,\dots,(L'/L)K-1\}`, weights :math:`\gamma(\xi_j)^{-2}` (γ² from
:mod:`~fptheory.theory.lfp.gamma`, or any callable); solved in the data space (dual/kernel
form, n × n) or by the primal normal equations (Cholesky after a diagonal scaling; never an
explicit inverse).
:func:`validate_data` checks and merges the training data; :data:`DEFAULT_X`, :data:`DEFAULT_Y`
are figure 1.6's.

>>> sol = lfp_fit(DEFAULT_X, DEFAULT_Y, lambda xi: np.where(xi == 0, np.inf, 1.0), K=10)
>>> sol.unknowns, sol.L_prime, sol.residual() < 1e-3
(199, 20.0, True)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from fptheory.core.errors import FPTheoryError

__all__ = ["DEFAULT_X", "DEFAULT_Y", "validate_data", "LFPSolution", "lfp_fit", "chapter_lengths"]

#: default training data (three points, within |x| ≤ 1 where the closed-form kernels are exact
#: for both chapter inits); the chapter does not print its points
DEFAULT_X = (-1.0, -0.3, 1.0)
DEFAULT_Y = (0.1, 1.0, -0.5)


def validate_data(x: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Check training data: 1-d, same length ≥ 1, finite; merge exact duplicates.

    Duplicate x with different y cannot be interpolated: one-line FPTheoryError.
    """
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    if x.size == 0:
        raise FPTheoryError("no data points")
    if x.size != y.size:
        raise FPTheoryError(f"{x.size} inputs but {y.size} outputs")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise FPTheoryError("data must be finite (found nan or inf)")
    order = np.argsort(x, kind="stable")
    x, y = x[order], y[order]
    keep = np.ones(x.size, dtype=bool)
    for i in range(1, x.size):
        if x[i] == x[i - 1]:
            if y[i] != y[i - 1]:
                raise FPTheoryError(f"duplicate x = {x[i]:g} with different y ({y[i - 1]:g}, {y[i]:g})")
            keep[i] = False
    return x[keep], y[keep]


@dataclass
class LFPSolution:
    r"""f_LFP(x) = Σ_j a_j sin(2π j x/L') + b_j cos(2π j x/L') from (1.27)-(1.30).

    ``sin_coef[j]``, ``cos_coef[j]`` for j = 0..J-1 (J = (L'/L) K; ``sin_coef[0]`` is 0: its
    feature is identically 0 and it is not an unknown). ``gamma2`` holds γ(ξ_j)² at the
    frequencies ``xi`` = j/L' (or 2πj/L' with ``frequency_argument = "angular"``).
    """

    x: np.ndarray
    y: np.ndarray
    L: float
    L_prime: float
    K: int
    eps: float
    method: str
    frequency_argument: str
    xi: np.ndarray
    gamma2: np.ndarray
    sin_coef: np.ndarray
    cos_coef: np.ndarray
    dual: np.ndarray | None = None

    @property
    def unknowns(self) -> int:
        return 2 * self.xi.size - 1

    def __call__(self, t: np.ndarray) -> np.ndarray:
        t = np.asarray(t, dtype=float)
        phase = 2 * np.pi * np.outer(t.ravel(), np.arange(self.xi.size)) / self.L_prime
        out = np.sin(phase) @ self.sin_coef + np.cos(phase) @ self.cos_coef
        return out.reshape(t.shape)

    def residual(self) -> float:
        """max |f_LFP(x_i) - y_i| (ridge with ε > 0: small, not 0)."""
        return float(np.max(np.abs(self(self.x) - self.y)))

    def to_dict(self) -> dict[str, Any]:
        return {"L": self.L, "L_prime": self.L_prime, "K": self.K, "eps": self.eps,
                "method": self.method, "frequency_argument": self.frequency_argument,
                "unknowns": self.unknowns, "max_residual": self.residual()}


def _lengths(x: np.ndarray, K: int, ratio: int, L: float | None, L_prime: float | None
             ) -> tuple[float, float, int]:
    """(L, L', J = (L'/L) K) from the explicit values or the chapter's reading."""
    default_L, _ = chapter_lengths(x, ratio)
    for name, v in (("L", L), ("L_prime", L_prime)):
        if v is not None and not (isinstance(v, (int, float, np.floating)) and math.isfinite(v) and v > 0):
            raise FPTheoryError(f"{name} must be a finite number > 0, got {v!r}")
    L = default_L if L is None else float(L)
    if L < float(x[-1] - x[0]) * (1 - 1e-12):
        raise FPTheoryError(f"L = {L:g} is shorter than the range of the inputs ({x[-1] - x[0]:g})")
    L_prime = ratio * L if L_prime is None else float(L_prime)
    if L_prime < L:
        raise FPTheoryError(f"L' = {L_prime:g} must be >= L = {L:g}")
    J_exact = L_prime / L * K
    J = int(round(J_exact))
    if abs(J - J_exact) > 1e-9 * J_exact or J < 1:
        raise FPTheoryError(f"(L'/L)·K = {J_exact:g} must be an integer (the frequency count)")
    return L, L_prime, J


def _features(x: np.ndarray, J: int, L_prime: float) -> tuple[np.ndarray, np.ndarray]:
    phase = 2 * np.pi * np.outer(x, np.arange(J)) / L_prime
    return np.sin(phase), np.cos(phase)


def chapter_lengths(x: Sequence[float] | np.ndarray, ratio: int = 10) -> tuple[float, float]:
    """The chapter's reading of L and L' (1.27)-(1.30): L = max x - min x (1 for one point),
    L' = ``ratio``·L (the chapter: 10 L).

    >>> chapter_lengths([-1.0, -0.3, 1.0])
    (2.0, 20.0)
    """
    x = np.asarray(x, dtype=float).ravel()
    L = float(np.max(x) - np.min(x)) or 1.0
    return L, ratio * L


def lfp_fit(
    x: Sequence[float] | np.ndarray,
    y: Sequence[float] | np.ndarray,
    gamma2: Callable[[np.ndarray], np.ndarray],
    *,
    K: int = 200,
    eps: float = 1e-6,
    ratio: int = 10,
    method: str = "dual",
    frequency_argument: str = "ordinary",
    L: float | None = None,
    L_prime: float | None = None,
) -> LFPSolution:
    r"""Solve the LFP model (1.27): min Σ_i (f(x_i) - y_i)² + ε Σ_{j∈I} γ_j^{-2}(a_j² + b_j²).

    By default L is the range of the inputs (1 for a single point) and L' = ``ratio``·L (the
    chapter: 10L; :func:`chapter_lengths`). ``L`` and ``L_prime`` set them explicitly (L at
    least the range of the inputs, L' ≥ L; then L'/L replaces ``ratio`` and (L'/L)·K must be
    an integer), I = {0, ..., (L'/L)·K - 1}, ξ_j = j/L' the ordinary frequency of sin(2πjx/L'), and
    γ_j² = ``gamma2``(ξ_j). The chapter prints γ(2πj/L'): ``frequency_argument="angular"``
    evaluates γ there (inconsistent with (1.26)'s ordinary ξ; kept to measure the difference).
    A weight γ_j² = inf (ξ = 0) leaves that coefficient unpenalised; the j = 0 sine feature is
    identically 0 and is dropped (so ``2J - 1`` unknowns, 3999 at the chapter's size).

    ``method="dual"``: the same minimiser in data space, f = a_0 + k(·, X) c with the kernel
    k(x, y) = Σ_j γ_j² cos(2πj(x - y)/L') over the penalised j and the bordered system
    [[k(X,X) + εI, 1], [1ᵀ, 0]] (Cholesky of k(X,X) + εI, Schur complement for a_0).
    ``method="primal"``: (1.30) with columns scaled by γ_j (Cholesky of the scaled
    SEᵀES + ε P; P = 1 on penalised columns). Neither forms an inverse.
    """
    import scipy.linalg as sla

    x, y = validate_data(x, y)
    if not isinstance(K, (int, np.integer)) or isinstance(K, bool) or K < 1:
        raise FPTheoryError(f"K must be an integer >= 1, got {K!r}")
    if not (isinstance(eps, (int, float)) and math.isfinite(eps) and eps > 0):
        raise FPTheoryError(f"ε must be a finite number > 0, got {eps!r}")
    if not isinstance(ratio, (int, np.integer)) or ratio < 1:
        raise FPTheoryError(f"L'/L must be an integer >= 1, got {ratio!r}")
    if method not in ("dual", "primal"):
        raise FPTheoryError(f"method must be dual or primal, got {method!r}")
    if frequency_argument not in ("ordinary", "angular"):
        raise FPTheoryError(f"frequency_argument must be ordinary or angular, got {frequency_argument!r}")
    L, L_prime, J = _lengths(x, K, ratio, L, L_prime)
    xi = np.arange(J) / L_prime
    arg = xi if frequency_argument == "ordinary" else 2 * np.pi * xi
    g2 = np.asarray(gamma2(arg), dtype=float)
    if g2.shape != xi.shape or np.any(np.isnan(g2)) or np.any(g2 < 0) or np.any(g2[1:] == np.inf):
        raise FPTheoryError("γ² must be ≥ 0 and finite at every ξ_j ≠ 0 (inf allowed only at ξ = 0)")
    free = ~np.isfinite(g2)  # unpenalised coefficients (γ = ∞)
    s, c = _features(x, J, L_prime)
    sin_coef, cos_coef = np.zeros(J), np.zeros(J)
    if method == "dual":
        pen = ~free
        w = np.where(pen, g2, 0.0)
        gram = (s[:, 1:] * w[1:]) @ s[:, 1:].T + (c * w) @ c.T
        free_cols = c[:, free]  # unpenalised cosine columns (the constant when γ(0) = ∞)
        if np.any(free[1:]):
            raise FPTheoryError("only ξ = 0 may be unpenalised")  # guarded above; not expected
        factor = sla.cho_factor(gram + eps * np.eye(x.size), lower=True)
        z_y = sla.cho_solve(factor, y)
        if free_cols.shape[1]:
            z_1 = sla.cho_solve(factor, free_cols)
            a0 = sla.solve(free_cols.T @ z_1, free_cols.T @ z_y, assume_a="pos")
            dual = z_y - z_1 @ a0
            cos_coef[free] = a0
        else:
            dual = z_y
        sin_coef[1:] = w[1:] * (s[:, 1:].T @ dual)
        cos_coef[pen] = w[pen] * (c[:, pen].T @ dual)
        return LFPSolution(x, y, L, L_prime, int(K), float(eps), method, frequency_argument, xi, g2,
                           sin_coef, cos_coef, dual)
    # primal: unknowns [sin_1..sin_{J-1}, cos_0..cos_{J-1}], column scale γ_j (1 if free)
    E = np.hstack([s[:, 1:], c])
    g_all = np.concatenate([g2[1:], g2])
    free_all = np.concatenate([free[1:], free])
    scale = np.where(free_all, 1.0, np.sqrt(np.where(free_all, 1.0, g_all)))
    Es = E * scale
    M = Es.T @ Es
    M[np.diag_indices_from(M)] += eps * (~free_all)
    coef = scale * sla.cho_solve(sla.cho_factor(M, lower=True), Es.T @ y)
    sin_coef[1:] = coef[: J - 1]
    cos_coef[:] = coef[J - 1:]
    return LFPSolution(x, y, L, L_prime, int(K), float(eps), method, frequency_argument, xi, g2,
                       sin_coef, cos_coef)
