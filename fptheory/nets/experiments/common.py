"""Helpers the experiment runners share: reading the seeds' verdicts (majority, order,
median, spread), formatting, the per-seed rows' public part, and the torch set-up."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np


def _majority(flags: list[bool | None]) -> tuple[bool | None, int]:
    agree = sum(f is True for f in flags)
    disagree = sum(f is False for f in flags)
    if agree * 2 > len(flags):
        return True, agree
    if disagree * 2 > len(flags):
        return False, agree
    return None, agree


def _increasing(epochs: list[int | None]) -> bool | None:
    """Strictly increasing with 'never' read as later than the budget; None when the first
    never converged or two consecutive never did (no order to read)."""
    if epochs[0] is None:
        return None
    for lo, hi in zip(epochs[:-1], epochs[1:], strict=True):
        if lo is None and hi is None:
            return None
        if lo is None or (hi is not None and hi <= lo):
            return False
    return True


def _median(values: list[float | None]) -> float | None:
    """Lower median with None read as +∞ ('never'); None when that median is 'never'."""
    ordered = sorted(math.inf if v is None else float(v) for v in values)
    m = ordered[(len(ordered) - 1) // 2]
    return None if math.isinf(m) else m


def _labels(freqs: np.ndarray) -> list[str]:
    return [f"{f:g}" for f in np.round(freqs, 6)]


def _torch_setup(device: str):
    from ..mlp import require_torch, resolve_device

    torch = require_torch()
    return torch, resolve_device(device)


def _public(run: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in run.items() if not k.startswith("_")}


def _spread(epochs: list[int | None]) -> float | None:
    if any(e is None for e in epochs):
        return None
    return max(epochs) / max(min(epochs), 1)


def _finite_or_none(v: float | None) -> float | None:
    return None if v is None or not math.isfinite(v) else float(v)


def _fmt(v: float | None, digits: int = 0) -> str:
    if v is None:
        return "never"
    return f"{v:.{digits}f}"


def seed_runs(run: Callable[..., Any], cfg: dict[str, Any], seeds: list[int], device: str, tick,
              *, epochs: int | None = None, **options: Any) -> list[Any]:
    """``[run(cfg, seed, device, tick, **options) for seed in seeds]``, fanned out over the
    executor in force (:func:`fptheory.core.execution.using`: local processes or a Dask
    cluster) when it has more than one worker. A run depends only on its seed, so the results
    are the same wherever it ran; remote runs report progress as whole runs (``tick`` gets a
    run's ``epochs``, default ``cfg["epochs"]``, as it finishes)."""
    from fptheory.core.execution import LocalExecutor, Task, current, run_tasks

    executor = current()
    if isinstance(executor, LocalExecutor) and executor.workers == 1:
        return [run(cfg, s, device, tick, **options) for s in seeds]

    def finished(index: int, result: Any, done: int, total: int) -> None:
        if tick is not None:
            tick(cfg["epochs"] if epochs is None else epochs)

    tasks = [Task(f"seed {s}", _seed_task, (run, cfg, s, device, options)) for s in seeds]
    return run_tasks(tasks, finished, executor)


def _seed_task(run: Callable[..., Any], cfg: dict[str, Any], seed: int, device: str,
               options: dict[str, Any]) -> Any:
    return run(cfg, seed, device, None, **options)
