r"""Symbolic normalisation of a margin before the search: forms that interval arithmetic
encloses tightly. Nothing here decides: every form goes to
:meth:`fptheory.verify.kernel.Kernel.admit`, which accepts it only when its equality with
the margin is established exactly, and the kernel then judges the form's enclosure on each
box (a product by the signs of its factors, :meth:`~fptheory.verify.kernel.Kernel.interval`).

The forms (each a sympy step under a deadline):

* **exponential normal form**: hyperbolic functions written through ``exp``, the whole
  brought over one denominator and cancelled as a rational function of the exponentials
  (``sinh(a)/sinh(b)`` and ``e^{-(b-a)}`` meet in ``e^{-a} - e^{a-2b}``), factored, and in
  every factor that is a sum of exponentials the largest exponential (at the domain's centre)
  factored out: ``e^{b} - e^{a} = e^{b}(1 - e^{a-b})``, with the exponents collected into
  one. On a wide box each term of ``e^{b} - e^{a}`` is a ball as wide as the value itself,
  so the difference straddles 0; ``1 - e^{a-b}`` with ``a - b`` enclosed once does not.
  For the chapter's bound (1.14),
  ``e^{-π(k2-k1)/(2w)} - sinh(πk1/(2w))/sinh(πk2/(2w))`` becomes
  ``e^{-π(k1+k2)/(2w)}(1 - e^{-π(k2-k1)/w})/(1 - e^{-πk2/w})``: a product of positive
  factors, which the kernel shows > 0 on the whole box 1/2 ≤ k1 ≤ 1, 3/2 ≤ k2 ≤ 3,
  10^-5 ≤ w ≤ 1 in one judgement.
* **divided by a side**: the margin divided by one of its terms (the side a user would
  divide by), normalised as above and multiplied back: ``g = t·(g/t)``.

>>> k1, k2, w = sp.symbols("k1 k2 w", positive=True)
>>> g = sp.exp(-sp.pi*(k2 - k1)/(2*w)) - sp.sinh(sp.pi*k1/(2*w))/sp.sinh(sp.pi*k2/(2*w))
>>> centre = {k1: sp.Rational(3, 4), k2: sp.Rational(9, 4), w: sp.Rational(11, 20)}
>>> [sp.sstr(f) for f in normal_forms(g, centre)][:1]
['-(exp(pi*(k1 - k2)/w) - 1)*exp(-pi*(k1 + k2)/(2*w))/(1 - exp(-pi*k2/w))']
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import sympy as sp

from .limits import bounded, manageable

__all__ = ["normal_forms", "exp_normal_form", "dominant_exponential"]

_GAVE_UP: Any = object()  # (bounded's answer where a step ran out of time or failed)

_HYPERBOLIC = [sp.sinh, sp.cosh, sp.tanh, sp.sech, sp.csch, sp.coth]

#: at most this many terms in a margin whose terms are tried as divisors
MAX_DIVISOR_TERMS = 6

#: at most this many distinct exponentials in the cancelled margin for it to be factored:
#: four Gaussians in three variables (Hartman's function) cancel into 33, and sympy's factor
#: then spends every 5 s deadline (five of them, with the divisions) and returns nothing
MAX_EXPONENTIALS = 12


def _value(e: sp.Expr, at: Mapping[sp.Symbol, sp.Expr]) -> float | None:
    """A float value of e at the point (None when not a finite real)."""
    try:
        v = complex(sp.N(e.xreplace(dict(at)), 15))
    except (TypeError, ValueError, ArithmeticError, OverflowError):
        return None
    if abs(v.imag) > 1e-12 * (1 + abs(v.real)) or not math.isfinite(v.real):
        return None
    return v.real


def _split_exponential(term: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    """(rest, exponent) with term = rest · e^exponent (exponent 0 when there is none)."""
    rest, exponent = [], []
    for f in sp.Mul.make_args(term):
        if isinstance(f, sp.exp):
            exponent.append(f.args[0])
        elif isinstance(f, sp.Pow) and isinstance(f.base, sp.exp) and f.exp.is_Integer:
            exponent.append(f.exp * f.base.args[0])
        elif f is sp.E:
            exponent.append(sp.Integer(1))
        elif isinstance(f, sp.Pow) and f.base is sp.E:
            exponent.append(f.exp)
        else:
            rest.append(f)
    return sp.Mul(*rest), sp.Add(*exponent)


def _tidy(exponent: sp.Expr) -> sp.Expr:
    """An exponent with each variable entering as few times as sympy's factor manages
    (π k2/w - π k1/w → π(k2 - k1)/w: one enclosure of the difference, not two)."""
    if exponent.is_number or not manageable(exponent):
        return exponent
    try:
        f = sp.factor(sp.cancel(sp.together(exponent)))
    except (sp.PolynomialError, NotImplementedError, TypeError, ValueError):
        return exponent
    return f if sp.count_ops(f) <= sp.count_ops(exponent) + 2 else exponent


def dominant_exponential(s: sp.Expr, centre: Mapping[sp.Symbol, sp.Expr]) -> sp.Expr:
    """A sum of exponential terms with its largest exponential (at ``centre``) factored out:
    ``Σ c_i e^{u_i} = e^{u_k} Σ c_i e^{u_i - u_k}``; s itself when it has no exponential
    or no exponent can be valued at the centre.

    >>> x = sp.Symbol("x", real=True)
    >>> sp.sstr(dominant_exponential(sp.exp(3*x) - sp.exp(x), {x: 1}))
    '(1 - exp(-2*x))*exp(3*x)'
    """
    terms = [_split_exponential(t) for t in sp.Add.make_args(s)]
    if len(terms) < 2 or all(u == 0 for _, u in terms):
        return s
    values = [_value(u, centre) for _, u in terms]
    if any(v is None for v in values):
        return s
    k = max(range(len(terms)), key=lambda i: values[i])
    top = terms[k][1]
    inner = sp.Add(*(c * sp.exp(_tidy(u - top)) for c, u in terms))
    return sp.exp(_tidy(top)) * inner if top != 0 else inner


def _collect_exponentials(e: sp.Expr) -> sp.Expr:
    """A product with its exponential factors multiplied into one e^{Σ u}."""
    factors = sp.Mul.make_args(e)
    exps, rest = [], []
    for f in factors:
        if isinstance(f, sp.exp):
            exps.append(f.args[0])
        elif isinstance(f, sp.Pow) and isinstance(f.base, sp.exp) and f.exp.is_Integer:
            exps.append(f.exp * f.base.args[0])
        else:
            rest.append(f)
    if len(exps) < 2:
        return e
    return sp.Mul(*rest) * sp.exp(_tidy(sp.Add(*exps)))


def exp_normal_form(expr: sp.Expr, centre: Mapping[sp.Symbol, sp.Expr]) -> sp.Expr | None:
    """The exponential normal form of the module docstring (None when sympy gives nothing
    new). Runs unbounded: callers wrap it in :func:`~fptheory.verify.limits.bounded`."""
    e = expr.rewrite(_HYPERBOLIC, sp.exp) if expr.has(*_HYPERBOLIC) else expr
    e = sp.powsimp(sp.expand_power_exp(e))
    e = sp.cancel(sp.together(e))
    if len(e.atoms(sp.exp)) > MAX_EXPONENTIALS:
        return None  # (factoring spends its whole deadline and gives nothing usable)
    e = sp.factor(e)
    out = []
    for f in sp.Mul.make_args(e):
        base, power = (f.base, f.exp) if isinstance(f, sp.Pow) and f.exp.is_Integer else (f, 1)
        if isinstance(base, sp.Add) and base.has(sp.exp):
            base = dominant_exponential(sp.expand(base), centre)
            out.extend(sp.Mul.make_args(base ** power) if power != 1 else sp.Mul.make_args(base))
        else:
            out.append(f)
    # split each Pow of a product of an exponential back into its factors before collecting
    flat = []
    for f in out:
        if isinstance(f, sp.Pow) and f.exp.is_Integer and isinstance(f.base, sp.Mul):
            flat.extend(a ** f.exp for a in f.base.args)
        else:
            flat.append(f)
    form = _collect_exponentials(sp.Mul(*flat))
    return None if form == expr else form


def normal_forms(g: sp.Expr, centre: Mapping[sp.Symbol, sp.Expr],
                 seconds: float = 5.0) -> list[sp.Expr]:
    """Forms of the margin g to propose to the kernel (module docstring), cheapest first;
    every sympy step runs under ``seconds`` (the divisions are not tried where the whole
    margin's step ran out of time or failed: they factor the same exponentials). Empty where
    g is not
    :func:`~fptheory.verify.limits.manageable` or has no exponential or hyperbolic term."""
    if not manageable(g) or g.has(sp.Float) or not g.has(sp.exp, *_HYPERBOLIC):
        return []
    forms: list[sp.Expr] = []

    def add(f: sp.Expr | None) -> None:
        if f is not None and f != g and f not in forms and not f.has(
                sp.nan, sp.zoo, sp.oo, -sp.oo, sp.Float, sp.I):
            forms.append(f)

    whole = bounded(lambda: exp_normal_form(g, centre), seconds, _GAVE_UP)
    add(None if whole is _GAVE_UP else whole)
    terms = sp.Add.make_args(g)
    if whole is not _GAVE_UP and 2 <= len(terms) <= MAX_DIVISOR_TERMS:
        # (where the whole margin ran out of time or failed, so does each division)
        for t in terms:
            divisor = -t if t.could_extract_minus_sign() else t
            value = _value(divisor, centre)
            if value is None or value <= 0 or divisor.is_number:
                continue

            def divided(divisor: sp.Expr = divisor) -> sp.Expr | None:
                q = exp_normal_form(sp.expand(g / divisor), centre)
                return None if q is None else _collect_exponentials(divisor * q)
            add(bounded(divided, seconds, None))
    return forms
