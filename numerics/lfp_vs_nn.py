"""Figure 1.6: a two-layer ReLU net vs the LFP model vs splines, and NN–LFP error against width.

Thin script: the work is in :mod:`fptheory.nets.lfp_comparison` (the comparison, the width
study, the plots), on :mod:`fptheory.theory.lfp` (γ², LFP solver, kernels) and
:mod:`fptheory.nets.lfp_relu` (the net). Both chapter inits, with the antisymmetric initialisation
(h_ini ≡ 0, the variational model's assumption; used for the verdicts) and with the plain one
(reported alongside). ``quick`` is small enough for tests; ``paper`` is the chapter's width
10000 and the width sweep 500 ... 64000.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fptheory.report.studies import study_arguments

SIZES = {
    "quick": {"width": 2000, "widths": [500, 2000], "seeds": [0]},
    "paper": {"width": 10_000, "widths": [500, 1000, 2000, 4000, 8000, 16000, 32000, 64000],
              "seeds": [0, 1]},
}


def run(size: str = "quick", out_dir: Path = Path("numerics/output"), seed: int = 0) -> dict[str, Any]:
    from fptheory.core.errors import FPTheoryError
    from fptheory.nets.lfp_comparison import compare_nn_lfp, plot_comparison, plot_width_study, width_study

    if size not in SIZES:
        raise FPTheoryError(f"size must be one of {', '.join(SIZES)}, got {size!r}")
    cfg = SIZES[size]
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    panels = {c: compare_nn_lfp(c, width=cfg["width"], seed=seed, antisymmetric=True) for c in "ab"}
    plain = {c: compare_nn_lfp(c, width=cfg["width"], seed=seed, antisymmetric=False) for c in "ab"}
    seeds = [seed + s for s in cfg["seeds"]]
    studies = {c: width_study(c, cfg["widths"], seeds, antisymmetric=True) for c in "ab"}
    fig1 = plot_comparison([panels["a"], panels["b"]], str(out_dir / f"lfp_vs_nn_{size}.png"))
    fig2 = plot_comparison([plain["a"], plain["b"]], str(out_dir / f"lfp_vs_nn_plain_{size}.png"))
    fig3 = plot_width_study([studies["a"], studies["b"]], str(out_dir / f"lfp_width_{size}.png"))
    verdict = (f"(a) {panels['a'].verdict}; (b) {panels['b'].verdict}. Finding (b): {panels['b'].finding}. "
               f"Width: (a) {studies['a'].verdict}; (b) {studies['b'].verdict}")
    result = {
        "study": "lfp_vs_nn",
        "title": "Figure 1.6: two-layer ReLU net vs LFP model vs cubic/linear splines",
        "chapter": "§1.3.1, (1.26)-(1.30), figure 1.6",
        "prediction": "a wide two-layer ReLU net trained on a few points follows the LFP "
                      "model's solution, which is the cubic spline through the points for the "
                      "chapter's initialisation (a) and the linear spline for (b)",
        "size": size,
        "seed": seed,
        "initialisation_used_for_verdict": "antisymmetric (h_ini ≡ 0)",
        "verdict": verdict,
        "prediction_holds": bool(panels["a"].prediction_holds and panels["b"].prediction_holds),
        "figures": [fig1, fig2, fig3],
        "panels": {c: p.to_dict() for c, p in panels.items()},
        "plain_init_panels": {c: p.to_dict() for c, p in plain.items()},
        "width_study": {c: s.to_dict() for c, s in studies.items()},
    }
    (out_dir / f"lfp_vs_nn_{size}.json").write_text(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    a = study_arguments(__doc__.splitlines()[0])
    res = run(a.size, a.out, a.seed)
    for c in "ab":
        p = res["panels"][c]
        print(f"({c}) {p['verdict']}")
        print(f"    max|NN−LFP| {p['max_abs_nn_minus_lfp']:.4g}, "
              f"max|LFP−cubic| {p['max_abs_lfp_minus_cubic']:.4g}, "
              f"max|LFP−linear| {p['max_abs_lfp_minus_linear']:.4g}; finding: {p['finding']}")
        print(f"    plain init: {res['plain_init_panels'][c]['verdict']}")
        print(f"    width: {res['width_study'][c]['verdict']}")
    print(f"prediction holds: {res['prediction_holds']}; figures: {', '.join(res['figures'])}")
