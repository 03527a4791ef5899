"""Theorem 1's failure fraction by plain Monte Carlo: sampling B_δ, with an exact
Clopper-Pearson interval and a sample count chosen for a relative precision."""

from __future__ import annotations

import math
import sys
import time

import numpy as np
from scipy import stats

from fptheory.core.errors import FPTheoryError

from .model import numba_available
from .problem import MeasureProblem, MeasureResult, _check_delta, _Evaluator, sample_ball

# ---------------------------------------------------------------------------------------
# Monte Carlo


def clopper_pearson(failures: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Exact binomial interval for a proportion (Clopper-Pearson), from scipy's
    ``binomtest(...).proportion_ci(method="exact")``.

    >>> lo, hi = clopper_pearson(0, 1000)
    >>> lo, round(hi, 5)
    (0.0, 0.00368)
    """
    ci = stats.binomtest(int(failures), int(n)).proportion_ci(confidence_level=confidence,
                                                             method="exact")
    return float(ci.low), float(ci.high)



def _progress(total: int, description: str, enabled: bool):
    if not enabled or not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import Progress

    progress = Progress(console=Console(stderr=True), transient=True)
    progress.start()
    return progress, progress.add_task(description, total=total)


def samples_for_precision(failure_guess: float, rel_precision: float,
                          confidence: float = 0.95) -> int:
    """n with z·sqrt((1−p)/(n p)) ≤ rel_precision (normal approximation to the CI)."""
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    p = min(max(failure_guess, 1e-300), 1.0)
    return int(math.ceil(z * z * (1 - p) / (p * rel_precision**2)))


#: The most points one Monte Carlo run may draw (hours already at ~10^7 points a second).
MAX_SAMPLES = 10**10


def monte_carlo(problem: MeasureProblem, delta: float, *, samples: int | None = None,
                rel_precision: float = 0.1, max_samples: int = 20_000_000, batch: int = 65536,
                seed: int = 0, progress: bool = False, engine: str = "auto") -> MeasureResult:
    """Plain Monte Carlo with a Clopper-Pearson 95 % interval for the failure fraction.

    Without ``samples``, a pilot of 2^16 points estimates the failure and the count is
    chosen for ``rel_precision`` (capped by ``max_samples``; the interval then says what
    was reached). Memory is constant: batches of ``batch`` points. ``engine``: ``numba``
    (compiled, csch-type activations; needs the optional numba), ``numpy``, or ``auto``.
    """
    delta = _check_delta(delta)
    rng = np.random.default_rng(seed)
    ev = _Evaluator(problem)
    start = time.perf_counter()
    failures = done = 0
    target = samples
    if target is None:
        pilot = 1 << 16
        failures = ev.count_failures(sample_ball(rng, pilot, problem.m, delta), engine)
        done = pilot
        guess = max(failures, 1) / pilot
        target = min(max_samples, max(pilot, samples_for_precision(guess, rel_precision)))
    if target < 1:
        raise FPTheoryError(f"samples must be >= 1, got {target}")
    if target > MAX_SAMPLES:
        raise FPTheoryError(f"samples = {target} is more than the {MAX_SAMPLES:.0e} one run may draw "
                            f"(~{target * problem.m / 1e7 / 3600:.3g} hours at ~10^7 points a second)")
    bar = _progress(target, f"MC δ={delta:g}", progress)
    try:
        while done < target:
            n = min(batch, target - done)
            failures += ev.count_failures(sample_ball(rng, n, problem.m, delta), engine)
            done += n
            if bar:
                bar[0].update(bar[1], completed=done)
    finally:
        if bar:
            bar[0].stop()
    lo, hi = clopper_pearson(failures, done)
    p = failures / done
    used = engine if engine != "auto" else (
        "numba" if problem.model.csch_rate is not None and numba_available() else "numpy")
    return MeasureResult(delta, p, lo, hi, "mc", done, time.perf_counter() - start,
                         math.log10(p) if p > 0 else -math.inf,
                         {"failures": failures, "confidence": 0.95, "engine": used})
