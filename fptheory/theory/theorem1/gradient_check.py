r"""An independent check of the closed-form gradients of Theorem 1 (§1.1.1): the loss
(1.4) from a series, differenced.

:func:`tanh_transform_mp` sums the Mittag-Leffler (partial-fraction) series of the tanh
transform with mpmath (no sinh, no sympy), :func:`residual_mp` and :func:`loss_mp` build
D(k) and L(k) = ½|D(k)|² from it with the affine rule, and :func:`check_gradients` compares
every sympy gradient of :func:`~.gradients.gradient_expressions` (through
:func:`~.gradients.gradient_evaluator`) with a Richardson-extrapolated central difference of
:func:`loss_mp` (:class:`GradientCheck`, one :class:`GradientCheckEntry` per parameter).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import mpmath
import sympy as sp

from fptheory.core.errors import FPTheoryError

from .gradients import gradient_evaluator
from .network import KINDS, NetworkParams, _mpc, _mpf, network_symbols

__all__ = [
    "tanh_transform_mp",
    "loss_mp",
    "residual_mp",
    "GradientCheckEntry",
    "GradientCheck",
    "check_gradients",
]


def tanh_transform_mp(s: Any) -> mpmath.mpc:
    r"""The angular transform of tanh at s ≠ 0, from the Mittag-Leffler (partial-fraction)
    series, summed by mpmath (``nsum``, alternating-series acceleration) at the current
    precision:

    .. math:: \widehat{\tanh}(s) = -\frac{2i}{s}
              + 4i \sum_{n\ge1} (-1)^{n+1} \frac{s}{s^2 + 4n^2},

    which is :math:`\mathcal F[\operatorname{sign}](s) + \mathcal F[\tanh-\operatorname{sign}](s)`,
    expanding :math:`1/(e^{2x}+1) = \sum_{n\ge1}(-1)^{n+1}e^{-2nx}`. No sinh, no sympy:
    independent of the engine's closed form :math:`-i\pi\operatorname{csch}(\pi s/2)`.
    For large |s| it cancels about :math:`\pi|s|/(2\ln 10)` digits; raise the precision.

    >>> with mpmath.workdps(60):
    ...     error = tanh_transform_mp(1) - (-1j) * mpmath.pi * mpmath.csch(mpmath.pi / 2)
    >>> abs(error) < 1e-55
    True
    """
    s = _mpf(s)
    if s == 0:
        raise FPTheoryError("the tanh transform is a principal value at s = 0")
    series = mpmath.nsum(lambda n: (-1) ** (int(n) + 1) * s / (s * s + 4 * n * n),
                         [1, mpmath.inf], method="alternating")
    return mpmath.mpc(0, -2) / s + mpmath.mpc(0, 4) * series


def loss_mp(params: NetworkParams, fhat: Any, k: Any,
            _cache: dict[Any, mpmath.mpc] | None = None) -> mpmath.mpf:
    r"""L(k) = ½|Σ_j ĥ_j(k) − f̂(k)|² (1.4) at the current mpmath precision, with
    :math:`\hat h_j(k) = (a_j/|w_j|) e^{i b_j k/w_j} \widehat{\tanh}(k/w_j)` (the affine rule)
    and :func:`tanh_transform_mp`: independent of the sympy gradients."""
    return abs(residual_mp(params, fhat, k, _cache)) ** 2 / 2


def residual_mp(params: NetworkParams, fhat: Any, k: Any,
                _cache: dict[Any, mpmath.mpc] | None = None) -> mpmath.mpc:
    r"""D(k) = Σ_j ĥ_j(k) − f̂(k) at the current mpmath precision, each ĥ_j from the
    series :func:`tanh_transform_mp` (no sinh, no sympy); :func:`loss_mp` is |D|²/2."""
    k = _mpf(k)
    total = -_mpc(fhat)
    for a, w, b in zip(params.a, params.w, params.b, strict=True):
        a, w, b = _mpf(a), _mpf(w), _mpf(b)
        s = k / w
        key = (s, mpmath.mp.prec)
        if _cache is not None and key in _cache:
            t = _cache[key]
        else:
            t = tanh_transform_mp(s)
            if _cache is not None:
                _cache[key] = t
        total += a / abs(w) * mpmath.expj(b * s) * t
    return total


@dataclass
class GradientCheckEntry:
    """One parameter: the closed form, the finite difference and their relative error."""

    parameter: str
    closed_form: mpmath.mpf
    finite_difference: mpmath.mpf
    relative_error: mpmath.mpf
    extrapolation_change: mpmath.mpf  # |Richardson − central(h/2)|, relative

    @property
    def digits(self) -> float:
        """Agreeing significant digits, −log10(relative error) (inf when exact)."""
        if self.relative_error == 0:
            return math.inf
        return float(-mpmath.log10(self.relative_error))

    def to_dict(self) -> dict[str, Any]:
        return {"parameter": self.parameter,
                "closed_form": mpmath.nstr(self.closed_form, 30),
                "finite_difference": mpmath.nstr(self.finite_difference, 30),
                "relative_error": mpmath.nstr(self.relative_error, 3),
                "digits": self.digits}


@dataclass
class GradientCheck:
    """Closed-form gradients vs finite differences of :func:`loss_mp` at one point."""

    entries: list[GradientCheckEntry]
    digits: int
    dps: int
    step: str

    @property
    def min_digits(self) -> float:
        return min(e.digits for e in self.entries)

    def agrees(self, min_digits: float = 40) -> bool:
        """Every gradient agrees with its finite difference to ``min_digits`` digits."""
        return self.min_digits >= min_digits

    def relative_errors(self) -> dict[str, mpmath.mpf]:
        return {e.parameter: e.relative_error for e in self.entries}

    def to_dict(self) -> dict[str, Any]:
        return {"digits": self.digits, "dps": self.dps, "step": self.step,
                "min_digits": self.min_digits, "entries": [e.to_dict() for e in self.entries]}


def check_gradients(params: NetworkParams, fhat: Any, k: Any, digits: int = 50, *,
                    step: str = "1e-20",
                    gradients: Mapping[sp.Symbol, sp.Expr] | None = None) -> GradientCheck:
    r"""Compare every closed-form gradient with a finite difference of L(k).

    The derivative comes from differencing :func:`loss_mp` (which never sees the
    gradient formulas): central differences :math:`D(h) = (L(\theta+h) - L(\theta-h))/(2h)`
    with h = ``step`` and h/2, Richardson-extrapolated, :math:`(4D(h/2) - D(h))/3`
    (error :math:`O(h^4)`). The working precision is ``digits`` + 30, plus twice the
    digits of h (the difference cancels them), plus the digits that
    :math:`\operatorname{csch}(\pi k/2w_j)` and the series cancel, so the difference
    quotient keeps ≥ ``digits`` significant digits (in practice ≥ 75 at the default 50).
    ``gradients`` replaces the closed forms (same symbols as :func:`gradient_expressions`),
    e.g. to plant a bug.
    Returns one :class:`GradientCheckEntry` per parameter (a_j, b_j, w_j).
    """
    net = network_symbols(params.m)
    evaluator = gradient_evaluator(params.m, gradients)
    with mpmath.workdps(30):
        s_max = max(abs(_mpf(k) / _mpf(w)) for w in params.w)
        h_digits = -int(mpmath.floor(mpmath.log10(_mpf(step))))
    dps = digits + 30 + 2 * h_digits + int(mpmath.ceil(s_max * mpmath.pi / (2 * math.log(10))))
    closed = evaluator(params, fhat, k, dps)
    entries = []
    cache: dict[Any, mpmath.mpc] = {}
    with mpmath.workdps(dps):
        h = _mpf(step)
        for kind in KINDS:
            for j in range(params.m):
                name = net.kind(kind)[j].name

                def shifted(delta: mpmath.mpf, kind: str = kind, j: int = j) -> NetworkParams:
                    vals = {n: [_mpf(v) for v in getattr(params, n)] for n in KINDS}
                    vals[kind][j] += delta
                    return NetworkParams(vals["a"], vals["w"], vals["b"])

                def central(hh: mpmath.mpf) -> mpmath.mpf:
                    return (loss_mp(shifted(hh), fhat, k, cache)
                            - loss_mp(shifted(-hh), fhat, k, cache)) / (2 * hh)

                d1, d2 = central(h), central(h / 2)
                fd = (4 * d2 - d1) / 3
                g = closed[name]
                scale = max(abs(fd), abs(g))
                rel = abs(g - fd) / scale if scale else mpmath.mpf(0)
                change = abs(fd - d2) / scale if scale else mpmath.mpf(0)
                entries.append(GradientCheckEntry(name, g, fd, rel, change))
    return GradientCheck(entries, digits, dps, step)
