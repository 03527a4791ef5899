r"""Theorem 1 (1.9) of §1.1.1 with explicit constants: the bands in w_j, their measure in
B_δ and the constants c, C, δ_0 derived from the steps (1.12)-(1.21).

Setting (the text's): only W = (w_1, ..., w_m) varies, in the ball B_δ ⊂ R^m; a_j, b_j and
the target are fixed; 0 < k_1 < k_2.  F_i = |f̂(k_i)| > 0.

Contents

* the rate :data:`RATE` c = π(k_2 - k_1)/2 and the symbols of the steps (:data:`DELTA`,
  :data:`EPS`, :data:`T`, ...);
* the band (1.18) and its length (1.20): :func:`band_interval`, :func:`band_length`;
* the ball B_δ (1.19)-(1.21): :func:`ball_marginal_density`, :func:`ball_tail_constant`,
  :func:`ball_tail_mp`;
* the explicit theorem: :func:`explicit_expressions` (the constants as sympy expressions,
  (1.12)-(1.16) made explicit), :class:`ExplicitTheorem1` and :func:`explicit_theorem1`.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import mpmath
import sympy as sp

from fptheory.core.errors import FPTheoryError

from .network import KINDS, _mpc, _mpf
from .ratio import RATIO_SYMBOLS

__all__ = [
    "F1_ABS",
    "F2_ABS",
    "DELTA",
    "DELTA1",
    "A_ABS",
    "B_ABS",
    "A_SUM",
    "T",
    "EPS",
    "XQ",
    "BETA",
    "RATE",
    "band_interval",
    "band_length",
    "ball_marginal_density",
    "ball_tail_constant",
    "ball_tail_mp",
    "explicit_expressions",
    "THETA_MAX",
    "EPS_MAX",
    "ExplicitTheorem1",
    "EXPLICIT_EVIDENCE",
    "explicit_theorem1",
]

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
