r"""Homogeneous margins reduced by one variable: ``log(x/y)/2 > (x-y)/(x+y)`` on
``0 < y < x`` is a statement about t = x/y alone.

A margin g is *homogeneous of degree d* in the variables S when g(λx_S, x_rest) =
λ^d g(x_S, x_rest) for every λ > 0. With a scale variable s ∈ S that is > 0 on the whole
domain, g(x) = s^d g(x_S/s, x_rest), and g(x_S/s) is g with s = 1 and every other x_i of S
read as x_i/s. So g ≥ 0 (> 0) on the domain follows from h = g|_{s=1} ≥ 0 (> 0) on a box
that holds every x_i/s: the *reduced* statement, one variable fewer, certified by the
ordinary search. A bound tight along a whole line through the origin (x = y in
x log x + y log y ≥ (x + y) log((x + y)/2)) becomes tight at one point, which the kernel's
rules close; along the line itself no box closes.

What this module checks (:func:`check_reduction`; nothing is taken from the proposal):

* s's interval lies in (0, ∞) (its lower end > 0, or 0 and excluded);
* the identity g(λx_S) = λ^d g(x_S) is established exactly
  (:func:`~fptheory.verify.equality.exactly_equal`) with λ a positive symbol and every
  variable of S a symbol that is positive where the domain makes it so (where its interval
  starts at 0, excluded, or above), real otherwise;
* every sub-term that can be undefined — a logarithm's argument, a base raised to a
  negative or fractional power, the argument of any function other than exp, sin, cos,
  atan, sinh, cosh, tanh, asinh, Abs, sign — is itself homogeneous (exactly, the same way),
  of degree 0 where its function's domain is not a cone (tan, asin, acos, ...): then every
  such sub-term is defined at x exactly where it is at x/s (its value scaled by s^e > 0, or
  unchanged), so g and the typed sub-terms are defined at x exactly where they are at x/s;
* every such sub-term of g, with s = 1, is still a sub-term of h (sympy's evaluation at
  s = 1 dropped no sub-term whose definedness the reduced search must show).

The reduced box (:func:`reduced_domain`) holds x_i/s for every point: [a/e, b/c] for
x_i ∈ [a, b] ⊂ [0, ∞) and s ∈ (c, e], and likewise for negative sides; an end is included
only where both ends it comes from are. It may be larger than the image of the domain (the
ratios of several variables vary together), so a counterexample there is not one of the
statement: only a certified reduced statement is used, and the search falls back to the
whole domain otherwise. ``recheck`` derives the reduction, the reduced statement and the
reduced box again from the certificate's statement, domain and record, checks them as
above, and replays the leaves on the reduced box.

>>> x, y = sp.symbols("x y", real=True)
>>> dom = Domain.parse("1<=y<=2, 2<x<=4")
>>> r = find_reduction(sp.log(x/y)/2 - (x - y)/(x + y), [], dom)
>>> r.to_dict()
{'scale': 'y', 'scaled': ['y', 'x'], 'degree': '0'}
>>> check_reduction(sp.log(x/y)/2 - (x - y)/(x + y), [], dom, r)
''
>>> reduced_domain(dom, r).to_dict()
{'x': ['1', '4', True, False]}
"""

from __future__ import annotations

import itertools
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import mpmath
import sympy as sp

from fptheory.core.errors import FPTheoryError

from .backends import _infinite
from .domains import Domain, margin, own_relation, own_symbols
from .equality import exactly_equal
from .limits import bounded, manageable

__all__ = ["Reduction", "find_reduction", "check_reduction", "reduced_domain",
           "reduce_expression", "reduce_statement", "reduction_from_dict", "certify_reduced",
           "replay_reduction", "largest_pieces", "replay_largest"]

#: functions defined at every real argument: their arguments need no homogeneity
_ENTIRE = (sp.exp, sp.sin, sp.cos, sp.atan, sp.sinh, sp.cosh, sp.tanh, sp.asinh, sp.Abs,
           sp.sign)
#: at most this many variables in a margin whose homogeneity is looked for
MAX_VARIABLES = 4


@dataclass(frozen=True)
class Reduction:
    """g is homogeneous of ``degree`` in ``scaled``; ``scale`` (one of them) is set to 1."""

    scale: sp.Symbol
    scaled: tuple[sp.Symbol, ...]
    degree: sp.Rational
    #: one piece per scaled variable, where it is the largest, each reduced to it = 1
    #: (:func:`largest_pieces`), instead of the one scale
    largest: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"scale": self.scale.name, "scaled": [v.name for v in self.scaled],
                "degree": str(self.degree)} | ({"largest": True} if self.largest else {})

    def at(self, scale: sp.Symbol) -> Reduction:
        """The same reduction with another scale (one piece of the largest-variable split)."""
        return Reduction(scale, self.scaled, self.degree)


def reduction_from_dict(data: Any, domain: Domain) -> Reduction:
    """The record of a certificate, its names resolved in the domain (FPTheoryError when
    malformed)."""
    keys = {"scale", "scaled", "degree"}
    if not isinstance(data, dict) or set(data) not in (keys, keys | {"largest", "pieces"}) \
            or data.get("largest", True) is not True:
        raise FPTheoryError("a reduction is an object with scale, scaled and degree (and "
                            "largest: true with its pieces)")
    names = {v.name: v for v in domain.variables}
    scaled = data["scaled"]
    if not isinstance(scaled, list) or not all(isinstance(n, str) and n in names for n in scaled) \
            or len(set(scaled)) != len(scaled) or data["scale"] not in scaled:
        raise FPTheoryError("a reduction's scaled variables must be distinct variables of the "
                            "domain, the scale one of them")
    degree = data["degree"]
    if not isinstance(degree, str) or len(degree) > 12:
        raise FPTheoryError("a reduction's degree is a short fraction p/q")
    try:
        value = sp.Rational(degree)
    except (TypeError, ValueError) as exc:
        raise FPTheoryError(f"a reduction's degree {degree!r} is not a fraction") from exc
    return Reduction(names[data["scale"]], tuple(names[n] for n in scaled), value,
                     largest="largest" in data)


def _kept_positive(domain: Domain, v: sp.Symbol) -> bool:
    """v > 0 on the whole domain: its lower end is > 0, or 0 and excluded."""
    lo, _ = domain.intervals[v]
    low_open = domain.open_ends.get(v, (False, False))[0]
    return not _infinite(lo) and bool(lo > 0 or (lo == 0 and low_open))


def _positive_scale(domain: Domain, v: sp.Symbol) -> bool:
    lo, hi = domain.intervals[v]
    return lo != hi and _kept_positive(domain, v)


def _non_negative(domain: Domain, scaled: Sequence[sp.Symbol]) -> bool:
    """Every scaled variable ranges over part of [0, ∞) (its lower end finite and ≥ 0) and
    is not fixed: the domain lies in the cone where the largest-variable split applies."""
    for v in scaled:
        lo, hi = domain.intervals[v]
        if _infinite(lo) or not bool(lo >= 0) or lo == hi:
            return False
    return True


def _positive_symbols(domain: Domain, scaled: Sequence[sp.Symbol]) -> dict[sp.Symbol, sp.Symbol]:
    """A stand-in for each scaled variable: positive where the domain keeps it > 0."""
    return {v: sp.Dummy(v.name, positive=True) if _kept_positive(domain, v)
            else sp.Dummy(v.name, real=True) for v in scaled}


def _guarded(expr: sp.Expr) -> list[tuple[sp.Expr, bool]]:
    """(sub-term whose sign decides definedness, whether its degree must be 0)."""
    return [(sub, degree_zero) for sub, degree_zero, _ in _guards(expr)]


def _guards(expr: sp.Expr) -> list[tuple[sp.Expr, bool, sp.Expr | None]]:
    """:func:`_guarded`'s sub-terms, each with the base of the power whose exponent it is
    (None for any other guard): 0^y is defined for y > 0 only, so y's sign counts only
    where the base may be 0."""
    out: list[tuple[sp.Expr, bool, sp.Expr | None]] = []
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Pow):
            if not (node.exp.is_Integer and node.exp >= 0):
                out.append((node.base, False, None))
            if not node.exp.is_number:
                out.append((node.exp, False, node.base))
        elif isinstance(node, sp.log):
            out.append((node.args[0], False, None))
        elif isinstance(node, sp.Function) and not isinstance(node, (*_ENTIRE, sp.Max, sp.Min)):
            out.extend((a, True, None) for a in node.args)
    return out


def _homogeneous(expr: sp.Expr, stand_in: dict, degree: sp.Rational | None,
                 seconds: float) -> bool:
    """expr(λx_S) = λ^e expr(x_S) exactly, for e = degree, or for the e that a numeric
    probe suggests (degree None)."""
    lam = sp.Dummy("lambda", positive=True)
    e = expr.xreplace(stand_in)
    if not any(s in e.free_symbols for s in stand_in.values()):
        return degree in (None, 0)
    if degree is None:
        degree = _probe_degree(e, list(stand_in.values()))
        if degree is None:
            return False
    scaled = e.xreplace({s: lam * s for s in stand_in.values()})
    return exactly_equal(scaled, lam**degree * e, seconds) is not None


def _probe_degree(e: sp.Expr, symbols: list[sp.Symbol]) -> sp.Rational | None:
    """The degree e(λx) / e(x) suggests at two random points and two λ (floats: proposes)."""
    others = sorted(e.free_symbols - set(symbols), key=str)
    try:
        f = sp.lambdify([*symbols, *others], e, "mpmath")
    except Exception:  # noqa: BLE001  (any failure to build a probe just proposes nothing)
        return None
    rng = random.Random(1)
    guesses = []
    with mpmath.workdps(30):
        for _ in range(4):
            point = [mpmath.mpf(rng.uniform(0.3, 2.0)) for _ in symbols]
            rest = [mpmath.mpf(rng.uniform(0.3, 2.0)) for _ in others]
            for factor in (mpmath.mpf("1.7"), mpmath.mpf("0.45")):
                try:
                    a, b = f(*point, *rest), f(*(factor * p for p in point), *rest)
                    if mpmath.im(a) != 0 or mpmath.im(b) != 0 or a == 0 or b == 0 \
                            or mpmath.sign(a) != mpmath.sign(b):
                        continue
                    guesses.append(float(mpmath.log(b / a) / mpmath.log(factor)))
                except Exception:  # noqa: BLE001  (a float probe fails in many ways: skip)
                    continue
    if len(guesses) < 3 or max(guesses) - min(guesses) > 1e-9 or not math.isfinite(guesses[0]):
        return None
    return sp.Rational(guesses[0]).limit_denominator(6)


def find_reduction(g: sp.Expr, duties: Sequence[sp.Expr], domain: Domain,
                   seconds: float = 2.0) -> Reduction | None:
    """A reduction to propose (then :func:`check_reduction`): the scaled set is every
    variable of g, else every one but one; the degree from a numeric probe; the scale the
    positive variable with the narrowest relative range; the largest-variable split where
    no variable is > 0 on the whole domain, or the one scale leaves the reduced box
    unbounded while every scaled variable is ≥ 0 (a cone such as a, b, c > 0 becomes
    pieces with every ratio in [0, 1]). None when nothing fits."""
    variables = [v for v in domain.variables if v in g.free_symbols]
    if not 2 <= len(variables) <= MAX_VARIABLES or not manageable(g) or g.has(sp.Float):
        return None
    sets = [variables] + [list(c) for c in itertools.combinations(variables, len(variables) - 1)]
    for scaled in sets:
        scales = [v for v in scaled if _positive_scale(domain, v)]
        cone = _non_negative(domain, scaled)
        if not (scales or cone) or any(domain.intervals[v][0] == domain.intervals[v][1]
                                       for v in scaled):
            continue
        stand_in = _positive_symbols(domain, scaled)
        degree = _probe_degree(g.xreplace(stand_in), list(stand_in.values()))
        if degree is None:
            continue
        if scales:
            scale = max(scales, key=lambda v: _relative_width(domain, v))
            reduction = Reduction(scale, tuple(scaled), degree)
            unbounded = any(_infinite(e) for side in reduced_domain(domain, reduction)
                            .intervals.values() for e in side)
            if cone and unbounded:
                reduction = Reduction(scale, tuple(scaled), degree, largest=True)
        else:
            reduction = Reduction(scaled[0], tuple(scaled), degree, largest=True)
        if bounded(lambda r=reduction: check_reduction(g, duties, domain, r, seconds),
                   4 * seconds, "timed out") == "":
            return reduction
    return None


def _relative_width(domain: Domain, v: sp.Symbol) -> float:
    lo, hi = domain.intervals[v]
    return -math.inf if _infinite(hi) or lo == 0 else float(lo / hi)


def check_reduction(g: sp.Expr, duties: Sequence[sp.Expr], domain: Domain,
                    reduction: Reduction, seconds: float = 5.0) -> str:
    """'' when the reduction holds as the module docstring says (every step exact), else
    why not."""
    s, scaled = reduction.scale, list(reduction.scaled)
    if s not in scaled or not set(scaled) <= set(domain.variables):
        return "the scale must be one of the scaled variables of the domain"
    if reduction.largest and not _non_negative(domain, scaled):
        return "a scaled variable is not ≥ 0 on the whole domain (or is fixed)"
    if not reduction.largest and not _positive_scale(domain, s):
        return f"{s} is not > 0 on the whole domain"
    if any(domain.intervals[v][0] == domain.intervals[v][1] for v in scaled):
        return "a scaled variable is fixed"
    if not manageable(g) or g.has(sp.Float):
        return "the margin is too large (or holds floats)"
    stand_in = _positive_symbols(domain, scaled)
    if not _homogeneous(g, stand_in, reduction.degree, seconds):
        return f"not shown homogeneous of degree {reduction.degree} in {', '.join(map(str, scaled))}"
    for expr in [g, *duties]:
        for sub, degree_zero in _guarded(expr):
            if not sub.free_symbols & set(scaled):
                continue
            if not _homogeneous(sub, stand_in, sp.Integer(0) if degree_zero else None, seconds):
                return (f"the sub-term {sp.sstr(sub)[:60]} is not shown homogeneous"
                        + (" of degree 0" if degree_zero else ""))
    for scale in scaled if reduction.largest else [s]:
        at = reduction.at(scale)
        for expr in [g, *duties]:
            inside = set(sp.preorder_traversal(reduce_expression(expr, at)))
            for sub, _, base in _guards(expr):
                if base is not None and (c := reduce_expression(base, at)).is_number and c > 0:
                    # b^y with b = s^e·c, c > 0 a number (b is homogeneous): b > 0 on the
                    # piece, so b^y is defined whatever y's sign (q^(1 - w) at q = 1)
                    continue
                moved = reduce_expression(sub, at)
                if not (moved in inside or (moved.is_number and moved.is_finite and moved != 0)):
                    return f"the sub-term {sp.sstr(sub)[:60]} is lost when {scale} = 1"
    return ""


def reduce_expression(expr: sp.Expr, reduction: Reduction) -> sp.Expr:
    """expr with the scale variable set to 1 (the other scaled variables now read x_i/s)."""
    return expr.xreplace({reduction.scale: sp.Integer(1)})


def _ratio_end(a: sp.Expr, a_in: bool, c: sp.Expr, c_in: bool, e: sp.Expr, e_in: bool,
               lower: bool) -> tuple[sp.Expr, bool]:
    """(end, included) of x/s's range at x's end a (lower or upper), s ∈ [c, e] with c ≥ 0
    (c = 0 excluded), e possibly ∞."""
    toward_zero = (a >= 0) if lower else (a <= 0)  # the end is reached at the largest s
    if a == 0:
        return sp.Integer(0), a_in
    if toward_zero:
        return (sp.Integer(0), False) if _infinite(e) else (a / e, a_in and e_in)
    if _infinite(a) or c == 0:
        return (-sp.oo if lower else sp.oo), False
    return a / c, a_in and c_in


def reduced_domain(domain: Domain, reduction: Reduction) -> Domain:
    """The box that holds x_i/s for every point of the domain (module docstring), without
    the scale variable; the other variables keep their sides."""
    s = reduction.scale
    (c, e), (c_open, e_open) = domain.intervals[s], domain.open_ends.get(s, (False, False))
    intervals, open_ends = {}, {}
    for v in domain.variables:
        if v == s:
            continue
        lo, hi = domain.intervals[v]
        lo_open, hi_open = domain.open_ends.get(v, (False, False))
        if v in reduction.scaled:
            args = (c, not c_open, e, not e_open and not _infinite(e))
            lo_new, lo_in = _ratio_end(lo, not lo_open and not _infinite(lo), *args, lower=True)
            hi_new, hi_in = _ratio_end(hi, not hi_open and not _infinite(hi), *args, lower=False)
            lo, hi, lo_open, hi_open = lo_new, hi_new, not lo_in, not hi_in
        intervals[v], open_ends[v] = (lo, hi), (lo_open, hi_open)
    return Domain(intervals, open_ends)


def largest_pieces(domain: Domain, reduction: Reduction) -> list[tuple[sp.Symbol | None, Domain]]:
    """The largest-variable split of a domain inside the cone of ≥ 0 scaled variables:
    (s, box) for each scaled s that is the largest somewhere — the box of x/s over the
    points where s is largest, each ratio in the range of :func:`reduced_domain` capped at
    1 (included) — and (None, the domain with every scaled variable fixed at 0) when that
    origin is a point of the domain (no scale > 0 reaches it; it is checked as it stands).
    At any other point the largest scaled variable s is > 0 and x/s lies in s's box, where
    g(x) = s^d g(x/s) by the checked homogeneity. A piece whose s is below another variable
    everywhere (a ratio range starting above 1) is left out: s is never the largest.

    >>> a, b = sp.symbols("a b", real=True)
    >>> dom = Domain.parse("0<a, 0<=b<=2")
    >>> [(s, box.to_dict()) for s, box in largest_pieces(dom, Reduction(a, (a, b), 1, True))]
    [(a, {'b': ['0', '1', False, False]}), (b, {'a': ['0', '1', True, False]})]
    """
    out: list[tuple[sp.Symbol | None, Domain]] = []
    for s in reduction.scaled:
        box = reduced_domain(domain, reduction.at(s))
        intervals, open_ends = dict(box.intervals), dict(box.open_ends)
        empty = False
        for v in reduction.scaled:
            if v == s:
                continue
            (lo, hi), (lo_open, _) = intervals[v], open_ends.get(v, (False, False))
            if bool(lo > 1) or (lo == 1 and lo_open):
                empty = True
                break
            if _infinite(hi) or bool(hi >= 1):
                intervals[v], open_ends[v] = (lo, sp.Integer(1)), (lo_open, False)
        if not empty:
            out.append((s, Domain(intervals, open_ends)))
    if all(domain.intervals[v][0] == 0 and not domain.open_ends.get(v, (False, False))[0]
           for v in reduction.scaled):
        intervals = {v: (sp.Integer(0), sp.Integer(0)) if v in reduction.scaled else side
                     for v, side in domain.intervals.items()}
        opens = {v: (False, False) if v in reduction.scaled else domain.open_ends.get(
            v, (False, False)) for v in domain.variables}
        out.append((None, Domain(intervals, opens)))
    return out


def piece_image(g: sp.Expr, duties: Sequence[sp.Expr], domain: Domain,
                scaled: Sequence[sp.Symbol], source: sp.Symbol, target: sp.Symbol
                ) -> dict[sp.Symbol, sp.Symbol] | None:
    """A permutation σ of the scaled variables with σ(source) = target under which g, the
    typed sub-terms (as a set) and the domain (each side with its open ends) read the same,
    or None. Then the piece where ``target`` is the largest is the image of the piece where
    ``source`` is: for x in the domain with ``target`` largest, y = σ⁻¹(x) is in the domain
    with ``source`` largest, g(x) = g(y) and each sub-term at x is a sub-term at y, so the
    certificate of the one piece covers the other (cyclic sums: a/(a+b) + b/(b+c) +
    c/(c+a) needs one of its three pieces). Invariance is sympy's structural equality after
    the simultaneous substitution, nothing numeric.

    >>> a, b, c = sp.symbols("a b c", real=True)
    >>> g = a/(a + b) + b/(b + c) + c/(c + a) - 1
    >>> piece_image(g, [], Domain.parse("a>0, b>0, c>0"), (a, b, c), a, b)
    {a: b, b: c, c: a}
    >>> piece_image(g, [], Domain.parse("a>0, b>0, c>=1"), (a, b, c), a, b) is None
    True
    """
    others = [v for v in scaled if v != source]
    for images in itertools.permutations([v for v in scaled if v != target]):
        sigma = {source: target, **dict(zip(others, images, strict=True))}
        if _reads_the_same(g, duties, domain, sigma):
            return sigma
    return None


def _reads_the_same(g: sp.Expr, duties: Sequence[sp.Expr], domain: Domain,
                    sigma: dict[sp.Symbol, sp.Symbol]) -> bool:
    """g, the set of typed sub-terms and every side of the domain (its open ends too) read
    the same with the variables permuted by σ (a domain with relations between variables:
    never)."""
    def side(v: sp.Symbol) -> tuple[Any, ...]:
        return (*domain.intervals[v], *domain.open_ends.get(v, (False, False)))

    wanted = set(duties)
    return (not domain.relations and all(side(v) == side(w) for v, w in sigma.items())
            and g.xreplace(sigma) == g and {d.xreplace(sigma) for d in wanted} == wanted)


def reduce_statement(statement: sp.Rel, reduction: Reduction) -> sp.Rel:
    """The statement with the scale variable set to 1 (its sides as sympy evaluates them)."""
    return statement.func(reduce_expression(statement.lhs, reduction),
                          reduce_expression(statement.rhs, reduction), evaluate=False)


def certify_reduced(search: Callable[..., Any], statement: sp.Rel, domain: Domain,
                    **options: Any) -> Any:
    """``search`` (the box search, with the options of :func:`~fptheory.verify.certify`) on
    the reduced statement and box when the margin has a checked reduction, with a third of
    the time left; its result, in the statement's own terms, when certified, else None (a
    counterexample on the reduced box may lie outside the image of the domain)."""
    start, limit = options["start"], options["time_limit"]
    left = start + limit - time.perf_counter()
    back = options.get("back") or {}
    duties = [d.xreplace(back) for d in options.get("duties", ())]  # (a relation's piece)
    if left < 3 or len(domain.variables) > MAX_VARIABLES:
        return None
    g = margin(statement)
    reduction = find_reduction(g, duties, domain, seconds=min(2.0, left / 10))
    if reduction is None:
        return None
    if reduction.largest and options.get("back") is not None:
        # a relation's piece has no room for pieces in its record: its one scale, if any
        if not _positive_scale(domain, reduction.scale):
            return None
        reduction = reduction.at(reduction.scale)
    if reduction.largest:
        return _certify_largest(search, statement, domain, reduction, left, **options)
    sub = dict(options, time_limit=time.perf_counter() - start + left / 3,
               duties=[reduce_expression(d, reduction) for d in duties],
               exact_faces=frozenset(options.get("exact_faces", ())) - {reduction.scale},
               check_domain=None, back=None, original=None)
    result = search(reduce_statement(statement, reduction), reduced_domain(domain, reduction),
                    **sub)
    if result.verdict.value != "certified":
        return None
    result.statement, result.domain = sp.sstr(statement), domain.to_dict()
    result.reduction = reduction.to_dict()
    return result


def _certify_largest(search: Callable[..., Any], statement: sp.Rel, domain: Domain,
                     reduction: Reduction, left: float, **options: Any) -> Any:
    """Every piece of :func:`largest_pieces` certified in turn, within half the time left;
    one result whose leaves are all the pieces' (for the evidence), the pieces' own leaves
    in its reduction record; None as soon as one piece is not certified."""
    start, duties = options["start"], list(options.get("duties", ()))
    until = time.perf_counter() + left / 2
    pieces = largest_pieces(domain, reduction)
    images = _images(margin(statement), duties, domain, reduction, pieces)
    records: list[dict[str, Any]] = []
    merged = None
    for k, (s, box) in enumerate(pieces):
        if k in images:
            source, sigma = images[k]
            records.append({"scale": s.name, "image_of": source.name,  # type: ignore[union-attr]
                            "permutation": {v.name: w.name for v, w in sigma.items()}})
            continue
        share = (until - time.perf_counter()) / sum(1 for j in range(k, len(pieces))
                                                    if j not in images)
        if share < 1:
            return None
        at = reduction.at(s) if s is not None else None
        sub = dict(options, time_limit=time.perf_counter() - start + share,
                   duties=[reduce_expression(d, at) for d in duties] if at else duties,
                   exact_faces=frozenset(options.get("exact_faces", ())) - {s},
                   check_domain=None, back=None, original=None)
        result = search(reduce_statement(statement, at) if at else statement, box, **sub)
        if result.verdict.value != "certified":
            return None
        records.append(({"scale": s.name} if s is not None else {"origin": True})
                       | {"max_depth": result.max_depth,
                          "leaves": [leaf.to_dict() for leaf in result.leaves]})
        if merged is None:
            merged = result
        else:
            merged.absorb(result)
    assert merged is not None
    merged.statement, merged.domain = sp.sstr(statement), domain.to_dict()
    merged.reduction = reduction.to_dict() | {"pieces": records}
    merged.seconds = time.perf_counter() - start
    return merged


def _images(g: sp.Expr, duties: Sequence[sp.Expr], domain: Domain, reduction: Reduction,
            pieces: Sequence[tuple[sp.Symbol | None, Domain]]
            ) -> dict[int, tuple[sp.Symbol, dict[sp.Symbol, sp.Symbol]]]:
    """The pieces (by index) that are images of an earlier piece certified itself, each with
    that piece's scale and the permutation (:func:`piece_image`)."""
    out: dict[int, tuple[sp.Symbol, dict[sp.Symbol, sp.Symbol]]] = {}
    for k, (s, _) in enumerate(pieces):
        for j, (t, _) in enumerate(pieces[:k]):
            if s is None or t is None or j in out:
                continue
            sigma = piece_image(g, duties, domain, reduction.scaled, t, s)
            if sigma is not None:
                out[k] = (t, sigma)
                break
    return out


def _checked_record(statement: sp.Rel, domain: Domain, duties: Sequence[sp.Expr], record: Any,
                    largest: bool) -> tuple[Reduction, sp.Rel, list[sp.Expr]]:
    """The reduction of a certificate's record, of the kind expected (one scale, or the
    largest-variable split), with the statement and typed sub-terms in the domain's own
    symbols, after every step of :func:`check_reduction` (FPTheoryError otherwise)."""
    reduction = reduction_from_dict(record, domain)
    if reduction.largest != largest:
        raise FPTheoryError("a largest-variable split is replayed piece by piece" if
                            reduction.largest else "not a largest-variable split")
    statement = own_relation(statement, domain.variables)
    duties = [own_symbols(d, domain.variables) for d in duties]
    why = check_reduction(margin(statement), duties, domain, reduction, 10.0)
    if why:
        raise FPTheoryError(f"the reduction {reduction.to_dict()} does not hold: {why}")
    return reduction, statement, duties


def replay_reduction(statement: sp.Rel, domain: Domain, duties: Sequence[sp.Expr],
                     record: Any) -> tuple[sp.Rel, Domain, list[sp.Expr]]:
    """For ``recheck``: the reduced statement, box and typed sub-terms of a certificate's
    reduction record, every step of :func:`check_reduction` done again (FPTheoryError with
    the reason when one fails)."""
    reduction, statement, duties = _checked_record(statement, domain, duties, record, False)
    return (reduce_statement(statement, reduction), reduced_domain(domain, reduction),
            [reduce_expression(d, reduction) for d in duties])


def replay_largest(statement: sp.Rel, domain: Domain, duties: Sequence[sp.Expr], record: Any
                   ) -> list[tuple[sp.Rel, Domain, list[sp.Expr], dict[str, Any]]]:
    """For ``recheck``: (statement, box, typed sub-terms, recorded piece) for every piece of
    a largest-variable split, derived again from the certificate's statement and domain
    (:func:`largest_pieces`) after every step of :func:`check_reduction`; the record's
    pieces must name exactly those pieces, in that order (FPTheoryError otherwise)."""
    reduction, statement, duties = _checked_record(statement, domain, duties, record, True)
    expected = largest_pieces(domain, reduction)
    pieces = record.get("pieces")
    names = [{"scale": s.name} if s is not None else {"origin": True} for s, _ in expected]
    if not isinstance(pieces, list) or len(pieces) != len(expected) or not all(
            isinstance(p, dict) and {k: p.get(k) for k in n} == n and set(p) in (
                set(n) | {"max_depth", "leaves"}, set(n) | {"image_of", "permutation"})
            for p, n in zip(pieces, names, strict=False)):
        raise FPTheoryError(f"the largest-variable split has the pieces {names}, in that order, "
                            "each with max_depth and leaves, or the image of an earlier one")
    out = []
    certified: set[str] = set()
    for (s, box), piece in zip(expected, pieces, strict=True):
        if "image_of" in piece:
            _check_image(statement, duties, domain, reduction, s, piece, certified)
            continue
        certified.add(s.name if s is not None else "")
        if s is None:
            out.append((statement, box, duties, piece))
        else:
            at = reduction.at(s)
            out.append((reduce_statement(statement, at), box,
                        [reduce_expression(d, at) for d in duties], piece))
    return out


def _check_image(statement: sp.Rel, duties: Sequence[sp.Expr], domain: Domain,
                 reduction: Reduction, s: sp.Symbol | None, piece: dict[str, Any],
                 certified: set[str]) -> None:
    """A recorded image piece: the image of an earlier piece replayed from its own leaves,
    under a permutation of the scaled variables that maps that piece's scale to this one's
    and leaves the margin, the typed sub-terms and the domain as they read
    (:func:`piece_image`'s conditions, checked again here; FPTheoryError otherwise)."""
    names = {v.name: v for v in reduction.scaled}
    source, table = piece.get("image_of"), piece.get("permutation")
    if s is None or source not in certified or not isinstance(table, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and k in names and v in names
            for k, v in table.items()) or set(table) != set(names) or set(
            table.values()) != set(names) or table.get(source) != s.name:
        raise FPTheoryError(f"piece {getattr(s, 'name', s)}: an image piece names an earlier "
                            "certified piece and a permutation of the scaled variables to it")
    if not _reads_the_same(margin(statement), duties, domain,
                           {names[k]: names[v] for k, v in table.items()}):
        raise FPTheoryError(f"piece {s.name}: the permutation {table} does not leave the "
                            "statement, its sub-terms and the domain as they read")

