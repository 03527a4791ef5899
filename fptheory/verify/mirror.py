r"""A margin even in a variable whose side is symmetric about 0, certified on x ≥ 0.

Where x's side is [-a, a] (both ends open or both closed, a > 0 or ∞) and the margin g
reads the same with x written -x — ``g.xreplace({x: -x})`` is the same sympy expression,
as it is for √(x² + y²) - |x| - |y| once sympy has evaluated |-x| as |x| — every point of
the domain with x < 0 has its mirror (-x, ...) on the half [0, a], where g and each of its
sub-terms take the same values (node for node). So g ≥ 0 (> 0) with every sub-term defined
on the half gives the same on the whole side. The sub-terms of the typed statement that
must be defined too (:mod:`fptheory.verify.obligations`) must be mirrored among themselves,
each up to its sign (sin(-x) = -sin(x) is defined where sin(x) is).

Why: on the half, |x| is x (:func:`~fptheory.verify.kinks.settle_signed_variables`), a bound
tight at x = 0 is tight at an end of the side (where the expansions at an end close it), a
homogeneous margin on a box around 0 becomes one on a cone (certified with its largest
variable set to 1: ``sqrt(x**2 + y**2) <= abs(x) + abs(y)`` on [-1, 1]², tight along both
axes and at the cone point 0), and the search has half the domain. A counterexample on the
half is one of the domain. ``recheck`` derives the conditions again from the certificate's
statement and domain (:func:`replay_even`).

>>> x, y = sp.symbols("x y", real=True)
>>> d = Domain.parse("-1<=x<=1, -1<=y<=2")
>>> even_variables(sp.sqrt(x**2 + y**2) - sp.Abs(x) - sp.Abs(y), [], d)
[x]
>>> mirrored(d, [x]).to_dict()["x"]
['0', '1', False, False]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sympy as sp

from fptheory.core.errors import FPTheoryError

from .domains import Domain, margin, own_symbols

__all__ = ["even_variables", "mirrored", "replay_even"]


def _even_reason(g: sp.Expr, duties: Sequence[sp.Expr], domain: Domain, v: sp.Symbol
                 ) -> str | None:
    """None when the margin is even in v on a side symmetric about 0, else why not."""
    lo, hi = domain.intervals[v]
    lo_open, hi_open = domain.open_ends.get(v, (False, False))
    if not (bool(hi > 0) and lo == -hi and lo_open == hi_open):
        return f"the side of {v} is not symmetric about 0"
    if any(v in (a, b) for a, _, b in domain.relations):
        return f"a relation names {v}"
    if v not in g.free_symbols or g.xreplace({v: -v}) != g:
        return f"the margin is not the same with {v} written -{v}"
    if {_up_to_sign(d.xreplace({v: -v})) for d in duties} != {_up_to_sign(d) for d in duties}:
        return f"the typed sub-terms are not the same with {v} written -{v}"
    return None


def _up_to_sign(e: sp.Expr) -> sp.Expr:
    """e or -e, the same one for both: a sub-term that must be defined is defined exactly
    where its negative is (sin(-x) is -sin(x))."""
    return -e if e.could_extract_minus_sign() else e


def even_variables(g: sp.Expr, duties: Sequence[sp.Expr], domain: Domain) -> list[sp.Symbol]:
    """The variables the margin is even in, each on a side symmetric about 0."""
    return [v for v in domain.variables if _even_reason(g, duties, domain, v) is None]


def mirrored(domain: Domain, variables: Sequence[sp.Symbol]) -> Domain:
    """The domain with each of these sides [-a, a] cut to [0, a] (0 included: it is a
    point of the side)."""
    intervals, open_ends = dict(domain.intervals), dict(domain.open_ends)
    for v in variables:
        intervals[v] = (sp.Integer(0), domain.intervals[v][1])
        open_ends[v] = (False, domain.open_ends.get(v, (False, False))[1])
    return Domain(intervals, open_ends, list(domain.relations))


def replay_even(statement: sp.Rel, domain: Domain, duties: Sequence[sp.Expr],
                record: Any) -> Domain:
    """The half of a certificate's ``"even": ["x", ...]`` record, after checking each
    variable's conditions again; FPTheoryError with the reason otherwise."""
    if not (isinstance(record, list) and record and all(isinstance(n, str) for n in record)
            and len(set(record)) == len(record)):
        raise FPTheoryError("even: expected a list of distinct variable names")
    by_name = {v.name: v for v in domain.variables}
    if any(n not in by_name for n in record):
        raise FPTheoryError(f"even: {', '.join(record)[:80]} are not variables of the domain")
    g = own_symbols(margin(statement), domain.variables)
    own = [own_symbols(d, domain.variables) for d in duties]
    for name in record:
        reason = _even_reason(g, own, domain, by_name[name])
        if reason is not None:
            raise FPTheoryError(f"even: {reason}")
    return mirrored(domain, [by_name[n] for n in record])
