"""Benchmark: the LFP solve (1.27)-(1.30) at the chapter's size (K = 200, L' = 10L: 3999 unknowns).

Dual/kernel form in the data space (n × n Cholesky) against the dense normal equations
(3999 × 3999 Cholesky of the column-scaled EᵀE + εW⁻¹), both on figure 1.6's data and γ
from each chapter init; same-run ratio. Target: LFP solve < 50 ms. Run by hand:
``OMP_NUM_THREADS=1 python benchmarks/bench_lfp.py``.
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from fptheory.theory.lfp import CHAPTER_INITS, DEFAULT_X, DEFAULT_Y, gamma_squared, lfp_fit

TARGET_S = 0.050


def _time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    x, y = np.array(DEFAULT_X), np.array(DEFAULT_Y)
    t = np.linspace(x[0], x[-1], 401)
    ok = True
    for case, init in CHAPTER_INITS.items():
        _, g2 = gamma_squared(init)
        dual = lfp_fit(x, y, g2)
        primal = lfp_fit(x, y, g2, method="primal")
        agree = float(np.max(np.abs(dual(t) - primal(t))))
        t_dual = _time(lambda g2=g2: lfp_fit(x, y, g2), 21)
        t_primal = _time(lambda g2=g2: lfp_fit(x, y, g2, method="primal"), 3)
        ok &= t_dual < TARGET_S
        print(f"init ({case}): {dual.unknowns} unknowns; dual {t_dual * 1e3:.2f} ms, dense normal equations "
              f"{t_primal * 1e3:.0f} ms, ratio {t_primal / t_dual:.0f}x; max |dual − primal| on the hull "
              f"{agree:.1e}; target < {TARGET_S * 1e3:.0f} ms: {'met' if t_dual < TARGET_S else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
