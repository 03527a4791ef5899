r"""Tempered distributions on the frequency line, in the form transforms take.

A :class:`Spectrum` is

.. math:: T(\omega) = R(\omega) + \sum_m c_m\, \delta^{(n_m)}(\omega - \omega_m),

where the regular part ``R`` is a sympy expression, a classical function away from the
finite set ``poles``; at a pole it is read as the Cauchy principal value (simple pole)
or Hadamard finite part (higher order). With that reading the operations below are
exact identities of distributions (Gel'fand-Shilov, vol. 1, ch. I §3-4):

* d/dω fp(ω^{-n}) = -n fp(ω^{-n-1}), so differentiating ``R`` classically is exact;
* ω · fp(ω^{-n}) = fp(ω^{-n+1}) and ω · p.v.(1/ω) = 1;
* g(ω) δ^{(n)}(ω - ω₀) = Σ_m (-1)^m C(n, m) g^{(m)}(ω₀) δ^{(n-m)}(ω - ω₀);
* δ^{(n)}(λ y) = δ^{(n)}(y) / (|λ| λ^n).

Delta coefficients are kept free of ω (the product rule above normalises them).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import sympy as sp

from fptheory.core import cache as disk

__all__ = ["DeltaTerm", "Spectrum"]


@dataclass(frozen=True)
class DeltaTerm:
    """``coefficient · δ^{(order)}(ω - at)``."""

    coefficient: sp.Expr
    order: int
    at: sp.Expr

    def to_sympy(self, variable: sp.Symbol) -> sp.Expr:
        if self.order == 0:
            return self.coefficient * sp.DiracDelta(variable - self.at)
        return self.coefficient * sp.DiracDelta(variable - self.at, self.order)


def _same_point(p: sp.Expr, q: sp.Expr) -> bool:
    return sp.simplify(p - q) == 0


@dataclass(frozen=True)
class Spectrum:
    """A distribution ``regular + Σ δ-terms`` in the variable ``variable``."""

    variable: sp.Symbol
    regular: sp.Expr
    deltas: tuple[DeltaTerm, ...] = ()
    poles: tuple[sp.Expr, ...] = field(default=())

    # ----- construction helpers -------------------------------------------------
    @classmethod
    def zero(cls, variable: sp.Symbol) -> Spectrum:
        return cls(variable, sp.Integer(0))

    def _with(self, regular: sp.Expr, deltas: Iterable[DeltaTerm], poles: Iterable[sp.Expr]):
        return Spectrum(self.variable, regular, _collect(deltas), _live_poles(regular,
                                                                              self.variable,
                                                                              poles))

    # ----- linear structure -----------------------------------------------------
    def __add__(self, other: Spectrum) -> Spectrum:
        if other.variable != self.variable:
            raise ValueError("spectra in different variables")
        return self._with(
            self.regular + other.regular, self.deltas + other.deltas, self.poles + other.poles
        )

    def scale(self, factor: sp.Expr) -> Spectrum:
        """Multiplication by a constant (free of the variable)."""
        return self._with(
            factor * self.regular,
            (DeltaTerm(factor * d.coefficient, d.order, d.at) for d in self.deltas),
            self.poles,
        )

    # ----- operations that transforms need ---------------------------------------
    def differentiate(self) -> Spectrum:
        """d/dω, exact in the finite-part reading of poles."""
        v = self.variable
        return self._with(
            sp.diff(self.regular, v),
            (DeltaTerm(d.coefficient, d.order + 1, d.at) for d in self.deltas),
            self.poles,
        )

    def multiply_smooth(self, g: sp.Expr) -> Spectrum:
        """Multiplication by a smooth function g(ω) (entire in the cases used: polynomials,
        exponentials of linear forms)."""
        v = self.variable
        new_deltas: list[DeltaTerm] = []
        for d in self.deltas:
            for m in range(d.order + 1):
                g_m = sp.diff(g, v, m).subs(v, d.at)
                coefficient = (-1) ** m * sp.binomial(d.order, m) * g_m * d.coefficient
                new_deltas.append(DeltaTerm(coefficient, d.order - m, d.at))
        return self._with(g * self.regular, new_deltas, self.poles)

    def shift(self, a: sp.Expr) -> Spectrum:
        """T(ω - a): the modulation theorem's translation."""
        v = self.variable
        return self._with(
            self.regular.subs(v, v - a),
            (DeltaTerm(d.coefficient, d.order, d.at + a) for d in self.deltas),
            (p + a for p in self.poles),
        )

    def dilate(self, lam: sp.Expr) -> Spectrum:
        """T(λ ω) for real λ ≠ 0, using δ^{(n)}(λ y) = δ^{(n)}(y)/(|λ| λ^n)."""
        v = self.variable
        return self._with(
            self.regular.subs(v, lam * v),
            (
                DeltaTerm(d.coefficient / (sp.Abs(lam) * lam**d.order), d.order, d.at / lam)
                for d in self.deltas
            ),
            (p / lam for p in self.poles),
        )

    def rename(self, new_variable: sp.Symbol) -> Spectrum:
        return Spectrum(
            new_variable, self.regular.subs(self.variable, new_variable), self.deltas, self.poles
        )

    def simplified(self) -> Spectrum:
        return self._with(
            _tidy(self.regular),
            (DeltaTerm(_tidy(d.coefficient), d.order, _tidy(d.at)) for d in self.deltas),
            (_tidy(p) for p in self.poles),
        )

    # ----- reading ----------------------------------------------------------------
    def singular_sympy(self) -> sp.Expr:
        """The singular part as a sum of sympy ``DiracDelta`` terms (0 if none)."""
        return sp.Add(*(d.to_sympy(self.variable) for d in self.deltas))

    def to_sympy(self) -> sp.Expr:
        return self.regular + self.singular_sympy()

    @property
    def has_pv(self) -> bool:
        return bool(self.poles)


_WHOLE_SIMPLIFY_OPS = 40


def _tidy(e: sp.Expr) -> sp.Expr:
    """The simpler of ``e`` and sympy's simplification of it; a pure function of ``e`` (its
    srepr, assumptions included), so it is derived once and read from the on-disk cache
    afterwards (namespace ``simplify``)."""
    e = sp.sympify(e)
    if not e.args:
        return e
    return disk.remembered(TIDY_NAMESPACE, [e], lambda: tidy_now(e))


TIDY_NAMESPACE = "simplify"


def tidy_now(e: sp.Expr) -> sp.Expr:
    """:func:`_tidy` computed afresh (no cache)."""
    e = sp.sympify(e)
    if isinstance(e, sp.Add) and sp.count_ops(e) > _WHOLE_SIMPLIFY_OPS:
        # sympy's simplify is superlinear (trigsimp) on long sums; the cancellations that
        # matter (iω · p.v.(-i/ω) = 1) happen inside a term, and Add collects like terms
        return sp.Add(*(tidy_now(t) for t in e.args))
    simpler = sp.simplify(e)
    # simplify sometimes trades csch for exponentials; keep the shorter form
    return simpler if sp.count_ops(simpler) <= sp.count_ops(e) else e


def _collect(deltas: Iterable[DeltaTerm]) -> tuple[DeltaTerm, ...]:
    """Merge terms with the same order and point; drop zeros."""
    merged: list[DeltaTerm] = []
    for d in deltas:
        for i, e in enumerate(merged):
            if e.order == d.order and _same_point(e.at, d.at):
                merged[i] = DeltaTerm(e.coefficient + d.coefficient, e.order, e.at)
                break
        else:
            merged.append(d)
    out = []
    for d in merged:
        c = sp.simplify(d.coefficient)
        if c != 0:
            out.append(DeltaTerm(c, d.order, sp.simplify(d.at)))
    return tuple(sorted(out, key=lambda t: (sp.default_sort_key(t.at), t.order)))


def _live_poles(regular: sp.Expr, v: sp.Symbol, poles: Iterable[sp.Expr]) -> tuple[sp.Expr, ...]:
    """Keep the candidate poles where the regular part is really unbounded.

    A candidate is dropped when the two one-sided limits exist, are finite and agree
    (a removable singularity, as for ω · p.v.(1/ω) = 1).
    """
    live: list[sp.Expr] = []
    for p in poles:
        if any(_same_point(p, q) for q in live):
            continue
        if regular == 0 or not regular.has(v):
            continue
        if _removable(regular, v, p):
            continue
        live.append(p)
    return tuple(live)


def _removable(regular: sp.Expr, v: sp.Symbol, p: sp.Expr) -> bool:
    try:
        right = sp.limit(regular, v, p, "+")
        left = sp.limit(regular, v, p, "-")
    except (NotImplementedError, ValueError, TypeError):
        return False
    if any(x.has(sp.oo, -sp.oo, sp.zoo, sp.nan, sp.AccumBounds, sp.Limit) for x in (left, right)):
        return False
    return sp.simplify(left - right) == 0
