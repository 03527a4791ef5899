"""Theorem 1 measured (1.9): 1 − ratio on B_δ against 1/δ, Monte Carlo and rare events.

For h(x) = Σ_j a_j σ(w_j x + b_j) with a, b fixed (seeded, documented in fptheory.theory.measure) and
f̂(k1) = 1 − 0.5i, f̂(k2) = 0.7 + 0.2i, the fraction of B_δ where some high-frequency gradient
beats the low-frequency one is measured by the rare-event estimator over 1/δ and by Monte
Carlo (Clopper-Pearson 95 %) where it is within reach. The rate c is fitted and compared with
the proof's c = π(k2 − k1)/2 and the chapter's c2 = π(k2 − k1); the explicit bound of Theorem 1
(fptheory.theory.theorem1.explicit_theorem1) is checked at every δ ≤ δ0. Beyond the chapter: sigmoid
(csch-type like tanh, rate π(k2 − k1)), Ricker (a = 0.3, 0.1) and ReLU.

    python numerics/measure_ratio.py [--quick | --paper] [--out DIR] [--seed S]
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from fptheory.report.studies import study_arguments
from fptheory.theory.measure import make_problem, measure, measure_many, plot_study

FHAT1, FHAT2 = 1 - 0.5j, 0.7 + 0.2j
SIZES = {
    "quick": {"configs": [(1.0, 2.0, 4), (2.0, 3.0, 1)], "deltas": (0.04, 0.3, 10),
              "mc_deltas": [0.3, 0.35], "mc_samples": 200_000,
              "activation_deltas": [0.1, 0.3], "activation_samples": 20_000, "workers": 2},
    "paper": {"configs": [(1.0, 2.0, 16), (1.0, 3.0, 4), (2.0, 3.0, 1), (0.5, 2.0, 8)],
              "deltas": (0.03, 0.4, 40), "mc_deltas": [0.25, 0.3, 0.35, 0.4],
              "mc_samples": 2_000_000, "activation_deltas": [0.05, 0.1, 0.2, 0.3, 0.4],
              "activation_samples": 200_000, "workers": 2},
}
TOLERANCE = 0.05  # the fitted rate must be within 5 % of the proof's


def _overlap(a, b) -> bool:
    return a.ci_low <= b.ci_high and b.ci_low <= a.ci_high


def run(size: str = "quick", out_dir: Path = Path("numerics/output"), seed: int = 0) -> dict:
    if size not in SIZES:
        raise ValueError(f"size must be one of {sorted(SIZES)}, got {size!r}")
    cfg = SIZES[size]
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    lo, hi, n = cfg["deltas"]
    deltas = list(np.linspace(lo, hi, n))
    configs, figures = [], []
    for index, (k1, k2, m) in enumerate(cfg["configs"]):
        problem = make_problem(k1=k1, k2=k2, m=m, fhat1=FHAT1, fhat2=FHAT2, seed=seed + index)
        study = measure_many(problem, deltas, method="auto", seed=seed, workers=cfg["workers"])
        # Monte Carlo beside the rare-event estimator where both apply
        comparisons = []
        for d in cfg["mc_deltas"]:
            mc = measure(problem, d, method="mc", samples=cfg["mc_samples"], seed=seed + 7)
            try:
                rare = measure(problem, d, method="rare", seed=seed + 7)
            except Exception as exc:  # the estimator says where it does not apply
                comparisons.append({"delta": d, "mc": mc.to_dict(), "rare": None, "reason": str(exc)})
                continue
            study.results.append(mc)
            comparisons.append({"delta": d, "mc": mc.to_dict(), "rare": rare.to_dict(),
                                "intervals_overlap": _overlap(mc, rare)})
        study.results.sort(key=lambda r: (r.delta, r.method))
        name = f"measure_ratio_k{k1:g}_{k2:g}_m{m}.png"
        figures.append(str(plot_study(study, str(out_dir / name))))
        t = study.theory
        configs.append({"k1": k1, "k2": k2, "m": m, "fit": study.fit and study.fit.to_dict(),
                        "proof_c": t["c"], "chapter_c2": t.get("c_chapter"),
                        "fit_over_proof": t.get("fit_over_proof"),
                        "fit_over_chapter": t.get("fit_over_chapter"),
                        "agrees_within_5_percent": t.get("fit_agrees_within_5_percent"),
                        "bound_holds_at_every_measured_delta": t.get("bound_holds_at_every_measured_delta"),
                        "explicit": {key: t["explicit"][key] for key in ("C", "c", "delta0")}
                        if "explicit" in t else None,
                        "mc_vs_rare": comparisons, "study": study.to_dict()})
    activations = _activations(cfg, seed, out_dir, figures)
    agree = [c["agrees_within_5_percent"] for c in configs]
    overlaps = [c2["intervals_overlap"] for c in configs for c2 in c["mc_vs_rare"]
                if c2.get("rare") is not None]
    bounds = [c["bound_holds_at_every_measured_delta"] for c in configs
              if c["bound_holds_at_every_measured_delta"] is not None]
    holds = bool(agree) and all(agree) and all(overlaps) and all(bounds)
    ratios = ", ".join(f"{c['fit_over_proof']:.3f}" for c in configs if c["fit_over_proof"])
    chapter = ", ".join(f"{c['fit_over_chapter']:.3f}" for c in configs if c["fit_over_chapter"])
    verdict = (f"fitted rate / proof's π(k2−k1)/2 = {ratios} ({sum(map(bool, agree))}/{len(agree)} "
               f"within 5 %); fitted / chapter's c2 = π(k2−k1) = {chapter} (the chapter's rate is "
               f"twice too large); MC and rare-event intervals overlap in {sum(overlaps)}/{len(overlaps)}; "
               f"the explicit bound holds at every measured δ ≤ δ0 in {sum(bounds)}/{len(bounds)}")
    result = {"study": "measure_ratio", "title": "Theorem 1: the measure ratio on B_δ",
              "chapter": "(1.9)-(1.21), Theorem 1", "size": size, "verdict": verdict,
              "prediction": "near W = 0 the low frequency's gradient dominates every high "
                            "frequency's on all of B_δ but a fraction at most C e^(-c2/δ), "
                            "with the chapter's rate c2 = π(k2 − k1)",
              "prediction_holds": holds, "figures": figures, "configs": configs,
              "activations": activations,
              "fhat": {"k1": [FHAT1.real, FHAT1.imag], "k2": [FHAT2.real, FHAT2.imag]}}
    (out_dir / "measure_ratio.json").write_text(json.dumps(result, indent=1, default=str))
    return result


def _activations(cfg: dict, seed: int, out_dir: Path, figures: list[str]) -> dict:
    """1 − ratio for other activations of the registry at k1 = 1, k2 = 2, m = 4."""
    cases = [("tanh", {}), ("sigmoid", {}), ("ricker_chapter", {"a": 0.3}),
             ("ricker_chapter", {"a": 0.1}), ("relu", {})]
    out = {}
    for name, params in cases:
        label = name + "".join(f" {k}={v:g}" for k, v in params.items())
        problem = make_problem(k1=1, k2=2, m=4, fhat1=FHAT1, fhat2=FHAT2, seed=seed,
                               activation_name=name, activation_parameters=params)
        rows = [measure(problem, d, method="auto", samples=cfg["activation_samples"], seed=seed).to_dict()
                for d in cfg["activation_deltas"]]
        out[label] = {"results": rows, "proof_rate": problem.proof_rate}
    _plot_activations(out, out_dir / "measure_ratio_activations.png")
    figures.append(str(out_dir / "measure_ratio_activations.png"))
    small = {k: v["results"][0]["failure"] for k, v in out.items()}
    out["finding"] = (
        "at the smallest δ, 1 − ratio = " + ", ".join(f"{k}: {v:.3g}" for k, v in small.items())
        + ". tanh and sigmoid (|σ̂| ~ e^{-r|κ|}) fail exponentially rarely as δ → 0; ReLU "
        "(|σ̂| = 1/κ², so |∂L(k2)|/|∂L(k1)| does not shrink with |w|) keeps an O(1) failure "
        "fraction: Theorem 1 does not extend to ReLU; Ricker's spectrum peaks at κ* = √2/a, so "
        "the ordering needs |t| k1 beyond κ*, i.e. smaller δ for smaller a.")
    return out


def _plot_activations(data: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    for label, value in data.items():
        rows = [r for r in value["results"] if r["failure"] > 0 or r["method"] == "rare"]
        x = [1 / r["delta"] for r in rows]
        y = [10 ** r["log10_failure"] if r["method"] == "rare" else r["failure"] for r in rows]
        ax.plot(x, y, "o-", ms=4, label=label)
    ax.set_yscale("log")
    ax.set_xlabel("1/δ")
    ax.set_ylabel("1 − ratio")
    ax.set_title("Theorem 1's failure fraction by activation (m = 4, k1 = 1, k2 = 2)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main() -> None:
    args = study_arguments(__doc__.splitlines()[0])
    result = run(args.size, args.out, args.seed)
    for c in result["configs"]:
        fit = c["fit"] or {}
        print(f"k1={c['k1']:g} k2={c['k2']:g} m={c['m']}: fitted c = {fit.get('c', math.nan):.5g} "
              f"± {max(fit.get('c_stderr', 0), fit.get('c_spread', 0)):.2g}, proof's c = {c['proof_c']:.5g}, "
              f"chapter's c2 = {c['chapter_c2']:.5g}")
    print(result["activations"]["finding"])
    print("verdict:", result["verdict"])
    print("prediction holds:", result["prediction_holds"])
    print("figures:", ", ".join(result["figures"]))


if __name__ == "__main__":
    main()
