r"""The tanh two-layer network of Theorem 1 (§1.1.1), its transform, residual and
per-frequency loss (1.1)-(1.4).

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
constant at each frequency.

Contents

* symbols and model: :func:`network_symbols`, :data:`NEURON`, :func:`neuron_transform`,
  :func:`network_transform`, :func:`target_constant`, :func:`residual`, :func:`loss`;
* numeric parameter values for the mpmath evaluations: :class:`NetworkParams` (and the
  package-internal converters ``_mpf``, ``_mpc``).

>>> net = network_symbols(2)
>>> net.model
a_1*tanh(b_1 + w_1*x) + a_2*tanh(b_2 + w_2*x)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Literal

import mpmath
import sympy as sp

from fptheory.core.errors import FPTheoryError
from fptheory.fourier.conventions import ANGULAR, FourierConvention
from fptheory.fourier.engine import K, fourier_transform

__all__ = [
    "Theta",
    "KINDS",
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
    "NetworkParams",
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


# ---------------------------------------------------------------------------------------
# numeric parameter values (mpmath), for the evaluators and the checks


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
