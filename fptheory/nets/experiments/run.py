"""Running an experiment by name (:func:`run_experiment`, :func:`total_epochs`) and the
numerics/ scripts' contract (:func:`study_result`)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fptheory.core.errors import FPTheoryError

from .common import _public, _torch_setup
from .configs import EXPERIMENTS, ExperimentResult, _config
from .large_init import _exp_large_1d, _exp_large_2d
from .ordering import _exp_grad, _exp_ricker, _exp_tanh

__all__ = ["run_experiment", "total_epochs", "study_result"]

_RUNNERS = {"tanh-ordering": _exp_tanh, "ricker": _exp_ricker, "grad-loss": _exp_grad,
            "large-init-1d": _exp_large_1d, "large-init-2d": _exp_large_2d}


def _runs_per_seed(name: str, cfg: dict[str, Any]) -> int:
    return {"ricker": len(cfg.get("a_values", [])), "grad-loss": 2, "large-init-1d": 2,
            "large-init-2d": 2}.get(name, 1)


def total_epochs(name: str, size: str = "quick", seeds: int | None = None) -> int:
    """Training steps an experiment takes (for a progress bar)."""
    cfg = _config(name, size, seeds)
    return cfg["epochs"] * cfg["seeds"] * _runs_per_seed(name, cfg)


def run_experiment(name: str, size: str = "quick", *, seeds: int | None = None, base_seed: int = 0,
                   device: str = "cpu", out_dir: Path | str | None = Path("numerics/output"),
                   progress: Callable[[int], None] | None = None) -> ExperimentResult:
    """Run experiment ``name`` at ``size`` over seeds base_seed, ..., base_seed + seeds - 1;
    write ``<out_dir>/<name>.png`` and ``<name>.json`` (unless ``out_dir`` is None)."""
    cfg = _config(name, size, seeds)
    if not (isinstance(base_seed, int) and base_seed >= 0):
        raise FPTheoryError(f"the seed must be a non-negative integer (got {base_seed})")
    spec = EXPERIMENTS[name]
    from fptheory.core.execution import LocalExecutor, current

    # fail early: torch missing, cuda absent here (on a cluster the workers hold the GPUs:
    # a worker without one fails its seed, named)
    _torch_setup(device if isinstance(current(), LocalExecutor) else "cpu")
    seed_list = list(range(base_seed, base_seed + cfg["seeds"]))
    start = time.perf_counter()
    rows, holds, agree, verdict, measured, plot = _RUNNERS[name](cfg, seed_list, device, progress)
    elapsed = time.perf_counter() - start
    status = {True: "prediction holds", False: "prediction fails", None: "unknown (seeds split or undecided)"}
    result = ExperimentResult(
        name=name, study=spec.study, title=spec.title, chapter=spec.chapter, size=size, device=device,
        seeds=seed_list, config=cfg, prediction=spec.prediction, verdict=f"{status[holds]}: {verdict}",
        prediction_holds=holds, seeds_agreeing=agree, per_seed=[_public(r) for r in rows],
        measured=measured, elapsed_s=elapsed)
    if out_dir is not None:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        fig_path = out / f"{name}.png"
        plot(fig_path)
        result.figures = [str(fig_path)]
        json_path = out / f"{name}.json"
        result.json_path = str(json_path)
        json_path.write_text(json.dumps(result.to_dict(), indent=2))
    return result


def study_result(study: str, names: list[str], size: str = "quick",
                 out_dir: Path | str = Path("numerics/output"), seed: int = 0) -> dict[str, Any]:
    """The numerics/ contract: run the experiments ``names`` and return one JSON-able dict
    (study, title, chapter, verdict, prediction_holds, figures, and the measurements); the
    study's JSON is written to ``<out_dir>/<study>.json``."""
    results = [run_experiment(n, size, base_seed=seed, out_dir=out_dir).to_dict() for n in names]
    if len(results) == 1:
        out = dict(results[0])
    else:
        holds = [r["prediction_holds"] for r in results]
        combined = (True if all(h is True for h in holds)
                    else False if any(h is False for h in holds) else None)
        out = {"title": "; ".join(r["title"] for r in results),
               "chapter": "; ".join(r["chapter"] for r in results),
               "prediction": " | ".join(f"{r['experiment']}: {r['prediction']}" for r in results
                                        if r.get("prediction")),
               "verdict": " | ".join(f"{r['experiment']}: {r['verdict']}" for r in results),
               "prediction_holds": combined, "figures": [f for r in results for f in r["figures"]],
               "seeds_agreeing": {r["experiment"]: r["seeds_agreeing"] for r in results},
               "experiments": results}
    out["study"] = study
    path = Path(out_dir) / f"{study}.json"
    path.write_text(json.dumps(out, indent=2))
    out["json"] = str(path)
    return out
