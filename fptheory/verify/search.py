"""The search: sampling for a counterexample, then branch-and-bound over boxes. It proposes
(split points, rewritten forms, which face a monotone rule moves to); every box it closes is
closed by a judgement of the trusted kernel (:mod:`fptheory.verify.kernel`), and every
counterexample it reports is an exact point checked against the statement and every
constraint of the domain (:mod:`fptheory.verify.witness`)."""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Callable, Sequence
from typing import Any

import sympy as sp
from flint import ctx

from fptheory.core.errors import FPTheoryError
from fptheory.core.parsing import parse_number, parse_relation

from .backends import ARB, Interval, _far, _infinite, compile_balls
from .balls import signs_seen, zero_corners
from .claims import Verdict
from .combine import certify_combined
from .compactify import certify_compactified
from .domains import Domain, domain_ends, own_relation, own_symbols
from .domains import margin as _margin
from .eliminate import certify_eliminated
from .extended import EXTENDED
from .homogeneous import certify_reduced
from .hunt import Hunter, centres
from .kernel import MAX_SIGN_NODES
from .kinks import resolve_kinks, settle_signed_variables
from .limits import DeadlineExceeded, guard
from .mirror import even_variables, mirrored
from .obligations import duties_defined, obligations
from .openends import (
    excluded_ends,
    inversions,
    open_walk_applies,
    reaches_infinity,
    root_ends,
    substitutions,
    touches_excluded,
)
from .ordered import certify_ordered
from .parallel import Half, in_halves, may_fork
from .problem import BoxTimeout, Problem
from .quotients import close_quotient
from .related import certify_related
from .results import CertifyResult, Leaf, _side_values, report_refutation
from .rewrites import presplit, simple_points
from .sampling import _sample
from .separable import certify_separated
from .sos import sos_first
from .splits import Budget, _finite_ends, _split_or_keep_open, _TailOpen, slope_smear, tail_reason
from .strip import strip_sides
from .symmetric import half_or_whole, half_to_certify
from .tangent import close_about
from .taylor import TAYLOR_DEGREES
from .witness import Witness, find_witness

__all__ = ["certify", "Problem", "decide", "PROVED", "VIOLATED", "UNDECIDED", "Budget"]

#: seconds of search before the first progress line (then one every 5 s)
PROGRESS_AFTER = 2.0

PROVED, VIOLATED, UNDECIDED = "proved", "violated", "undecided"


def box_seconds(time_limit: float) -> float:
    """Seconds one box's decision may take before the box is split (a tenth of the limit, ≥ 3)."""
    return max(3.0, 0.1 * time_limit)


def decide(p: Problem, expr: sp.Expr, box: list[Interval], strict: bool,
           depth: int) -> tuple[str, str]:
    """(status, rule) for expr ≥ 0 (> 0 if strict) on the box: PROVED only by a kernel
    judgement (the rule names it), VIOLATED when a walked enclosure is < 0 on the whole box
    (depth 0 only; a refutation still needs an exactly checked point), else UNDECIDED.

    Within one decision of the search (:meth:`Problem.forget` between them), a question
    left undecided at some depth is not asked again at that depth or deeper, where fewer
    rules remain: the derivatives of a quotient's numerator and of the margin meet the same
    sub-questions, and on a box reaching ±∞ every one of them recurs to the deepest level
    (10 s for one box of atan(x) ≤ π/2 − 1/x + 1/(3x³) on x > 0, measured)."""
    key = (expr, tuple(box), strict, tuple(sorted(p.excluded.items(), key=str)), p.inverted,
           p.rooted)
    if p.undecided.get(key, depth + 1) <= depth:
        return UNDECIDED, "split"
    status, rule = _decide(p, expr, box, strict, depth)
    if status == UNDECIDED:
        p.undecided[key] = min(depth, p.undecided.get(key, depth))
    return status, rule


def _decide(p: Problem, expr: sp.Expr, box: list[Interval], strict: bool,
            depth: int) -> tuple[str, str]:
    p.tick()
    k = p.kernel
    free = [i for i, (lo, hi) in enumerate(box) if lo != hi]
    # a large margin in many variables (Flyspeck's dihedral bounds): its second-order model
    # closes nearly every box that the tightened walk closes, at a fraction of the cost
    many = len(free) >= MODEL_FIRST and k._size(expr) > MAX_SIGN_NODES
    modelled = many and k.affine_low(expr, box, taylor=True) is not None
    if modelled and k.quadratic(expr, box, strict):
        return PROVED, "quadratic"
    # then the walk, with the forms already known (none proposed: on the dihedral bounds
    # they close next to nothing); a sum of Gaussians in six variables is enclosed exactly by
    # it, one square per variable, where its model is not (Hartman's function: 7 289 boxes
    # in 60 s, still open, by the model alone; 247 boxes with the walk after it)
    if modelled and k.interval(expr, box, strict, also_extended=bool(p.far)):
        return PROVED, "interval"
    # the plain enclosure first: a box it closes needs no rewritten form (sympy's factor of
    # x·y·z + 10^900 alone spends its whole 5 s deadline)
    if not modelled:
        if k.interval(expr, box, strict, also_extended=bool(p.far)):
            return PROVED, "interval"
        known = len(k.forms_of(expr))
        p.propose(expr)
        if len(k.forms_of(expr)) > known and k.interval(expr, box, strict,
                                                        also_extended=bool(p.far)):
            return PROVED, "interval"
    at_excluded = touches_excluded(p.excluded, p.variables, box)
    if strict and at_excluded and k.open_sign(expr, box, p.excluded):
        return PROVED, "sign off excluded ends"
    if depth == 0 and open_walk_applies(p.excluded, p.variables, box) and not k.defined(expr, box) \
            and k.open_interval(expr, box, strict, p.excluded):  # (±∞ is no point of a box;
        return PROVED, "interval off excluded ends"  # deeper poles: the quotient rule's)
    if depth == 0 and not modelled and k.violated(expr, box):  # (else: the hunt's points)
        return VIOLATED, "interval"
    if len(free) >= 2 and not modelled and k.affine(expr, box, strict):
        return PROVED, "affine"  # (where the Taylor model was tried first, the affine form
        # closed none of the boxes it left open on Flyspeck's ID[3296257235])
    if len(free) >= 2 and not many and k.affine_low(expr, box) is not None and k.quadratic(
            expr, box, strict):  # (where the affine form is refused, so is this model)
        return PROVED, "quadratic"
    if len(free) == 1:  # Taylor of degree ≥ 1 in the one variable subsumes 'centered'
        v = p.variables[free[0]]
        for degree in TAYLOR_DEGREES:
            if k.taylor(expr, box, strict, v, degree):
                return PROVED, f"taylor {degree} in {v}"
        for end, excluded in p.tight_ends(expr, box, free[0]):  # expanded where it is 0
            for degree in TAYLOR_DEGREES:
                if k.taylor(expr, box, strict, v, degree, end, excluded):
                    return PROVED, f"taylor {degree} in {v} at its {end} end"
    elif free and (len(free) < 3 or not modelled and k.affine_low(expr, box) is None) and k.centered(
            expr, box, strict):
        # (in 3+ variables, where the affine form exists, the mean-value form closed no box
        # of the benchmark that the affine form left open, at a tenth of the search's time)
        return PROVED, "centered"
    if len(free) >= 2 and at_excluded:  # tight along a whole excluded face, 0/0 there
        for i in free:
            v = p.variables[i]
            for end, degree in itertools.product((e for e, ex in p.tight_ends(expr, box, i) if ex),
                                                 TAYLOR_DEGREES):
                if k.taylor(expr, box, strict, v, degree, end, True):
                    return PROVED, f"taylor {degree} in {v} at its {end} end"
    if not free:
        return decide_point(p, expr, box, strict, depth)
    if depth == 0 and not strict and len(free) <= 3:
        for corner in zero_corners(lambda point: k.enclose(expr, point), box, free):
            if k.second_order(expr, box, corner):
                return PROVED, f"second order at corner {corner}"
    resolved = resolve_kinks(p, expr, box, strict, depth, decide, PROVED)
    if resolved is not None:
        return resolved
    tail = reaches_infinity(box)
    if depth == 0 and tail and not p.inverted:  # a tail [a, ∞), a > 0, read in 1/x
        for text, moved, moved_box, left in inversions(expr, p.variables, box, p.excluded):
            # (first: on the bounded side every rule applies, where on the tail the
            # derivatives recur to the deepest level; at depth 0 again, the open-end rules
            # included, but inverted once only: an open end moved to ∞ would be inverted
            # again, and so on)
            with p.excluding(left), p.inverting():
                status, rule = decide(p, moved, moved_box, strict, depth)
            if status == PROVED:
                return PROVED, f"{text} → {rule}"
    if depth == 0 and len(free) <= ROOT_END_VARIABLES:  # (a root or acos: ∞ slope at a tight end)
        steps = [(w, *step) for w, side in p.singular_ends(expr, box)
                 for step in root_ends(expr, p.variables, box, p.excluded, [(w, side)])]
        for w, text, moved, moved_box, left in steps:
            with p.excluding(left), p.rooting(w):
                status, rule = decide(p, moved, moved_box, strict, depth)
            if status == PROVED:
                return PROVED, f"{text} → {rule}"
    if depth < min(p.max_depth, QUOTIENT_DEPTH) and ((p.excluded and not k.defined(expr, box)) or tail):
        closed = close_quotient(p, expr, box, strict, depth, decide, PROVED)
        if closed is not None:
            return PROVED, f"quotient → {closed}"
    if depth < p.max_depth:
        for i in p.monotone_order(expr, box):
            lo, hi = box[i]
            if lo == hi:
                continue
            v = p.variables[i]
            quick = k.partial_sign(expr, box, i)
            if quick:  # the sign of ∂expr/∂v from affine or series slopes: no symbolic derivative
                p.monotone_hint[expr] = i
                name = "increasing" if quick == 1 else "decreasing"
                face = list(box)
                face[i] = (lo, lo) if quick == 1 else (hi, hi)
                status, rule = decide(p, expr, face, strict, depth)
                if status != PROVED and _infinite(face[i][0]):
                    break  # (the face at ±∞ is a limit: the tail read in 1/x may close)
                if status == PROVED or not (strict and _excluded_face(
                        p, v, face[i][0], quick)):
                    return status, f"monotone: {name} in {v} → {rule}"
            if _slopes_without_symbolic_derivatives(p, expr, box) or not k.c1(expr, v, box):
                continue
            d = p.derivative(expr, v)
            seen = signs_seen(lambda point, d=d: k.enclose(d, point), box, free)
            for sign, face_end, name in ((1, lo, "increasing"), (-1, hi, "decreasing")):
                if -sign in seen:  # (a point where the slope has the other sign)
                    continue
                status, _ = decide(p, sign * d, box, False, depth + 1)
                if status == PROVED:
                    p.monotone_hint[expr] = i
                    face = list(box)
                    face[i] = (face_end, face_end)
                    status, rule = decide(p, expr, face, strict, depth)
                    if status != PROVED and strict and _excluded_face(p, v, face_end, sign):
                        return _open_face(p, expr, sign * d, box, face, depth, name, v)
                    if status != PROVED and _infinite(face_end):
                        break  # (the face at ±∞ is a limit: the tail read in 1/x may close)
                    return status, f"monotone: {name} in {v} → {rule}"
    if depth == 0 and len(free) >= 2:  # tight along v = w, convex in v (Pinsker's bound)
        about = close_about(p, expr, box, strict, depth, decide, PROVED)
        if about is not None:
            return PROVED, about
    if depth == 0 and p.excluded:  # a side at an excluded end: moved to infinity
        for text, moved, moved_box, left in substitutions(expr, p.variables, box, p.excluded):
            side, name = text.removeprefix("open end: ").split(" of ")
            i = [v.name for v in p.variables].index(name)
            if side not in [end for end, _ in p.tight_ends(expr, box, i)]:
                continue  # (> 0 on that face: splitting closes next to it, no move needed)
            with p.excluding(left):
                status, rule = decide(p, moved, moved_box, strict, depth)
            if status == PROVED:
                return PROVED, f"{text} → {rule}"
    return UNDECIDED, "split"


#: free variables from which an unsigned series or affine slope is not followed by a symbolic one
MANY_VARIABLES = 3
#: depths below which the quotient rule is tried (deeper, on numerators of slopes, it closed nothing)
QUOTIENT_DEPTH = 4
#: the longest the sampling before the search may take (or 5 % of the time limit)
SAMPLING_SECONDS = 3.0
#: free variables from which a large margin's second-order model is tried before its walk
MODEL_FIRST = 4
#: free variables up to which a box's sides are read in their roots at a tight end (the
#: test costs two face enclosures and a derivative's walk per side; every bound of the
#: benchmark that needs it has one or two variables)
ROOT_END_VARIABLES = 2


def _slopes_without_symbolic_derivatives(p: Problem, expr: sp.Expr, box: list[Interval]) -> bool:
    """A large margin in many variables whose series or affine slopes exist on the box:
    its symbolic derivatives (each decided on the box, with their own slopes, for every
    variable and both signs) cost a hundred times the box's other judgements and seldom
    close what those slopes left open; the box is split instead."""
    free = sum(1 for lo, hi in box if lo != hi)
    return (free >= MANY_VARIABLES and p.kernel._size(expr) > MAX_SIGN_NODES
            and (p.kernel.affine_partials(expr, box) is not None
                 or p.kernel.partials(expr, box) is not None))


def _excluded_face(p: Problem, v: sp.Symbol, end: sp.Expr, sign: int) -> bool:
    """The face v = end is the domain's excluded lower (sign 1) or upper (-1) end."""
    low, high = p.excluded.get(v, (None, None))
    return (low if sign == 1 else high) == end and end is not None


def _open_face(p: Problem, expr: sp.Expr, slope: sp.Expr, box: list[Interval],
               face: list[Interval], depth: int, name: str, v: sp.Symbol) -> tuple[str, str]:
    """expr > 0 on the box without its face at an excluded end (expr is C¹ on the closed
    box): expr ≥ 0 on the face and the slope towards the inside > 0 on the box without
    that face (strict, by these judgements; this rule may recur), so by the mean value
    theorem expr > 0 off the face. This is sin(x) < x on 0 < x ≤ 1: tight at x = 0."""
    status, rule = decide(p, expr, face, False, depth)
    if status != PROVED or depth + 1 > p.max_depth:
        return UNDECIDED, "split"
    if decide(p, slope, box, True, depth + 1)[0] != PROVED:
        return UNDECIDED, "split"
    return PROVED, f"monotone: strictly {name} in {v} off its excluded end → {rule}"


def decide_point(p: Problem, expr: sp.Expr, box: list[Interval], strict: bool,
                 depth: int) -> tuple[str, str]:
    """At an exact point: the kernel's point judgement; a violation only at depth 0."""
    rule = p.kernel.point(expr, box, strict)
    if rule is not None:
        return PROVED, rule
    if depth == 0 and not any(_infinite(lo) for lo, _ in box):
        if p.kernel.violated(expr, box) or (
                strict and p.kernel.defined(expr, box)
                and p.kernel.exact_value_is_zero(expr, [lo for lo, _ in box])):
            return VIOLATED, "point"
    return UNDECIDED, "point"


def _validate(max_boxes: int, time_limit: float, digits: int, samples: int) -> None:
    if not isinstance(max_boxes, int) or max_boxes <= 0:
        raise FPTheoryError(f"--max-boxes must be a positive integer, not {max_boxes}")
    if not (isinstance(time_limit, (int, float)) and time_limit > 0) or time_limit != time_limit \
            or time_limit == float("inf"):
        raise FPTheoryError(f"--time-limit must be a positive number of seconds, not {time_limit}")
    if not 5 <= digits <= 1000:
        raise FPTheoryError(f"digits must be between 5 and 1000, not {digits}")
    if samples < 0:
        raise FPTheoryError(f"samples must be ≥ 0, not {samples}")


def certify(statement: sp.Rel | str, domain: Domain | str, *, max_boxes: int = 20000,
            time_limit: float = 30.0, digits: int = 30, samples: int = 200,
            seed: int = 0, source: str | None = None, hunt: bool = True,
            progress: Callable[[str], None] | None = None) -> CertifyResult:
    """Verdict on ``statement`` over the whole ``domain``: certified, refuted or unknown.

    ``statement`` may be text (``"x < 0.1"``), read by the safe parser and judged as typed
    (it is then also the ``source``): give text to have ``sqrt(x)**2 >= -1`` judged with
    its ``sqrt(x)``; a sympy relation is judged as sympy built it (there ``x >= -1``).
    ``domain`` may be text for :meth:`Domain.parse`.

    ``time_limit`` is a deadline for the whole call (sympy steps included). ``source`` is
    the text the statement was parsed from: its sub-terms that sympy's evaluation dropped
    (``sqrt(x)**2`` is ``x``) must be defined too (:mod:`fptheory.verify.obligations`),
    and the certificate keeps the text so that ``recheck`` derives them again.

    ``hunt=False`` turns the float counterexample hunt (:mod:`fptheory.verify.hunt`) off:
    refutations then come from sampling and from the boxes alone. ``progress`` receives a
    one-line status of a search that runs past 2 s, then every 5 s."""
    _validate(max_boxes, time_limit, digits, samples)
    if isinstance(statement, str):
        source = statement if source is None else source
        statement = parse_relation(statement)
    if isinstance(domain, str):
        domain = Domain.parse(domain)
    duties: list[sp.Expr] = []
    if source is not None:
        parsed = parse_relation(source)
        if sp.sstr(parsed) != sp.sstr(statement):
            raise FPTheoryError(f"the source {source[:60]!r} is not the statement {sp.sstr(statement)[:60]}")
        duties = obligations(source)
    if isinstance(statement, sp.Eq):
        raise FPTheoryError("identities are checked by assess_identity; certify takes <=, <, >=, >")
    if not isinstance(statement, (sp.Le, sp.Lt, sp.Ge, sp.Gt)):
        raise FPTheoryError(f"not an inequality: {statement}")
    start = time.perf_counter()
    statement = own_relation(statement, domain.variables)
    missing = {s for s in statement.free_symbols if s not in domain.variables}
    if missing:
        raise FPTheoryError(f"no domain for {', '.join(sorted(map(str, missing)))} (--assume)")
    duties = [own_symbols(o, domain.variables) for o in duties]
    return _certify_typed(statement, domain, source=source, start=start, max_boxes=max_boxes,
                          time_limit=time_limit, digits=digits, samples=samples, seed=seed,
                          duties=duties, hunt=hunt, progress=progress)


def _certify_typed(statement: sp.Rel, domain: Domain, *, source: str | None,
                   **options: Any) -> CertifyResult:
    """:func:`certify`'s normalisations and search on a statement in the domain's symbols
    (options: :func:`_search_box`'s, their ``duties`` the typed sub-terms); also each
    piece of an elimination (:mod:`fptheory.verify.eliminate`)."""
    start, time_limit, digits = options["start"], options["time_limit"], options["digits"]
    duties = list(options.pop("duties"))
    typed, stripped = statement, strip_sides(statement, domain)
    if stripped is not None:  # f(A) ⋈ f(B), f increasing: A ⋈ B with f(A), f(B) defined
        statement, duties = stripped[0], [*duties, *stripped[1]]
    whole, evens = domain, even_variables(_margin(statement), duties, domain)
    try:
        with guard(start + time_limit + 1.0 - time.perf_counter()):
            # (where a side reaches ±∞, and briefly on a bounded box in 4+ variables: sos_first)
            squares = sos_first(statement, domain, duties=duties, **options)
            evens = [] if squares is not None else evens
            domain = mirrored(domain, evens) if evens else domain  # g(-x) = g(x): x ≥ 0
            pair = None if squares is not None else half_to_certify(_margin(statement), duties,
                                                                    domain)
            options["duties"] = duties
            if squares is not None:  # a sum of squares on the whole domain: no leaves
                result = squares
            elif pair is not None:  # recheck adds the relation again from the record
                result = half_or_whole(_certify_box, statement, domain, pair, options)
            elif domain.relations:
                ordered = certify_ordered(_certify_box, statement, domain, **options)
                result = ordered if ordered is not None else certify_related(
                    _certify_box, statement, domain, **options)
            else:
                result = _certify_box(statement, domain, **options)
            result.source = source
            if evens:
                result.even, result.domain = [v.name for v in evens], whole.record()
            if stripped is not None:
                result.strip = stripped[2]
                result.statement = result.original_statement = sp.sstr(typed)
                if result.verdict is Verdict.REFUTED and result.counterexample_exact:
                    # the values of the sides as typed (x**y, not y*log(x)) at the point
                    point = {v: parse_number(result.counterexample_exact[v.name])
                             for v in domain.variables if v.name in result.counterexample_exact}
                    result.values = _side_values(Witness(point, "violated"), typed.lhs,
                                                typed.rhs, digits)
            return result
    except DeadlineExceeded:
        result = CertifyResult(sp.sstr(statement), Verdict.UNKNOWN, whole.record(), digits=digits)
        result.reason = f"time limit of {time_limit:g} s reached"
        result.seconds = time.perf_counter() - start
        return result


def _certify_box(statement: sp.Rel, domain: Domain, **options: Any) -> CertifyResult:
    """:func:`certify` on a box domain (no relations), open boxes shared with a forked second
    process after a while (:mod:`fptheory.verify.parallel`); first a margin that reads two
    variables through one combination in that variable (:mod:`fptheory.verify.combine`), a
    sum of one-variable parts one variable at a time (:mod:`fptheory.verify.separable`), a
    polynomial on the whole space as pieces on [-1, 1]ⁿ (:mod:`fptheory.verify.compactify`),
    a homogeneous one on its reduced box (:mod:`fptheory.verify.homogeneous`), one convex
    in a variable at its critical point (:mod:`fptheory.verify.eliminate`)."""
    split = options.pop("split", True)  # (False in a piece of a split: one level only)
    combined = certify_combined(_certify_box, statement, domain, combine=False, split=split,
                                **options) if options.pop("combine", True) else None
    if combined is not None:
        return combined
    if split:
        whole = (certify_separated(_certify_typed, statement, domain, **options)
                 or certify_compactified(_certify_typed, statement, domain, **options))
        if whole is not None:
            return whole
    reduced = certify_reduced(_certify_whole_box, statement, domain, **options)
    if reduced is None and split:
        reduced = certify_eliminated(_certify_typed, statement, domain, **options)
    return reduced if reduced is not None else _certify_whole_box(statement, domain, **options)


def _certify_whole_box(statement: sp.Rel, domain: Domain, **options: Any) -> CertifyResult:
    return in_halves(_search_box, statement, domain, **options)


def _search_box(statement: sp.Rel, domain: Domain, *, start: float, max_boxes: int,
                time_limit: float, digits: int, samples: int, seed: int,
                exact_faces: frozenset[sp.Symbol] = frozenset(),
                check_domain: Domain | None = None,
                back: dict[sp.Symbol, sp.Expr] | None = None,
                original: sp.Rel | None = None,
                duties: Sequence[sp.Expr] = (), hunt: bool = True,
                half: Half | None = None,
                progress: Callable[[str], None] | None = None) -> CertifyResult:
    """The search of :func:`_certify_box`. ``check_domain``, ``back`` and ``original`` are
    the original domain, the substitution and the original statement of a relation's piece:
    a witness is checked there, in the original variables."""
    lhs, rhs = statement.lhs, statement.rhs
    strict = isinstance(statement, (sp.Lt, sp.Gt))
    variables = domain.variables
    g = settle_signed_variables(_margin(statement), domain.intervals)  # recheck does the same
    compile_balls(g, variables, ARB)  # unsupported functions: a one-line message here
    if any(_infinite(e) for v in variables for e in domain.intervals[v]):
        compile_balls(g, variables, EXTENDED)
    result = CertifyResult(sp.sstr(statement), Verdict.UNKNOWN, domain.to_dict(), digits=digits)
    problem = Problem(g, strict, variables, digits, start + time_limit, max_boxes,
                      max_depth=6 if len(variables) == 1 else 2, exact_faces=exact_faces,
                      far=_far(variables, [domain.intervals[v] for v in variables]),
                      centre={v: _finite_ends(*domain.intervals[v])[1] for v in variables},
                      excluded=excluded_ends(domain.intervals, domain.open_ends),
                      face_ends=domain_ends(domain.intervals))
    result.max_depth = problem.max_depth
    o_lhs, o_rhs = (original.lhs, original.rhs) if original is not None else (lhs, rhs)
    o_g = _margin(original) if original is not None else g
    o_domain = check_domain if check_domain is not None else domain
    if back:
        problem.original = (o_g, dict(back))

    def check(point: dict[sp.Symbol, sp.Expr], undefined: bool) -> Witness | None:
        if back:
            point = dict(point) | {y: e.xreplace(point) for y, e in back.items()}
            point = {v: point[v] for v in o_domain.variables if v in point}
        # (the typed sub-terms first: a statement read through a rewriting — its sides
        # stripped, written through the half angle — is undefined where the typed one is,
        # and the reason names what the user wrote)
        return find_witness(o_g, strict, o_domain, point, [*duties, o_lhs, o_rhs], digits)

    local_duties = [settle_signed_variables(d.xreplace(back) if back else d, domain.intervals)
                    for d in duties]
    problem.duties = local_duties
    for d in local_duties:
        compile_balls(d, variables, ARB)  # unsupported functions: a one-line message here
    def refuted(witness: Witness) -> CertifyResult:
        report_refutation(result, witness, o_lhs, o_rhs, digits)
        result.leaves = []
        result.boxes = problem.boxes
        result.seconds = time.perf_counter() - start
        return result

    saved = ctx.prec
    ctx.prec = int(digits * 3.33) + 30
    queue: list[list[Interval]] = []
    box: list[Interval] | None = None  # the box being decided (open if a budget ends it)
    open_tails: list[_TailOpen] = []
    try:
        witness, count = _sample(g, domain, strict, samples, seed, digits, check, local_duties,
                                 min(SAMPLING_SECONDS, 0.05 * time_limit))
        result.samples = count
        if witness is not None:
            return refuted(witness)
        box0 = [domain.intervals[v] for v in variables]
        hunter = Hunter(g, variables, box0, strict, lambda point: check(point, False), seed)
        # local minima, from the sampled points and from the simple ones (a bound tight at 0
        # whose constant is moved by 10^-9 is violated only within 10^-3 of it)
        starts = [[float(c) for c in point] for point in simple_points(box0, 64)]
        witness = hunter.run(min(2.0, 0.1 * time_limit), starts) if hunt else None
        if witness is not None:
            return refuted(witness)
        queue = presplit(g, variables, box0, max(0.0, min(2.0, problem.seconds_left())))
        next_hunt, next_word = 256, start + PROGRESS_AFTER
        hunt_after, hunt_every = time.perf_counter() + 2.0, 2.0  # (slow boxes: by time too)
        while queue or (half is not None and not open_tails
                        and (queue := half.refill(problem.deadline))):
            if half is not None:
                queue = half.share(queue)  # (the other half, out of boxes, asked for some)
            if progress is not None and time.perf_counter() >= next_word:
                next_word = time.perf_counter() + 5.0
                progress(f"searching: {problem.boxes} boxes decided or split, {len(queue)} "
                         f"open, {time.perf_counter() - start:.0f} s of {time_limit:g} s")
            if half is not None and not (half.pid or half.child) and may_fork(
                    start, problem.deadline, len(queue)):
                queue = half.split(queue)
                if half.pid or half.child:  # each half gets half of the boxes left
                    problem.max_boxes = problem.boxes + (problem.max_boxes - problem.boxes) // 2
                if half.child:  # the leaves so far (and the progress lines) are the parent's
                    result.leaves, progress = [], None
                    problem.max_boxes -= problem.boxes
                    problem.boxes, next_hunt = 0, 256
                if not queue:
                    continue  # (the parent then asks the child for some)
            if hunt and (problem.boxes >= next_hunt or time.perf_counter() >= hunt_after):
                # from the open boxes, where a violation hides
                next_hunt = max(2 * next_hunt, problem.boxes + 1)
                hunt_every *= 2
                hunt_after = time.perf_counter() + hunt_every
                witness = hunter.run(min(1.0, 0.05 * time_limit), centres(queue),
                                     quasi_newton=True)
                if witness is not None:
                    return refuted(witness)
            box = queue.pop()
            problem.forget()
            problem.box_deadline = time.perf_counter() + box_seconds(time_limit)
            try:
                status, rule = decide(problem, g, box, strict, 0)
            except BoxTimeout:
                status, rule = UNDECIDED, "split"
            finally:
                problem.box_deadline = float("inf")
            if status == PROVED and not duties_defined(problem, local_duties, box, rule):
                status = UNDECIDED  # a sub-term sympy's evaluation dropped is not defined here
            if status == PROVED:
                result.leaves.append(Leaf({str(v): [sp.sstr(lo), sp.sstr(hi)]
                                           for v, (lo, hi) in zip(variables, box, strict=True)}, rule))
                continue
            if status == VIOLATED:
                for point in _points_of(variables, box):
                    witness = check(point, False)
                    if witness is not None:
                        return refuted(witness)
            if all(lo == hi for lo, hi in box):
                witness = check(dict(zip(variables, (lo for lo, _ in box), strict=True)), True)
                if witness is not None:
                    return refuted(witness)
                raise Budget(f"undecided at the point {box}"
                             + (f" ({problem.kernel.last_undefined})"
                                if problem.kernel.last_undefined else ""))
            queue.extend(_split_or_keep_open(box, open_tails, _monotone_sides(variables, rule),
                                             slope_smear(problem.kernel, g, box)))
        if open_tails:
            raise open_tails[0]
        result.verdict = Verdict.CERTIFIED
        result.forms = problem.admitted_forms()
    except _TailOpen as exc:
        result.verdict = Verdict.UNKNOWN
        result.reason = (f"{tail_reason(g, variables, exc.box, digits)}; {problem.boxes} "
                         f"boxes, the rest of the domain searched: no counterexample")
        result.leaves = []
    except Budget as exc:
        result.verdict = Verdict.UNKNOWN
        pending = queue + ([box] if box is not None else [])
        tails = sum(1 for b in pending if reaches_infinity(b))
        done = min(problem.boxes, problem.max_boxes)
        result.reason = (f"{exc} after {done} box{'es' if done != 1 else ''} "
                         + (f"({len(pending)} left open"
                            + (f", {tails} of them reaching ±∞" if tails else "") + ")"
                            if pending else "(before the domain was split: all of it open)"))
        if problem.kernel.last_undefined:
            result.reason += ("; the kernel could not show the statement defined on some "
                              f"boxes (last: {problem.kernel.last_undefined})")
        if open_tails:
            result.reason += "; also " + tail_reason(g, variables, open_tails[0].box, digits)
        result.leaves = []
    finally:
        ctx.prec = saved
    result.boxes = problem.boxes
    result.seconds = time.perf_counter() - start
    return result


def _monotone_sides(variables: Sequence[sp.Symbol], rule: str) -> frozenset[int]:
    """The sides an undecided box's rule moved to a face (``monotone: increasing in y3 → …``):
    the search then cuts the others (:func:`~fptheory.verify.splits.split_box`)."""
    names = re.findall(r"monotone: (?:strictly )?(?:in|de)creasing in (\S+)", rule)
    return frozenset(i for i, v in enumerate(variables) if v.name in names)


def _points_of(variables: Sequence[sp.Symbol], box: list[Interval]) -> list[dict[sp.Symbol, sp.Expr]]:
    """Exact candidate points of a box: its midpoint and up to 16 corners (finite points
    beyond the finite end on a side reaching ±∞)."""
    ends = [_finite_ends(lo, hi) for lo, hi in box]
    mid = [m for _, m, _ in ends]
    corners = itertools.islice(itertools.product(*[(lo, hi) for lo, _, hi in ends]), 16)
    return [dict(zip(variables, p, strict=True)) for p in [mid, *corners]]
