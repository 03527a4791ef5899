"""Timing shared by the benchmarks (imported as a sibling: run them as
``python benchmarks/<bench>.py``)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any


def best_of(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    """The shortest wall time of ``repeat`` calls of ``fn`` and the last call's value."""
    best, value = math.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - start)
    return best, value
