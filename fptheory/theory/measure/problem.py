r"""Theorem 1's event on the ball B_δ: the problem, its targets, the vectorised event and the
result of one measurement.

For :math:`h(x) = \sum_{j=1}^m a_j\,\sigma(w_j x + b_j)` (σ = tanh in the chapter), a target
with transform values :math:`\hat f(k_1), \hat f(k_2)` and :math:`0 < k_1 < k_2`, Theorem 1
(1.9) is about the event

.. math:: E = \{W : |\partial L(k_1)/\partial\theta_j| > |\partial L(k_2)/\partial\theta_j|
          \ \text{for every } \theta \in \{a, b, w\},\ j = 1..m\},

for :math:`W = (w_1, ..., w_m)` uniform in the ball :math:`B_\delta \subset \mathbb R^m` (a, b
fixed). The package measures :math:`\mu(E \cap B_\delta)/\mu(B_\delta)` ("ratio") and its
complement ("failure"), as a :class:`MeasureResult`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp

from fptheory.core.errors import FPTheoryError
from fptheory.fourier.conventions import ANGULAR, FourierConvention
from fptheory.fourier.engine import fourier_transform

from ..theorem1 import uniform_in_ball
from .model import SpectrumModel, _compiled_counter, gradient_kernels, numba_available, spectrum_model

# ---------------------------------------------------------------------------------------
# the problem


@dataclass(frozen=True)
class MeasureProblem:
    """Everything fixed in Theorem 1's event: k1 < k2, f̂(k1), f̂(k2), a, b, the activation."""

    k1: float
    k2: float
    fhat1: complex
    fhat2: complex
    a: np.ndarray
    b: np.ndarray
    model: SpectrumModel
    target: str = ""

    @property
    def m(self) -> int:
        return int(self.a.size)

    @property
    def proof_rate(self) -> float:
        r"""The rate the proof's steps give for σ = tanh: π(k2 − k1)/2 (the exponential rate
        r of |σ̂| times k2 − k1 in general); ``nan`` when σ̂ does not decay exponentially."""
        if self.model.csch_rate is None:
            return math.nan
        return self.model.csch_rate * (self.k2 - self.k1)

    def to_dict(self) -> dict[str, Any]:
        return {"k1": self.k1, "k2": self.k2, "m": self.m, "a": self.a.tolist(),
                "b": self.b.tolist(), "fhat1": [self.fhat1.real, self.fhat1.imag],
                "fhat2": [self.fhat2.real, self.fhat2.imag], "target": self.target,
                **self.model.to_dict()}


def _finite(name: str, value: float) -> float:
    value = float(value)
    if not math.isfinite(value):
        raise FPTheoryError(f"{name} must be finite, got {value}")
    return value


def _vector(name: str, values: float | Sequence[float] | None, m: int,
            default: Callable[[], np.ndarray]) -> np.ndarray:
    if values is None:
        return default()
    arr = np.atleast_1d(np.asarray(values, dtype=float)).ravel()
    if arr.size == 1:
        arr = np.full(m, arr[0])
    if arr.size != m:
        raise FPTheoryError(f"--{name} needs 1 or m = {m} values, got {arr.size}")
    if not np.all(np.isfinite(arr)):
        raise FPTheoryError(f"{name} values must be finite")
    return arr


def target_values(expression: str, k1: float, k2: float,
                  convention: FourierConvention = ANGULAR) -> tuple[complex, complex]:
    """f̂(k1), f̂(k2) of a target expression in x, from the transform engine (regular part;
    the δ terms of e.g. sin x sit at ±1 and never at k1 ≠ k2 unless k_i is an atom of them,
    which is rejected)."""
    from fptheory.fourier.engine import parse_expression

    expr, x = parse_expression(expression)
    if expr.free_symbols - {x}:
        extra = sorted(map(str, expr.free_symbols - {x}))
        raise FPTheoryError(f"the target may only depend on x, got {extra}")
    result = fourier_transform(expr, x, convention)
    values = []
    for k in (k1, k2):
        kk = sp.nsimplify(k)
        for term in result.spectrum.deltas:
            if sp.simplify(term.at - kk) == 0:
                raise FPTheoryError(f"f̂ has a δ term at k = {k}: not a function value there")
        values.append(complex(result.regular_value(kk, dps=30)))
    return values[0], values[1]


#: The most neurons a problem may have (the sampled batches are 65536 × m arrays).
MAX_NEURONS = 10**6


def make_problem(*, k1: float, k2: float, m: int, a: float | Sequence[float] | None = None,
                 b: float | Sequence[float] | None = None, fhat1: complex | None = None,
                 fhat2: complex | None = None, target: str | None = None, seed: int = 0,
                 activation_name: str = "tanh", activation_parameters: Mapping[str, float] | None = None,
                 convention: FourierConvention = ANGULAR) -> MeasureProblem:
    """Validate the inputs and build a :class:`MeasureProblem`.

    Defaults when not given (documented, seeded by ``seed``): a_j ~ U[0.5, 1.5] times a
    random sign, b_j ~ U[0.5, 1.5] (the proof takes b_j > 0). The target is either an
    expression in x (transformed by the engine in ``convention``) or f̂(k1), f̂(k2).
    """
    k1, k2 = _finite("k1", k1), _finite("k2", k2)
    if k1 <= 0:
        raise FPTheoryError(f"k1 must be > 0, got {k1}")
    if k2 <= k1:
        raise FPTheoryError(f"k2 must be > k1, got k1 = {k1}, k2 = {k2}")
    if int(m) != m or m < 1:
        raise FPTheoryError(f"m must be an integer >= 1, got {m}")
    if m > MAX_NEURONS:  # Monte Carlo holds (65536 × m) float64 arrays: 10^6 is ~0.5 TB
        raise FPTheoryError(f"m = {m} neurons is more than the {MAX_NEURONS} this study can hold")
    m = int(m)
    rng = np.random.default_rng(seed)
    a_arr = _vector("a", a, m, lambda: rng.uniform(0.5, 1.5, m) * rng.choice([-1.0, 1.0], m))
    b_arr = _vector("b", b, m, lambda: rng.uniform(0.5, 1.5, m))
    if np.any(a_arr == 0):
        raise FPTheoryError("a_j = 0 makes ∂L/∂b_j and ∂L/∂w_j vanish identically: the strict "
                            "event is empty; give a_j != 0")
    if np.any(b_arr == 0):
        raise FPTheoryError("b_j = 0 puts the k1-gradient's zeros nowhere near B_δ; the proof "
                            "takes b_j != 0 (b_j > 0 w.l.o.g.)")
    if target is not None and (fhat1 is not None or fhat2 is not None):
        raise FPTheoryError("give either a target expression or f̂(k1), f̂(k2), not both")
    if target is not None:
        fhat1, fhat2 = target_values(target, k1, k2, convention)
    if fhat1 is None or fhat2 is None:
        raise FPTheoryError("give the target: an expression (--target) or both f̂(k1) and f̂(k2)")
    fhat1, fhat2 = complex(fhat1), complex(fhat2)
    for name, v in (("f̂(k1)", fhat1), ("f̂(k2)", fhat2)):
        if not (math.isfinite(v.real) and math.isfinite(v.imag)):
            raise FPTheoryError(f"{name} must be finite, got {v}")
        if v == 0:
            raise FPTheoryError(f"{name} = 0: Theorem 1 needs f̂(k1), f̂(k2) != 0")
    params = tuple(sorted((activation_parameters or {}).items()))
    model = spectrum_model(activation_name, convention, params)
    return MeasureProblem(k1, k2, fhat1, fhat2, a_arr, b_arr, model, target or "")


# ---------------------------------------------------------------------------------------
# the event, vectorised


def sample_ball(rng: np.random.Generator, n: int, m: int, radius: float | np.ndarray) -> np.ndarray:
    """n points uniform in the m-ball of the given radius (one, or one per row): theorem1's
    sampler, which the explicit theorem's Monte Carlo uses too."""
    return uniform_in_ball(rng, n, m, radius)


class _Evaluator:
    """The event's pieces for one problem: ĥ(k) sums, the M_θ and the magnitude ratio."""

    def __init__(self, problem: MeasureProblem):
        self.p = problem
        conv = problem.model.convention
        self.B = float(conv.b)
        self.neuron, self.grads, _ = gradient_kernels(conv.b)
        self.up, self.um = problem.model.unit_plus, problem.model.unit_minus

    def phases(self, t: np.ndarray, b: np.ndarray, k: float):
        arg = -self.B * b * k * t
        return np.sin(arg), np.cos(arg)

    def units(self, t: np.ndarray):
        pos = t > 0
        return (np.where(pos, self.up.real, self.um.real), np.where(pos, self.up.imag, self.um.imag))

    def parts(self, t: np.ndarray, a: np.ndarray, b: np.ndarray, *, want_log: bool = False):
        p = self.p
        mags = p.model.magnitudes(t, p.k1, p.k2, want_log=want_log)
        ur, ui = self.units(t)
        out = {"mags": mags, "ur": ur, "ui": ui}
        for i, k in ((1, p.k1), (2, p.k2)):
            sn, cs = self.phases(t, b, k)
            re, im = self.neuron(a, t, sn, cs, ur, ui)
            out[f"sn{i}"], out[f"cs{i}"] = sn, cs
            out[f"h{i}"] = (re * mags[f"mag{i}"], im * mags[f"mag{i}"])
        return out

    def m_values(self, parts: dict, i: int, dr, di, a, b, t):
        k = self.p.k1 if i == 1 else self.p.k2
        return self.grads(dr, di, parts[f"sn{i}"], parts[f"cs{i}"], parts["ur"], parts["ui"],
                          parts["mags"][f"lam{i}"], a, b, k, t)

    def residuals(self, parts: dict, axis: int = -1):
        p = self.p
        d = {}
        for i, f in ((1, p.fhat1), (2, p.fhat2)):
            re, im = parts[f"h{i}"]
            d[i] = (re.sum(axis=axis) - f.real, im.sum(axis=axis) - f.imag)
        return d

    def count_failures(self, W: np.ndarray, engine: str = "auto") -> int:
        """Rows of W where the event fails: compiled (numba, csch-type σ̂) or numpy."""
        p = self.p
        if engine == "auto":
            engine = "numba" if p.model.csch_rate is not None and numba_available() else "numpy"
        if engine == "numba":
            if p.model.csch_rate is None:
                raise FPTheoryError("the compiled kernel covers csch-type transforms only")
            count = _compiled_counter(p.model.convention.b)
            return int(count(np.ascontiguousarray(W), p.a, p.b, p.k1, p.k2, -self.B,
                             p.fhat1.real, p.fhat1.imag, p.fhat2.real, p.fhat2.imag,
                             self.up, self.um, p.model.csch_rate, p.model.csch_scale))
        return int(np.count_nonzero(~self.holds(W)))

    def holds(self, W: np.ndarray) -> np.ndarray:
        """Boolean per row of W (n, m): does every low-frequency gradient win?"""
        p = self.p
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            t = 1.0 / W
            parts = self.parts(t, p.a, p.b)
            d = self.residuals(parts)
            ok = np.ones(W.shape[0], dtype=bool)
            m1 = self.m_values(parts, 1, d[1][0][:, None], d[1][1][:, None], p.a, p.b, t)
            m2 = self.m_values(parts, 2, d[2][0][:, None], d[2][1][:, None], p.a, p.b, t)
            ratio = parts["mags"]["ratio"]
            for g1, g2 in zip(m1, m2, strict=True):
                ok &= np.all(np.abs(g1) > np.abs(g2) * ratio, axis=1)
        # w_j = 0 exactly (probability 0): the gradients vanish, the strict event fails
        ok &= np.all(W != 0, axis=1)
        return ok


def event_holds(problem: MeasureProblem, W: np.ndarray) -> np.ndarray:
    """Vectorised event of Theorem 1 at the rows of ``W`` (n × m)."""
    W = np.atleast_2d(np.asarray(W, dtype=float))
    if W.shape[1] != problem.m:
        raise FPTheoryError(f"W must have m = {problem.m} columns")
    return _Evaluator(problem).holds(W)


# ---------------------------------------------------------------------------------------
# the result of one δ


@dataclass
class MeasureResult:
    """One δ: ratio = μ(E ∩ B_δ)/μ(B_δ), failure = 1 − ratio, with an interval."""

    delta: float
    failure: float
    ci_low: float
    ci_high: float
    method: str
    samples: int
    seconds: float = 0.0
    log10_failure: float = math.nan
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return 1.0 - self.failure

    def to_dict(self) -> dict[str, Any]:
        return {"delta": self.delta, "ratio": self.ratio, "failure": self.failure,
                "log10_failure": self.log10_failure, "ci_low": self.ci_low,
                "ci_high": self.ci_high, "method": self.method, "samples": self.samples,
                "seconds": round(self.seconds, 4), **self.details}

    def _repr_markdown_(self) -> str:
        """For Jupyter: one table row, δ, 1 − ratio (as a power of ten where it is below
        float64's range), the 95 % interval, the method and the sample count."""
        failure = (f"{self.failure:.5g}" if self.failure > 0 or not math.isfinite(self.log10_failure)
                   else f"$10^{{{self.log10_failure:.4f}}}$")
        return ("| δ | 1 − ratio | 95 % interval | method | samples |\n|---|---|---|---|---|\n"
                f"| {self.delta:g} | {failure} | [{self.ci_low:.4g}, {self.ci_high:.4g}] | {self.method} "
                f"| {self.samples} |")


def _check_delta(delta: float) -> float:
    delta = float(delta)
    if not math.isfinite(delta) or delta <= 0:
        raise FPTheoryError(f"δ must be a finite number > 0, got {delta}")
    return delta
