"""Theorem 1 measured over δ: one δ by either method (:func:`measure`), a sweep with the
fitted rate, what the theory says (the proof's rate, the chapter's, the explicit bound of
(1.12)-(1.21)) and the figure."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from fptheory.core.errors import FPTheoryError
from fptheory.core.execution import LocalExecutor, Task, TaskFailure, current, run_tasks

from ..theorem1 import explicit_theorem1
from .mc import _progress, monte_carlo
from .problem import MeasureProblem, MeasureResult, _check_delta
from .rare import RareEventError, rare_event
from .rate import RateFit, fit_rate

# ---------------------------------------------------------------------------------------
# one δ, by either method


def measure(problem: MeasureProblem, delta: float, *, method: str = "auto",
            samples: int | None = None, seed: int = 0, rel_precision: float = 0.1,
            progress: bool = False) -> MeasureResult:
    """One δ by ``mc``, ``rare`` or ``auto`` (rare where its band structure is valid and the
    failure is below 1e-3, Monte Carlo otherwise)."""
    if method not in ("mc", "rare", "auto"):
        raise FPTheoryError(f"method must be mc, rare or auto, got {method!r}")
    if method == "mc":
        return monte_carlo(problem, delta, samples=samples, seed=seed,
                           rel_precision=rel_precision, progress=progress)
    if method == "rare":
        return rare_event(problem, delta, seed=seed, rel_tol=rel_precision)
    try:
        result = rare_event(problem, delta, seed=seed, rel_tol=rel_precision)
        if result.failure < 1e-3:
            return result
    except RareEventError:
        pass
    return monte_carlo(problem, delta, samples=samples, seed=seed, rel_precision=rel_precision,
                       progress=progress)


# ---------------------------------------------------------------------------------------
# a sweep over δ: results, the fitted rate, the proof's rate and the explicit bound


@dataclass
class MeasureStudy:
    """Several δ for one problem, with the fitted rate and what the theory says."""

    problem: MeasureProblem
    results: list[MeasureResult]
    fit: RateFit | None
    theory: dict[str, Any]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"problem": self.problem.to_dict(), "results": [r.to_dict() for r in self.results],
                "fit": None if self.fit is None else self.fit.to_dict(), "theory": self.theory,
                "notes": self.notes}


def _one(args: tuple) -> MeasureResult:
    problem, delta, method, samples, seed, rel_precision = args
    return measure(problem, delta, method=method, samples=samples, seed=seed,
                   rel_precision=rel_precision)


def measure_many(problem: MeasureProblem, deltas: Sequence[float], *, method: str = "auto",
                 samples: int | None = None, seed: int = 0, rel_precision: float = 0.1,
                 workers: int = 1, progress: bool = False,
                 finished: Callable[[MeasureResult, int, int], None] | None = None) -> MeasureStudy:
    """:func:`measure` at every δ (in ``workers`` local processes, or on the executor in force,
    :func:`fptheory.core.execution.using`: a Dask cluster), then :func:`fit_rate` and
    :func:`theory_for` when at least three δ gave a positive failure. ``progress`` shows
    bars on a terminal's stderr; ``finished(result, done, total)`` is called as each δ ends."""
    deltas = [_check_delta(d) for d in deltas]
    if not deltas:
        raise FPTheoryError("give at least one δ")
    jobs = [(problem, d, method, samples, seed + i, rel_precision) for i, d in enumerate(deltas)]
    bar = _progress(len(jobs), "δ values", progress)

    def done(index: int, result: Any, count: int, total: int) -> None:
        if bar:
            bar[0].advance(bar[1])
        if finished is not None and not isinstance(result, TaskFailure):
            finished(result, count, total)

    # the seed of δ number i is seed + i wherever it runs: the same numbers on any executor
    tasks = [Task(f"δ = {job[1]:g}", _one, (job,)) for job in jobs]
    executor = LocalExecutor(workers) if workers > 1 else current()
    try:
        results = run_tasks(tasks, done, executor)
    finally:
        if bar:
            bar[0].stop()
    notes: list[str] = []
    fit = None
    usable = [r for r in results if r.failure > 0]
    if len(usable) >= 3 and problem.model.csch_rate is not None:
        preferred = [r for r in usable if r.method == "rare"]
        chosen = preferred if len(preferred) >= 3 else usable
        fit = fit_rate([r.delta for r in chosen], [r.log10_failure * math.log(10) for r in chosen],
                       problem.m)
        if chosen is not preferred:
            notes.append("fit on Monte Carlo points (fewer than 3 rare-event points)")
    elif len(results) >= 3 and problem.model.csch_rate is None:
        notes.append(f"no rate fit: |σ̂| of {problem.model.name} does not decay exponentially, so "
                     "1 − ratio is not of the form C e^{-c/δ}")
    theory = theory_for(problem, results, fit)
    return MeasureStudy(problem, results, fit, theory, notes)


def theory_for(problem: MeasureProblem, results: Sequence[MeasureResult],
               fit: RateFit | None) -> dict[str, Any]:
    r"""The proof's rate and the chapter's, and whether the explicit bound holds.

    The steps (1.14)-(1.16) give bands of half-width ∝ e^{−r(k2−k1)/|w|} (r = π/2 for tanh
    in the angular convention), hence c = r(k2 − k1) = π(k2 − k1)/2; the chapter prints
    c2 = π(k2 − k1). For tanh in the chapter's convention, the explicit Theorem 1 of
    :func:`fptheory.theory.theorem1.explicit_theorem1` gives C and δ0, and the bound
    1 − ratio ≤ C e^{−c/δ}·(its prefactor) is checked at every measured δ ≤ δ0: it is
    violated where the measured interval lies entirely above it.
    """
    p = problem
    out: dict[str, Any] = {"c": p.proof_rate, "source": "the proof's steps: c = r (k2 - k1) with "
                           "r the exponential rate of |σ̂| in κ = k/w"}
    if p.model.name == "tanh" and p.model.convention.name == "angular":
        out["c_chapter"] = math.pi * (p.k2 - p.k1)
    if fit is not None and math.isfinite(p.proof_rate):
        err = max(fit.c_stderr, fit.c_spread)
        out["fit_over_proof"] = fit.c / p.proof_rate
        out["fit_agrees_within_5_percent"] = abs(fit.c / p.proof_rate - 1) <= 0.05
        out["fit_uncertainty"] = err
        if "c_chapter" in out:
            out["fit_over_chapter"] = fit.c / out["c_chapter"]
    if p.model.name == "tanh" and p.model.convention.name == "angular":
        out.update(_explicit_bound_check(p, results))
    return out


def _explicit_bound_check(p: MeasureProblem, results: Sequence[MeasureResult]) -> dict[str, Any]:
    try:
        bound = explicit_theorem1(p.k1, p.k2, p.fhat1, p.fhat2, p.a.tolist(), p.b.tolist())
    except FPTheoryError as exc:
        return {"bound": f"unavailable: {exc}"}
    rows = []
    for r in results:
        b = bound.failure_bound(r.delta)
        if not math.isfinite(b):
            rows.append({"delta": r.delta, "bound": None, "holds": None})
            continue
        rows.append({"delta": r.delta, "bound": b, "holds": not (r.ci_low > b)})
    decided = [row["holds"] for row in rows if row["holds"] is not None]
    return {"explicit": bound.to_dict(), "bound_checks": rows,
            "bound_holds_at_every_measured_delta": (all(decided) if decided else None)}


def plot_study(study: MeasureStudy, path: str) -> str:
    """Figure: 1 − ratio against 1/δ (log axis): MC points with their intervals, the
    rare-event curve with its band, the fit and the explicit bound where available."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    mc = [r for r in study.results if r.method == "mc" and r.failure > 0]
    rare = sorted((r for r in study.results if r.method == "rare"), key=lambda r: r.delta)
    if mc:
        x = np.array([1 / r.delta for r in mc])
        y = np.array([r.failure for r in mc])
        err = np.array([[r.failure - r.ci_low for r in mc], [r.ci_high - r.failure for r in mc]])
        ax.errorbar(x, y, yerr=err, fmt="o", ms=4, capsize=2, label="Monte Carlo (95% CP)")
    if rare:
        x = np.array([1 / r.delta for r in rare])
        ax.plot(x, [10 ** r.log10_failure for r in rare], "-", color="C1", label="rare-event estimator")
        ax.fill_between(x, [max(r.ci_low, 1e-300) for r in rare], [r.ci_high for r in rare],
                        color="C1", alpha=0.25, lw=0)
    xs = np.array(sorted(1 / r.delta for r in study.results))
    if study.fit is not None:
        f = study.fit
        ax.plot(xs, [f.predict(1 / x, study.problem.m) for x in xs], "--", color="C2",
                label=f"fit: c = {f.c:.4g}")
    checks = study.theory.get("bound_checks") or []
    bx = [1 / row["delta"] for row in checks if row.get("bound")]
    if bx:
        ax.plot(bx, [row["bound"] for row in checks if row.get("bound")], ":", color="C3",
                label="explicit bound (Theorem 1)")
    ax.set_yscale("log")
    ax.set_xlabel("1/δ")
    ax.set_ylabel("1 − ratio")
    p = study.problem
    ax.set_title(f"{p.model.name}, m = {p.m}, k1 = {p.k1:g}, k2 = {p.k2:g}; "
                 f"proof c = {p.proof_rate:.4g}")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
