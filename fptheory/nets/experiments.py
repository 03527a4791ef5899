r"""The chapter's frequency-principle experiments in small torch nets (§1.1.1-§1.2).

Each experiment trains seeded nets (:mod:`fptheory.nets.mlp`), measures per-frequency
convergence (:mod:`fptheory.nets.spectral`), computes a verdict from the measured epochs and
errors with the thresholds stated in its configuration, counts the seeds that agree,
and writes a figure (the book's heat map of :math:`\Delta_F` over epochs, plus panels of
its own) and a JSON file. torch and matplotlib are imported only when an experiment runs.

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

**Engine prediction.** For an activation σ the gradient of the frequency-k loss through a
neuron σ(w x + b) carries :math:`|\widehat{\sigma(w\cdot+b)}(k)| = |\hat\sigma(k/w)|/|w|`
((1.2), (1.7)); averaged over the net's actual initial first-layer weights,
:math:`G(k) = \operatorname{mean}_j |\hat\sigma(k/w_j)|/|w_j|`, with :math:`\hat\sigma` the
engine's transform (:func:`fptheory.fourier.engine.fourier_transform`, angular convention). A
smaller ratio G(5)/G(1) predicts a stronger low-frequency preference. The Ricker peak
:math:`k^* = \sqrt 2/a` comes from :func:`fptheory.fourier.decay.spectral_peak`.
"""

from __future__ import annotations

import functools
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import sympy as sp

from fptheory.core.errors import FPTheoryError
from fptheory.fourier.activations import A_RICKER, X, activation

from .spectral import (
    bin_frequencies,
    convergence_epoch,
    filtered_errors,
    high_frequency_rms,
    relative_error,
    select_peaks,
    uniform_grid,
)

__all__ = ["SIZES", "EXPERIMENTS", "CONFIGS", "ExperimentSpec", "ExperimentResult", "run_experiment",
           "gradient_weights", "load_image", "TARGET"]

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


# --------------------------------------------------------------------------- predictions

@functools.lru_cache(maxsize=8)
def _transform_modulus(name: str) -> tuple[Callable, sp.Expr]:
    from fptheory.fourier.engine import K, fourier_transform

    result = fourier_transform(activation(name).expression, X)
    params = sorted(activation(name).parameters, key=lambda s: s.name)
    return sp.lambdify((K, *params), sp.Abs(result.regular), "numpy"), result


def gradient_weights(name: str, weights: np.ndarray, freqs: list[float], **params: float) -> list[float]:
    r""":math:`G(k) = \mathrm{mean}_j |\hat\sigma(k/w_j)|/|w_j|` for the registry activation
    ``name`` (engine transform, angular convention) over first-layer weights ``weights``."""
    modulus, _ = _transform_modulus(name)
    w = np.abs(np.asarray(weights, dtype=float).ravel())
    w = w[w > 0]
    values = [p for _, p in sorted(params.items())]
    with np.errstate(over="ignore", under="ignore"):
        out = [float(np.mean(np.nan_to_num(modulus(k / w, *values), nan=0.0, posinf=0.0) / w))
               for k in freqs]
    return out


def ricker_peak(a: float) -> dict[str, Any]:
    """k* = argmax |F[Ricker](k)| from the engine (:func:`fptheory.fourier.decay.spectral_peak`)."""
    from fptheory.fourier.decay import spectral_peak

    _, result = _transform_modulus("ricker_chapter")
    peak = spectral_peak(result)
    if peak is None:
        raise FPTheoryError("the engine found no spectral peak for the Ricker activation")
    return {"a": a, "k_star": float(peak.location.subs(A_RICKER, a)), "k_star_formula": str(peak.location),
            "dk_star_da": str(peak.derivatives.get("a"))}


# --------------------------------------------------------------------------- helpers

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


def _majority(flags: list[bool | None]) -> tuple[bool | None, int]:
    agree = sum(f is True for f in flags)
    disagree = sum(f is False for f in flags)
    if agree * 2 > len(flags):
        return True, agree
    if disagree * 2 > len(flags):
        return False, agree
    return None, agree


def _increasing(epochs: list[int | None]) -> bool | None:
    """Strictly increasing with 'never' read as later than the budget; None when the first
    never converged or two consecutive never did (no order to read)."""
    if epochs[0] is None:
        return None
    for lo, hi in zip(epochs[:-1], epochs[1:], strict=True):
        if lo is None and hi is None:
            return None
        if lo is None or (hi is not None and hi <= lo):
            return False
    return True


def _median(values: list[float | None]) -> float | None:
    """Lower median with None read as +∞ ('never'); None when that median is 'never'."""
    ordered = sorted(math.inf if v is None else float(v) for v in values)
    m = ordered[(len(ordered) - 1) // 2]
    return None if math.isinf(m) else m


def _labels(freqs: np.ndarray) -> list[str]:
    return [f"{f:g}" for f in np.round(freqs, 6)]


def _torch_setup(device: str):
    from .mlp import require_torch, resolve_device

    torch = require_torch()
    return torch, resolve_device(device)


_ORDERING_CACHE: dict[str, dict[str, Any]] = {}


def _run_ordering(cfg: dict[str, Any], seed: int, device: str, tick, *, act: str = "tanh",
                  act_params: dict[str, float] | None = None, loss: str = "nongrad") -> dict[str, Any]:
    """One 1-D fit of the target on the grid [-π, π) with per-peak Δ_F recorded each epoch.

    Runs are deterministic (seeded generator, fixed thread count), so an identical run
    (grad-loss's L_nongrad arm is tanh-ordering's run) is reused within a process."""
    keys = ("widths", "t", "lr", "epochs", "n", "threshold", "run")
    key = json.dumps([{k: cfg[k] for k in keys}, seed, device, act, act_params, loss], sort_keys=True)
    if key in _ORDERING_CACHE:
        if tick is not None:
            tick(cfg["epochs"])
        return dict(_ORDERING_CACHE[key])
    out = _train_ordering(cfg, seed, device, tick, act=act, act_params=act_params, loss=loss)
    if len(_ORDERING_CACHE) > 64:
        _ORDERING_CACHE.clear()
    _ORDERING_CACHE[key] = out
    return dict(out)


def _train_ordering(cfg: dict[str, Any], seed: int, device: str, tick, *, act: str,
                    act_params: dict[str, float] | None, loss: str) -> dict[str, Any]:
    from .mlp import PeakRecorder, make_mlp, train

    torch, dev = _torch_setup(device)
    n = cfg["n"]
    x = uniform_grid(n, -np.pi, np.pi)
    f = sp.lambdify(X, TARGET, "numpy")(x)
    df = sp.lambdify(X, sp.diff(TARGET, X), "numpy")(x)
    bins = select_peaks(f)
    freqs = bin_frequencies(n, 2 * np.pi)[bins]
    net = make_mlp(cfg["widths"], act, t=cfg["t"], seed=seed, device=dev, act_params=act_params)
    as_t = functools.partial(torch.as_tensor, dtype=torch.float32, device=dev)
    rec = PeakRecorder(n, list(bins), cfg["epochs"], 1, dev, torch.float32)
    res = train(net, as_t(x[:, None]), as_t(f[:, None]), epochs=cfg["epochs"], lr=cfg["lr"], loss=loss,
                dy=as_t(df[:, None]), recorder=rec, progress=tick)
    coeff, target = rec.coefficients(), np.fft.fft(f)[bins]
    delta = relative_error(coeff, target).T
    delta_mag = relative_error(coeff, target, "magnitude").T
    labels = _labels(freqs)
    ep = convergence_epoch(delta, cfg["threshold"], cfg["run"], rec.epochs())
    ep_mag = convergence_epoch(delta_mag, cfg["threshold"], cfg["run"], rec.epochs())
    return {
        "seed": seed, "labels": labels,
        "convergence_epochs": dict(zip(labels, ep, strict=True)),
        "convergence_epochs_magnitude": dict(zip(labels, ep_mag, strict=True)),
        "final_loss": float(res.losses[-1]),
        "_delta": delta, "_first_layer": net.weights[0].detach().cpu().numpy(), "_freqs": freqs,
    }


def _public(run: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in run.items() if not k.startswith("_")}


# --------------------------------------------------------------------------- experiments

def _exp_tanh(cfg, seeds, device, tick):
    runs = [_run_ordering(cfg, s, device, tick) for s in seeds]
    labels = runs[0]["labels"]
    flags = [_increasing([r["convergence_epochs"][k] for k in labels]) for r in runs]
    for r, fl in zip(runs, flags, strict=True):
        r["agrees"] = fl
    weights = gradient_weights("tanh", runs[0]["_first_layer"], list(runs[0]["_freqs"]))
    holds, agree = _majority(flags)
    med = {k: _median([r["convergence_epochs"][k] for r in runs]) for k in labels}
    verdict = (f"order {' < '.join(labels)} held in {agree}/{len(runs)} seeds; median convergence epochs "
               + ", ".join(f"k={k}: {_fmt(med[k])}" for k in labels)
               + f" (Δ_F < {cfg['threshold']} for {cfg['run']} epochs)")
    measured = {
        "convergence_epochs": {k: (None if med[k] is None else int(med[k])) for k in labels},
        "convergence_epochs_note": "lower median over seeds, 'never' (null) counted as latest",
        "convergence_epochs_by_seed": [r["convergence_epochs"] for r in runs],
        "engine_gradient_weights": dict(zip(labels, weights, strict=True)),
        "delta_shown": "complex difference |ĥ-f̂|/|f̂| (the chapter's formula)",
    }
    panels = [(f"tanh, L_nongrad (seed {runs[0]['seed']})", runs[0])]
    return runs, holds, agree, verdict, measured, lambda path: _plot_heatmaps(path, panels, cfg)


def _exp_ricker(cfg, seeds, device, tick):
    per_a: dict[float, list[dict]] = {}
    for a in cfg["a_values"]:
        per_a[a] = [_run_ordering(cfg, s, device, tick, act="ricker_chapter", act_params={"a": a})
                    for s in seeds]
    a_hi, a_lo = cfg["a_values"]
    labels = per_a[a_hi][0]["labels"]
    flags, rows = [], []
    for i, s in enumerate(seeds):
        e_hi = [per_a[a_hi][i]["convergence_epochs"][k] for k in labels]
        e_lo = [per_a[a_lo][i]["convergence_epochs"][k] for k in labels]
        sp_hi, sp_lo = _spread(e_hi), _spread(e_lo)
        ordered = _increasing(e_hi)
        if ordered is None or sp_hi is None or sp_lo is None:
            flag = None
        else:
            flag = bool(ordered and sp_hi >= cfg["spread_factor"] * sp_lo)
        flags.append(flag)
        rows.append({"seed": s, f"epochs_a={a_hi}": dict(zip(labels, e_hi, strict=True)),
                     f"epochs_a={a_lo}": dict(zip(labels, e_lo, strict=True)),
                     f"spread_a={a_hi}": sp_hi, f"spread_a={a_lo}": sp_lo,
                     f"order_a={a_hi}": ordered, f"order_a={a_lo}": _increasing(e_lo), "agrees": flag})
    holds, agree = _majority(flags)
    prediction = {}
    for a in cfg["a_values"]:
        g = gradient_weights("ricker_chapter", per_a[a][0]["_first_layer"], list(per_a[a][0]["_freqs"]), a=a)
        prediction[str(a)] = {**ricker_peak(a), "gradient_weights": dict(zip(labels, g, strict=True)),
                              "G5_over_G1": g[-1] / g[0] if g[0] > 0 else None}
    med = {a: _median([r[f"spread_a={a}"] for r in rows]) for a in cfg["a_values"]}
    verdict = (f"a={a_hi}: order {' < '.join(labels)} and spread e_max/e_min at least "
               f"{cfg['spread_factor']}x that of a={a_lo} in {agree}/{len(rows)} seeds "
               f"(median spread {_fmt(med[a_hi], 2)} vs "
               f"{_fmt(med[a_lo], 2)}; engine k* = {prediction[str(a_hi)]['k_star']:.3g} vs "
               f"{prediction[str(a_lo)]['k_star']:.3g})")
    measured = {"engine_prediction": prediction, "delta_shown": "complex difference |ĥ-f̂|/|f̂|"}
    panels = [(f"Ricker a={a} (seed {per_a[a][0]['seed']})", per_a[a][0]) for a in cfg["a_values"]]
    return rows, holds, agree, verdict, measured, lambda path: _plot_heatmaps(path, panels, cfg)


def _spread(epochs: list[int | None]) -> float | None:
    if any(e is None for e in epochs):
        return None
    return max(epochs) / max(min(epochs), 1)


def _exp_grad(cfg, seeds, device, tick):
    runs = {loss: [_run_ordering(cfg, s, device, tick, loss=loss) for s in seeds]
            for loss in ("nongrad", "grad")}
    labels = runs["nongrad"][0]["labels"]
    lo, hi = labels[0], labels[-1]
    flags, rows = [], []
    for i, s in enumerate(seeds):
        ratios = {}
        for loss in ("nongrad", "grad"):
            e = runs[loss][i]["convergence_epochs"]
            ratios[loss] = None if e[lo] is None else (math.inf if e[hi] is None else e[hi] / max(e[lo], 1))
        if ratios["nongrad"] is None or ratios["grad"] is None or (
                math.isinf(ratios["nongrad"]) and math.isinf(ratios["grad"])):
            flag = None
        else:
            flag = bool(ratios["grad"] * cfg["ratio_factor"] <= ratios["nongrad"])
        flags.append(flag)
        rows.append({"seed": s, "epochs_nongrad": runs["nongrad"][i]["convergence_epochs"],
                     "epochs_grad": runs["grad"][i]["convergence_epochs"],
                     "ratio_nongrad": _finite_or_none(ratios["nongrad"]),
                     "ratio_grad": _finite_or_none(ratios["grad"]), "agrees": flag})
    holds, agree = _majority(flags)
    med = {loss: _median([r[f"ratio_{loss}"] for r in rows]) for loss in ("nongrad", "grad")}
    verdict = (f"e{hi}/e{lo} with L_grad at most 1/{cfg['ratio_factor']} of that with L_nongrad in "
               f"{agree}/{len(rows)} seeds (median e{hi}/e{lo}: L_nongrad {_fmt(med['nongrad'], 1)}, "
               f"L_grad {_fmt(med['grad'], 1)})")
    measured = {"median_ratio": med, "delta_shown": "complex difference |ĥ-f̂|/|f̂|"}
    panels = [(f"L_{loss} (seed {runs[loss][0]['seed']})", runs[loss][0]) for loss in ("nongrad", "grad")]
    return rows, holds, agree, verdict, measured, lambda path: _plot_heatmaps(path, panels, cfg)


def _finite_or_none(v: float | None) -> float | None:
    return None if v is None or not math.isfinite(v) else float(v)


def _fmt(v: float | None, digits: int = 0) -> str:
    if v is None:
        return "never"
    return f"{v:.{digits}f}"


def _exp_large_1d(cfg, seeds, device, tick):
    from .mlp import PeakRecorder, make_mlp, train

    torch, dev = _torch_setup(device)
    target = sp.lambdify(X, TARGET, "numpy")
    x = uniform_grid(cfg["n_train"], -np.pi, np.pi)
    xt = uniform_grid(cfg["n_test"], -np.pi, np.pi)
    f, ft = target(x), target(xt)
    spec = np.abs(np.fft.fft(f))[: cfg["n_train"] // 2 + 1]
    k_data = float(np.flatnonzero(spec > 1e-3 * spec.max()).max())  # bins are angular k on [-π, π)
    cutoff = k_data + 2.0  # Hann window: main lobe ±2 bins
    window = np.hanning(cfg["n_test"])
    bins = select_peaks(f)
    as_t = functools.partial(torch.as_tensor, dtype=torch.float32, device=dev)
    rows, flags, examples = [], [], {}
    for s in seeds:
        row: dict[str, Any] = {"seed": s}
        for kind in ("small", "large"):
            net = make_mlp(cfg["widths"], "tanh", std=cfg[f"std_{kind}"], seed=s, device=dev)
            rec = PeakRecorder(cfg["n_train"], list(bins), cfg["epochs"], 1, dev, torch.float32)
            res = train(net, as_t(x[:, None]), as_t(f[:, None]), epochs=cfg["epochs"], lr=cfg["lr"],
                        x_test=as_t(xt[:, None]), recorder=rec, progress=tick)
            out = res.final_test[:, 0]
            row[kind] = {
                "train_mse": float(res.losses[-1]),
                "test_rmse": float(np.sqrt(np.mean((out - ft) ** 2))),
                "high_freq_rms": high_frequency_rms(out * window, 2 * np.pi, cutoff),
                "initial_high_freq_rms": high_frequency_rms(res.initial_test[:, 0] * window, 2 * np.pi,
                                                            cutoff),
            }
            if s == seeds[0]:
                delta = relative_error(rec.coefficients(), np.fft.fft(f)[bins]).T
                labels = _labels(bin_frequencies(cfg["n_train"], 2 * np.pi)[bins])
                examples[kind] = {"out": out, "init": res.initial_test[:, 0], "_delta": delta,
                                  "labels": labels,
                                  "convergence_epochs": dict(zip(labels, convergence_epoch(
                                      delta, cfg["threshold"], cfg["run"], rec.epochs()), strict=True))}
        sm, lg = row["small"], row["large"]
        if max(sm["train_mse"], lg["train_mse"]) > cfg["fit_tolerance"]:
            flag = None  # a net that did not fit its data says nothing about generalisation
        else:
            flag = bool(lg["test_rmse"] >= cfg["factor"] * sm["test_rmse"]
                        and lg["high_freq_rms"] >= cfg["factor"] * sm["high_freq_rms"])
        row["agrees"] = flag
        flags.append(flag)
        rows.append(row)
    holds, agree = _majority(flags)
    med = {kind: {m: float(np.median([r[kind][m] for r in rows])) for m in ("test_rmse", "high_freq_rms")}
           for kind in ("small", "large")}
    ref = high_frequency_rms(ft * window, 2 * np.pi, cutoff)
    verdict = (f"large init (std {cfg['std_large']}) vs small (std {cfg['std_small']}): test RMSE and "
               f"output RMS above k = {cutoff:g} both at least {cfg['factor']}x larger in "
               f"{agree}/{len(rows)} seeds (median test RMSE {med['large']['test_rmse']:.3g} vs "
               f"{med['small']['test_rmse']:.3g}; high-frequency RMS {med['large']['high_freq_rms']:.3g} vs "
               f"{med['small']['high_freq_rms']:.3g}, "
               f"target's own {ref:.2g})")
    measured = {"data_highest_frequency": k_data, "cutoff": cutoff, "target_high_freq_rms": ref,
                "median": med}

    def plot(path):
        _plot_large_1d(path, cfg, x, f, xt, ft, examples, cutoff)

    return rows, holds, agree, verdict, measured, plot


def load_image(pixels: int) -> np.ndarray:
    """matplotlib's bundled sample photograph ``grace_hopper.jpg`` (ships with matplotlib, no
    download) as a grey-scale ``pixels x pixels`` array: centre square crop, mean of RGB,
    block-averaged, then standardised to mean 0 and standard deviation 1."""
    import matplotlib.cbook as cbook
    import matplotlib.image as mimage

    if not (isinstance(pixels, int) and 8 <= pixels <= 256 and pixels % 2 == 0):
        raise FPTheoryError(f"image size must be an even number of pixels from 8 to 256 (got {pixels})")
    rgb = mimage.imread(cbook.get_sample_data("grace_hopper.jpg", asfileobj=False))
    grey = rgb[..., :3].astype(float).mean(axis=2)
    h, w = grey.shape
    side = min(h, w) // pixels * pixels
    top, left = (h - side) // 2, (w - side) // 2
    block = side // pixels
    img = grey[top:top + side, left:left + side].reshape(pixels, block, pixels, block).mean(axis=(1, 3))
    return (img - img.mean()) / img.std()


def _exp_large_2d(cfg, seeds, device, tick):
    from .mlp import ShellRecorder, make_mlp, train

    torch, dev = _torch_setup(device)
    n = cfg["pixels"]
    img = load_image(n)
    coords = np.linspace(-1, 1, n)
    gx, gy = np.meshgrid(coords, coords, indexing="ij")
    pts = np.stack([gx.ravel(), gy.ravel()], axis=1)
    mask = np.zeros((n, n), bool)
    mask[0::2, 0::2] = True  # the odd rows and odd columns, counted from 1, are trained on
    train_mask = mask.ravel()
    sub = (n // 2, n // 2)
    cutoff = np.pi / 2  # Nyquist of the training grid (spacing 2 pixels), in rad/pixel
    window = np.outer(np.hanning(n), np.hanning(n))
    spacing = coords[1] - coords[0]
    as_t = functools.partial(torch.as_tensor, dtype=torch.float32, device=dev)
    xt, yt = as_t(pts[train_mask]), as_t(img.ravel()[train_mask][:, None])
    rows, flags, examples = [], [], {}
    for s in seeds:
        row: dict[str, Any] = {"seed": s}
        for kind in ("small", "large"):
            net = make_mlp(cfg["widths"], "tanh", std=cfg[f"std_{kind}"], seed=s, device=dev)
            rec = ShellRecorder(sub, img[0::2, 0::2], cfg["shells"], cfg["epochs"], 1, dev, torch.float32)
            res = train(net, xt, yt, epochs=cfg["epochs"], lr=cfg["lr"], x_test=as_t(pts), recorder=rec,
                        progress=tick)
            out = res.final_test[:, 0].reshape(n, n)
            filt = filtered_errors(pts, img.ravel(), out.ravel()[None, :], [spacing**2])
            row[kind] = {
                "train_mse": float(res.losses[-1]),
                "test_rmse": float(np.sqrt(np.mean((out.ravel() - img.ravel())[~train_mask] ** 2))),
                "high_freq_rms": high_frequency_rms(out * window, n, cutoff),
                "filtered_e_low": float(filt["e_low"][0, 0]), "filtered_e_high": float(filt["e_high"][0, 0]),
            }
            if s == seeds[0]:
                examples[kind] = {"out": out, "_delta": rec.errors().T,
                                  "labels": [f"{i + 1}/{cfg['shells']}" for i in range(cfg["shells"])]}
        sm, lg = row["small"], row["large"]
        flag = bool(lg["test_rmse"] >= cfg["factor"] * sm["test_rmse"]
                    and lg["high_freq_rms"] >= cfg["factor"] * sm["high_freq_rms"])
        row["agrees"] = flag
        flags.append(flag)
        rows.append(row)
    holds, agree = _majority(flags)
    med = {kind: {m: float(np.median([r[kind][m] for r in rows]))
                  for m in ("test_rmse", "high_freq_rms", "train_mse", "filtered_e_high")}
           for kind in ("small", "large")}
    ref = high_frequency_rms(img * window, n, cutoff)
    verdict = (f"large init (std {cfg['std_large']}) vs small (std {cfg['std_small']}): held-out RMSE and "
               f"output RMS above the training Nyquist both at least {cfg['factor']}x larger in "
               f"{agree}/{len(rows)} seeds (median held-out RMSE {med['large']['test_rmse']:.3g} vs "
               f"{med['small']['test_rmse']:.3g} image std; high-frequency RMS "
               f"{med['large']['high_freq_rms']:.3g} vs {med['small']['high_freq_rms']:.3g}, image's own "
               f"{ref:.2g})")
    measured = {"image": "matplotlib sample data grace_hopper.jpg (grey, block-averaged, standardised)",
                "pixels": n, "cutoff_rad_per_pixel": cutoff, "image_high_freq_rms": ref, "median": med,
                "filter_delta": spacing**2}

    def plot(path):
        _plot_large_2d(path, cfg, img, mask, examples)

    return rows, holds, agree, verdict, measured, plot


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
    _torch_setup(device)  # fail early: torch missing, cuda absent
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


# --------------------------------------------------------------------------- figures

def _heatmap(ax, delta: np.ndarray, labels: list[str], title: str, epochs: dict[str, int | None] | None):
    from matplotlib.colors import LogNorm

    d = np.clip(np.nan_to_num(delta, nan=1.0), 1e-3, 10)
    mesh = ax.pcolormesh(np.arange(d.shape[1] + 1), np.arange(d.shape[0] + 1), d,
                         norm=LogNorm(vmin=1e-2, vmax=1.0), cmap="RdBu", shading="flat")
    ax.set_yticks(np.arange(len(labels)) + 0.5, labels)
    ax.set_ylabel("frequency k")
    ax.set_xlabel("epoch")
    ax.set_title(title, fontsize=9)
    if epochs:
        for i, lab in enumerate(labels):
            e = epochs.get(lab)
            if e is not None:
                ax.plot([e, e], [i, i + 1], color="k", lw=1.5)
    return mesh


def _plot_heatmaps(path: Path, panels: list[tuple[str, dict[str, Any]]], cfg: dict[str, Any]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(panels), 2, figsize=(10, 2.6 * len(panels)), squeeze=False)
    for row, (title, run) in zip(axes, panels, strict=True):
        mesh = _heatmap(row[0], run["_delta"], run["labels"], f"Δ_F = |ĥ-f̂|/|f̂|, {title}",
                        run["convergence_epochs"])
        fig.colorbar(mesh, ax=row[0])
        for lab, d in zip(run["labels"], run["_delta"], strict=True):
            row[1].semilogy(np.maximum(d, 1e-6), label=f"k={lab}")
        row[1].axhline(cfg["threshold"], color="k", ls=":", lw=1)
        row[1].set_xlabel("epoch")
        row[1].set_ylabel("Δ_F")
        row[1].legend(fontsize=8)
        row[1].set_title(f"black ticks / dotted: Δ_F < {cfg['threshold']} for {cfg['run']} epochs",
                         fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _plot_large_1d(path, cfg, x, f, xt, ft, examples, cutoff) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 2, figsize=(11, 6.5))
    for ax, kind in zip(axes[0], ("small", "large"), strict=True):
        ax.plot(xt, ft, color="0.6", lw=1, label="target")
        ax.plot(xt, examples[kind]["init"], color="C2", lw=0.8, alpha=0.7, label="initial output")
        ax.plot(xt, examples[kind]["out"], color="C3", lw=1.2, label="trained output")
        ax.plot(x, f, "k.", label="training data")
        ax.set_title(f"{kind} init (std {cfg['std_' + kind]})", fontsize=9)
        ax.legend(fontsize=7)
    window = np.hanning(len(xt))
    k = np.abs(bin_frequencies(len(xt), 2 * np.pi))[: len(xt) // 2]
    for kind, color in (("small", "C0"), ("large", "C3")):
        spec = np.abs(np.fft.fft(examples[kind]["out"] * window))[: len(xt) // 2] / len(xt)
        axes[1, 0].semilogy(k, spec + 1e-8, color=color, label=f"{kind} init")
    axes[1, 0].semilogy(k, np.abs(np.fft.fft(ft * window))[: len(xt) // 2] / len(xt) + 1e-8, color="0.5",
                        label="target")
    axes[1, 0].axvline(cutoff, color="k", ls=":", lw=1)
    axes[1, 0].set_xlim(0, 60)
    axes[1, 0].set_xlabel("frequency k")
    axes[1, 0].set_title("|DFT| of the trained output (Hann window); dotted: cutoff", fontsize=9)
    axes[1, 0].legend(fontsize=7)
    mesh = _heatmap(axes[1, 1], examples["large"]["_delta"], examples["large"]["labels"],
                    "Δ_F on the training grid, large init", examples["large"]["convergence_epochs"])
    fig.colorbar(mesh, ax=axes[1, 1])
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _plot_large_2d(path, cfg, img, mask, examples) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 3, figsize=(12, 7))
    vmin, vmax = img.min(), img.max()
    axes[0, 0].imshow(img, cmap="gray", vmin=vmin, vmax=vmax)
    axes[0, 0].set_title("image (grace_hopper.jpg); trained on odd rows and columns", fontsize=8)
    for ax, kind in zip(axes[0, 1:], ("small", "large"), strict=True):
        ax.imshow(examples[kind]["out"], cmap="gray", vmin=vmin, vmax=vmax)
        ax.set_title(f"output, {kind} init (std {cfg['std_' + kind]})", fontsize=9)
    row = img.shape[0] // 2  # 0-based index of an odd row (1-based): a trained row
    axes[1, 0].plot(img[row], "k.-", lw=0.8, label="image")
    for kind, color in (("small", "C0"), ("large", "C3")):
        axes[1, 0].plot(examples[kind]["out"][row], color=color, label=f"{kind} init")
    axes[1, 0].set_title(f"row {row + 1} (x direction; even columns, from 1, held out)", fontsize=9)
    axes[1, 0].legend(fontsize=7)
    for ax, kind in zip(axes[1, 1:], ("small", "large"), strict=True):
        mesh = _heatmap(ax, examples[kind]["_delta"], examples[kind]["labels"],
                        f"Δ_F per radial shell (training grid), {kind} init", None)
        ax.set_ylabel("shell (|k| / k_max)")
        fig.colorbar(mesh, ax=ax)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


# --------------------------------------------------------------------------- numerics/ scripts

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
               "verdict": " | ".join(f"{r['experiment']}: {r['verdict']}" for r in results),
               "prediction_holds": combined, "figures": [f for r in results for f in r["figures"]],
               "seeds_agreeing": {r["experiment"]: r["seeds_agreeing"] for r in results},
               "experiments": results}
    out["study"] = study
    path = Path(out_dir) / f"{study}.json"
    path.write_text(json.dumps(out, indent=2))
    out["json"] = str(path)
    return out
