"""``fptheory lfp``: figure 1.6 — a trained two-layer ReLU net against f_LFP and splines (§1.3)."""

from __future__ import annotations

import argparse
import json

from fptheory.core.errors import FPTheoryError

from . import _validate as V
from ._progress import OUTPUT_DIR, Reporter, add_quiet, output_path
from ._scheduler import add_scheduler, executor_from

__all__ = ["register"]

DEFAULT_K, DEFAULT_EPS = 200, 1e-6
DEFAULT_PLOT = OUTPUT_DIR / "lfp" / "figure-1.6.png"


def _floats(text: str, name: str) -> list[float]:
    try:
        return [float(v) for v in text.split(",") if v.strip() != ""]
    except ValueError:
        raise FPTheoryError(f"--{name} {text!r}: expected comma-separated numbers") from None


def _handler(args: argparse.Namespace) -> int:
    from fptheory.nets.lfp_comparison import compare_nn_lfp, plot_comparison
    from fptheory.theory.lfp import DEFAULT_X, DEFAULT_Y, validate_data

    if args.widths is not None:
        return _width_study(args)
    if args.seeds is not None:
        raise FPTheoryError("--seeds goes with --widths (the width study)")
    args.K = DEFAULT_K if args.K is None else args.K
    args.eps = DEFAULT_EPS if args.eps is None else args.eps
    x = _floats(args.x, "x") if args.x is not None else list(DEFAULT_X)
    y = _floats(args.y, "y") if args.y is not None else list(DEFAULT_Y)
    validate_data(x, y)  # bad data is reported before torch is needed
    V.positive_int(args.width, "--width", minimum=2)
    V.check_lfp_width(args.width)
    if args.antisymmetric and args.width % 2:
        raise FPTheoryError(f"--antisymmetric needs an even --width, got {args.width}")
    V.positive_int(args.K, "--K")
    V.check_lfp_K(args.K)
    V.nonnegative_int(args.seed, "--seed")
    if args.plot:
        V.writable_file(args.plot, "--plot")
    if not args.eps > 0 or args.eps == float("inf"):
        raise FPTheoryError(f"--eps must be a finite number > 0, got {args.eps}")
    _check_lengths(args, x)
    from fptheory.nets.lfp_relu import require_torch

    require_torch()
    with Reporter("fptheory lfp", quiet=args.quiet) as progress:
        progress.line(f"fptheory lfp: training the width-{args.width} ReLU net (init {args.init}, "
                      f"seed {args.seed}) and solving the LFP model (K = {args.K})")
        progress.status(f"init {args.init}, width {args.width}")
        r = compare_nn_lfp(args.init, width=args.width, seed=args.seed, antisymmetric=args.antisymmetric,
                           x=x, y=y, K=args.K, eps=args.eps, L=args.L, L_prime=args.L_prime)
        progress.line(f"fptheory lfp: done in {progress.elapsed:.1f} s")
    out = r.to_dict()
    if args.plot:
        out["figure"] = plot_comparison([r], str(output_path(args.plot)))
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    d = r.distances
    print(f"figure 1.6({r.case}): init {r.init.distribution} w U={r.init.w:g}, a U={r.init.a:g}, "
          f"b U={r.init.b:g}; width {r.width}, seed {r.seed}, "
          f"{'antisymmetric (h_ini ≡ 0)' if r.antisymmetric else 'plain init (h_ini ≠ 0)'}")
    print(f"data x = {r.x.tolist()}, y = {r.y.tolist()}; compared on [{r.grid[0]:g}, {r.grid[-1]:g}] "
          f"({r.grid.size} points); training: {r.net['steps']} steps, max residual "
          f"{r.net['max_residual']:.1e}")
    print(f"LFP model: L = {r.lfp['L']:g}, L' = {r.lfp['L_prime']:g}, K = {r.lfp['K']}, "
          f"{r.lfp['unknowns']} unknowns, eps = {r.lfp['eps']:g}")
    print(f"{'pair':<34}{'max':>11}{'rms':>11}")
    for name, v in d.items():
        print(f"{name:<34}{v['max']:>11.4g}{v['rms']:>11.4g}")
    print(f"verdict: {r.verdict}  [threshold {r.threshold:.3g} = 5% of the y range]")
    print(f"finding: {r.finding}")
    if args.plot:
        print(f"figure written to {out['figure']}")
    return 0


def _check_lengths(args: argparse.Namespace, x: list[float]) -> None:
    """--L and --L-prime before any training: finite, positive, L ≥ the input range, L' ≥ L,
    and (L'/L)·K an integer (the frequencies j/L', j < (L'/L)·K, of (1.28))."""
    import math

    for name, v in (("--L", args.L), ("--L-prime", args.L_prime)):
        if v is not None and not (math.isfinite(v) and v > 0):
            raise FPTheoryError(f"{name} must be a finite number > 0, got {v}")
    import numpy as np

    from fptheory.theory.lfp.solver import chapter_lengths

    span = float(np.ptp(np.asarray(x, float)))
    if args.L is not None and args.L < span * (1 - 1e-12):
        raise FPTheoryError(f"--L {args.L:g} is shorter than the range of the inputs ({span:g})")
    L = args.L if args.L is not None else chapter_lengths(x)[0]
    if args.L_prime is not None:
        if args.L_prime < L:
            raise FPTheoryError(f"--L-prime {args.L_prime:g} must be at least L = {L:g}")
        J = args.L_prime / L * args.K
        if abs(J - round(J)) > 1e-9 * max(1.0, J):
            raise FPTheoryError(f"(L'/L)·K = {J:g} must be an integer (L = {L:g}, "
                                f"L' = {args.L_prime:g}, K = {args.K})")
        V.check_lfp_K(args.K, args.L_prime / L)


def _width_study(args: argparse.Namespace) -> int:
    """--widths: the NN-LFP and NN-kernel gaps against width (mean over --seeds seeds)."""
    from fptheory.nets.lfp_comparison import plot_width_study, width_study
    from fptheory.nets.lfp_relu import require_torch

    widths = [int(w) for w in _floats(args.widths, "widths") if w == int(w)]
    if len(widths) != len(_floats(args.widths, "widths")) or not widths or min(widths) < 2:
        raise FPTheoryError(f"--widths {args.widths!r}: expected integers >= 2, e.g. 100,1000,10000")
    if any(v is not None for v in (args.x, args.y, args.K, args.eps, args.L, args.L_prime)):
        raise FPTheoryError("--x, --y, --K, --eps, --L and --L-prime are not used by --widths "
                            "(the chapter's data)")
    seeds = args.seeds if args.seeds is not None else 1
    if not 1 <= seeds <= 50:
        raise FPTheoryError(f"--seeds must be from 1 to 50, got {seeds}")
    V.check_lfp_width(max(widths), "--widths")
    if args.antisymmetric and any(w % 2 for w in widths):
        raise FPTheoryError(f"--antisymmetric needs even --widths, got {args.widths}")
    V.nonnegative_int(args.seed, "--seed")
    if args.plot:
        V.writable_file(args.plot, "--plot")
    V.int_range(args.workers, "--workers", 1, 256)
    require_torch()
    total = len(widths) * seeds
    with executor_from(args, args.workers) as executor, \
            Reporter("fptheory lfp", quiet=args.quiet) as progress:
        progress.line(f"fptheory lfp: width study, init {args.init}, widths {', '.join(map(str, widths))}, "
                      f"{seeds} seed{'s' if seeds > 1 else ''}: {total} trainings on {executor.describe()}")
        count = [0]

        def started(text: str) -> None:  # a training starting (one process) or done (fanned out)
            count[0] += 1
            progress.line(f"[{count[0]}/{total}] training {text} ({progress.elapsed:.1f} s so far)")
            progress.status(text)

        study = width_study(args.init, widths, list(range(args.seed, args.seed + seeds)),
                            antisymmetric=args.antisymmetric, progress=started)
        progress.line(f"fptheory lfp: width study done in {progress.elapsed:.1f} s")
    out = study.to_dict()
    if args.plot:
        out["figure"] = plot_width_study([study], str(output_path(args.plot)))
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    print(f"width study, init {study.case}, seeds {study.seeds}, "
          f"{'antisymmetric (h_ini ≡ 0)' if study.antisymmetric else 'plain init (h_ini ≠ 0)'}")
    print(f"{'width':>8}{'max|NN-LFP|':>14}{'max|NN-K_full|':>16}{'max|NN-K_ab|':>14}")
    for row in zip(study.widths, study.nn_minus_lfp, study.nn_minus_kernel_full, study.nn_minus_kernel_ab,
                   strict=True):
        print(f"{row[0]:>8}{row[1]:>14.4g}{row[2]:>16.4g}{row[3]:>14.4g}")
    print(f"|K_full - LFP| = {study.kernel_full_minus_lfp:.4g}; log-log slopes: NN-LFP "
          f"{study.slope_lfp:.3g}, NN-K_full {study.slope_kernel_full:.3g}")
    print(f"verdict: {study.verdict}")
    if args.plot:
        print(f"figure written to {out['figure']}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "lfp", help="figure 1.6: trained ReLU net vs the LFP model vs splines",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Train a width-N two-layer ReLU net (torch, CPU, float64) on three points with\n"
                    "the chapter's init (a) or (b), solve the LFP model (1.27) with γ from the same\n"
                    "init, compare with scipy's natural cubic and linear splines and with the exact\n"
                    "infinite-width kernel. --widths runs the width study instead (the gaps against\n"
                    "width, a line per training on stderr). The verdict is in the output (exit 0\n"
                    "whenever it was computed).",
        epilog="examples:\n"
               "  fptheory lfp --init a\n"
               "  fptheory lfp --init b --width 2000 --no-antisymmetric --plot\n"
               "  fptheory lfp --init a --widths 100,400,1600 --seeds 2 --antisymmetric --json")
    p.add_argument("--init", choices=["a", "b"], required=True, help="the chapter's initialisation")
    p.add_argument("--width", type=int, default=10_000, help="hidden width (default 10000)")
    p.add_argument("--seed", type=int, default=0, help="seed (the first seed with --widths; default 0)")
    p.add_argument("--antisymmetric", action=argparse.BooleanOptionalAction, default=True,
                   help="pairs (a, w, b), (-a, w, b): h_ini ≡ 0 as the variational model assumes "
                        "(default: on, the setting of the report's figure-1.6 verdict; "
                        "--no-antisymmetric: the plain init, h_ini ≠ 0)")
    p.add_argument("--x", help="comma-separated inputs (default -1,-0.3,1)")
    p.add_argument("--y", help="comma-separated outputs (default 0.1,1,-0.5)")
    p.add_argument("--K", type=int, default=None, help=f"LFP frequency count K (default {DEFAULT_K})")
    p.add_argument("--eps", type=float, default=None, help=f"LFP ridge ε (default {DEFAULT_EPS:g})")
    p.add_argument("--L", type=float, default=None, metavar="L",
                   help="the LFP period scale L (default: the range of the inputs, the chapter's "
                        "reading of (1.28))")
    p.add_argument("--L-prime", type=float, default=None, metavar="L'",
                   help="the LFP period L' of the sine/cosine basis (default 10 L; (L'/L)·K must "
                        "be an integer)")
    p.add_argument("--widths", metavar="W,W,...",
                   help="run the width study over these widths instead (e.g. 100,1000,10000)")
    p.add_argument("--seeds", type=int, default=None, metavar="N",
                   help="seeds per width in the width study (default 1)")
    p.add_argument("--plot", nargs="?", const=str(DEFAULT_PLOT), metavar="FILE",
                   help=f"write the figure (PNG) to FILE (--plot alone: {DEFAULT_PLOT})")
    p.add_argument("--workers", type=int, default=1,
                   help="with --widths: processes over the widths × seeds (default 1)")
    add_scheduler(p, "the widths × seeds of --widths")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    add_quiet(p)
    p.set_defaults(func=_handler)

