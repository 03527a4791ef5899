"""Figures of the α model (chapter §1.3.2): figure 1.7 (the interpolants for α below and above
d) and the off-data ratio against M. matplotlib is imported lazily, with the Agg backend.
"""

from __future__ import annotations

from collections.abc import Sequence

from .model import MinNormInterpolant
from .scaling import DEFAULT_EXCLUSION, ScalingStudy, off_data_ratio

__all__ = ["plot_interpolant", "plot_figure_1_7", "plot_scaling"]


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
                 fontsize=10)
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
    # the d = 1 panel above, the d = 2 images below: 7.2 in wide, upright on a report page
    # at 80 % (labels of 10 pt print at 8 pt)
    fig = plt.figure(figsize=(7.2, 3.4 + (3.6 if d2 else 0)))
    grid = fig.add_gridspec(2 if d2 else 1, max(1, len(d2)))
    ax = fig.add_subplot(grid[0, :])
    axs = [ax] + [fig.add_subplot(grid[1, i]) for i in range(len(d2))]
    for h in d1:
        off, axes, values = off_data_ratio(h, None, exclusion, return_grid=True)
        ax.plot(axes[0], values, lw=1, label=f"α={h.alpha:g} (ratio {off.ratio:.3g})")
    ax.plot(d1[0].x[:, 0], d1[0].y, "k*", ms=10, label="data")
    ax.set_title(f"d=1, M={d1[0].M}, Δξ={d1[0].delta_xi:g}", fontsize=10)
    ax.set_xlabel("x")
    ax.legend(fontsize=9)
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
