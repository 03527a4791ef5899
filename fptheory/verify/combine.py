r"""Margins that see two variables only through x + y, x − y or x·y.

FPTaylor's azimuth reads two longitudes only through their difference; xy·e^(−xy) ≤ 1/e
reads x and y only through their product. Such a margin is tight along a whole curve of
the (x, y) plane (c − d = const), where no box meeting it closes by an enclosure; in the
one variable u = x − y it is tight at a point.

A :class:`Combination` names the pair and the kind. With y written through u —
y = u − x (sum), y = x − u (difference), y = u/x (product) — the substituted margin G,
as sympy evaluates it, must be free of x: then g(x, y) = G(u(x, y)) at every point of the
domain (for the product where x ≠ 0, which the rule requires of x's whole side, with both
sides ≥ 0). So g ≥ 0 on the domain follows from G ≥ 0 on a side that holds every value of
u there, with an end included where both ends it comes from are
(:func:`combined_domain`; the image of a box under a sum, difference or product of two
of its sides is an interval, and its ends are attained only at those ends). Every sub-term
whose sign decides definedness (a logarithm's argument, a divisor, ...) must still be a
sub-term of G after the substitution (:func:`check_combination`), so G defined at u shows
each of them defined at (x, y). ``recheck`` derives G and u's side again from the
certificate's record (:func:`replay_combination`) and replays the leaves there.

>>> c, d = sp.symbols("c d", real=True)
>>> dom = Domain.parse("0<=c<=3, -3<=d<-1/2")
>>> found = find_combination(sp.cos(c - d) - 2, [], dom)
>>> found.to_dict(), sp.sstr(combined_margin(sp.cos(c - d) - 2, found))
({'kind': 'difference', 'of': ['c', 'd']}, 'cos(difference_c_d) - 2')
>>> combined_domain(dom, found).to_dict()
{'difference_c_d': ['1/2', '6', True, False]}
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sympy as sp

from fptheory.core.errors import FPTheoryError

from .backends import _infinite
from .domains import Domain, margin, own_relation, own_symbols
from .homogeneous import _guarded

__all__ = ["Combination", "find_combination", "check_combination", "combined_margin",
           "combined_domain", "combined_statement", "combination_from_dict", "certify_combined",
           "certified_in_two_thirds", "replay_combination"]

KINDS = ("difference", "sum", "product")


@dataclass(frozen=True)
class Combination:
    """g reads ``first`` and ``second`` only through their sum, difference or product."""

    kind: str
    first: sp.Symbol
    second: sp.Symbol

    @property
    def variable(self) -> sp.Symbol:
        """The new variable u (named after the kind and the pair)."""
        return sp.Symbol(f"{self.kind}_{self.first.name}_{self.second.name}", real=True)

    def second_through(self) -> sp.Expr:
        """The second variable written through the first and u."""
        x, u = self.first, self.variable
        return {"sum": u - x, "difference": x - u, "product": u / x}[self.kind]

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "of": [self.first.name, self.second.name]}


def combination_from_dict(data: Any, domain: Domain) -> Combination:
    """The record of a certificate, its names resolved in the domain (FPTheoryError when
    malformed)."""
    names = {v.name: v for v in domain.variables}
    if not isinstance(data, dict) or set(data) != {"kind", "of"} or data["kind"] not in KINDS \
            or not isinstance(data["of"], list) or len(data["of"]) != 2 \
            or not all(isinstance(n, str) and n in names for n in data["of"]) \
            or data["of"][0] == data["of"][1]:
        raise FPTheoryError("a combination is an object with kind (sum, difference, product) "
                            "and of: two distinct variables of the domain")
    return Combination(data["kind"], names[data["of"][0]], names[data["of"][1]])


def combined_margin(expr: sp.Expr, combination: Combination) -> sp.Expr:
    """expr with the second variable written through the first and u (sympy's evaluation)."""
    return expr.xreplace({combination.second: combination.second_through()})


def _side(domain: Domain, v: sp.Symbol) -> tuple[sp.Expr, sp.Expr, bool, bool]:
    (lo, hi), (lo_open, hi_open) = domain.intervals[v], domain.open_ends.get(v, (False, False))
    return lo, hi, not lo_open and not _infinite(lo), not hi_open and not _infinite(hi)


def _product_ok(domain: Domain, combination: Combination) -> bool:
    """Both sides ≥ 0 and the first one > 0 everywhere (it divides)."""
    x_lo, _, x_in, _ = _side(domain, combination.first)
    y_lo, _, _, _ = _side(domain, combination.second)
    return not (_infinite(x_lo) or _infinite(y_lo)) and bool(y_lo >= 0) and (
        bool(x_lo > 0) or (x_lo == 0 and not x_in))


def combined_domain(domain: Domain, combination: Combination) -> Domain:
    """The domain with the pair replaced by u's side: every value u takes there, its ends
    included only where both ends they come from are (a sum, difference or product of two
    sides ≥ 0 reaches its ends only at their ends)."""
    x_lo, x_hi, x_lo_in, x_hi_in = _side(domain, combination.first)
    y_lo, y_hi, y_lo_in, y_hi_in = _side(domain, combination.second)
    if combination.kind == "sum":
        lo, lo_in, hi, hi_in = x_lo + y_lo, x_lo_in and y_lo_in, x_hi + y_hi, x_hi_in and y_hi_in
    elif combination.kind == "difference":
        lo, lo_in, hi, hi_in = x_lo - y_hi, x_lo_in and y_hi_in, x_hi - y_lo, x_hi_in and y_lo_in
    else:
        lo, lo_in = x_lo * y_lo, x_lo_in and y_lo_in
        if y_lo == 0 and y_lo_in:
            lo_in = True  # u = 0 at y = 0, whatever x
        hi = sp.oo if _infinite(x_hi) or _infinite(y_hi) else x_hi * y_hi
        hi_in = x_hi_in and y_hi_in
    intervals = {v: side for v, side in domain.intervals.items()
                 if v not in (combination.first, combination.second)}
    opens = {v: domain.open_ends.get(v, (False, False)) for v in intervals}
    u = combination.variable
    intervals[u], opens[u] = (lo, hi), (not lo_in or _infinite(lo), not hi_in or _infinite(hi))
    return Domain(intervals, opens)


def check_combination(g: sp.Expr, duties: Sequence[sp.Expr], domain: Domain,
                      combination: Combination) -> str:
    """'' when the combination holds as the module docstring says, else why not."""
    x, y, u = combination.first, combination.second, combination.variable
    if not {x, y} <= set(domain.variables) or x == y:
        return "the pair must be two distinct variables of the domain"
    if u in domain.variables or u.name in {v.name for v in domain.variables}:
        return f"the name {u} is taken"
    if domain.relations:
        return "the domain has relations"
    if any(domain.intervals[v][0] == domain.intervals[v][1] for v in (x, y)):
        return "a variable of the pair is fixed"
    if combination.kind == "product" and not _product_ok(domain, combination):
        return f"a product needs both sides ≥ 0 and {x} > 0 everywhere"
    if not {x, y} <= g.free_symbols:
        return "the margin does not read both variables"
    for expr in [g, *duties]:
        moved = combined_margin(expr, combination)
        if moved.free_symbols & {x, y}:
            return f"{sp.sstr(expr)[:60]} does not read {x}, {y} only through {u}"
        inside = set(sp.preorder_traversal(moved))
        for sub, _ in _guarded(expr):
            image = combined_margin(sub, combination)
            if not (image in inside or (image.is_number and image.is_finite and image != 0)):
                return f"the sub-term {sp.sstr(sub)[:60]} is lost in {u}"
    return ""


def find_combination(g: sp.Expr, duties: Sequence[sp.Expr], domain: Domain) -> Combination | None:
    """The first pair and kind (difference, sum, product; each order) that
    :func:`check_combination` accepts, or None."""
    if domain.relations or len(domain.variables) < 2 or g.has(sp.Float):
        return None
    names = [v for v in domain.variables if v in g.free_symbols]
    probe = _probe(g, names)
    for kind in KINDS:
        for x, y in itertools.permutations(names, 2):
            if kind == "sum" and names.index(x) > names.index(y):
                continue  # (x + y is y + x)
            if probe is not None and not probe(kind, names.index(x), names.index(y)):
                continue
            found = Combination(kind, x, y)
            if not check_combination(g, duties, domain, found):
                return found
    return None


def _probe(g: sp.Expr, names: list[sp.Symbol]) -> Callable[[str, int, int], bool] | None:
    """A float test (proposes only): g unchanged, at three random points, when the pair
    moves along the kind's invariant direction (x + h, y + h for a difference; x + h, y - h
    for a sum; λx, y/λ for a product). It spares the symbolic check on every other pair of
    a six-variable margin."""
    import random

    import mpmath

    try:
        f = sp.lambdify(names, g, "mpmath")
    except Exception:  # noqa: BLE001  (no probe: every pair goes to the symbolic check)
        return None
    rng = random.Random(7)
    points = [[mpmath.mpf(rng.uniform(0.3, 1.7)) for _ in names] for _ in range(3)]

    def moved(point: list, kind: str, i: int, j: int) -> list:
        q = list(point)
        h = mpmath.mpf("0.137")
        if kind == "difference":
            q[i], q[j] = q[i] + h, q[j] + h
        elif kind == "sum":
            q[i], q[j] = q[i] + h, q[j] - h
        else:
            q[i], q[j] = q[i] * (1 + h), q[j] / (1 + h)
        return q

    def same(kind: str, i: int, j: int) -> bool:
        with mpmath.workdps(30):
            for point in points:
                try:
                    a, b = f(*point), f(*moved(point, kind, i, j))
                except Exception:  # noqa: BLE001  (undecided by floats: let the check decide)
                    return True
                if abs(a - b) > mpmath.mpf(10) ** -20 * (1 + abs(a)):
                    return False
        return True
    return same


def combined_statement(statement: sp.Rel, combination: Combination) -> sp.Rel:
    """G ≥ 0 (G > 0 for a strict statement), G the combined margin of the statement."""
    relation = sp.Gt if isinstance(statement, (sp.Gt, sp.Lt)) else sp.Ge
    return relation(combined_margin(margin(statement), combination), 0, evaluate=False)


def certify_combined(search: Callable[..., Any], statement: sp.Rel, domain: Domain,
                     **options: Any) -> Any:
    """``search`` on the combined statement and domain when the margin has a checked
    combination, with two thirds of the time left; its result, in the statement's own
    terms, when certified, else None."""
    start, limit = options["start"], options["time_limit"]
    left = start + limit - time.perf_counter()
    if left < 3 or options.get("back") is not None:  # (a relation's piece: no room for it)
        return None
    duties = list(options.get("duties", ()))
    g = margin(statement)
    found = find_combination(g, duties, domain)
    if found is None:
        return None
    result = certified_in_two_thirds(
        search, combined_statement(statement, found), combined_domain(domain, found), options,
        left, duties=[combined_margin(d, found) for d in duties], check_domain=None, original=None)
    if result is None:
        return None
    result.statement, result.domain = sp.sstr(statement), domain.to_dict()
    result.combination = found.to_dict()
    return result


def certified_in_two_thirds(search: Callable[..., Any], statement: sp.Rel, domain: Domain,
                            options: dict[str, Any], left: float, **changes: Any) -> Any:
    """``search`` on a transformed statement and domain (a normalisation's), with two
    thirds of the ``left`` seconds the caller had and these options changed: its result
    when certified, else None. The rest of the time stays for the statement's own
    search."""
    result = search(statement, domain, **dict(
        options, time_limit=time.perf_counter() - options["start"] + 2 * left / 3, **changes))
    return result if result.verdict.value == "certified" else None


def replay_combination(statement: sp.Rel, domain: Domain, duties: Sequence[sp.Expr],
                       record: Any) -> tuple[sp.Rel, Domain, list[sp.Expr]]:
    """For ``recheck``: the combined statement, domain and typed sub-terms of a
    certificate's record, every step of :func:`check_combination` done again
    (FPTheoryError with the reason when one fails)."""
    found = combination_from_dict(record, domain)
    statement = own_relation(statement, domain.variables)
    duties = [own_symbols(d, domain.variables) for d in duties]
    why = check_combination(margin(statement), duties, domain, found)
    if why:
        raise FPTheoryError(f"the combination {found.to_dict()} does not hold: {why}")
    return (combined_statement(statement, found), combined_domain(domain, found),
            [combined_margin(d, found) for d in duties])
