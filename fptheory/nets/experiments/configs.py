r"""Configurations, specifications and the result type of the chapter's torch experiments.

Each experiment trains seeded nets (:mod:`fptheory.nets.mlp`), measures per-frequency
convergence (:mod:`fptheory.nets.spectral`), computes a verdict from the measured epochs and
errors with the thresholds stated in its configuration (:data:`CONFIGS`), counts the seeds that
agree, and writes a figure (the book's heat map of :math:`\Delta_F` over epochs, plus panels of
its own) and a JSON file (:class:`ExperimentResult`).

================  ==========================================================================
name              prediction (chapter)
================  ==========================================================================
tanh-ordering     small-init tanh net on sin x + sin 3x + sin 5x: the peaks converge in the
                  order 1 < 3 < 5 (§1.1.1, (1.7), Theorem 1)
ricker            Ricker activation (1.8): a = 0.3 keeps the order 1 < 3 < 5; a = 0.1 (spectral
                  peak √2/a from the engine at higher frequency) obscures it (figure 1.1)
grad-loss         L_grad (1.23) vs L_nongrad (1.22): with L_grad the high frequency converges
                  relatively earlier (figure 1.2)
large-init-1d     large vs small initialisation: larger test error and more output energy
                  above the data's highest frequency (§1.2, figures 1.3-1.4)
large-init-2d     the same on an image trained on its odd rows and columns (figure 1.5)
================  ==========================================================================

Verdict of a seed: ``True``/``False`` from the stated test, ``None`` when the data cannot
decide (e.g. the lowest frequency never converged). ``prediction_holds`` is ``True`` when
more than half of the seeds agree, ``False`` when more than half disagree, ``None``
(unknown) otherwise.

**Convergence.** A peak's epoch is the first epoch starting ``run`` consecutive epochs
with :math:`\Delta_F < \varepsilon` (complex difference, the chapter's formula; the
magnitude-only variant of the book's code is recorded alongside). The figures show the
complex :math:`\Delta_F`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp

from fptheory.core.errors import FPTheoryError
from fptheory.fourier.activations import X

__all__ = ["SIZES", "TARGET", "CONFIGS", "ExperimentSpec", "EXPERIMENTS", "ExperimentResult"]

SIZES = ("quick", "paper")
TARGET = sp.sin(X) + sp.sin(3 * X) + sp.sin(5 * X)
"""The chapter's target sin x + sin 3x + sin 5x (§1.1.1, §1.1.2); its derivative for (1.23)
comes from sympy."""

_ORDER = {"threshold": 0.1, "run": 20}
CONFIGS: dict[str, dict[str, dict[str, Any]]] = {
    "tanh-ordering": {
        "quick": {"widths": [1, 100, 100, 1], "t": 0.5, "lr": 1e-3, "epochs": 2000, "n": 64, "seeds": 3,
                  **_ORDER},
        "paper": {"widths": [1, 200, 200, 100, 1], "t": 0.5, "lr": 2e-4, "epochs": 5000, "n": 128,
                  "seeds": 5, **_ORDER},
    },
    "ricker": {
        "quick": {"widths": [1, 100, 100, 1], "t": 0.5, "lr": 1e-3, "epochs": 600, "n": 64, "seeds": 3,
                  "a_values": [0.3, 0.1], "spread_factor": 2.0, **_ORDER},
        "paper": {"widths": [1, 200, 200, 100, 1], "t": 0.5, "lr": 2e-4, "epochs": 4000, "n": 128,
                  "seeds": 5, "a_values": [0.3, 0.1], "spread_factor": 2.0, **_ORDER},
    },
    "grad-loss": {
        "quick": {"widths": [1, 100, 100, 1], "t": 0.5, "lr": 1e-3, "epochs": 2000, "n": 64, "seeds": 3,
                  "ratio_factor": 1.5, **_ORDER},
        "paper": {"widths": [1, 200, 200, 100, 1], "t": 0.5, "lr": 2e-4, "epochs": 5000, "n": 128,
                  "seeds": 5, "ratio_factor": 1.5, **_ORDER},
    },
    "large-init-1d": {
        "quick": {"widths": [1, 100, 100, 1], "std_small": 0.1, "std_large": 2.0, "lr": 1e-3,
                  "epochs": 2000, "n_train": 32, "n_test": 512, "seeds": 3, "factor": 2.0,
                  "fit_tolerance": 1e-2, **_ORDER},
        "paper": {"widths": [1, 200, 200, 100, 1], "std_small": 0.1, "std_large": 2.0, "lr": 2e-4,
                  "epochs": 6000, "n_train": 32, "n_test": 1024, "seeds": 5, "factor": 2.0,
                  "fit_tolerance": 1e-2, **_ORDER},
    },
    "large-init-2d": {
        "quick": {"widths": [2, 100, 100, 1], "std_small": 0.1, "std_large": 2.0, "lr": 1e-3,
                  "epochs": 1500, "pixels": 32, "seeds": 3, "factor": 1.5, "shells": 6},
        "paper": {"widths": [2, 200, 200, 100, 1], "std_small": 0.1, "std_large": 2.0, "lr": 5e-4,
                  "epochs": 4000, "pixels": 64, "seeds": 3, "factor": 1.5, "shells": 8},
    },
}


@dataclass(frozen=True)
class ExperimentSpec:
    name: str
    study: str  # the numerics/ script that reproduces it
    title: str
    chapter: str
    prediction: str


EXPERIMENTS: dict[str, ExperimentSpec] = {s.name: s for s in (
    ExperimentSpec("tanh-ordering", "frequency_ordering", "Frequency ordering of a small-init tanh net",
                   "§1.1.1, (1.7), Theorem 1 (1.9)",
                   "the peaks of sin x + sin 3x + sin 5x converge in the order 1 < 3 < 5"),
    ExperimentSpec("ricker", "ricker", "Ricker activation a = 0.3 vs a = 0.1", "(1.8), figure 1.1",
                   "a = 0.3: order 1 < 3 < 5; a = 0.1 (spectral peak at higher frequency): "
                   "the order is obscured (convergence epochs compressed)"),
    ExperimentSpec("grad-loss", "grad_loss", "L_nongrad vs L_grad", "(1.22)-(1.23), figure 1.2",
                   "with L_grad the high frequency converges relatively earlier (smaller e5/e1)"),
    ExperimentSpec("large-init-1d", "initialization", "Large vs small initialisation (1-D)",
                   "§1.2.1, figures 1.3-1.4",
                   "large init: larger test error and more output energy above the data's highest "
                   "frequency after training"),
    ExperimentSpec("large-init-2d", "initialization", "Large vs small initialisation (2-D image)",
                   "§1.2.2, figure 1.5",
                   "large init: larger test error on the held-out pixels and more output energy above "
                   "the training grid's Nyquist frequency"),
)}


@dataclass
class ExperimentResult:
    """What an experiment measured and concluded (JSON via :meth:`to_dict`)."""

    name: str
    study: str
    title: str
    chapter: str
    size: str
    device: str
    seeds: list[int]
    config: dict[str, Any]
    prediction: str
    verdict: str
    prediction_holds: bool | None
    seeds_agreeing: int
    per_seed: list[dict[str, Any]]
    measured: dict[str, Any]
    figures: list[str] = field(default_factory=list)
    json_path: str | None = None
    elapsed_s: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        out = {
            "experiment": self.name, "study": self.study, "title": self.title, "chapter": self.chapter,
            "size": self.size, "device": self.device, "seeds": self.seeds, "config": self.config,
            "prediction": self.prediction, "verdict": self.verdict,
            "prediction_holds": self.prediction_holds, "seeds_agreeing": self.seeds_agreeing,
            "seeds_total": len(self.seeds), "per_seed": self.per_seed, "figures": self.figures,
            "json": self.json_path, "elapsed_s": round(self.elapsed_s, 2),
        }
        out.update(self.measured)
        return _jsonable(out)


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return _jsonable(obj.tolist())
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, float | np.floating):
        v = float(obj)
        if not math.isfinite(v):
            raise FPTheoryError("a non-finite number reached an experiment's result")
        return v
    return obj


def _config(name: str, size: str, seeds: int | None) -> dict[str, Any]:
    if name not in CONFIGS:
        raise FPTheoryError(f"unknown experiment {name!r}; available: {', '.join(EXPERIMENTS)}")
    if size not in SIZES:
        raise FPTheoryError(f"unknown size {size!r}; use quick or paper")
    cfg = dict(CONFIGS[name][size])
    if seeds is not None:
        if not (isinstance(seeds, int) and 1 <= seeds <= 50):
            raise FPTheoryError(f"--seeds must be an integer from 1 to 50 (got {seeds})")
        cfg["seeds"] = seeds
    return cfg
