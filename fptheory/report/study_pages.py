r"""A numeric study's page in the report: prediction, verdict and evidence as prose, a table
of its parameters (name, value, meaning), its measured numbers, and its figures with
numbered captions that say what is plotted and what to look for.

A study may give its own captions (``captions``: a list parallel to ``figures``, or a dict
by figure file name); otherwise the caption comes from :data:`FIGURE_CAPTIONS` (the
repository's studies, by figure file stem), else from the study's title. A figure too wide
for the page at 80 % of its size (its 10 pt labels would shrink below 8 pt) is set
rotated on a page of its own.

>>> parameter_rows({"size": "quick", "config": {"lr": 0.001, "widths": [1, 100, 1]}})[1]
('config.lr', '0.001', 'learning rate of the optimiser')
"""

from __future__ import annotations

import math
import os
import struct
from pathlib import Path
from typing import Any

from .studies import CONTRACT_KEYS, StudyOutcome
from .text import escape_text, texttt

__all__ = ["PARAMETER_MEANINGS", "FIGURE_CAPTIONS", "parameter_rows", "measured_rows",
           "figure_caption", "figure_layout", "render_study"]

#: what a study parameter means, by its (flattened) key
PARAMETER_MEANINGS: dict[str, str] = {
    "size": "study size: quick (minutes) or paper (the chapter's sizes)",
    "seed": "seed of the random numbers",
    "seeds": "the seeds run, one net each",
    "device": "where torch trained the nets",
    "experiment": "the experiment's name",
    "config.widths": "layer widths: input, hidden layers, output",
    "config.t": "initial weights N(0, m^{-2t}), m the first hidden width (small t: large init)",
    "config.lr": "learning rate of the optimiser",
    "config.epochs": "training epochs",
    "config.n": "training points",
    "config.seeds": "nets trained (one per seed)",
    "config.threshold": "a peak has converged when Δ_F stays below this",
    "config.run": "for this many consecutive epochs",
    "config.ratio_factor": "L_grad must lower e5/e1 at least this many times",
    "config.a_values": "the Ricker widths a compared",
    "config.spread_factor": "a = 0.1 must spread the convergence epochs this many times more",
    "config.std_small": "standard deviation of the initial weights, small init",
    "config.std_large": "standard deviation of the initial weights, large init",
    "config.n_train": "training points",
    "config.n_test": "test points",
    "config.pixels": "image size in pixels (a side)",
    "config.shells": "radial frequency shells of Δ_F",
    "config.factor": "large init: test error and high-frequency energy at least this many "
                     "times those of small init",
    "config.fit_tolerance": "a seed counts only if both nets fit the training data to this MSE",
    "delta_xi": "frequency step of the ξ grid",
    "exclusion": "half-width of the neighbourhood of a data point not counted as off-data",
    "limit_fraction_thresholds": "off-data fraction: below the first it vanishes, above the "
                                 "second it levels off",
    "critical_band": "|α − d| closer than this is near-critical (not counted)",
    "convention": "Fourier convention",
    "initialisation_used_for_verdict": "initialisation of the net the verdict is about",
    "fhat.k1": "f̂(k1) (real, imaginary part)",
    "fhat.k2": "f̂(k2) (real, imaginary part)",
}

_PARAMETERS = frozenset(PARAMETER_MEANINGS)
# shown elsewhere on the page (the prediction, the time) or not for readers (paths, notes)
_NOT_SHOWN = frozenset({"prediction", "json", "elapsed_s", "delta_shown", "experiment",
                        "convergence_epochs_note"})

#: captions of the repository's studies' figures, by figure file stem: what is plotted, and
#: what to look for (the verdict, computed from the data, says whether it is there)
FIGURE_CAPTIONS: dict[str, str] = {
    "alpha_critical_fig1_7": "Figure 1.7 recomputed: the interpolant minimising "
        "∫⟨ξ⟩^α |F[h]|² through the data, for α below, near and above d. Look for: spikes at "
        "the data points (Dirac-like) when α < d, a smooth interpolant when α > d.",
    "alpha_critical_scaling": "The off-data fraction of the minimiser against the number of "
        "modes M, one curve per (d, α). Look for: it falls towards 0 when α < d and levels "
        "off when α > d.",
    "tanh-ordering": "Relative error Δ_F of the peaks k = 1, 3, 5 of sin x + sin 3x + sin 5x "
        "over the training epochs (one row per peak), small-init tanh net. Look for: the "
        "peak k = 1 turns dark (converges) first, then 3, then 5.",
    "grad-loss": "Δ_F of the peaks k = 1, 3, 5 over the epochs, trained with L_nongrad (1.22) "
        "and with L_grad (1.23). Look for: with L_grad the peak k = 5 converges relatively "
        "earlier (a smaller ratio e5/e1 of convergence epochs).",
    "ricker": "Δ_F of the peaks k = 1, 3, 5 over the epochs for the Ricker activation (1.8) "
        "with a = 0.3 and a = 0.1. Look for: the order 1 < 3 < 5 with a = 0.3; with a = 0.1 "
        "(spectral peak at higher frequency) the epochs close up and the order is obscured.",
    "large-init-1d": "Small against large initialisation on 1-d data: the trained outputs, the "
        "target and their spectra. Look for: the large-init output keeps energy above the "
        "data's highest frequency and misses the test points.",
    "large-init-2d": "The same on an image (matplotlib's sample photograph grace_hopper.jpg, "
        "grey) trained on its odd rows and columns: the image and one of its rows, the outputs, "
        "Δ_F per radial frequency shell. Look for: the large-init output is noisy between the "
        "training pixels.",
    "lfp_vs_nn_quick": "Figure 1.6 recomputed: the wide ReLU net (NN), the LFP model's "
        "solution and the cubic and linear splines through the training points, for the "
        "initialisations (a) and (b). Look for: in (a) NN, LFP and the cubic spline agree; "
        "in (b) the LFP model follows the linear spline.",
    "lfp_vs_nn_plain_quick": "As Figure 1.6, with the plain initialisation (the initial "
        "output not removed). Look for: the initial output's own shape added to the fit.",
    "lfp_width_quick": "Distances of the net from its kernel limit (K_full) and from the LFP "
        "model against the width. Look for: whether |NN − K_full| falls as the width grows.",
    "measure_ratio_k1_2_m4": "1 − (measure ratio of Theorem 1) against 1/δ, log scale, for "
        "k1 = 1, k2 = 2, m = 4: Monte Carlo and rare-event estimates with their intervals, "
        "the fitted exponential and the explicit bound. Look for: a straight line whose "
        "slope is the rate π(k2 − k1)/2 of the proof, half the chapter's c2.",
    "measure_ratio_k2_3_m1": "As the previous figure for k1 = 2, k2 = 3, m = 1.",
    "measure_ratio_activations": "1 − (measure ratio) against δ for tanh, sigmoid and the "
        "Ricker activation. Look for: how fast the low-frequency dominance sets in for each.",
}

_FONT_PT = 10.0  # matplotlib's default label size
_MIN_PT = 8.0
_TEXT_WIDTH_IN = 5.79  # \textwidth of the report (A4, 1 in + 0.6 cm margins)
_TEXT_HEIGHT_IN = 10.09


def _short(value: Any) -> str | None:
    """A scalar as short text, or None for what is not shown (nested data)."""
    if isinstance(value, bool) or value is None:
        return str(value).lower() if value is not None else "none"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "nan" if math.isnan(value) else f"{value:.6g}"
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)) and value and len(value) <= 8 and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
        return ", ".join(_short(v) or "" for v in value)
    return None


def _flat(result: dict[str, Any]) -> list[tuple[str, str]]:
    rows = []
    for key, value in result.items():
        if key in CONTRACT_KEYS or key in _NOT_SHOWN or key == "captions":
            continue
        items = value.items() if isinstance(value, dict) else [(None, value)]
        for sub, v in items:
            name = key if sub is None else f"{key}.{sub}"
            text = _short(v)
            if text is not None and name not in _NOT_SHOWN:
                rows.append((name, text))
    return rows


def _is_parameter(name: str) -> bool:
    return name in _PARAMETERS or name.startswith("config.")


def parameter_rows(result: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(name, value, meaning) of the study's settings: the keys of its ``config`` and the
    known settings of :data:`PARAMETER_MEANINGS` (meaning "—" where none is known)."""
    return [(k, v, PARAMETER_MEANINGS.get(k, "—")) for k, v in _flat(result) if _is_parameter(k)]


def measured_rows(result: dict[str, Any], out_dir: Path | None = None) -> list[tuple[str, str]]:
    """(name, value) of what the study measured: its scalar results beyond the contract keys
    and the parameters, nested dicts one level deep, paths in the report folder relative."""
    rows = [(k, v) for k, v in _flat(result) if not _is_parameter(k)]
    if out_dir is not None:
        root = str(out_dir.resolve()) + os.sep
        rows = [(k, v[len(root):] if v.startswith(root) else v) for k, v in rows]
    return rows


def _key(name: str) -> str:
    """A key in typewriter type that may break after its underscores and dots."""
    return texttt(name).replace(r"\char95{}", r"\char95{}\allowbreak{}").replace(".", r".\allowbreak{}")


def _display_names(names: list[str]) -> list[str]:
    """The names a reader sees: a ``config.`` key without its prefix, unless another row
    has that name (``seeds`` and ``config.seeds``)."""
    short = [n.removeprefix("config.") for n in names]
    return [s if short.count(s) == 1 else n for s, n in zip(short, names, strict=True)]


def _name_em(names: list[str], least: float = 6.0, most: float = 16.0) -> float:
    """Width in em of a column of typewriter names (a typewriter character is 0.525 em of
    the text font), wide enough that no name is split; one longer than ``most`` em may break
    at its ``_`` and ``.``."""
    longest = max((len(n) for n in names), default=0)
    return min(most, max(least, 0.525 * longest + 0.3))


def _table(header: str, rows: list[tuple[str, ...]], widths: tuple[str, ...]) -> str:
    cols = "".join(f"p{{{w}}}" for w in widths)
    body = "\n".join(" & ".join(r"\raggedright " + c for c in row) + r" \tabularnewline"
                     for row in rows)
    return ("{\\small\\begin{center}\\begin{tabular}{" + cols + "}\n\\hline\n" + header
            + " \\tabularnewline\n\\hline\n" + body + "\n\\hline\n\\end{tabular}\\end{center}}")


def figure_caption(s: StudyOutcome, index: int) -> str:
    """The caption of the study's figure ``index`` (from 0), as plain text."""
    r = s.result or {}
    source = (r.get("figures") or [])[index] if index < len(r.get("figures") or []) else ""
    given = r.get("captions")
    if isinstance(given, (list, tuple)) and index < len(given) and given[index]:
        return str(given[index])
    if isinstance(given, dict) and given.get(Path(str(source)).name):
        return str(given[Path(str(source)).name])
    stem = Path(str(source)).stem
    if stem in FIGURE_CAPTIONS:
        return FIGURE_CAPTIONS[stem]
    n = len(s.figures)
    return (f"{r.get('title') or s.name}" + (f" ({r['chapter']})" if r.get("chapter") else "")
            + (f", figure {index + 1} of {n}" if n > 1 else "") + ".")


def _png_inches(path: Path) -> tuple[float, float] | None:
    """A PNG's size in inches from its header (pixels and the pHYs resolution)."""
    try:
        data = path.read_bytes()[:4096]
    except OSError:
        return None
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    w, h = struct.unpack(">II", data[16:24])
    i = data.find(b"pHYs")
    if i < 0:
        return None
    ppm, = struct.unpack(">I", data[i + 4:i + 8])
    dpi = ppm * 0.0254
    return (w / dpi, h / dpi) if dpi > 0 else None


def figure_layout(size: tuple[float, float] | None) -> tuple[str, float]:
    """How a figure of ``size`` inches is set, and at what scale: ``"inline"`` (upright in
    the text, at most 45 % of the page's height), ``"page"`` (upright on a page of its own,
    up to 80 % of the height) or ``"turned"`` (on a page of its own, its width along the
    page's height). Inline unless its 10 pt labels would print below 8 pt and a page of its
    own sets them larger; upright on that page when that is enough or as good as turned.

    >>> figure_layout((3.0, 2.0)), figure_layout((7.2, 7.0))[0], figure_layout((10.0, 2.6))[0]
    (('inline', 1.0), 'page', 'turned')
    """
    if size is None:
        return "inline", 1.0
    w, h = size
    inline = min(1.0, _TEXT_WIDTH_IN / w, 0.45 * _TEXT_HEIGHT_IN / h)
    page = min(1.0, _TEXT_WIDTH_IN / w, 0.8 * _TEXT_HEIGHT_IN / h)
    turned = min(1.0, 0.95 * _TEXT_HEIGHT_IN / w, 0.8 * _TEXT_WIDTH_IN / h)
    if _FONT_PT * inline >= _MIN_PT or max(page, turned) < 1.05 * inline:
        return "inline", inline
    if _FONT_PT * page >= _MIN_PT or page >= turned:
        return "page", page
    return "turned", turned


def _figure(path: str, caption: str, out_dir: Path | None) -> str:
    size = _png_inches(out_dir / path) if out_dir is not None else None
    cap = r"\caption{" + escape_text(caption) + "}"
    layout, scale = figure_layout(size)
    if layout == "turned":
        # a wide row of panels: on its own page, turned, where the page's height is its width
        return (r"\begin{figure}[p]\centering\rotatebox{90}{\begin{minipage}{0.95\textheight}"
                r"\centering\includegraphics[width=\linewidth,"
                f"height={0.8 * _TEXT_WIDTH_IN:.2f}in,"  # inside the minipage \textwidth is its width
                r"keepaspectratio]{" + path + "}" + cap + r"\end{minipage}}\end{figure}")
    if layout == "page":
        # a tall grid of panels: upright, on a page of its own
        return (r"\begin{figure}[p]\centering\includegraphics[width="
                f"{scale * size[0]:.2f}in" + r"]{" + path + "}" + cap + r"\end{figure}")
    width = (r"width=\linewidth" if size is None or size[0] > _TEXT_WIDTH_IN
             else f"width={size[0]:.2f}in")
    return (r"\begin{figure}[!htbp]\centering\includegraphics[" + width
            + r",height=0.45\textheight,keepaspectratio]{" + path + "}" + cap + r"\end{figure}")


def _tables(r: dict[str, Any], out_dir: Path | None) -> list[str]:
    """The parameter table (name, value, meaning) and the table of measured numbers."""
    out = []
    params = parameter_rows(r)
    if params:
        names = _display_names([k for k, _, _ in params])
        name = f"{_name_em(names):.2f}em"
        out.append(_table("parameter & value & meaning",
                          [(_key(n), escape_text(v), escape_text(m))
                           for n, (_, v, m) in zip(names, params, strict=True)],
                          (name, "3.0cm", rf"\dimexpr\linewidth-{name}-3.0cm-6\tabcolsep\relax")))
    measured = measured_rows(r, out_dir)
    if measured:
        name = f"{_name_em([k for k, _ in measured]):.2f}em"
        out.append(_table("measured & value", [(_key(k), escape_text(v)) for k, v in measured],
                          (name, rf"\dimexpr\linewidth-{name}-4\tabcolsep\relax")))
    return out


def render_study(s: StudyOutcome, out_dir: Path | None = None) -> str:
    """A study: title, chapter references and time, the text's prediction, the verdict
    computed from the data (prose), the parameters (name, value, meaning), the measured
    numbers and the figures with numbered captions."""
    r = s.result or {}
    title = r.get("title") or s.name
    lines = [r"\subsubsection*{Study: " + escape_text(title) + r" \quad{\small("
             + texttt(s.script) + ")}}"]
    meta = []
    if r.get("chapter"):
        meta.append("chapter: " + escape_text(r["chapter"]))
    meta.append(f"{s.seconds:.1f}\\,s")
    lines.append(r"\noindent{\small " + r" \quad ".join(meta) + "}\\par\\medskip")
    if s.status != "ok":
        lines.append(r"\noindent\textbf{" + escape_text(s.status) + r":} " + escape_text(s.reason))
        if s.result is None:
            return "\n".join(lines) + "\n"
    if r.get("prediction"):
        lines.append(r"\noindent\textbf{The text predicts:} " + escape_text(r["prediction"]) + r"\par")
    holds = s.prediction_holds
    badge = {True: r"$\checkmark$\,\textbf{the text's prediction holds}",
             False: r"$\times$\,\textbf{the text's prediction does not hold}",
             None: r"\textbf{no prediction to test}"}.get(holds, "?")
    lines.append(r"\noindent\textbf{Verdict (computed from the data):} \hfill " + badge)
    lines.append(r"\begin{quote}" + escape_text(r.get("verdict", "")) + r"\end{quote}")
    if s.status == "ok" and s.reason:
        lines.append(r"\noindent{\small " + escape_text(s.reason) + "}")
    parts = [p for p in r.get("experiments") or [] if isinstance(p, dict) and p.get("experiment")]
    # a study made of several experiments: each one's settings and numbers (the study's own
    # keys only repeat them)
    lines.extend(_tables(r, out_dir) if not parts else [])
    for part in parts:
        lines.append(r"\noindent\textbf{" + escape_text(part.get("title") or "") + "} ("
                     + texttt(part["experiment"]) + ")")
        lines.extend(_tables(part, out_dir))
    for i, fig in enumerate(s.figures):
        lines.append(_figure(fig, figure_caption(s, i), out_dir))
    return "\n".join(lines) + "\n"
