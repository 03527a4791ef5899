r"""Theorem 1 of the chapter (§1.1.1): the tanh two-layer network, its per-frequency loss
and the closed-form gradients behind the frequency principle.

The model (1.1) is

.. math:: h(x) = \sum_{j=1}^m a_j \tanh(w_j x + b_j),

transformed in the chapter's convention for Theorem 1 (:data:`~fptheory.fourier.conventions.ANGULAR`,
kernel :math:`e^{-ikx}`). Each neuron's transform comes from the engine
(:func:`~fptheory.fourier.engine.fourier_transform`), never re-typed; it is

.. math:: \hat h_j(k) = a_j \frac{-i\pi}{|w_j|} e^{i b_j k / w_j}
          \operatorname{csch}\frac{\pi k}{2 w_j}

(the text's (1.2) with the identity :math:`1/(e^{-u}-e^{u}) = -\tfrac12\operatorname{csch} u`).

The per-frequency loss (1.4) is :math:`L(k) = \tfrac12 |D(k)|^2` with the residual
:math:`D(k) = \hat h(k) - \hat f(k) = A(k) e^{i\phi(k)}`, :math:`\hat f(k)` a complex
constant at each frequency. For a real parameter θ,

.. math:: \frac{\partial L(k)}{\partial\theta}
          = \operatorname{Re}\Big(\overline{D(k)}\,\frac{\partial \hat h(k)}{\partial\theta}\Big),

and sympy differentiates :math:`\hat h_j`. The derivative of :math:`|w_j|` is
:math:`\operatorname{sign}(w_j)` (sympy's rule for a real, nonzero :math:`w_j`): every
gradient is one expression valid for both signs of :math:`w_j`, written with
``Abs(w_j)`` and ``sign(w_j)``; :func:`identify_E0` works in the sign cases
:math:`w_j > 0`, :math:`w_j < 0` separately (and shows both give one E_0).

Contents

* symbols and model: :func:`network_symbols`, :func:`neuron_transform`,
  :func:`network_transform`, :func:`residual`, :func:`loss`;
* gradients: :func:`gradient_expressions` (explicit in the network's parameters),
  :func:`polar_gradients` (one neuron, in :math:`A, \phi`), :func:`gradient_evaluator`
  (mpmath callables lambdified from the former);
* the proof's (1.10)-(1.11): :func:`text_a_gradient`, :func:`identify_E0`,
  :func:`a_gradient_ratio`, :func:`text_1_11`, :func:`check_1_11`, :func:`sinh_ratio`;
* an independent check: :func:`loss_mp` (the loss from the Mittag-Leffler series of
  the tanh transform, no sinh and no sympy) and :func:`check_gradients` (closed form vs
  a Richardson-extrapolated central difference of :func:`loss_mp`);
* float64 numerics that never overflow for tiny :math:`|w|`: :func:`log_abs_csch`,
  :func:`stable_sinh_ratio`, :func:`log_abs_sinh_ratio`, :func:`log_abs_gradient`,
  :func:`gradient_ratio` (with the 50-digit reference :func:`log_abs_gradient_mp`).

>>> net = network_symbols(2)
>>> net.model
a_1*tanh(b_1 + w_1*x) + a_2*tanh(b_2 + w_2*x)
>>> polar_gradients()["a"]
pi*A*sin(b*k/w - phi)/(sinh(pi*k/(2*w))*Abs(w))
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import mpmath
import numpy as np
import sympy as sp

from fptheory.core.errors import FPTheoryError
from fptheory.fourier.conventions import ANGULAR, FourierConvention
from fptheory.fourier.engine import K, fourier_transform
from fptheory.verify.claims import Assessment, assess_identity

__all__ = [
    "K",
    "X",
    "A",
    "PHI",
    "F_RE",
    "F_IM",
    "E0",
    "NEURON",
    "Network",
    "network_symbols",
    "neuron_transform",
    "network_transform",
    "target_constant",
    "residual",
    "loss",
    "gradient_expressions",
    "polar_gradients",
    "GradientEvaluator",
    "gradient_evaluator",
    "NetworkParams",
    "tanh_transform_mp",
    "loss_mp",
    "residual_mp",
    "GradientCheckEntry",
    "GradientCheck",
    "check_gradients",
    "text_a_gradient",
    "E0Identification",
    "identify_E0",
    "RATIO_SYMBOLS",
    "sinh_ratio",
    "a_gradient_ratio",
    "text_1_11",
    "check_1_11",
    "log_abs_csch",
    "stable_sinh_ratio",
    "log_abs_sinh_ratio",
    "log_abs_gradient",
    "log_gradient_ratio",
    "gradient_ratio",
    "log_abs_gradient_mp",
    "RATE",
    "band_interval",
    "band_length",
    "ball_marginal_density",
    "ball_tail_constant",
    "ball_tail_mp",
    "explicit_expressions",
    "ExplicitTheorem1",
    "explicit_theorem1",
    "ball_sample",
    "uniform_in_ball",
    "event_margins",
    "FailureSample",
    "sample_failure",
]

Theta = Literal["a", "b", "w"]
KINDS: tuple[Theta, ...] = ("a", "b", "w")

X = sp.Symbol("x", real=True)
#: amplitude A(k) = |D(k)| of the residual (positive: the proof needs D(k) ≠ 0)
A = sp.Symbol("A", positive=True)
#: phase φ(k) of the residual, D(k) = A(k) e^{iφ(k)}
PHI = sp.Symbol("phi", real=True)
#: real and imaginary part of the target's transform f̂(k) at the frequency k
F_RE, F_IM = sp.symbols("F_re F_im", real=True)
#: the factor E_0 that (1.10) uses without defining it
E0 = sp.Symbol("E_0")

_PSI = sp.Symbol("psi", real=True)  # ψ = b k / w - φ, internal


@dataclass(frozen=True)
class Network:
    """Symbols of the m-neuron network (1.1): a_j, b_j real, w_j real and nonzero."""

    a: tuple[sp.Symbol, ...]
    w: tuple[sp.Symbol, ...]
    b: tuple[sp.Symbol, ...]

    @property
    def m(self) -> int:
        return len(self.a)

    @property
    def model(self) -> sp.Expr:
        r""":math:`h(x) = \sum_j a_j \tanh(w_j x + b_j)` (1.1)."""
        return sp.Add(*(a * sp.tanh(w * X + b) for a, w, b in zip(self.a, self.w, self.b,
                                                                  strict=True)))

    def kind(self, kind: Theta) -> tuple[sp.Symbol, ...]:
        return {"a": self.a, "b": self.b, "w": self.w}[kind]

    @property
    def parameters(self) -> tuple[sp.Symbol, ...]:
        """All parameters, grouped by kind: a_1..a_m, b_1..b_m, w_1..w_m."""
        return self.a + self.b + self.w


@functools.cache
def network_symbols(m: int) -> Network:
    """The symbols a_j, w_j, b_j (j = 1..m) of (1.1); w_j carries ``nonzero=True``."""
    if not isinstance(m, int) or m < 1:
        raise FPTheoryError(f"the network needs m >= 1 neurons, got {m!r}")
    idx = range(1, m + 1)
    return Network(
        tuple(sp.Symbol(f"a_{j}", real=True) for j in idx),
        tuple(sp.Symbol(f"w_{j}", real=True, nonzero=True) for j in idx),
        tuple(sp.Symbol(f"b_{j}", real=True) for j in idx),
    )


#: one generic neuron (a, w, b), used for the polar forms and (1.10)-(1.11)
NEURON = Network((sp.Symbol("a", real=True),), (sp.Symbol("w", real=True, nonzero=True),),
                 (sp.Symbol("b", real=True),))


@functools.cache
def neuron_transform(a: sp.Expr, w: sp.Expr, b: sp.Expr,
                     convention: FourierConvention = ANGULAR) -> sp.Expr:
    r"""The engine's transform of :math:`a \tanh(w x + b)` (one term of (1.3)), regular part
    in the real symbol :data:`K`; angular convention by default (the chapter's, for (1.2)).

    It is :math:`a (-i\pi/|w|) e^{ibk/w} \operatorname{csch}(\pi k/(2w))`, a principal value
    at k = 0 (the tests compare it with that form; this function only asks the engine).

    >>> n = NEURON
    >>> neuron_transform(n.a[0], n.w[0], n.b[0])
    -I*pi*a*exp(I*b*k/w)/(sinh(pi*k/(2*w))*Abs(w))
    """
    return fourier_transform(a * sp.tanh(w * X + b), X, convention).regular


def network_transform(net: Network) -> sp.Expr:
    r""":math:`\hat h(k) = \sum_j \hat h_j(k)` (the exact form of (1.3))."""
    return sp.Add(*(neuron_transform(a, w, b) for a, w, b in zip(net.a, net.w, net.b,
                                                                strict=True)))


def target_constant(fhat: complex | sp.Expr | None = None) -> sp.Expr:
    r""":math:`\hat f(k)`: ``F_re + I*F_im`` by default, else the given complex number."""
    if fhat is None:
        return F_RE + sp.I * F_IM
    value = sp.sympify(fhat)
    if not value.is_number:
        raise FPTheoryError(f"f̂(k) must be a complex number or None (symbols), got {fhat!r}")
    return value


def residual(net: Network, fhat: complex | sp.Expr | None = None) -> sp.Expr:
    r""":math:`D(k) = \hat h(k) - \hat f(k) = A(k) e^{i\phi(k)}` (the notation of (1.11)-(1.13))."""
    return network_transform(net) - target_constant(fhat)


def loss(net: Network, fhat: complex | sp.Expr | None = None) -> sp.Expr:
    r""":math:`L(k) = \tfrac12 |D(k)|^2 = \tfrac12 D(k)\overline{D(k)}` (1.4)."""
    d = residual(net, fhat)
    return d * sp.conjugate(d) / 2


@functools.cache
def _gradient_expressions(net: Network, fhat: sp.Expr) -> dict[sp.Symbol, sp.Expr]:
    d_conj = sp.conjugate(network_transform(net) - fhat)
    out: dict[sp.Symbol, sp.Expr] = {}
    for kind in KINDS:
        for j, theta in enumerate(net.kind(kind)):
            dh = sp.diff(neuron_transform(net.a[j], net.w[j], net.b[j]), theta)
            out[theta] = sp.re(d_conj * dh, evaluate=False)
    return out


def gradient_expressions(net: Network,
                         fhat: complex | sp.Expr | None = None) -> dict[sp.Symbol, sp.Expr]:
    r"""Closed-form :math:`\partial L(k)/\partial\theta` for every parameter θ of ``net``.

    Each is :math:`\operatorname{Re}(\overline{D(k)}\,\partial\hat h_j(k)/\partial\theta)`
    with :math:`\partial\hat h_j/\partial\theta` from sympy's ``diff`` of the engine's
    transform (|w_j| differentiates to sign(w_j): valid for both signs of w_j). The real
    part is left unevaluated (``re(...)``) so the expression stays compact; it is exact,
    and :func:`gradient_evaluator` evaluates it. Keys are ordered a_j, b_j, w_j.
    """
    return dict(_gradient_expressions(net, target_constant(fhat)))


@functools.cache
def _polar_gradients() -> dict[str, sp.Expr]:
    a, w, b = NEURON.a[0], NEURON.w[0], NEURON.b[0]
    h = neuron_transform(a, w, b)
    out: dict[str, sp.Expr] = {}
    for kind, theta in zip(KINDS, (a, b, w), strict=True):
        product = A * sp.exp(-sp.I * PHI) * sp.diff(h, theta)  # conj(D) ∂ĥ_j/∂θ
        # write e^{ibk/w} e^{-iφ} = e^{iψ}, take the real part, then put ψ back
        product = sp.expand(product.subs(sp.exp(sp.I * b * K / w), sp.exp(sp.I * (_PSI + PHI))))
        if product.has(PHI):
            raise AssertionError(f"phase did not combine in ∂L/∂{kind}: {product}")
        real = sp.expand_complex(sp.re(product))
        out[kind] = real.subs(_PSI, b * K / w - PHI)
    return out


def polar_gradients() -> dict[str, sp.Expr]:
    r"""One neuron's gradients with the residual written :math:`D(k) = A e^{i\phi}`.

    With ψ = b k/w − φ and u = πk/(2w) (sympy's output; ``sign(w)`` is d|w|/dw):

    * :math:`\partial L/\partial a = \pi A \sin\psi / (|w| \sinh u)` (exact form of (1.10)),
    * :math:`\partial L/\partial b = \pi A a k \cos\psi / (w |w| \sinh u)`,
    * :math:`\partial L/\partial w = -\pi A a b k \cos\psi/(w^2|w|\sinh u)
      + \pi^2 A a k \sin\psi \cosh u/(2 w^2 |w| \sinh^2 u)
      - \pi A a \sin\psi\, \mathrm{sign}(w)/(w^2 \sinh u)`.

    Keys ``"a"``, ``"b"``, ``"w"``; symbols :data:`A`, :data:`PHI`, :data:`NEURON`, :data:`K`.
    """
    return dict(_polar_gradients())


# ---------------------------------------------------------------------------------------
# numeric evaluation (mpmath), generated from the sympy expressions


def _mpf(value: Any) -> mpmath.mpf:
    """An mpf from int, str, float (exactly, its binary value), Fraction-like or mpf."""
    if isinstance(value, mpmath.mpf):
        return +value
    if hasattr(value, "numerator") and hasattr(value, "denominator") and not isinstance(
            value, (int, float)):
        return mpmath.mpf(value.numerator) / value.denominator
    return mpmath.mpf(value)


def _mpc(value: Any) -> mpmath.mpc:
    if isinstance(value, (complex, mpmath.mpc)):
        return mpmath.mpc(_mpf(value.real), _mpf(value.imag))
    if isinstance(value, sp.Basic):
        re, im = value.as_real_imag()
        return mpmath.mpc(mpmath.mpf(sp.N(re, mpmath.mp.dps + 5)),
                          mpmath.mpf(sp.N(im, mpmath.mp.dps + 5)))
    return mpmath.mpc(_mpf(value))


@dataclass(frozen=True)
class NetworkParams:
    """Numeric values of a_j, w_j, b_j: ints, decimal strings, floats (taken exactly) or mpf."""

    a: tuple[Any, ...]
    w: tuple[Any, ...]
    b: tuple[Any, ...]

    def __post_init__(self) -> None:
        for name in ("a", "w", "b"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if not (len(self.a) == len(self.w) == len(self.b) >= 1):
            raise FPTheoryError(
                f"a, w, b need the same length >= 1, got {len(self.a)}, {len(self.w)}, "
                f"{len(self.b)}")
        if any(_mpf(w) == 0 for w in self.w):
            raise FPTheoryError("every w_j must be nonzero (the transform needs 1/w_j)")

    @property
    def m(self) -> int:
        return len(self.a)

    def values(self, net: Network) -> dict[sp.Symbol, mpmath.mpf]:
        """Symbol → mpf at the current mpmath precision."""
        out: dict[sp.Symbol, mpmath.mpf] = {}
        for kind in KINDS:
            for sym, v in zip(net.kind(kind), getattr(self, kind), strict=True):
                out[sym] = _mpf(v)
        return out


@dataclass
class GradientEvaluator:
    """mpmath callables lambdified from sympy gradient expressions (never re-typed).

    ``expressions`` maps each parameter symbol to its ∂L(k)/∂θ, in the symbols of
    ``net``, :data:`F_RE`, :data:`F_IM` and :data:`K`.
    """

    net: Network
    expressions: dict[sp.Symbol, sp.Expr]
    _functions: dict[sp.Symbol, Callable[..., Any]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        args = [*self.net.parameters, F_RE, F_IM, K]
        self._functions = {}
        for theta, expr in self.expressions.items():
            extra = expr.free_symbols - set(args)
            if extra:
                raise FPTheoryError(f"gradient for {theta} has unknown symbols {sorted(map(str, extra))}")
            self._functions[theta] = sp.lambdify(args, expr, modules="mpmath")

    def __call__(self, params: NetworkParams, fhat: Any, k: Any,
                 dps: int = 50) -> dict[str, mpmath.mpf]:
        """Every gradient at (params, f̂(k), k), evaluated with ``dps`` digits."""
        if params.m != self.net.m:
            raise FPTheoryError(f"params have m = {params.m}, the evaluator m = {self.net.m}")
        with mpmath.workdps(dps):
            values = params.values(self.net)
            f = _mpc(fhat)
            args = [values[s] for s in self.net.parameters] + [f.real, f.imag, _mpf(k)]
            out = {}
            for theta, fn in self._functions.items():
                v = fn(*args)
                out[theta.name] = mpmath.re(v) if isinstance(v, mpmath.mpc) else mpmath.mpf(v)
            return out


@functools.cache
def _evaluator(m: int) -> GradientEvaluator:
    net = network_symbols(m)
    return GradientEvaluator(net, gradient_expressions(net))


def gradient_evaluator(m: int,
                       expressions: Mapping[sp.Symbol, sp.Expr] | None = None) -> GradientEvaluator:
    """The numeric evaluator of :func:`gradient_expressions` for m neurons (cached), or of
    the given ``expressions`` (e.g. a tampered formula, to see a check fail)."""
    if expressions is None:
        return _evaluator(m)
    return GradientEvaluator(network_symbols(m), dict(expressions))


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


# ---------------------------------------------------------------------------------------
# (1.10)-(1.11): the a_j-gradient in the text's form


def text_a_gradient(k: sp.Expr = K, phi: sp.Expr = PHI) -> sp.Expr:
    r"""The text's (1.10): :math:`\partial L(k)/\partial a_j = (2\pi/w_j)
    \sin(b_j k/w_j - \phi(k)) E_0`, with the undefined :data:`E0` as a symbol."""
    w, b = NEURON.w[0], NEURON.b[0]
    return 2 * sp.pi / w * sp.sin(b * k / w - phi) * E0


@dataclass
class E0Identification:
    """What E_0 in (1.10) must be for the text's form to equal the exact gradient."""

    e0: sp.Expr  # one expression, valid for both signs of w
    cases: dict[str, sp.Expr]  # sign case label → E_0 derived in that case
    text_form: sp.Expr  # (1.10) with the symbol E_0
    exact: sp.Expr  # ∂L(k)/∂a from polar_gradients()
    assessment: Assessment  # text form with E_0 = e0 vs the exact gradient


@functools.cache
def _identify_E0() -> E0Identification:
    w = NEURON.w[0]
    exact = polar_gradients()["a"]
    text = text_a_gradient()
    cofactor = text / E0
    big_w = sp.Symbol("W", positive=True)
    cases: dict[str, sp.Expr] = {}
    in_w: list[sp.Expr] = []
    for label, sign in (("w > 0", 1), ("w < 0", -1)):
        e = sp.simplify((exact / cofactor).subs(w, sign * big_w))
        in_w.append(e)
        cases[label] = sp.simplify(e.subs(big_w, sign * w))
    if sp.simplify(in_w[0] - in_w[1]) != 0:
        raise AssertionError(f"E_0 differs between the sign cases: {in_w}")
    e0 = in_w[0].subs(big_w, sp.Abs(w))
    assessment = assess_identity(
        text.subs(E0, e0), exact,
        r"\frac{\partial L(k)}{\partial a_j} = \frac{2\pi}{w_j}\sin\Big(\frac{b_j k}{w_j}-\phi(k)"
        r"\Big) E_0,\quad E_0 = " + sp.latex(e0),
    )
    return E0Identification(e0, cases, text, exact, assessment)


def identify_E0() -> E0Identification:
    r"""Derive E_0 of (1.10) from the exact gradient, per sign case of w, and check it.

    In each case w = ±W (W > 0) sympy simplifies (exact gradient)/((2π/w) sin ψ); both
    cases give the same function of W = |w|, so

    .. math:: E_0 = \frac{A(k)}{2\sinh(\pi k/(2|w_j|))}
              = \tfrac12 A(k)\,\mathrm{sign}(w_j)\operatorname{csch}\frac{\pi k}{2 w_j},

    i.e. :math:`A(k)/(e^{\pi k/2|w_j|} - e^{-\pi k/2|w_j|})`, the factor behind (1.11).
    ``assessment`` is :func:`~fptheory.verify.claims.assess_identity` of (1.10) with this E_0
    against the exact gradient (sign-split over w, b, k, φ).

    >>> identify_E0().e0
    A/(2*sinh(pi*k/(2*Abs(w))))
    """
    return _identify_E0()


#: symbols of the two frequencies in (1.11): k_1, k_2 > 0 (the proof's "WLOG"), A_i, φ_i
RATIO_SYMBOLS = {
    "k1": sp.Symbol("k_1", positive=True), "k2": sp.Symbol("k_2", positive=True),
    "A1": sp.Symbol("A_1", positive=True), "A2": sp.Symbol("A_2", positive=True),
    "phi1": sp.Symbol("phi_1", real=True), "phi2": sp.Symbol("phi_2", real=True),
}


def sinh_ratio(k1: sp.Expr, k2: sp.Expr, w: sp.Expr) -> sp.Expr:
    r""":math:`|\sinh(\pi k_1/2w)/\sinh(\pi k_2/2w)|`, the factor of (1.11) and (1.14)."""
    return sp.Abs(sp.sinh(sp.pi * k1 / (2 * w)) / sp.sinh(sp.pi * k2 / (2 * w)))


def _at(expr: sp.Expr, i: int) -> sp.Expr:
    s = RATIO_SYMBOLS
    return expr.subs({K: s[f"k{i}"], A: s[f"A{i}"], PHI: s[f"phi{i}"]}, simultaneous=True)


def a_gradient_ratio() -> sp.Expr:
    r"""Exact :math:`|\partial L(k_2)/\partial a_j| / |\partial L(k_1)/\partial a_j|`, from
    :func:`polar_gradients` at (k_i, A_i = A(k_i), φ_i = φ(k_i)); (1.11) says it is ≥ 1
    exactly when the text's left side is ≥ its right side."""
    g = polar_gradients()["a"]
    return sp.Abs(_at(g, 2)) / sp.Abs(_at(g, 1))


def text_1_11() -> tuple[sp.Expr, sp.Expr]:
    r"""The two sides of the text's inequality (1.11), as typed in the chapter:

    .. math:: \frac{A(k_2)}{A(k_1)}
        \left|\frac{e^{\pi k_1/2w} - e^{-\pi k_1/2w}}{e^{\pi k_2/2w} - e^{-\pi k_2/2w}}\right|
        \left|\sin\Big(\frac{b k_2}{w} - \phi(k_2)\Big)\right|
        \;\ge\; \left|\sin\Big(\frac{b k_1}{w} - \phi(k_1)\Big)\right|.
    """
    s = RATIO_SYMBOLS
    w, b = NEURON.w[0], NEURON.b[0]

    def u(k: sp.Expr) -> sp.Expr:
        return sp.pi * k / (2 * w)

    lhs = (s["A2"] / s["A1"]
           * sp.Abs((sp.exp(u(s["k1"])) - sp.exp(-u(s["k1"])))
                    / (sp.exp(u(s["k2"])) - sp.exp(-u(s["k2"]))))
           * sp.Abs(sp.sin(b * s["k2"] / w - s["phi2"])))
    rhs = sp.Abs(sp.sin(b * s["k1"] / w - s["phi1"]))
    return lhs, rhs


def _abs_squared(expr: sp.Expr) -> sp.Expr:
    """expr² with every |u|^(2n) written (u·conj(u))^n: an identity for complex u, and
    for the real expressions here it removes the Abs that sympy cannot resolve."""
    squared = sp.expand_power_base(expr**2, force=True)
    out = squared.replace(
        lambda z: z.is_Pow and isinstance(z.base, sp.Abs) and z.exp.is_even,
        lambda z: (z.base.args[0] * sp.conjugate(z.base.args[0])) ** (z.exp / 2))
    if out.has(sp.Abs):
        raise AssertionError(f"an Abs survived squaring: {out}")
    return out


def check_1_11() -> Assessment:
    """:func:`assess_identity` of the exact ratio against (text lhs)/(text rhs) of (1.11).

    Both sides are ≥ 0, so they are equal iff their squares are; squaring turns each
    |u|² into u·conj(u) (:func:`_abs_squared`) and sympy then simplifies the difference
    to 0 with no sign cases left. ``proved`` means (1.11) is exactly
    |∂L(k_1)/∂a_j| ≤ |∂L(k_2)/∂a_j| (for A(k_1) > 0 and sin(b k_1/w − φ(k_1)) ≠ 0).
    """
    lhs, rhs = text_1_11()
    return assess_identity(
        _abs_squared(a_gradient_ratio()), _abs_squared(lhs / rhs),
        r"\Big(\frac{|\partial L(k_2)/\partial a_j|}{|\partial L(k_1)/\partial a_j|}\Big)^2"
        r" = \Big(\frac{\text{lhs of (1.11)}}{\text{rhs of (1.11)}}\Big)^2",
        sign_split=False)


# ---------------------------------------------------------------------------------------
# float64 numerics without overflow (for the measure ratio at tiny |w|)

_LOG2 = math.log(2.0)


def log_abs_csch(x: Any) -> np.ndarray:
    r""":math:`\log|\operatorname{csch} x| = \log 2 - |x| - \log(1 - e^{-2|x|})`, x ≠ 0,
    in float64 without overflow (``expm1`` keeps small |x| accurate).

    >>> float(log_abs_csch(1e4))
    -9999.30685281944
    """
    ax = np.abs(np.asarray(x, dtype=float))
    return _LOG2 - ax - np.log(-np.expm1(-2.0 * ax))


def stable_sinh_ratio(x1: Any, x2: Any) -> np.ndarray:
    r""":math:`\sinh x_1/\sinh x_2 = e^{x_1-x_2}(1-e^{-2x_1})/(1-e^{-2x_2})` for x_1, x_2 > 0,
    vectorised float64; underflows to 0 (never nan) when x_2 − x_1 is huge."""
    x1 = np.asarray(x1, dtype=float)
    x2 = np.asarray(x2, dtype=float)
    if np.any(x1 <= 0) or np.any(x2 <= 0):
        raise FPTheoryError("stable_sinh_ratio needs x1, x2 > 0 (use log_abs_sinh_ratio)")
    return np.exp(x1 - x2) * np.expm1(-2.0 * x1) / np.expm1(-2.0 * x2)


def log_abs_sinh_ratio(x1: Any, x2: Any) -> np.ndarray:
    r""":math:`\log|\sinh x_1/\sinh x_2|` for nonzero x_1, x_2 (either sign), float64."""
    return log_abs_csch(x2) - log_abs_csch(x1)


_S, _COTH = sp.symbols("S C", positive=True)  # S = sinh u, C = coth u, u = πk/(2w)


@functools.cache
def _scaled_gradient(kind: Theta) -> Callable[..., Any]:
    """numpy callable of sinh(u)·∂L/∂θ with cosh u = C·sinh u: no exponentials of u left."""
    w = NEURON.w[0]
    u = sp.pi * K / (2 * w)
    g = polar_gradients()[kind].subs(PHI, NEURON.b[0] * K / w - _PSI)
    g = g.subs({sp.sinh(u): _S, sp.cosh(u): _COTH * _S})
    scaled = sp.expand(g * _S)
    if scaled.has(_S) or scaled.has(sp.sinh, sp.cosh, sp.exp):
        raise AssertionError(f"sinh(u) did not factor out of ∂L/∂{kind}: {scaled}")
    args = [A, _PSI, NEURON.a[0], NEURON.b[0], w, K, _COTH]
    return sp.lambdify(args, scaled, modules="numpy")


def log_abs_gradient(kind: Theta, k: Any, w: Any, *, a: Any = 1.0, b: Any, A: Any,
                     phi: Any) -> np.ndarray:
    r""":math:`\log|\partial L(k)/\partial\theta|` for θ = a_j, b_j or w_j of one neuron,
    float64, vectorised (broadcast) over k, w, a, b, A, φ.

    Computed as :math:`\log|\sinh(u)\,\partial L/\partial\theta| + \log|\operatorname{csch} u|`,
    u = πk/(2w): the first factor is sympy's :func:`polar_gradients` expression times
    sinh u (lambdified; only powers of 1/w, sin ψ, cos ψ and coth u remain), the second is
    :func:`log_abs_csch`. No overflow for |w| down to ~1e-300·k; −inf where the gradient
    vanishes. A = A(k), φ = φ(k) are the residual's amplitude and phase at this k.
    """
    if kind not in KINDS:
        raise FPTheoryError(f"kind must be one of {KINDS}, got {kind!r}")
    k, w, a, b, amp, phase = np.broadcast_arrays(*(np.asarray(v, dtype=float)
                                                  for v in (k, w, a, b, A, phi)))
    if np.any(w == 0) or np.any(k == 0):
        raise FPTheoryError("log_abs_gradient needs w ≠ 0 and k ≠ 0")
    u = np.pi * k / (2.0 * w)
    psi = b * k / w - phase
    with np.errstate(divide="ignore"):
        scaled = _scaled_gradient(kind)(amp, psi, a, b, w, k, 1.0 / np.tanh(u))
        return np.log(np.abs(np.broadcast_to(scaled, u.shape))) + log_abs_csch(u)


def log_gradient_ratio(kind: Theta, k1: Any, k2: Any, w: Any, *, a: Any = 1.0, b: Any,
                       A1: Any, A2: Any, phi1: Any, phi2: Any) -> np.ndarray:
    r""":math:`\log(|\partial L(k_1)/\partial\theta| / |\partial L(k_2)/\partial\theta|)`,
    float64, vectorised over w (and the rest); > 0 means the lower frequency k_1 dominates,
    as (1.9) asserts for small W. Finite for any |w| ≥ ~1e-300 (it is about
    π(k_2 − k_1)/(2|w|), e.g. 15708 at k_2 − k_1 = 1, w = 1e-4)."""
    return (log_abs_gradient(kind, k1, w, a=a, b=b, A=A1, phi=phi1)
            - log_abs_gradient(kind, k2, w, a=a, b=b, A=A2, phi=phi2))


def gradient_ratio(kind: Theta, k1: Any, k2: Any, w: Any, *, a: Any = 1.0, b: Any, A1: Any,
                   A2: Any, phi1: Any, phi2: Any) -> np.ndarray:
    r""":math:`|\partial L(k_1)/\partial\theta| / |\partial L(k_2)/\partial\theta|` =
    exp(:func:`log_gradient_ratio`): inf or 0 only where the true ratio is beyond float64
    (e.g. k_1 < k_2 and |w| < ~2e-3 (k_2 − k_1)), never nan from sinh overflow. Compare
    the log for verdicts."""
    diff = log_gradient_ratio(kind, k1, k2, w, a=a, b=b, A1=A1, A2=A2, phi1=phi1, phi2=phi2)
    with np.errstate(over="ignore"):
        return np.exp(diff)


@functools.cache
def _polar_mp(kind: Theta) -> Callable[..., Any]:
    n = NEURON
    return sp.lambdify([A, PHI, n.a[0], n.b[0], n.w[0], K], polar_gradients()[kind],
                       modules="mpmath")


def log_abs_gradient_mp(kind: Theta, k: Any, w: Any, *, a: Any = 1, b: Any, A: Any, phi: Any,
                        dps: int = 50) -> mpmath.mpf:
    """Reference for :func:`log_abs_gradient`: the polar gradient lambdified to mpmath and
    evaluated at ``dps`` digits (mpmath's exponent range is unbounded), then log|·|."""
    with mpmath.workdps(dps):
        v = _polar_mp(kind)(_mpf(A), _mpf(phi), _mpf(a), _mpf(b), _mpf(w), _mpf(k))
        return mpmath.log(abs(v))


# ---------------------------------------------------------------------------------------
# (1.17)-(1.21): the bands in w_j, their measure in B_δ, and the explicit Theorem 1
#
# Setting (the text's): only W = (w_1, ..., w_m) varies, in the ball B_δ ⊂ R^m; a_j, b_j and
# the target are fixed; 0 < k_1 < k_2.  F_i = |f̂(k_i)| > 0.

#: |f̂(k_1)|, |f̂(k_2)|
F1_ABS, F2_ABS = sp.symbols("F_1 F_2", positive=True)
#: the radius δ of B_δ, and δ_1 ≥ δ, the radius at which the w_j-case constants are frozen
DELTA, DELTA1 = sp.symbols("delta delta_1", positive=True)
#: |a_j|, |b_j| of one neuron and Σ_j |a_j|
A_ABS, B_ABS, A_SUM = sp.symbols("a_abs b_abs a_sum", positive=True)
#: a coordinate t = w_j of a point of B_δ
T = sp.Symbol("t", real=True)
#: the band half-width ε in the phase ψ, the band centre x = qπ + α, β = |b_j| k_1
EPS, XQ, BETA = sp.symbols("epsilon x beta", positive=True)

_K1, _K2 = RATIO_SYMBOLS["k1"], RATIO_SYMBOLS["k2"]
#: the rate the steps give: c = π(k_2 - k_1)/2 (the text's c_2 = π(k_2 - k_1) is twice it)
RATE = sp.pi * (_K2 - _K1) / 2


def band_interval(beta: sp.Expr = BETA, x: sp.Expr = XQ,
                  eps: sp.Expr = EPS) -> tuple[sp.Expr, sp.Expr]:
    r"""(1.18): for w > 0, β > 0 and x > ε > 0,
    :math:`|\beta/w - x| \le \varepsilon \iff \beta/(x+\varepsilon) \le w \le \beta/(x-\varepsilon)`
    (β = b_j k_1, x = qπ + arg f̂(k_1), ε = c_1 e^{-c_2/δ} in the text)."""
    return beta / (x + eps), beta / (x - eps)


def band_length(beta: sp.Expr = BETA, x: sp.Expr = XQ, eps: sp.Expr = EPS) -> sp.Expr:
    r"""The length of the (1.18) interval, the summand of (1.20):
    :math:`2\beta\varepsilon/(x^2 - \varepsilon^2)`."""
    return 2 * beta * eps / (x**2 - eps**2)


def ball_marginal_density(m: int, t: sp.Expr = T, delta: sp.Expr = DELTA) -> sp.Expr:
    r"""Density of one coordinate w_j of a point uniform in the ball B_δ ⊂ R^m (the
    normalisation that (1.19)-(1.21) leave out):

    .. math:: \rho_m(t) = \frac{\Gamma(m/2+1)}{\sqrt\pi\,\Gamma((m+1)/2)\,\delta}
              \Big(1 - \frac{t^2}{\delta^2}\Big)^{(m-1)/2},\quad |t| \le \delta,

    the volume of the slice, V_{m-1}(δ² - t²)^{(m-1)/2}, over μ(B_δ) = V_m δ^m. So
    μ({W ∈ B_δ : w_j ∈ I})/μ(B_δ) = ∫_I ρ_m ≤ ρ_m(0)|I|: 1/(2δ) only for m = 1, 2/(πδ) for
    m = 2, ~√(m/2π)/δ for large m.

    >>> ball_marginal_density(2)
    2*sqrt(1 - t**2/delta**2)/(pi*delta)
    """
    if not isinstance(m, int) or m < 1:
        raise FPTheoryError(f"the ball needs dimension m >= 1, got {m!r}")
    half = sp.Rational(m - 1, 2)
    return (sp.gamma(sp.Rational(m, 2) + 1) / (sp.sqrt(sp.pi) * sp.gamma(half + 1) * delta)
            * (1 - t**2 / delta**2) ** half)


def ball_tail_constant(m: int) -> sp.Expr:
    r""":math:`\alpha_m = 2^{(m+1)/2}\Gamma(m/2+1)/\sqrt\pi`, the constant of

    .. math:: E_m(\delta) = \mathbb E_{W\in B_\delta}\, e^{-c/|w_j|}
              \le \alpha_m (\delta/c)^{(m+1)/2} e^{-c/\delta}

    (from 1/t ≥ 1/δ + (δ - t)/δ² and 1 - t²/δ² ≤ 2(1 - t/δ)), and of the edge factor
    :math:`\mathbb E\, e^{-c/r} \le \alpha_m (\delta/c)^{(m-1)/2} e^{-c/\delta}`,
    r = (δ² - |W_{-j}|²)^{1/2} the half-length of the w_j-section.

    >>> ball_tail_constant(1)
    1
    """
    if not isinstance(m, int) or m < 1:
        raise FPTheoryError(f"the ball needs dimension m >= 1, got {m!r}")
    return sp.simplify(2 ** sp.Rational(m + 1, 2) * sp.gamma(sp.Rational(m, 2) + 1) / sp.sqrt(sp.pi))


def ball_tail_mp(m: int, c: Any, delta: Any, dps: int = 30) -> mpmath.mpf:
    r"""E_m(δ) = E_{W ∈ B_δ} e^{-c/|w_j|} = 2∫_0^δ e^{-c/t} ρ_m(t) dt by mpmath quadrature
    (the density lambdified from :func:`ball_marginal_density`); a reference for the
    closed-form bound of :func:`ball_tail_constant`."""
    rho = sp.lambdify([T, DELTA], ball_marginal_density(m), "mpmath")
    with mpmath.workdps(dps):
        c, delta = _mpf(c), _mpf(delta)
        return 2 * mpmath.quad(lambda t: mpmath.exp(-c / t) * rho(t, delta), [0, delta / 2, delta])


@functools.cache
def explicit_expressions() -> dict[str, sp.Expr]:
    r"""The constants of the explicit Theorem 1 as sympy expressions (the source of the
    numbers in :func:`explicit_theorem1`). Symbols: k_1, k_2 (:data:`RATIO_SYMBOLS`),
    :data:`F1_ABS`, :data:`F2_ABS`, :data:`DELTA`, :data:`DELTA1`, :data:`A_ABS`,
    :data:`B_ABS`, :data:`A_SUM`.

    * ``rate``: c = π(k_2 - k_1)/2;
    * ``h_bound_k1``, ``h_bound_k2``: (1.12) on B_δ, |ĥ(k)| ≤ π Σ|a_j|/(δ sinh(πk/2δ))
      (|ĥ_j| = π|a_j|/(|w_j| sinh(πk/2|w_j|)) increases with |w_j| because tanh x < x);
    * ``theta_phase``: sup |∂φ(k_1)/∂w_j|·w_j²/(|b_j|k_1) on B_δ, from
      |∂φ/∂w_j| ≤ |∂ĥ_j/∂w_j|/A(k_1), A(k_1) ≥ F_1/2 and
      ∂ log ĥ_j/∂w_j = -1/w_j - i b_j k/w_j² + (πk/2w_j²) coth(πk/2w_j);
    * ``rho1_min``, ``rho2_max``: bounds on ρ(k) = |(-b_j k, P(k))|, P = (πk/2)coth u - w_j,
      for |w_j| ≤ δ_1 ≤ πk_1/4 (the w_j-gradient is ∝ ρ sin(ψ - χ));
    * ``theta_shift``: sup |∂χ(k_1)/∂w_j|·w_j²/(|b_j|k_1) ≤ δ²/ρ_1,min²;
    * ``S_a``, ``S_b``, ``S_w``: failure ⇒ |sin(ψ_1 - χ)| ≤ S e^{-c/|w_j|} with χ = 0, π/2,
      χ_1 for θ = a_j, b_j, w_j; 4 = (A(k_2) < 2F_2)/(A(k_1) > F_1/2) times the sharp (1.14).
    """
    k1, k2 = _K1, _K2
    d = DELTA

    def h_bound(k: sp.Expr, total: sp.Expr) -> sp.Expr:
        return sp.pi * total / (d * sp.sinh(sp.pi * k / (2 * d)))

    rho1 = sp.sqrt(B_ABS**2 * k1**2 + (sp.pi * k1 / 2 - DELTA1) ** 2)
    rho2 = k2 * sp.sqrt(B_ABS**2 + (sp.pi / 2 * sp.coth(sp.pi * k2 / (2 * DELTA1))) ** 2)
    ratio = 4 * F2_ABS / F1_ABS
    return {
        "rate": RATE,
        "h_bound_k1": h_bound(k1, A_SUM),
        "h_bound_k2": h_bound(k2, A_SUM),
        "theta_phase": 2 * h_bound(k1, A_ABS) * (d + B_ABS * k1 + sp.pi * k1 / 2
                                                 * sp.coth(sp.pi * k1 / (2 * d)))
        / (F1_ABS * B_ABS * k1),
        "rho1_min": rho1,
        "rho2_max": rho2,
        "theta_shift": d**2 / rho1**2,
        "S_a": ratio,
        "S_b": ratio * k2 / k1,
        "S_w": ratio * rho2 / rho1,
    }


@functools.cache
def _explicit_mp(name: str) -> Callable[..., Any]:
    args = [_K1, _K2, F1_ABS, F2_ABS, DELTA, DELTA1, A_ABS, B_ABS, A_SUM]
    return sp.lambdify(args, explicit_expressions()[name], "mpmath")


#: the drift bound θ and the band half-width ε that δ_0 guarantees (then
#: (1+θ)/(1-θ) ≤ 11/9 and π - 2ε ≥ π - 1 in the band lemma)
THETA_MAX = sp.Rational(1, 10)
EPS_MAX = sp.Rational(1, 2)


@dataclass
class ExplicitTheorem1:
    r"""Theorem 1 (1.9) with explicit constants, for fixed a_j ≠ 0, b_j ≠ 0, f̂(k_i) ≠ 0:

    .. math:: 1 - \frac{\mu(E \cap B_\delta)}{\mu(B_\delta)} \le
              e^{-c/\delta}\Big(C_{band}\, p_{m+1}(\delta) + C_{edge}\,\delta\, p_{m-1}(\delta)\Big)
              \le C e^{-c/\delta},\quad 0 < \delta \le \delta_0,

    E the event of (1.9) (all 3m comparisons |∂L(k_1)/∂θ| > |∂L(k_2)/∂θ|), c = π(k_2-k_1)/2,
    :math:`p_n(\delta) = \min(1, \alpha_m(\delta/c)^{n/2})` (:func:`ball_tail_constant`),
    C = C_band + C_edge δ_0. ``failure_bound`` evaluates the middle expression.
    """

    k1: float
    k2: float
    m: int
    c: float
    c_expr: sp.Expr
    C: float
    delta0: float
    verdict: str
    evidence: list[str]
    C_band: float = math.nan
    C_edge: float = math.nan
    alpha_m: float = math.nan
    fhat1: complex = 0j
    fhat2: complex = 0j
    a: tuple[float, ...] = ()
    b: tuple[float, ...] = ()
    terms: list[dict[str, Any]] = field(default_factory=list)
    conditions: dict[str, Any] = field(default_factory=dict)

    def failure_bound(self, delta: float) -> float:
        """Bound on 1 - ratio of (1.9) at δ; ``math.nan`` outside 0 < δ ≤ δ_0."""
        delta = float(delta)
        if not (math.isfinite(delta) and 0 < delta <= self.delta0):
            return math.nan
        x = delta / self.c
        p_hi = min(1.0, self.alpha_m * x ** ((self.m + 1) / 2))
        p_lo = min(1.0, self.alpha_m * x ** ((self.m - 1) / 2))
        return math.exp(-self.c / delta) * (self.C_band * p_hi + self.C_edge * delta * p_lo)

    def to_dict(self) -> dict[str, Any]:
        return {"k1": self.k1, "k2": self.k2, "m": self.m, "c": self.c, "c_expr": str(self.c_expr),
                "C": self.C, "delta0": self.delta0, "verdict": self.verdict,
                "evidence": list(self.evidence), "C_band": self.C_band, "C_edge": self.C_edge,
                "alpha_m": self.alpha_m,
                "fhat1": [self.fhat1.real, self.fhat1.imag],
                "fhat2": [self.fhat2.real, self.fhat2.imag],
                "a": list(self.a), "b": list(self.b), "terms": self.terms,
                "conditions": self.conditions}


def _finite_float(value: Any, name: str) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise FPTheoryError(f"{name} must be a real number, got {value!r}") from None
    if not math.isfinite(out):
        raise FPTheoryError(f"{name} must be finite, got {value!r}")
    return out


def _largest_delta(condition: Callable[[mpmath.mpf], bool], hi: mpmath.mpf) -> mpmath.mpf:
    """The largest δ ≤ hi (to ~1e-12 relative) with ``condition(δ)``, for a condition that
    holds on an interval (0, δ*] (every condition here is f(δ) ≤ bound with f increasing)."""
    if condition(hi):
        return hi
    lo = hi
    for _ in range(400):
        lo = lo / 2
        if condition(lo):
            break
    else:
        raise FPTheoryError("no δ > 0 satisfies the conditions of step (1.13)")
    for _ in range(60):
        mid = mpmath.sqrt(lo * hi)
        if condition(mid):
            lo = mid
        else:
            hi = mid
    return lo


EXPLICIT_EVIDENCE = [
    "proved (sympy): the gradients in closed form (1.10), their factorisation for θ = a_j, b_j, "
    "w_j (1.11, 1.9-b, 1.9-w); |ĥ_j| = π|a_j|/(|w_j| sinh(πk/2|w_j|)) and the log-derivative "
    "of ĥ_j in w_j (1.12, 1.17-1.18); the sharp (1.14) sinh(u1)/sinh(u2) < e^{-(u2-u1)}; the "
    "band interval and length (1.18)=(1.20) and the gap comparison (1.19-1.20); the ball "
    "marginal ρ_m (m = 1..6) and 1/t ≥ 1/δ + (δ-t)/δ² (1.21-norm)",
    "certified (arb): Jordan's inequality (2/π)x ≤ sin x on [0, π/2] (1.16-lemma); tanh x ≤ x "
    "on [0, ∞) (so |ĥ_j| and the drift bounds increase with |w_j|)",
    "argued, not machine-checked: the union bound over the 3m comparisons; Fubini over the "
    "w_j-sections of B_δ; the band lemma (in v = 1/w_j the phase ψ_1 is bi-Lipschitz with "
    "constants (1 ± θ)|b_j|k_1, so each band is at most 2ε(1+θ)/((π-2ε)(1-θ)) times its "
    "preceding gap, plus one edge band); the triangle-inequality bounds behind θ and ρ",
    "sampled: Monte Carlo of the event (float64 log-space gradients, near-ties re-decided at "
    "40 digits) with Clopper-Pearson intervals at fixed parameter sets (claim 1.9-explicit); "
    "not at every parameter set: run sample_failure for yours",
]


def explicit_theorem1(k1: float, k2: float, fhat1: complex, fhat2: complex,
                      a: Sequence[float], b: Sequence[float]) -> ExplicitTheorem1:
    r"""Theorem 1 (1.9) with c, C, δ_0 derived from the steps (1.10)-(1.21), for every θ in
    {a_j, w_j, b_j}.

    For each neuron j and kind θ, failure of |∂L(k_1)/∂θ| > |∂L(k_2)/∂θ| forces
    :math:`|\sin(\psi_1 - \chi)| \le S_{\theta j} e^{-c/|w_j|}`, ψ_1 = b_j k_1/w_j - φ(k_1),
    so by Jordan ψ_1 - χ lies within :math:`\varepsilon = (\pi/2) S e^{-c/|w_j|}` of πZ.
    In v = 1/w_j these bands are the preimages of intervals under a map with slope
    (1 ± θ)|b_j|k_1; a band's w-measure is at most :math:`K = 2(1+θ)/((π - 2ε_0)(1-θ))`
    times the ∫ε over its preceding gap, plus one edge band of w-length
    2ε r²/((1-θ)|b_j|k_1) at the end r of the section. Averaging over B_δ:

    .. math:: \frac{\mu(F_{\theta j})}{\mu(B_\delta)} \le \frac{\pi}{2} S_{\theta j}
        \Big(K\,\mathbb E\, e^{-c/|w_j|} + \frac{4}{(1-θ)|b_j|k_1}
        \frac{1}{\mu(B_\delta)}\int e^{-c/r} r^2\Big),

    and :func:`ball_tail_constant` bounds both averages. δ_0 is the largest δ ≤ πk_1/4 with
    A(k_1) > F_1/2 and A(k_2) < 2F_2 (from (1.12)), θ ≤ 1/10 and ε ≤ 1/2 for every (j, θ).

    Raises FPTheoryError unless 0 < k_1 < k_2, f̂(k_i) ≠ 0, a_j ≠ 0 (with a_j = 0 the b_j and
    w_j gradients vanish at both frequencies: the event of (1.9) is empty) and b_j ≠ 0 (the
    bands in w_j come from b_j k_1/w_j; the text's "w.l.o.g. b_j > 0" does not cover 0).

    >>> th = explicit_theorem1(1, 2, 1, 0.5, [0.1], [1.0])
    >>> round(th.c, 6), th.m, th.failure_bound(2 * th.delta0)
    (1.570796, 1, nan)
    """
    k1f, k2f = _finite_float(k1, "k1"), _finite_float(k2, "k2")
    if not 0 < k1f < k2f:
        raise FPTheoryError(f"need 0 < k1 < k2 (the text's w.l.o.g.), got k1={k1}, k2={k2}")
    f1c, f2c = complex(fhat1), complex(fhat2)
    if not all(math.isfinite(v) for v in (f1c.real, f1c.imag, f2c.real, f2c.imag)):
        raise FPTheoryError("f̂(k1), f̂(k2) must be finite complex numbers")
    if f1c == 0 or f2c == 0:
        raise FPTheoryError("Theorem 1 needs f̂(k1) ≠ 0 and f̂(k2) ≠ 0")
    a_t = tuple(_finite_float(v, f"a_{j + 1}") for j, v in enumerate(a))
    b_t = tuple(_finite_float(v, f"b_{j + 1}") for j, v in enumerate(b))
    if len(a_t) != len(b_t) or not a_t:
        raise FPTheoryError(f"a and b need the same length >= 1, got {len(a_t)} and {len(b_t)}")
    if any(v == 0 for v in a_t):
        raise FPTheoryError("a_j = 0: the b_j- and w_j-gradients vanish at both frequencies, so "
                            "the event of (1.9) is empty; Theorem 1 needs every a_j ≠ 0")
    if any(v == 0 for v in b_t):
        raise FPTheoryError("b_j = 0 is outside the steps (1.17)-(1.21): the bands in w_j come "
                            "from b_j k1/w_j (the text assumes b_j > 0 w.l.o.g.)")
    m = len(a_t)
    with mpmath.workdps(30):
        K1, K2 = _mpf(k1f), _mpf(k2f)
        F1, F2 = abs(_mpc(f1c)), abs(_mpc(f2c))
        a_sum = mpmath.fsum(abs(_mpf(v)) for v in a_t)
        c = mpmath.pi * (K2 - K1) / 2

        def ev(name: str, delta: Any, delta1: Any = 1, a_abs: Any = 1, b_abs: Any = 1) -> mpmath.mpf:
            return _explicit_mp(name)(K1, K2, F1, F2, delta, delta1, a_abs, b_abs, a_sum)

        # step (1.13) made explicit: A(k1) ≥ F1 - |ĥ(k1)| > F1/2, A(k2) ≤ F2 + |ĥ(k2)| < 2F2
        cap = mpmath.pi * K1 / 4
        delta1 = _largest_delta(lambda d: ev("h_bound_k1", d) < F1 / 2
                                and ev("h_bound_k2", d) < F2, cap)
        terms: list[dict[str, Any]] = []
        specs = []
        for j, (aj, bj) in enumerate(zip(a_t, b_t, strict=True)):
            aa, bb = abs(_mpf(aj)), abs(_mpf(bj))
            for kind in KINDS:
                s = ev(f"S_{kind}", delta1, delta1, aa, bb)

                def theta(d: Any, kind: str = kind, aa: Any = aa, bb: Any = bb) -> mpmath.mpf:
                    t = ev("theta_phase", d, delta1, aa, bb)
                    return t + ev("theta_shift", d, delta1, aa, bb) if kind == "w" else t

                specs.append((j, kind, s, theta, bb))
        delta0 = _largest_delta(
            lambda d: all(theta(d) <= THETA_MAX and mpmath.pi / 2 * s * mpmath.exp(-c / d) <= EPS_MAX
                          for _, _, s, theta, _ in specs), delta1)
        c_band = c_edge = mpmath.mpf(0)
        for j, kind, s, theta, bb in specs:
            th, eps0 = theta(delta0), mpmath.pi / 2 * s * mpmath.exp(-c / delta0)
            k_band = 2 * (1 + th) / ((mpmath.pi - 2 * eps0) * (1 - th))
            beta = bb * K1
            band = mpmath.pi / 2 * s * k_band
            edge = mpmath.pi / 2 * s * 2 / ((1 - th) * beta)
            c_band += band
            c_edge += edge
            terms.append({"j": j + 1, "kind": kind, "S": float(s), "theta": float(th),
                          "eps0": float(eps0), "K": float(k_band), "band": float(band),
                          "edge": float(edge)})
        conditions = {
            "cap_pi_k1_over_4": float(cap), "delta1_A_bounds": float(delta1),
            "h_bound_k1_over_F1": float(ev("h_bound_k1", delta0) / F1),
            "h_bound_k2_over_F2": float(ev("h_bound_k2", delta0) / F2),
            "theta_max": float(max(theta(delta0) for *_, theta, _ in specs)),
            "eps_max": float(max(mpmath.pi / 2 * s * mpmath.exp(-c / delta0) for _, _, s, _, _ in specs)),
        }
        total = c_band + c_edge * delta0
        return ExplicitTheorem1(
            k1=k1f, k2=k2f, m=m, c=float(c), c_expr=RATE, C=float(total), delta0=float(delta0),
            verdict="sampled", evidence=list(EXPLICIT_EVIDENCE), C_band=float(c_band),
            C_edge=float(c_edge), alpha_m=float(ball_tail_constant(m)), fhat1=f1c, fhat2=f2c,
            a=a_t, b=b_t, terms=terms, conditions=conditions)


@functools.cache
def _neuron_transform_np() -> Callable[..., Any]:
    n = NEURON
    return sp.lambdify([n.a[0], n.w[0], n.b[0], K], neuron_transform(n.a[0], n.w[0], n.b[0]),
                       modules="numpy")


def uniform_in_ball(rng: np.random.Generator, n: int, m: int,
                    radius: float | np.ndarray) -> np.ndarray:
    """n points uniform in the m-ball of the given radius (one radius, or one per row):
    Gaussian direction, radius·U^{1/m}; shape (n, m). No checks (see :func:`ball_sample`)."""
    x = rng.standard_normal((n, m))
    norms = np.sqrt(np.einsum("ij,ij->i", x, x))
    r = np.asarray(radius, dtype=float).reshape(-1) * rng.random(n) ** (1.0 / m)
    return x * (r / norms)[:, None]


def ball_sample(m: int, delta: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """n points uniform in the ball B_δ ⊂ R^m; shape (n, m) (:func:`uniform_in_ball`, checked)."""
    if m < 1 or n < 1 or not (math.isfinite(delta) and delta > 0):
        raise FPTheoryError(f"ball_sample needs m >= 1, n >= 1, δ > 0; got {m}, {n}, {delta}")
    return uniform_in_ball(rng, n, m, delta)


def event_margins(W: np.ndarray, k1: float, k2: float, fhat1: complex, fhat2: complex,
                  a: Sequence[float], b: Sequence[float]) -> np.ndarray:
    r"""log(|∂L(k_1)/∂θ| / |∂L(k_2)/∂θ|) for every θ in {a_j, b_j, w_j}, at each row of W;
    shape (n, 3m), columns a_1..a_m, b_1..b_m, w_1..w_m. The event of (1.9) is "all > 0".

    D(k) = Σ_j ĥ_j(k) - f̂(k) from the engine's transform (lambdified to numpy; csch of a huge
    argument is 0, never nan) and the gradients from :func:`log_gradient_ratio` (log space:
    no overflow for tiny |w_j|)."""
    W = np.atleast_2d(np.asarray(W, dtype=float))
    a_arr, b_arr = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if W.shape[1] != a_arr.size or a_arr.size != b_arr.size:
        raise FPTheoryError(f"W has {W.shape[1]} columns, a and b {a_arr.size} and {b_arr.size}")
    if np.any(W == 0) or not np.all(np.isfinite(W)):
        raise FPTheoryError("every w_j must be finite and nonzero")
    h = _neuron_transform_np()
    amp, phase = {}, {}
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for i, (k, fhat) in enumerate(((k1, fhat1), (k2, fhat2)), start=1):
            d = np.sum(h(a_arr[None, :], W, b_arr[None, :], k), axis=1) - complex(fhat)
            amp[i], phase[i] = np.abs(d), np.angle(d)
    cols = []
    for kind in KINDS:
        for j in range(a_arr.size):
            cols.append(log_gradient_ratio(kind, k1, k2, W[:, j], a=a_arr[j], b=b_arr[j],
                                           A1=amp[1], A2=amp[2], phi1=phase[1], phi2=phase[2]))
    out = np.stack(cols, axis=1)
    if np.any(np.isnan(out)):
        raise FPTheoryError("a gradient ratio is nan (overflow in the event evaluation)")
    return out


def _event_mp(w: Sequence[float], k1: float, k2: float, fhat1: complex, fhat2: complex,
              a: Sequence[float], b: Sequence[float], dps: int = 40) -> bool:
    """The event of (1.9) at one point, decided with the sympy gradients at ``dps`` digits."""
    params = NetworkParams(tuple(a), tuple(w), tuple(b))
    ev = gradient_evaluator(len(a))
    g1, g2 = ev(params, fhat1, k1, dps), ev(params, fhat2, k2, dps)
    return all(abs(g1[name]) > abs(g2[name]) for name in g1)


@dataclass
class FailureSample:
    """Monte Carlo estimate of 1 - ratio of (1.9) at one δ, with a Clopper-Pearson interval."""

    delta: float
    n: int
    failures: int
    low: float
    high: float
    confidence: float
    rechecked: int  # near-ties re-decided at 40 digits
    bound: float  # failure_bound(δ) of the theorem tested
    seed: int

    @property
    def consistent(self) -> bool:
        """The bound is not below the interval: the data do not contradict it."""
        return self.bound >= self.low

    def to_dict(self) -> dict[str, Any]:
        return {"delta": self.delta, "n": self.n, "failures": self.failures,
                "fraction": self.failures / self.n, "clopper_pearson": [self.low, self.high],
                "confidence": self.confidence, "rechecked_at_40_digits": self.rechecked,
                "bound": self.bound, "consistent": self.consistent, "seed": self.seed}


def sample_failure(theorem: ExplicitTheorem1, delta: float, n: int = 20000, seed: int = 0, *,
                   confidence: float = 0.999, bound: Callable[[float], float] | None = None,
                   tie_tolerance: float = 1e-9) -> FailureSample:
    """Sample W uniformly in B_δ, count the points where some comparison of (1.9) fails, and
    compare with ``theorem.failure_bound(δ)`` (or ``bound(δ)``: a planted variant).

    Points whose smallest log-ratio is within ``tie_tolerance`` of 0 are re-decided with the
    sympy gradients at 40 digits (:func:`_event_mp`)."""
    from scipy.stats import binomtest

    rng = np.random.default_rng(seed)
    W = ball_sample(theorem.m, float(delta), int(n), rng)
    margins = event_margins(W, theorem.k1, theorem.k2, theorem.fhat1, theorem.fhat2, theorem.a,
                            theorem.b).min(axis=1)
    fail = margins <= 0
    near = np.flatnonzero(np.abs(margins) < tie_tolerance)
    for i in near:
        fail[i] = not _event_mp(W[i], theorem.k1, theorem.k2, theorem.fhat1, theorem.fhat2,
                                theorem.a, theorem.b)
    failures = int(fail.sum())
    ci = binomtest(failures, int(n)).proportion_ci(confidence_level=confidence, method="exact")
    value = (bound or theorem.failure_bound)(float(delta))
    if not math.isfinite(value):
        raise FPTheoryError(f"δ = {delta} is outside (0, δ0 = {theorem.delta0:.6g}]")
    return FailureSample(float(delta), int(n), failures, float(ci.low), float(ci.high), confidence,
                         int(near.size), float(value), seed)
