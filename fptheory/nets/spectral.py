r"""Per-frequency convergence of a fit on its training grid (the chapter's §1.1-§1.2 numerics).

Everything here is numpy; :func:`relative_error` also accepts torch tensors (it only uses
``abs``, ``-`` and ``/``), and :mod:`fptheory.nets.mlp` records the DFT coefficients on the
device with the matrices built here.

**DFT.** For samples :math:`y_0,\dots,y_{N-1}` on the uniform grid
:math:`x_n = x_0 + nL/N` (period L, no end point), the coefficients are numpy's

.. math:: \hat y_j = \sum_{n=0}^{N-1} y_n\, e^{-2\pi i jn/N},

which approximate :math:`(N/L)\,e^{-i k_j x_0}\int_{x_0}^{x_0+L} y(x) e^{-i k_j x}dx` at the
angular frequency :math:`k_j = 2\pi j/L` — the chapter's angular convention (kernel
:math:`e^{-ikx}`, ANGULAR in :mod:`fptheory.fourier.conventions`). On :math:`[-\pi,\pi)`,
:math:`k_j = j`: ``sin(5x)`` sits exactly in bin 5.

**Relative error per frequency** (the chapter's heat maps, after (1.4)):

.. math:: \Delta_F(k) = \frac{|\hat h_k - \hat f_k|}{|\hat f_k|}
          \quad\text{(complex difference, the written formula)},\qquad
          \Delta_F^{\rm mag}(k) = \frac{\big||\hat h_k| - |\hat f_k|\big|}{|\hat f_k|}

(magnitude only, as the book's own code computes it; it ignores the phase, so
:math:`\Delta_F^{\rm mag} \le \Delta_F`).

**Convergence epoch** of a frequency: the first epoch that starts a run of ``run_length``
consecutive recorded epochs with :math:`\Delta_F < \varepsilon` (Adam's loss spikes make
"first epoch below ε" unreliable).

**Filtering method** (Xu et al., "Frequency principle", for n-D inputs): with the
Gaussian :math:`G^\delta(x) = e^{-|x|^2/(2\delta)}`,

.. math:: y^{\rm low,\delta}_i = \frac{\sum_j y_j G^\delta(x_i - x_j)}{\sum_j G^\delta(x_i - x_j)},\quad
          y^{\rm high,\delta} = y - y^{\rm low,\delta},\quad
          e_{\rm low} = \Big(\frac{\sum_i |y^{\rm low}_i - h^{\rm low}_i|^2}
          {\sum_i |y^{\rm low}_i|^2}\Big)^{1/2}

and the same for :math:`e_{\rm high}`. The kernel is built in row blocks, so no
:math:`N\times N` matrix is held, and one block at a time for each δ.

>>> import numpy as np
>>> x = uniform_grid(16, -np.pi, np.pi)
>>> f = np.sin(x) + np.sin(3 * x) + np.sin(5 * x)
>>> select_peaks(f)
array([1, 3, 5])
>>> convergence_epoch(np.array([[0.9, 0.05, 0.5, 0.05, 0.04, 0.03]]), 0.1, 3)
[3]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from fptheory.core.errors import FPTheoryError

__all__ = [
    "uniform_grid",
    "bin_frequencies",
    "select_peaks",
    "dft_submatrix",
    "relative_error",
    "convergence_epoch",
    "lowpass_filter",
    "filtered_errors",
    "shell_index",
    "shell_errors",
    "high_frequency_rms",
]


def uniform_grid(n: int, start: float, stop: float) -> np.ndarray:
    """``n`` points ``start + i (stop - start)/n`` (periodic grid, no end point)."""
    if n < 2 or not (math.isfinite(start) and math.isfinite(stop)) or stop <= start:
        raise FPTheoryError(f"grid needs n >= 2 points and start < stop (got n={n}, [{start}, {stop}])")
    return start + (stop - start) * np.arange(n) / n


def bin_frequencies(n: int, length: float) -> np.ndarray:
    """Angular frequency :math:`k_j = 2\\pi j/L` of the DFT bins 0..n-1 (numpy's order)."""
    return 2 * np.pi * np.fft.fftfreq(n, d=length / n)


def _finite(name: str, a: np.ndarray) -> np.ndarray:
    if not np.all(np.isfinite(a)):
        raise FPTheoryError(f"{name} contains NaN or inf")
    return a


def select_peaks(target: Sequence[float] | np.ndarray, n_peaks: int | None = None,
                 rel_height: float = 1e-3) -> np.ndarray:
    """Bins (0 < j < N/2) of the local maxima of :math:`|\\hat f_j|`, ascending.

    A peak is a bin whose magnitude exceeds both neighbours and ``rel_height`` times the
    largest magnitude (rounding noise of an exact sine is not a peak). With ``n_peaks``,
    the ``n_peaks`` largest are kept (then sorted by frequency).
    """
    y = _finite("target", np.asarray(target, dtype=float))
    if y.ndim != 1 or y.size < 4:
        raise FPTheoryError("select_peaks needs a 1-D target with at least 4 samples")
    mag = np.abs(np.fft.fft(y))[: (y.size + 1) // 2]
    if mag.max() == 0:
        raise FPTheoryError("the target is identically zero: no spectral peaks")
    inner = np.arange(1, mag.size - 1)
    is_peak = (mag[inner] > mag[inner - 1]) & (mag[inner] > mag[inner + 1]) \
        & (mag[inner] > rel_height * mag.max())
    peaks = inner[is_peak]
    if n_peaks is not None:
        if n_peaks < 1:
            raise FPTheoryError("n_peaks must be >= 1")
        peaks = np.sort(peaks[np.argsort(-mag[peaks], kind="stable")[:n_peaks]])
    return peaks


def dft_submatrix(n: int, bins: Sequence[int] | np.ndarray) -> np.ndarray:
    """The columns ``bins`` of the DFT matrix, :math:`E_{nj} = e^{-2\\pi i jn/N}` (N x P).

    ``y @ E`` gives numpy's ``fft(y)[bins]`` for every row of ``y`` at once: recording a few
    coefficients per epoch costs a small matrix product instead of a full FFT.

    >>> import numpy as np
    >>> y = np.arange(8.0)
    >>> bool(np.allclose(y @ dft_submatrix(8, [1, 3]), np.fft.fft(y)[[1, 3]]))
    True
    """
    b = np.asarray(bins, dtype=np.int64)
    if b.ndim != 1 or b.size == 0 or b.min() < 0 or b.max() >= n:
        raise FPTheoryError(f"bins must be a non-empty list of integers in [0, {n})")
    # exact phases: reduce jn mod N in integers before the division (no large-angle rounding)
    phase = (np.outer(np.arange(n, dtype=np.int64), b) % n) / n
    return np.exp(-2j * np.pi * phase)


def relative_error(predicted: Any, target: Any, kind: str = "complex") -> Any:
    """:math:`\\Delta_F`: ``complex`` = |ĥ - f̂|/|f̂| (written formula), ``magnitude`` =
    ||ĥ| - |f̂||/|f̂| (the book's code). Broadcasts; numpy arrays or torch tensors.

    >>> import numpy as np
    >>> relative_error(np.array([1j]), np.array([1.0])).round(4)
    array([1.4142])
    >>> relative_error(np.array([1j]), np.array([1.0]), "magnitude")
    array([0.])
    """
    if kind == "complex":
        return abs(predicted - target) / abs(target)
    if kind == "magnitude":
        return abs(abs(predicted) - abs(target)) / abs(target)
    raise FPTheoryError(f"unknown relative-error kind {kind!r}; use 'complex' or 'magnitude'")


def convergence_epoch(errors: np.ndarray, threshold: float, run_length: int,
                      epochs: np.ndarray | None = None) -> list[int | None]:
    """For each row of ``errors`` (frequencies x recorded epochs), the first epoch that starts
    ``run_length`` consecutive values below ``threshold``; None if there is none.

    ``epochs`` maps column indices to epoch numbers (default: the column index).
    """
    err = np.atleast_2d(np.asarray(errors, dtype=float))
    if not threshold > 0 or run_length < 1:
        raise FPTheoryError("convergence needs a threshold > 0 and a run length >= 1")
    if epochs is None:
        epochs = np.arange(err.shape[1])
    below = np.where(np.isfinite(err), err < threshold, False).astype(np.int64)
    out: list[int | None] = []
    if err.shape[1] < run_length:
        return [None] * err.shape[0]
    # windowed sums of the indicator: a window full of ones starts a converged run
    csum = np.concatenate([np.zeros((err.shape[0], 1), np.int64), np.cumsum(below, axis=1)], axis=1)
    full = (csum[:, run_length:] - csum[:, :-run_length]) == run_length
    for row in full:
        hit = np.flatnonzero(row)
        out.append(int(epochs[hit[0]]) if hit.size else None)
    return out


def _as_points(x: np.ndarray) -> np.ndarray:
    pts = np.asarray(x, dtype=float)
    if pts.ndim == 1:
        pts = pts[:, None]
    if pts.ndim != 2:
        raise FPTheoryError("points must be an array of shape (N,) or (N, d)")
    return _finite("points", pts)


def lowpass_filter(points: np.ndarray, values: np.ndarray, delta: float,
                   block: int = 512) -> np.ndarray:
    """Gaussian smoothing :math:`y^{\\rm low,\\delta}` of ``values`` (shape (N,) or (S, N): S
    functions on the same N points), the kernel built ``block`` rows at a time."""
    pts = _as_points(points)
    vals = _finite("values", np.asarray(values, dtype=float))
    single = vals.ndim == 1
    vals2 = np.atleast_2d(vals)
    if vals2.shape[1] != pts.shape[0]:
        raise FPTheoryError(f"values have {vals2.shape[1]} points, the grid has {pts.shape[0]}")
    if not (delta > 0 and math.isfinite(delta)):
        raise FPTheoryError(f"the filter width delta must be a positive number (got {delta})")
    sq = np.sum(pts**2, axis=1)
    out = np.empty_like(vals2)
    for start in range(0, pts.shape[0], block):
        rows = slice(start, start + block)
        d2 = np.maximum(sq[rows, None] + sq[None, :] - 2 * pts[rows] @ pts.T, 0.0)
        g = np.exp(-d2 / (2 * delta))  # the diagonal is 1, so no row sum vanishes
        out[:, rows] = (vals2 @ g.T) / g.sum(axis=1)
    return out[0] if single else out


def filtered_errors(points: np.ndarray, target: np.ndarray, outputs: np.ndarray,
                    deltas: Sequence[float]) -> dict[str, np.ndarray]:
    """:math:`e_{\\rm low}` and :math:`e_{\\rm high}` of each output (rows of ``outputs``)
    against ``target`` for every filter width; arrays of shape (len(deltas), S)."""
    outs = np.atleast_2d(np.asarray(outputs, dtype=float))
    tgt = np.asarray(target, dtype=float)
    e_low = np.empty((len(deltas), outs.shape[0]))
    e_high = np.empty_like(e_low)
    for i, delta in enumerate(deltas):
        both = lowpass_filter(points, np.vstack([tgt[None, :], outs]), delta)
        t_low, o_low = both[0], both[1:]
        t_high, o_high = tgt - t_low, outs - o_low
        low_norm, high_norm = np.linalg.norm(t_low), np.linalg.norm(t_high)
        if low_norm == 0 or high_norm == 0:
            raise FPTheoryError(f"delta={delta}: the target's low or high part is zero; choose another width")
        e_low[i] = np.linalg.norm(o_low - t_low, axis=1) / low_norm
        e_high[i] = np.linalg.norm(o_high - t_high, axis=1) / high_norm
    return {"e_low": e_low, "e_high": e_high}


def shell_index(shape: tuple[int, ...], n_shells: int) -> np.ndarray:
    """For an n-D DFT of ``shape``, the shell (0..n_shells-1) of each bin by its radial
    frequency :math:`|j|/j_{\\max}` (numpy's order, negative bins folded); the DC bin is -1."""
    grids = np.meshgrid(*[np.fft.fftfreq(s) * s for s in shape], indexing="ij")
    radius = np.sqrt(sum(g**2 for g in grids))
    rmax = radius.max()
    idx = np.minimum((radius / rmax * n_shells).astype(int), n_shells - 1)
    idx[radius == 0] = -1
    return idx


def shell_errors(predicted_fft: np.ndarray, target_fft: np.ndarray, shells: np.ndarray,
                 n_shells: int) -> np.ndarray:
    """:math:`\\Delta_F` per radial shell, :math:`(\\sum_{\\rm shell}|\\hat h - \\hat f|^2 /
    \\sum_{\\rm shell}|\\hat f|^2)^{1/2}`, for one n-D spectrum (numpy)."""
    num = np.bincount(shells[shells >= 0], np.abs(predicted_fft - target_fft)[shells >= 0] ** 2, n_shells)
    den = np.bincount(shells[shells >= 0], np.abs(target_fft)[shells >= 0] ** 2, n_shells)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, np.sqrt(num / np.where(den > 0, den, 1)), np.nan)


def high_frequency_rms(values: np.ndarray, length: float, cutoff: float) -> float:
    """RMS of the part of ``values`` (uniform samples over a period ``length`` along every
    axis: a signal or a square image) above the angular frequency ``cutoff``, by Parseval:
    :math:`\\big(\\sum_{|k_j| > k_c} |\\hat y_j|^2\\big)^{1/2}/N`. Applied to a Hann-windowed
    signal by the callers where the function is not periodic."""
    y = _finite("values", np.asarray(values, dtype=float))
    spec = np.fft.fftn(y)
    grids = np.meshgrid(*[bin_frequencies(s, length) for s in y.shape], indexing="ij")
    radius = np.sqrt(sum(g**2 for g in grids))
    return float(np.sqrt(np.sum(np.abs(spec[radius > cutoff]) ** 2)) / y.size)
