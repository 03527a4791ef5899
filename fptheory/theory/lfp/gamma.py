r"""γ(ξ)² of the linear frequency principle (1.26), derived from the gradient features; the inits.

In the ORDINARY convention :math:`\mathcal F[f](\xi) = \int f(x) e^{-2\pi i x\xi} dx`
(:data:`fptheory.fourier.conventions.ORDINARY`).

**γ(ξ)² from the gradient features (1.26).** A two-layer net :math:`h = \sum_j a_j
\sigma(w_j x + b_j)` (1.25) trained by gradient flow on the loss :math:`\tfrac12\int u^2\rho`
in the linear (NTK) regime moves as :math:`\partial_t h = -\int K(x, y) u(y)\rho(y) dy` with the
kernel :math:`K = \mathbb E[\nabla_\theta h(x)\cdot\nabla_\theta h(y)]` of the three gradient
features: :math:`\sigma(wx+b)` (a), :math:`a\sigma'(wx+b)` (b), :math:`a\sigma'(wx+b)x` (w). The
transform of a neuron is :math:`\frac{1}{|w|}e^{2\pi i b\xi/w}\hat\sigma(\xi/w)` (the engine's
affine rule); for a flat bias of density :math:`c_b`,
:math:`c_b\int e^{2\pi i b(\xi-\eta)/w} db = c_b|w|\delta(\xi-\eta)`, so the a- and b-features
act as the Fourier multiplier

.. math:: \gamma(\xi)^2 = c_b\,\mathbb E\big[|w|\,|\mathcal F[\sigma(w\cdot+b)](\xi)|^2
          + a^2|w|\,|\mathcal F[\sigma'(w\cdot+b)](\xi)|^2\big],

which for ReLU (:math:`\hat\sigma = -1/(4\pi^2\xi^2)`, :math:`\hat H = 1/(2\pi i\xi)`) is
:math:`c_b\mathbb E[r^3/(16\pi^4\xi^4) + a^2 r/(4\pi^2\xi^2)]` — the chapter's form with
:math:`c_b = 1`. The w-feature is *not* a multiplier: :math:`\mathcal F[x g] = \frac{i}{2\pi}
\partial_\xi\mathcal F[g]`, so it adds :math:`\frac{1}{4\pi^2}\partial_\xi(\gamma_b(\xi)^2
\partial_\xi\mathcal F[u_\rho])`, which the chapter's γ² leaves out (:func:`derive_gamma_squared`).

**Initialisations** (:class:`Init`, :data:`CHAPTER_INITS`) and their exact moments
(:func:`moments`) turn the per-neuron integrand into γ(ξ)² (:func:`gamma_squared`).

>>> g = derive_gamma_squared("relu")
>>> g.integrand
a**2*c_b*r/(4*pi**2*xi**2) + c_b*r**3/(16*pi**4*xi**4)
>>> sp.simplify(g.integrand.subs(C_B, 1) - chapter_integrand(1)) == 0
True
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp

from fptheory.core.errors import FPTheoryError
from fptheory.fourier.activations import REGISTRY, X
from fptheory.fourier.conventions import ORDINARY, FourierConvention
from fptheory.fourier.engine import K as K_SYMBOL
from fptheory.fourier.engine import fourier_transform

__all__ = [
    "XI", "R", "A", "W", "B", "C_B", "D", "Init", "CHAPTER_INITS", "GammaDerivation",
    "derive_gamma_squared", "chapter_integrand", "w_feature_transform_rule", "w_feature_operator",
    "sphere_factor", "polar_jacobian", "moments", "gamma_squared",
]

XI = sp.Symbol("xi", positive=True)  #: ‖ξ‖ > 0 (the transforms' regular parts; δ terms sit at 0)
R = sp.Symbol("r", positive=True)  #: r = |w|
A = sp.Symbol("a", real=True)  #: output weight
W = sp.Symbol("w", real=True)  #: input weight
B = sp.Symbol("b", real=True)  #: bias
C_B = sp.Symbol("c_b", positive=True)  #: density of the flat bias distribution
D = sp.Symbol("d", positive=True, integer=True)  #: input dimension


# ---------------------------------------------------------------------------------------
# γ(ξ)² from the gradient features


def chapter_integrand(d: int | sp.Expr = D) -> sp.Expr:
    r"""The chapter's integrand in (1.26): r³/(16π⁴‖ξ‖^{d+3}) + a² r/(4π²‖ξ‖^{d+1})."""
    return R**3 / (16 * sp.pi**4 * XI ** (d + 3)) + A**2 * R / (4 * sp.pi**2 * XI ** (d + 1))


@dataclass
class GammaDerivation:
    """γ(ξ)² per neuron (d = 1) from the a- and b-gradient features, with its derivation.

    ``a_term`` and ``b_term`` are functions of r = |w|, a, ξ > 0 and the bias density c_b;
    ``integrand = a_term + b_term`` is what (1.26) averages over the initialisation.
    ``transforms`` holds the engine's regular parts (ordinary convention, variable k).
    """

    activation: str
    convention: FourierConvention
    sigma: sp.Expr
    sigma_prime: sp.Expr
    transforms: dict[str, sp.Expr]
    a_term: sp.Expr
    b_term: sp.Expr
    steps: list[str] = field(default_factory=list)

    @property
    def integrand(self) -> sp.Expr:
        return self.a_term + self.b_term

    def to_dict(self) -> dict[str, Any]:
        return {
            "activation": self.activation,
            "convention": self.convention.name,
            "sigma": str(self.sigma),
            "sigma_prime": str(self.sigma_prime),
            "transforms": {k: str(v) for k, v in self.transforms.items()},
            "a_term": str(self.a_term),
            "b_term": str(self.b_term),
            "integrand": str(self.integrand),
            "steps": self.steps,
        }


def _modulus_squared_in_r(spectrum: sp.Expr) -> sp.Expr:
    """|F(ξ)|² as a function of r = |w| for ξ > 0, checked equal for w = r and w = -r."""
    spec = spectrum.subs(K_SYMBOL, XI)
    forms = []
    for sign in (1, -1):
        s = spec.subs(W, sign * R)
        forms.append(sp.simplify(sp.expand_complex(s * sp.conjugate(s)).rewrite(sp.exp)))
    if sp.simplify((forms[0] - forms[1]).rewrite(sp.exp)) != 0:
        raise FPTheoryError(f"|F|² depends on the sign of w for {spectrum}")  # not expected
    if forms[0].has(B):
        raise FPTheoryError(f"|F|² depends on the bias for {spectrum}")  # not expected
    return sp.simplify(forms[0])


@functools.cache
def derive_gamma_squared(activation: str = "relu",
                         convention: FourierConvention = ORDINARY) -> GammaDerivation:
    r"""Derive the per-neuron integrand of γ(ξ)² (1.26), d = 1, from the engine's transforms.

    σ is the registry entry ``activation`` (``relu``, ``tanh``, ...), σ' its sympy derivative
    (ReLU: Heaviside; tanh: 1 - tanh²). Only the ORDINARY convention is meaningful here: (1.26)
    is stated with the kernel e^{-2πixξ}; another convention raises.
    """
    if convention != ORDINARY:
        raise FPTheoryError("γ(ξ)² (1.26) is stated in the ordinary convention e^{-2πixξ}")
    if activation not in REGISTRY:
        raise FPTheoryError(f"unknown activation {activation!r}; registry: {', '.join(sorted(REGISTRY))}")
    sigma = REGISTRY[activation].expression
    if REGISTRY[activation].parameters:
        raise FPTheoryError(f"{activation} has parameters; γ² needs a parameter-free activation")
    sigma_prime = sp.diff(sigma, X)
    arg = W * X + B
    f_sigma = fourier_transform(sigma.subs(X, arg), X, convention)
    f_prime = fourier_transform(sigma_prime.subs(X, arg), X, convention)
    m_sigma = _modulus_squared_in_r(f_sigma.regular)
    m_prime = _modulus_squared_in_r(f_prime.regular)
    a_term = sp.simplify(C_B * R * m_sigma)
    b_term = sp.simplify(C_B * R * A**2 * m_prime)
    steps = [
        f"neuron: F[σ(wx+b)](ξ) = {f_sigma.regular} (engine, {convention.name}; regular part, "
        f"ξ ≠ 0; δ terms at ξ = 0: {f_sigma.singular})",
        f"a-gradient feature σ(wx+b): |F|² = {m_sigma} (r = |w|, both signs of w, independent of b)",
        f"b-gradient feature a σ'(wx+b), σ' = {sigma_prime}: F = {f_prime.regular}, "
        f"|F|² = {m_prime}",
        "flat bias of density c_b: c_b ∫ e^{2πib(ξ-η)/w} db = c_b |w| δ(ξ - η) (the transform of "
        "1 is δ, scaled by 1/w): the kernel is diagonal in ξ with multiplier c_b |w| |F|²",
        f"a-term = {a_term}; b-term = {b_term}",
        "w-gradient feature a σ'(wx+b) x: F[x g] = (i/2π) ∂_ξ F[g], so its kernel gives "
        "(1/4π²) ∂_ξ(γ_b² ∂_ξ F[u_ρ]) — a derivative term, not a multiplier (left out of (1.26))",
    ]
    return GammaDerivation(activation, convention, sigma, sigma_prime,
                           {"sigma": f_sigma.regular, "sigma_prime": f_prime.regular},
                           a_term, b_term, steps)


def w_feature_transform_rule(activation: str = "relu") -> tuple[sp.Expr, sp.Expr]:
    """(engine transform of x σ'(wx+b), (i/2π) ∂_ξ of the engine transform of σ'(wx+b)).

    The two agree (the polynomial rule in the ordinary convention): the w-feature's kernel is
    (x ⊗ y) times the b-feature's, i.e. the operator -(1/4π²) ∂_ξ γ_b² ∂_ξ in Fourier space.
    """
    sigma_prime = sp.diff(REGISTRY[activation].expression, X)
    g = sigma_prime.subs(X, W * X + B)
    lhs = fourier_transform(X * g, X, ORDINARY).regular
    rhs = sp.I / (2 * sp.pi) * sp.diff(fourier_transform(g, X, ORDINARY).regular, K_SYMBOL)
    return lhs, rhs


def w_feature_operator(u_hat: sp.Expr, gamma_b2: sp.Expr, xi: sp.Symbol = XI) -> sp.Expr:
    r"""The w-gradient feature's action in Fourier space: :math:`L[\hat u] =
    -\frac{1}{4\pi^2}\partial_\xi\big(\gamma_b(\xi)^2\,\partial_\xi \hat u(\xi)\big)`.

    The kernel of the w-feature :math:`a\sigma'(wx+b)x` is (x ⊗ y) times the b-feature's
    (:func:`w_feature_transform_rule`); with :math:`\mathcal F[xg] = \frac{i}{2\pi}\partial_\xi
    \mathcal F[g]` it acts as this operator, positive (:math:`\int \bar{\hat u} L[\hat u] =
    \frac{1}{4\pi^2}\int\gamma_b^2|\partial_\xi\hat u|^2 \ge 0`), so the linear dynamics read
    :math:`\partial_t\hat h = -(\gamma^2\hat u + L[\hat u])` — the term (1.26) leaves out.
    ``gamma_b2`` is the b-feature's multiplier (the b-term of :func:`derive_gamma_squared`
    averaged over the init), as a sympy expression in ``xi``.

    >>> w_feature_operator(sp.exp(-XI**2), 1).equals(-(4*XI**2 - 2)*sp.exp(-XI**2)/(4*sp.pi**2))
    True
    """
    u_hat, gamma_b2 = sp.sympify(u_hat), sp.sympify(gamma_b2)
    return -sp.diff(gamma_b2 * sp.diff(u_hat, xi), xi) / (4 * sp.pi**2)


def sphere_factor(d: int | sp.Expr = D) -> sp.Expr:
    r"""2/|S^{d-1}| = Γ(d/2)/π^{d/2}: the isotropic direction average of the line-supported
    neuron transforms in d dimensions (1 for d = 1)."""
    return sp.gamma(sp.Rational(1, 2) * d) / sp.pi ** (sp.Rational(1, 2) * d)


def polar_jacobian(d: int) -> tuple[sp.Expr, sp.Expr]:
    r"""(|det ∂η/∂(s, angles)|, |s|^{d-1} × surface element) for η = s ŵ(angles), d = 2, 3.

    Equal: ∫_{S^{d-1}} ∫_R g(sŵ) ds dS(ŵ) = ∫ g(η) 2/‖η‖^{d-1} dη, which turns the line
    transforms of σ(w·x + b) into the factor 2/(|S^{d-1}| ‖ξ‖^{d-1}) of :func:`sphere_factor`.
    """
    s = sp.Symbol("s", positive=True)
    if d == 2:
        t = sp.Symbol("theta", real=True)
        eta = sp.Matrix([s * sp.cos(t), s * sp.sin(t)])
        jac = eta.jacobian([s, t]).det()
        return sp.simplify(sp.Abs(jac)), s
    if d == 3:
        t, p = sp.Symbol("theta", positive=True), sp.Symbol("phi", real=True)
        eta = sp.Matrix([s * sp.sin(t) * sp.cos(p), s * sp.sin(t) * sp.sin(p), s * sp.cos(t)])
        jac = sp.simplify(eta.jacobian([s, t, p]).det())
        return sp.simplify(jac.subs(sp.sin(t), sp.Symbol("S", positive=True))).subs(
            sp.Symbol("S", positive=True), sp.sin(t)), s**2 * sp.sin(t)
    raise FPTheoryError("polar_jacobian: d must be 2 or 3")


# ---------------------------------------------------------------------------------------
# initialisations and their exact moments


@dataclass(frozen=True)
class Init:
    """Initial distribution of (w, a, b): ``uniform`` on [-s, s] or ``normal`` N(0, s²).

    ``w``, ``a``, ``b`` are the scales (U for uniform, σ for normal). The chapter's figure 1.6
    uses uniform ones (:data:`CHAPTER_INITS`).
    """

    distribution: str
    w: float
    a: float
    b: float

    def __post_init__(self) -> None:
        if self.distribution not in ("uniform", "normal"):
            raise FPTheoryError(f"init distribution must be uniform or normal, got {self.distribution!r}")
        for name in ("w", "a", "b"):
            v = getattr(self, name)
            if not (isinstance(v, (int, float)) and math.isfinite(v) and v > 0):
                raise FPTheoryError(f"init scale {name} must be a finite number > 0, got {v!r}")

    def density(self, variable: sp.Symbol, scale: float) -> tuple[sp.Expr, tuple]:
        s = sp.nsimplify(scale)
        if self.distribution == "uniform":
            return 1 / (2 * s), (variable, -s, s)
        return sp.exp(-variable**2 / (2 * s**2)) / (sp.sqrt(2 * sp.pi) * s), (variable, -sp.oo, sp.oo)

    def expectation(self, expr: sp.Expr, variable: sp.Symbol, scale: float) -> sp.Expr:
        """E[expr] over ``variable`` with this distribution at ``scale``, exactly (sympy)."""
        dens, limits = self.density(variable, scale)
        v = sp.Symbol(variable.name, real=True)
        return sp.simplify(sp.integrate((expr * dens).subs(variable, v), (v, *limits[1:])))

    @property
    def bias_density(self) -> sp.Expr:
        """c_b: the flat part of the bias density (1/(2U) for uniform, 1/(√(2π)σ) at b = 0)."""
        s = sp.nsimplify(self.b)
        return 1 / (2 * s) if self.distribution == "uniform" else 1 / (sp.sqrt(2 * sp.pi) * s)

    def to_dict(self) -> dict[str, Any]:
        return {"distribution": self.distribution, "w": self.w, "a": self.a, "b": self.b}


CHAPTER_INITS: dict[str, Init] = {
    "a": Init("uniform", 3.0, 0.01, 3.0),  # figure 1.6(a): ⟨r²⟩ ≫ ⟨a²⟩, "1/ξ⁴ dominates"
    "b": Init("uniform", 0.1, 2.0, 2.0),  # figure 1.6(b): ⟨r²⟩ ≪ ⟨a²⟩, "1/ξ² dominates"
}


def moments(init: Init) -> dict[str, sp.Expr]:
    """E|w|³, E|w|, E w², E a² exactly (sympy integrals over the initial densities)."""
    w = sp.Symbol("w", real=True)
    a = sp.Symbol("a", real=True)
    return {
        "E_r3": init.expectation(sp.Abs(w) ** 3, w, init.w),
        "E_r": init.expectation(sp.Abs(w), w, init.w),
        "E_w2": init.expectation(w**2, w, init.w),
        "E_a2": init.expectation(a**2, a, init.a),
    }


def gamma_squared(init: Init, activation: str = "relu", *, bias_density: sp.Expr | None = 1,
                  ) -> tuple[sp.Expr, Callable[[np.ndarray], np.ndarray]]:
    """γ(ξ)² = E[integrand] for d = 1 as a sympy expression in ξ and a numpy callable.

    ``bias_density`` is c_b (default 1, the chapter's normalisation; ``None`` uses the init's
    own bias density). ReLU: exact, from the moments. Other activations: the a-average is
    exact, the r-average is done by mpmath quadrature inside the numpy callable (there is no
    closed form, e.g. ∫ csch²(π²ξ/r)/r dr for tanh), and the sympy expression keeps it as an
    unevaluated Integral. The callable returns inf at ξ = 0.
    """
    g = derive_gamma_squared(activation)
    c_b = init.bias_density if bias_density is None else sp.sympify(bias_density)
    m = moments(init)
    integrand = g.integrand.subs({C_B: c_b, A**2: m["E_a2"]})
    if activation == "relu":
        poly = sp.Poly(sp.expand(integrand), R)
        if set(poly.monoms()) - {(3,), (1,)}:
            raise FPTheoryError("ReLU γ² is not of the form c3 r³ + c1 r")  # not expected
        expr = poly.coeff_monomial(R**3) * m["E_r3"] + poly.coeff_monomial(R) * m["E_r"]
        f = sp.lambdify(XI, expr, "numpy")

        def numeric(xi: np.ndarray) -> np.ndarray:
            xi = np.abs(np.asarray(xi, dtype=float))
            with np.errstate(divide="ignore"):
                out = np.where(xi == 0, np.inf, f(np.where(xi == 0, 1.0, xi)))
            return np.asarray(out, dtype=float)

        return expr, numeric
    import mpmath

    w = sp.Symbol("w", real=True)
    dens, limits = init.density(w, init.w)
    expr = sp.Integral(integrand.subs(R, sp.Abs(w)) * dens, limits)
    f_mp = sp.lambdify((XI, w), integrand.subs(R, sp.Abs(w)) * dens, "mpmath")
    hi = float(limits[2]) if init.distribution == "uniform" else mpmath.inf

    def numeric_q(xi: np.ndarray) -> np.ndarray:
        xi = np.abs(np.asarray(xi, dtype=float))
        out = np.empty_like(xi)
        for i, v in np.ndenumerate(xi):
            # the integrand is even in w: 2 ∫_0^hi
            out[i] = np.inf if v == 0 else 2 * float(mpmath.quad(lambda t, v=v: f_mp(v, t), [0, hi]))
        return out

    return expr, numeric_q
