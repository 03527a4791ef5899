"""The §1.2 large-initialisation experiments: 1-D (figures 1.3-1.4) and a 2-D image trained
on its odd rows and columns (figure 1.5), plus :func:`load_image`, the image they use."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import sympy as sp

from fptheory.core.errors import FPTheoryError
from fptheory.fourier.activations import X

from ..spectral import (
    bin_frequencies,
    convergence_epoch,
    filtered_errors,
    high_frequency_rms,
    relative_error,
    select_peaks,
    uniform_grid,
)
from .common import _labels, _majority, _torch_setup, seed_runs
from .configs import TARGET
from .plots import _plot_large_1d, _plot_large_2d

__all__ = ["load_image"]


def _large_1d_data(cfg):
    """The 1-D target on the training and test grids, its highest data frequency and the
    high-frequency cutoff and window of the measurement."""
    target = sp.lambdify(X, TARGET, "numpy")
    x = uniform_grid(cfg["n_train"], -np.pi, np.pi)
    xt = uniform_grid(cfg["n_test"], -np.pi, np.pi)
    f, ft = target(x), target(xt)
    spec = np.abs(np.fft.fft(f))[: cfg["n_train"] // 2 + 1]
    k_data = float(np.flatnonzero(spec > 1e-3 * spec.max()).max())  # bins are angular k on [-π, π)
    cutoff = k_data + 2.0  # Hann window: main lobe ±2 bins
    return x, xt, f, ft, k_data, cutoff, np.hanning(cfg["n_test"])


def _large_1d_seed(cfg, s, device, tick):
    """One seed of the 1-D experiment: the small and the large init trained on the same data
    (the row of the table, and the curves of the figure, which shows the first seed's)."""
    from ..mlp import PeakRecorder, make_mlp, train

    torch, dev = _torch_setup(device)
    x, xt, f, ft, _, cutoff, window = _large_1d_data(cfg)
    bins = select_peaks(f)
    as_t = functools.partial(torch.as_tensor, dtype=torch.float32, device=dev)
    row: dict[str, Any] = {"seed": s}
    examples: dict[str, Any] = {}
    for kind in ("small", "large"):
        net = make_mlp(cfg["widths"], "tanh", std=cfg[f"std_{kind}"], seed=s, device=dev)
        rec = PeakRecorder(cfg["n_train"], list(bins), cfg["epochs"], 1, dev, torch.float32)
        res = train(net, as_t(x[:, None]), as_t(f[:, None]), epochs=cfg["epochs"], lr=cfg["lr"],
                    x_test=as_t(xt[:, None]), recorder=rec, progress=tick)
        out = res.final_test[:, 0]
        row[kind] = {
            "train_mse": float(res.losses[-1]),
            "test_rmse": float(np.sqrt(np.mean((out - ft) ** 2))),
            "high_freq_rms": high_frequency_rms(out * window, 2 * np.pi, cutoff),
            "initial_high_freq_rms": high_frequency_rms(res.initial_test[:, 0] * window, 2 * np.pi,
                                                        cutoff),
        }
        delta = relative_error(rec.coefficients(), np.fft.fft(f)[bins]).T
        labels = _labels(bin_frequencies(cfg["n_train"], 2 * np.pi)[bins])
        examples[kind] = {"out": out, "init": res.initial_test[:, 0], "_delta": delta,
                          "labels": labels,
                          "convergence_epochs": dict(zip(labels, convergence_epoch(
                              delta, cfg["threshold"], cfg["run"], rec.epochs()), strict=True))}
    return row, examples


def _exp_large_1d(cfg, seeds, device, tick):
    x, xt, f, ft, k_data, cutoff, window = _large_1d_data(cfg)
    runs = seed_runs(_large_1d_seed, cfg, seeds, device, tick, epochs=2 * cfg["epochs"])
    examples = runs[0][1]
    rows, flags = [], []
    for row, _ in runs:
        sm, lg = row["small"], row["large"]
        if max(sm["train_mse"], lg["train_mse"]) > cfg["fit_tolerance"]:
            flag = None  # a net that did not fit its data says nothing about generalisation
        else:
            flag = bool(lg["test_rmse"] >= cfg["factor"] * sm["test_rmse"]
                        and lg["high_freq_rms"] >= cfg["factor"] * sm["high_freq_rms"])
        row["agrees"] = flag
        flags.append(flag)
        rows.append(row)
    holds, agree = _majority(flags)
    med = {kind: {m: float(np.median([r[kind][m] for r in rows])) for m in ("test_rmse", "high_freq_rms")}
           for kind in ("small", "large")}
    ref = high_frequency_rms(ft * window, 2 * np.pi, cutoff)
    verdict = (f"large init (std {cfg['std_large']}) vs small (std {cfg['std_small']}): test RMSE and "
               f"output RMS above k = {cutoff:g} both at least {cfg['factor']}x larger in "
               f"{agree}/{len(rows)} seeds (median test RMSE {med['large']['test_rmse']:.3g} vs "
               f"{med['small']['test_rmse']:.3g}; high-frequency RMS {med['large']['high_freq_rms']:.3g} vs "
               f"{med['small']['high_freq_rms']:.3g}, "
               f"target's own {ref:.2g})")
    measured = {"data_highest_frequency": k_data, "cutoff": cutoff, "target_high_freq_rms": ref,
                "median": med}

    def plot(path):
        _plot_large_1d(path, cfg, x, f, xt, ft, examples, cutoff)

    return rows, holds, agree, verdict, measured, plot


def load_image(pixels: int) -> np.ndarray:
    """matplotlib's bundled sample photograph ``grace_hopper.jpg`` (ships with matplotlib, no
    download) as a grey-scale ``pixels x pixels`` array: centre square crop, mean of RGB,
    block-averaged, then standardised to mean 0 and standard deviation 1."""
    import matplotlib.cbook as cbook
    import matplotlib.image as mimage

    if not (isinstance(pixels, int) and 8 <= pixels <= 256 and pixels % 2 == 0):
        raise FPTheoryError(f"image size must be an even number of pixels from 8 to 256 (got {pixels})")
    rgb = mimage.imread(cbook.get_sample_data("grace_hopper.jpg", asfileobj=False))
    grey = rgb[..., :3].astype(float).mean(axis=2)
    h, w = grey.shape
    side = min(h, w) // pixels * pixels
    top, left = (h - side) // 2, (w - side) // 2
    block = side // pixels
    img = grey[top:top + side, left:left + side].reshape(pixels, block, pixels, block).mean(axis=(1, 3))
    return (img - img.mean()) / img.std()


def _large_2d_data(cfg):
    """The image, its pixel coordinates, the training mask (odd rows and columns), the
    high-frequency cutoff and window, and the pixel spacing."""
    n = cfg["pixels"]
    img = load_image(n)
    coords = np.linspace(-1, 1, n)
    gx, gy = np.meshgrid(coords, coords, indexing="ij")
    pts = np.stack([gx.ravel(), gy.ravel()], axis=1)
    mask = np.zeros((n, n), bool)
    mask[0::2, 0::2] = True  # the odd rows and odd columns, counted from 1, are trained on
    cutoff = np.pi / 2  # Nyquist of the training grid (spacing 2 pixels), in rad/pixel
    window = np.outer(np.hanning(n), np.hanning(n))
    return img, pts, mask, cutoff, window, coords[1] - coords[0]


def _large_2d_seed(cfg, s, device, tick):
    """One seed of the 2-D experiment: the small and the large init trained on the same
    pixels (the row of the table, and the images of the figure: the first seed's)."""
    from ..mlp import ShellRecorder, make_mlp, train

    torch, dev = _torch_setup(device)
    n = cfg["pixels"]
    img, pts, mask, cutoff, window, spacing = _large_2d_data(cfg)
    train_mask = mask.ravel()
    sub = (n // 2, n // 2)
    as_t = functools.partial(torch.as_tensor, dtype=torch.float32, device=dev)
    xt, yt = as_t(pts[train_mask]), as_t(img.ravel()[train_mask][:, None])
    row: dict[str, Any] = {"seed": s}
    examples: dict[str, Any] = {}
    for kind in ("small", "large"):
        net = make_mlp(cfg["widths"], "tanh", std=cfg[f"std_{kind}"], seed=s, device=dev)
        rec = ShellRecorder(sub, img[0::2, 0::2], cfg["shells"], cfg["epochs"], 1, dev, torch.float32)
        res = train(net, xt, yt, epochs=cfg["epochs"], lr=cfg["lr"], x_test=as_t(pts), recorder=rec,
                    progress=tick)
        out = res.final_test[:, 0].reshape(n, n)
        filt = filtered_errors(pts, img.ravel(), out.ravel()[None, :], [spacing**2])
        row[kind] = {
            "train_mse": float(res.losses[-1]),
            "test_rmse": float(np.sqrt(np.mean((out.ravel() - img.ravel())[~train_mask] ** 2))),
            "high_freq_rms": high_frequency_rms(out * window, n, cutoff),
            "filtered_e_low": float(filt["e_low"][0, 0]), "filtered_e_high": float(filt["e_high"][0, 0]),
        }
        examples[kind] = {"out": out, "_delta": rec.errors().T,
                          "labels": [f"{i + 1}/{cfg['shells']}" for i in range(cfg["shells"])]}
    return row, examples


def _exp_large_2d(cfg, seeds, device, tick):
    img, pts, mask, cutoff, window, spacing = _large_2d_data(cfg)
    n = cfg["pixels"]
    runs = seed_runs(_large_2d_seed, cfg, seeds, device, tick, epochs=2 * cfg["epochs"])
    examples = runs[0][1]
    rows, flags = [], []
    for row, _ in runs:
        sm, lg = row["small"], row["large"]
        flag = bool(lg["test_rmse"] >= cfg["factor"] * sm["test_rmse"]
                    and lg["high_freq_rms"] >= cfg["factor"] * sm["high_freq_rms"])
        row["agrees"] = flag
        flags.append(flag)
        rows.append(row)
    holds, agree = _majority(flags)
    med = {kind: {m: float(np.median([r[kind][m] for r in rows]))
                  for m in ("test_rmse", "high_freq_rms", "train_mse", "filtered_e_high")}
           for kind in ("small", "large")}
    ref = high_frequency_rms(img * window, n, cutoff)
    verdict = (f"large init (std {cfg['std_large']}) vs small (std {cfg['std_small']}): held-out RMSE and "
               f"output RMS above the training Nyquist both at least {cfg['factor']}x larger in "
               f"{agree}/{len(rows)} seeds (median held-out RMSE {med['large']['test_rmse']:.3g} vs "
               f"{med['small']['test_rmse']:.3g} image std; high-frequency RMS "
               f"{med['large']['high_freq_rms']:.3g} vs {med['small']['high_freq_rms']:.3g}, image's own "
               f"{ref:.2g})")
    measured = {"image": "matplotlib sample data grace_hopper.jpg (grey, block-averaged, standardised)",
                "pixels": n, "cutoff_rad_per_pixel": cutoff, "image_high_freq_rms": ref, "median": med,
                "filter_delta": spacing**2}

    def plot(path):
        _plot_large_2d(path, cfg, img, mask, examples)

    return rows, holds, agree, verdict, measured, plot
