r"""The engine's prediction for the §1.1 experiments: gradient weights and the Ricker peak.

For an activation σ the gradient of the frequency-k loss through a neuron σ(w x + b) carries
:math:`|\widehat{\sigma(w\cdot+b)}(k)| = |\hat\sigma(k/w)|/|w|` ((1.2), (1.7)); averaged over
the net's actual initial first-layer weights,
:math:`G(k) = \operatorname{mean}_j |\hat\sigma(k/w_j)|/|w_j|`, with :math:`\hat\sigma` the
engine's transform (:func:`fptheory.fourier.engine.fourier_transform`, angular convention). A
smaller ratio G(5)/G(1) predicts a stronger low-frequency preference. The Ricker peak
:math:`k^* = \sqrt 2/a` comes from :func:`fptheory.fourier.decay.spectral_peak`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np
import sympy as sp

from fptheory.core.errors import FPTheoryError
from fptheory.fourier.activations import A_RICKER, X, activation

__all__ = ["gradient_weights", "ricker_peak"]


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
