"""Domains: exact bounds per variable (open or closed ends, ±∞) and relations between
variables (x < y), parsed from text like ``"0<=x<=pi/2, y>=0, x<y"`` by the closed-grammar
parser (:mod:`fptheory.core.parsing`): decimals are exact rationals, nothing is evaluated
as code."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from fptheory.core.errors import FPTheoryError
from fptheory.core.parsing import parse_expression, parse_relation

from .backends import Interval, _infinite

__all__ = ["Domain", "parse_statement", "margin"]


#: the most bits of a rational in a bound (10**-1000 is about 3322 bits)
MAX_BOUND_BITS = 3400


@dataclass
class Domain:
    """Closed or open intervals per variable, with exact endpoints."""

    intervals: dict[sp.Symbol, Interval]
    open_ends: dict[sp.Symbol, tuple[bool, bool]] = field(default_factory=dict)
    #: relations between variables, (x, strict, y) for x < y (strict) or x <= y
    relations: list[tuple[sp.Symbol, bool, sp.Symbol]] = field(default_factory=list)

    @property
    def variables(self) -> list[sp.Symbol]:
        return list(self.intervals)

    @classmethod
    def parse(cls, text: str) -> Domain:
        """Parse "0<=x<=pi/2, 1/2<=k1<=1" (comma-separated chained bounds). A bound may be
        one-sided ("x>=0", "x<-1"; the other end is ±∞, open), ±oo ("-oo<x<oo"), or "x real";
        several bounds on one variable intersect. A constraint between two variables,
        "k1 < k2" (or <=, >, >=; also chained: "0<u1<u2"), is a relation.

        >>> Domain.parse("x>=0, 0<u1<u2").to_dict()["x"]
        ['0', 'oo', False, True]
        """
        lows: dict[sp.Symbol, tuple[sp.Expr, bool]] = {}
        highs: dict[sp.Symbol, tuple[sp.Expr, bool]] = {}
        relations: list[tuple[sp.Symbol, bool, sp.Symbol]] = []
        order: list[sp.Symbol] = []

        def bound(v: sp.Symbol, value: sp.Expr, is_open: bool, upper: bool, part: str) -> None:
            if not (value.is_number and value.is_real is not False and value.is_comparable) \
                    and value not in (sp.oo, -sp.oo):
                raise FPTheoryError(f"constraint {part!r}: bound {value} is not a real number")
            if any(max(abs(r.p), r.q).bit_length() > MAX_BOUND_BITS
                   for r in value.atoms(sp.Rational)):
                raise FPTheoryError(f"constraint {part[:60]!r}: a bound with more than "
                                    f"{MAX_BOUND_BITS} bits (about 1000 digits) is not taken")
            if value == (-sp.oo if upper else sp.oo):
                raise FPTheoryError(f"constraint {part!r}: {v} {'<' if upper else '>'} "
                                    f"{value} is empty")
            if v not in order:
                order.append(v)
            table = highs if upper else lows
            old = table.get(v)
            if old is not None and value == old[0]:
                table[v] = (value, old[1] or is_open)
            elif old is None or bool(value < old[0]) == upper:  # the tighter bound wins
                table[v] = (value, is_open or value in (sp.oo, -sp.oo))

        for part in _split_top_level(text):
            real = re.fullmatch(r"\s*([A-Za-z_]\w*)\s+(?:real|in\s+R)\s*", part)
            if real:
                v = _parse(real.group(1))
                bound(v, -sp.oo, True, False, part)
                bound(v, sp.oo, True, True, part)
                continue
            pieces = re.split(r"(<=|>=|<|>)", part.replace(" ", ""))
            if len(pieces) not in (3, 5):
                raise FPTheoryError(f"constraint {part!r}: expected a <= x <= b, x <= b or "
                                    "x real")
            terms = [_parse(p) for p in pieces[0::2]]
            ops = pieces[1::2]
            if len(ops) == 2 and (ops[0][0] != ops[1][0]):
                raise FPTheoryError(f"constraint {part!r}: mixed directions")
            if ops[0].startswith(">"):
                terms, ops = terms[::-1], [o.replace(">", "<") for o in ops[::-1]]
            for t in terms:
                if not (isinstance(t, sp.Symbol) or t.is_number):
                    raise FPTheoryError(f"constraint {part!r}: {t} is neither a variable nor a "
                                        "number (bounds are on variables)")
            for (a, b), op in zip(zip(terms[:-1], terms[1:], strict=True), ops, strict=True):
                strict = op == "<"
                if isinstance(a, sp.Symbol) and isinstance(b, sp.Symbol):
                    if a == b:
                        raise FPTheoryError(f"constraint {part!r}: a relation needs two "
                                            "variables")
                    relations.append((a, strict, b))
                    order.extend(v for v in (a, b) if v not in order)
                elif isinstance(b, sp.Symbol):
                    bound(b, a, strict, False, part)
                elif isinstance(a, sp.Symbol):
                    bound(a, b, strict, True, part)
                else:
                    raise FPTheoryError(f"constraint {part!r}: need a variable on one side "
                                        "of each comparison (relations between variables: "
                                        "x < y)")
        out: dict[sp.Symbol, Interval] = {}
        opens: dict[sp.Symbol, tuple[bool, bool]] = {}
        for v in order:
            lo, lo_open = lows.get(v, (-sp.oo, True))
            hi, hi_open = highs.get(v, (sp.oo, True))
            fixed = (hi - lo).is_zero and not (lo_open or hi_open)  # 2.52 <= y4 <= 2.52
            if not ((hi - lo).is_extended_positive or fixed):
                raise FPTheoryError(f"empty or degenerate interval for {v}: [{lo}, {hi}] "
                                    "(inconsistent bounds)")
            if fixed and relations:
                raise FPTheoryError(f"{v} is fixed at {lo} by its bounds in a domain with "
                                    "relations between variables: substitute its value")
            out[v], opens[v] = (lo, hi), (lo_open, hi_open)
        return cls(out, opens, relations)

    def contains(self, point: dict[sp.Symbol, sp.Expr]) -> bool:
        """The exact point satisfies every bound (open ends excluded) and every relation;
        comparisons of exact numbers are decided by sympy (False when undecidable)."""
        def holds(relation: Any) -> bool:
            return relation is sp.true or relation is True

        for v, (lo, hi) in self.intervals.items():
            lo_open, hi_open = self.open_ends.get(v, (False, False))
            p = point.get(v)
            if p is None or not p.is_number or p.is_extended_real is not True or not p.is_finite:
                return False
            if not holds(sp.Ge(p, lo) if not lo_open else sp.Gt(p, lo)) and lo != -sp.oo:
                return False
            if not holds(sp.Le(p, hi) if not hi_open else sp.Lt(p, hi)) and hi != sp.oo:
                return False
        for x, strict, y in self.relations:
            if not holds(sp.Lt(point[x], point[y]) if strict else sp.Le(point[x], point[y])):
                return False
        return True

    def grid(self) -> dict[sp.Symbol, list[sp.Expr]]:
        """Finite exact sample values per variable: ends and middle, and on a side
        reaching ±∞ points 1, 10, 10³, 10⁶, 10¹² beyond its finite end."""
        return {v: _far_grid(lo, hi) for v, (lo, hi) in self.intervals.items()}

    def to_dict(self) -> dict[str, Any]:
        return {str(v): [str(lo), str(hi), *self.open_ends.get(v, (False, False))]
                for v, (lo, hi) in self.intervals.items()}

    def record(self) -> dict[str, Any]:
        """:meth:`to_dict` with the relations ("relations": ["x < y", ...]) where there are
        any: a certificate's domain."""
        relations = [f"{x} {'<' if strict else '<='} {y}" for x, strict, y in self.relations]
        return self.to_dict() | ({"relations": relations} if relations else {})

    def without_relations(self, reserved: Sequence[str] = ()
                          ) -> list[tuple[Domain, dict[sp.Symbol, sp.Expr]]]:
        r"""Box domains and substitutions that together replace the relations x < y (or
        x ≤ y): where x ≤ lo_y the relation is implied by the bounds (a plain box); where
        x ≥ lo_y, y = x + s (hi_y - x) with s ∈ [0, 1] (open at 0 when strict), x capped at
        hi_y; where hi_y = ∞, y = x + d with d ∈ [0, ∞) instead. Each map is onto its part
        of {(x, y): x < y, both in their bounds}, so a statement certified on every box
        holds on the region, and a violation at a box point is a violation at its (x, y).

        The substitution variables are fresh names (``s_y``, then ``s_y_1``, ...) that
        collide with no variable of the domain and no name in ``reserved`` (the
        statement's symbols); each piece is built from that piece's own bounds, so a
        variable in two relations is cut consistently."""
        taken = {v.name for v in self.intervals} | set(reserved)

        def fresh(stem: str) -> sp.Symbol:
            name, k = stem, 0
            while name in taken:
                k += 1
                name = f"{stem}_{k}"
            taken.add(name)
            return sp.Symbol(name, real=True)

        pieces: list[tuple[Domain, dict[sp.Symbol, sp.Expr]]] = [
            (Domain(dict(self.intervals), {v: self.open_ends.get(v, (False, False))
                                            for v in self.intervals}), {})]
        greater = [y for _, _, y in self.relations]
        for _, _, y in self.relations:
            if greater.count(y) > 1 or y in [r[0] for r in self.relations]:
                raise FPTheoryError("relations: each variable may be the larger side of one "
                                    "relation and not also the smaller side (no chains)")
        for x, strict, y in self.relations:
            (xl0, _), (_, yh0) = self.intervals[x], self.intervals[y]
            if not (xl0 < yh0) == True:  # noqa: E712
                raise FPTheoryError(f"the relation {x} < {y} is empty on the given bounds")
            sv = fresh(f"d_{y.name}" if yh0 == sp.oo else f"s_{y.name}")
            out = []
            for dom, subs in pieces:
                (xl, xh), (yl, yh) = dom.intervals[x], dom.intervals[y]
                x_open, y_open = dom.open_ends[x], dom.open_ends[y]
                if (xl < yl) == True:  # noqa: E712  x ≤ lo_y ≤ y: implied there
                    iv, op = dict(dom.intervals), dict(dom.open_ends)
                    iv[x] = (xl, sp.Min(xh, yl))
                    if (xh > yl) == True:  # noqa: E712  x = lo_y belongs to the next piece
                        op[x] = (x_open[0], True)
                    out.append((Domain(iv, op), dict(subs)))
                if (xh > yl) == True:  # noqa: E712
                    iv, op = dict(dom.intervals), dict(dom.open_ends)
                    iv[x] = (sp.Max(xl, yl), sp.Min(xh, yh))
                    op[x] = (x_open[0] if (xl >= yl) == True else False,  # noqa: E712
                             (strict or y_open[1]) if (xh >= yh) == True else x_open[1])  # noqa: E712
                    new_subs = {k: e.xreplace({y: x + sv * (yh - x)} if yh != sp.oo else {y: x + sv})
                                for k, e in subs.items()}
                    del iv[y]
                    op.pop(y)
                    if yh == sp.oo:  # y unbounded above: y = x + d, d ∈ [0, ∞)
                        new_subs[y] = x + sv
                        iv[sv] = (sp.Integer(0), sp.oo)
                    else:
                        new_subs[y] = x + sv * (yh - x)
                        iv[sv] = (sp.Integer(0), sp.Integer(1))
                    op[sv] = (strict, y_open[1])
                    out.append((Domain(iv, op), new_subs))
            pieces = [(d, sb) for d, sb in out
                      if all((hi - lo).is_extended_positive for lo, hi in d.intervals.values())]
        return pieces


def _split_top_level(text: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in text:
        depth += ch in "(["
        depth -= ch in ")]"
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return [p for p in (p.strip() for p in parts) if p]


def _parse(text: str) -> sp.Expr:
    """A term of a constraint (a variable or an exact number), by the safe parser."""
    return parse_expression(text)


def margin(statement: sp.Rel) -> sp.Expr:
    """g with statement ⇔ g ≥ 0 (g > 0 when strict)."""
    if isinstance(statement, (sp.Le, sp.Lt)):
        return statement.rhs - statement.lhs
    return statement.lhs - statement.rhs


def own_symbols(expr: sp.Expr, variables: Sequence[sp.Symbol]) -> sp.Expr:
    """expr with every symbol named like one of ``variables`` replaced by it (text parsed
    anew has plain symbols; a domain's variables carry their assumptions)."""
    by_name = {v.name: v for v in variables}
    return expr.xreplace({s: by_name[s.name] for s in expr.free_symbols if s.name in by_name})


def own_relation(statement: sp.Rel, variables: Sequence[sp.Symbol]) -> sp.Rel:
    """:func:`own_symbols` on both sides, the relation left unevaluated (xreplace on the
    relation itself would evaluate exp(-x) >= 0 to True)."""
    return statement.func(*(own_symbols(side, variables) for side in statement.args),
                          evaluate=False)


def parse_statement(text: str) -> sp.Rel:
    """Parse 'lhs <= rhs' (also <, >=, >, ==) into an unevaluated sympy relational with
    real symbols, by the closed-grammar parser (decimals exact, nothing evaluated as code).

    sympy evaluates each side as it builds it (``sqrt(x)**2`` is ``x``): the relation is the
    statement sympy built. To have a statement judged as typed, with the sub-terms sympy's
    evaluation drops, give :func:`~fptheory.verify.certify` the text itself.

    >>> parse_statement("x < 0.1").rhs
    1/10
    """
    if not re.search(r"<=|>=|==|<|>", text):
        raise FPTheoryError(f"not an (in)equality: {text!r} (use one of <=, <, >=, >, ==)")
    return parse_relation(text)


def _far_grid(lo: sp.Expr, hi: sp.Expr) -> list[sp.Expr]:
    """Grid points of a side: ends and middle; on a side reaching ±∞, its finite end and
    points 1, 10, 10³, 10⁶, 10¹² beyond it (both ways on (-∞, ∞))."""
    if not (_infinite(lo) or _infinite(hi)):
        return [lo, (lo + hi) / 2, hi]
    steps = [sp.Integer(10) ** k for k in (0, 1, 3, 6, 12)]
    if lo == -sp.oo and hi == sp.oo:
        return [sp.Integer(0), *steps, *(-t for t in steps)]
    if hi == sp.oo:
        return [lo, *(lo + t for t in steps)]
    return [hi, *(hi - t for t in steps)]


def domain_ends(intervals: Mapping[sp.Symbol, tuple[sp.Expr, sp.Expr]]
                ) -> dict[sp.Symbol, tuple[sp.Expr, ...]]:
    """Each variable's finite ends: the faces of the domain itself, where a margin is
    substituted exactly (a symmetric margin on x ≤ y is 0 where y's side shrinks to the
    point x = hi).

    >>> x = sp.Symbol("x", real=True)
    >>> domain_ends({x: (sp.Integer(0), sp.oo)})
    {x: (0,)}
    """
    return {v: tuple(e for e in (lo, hi) if e.is_finite) for v, (lo, hi) in intervals.items()}
