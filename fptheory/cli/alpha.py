"""``fptheory alpha``: the α-critical model (1.31)-(1.34) and its scaling with M.

Solves the weighted minimum-norm interpolant at one M, prints off_data_ratio, and runs the
scaling study (the ratio at M/8 .. 2M), whose extrapolation to M = ∞ decides "Dirac-like"
(vanishes, α < d) against "smooth" (levels off, α > d); the log-log slope is the measured
exponent. Matplotlib is imported only for ``--plot``.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

from fptheory.core.errors import FPTheoryError

from . import _validate as V
from ._progress import OUTPUT_DIR, Reporter, add_quiet, output_path
from ._scheduler import add_scheduler, executor_from

DEFAULT_PLOT = OUTPUT_DIR / "alpha" / "alpha-interpolant.png"


def _read_data(path: str, dim: int):
    """x,y columns (d = 1) or x1,x2,y (d = 2), comma separated; one header line allowed."""
    import numpy as np

    try:
        lines = [ln for ln in Path(path).read_text().splitlines()
                 if ln.strip() and not ln.lstrip().startswith("#")]
    except OSError as exc:
        raise FPTheoryError(f"cannot read {path}: {exc.strerror or type(exc).__name__}") from None
    rows = []
    for i, line in enumerate(lines):
        fields = [f.strip() for f in line.split(",")]
        try:
            values = [float(f) for f in fields]
        except ValueError:
            if i == 0:
                continue  # header
            raise FPTheoryError(f"cannot read {path} line {i + 1}: {line.strip()!r} "
                                "is not numbers") from None
        if len(values) != dim + 1:
            raise FPTheoryError(f"{path} line {i + 1}: expected {dim + 1} columns "
                                f"({'x,y' if dim == 1 else 'x1,x2,y'}), got {len(values)}")
        rows.append(values)
    if not rows:
        raise FPTheoryError(f"no training data in {path}")
    arr = np.array(rows, dtype=float)
    return arr[:, :dim], arr[:, dim]


def _parse_ladder(text: str) -> list[int]:
    try:
        return [int(t) for t in text.split(",") if t.strip()]
    except ValueError:
        raise FPTheoryError(f"--scaling-M {text!r}: expected integers like 125,250,500") from None


def _handler(args: argparse.Namespace) -> int:
    from fptheory.theory.alpha_critical import DEFAULT_M, alpha_model, default_training_data, plot_interpolant

    if args.dim not in (1, 2):
        raise FPTheoryError(f"dim must be 1 or 2, got {args.dim}")
    if not (math.isfinite(args.alpha) and args.alpha >= 0):
        raise FPTheoryError(f"alpha must be a finite number >= 0, got {args.alpha}")
    M = DEFAULT_M[args.dim] if args.M is None else args.M
    V.positive_int(M, "--M")
    V.positive_float(args.delta_xi, "--delta-xi")
    V.nonnegative_float(args.exclusion, "--exclusion")
    V.positive_int(args.n, "--n")
    V.nonnegative_int(args.seed, "--seed")
    if args.plot:
        V.writable_file(args.plot, "--plot")
    if args.data:
        x, y = _read_data(args.data, args.dim)
    else:
        x, y = default_training_data(args.dim, args.n, args.seed)
    ladder = _parse_ladder(args.scaling_M) if args.scaling_M else None
    if ladder is not None and min(ladder, default=1) < 1:
        raise FPTheoryError("M must be an integer >= 1 in --scaling-M")

    from fptheory.theory.alpha_critical import default_M_ladder

    steps = [] if args.no_scaling else sorted(set(ladder or default_M_ladder(M, args.dim)))
    V.check_alpha_M(M, max([M, *steps]), args.dim, len(y))
    V.int_range(args.workers, "--workers", 1, 256)
    with executor_from(args, args.workers) as executor, \
            Reporter("fptheory alpha", quiet=args.quiet) as progress:
        done, last = [0], [progress.elapsed]

        def step(m: int) -> None:
            if done[0] == 0:  # the data and parameters passed the solver's checks: no error line follows
                progress.line(f"fptheory alpha: d = {args.dim}, alpha = {args.alpha:g}, M = {M}; scaling "
                              f"study over M = {', '.join(map(str, steps))} on {executor.describe()}")
            done[0] += 1
            took, last[0] = progress.elapsed - last[0], progress.elapsed
            progress.step(done[0], len(steps), "scaling study", f"M = {m} solved", took)
            progress.status(f"scaling study, {done[0]}/{len(steps)} values of M")

        progress.status("solving the interpolant")
        result = alpha_model(x, y, args.alpha, M, args.delta_xi, Ms=ladder, exclusion=args.exclusion,
                             scaling=not args.no_scaling, progress=step)
    out = result.to_dict()
    if args.plot:
        out["plot"] = plot_interpolant(result.interpolant, str(output_path(args.plot)), args.exclusion)
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    h, off = result.interpolant, result.off_data
    print(f"alpha model (1.33)-(1.34): d = {h.dim}, alpha = {h.alpha:g}, M = {h.M}, "
          f"delta_xi = {h.delta_xi:g} ({h.convention.name} convention, period {h.period:g})")
    print(f"data: {h.y.size} points ({'from ' + args.data if args.data else f'seed {args.seed}'});"
          f" kernel diagonal K(0) = {h.kernel_diagonal:.6g}; Gram condition {h.gram_condition:.3g}; "
          f"max |h(x_i) - y_i| = {off.max_constraint_residual:.1e}")
    print(f"off_data_ratio = {off.ratio:.6g}  (mean |h| over {off.grid_points_off_data} grid points "
          f"of the box at distance >= {off.exclusion:g} from the data / mean |y|)")
    s = result.scaling
    if s is not None:
        print("scaling with M:")
        for m, r in zip(s.Ms, s.ratios, strict=True):
            print(f"  M = {m:6d}   off_data_ratio = {r:.6g}")
        print(f"verdict: {s.verdict}")
    if args.plot:
        print(f"figure written to {out['plot']}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "alpha", help="the alpha-critical model (1.31)-(1.34): Dirac-like vs smooth interpolant",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Weighted minimum-norm interpolant min sum_J <xi_J>^alpha |phi_J|^2 subject to\n"
                    "h(x_i) = y_i, solved in the data space; the off-data ratio, and its scaling\n"
                    "with M that decides Dirac-like (alpha < d) against smooth (alpha > d).\n"
                    "A line per M of the scaling study goes to stderr.",
        epilog="examples:\n"
               "  fptheory alpha --dim 1 --alpha 0.5 --M 400\n"
               "  fptheory alpha --dim 2 --alpha 3 --M 40 --plot\n"
               "  fptheory alpha --dim 1 --alpha 2 --data points.csv --no-scaling --json")
    p.add_argument("--dim", type=int, required=True, help="input dimension d (1 or 2)")
    p.add_argument("--alpha", type=float, required=True, help="decay exponent alpha >= 0")
    p.add_argument("--M", type=int, default=None,
                   help="frequencies |J_i| <= M (default: the chapter's 1000 for d=1, 100 for d=2)")
    p.add_argument("--delta-xi", type=float, default=0.25,
                   help="frequency spacing (default 0.25: period 4 in x, twice the data box [-1,1])")
    p.add_argument("--data", default="",
                   help="CSV with columns x,y (d=1) or x1,x2,y (d=2); default: seeded points in [-1,1]^d")
    p.add_argument("--n", type=int, default=None, help="number of default points (5 for d=1, 8 for d=2)")
    p.add_argument("--seed", type=int, default=0, help="seed of the default points (default 0)")
    p.add_argument("--exclusion", type=float, default=0.1,
                   help="grid points closer than this to a training point are on-data (default 0.1)")
    p.add_argument("--scaling-M", default="", help="M values of the scaling study, e.g. 125,250,500 "
                   "(default M/8, M/4, M/2, M, 2M)")
    p.add_argument("--no-scaling", action="store_true", help="skip the scaling study")
    p.add_argument("--plot", nargs="?", default="", const=str(DEFAULT_PLOT), metavar="FILE",
                   help=f"write the interpolant's figure (PNG) to FILE (--plot alone: {DEFAULT_PLOT})")
    add_quiet(p)
    p.add_argument("--workers", type=int, default=1,
                   help="processes over the M values of the scaling study (default 1)")
    add_scheduler(p, "the M values of the scaling study")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=_handler)
