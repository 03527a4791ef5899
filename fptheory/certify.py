r"""Certified checking of inequalities on boxes: sampling first, then branch-and-bound
with rigorous ball arithmetic (python-flint ``arb``).

A statement ``lhs REL rhs`` (REL in <=, <, >=, >) becomes g ≥ 0 (or g > 0) with
g = rhs - lhs (or lhs - rhs). Over a box of exact sympy endpoints (π/2 stays π/2):

1. **sampling** (mpmath, 30+ digits, corners, midpoints and seeded random points) hunts for
   a counterexample; one found is confirmed by an arb ball at the exact point;
2. **interval rule**: the arb enclosure of g over the box has lower bound > 0 (≥ 0);
3. **monotone rule**: ∂g/∂x_i has a certified sign on the box (proved recursively, by
   the same rules), so the minimum lies on one face: the box is replaced by that face.
   This is how bounds tight at a boundary are certified, e.g. (2/π)x ≤ sin x at 0 and
   π/2, and, after splitting at the critical points sympy finds, e^x ≥ 1 + x at 0;
4. **exact point rule**: on a point, the ball decides, or sympy proves g = 0 exactly;
5. otherwise the box is split (in log space for a positive variable spanning decades).

Relations between variables (``k1 < k2``) are removed by substitution
(:meth:`Domain.without_relations`): where x ≥ lo_y, y = x + s (hi_y - x) with s ∈ [0, 1];
a relation variable fixed on a face (s = 0, i.e. y = x) is substituted exactly, so
sinh(x)/sinh(x) is 1 and not a wide ball. Unbounded domains are not supported (arb gives
nan on a ball reaching infinity): certify on a box and bound the tail separately.

Every closed box and its rule is kept: the certificate can be saved (JSON) and
re-checked by :func:`recheck_certificate`. Box and time budgets end in ``unknown``,
never in a guess. Exact constants enter as balls (``arb(p)/q``, ``arb.pi()``).

>>> x = sp.Symbol("x", real=True)
>>> certify(2 * x / sp.pi <= sp.sin(x), Domain.parse("0 <= x <= pi/2")).verdict.value
'certified'
>>> r = certify(sp.sin(x) <= x - x**3 / 7, Domain.parse("0 <= x <= 2"))
>>> r.verdict.value, sorted(r.counterexample)
('refuted', ['x'])
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import mpmath
import numpy as np
import sympy as sp
from flint import arb, ctx

from .claims import Verdict
from .errors import FPTheoryError
from .mpnum import decimal_string, to_mpc

__all__ = ["Domain", "CertifyResult", "certify", "recheck_certificate", "parse_statement",
           "compile_arb", "compile_balls", "BallBackend", "ARB"]

Interval = tuple[sp.Expr, sp.Expr]

# ---------------------------------------------------------------------------------------
# rigorous evaluation: sympy → closures over arb balls (exact constants as balls)

_UNARY: dict[type, Callable[[arb], arb]] = {
    sp.exp: arb.exp, sp.log: arb.log, sp.sin: arb.sin, sp.cos: arb.cos, sp.tan: arb.tan,
    sp.sinh: arb.sinh, sp.cosh: arb.cosh, sp.tanh: arb.tanh, sp.sech: arb.sech,
    sp.csch: arb.csch, sp.coth: arb.coth, sp.atan: arb.atan, sp.asin: arb.asin,
    sp.acos: arb.acos, sp.Abs: lambda b: abs(b).nonnegative_part(), sp.sign: arb.sgn,
}


def _int_power(b: arb, n: int) -> arb:
    """b**n by multiplication (arb's ``**`` goes through log and is nan on balls containing
    0); an even power is clipped to [0, ∞), which midpoint-radius products overshoot:
    (m ± r)² = m² ± (2mr + r²)."""
    if n < 0:
        return 1 / _int_power(b, -n)
    if n == 0:
        return arb(1)
    if n % 2 == 0:
        half = _int_power(b, n // 2)
        return (half * half).nonnegative_part()
    return b * _int_power(b, n - 1)


SUPPORTED_CERTIFIED = "+, -, *, /, powers, exp, log, sin, cos, tan, sinh, cosh, tanh, sech, " \
                      "csch, coth, atan, asin, acos, Abs, sign, Max, Min, pi, E"


def _constant(e: sp.Expr) -> arb:
    if e.is_Integer:
        return arb(int(e))
    if e.is_Rational:
        return arb(int(e.p)) / int(e.q)
    if e is sp.pi:
        return arb.pi()
    if e is sp.E:
        return arb(1).exp()
    if e.is_Float:
        q = sp.Rational(e)
        return arb(int(q.p)) / int(q.q)
    raise FPTheoryError(f"constant {e} not supported in certified mode")


@dataclass(frozen=True)
class BallBackend:
    """The arithmetic the expression compiler targets: python-flint ``arb`` balls for the
    checker; the benchmark plugs in mpmath.iv to compare the same algorithm on both."""

    name: str
    constant: Callable[[sp.Expr], Any]
    unary: Mapping[type, Callable[[Any], Any]]
    power: Callable[[Any, int], Any]
    sqrt: Callable[[Any], Any]
    exp: Callable[[Any], Any]
    log: Callable[[Any], Any]
    clip_nonnegative: Callable[[Any], Any]  # identity where the arithmetic needs none
    maximum: Callable[[Any, Any], Any] | None = None
    minimum: Callable[[Any, Any], Any] | None = None


ARB = BallBackend("arb", _constant, _UNARY, _int_power, arb.sqrt, arb.exp, arb.log,
                  arb.nonnegative_part, arb.max, arb.min)


def compile_arb(expr: sp.Expr, symbols: Sequence[sp.Symbol]) -> Callable[[Sequence[arb]], arb]:
    """A function of a list of arb balls (one per symbol) enclosing ``expr``; constants are
    rebuilt at the current flint precision on every call, so they are never rounded early."""
    return compile_balls(expr, symbols, ARB)


def compile_balls(expr: sp.Expr, symbols: Sequence[sp.Symbol],
                  backend: BallBackend) -> Callable[[Sequence[Any]], Any]:
    """Compile ``expr`` once into closures over ``backend``'s enclosures (one per symbol)."""
    index = {s: i for i, s in enumerate(symbols)}

    def unsupported(e: sp.Expr) -> FPTheoryError:
        return FPTheoryError(f"{type(e).__name__} is not supported in certified mode "
                             f"({backend.name}); supported: {SUPPORTED_CERTIFIED}")

    def build(e: sp.Expr) -> Callable[[Sequence[Any]], Any]:
        if e in index:
            i = index[e]
            return lambda v: v[i]
        if e.is_number and not e.has(sp.I) and e.is_Atom:
            return lambda v, e=e: backend.constant(e)
        if isinstance(e, sp.Symbol):
            raise FPTheoryError(f"free variable {e} has no domain")
        if e.has(sp.I):
            raise FPTheoryError(f"complex expression {e}: certified mode is real")
        args = [build(a) for a in e.args]
        if isinstance(e, (sp.Add, sp.Mul, sp.Max, sp.Min)):
            combine = {sp.Add: lambda x, y: x + y, sp.Mul: lambda x, y: x * y,
                       sp.Max: backend.maximum, sp.Min: backend.minimum}[type(e)]
            if combine is None:
                raise unsupported(e)

            def fold(v, args=args, combine=combine):
                out = args[0](v)
                for a in args[1:]:
                    out = combine(out, a(v))
                return out
            return fold
        if isinstance(e, sp.Pow):
            base, exponent = args
            if e.exp.is_Integer:
                n = int(e.exp)
                return lambda v: backend.power(base(v), n)
            if e.exp == sp.S.Half:
                return lambda v: backend.sqrt(base(v))
            return lambda v: backend.exp(backend.log(base(v)) * exponent(v))
        for cls, fn in backend.unary.items():
            if isinstance(e, cls) and len(args) == 1:
                a0 = args[0]
                return lambda v, fn=fn, a0=a0: fn(a0(v))
        raise unsupported(e)

    def build_signed(e: sp.Expr) -> Callable[[Sequence[Any]], Any]:
        fn = build(e)
        if _structurally_nonnegative(e) and not e.is_Atom:
            # midpoint-radius rounding leaves [-1e-10, a] for a true [0, a]: clip to the
            # known sign so that bounds tight at 0 (squares) are decided
            return lambda v: backend.clip_nonnegative(fn(v))
        return fn

    return build_signed(sp.sympify(expr))


def _structurally_nonnegative(e: sp.Expr) -> bool:
    """e ≥ 0 for all real values of its symbols, by its form alone."""
    if e.is_number:
        return bool(e.is_nonnegative)
    if isinstance(e, (sp.Abs, sp.exp, sp.cosh)):
        return True
    if isinstance(e, sp.Pow):
        if e.exp.is_Integer and int(e.exp) % 2 == 0:
            return True
        return _structurally_nonnegative(e.base) and e.exp.is_real is True
    if isinstance(e, (sp.Mul, sp.Add)):
        return all(_structurally_nonnegative(a) for a in e.args)
    return bool(e.is_nonnegative)


# ---------------------------------------------------------------------------------------
# domains and statements


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
        """Parse "0<=x<=pi/2, 1/2<=k1<=1" (comma-separated chained bounds); a constraint
        between two variables, "k1 < k2" (or <=, >, >=), is a relation."""
        intervals: dict[sp.Symbol, list] = {}
        opens: dict[sp.Symbol, list] = {}
        relations: list[tuple[sp.Symbol, bool, sp.Symbol]] = []
        for part in _split_top_level(text):
            pieces = re.split(r"(<=|>=|<|>)", part.replace(" ", ""))
            if len(pieces) not in (3, 5):
                raise FPTheoryError(f"constraint {part!r}: expected a <= x <= b or x <= b")
            terms = [_parse(p) for p in pieces[0::2]]
            ops = pieces[1::2]
            if len(ops) == 2 and (ops[0][0] != ops[1][0]):
                raise FPTheoryError(f"constraint {part!r}: mixed directions")
            if ops[0].startswith(">"):
                terms, ops = terms[::-1], [o.replace(">", "<") for o in ops[::-1]]
            variables = [t for t in terms if isinstance(t, sp.Symbol)]
            if len(terms) == 2 and len(variables) == 2:
                if terms[0] == terms[1]:
                    raise FPTheoryError(f"constraint {part!r}: a relation needs two variables")
                relations.append((terms[0], ops[0] == "<", terms[1]))
                continue
            if len(variables) != 1:
                raise FPTheoryError(f"constraint {part!r}: need exactly one variable between "
                                    "numeric bounds (relations between variables: introduce a "
                                    "difference variable, e.g. k2 = k1 + d with d > 0)")
            v = variables[0]
            pos = terms.index(v)
            lo_hi = intervals.setdefault(v, [None, None])
            op_open = opens.setdefault(v, [False, False])
            if pos > 0:
                lo_hi[0], op_open[0] = terms[pos - 1], ops[pos - 1] == "<"
            if pos < len(terms) - 1:
                lo_hi[1], op_open[1] = terms[pos + 1], ops[pos] == "<"
            for bound in (b for b in lo_hi if b is not None):
                if not (bound.is_number and bound.is_real and bound.is_finite):
                    raise FPTheoryError(f"constraint {part!r}: bound {bound} is not a finite "
                                        "real number")
        out: dict[sp.Symbol, Interval] = {}
        for v, (lo, hi) in intervals.items():
            if lo is None or hi is None:
                raise FPTheoryError(f"{v} needs a lower and an upper bound (unbounded domains "
                                    "are not supported in certified mode yet)")
            if not (hi - lo).is_positive:
                raise FPTheoryError(f"empty or degenerate interval for {v}: [{lo}, {hi}]")
            out[v] = (lo, hi)
        for x, _, y in relations:
            missing = [str(v) for v in (x, y) if v not in out]
            if missing:
                raise FPTheoryError(f"relation {x} < {y}: {', '.join(missing)} needs numeric bounds too")
        return cls(out, {v: tuple(o) for v, o in opens.items()}, relations)

    def contains(self, point: dict[sp.Symbol, sp.Expr]) -> bool:
        for v, (lo, hi) in self.intervals.items():
            lo_open, hi_open = self.open_ends.get(v, (False, False))
            p = point[v]
            if (p < lo) or (p > hi) or (lo_open and p == lo) or (hi_open and p == hi):
                return False
        return True

    def to_dict(self) -> dict[str, Any]:
        return {str(v): [str(lo), str(hi), *self.open_ends.get(v, (False, False))]
                for v, (lo, hi) in self.intervals.items()}

    def without_relations(self) -> list[tuple[Domain, dict[sp.Symbol, sp.Expr]]]:
        r"""Box domains and substitutions that together replace the relations x < y (or
        x ≤ y): where x ≤ lo_y the relation is implied by the bounds (a plain box); where
        x ≥ lo_y, y = x + s (hi_y - x) with s ∈ [0, 1] (open at 0 when strict), x capped at
        hi_y. Each map is onto its part of {(x, y): x < y, both in their bounds}, so a
        statement certified on every box holds on the region, and a violation at a box
        point is a violation at its (x, y)."""
        pieces: list[tuple[Domain, dict[sp.Symbol, sp.Expr]]] = [
            (Domain(dict(self.intervals), {v: self.open_ends.get(v, (False, False))
                                            for v in self.intervals}), {})]
        greater = [y for _, _, y in self.relations]
        for x, strict, y in self.relations:
            if greater.count(y) > 1 or y in [r[0] for r in self.relations]:
                raise FPTheoryError("relations: each variable may be the larger side of one "
                                    "relation and not also the smaller side (no chains)")
            (xl, xh), (yl, yh) = self.intervals[x], self.intervals[y]
            if not (xl < yh) == True:  # noqa: E712
                raise FPTheoryError(f"the relation {x} < {y} is empty on the given bounds")
            out = []
            for dom, subs in pieces:
                if (xl < yl) == True:  # noqa: E712  x ≤ lo_y ≤ y: implied there
                    iv, op = dict(dom.intervals), dict(dom.open_ends)
                    iv[x] = (xl, sp.Min(xh, yl))
                    if (xh > yl) == True:  # noqa: E712  x = lo_y belongs to the next piece
                        op[x] = (op[x][0], True)
                    out.append((Domain(iv, op), dict(subs)))
                if (xh > yl) == True:  # noqa: E712
                    iv, op = dict(dom.intervals), dict(dom.open_ends)
                    iv[x] = (sp.Max(xl, yl), sp.Min(xh, yh))
                    op[x] = (op[x][0] if (xl >= yl) == True else False,  # noqa: E712
                             strict or op[y][1] if (xh >= yh) == True else op[x][1])  # noqa: E712
                    sv = sp.Symbol(f"s_{y.name}", real=True)
                    new_subs = dict(subs)
                    new_subs[y] = x + sv * (yh - x)
                    del iv[y]
                    iv[sv] = (sp.Integer(0), sp.Integer(1))
                    op[sv] = (strict, op.pop(y)[1])
                    out.append((Domain(iv, op), new_subs))
            pieces = [(d, sb) for d, sb in out
                      if all((hi - lo).is_positive for lo, hi in d.intervals.values())]
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
    try:
        e = sp.parse_expr(text)
    except Exception:
        raise FPTheoryError(f"cannot parse {text!r}") from None
    return e.xreplace({s: sp.Symbol(s.name, real=True) for s in e.free_symbols})


def parse_statement(text: str) -> sp.Rel:
    """Parse 'lhs <= rhs' (also <, >=, >, ==) into a sympy relational with real symbols."""
    match = re.split(r"(<=|>=|==|<|>)", text)
    if len(match) != 3:
        raise FPTheoryError(f"not an (in)equality: {text!r} (use one of <=, <, >=, >, ==)")
    lhs, op, rhs = _parse(match[0]), match[1], _parse(match[2])
    return {"<=": sp.Le, "<": sp.Lt, ">=": sp.Ge, ">": sp.Gt, "==": sp.Eq}[op](
        lhs, rhs, evaluate=False)


# ---------------------------------------------------------------------------------------
# the checker


@dataclass
class Leaf:
    box: dict[str, list[str]]
    rule: str

    def to_dict(self) -> dict[str, Any]:
        return {"box": self.box, "rule": self.rule}


@dataclass
class CertifyResult:
    statement: str
    verdict: Verdict
    domain: dict[str, Any]
    counterexample: dict[str, str] | None = None
    values: dict[str, str] | None = None
    leaves: list[Leaf] = field(default_factory=list)
    boxes: int = 0
    samples: int = 0
    seconds: float = 0.0
    reason: str = ""
    digits: int = 30
    max_depth: int = 2
    original_statement: str = ""  # before a relation's substitution (then statement is after)
    substitution: dict[str, str] = field(default_factory=dict)

    def evidence_text(self) -> str:
        if self.verdict is Verdict.CERTIFIED:
            rules: dict[str, int] = {}
            for leaf in self.leaves:
                rules[leaf.rule.split(":")[0]] = rules.get(leaf.rule.split(":")[0], 0) + 1
            via = (" (relations by substitution " + ", ".join(f"{k} = {v}" for k, v in
                                                              self.substitution.items()) + ")"
                   if self.substitution else "")
            return (f"arb branch-and-bound: {len(self.leaves)} leaf boxes cover the domain{via} "
                    f"({', '.join(f'{n} by {r}' for r, n in rules.items())}), {self.boxes} boxes "
                    f"processed; {self.samples} samples first found no counterexample")
        if self.verdict is Verdict.REFUTED:
            return f"counterexample (30 digits) at {self.counterexample}: {self.values}"
        return self.reason

    def certificate(self) -> dict[str, Any]:
        return {"statement": self.statement, "domain": self.domain,
                "verdict": self.verdict.value, "digits": self.digits,
                "max_depth": self.max_depth, "original_statement": self.original_statement,
                "substitution": self.substitution,
                "leaves": [leaf.to_dict() for leaf in self.leaves]}

    def to_dict(self) -> dict[str, Any]:
        return {"statement": self.original_statement or self.statement, "verdict": self.verdict.value,
                "counterexample": self.counterexample, "values": self.values,
                "evidence": self.evidence_text(), "boxes": self.boxes,
                "leaves": len(self.leaves), "samples": self.samples,
                "seconds": round(self.seconds, 3), "reason": self.reason}

    def save(self, path: str) -> None:
        with open(path, "w") as fh:
            json.dump(self.certificate(), fh, indent=1)


class _Budget(Exception):
    pass


@dataclass
class _Problem:
    g: sp.Expr
    strict: bool
    variables: list[sp.Symbol]
    digits: int
    deadline: float
    max_boxes: int
    max_depth: int = 2
    exact_faces: set[sp.Symbol] = field(default_factory=set)
    boxes: int = 0
    fns: dict[Any, list[Callable]] = field(default_factory=dict)
    derivs: dict[tuple[sp.Expr, sp.Symbol], sp.Expr] = field(default_factory=dict)

    def balls(self, expr: sp.Expr, box: Sequence[Interval]) -> list[arb]:
        """Finite enclosures of expr on the box, one per equivalent form (as written and
        factored: (x - y)²/2 is visibly ≥ 0 where x y ≤ (x² + y²)/2 is not). Each is
        rigorous, so one deciding form decides (intersecting them would round away the
        exact lower bound 0 that clipping gives)."""
        # a relation variable fixed on a face (s = 0: y = x) is substituted exactly, so
        # that sympy sees sinh(x)/sinh(x) = 1 where arb would see two independent balls
        fixed = tuple((v, lo) for v, (lo, hi) in zip(self.variables, box, strict=True)
                      if lo == hi and v in self.exact_faces)
        key = (expr, fixed)
        fns = self.fns.get(key)
        if fns is None:
            e = expr.subs(dict(fixed)) if fixed else expr
            fns = self.fns[key] = [compile_arb(f, self.variables) for f in _forms(e)]
        args = [(_constant_or_ball(lo).union(_constant_or_ball(hi))) if lo != hi
                else _constant_or_ball(lo) for lo, hi in box]
        return [b for b in (fn(args) for fn in fns) if b.is_finite()]

    def derivative(self, expr: sp.Expr, v: sp.Symbol) -> sp.Expr:
        key = (expr, v)
        if key not in self.derivs:
            d = sp.diff(expr, v)
            if sp.count_ops(d) < 25:  # 1 - sech² → tanh²: tighter enclosures near zeros
                simpler = sp.simplify(d)
                d = simpler if sp.count_ops(simpler) <= sp.count_ops(d) else d
            self.derivs[key] = d
        return self.derivs[key]

    def tick(self) -> None:
        self.boxes += 1
        if self.boxes > self.max_boxes:
            raise _Budget(f"box budget of {self.max_boxes} exhausted")
        if time.perf_counter() > self.deadline:
            raise _Budget("time budget exhausted")


def _forms(expr: sp.Expr) -> list[sp.Expr]:
    forms = [expr]
    if expr.is_polynomial() or expr.is_rational_function():
        factored = sp.factor(expr)
        if factored != expr:
            forms.append(factored)
    return forms


def _constant_or_ball(e: sp.Expr) -> arb:
    if e.is_Atom:
        return _constant(e)
    return compile_arb(e, [])([])


_PROVED, _VIOLATED, _UNDECIDED = "proved", "violated", "undecided"


def _decide(p: _Problem, expr: sp.Expr, box: list[Interval], strict: bool,
            depth: int) -> tuple[str, str]:
    """(status, rule) for expr ≥ 0 (> 0 if strict) on the box."""
    p.tick()
    balls = p.balls(expr, box)
    if any(b > 0 or (not strict and b >= 0) for b in balls):
        return _PROVED, "interval"
    if depth == 0 and any(b < 0 for b in balls):
        return _VIOLATED, "interval"
    if all(lo == hi for lo, hi in box):
        return _decide_point(p, expr, box, strict, depth)
    if depth < p.max_depth:
        for i, (lo, hi) in enumerate(box):
            if lo == hi:
                continue
            d = p.derivative(expr, p.variables[i])
            for sign, face_end, name in ((1, lo, "increasing"), (-1, hi, "decreasing")):
                try:
                    status, _ = _decide(p, sign * d, box, False, depth + 1)
                except FPTheoryError:  # a derivative arb cannot evaluate: no monotone rule
                    break
                if status == _PROVED:
                    face = list(box)
                    face[i] = (face_end, face_end)
                    status, rule = _decide(p, expr, face, strict, depth)
                    return status, f"monotone: {name} in {p.variables[i]} → {rule}"
    return _UNDECIDED, "split"


def _decide_point(p: _Problem, expr: sp.Expr, box: list[Interval], strict: bool,
                  depth: int) -> tuple[str, str]:
    """At an exact point: the ball at 4x the precision, then (for a small expression) a
    sympy proof that the value is exactly 0; sympy is not run on big expressions, where
    simplify can take unbounded time."""
    saved = ctx.prec
    ctx.prec = 4 * saved
    try:
        balls = p.balls(expr, box)
    finally:
        ctx.prec = saved
    if any(b > 0 for b in balls):
        return _PROVED, "point"
    if any(b < 0 for b in balls):
        return (_VIOLATED, "point") if depth == 0 else (_UNDECIDED, "point")
    value = expr.subs(dict(zip(p.variables, (lo for lo, _ in box), strict=True)))
    if sp.count_ops(value) <= 40 and sp.simplify(value) == 0:
        return (_VIOLATED, "exact zero") if strict else (_PROVED, "exact zero")
    return _UNDECIDED, "point"


def _witness(p: _Problem, g: sp.Expr, box: list[Interval], strict: bool,
             domain: Domain) -> dict[sp.Symbol, sp.Expr] | None:
    """An exact point of the box (midpoint or a corner) where g < 0 (g ≤ 0 if strict) is
    confirmed by its own ball, or by sympy for an exact zero; None if none is. A violated
    face (after a monotone rule) says nothing about the box's midpoint, so every reported
    counterexample is re-evaluated here."""
    import itertools

    mid = [(lo + hi) / 2 for lo, hi in box]
    corners = itertools.islice(itertools.product(*[(lo, hi) for lo, hi in box]), 16)
    for point in [mid, *corners]:
        values = dict(zip(p.variables, point, strict=True))
        if not domain.contains(values):
            continue
        status, _ = _decide_point(p, g, [(v, v) for v in point], strict, 0)
        if status == _VIOLATED:
            return values
    return None


def _split(box: list[Interval]) -> tuple[list[Interval], list[Interval]]:
    widths = [float(sp.N(hi - lo)) for lo, hi in box]
    logs = [(float(sp.N(hi / lo)) if lo.is_positive else 0.0) for lo, hi in box]
    i = max(range(len(box)), key=lambda j: max(widths[j], np.log(logs[j]) if logs[j] > 8 else 0))
    lo, hi = box[i]
    if logs[i] > 8:
        mid = sp.Rational(float(sp.N(sp.sqrt(lo * hi), 20))).limit_denominator(10**6)
        if not (lo < mid < hi):
            mid = (lo + hi) / 2
    else:
        mid = (lo + hi) / 2
    left, right = list(box), list(box)
    left[i], right[i] = (lo, mid), (mid, hi)
    return left, right


def _sample(g: sp.Expr, domain: Domain, strict: bool, n: int, seed: int, digits: int):
    """Look for a counterexample; returns (point, g_value) or (None, count)."""
    variables = domain.variables
    fn = sp.lambdify(variables, g, "mpmath")
    rng = np.random.default_rng(seed)
    candidates: list[dict[sp.Symbol, sp.Expr]] = []
    corners = [[lo, (lo + hi) / 2, hi] for lo, hi in domain.intervals.values()]
    import itertools

    for combo in itertools.islice(itertools.product(*corners), 243):
        candidates.append(dict(zip(variables, combo, strict=True)))
    for _ in range(n):
        point = {}
        for v, (lo, hi) in domain.intervals.items():
            t = sp.Rational(int(rng.integers(0, 2**20)), 2**20)
            point[v] = lo + t * (hi - lo)
        candidates.append(point)
    count = 0
    with mpmath.workdps(digits + 10):
        for point in candidates:
            if not domain.contains(point):
                continue
            try:
                value = fn(*(to_mpc(point[v], digits + 10).real for v in variables))
            except (ZeroDivisionError, ValueError, OverflowError):
                continue
            count += 1
            if isinstance(value, mpmath.mpc) or not mpmath.isfinite(value):
                continue
            if value < -mpmath.mpf(10) ** (-digits + 5) or (strict and value == 0):
                return point, value, count
    return None, None, count


def _report_point(point, lhs_rhs, digits) -> tuple[dict[str, str], dict[str, str]]:
    lhs, rhs = lhs_rhs
    with mpmath.workdps(digits + 10):
        where = {str(v): decimal_string(to_mpc(x, digits).real, digits) for v, x in point.items()}
        values = {"lhs": decimal_string(to_mpc(lhs.subs(point), digits).real, digits),
                  "rhs": decimal_string(to_mpc(rhs.subs(point), digits).real, digits)}
    return where, values


def certify(statement: sp.Rel, domain: Domain, *, max_boxes: int = 20000,
            time_limit: float = 30.0, digits: int = 30, samples: int = 200,
            seed: int = 0) -> CertifyResult:
    """Verdict on ``statement`` over the whole ``domain``: certified, refuted or unknown."""
    start = time.perf_counter()
    if isinstance(statement, sp.Eq):
        raise FPTheoryError("identities are checked by assess_identity; certify takes <=, <, >=, >")
    if not isinstance(statement, (sp.Le, sp.Lt, sp.Ge, sp.Gt)):
        raise FPTheoryError(f"not an inequality: {statement}")
    if domain.relations:
        return _certify_related(statement, domain, max_boxes=max_boxes, time_limit=time_limit,
                                digits=digits, samples=samples, seed=seed)
    lhs, rhs = statement.lhs, statement.rhs
    strict = isinstance(statement, (sp.Lt, sp.Gt))
    g = rhs - lhs if isinstance(statement, (sp.Le, sp.Lt)) else lhs - rhs
    # variables are matched by name: a statement written with positive=True symbols is
    # checked on the domain's real symbols of the same name
    by_name = {v.name: v for v in domain.variables}
    g = g.xreplace({s: by_name[s.name] for s in g.free_symbols if s.name in by_name})
    lhs = lhs.xreplace({s: by_name[s.name] for s in lhs.free_symbols if s.name in by_name})
    rhs = rhs.xreplace({s: by_name[s.name] for s in rhs.free_symbols if s.name in by_name})
    free = g.free_symbols
    missing = {s for s in free if s.name not in by_name}
    if missing:
        raise FPTheoryError(f"no domain for {', '.join(sorted(map(str, missing)))} (--assume)")
    variables = domain.variables
    compile_arb(g, variables)  # unsupported functions fail here, with a one-line message
    result = CertifyResult(sp.sstr(statement), Verdict.UNKNOWN, domain.to_dict(), digits=digits)

    point, _, count = _sample(g, domain, strict, samples, seed, digits)
    result.samples = count
    if point is not None:
        result.verdict = Verdict.REFUTED
        result.counterexample, result.values = _report_point(point, (lhs, rhs), digits)
        result.seconds = time.perf_counter() - start
        return result

    # derivative rules nest (a bound tight to third order at a point needs g ≥ 0 there):
    # deep in one variable, shallow in several where each level costs 2·n evaluations
    problem = _Problem(g, strict, variables, digits, start + time_limit, max_boxes,
                       max_depth=6 if len(variables) == 1 else 2,
                       exact_faces={v for v in variables if v.name.startswith("s_")})
    result.max_depth = problem.max_depth
    boxes = [_presplit(g, variables, [domain.intervals[v] for v in variables])]
    queue = [b for group in boxes for b in group]
    saved = ctx.prec
    ctx.prec = int(digits * 3.33) + 30
    try:
        while queue:
            box = queue.pop()
            status, rule = _decide(problem, g, box, strict, 0)
            if status == _PROVED:
                result.leaves.append(Leaf({str(v): [str(lo), str(hi)]
                                           for v, (lo, hi) in zip(variables, box, strict=True)}, rule))
            elif status == _VIOLATED:
                witness = _witness(problem, g, box, strict, domain)
                if witness is not None:
                    result.verdict = Verdict.REFUTED
                    result.counterexample, result.values = _report_point(witness, (lhs, rhs),
                                                                         digits)
                    break
                if all(lo == hi for lo, hi in box):
                    raise _Budget(f"a violation at {box} lies outside the (open) domain")
                queue.extend(_split(box))
            else:
                if all(lo == hi for lo, hi in box):
                    raise _Budget(f"undecidable at the point {box}")
                queue.extend(_split(box))
        else:
            result.verdict = Verdict.CERTIFIED
    except _Budget as exc:
        result.verdict = Verdict.UNKNOWN
        result.reason = f"{exc} after {problem.boxes} boxes ({len(queue)} left open)"
        result.leaves = []
    finally:
        ctx.prec = saved
    result.boxes = problem.boxes
    result.seconds = time.perf_counter() - start
    return result


def _certify_related(statement: sp.Rel, domain: Domain, **options: Any) -> CertifyResult:
    """:func:`certify` on a domain with relations: substitute (Domain.without_relations),
    certify every box piece, and report in the original variables."""
    by_name = {v.name: v for v in domain.variables}
    statement = statement.xreplace({s: by_name[s.name] for s in statement.free_symbols
                                    if s.name in by_name})
    start = time.perf_counter()
    merged: CertifyResult | None = None
    for box, subs in domain.without_relations():
        inner = certify(statement.xreplace(subs), box, **options)
        inner.substitution = {str(y): sp.sstr(e) for y, e in subs.items()}
        if inner.counterexample is not None:
            digits = inner.digits
            with mpmath.workdps(digits + 10):
                point = {sp.Symbol(k, real=True): sp.Float(v, digits + 10)
                         for k, v in inner.counterexample.items()}
                out = {k: v for k, v in inner.counterexample.items() if not k.startswith("s_")}
                for y, e in subs.items():
                    out[str(y)] = decimal_string(to_mpc(e.xreplace(point), digits).real, digits)
            inner.counterexample = out
        if merged is None:
            merged = inner
        else:  # one certificate per piece would be needed to recheck: keep the counts
            merged.boxes += inner.boxes
            merged.samples += inner.samples
            merged.leaves += inner.leaves
            merged.substitution.update(inner.substitution)
            if inner.verdict is not Verdict.CERTIFIED:
                inner.boxes, inner.samples = merged.boxes, merged.samples
                merged = inner
        if merged.verdict is not Verdict.CERTIFIED:
            break
    assert merged is not None
    merged.original_statement = sp.sstr(statement)
    merged.domain = domain.to_dict() | {"relations": [f"{x} {'<' if st else '<='} {y}"
                                                      for x, st, y in domain.relations]}
    merged.seconds = time.perf_counter() - start
    return merged


def _presplit(g: sp.Expr, variables, box: list[Interval]) -> list[list[Interval]]:
    """In one variable, split at the real critical points sympy finds (where a bound can be
    tight in the interior, e^x ≥ 1 + x at 0), so they become box ends."""
    if len(variables) != 1:
        return [box]
    (lo, hi), v = box[0], variables[0]
    try:
        critical = sp.solve(sp.diff(g, v), v)
    except (NotImplementedError, ValueError, TypeError):
        return [box]
    points = sorted((c for c in critical if c.is_real and (lo < c) == True and (c < hi) == True),  # noqa: E712
                    key=lambda c: float(c))
    ends = [lo, *points, hi]
    return [[(a, b)] for a, b in zip(ends, ends[1:], strict=False)]


def recheck_certificate(certificate: dict[str, Any]) -> bool:
    """Re-run every leaf's rule and check that the leaves cover the domain exactly."""
    if "relations" in certificate.get("domain", {}):
        raise FPTheoryError("certificates of domains with relations (k1 < k2) cannot be "
                            "re-checked yet: certify on a box with a difference variable")
    statement = sp.sympify(certificate["statement"])
    statement = statement.xreplace({s: sp.Symbol(s.name, real=True) for s in statement.free_symbols})
    intervals = {sp.Symbol(k, real=True): (sp.sympify(v[0]), sp.sympify(v[1]))
                 for k, v in certificate["domain"].items()}
    variables = list(intervals)
    strict = isinstance(statement, (sp.Lt, sp.Gt))
    g = (statement.rhs - statement.lhs if isinstance(statement, (sp.Le, sp.Lt))
         else statement.lhs - statement.rhs)
    problem = _Problem(g, strict, variables, certificate["digits"], time.perf_counter() + 3600,
                       10**9, max_depth=certificate["max_depth"])
    saved = ctx.prec
    ctx.prec = int(certificate["digits"] * 3.33) + 30
    volume = sp.Integer(0)
    try:
        for leaf in certificate["leaves"]:
            box = [tuple(sp.sympify(e) for e in leaf["box"][str(v)]) for v in variables]
            status, _ = _decide(problem, g, box, strict, 0)
            if status != _PROVED:
                return False
            volume += sp.Mul(*(hi - lo for lo, hi in box))
    finally:
        ctx.prec = saved
    total = sp.Mul(*(hi - lo for lo, hi in intervals.values()))
    return sp.simplify(volume - total) == 0 and _disjoint(certificate["leaves"], variables)


def _disjoint(leaves, variables) -> bool:
    boxes = [[tuple(float(sp.N(sp.sympify(e), 30)) for e in leaf["box"][str(v)])
              for v in variables] for leaf in leaves]
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            if all(min(a[1], b[1]) - max(a[0], b[0]) > 1e-12
                   for a, b in zip(boxes[i], boxes[j], strict=True)):
                return False
    return True
