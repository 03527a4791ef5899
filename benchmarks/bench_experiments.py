"""Benchmark: the torch experiments (fptheory.nets.experiments), measured in one run.

    python benchmarks/bench_experiments.py            # overhead, threads, every quick size
    python benchmarks/bench_experiments.py --paper    # also every paper size once (minutes)

1. Overhead of the spectral recording over bare training (target < 20 %): the same seeded
   training with and without the recorder (PeakRecorder for the 1-D nets, ShellRecorder
   for the 2-D net), best of three; the baseline is the bare run of the same process.
2. Intra-op threads: the same training with torch.set_num_threads(1) and (2); the ratio
   is what the default of 1 thread rests on.
3. Wall time of every experiment at its quick size (target < 30 s each) and, with
   --paper, at its paper size (target: all together < 15 min on 2 CPU cores).

Nothing here asserts a speed: the numbers are printed for people to read.
"""

from __future__ import annotations

import argparse
import tempfile
import time

import numpy as np
from _timing import best_of

from fptheory.nets.experiments import CONFIGS, EXPERIMENTS, run_experiment
from fptheory.nets.experiments.ordering import _ORDERING_CACHE
from fptheory.nets.mlp import PeakRecorder, ShellRecorder, make_mlp, require_torch, train
from fptheory.nets.spectral import select_peaks, uniform_grid


def _setup_1d(epochs: int):
    torch = require_torch()
    cfg = CONFIGS["tanh-ordering"]["quick"]
    x = uniform_grid(cfg["n"], -np.pi, np.pi)
    f = np.sin(x) + np.sin(3 * x) + np.sin(5 * x)
    xt = torch.tensor(x[:, None], dtype=torch.float32)
    yt = torch.tensor(f[:, None], dtype=torch.float32)
    bins = list(select_peaks(f))

    def run(record: bool) -> None:
        net = make_mlp(cfg["widths"], "tanh", t=cfg["t"], seed=0)
        rec = PeakRecorder(cfg["n"], bins, epochs, 1, "cpu", torch.float32) if record else None
        train(net, xt, yt, epochs=epochs, lr=cfg["lr"], recorder=rec)

    return run


def _setup_2d(epochs: int):
    torch = require_torch()
    cfg = CONFIGS["large-init-2d"]["quick"]
    n = cfg["pixels"] // 2
    rng = np.random.default_rng(0)
    img = rng.normal(size=(n, n))
    c = np.linspace(-1, 1, n)
    pts = np.stack(np.meshgrid(c, c, indexing="ij"), axis=-1).reshape(-1, 2)
    xt = torch.tensor(pts, dtype=torch.float32)
    yt = torch.tensor(img.reshape(-1, 1), dtype=torch.float32)

    def run(record: bool) -> None:
        net = make_mlp(cfg["widths"], "tanh", std=cfg["std_small"], seed=0)
        rec = ShellRecorder((n, n), img, cfg["shells"], epochs, 1, "cpu", torch.float32) if record else None
        train(net, xt, yt, epochs=epochs, lr=cfg["lr"], recorder=rec)

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paper", action="store_true", help="also run every paper size once")
    parser.add_argument("--epochs", type=int, default=1000, help="epochs for the overhead/thread runs")
    args = parser.parse_args()
    torch = require_torch(1)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} intra-op thread(s)\n")

    print("1. spectral recording overhead (best of 3, same seeded training)")
    for label, setup in (("1-D tanh, PeakRecorder", _setup_1d), ("2-D tanh, ShellRecorder", _setup_2d)):
        run = setup(args.epochs)
        bare = best_of(lambda r=run: r(False))[0]
        recorded = best_of(lambda r=run: r(True))[0]
        print(f"   {label:26s} bare {bare:6.2f} s  recorded {recorded:6.2f} s  overhead "
              f"{100 * (recorded / bare - 1):+5.1f} %  (target < 20 %)")

    print("\n2. intra-op threads (1-D tanh, recorded, best of 3)")
    run = _setup_1d(args.epochs)
    times = {}
    for threads in (1, 2):
        torch.set_num_threads(threads)
        times[threads] = best_of(lambda r=run: r(True))[0]
    torch.set_num_threads(1)
    print(f"   1 thread {times[1]:6.2f} s   2 threads {times[2]:6.2f} s   ratio 2/1 = "
          f"{times[2] / times[1]:.2f}")

    sizes = ("quick", "paper") if args.paper else ("quick",)
    for size in sizes:
        target = "< 30 s each" if size == "quick" else "all together < 15 min"
        print(f"\n3. experiments at the {size} size ({target}); figures and JSON to a temporary folder")
        total = 0.0
        with tempfile.TemporaryDirectory() as out:
            for name in EXPERIMENTS:
                _ORDERING_CACHE.clear()  # time each experiment as a fresh CLI call would
                start = time.perf_counter()
                result = run_experiment(name, size, out_dir=out)
                elapsed = time.perf_counter() - start
                total += elapsed
                print(f"   {name:15s} {elapsed:7.1f} s  seeds {result.seeds_agreeing}/{len(result.seeds)} "
                      f"agree, prediction_holds={result.prediction_holds}")
        print(f"   {'total':15s} {total:7.1f} s")


if __name__ == "__main__":
    main()
