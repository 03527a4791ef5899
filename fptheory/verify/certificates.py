"""Re-checking a certificate: data from someone else, parsed by a closed grammar and replayed
through the trusted kernel.

Every formula of a certificate (statement, bounds, substitutions, forms) is read by
:mod:`fptheory.core.parsing` — numbers, variables, the supported functions and
operators, nothing else; no text ever reaches ``eval``. The re-check then repeats what the
kernel decided: each admitted form's equality with the expression it rewrites is
established again (never trusted), each leaf is closed again by the rule it names through
the kernel's judgements, and the leaves must cover the domain exactly. Depth, leaf count,
digits and time are bounded, so a hostile certificate is rejected with a reason, never run
and never left hanging.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sympy as sp
from flint import ctx

from fptheory.core.errors import FPTheoryError
from fptheory.core.parsing import parse_expression, parse_number, parse_relation

from .backends import Interval, _far, _infinite
from .combine import replay_combination
from .compactify import replay_compactified
from .cover import _check_cover, _Invalid, _le
from .domains import Domain, domain_ends, own_relation, own_symbols
from .eliminate import replay_elimination
from .homogeneous import replay_largest, replay_reduction
from .kinks import MAX_KINKS, kink_cases, kink_nodes, resolve, settle_signed_variables, with_multipliers
from .limits import DeadlineExceeded, bounded, guard, tame
from .mirror import replay_even
from .obligations import obligations
from .openends import defined_off_excluded, excluded_ends, follow
from .ordered import replay_ordered
from .quotients import duties_checked_by_quotient, quotient_candidates, quotient_defined
from .search import PROVED, Budget, Problem, _excluded_face, _margin, decide
from .separable import replay_separated
from .sos import replay_sos
from .strip import replay_strip
from .symmetric import replay_symmetric
from .tangent import convex_about

__all__ = ["RecheckResult", "recheck_certificate"]

#: limits on what a certificate may ask of the re-check
MAX_LEAVES = 200_000
MAX_RULE_STEPS = 48
MAX_DIGITS = 1000
MAX_DEPTH = 8
MAX_FORMS = 2000


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


def recheck_certificate(certificate: dict[str, Any], *, time_limit: float = 600.0) -> RecheckResult:
    """Re-check a certificate written by :meth:`CertifyResult.save`: every leaf box by its
    stated rule, and that the leaves cover the domain (contained in it, interiors pairwise
    disjoint, volumes adding up exactly).

    A certificate on a domain with relations (x < y) holds one piece per box of
    :meth:`Domain.without_relations`. The pieces and their substitutions are derived again
    from the certificate's domain and must be the stored ones; each piece's statement is
    derived again from the original statement and its substitution (sympy) and must be the
    stored one; each piece's leaves are re-checked on that statement and must cover that
    piece's box. Malformed or tampered certificates are invalid with the reason; none raises.

    >>> from fptheory.verify import certify
    >>> x = sp.Symbol("x", real=True)
    >>> cert = certify(x * (1 - x) <= sp.Rational(1, 4), Domain.parse("0<=x<=1")).certificate()
    >>> bool(recheck_certificate(cert))
    True
    >>> recheck_certificate(dict(cert, leaves=[])).reason
    'the leaves do not cover the domain: their volumes add up to 0, the domain has 1 (difference -1.00)'
    """
    count = _count_leaves(certificate)
    deadline = time.perf_counter() + time_limit
    try:
        with guard(time_limit + 1.0):
            if not isinstance(certificate, dict):
                raise _Invalid("a certificate is a JSON object")
            if count > MAX_LEAVES:
                raise _Invalid(f"{count} leaves: more than the {MAX_LEAVES} a re-check accepts")
            statement = parse_relation(_text(certificate["statement"]))
            if not isinstance(statement, (sp.Le, sp.Lt, sp.Ge, sp.Gt)):
                raise _Invalid("a certificate's statement must be an inequality (<=, <, >=, >)")
            domain = _domain_from_dict(certificate["domain"])
            duties: list[sp.Expr] = []
            if "source" in certificate:
                source = _text(certificate["source"])
                if sp.sstr(parse_relation(source)) != sp.sstr(statement):
                    raise _Invalid(f"the statement {sp.sstr(statement)[:80]} is not the original "
                                   f"statement of the source text {source[:80]!r}")
                duties = obligations(source)
            _recheck_records(certificate, statement, domain, duties, deadline)
    except _Invalid as exc:
        return RecheckResult(False, str(exc), count)
    except FPTheoryError as exc:
        return RecheckResult(False, str(exc), count)
    except Budget as exc:
        return RecheckResult(False, f"re-check stopped: {exc}", count)
    except DeadlineExceeded:
        return RecheckResult(False, f"re-check stopped: time limit of {time_limit:g} s reached",
                             count)
    except (RecursionError, MemoryError):
        return RecheckResult(False, "the certificate is too deeply nested or too large", count)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, ArithmeticError) as exc:
        return RecheckResult(False, f"malformed certificate ({type(exc).__name__}: {exc})", count)
    return RecheckResult(True, "", count)


def _recheck_records(certificate: dict[str, Any], statement: sp.Rel, domain: Domain,
                     duties: list[sp.Expr], deadline: float, nested: bool = False) -> None:
    """Raise _Invalid unless the certificate's records (strip, even, symmetric, ordered,
    combination, relations' pieces, reduction, elimination, compactification) and leaves
    prove ``statement`` on ``domain`` with ``duties`` defined; ``nested``: a piece of an
    elimination or compactification, which holds no such split of its own."""
    digits, max_depth = _int(certificate["digits"]), _int(certificate["max_depth"])
    if not 5 <= digits <= MAX_DIGITS:
        raise _Invalid(f"digits {digits} out of range (5 to {MAX_DIGITS})")
    _depth(max_depth)
    forms = _forms_from(certificate.get("forms", []))
    statement, duties = replay_strip(certificate, statement, duties, domain)
    if "sos" in certificate:
        others = [k for k in ("even", "symmetric", "ordered", "combination", "pieces",
                              "reduction", "elimination", "compactified", "separated")
                  if k in certificate]
        if others or certificate["leaves"] != []:
            raise _Invalid("a sum of squares certifies the whole domain: no leaves and no "
                           f"other split ({', '.join(others) or 'leaves'} given)")
        replay_sos(statement, domain, duties, certificate["sos"])
        return
    if "even" in certificate:
        domain = replay_even(statement, domain, duties, certificate["even"])
    if "symmetric" in certificate:
        domain = replay_symmetric(statement, domain, duties, certificate["symmetric"])
    if "ordered" in certificate:
        statement, domain, duties = replay_ordered(statement, domain, duties,
                                                   certificate["ordered"])
    if "combination" in certificate:
        statement, domain, duties = replay_combination(statement, domain, duties,
                                                       certificate["combination"])
    if domain.relations:
        if any(k in certificate for k in ("elimination", "compactified", "separated")):
            raise _Invalid("a split into pieces on a domain with relations")
        _recheck_related(certificate, statement, domain, digits, forms, deadline, duties)
        return
    if "pieces" in certificate:
        raise _Invalid("pieces without relations in the domain")
    record = certificate.get("reduction")
    split = [k for k in ("elimination", "compactified", "separated") if k in certificate]
    if split:
        if nested or len(split) > 1 or record is not None or certificate["leaves"] != []:
            raise _Invalid(f"a split into pieces ({split[0]}) keeps its leaves in its pieces' "
                           "certificates, and has no reduction and no split around it")
        replay = {"elimination": replay_elimination, "compactified": replay_compactified,
                  "separated": replay_separated}[split[0]]
        for derived, box, own, piece in replay(statement, domain, duties,
                                               certificate[split[0]]):
            _recheck_piece(piece, derived, box, own, deadline)
    elif isinstance(record, dict) and "largest" in record:
        if certificate["leaves"] != []:
            raise _Invalid("a largest-variable split keeps its leaves in its pieces")
        for derived, box, own, piece in replay_largest(statement, domain, duties, record):
            _recheck_box(derived, box.intervals, piece["leaves"], digits,
                         _depth(piece["max_depth"]), forms, deadline, duties=own,
                         open_ends=box.open_ends)
    else:
        if record is not None:
            statement, domain, duties = replay_reduction(statement, domain, duties, record)
        _recheck_box(statement, domain.intervals, certificate["leaves"], digits, max_depth,
                     forms, deadline, duties=duties, open_ends=domain.open_ends)


def _recheck_piece(piece: dict[str, Any], statement: sp.Rel, box: Domain,
                   duties: list[sp.Expr], deadline: float) -> None:
    """A piece of an elimination or compactification: its certificate must state the
    derived statement on the derived box (as the parser reads both), hold no source text,
    and prove it."""
    certificate = piece["certificate"]
    if not isinstance(certificate, dict) or "source" in certificate:
        raise _Invalid(f"the {piece['role']} piece's certificate is an object without source")
    stated = parse_relation(_text(certificate["statement"]))
    if sp.sstr(stated) != sp.sstr(parse_relation(sp.sstr(statement))) or \
            _domain_from_dict(certificate["domain"]).to_dict() != box.to_dict():
        raise _Invalid(f"the {piece['role']} piece's certificate is not for "
                       f"{sp.sstr(statement)[:80]} on {box.to_dict()}")
    try:
        _recheck_records(certificate, statement, box, duties, deadline, nested=True)
    except _Invalid as exc:
        raise _Invalid(f"the {piece['role']} piece: {exc}") from None


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Invalid(f"{str(value)[:40]!r} is not an integer")
    return value


def _depth(value: Any) -> int:
    max_depth = _int(value)
    if not 0 <= max_depth <= MAX_DEPTH:
        raise _Invalid(f"max_depth {max_depth} out of range (0 to {MAX_DEPTH})")
    return max_depth


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise _Invalid(f"expected a formula as text, got {type(value).__name__}")
    return value


def _forms_from(data: Any) -> list[tuple[sp.Expr, sp.Expr, str]]:
    """The certificate's forms, parsed, each with the text of the expression it is a form
    of (their equalities are established by the kernel when the problem is built, and
    again for the expression the replay meets under that text: never read from the
    certificate)."""
    if not isinstance(data, list) or len(data) > MAX_FORMS:
        raise _Invalid("forms: expected a list of at most {MAX_FORMS} entries")
    out = []
    for entry in data:
        if not isinstance(entry, dict):
            raise _Invalid("forms: each entry is an object with 'of' and 'form'")
        out.append((parse_expression(_text(entry["of"])), parse_expression(_text(entry["form"])),
                    _text(entry["of"])))
    return out


def _count_leaves(certificate: Any, nesting: int = 0) -> int:
    """The number of leaf boxes a certificate lists, its elimination's pieces' certificates
    included (0 where it is malformed)."""
    if not isinstance(certificate, dict) or nesting > 1:
        return 0
    pieces = certificate.get("pieces")
    parts = pieces if isinstance(pieces, list) else [certificate]
    record = certificate.get("reduction")
    if isinstance(record, dict) and isinstance(record.get("pieces"), list):
        parts = parts + record["pieces"]  # (a largest-variable split)
    count = sum(len(p["leaves"]) for p in parts
                if isinstance(p, dict) and isinstance(p.get("leaves"), list))
    for record in (certificate.get(k) for k in ("elimination", "compactified", "separated")):
        if isinstance(record, dict) and isinstance(record.get("pieces"), list):
            count += sum(_count_leaves(p.get("certificate"), nesting + 1)
                         for p in record["pieces"] if isinstance(p, dict))
    return count


def _domain_from_dict(data: dict[str, Any]) -> Domain:
    """The Domain of :meth:`Domain.to_dict` (plus "relations": ["u1 < u2", ...])."""
    intervals: dict[sp.Symbol, Interval] = {}
    opens: dict[sp.Symbol, tuple[bool, bool]] = {}
    for name, entry in data.items():
        if name == "relations":
            continue
        if not isinstance(entry, list) or len(entry) not in (2, 4):
            raise _Invalid(f"domain entry for {name!r}: expected [lo, hi, lo_open, hi_open]")
        lo, hi = (_number(e) for e in entry[:2])
        closed = len(entry) == 2 or entry[2:] == [False, False]
        if not ((hi - lo).is_extended_positive or ((hi - lo).is_zero and closed)):
            raise _Invalid(f"empty interval for {name}: [{lo}, {hi}]")
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", str(name)):
            raise _Invalid(f"{str(name)[:40]!r} is not a variable name")
        v = sp.Symbol(str(name), real=True)
        intervals[v] = (lo, hi)
        if len(entry) == 4 and not all(isinstance(b, bool) for b in entry[2:]):
            raise _Invalid(f"domain entry for {name!r}: open ends are true or false")
        opens[v] = (entry[2], entry[3]) if len(entry) == 4 else (False, False)
        if (lo == -sp.oo and not opens[v][0]) or (hi == sp.oo and not opens[v][1]):
            raise _Invalid(f"domain entry for {name!r}: an infinite end is open")
    relations = []
    for text in data.get("relations", []):
        m = re.fullmatch(r"\s*([A-Za-z_]\w*)\s*(<=|<)\s*([A-Za-z_]\w*)\s*", str(text))
        if not m:
            raise _Invalid(f"relation {text!r}: expected 'x < y' or 'x <= y'")
        x, y = sp.Symbol(m.group(1), real=True), sp.Symbol(m.group(3), real=True)
        if x not in intervals or y not in intervals or x == y:
            raise _Invalid(f"relation {text!r}: needs two variables of the domain")
        relations.append((x, m.group(2) == "<", y))
    if relations and any(lo == hi for lo, hi in intervals.values()):
        raise _Invalid("a variable fixed by its bounds in a domain with relations")
    return Domain(intervals, opens, relations)


def _number(text: Any) -> sp.Expr:
    if isinstance(text, bool) or not isinstance(text, (str, int)):
        raise _Invalid(f"{str(text)[:40]!r} is not a number")
    return parse_number(str(text))


def _same(a: sp.Expr, b: sp.Expr) -> bool:
    """a = b proved: equal as written, or sympy simplifies a - b to 0."""
    if a == b:
        return True
    if _infinite(a) or _infinite(b) or not tame(a - b):
        return False
    return bool(bounded(lambda: sp.simplify(a - b) == 0, 10.0, False))


def _recheck_related(certificate: dict[str, Any], statement: sp.Rel, domain: Domain,
                     digits: int, forms: list[tuple[sp.Expr, sp.Expr, str]], deadline: float,
                     duties: Sequence[sp.Expr] = ()) -> None:
    """Raise _Invalid unless a certificate on a domain with relations holds."""
    statement = own_relation(statement, domain.variables)
    expected = domain.without_relations([s.name for s in statement.free_symbols])
    pieces = certificate.get("pieces")
    if not isinstance(pieces, list):
        raise _Invalid("a certificate on a domain with relations needs its pieces "
                       "(substitution, substituted statement and domain, leaves per piece)")
    if len(pieces) != len(expected):
        raise _Invalid(f"the relations {', '.join(map(str, certificate['domain']['relations']))} "
                       f"split the domain into {len(expected)} piece(s), the certificate has "
                       f"{len(pieces)}")
    for k, ((box, subs), piece) in enumerate(zip(expected, pieces, strict=True), start=1):
        if not isinstance(piece, dict) or not isinstance(piece.get("substitution"), dict):
            raise _Invalid(f"piece {k}: expected an object with a substitution")
        stored = {str(y): parse_expression(_text(e)) for y, e in piece["substitution"].items()}
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
        claimed = parse_relation(_text(piece["statement"]))
        if type(claimed) is not type(derived) or not (
                claimed == derived or _same(_margin(claimed), _margin(derived))):
            raise _Invalid(f"piece {k}: statement {piece['statement']} is not the original "
                           f"statement after the substitution ({sp.sstr(derived)})")
        try:
            fresh = frozenset(box.variables) - frozenset(domain.variables)
            own = [d.xreplace(subs) for d in duties]
            if "reduction" in piece:
                derived, box, own = replay_reduction(derived, box, own, piece["reduction"])
            _recheck_box(derived, box.intervals, piece["leaves"], digits,
                         _int(piece["max_depth"]), forms, deadline,
                         exact_faces=fresh & frozenset(box.variables), duties=own,
                         open_ends=box.open_ends)
        except _Invalid as exc:
            via = ", ".join(f"{y} = {e}" for y, e in subs.items()) or "no substitution"
            raise _Invalid(f"piece {k} ({via}): {exc}") from None


def _recheck_box(statement: sp.Rel, intervals: dict[sp.Symbol, Interval],
                 leaves: Sequence[dict[str, Any]], digits: int, max_depth: int,
                 forms: list[tuple[sp.Expr, sp.Expr, str]], deadline: float,
                 exact_faces: frozenset[sp.Symbol] = frozenset(),
                 duties: Sequence[sp.Expr] = (),
                 open_ends: dict[sp.Symbol, tuple[bool, bool]] | None = None) -> None:
    """Raise _Invalid unless every leaf holds by its rule and the leaves cover the box
    (``open_ends``: the domain's, for the ``open end`` rule)."""
    variables = list(intervals)
    by_name = {v.name: v for v in variables}
    strict = isinstance(statement, (sp.Lt, sp.Gt))
    g = _margin(statement)  # (xreplace on the relation itself would evaluate exp(-x) >= 0)
    g = own_symbols(g, variables)
    missing = sorted(s.name for s in g.free_symbols if s.name not in by_name)
    if missing:
        raise _Invalid(f"no domain for {', '.join(missing)}")
    g = settle_signed_variables(g, intervals)  # as the search did: |v| = ±v by v's exact ends
    if not isinstance(leaves, list):
        raise _Invalid("leaves: expected a list")
    if not 0 <= max_depth <= MAX_DEPTH:
        raise _Invalid(f"max_depth {max_depth} out of range (0 to {MAX_DEPTH})")
    far = any(_infinite(e) for side in intervals.values() for e in side)
    # the same problem as certify's, replayed: no new forms, only the certificate's, each
    # admitted again by the kernel
    problem = Problem(g, strict, variables, digits, deadline, 10**9, max_depth=max_depth,
                      exact_faces=exact_faces,
                      far=_far(variables, [intervals[v] for v in variables]),
                      propose_forms=False, excluded=excluded_ends(intervals, open_ends or {}),
                      face_ends=domain_ends(intervals))
    duties = [settle_signed_variables(own_symbols(d, variables), intervals)
              for d in duties]  # as the search did
    problem.duties = list(duties)
    for of, form, text in forms:
        of, form = own_symbols(of, variables), own_symbols(form, variables)
        if of.free_symbols <= set(variables) and form.free_symbols <= set(variables):
            if not problem.kernel.admit(of, form, 10.0):
                raise _Invalid(f"form {sp.sstr(form)[:80]} is not shown equal to "
                               f"{sp.sstr(of)[:80]}")
            # the search printed the expression it met; read back, -(a + b)·c may be built
            # as (-a - b)·c: the replay meets the search's own, under the same text
            problem.kernel.by_text.setdefault(text, []).append(form)
    boxes = []
    for n, leaf in enumerate(leaves, start=1):
        if not isinstance(leaf, dict) or not isinstance(leaf.get("box"), dict):
            raise _Invalid(f"leaf {n}: expected an object with a box")
        if set(leaf["box"]) != {v.name for v in variables}:
            raise _Invalid(f"leaf {n}: its box names {sorted(map(str, leaf['box']))}, the "
                           f"domain {sorted(v.name for v in variables)}")
        box = [tuple(_number(e) for e in leaf["box"][v.name]) for v in variables]
        if any(len(side) != 2 for side in box):
            raise _Invalid(f"leaf {n}: each side is [lo, hi]")
        for v, (lo, hi) in zip(variables, box, strict=True):
            dlo, dhi = intervals[v]
            if not (_le(dlo, lo) and _le(lo, hi) and _le(hi, dhi)):
                raise _Invalid(f"leaf {n}: [{lo}, {hi}] for {v} is not inside [{dlo}, {dhi}]")
        boxes.append(box)
    saved = ctx.prec
    ctx.prec = int(digits * 3.33) + 30
    try:
        for n, (leaf, box) in enumerate(zip(leaves, boxes, strict=True), start=1):
            why = _check_rule(problem, g, box, strict, _text(leaf["rule"]), 0)
            if not why and not duties_checked_by_quotient(_text(leaf["rule"])):
                for d in duties:
                    moved = follow(_text(leaf["rule"]), [d], variables, box, problem.excluded)
                    if moved is None or not defined_off_excluded(
                            problem.kernel, moved[0][0], variables, moved[1], moved[3],
                            open_walk=True):
                        why = f"the sub-term {sp.sstr(d)[:60]} is not shown defined on the box"
                        break
            if why:
                raise _Invalid(f"leaf {n} {leaf['box']}: rule {leaf['rule']!r} fails ({why})")
    finally:
        ctx.prec = saved
    _check_cover(boxes, [intervals[v] for v in variables], far)


def _check_rule(p: Problem, expr: sp.Expr, box: list[Interval], strict: bool, rule: str,
                depth: int) -> str:
    """'' when ``rule`` (as the search writes it) closes expr ≥ 0 (> 0) on the box by the
    kernel's judgements, else why not. A monotone step needs the kernel's C¹ judgement,
    re-proves the sign of the derivative on the whole box (closed by kernel judgements) and
    goes on to the face with the rest of the rule."""
    if rule.count("→") > MAX_RULE_STEPS:
        return f"more than {MAX_RULE_STEPS} steps"
    head, _, rest = rule.partition(" → ")
    whole = {  # judgements that close the box at once: (judgement, what failed)
        "interval": (lambda: p.kernel.interval(expr, box, strict, also_extended=bool(p.far)),
                     "the enclosure", "the expression is not shown defined on the box"),
        "centered": (lambda: p.kernel.centered(expr, box, strict),
                     "the mean-value form", "the expression is not shown C¹ on the box"),
        "affine": (lambda: p.kernel.affine(expr, box, strict), "the affine form",
                   "a function's argument is not shown inside its domain on the box"),
        "quadratic": (lambda: p.kernel.quadratic(expr, box, strict), "the second- or third-order model",
                      "a function's argument is not shown inside its domain on the box"),
        "sign off excluded ends": (lambda: p.kernel.open_sign(expr, box, p.excluded),
                                   "the sign by parts", "not defined on the closed box"),
        "interval off excluded ends": (
            lambda: p.kernel.open_interval(expr, box, strict, p.excluded), "the open walk",
            "a pole is not shown off the excluded ends")}
    if head in whole:
        if rest:
            return f"nothing follows {head!r}"
        judgement, form, unless = whole[head]
        return "" if judgement() else \
            f"{form} is not {'>' if strict else '≥'} 0 (or {unless})"
    taylor = re.fullmatch(r"taylor (\d{1,2}) in ([A-Za-z][A-Za-z0-9_]*)"
                          r"(?: at its (low|high) end)?", head)
    if taylor:
        names = [v.name for v in p.variables]
        if rest or taylor.group(2) not in names:
            return f"{head!r}: nothing may follow it, and its variable must be the problem's"
        v, end = p.variables[names.index(taylor.group(2))], taylor.group(3)
        i = p.variables.index(v)
        excluded = p.excluded.get(v, (None, None))[0 if end == "low" else 1]
        at_excluded = excluded is not None and excluded == box[i][0 if end == "low" else 1]
        return "" if p.kernel.taylor(expr, box, strict, v, int(taylor.group(1)), end,
                                     at_excluded) else \
            "the Taylor enclosure is not " + (">" if strict else "≥") + " 0 (or the " \
            "expression is not shown analytic on the box)"
    if head in ("point", "exact zero"):
        if rest or not all(lo == hi for lo, hi in box):
            return f"'{head}' needs a point"
        got = p.kernel.point(expr, box, strict)
        return "" if got == head else f"at the point: {got or 'not decided'}"
    if head.startswith(("open end: ", "inverted tail: ", "root end")):
        moved = follow(head, [expr], p.variables, box, p.excluded)
        if moved is None or moved[2] or not rest:
            return f"{head!r} does not apply to this box (its end is not an excluded end)"
        with p.excluding(moved[3]):
            return _check_rule(p, moved[0][0], moved[1], strict, rest, depth)
    second = re.fullmatch(r"second order at corner (\d{1,2})", head)
    if second:
        if rest or strict or depth != 0:
            return f"{head!r}: only a whole ≥ statement's leaf, with nothing after it"
        return "" if p.kernel.second_order(expr, box, int(second.group(1))) else \
            "not an exact zero with a zero gradient there, or the Hessian enclosure is " \
            "not shown positive semidefinite (Gershgorin, or Sylvester's minors)"
    if head == "quotient":
        return _check_quotient(p, expr, box, strict, rest, depth)
    about = re.fullmatch(r"convex in ([A-Za-z][A-Za-z0-9_]*) about ([A-Za-z][A-Za-z0-9_]*)", head)
    if about:
        names = [v.name for v in p.variables]
        if rest or not {about.group(1), about.group(2)} <= set(names) or \
                about.group(1) == about.group(2):
            return f"{head!r}: two different variables of the problem, nothing after it"
        return convex_about(p, expr, box, strict, names.index(about.group(1)),
                            names.index(about.group(2)), depth, decide, PROVED)
    every = re.fullmatch(r"kink (\d{1,2}): every case(?: with multipliers "
                         r"(\d{1,12}(?:/\d{1,4})?(?:, \d{1,12}(?:/\d{1,4})?){0,7}))?", head)
    if every:
        return _check_every_case(p, expr, box, strict, int(every.group(1)), rest, depth,
                                 every.group(2))
    kink = re.fullmatch(r"kink (\d{1,2}): case (\d{1,2})", head)
    if kink:
        return _check_kink(p, expr, box, strict, int(kink.group(1)), int(kink.group(2)),
                           rest, depth)
    m = re.fullmatch(r"monotone: (strictly )?(increasing|decreasing) in ([A-Za-z][A-Za-z0-9_]*)"
                     r"( off its excluded end)?", head)
    if not m or not rest or bool(m.group(1)) != bool(m.group(4)):
        return f"unknown rule {head[:60]!r}"
    open_face = bool(m.group(1))
    m = re.fullmatch(r"(?:strictly )?(increasing|decreasing) in ([A-Za-z][A-Za-z0-9_]*)"
                     r"(?: off its excluded end)?", head[len("monotone: "):])
    names = [v.name for v in p.variables]
    if m.group(2) not in names:
        return f"no variable {m.group(2)}"
    if depth + 1 > p.max_depth:
        return "deeper than the certificate's max_depth"
    i = names.index(m.group(2))
    lo, hi = box[i]
    if lo == hi:
        return f"{m.group(2)} is already fixed"
    v = p.variables[i]
    sign = 1 if m.group(1) == "increasing" else -1
    if not open_face and p.kernel.partial_sign(expr, box, i) == sign:
        face = list(box)
        face[i] = (lo, lo) if sign == 1 else (hi, hi)
        return _check_rule(p, expr, face, strict, rest, depth)
    if not p.kernel.c1(expr, v, box):
        return f"not shown continuously differentiable in {v} on the box"
    if open_face and not (strict and _excluded_face(p, v, lo if sign == 1 else hi, sign)):
        return f"the face of {v} is not an excluded end of the domain (or nothing is strict)"
    status, _ = decide(p, sign * p.kernel.derivative(expr, v), box, open_face, depth + 1)
    if status != PROVED:
        return f"not {m.group(1)} in {m.group(2)} (the derivative's sign is not certified)"
    face = list(box)
    face[i] = (lo, lo) if sign == 1 else (hi, hi)
    return _check_rule(p, expr, face, strict and not open_face, rest, depth)


def _check_kink(p: Problem, expr: sp.Expr, box: list[Interval], strict: bool, i: int, k: int,
                rest: str, depth: int) -> str:
    """'' when the i-th kinked node's k-th case holds on the box (each condition closed
    ≥ 0 again by the kernel's judgements) and the rest of the rule closes expr with the node
    replaced (:mod:`fptheory.verify.kinks`)."""
    nodes = kink_nodes(expr)
    if not rest:
        return "nothing follows the kink"
    if i >= min(len(nodes), MAX_KINKS) or depth + 1 > p.max_depth:
        return f"no kinked node {i}, or deeper than the certificate's max_depth"
    cases = kink_cases(nodes[i])
    if k >= len(cases):
        return f"no case {k} of {sp.sstr(nodes[i])[:60]}"
    conditions, replacement = cases[k]
    smoother = resolve(expr, nodes[i], replacement)
    if len(kink_nodes(smoother)) >= len(nodes):
        return "the case does not remove a kinked node"
    for c in conditions:
        if decide(p, c, box, False, depth + 1)[0] != PROVED:
            return f"the case's condition {sp.sstr(c)[:60]} >= 0 is not certified on the box"
    return _check_rule(p, smoother, box, strict, rest, depth)


def _branches(text: str) -> list[str] | None:
    """The top-level ``⟨…⟩`` groups of text separated by single spaces (None when text is
    not exactly such a list)."""
    out, level, start = [], 0, 0
    for n, ch in enumerate(text):
        if ch == "⟨":
            if level == 0:
                if text[start:n].strip():
                    return None
                start = n + 1
            level += 1
        elif ch == "⟩":
            level -= 1
            if level < 0:
                return None
            if level == 0:
                out.append(text[start:n])
                start = n + 1
    return out if level == 0 and not text[start:].strip() and out else None


def _check_every_case(p: Problem, expr: sp.Expr, box: list[Interval], strict: bool, i: int,
                      rest: str, depth: int, multipliers: str | None = None) -> str:
    """'' when expr closes on the box with the i-th kinked node replaced by each of its
    cases, branch k by the k-th ⟨rule⟩ (at every point the node equals one case's
    replacement, so expr equals one of the closed expressions there); with multipliers,
    s_k − λ_k·c_k (:func:`~fptheory.verify.kinks.with_multipliers`)."""
    nodes = kink_nodes(expr)
    if i >= min(len(nodes), MAX_KINKS) or depth + 1 > p.max_depth:
        return f"no kinked node {i}, or deeper than the certificate's max_depth"
    cases = kink_cases(nodes[i])
    branches = _branches(rest)
    if branches is None or len(branches) != len(cases):
        return f"'every case' needs one ⟨rule⟩ for each of the {len(cases)} cases"
    smoother = [resolve(expr, nodes[i], replacement) for _, replacement in cases]
    if any(len(kink_nodes(s)) >= len(nodes) for s in smoother):
        return "the case does not remove a kinked node"
    if multipliers is not None:
        lambdas = [sp.Rational(t) for t in multipliers.split(", ")]
        if len(lambdas) != len(cases) or any(len(c) != 1 or not p.kernel.defined(c[0], box)
                                             for c, _ in cases):
            return "multipliers need one λ and one condition per case, shown defined on the box"
        smoother = with_multipliers(cases, smoother, lambdas)
    for k, (s, branch) in enumerate(zip(smoother, branches, strict=True)):
        why = _check_rule(p, s, box, strict, branch, depth + 1)
        if why:
            return f"case {k}: {why}"
    return ""


def _check_quotient(p: Problem, expr: sp.Expr, box: list[Interval], strict: bool, rest: str,
                    depth: int) -> str:
    """'' when an admitted form N/D of expr (or (-N)/(-D)) has N closed ≥ 0 (> 0 if strict)
    by the first branch and D closed > 0 by the second, and expr is defined on the box
    less the excluded ends, or wherever D ≠ 0 (:mod:`fptheory.verify.quotients`)."""
    branches = _branches(rest)
    if branches is None or len(branches) != 2:
        return "'quotient' needs two rules, ⟨numerator⟩ ⟨denominator⟩"
    if depth + 1 > p.max_depth:
        return "deeper than the certificate's max_depth"
    for parts in quotient_candidates(p.kernel, expr):
        if not quotient_defined(p, expr, parts[1], box, depth):
            continue
        for n, d in (parts, (-parts[0], -parts[1])):
            if not _check_rule(p, n, box, strict, branches[0], depth + 1) and \
                    not _check_rule(p, d, box, True, branches[1], depth + 1):
                return ""
    return ("no admitted quotient form closes with these rules (or the expression is not "
            "shown defined where its denominator is not 0)")
