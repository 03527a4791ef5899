r"""The rate of Theorem 1's failure fraction: 1 − ratio ≈ A·I_m(c, δ) fitted over δ, with
:math:`I_m(c,\delta) = \int_0^\delta \rho_m(w)\, e^{-c/w}\,dw` (→ C δ^β e^{−c/δ} as δ → 0)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special

from fptheory.core.errors import FPTheoryError

# ---------------------------------------------------------------------------------------
# the rate


@dataclass
class RateFit:
    r"""log(1 − ratio) = log A + log I_m(c, δ) fitted over δ (see :func:`fit_rate`)."""

    c: float
    c_stderr: float
    c_spread: float
    A: float
    beta: float
    points: int
    residual_rms: float

    def predict(self, delta: float, m: int) -> float:
        """The fitted 1 − ratio at δ."""
        return self.A * math.exp(_log_edge_integral(self.c, delta, m))

    def C(self, m: int) -> float:
        r"""The constant of the δ → 0 form 1 − ratio ≈ C δ^β e^{−c/δ}, β = (m + 1)/2: Laplace's
        method at the edge gives I_m ≈ Γ(m/2+1) 2^{(m−1)/2}/(√π c^{(m+1)/2}) δ^β e^{−c/δ}."""
        return self.A * math.exp(special.gammaln(m / 2 + 1) + (m - 1) / 2 * math.log(2)
                                 - 0.5 * math.log(math.pi) - (m + 1) / 2 * math.log(self.c))

    def to_dict(self) -> dict[str, Any]:
        m = int(round(2 * self.beta - 1))
        return {"c": self.c, "c_stderr": self.c_stderr, "c_spread": self.c_spread,
                "C": self.C(m), "A": self.A,
                "beta": self.beta, "points": self.points, "residual_rms": self.residual_rms,
                "model": "1-ratio = A * Int_0^delta rho_m(w; delta) exp(-c/w) dw  "
                         "~ C delta^beta exp(-c/delta) as delta -> 0"}


def _log_edge_integral(c: float, delta: float, m: int) -> float:
    r"""log of :math:`I_m(c,\delta) = \int_0^\delta \rho_m(w)\, e^{-c/w}\,dw`, ρ_m the density
    of one coordinate of the uniform m-ball of radius δ, computed as
    e^{−c/δ} ∫ ρ_m(w) e^{−c(1/w − 1/δ)} dw so that nothing underflows."""
    from scipy import integrate

    log_cm = special.gammaln(m / 2 + 1) - special.gammaln((m + 1) / 2) - 0.5 * math.log(math.pi)

    def integrand(u: float) -> float:  # w = δ(1 − u)
        w = delta * (1 - u)
        if w <= 0:
            return 0.0
        return ((1 - (1 - u) ** 2) ** ((m - 1) / 2)) * math.exp(-c * (1 / w - 1 / delta))

    scale = min(1.0, 4 * delta / c * (m + 1))  # where the integrand lives, in u
    value, _ = integrate.quad(integrand, 0, scale, limit=200, epsabs=0, epsrel=1e-10)
    value += integrate.quad(integrand, scale, 1, limit=200, epsabs=0, epsrel=1e-8)[0] if scale < 1 else 0
    return log_cm - c / delta + math.log(value)


def fit_rate(deltas: Sequence[float], log_failures: Sequence[float], m: int) -> RateFit:
    r"""Fit the rate c from log failures (natural log) at several δ.

    The failure set is a union of bands at w_n (spacing constant in t = 1/w) whose widths
    are ∝ w² e^{−c/w}; summed against the ball's marginal density ρ_m(w) this gives
    1 − ratio ≈ A·I_m(c, δ), :math:`I_m = \int_0^\delta \rho_m(w) e^{-c/w} dw`, times a bounded
    factor periodic in 1/δ (the discreteness of the bands). As δ → 0, I_m ~ δ^{(m+1)/2}
    e^{−c/δ} (Laplace at the edge, ``beta`` = (m + 1)/2), but that limit needs
    δ ≪ 2c/(m − 1): the exact I_m is used instead, so large m and moderate δ are fitted
    without bias. log A is profiled out; c minimises the squared residuals.
    ``c_stderr`` comes from the curvature of that profile (it ignores the periodic
    residual's correlation); ``c_spread`` is half the difference of the rates fitted on the
    lower and the upper half of 1/δ: quote the larger of the two.
    """
    from scipy import optimize

    d = np.asarray(deltas, dtype=float)
    y = np.asarray(log_failures, dtype=float)
    keep = np.isfinite(y)
    d, y = d[keep], y[keep]
    if d.size < 3:
        raise FPTheoryError("fitting the rate needs at least 3 values of δ with failure > 0")

    def profile(c: float, dd: np.ndarray, yy: np.ndarray) -> tuple[float, float]:
        li = np.array([_log_edge_integral(c, x, m) for x in dd])
        log_a = float(np.mean(yy - li))
        return float(np.sum((yy - li - log_a) ** 2)), log_a

    def best(dd: np.ndarray, yy: np.ndarray) -> float:
        slope = -np.polyfit(1 / dd, yy, 1)[0]  # a first guess from a straight line
        lo, hi = max(1e-6, 0.2 * abs(slope)), 5 * abs(slope) + 1e-3
        return float(optimize.minimize_scalar(lambda c: profile(c, dd, yy)[0], bounds=(lo, hi),
                                              method="bounded", options={"xatol": 1e-7}).x)

    c = best(d, y)
    sse, log_a = profile(c, d, y)
    h = 1e-3 * c
    curv = (profile(c + h, d, y)[0] - 2 * sse + profile(c - h, d, y)[0]) / h**2
    dof = max(1, d.size - 2)
    stderr = math.sqrt(2 * sse / dof / curv) if curv > 0 else math.inf
    order = np.argsort(1 / d)
    half = d.size // 2
    spread = 0.0
    if half >= 3:
        spread = abs(best(d[order[half:]], y[order[half:]]) - best(d[order[:half]], y[order[:half]])) / 2
    return RateFit(c, stderr, spread, math.exp(log_a), (m + 1) / 2, int(d.size),
                   math.sqrt(sse / d.size))
