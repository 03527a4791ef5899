r"""The §1.1 frequency-ordering experiments: tanh ordering (§1.1.1), Ricker a = 0.3 vs
a = 0.1 (figure 1.1) and L_grad vs L_nongrad (figure 1.2), all fitting :data:`TARGET` on a
1-D grid with per-peak :math:`\Delta_F` recorded each epoch."""

from __future__ import annotations

import functools
import json
import math
from typing import Any

import numpy as np
import sympy as sp

from fptheory.fourier.activations import X

from ..spectral import bin_frequencies, convergence_epoch, relative_error, select_peaks, uniform_grid
from .common import (
    _finite_or_none,
    _fmt,
    _increasing,
    _labels,
    _majority,
    _median,
    _spread,
    _torch_setup,
    seed_runs,
)
from .configs import TARGET
from .plots import _plot_heatmaps
from .predictions import gradient_weights, ricker_peak

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
    from ..mlp import PeakRecorder, make_mlp, train

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


def _exp_tanh(cfg, seeds, device, tick):
    runs = seed_runs(_run_ordering, cfg, seeds, device, tick)
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
        per_a[a] = seed_runs(_run_ordering, cfg, seeds, device, tick, act="ricker_chapter",
                             act_params={"a": a})
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


def _exp_grad(cfg, seeds, device, tick):
    runs = {loss: seed_runs(_run_ordering, cfg, seeds, device, tick, loss=loss)
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
