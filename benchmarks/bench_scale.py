"""Scaling benchmark of the execution layer (issue: scale out on Dask), ratios from one run.

Every process (this one, which the local pool forks, and each Dask worker) is warmed up first
(imports, the measure engine's compilation, a first training), so that what is timed is the
work and its distribution, not one-time start-up costs. Two workloads, each run on
* one local process (the baseline: what the commands do by default),
* the local process pool with 2 workers,
* a local Dask cluster (``distributed.LocalCluster``, one thread per worker process) with 1 and
  with 2 workers:

1. the seeds of an experiment (default: ``tanh-ordering`` at paper size, 4 seeds — each seed
   one training, the unit a cluster parallelises);
2. a ``measure`` sweep: Monte Carlo at 6 radii δ (one task per δ).

It prints wall times, the speed-ups of 2 workers over 1 (the goal on 2 cores: >= 1.7x) and
the per-task overhead of Dask against the local pool (200 empty tasks each). Every parallel
run's numbers are compared with the baseline's: they must be identical.

    OMP_NUM_THREADS=1 python benchmarks/bench_scale.py              # ~10 min on 2 quiet cores
    OMP_NUM_THREADS=1 python benchmarks/bench_scale.py --size quick # ~1 min
"""

from __future__ import annotations

import argparse
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core per worker, as the cluster's workers get

from fptheory.core.execution import DaskExecutor, LocalExecutor, Task, using  # noqa: E402
from fptheory.nets.experiments import ordering, run_experiment  # noqa: E402
from fptheory.theory.measure import make_problem, measure_many  # noqa: E402


def experiment(size: str, seeds: int):
    def work():
        ordering._ORDERING_CACHE.clear()  # a forked pool would inherit the baseline's trainings
        r = run_experiment("tanh-ordering", size, seeds=seeds, out_dir=None)
        return r.to_dict()["per_seed"]
    return work


def sweep():
    problem = make_problem(k1=1, k2=3, m=16, fhat1=-1, fhat2=-1, seed=0)
    deltas = [0.15, 0.2, 0.25, 0.3, 0.35, 0.4]

    def work():
        study = measure_many(problem, deltas, method="mc", samples=1_500_000, seed=0)
        return [(r.delta, r.failure, r.samples) for r in study.results]
    return work


def warm_up() -> None:
    """What each process pays once, before any timing: imports (torch, sympy), the measure
    engine's compilation, torch's first training steps. The forked pool inherits it from this
    process; the Dask workers run it themselves."""
    run_experiment("tanh-ordering", "quick", seeds=1, out_dir=None)
    problem = make_problem(k1=1, k2=3, m=16, fhat1=-1, fhat2=-1, seed=0)
    measure_many(problem, [0.3], method="mc", samples=20_000, seed=0)


def timed(executor, work):
    with using(executor):
        start = time.perf_counter()
        value = work()
        return time.perf_counter() - start, value


def overhead(executor, n: int = 200) -> float:
    """Seconds per empty task (abs(0)) on ``executor``, after a warm-up batch."""
    tasks = [Task(f"empty {i}", abs, (0,)) for i in range(n)]
    executor.run(tasks[:10])
    start = time.perf_counter()
    executor.run(tasks)
    return (time.perf_counter() - start) / n


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", choices=["quick", "paper"], default="paper")
    parser.add_argument("--seeds", type=int, default=4)
    args = parser.parse_args()
    try:
        from distributed import LocalCluster
    except ImportError:
        print("bench_scale needs Dask: pip install 'fptheory[dask]'", file=sys.stderr)
        return 2
    title = f"experiment tanh-ordering, {args.size}, {args.seeds} seeds"
    workloads = {title: experiment(args.size, args.seeds), "measure sweep, 6 δ, Monte Carlo": sweep()}
    print(f"cores: {os.cpu_count()}, load average at start: {os.getloadavg()[0]:.2f}")
    start = time.perf_counter()
    warm_up()
    print(f"warm-up of one process (imports, compilation, first trainings): "
          f"{time.perf_counter() - start:.1f} s, paid once per process before any timing")
    clusters = {}
    try:
        for n in (1, 2):
            cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            clusters[n] = (cluster, DaskExecutor(cluster.scheduler_address))
            clusters[n][1].client.run(warm_up)  # on every worker, as in this process below
        for name, work in workloads.items():
            print(f"\n{name}")
            base, expected = timed(LocalExecutor(1), work)
            print(f"  1 local process (baseline)   {base:8.1f} s")
            rows = {}
            for label, executor in (("local pool, 2 processes", LocalExecutor(2)),
                                    ("dask, 1 worker", clusters[1][1]),
                                    ("dask, 2 workers", clusters[2][1])):
                seconds, value = timed(executor, work)
                same = "identical" if value == expected else "DIFFERENT from the baseline"
                rows[label] = seconds
                print(f"  {label:<28} {seconds:8.1f} s   {base / seconds:5.2f}x baseline   ({same})")
            print(f"  speed-up of 2 over 1: local pool {base / rows['local pool, 2 processes']:.2f}x, "
                  f"dask {rows['dask, 1 worker'] / rows['dask, 2 workers']:.2f}x (goal >= 1.7x)")
        local, dask = overhead(LocalExecutor(2)), overhead(clusters[2][1])
        print(f"\nper-task overhead (200 empty tasks): local pool {local * 1e3:.2f} ms, "
              f"dask {dask * 1e3:.2f} ms ({dask / local:.1f}x)")
    finally:
        for cluster, executor in clusters.values():
            executor.close()
            cluster.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
