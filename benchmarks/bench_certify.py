"""Benchmark: certified checking, run by hand.

    python benchmarks/bench_certify.py

Prints, from one run:
1. wall time of `fptheory check` on every chapter claim (all proof scripts; target < 60 s);
2. boxes per second of the python-flint arb evaluator (fptheory.verify.compile_arb) against
   mpmath.iv on the same inequalities and the same boxes, at 30 digits, and their ratio
   (target: arb >= 10x).
"""

from __future__ import annotations

import subprocess
import sys
import time

import mpmath
import sympy as sp
from flint import arb, ctx

from fptheory.verify import BallBackend, compile_arb, compile_balls, parse_statement

STATEMENTS = ["2*x/pi <= sin(x)", "cos(x) <= 1 - x**2/2 + x**4/24",
              "abs((exp(x) - exp(-x))/(exp(3*x) - exp(-3*x))) <= 2*exp(-2*x)"]
IV = mpmath.iv


def _iv_constant(e: sp.Expr):
    return IV.pi if e is sp.pi else IV.mpf(int(e.p)) / int(e.q)


# the same compiler (fptheory.verify.compile_balls) over mpmath.iv intervals: the baseline
IV_BACKEND = BallBackend(
    "mpmath.iv", _iv_constant,
    {sp.sin: IV.sin, sp.cos: IV.cos, sp.exp: IV.exp, sp.log: IV.log, sp.Abs: abs},
    lambda b, n: b**n, IV.sqrt, IV.exp, IV.log, lambda b: b,
)


def boxes_per_second(statement: str, n: int = 2000) -> tuple[float, float]:
    rel = parse_statement(statement)
    g = rel.rhs - rel.lhs
    (x,) = g.free_symbols
    edges = [sp.Rational(i + 1, n + 1) for i in range(n + 1)]
    f_arb = compile_arb(g, [x])
    ctx.prec = int(30 * 3.33) + 30
    start = time.perf_counter()
    for lo, hi in zip(edges, edges[1:], strict=False):
        f_arb([(arb(int(lo.p)) / int(lo.q)).union(arb(int(hi.p)) / int(hi.q))])
    t_arb = time.perf_counter() - start
    f_iv = compile_balls(g, [x], IV_BACKEND)
    IV.dps = 30
    start = time.perf_counter()
    for lo, hi in zip(edges, edges[1:], strict=False):
        f_iv([IV.mpf([IV.mpf(int(lo.p)) / int(lo.q), IV.mpf(int(hi.p)) / int(hi.q)])])
    t_iv = time.perf_counter() - start
    return n / t_arb, n / t_iv


def main() -> None:
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "fptheory", "check", "--output", ""],
                         capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    summary = [line for line in run.stdout.splitlines() if "claims:" in line]
    print(f"fptheory check: {elapsed:.1f} s (target < 60 s, ratio to target "
          f"{elapsed / 60:.2f}); exit {run.returncode}; {summary[-1] if summary else ''}")
    header = "inequality (2000 boxes on [0, 1], 30 digits)"
    print(f"\n{header:62s} {'arb boxes/s':>12s} {'iv boxes/s':>11s} {'arb/iv':>7s}")
    for statement in STATEMENTS:
        arb_rate, iv_rate = boxes_per_second(statement)
        print(f"{statement:62s} {arb_rate:12.0f} {iv_rate:11.0f} {arb_rate / iv_rate:7.1f}")


if __name__ == "__main__":
    main()
