r"""Decay of a transform as |k| → ∞, and the spectral peak of band-pass functions.

From the regular part F(k), with M(k) = |F(k)|², sympy computes the limits

.. math::

   g = \lim_{k\to\infty} \frac{-\log M}{2k^2},\quad
   r = \lim_{k\to\infty} \frac{-\log M}{2k},\quad
   p = \lim_{k\to\infty} \frac{-\log M}{2\log k},

and classifies: ``gaussian`` (|F| ~ e^{-g k²}, g > 0), ``exponential`` (|F| ~ C k^q e^{-r k},
r > 0), ``polynomial`` (|F| ~ C/|k|^p), ``none`` (p = 0: no decay). Both directions
k → +∞ and k → -∞ are analysed. Real parameters of unknown sign are split into
the cases p > 0 and p < 0 and the answers, written in |p|, merged when they agree.

>>> from fptheory.fourier.engine import fourier_transform
>>> decay_of(fourier_transform("tanh(w*x + b)")).summary()
'exponential: |F(k)| ~ C*|k|**0*exp(-rate*|k|), rate = pi/(2*Abs(w))'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from fptheory.core.errors import FPTheoryError
from fptheory.core.signs import sign_cases

from .engine import K, TransformResult

__all__ = ["Decay", "decay_of", "SpectralPeak", "spectral_peak"]

_KP = sp.Symbol("k", positive=True)


@dataclass
class Decay:
    """Decay class of |F(k)| for |k| → ∞ (both directions when they agree)."""

    kind: str  # gaussian | exponential | polynomial | none | zero | unknown
    rate: sp.Expr | None = None  # g for gaussian, r for exponential
    power: sp.Expr | None = None  # polynomial order p, or prefactor power q for exponential
    constant: sp.Expr | None = None  # C in the asymptotic form, when sympy finds it
    direction: str = "both"
    reason: str = ""
    cases: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.kind == "gaussian":
            return f"gaussian: |F(k)| ~ exp(-rate*k**2), rate = {self.rate}"
        if self.kind == "exponential":
            return (f"exponential: |F(k)| ~ C*|k|**{self.power}*exp(-rate*|k|), "
                    f"rate = {self.rate}")
        if self.kind == "polynomial":
            c = f", C = {self.constant}" if self.constant is not None else ""
            return f"polynomial: |F(k)| ~ C/|k|**{self.power}{c}"
        if self.kind == "none":
            return "no decay: |F(k)| tends to a nonzero constant or grows"
        if self.kind == "zero":
            return "regular part is 0 (purely singular transform)"
        return f"not determined: {self.reason}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "rate": None if self.rate is None else str(self.rate),
            "power": None if self.power is None else str(self.power),
            "constant": None if self.constant is None else str(self.constant),
            "direction": self.direction,
            "summary": self.summary(),
            "reason": self.reason,
        }


def _finite(v: sp.Expr) -> bool:
    return v.is_finite is True and not v.has(sp.AccumBounds, sp.Limit, sp.nan, sp.zoo)


def _classify(modulus_sq: sp.Expr) -> Decay:
    """Classify M(k) for k → +∞ (k a positive symbol)."""
    if modulus_sq == 0:
        return Decay("zero")
    try:
        log_m = sp.expand_log(sp.log(modulus_sq), force=True)
        g = sp.limit(-log_m / (2 * _KP**2), _KP, sp.oo)
        if _finite(g) and g.is_positive:
            return Decay("gaussian", rate=sp.simplify(g))
        r = sp.limit(-log_m / (2 * _KP), _KP, sp.oo)
        if _finite(r) and r.is_positive:
            q = sp.limit(-(log_m + 2 * r * _KP) / (2 * sp.log(_KP)), _KP, sp.oo)
            q = -q if _finite(q) else None
            c = None
            if q is not None:
                c = sp.limit(sp.sqrt(modulus_sq) * sp.exp(r * _KP) / _KP**q, _KP, sp.oo)
                c = sp.simplify(c) if _finite(c) else None
            return Decay("exponential", rate=sp.simplify(r), power=q, constant=c)
        p = sp.limit(-log_m / (2 * sp.log(_KP)), _KP, sp.oo)
        if _finite(p):
            p = sp.simplify(p)
            if p.is_positive:
                c = sp.limit(sp.sqrt(modulus_sq) * _KP**p, _KP, sp.oo)
                return Decay("polynomial", power=p, constant=sp.simplify(c) if _finite(c) else None)
            if p.is_zero or p.is_negative:
                return Decay("none", power=p)
        return Decay("unknown", reason=f"limits did not classify: g={g}, r={r}, p={p}")
    except (NotImplementedError, ValueError, TypeError, RecursionError) as exc:
        return Decay("unknown", reason=f"sympy limit failed: {type(exc).__name__}")


def _same_class(d1: Decay, d2: Decay) -> bool:
    """Same kind, rate and power (the constant may still differ)."""
    return d1.kind == d2.kind and all(
        sp.simplify(sp.sympify(getattr(d1, a) or 0) - (getattr(d2, a) or 0)) == 0
        for a in ("rate", "power"))


def _decay_direction(regular: sp.Expr, direction: int) -> Decay:
    collected: list[tuple[str, Decay]] = []
    f = regular.subs(K, direction * _KP)
    # parameters that only enter a phase (b in e^{ibk/w}) drop out of |F|²
    modulus_sq = sp.simplify(sp.expand_complex(f * sp.conjugate(f)))
    try:
        cases = sign_cases(modulus_sq.free_symbols - {_KP}, max_symbols=3)
    except FPTheoryError as exc:
        return Decay("unknown", reason=str(exc))
    for case in cases:
        d = _classify(sp.simplify(modulus_sq.subs(case.substitution)))
        for attr in ("rate", "power", "constant"):
            v = getattr(d, attr)
            if v is not None:
                setattr(d, attr, sp.simplify(v.subs(case.back)))
        collected.append((case.label, d))
    first = collected[0][1]
    if not all(_same_class(d, first) for _, d in collected):
        return Decay("unknown", reason="decay differs between parameter sign cases: " + "; ".join(
            f"{label}: {d.summary()}" for label, d in collected))
    constants_agree = all(
        d.constant is not None and first.constant is not None
        and sp.simplify(d.constant - first.constant) == 0 for _, d in collected)
    if not constants_agree:
        first.constant = None
    first.cases = [label for label, _ in collected]
    return first


def decay_of(result: TransformResult) -> Decay:
    """Decay class of the regular part of ``result`` (in its convention's k)."""
    plus = _decay_direction(result.regular, +1)
    minus = _decay_direction(result.regular, -1)
    if _same_class(plus, minus):
        if plus.constant is not None and (
            minus.constant is None or sp.simplify(plus.constant - minus.constant) != 0
        ):
            plus.constant = None
        return plus
    plus.direction = "k → +∞"
    plus.reason = f"k → -∞ differs: {minus.summary()}"
    return plus


@dataclass
class SpectralPeak:
    """Location of max |F(k)| on k > 0 as a function of the parameters."""

    location: sp.Expr
    derivatives: dict[str, sp.Expr]  # d(location)/d(parameter)

    def to_dict(self) -> dict[str, Any]:
        return {"location": str(self.location),
                "derivatives": {p: str(v) for p, v in self.derivatives.items()}}


def spectral_peak(result: TransformResult) -> SpectralPeak | None:
    """The maximiser of |F(k)| on k > 0 for a band-pass transform, or None.

    Band-pass means |F| → 0 at k → 0⁺ and k → ∞ with an interior critical point; the
    location is found by solving d/dk log|F|² = 0 and checked to be a maximum.
    Parameters must have a known sign (declare them positive) or be numeric.
    """
    f = result.regular.subs(K, _KP)
    modulus_sq = sp.simplify(sp.expand_complex(f * sp.conjugate(f)))
    if modulus_sq == 0 or sp.limit(modulus_sq, _KP, 0, "+") != 0:
        return None
    if sp.limit(modulus_sq, _KP, sp.oo) != 0:
        return None
    critical = sp.solve(sp.diff(sp.log(modulus_sq), _KP), _KP)
    for c in critical:
        if not (c.is_positive or c.is_positive is None):
            continue
        second = sp.diff(modulus_sq, _KP, 2).subs(_KP, c)
        if sp.simplify(second).is_negative:
            params = sorted(c.free_symbols, key=lambda s: s.name)
            derivs = {p.name: sp.simplify(sp.diff(c, p)) for p in params}
            return SpectralPeak(sp.simplify(c), derivs)
    return None
