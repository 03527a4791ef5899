r"""The decay-rate limit (chapter §1.3.2): the α-weighted minimum-norm interpolant.

The chapter abstracts the LFP model into

.. math::

   \min_h Q_\alpha[h] = \int_{\mathbb R^d} \langle\xi\rangle^\alpha |\mathcal F[h](\xi)|^2 d\xi
   \quad\text{s.t.}\quad h(x_i) = y_i,\ i = 1..n,                          \tag{1.31-1.32}

with :math:`\langle\xi\rangle = (1 + \|\xi\|^2)^{1/2}`, and discretises it on the frequency
grid :math:`\xi_J = J\Delta\xi`, :math:`J \in \{-M..M\}^d`:

.. math::

   \min_\phi \sum_J w_J |\phi_J|^2, \quad w_J = (1 + \|J\|^2\Delta\xi^2)^{\alpha/2},
   \quad\text{s.t.}\quad \sum_J \phi_J e^{2\pi i \Delta\xi J^\top x_k} = y_k.   \tag{1.33-1.34}

**Convention.** The chapter's §1.3 uses the ORDINARY transform (kernel :math:`e^{-2\pi i x\xi}`),
so :math:`h(x) = \sum_J \phi_J e^{2\pi i \xi_J\cdot x}` is the inverse transform of
:math:`\sum_J \phi_J \delta(\xi - \xi_J)` and ξ counts cycles per unit of x. The convention is
a parameter (``convention=``): in general the phase is :math:`e^{i\beta k_J\cdot x}` with
:math:`\beta = -b` (2π for ORDINARY, 1 for ANGULAR) and the weight is :math:`\langle k_J\rangle^\alpha`
in *that* convention's frequency k. The weight is not scale invariant, so the convention changes
the interpolant (not the criticality).

**Closed form in the data space.** With :math:`A_{kJ} = e^{i\beta k_J\cdot x_k}` and
:math:`W = \mathrm{diag}(w_J)`, Lagrange multipliers give
:math:`\phi = W^{-1}A^*(AW^{-1}A^*)^{-1}y`. The n×n matrix :math:`G = AW^{-1}A^*` is the kernel
matrix of

.. math:: K(x, x') = \sum_J \langle k_J\rangle^{-\alpha} e^{i\beta k_J\cdot(x - x')}
          = \sum_J \langle k_J\rangle^{-\alpha} \cos(\beta k_J\cdot(x - x')),

so :math:`G c = y` (n unknowns) and :math:`h(x) = \sum_k c_k K(x, x_k)`; the
:math:`(2M+1)^d` square system is never formed. For d = 2 the kernel sum is done as
:math:`\sum_{J_1} e^{i\beta k_{J_1} r_1} \sum_{J_2} W^{-1}_{J_1J_2} e^{i\beta k_{J_2} r_2}`
(separable phases, a matrix product), and h is evaluated on a grid by one inverse FFT of the
spectrum φ (exact for a trigonometric polynomial, since the grid has N ≥ 2M+1 points a period).

**Criticality.** :math:`K(x, x) = \sum_J \langle k_J\rangle^{-\alpha}` grows like
:math:`(M\Delta\xi)^{d-\alpha}/\Delta\xi^d` for α < d (like log M at α = d) and converges for
α > d, while K(x, x') at a fixed distance stays bounded. For α < d the Gram matrix tends to
K(0)·I, c → y/K(0), and h off the data decays like :math:`M^{-(d-\alpha)}`: a Dirac-like
interpolant. ``scaling_study`` measures that: it extrapolates the off-data ratio to M = ∞ from
the three largest M (r_∞ + B M^{-q}) and reports the log-log slope as the measured exponent.

**Δξ.** The chapter does not state Δξ. h is periodic with period :math:`P = 2\pi/(\beta\Delta k)`
(= 1/Δξ for ORDINARY), so the data must fit in one period. The default data live in
:math:`[-1, 1]^d`; the default Δξ = 1/4 gives P = 4, twice the data box, so no periodic image
of a training point is within distance 2 of the box. The frequency cut-off is MΔξ = 250
(d = 1, M = 1000) and 25 (d = 2, M = 100).

>>> x, y = default_training_data(1)
>>> h = solve_interpolant(x, y, alpha=2.0, M=200)
>>> bool(abs(h(x) - y).max() < 1e-9)
True
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.linalg
import sympy as sp

from fptheory.core.errors import FPTheoryError
from fptheory.fourier.conventions import ORDINARY, FourierConvention

__all__ = [
    "DEFAULT_DELTA_XI", "DEFAULT_M", "DEFAULT_EXCLUSION", "SLOPE_THRESHOLD", "CRITICAL_BAND",
    "LIMIT_LOW", "LIMIT_HIGH", "FLAT_CHANGE", "STRONG_DECAY_SLOPE", "extrapolated_limit", "classify_scaling",
    "LOG_INVERSE_WEIGHT", "default_training_data", "validate_data", "inverse_weights",
    "MinNormInterpolant", "solve_interpolant", "OffDataRatio", "off_data_ratio", "default_box",
    "ScalingStudy", "scaling_study", "default_M_ladder", "AlphaResult", "alpha_model",
    "CHAPTER_NOTES", "period", "plot_interpolant", "plot_figure_1_7", "plot_scaling",
]

#: Δξ: the frequency spacing (not given by the chapter; see the module docstring).
DEFAULT_DELTA_XI = 0.25
#: M of figure 1.7 (chapter text after (1.34)).
DEFAULT_M = {1: 1000, 2: 100}
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
#: Minimum FFT grid size per axis (resolution of the off-data mean and the figure).
_MIN_GRID = {1: 4096, 2: 512}

# sympy is the source of truth for the weight of (1.33): log(<k>^{-α}) with s = |k|².
_S, _ALPHA = sp.symbols("s alpha", nonnegative=True)
_X, _K = sp.symbols("x k", real=True)
#: log of the inverse weight ⟨k⟩^{-α} = (1 + |k|²)^{-α/2}, as a function of s = |k|² and α.
LOG_INVERSE_WEIGHT: sp.Expr = -_ALPHA / 2 * sp.log(1 + _S)
_log_inverse_weight = sp.lambdify((_S, _ALPHA), LOG_INVERSE_WEIGHT, "numpy")

#: Where the text of §1.3.2 is loose or wrong: text form, correct form, evidence.
CHAPTER_NOTES = [
    {"equation": "1.33", "text": r"\phi \in \mathbb{R}^{(2M)^d}",
     "correct": r"\phi \in \mathbb{C}^{(2M+1)^d} with \phi_{-J} = \overline{\phi_J} (h real)",
     "evidence": "j = -M..M has 2M+1 values; the minimiser phi_J = w_J^{-1} sum_k c_k "
                 "e^{-2 pi i xi_J x_k} is complex (see max_abs_imag_phi_over_max_abs_phi)"},
    {"equation": "1.34", "text": "k = 1, 2, ..., d", "correct": "k = 1, 2, ..., n",
     "evidence": "one constraint per training point (1.32), n points of dimension d"},
    {"equation": "after 1.34", "text": "ridge regression (岭回归)",
     "correct": "minimum-norm interpolation (the ridgeless limit of ridge regression)",
     "evidence": "(1.34) is an equality constraint; the solution interpolates exactly "
                 "(see max_constraint_residual)"},
]


def _require(cond: bool, message: str) -> None:
    if not cond:
        raise FPTheoryError(message)


def _beta(convention: FourierConvention) -> float:
    """β = −b: the phase e^{iβ k x} of the inverse transform in this convention."""
    return float(-convention.b)


def period(delta_xi: float, convention: FourierConvention = ORDINARY) -> float:
    """Period in x of every h on the grid k_J = JΔk: P = 2π/(βΔk) (1/Δξ for ORDINARY)."""
    return 2 * math.pi / (abs(_beta(convention)) * delta_xi)


def default_training_data(dim: int, n: int | None = None, seed: int = 0,
                          min_separation: float = 0.3) -> tuple[np.ndarray, np.ndarray]:
    """Seeded training set in [-1, 1]^d (the chapter does not list its figure's points).

    n = 5 points for d = 1 and 8 for d = 2 (defaults), drawn uniformly with a minimum pairwise
    distance ``min_separation`` (rejection sampling from ``numpy.random.default_rng(seed)``,
    restarted when the set jams);
    labels y = 1 + ½ sin(π Σ_i x_i) ∈ [½, 3/2], away from 0 so a Dirac-like interpolant
    (≈ 0 off the data) is visibly different from the data.

    >>> x, y = default_training_data(2)
    >>> x.shape, y.shape
    ((8, 2), (8,))
    """
    _require(dim in (1, 2), f"dim must be 1 or 2, got {dim}")
    n = (5 if dim == 1 else 8) if n is None else n
    _require(n >= 1, f"need at least one training point, got n = {n}")
    rng = np.random.default_rng(seed)
    points: list[np.ndarray] = []
    # sequential rejection can jam (the first points leave no room for the rest), so a set
    # that gets stuck is started over; the result stays a function of the seed alone
    for _ in range(1000):
        points = []
        for _ in range(1000):
            p = rng.uniform(-1.0, 1.0, size=dim)
            if all(np.linalg.norm(p - q) >= min_separation for q in points):
                points.append(p)
                if len(points) == n:
                    break
        if len(points) == n:
            break
    _require(len(points) == n, f"cannot place {n} points {min_separation} apart in [-1, 1]^{dim}")
    x = np.array(points)
    y = 1.0 + 0.5 * np.sin(np.pi * x.sum(axis=1))
    return x, y


def validate_data(x: Any, y: Any, dim: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Check and normalise training data: x of shape (n, d), y of shape (n,).

    Errors (FPTheoryError): no data, non-finite values, shape mismatch, dimension not 1 or 2,
    the same x with different y. Exact duplicates (same x, same y) are merged (the constraint
    would be repeated and the Gram matrix singular).
    """
    try:
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise FPTheoryError("training data must be real numbers") from None
    if x.ndim == 1:
        x = x.reshape(-1, 1) if dim in (None, 1) else x.reshape(-1, dim)
    _require(x.ndim == 2, f"x must be an (n, d) array, got shape {x.shape}")
    _require(x.shape[0] > 0 and y.size > 0, "no training data (need at least one point)")
    _require(x.shape[0] == y.size, f"{x.shape[0]} points but {y.size} labels")
    _require(x.shape[1] in (1, 2), f"dim must be 1 or 2, got {x.shape[1]}")
    _require(dim is None or x.shape[1] == dim, f"data have dimension {x.shape[1]}, not {dim}")
    _require(bool(np.isfinite(x).all() and np.isfinite(y).all()),
             "training data contain NaN or infinity")
    keep: list[int] = []
    for i in range(x.shape[0]):
        same = [j for j in keep if np.array_equal(x[i], x[j])]
        if same:
            _require(y[same[0]] == y[i], f"duplicate x = {x[i].tolist()} with different y "
                     f"({y[same[0]]:g} and {y[i]:g})")
            continue
        keep.append(i)
    return x[keep], y[keep]


def inverse_weights(M: int, dim: int, delta_xi: float, alpha: float) -> np.ndarray:
    """⟨k_J⟩^{-α} on the grid k_J = JΔξ, J ∈ {-M..M}^d, as an array of shape (2M+1,)*d.

    Computed as exp(log ⟨k⟩^{-α}) from the sympy expression ``LOG_INVERSE_WEIGHT`` (no
    overflow: the exponent is ≤ 0).

    >>> inverse_weights(1, 1, 1.0, 2.0).tolist()
    [0.5, 1.0, 0.5]
    """
    k = np.arange(-M, M + 1) * delta_xi
    s = k**2 if dim == 1 else k[:, None] ** 2 + k[None, :] ** 2
    return np.exp(_log_inverse_weight(s, float(alpha)))


@dataclass
class MinNormInterpolant:
    """h(x) = Σ_k c_k K(x, x_k), the minimiser of (1.33)-(1.34) (module docstring)."""

    x: np.ndarray
    y: np.ndarray
    alpha: float
    M: int
    delta_xi: float
    convention: FourierConvention
    coefficients: np.ndarray  # c, the solution of G c = y
    gram_condition: float
    kernel_diagonal: float  # K(x, x) = Σ_J ⟨k_J⟩^{-α}
    _winv: np.ndarray = field(repr=False, default_factory=lambda: np.zeros(0))

    @property
    def dim(self) -> int:
        return int(self.x.shape[1])

    @property
    def period(self) -> float:
        return period(self.delta_xi, self.convention)

    def _phases(self, coords: np.ndarray, sign: float = 1.0) -> np.ndarray:
        """e^{±iβ k_J t} for a vector t of coordinates: shape (len(t), 2M+1)."""
        k = np.arange(-self.M, self.M + 1) * self.delta_xi
        return np.exp(1j * sign * _beta(self.convention) * np.outer(coords, k))

    def kernel(self, r: np.ndarray, chunk: int = 4096) -> np.ndarray:
        """K(r) = Σ_J ⟨k_J⟩^{-α} cos(β k_J·r) at displacement vectors r of shape (P, d)."""
        r = np.asarray(r, dtype=float).reshape(-1, self.dim)
        out = np.empty(r.shape[0])
        for s in range(0, r.shape[0], chunk):
            block = r[s:s + chunk]
            u = self._phases(block[:, 0])
            if self.dim == 1:
                out[s:s + chunk] = (u @ self._winv).real
            else:
                v = self._phases(block[:, 1])
                out[s:s + chunk] = np.einsum("pj,pj->p", u @ self._winv, v).real
        return out

    def __call__(self, points: Any) -> np.ndarray:
        """h at arbitrary points (P, d) by the kernel sum (exact, O(P n (2M+1)^d))."""
        p = np.asarray(points, dtype=float).reshape(-1, self.dim)
        r = (p[:, None, :] - self.x[None, :, :]).reshape(-1, self.dim)
        return self.kernel(r).reshape(p.shape[0], -1) @ self.coefficients

    def spectrum(self) -> np.ndarray:
        """φ_J = ⟨k_J⟩^{-α} Σ_k c_k e^{-iβ k_J·x_k}, shape (2M+1,)*d (the primal solution)."""
        e1 = self._phases(self.x[:, 0], -1.0)
        if self.dim == 1:
            return self._winv * (self.coefficients @ e1)
        e2 = self._phases(self.x[:, 1], -1.0)
        return self._winv * ((e1 * self.coefficients[:, None]).T @ e2)

    def on_grid(self, lower: Sequence[float], n: int | None = None
                ) -> tuple[list[np.ndarray], np.ndarray, float]:
        """h on the grid lower + m P/N, m = 0..N-1 per axis (one period), by one inverse FFT.

        h(x0 + mP/N) = Σ_J (φ_J e^{iβ k_J·x0}) e^{2πi J·m/N}; exact for N ≥ 2M+1. Returns the
        axes, the real values (shape (N,)*d) and max |Im h| (rounding only; a check).
        """
        need = 2 * self.M + 1
        n = max(_MIN_GRID[self.dim], 1 << (need - 1).bit_length()) if n is None else n
        _require(n >= need, f"grid size {n} < 2M+1 = {need} would alias")
        x0 = np.asarray(lower, dtype=float).reshape(self.dim)
        phi = self.spectrum()
        shift = [self._phases(np.array([x0[i]]))[0] for i in range(self.dim)]
        phi = phi * (shift[0] if self.dim == 1 else np.outer(shift[0], shift[1]))
        arr = np.zeros((n,) * self.dim, dtype=complex)
        idx = np.arange(-self.M, self.M + 1) % n
        arr[np.ix_(*([idx] * self.dim))] = phi
        values = np.fft.ifftn(arr) * n**self.dim
        axes = [x0[i] + np.arange(n) * self.period / n for i in range(self.dim)]
        return axes, values.real, float(np.abs(values.imag).max())

    def to_dict(self) -> dict[str, Any]:
        return {
            "dim": self.dim, "alpha": self.alpha, "M": self.M, "delta_xi": self.delta_xi,
            "convention": self.convention.name, "period": self.period, "n": int(self.y.size),
            "x": self.x.tolist(), "y": self.y.tolist(), "coefficients": self.coefficients.tolist(),
            "gram_condition": self.gram_condition, "kernel_diagonal": self.kernel_diagonal,
        }


def solve_interpolant(x: Any, y: Any, alpha: float, M: int, delta_xi: float = DEFAULT_DELTA_XI,
                      convention: FourierConvention = ORDINARY) -> MinNormInterpolant:
    """Solve (1.33)-(1.34) in the data space: G c = y with G_kl = K(x_k, x_l) (Cholesky).

    Raises FPTheoryError for bad input (α < 0, M < 1, Δξ ≤ 0, data spanning a period, points
    that coincide modulo the period) and when G is numerically singular (cond ≥ 1e13: the
    points are too close for this α and M; the interpolation constraints could not be met).
    """
    x, y = validate_data(x, y)
    _require(math.isfinite(alpha) and alpha >= 0, f"alpha must be a finite number >= 0, got {alpha}")
    _require(isinstance(M, (int, np.integer)) and M >= 1, f"M must be an integer >= 1, got {M}")
    _require(math.isfinite(delta_xi) and delta_xi > 0, f"delta-xi must be > 0, got {delta_xi}")
    dim = x.shape[1]
    _require((2 * M + 1) ** dim >= x.shape[0],
             f"(2M+1)^d = {(2 * M + 1) ** dim} frequencies cannot interpolate {x.shape[0]} points")
    P = period(delta_xi, convention)
    span = float((x.max(axis=0) - x.min(axis=0)).max())
    _require(span < P, f"data span {span:g} >= period {P:g} of the frequency grid; "
             f"use a smaller delta-xi (< {2 * math.pi / (abs(_beta(convention)) * span):g})")
    winv = inverse_weights(int(M), dim, delta_xi, alpha)
    h = MinNormInterpolant(x, y, float(alpha), int(M), float(delta_xi), convention,
                           np.zeros(x.shape[0]), float("nan"), float(winv.sum()), winv)
    r = (x[:, None, :] - x[None, :, :]).reshape(-1, dim)
    gram = h.kernel(r).reshape(x.shape[0], x.shape[0])
    gram = (gram + gram.T) / 2
    cond = float(np.linalg.cond(gram))
    _require(math.isfinite(cond) and cond < 1e13,
             f"kernel matrix numerically singular (condition {cond:.1e}): points too close "
             f"(or equal modulo the period {P:g}) for alpha = {alpha:g}, M = {M}")
    h.coefficients = scipy.linalg.solve(gram, y, assume_a="pos")
    h.gram_condition = cond
    return h


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
    ratios, diags = [], []
    for m in Ms:
        h = solve_interpolant(x, y, alpha, m, delta_xi, convention)
        r = off_data_ratio(h, box, exclusion)
        ratios.append(r.ratio)
        diags.append(h.kernel_diagonal)
        if progress is not None:
            progress(m)
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


# ---- figures (matplotlib imported lazily, Agg backend) ---------------------------------------

def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _draw(ax, h: MinNormInterpolant, exclusion: float = DEFAULT_EXCLUSION, title: str = ""):
    off, axes, values = off_data_ratio(h, None, exclusion, return_grid=True)
    if h.dim == 1:
        ax.plot(axes[0], values, lw=1)
        ax.plot(h.x[:, 0], h.y, "k*", ms=9)
        ax.set_xlabel("x")
        ax.set_ylabel("h(x)")
    else:
        im = ax.imshow(values.T, origin="lower", cmap="viridis",
                       extent=(axes[0][0], axes[0][-1], axes[1][0], axes[1][-1]))
        ax.plot(h.x[:, 0], h.x[:, 1], "k*", ms=9)
        ax.figure.colorbar(im, ax=ax, shrink=0.8)
        ax.set_xlabel("x1")
        ax.set_ylabel("x2")
    ax.set_title(title or f"d={h.dim}, α={h.alpha:g}, M={h.M}: off-data ratio {off.ratio:.3g}",
                 fontsize=9)
    return off


def plot_interpolant(h: MinNormInterpolant, path: str, exclusion: float = DEFAULT_EXCLUSION) -> str:
    """One interpolant: a curve (d = 1) or an image (d = 2) with the training points (stars)."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 4.5 if h.dim == 2 else 3.5))
    _draw(ax, h, exclusion)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return str(path)


def plot_figure_1_7(d1: Sequence[MinNormInterpolant], d2: Sequence[MinNormInterpolant],
                    path: str, exclusion: float = DEFAULT_EXCLUSION) -> str:
    """Figure 1.7: d = 1 interpolants (one panel, several α) and d = 2 images (one per α)."""
    plt = _pyplot()
    fig, axs = plt.subplots(1, 1 + len(d2), figsize=(5 + 4.5 * len(d2), 4))
    ax = axs[0]
    for h in d1:
        off, axes, values = off_data_ratio(h, None, exclusion, return_grid=True)
        ax.plot(axes[0], values, lw=1, label=f"α={h.alpha:g} (ratio {off.ratio:.3g})")
    ax.plot(d1[0].x[:, 0], d1[0].y, "k*", ms=10, label="data")
    ax.set_title(f"d=1, M={d1[0].M}, Δξ={d1[0].delta_xi:g}", fontsize=9)
    ax.set_xlabel("x")
    ax.legend(fontsize=7)
    for ax, h in zip(axs[1:], d2, strict=True):
        _draw(ax, h, exclusion, f"d=2, M={h.M}, α={h.alpha:g}")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return str(path)


def plot_scaling(studies: Sequence[ScalingStudy], path: str) -> str:
    """off_data_ratio against M (log-log), one curve per (d, α), slope in the legend."""
    plt = _pyplot()
    dims = sorted({s.dim for s in studies})
    fig, axs = plt.subplots(1, len(dims), figsize=(5.5 * len(dims), 4), squeeze=False)
    for ax, d in zip(axs[0], dims, strict=True):
        for s in (s for s in studies if s.dim == d):
            style = "--" if s.alpha < d else ("-." if s.alpha == d else "-")
            ax.loglog(s.Ms, s.ratios, style, marker="o", ms=3,
                      label=f"α={s.alpha:g}: slope {s.slope:.2f}"
                      + (f", r∞/r={s.limit_fraction:.2f}" if s.limit_fraction is not None else "")
                      + f" ({s.behaviour})")
        from matplotlib.ticker import NullFormatter

        ms = sorted({m for s in studies if s.dim == d for m in s.Ms})
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_xticks(ms, [str(m) for m in ms], fontsize=7)
        ax.set_xlabel("M")
        ax.set_ylabel("off-data ratio")
        ax.set_title(f"d={d}: ratio ~ M^-(d-α) for α<d, levels off for α>d", fontsize=9)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return str(path)
