"""``fptheory lfp``: figure 1.6 — a trained two-layer ReLU net against f_LFP and splines (§1.3)."""

from __future__ import annotations

import argparse
import json

from fptheory.core.errors import FPTheoryError

__all__ = ["register"]


def _floats(text: str, name: str) -> list[float]:
    try:
        return [float(v) for v in text.split(",") if v.strip() != ""]
    except ValueError:
        raise FPTheoryError(f"--{name} {text!r}: expected comma-separated numbers") from None


def _handler(args: argparse.Namespace) -> int:
    from fptheory.nets.lfp_comparison import compare_nn_lfp, plot_comparison
    from fptheory.theory.lfp import DEFAULT_X, DEFAULT_Y, validate_data

    x = _floats(args.x, "x") if args.x is not None else list(DEFAULT_X)
    y = _floats(args.y, "y") if args.y is not None else list(DEFAULT_Y)
    validate_data(x, y)  # bad data is reported before torch is needed
    if args.width < 2:
        raise FPTheoryError(f"--width must be >= 2, got {args.width}")
    if args.K < 1:
        raise FPTheoryError(f"--K must be >= 1, got {args.K}")
    if not args.eps > 0 or args.eps == float("inf"):
        raise FPTheoryError(f"--eps must be a finite number > 0, got {args.eps}")
    from fptheory.nets.lfp_relu import require_torch

    require_torch()
    r = compare_nn_lfp(args.init, width=args.width, seed=args.seed, antisymmetric=args.antisymmetric,
                       x=x, y=y, K=args.K, eps=args.eps)
    out = r.to_dict()
    if args.plot:
        out["figure"] = plot_comparison([r], args.plot)
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
    print(f"{'pair':<34}{'max':>11}{'rms':>11}")
    for name, v in d.items():
        print(f"{name:<34}{v['max']:>11.4g}{v['rms']:>11.4g}")
    print(f"verdict: {r.verdict}  [threshold {r.threshold:.3g} = 5% of the y range]")
    print(f"finding: {r.finding}")
    if args.plot:
        print(f"figure: {out['figure']}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "lfp", help="figure 1.6: trained ReLU net vs the LFP model vs splines",
        description="Train a width-N two-layer ReLU net (torch, CPU, float64) on three points with the "
                    "chapter's init (a) or (b), solve the LFP model (1.27) with γ from the same init, "
                    "compare with scipy's natural cubic and linear splines and with the exact "
                    "infinite-width kernel. The verdict is in the output (exit 0 whenever it was computed).")
    p.add_argument("--init", choices=["a", "b"], required=True, help="the chapter's initialisation")
    p.add_argument("--width", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--antisymmetric", action="store_true",
                   help="pairs (a, w, b), (-a, w, b): h_ini ≡ 0 as the variational model assumes")
    p.add_argument("--x", help="comma-separated inputs (default -1,-0.3,1)")
    p.add_argument("--y", help="comma-separated outputs (default 0.1,1,-0.5)")
    p.add_argument("--K", type=int, default=200, help="LFP frequency count K (default 200)")
    p.add_argument("--eps", type=float, default=1e-6, help="LFP ridge ε (default 1e-6)")
    p.add_argument("--plot", metavar="FILE", help="write the figure (PNG)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=_handler)

