r"""How the off-data |h| of the α model scales with M (chapter §1.3.2): the test of α = d.

**Criticality.** :math:`K(x, x) = \sum_J \langle k_J\rangle^{-\alpha}` grows like
:math:`(M\Delta\xi)^{d-\alpha}/\Delta\xi^d` for α < d (like log M at α = d) and converges for
α > d, while K(x, x') at a fixed distance stays bounded. For α < d the Gram matrix tends to
K(0)·I, c → y/K(0), and h off the data decays like :math:`M^{-(d-\alpha)}`: a Dirac-like
interpolant. ``scaling_study`` measures that: it extrapolates the off-data ratio to M = ∞ from
the three largest M (r_∞ + B M^{-q}) and reports the log-log slope as the measured exponent.

``off_data_ratio`` is the scalar measured at one M (mean |h| away from the data over mean |y|),
``scaling_study`` follows it along a ladder of M and ``classify_scaling`` decides, and
``alpha_model`` bundles one solve with its study (what ``fptheory alpha`` prints).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp

from fptheory.fourier.conventions import ORDINARY, FourierConvention

from .model import (
    CHAPTER_NOTES,
    DEFAULT_DELTA_XI,
    MinNormInterpolant,
    _require,
    solve_interpolant,
    validate_data,
)

__all__ = [
    "DEFAULT_EXCLUSION", "SLOPE_THRESHOLD", "CRITICAL_BAND", "LIMIT_LOW", "LIMIT_HIGH",
    "FLAT_CHANGE", "STRONG_DECAY_SLOPE", "default_box", "OffDataRatio", "off_data_ratio",
    "default_M_ladder", "extrapolated_limit", "ScalingStudy", "classify_scaling", "scaling_study",
    "AlphaResult", "alpha_model",
]

#: Grid points closer than this (Euclidean, minimum-image) to a training point are "on data".
DEFAULT_EXCLUSION = 0.1
#: Extrapolated r_∞ / r(M_max) below which the ratio "vanishes", above which it "levels off".
LIMIT_LOW, LIMIT_HIGH = 1 / 3, 2 / 3
#: Relative change of the ratio over the three largest M below which it "levels off" outright.
FLAT_CHANGE = 0.01
#: Log-log slope at or below which the ratio "vanishes" without extrapolation.
STRONG_DECAY_SLOPE = -0.5
#: Fallback when no extrapolation exists: |log-log slope| below which the ratio "levels off".
SLOPE_THRESHOLD = 0.1
#: |α − d| below which the chapter's claim is not tested (near α = d the approach to the
#: limit is logarithmically slow at any affordable M).
CRITICAL_BAND = 0.25

# x and k, to print the convention's kernel in AlphaResult.to_dict
_X, _K = sp.symbols("x k", real=True)


def default_box(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The region where h is judged: [-1, 1]^d, enlarged to the data's bounding box if needed."""
    return np.minimum(x.min(axis=0), -1.0), np.maximum(x.max(axis=0), 1.0)


@dataclass
class OffDataRatio:
    """mean |h| over grid points of the box at distance ≥ ``exclusion`` from every training
    point (minimum image over periods), divided by mean |y|."""

    ratio: float
    mean_abs_h_off_data: float
    mean_abs_y: float
    exclusion: float
    grid_points_off_data: int
    grid_points_in_box: int
    box: list[list[float]]
    max_constraint_residual: float
    max_abs_imag: float

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _min_image_distance(points: np.ndarray, x: np.ndarray, P: float) -> np.ndarray:
    out = np.full(points.shape[0], np.inf)
    for xk in x:
        diff = points - xk
        diff -= P * np.round(diff / P)
        out = np.minimum(out, np.sqrt((diff**2).sum(axis=1)))
    return out


def off_data_ratio(h: MinNormInterpolant, box: tuple[Any, Any] | None = None,
                   exclusion: float = DEFAULT_EXCLUSION, grid: int | None = None,
                   return_grid: bool = False):
    """The scalar of item 4: near 0 for a Dirac-like interpolant, order 1 for a smooth one.

    h is evaluated by FFT on a grid of one period starting at the box's lower corner; the mean
    is over grid points inside the box at distance ≥ ``exclusion`` from every training point.
    With ``return_grid`` also returns (axes, values) restricted to the box (for figures).
    """
    _require(math.isfinite(exclusion) and exclusion > 0, f"exclusion must be > 0, got {exclusion}")
    lo, hi = default_box(h.x) if box is None else (np.asarray(box[0], float), np.asarray(box[1], float))
    lo, hi = lo.reshape(h.dim), hi.reshape(h.dim)
    _require(bool(np.all(hi > lo)) and bool(np.all(hi - lo < h.period)),
             f"the box must be non-empty and narrower than the period {h.period:g}")
    mean_abs_y = float(np.abs(h.y).mean())
    _require(mean_abs_y > 0, "all labels are 0: the off-data ratio (divided by mean |y|) is undefined")
    axes, values, max_imag = h.on_grid(lo, grid)
    inside = [ax <= hi[i] for i, ax in enumerate(axes)]
    axes = [ax[m] for ax, m in zip(axes, inside, strict=True)]
    values = values[np.ix_(*inside)]
    mesh = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, h.dim)
    far = _min_image_distance(mesh, h.x, h.period) >= exclusion
    _require(bool(far.any()), f"no grid point of the box is {exclusion:g} away from the data")
    mean_off = float(np.abs(values.reshape(-1)[far]).mean())
    residual = float(np.abs(h(h.x) - h.y).max())
    result = OffDataRatio(mean_off / mean_abs_y, mean_off, mean_abs_y, float(exclusion),
                          int(far.sum()), int(far.size), [lo.tolist(), hi.tolist()], residual,
                          max_imag)
    return (result, axes, values) if return_grid else result


def default_M_ladder(M: int, dim: int) -> list[int]:
    """M/8, M/4, M/2, M, 2M (rounded, ≥ 1, distinct): the scaling study around the chosen M."""
    return sorted({max(1, int(round(M * f))) for f in (0.125, 0.25, 0.5, 1.0, 2.0)})


def extrapolated_limit(Ms: Sequence[float], ratios: Sequence[float]
                       ) -> tuple[float, float] | None:
    """Three-point extrapolation of r(M) = r_∞ + B M^{-q} to M = ∞ (Aitken's Δ² for a
    geometric ladder, any ladder here): q from (r1-r2)/(r2-r3) = (M1^-q - M2^-q)/(M2^-q - M3^-q)
    (scipy brentq, q ∈ (1e-8, 30)), then r_∞ = r3 - B M3^{-q}. Uses the three largest M.
    Returns (r_∞, q), or None when the ratios are not strictly monotone or no q fits.

    A pure power law has r_∞ = 0 exactly; a pure 1/log M decay on a doubling ladder gives
    r_∞ ≈ r(M_2)/2, about half of the last value.

    >>> r_inf, q = extrapolated_limit([100, 200, 400], [0.3 + 2 * m**-0.5 for m in (100, 200, 400)])
    >>> round(r_inf, 10), round(q, 10)
    (0.3, 0.5)
    """
    from scipy.optimize import brentq

    (m1, m2, m3), (r1, r2, r3) = [float(m) for m in Ms[-3:]], [float(r) for r in ratios[-3:]]
    if not (m1 < m2 < m3) or not ((r1 > r2 > r3) or (r1 < r2 < r3)):
        return None
    target = (r1 - r2) / (r2 - r3)

    def gap(q: float) -> float:
        return (m1**-q - m2**-q) / (m2**-q - m3**-q) - target

    try:
        q = float(brentq(gap, 1e-8, 30.0, xtol=1e-14))
    except ValueError:
        return None
    b = (r2 - r3) / (m2**-q - m3**-q)
    return float(r3 - b * m3**-q), q


@dataclass
class ScalingStudy:
    """off_data_ratio against M, its extrapolation to M = ∞ and the verdict on the criticality."""

    dim: int
    alpha: float
    Ms: list[int]
    ratios: list[float]
    kernel_diagonals: list[float]
    limit_fraction: float | None  # r_∞ / r(M_max) from extrapolated_limit
    correction_exponent: float | None  # q of r_∞ + B M^{-q}
    method: str  # how the behaviour was decided
    slope: float  # least-squares slope of log ratio vs log M over the largest three M
    slope_all: float  # over all M
    predicted_exponent: float | None  # -(d - α) for α < d, 0 for α > d, None at α = d
    behaviour: str  # "vanishes" | "levels off" | "borderline" | "grows" | "unknown"
    expected: str | None  # what the chapter predicts, or None (near-critical band)
    prediction_holds: bool | None
    verdict: str
    thresholds: dict[str, float] = field(default_factory=lambda: {
        "limit_fraction_vanishes_below": LIMIT_LOW, "limit_fraction_levels_off_above": LIMIT_HIGH,
        "flat_relative_change": FLAT_CHANGE, "strong_decay_slope": STRONG_DECAY_SLOPE,
        "slope_fallback": SLOPE_THRESHOLD,
        "critical_band": CRITICAL_BAND})

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _slope(Ms: Sequence[int], ratios: Sequence[float]) -> float:
    lm, lr = np.log(np.asarray(Ms, float)), np.log(np.asarray(ratios, float))
    return float(np.polyfit(lm, lr, 1)[0])


def classify_scaling(Ms: Sequence[int], ratios: Sequence[float]
                     ) -> tuple[str, str, float | None, float | None]:
    """Decide from the three largest M whether the ratio vanishes or levels off as M → ∞.

    1. If the three ratios differ by less than ``FLAT_CHANGE`` = 1 % of the last: "levels off".
    2. If the log-log slope s ≤ ``STRONG_DECAY_SLOPE`` = -1/2: "vanishes" (a converging
       r_∞ + B M^{-q} has slope > -q, and q ≈ α - d is small near the critical point). The
       extrapolation is not used here: it takes second differences, and for α near 0 the ratio
       scatters by about ±15 % around its power law (Dirichlet-kernel tails), which makes it
       unreliable exactly where the slope is unambiguous.
    3. Else extrapolate (``extrapolated_limit``) and take f = r_∞ / r(M_max): "vanishes" if
       f < ``LIMIT_LOW`` = 1/3, "levels off" if f > ``LIMIT_HIGH`` = 2/3, else "borderline"
       (a 1/log M decay, the critical case α = d, gives f ≈ 1/2).
    4. If no extrapolation exists (ratios not monotone): "vanishes" if s ≤ -0.1, "grows" if
       s ≥ 0.1, else "levels off".

    Returns (behaviour, method, f, q); f and q are None when no extrapolation was made.
    """
    last = ratios[-3:]
    if (max(last) - min(last)) < FLAT_CHANGE * last[-1]:
        return "levels off", f"the three largest M change the ratio by < {FLAT_CHANGE:.0%}", None, None
    s = _slope(Ms[-3:], last)
    if s <= STRONG_DECAY_SLOPE:
        return "vanishes", f"log-log slope {s:.3f} <= {STRONG_DECAY_SLOPE:g}", None, None
    fit = extrapolated_limit(Ms, ratios)
    if fit is not None:
        f, q = fit[0] / last[-1], fit[1]
        kind = "vanishes" if f < LIMIT_LOW else ("levels off" if f > LIMIT_HIGH else "borderline")
        return kind, "extrapolation r_inf + B M^-q over the three largest M", f, q
    kind = "vanishes" if s <= -SLOPE_THRESHOLD else ("grows" if s >= SLOPE_THRESHOLD else "levels off")
    return kind, "log-log slope (ratios not monotone, no extrapolation)", None, None


def _scaling_point(x, y, alpha: float, M: int, delta_xi: float, convention: FourierConvention,
                   box, exclusion: float) -> tuple[float, float]:
    """One M of the scaling study: the off-data ratio and the kernel's diagonal."""
    h = solve_interpolant(x, y, alpha, M, delta_xi, convention)
    return off_data_ratio(h, box, exclusion).ratio, h.kernel_diagonal


def scaling_study(x: Any, y: Any, alpha: float, Ms: Sequence[int],
                  delta_xi: float = DEFAULT_DELTA_XI, convention: FourierConvention = ORDINARY,
                  box: tuple[Any, Any] | None = None, exclusion: float = DEFAULT_EXCLUSION,
                  progress: Callable[[int], None] | None = None) -> ScalingStudy:
    """How off_data_ratio scales with M: the test of the criticality α = d.

    Theory (module docstring): ratio ~ M^{-(d-α)} for α < d, ~ 1/log M at α = d, → const > 0
    for α > d. At one M the ratio changes smoothly with α; the limit M → ∞ is what differs.
    The behaviour is decided by ``classify_scaling`` (a clear power-law decay, slope ≤ -1/2, or
    else extrapolation to M = ∞ with thresholds 1/3 and 2/3 on r_∞ / r(M_max)); the log-log
    slope over the three largest M is reported as the measured exponent, to compare with the
    predicted -(d - α). The chapter predicts "vanishes"
    for α < d and "levels off" for α > d; within |α - d| < ``CRITICAL_BAND`` = 0.25 it is not
    asked to decide, and a "borderline" result is reported as undecided (prediction_holds None).
    """
    Ms = sorted({int(m) for m in Ms})
    _require(len(Ms) >= 3, f"the scaling study needs at least 3 distinct M, got {Ms}")
    _require(Ms[0] >= 1, "every M must be >= 1")
    x, y = validate_data(x, y)
    dim = x.shape[1]
    from fptheory.core.execution import LocalExecutor, Task, current, run_tasks

    executor = current()
    if isinstance(executor, LocalExecutor) and executor.workers == 1:
        points = []
        for m in Ms:
            points.append(_scaling_point(x, y, alpha, m, delta_xi, convention, box, exclusion))
            if progress is not None:
                progress(m)
    else:  # the M values are independent solves: side by side on a pool or a cluster
        tasks = [Task(f"M = {m}", _scaling_point, (x, y, alpha, m, delta_xi, convention, box, exclusion))
                 for m in Ms]
        points = run_tasks(tasks, None if progress is None else
                           lambda i, r, done, total: progress(Ms[i]), executor)
    ratios = [r for r, _ in points]
    diags = [d for _, d in points]
    predicted = None if alpha == dim else (float(alpha - dim) if alpha < dim else 0.0)
    if not all(math.isfinite(r) and r > 0 for r in ratios):
        return ScalingStudy(dim, float(alpha), Ms, ratios, diags, None, None, "none", float("nan"),
                            float("nan"), predicted, "unknown", None, None,
                            "unknown: an off-data ratio is 0 or not finite")
    s, s_all = _slope(Ms[-3:], ratios[-3:]), _slope(Ms, ratios)
    behaviour, method, f, q = classify_scaling(Ms, ratios)
    expected = None if abs(alpha - dim) < CRITICAL_BAND else ("vanishes" if alpha < dim else "levels off")
    holds = None if expected is None or behaviour == "borderline" else behaviour == expected
    kind = {"vanishes": "Dirac-like (off-data |h| vanishes as M grows)",
            "levels off": "smooth (off-data |h| levels off as M grows)",
            "borderline": "borderline (extrapolated limit between 1/3 and 2/3 of the last ratio)",
            "grows": "off-data |h| grows with M (unexpected)"}[behaviour]
    verdict = (f"d = {dim}, alpha = {alpha:g}: {kind}; M = {Ms[-3]}..{Ms[-1]}: "
               + (f"extrapolated r_inf/r(M_max) = {f:.2f}, " if f is not None and q is not None else "")
               + f"slope {s:.3f}"
               + (f" (predicted exponent {predicted:.3f})" if predicted is not None
                  else " (alpha = d: ~1/log M)"))
    if expected is None:
        verdict += f"; |alpha - d| < {CRITICAL_BAND:g}: near-critical, the chapter's claim not tested"
    elif holds is None:
        verdict += f"; undecided at these M (chapter predicts: {expected}); try larger M"
    else:
        verdict += f"; chapter's prediction ({expected}) {'holds' if holds else 'FAILS'}"
    return ScalingStudy(dim, float(alpha), Ms, ratios, diags, f, q, method, s, s_all, predicted,
                        behaviour, expected, holds, verdict)


@dataclass
class AlphaResult:
    """One α model at one M plus its scaling study (what ``fptheory alpha`` prints)."""

    interpolant: MinNormInterpolant
    off_data: OffDataRatio
    scaling: ScalingStudy | None
    max_abs_imag_phi_over_max_abs_phi: float

    def to_dict(self) -> dict[str, Any]:
        h = self.interpolant
        return {
            "model": "min sum_J <xi_J>^alpha |phi_J|^2 s.t. h(x_k) = y_k  (1.33)-(1.34)",
            "convention": {"name": h.convention.name,
                           "kernel": str(h.convention.kernel(_X, _K)),
                           "inverse": f"h(x) = sum_J phi_J*{h.convention.kernel(_X, -_K)}, k = k_J"},
            "off_data_ratio": self.off_data.ratio,
            "off_data": self.off_data.to_dict(),
            "max_constraint_residual": self.off_data.max_constraint_residual,
            "max_abs_imag_phi_over_max_abs_phi": self.max_abs_imag_phi_over_max_abs_phi,
            "interpolant": h.to_dict(),
            "scaling": None if self.scaling is None else self.scaling.to_dict(),
            "verdict": None if self.scaling is None else self.scaling.verdict,
            "prediction_holds": None if self.scaling is None else self.scaling.prediction_holds,
            "chapter_notes": CHAPTER_NOTES,
        }


def alpha_model(x: Any, y: Any, alpha: float, M: int, delta_xi: float = DEFAULT_DELTA_XI,
                convention: FourierConvention = ORDINARY, Ms: Sequence[int] | None = None,
                exclusion: float = DEFAULT_EXCLUSION, scaling: bool = True,
                progress: Callable[[int], None] | None = None) -> AlphaResult:
    """Solve at M, measure the off-data ratio, and (unless ``scaling=False``) run the scaling
    study over ``Ms`` (default ``default_M_ladder(M, d)``)."""
    h = solve_interpolant(x, y, alpha, M, delta_xi, convention)
    off = off_data_ratio(h, None, exclusion)
    phi = h.spectrum()
    imag = float(np.abs(phi.imag).max() / np.abs(phi).max())
    study = None
    if scaling:
        ladder = default_M_ladder(M, h.dim) if Ms is None else list(Ms)
        study = scaling_study(h.x, h.y, alpha, ladder, delta_xi, convention, None, exclusion, progress)
    return AlphaResult(h, off, study, imag)
