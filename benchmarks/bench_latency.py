"""Benchmark: answers at interactive speed (derive once, reuse), same run.

    python benchmarks/bench_latency.py [--skip-check] [--touch theorem1.py ...] [--jobs 2]

Every command runs in a fresh process, as a user would run it, with its own empty cache
folder (FPTHEORY_CACHE_DIR in a temporary directory; the user's cache is never touched):

* baselines: ``python -c "import fptheory"`` and sympy's own
  ``fourier_transform(exp(-x**2), x, k)`` (import included), best of 3;
* ``fptheory ft EXPR --at 1.3`` for every registry function, cold (empty cache) and warm
  (the same command again), and the ratios to the import baseline and to sympy;
* ``fptheory check`` on a copy of the chapter's proof scripts: cold (empty cache), warm
  (nothing changed) and after appending a comment to one script (``--touch``; by default each
  script in turn, so each edited run re-runs that script's claims alone), each as a fraction
  of cold; and, from the cold run's JSON, each script's share of the claim time
  (what editing it would cost).

The load average of the machine is printed first and last. Nothing asserts a speed: the
ratios are for people to read (targets: warm ft ≤ 3x the import, cold ≤ 10x; warm check
< 20 % of cold, after one edit < 40 %).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(args: list[str], env: dict[str, str], cwd: Path | None = None) -> float:
    """Wall time of one process; an unexpected exit code stops the benchmark."""
    start = time.perf_counter()
    done = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(args)} exited {done.returncode}: {done.stderr.strip()[-400:]}")
    return elapsed


def best(args: list[str], env: dict[str, str], repeat: int = 3) -> float:
    return min(run(args, env) for _ in range(repeat))


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def ft_commands() -> list[tuple[str, list[str]]]:
    import sympy as sp

    from fptheory.fourier.activations import REGISTRY

    out = []
    for name, act in REGISTRY.items():
        expr = act.expression
        x = sp.Symbol("x", real=True)
        params = []
        for s in sorted(expr.free_symbols - {x}, key=lambda s: s.name):
            params += ["--param", f"{s.name}=3/10"]
        out.append((name, ["ft", str(expr), "--at", "1.3", *params]))
    return out


def bench_ft(python: str, env: dict[str, str], cache: Path, base_import: float) -> None:
    sympy_ft = best([python, "-c", "import sympy as sp; x, k = sp.symbols('x k', real=True); "
                     "sp.fourier_transform(sp.exp(-x**2), x, k)"], env)
    print(f"sympy fourier_transform(exp(-x**2)) in a fresh process: {sympy_ft:.2f} s\n")
    print(f"{'fptheory ft ... --at 1.3':34s} {'cold [s]':>9s} {'warm [s]':>9s} "
          f"{'cold/import':>12s} {'warm/import':>12s} {'warm/sympy':>11s}")
    for name, args in ft_commands():
        shutil.rmtree(cache, ignore_errors=True)
        cold = run([python, "-m", "fptheory", *args], env)
        warm = min(run([python, "-m", "fptheory", *args], env) for _ in range(2))
        print(f"{name:34s} {cold:9.2f} {warm:9.2f} {cold / base_import:12.1f} "
              f"{warm / base_import:12.1f} {warm / sympy_ft:11.2f}")


def bench_check(python: str, env: dict[str, str], cache: Path, touch: list[str] | None,
                jobs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        proofs = Path(tmp) / "proofs"
        shutil.copytree(ROOT / "proofs", proofs, ignore=shutil.ignore_patterns("__pycache__"))
        report = Path(tmp) / "check.json"
        args = [python, "-m", "fptheory", "check", str(proofs), "--quiet", "--jobs", str(jobs),
                "--output", str(report)]
        shutil.rmtree(cache, ignore_errors=True)
        print(f"\nfptheory check on the chapter's proof scripts, {jobs} processes ({load()})")
        cold = run(args, env)
        shares: dict[str, float] = {}
        for c in json.loads(report.read_text())["claims"]:
            name = Path(c["source"]).name
            shares[name] = shares.get(name, 0.0) + c["seconds"]
        warm = run(args, env)
        warm_report = json.loads(report.read_text())
        cached = warm_report["summary"]["cached"]
        rerun = [f"{c['label']} ({c['text']['verdict']}"
                 + (f", corrected {c['corrected']['verdict']})" if c["corrected"] else ")")
                 for c in warm_report["claims"] if not c["cached"]]
        print(f"cold {cold:.1f} s; warm {warm:.1f} s = {100 * warm / cold:.0f} % of cold "
              f"({len(cached)} of {len(warm_report['claims'])} verdicts from the cache)")
        for name in touch or sorted(p.name for p in proofs.glob("[!_]*.py")):
            with open(proofs / name, "a") as handle:
                handle.write("\n# edited by bench_latency.py\n")
            edited = run(args, env)
            again = len(json.loads(report.read_text())["summary"]["cached"])
            print(f"after editing {name}: {edited:.1f} s = {100 * edited / cold:.0f} % of cold "
                  f"({again} verdicts from the cache)")
        print("re-run although unchanged (unknown verdicts are never reused): "
              + (", ".join(rerun) or "none"))
        total = sum(shares.values()) or 1.0
        print("share of the claim time per script (what editing it re-runs): " + ", ".join(
            f"{name} {100 * t / total:.0f} %" for name, t in sorted(shares.items())))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-check", action="store_true", help="only the ft latencies")
    parser.add_argument("--touch", nargs="+", metavar="SCRIPT",
                        help="the proof scripts to edit, one after the other (default: each)")
    parser.add_argument("--jobs", type=int, default=2, help="processes for fptheory check")
    args = parser.parse_args()
    print(load())
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        env = dict(os.environ, FPTHEORY_CACHE_DIR=str(cache))
        env.pop("FPTHEORY_NO_CACHE", None)
        python = sys.executable
        base_import = best([python, "-c", "import fptheory"], env)
        print(f'python -c "import fptheory": {base_import:.2f} s (best of 3)')
        bench_ft(python, env, cache, base_import)
        if not args.skip_check:
            bench_check(python, env, cache, args.touch, args.jobs)
    print(load())


if __name__ == "__main__":
    main()
