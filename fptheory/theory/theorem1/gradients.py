r"""The exact gradients of the per-frequency loss of Theorem 1 (§1.1.1) and the text's
(1.10) with its factor E_0.

For a real parameter θ of the network (1.1),

.. math:: \frac{\partial L(k)}{\partial\theta}
          = \operatorname{Re}\Big(\overline{D(k)}\,\frac{\partial \hat h(k)}{\partial\theta}\Big),

and sympy differentiates :math:`\hat h_j` (:func:`~.network.neuron_transform`). The derivative
of :math:`|w_j|` is :math:`\operatorname{sign}(w_j)` (sympy's rule for a real, nonzero
:math:`w_j`): every gradient is one expression valid for both signs of :math:`w_j`, written
with ``Abs(w_j)`` and ``sign(w_j)``; :func:`identify_E0` works in the sign cases
:math:`w_j > 0`, :math:`w_j < 0` separately (and shows both give one E_0).

Contents

* gradients: :func:`gradient_expressions` (explicit in the network's parameters),
  :func:`polar_gradients` (one neuron, in :math:`A, \phi`), :func:`gradient_evaluator`
  (mpmath callables lambdified from the former);
* the proof's (1.10): :func:`text_a_gradient`, :func:`identify_E0`.

>>> polar_gradients()["a"]
pi*A*sin(b*k/w - phi)/(sinh(pi*k/(2*w))*Abs(w))
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import mpmath
import sympy as sp

from fptheory.core.errors import FPTheoryError
from fptheory.fourier.engine import K
from fptheory.verify.claims import Assessment, assess_identity

from .network import (
    _PSI,
    E0,
    F_IM,
    F_RE,
    KINDS,
    NEURON,
    PHI,
    A,
    Network,
    NetworkParams,
    _mpc,
    _mpf,
    network_symbols,
    network_transform,
    neuron_transform,
    target_constant,
)

__all__ = [
    "gradient_expressions",
    "polar_gradients",
    "GradientEvaluator",
    "gradient_evaluator",
    "text_a_gradient",
    "E0Identification",
    "identify_E0",
]


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


# ---------------------------------------------------------------------------------------
# (1.10): the a_j-gradient in the text's form


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
