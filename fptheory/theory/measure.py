r"""Theorem 1 measured: the fraction of the ball B_δ where every low frequency wins.

For :math:`h(x) = \sum_{j=1}^m a_j\,\sigma(w_j x + b_j)` (σ = tanh in the chapter), a target
with transform values :math:`\hat f(k_1), \hat f(k_2)` and :math:`0 < k_1 < k_2`, Theorem 1
(1.9) is about the event

.. math:: E = \{W : |\partial L(k_1)/\partial\theta_j| > |\partial L(k_2)/\partial\theta_j|
          \ \text{for every } \theta \in \{a, b, w\},\ j = 1..m\},

for :math:`W = (w_1, ..., w_m)` uniform in the ball :math:`B_\delta \subset \mathbb R^m` (a, b
fixed). This module measures :math:`\mu(E \cap B_\delta)/\mu(B_\delta)` ("ratio") and its
complement ("failure") in two independent ways:

* :func:`monte_carlo`: plain sampling with an exact Clopper-Pearson interval;
* :func:`rare_event`: the failure set is a union of thin bands in each :math:`w_j`, around the
  zeros of the :math:`k_1` gradient; each band is located by bracketing, its width solved
  from the exact event (or its linearisation when the band is below float resolution, in
  log space, so 1e-300 and smaller are reachable), weighted by the ball's geometry and
  averaged over the other coordinates conditioned on the band (a small conditional Monte
  Carlo). Validity is checked, never assumed: if the bands are not thin and isolated the
  estimator says so.

Everything numeric is generated from sympy. With :math:`\hat\sigma(\kappa) =
|\hat\sigma(\kappa)|\,U_\pm` (constant phase on each half-line), the engine's affine rule
gives :math:`\hat h_j(k) = a_j e^{-i B b_j k t_j} \hat\sigma(k t_j) |t_j|`, t = 1/w (B the
convention's b), and each gradient is :math:`|\hat\sigma(k t)|\,M_\theta(k, t)` with
:math:`M_\theta` free of the decaying factor; the event for θ is
:math:`|M_\theta(k_1)| > |M_\theta(k_2)|\,|\hat\sigma(k_2 t)|/|\hat\sigma(k_1 t)|`, where the
last ratio is evaluated without overflow (for csch-type transforms such as tanh:
:math:`e^{-r(k_2-k_1)|t|}(1-e^{-2rk_1|t|})/(1-e^{-2rk_2|t|})`).
"""

from __future__ import annotations

import functools
import math
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp
from scipy import special, stats

from fptheory.core.errors import FPTheoryError
from fptheory.fourier.activations import REGISTRY, X, activation
from fptheory.fourier.conventions import ANGULAR, FourierConvention
from fptheory.fourier.engine import K, fourier_transform

from .theorem1 import explicit_theorem1, uniform_in_ball

__all__ = [
    "SpectrumModel",
    "spectrum_model",
    "MeasureProblem",
    "make_problem",
    "MeasureResult",
    "monte_carlo",
    "rare_event",
    "measure",
    "RateFit",
    "fit_rate",
    "clopper_pearson",
    "sample_ball",
    "event_holds",
]

KAPPA = sp.Symbol("kappa", positive=True)
_T = sp.Symbol("t", real=True, nonzero=True)
_SYM = {name: sp.Symbol(name, real=True) for name in
        ("a", "b", "k", "Dr", "Di", "SN", "CS", "Ur", "Ui", "LAM", "MAG")}
KINDS = ("a", "b", "w")


# ---------------------------------------------------------------------------------------
# the activation's transform, split into magnitude and phase


@dataclass(frozen=True)
class SpectrumModel:
    r"""σ̂(κ) for one activation in one convention, split for stable numerics.

    ``sigma_hat`` is the engine's regular part (a function of κ = k/w); ``unit_plus`` and
    ``unit_minus`` its constant phase for κ > 0 and κ < 0; ``log_mag`` is
    log|σ̂(κ)| for κ > 0 (even in κ). For a csch-type transform
    :math:`\hat\sigma(\kappa) = c_0 U/\sinh(r\kappa)` (tanh, sigmoid), ``csch_rate`` = r and
    ``csch_scale`` = c_0, and the fast overflow-free path is used.
    """

    name: str
    convention: FourierConvention
    sigma_hat: sp.Expr
    unit_plus: complex
    unit_minus: complex
    log_mag: sp.Expr
    csch_rate: float | None
    csch_scale: float | None
    parameters: tuple[tuple[str, float], ...] = ()

    @functools.cached_property
    def _log_mag_fns(self) -> tuple[Callable, Callable]:
        dlog = sp.diff(self.log_mag, KAPPA)
        mods = [{"log_abs_sinh": _log_abs_sinh}, "numpy"]
        return (sp.lambdify(KAPPA, self.log_mag, modules=mods),
                sp.lambdify(KAPPA, dlog, modules=mods))

    def magnitudes(self, t: np.ndarray, k1: float, k2: float, *, want_log: bool = False
                   ) -> dict[str, np.ndarray]:
        r"""|σ̂(k_i t)| (``mag1``, ``mag2``), their ratio R = mag2/mag1, the log-derivatives
        λ_i = (log|σ̂|)'(k_i t) and, if asked, log R; float64, no overflow for any t ≠ 0."""
        at = np.abs(t)
        sgn = np.sign(t)
        out: dict[str, np.ndarray] = {}
        if self.csch_rate is not None:
            r, c0 = self.csch_rate, self.csch_scale
            mag1, mag2, ratio, lam1, lam2 = _csch_parts(r * at, sgn, k1, k2, r, c0)
            out.update(mag1=mag1, mag2=mag2, ratio=ratio, lam1=lam1, lam2=lam2)
            if want_log:
                out["log_ratio"] = _csch_log_ratio(r * at, k1, k2, r)
            return out
        log_mag, dlog = self._log_mag_fns
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):
            l1 = np.broadcast_to(log_mag(k1 * at), at.shape)
            l2 = np.broadcast_to(log_mag(k2 * at), at.shape)
            out["mag1"] = np.exp(l1)
            out["mag2"] = np.exp(l2)
            # beyond float range (|t| ~ 1e150 and more) both logs are -inf: the ratio's limit
            # is 0 there, since log R = l2 - l1 decreases without bound for decaying σ̂
            out["ratio"] = np.where(np.isneginf(l2), 0.0, np.exp(l2 - l1))
        with np.errstate(over="ignore", invalid="ignore"):
            out["lam1"] = sgn * np.broadcast_to(dlog(k1 * at), at.shape)
            out["lam2"] = sgn * np.broadcast_to(dlog(k2 * at), at.shape)
            if want_log:
                out["log_ratio"] = np.where(np.isneginf(l2), -np.inf, l2 - l1)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"activation": self.name, "convention": self.convention.name,
                "sigma_hat": str(self.sigma_hat), "parameters": dict(self.parameters),
                "csch_rate": self.csch_rate}


def _csch_parts(y, sgn, k1, k2, r, c0):
    r"""For σ̂(κ) = c0 U/sinh(rκ) at κ_i = k_i t, y = r|t|: |σ̂(κ_1)|, |σ̂(κ_2)|, their ratio R,
    λ_i = (log|σ̂|)'(κ_i) and log R, from two exponentials and without overflow:
    |csch x| = 2e^{-x}/(1 − e^{-2x}), coth x = (1 + e^{-2x})/(1 − e^{-2x}) for x > 0.
    (The values are csch-type identities of σ̂; a test checks them against sympy.)
    Plain arithmetic, so the same function runs on numpy arrays and compiled (numba)."""
    e1 = np.exp(-y * k1)
    e21 = np.exp(-y * (k2 - k1))
    e2 = e1 * e21
    q1 = e1 * e1
    q2 = e2 * e2
    one_q1 = 1.0 - q1
    one_q2 = 1.0 - q2
    return (2.0 * c0 * e1 / one_q1, 2.0 * c0 * e2 / one_q2, e21 * one_q1 / one_q2,
            -r * sgn * (1.0 + q1) / one_q1, -r * sgn * (1.0 + q2) / one_q2)


def _csch_log_ratio(y, k1, k2, r):
    """log R for :func:`_csch_parts` (the rare-event path needs it below float range)."""
    return -y * (k2 - k1) + np.log1p(-np.exp(-2 * y * k1)) - np.log1p(-np.exp(-2 * y * k2))


def _log_abs_sinh(x: Any) -> np.ndarray:
    """log|sinh x| = |x| - log 2 + log(1 - e^{-2|x|}), float64 without overflow."""
    ax = np.abs(np.asarray(x, dtype=float))
    return ax - math.log(2.0) + np.log(-np.expm1(-2.0 * ax))


class _LogAbsSinh(sp.Function):
    """Marker for log|sinh(x)| (printed to the stable numpy function above)."""


@functools.cache
def spectrum_model(name: str = "tanh", convention: FourierConvention = ANGULAR,
                   parameters: tuple[tuple[str, float], ...] = ()) -> SpectrumModel:
    r"""Derive :class:`SpectrumModel` for a registry activation from the transform engine.

    >>> model = spectrum_model("tanh")
    >>> model.sigma_hat, model.csch_rate == float(sp.pi / 2), model.unit_plus
    (-I*pi/sinh(pi*k/2), True, -1j)
    """
    if name not in REGISTRY:
        raise FPTheoryError(f"unknown activation {name!r}; choose one of {', '.join(sorted(REGISTRY))}")
    act = activation(name)
    values = dict(parameters)
    missing = [p.name for p in act.parameters if p.name not in values]
    if missing:
        raise FPTheoryError(f"activation {name} needs a value for {', '.join(missing)} "
                            f"(e.g. --act-param {missing[0]}=0.3)")
    subs = {p: sp.nsimplify(values[p.name]) for p in act.parameters}
    result = fourier_transform(act.expression.subs(subs), X, convention)
    sigma = sp.simplify(result.regular)
    if sigma == 0 or not sigma.has(K):
        raise FPTheoryError(f"the transform of {name} has no k-dependent regular part: the "
                            "gradient comparison is not defined")
    kp, kn = sp.Symbol("kp", positive=True), sp.Symbol("kn", negative=True)
    units = []
    for kk in (kp, kn):
        value = sigma.subs(K, kk)
        unit = sp.simplify(value / sp.Abs(value))
        if unit.has(kk):
            raise FPTheoryError(f"the transform of {name} does not have a constant phase on "
                                "each half-line; not supported by the measure module")
        units.append(complex(sp.N(unit, 30)))
    coef, rest = sigma.as_independent(K, as_Add=False)
    csch_rate = csch_scale = None
    if (rest.is_Pow and rest.exp == -1 and isinstance(rest.base, sp.sinh)):
        rate = sp.simplify(rest.base.args[0] / K)
        if rate.is_positive and not rate.has(K):
            csch_rate, csch_scale = float(rate), float(sp.Abs(coef))
    mag = sp.Abs(sigma.subs(K, KAPPA))
    log_mag = sp.expand_log(sp.log(sp.simplify(mag)), force=True)
    log_mag = log_mag.replace(lambda e: isinstance(e, sp.log) and isinstance(e.args[0], sp.sinh),
                              lambda e: _LogAbsSinh(e.args[0].args[0]))
    log_mag = log_mag.replace(lambda e: isinstance(e, sp.log) and isinstance(e.args[0], sp.csch),
                              lambda e: -_LogAbsSinh(e.args[0].args[0]))
    log_mag = log_mag.replace(_LogAbsSinh, sp.Function("log_abs_sinh"))
    if log_mag.has(sp.sinh, sp.csch, sp.cosh):
        raise FPTheoryError(f"could not write log|σ̂| of {name} in a stable form: {log_mag}")
    return SpectrumModel(name, convention, sigma, units[0], units[1], log_mag, csch_rate,
                         csch_scale, tuple(sorted(values.items())))


# ---------------------------------------------------------------------------------------
# the gradients, derived once by sympy


@functools.cache
def gradient_kernels(convention_b: sp.Expr) -> tuple[Callable, Callable, dict[str, sp.Expr]]:
    r"""Generate the numeric kernels from sympy, for a convention with kernel e^{iBkx}.

    ``neuron(a, t, SN, CS, Ur, Ui) -> (Re, Im)`` of :math:`\hat h_j(k)/|\hat\sigma(kt)|`;
    ``gradients(Dr, Di, SN, CS, Ur, Ui, LAM, a, b, k, t) -> (M_a, M_b, M_w)`` with
    :math:`\partial L(k)/\partial\theta = |\hat\sigma(kt)|\,M_\theta`. SN, CS are sin and cos
    of the phase -B b k t; LAM = (log|σ̂|)'(kt). Also returns the sympy expressions.
    """
    s, lam_f = sp.Function("s"), sp.Function("lam")
    a, b, k = _SYM["a"], _SYM["b"], _SYM["k"]
    w = sp.Symbol("w", real=True, nonzero=True)
    B = sp.sympify(convention_b)
    h = a * sp.exp(-sp.I * B * b * k / w) * s(k / w) / sp.Abs(w)
    Dr, Di, SN, CS, Ur, Ui, LAM, MAG = (_SYM[n] for n in ("Dr", "Di", "SN", "CS", "Ur", "Ui",
                                                          "LAM", "MAG"))
    unit = Ur + sp.I * Ui
    phase = CS + sp.I * SN

    def structured(expr: sp.Expr) -> sp.Expr:
        expr = expr.doit()
        expr = expr.replace(lambda e: isinstance(e, sp.Subs),
                            lambda e: s(e.point[0]) * lam_f(e.point[0]))
        expr = expr.replace(lambda e: isinstance(e, sp.Derivative),
                            lambda e: s(e.args[0].args[0]) * lam_f(e.args[0].args[0]))
        expr = expr.subs({s(k / w): MAG * unit, lam_f(k / w): LAM})
        expr = expr.subs(sp.exp(-sp.I * B * b * k / w), phase)
        expr = expr.subs(w, 1 / _T)
        return sp.expand(expr)

    dconj = Dr - sp.I * Di
    grads = {}
    for kind, theta in (("a", a), ("b", b), ("w", w)):
        dh = structured(sp.diff(h, theta))
        if dh.has(s, lam_f, sp.exp, sp.Derivative):
            raise AssertionError(f"∂ĥ/∂{kind} did not reduce: {dh}")
        g = sp.expand_complex(sp.re(sp.expand(dconj * dh)))
        grads[kind] = sp.simplify(sp.expand(g / MAG))
        if grads[kind].has(MAG):
            raise AssertionError(f"|σ̂| did not factor out of ∂L/∂{kind}")
    hj = sp.expand(structured(h) / MAG)
    neuron_args = [a, _T, SN, CS, Ur, Ui]
    neuron = sp.lambdify(neuron_args, [sp.re(hj), sp.im(hj)], modules="numpy", cse=True)
    grad_args = [Dr, Di, SN, CS, Ur, Ui, LAM, a, b, k, _T]
    gradients = sp.lambdify(grad_args, [grads[kk] for kk in KINDS], modules="numpy", cse=True)
    exprs = {"neuron": hj, **{f"M_{kk}": grads[kk] for kk in KINDS}}
    return neuron, gradients, exprs


def numba_available() -> bool:
    """Whether the optional compiled Monte Carlo kernel can be used (``pip install numba``)."""
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


@functools.cache
def _compiled_counter(convention_b: sp.Expr) -> Callable:
    """A numba-compiled failure counter for csch-type activations, fused over samples and
    neurons: the scalar kernels are the same sympy expressions as :func:`gradient_kernels`,
    printed for the ``math`` module and compiled; the magnitudes are :func:`_csch_parts`."""
    import numba

    _, _, exprs = gradient_kernels(convention_b)
    y = _SYM
    hj = exprs["neuron"]
    neuron = numba.njit(sp.lambdify([y["a"], _T, y["SN"], y["CS"], y["Ur"], y["Ui"]],
                                    (sp.re(hj), sp.im(hj)), modules="math", cse=True))
    grad_args = [y[n] for n in ("Dr", "Di", "SN", "CS", "Ur", "Ui", "LAM", "a", "b", "k")] + [_T]
    grads = numba.njit(sp.lambdify(grad_args, tuple(exprs[f"M_{kk}"] for kk in KINDS),
                                   modules="math", cse=True))
    parts = numba.njit(_csch_parts)

    @numba.njit(cache=False, fastmath=True)
    def count(W, a, b, k1, k2, phase_scale, fr1, fi1, fr2, fi2, unit_plus, unit_minus, r, c0):
        n, m = W.shape
        sn1, cs1 = np.empty(m), np.empty(m)
        sn2, cs2 = np.empty(m), np.empty(m)
        tt, ratio = np.empty(m), np.empty(m)
        lam1, lam2 = np.empty(m), np.empty(m)
        ur, ui = np.empty(m), np.empty(m)
        failures = 0
        for i in range(n):
            d1r, d1i, d2r, d2i = -fr1, -fi1, -fr2, -fi2
            zero = False
            for j in range(m):
                if W[i, j] == 0.0:
                    zero = True
                    break
                t = 1.0 / W[i, j]
                tt[j] = t
                sgn = 1.0 if t > 0 else -1.0
                u = unit_plus if t > 0 else unit_minus
                ur[j], ui[j] = u.real, u.imag
                x1 = phase_scale * b[j] * k1 * t
                x2 = phase_scale * b[j] * k2 * t
                sn1[j], cs1[j] = math.sin(x1), math.cos(x1)
                sn2[j], cs2[j] = math.sin(x2), math.cos(x2)
                mag1, mag2, ratio[j], lam1[j], lam2[j] = parts(r * abs(t), sgn, k1, k2, r, c0)
                hr, hi = neuron(a[j], t, sn1[j], cs1[j], ur[j], ui[j])
                d1r += hr * mag1
                d1i += hi * mag1
                hr, hi = neuron(a[j], t, sn2[j], cs2[j], ur[j], ui[j])
                d2r += hr * mag2
                d2i += hi * mag2
            if zero:
                failures += 1
                continue
            for j in range(m):
                g1 = grads(d1r, d1i, sn1[j], cs1[j], ur[j], ui[j], lam1[j], a[j], b[j], k1, tt[j])
                g2 = grads(d2r, d2i, sn2[j], cs2[j], ur[j], ui[j], lam2[j], a[j], b[j], k2, tt[j])
                if not (abs(g1[0]) > abs(g2[0]) * ratio[j] and abs(g1[1]) > abs(g2[1]) * ratio[j]
                        and abs(g1[2]) > abs(g2[2]) * ratio[j]):
                    failures += 1
                    break
        return failures

    return count


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
# Monte Carlo


def clopper_pearson(failures: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Exact binomial interval for a proportion (Clopper-Pearson), from scipy's
    ``binomtest(...).proportion_ci(method="exact")``.

    >>> lo, hi = clopper_pearson(0, 1000)
    >>> lo, round(hi, 5)
    (0.0, 0.00368)
    """
    ci = stats.binomtest(int(failures), int(n)).proportion_ci(confidence_level=confidence,
                                                             method="exact")
    return float(ci.low), float(ci.high)


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


def _progress(total: int, description: str, enabled: bool):
    if not enabled or not sys.stderr.isatty():
        return None
    from rich.progress import Progress

    progress = Progress(transient=True)
    progress.start()
    return progress, progress.add_task(description, total=total)


def samples_for_precision(failure_guess: float, rel_precision: float,
                          confidence: float = 0.95) -> int:
    """n with z·sqrt((1−p)/(n p)) ≤ rel_precision (normal approximation to the CI)."""
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    p = min(max(failure_guess, 1e-300), 1.0)
    return int(math.ceil(z * z * (1 - p) / (p * rel_precision**2)))


def monte_carlo(problem: MeasureProblem, delta: float, *, samples: int | None = None,
                rel_precision: float = 0.1, max_samples: int = 20_000_000, batch: int = 65536,
                seed: int = 0, progress: bool = False, engine: str = "auto") -> MeasureResult:
    """Plain Monte Carlo with a Clopper-Pearson 95 % interval for the failure fraction.

    Without ``samples``, a pilot of 2^16 points estimates the failure and the count is
    chosen for ``rel_precision`` (capped by ``max_samples``; the interval then says what
    was reached). Memory is constant: batches of ``batch`` points. ``engine``: ``numba``
    (compiled, csch-type activations; needs the optional numba), ``numpy``, or ``auto``.
    """
    delta = _check_delta(delta)
    rng = np.random.default_rng(seed)
    ev = _Evaluator(problem)
    start = time.perf_counter()
    failures = done = 0
    target = samples
    if target is None:
        pilot = 1 << 16
        failures = ev.count_failures(sample_ball(rng, pilot, problem.m, delta), engine)
        done = pilot
        guess = max(failures, 1) / pilot
        target = min(max_samples, max(pilot, samples_for_precision(guess, rel_precision)))
    if target < 1:
        raise FPTheoryError(f"samples must be >= 1, got {target}")
    bar = _progress(target, f"MC δ={delta:g}", progress)
    try:
        while done < target:
            n = min(batch, target - done)
            failures += ev.count_failures(sample_ball(rng, n, problem.m, delta), engine)
            done += n
            if bar:
                bar[0].update(bar[1], completed=done)
    finally:
        if bar:
            bar[0].stop()
    lo, hi = clopper_pearson(failures, done)
    p = failures / done
    used = engine if engine != "auto" else (
        "numba" if problem.model.csch_rate is not None and numba_available() else "numpy")
    return MeasureResult(delta, p, lo, hi, "mc", done, time.perf_counter() - start,
                         math.log10(p) if p > 0 else -math.inf,
                         {"failures": failures, "confidence": 0.95, "engine": used})


def _check_delta(delta: float) -> float:
    delta = float(delta)
    if not math.isfinite(delta) or delta <= 0:
        raise FPTheoryError(f"δ must be a finite number > 0, got {delta}")
    return delta


# ---------------------------------------------------------------------------------------
# the rare-event estimator


def _log_ball_volume(n: int, radius: np.ndarray | float) -> np.ndarray:
    """log of the volume of the n-ball (n ≥ 0; the 0-ball has volume 1)."""
    radius = np.asarray(radius, dtype=float)
    with np.errstate(divide="ignore"):
        return (n / 2) * math.log(math.pi) - special.gammaln(n / 2 + 1) + n * np.log(radius)


class RareEventError(FPTheoryError):
    """The band structure the estimator relies on does not hold at this δ."""


def _bisect(fn: Callable[[np.ndarray], np.ndarray], lo: np.ndarray, hi: np.ndarray,
            steps: int = 46) -> np.ndarray:
    """Vectorised bisection for sign changes of fn on [lo, hi] (fn(lo)·fn(hi) < 0)."""
    flo = fn(lo)
    for _ in range(steps):
        mid = 0.5 * (lo + hi)
        fm = fn(mid)
        left = np.sign(fm) == np.sign(flo)
        lo = np.where(left, mid, lo)
        flo = np.where(left, fm, flo)
        hi = np.where(left, hi, mid)
    return 0.5 * (lo + hi)


def _secant_then_bisect(fn, x0: np.ndarray, lo: np.ndarray, hi: np.ndarray, h: np.ndarray,
                        steps: int = 7, tol: float = 1e-13, ftol: float = 0.0) -> np.ndarray:
    """Zero of fn in [lo, hi] (a sign change there), starting from x0: secant steps (fn is
    close to linear near its zero), then bisection for any element that did not settle."""
    xa, xb = x0 - h, x0 + h
    fa, fb = fn(xa), fn(xb)
    for _ in range(steps):
        with np.errstate(divide="ignore", invalid="ignore"):
            step = np.where(fb != fa, fb * (xb - xa) / (fb - fa), 0.0)  # converged: stay
        xn = np.clip(xb - np.where(np.isfinite(step), step, 0.0), lo, hi)
        xa, fa = xb, fb
        xb, fb = xn, fn(xn)
    settled = (np.abs(xb - xa) <= tol * np.maximum(np.abs(xb), 1.0)) | (np.abs(fb) <= ftol)
    if np.all(settled):
        return xb
    idx = np.nonzero(~settled)

    def on_subset(x_sub: np.ndarray) -> np.ndarray:
        full = xb.copy()  # fn works on the full shape; the settled elements ride along
        full[idx] = x_sub
        return fn(full)[idx]

    out = xb.copy()
    out[idx] = _bisect(on_subset, lo[idx], hi[idx])
    return out


def rare_event(problem: MeasureProblem, delta: float, *, conditional_samples: int = 32,
               rel_tol: float = 0.1, seed: int = 0, max_band_fraction: float = 0.02,
               max_conditional_samples: int = 1024) -> MeasureResult:
    r"""Failure fraction 1 − ratio from the band structure, accurate far below MC's reach.

    1. For each neuron j, θ ∈ {a, b, w} and sign of w_j, the zeros t_n of the k1-gradient
       factor :math:`M_\theta(k_1; t)` (t = 1/w_j, |t| ≥ 1/δ) are bracketed on a grid (16
       points per zero spacing π/(|B| b_j k_1)) and bisected, with the other neurons at
       w = 0. Every grid point inside the ball where the event fails must lie next to such a
       zero (else :class:`RareEventError`: the failure set is not a union of thin bands).
    2. Around each zero the failure band :math:`|M_\theta(k_1)| \le |M_\theta(k_2)|\,R` has
       half-widths solved from the exact event by bisection in log s, or, when s is below
       1e-6 of the spacing (float64 cannot resolve the band), from the linearisation
       s = |M_θ(k2)| R/|∂_t M_θ(k1)| in log space (relative error ≲ 1e-6 there).
    3. Given w_j in band n, the other coordinates are uniform in the (m−1)-ball of radius
       :math:`\sqrt{\delta^2 - w_j^2}`: the band's measure is
       :math:`V_{m-1}(R_n)/V_m(\delta)\,E[\ell_n]`, with W_{-j} drawn uniformly in the
       (m−1)-ball of radius R_n ≥ that (the band's own clipping to the ball is exact), the
       zero re-bracketed with the full residual, and ℓ_n its w-length. The draws per band
       start at ``conditional_samples`` and double until the total relative error below is
       at most ``rel_tol`` (up to ``max_conditional_samples``).
    4. The smallest bands (frozen estimate) are dropped while their summed share stays
       below rel_tol/100 (that share is part of the error); different (j, θ)
       bands are disjoint, and the union over j overcounts by the pairwise overlaps ≲ P².

    The reported interval (95 %) is estimate·(1 ± rel_error), rel_error = 2 standard errors +
    overlap bound + twice the dropped bands' estimated share + 1e-6 (linearisation).
    """
    delta = _check_delta(delta)
    p = problem
    ev = _Evaluator(p)
    rng = np.random.default_rng(seed)
    start = time.perf_counter()
    frozen = _frozen_bands(ev, delta, max_band_fraction)
    if frozen["t"].size == 0:
        raise RareEventError(f"no failure band found in B_δ at δ = {delta:g}")
    est = frozen["log_est"]
    # drop the smallest bands while their (frozen) estimated share stays below rel_tol/100
    if not np.isfinite(np.max(est)):
        raise RareEventError(f"no failure band inside B_δ at δ = {delta:g}")
    shares = np.exp(est - special.logsumexp(est))
    order = np.argsort(shares)
    cumulative = np.cumsum(shares[order])
    keep = np.ones(est.size, dtype=bool)
    keep[order[cumulative <= rel_tol / 100]] = False
    log_dropped = float(special.logsumexp(est[~keep])) if np.any(~keep) else -math.inf
    bands = {key: value[keep] for key, value in frozen.items()}
    log_vm = float(_log_ball_volume(p.m, delta))
    n_c = conditional_samples if p.m > 1 else 1
    region = None
    if p.m > 1:
        # pilot: how far do the bands move with the other coordinates? The conditional
        # draws then use a region 20x that (never more than a quarter spacing): a tighter
        # region means a smaller (m-1)-ball to draw from and fewer wasted draws.
        reach = _conditional_bands(ev, bands, delta, 8, rng, refine=False)[4]
        region = np.minimum(bands["spacing"] / 4, 20 * reach + 1e-12 * np.abs(bands["t"]))
    while True:
        try:
            log_len, log_w, frac, n_lin, _ = _conditional_bands(ev, bands, delta, n_c, rng, region)
        except _RegionTooSmall:
            if region is None:
                raise
            region = None
            continue
        if frac > max_band_fraction:
            raise RareEventError(
                f"rare-event estimator not valid at δ = {delta:g}: failure bands are not thin "
                f"(band/spacing up to {frac:.2g} > {max_band_fraction:g}); use MC")
        with np.errstate(divide="ignore"):
            log_mean = special.logsumexp(log_len, axis=1) - math.log(n_c)
        log_terms = log_w - log_vm + log_mean
        log_p = float(special.logsumexp(log_terms))
        if not math.isfinite(log_p):
            raise RareEventError(f"every failure band fell outside the ball at δ = {delta:g}")
        rel_se = 0.0
        if n_c > 1:
            finite = np.isfinite(log_mean)
            lens = np.zeros_like(log_len)
            lens[finite] = np.exp(log_len[finite] - log_mean[finite, None])
            rel_var = np.var(lens, axis=1, ddof=1) / n_c
            shares = np.exp(log_terms - log_p)
            rel_se = float(math.sqrt(np.sum(shares**2 * rel_var)))
        overlap = min(1.0, math.exp(log_p))
        dropped = math.exp(log_dropped - log_vm - log_p)  # relative to the estimate itself
        rel_err = 2 * rel_se + overlap + 2 * dropped + 1e-6  # dropped: a frozen estimate, x2
        if rel_err <= rel_tol or n_c >= max_conditional_samples:
            break
        n_c *= 2
    failure = math.exp(log_p)
    return MeasureResult(
        delta, failure, failure * max(0.0, 1 - rel_err), failure * (1 + rel_err), "rare",
        int(n_c * bands["t"].size), time.perf_counter() - start, log_p / math.log(10),
        {"bands": int(bands["t"].size), "rel_error": rel_err, "rel_se": rel_se,
         "conditional_samples_per_band": n_c, "max_band_over_spacing": frac,
         "linearised_band_fraction": n_lin / log_len.size, "dropped_bands": int(np.sum(~keep)),
         "error_model": "2 standard errors of the conditional averages + union overlap "
                        "(<= failure) + 2 x dropped bands' share + linearisation (<= 1e-6)"})


def _flat_parts(ev: _Evaluator, t, a, b, kind, d_other):
    """M_θ(k1), M_θ(k2) (θ = ``kind`` per element) and log R at t = 1/w for one neuron per
    element (a, b per element), the residual being ĥ_j(k; t) + d_other[i] (the rest)."""
    parts = ev.parts(t, a, b, want_log=True)
    res = {i: (parts[f"h{i}"][0] + d_other[i][0], parts[f"h{i}"][1] + d_other[i][1])
           for i in (1, 2)}
    out = []
    for i in (1, 2):
        m = np.stack(np.broadcast_arrays(*ev.m_values(parts, i, *res[i], a, b, t)))
        out.append(np.take_along_axis(m, kind[None], 0)[0])
    return out[0], out[1], parts["mags"]["log_ratio"]


def _frozen_bands(ev: _Evaluator, delta: float, max_band_fraction: float) -> dict[str, np.ndarray]:
    """Zeros of every M_θ(k1; t_j) with the other neurons at w = 0, and each band's frozen
    log-measure estimate (used to drop negligible bands)."""
    p = ev.p
    decay = _decay_per_t(ev, delta)
    segs_t, segs_j, segs_sp = [], [], []
    for j in range(p.m):
        spacing = math.pi / (abs(ev.B) * abs(p.b[j]) * p.k1)
        t0 = max(1.0 / delta - spacing / 2, 0.5 / delta)
        t_max = 1.0 / delta + max(6 * spacing, (40.0 + p.m) / decay)
        n = int(math.ceil((t_max - t0) / (spacing / 16))) + 1
        if n > 200_000:
            raise RareEventError(f"|σ̂(k2 t)|/|σ̂(k1 t)| decays too slowly at δ = {delta:g} "
                                 f"(rate {decay:.3g} per unit of 1/w): no rare-event regime; use MC")
        grid = np.linspace(t0, t_max, n)
        for sgn in (1.0, -1.0):
            segs_t.append(sgn * grid)
            segs_j.append(np.full(n, j))
            segs_sp.append(np.full(n, spacing))
    seg_id = np.concatenate([np.full(t.size, i) for i, t in enumerate(segs_t)])
    t = np.concatenate(segs_t)
    jj = np.concatenate(segs_j)
    spacing = np.concatenate(segs_sp)
    a, b = p.a[jj], p.b[jj]
    base = {i: (np.full(t.shape, -f.real), np.full(t.shape, -f.imag))
            for i, f in ((1, p.fhat1), (2, p.fhat2))}
    found: dict[str, list[np.ndarray]] = {key: [] for key in ("t", "j", "kind", "spacing")}
    parts = ev.parts(t, a, b, want_log=True)
    res = {i: (parts[f"h{i}"][0] + base[i][0], parts[f"h{i}"][1] + base[i][1]) for i in (1, 2)}
    m1_all = np.broadcast_arrays(*ev.m_values(parts, 1, *res[1], a, b, t))
    m2_all = np.broadcast_arrays(*ev.m_values(parts, 2, *res[2], a, b, t))
    log_r = parts["mags"]["log_ratio"]
    for kind in range(3):
        m1, m2 = m1_all[kind], m2_all[kind]
        change = np.nonzero((np.sign(m1[:-1]) * np.sign(m1[1:]) < 0) & (seg_id[:-1] == seg_id[1:]))[0]
        zeros = np.zeros(0)
        if change.size:
            sel = change
            lo, hi = np.minimum(t[sel], t[sel + 1]), np.maximum(t[sel], t[sel + 1])
            sub = {i: (base[i][0][sel], base[i][1][sel]) for i in (1, 2)}
            ksel = np.full(sel.size, kind)

            def fn(x, a=a[sel], b=b[sel], ksel=ksel, sub=sub):
                return _flat_parts(ev, x, a, b, ksel, sub)[0]

            # linear interpolation between the grid points starts the secant steps
            x0 = lo - m1[sel] * (hi - lo) / (m1[sel + 1] - m1[sel]) * np.sign(t[sel + 1] - t[sel])
            x0 = np.clip(np.where(t[sel + 1] > t[sel], t[sel] - m1[sel] * (t[sel + 1] - t[sel])
                                  / (m1[sel + 1] - m1[sel]), x0), lo, hi)
            zeros = _secant_then_bisect(fn, x0, lo, hi, (hi - lo) * 1e-3)
            found["t"].append(zeros)
            found["j"].append(jj[sel])
            found["kind"].append(ksel)
            found["spacing"].append(spacing[sel])
        with np.errstate(divide="ignore"):
            fail = (np.log(np.abs(m1)) <= np.log(np.abs(m2)) + log_r) & (np.abs(t) >= 1.0 / delta)
        if np.any(fail):
            _check_failures_near_zeros(t[fail], seg_id[fail], spacing[fail], zeros,
                                       seg_id[change] if change.size else np.zeros(0, int), delta)
    if not found["t"]:
        return {key: np.zeros(0) for key in ("t", "j", "kind", "spacing", "log_est")}
    bands = {key: np.concatenate(value) for key, value in found.items()}
    bands["j"] = bands["j"].astype(int)
    bands["kind"] = bands["kind"].astype(int)
    inside = 1.0 / (np.abs(bands["t"]) + bands["spacing"] / 4) < delta
    bands = {key: value[inside] for key, value in bands.items()}
    base = {i: (np.full(bands["t"].shape, -f.real), np.full(bands["t"].shape, -f.imag))
            for i, f in ((1, p.fhat1), (2, p.fhat2))}
    log_s, _ = _linear_halfwidth(ev, bands, base, bands["t"])
    # the frozen band's measure in the ball: its w-interval clipped to |w| <= δ (m = 1), or its
    # length times the (m-1)-volume left at its inner edge (m > 1); a band outside gets -inf
    at = np.abs(bands["t"])
    s_lin = np.minimum(np.exp(log_s), 0.5 * at)
    w_inner, w_outer = 1.0 / (at + s_lin), 1.0 / (at - s_lin)
    with np.errstate(divide="ignore"):
        length = np.log(np.maximum(np.minimum(w_outer, delta) - w_inner, 0.0))
        tiny = w_outer <= delta  # wholly inside: the linear length keeps its precision
        length = np.where(tiny, math.log(2.0) + log_s - 2 * np.log(at), length)
        radius = np.sqrt(np.maximum(delta**2 - w_inner**2, 0.0))
        bands["log_est"] = (_log_ball_volume(p.m - 1, radius) if p.m > 1 else 0.0) + length
    return bands


def _check_failures_near_zeros(t_fail, seg_fail, spacing_fail, zeros, seg_zeros, delta):
    if t_fail.size > 10_000:
        raise RareEventError(f"the event fails on a large part of the grid at δ = {delta:g}: "
                             "no rare-event regime; use MC")
    for seg in np.unique(seg_fail):
        tf = t_fail[seg_fail == seg]
        zs = zeros[seg_zeros == seg]
        sp_ = spacing_fail[seg_fail == seg][0]
        if zs.size == 0 or np.any(np.min(np.abs(tf[:, None] - zs[None, :]), axis=1) > sp_ / 8):
            raise RareEventError(f"rare-event estimator not valid at δ = {delta:g}: the event "
                                 "fails away from every band (the bands are not thin); use MC")


def _linear_halfwidth(ev: _Evaluator, bands, d_other, tz):
    """log of s = |M_θ(k2)| R/|∂_t M_θ(k1)| at the zeros tz (central difference, h =
    1e-6 of the spacing), and M's slope."""
    a, b = ev.p.a[bands["j"]], ev.p.b[bands["j"]]
    a = np.broadcast_to(a.reshape(a.shape + (1,) * (tz.ndim - 1)), tz.shape)
    b = np.broadcast_to(b.reshape(b.shape + (1,) * (tz.ndim - 1)), tz.shape)
    kind = np.broadcast_to(bands["kind"].reshape(bands["kind"].shape + (1,) * (tz.ndim - 1)), tz.shape)
    sp_ = np.broadcast_to(bands["spacing"].reshape(bands["spacing"].shape + (1,) * (tz.ndim - 1)),
                          tz.shape)
    h = sp_ * 1e-6
    up = _flat_parts(ev, tz + h, a, b, kind, d_other)[0]
    down = _flat_parts(ev, tz - h, a, b, kind, d_other)[0]
    slope = np.abs(up - down) / (2 * h)
    _, m2, log_r = _flat_parts(ev, tz, a, b, kind, d_other)
    with np.errstate(divide="ignore"):
        return np.log(np.abs(m2)) + log_r - np.log(slope), slope


def _decay_per_t(ev: _Evaluator, delta: float) -> float:
    """−d log R/d|t| at the edge (≈ r (k2 − k1) for csch type), positive; used for ranges."""
    p = ev.p
    t = np.array([1.0 / delta, 1.0 / delta + 1.0])
    lr = p.model.magnitudes(t, p.k1, p.k2, want_log=True)["log_ratio"]
    slope = float(lr[0] - lr[1])
    if not slope > 0:
        raise RareEventError("|σ̂(k2 t)|/|σ̂(k1 t)| does not decrease with |t| for this "
                             "activation: there is no rare-event regime (use MC)")
    return slope


def _conditional_bands(ev: _Evaluator, bands, delta: float, n_c: int, rng: np.random.Generator,
                       region: np.ndarray | None = None, refine: bool = True):
    """log w-length of each band for n_c conditional draws of the other coordinates, the
    log ball-volume weight of each band, the largest band/spacing and how many bands were
    linearised."""
    p = ev.p
    nb = bands["t"].size
    zeros, spacing, jj = bands["t"], bands["spacing"], bands["j"]
    az, sgn = np.abs(zeros), np.sign(zeros)
    custom_region = region is not None
    region = spacing / 4 if region is None else region  # half-width in t of each band's region
    w_in = 1.0 / (az + region)
    radius = np.sqrt(np.maximum(delta**2 - w_in**2, 0.0))
    log_w = _log_ball_volume(p.m - 1, radius) if p.m > 1 else np.zeros(nb)
    shape = (nb, n_c)
    if p.m > 1:
        others = np.array([np.delete(np.arange(p.m), j) for j in range(p.m)])[jj]  # (nb, m-1)
        W = sample_ball(rng, nb * n_c, p.m - 1, np.repeat(radius, n_c))
        t_o = 1.0 / np.where(W == 0, 1e-300, W)  # w = 0 exactly contributes ĥ = 0
        rows = np.repeat(others, n_c, axis=0)
        parts = ev.parts(t_o, p.a[rows], p.b[rows])
        d = ev.residuals(parts)
        d_other = {i: (d[i][0].reshape(shape), d[i][1].reshape(shape)) for i in (1, 2)}
        chord = np.sqrt(np.maximum(delta**2 - np.einsum("ij,ij->i", W, W), 0.0)).reshape(shape)
    else:
        d_other = {i: (np.full(shape, -f.real), np.full(shape, -f.imag))
                   for i, f in ((1, p.fhat1), (2, p.fhat2))}
        chord = np.full(shape, delta)

    def col(x):
        return np.broadcast_to(x[:, None], shape)

    a, b, kind, sp_ = col(p.a[jj]), col(p.b[jj]), col(bands["kind"]), col(spacing)
    T = col(zeros)

    def f1(x):
        return _flat_parts(ev, x, a, b, kind, d_other)[0]

    reg = col(region)
    lo, hi = T - reg, T + reg
    if np.any(np.sign(f1(lo)) * np.sign(f1(hi)) >= 0):
        if custom_region:
            raise _RegionTooSmall()
        raise RareEventError(f"a band's zero left its bracket at δ = {delta:g} (the network's own "
                             "spectrum moves the bands by more than a quarter spacing): the "
                             "rare-event estimator is not valid; use MC")
    tz = _secant_then_bisect(f1, T, lo, hi, sp_ * 1e-3)
    log_s, _ = _linear_halfwidth(ev, bands, d_other, tz)
    s_lin = np.exp(log_s)
    frac = float(np.max(s_lin / sp_))
    left, right = s_lin.copy(), s_lin.copy()
    wide = s_lin > 1e-6 * sp_
    if refine and np.any(wide) and frac <= 0.5:
        idx = np.nonzero(wide)
        sub = {i: (d_other[i][0][idx], d_other[i][1][idx]) for i in (1, 2)}
        tw, s0 = tz[idx], s_lin[idx]
        for direction, store in ((1.0, right), (-1.0, left)):
            def g(log_try, direction=direction):
                mm1, mm2, lr = _flat_parts(ev, tw + direction * np.exp(log_try), a[idx], b[idx],
                                           kind[idx], sub)
                with np.errstate(divide="ignore"):
                    return np.log(np.abs(mm1)) - np.log(np.abs(mm2)) - lr
            lo_s = np.log(s0) - 3.0
            hi_s = np.log(np.minimum(s0 * 20.0, sp_[idx] / 4))
            ok = (g(lo_s) < 0) & (g(hi_s) > 0)
            # g is a log ratio: |g| <= 1e-9 fixes s to ~1e-9 relative
            sol = _secant_then_bisect(g, np.log(s0), lo_s, hi_s, np.full(s0.shape, 0.01),
                                      steps=6, tol=1e-9, ftol=1e-9)
            store[idx] = np.where(ok, np.exp(sol), s0)
        frac = max(frac, float(np.max(np.maximum(left, right) / sp_)))
    at = np.abs(tz)
    sg = col(sgn)
    s_out = np.where(sg > 0, right, left)  # towards larger |t| (smaller |w|)
    s_in = np.where(sg > 0, left, right)
    w_lo, w_hi = 1.0 / (at + s_out), 1.0 / (at - s_in)
    with np.errstate(divide="ignore"):
        log_len = np.where(wide, np.log(np.maximum(w_hi - w_lo, 0.0)),
                           math.log(2.0) + log_s - 2 * np.log(at))
        partial = w_hi > chord  # clip to the ball: |w_j| <= sqrt(δ² − |W_{-j}|²)
        log_len = np.where(partial, np.log(np.maximum(np.minimum(w_hi, chord) - w_lo, 0.0)), log_len)
    reach = np.max(np.abs(tz - T) + np.maximum(left, right), axis=1)  # per band, in t
    if np.any(reach > region):
        if custom_region:
            raise _RegionTooSmall()
        raise RareEventError(f"rare-event estimator not valid at δ = {delta:g}: a failure band "
                             "reaches beyond a quarter of the zero spacing; use MC")
    return log_len, log_w, frac, int(np.count_nonzero(~wide)), reach


class _RegionTooSmall(Exception):
    """A conditional band reached outside its region: redo with the quarter spacing."""


def measure(problem: MeasureProblem, delta: float, *, method: str = "auto",
            samples: int | None = None, seed: int = 0, rel_precision: float = 0.1,
            progress: bool = False) -> MeasureResult:
    """One δ by ``mc``, ``rare`` or ``auto`` (rare where its band structure is valid and the
    failure is below 1e-3, Monte Carlo otherwise)."""
    if method not in ("mc", "rare", "auto"):
        raise FPTheoryError(f"method must be mc, rare or auto, got {method!r}")
    if method == "mc":
        return monte_carlo(problem, delta, samples=samples, seed=seed,
                           rel_precision=rel_precision, progress=progress)
    if method == "rare":
        return rare_event(problem, delta, seed=seed, rel_tol=rel_precision)
    try:
        result = rare_event(problem, delta, seed=seed, rel_tol=rel_precision)
        if result.failure < 1e-3:
            return result
    except RareEventError:
        pass
    return monte_carlo(problem, delta, samples=samples, seed=seed, rel_precision=rel_precision,
                       progress=progress)


# ---------------------------------------------------------------------------------------
# the rate


@dataclass
class RateFit:
    r"""log(1 − ratio) = log A + log I_m(c, δ) fitted over δ (see :func:`fit_rate`)."""

    c: float
    c_stderr: float
    c_spread: float
    A: float
    beta: float
    points: int
    residual_rms: float

    def predict(self, delta: float, m: int) -> float:
        """The fitted 1 − ratio at δ."""
        return self.A * math.exp(_log_edge_integral(self.c, delta, m))

    def C(self, m: int) -> float:
        r"""The constant of the δ → 0 form 1 − ratio ≈ C δ^β e^{−c/δ}, β = (m + 1)/2: Laplace's
        method at the edge gives I_m ≈ Γ(m/2+1) 2^{(m−1)/2}/(√π c^{(m+1)/2}) δ^β e^{−c/δ}."""
        return self.A * math.exp(special.gammaln(m / 2 + 1) + (m - 1) / 2 * math.log(2)
                                 - 0.5 * math.log(math.pi) - (m + 1) / 2 * math.log(self.c))

    def to_dict(self) -> dict[str, Any]:
        m = int(round(2 * self.beta - 1))
        return {"c": self.c, "c_stderr": self.c_stderr, "c_spread": self.c_spread,
                "C": self.C(m), "A": self.A,
                "beta": self.beta, "points": self.points, "residual_rms": self.residual_rms,
                "model": "1-ratio = A * Int_0^delta rho_m(w; delta) exp(-c/w) dw  "
                         "~ C delta^beta exp(-c/delta) as delta -> 0"}


def _log_edge_integral(c: float, delta: float, m: int) -> float:
    r"""log of :math:`I_m(c,\delta) = \int_0^\delta \rho_m(w)\, e^{-c/w}\,dw`, ρ_m the density
    of one coordinate of the uniform m-ball of radius δ, computed as
    e^{−c/δ} ∫ ρ_m(w) e^{−c(1/w − 1/δ)} dw so that nothing underflows."""
    from scipy import integrate

    log_cm = special.gammaln(m / 2 + 1) - special.gammaln((m + 1) / 2) - 0.5 * math.log(math.pi)

    def integrand(u: float) -> float:  # w = δ(1 − u)
        w = delta * (1 - u)
        if w <= 0:
            return 0.0
        return ((1 - (1 - u) ** 2) ** ((m - 1) / 2)) * math.exp(-c * (1 / w - 1 / delta))

    scale = min(1.0, 4 * delta / c * (m + 1))  # where the integrand lives, in u
    value, _ = integrate.quad(integrand, 0, scale, limit=200, epsabs=0, epsrel=1e-10)
    value += integrate.quad(integrand, scale, 1, limit=200, epsabs=0, epsrel=1e-8)[0] if scale < 1 else 0
    return log_cm - c / delta + math.log(value)


def fit_rate(deltas: Sequence[float], log_failures: Sequence[float], m: int) -> RateFit:
    r"""Fit the rate c from log failures (natural log) at several δ.

    The failure set is a union of bands at w_n (spacing constant in t = 1/w) whose widths
    are ∝ w² e^{−c/w}; summed against the ball's marginal density ρ_m(w) this gives
    1 − ratio ≈ A·I_m(c, δ), :math:`I_m = \int_0^\delta \rho_m(w) e^{-c/w} dw`, times a bounded
    factor periodic in 1/δ (the discreteness of the bands). As δ → 0, I_m ~ δ^{(m+1)/2}
    e^{−c/δ} (Laplace at the edge, ``beta`` = (m + 1)/2), but that limit needs
    δ ≪ 2c/(m − 1): the exact I_m is used instead, so large m and moderate δ are fitted
    without bias. log A is profiled out; c minimises the squared residuals.
    ``c_stderr`` comes from the curvature of that profile (it ignores the periodic
    residual's correlation); ``c_spread`` is half the difference of the rates fitted on the
    lower and the upper half of 1/δ: quote the larger of the two.
    """
    from scipy import optimize

    d = np.asarray(deltas, dtype=float)
    y = np.asarray(log_failures, dtype=float)
    keep = np.isfinite(y)
    d, y = d[keep], y[keep]
    if d.size < 3:
        raise FPTheoryError("fitting the rate needs at least 3 values of δ with failure > 0")

    def profile(c: float, dd: np.ndarray, yy: np.ndarray) -> tuple[float, float]:
        li = np.array([_log_edge_integral(c, x, m) for x in dd])
        log_a = float(np.mean(yy - li))
        return float(np.sum((yy - li - log_a) ** 2)), log_a

    def best(dd: np.ndarray, yy: np.ndarray) -> float:
        slope = -np.polyfit(1 / dd, yy, 1)[0]  # a first guess from a straight line
        lo, hi = max(1e-6, 0.2 * abs(slope)), 5 * abs(slope) + 1e-3
        return float(optimize.minimize_scalar(lambda c: profile(c, dd, yy)[0], bounds=(lo, hi),
                                              method="bounded", options={"xatol": 1e-7}).x)

    c = best(d, y)
    sse, log_a = profile(c, d, y)
    h = 1e-3 * c
    curv = (profile(c + h, d, y)[0] - 2 * sse + profile(c - h, d, y)[0]) / h**2
    dof = max(1, d.size - 2)
    stderr = math.sqrt(2 * sse / dof / curv) if curv > 0 else math.inf
    order = np.argsort(1 / d)
    half = d.size // 2
    spread = 0.0
    if half >= 3:
        spread = abs(best(d[order[half:]], y[order[half:]]) - best(d[order[:half]], y[order[:half]])) / 2
    return RateFit(c, stderr, spread, math.exp(log_a), (m + 1) / 2, int(d.size),
                   math.sqrt(sse / d.size))


# ---------------------------------------------------------------------------------------
# a sweep over δ: results, the fitted rate, the proof's rate and the explicit bound


@dataclass
class MeasureStudy:
    """Several δ for one problem, with the fitted rate and what the theory says."""

    problem: MeasureProblem
    results: list[MeasureResult]
    fit: RateFit | None
    theory: dict[str, Any]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"problem": self.problem.to_dict(), "results": [r.to_dict() for r in self.results],
                "fit": None if self.fit is None else self.fit.to_dict(), "theory": self.theory,
                "notes": self.notes}


def _one(args: tuple) -> MeasureResult:
    problem, delta, method, samples, seed, rel_precision = args
    return measure(problem, delta, method=method, samples=samples, seed=seed,
                   rel_precision=rel_precision)


def measure_many(problem: MeasureProblem, deltas: Sequence[float], *, method: str = "auto",
                 samples: int | None = None, seed: int = 0, rel_precision: float = 0.1,
                 workers: int = 1, progress: bool = False) -> MeasureStudy:
    """:func:`measure` at every δ (in ``workers`` processes), then :func:`fit_rate` and
    :func:`theory_for` when at least three δ gave a positive failure."""
    deltas = [_check_delta(d) for d in deltas]
    if not deltas:
        raise FPTheoryError("give at least one δ")
    jobs = [(problem, d, method, samples, seed + i, rel_precision) for i, d in enumerate(deltas)]
    bar = _progress(len(jobs), "δ values", progress)
    results: list[MeasureResult] = []
    try:
        if workers > 1 and len(jobs) > 1:
            import concurrent.futures as cf
            import multiprocessing as mp

            with cf.ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
                for r in pool.map(_one, jobs):
                    results.append(r)
                    if bar:
                        bar[0].advance(bar[1])
        else:
            for job in jobs:
                results.append(_one(job))
                if bar:
                    bar[0].advance(bar[1])
    finally:
        if bar:
            bar[0].stop()
    notes: list[str] = []
    fit = None
    usable = [r for r in results if r.failure > 0]
    if len(usable) >= 3 and problem.model.csch_rate is not None:
        preferred = [r for r in usable if r.method == "rare"]
        chosen = preferred if len(preferred) >= 3 else usable
        fit = fit_rate([r.delta for r in chosen], [r.log10_failure * math.log(10) for r in chosen],
                       problem.m)
        if chosen is not preferred:
            notes.append("fit on Monte Carlo points (fewer than 3 rare-event points)")
    elif len(results) >= 3 and problem.model.csch_rate is None:
        notes.append(f"no rate fit: |σ̂| of {problem.model.name} does not decay exponentially, so "
                     "1 − ratio is not of the form C e^{-c/δ}")
    theory = theory_for(problem, results, fit)
    return MeasureStudy(problem, results, fit, theory, notes)


def theory_for(problem: MeasureProblem, results: Sequence[MeasureResult],
               fit: RateFit | None) -> dict[str, Any]:
    r"""The proof's rate and the chapter's, and whether the explicit bound holds.

    The steps (1.14)-(1.16) give bands of half-width ∝ e^{−r(k2−k1)/|w|} (r = π/2 for tanh
    in the angular convention), hence c = r(k2 − k1) = π(k2 − k1)/2; the chapter prints
    c2 = π(k2 − k1). For tanh in the chapter's convention, the explicit Theorem 1 of
    :func:`fptheory.theory.theorem1.explicit_theorem1` gives C and δ0, and the bound
    1 − ratio ≤ C e^{−c/δ}·(its prefactor) is checked at every measured δ ≤ δ0: it is
    violated where the measured interval lies entirely above it.
    """
    p = problem
    out: dict[str, Any] = {"c": p.proof_rate, "source": "the proof's steps: c = r (k2 - k1) with "
                           "r the exponential rate of |σ̂| in κ = k/w"}
    if p.model.name == "tanh" and p.model.convention.name == "angular":
        out["c_chapter"] = math.pi * (p.k2 - p.k1)
    if fit is not None and math.isfinite(p.proof_rate):
        err = max(fit.c_stderr, fit.c_spread)
        out["fit_over_proof"] = fit.c / p.proof_rate
        out["fit_agrees_within_5_percent"] = abs(fit.c / p.proof_rate - 1) <= 0.05
        out["fit_uncertainty"] = err
        if "c_chapter" in out:
            out["fit_over_chapter"] = fit.c / out["c_chapter"]
    if p.model.name == "tanh" and p.model.convention.name == "angular":
        out.update(_explicit_bound_check(p, results))
    return out


def _explicit_bound_check(p: MeasureProblem, results: Sequence[MeasureResult]) -> dict[str, Any]:
    try:
        bound = explicit_theorem1(p.k1, p.k2, p.fhat1, p.fhat2, p.a.tolist(), p.b.tolist())
    except FPTheoryError as exc:
        return {"bound": f"unavailable: {exc}"}
    rows = []
    for r in results:
        b = bound.failure_bound(r.delta)
        if not math.isfinite(b):
            rows.append({"delta": r.delta, "bound": None, "holds": None})
            continue
        rows.append({"delta": r.delta, "bound": b, "holds": not (r.ci_low > b)})
    decided = [row["holds"] for row in rows if row["holds"] is not None]
    return {"explicit": bound.to_dict(), "bound_checks": rows,
            "bound_holds_at_every_measured_delta": (all(decided) if decided else None)}


def plot_study(study: MeasureStudy, path: str) -> str:
    """Figure: 1 − ratio against 1/δ (log axis): MC points with their intervals, the
    rare-event curve with its band, the fit and the explicit bound where available."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    mc = [r for r in study.results if r.method == "mc" and r.failure > 0]
    rare = sorted((r for r in study.results if r.method == "rare"), key=lambda r: r.delta)
    if mc:
        x = np.array([1 / r.delta for r in mc])
        y = np.array([r.failure for r in mc])
        err = np.array([[r.failure - r.ci_low for r in mc], [r.ci_high - r.failure for r in mc]])
        ax.errorbar(x, y, yerr=err, fmt="o", ms=4, capsize=2, label="Monte Carlo (95% CP)")
    if rare:
        x = np.array([1 / r.delta for r in rare])
        ax.plot(x, [10 ** r.log10_failure for r in rare], "-", color="C1", label="rare-event estimator")
        ax.fill_between(x, [max(r.ci_low, 1e-300) for r in rare], [r.ci_high for r in rare],
                        color="C1", alpha=0.25, lw=0)
    xs = np.array(sorted(1 / r.delta for r in study.results))
    if study.fit is not None:
        f = study.fit
        ax.plot(xs, [f.predict(1 / x, study.problem.m) for x in xs], "--", color="C2",
                label=f"fit: c = {f.c:.4g}")
    checks = study.theory.get("bound_checks") or []
    bx = [1 / row["delta"] for row in checks if row.get("bound")]
    if bx:
        ax.plot(bx, [row["bound"] for row in checks if row.get("bound")], ":", color="C3",
                label="explicit bound (Theorem 1)")
    ax.set_yscale("log")
    ax.set_xlabel("1/δ")
    ax.set_ylabel("1 − ratio")
    p = study.problem
    ax.set_title(f"{p.model.name}, m = {p.m}, k1 = {p.k1:g}, k2 = {p.k2:g}; "
                 f"proof c = {p.proof_rate:.4g}")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
