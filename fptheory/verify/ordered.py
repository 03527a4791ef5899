r"""Statements that say a function is monotone: ``atan(y)/y <= atan(x)/x`` on 0 < x ≤ y.

A statement F(y) ≤ F(x) (or F(x) ≤ F(y)) over a domain of two variables related by x ≤ y
(or x < y), F one expression in one variable, says that F is decreasing (increasing) on
the values x and y take. With y = x + d the margin is tight along the whole diagonal d = 0,
and on an unbounded domain tight at infinity in x for every d, where no box closes by an
enclosure. By the mean value theorem, F(y) - F(x) = F′(ξ)·(y - x) for some ξ between x and
y wherever F is differentiable on [x, y]; so F′ ≤ 0 (≥ 0) on an interval H holding every
value of x and of y gives the statement, and F′ < 0 (> 0) on H its strict form for x < y.
H is x's lower end to y's upper end (every y ≥ x ≥ x's lower end and every x ≤ y ≤ y's
upper end), each end included where that variable's is (:func:`ordered_domain`).

F is differentiable wherever F and the walk of F′ = dF/dx are defined, because every node
of F is a function smooth wherever it is defined (no Abs, sign, Max, Min, Piecewise, floor;
a root at 0 or an asin at ±1 leaves F′ undefined there): so the one-variable statement
F′(x) ≤ 0 on H is certified by the search with F itself (and the typed statement's
sub-terms, read in x) added to the sub-terms that must be defined on every leaf.
``recheck`` derives F, F′, H and the sub-terms again from the certificate's record
(:func:`replay_ordered`).

>>> x, y = sp.symbols("x y", real=True)
>>> dom = Domain.parse("0<x, x<=y")
>>> found = find_ordered(sp.atan(y)/y <= sp.atan(x)/x, [], dom)
>>> found.to_dict(), sp.sstr(ordered_statement(sp.atan(y)/y <= sp.atan(x)/x, found))
({'low': 'x', 'high': 'y'}, '1/(x*(x**2 + 1)) - atan(x)/x**2 <= 0')
>>> ordered_domain(dom, found).to_dict()
{'x': ['0', 'oo', True, True]}
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sympy as sp

from fptheory.core.errors import FPTheoryError

from .combine import certified_in_two_thirds
from .domains import Domain, own_relation, own_symbols

__all__ = ["Ordered", "find_ordered", "ordered_statement", "ordered_domain",
           "certify_ordered", "replay_ordered"]

#: the functions F may be built from: each smooth wherever it is defined
_SMOOTH = (sp.Symbol, sp.Number, sp.NumberSymbol, sp.Add, sp.Mul, sp.Pow, sp.exp, sp.log,
           sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc, sp.sinh, sp.cosh, sp.tanh, sp.sech,
           sp.csch, sp.coth, sp.atan, sp.asin, sp.acos, sp.asinh, sp.acosh, sp.atanh)


@dataclass(frozen=True)
class Ordered:
    """The domain relates ``low`` ≤ ``high`` (or <), and the statement compares one
    function of each."""

    low: sp.Symbol
    high: sp.Symbol

    def to_dict(self) -> dict[str, str]:
        return {"low": self.low.name, "high": self.high.name}


def _sides(statement: sp.Rel, found: Ordered) -> tuple[sp.Expr, int] | None:
    """(F in ``low``, +1 where the statement says F increasing, -1 decreasing), or None
    unless one side is F(low) and the other F(high)."""
    small, large = (statement.lhs, statement.rhs) if isinstance(statement, (sp.Le, sp.Lt)) \
        else (statement.rhs, statement.lhs)  # small ≤ large
    x, y = found.low, found.high
    for f_at, other, direction in ((small, large, 1), (large, small, -1)):
        # direction 1: F(x) ≤ F(y); -1: F(y) ≤ F(x), F(x) being f_at
        if f_at.free_symbols == {x} and other == f_at.xreplace({x: y}):
            return f_at, direction
    return None


def _why_not(statement: sp.Rel, duties: Sequence[sp.Expr], domain: Domain,
             found: Ordered) -> str:
    """'' when the rule applies to the statement, its typed sub-terms and the domain, else
    why not."""
    if set(domain.variables) != {found.low, found.high} or len(domain.variables) != 2:
        return "the domain has other variables than the ordered pair"
    if len(domain.relations) != 1 or domain.relations[0][0::2] != (found.low, found.high):
        return f"the domain's one relation is not {found.low} ≤ {found.high}"
    strict_relation = domain.relations[0][1]
    if isinstance(statement, (sp.Lt, sp.Gt)) and not strict_relation:
        return "a strict statement needs a strict relation (at x = y both sides are equal)"
    sides = _sides(statement, found)
    if sides is None:
        return "the two sides are not one function of each variable"
    f = sides[0]
    if not all(isinstance(node, _SMOOTH) for node in sp.preorder_traversal(f)):
        return "the function is not built from functions smooth where they are defined"
    if any(len(d.free_symbols & {found.low, found.high}) > 1 for d in duties):
        return "a typed sub-term reads both variables"
    return ""


def find_ordered(statement: sp.Rel, duties: Sequence[sp.Expr], domain: Domain
                 ) -> Ordered | None:
    """The domain's ordered pair when the statement compares one function of each of them
    (module docstring), else None."""
    if len(domain.relations) != 1:
        return None
    low, _, high = domain.relations[0]
    found = Ordered(low, high)
    return None if _why_not(statement, duties, domain, found) else found


def ordered_statement(statement: sp.Rel, found: Ordered) -> sp.Rel:
    """F′(x) ≥ 0 where the statement says F increasing, F′(x) ≤ 0 where decreasing (strict
    for a strict statement), x the pair's lower variable."""
    sides = _sides(statement, found)
    if sides is None:
        raise FPTheoryError("the two sides are not one function of each variable")
    f, direction = sides
    slope = sp.diff(f, found.low)
    strict = isinstance(statement, (sp.Lt, sp.Gt))
    if direction == 1:
        return (sp.Gt if strict else sp.Ge)(slope, 0, evaluate=False)
    return (sp.Lt if strict else sp.Le)(slope, 0, evaluate=False)


def ordered_duties(statement: sp.Rel, duties: Sequence[sp.Expr], found: Ordered
                   ) -> list[sp.Expr]:
    """The sub-terms that must be defined on H: F itself and each typed sub-term, read in
    the pair's lower variable."""
    sides = _sides(statement, found)
    f = sides[0] if sides is not None else sp.Integer(0)
    return [f, *(d.xreplace({found.high: found.low}) for d in duties)]


def ordered_domain(domain: Domain, found: Ordered) -> Domain:
    """H: from the lower variable's lower end to the higher one's upper end, each end
    open where that variable's is."""
    lo, _ = domain.intervals[found.low]
    _, hi = domain.intervals[found.high]
    lo_open = domain.open_ends.get(found.low, (False, False))[0]
    hi_open = domain.open_ends.get(found.high, (False, False))[1]
    if bool(lo > hi):
        raise FPTheoryError(f"the ordered pair's side [{lo}, {hi}] is empty")
    return Domain({found.low: (lo, hi)}, {found.low: (lo_open, hi_open)})


def certify_ordered(search: Callable[..., Any], statement: sp.Rel, domain: Domain,
                    **options: Any) -> Any:
    """``search`` on F′'s statement on H when the rule applies, with two thirds of the time
    left; its result, in the statement's own terms, when certified, else None."""
    left = options["start"] + options["time_limit"] - time.perf_counter()
    duties = list(options.get("duties", ()))
    found = find_ordered(statement, duties, domain)
    if found is None or left < 3:
        return None
    try:
        result = certified_in_two_thirds(
            search, ordered_statement(statement, found), ordered_domain(domain, found), options,
            left, duties=ordered_duties(statement, duties, found))
    except FPTheoryError:
        return None
    if result is None:
        return None
    result.statement, result.domain = sp.sstr(statement), domain.record()
    result.ordered = found.to_dict()
    return result


def replay_ordered(statement: sp.Rel, domain: Domain, duties: Sequence[sp.Expr],
                   record: Any) -> tuple[sp.Rel, Domain, list[sp.Expr]]:
    """For ``recheck``: F′'s statement, H and the sub-terms of a certificate's record,
    every condition checked again (FPTheoryError with the reason when one fails)."""
    if not (isinstance(record, dict) and set(record) == {"low", "high"}):
        raise FPTheoryError("ordered: expected {'low': name, 'high': name}")
    names = {v.name: v for v in domain.variables}
    if record["low"] not in names or record["high"] not in names:
        raise FPTheoryError("ordered: the pair is not the domain's variables")
    found = Ordered(names[record["low"]], names[record["high"]])
    statement = own_relation(statement, domain.variables)
    duties = [own_symbols(d, domain.variables) for d in duties]
    why = _why_not(statement, duties, domain, found)
    if why:
        raise FPTheoryError(f"the monotone reading {found.to_dict()} does not hold: {why}")
    return (ordered_statement(statement, found), ordered_domain(domain, found),
            ordered_duties(statement, duties, found))
