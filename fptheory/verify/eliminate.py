r"""A variable eliminated at its critical point: Young's ``x*y <= exp(x) + y*(log(y) - 1)``
on x real, y > 0 is tight along the whole curve x = log y, where no box closes; as a
statement about y alone it is ``0 >= 0``.

Let g ≥ 0 (> 0 when strict) be the margin on a box domain, v one of its variables with
side I, and r the other variables (their box R). If

1. g is convex in v on I for every r: ∂²g/∂v² ≥ 0 on the whole domain, with g and ∂g/∂v
   defined there and g built of functions smooth wherever they are defined (no Abs, sign,
   Heaviside, Max, Min, Piecewise), so that the derivatives are g's own;
2. c(r) is a critical point: ∂g/∂v at v = c(r) is 0, shown *exactly*
   (:func:`~fptheory.verify.equality.exactly_equal`), with c free of v;
3. c(r) lies in I for every r ∈ R (a statement on R for each finite end of I);
4. g(c(r), r) ≥ 0 (> 0) on R,

then for every point (v, r) of the domain, g(v, r) ≥ g(c(r), r) + ∂g/∂v(c(r), r)·(v − c(r))
= g(c(r), r) ≥ 0 (convexity on the interval I, which holds both v and c(r)). Steps 1, 3
and 4 are statements certified by the ordinary search, each with its own leaves (the
*pieces*); step 2 and the smoothness are checked here. Nothing is taken from the proposal:
the critical point is another variable (Pinsker's p·log(p/q) + (1 − p)·log((1 − p)/(1 − q))
≥ 2(p − q)² is tight along p = q) or one of sympy's solutions of ∂g/∂v = 0, tried only
where sampling makes every step plausible, and ``recheck`` parses it from the certificate
(the safe parser), checks it the same way and derives every piece's statement and box
again (:func:`replay_elimination`).

A margin *concave* in v on a closed side [a, b] (∂²g/∂v² ≤ 0 on the domain, g and ∂g/∂v
defined there, g smooth as in 1) lies above its chord: g(v, r) ≥ min(g(a, r), g(b, r)), so
g ≥ 0 (> 0) follows from its two faces v = a and v = b — the pieces ``concave``, ``low end``
and ``high end`` (eᵗˣ ≤ cosh x + t·sinh x on −1 ≤ t ≤ 1, an equality at t = ±1 for every x).

>>> x, y = sp.symbols("x y", real=True)
>>> dom = Domain.parse("-oo<x<oo, 0<y<oo")
>>> young = sp.Le(x*y, sp.exp(x) + y*(sp.log(y) - 1))
>>> e = find_elimination(young, dom)
>>> e.to_dict()
{'variable': 'x', 'critical': 'log(y)'}
>>> [(role, sp.sstr(s)) for role, s, _, _ in elimination_pieces(young, dom, [], e)]
[('convex', 'exp(x) >= 0'), ('reduced', 'y*(log(y) - 1) - y*log(y) + y >= 0')]
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import mpmath
import numpy as np
import sympy as sp

from fptheory.core.errors import FPTheoryError
from fptheory.core.parsing import parse_expression

from .backends import _infinite
from .domains import Domain, margin, own_relation, own_symbols
from .equality import exactly_equal
from .kinks import KINKED, smooth_where_defined
from .limits import bounded, manageable
from .pieces import certify_pieces, matched_pieces
from .results import CertifyResult
from .sampling import _draw

__all__ = ["Elimination", "find_elimination", "check_elimination", "elimination_pieces",
           "smooth_margin",
           "certify_eliminated", "replay_elimination"]

#: at most this many variables in a margin whose critical points are looked for
MAX_VARIABLES = 4
#: seconds for sympy's solve of ∂g/∂v = 0, per variable
SOLVE_SECONDS = 2.0
#: sample points at which a proposed elimination must look right before its pieces are searched
PLAUSIBLE_POINTS = 48
#: the largest critical point (sympy's count_ops) tried: a root of a cubic's formula is not
MAX_CRITICAL_OPS = 24


@dataclass(frozen=True)
class Elimination:
    """The margin's ``variable`` set to its critical point ``critical`` (free of it), or,
    where ``critical`` is None, to the two ends of its side (a margin concave in it)."""

    variable: sp.Symbol
    critical: sp.Expr | None

    def to_dict(self) -> dict[str, Any]:
        if self.critical is None:
            return {"variable": self.variable.name, "ends": True}
        return {"variable": self.variable.name, "critical": sp.sstr(self.critical)}


def smooth_margin(g: sp.Expr) -> bool:
    """g's derivatives are its own wherever their walks pass: no kink, jump or case split."""
    return all(smooth_where_defined(node) and not isinstance(
        node, (*KINKED, sp.Max, sp.Min, sp.Piecewise)) for node in sp.preorder_traversal(g))


def _rest(domain: Domain, v: sp.Symbol) -> Domain:
    return Domain({w: side for w, side in domain.intervals.items() if w != v},
                  {w: ends for w, ends in domain.open_ends.items() if w != v})


def check_elimination(g: sp.Expr, domain: Domain, elimination: Elimination,
                      seconds: float = 5.0) -> str:
    """Why ``elimination`` does not apply to the margin g on the domain ('' when it does):
    steps 2 and the smoothness of the module docstring, on a box domain of ≥ 2 variables."""
    v, c = elimination.variable, elimination.critical
    if domain.relations:
        return "the domain has relations between variables"
    if v not in domain.variables or len(domain.variables) < 2:
        return f"{v} is not one of two or more variables of the domain"
    if c is None:
        closed = not any(domain.open_ends.get(v, (False, False)))
        return "" if smooth_margin(g) and closed and not any(map(_infinite, domain.intervals[v])) \
            else f"{v}'s side is not closed and bounded, or the margin is not smooth"
    if not c.free_symbols <= set(domain.variables) - {v} or c.has(sp.I):
        return f"the critical point {sp.sstr(c)} is not real and free of {v}"
    if not smooth_margin(g):
        return "the margin has a kink, a jump or a case split"
    slope = sp.diff(g, v)
    if exactly_equal(slope.xreplace({v: c}), sp.Integer(0), seconds) is None:
        return f"∂/∂{v} of the margin is not shown 0 at {v} = {sp.sstr(c)}"
    return ""


def elimination_pieces(statement: sp.Rel, domain: Domain, duties: Sequence[sp.Expr],
                       elimination: Elimination
                       ) -> list[tuple[str, sp.Rel, Domain, list[sp.Expr]]]:
    """(role, statement, box domain, typed sub-terms) of steps 1, 3 and 4 (module docstring):
    ``convex`` on the domain, ``above``/``below`` (the critical point inside v's side, one
    per finite end) and ``reduced`` on the other variables' box; for the ends of a closed
    side [a, b], ``concave`` (∂²g/∂v² ≤ 0) on the domain, ``low end`` and ``high end`` (g at
    v = a and at v = b) on the other variables' box."""
    g, strict = margin(statement), isinstance(statement, (sp.Lt, sp.Gt))
    v, c = elimination.variable, elimination.critical
    slope = sp.diff(g, v)
    rest = _rest(domain, v)
    relation = sp.Gt if strict else sp.Ge
    if c is None:
        return [("concave", sp.Le(sp.diff(slope, v), 0, evaluate=False), domain,
                 [*duties, g, slope]),
                *((role, relation(g.xreplace({v: end}), 0, evaluate=False), rest, [])
                  for role, end in zip(("low end", "high end"), domain.intervals[v],
                                       strict=True))]
    out = [("convex", sp.Ge(sp.diff(slope, v), 0, evaluate=False), domain,
            [*duties, g, slope])]
    (lo, hi), (lo_open, hi_open) = domain.intervals[v], domain.open_ends.get(v, (False, False))
    if not _infinite(lo):
        out.append(("above", (sp.Gt if lo_open else sp.Ge)(c, lo, evaluate=False), rest, []))
    if not _infinite(hi):
        out.append(("below", (sp.Lt if hi_open else sp.Le)(c, hi, evaluate=False), rest, []))
    reduced = relation(g.xreplace({v: c}), 0, evaluate=False)
    out.append(("reduced", reduced, rest, [c]))
    return out


def _holds_at_samples(piece: sp.Rel, box: Domain, rng: np.random.Generator) -> bool:
    """The piece's margin ≥ 0 (> 0 when strict) at :data:`PLAUSIBLE_POINTS` seeded points
    (mpmath, 30 digits; a point where it is undefined is skipped): a proposal only."""
    strict = isinstance(piece, (sp.Lt, sp.Gt))
    g = margin(piece)
    if g.has(sp.zoo, sp.nan, sp.oo, -sp.oo):  # (x^y·log x with x = 0 put in: log 0 = zoo)
        return False
    fn = sp.lambdify(box.variables, g, modules="mpmath")
    with mpmath.workdps(30):
        for _ in range(PLAUSIBLE_POINTS):
            point = [_draw(*box.intervals[w], rng) for w in box.variables]
            try:
                value = fn(*(mpmath.mpf(str(sp.N(p, 40))) for p in point))
                if isinstance(value, (int, float)):  # (a constant margin: -2 for x² in -x²)
                    value = mpmath.mpf(value)
            except (ArithmeticError, ValueError, TypeError, OverflowError):
                continue
            if not isinstance(value, mpmath.mpf) or mpmath.isnan(value):
                continue
            if value < -mpmath.mpf(10) ** -20 * (1 + abs(value)) or (strict and value == 0):
                return False
    return True


def _candidates(solutions: Sequence[Any]) -> list[sp.Expr]:
    """sympy's solutions, each first with tan and cot written through sin and cos over one
    denominator: solve gives x₂/(2 tan x₃) for x₂ cos x₃/(2 sin x₃), undefined at π/2 where
    the critical point is 0."""
    out: list[sp.Expr] = []
    for c in solutions:
        if not isinstance(c, sp.Expr):
            continue
        for form in (bounded(lambda c=c: sp.together(c.replace(
                sp.tan, lambda u: sp.sin(u) / sp.cos(u)).replace(
                sp.cot, lambda u: sp.cos(u) / sp.sin(u))), 0.5, c), c):
            if form not in out:
                out.append(form)
    return out


def find_elimination(statement: sp.Rel, domain: Domain, seconds: float = 2.0,
                     seed: int = 0) -> Elimination | None:
    """A checked elimination (:func:`check_elimination`) whose pieces hold at sampled
    points, or None: for each variable v in which the margin looks convex at sampled points,
    the solutions of ∂g/∂v = 0 that sympy finds within :data:`SOLVE_SECONDS`, each of at
    most :data:`MAX_CRITICAL_OPS` operations; where it looks concave, the ends of v's side."""
    g = margin(statement)
    variables = domain.variables
    if domain.relations or not 2 <= len(variables) <= MAX_VARIABLES or not manageable(g) \
            or not smooth_margin(g):
        return None
    until, rng = time.perf_counter() + seconds, np.random.default_rng(seed)
    for v in variables:
        left = until - time.perf_counter()
        slope = sp.diff(g, v)
        if left <= 0.1 or not slope.has(v):
            continue
        if not _holds_at_samples(sp.Ge(sp.diff(slope, v), 0, evaluate=False), domain, rng):
            ends = Elimination(v, None)
            if not check_elimination(g, domain, ends) and all(
                    _holds_at_samples(piece, box, rng)
                    for _, piece, box, _ in elimination_pieces(statement, domain, [], ends)):
                return ends
            continue
        # another variable first (g(v, w) tight along v = w: Pinsker's p = q), then sympy's
        solved = bounded(lambda s=slope, w=v: sp.solve(s, w), min(SOLVE_SECONDS, left), None)
        others = [w for w in variables if w != v]
        for c in _candidates(others + (solved[:4] if isinstance(solved, list) else [])):
            if sp.count_ops(c) > MAX_CRITICAL_OPS:
                continue
            try:  # (the text a certificate records, read back as recheck reads it)
                c = own_symbols(parse_expression(sp.sstr(c)), variables)
            except FPTheoryError:
                continue
            e = Elimination(v, c)
            if not check_elimination(g, domain, e, max(0.1, until - time.perf_counter())) \
                    and all(_holds_at_samples(piece, box, rng) for _, piece, box, _ in
                            elimination_pieces(statement, domain, [], e)[1:]):
                return e
    return None


def certify_eliminated(search: Callable[..., Any], statement: sp.Rel, domain: Domain,
                       **options: Any) -> CertifyResult | None:
    """``search`` (:func:`~fptheory.verify.certify`'s normalisations and search, its options)
    on every piece of an elimination of the margin, within half the time left, with
    no elimination inside a piece; one result whose leaves are all the pieces' (the
    evidence), each piece's own certificate in its record; None when no elimination is found
    or a piece is not certified. Each piece but the reduced statement (the hard one, as a
    rule) may take half the time still left for them."""
    start, limit = options["start"], options["time_limit"]
    left = start + limit - time.perf_counter()
    if left < 3 or options.get("back") is not None:
        return None
    elimination = find_elimination(statement, domain, min(3.0, left / 10),
                                   options.get("seed", 0))
    if elimination is None:
        return None
    pieces = elimination_pieces(statement, domain, list(options.get("duties", ())), elimination)
    until = time.perf_counter() + (start + limit - time.perf_counter()) / 2
    done = certify_pieces(search, statement, domain, pieces, until, options, last_takes_all=True)
    if not isinstance(done, tuple):
        return None
    merged, records = done
    merged.elimination = elimination.to_dict() | {"pieces": records}
    return merged


def replay_elimination(statement: sp.Rel, domain: Domain, duties: Sequence[sp.Expr],
                       record: Any) -> list[tuple[sp.Rel, Domain, list[sp.Expr], dict[str, Any]]]:
    """For ``recheck``: (statement, box, typed sub-terms, recorded piece) for every piece of
    a certificate's elimination record, the critical point parsed by the safe parser, every
    check of :func:`check_elimination` done again and the pieces derived again from the
    certificate's statement and domain; the record must name exactly those pieces, in that
    order (FPTheoryError with the reason otherwise)."""
    if not isinstance(record, dict) or not isinstance(record.get("variable"), str) or not (
            set(record) == {"variable", "critical", "pieces"} and isinstance(
                record["critical"], str) or set(record) == {"variable", "ends", "pieces"}
            and record["ends"] is True):
        raise FPTheoryError("an elimination record has a variable, a critical point (or "
                            "\"ends\": true) and pieces")
    names = {v.name: v for v in domain.variables}
    if record["variable"] not in names:
        raise FPTheoryError(f"the eliminated variable {record['variable'][:40]!r} is not one "
                            "of the domain's")
    elimination = Elimination(names[record["variable"]], None if "ends" in record else
                              own_symbols(parse_expression(record["critical"]), domain.variables))
    statement = own_relation(statement, domain.variables)
    duties = [own_symbols(d, domain.variables) for d in duties]
    why = check_elimination(margin(statement), domain, elimination, 10.0)
    if why:
        raise FPTheoryError(f"the elimination {elimination.to_dict()} does not hold: {why}")
    return matched_pieces(elimination_pieces(statement, domain, duties, elimination),
                          record["pieces"], "elimination")
