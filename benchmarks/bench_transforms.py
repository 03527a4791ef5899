"""Benchmark: the transform engine against sympy's own fourier_transform, same run.

    python benchmarks/bench_transforms.py

For expressions sympy can integrate directly (Gaussian, Ricker, x·Gaussian), it prints
the time of sympy.fourier_transform (the baseline), the engine's time with warm base
derivations, and their ratio; for expressions sympy leaves unevaluated (tanh, ReLU,
sigmoid: not integrable) it says so and times the engine and its numeric cross-check.
Nothing here asserts a speed: the ratios are for people to read.
"""

from __future__ import annotations

import time

import sympy as sp
from _timing import best_of

from fptheory.fourier.base_transforms import base_transform
from fptheory.fourier.conventions import ORDINARY
from fptheory.fourier.engine import fourier_transform
from fptheory.fourier.quadrature import check_transform

X = sp.Symbol("x", real=True)
XI = sp.Symbol("k", real=True)
A = sp.Rational(3, 10)

CASES = {
    "gaussian": sp.exp(-(X**2) / 2),
    "x*gaussian": X * sp.exp(-(X**2)),
    "ricker(a=0.3)": (1 - (X / A) ** 2) * sp.exp(-((X / A) ** 2) / 2),
    "tanh(2x+1)": sp.tanh(2 * X + 1),
    "relu(x)": sp.Max(0, X),
    "sigmoid(x)": 1 / (1 + sp.exp(-X)),
}


def main() -> None:
    start = time.perf_counter()
    for name in ("gaussian", "heaviside", "one", "sech2", "tanh"):
        base_transform(name)
    print(f"deriving the base transforms once (cold cache): {time.perf_counter() - start:.2f} s\n")
    print(f"{'expression':16s} {'sympy FT [s]':>13s} {'engine [s]':>11s} {'ratio':>7s} "
          f"{'check 2k [s]':>13s}  note")
    for name, expr in CASES.items():
        t_engine, result = best_of(lambda e=expr: fourier_transform(e, X, ORDINARY))
        t_check, _ = best_of(lambda r=result: check_transform(r, [sp.Rational(7, 10), -2]), 1)
        t_sympy, ft = best_of(lambda e=expr: sp.fourier_transform(e, X, XI), 1)
        if ft.has(sp.FourierTransform):
            print(f"{name:16s} {'unevaluated':>13s} {t_engine:11.3f} {'-':>7s} {t_check:13.3f}"
                  f"  sympy returns FourierTransform(...) after {t_sympy:.2f} s")
            continue
        agree = sp.simplify(ft - result.regular.subs(sp.Symbol("k", real=True), XI)) == 0
        print(f"{name:16s} {t_sympy:13.3f} {t_engine:11.3f} {t_sympy / t_engine:7.1f} "
              f"{t_check:13.3f}  results {'agree' if agree else 'DIFFER'}")


if __name__ == "__main__":
    main()
