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
sinh(x)/sinh(x) is 1 and not a wide ball.

**Unbounded domains** ("x>=0", "x<=-1", "x real", "0<u1<u2"). arb gives nan on a ball
reaching ∞, so a side [a, ∞) is cut at powers of 16: [a, 16^k], [16^k, 16^(k+1)], ... are
finite boxes (arb, split in log space), and the box [16^n, ∞) that is left is tried by
extended interval arithmetic (mpmath.iv, whose kernels keep [X, ∞] endpoints: exp([-∞, -X]) =
[0, e^-X], 1/[X, ∞] = [0, 1/X], ∞ - ∞ = [-∞, ∞]; wrappers refuse a division by an interval
containing 0 and log/sqrt reaching 0, where iv would silently drop the undefined point, so
such a box stays open). The same rules close it: interval; monotone (a certified sign of
∂g/∂x on [X, ∞) moves to the face x = X, or to x = ∞, enclosed as g over [2^100, ∞), which
contains lim g); no point rule at ∞. Far out, g is also evaluated in forms rewritten for
x → ∞ (:func:`_at_infinity_forms`: in 1/x for rational parts, in e^{-x} for exponential and
hyperbolic parts), which decide what the plain form cannot (x/(1+x²) ≤ 1/2, sinh ratios).
A tail still open at 2^100 ends in ``unknown`` with the reason ("tight at infinity" when g
there is 0 to 6 digits: the infimum of g is approached as x → ∞, e.g. e^{-x} > 0), never in
a guess. A relation whose larger side is unbounded substitutes y = x + d, d ∈ [0, ∞). The
sampler draws log-uniform distances (10^-3 to 10^40) beyond a finite end, and a sampled
counterexample counts only when an arb ball at the exact point confirms it.

Every closed box and its rule is kept: the certificate can be saved (JSON) and
re-checked by :func:`recheck_certificate`: each leaf by its stated rule (tail boxes
included), and the coverage exactly (leaves inside the domain, interiors pairwise disjoint
by exact comparisons, volumes adding up to the domain's; on an unbounded domain in the
coordinates x/(1 + |x|)). On a domain with relations the certificate holds one piece per
substituted box (its substitution, statement and domain as sympy strings); the re-check
derives the pieces and the substituted statements again. Box and time budgets end in
``unknown``, never in a guess. Exact constants enter as balls (``arb(p)/q``, ``arb.pi()``).

>>> x = sp.Symbol("x", real=True)
>>> certify(2 * x / sp.pi <= sp.sin(x), Domain.parse("0 <= x <= pi/2")).verdict.value
'certified'
>>> r = certify(sp.sin(x) <= x - x**3 / 7, Domain.parse("0 <= x <= 2"))
>>> r.verdict.value, sorted(r.counterexample)
('refuted', ['x'])
>>> certify(sp.log(1 + x) <= x, Domain.parse("x >= 0")).verdict.value
'certified'
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import mpmath
import numpy as np
import sympy as sp
from flint import arb, ctx
from mpmath.libmp import libmpi

from ..claims import Verdict
from ..errors import FPTheoryError
from ..mpnum import decimal_string, to_mpc

__all__ = ["Domain", "CertifyResult", "RecheckResult", "certify", "recheck_certificate",
           "parse_statement",
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
    supported: str = SUPPORTED_CERTIFIED  # for the error message


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
                             f"({backend.name}); supported: {backend.supported}")

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
# boxes reaching ±∞: extended interval arithmetic (mpmath.iv)
#
# arb is midpoint-radius: a ball reaching ∞ is nan. mpmath.iv keeps [a, +∞] intervals and
# its rigorous kernels (mpmath.libmp.libmpi) handle infinite endpoints: exp([-∞, -1]) =
# [0, e⁻¹], 1/[1, ∞] = [0, 1], log([1, ∞]) = [0, ∞], ∞ - ∞ = [-∞, ∞], 0·[1, ∞] = [-∞, ∞].
# Where iv's convention would drop a point where the expression is undefined (1/[0, 1] =
# [1, ∞], log([0, 1]) ∋ -∞) or a function has no rigorous kernel, the wrappers below raise
# and the form gives no enclosure: the box stays open. Each wrapper is tested against
# mpmath point values and limits (tests/test_certify.py).

#: a box [X, ∞) that no rule closes once X ≥ TAIL_CAP ends the search in "unknown" (tight
#: at infinity); the face x = ∞ of the monotone rule is the enclosure over [TAIL_CAP, ∞)
TAIL_CAP = sp.Integer(2) ** 100


def _iv_ends(b: Any) -> tuple[mpmath.mpf, mpmath.mpf]:
    lo, hi = b._mpi_
    return mpmath.mp.make_mpf(lo), mpmath.mp.make_mpf(hi)


def _iv_interval(lo: Any, hi: Any) -> Any:
    return mpmath.iv.mpf([lo, hi])


def _iv_constant(e: sp.Expr) -> Any:
    iv = mpmath.iv
    if e.is_Integer:
        return iv.mpf(int(e))
    if e.is_Rational or e.is_Float:
        q = sp.Rational(e)
        return iv.mpf(int(q.p)) / int(q.q)
    if e is sp.pi:
        return iv.pi + 0  # + 0 evaluates the lazy constant at the current precision
    if e is sp.E:
        return iv.e + 0
    raise FPTheoryError(f"constant {e} not supported in certified mode")


def _iv_nonzero(b: Any) -> Any:
    lo, hi = _iv_ends(b)
    if lo <= 0 <= hi:
        raise ZeroDivisionError("division by an interval containing 0")
    return b


def _iv_power(b: Any, n: int) -> Any:
    return (_iv_nonzero(b) if n < 0 else b) ** n


def _iv_log(b: Any) -> Any:
    if _iv_ends(b)[0] <= 0:
        raise ValueError("log of an interval reaching 0")
    return mpmath.iv.log(b)


def _iv_sqrt(b: Any) -> Any:
    if _iv_ends(b)[0] < 0:
        raise ValueError("sqrt of an interval reaching below 0")
    return mpmath.iv.sqrt(b)


def _iv_raw(kernel: Callable[..., Any]) -> Callable[[Any], Any]:
    return lambda b: mpmath.iv.make_mpf(kernel(b._mpi_, mpmath.iv.prec))


def _iv_cosh(b: Any) -> Any:
    lo, hi = _iv_ends(mpmath.iv.make_mpf(libmpi.mpi_cosh_sinh(b._mpi_, mpmath.iv.prec)[0]))
    return _iv_interval(max(lo, mpmath.mpf(1)), hi)  # the kernel's lower end can be < 1


def _iv_sinh(b: Any) -> Any:
    return mpmath.iv.make_mpf(libmpi.mpi_cosh_sinh(b._mpi_, mpmath.iv.prec)[1])


def _iv_tanh(b: Any) -> Any:
    return 1 - 2 / (mpmath.iv.exp(2 * b) + 1)  # b enters once: no dependency loss


def _iv_clip(b: Any) -> Any:
    lo, hi = _iv_ends(b)
    zero = mpmath.mpf(0)
    return _iv_interval(max(lo, zero), max(hi, zero))


def _iv_max(a: Any, b: Any) -> Any:
    (alo, ahi), (blo, bhi) = _iv_ends(a), _iv_ends(b)
    return _iv_interval(max(alo, blo), max(ahi, bhi))


def _iv_min(a: Any, b: Any) -> Any:
    (alo, ahi), (blo, bhi) = _iv_ends(a), _iv_ends(b)
    return _iv_interval(min(alo, blo), min(ahi, bhi))


#: extended-interval backend for boxes reaching ±∞ (asin, acos and sign have no kernel:
#: a statement using them on an unbounded domain is refused with a one-line error)
EXTENDED = BallBackend(
    "mpmath.iv (extended)", _iv_constant,
    {sp.exp: lambda b: mpmath.iv.exp(b), sp.log: _iv_log, sp.sin: lambda b: mpmath.iv.sin(b),
     sp.cos: lambda b: mpmath.iv.cos(b), sp.tan: lambda b: mpmath.iv.tan(b),
     sp.sinh: _iv_sinh, sp.cosh: _iv_cosh, sp.tanh: _iv_tanh,
     sp.sech: lambda b: 1 / _iv_cosh(b), sp.csch: lambda b: 1 / _iv_nonzero(_iv_sinh(b)),
     sp.coth: lambda b: 1 / _iv_nonzero(_iv_tanh(b)), sp.atan: _iv_raw(libmpi.mpi_atan),
     sp.Abs: _iv_raw(libmpi.mpi_abs)},
    _iv_power, _iv_sqrt, lambda b: mpmath.iv.exp(b), _iv_log, _iv_clip, _iv_max, _iv_min,
    supported="on unbounded domains +, -, *, /, powers, exp, log, sin, cos, tan, sinh, cosh, "
              "tanh, sech, csch, coth, atan, Abs, Max, Min, pi, E")


@dataclass(frozen=True)
class _Enclosure:
    """[lo, hi] with possibly infinite ends, compared like an arb ball: ``e > 0`` is true
    when every point is."""

    lo: mpmath.mpf
    hi: mpmath.mpf

    def __gt__(self, c: int) -> bool:
        return bool(self.lo > c)

    def __ge__(self, c: int) -> bool:
        return bool(self.lo >= c)

    def __lt__(self, c: int) -> bool:
        return bool(self.hi < c)

    def is_finite(self) -> bool:  # informative: no nan (an infinite end is fine)
        return not (mpmath.isnan(self.lo) or mpmath.isnan(self.hi))


def _infinite(e: sp.Expr) -> bool:
    return e == sp.oo or e == -sp.oo


def _far(variables: Sequence[sp.Symbol], box: Sequence[Interval]) -> tuple[tuple[sp.Symbol, int], ...]:
    return tuple((v, sign) for v, (lo, hi) in zip(variables, box, strict=True)
                 for sign, end in ((1, hi), (-1, lo)) if end == sign * sp.oo)


def _iv_box(lo: sp.Expr, hi: sp.Expr) -> Any:
    """The iv interval of a box side [lo, hi] (exact ends enclosed); a face at ±∞ (lo = hi
    = ±∞) is [TAIL_CAP, ∞] (resp. [-∞, -TAIL_CAP]), which contains the limit there."""
    inf = mpmath.inf
    if lo == hi == sp.oo:
        return _iv_interval(_iv_ends(_iv_constant(TAIL_CAP))[0], inf)
    if lo == hi == -sp.oo:
        return _iv_interval(-inf, _iv_ends(_iv_constant(TAIL_CAP))[0] * -1)
    a = -inf if lo == -sp.oo else _iv_ends(_iv_exact(lo))[0]
    b = inf if hi == sp.oo else _iv_ends(_iv_exact(hi))[1]
    return _iv_interval(a, b)


def _iv_exact(e: sp.Expr) -> Any:
    return _iv_constant(e) if e.is_Atom else compile_balls(e, [], EXTENDED)([])


_HYPERBOLIC = [sp.sinh, sp.cosh, sp.tanh, sp.sech, sp.csch, sp.coth]  # (sin → e^{ix} is complex)


def _at_infinity_forms(expr: sp.Expr, far: Sequence[tuple[sp.Symbol, int]]) -> list[sp.Expr]:
    """The same function as expr, written for variables far out (x → +∞ for sign +1, x → -∞
    for -1), factored: (a) x = 1/t, cancelled, t = 1/x back, so x/(1 + x²) reads
    (1/x)/(1 + 1/x²) = [0, 1/X] on [X, ∞) and not [X, ∞]/[X², ∞] = [0, ∞]; (b) after
    rewriting hyperbolic functions by exp, x = -log t (x = log t for -∞), cancelled as a
    rational function of t and the other exponentials, t = e^{-x} back, so that
    e^{-d} - sinh(u)/sinh(u + d) reads e^{-2u}(1 - e^{-2d})/(e^{-d}(1 - e^{-2u-2d})) and
    not a difference of two balls around e^{-d}. Each form is an identity where both are
    defined (cancelling removes only removable 0/0 points, as factoring does)."""
    if not far or sp.count_ops(expr) > 60:
        return []
    forms: list[sp.Expr] = []
    rt = {v: sp.Dummy(f"t_{v.name}", real=True) for v, _ in far}
    et = {(v, sign): sp.Dummy(f"t_{v.name}", positive=True) for v, sign in far}
    attempts = [(expr, {v: 1 / t for v, t in rt.items()}, {t: 1 / v for v, t in rt.items()})]
    for sign in (1, -1):
        pairs = {key: t for key, t in et.items() if key[1] == sign}
        if pairs:
            attempts.append((expr.rewrite(_HYPERBOLIC, sp.exp),
                             {v: -sign * sp.log(t) for (v, _), t in pairs.items()},
                             {t: sp.exp(-sign * v) for (v, _), t in pairs.items()}))
    for e, there, back in attempts:
        try:
            f = sp.factor(sp.cancel(sp.together(sp.expand_power_exp(e.xreplace(there)))))
        except (sp.PolynomialError, NotImplementedError, TypeError, ValueError):
            continue
        f = f.xreplace(back)
        if f != expr and f not in forms and not f.has(sp.Dummy):
            forms.append(f)
    return forms


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
            if not (hi - lo).is_extended_positive:
                raise FPTheoryError(f"empty or degenerate interval for {v}: [{lo}, {hi}] "
                                    "(inconsistent bounds)")
            out[v], opens[v] = (lo, hi), (lo_open, hi_open)
        return cls(out, opens, relations)

    def contains(self, point: dict[sp.Symbol, sp.Expr]) -> bool:
        for v, (lo, hi) in self.intervals.items():
            lo_open, hi_open = self.open_ends.get(v, (False, False))
            p = point[v]
            if (p < lo) or (p > hi) or (lo_open and p == lo) or (hi_open and p == hi):
                return False
        return True

    def grid(self) -> dict[sp.Symbol, list[sp.Expr]]:
        """Finite exact sample values per variable: ends and middle, and on a side
        reaching ±∞ points 1, 10, 10³, 10⁶, 10¹² beyond its finite end."""
        return {v: _far_grid(lo, hi) for v, (lo, hi) in self.intervals.items()}

    def to_dict(self) -> dict[str, Any]:
        return {str(v): [str(lo), str(hi), *self.open_ends.get(v, (False, False))]
                for v, (lo, hi) in self.intervals.items()}

    def without_relations(self) -> list[tuple[Domain, dict[sp.Symbol, sp.Expr]]]:
        r"""Box domains and substitutions that together replace the relations x < y (or
        x ≤ y): where x ≤ lo_y the relation is implied by the bounds (a plain box); where
        x ≥ lo_y, y = x + s (hi_y - x) with s ∈ [0, 1] (open at 0 when strict), x capped at
        hi_y; where hi_y = ∞, y = x + d with d ∈ [0, ∞) instead. Each map is onto its part
        of {(x, y): x < y, both in their bounds}, so a statement certified on every box
        holds on the region, and a violation at a box point is a violation at its (x, y)."""
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
                    new_subs = dict(subs)
                    del iv[y]
                    if yh == sp.oo:  # y unbounded above: y = x + d, d ∈ [0, ∞)
                        sv = sp.Symbol(f"d_{y.name}", real=True)
                        new_subs[y] = x + sv
                        iv[sv] = (sp.Integer(0), sp.oo)
                    else:
                        sv = sp.Symbol(f"s_{y.name}", real=True)
                        new_subs[y] = x + sv * (yh - x)
                        iv[sv] = (sp.Integer(0), sp.Integer(1))
                    op[sv] = (strict, op.pop(y)[1])
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
    #: on a domain with relations, one entry per box of Domain.without_relations: its
    #: substitution, the substituted statement and box domain, max_depth and its leaves
    pieces: list[dict[str, Any]] = field(default_factory=list)

    def evidence_text(self) -> str:
        if self.verdict is Verdict.CERTIFIED:
            rules: dict[str, int] = {}
            for leaf in self.leaves:
                rules[leaf.rule.split(":")[0]] = rules.get(leaf.rule.split(":")[0], 0) + 1
            via = (" (relations by substitution " + ", ".join(f"{k} = {v}" for k, v in
                                                              self.substitution.items()) + ")"
                   if self.substitution else "")
            tails = sum(1 for leaf in self.leaves
                        if any(e in ("oo", "-oo") for side in leaf.box.values() for e in side))
            tail_text = (f"; {tails} of them reaching ±∞, closed by extended interval arithmetic "
                         "(mpmath.iv)" if tails else "")
            return (f"arb branch-and-bound: {len(self.leaves)} leaf boxes cover the domain{via} "
                    f"({', '.join(f'{n} by {r}' for r, n in rules.items())}{tail_text}), "
                    f"{self.boxes} boxes processed; {self.samples} samples first found no "
                    "counterexample")
        if self.verdict is Verdict.REFUTED:
            return f"counterexample (30 digits) at {self.counterexample}: {self.values}"
        return self.reason

    def certificate(self) -> dict[str, Any]:
        """The JSON certificate. On a domain with relations: the original statement and
        domain (with "relations") and one piece per substituted box, each with its
        substitution ("u2": "s_u2*(5 - u1) + u1"), substituted statement and domain, and
        leaves; :func:`recheck_certificate` derives the pieces and statements again."""
        if self.pieces:
            return {"statement": self.original_statement, "domain": self.domain,
                    "verdict": self.verdict.value, "digits": self.digits,
                    "max_depth": self.max_depth, "pieces": self.pieces}
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
    #: variables whose domain reaches +∞ (sign 1) or -∞ (sign -1): extra forms for far out
    far: tuple[tuple[sp.Symbol, int], ...] = ()
    boxes: int = 0
    fns: dict[Any, list[Callable]] = field(default_factory=dict)
    derivs: dict[tuple[sp.Expr, sp.Symbol], sp.Expr] = field(default_factory=dict)

    def balls(self, expr: sp.Expr, box: Sequence[Interval]) -> list[arb] | list[_Enclosure]:
        """Finite enclosures of expr on the box, one per equivalent form (as written and
        factored: (x - y)²/2 is visibly ≥ 0 where x y ≤ (x² + y²)/2 is not). Each is
        rigorous, so one deciding form decides (intersecting them would round away the
        exact lower bound 0 that clipping gives)."""
        # a relation variable fixed on a face (s = 0: y = x) is substituted exactly, so
        # that sympy sees sinh(x)/sinh(x) = 1 where arb would see two independent balls
        fixed = tuple((v, lo) for v, (lo, hi) in zip(self.variables, box, strict=True)
                      if lo == hi and v in self.exact_faces and not _infinite(lo))
        if any(_infinite(lo) or _infinite(hi) for lo, hi in box):
            return self.tail_enclosures(expr, box, fixed)
        key = (expr, fixed)
        fns = self.fns.get(key)
        if fns is None:
            e = expr.subs(dict(fixed)) if fixed else expr
            fns = self.fns[key] = [compile_arb(f, self.variables) for f in _forms(e)
                                   if _defined(f)]
            for f in self.far_forms(expr, fixed):  # far out on finite boxes too
                try:
                    fns.append(compile_arb(f, self.variables))
                except FPTheoryError:
                    pass
        args = [(_constant_or_ball(lo).union(_constant_or_ball(hi))) if lo != hi
                else _constant_or_ball(lo) for lo, hi in box]
        out = [b for b in (fn(args) for fn in fns) if b.is_finite()]
        if self.far and not any(b >= 0 or b < 0 for b in out):
            # far out, boxes [16^k, 16^(k+1)] are wide: midpoint-radius squares of
            # (m ± r) straddle 0 where the interval product does not
            return [*out, *self.tail_enclosures(expr, box, fixed)]
        return out

    def tail_enclosures(self, expr: sp.Expr, box: Sequence[Interval],
                        fixed: tuple) -> list[_Enclosure]:
        """Enclosures of expr on a box reaching ±∞ (or a wide finite box of an unbounded
        problem), by extended interval arithmetic (mpmath.iv at the current arb
        precision), one per form: as written, factored, and rewritten for the variables
        that reach ±∞ (:func:`_at_infinity_forms`)."""
        key = ("tail", expr, fixed)
        fns = self.fns.get(key)
        if fns is None:
            e = expr.subs(dict(fixed)) if fixed else expr
            fns = []
            for f in [f for f in _forms(e) if _defined(f)] + self.far_forms(expr, fixed):
                try:
                    fns.append(compile_balls(f, self.variables, EXTENDED))
                except FPTheoryError:  # a function without an extended kernel
                    pass
            self.fns[key] = fns
        out = []
        saved = mpmath.iv.prec
        mpmath.iv.prec = ctx.prec
        try:
            args = [_iv_box(lo, hi) for lo, hi in box]
            for fn in fns:
                try:
                    value = fn(args)
                except (ArithmeticError, ValueError):
                    continue
                enclosure = _Enclosure(*_iv_ends(value))
                if enclosure.is_finite():
                    out.append(enclosure)
        finally:
            mpmath.iv.prec = saved
        return out

    def far_forms(self, expr: sp.Expr, fixed: tuple) -> list[sp.Expr]:
        """:func:`_at_infinity_forms` of expr (before a face's exact substitution, which
        could put a huge number into an exponent that the rewriting turns into a degree)."""
        key = ("far", expr)
        if key not in self.fns:
            self.fns[key] = _at_infinity_forms(expr, self.far)
        forms = self.fns[key]
        if not fixed:
            return list(forms)
        # a face can make a rewritten form 0·∞ (nan): such a form gives no enclosure
        return [g for g in (f.subs(dict(fixed)) for f in forms) if _defined(g)]

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


def _defined(e: sp.Expr) -> bool:
    """No nan, zoo or ±oo left in a form after a face's exact substitution."""
    return not e.has(sp.nan, sp.zoo, sp.oo, -sp.oo)


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
    if any(_infinite(lo) or bool(abs(lo) > 2**16) for lo, _ in box):
        # a face at ±∞ has no exact value; at huge points sympy's simplify expands
        # trigonometric/hyperbolic functions of huge integers for minutes
        return _UNDECIDED, "point"
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

    ends = [_finite_ends(lo, hi) for lo, hi in box]
    mid = [m for _, m, _ in ends]
    corners = itertools.islice(itertools.product(*[(lo, hi) for lo, _, hi in ends]), 16)
    for point in [mid, *corners]:
        values = dict(zip(p.variables, point, strict=True))
        if not domain.contains(values):
            continue
        status, _ = _decide_point(p, g, [(v, v) for v in point], strict, 0)
        if status == _VIOLATED:
            return values
    return None


def _finite_ends(lo: sp.Expr, hi: sp.Expr) -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    """(low, middle, high) exact finite points of [lo, hi]; on a side reaching ±∞, points
    1 + |a| and 2 (1 + |a|) beyond its finite end a."""
    if lo == -sp.oo and hi == sp.oo:
        return sp.Integer(-1), sp.Integer(0), sp.Integer(1)
    if hi == sp.oo:
        return lo, lo + 1 + abs(lo), lo + 2 * (1 + abs(lo))
    if lo == -sp.oo:
        return hi - 2 * (1 + abs(hi)), hi - 1 - abs(hi), hi
    return lo, (lo + hi) / 2, hi


def _tail_cut(a: sp.Expr) -> sp.Integer:
    """The next cut of a tail [a, ∞): the least power of 16 above a (at least 1), so the
    tail is cut into [a, 16^k], [16^k, 16^(k+1)], ... and the box [16^n, ∞) that is left."""
    cut = sp.Integer(1)
    while bool(cut <= a):
        cut *= 16
    return cut


def _split_or_keep_open(box: list[Interval], open_tails: list) -> list[list[Interval]]:
    try:
        return list(_split(box))
    except _TailOpen as exc:
        open_tails.append(exc)
        return []


class _TailOpen(_Budget):
    """No rule closes a box reaching ±∞ whose finite end is past TAIL_CAP."""

    def __init__(self, box: list[Interval]) -> None:
        super().__init__("tail")
        self.box = box


def _split(box: list[Interval]) -> tuple[list[Interval], list[Interval]]:
    for i, (lo, hi) in enumerate(box):  # a side reaching ±∞ is cut first, up to TAIL_CAP
        if lo == -sp.oo and hi == sp.oo:
            cut = sp.Integer(0)
        elif hi == sp.oo and bool(lo < TAIL_CAP):
            cut = _tail_cut(lo)
        elif lo == -sp.oo and bool(hi > -TAIL_CAP):
            cut = -_tail_cut(-hi)
        else:
            continue
        left, right = list(box), list(box)
        left[i], right[i] = (lo, cut), (cut, hi)
        return left, right
    finite = [j for j, (lo, hi) in enumerate(box) if not (_infinite(lo) or _infinite(hi))]
    widths = {j: float(sp.N(box[j][1] - box[j][0])) for j in finite}
    if len(finite) < len(box):  # a tail past TAIL_CAP: split the other sides a little
        if not any(w > 2.0**-6 * (1 + abs(float(sp.N(box[j][0])))) for j, w in widths.items()):
            raise _TailOpen(box)
    logs = {j: (float(sp.N(box[j][1] / box[j][0])) if box[j][0].is_positive else 0.0)
            for j in finite}
    i = max(finite, key=lambda j: max(widths[j], np.log(logs[j]) if logs[j] > 8 else 0))
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


def _draw(lo: sp.Expr, hi: sp.Expr, rng: np.random.Generator) -> sp.Expr:
    """A seeded random exact point of [lo, hi]: uniform on a bounded side; on a side
    reaching ±∞, a log-uniform distance 10^u beyond the finite end (u ∈ [-3, 8], one draw
    in six u ∈ [8, 40])."""
    if not (_infinite(lo) or _infinite(hi)):
        return lo + sp.Rational(int(rng.integers(0, 2**20)), 2**20) * (hi - lo)
    u = rng.uniform(8, 40) if rng.random() < 1 / 6 else rng.uniform(-3, 8)
    far = sp.Rational(float(10.0**u))
    if lo == -sp.oo and hi == sp.oo:
        return far if rng.random() < 0.5 else -far
    return lo + far if hi == sp.oo else hi - far


def _sample(g: sp.Expr, domain: Domain, strict: bool, n: int, seed: int, digits: int,
            confirm: Callable[[dict[sp.Symbol, sp.Expr]], bool] = lambda point: True):
    """Look for a counterexample on a grid and at n seeded random points (log-spaced
    magnitudes on unbounded sides), evaluated at digits + 10 digits; a candidate counts only
    if ``confirm`` (an arb ball at the exact point) agrees, so cancellation at large
    magnitudes cannot fake one. Returns (point, g_value, count) or (None, None, count)."""
    variables = domain.variables
    fn = sp.lambdify(variables, g, "mpmath")
    rng = np.random.default_rng(seed)
    candidates: list[dict[sp.Symbol, sp.Expr]] = []
    corners = [_far_grid(lo, hi) for lo, hi in domain.intervals.values()]
    import itertools

    for combo in itertools.islice(itertools.product(*corners), 243):
        candidates.append(dict(zip(variables, combo, strict=True)))
    for _ in range(n):
        candidates.append({v: _draw(lo, hi, rng) for v, (lo, hi) in domain.intervals.items()})
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
            if (value < -mpmath.mpf(10) ** (-digits + 5) or (strict and value == 0)) \
                    and confirm(point):
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
    if any(_infinite(e) for v in variables for e in domain.intervals[v]):
        compile_balls(g, variables, EXTENDED)  # and those without an extended kernel here
    result = CertifyResult(sp.sstr(statement), Verdict.UNKNOWN, domain.to_dict(), digits=digits)

    # derivative rules nest (a bound tight to third order at a point needs g ≥ 0 there):
    # deep in one variable, shallow in several where each level costs 2·n evaluations
    problem = _Problem(g, strict, variables, digits, start + time_limit, max_boxes,
                       max_depth=6 if len(variables) == 1 else 2,
                       exact_faces={v for v in variables if v.name.startswith(("s_", "d_"))},
                       far=_far(variables, [domain.intervals[v] for v in variables]))
    result.max_depth = problem.max_depth
    saved = ctx.prec
    ctx.prec = int(digits * 3.33) + 30
    queue: list[list[Interval]] = []
    open_tails: list[_TailOpen] = []
    try:
        def confirm(point: dict[sp.Symbol, sp.Expr]) -> bool:
            status, _ = _decide_point(problem, g, [(point[v], point[v]) for v in variables],
                                      strict, 0)
            return status == _VIOLATED

        point, _, count = _sample(g, domain, strict, samples, seed, digits, confirm)
        result.samples = count
        if point is not None:
            result.verdict = Verdict.REFUTED
            result.counterexample, result.values = _report_point(point, (lhs, rhs), digits)
            result.seconds = time.perf_counter() - start
            return result
        problem.boxes = 0  # confirmations are not boxes
        boxes = [_presplit(g, variables, [domain.intervals[v] for v in variables])]
        queue = [b for group in boxes for b in group]
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
                queue.extend(_split_or_keep_open(box, open_tails))
            else:
                if all(lo == hi for lo, hi in box):
                    raise _Budget(f"undecidable at the point {box}")
                queue.extend(_split_or_keep_open(box, open_tails))
        else:
            if open_tails:  # the rest is searched for a counterexample, then unknown
                raise open_tails[0]
            result.verdict = Verdict.CERTIFIED
    except _TailOpen as exc:
        result.verdict = Verdict.UNKNOWN
        result.reason = (f"{_tail_reason(g, variables, exc.box, digits)}; {problem.boxes} "
                         f"boxes, the rest of the domain searched: no counterexample")
        result.leaves = []
    except _Budget as exc:
        result.verdict = Verdict.UNKNOWN
        tails = sum(1 for b in queue if any(_infinite(lo) or _infinite(hi) for lo, hi in b))
        result.reason = (f"{exc} after {problem.boxes} boxes ({len(queue)} left open"
                         + (f", {tails} of them reaching ±∞" if tails else "") + ")")
        if open_tails:
            result.reason += "; also " + _tail_reason(g, variables, open_tails[0].box, digits)
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
    pieces: list[dict[str, Any]] = []
    for box, subs in domain.without_relations():
        inner = certify(statement.xreplace(subs), box, **options)
        inner.substitution = {str(y): sp.sstr(e) for y, e in subs.items()}
        pieces.append({"substitution": dict(inner.substitution), "statement": inner.statement,
                       "domain": inner.domain, "max_depth": inner.max_depth,
                       "leaves": [leaf.to_dict() for leaf in inner.leaves]})
        if inner.counterexample is not None:
            digits = inner.digits
            with mpmath.workdps(digits + 10):
                point = {sp.Symbol(k, real=True): sp.Float(v, digits + 10)
                         for k, v in inner.counterexample.items()}
                names = {v.name for v in domain.variables}
                out = {k: v for k, v in inner.counterexample.items() if k in names}
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
    merged.pieces = pieces if merged.verdict is Verdict.CERTIFIED else []
    merged.domain = domain.to_dict() | {"relations": [f"{x} {'<' if st else '<='} {y}"
                                                      for x, st, y in domain.relations]}
    merged.seconds = time.perf_counter() - start
    return merged


def _tail_reason(g: sp.Expr, variables: Sequence[sp.Symbol], box: list[Interval],
                 digits: int) -> str:
    """Why a tail box stays open, from data: g at the finite end of the tail (30 digits)
    and g there relative to the terms' size; a small relative value says the bound is tight
    at infinity (its infimum is approached as x → ∞, so no finite box ends it)."""
    point = {v: _finite_ends(lo, hi)[0 if hi == sp.oo or not _infinite(lo) else 2]
             if _infinite(lo) or _infinite(hi) else (lo + hi) / 2
             for v, (lo, hi) in zip(variables, box, strict=True)}
    where = ", ".join(f"{v} = {sp.sstr(sp.N(x, 3))}" for v, x in point.items()
                      if _infinite(dict(zip(variables, box, strict=True))[v][0])
                      or _infinite(dict(zip(variables, box, strict=True))[v][1]))
    with mpmath.workdps(digits + 10):
        try:
            value = sp.N(g.xreplace(point), digits)
            scale = sum(abs(sp.N(t.xreplace(point), 5)) for t in sp.Add.make_args(g))
            small = bool(abs(value) <= 1e-6 * max(scale, 1))
            shown = sp.sstr(sp.N(value, 6))
        except (TypeError, ValueError, ArithmeticError):
            small, shown = False, "not evaluable"
    if small:
        return (f"tight at infinity: no rule closes the tail from {where} on, where g = "
                f"{shown} is 0 to 6 digits (the bound's infimum is approached at ±∞)")
    return (f"not decided on the tail from {where} on (g = {shown} there): its enclosures "
            "by extended interval arithmetic are too wide")


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


@dataclass(frozen=True)
class RecheckResult:
    """The outcome of :func:`recheck_certificate`: true when valid; ``reason`` says why not."""

    valid: bool
    reason: str = ""
    leaves: int = 0

    def __bool__(self) -> bool:
        return self.valid

    def to_dict(self) -> dict[str, Any]:
        return {"valid": self.valid, "reason": self.reason, "leaves": self.leaves}


class _Invalid(Exception):
    """A certificate fails a check (the message is the reason)."""


def recheck_certificate(certificate: dict[str, Any]) -> RecheckResult:
    """Re-check a certificate written by :meth:`CertifyResult.save`: every leaf box by its
    stated rule, and that the leaves cover the domain (contained in it, interiors pairwise
    disjoint, volumes adding up exactly).

    A certificate on a domain with relations (x < y) holds one piece per box of
    :meth:`Domain.without_relations`. The pieces and their substitutions are derived again
    from the certificate's domain and must be the stored ones; each piece's statement is
    derived again from the original statement and its substitution (sympy) and must be the
    stored one; each piece's leaves are re-checked on that statement and must cover that
    piece's box. Malformed or tampered certificates are invalid with the reason; none raises.

    >>> x = sp.Symbol("x", real=True)
    >>> cert = certify(x * (1 - x) <= sp.Rational(1, 4), Domain.parse("0<=x<=1")).certificate()
    >>> bool(recheck_certificate(cert))
    True
    >>> recheck_certificate(dict(cert, leaves=[])).reason
    'the leaves do not cover the domain: their volumes add up to 0, the domain has 1 (difference -1.00)'
    """
    count = _count_leaves(certificate)
    try:
        if not isinstance(certificate, dict):
            raise _Invalid("a certificate is a JSON object")
        digits, max_depth = int(certificate["digits"]), int(certificate["max_depth"])
        if not 1 <= digits <= 10**4:
            raise _Invalid(f"digits {digits} out of range")
        # parsed as by prove (real symbols, unevaluated): sympify would evaluate
        # exp(-x) >= 0 to True
        statement = parse_statement(_plain(certificate["statement"]))
        if not isinstance(statement, (sp.Le, sp.Lt, sp.Ge, sp.Gt)):
            raise _Invalid("a certificate's statement must be an inequality (<=, <, >=, >)")
        domain = _domain_from_dict(certificate["domain"])
        if domain.relations:
            _recheck_related(certificate, statement, domain, digits)
        else:
            _recheck_box(statement, domain.intervals, certificate["leaves"], digits, max_depth)
    except _Invalid as exc:
        return RecheckResult(False, str(exc), count)
    except FPTheoryError as exc:
        return RecheckResult(False, str(exc), count)
    except _Budget as exc:
        return RecheckResult(False, f"re-check stopped: {exc}", count)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        return RecheckResult(False, f"malformed certificate ({type(exc).__name__}: {exc})", count)
    return RecheckResult(True, "", count)


def _count_leaves(certificate: Any) -> int:
    """The number of leaf boxes a certificate lists (0 where it is malformed)."""
    if not isinstance(certificate, dict):
        return 0
    pieces = certificate.get("pieces")
    parts = pieces if isinstance(pieces, list) else [certificate]
    return sum(len(p["leaves"]) for p in parts
               if isinstance(p, dict) and isinstance(p.get("leaves"), list))


def _domain_from_dict(data: dict[str, Any]) -> Domain:
    """The Domain of :meth:`Domain.to_dict` (plus "relations": ["u1 < u2", ...])."""
    intervals: dict[sp.Symbol, Interval] = {}
    opens: dict[sp.Symbol, tuple[bool, bool]] = {}
    for name, entry in data.items():
        if name == "relations":
            continue
        lo, hi = (_parse_number(str(e)) for e in entry[:2])
        if not (hi - lo).is_extended_positive:
            raise _Invalid(f"empty interval for {name}: [{lo}, {hi}]")
        v = sp.Symbol(str(name), real=True)
        intervals[v] = (lo, hi)
        opens[v] = (bool(entry[2]), bool(entry[3])) if len(entry) >= 4 else (False, False)
    relations = []
    for text in data.get("relations", []):
        m = re.fullmatch(r"\s*([A-Za-z_]\w*)\s*(<=|<)\s*([A-Za-z_]\w*)\s*", str(text))
        if not m:
            raise _Invalid(f"relation {text!r}: expected 'x < y' or 'x <= y'")
        x, y = sp.Symbol(m.group(1), real=True), sp.Symbol(m.group(3), real=True)
        if x not in intervals or y not in intervals or x == y:
            raise _Invalid(f"relation {text!r}: needs two variables of the domain")
        relations.append((x, m.group(2) == "<", y))
    return Domain(intervals, opens, relations)


def _plain(text: Any) -> str:
    """A certificate's formula text, refused unless it is plain arithmetic (sympy's parser
    evaluates Python: no quotes, brackets, attributes or dunder names get through)."""
    text = str(text)
    if not re.fullmatch(r"[\w\s+\-*/().,<>=]*", text) or "__" in text or \
            re.search(r"\.\s*[A-Za-z_]", text) or re.search(r"\blambda\b", text):
        raise _Invalid(f"{text[:60]!r} is not a plain formula")
    return text


def _parse_number(text: str) -> sp.Expr:
    e = _parse(_plain(text))
    if e in (sp.oo, -sp.oo) or (e.is_number and e.is_real is not False and e.is_comparable):
        return e
    raise _Invalid(f"{text!r} is not a real number or ±oo")


def _same(a: sp.Expr, b: sp.Expr) -> bool:
    """a = b proved: equal as written, or sympy simplifies a - b to 0."""
    if a == b:
        return True
    if _infinite(a) or _infinite(b):
        return False
    return sp.simplify(a - b) == 0


def _recheck_related(certificate: dict[str, Any], statement: sp.Rel, domain: Domain,
                     digits: int) -> None:
    """Raise _Invalid unless a certificate on a domain with relations holds."""
    expected = domain.without_relations()
    pieces = certificate.get("pieces")
    if not isinstance(pieces, list):
        raise _Invalid("a certificate on a domain with relations needs its pieces "
                       "(substitution, substituted statement and domain, leaves per piece)")
    if len(pieces) != len(expected):
        raise _Invalid(f"the relations {', '.join(map(str, certificate['domain']['relations']))} "
                       f"split the domain into {len(expected)} piece(s), the certificate has "
                       f"{len(pieces)}")
    for k, ((box, subs), piece) in enumerate(zip(expected, pieces, strict=True), start=1):
        stored = {str(y): _parse(_plain(e)) for y, e in piece["substitution"].items()}
        if set(stored) != {str(y) for y in subs}:
            raise _Invalid(f"piece {k}: substitutes {sorted(stored)}, the relations give "
                           f"{sorted(map(str, subs))}")
        for y, e in subs.items():
            if not _same(stored[str(y)], e):
                raise _Invalid(f"piece {k}: substitution {y} = {stored[str(y)]} is not the one "
                               f"the relations give ({y} = {e})")
        stored_box = _domain_from_dict(piece["domain"])
        if [v.name for v in stored_box.variables] != [v.name for v in box.variables] or not all(
                _same(a, b) for v in box.variables
                for a, b in zip(stored_box.intervals[v], box.intervals[v], strict=True)):
            raise _Invalid(f"piece {k}: domain {piece['domain']} is not the substituted domain "
                           f"{box.to_dict()}")
        derived = type(statement)(statement.lhs.xreplace(subs), statement.rhs.xreplace(subs),
                                  evaluate=False)
        claimed = parse_statement(_plain(piece["statement"]))
        if type(claimed) is not type(derived) or not (
                claimed == derived or _same(_margin(claimed), _margin(derived))):
            raise _Invalid(f"piece {k}: statement {piece['statement']} is not the original "
                           f"statement after the substitution ({sp.sstr(derived)})")
        try:
            _recheck_box(derived, box.intervals, piece["leaves"], digits, int(piece["max_depth"]))
        except _Invalid as exc:
            via = ", ".join(f"{y} = {e}" for y, e in subs.items()) or "no substitution"
            raise _Invalid(f"piece {k} ({via}): {exc}") from None


def _margin(statement: sp.Rel) -> sp.Expr:
    """g with statement ⇔ g ≥ 0 (g > 0 when strict)."""
    if isinstance(statement, (sp.Le, sp.Lt)):
        return statement.rhs - statement.lhs
    return statement.lhs - statement.rhs


def _recheck_box(statement: sp.Rel, intervals: dict[sp.Symbol, Interval],
                 leaves: Sequence[dict[str, Any]], digits: int, max_depth: int) -> None:
    """Raise _Invalid unless every leaf holds by its rule and the leaves cover the box."""
    variables = list(intervals)
    by_name = {v.name: v for v in variables}
    strict = isinstance(statement, (sp.Lt, sp.Gt))
    g = _margin(statement)  # (xreplace on the relation itself would evaluate exp(-x) >= 0)
    g = g.xreplace({s: by_name[s.name] for s in g.free_symbols if s.name in by_name})
    missing = sorted(s.name for s in g.free_symbols if s.name not in by_name)
    if missing:
        raise _Invalid(f"no domain for {', '.join(missing)}")
    far = any(_infinite(e) for side in intervals.values() for e in side)
    # the same problem as certify's (exact faces for substitution variables, far forms)
    problem = _Problem(g, strict, variables, digits, time.perf_counter() + 3600, 10**9,
                       max_depth=max_depth,
                       exact_faces={v for v in variables if v.name.startswith(("s_", "d_"))},
                       far=_far(variables, [intervals[v] for v in variables]))
    boxes = []
    for n, leaf in enumerate(leaves, start=1):
        box = [tuple(_parse_number(str(e)) for e in leaf["box"][v.name]) for v in variables]
        for v, (lo, hi) in zip(variables, box, strict=True):
            dlo, dhi = intervals[v]
            if not (_le(dlo, lo) and _le(lo, hi) and _le(hi, dhi)):
                raise _Invalid(f"leaf {n}: [{lo}, {hi}] for {v} is not inside [{dlo}, {dhi}]")
        boxes.append(box)
    saved = ctx.prec
    ctx.prec = int(digits * 3.33) + 30
    try:
        for n, (leaf, box) in enumerate(zip(leaves, boxes, strict=True), start=1):
            why = _check_rule(problem, g, box, strict, str(leaf["rule"]), 0)
            if why:
                raise _Invalid(f"leaf {n} {leaf['box']}: rule {leaf['rule']!r} fails ({why})")
    finally:
        ctx.prec = saved
    _check_cover(boxes, [intervals[v] for v in variables], far)


def _check_rule(p: _Problem, expr: sp.Expr, box: list[Interval], strict: bool, rule: str,
                depth: int) -> str:
    """'' when ``rule`` (as :func:`_decide` writes it) proves expr ≥ 0 (> 0) on the box,
    else why not. A monotone step re-proves the sign of the derivative on the whole box
    (by any rule, as certify did) and goes on to the face with the rest of the rule."""
    head, _, rest = rule.partition(" → ")
    if head == "interval":
        if rest:
            return "nothing follows 'interval'"
        balls = p.balls(expr, box)
        return "" if any(b > 0 or (not strict and b >= 0) for b in balls) else \
            "the enclosure is not " + (">" if strict else "≥") + " 0"
    if head in ("point", "exact zero"):
        if rest or not all(lo == hi for lo, hi in box):
            return f"'{head}' needs a point"
        status, got = _decide_point(p, expr, box, strict, depth)
        return "" if status == _PROVED and got == head else f"at the point: {got} ({status})"
    m = re.fullmatch(r"monotone: (increasing|decreasing) in ([A-Za-z_]\w*)", head)
    if not m or not rest:
        return f"unknown rule {head!r}"
    names = [v.name for v in p.variables]
    if m.group(2) not in names:
        return f"no variable {m.group(2)}"
    i = names.index(m.group(2))
    lo, hi = box[i]
    if lo == hi:
        return f"{m.group(2)} is already fixed"
    sign = 1 if m.group(1) == "increasing" else -1
    try:
        status, _ = _decide(p, sign * p.derivative(expr, p.variables[i]), box, False, depth + 1)
    except FPTheoryError as exc:
        return f"the derivative cannot be enclosed: {exc}"
    if status != _PROVED:
        return f"not {m.group(1)} in {m.group(2)} (the derivative's sign is not certified)"
    face = list(box)
    face[i] = (lo, lo) if sign == 1 else (hi, hi)
    return _check_rule(p, expr, face, strict, rest, depth)


def _le(a: sp.Expr, b: sp.Expr) -> bool:
    """a ≤ b proved (exact numbers or ±oo): decided by 50-digit values where they differ
    clearly, else a = b must be proved; False when it cannot be decided."""
    if a == b or a == -sp.oo or b == sp.oo:
        return True
    if _infinite(a) or _infinite(b):
        return False
    return _compare(a, b) <= 0


def _compare(a: sp.Expr, b: sp.Expr) -> int:
    """-1, 0 or 1 for a < b, a = b, a > b, proved; raises _Invalid when undecided."""
    if a == b:
        return 0
    if a.is_Rational and b.is_Rational:
        return -1 if a < b else 1
    d = sp.N(b - a, 50)
    if d.is_Number and abs(d) > sp.Float(10) ** -40 * (1 + abs(sp.N(a, 15))):
        return -1 if d > 0 else 1
    if sp.simplify(b - a) == 0:
        return 0
    raise _Invalid(f"cannot order {a} and {b}")


def _check_cover(boxes: list[list[Interval]], domain: list[Interval], far: bool) -> None:
    """Raise _Invalid unless the leaf boxes (each inside the domain) cover it: their
    interiors are pairwise disjoint (exact comparisons) and their volumes, in the
    coordinates of :func:`_measure`, add up exactly to the domain's. A finite union of
    closed boxes of full measure in a box is the box."""
    volume = sp.Add(*(sp.Mul(*(_measure(hi, far) - _measure(lo, far) for lo, hi in box))
                      for box in boxes))
    total = sp.Mul(*(_measure(hi, far) - _measure(lo, far) for lo, hi in domain))
    excess = sp.simplify(volume - total)
    if excess != 0:
        def shown(e: sp.Expr) -> str:
            return sp.sstr(e if e.is_Rational else sp.N(e, 6))
        raise _Invalid(f"the leaves do not cover the domain: their volumes add up to "
                       f"{shown(volume)}, the domain has {shown(total)} (difference "
                       f"{sp.sstr(sp.N(excess, 3))})")
    # interiors: [a, b] and [c, d] meet iff max(a, c) < min(b, d); floats sort out the
    # clear cases, exact comparisons the touching ones
    approx = [[(_approx(lo), _approx(hi)) for lo, hi in box] for box in boxes]
    exact = [[(_exact_key(lo), _exact_key(hi)) for lo, hi in box] for box in boxes]

    def cmp(i: int, k: int, end: int, j: int, end2: int) -> int:  # box i's end vs box j's
        x, y = exact[i][k][end], exact[j][k][end2]
        if x is not None and y is not None:
            return (x > y) - (x < y)
        return _compare_ext(boxes[i][k][end], boxes[j][k][end2])

    # sweep along the first side: only boxes starting before one ends can meet it
    order = sorted(range(len(boxes)), key=lambda k: approx[k][0][0] if approx[k] else 0.0)
    for n, i in enumerate(order):
        for j in order[n + 1:]:
            if approx[i] and approx[j][0][0] - approx[i][0][1] > 1e-9 * (1 + abs(approx[j][0][0])):
                break  # j, and every box after it, starts clearly after box i ends
            meet = True
            for k, ((alo, ahi), (blo, bhi)) in enumerate(zip(approx[i], approx[j], strict=True)):
                gap = min(ahi, bhi) - max(alo, blo)
                if gap < -1e-9 * (1 + abs(max(alo, blo))):
                    meet = False
                    break
                if gap > 1e-9 * (1 + abs(max(alo, blo))):
                    continue
                # exactly: max(lo_i, lo_j) < min(hi_i, hi_j) iff each lo < each hi
                if cmp(i, k, 0, j, 1) >= 0 or cmp(j, k, 0, i, 1) >= 0:
                    meet = False
                    break
            if meet:
                raise _Invalid(f"leaves {min(i, j) + 1} and {max(i, j) + 1} overlap")


def _approx(e: sp.Expr) -> float:
    return float("inf") if e == sp.oo else float("-inf") if e == -sp.oo else float(sp.N(e, 17))


def _exact_key(e: sp.Expr) -> Fraction | float | None:
    """An exact Python value for fast comparisons (rationals, ±∞), None otherwise."""
    if e == sp.oo or e == -sp.oo:
        return float(e)
    if e.is_Rational:
        return Fraction(int(e.p), int(e.q))
    return None


def _compare_ext(a: sp.Expr, b: sp.Expr) -> int:
    if a == b:
        return 0
    if _infinite(a) or _infinite(b):
        return -1 if (a == -sp.oo or b == sp.oo) else 1
    return _compare(a, b)


def _measure(e: sp.Expr, unbounded: bool) -> sp.Expr:
    """Coordinates for the coverage check: x itself, or x/(1 + |x|) on a domain reaching
    ±∞ (increasing, ±∞ ↦ ±1), so that leaf boxes that are disjoint and whose images'
    volumes add up to the domain's image cover it (a closed union of full measure)."""
    if not unbounded:
        return e
    return sp.sign(e) if _infinite(e) else e / (1 + abs(e))
