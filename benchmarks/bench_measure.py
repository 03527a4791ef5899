"""Benchmark of fptheory.theory.measure (issue: Theorem 1 measured), ratios from one run.

1. Monte Carlo throughput in neuron-evaluations per second (samples × m) of the event, for
   fptheory's engines (numba-compiled when installed, and numpy), against
   * a plain vectorised numpy reference written here from the closed forms (complex
     arithmetic, np.sinh): it also checks that the failure counts agree;
   * the limit that this machine's transcendental functions set: sin and cos of the two
     phases b_j k_i/w_j and the two exponentials e^{-r k1/|w_j|}, e^{-r (k2-k1)/|w_j|} per
     neuron-evaluation, timed with numpy on exactly those arguments (their size matters: sin
     of a large argument costs more), in cache-sized blocks.
   Targets: >= 2x the reference, >= 50 % of the limit. All single-threaded.
2. Rare-event sweep: m = 16, 40 values of δ in [0.03, 0.4], each to <= 10 % relative error:
   wall time with 2 worker processes (target < 10 s) and peak memory.

    OMP_NUM_THREADS=1 python benchmarks/bench_measure.py
"""

from __future__ import annotations

import resource
import time

import numpy as np
from _timing import best_of

from fptheory.theory.measure import make_problem, measure_many, numba_available, sample_ball
from fptheory.theory.measure.problem import _Evaluator

K1, K2, M, DELTA = 1.0, 2.0, 16, 0.45
N = 1 << 16


def reference_failures(W, a, b, k1, k2, f1, f2) -> int:
    """Plain numpy from the closed forms: ĥ_j(k) = -iπ a_j e^{ib_j k/w_j}/(|w_j| sinh u),
    u = πk/(2w_j), D = Σ ĥ_j − f̂, ∂L/∂θ = Re(conj(D) ∂ĥ_j/∂θ) with the derivatives by hand.
    To stay finite for tiny |w_j|, 1/sinh u = 2 sign(u) e^{-|u|}/(1 − e^{-2|u|}) and both
    frequencies' gradients are multiplied by e^{|u_1|} before they are compared."""
    fails = np.zeros(W.shape[0], dtype=bool)
    grads = {}
    u1 = np.abs(np.pi * k1 / (2 * W))
    for k, f in ((k1, f1), (k2, f2)):
        u = np.pi * k / (2 * W)
        au = np.abs(u)
        phase = -1j * np.pi * np.exp(1j * b * k / W) * np.sign(u) / np.abs(W)
        base = phase * 2 * np.exp(-au) / (1 - np.exp(-2 * au))  # ĥ_j / a_j
        D = (a * base).sum(axis=1, keepdims=True) - f
        scaled = phase * 2 * np.exp(u1 - au) / (1 - np.exp(-2 * au))  # ĥ_j e^{|u_1|} / a_j
        dconj = np.conj(D)
        d_a = scaled
        d_b = a * scaled * (1j * k / W)
        # d/dw of a e^{ibk/w}/(|w| sinh u) = (−ibk/w² − sign(w)/|w| + (πk/2w²) coth u) · that
        d_w = a * scaled * (-1j * b * k / W**2 - np.sign(W) / np.abs(W)
                            + (np.pi * k / (2 * W**2)) / np.tanh(u))
        grads[k] = [np.abs(np.real(dconj * g)) for g in (d_a, d_b, d_w)]
    for g1, g2 in zip(grads[k1], grads[k2], strict=True):
        fails |= np.any(g1 <= g2, axis=1)
    return int(np.count_nonzero(fails))


def main() -> None:
    problem = make_problem(k1=K1, k2=K2, m=M, fhat1=1 - 0.5j, fhat2=0.7 + 0.2j, seed=1)
    rng = np.random.default_rng(0)
    W = sample_ball(rng, N, M, DELTA)
    evals = W.size
    ev = _Evaluator(problem)
    t = 1.0 / W
    phases = [(problem.b * k * t) for k in (K1, K2)]
    rate = problem.model.csch_rate
    decays = [-rate * K1 * np.abs(t), -rate * (K2 - K1) * np.abs(t)]
    rows = 2048

    def limit():
        for start in range(0, W.shape[0], rows):
            for x in phases:
                np.sin(x[start:start + rows])
                np.cos(x[start:start + rows])
            for x in decays:
                np.exp(x[start:start + rows])

    t_limit = best_of(limit)[0]
    ref = reference_failures(W, problem.a, problem.b, K1, K2, problem.fhat1, problem.fhat2)
    t_ref = best_of(lambda: reference_failures(W, problem.a, problem.b, K1, K2, problem.fhat1,
                                               problem.fhat2))[0]
    print(f"MC throughput, m = {M}, δ = {DELTA}, {N} samples (neuron-evaluations/s, single thread)")
    print(f"  limit (sin, cos at k1, k2 and 2 exp):  {evals / t_limit / 1e6:8.2f} M/s")
    print(f"  plain numpy reference:                  {evals / t_ref / 1e6:8.2f} M/s  "
          f"(failures {ref})")
    engines = ["numpy"] + (["numba"] if numba_available() else [])
    for engine in engines:
        count = ev.count_failures(W, engine)  # compiles on first use
        t = best_of(lambda engine=engine: ev.count_failures(W, engine))[0]
        agree = "agrees" if count == ref else f"DIFFERS ({count})"
        print(f"  fptheory engine={engine:6s}:              {evals / t / 1e6:8.2f} M/s  "
              f"= {t_ref / t:5.2f}x reference, {t_limit / t * 100:5.1f} % of the limit; count {agree}")
    if not numba_available():
        print("  (numba not installed: pip install 'fptheory[fast]' for the compiled engine)")

    deltas = np.linspace(0.03, 0.4, 40)
    measure_many(problem, deltas[:2], method="rare", workers=1)  # warm caches
    t = time.perf_counter()
    study = measure_many(problem, deltas, method="rare", workers=2)
    wall = time.perf_counter() - t
    worst = max(r.details["rel_error"] for r in study.results)
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"rare-event sweep, m = {M}, 40 δ in [0.03, 0.4], 2 processes: {wall:.2f} s "
          f"(target < 10 s); worst relative error {worst:.3f} (target <= 0.1); "
          f"1 − ratio from {min(r.failure for r in study.results):.2e} to "
          f"{max(r.failure for r in study.results):.2e}")
    print(f"  peak resident memory: main process {self_kb / 1024:.0f} MB, largest worker "
          f"{child_kb / 1024:.0f} MB")
    print(f"  fitted c = {study.fit.c:.5f} vs the proof's π(k2−k1)/2 = {problem.proof_rate:.5f}")


if __name__ == "__main__":
    main()
