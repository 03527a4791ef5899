r"""Figure 1.6 (§1.3.1): a trained two-layer ReLU net against the LFP model, splines and the NTK.

:func:`compare_nn_lfp` trains the width-m net (torch, :mod:`~fptheory.nets.lfp_relu`) from one
of the chapter's initialisations, solves the LFP model (1.27) with γ(ξ)² (1.26) from the same
initialisation (:mod:`fptheory.theory.lfp`), and compares both on the data hull with the
natural cubic and linear splines and with the exact infinite-width kernels of all three
gradient features and of the a- and b-features only (:class:`LFPComparison`: distances, the
verdict "NN ≈ LFP ≈ spline" against :data:`APPROX_TOL`, and the measured cause of any gap).
:func:`width_study` repeats it over widths and seeds (:class:`WidthStudy`: log-log slopes and a
verdict on whether width explains the gap); :func:`plot_comparison` and
:func:`plot_width_study` draw them (PNG via Agg). torch and matplotlib load only inside functions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from fptheory.core.errors import FPTheoryError
from fptheory.theory.lfp import (
    CHAPTER_INITS,
    DEFAULT_X,
    DEFAULT_Y,
    Init,
    KernelParts,
    empirical_ntk,
    gamma_squared,
    kernel_interpolant,
    lfp_fit,
    ntk_closed_form,
    ntk_monte_carlo,
    validate_data,
)

from .lfp_relu import train_two_layer_relu

__all__ = [
    "APPROX_TOL", "LFPComparison", "compare_nn_lfp", "WidthStudy", "width_study",
    "plot_comparison", "plot_width_study",
]

#: "≈" means max |difference| ≤ APPROX_TOL × (max y - min y)
APPROX_TOL = 0.05
EXPECTED_SPLINE = {"a": "cubic", "b": "linear"}


def _dist(u: np.ndarray, v: np.ndarray) -> dict[str, float]:
    d = np.asarray(u, dtype=float) - np.asarray(v, dtype=float)
    if not np.all(np.isfinite(d)):
        raise FPTheoryError("a compared curve is not finite")  # never let nan reach a verdict
    return {"max": float(np.max(np.abs(d))), "rms": float(np.sqrt(np.mean(d * d)))}


@dataclass
class LFPComparison:
    """One panel of figure 1.6: curves on the data hull, their distances and the verdicts.

    ``curves``: nn, lfp, cubic, linear, kernel_full (exact infinite-width NTK of all three
    gradient features), kernel_ab (a- and b-features only, the ones in the chapter's γ²),
    linearised (the same net's NTK at θ_0), lfp_printed_argument (γ evaluated at 2πj/L' as
    printed in (1.27)). ``distances[name] = {"max", "rms"}``.
    """

    case: str
    init: Init
    width: int
    seed: int
    antisymmetric: bool
    x: np.ndarray
    y: np.ndarray
    grid: np.ndarray
    curves: dict[str, np.ndarray]
    distances: dict[str, dict[str, float]]
    threshold: float
    verdict: str
    prediction_holds: bool
    finding: str
    net: dict[str, Any]
    lfp: dict[str, Any]
    kernel_source: str

    def to_dict(self, with_curves: bool = False) -> dict[str, Any]:
        d = self.distances
        out: dict[str, Any] = {
            "case": self.case, "init": self.init.to_dict(), "width": self.width, "seed": self.seed,
            "antisymmetric": self.antisymmetric, "h_ini": "≡ 0 (antisymmetric)" if self.antisymmetric
            else "the net's own initial output (f_LFP = h_ini + LFP of y - h_ini(x))",
            "data": {"x": self.x.tolist(), "y": self.y.tolist()},
            "grid": {"from": float(self.grid[0]), "to": float(self.grid[-1]), "points": int(self.grid.size)},
            "max_abs_nn_minus_lfp": d["nn-lfp"]["max"],
            "max_abs_lfp_minus_cubic": d["lfp-cubic"]["max"],
            "max_abs_lfp_minus_linear": d["lfp-linear"]["max"],
            "rms_nn_minus_lfp": d["nn-lfp"]["rms"],
            "distances": d, "threshold": self.threshold,
            "threshold_rule": f"≈ means max |difference| ≤ {APPROX_TOL} × (max y − min y)",
            "verdict": self.verdict, "prediction_holds": self.prediction_holds,
            "finding": self.finding, "net": self.net, "lfp": self.lfp,
            "kernel_source": self.kernel_source,
        }
        if with_curves:
            out["curves"] = {k: v.tolist() for k, v in self.curves.items()}
            out["grid"]["values"] = self.grid.tolist()
        return out


def _kernel_pair(init: Init, x: np.ndarray, grid: np.ndarray, seed: int
                 ) -> tuple[Callable, Callable, str]:
    lo = float(min(grid.min(), x.min()))
    hi = float(max(grid.max(), x.max()))
    if init.distribution == "uniform" and max(abs(lo), abs(hi)) <= init.b / init.w:
        return (ntk_closed_form(init)[1], ntk_closed_form(init, KernelParts(w=False))[1],
                "closed form (sympy, exact for |x| ≤ B/U_w)")
    rng = np.random.default_rng(seed + 12345)
    full = ntk_monte_carlo(init, 200_000, rng)
    rng = np.random.default_rng(seed + 12345)
    return full, ntk_monte_carlo(init, 200_000, rng, KernelParts(w=False)), \
        "Monte Carlo, 200000 neurons (outside the closed form's validity radius)"


def compare_nn_lfp(
    case: str = "a",
    *,
    width: int = 10_000,
    seed: int = 0,
    antisymmetric: bool = False,
    x: Sequence[float] | None = None,
    y: Sequence[float] | None = None,
    init: Init | None = None,
    K: int = 200,
    eps: float = 1e-6,
    grid_points: int = 401,
    L: float | None = None,
    L_prime: float | None = None,
) -> LFPComparison:
    """Figure 1.6, one panel: train the width-m net (torch), solve LFP with γ from the same init.

    ``case`` "a" or "b" picks the chapter's init (or pass ``init``; then ``case`` only names
    the expected spline). Curves are compared on the data hull [min x, max x] with
    ``grid_points`` points. Without ``antisymmetric``, f_LFP and the kernel curves start from
    the net's own h_ini (the variational model with h_ini), with it h_ini ≡ 0. ``L`` and
    ``L_prime`` go to :func:`~fptheory.theory.lfp.lfp_fit` (default: the chapter's reading,
    L the range of the inputs and L' = 10 L).
    """
    from scipy.interpolate import CubicSpline

    if case not in EXPECTED_SPLINE:
        raise FPTheoryError(f"--init must be a or b, got {case!r}")
    init = init or CHAPTER_INITS[case]
    xs, ys = validate_data(DEFAULT_X if x is None else x, DEFAULT_Y if y is None else y)
    if xs.size < 2:
        raise FPTheoryError("figure 1.6 needs at least 2 distinct data points")
    if not isinstance(grid_points, int) or grid_points < 2:
        raise FPTheoryError("grid_points must be an integer >= 2")
    grid = np.linspace(xs[0], xs[-1], grid_points)
    _, g2 = gamma_squared(init)
    net = train_two_layer_relu(xs, ys, init, width, seed=seed, antisymmetric=antisymmetric)
    if not net.converged:
        raise FPTheoryError(f"training did not reach the tolerance in {net.steps} steps "
                            f"(max residual {net.max_residual:.2e})")
    h0_grid = np.zeros_like(grid) if antisymmetric else net.initial(grid)
    h0_x = np.zeros_like(xs) if antisymmetric else net.initial(xs)
    resid = ys - h0_x
    sol = lfp_fit(xs, resid, g2, K=K, eps=eps, L=L, L_prime=L_prime)
    sol_printed = lfp_fit(xs, resid, g2, K=K, eps=eps, L=L, L_prime=L_prime,
                          frequency_argument="angular")
    k_full, k_ab, source = _kernel_pair(init, xs, grid, seed)
    k_lin = empirical_ntk(net.a0, net.w0, net.b0)
    curves = {
        "nn": net(grid),
        "lfp": h0_grid + sol(grid),
        "cubic": CubicSpline(xs, ys, bc_type="natural")(grid) if xs.size > 2 else np.interp(grid, xs, ys),
        "linear": np.interp(grid, xs, ys),
        "kernel_full": h0_grid + kernel_interpolant(k_full, xs, resid)(grid),
        "kernel_ab": h0_grid + kernel_interpolant(k_ab, xs, resid)(grid),
        "linearised": h0_grid + kernel_interpolant(k_lin, xs, resid)(grid),
        "lfp_printed_argument": h0_grid + sol_printed(grid),
    }
    pairs = [("nn", "lfp"), ("lfp", "cubic"), ("lfp", "linear"), ("nn", "cubic"), ("nn", "linear"),
             ("nn", "kernel_full"), ("nn", "kernel_ab"), ("nn", "linearised"), ("lfp", "kernel_ab"),
             ("kernel_full", "kernel_ab"), ("lfp_printed_argument", "lfp")]
    distances = {f"{p}-{q}": _dist(curves[p], curves[q]) for p, q in pairs}
    scale = float(ys.max() - ys.min()) or float(max(1.0, np.abs(ys).max()))
    tau = APPROX_TOL * scale
    nn_lfp = distances["nn-lfp"]["max"] <= tau
    closer = "cubic" if distances["lfp-cubic"]["max"] < distances["lfp-linear"]["max"] else "linear"
    lfp_spline = distances[f"lfp-{closer}"]["max"] <= tau
    verdict = (f"NN {'≈' if nn_lfp else '≉'} LFP {'≈' if lfp_spline else '≉'} {closer} spline "
               f"(max|NN−LFP| = {distances['nn-lfp']['max']:.3g}, max|LFP−{closer}| = "
               f"{distances[f'lfp-{closer}']['max']:.3g}, threshold {tau:.3g})")
    holds = nn_lfp and lfp_spline and closer == EXPECTED_SPLINE[case]
    finding = _explain(distances, tau)
    return LFPComparison(case, init, width, seed, antisymmetric, xs, ys, grid, curves, distances, tau,
                         verdict, holds, finding, net.to_dict(), sol.to_dict(), source)


def _explain(d: dict[str, dict[str, float]], tau: float) -> str:
    """Name the cause of an NN–LFP gap from the measured distances (no gap: say so)."""
    gap = d["nn-lfp"]["max"]
    parts = [f"|NN−K_full| = {d['nn-kernel_full']['max']:.3g} (width), "
             f"|K_full−K_ab| = {d['kernel_full-kernel_ab']['max']:.3g} (w-feature), "
             f"|K_ab−LFP| = {d['lfp-kernel_ab']['max']:.3g} (finite bias range, periodic grid)"]
    if gap <= tau:
        return f"no gap beyond the threshold: {parts[0]}"
    causes = []
    if d["kernel_full-kernel_ab"]["max"] > tau and d["nn-kernel_full"]["max"] < d["nn-kernel_ab"]["max"]:
        causes.append("the w-gradient feature a σ'(wx+b)·x, which the chapter's γ(ξ)² leaves out (it "
                      "acts as (1/4π²)∂_ξ(γ_b²∂_ξ ·), not as a multiplier), bends the NN's interpolant "
                      "away from the LFP/spline one")
    if d["lfp-kernel_ab"]["max"] > tau:
        causes.append("the bias range is not flat and wide compared with the data (the affine part "
                      "of the kernel is not free)")
    if d["nn-linearised"]["max"] > tau:
        causes.append(f"the net is not in the linear regime at this width: |NN − its own linearisation| = "
                      f"{d['nn-linearised']['max']:.3g} (kinks -b/w of neurons with small |w| move during "
                      "training although ‖θ − θ_0‖/‖θ_0‖ is small)")
    if d["nn-kernel_full"]["max"] > tau:
        causes.append("finite width: the net is still far from its infinite-width kernel")
    if not causes:
        causes.append("no single source exceeds the threshold; the gap is their sum")
    return "; ".join(causes) + ": " + parts[0]


@dataclass
class WidthStudy:
    """max |NN − LFP|, |NN − K_full|, |NN − K_ab| against width (mean over seeds)."""

    case: str
    antisymmetric: bool
    widths: list[int]
    seeds: list[int]
    nn_minus_lfp: list[float]
    nn_minus_kernel_full: list[float]
    nn_minus_kernel_ab: list[float]
    kernel_full_minus_lfp: float
    slope_kernel_full: float
    slope_lfp: float
    verdict: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _slope(widths: list[int], values: list[float]) -> float:
    lw, lv = np.log(np.asarray(widths, float)), np.log(np.maximum(np.asarray(values, float), 1e-300))
    return float(np.polyfit(lw, lv, 1)[0])


def _width_point(case: str, width: int, seed: int, antisymmetric: bool) -> dict[str, float]:
    """One training of the width study: its three max-distances and |K_full − LFP|."""
    r = compare_nn_lfp(case, width=width, seed=seed, antisymmetric=antisymmetric)
    return {"lfp": r.distances["nn-lfp"]["max"], "full": r.distances["nn-kernel_full"]["max"],
            "ab": r.distances["nn-kernel_ab"]["max"],
            "kernel_full_lfp": _dist(r.curves["kernel_full"], r.curves["lfp"])["max"]}


def width_study(case: str, widths: Sequence[int], seeds: Sequence[int], *, antisymmetric: bool = True,
                progress: Callable[[str], None] | None = None) -> WidthStudy:
    """NN–LFP and NN–kernel errors against width; log-log slopes; verdict computed from them.

    Width alone explains a gap when |NN − K_full| falls like m^{-1/2} (slope ≤ -0.3 is taken as
    "falls") while |NN − LFP| levels off at |K_full − LFP| (its slope > -0.3 and its value at
    the largest width within a factor 2 of |K_full − LFP|).
    """
    from fptheory.core.execution import Task, current, run_tasks

    executor = current()
    # widths × seeds are independent trainings: on a pool or a cluster they run side by side
    pairs = [(int(m), int(s)) for m in widths for s in seeds]
    tasks = [Task(f"width {m}, seed {s}", _width_point, (case, m, s, antisymmetric)) for m, s in pairs]
    if progress and getattr(executor, "workers", 2) == 1:
        points = []
        for m, s in pairs:  # one process: a line as each training starts
            progress(f"case {case}: width {m}, seed {s}")
            points.append(_width_point(case, m, s, antisymmetric))
    else:
        points = run_tasks(tasks, None if not progress else
                           lambda i, r, done, total: progress(f"case {case}: {tasks[i].key} done"),
                           executor)
    rows: dict[str, list[float]] = {"lfp": [], "full": [], "ab": []}
    by_width: dict[int, list[dict[str, float]]] = {}
    for (m, _), point in zip(pairs, points, strict=True):
        by_width.setdefault(m, []).append(point)
    for m in [int(w) for w in widths]:
        for k in rows:
            rows[k].append(float(np.mean([p[k] for p in by_width[m]])))
    kf_lfp = points[-1]["kernel_full_lfp"]
    s_full = _slope(list(widths), rows["full"]) if len(widths) > 1 else float("nan")
    s_lfp = _slope(list(widths), rows["lfp"]) if len(widths) > 1 else float("nan")
    if len(widths) < 2:
        verdict = "unknown: one width gives no trend"
    elif s_full <= -0.3 and (s_lfp > -0.3 and rows["lfp"][-1] <= 2 * kf_lfp and kf_lfp > 0):
        verdict = (f"width does not explain the NN–LFP gap: |NN−K_full| falls (slope {s_full:.2f}) while "
                   f"|NN−LFP| does not fall and stays near |K_full−LFP| = {kf_lfp:.3g} (slope {s_lfp:.2f})")
    elif s_full <= -0.3 and s_lfp <= -0.3:
        verdict = (f"NN → LFP with width: slopes {s_lfp:.2f} (LFP) and {s_full:.2f} (K_full); "
                   f"|K_full−LFP| = {kf_lfp:.3g}")
    else:
        verdict = (f"unknown: |NN−K_full| does not fall clearly with width (slope {s_full:.2f}); "
                   "more seeds or larger widths needed")
    return WidthStudy(case, antisymmetric, [int(m) for m in widths], [int(s) for s in seeds], rows["lfp"],
                      rows["full"], rows["ab"], kf_lfp, s_full, s_lfp, verdict)


def plot_comparison(panels: Sequence[LFPComparison], path: str) -> str:
    """Figure 1.6: one panel per comparison (NN, LFP, spline, full kernel), PNG via Agg."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(panels), figsize=(5.5 * len(panels), 4.2), squeeze=False)
    for ax, p in zip(axes[0], panels, strict=True):
        c = p.curves
        spline = EXPECTED_SPLINE[p.case]
        ax.plot(p.grid, c["nn"], "r-", lw=2, label="f_NN")
        ax.plot(p.grid, c["lfp"], "b:", lw=2, label="f_LFP")
        ax.plot(p.grid, c[spline], "--", color="gray", label=f"{spline} spline")
        ax.plot(p.grid, c["kernel_full"], "g-.", lw=1, label="exact NTK (a, b, w features)")
        ax.plot(p.x, p.y, "k*", ms=12, label="data")
        ax.set_title(f"({p.case}) w U={p.init.w:g}, a U={p.init.a:g}, b U={p.init.b:g}, m={p.width}"
                     + (", antisym." if p.antisymmetric else ""), fontsize=9)
        ax.set_xlabel("x")
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def plot_width_study(studies: Sequence[WidthStudy], path: str) -> str:
    """NN–LFP and NN–kernel errors against width, log-log."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(studies), figsize=(5.5 * len(studies), 4.2), squeeze=False)
    for ax, s in zip(axes[0], studies, strict=True):
        ax.loglog(s.widths, s.nn_minus_lfp, "bo-", label="max|NN − LFP|")
        ax.loglog(s.widths, s.nn_minus_kernel_full, "gs-", label="max|NN − K_full| (a,b,w)")
        ax.loglog(s.widths, s.nn_minus_kernel_ab, "m^-", label="max|NN − K_ab| (chapter's features)")
        ax.axhline(s.kernel_full_minus_lfp, color="gray", ls="--", label="|K_full − LFP|")
        ax.set_title(f"({s.case}) mean over seeds {s.seeds}", fontsize=9)
        ax.set_xlabel("width m")
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
