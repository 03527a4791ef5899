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

**Δξ.** The chapter does not state Δξ. h is periodic with period :math:`P = 2\pi/(\beta\Delta k)`
(= 1/Δξ for ORDINARY), so the data must fit in one period. The default data live in
:math:`[-1, 1]^d`; the default Δξ = 1/4 gives P = 4, twice the data box, so no periodic image
of a training point is within distance 2 of the box. The frequency cut-off is MΔξ = 250
(d = 1, M = 1000) and 25 (d = 2, M = 100).

How h off the data scales with M (the criticality α = d) is measured in :mod:`.scaling`;
the figures are drawn in :mod:`~fptheory.theory.alpha_critical.plots`.

>>> x, y = default_training_data(1)
>>> h = solve_interpolant(x, y, alpha=2.0, M=200)
>>> bool(abs(h(x) - y).max() < 1e-9)
True
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.linalg
import sympy as sp

from fptheory.core.errors import FPTheoryError
from fptheory.fourier.conventions import ORDINARY, FourierConvention

__all__ = [
    "DEFAULT_DELTA_XI", "DEFAULT_M", "LOG_INVERSE_WEIGHT", "CHAPTER_NOTES", "period",
    "default_training_data", "validate_data", "inverse_weights", "MinNormInterpolant",
    "solve_interpolant",
]

#: Δξ: the frequency spacing (not given by the chapter; see the module docstring).
DEFAULT_DELTA_XI = 0.25
#: M of figure 1.7 (chapter text after (1.34)).
DEFAULT_M = {1: 1000, 2: 100}
#: The most frequencies (2M+1)^d one solve takes (each costs complex arrays of the data size
#: and an FFT grid point: ~10^9 already needs tens of GB).
MAX_FREQUENCIES = 10**9

#: Minimum FFT grid size per axis (resolution of the off-data mean and the figure).
_MIN_GRID = {1: 4096, 2: 512}

# sympy is the source of truth for the weight of (1.33): log(<k>^{-α}) with s = |k|².
_S, _ALPHA = sp.symbols("s alpha", nonnegative=True)
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
    _require((2 * int(M) + 1) ** dim <= MAX_FREQUENCIES,
             f"M = {M} gives (2M+1)^{dim} = {(2 * int(M) + 1) ** dim:.3g} frequencies, more than the "
             f"{MAX_FREQUENCIES:.0e} one solve may hold in memory")
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
