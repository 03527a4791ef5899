r"""A margin symmetric in two variables, certified on the half x ≤ y.

Where x and y have the same side in the domain (the same ends, open or closed alike) and
the margin g reads the same with x and y exchanged — ``g.xreplace({x: y, y: x})`` is the
same sympy expression, as it is for (eˣ + eʸ)/2 − e^((x+y)/2) — every point (a, b) of the
domain with a > b has its mirror (b, a) in the half x ≤ y, and g(a, b) = g(b, a) node for
node: each sub-term of g at (a, b) is a sub-term of g at (b, a) with its variables
exchanged. So g ≥ 0 (> 0) with every sub-term defined on the half gives the same on the
whole domain. The sub-terms of the typed statement that must be defined too (the
obligations of :mod:`fptheory.verify.obligations`) must be exchanged among themselves in
the same way. The half is the relation x ≤ y, certified by the relations' pieces
(:meth:`~fptheory.verify.domains.Domain.without_relations`: y = x + s·(hi − x)).

Why: a bound tight along the whole diagonal (Jensen's (eˣ + eʸ)/2 ≥ e^((x+y)/2),
sin x sin y ≤ sin²((x+y)/2)) is 0 on every box that meets x = y, where no enclosure of the
square closes it; on the half the diagonal is the face s = 0, where the margin and its
slope in s are exactly 0 and the monotone rule closes it. The search uses the half only
for such margins (:func:`symmetric_pair` asks that g be 0 where y = x); ``recheck`` derives
the pair's conditions again from the certificate's statement and domain
(:func:`replay_symmetric`).

>>> x, y = sp.symbols("x y", real=True)
>>> g = (sp.exp(x) + sp.exp(y)) / 2 - sp.exp((x + y) / 2)
>>> d = Domain.parse("-2<=x<=2, -2<=y<=2")
>>> symmetric_pair(g, [], d)
(x, y)
>>> symmetric_pair(g, [], Domain.parse("-2<=x<=2, -2<=y<=3")) is None
True
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import sympy as sp

from fptheory.core.errors import FPTheoryError

from .claims import Verdict
from .combine import find_combination
from .domains import Domain, margin, own_symbols
from .homogeneous import find_reduction
from .kinks import kink_nodes
from .limits import bounded, manageable
from .related import certify_related

__all__ = ["half_to_certify", "symmetric_pair", "symmetric_reason", "ordered_half", "replay_symmetric",
           "half_or_whole"]

#: seconds sympy may spend showing that a margin is 0 on the diagonal (a proposal only)
DIAGONAL_SECONDS = 1.0
#: seconds for each check of a homogeneous reduction (as the reduction's own search takes)
REDUCTION_SECONDS = 2.0


def symmetric_reason(g: sp.Expr, duties: Sequence[sp.Expr], domain: Domain,
                     x: sp.Symbol, y: sp.Symbol) -> str | None:
    """Why g may not be certified on the half x ≤ y alone (None: it may): the two
    variables' sides differ or are one point, a relation names one of them, or g or the
    set of duties is not the same expression with x and y exchanged."""
    if x == y or x not in domain.intervals or y not in domain.intervals:
        return f"{x} and {y} are not two variables of the domain"
    if domain.relations:
        return "the domain has relations"
    if domain.intervals[x] != domain.intervals[y] or \
            domain.open_ends.get(x, (False, False)) != domain.open_ends.get(y, (False, False)):
        return f"{x} and {y} have different sides in the domain"
    lo, hi = domain.intervals[x]
    if lo == hi:
        return f"{x} and {y} are fixed at one value (no half to take)"
    swap = {x: y, y: x}
    if g.xreplace(swap) != g:
        return f"the margin is not the same with {x} and {y} exchanged"
    if {d.xreplace(swap) for d in duties} != set(duties):
        return f"the sub-terms to be defined are not the same with {x} and {y} exchanged"
    return None


def symmetric_pair(g: sp.Expr, duties: Sequence[sp.Expr], domain: Domain
                   ) -> tuple[sp.Symbol, sp.Symbol] | None:
    """The first pair (x, y), in the domain's order, for which :func:`symmetric_reason`
    finds nothing and g is 0 where y = x (structurally, or by ``cancel`` under a short
    deadline): the margins that gain from the half."""
    if domain.relations or not manageable(g):
        return None
    variables = [v for v in domain.variables if v in g.free_symbols]
    for i, x in enumerate(variables):
        for y in variables[i + 1:]:
            if symmetric_reason(g, duties, domain, x, y) is None and _zero_on_diagonal(g, x, y):
                return x, y
    return None


def half_to_certify(g: sp.Expr, duties: Sequence[sp.Expr], domain: Domain
                    ) -> tuple[sp.Symbol, sp.Symbol] | None:
    """:func:`symmetric_pair`, unless a rule that does more applies to the margin: one
    combined variable in place of two (:mod:`fptheory.verify.combine`: cos(x − y) ≤ 1), or
    a homogeneous reduction (:mod:`fptheory.verify.homogeneous`: √x + √y ≤ 2√((x+y)/2)
    on a cone, whose reduced box the substitution y = x + s·(hi − x) would not keep)."""
    pair = symmetric_pair(g, duties, domain)
    if pair is None or find_combination(g, duties, domain) is not None:
        return None
    return pair if find_reduction(g, duties, domain, seconds=REDUCTION_SECONDS) is None else None


def _zero_on_diagonal(g: sp.Expr, x: sp.Symbol, y: sp.Symbol) -> bool:
    diagonal = g.xreplace({y: x})
    if diagonal == 0:
        return True
    return bool(bounded(lambda: sp.cancel(sp.together(diagonal)) == 0, DIAGONAL_SECONDS, False))


def ordered_half(domain: Domain, x: sp.Symbol, y: sp.Symbol) -> Domain:
    """The domain with the relation x ≤ y added."""
    return Domain(dict(domain.intervals), dict(domain.open_ends), [(x, False, y)])


def replay_symmetric(statement: sp.Rel, domain: Domain, duties: Sequence[sp.Expr],
                     record: Any) -> Domain:
    """The half x ≤ y of a certificate's ``"symmetric": ["x", "y"]`` record, after
    checking the pair's conditions again; FPTheoryError with the reason otherwise."""
    if not (isinstance(record, list) and len(record) == 2 and all(isinstance(n, str)
                                                                  for n in record)):
        raise FPTheoryError("symmetric: expected a list of two variable names")
    by_name = {v.name: v for v in domain.variables}
    if any(n not in by_name for n in record):
        raise FPTheoryError(f"symmetric: {', '.join(record)} are not variables of the domain")
    x, y = by_name[record[0]], by_name[record[1]]
    g = own_symbols(margin(statement), domain.variables)
    own = [own_symbols(d, domain.variables) for d in duties]
    reason = symmetric_reason(g, own, domain, x, y)
    if reason is not None:
        raise FPTheoryError(f"symmetric: {reason}")
    return ordered_half(domain, x, y)


def half_or_whole(search: Callable[..., Any], statement: sp.Rel, domain: Domain,
                  pair: tuple[sp.Symbol, sp.Symbol], options: dict[str, Any]) -> Any:
    """``search`` (the box search, with :func:`~fptheory.verify.certify`'s options) on the
    half x ≤ y (:func:`ordered_half`, by the relation's pieces); for a margin with an Abs,
    Max or Min node within a quarter of the time left, then, where that stays unknown, on
    the whole domain: the half's substitution y = x + s·(hi − x) turns a kink such as
    |x + y| = 0, a line the whole domain's boxes are cut along, into a curve no box of the
    half ends on (|a + b| ≤ |a| + |b| on [-1, 1]²: unknown after 20 000 boxes on the half,
    24 boxes on the whole square)."""
    start, limit = options["start"], options["time_limit"]
    kinked = bool(kink_nodes(margin(statement)))
    first = dict(options, time_limit=(time.perf_counter() - start)
                 + (start + limit - time.perf_counter()) / 4) if kinked else options
    result = certify_related(search, statement, ordered_half(domain, *pair), **first)
    result.symmetric, result.domain = [v.name for v in pair], domain.to_dict()
    if not kinked or result.verdict is not Verdict.UNKNOWN \
            or start + limit - time.perf_counter() < 1:
        return result
    return search(statement, domain, **options)

