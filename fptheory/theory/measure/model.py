r"""The numeric model of Theorem 1's event (1.9), generated from sympy: σ̂ split into magnitude
and phase, the gradient kernels, and the optional compiled (numba) failure counter.

With :math:`\hat\sigma(\kappa) = |\hat\sigma(\kappa)|\,U_\pm` (constant phase on each
half-line), the engine's affine rule gives :math:`\hat h_j(k) = a_j e^{-i B b_j k t_j}
\hat\sigma(k t_j) |t_j|`, t = 1/w (B the convention's b), and each gradient is
:math:`|\hat\sigma(k t)|\,M_\theta(k, t)` with :math:`M_\theta` free of the decaying factor;
the event for θ is :math:`|M_\theta(k_1)| > |M_\theta(k_2)|\,|\hat\sigma(k_2 t)|/|\hat\sigma(k_1 t)|`,
where the last ratio is evaluated without overflow (for csch-type transforms such as tanh:
:math:`e^{-r(k_2-k_1)|t|}(1-e^{-2rk_1|t|})/(1-e^{-2rk_2|t|})`).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from fptheory.core.errors import FPTheoryError
from fptheory.fourier.activations import REGISTRY, X, activation
from fptheory.fourier.conventions import ANGULAR, FourierConvention
from fptheory.fourier.engine import K, fourier_transform

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
