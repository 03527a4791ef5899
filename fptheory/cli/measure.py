"""``fptheory measure``: Theorem 1's measure ratio on B_δ, by Monte Carlo and rare events."""

from __future__ import annotations

import argparse
import json
import math

from fptheory.core.errors import FPTheoryError

from . import _validate as V
from ._progress import OUTPUT_DIR, Reporter, add_quiet, output_path
from ._scheduler import add_scheduler, executor_from

DEFAULT_PLOT = OUTPUT_DIR / "measure" / "measure-ratio.png"

#: Monte Carlo draws batches of this many points, several (batch × m) float64 arrays at once.
_BATCH_BYTES_PER_NEURON = 65536 * 8 * 8


def _check_sizes(args: argparse.Namespace) -> None:
    """Every number and path, before any work: k1 < k2 first, then the sizes."""
    k1, k2 = V.finite_float(args.k1, "--k1"), V.finite_float(args.k2, "--k2")
    if not k1 > 0:
        raise FPTheoryError(f"--k1: k1 must be > 0, got {k1:g}")
    if k2 <= k1:
        raise FPTheoryError(f"--k2: k2 must be > k1, got k1 = {k1:g}, k2 = {k2:g}")
    V.positive_int(args.m, "--m")
    V.fits_in_memory(args.m * _BATCH_BYTES_PER_NEURON, f"--m {args.m}",
                     largest=f"--m {V.memory_bytes() // _BATCH_BYTES_PER_NEURON}")
    V.positive_int(args.samples, "--samples")
    from fptheory.theory.measure.mc import MAX_SAMPLES
    if args.samples is not None and args.samples > MAX_SAMPLES:
        hours = args.samples * args.m / 1e7 / 3600
        raise FPTheoryError(f"--samples {args.samples} would take ~{hours:.3g} hours per δ "
                            f"(~10^7 points a second); at most {MAX_SAMPLES} per run")
    V.int_range(args.workers, "--workers", 1, 256)
    V.nonnegative_int(args.seed, "--seed")
    if not 0 < args.rel_precision < 1:
        raise FPTheoryError(f"--rel-precision must be in (0, 1), got {args.rel_precision}")
    if args.plot:
        V.writable_file(args.plot, "--plot")


def _floats(text: str, name: str) -> list[float]:
    try:
        values = [float(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise FPTheoryError(f"--{name} takes numbers separated by commas, got {text!r}") from None
    if not values or not all(math.isfinite(v) for v in values):
        raise FPTheoryError(f"--{name} needs finite numbers, got {text!r}")
    return values


def _complex(text: str, name: str) -> complex:
    parts = _floats(text, name)
    if len(parts) != 2:
        raise FPTheoryError(f"--{name} takes RE,IM (two numbers), got {text!r}")
    return complex(parts[0], parts[1])


def _deltas(args: argparse.Namespace) -> list[float]:
    if args.delta and args.delta_range:
        raise FPTheoryError("give --delta or --delta-range, not both")
    if args.delta_range:
        try:
            lo, hi, n = args.delta_range.split(":")
            lo_f, hi_f, n_i = float(lo), float(hi), int(n)
        except ValueError:
            raise FPTheoryError(f"--delta-range takes LO:HI:N, got {args.delta_range!r}") from None
        if n_i < 1 or not (0 < lo_f <= hi_f) or not math.isfinite(hi_f):
            raise FPTheoryError("--delta-range needs 0 < LO <= HI and N >= 1")
        import numpy as np  # here, not at import: `fptheory ft` need not load numpy

        return list(np.linspace(lo_f, hi_f, n_i)) if n_i > 1 else [lo_f]
    if not args.delta:
        raise FPTheoryError("give --delta D [D ...] or --delta-range LO:HI:N")
    bad = [d for d in args.delta if not (math.isfinite(d) and d > 0)]
    if bad:
        raise FPTheoryError(f"--delta: δ must be a finite number > 0, got {float(bad[0])}")
    return [float(d) for d in args.delta]


def _run(args: argparse.Namespace) -> int:
    from fptheory.fourier.activations import REGISTRY
    from fptheory.theory import measure as M

    _check_sizes(args)
    params = {}
    known = {p.name for p in REGISTRY[args.activation].parameters} if args.activation in REGISTRY else None
    for item in args.act_param:
        if "=" not in item:
            raise FPTheoryError(f"--act-param takes NAME=VALUE, got {item!r}")
        name, value = item.split("=", 1)
        if known is not None and name.strip() not in known:
            raise FPTheoryError(f"--act-param {item!r}: {args.activation} has "
                                + (f"parameters {', '.join(sorted(known))}" if known else "no parameters"))
        params[name.strip()] = _floats(value, "act-param")[0]
    if args.target and (args.fhat1 or args.fhat2):
        raise FPTheoryError("give --target or --fhat1/--fhat2, not both")
    if not args.target and not (args.fhat1 and args.fhat2):
        raise FPTheoryError("give the target: --target EXPR, or both --fhat1 RE,IM and --fhat2 RE,IM")
    problem = M.make_problem(
        k1=args.k1, k2=args.k2, m=args.m,
        a=None if args.a is None else _floats(args.a, "a"),
        b=None if args.b is None else _floats(args.b, "b"),
        fhat1=None if not args.fhat1 else _complex(args.fhat1, "fhat1"),
        fhat2=None if not args.fhat2 else _complex(args.fhat2, "fhat2"),
        target=args.target, seed=args.seed, activation_name=args.activation,
        activation_parameters=params)
    deltas = _deltas(args)
    plot = str(output_path(args.plot)) if args.plot else ""
    # in a terminal the δ sweep draws its own bar; the lines stay in any case
    with executor_from(args, args.workers) as executor, \
            Reporter("fptheory measure", quiet=args.quiet, live=False) as progress:
        progress.line(f"fptheory measure: {len(deltas)} δ value{'s' if len(deltas) != 1 else ''}, "
                      f"method {args.method}, {executor.describe()}")

        last = [progress.elapsed]

        def finished(r, done: int, total: int) -> None:
            fail = f"{r.failure:.3e}" if r.failure > 0 else f"1e{r.log10_failure:.1f}"
            took, last[0] = progress.elapsed - last[0], progress.elapsed
            progress.step(done, total, f"δ = {r.delta:.4g}",
                          f"1 - ratio = {fail} ({r.method}, {r.samples} samples)", took)

        study = M.measure_many(problem, deltas, method=args.method, samples=args.samples,
                               seed=args.seed, rel_precision=args.rel_precision,
                               workers=1, progress=not args.quiet, finished=finished)
    if plot:
        M.plot_study(study, plot)
    out = study.to_dict()
    if args.json:
        print(json.dumps(out, default=str))
        if plot:
            progress.line(f"figure written to {plot}")
        return 0
    _print(study, plot)
    return 0


def _print(study, plot: str) -> None:
    p = study.problem
    print(f"h(x) = Σ a_j {p.model.name}(w_j x + b_j), m = {p.m}, k1 = {p.k1:g}, k2 = {p.k2:g}, "
          f"f̂(k1) = {p.fhat1:.4g}, f̂(k2) = {p.fhat2:.4g} ({p.model.convention.name} convention)")
    print("a = " + ", ".join(f"{v:.4g}" for v in p.a) + ";  b = " + ", ".join(f"{v:.4g}" for v in p.b))
    print(f"{'delta':>8} {'1 - ratio':>12} {'95% interval':>27} {'method':>6} {'samples':>10}")
    for r in study.results:
        fail = f"{r.failure:.4e}" if r.failure > 0 or r.method == "mc" else f"1e{r.log10_failure:.1f}"
        if r.method == "rare" and r.failure == 0:
            interval = f"(below float range: log10 = {r.log10_failure:.2f})"
        else:
            interval = f"[{r.ci_low:.3e}, {r.ci_high:.3e}]"
        print(f"{r.delta:>8.4g} {fail:>12} {interval:>27} {r.method:>6} {r.samples:>10}")
    t = study.theory
    if study.fit is not None:
        f = study.fit
        unc = max(f.c_stderr, f.c_spread)
        line = f"fitted rate c = {f.c:.5g} ± {unc:.2g}"
        if math.isfinite(t.get("c", math.nan)):
            line += f"; the proof's c = {t['c']:.5g} (ratio {f.c / t['c']:.4f})"
        if "c_chapter" in t:
            line += f"; the chapter's c2 = π(k2 − k1) = {t['c_chapter']:.5g}"
        print(line)
    if "bound_holds_at_every_measured_delta" in t:
        e = t["explicit"]
        holds = t["bound_holds_at_every_measured_delta"]
        print(f"explicit Theorem 1 bound (C = {e['C']:.4g}, c = {e['c']:.4g}, δ0 = {e['delta0']:.4g}): "
              + ("holds at every measured δ ≤ δ0" if holds else
                 "VIOLATED at some δ" if holds is False else "no measured δ ≤ δ0"))
    for note in study.notes:
        print(f"note: {note}")
    if plot:
        print(f"figure written to {plot}")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "measure", help="Theorem 1's measure ratio on B_δ (Monte Carlo and rare-event estimator)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Fraction of the ball B_δ (in W = (w_1..w_m), a and b fixed) where\n"
                    "|∂L(k1)/∂θ| > |∂L(k2)/∂θ| for every θ in {a_j, w_j, b_j}: 1 - ratio at each δ\n"
                    "with a 95% interval, the fitted rate c of 1 - ratio ~ C e^{-c/δ}, and Theorem 1's\n"
                    "explicit bound. A line per δ goes to stderr as it finishes.",
        epilog="examples:\n"
               "  fptheory measure --k1 1 --k2 2 --m 2 --target \"exp(-x**2/2)\" --delta 0.2 0.3\n"
               "  fptheory measure --k1 1 --k2 2 --m 2 --fhat1 -1,0 --fhat2 0.5,0 "
               "--delta-range 0.05:0.2:4 --method rare --plot\n"
               "  fptheory measure --k1 1 --k2 3 --m 4 --target \"exp(-x**2/2)\" "
               "--delta-range 0.1:0.3:3 --json --quiet")
    p.add_argument("--k1", type=float, required=True, help="the lower frequency (> 0)")
    p.add_argument("--k2", type=float, required=True, help="the higher frequency (> k1)")
    p.add_argument("--m", type=int, required=True, help="number of neurons")
    p.add_argument("--a", help="output weights: one value for all, or m comma-separated "
                               "(default: seeded, |a_j| ~ U[0.5, 1.5] with random signs)")
    p.add_argument("--b", help="biases: one value or m comma-separated (default: seeded U[0.5, 1.5])")
    p.add_argument("--target", help='target f(x), e.g. "exp(-x**2/2)" (transformed by the engine)')
    p.add_argument("--fhat1", help="f̂(k1) as RE,IM, e.g. -1,0")
    p.add_argument("--fhat2", help="f̂(k2) as RE,IM")
    p.add_argument("--delta", type=float, nargs="+", help="radii of the ball")
    p.add_argument("--delta-range", help="LO:HI:N, N radii evenly spaced")
    p.add_argument("--method", default="auto", choices=["mc", "rare", "auto"],
                   help="auto: rare events where valid and 1 − ratio < 1e-3, else Monte Carlo")
    p.add_argument("--samples", type=int, help="Monte Carlo samples (default: from --rel-precision)")
    p.add_argument("--rel-precision", type=float, default=0.1,
                   help="target relative precision of 1 − ratio (default 0.1)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--activation", default="tanh", help="registry activation (default tanh)")
    p.add_argument("--act-param", action="append", default=[], metavar="NAME=VALUE",
                   help="activation parameter, e.g. a=0.3 for ricker_chapter")
    p.add_argument("--workers", type=int, default=1, help="processes over δ values (default 1)")
    add_scheduler(p, "the δ values")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--plot", nargs="?", default="", const=str(DEFAULT_PLOT), metavar="FILE",
                   help=f"write the figure (PNG) to FILE (--plot alone: {DEFAULT_PLOT})")
    add_quiet(p)
    p.set_defaults(func=_run)


