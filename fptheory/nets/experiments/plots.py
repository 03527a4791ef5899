r"""The experiments' figures (matplotlib, imported inside the functions): the book's heat map
of :math:`\Delta_F` over epochs with Δ_F curves (§1.1), and the panels of the 1-D and 2-D
large-initialisation experiments (§1.2)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..spectral import bin_frequencies


def _heatmap(ax, delta: np.ndarray, labels: list[str], title: str, epochs: dict[str, int | None] | None):
    from matplotlib.colors import LogNorm

    d = np.clip(np.nan_to_num(delta, nan=1.0), 1e-3, 10)
    mesh = ax.pcolormesh(np.arange(d.shape[1] + 1), np.arange(d.shape[0] + 1), d,
                         norm=LogNorm(vmin=1e-2, vmax=1.0), cmap="RdBu", shading="flat")
    ax.set_yticks(np.arange(len(labels)) + 0.5, labels)
    ax.set_ylabel("frequency k")
    ax.set_xlabel("epoch")
    ax.set_title(title, fontsize=10)
    if epochs:
        for i, lab in enumerate(labels):
            e = epochs.get(lab)
            if e is not None:
                ax.plot([e, e], [i, i + 1], color="k", lw=1.5)
    return mesh


def _plot_heatmaps(path: Path, panels: list[tuple[str, dict[str, Any]]], cfg: dict[str, Any]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(panels), 2, figsize=(10, 2.6 * len(panels)), squeeze=False)
    for row, (title, run) in zip(axes, panels, strict=True):
        mesh = _heatmap(row[0], run["_delta"], run["labels"], f"Δ_F = |ĥ-f̂|/|f̂|, {title}",
                        run["convergence_epochs"])
        fig.colorbar(mesh, ax=row[0])
        for lab, d in zip(run["labels"], run["_delta"], strict=True):
            row[1].semilogy(np.maximum(d, 1e-6), label=f"k={lab}")
        row[1].axhline(cfg["threshold"], color="k", ls=":", lw=1)
        row[1].set_xlabel("epoch")
        row[1].set_ylabel("Δ_F")
        row[1].legend(fontsize=8)
        row[1].set_title(f"black ticks / dotted: Δ_F < {cfg['threshold']} for {cfg['run']} epochs",
                         fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _plot_large_1d(path, cfg, x, f, xt, ft, examples, cutoff) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # 7.2 in wide: upright on a report page at 80 % (labels of 10 pt print at 8 pt)
    fig, axes = plt.subplots(2, 2, figsize=(7.2, 7.0))
    for ax, kind in zip(axes[0], ("small", "large"), strict=True):
        ax.plot(xt, ft, color="0.6", lw=1, label="target")
        ax.plot(xt, examples[kind]["init"], color="C2", lw=0.8, alpha=0.7, label="initial output")
        ax.plot(xt, examples[kind]["out"], color="C3", lw=1.2, label="trained output")
        ax.plot(x, f, "k.", label="training data")
        ax.set_title(f"{kind} init (std {cfg['std_' + kind]})", fontsize=10)
        ax.legend(fontsize=9)
    window = np.hanning(len(xt))
    k = np.abs(bin_frequencies(len(xt), 2 * np.pi))[: len(xt) // 2]
    for kind, color in (("small", "C0"), ("large", "C3")):
        spec = np.abs(np.fft.fft(examples[kind]["out"] * window))[: len(xt) // 2] / len(xt)
        axes[1, 0].semilogy(k, spec + 1e-8, color=color, label=f"{kind} init")
    axes[1, 0].semilogy(k, np.abs(np.fft.fft(ft * window))[: len(xt) // 2] / len(xt) + 1e-8, color="0.5",
                        label="target")
    axes[1, 0].axvline(cutoff, color="k", ls=":", lw=1)
    axes[1, 0].set_xlim(0, 60)
    axes[1, 0].set_xlabel("frequency k")
    axes[1, 0].set_title("|DFT| of the output (Hann); dotted: cutoff", fontsize=10)
    axes[1, 0].legend(fontsize=9)
    mesh = _heatmap(axes[1, 1], examples["large"]["_delta"], examples["large"]["labels"],
                    "Δ_F on the training grid, large init", examples["large"]["convergence_epochs"])
    fig.colorbar(mesh, ax=axes[1, 1])
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _plot_large_2d(path, cfg, img, mask, examples) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # three rows of two, 7.2 in wide: upright on a report page at 80 % (10 pt prints at 8 pt)
    fig, axes = plt.subplots(3, 2, figsize=(7.2, 9.6))
    vmin, vmax = img.min(), img.max()
    axes[0, 0].imshow(img, cmap="gray", vmin=vmin, vmax=vmax)
    axes[0, 0].set_title("image; trained on odd rows, columns", fontsize=10)
    for ax, kind in zip(axes[1], ("small", "large"), strict=True):
        ax.imshow(examples[kind]["out"], cmap="gray", vmin=vmin, vmax=vmax)
        ax.set_title(f"output, {kind} init (std {cfg['std_' + kind]})", fontsize=10)
    row = img.shape[0] // 2  # 0-based index of an odd row (1-based): a trained row
    axes[0, 1].plot(img[row], "k.-", lw=0.8, label="image")
    for kind, color in (("small", "C0"), ("large", "C3")):
        axes[0, 1].plot(examples[kind]["out"][row], color=color, label=f"{kind} init")
    axes[0, 1].set_title(f"row {row + 1}; even columns held out", fontsize=10)
    axes[0, 1].legend(fontsize=9)
    for ax, kind in zip(axes[2], ("small", "large"), strict=True):
        mesh = _heatmap(ax, examples[kind]["_delta"], examples[kind]["labels"],
                        f"Δ_F per radial shell, {kind} init", None)
        ax.set_ylabel("shell (|k| / k_max)")
        fig.colorbar(mesh, ax=ax)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
