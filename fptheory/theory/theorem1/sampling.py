r"""Theorem 1 (1.9) of §1.1.1 sampled: points uniform in the ball B_δ, the event's margins
and a Monte Carlo estimate of the failure fraction against :class:`~.explicit.ExplicitTheorem1`.

Contents: :func:`uniform_in_ball`, :func:`ball_sample` (uniform points of B_δ ⊂ R^m),
:func:`event_margins` (the 3m log-ratios log(|∂L(k_1)/∂θ| / |∂L(k_2)/∂θ|) whose positivity is
the event of (1.9), in float64 log space via :func:`~.ratio.log_gradient_ratio`),
:class:`FailureSample` and :func:`sample_failure` (the fraction where the event fails, near-ties
re-decided with the sympy gradients at 40 digits, with a Clopper-Pearson interval, compared
with the theorem's bound).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from fptheory.core.errors import FPTheoryError
from fptheory.fourier.engine import K

from .explicit import ExplicitTheorem1
from .gradients import gradient_evaluator
from .network import KINDS, NEURON, NetworkParams, neuron_transform
from .ratio import log_gradient_ratio

__all__ = [
    "uniform_in_ball",
    "ball_sample",
    "event_margins",
    "FailureSample",
    "sample_failure",
]


@functools.cache
def _neuron_transform_np() -> Callable[..., Any]:
    n = NEURON
    return sp.lambdify([n.a[0], n.w[0], n.b[0], K], neuron_transform(n.a[0], n.w[0], n.b[0]),
                       modules="numpy")


def uniform_in_ball(rng: np.random.Generator, n: int, m: int,
                    radius: float | np.ndarray) -> np.ndarray:
    """n points uniform in the m-ball of the given radius (one radius, or one per row):
    Gaussian direction, radius·U^{1/m}; shape (n, m). No checks (see :func:`ball_sample`)."""
    x = rng.standard_normal((n, m))
    norms = np.sqrt(np.einsum("ij,ij->i", x, x))
    r = np.asarray(radius, dtype=float).reshape(-1) * rng.random(n) ** (1.0 / m)
    return x * (r / norms)[:, None]


def ball_sample(m: int, delta: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """n points uniform in the ball B_δ ⊂ R^m; shape (n, m) (:func:`uniform_in_ball`, checked)."""
    if m < 1 or n < 1 or not (math.isfinite(delta) and delta > 0):
        raise FPTheoryError(f"ball_sample needs m >= 1, n >= 1, δ > 0; got {m}, {n}, {delta}")
    return uniform_in_ball(rng, n, m, delta)


def event_margins(W: np.ndarray, k1: float, k2: float, fhat1: complex, fhat2: complex,
                  a: Sequence[float], b: Sequence[float]) -> np.ndarray:
    r"""log(|∂L(k_1)/∂θ| / |∂L(k_2)/∂θ|) for every θ in {a_j, b_j, w_j}, at each row of W;
    shape (n, 3m), columns a_1..a_m, b_1..b_m, w_1..w_m. The event of (1.9) is "all > 0".

    D(k) = Σ_j ĥ_j(k) - f̂(k) from the engine's transform (lambdified to numpy; csch of a huge
    argument is 0, never nan) and the gradients from :func:`log_gradient_ratio` (log space:
    no overflow for tiny |w_j|)."""
    W = np.atleast_2d(np.asarray(W, dtype=float))
    a_arr, b_arr = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if W.shape[1] != a_arr.size or a_arr.size != b_arr.size:
        raise FPTheoryError(f"W has {W.shape[1]} columns, a and b {a_arr.size} and {b_arr.size}")
    if np.any(W == 0) or not np.all(np.isfinite(W)):
        raise FPTheoryError("every w_j must be finite and nonzero")
    h = _neuron_transform_np()
    amp, phase = {}, {}
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for i, (k, fhat) in enumerate(((k1, fhat1), (k2, fhat2)), start=1):
            d = np.sum(h(a_arr[None, :], W, b_arr[None, :], k), axis=1) - complex(fhat)
            amp[i], phase[i] = np.abs(d), np.angle(d)
    cols = []
    for kind in KINDS:
        for j in range(a_arr.size):
            cols.append(log_gradient_ratio(kind, k1, k2, W[:, j], a=a_arr[j], b=b_arr[j],
                                           A1=amp[1], A2=amp[2], phi1=phase[1], phi2=phase[2]))
    out = np.stack(cols, axis=1)
    if np.any(np.isnan(out)):
        raise FPTheoryError("a gradient ratio is nan (overflow in the event evaluation)")
    return out


def _event_mp(w: Sequence[float], k1: float, k2: float, fhat1: complex, fhat2: complex,
              a: Sequence[float], b: Sequence[float], dps: int = 40) -> bool:
    """The event of (1.9) at one point, decided with the sympy gradients at ``dps`` digits."""
    params = NetworkParams(tuple(a), tuple(w), tuple(b))
    ev = gradient_evaluator(len(a))
    g1, g2 = ev(params, fhat1, k1, dps), ev(params, fhat2, k2, dps)
    return all(abs(g1[name]) > abs(g2[name]) for name in g1)


@dataclass
class FailureSample:
    """Monte Carlo estimate of 1 - ratio of (1.9) at one δ, with a Clopper-Pearson interval."""

    delta: float
    n: int
    failures: int
    low: float
    high: float
    confidence: float
    rechecked: int  # near-ties re-decided at 40 digits
    bound: float  # failure_bound(δ) of the theorem tested
    seed: int

    @property
    def consistent(self) -> bool:
        """The bound is not below the interval: the data do not contradict it."""
        return self.bound >= self.low

    def to_dict(self) -> dict[str, Any]:
        return {"delta": self.delta, "n": self.n, "failures": self.failures,
                "fraction": self.failures / self.n, "clopper_pearson": [self.low, self.high],
                "confidence": self.confidence, "rechecked_at_40_digits": self.rechecked,
                "bound": self.bound, "consistent": self.consistent, "seed": self.seed}


def sample_failure(theorem: ExplicitTheorem1, delta: float, n: int = 20000, seed: int = 0, *,
                   confidence: float = 0.999, bound: Callable[[float], float] | None = None,
                   tie_tolerance: float = 1e-9) -> FailureSample:
    """Sample W uniformly in B_δ, count the points where some comparison of (1.9) fails, and
    compare with ``theorem.failure_bound(δ)`` (or ``bound(δ)``: a planted variant).

    Points whose smallest log-ratio is within ``tie_tolerance`` of 0 are re-decided with the
    sympy gradients at 40 digits (:func:`_event_mp`)."""
    from scipy.stats import binomtest

    rng = np.random.default_rng(seed)
    W = ball_sample(theorem.m, float(delta), int(n), rng)
    margins = event_margins(W, theorem.k1, theorem.k2, theorem.fhat1, theorem.fhat2, theorem.a,
                            theorem.b).min(axis=1)
    fail = margins <= 0
    near = np.flatnonzero(np.abs(margins) < tie_tolerance)
    for i in near:
        fail[i] = not _event_mp(W[i], theorem.k1, theorem.k2, theorem.fhat1, theorem.fhat2,
                                theorem.a, theorem.b)
    failures = int(fail.sum())
    ci = binomtest(failures, int(n)).proportion_ci(confidence_level=confidence, method="exact")
    value = (bound or theorem.failure_bound)(float(delta))
    if not math.isfinite(value):
        raise FPTheoryError(f"δ = {delta} is outside (0, δ0 = {theorem.delta0:.6g}]")
    return FailureSample(float(delta), int(n), failures, float(ci.low), float(ci.high), confidence,
                         int(near.size), float(value), seed)
