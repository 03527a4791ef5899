r"""A polynomial margin on the whole of ℝⁿ as statements on the box [−1, 1]ⁿ: no box of the
plain search closes a side reaching ±∞ where the leading terms cancel against the rest
(x⁴ + y⁴ + z⁴ + 1 − 4xyz ≥ 0, an SOS example of HOL Light), but every point of ℝⁿ lies in
the middle box or, seen from its largest coordinate, in a compact box too.

Let p be a polynomial of even total degree d in x₁, …, xₙ, every variable on (−∞, ∞) (or
on the half-line [0, ∞): :func:`compactified_pieces` says how its sides follow). A
point x either has every |x_j| ≤ 1 — it lies in the *middle* box [−1, 1]ⁿ — or has a
largest coordinate |x_i| > 1. Then t = 1/x_i ∈ [−1, 1] \ {0} and u_j = x_j/x_i ∈ [−1, 1],
and p(x) = t^(−d)·q_i(u, t) with the polynomial

    q_i = x_i^d · p(x₁/x_i, …, 1/x_i, …, xₙ/x_i)   (written in the same names: x_i for t),

expanded exactly. As t^(−d) > 0 (d even), p(x) ≥ 0 (> 0) wherever p ≥ 0 (> 0) on the
middle box and every q_i ≥ 0 (> 0) on [−1, 1]ⁿ with x_i ≠ 0 — the *tail* pieces, one per
variable (for a strict statement, two per variable, x_i's side [−1, 0) and (0, 1] with
0 excluded: at t = 0, q_i is p's leading form, which may vanish). A homogeneous p (every
term of degree d) needs no middle box when the statement is not strict: every x ≠ 0 has
p(x) = x_i^d·p(x/x_i) for its largest coordinate x_i, and q_i = p(x₁, …, 1, …, xₙ) there,
free of x_i; p(0) = 0. Each piece is a box
statement certified by the ordinary search with its own certificate; ``recheck`` derives the
pieces again from the certificate's statement and domain (the expansion is exact sympy
arithmetic on rationals) and re-checks each (:func:`replay_compactified`).

>>> x, y = sp.symbols("x y", real=True)
>>> dom = Domain.parse("x real, y real")
>>> for role, s, box, _ in compactified_pieces(sp.Ge(x**2 - x*y + y**2 - 1 + x, -2), dom, []):
...     print(role, "|", s, "|", box.to_dict()["y"])
middle | x**2 - x*y + x + y**2 + 1 >= 0 | ['-1', '1', False, False]
tail x | x**2 + x + y**2 - y + 1 >= 0 | ['-1', '1', False, False]
tail y | x**2 + x*y - x + y**2 + 1 >= 0 | ['-1', '1', False, False]
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import sympy as sp

from fptheory.core.errors import FPTheoryError
from fptheory.core.parsing import parse_number

from .claims import Verdict
from .domains import Domain, margin, own_relation, own_symbols
from .limits import bounded, manageable
from .pieces import Piece, certify_pieces, matched_pieces
from .results import CertifyResult, report_refutation
from .witness import find_witness

__all__ = ["polynomial_degree", "compactified_pieces", "certify_compactified",
           "replay_compactified"]

#: at most this many variables, and this total degree, in a margin compactified
MAX_VARIABLES = 4
MAX_DEGREE = 16


def _half_line(domain: Domain, v: sp.Symbol) -> bool:
    return domain.intervals[v] == (0, sp.oo)


def polynomial_degree(g: sp.Expr, domain: Domain, duties: Sequence[sp.Expr] = ()) -> int | None:
    """The even total degree d ≥ 2 of g where it is a polynomial with rational coefficients
    in the domain's variables, every one of them on (−∞, ∞) or on the half-line [0, ∞) (0
    included or not) with no relation between them, and every typed sub-term a polynomial
    too (defined everywhere); else None."""
    variables = domain.variables
    if domain.relations or not 1 <= len(variables) <= MAX_VARIABLES or any(
            domain.intervals[v] != (-sp.oo, sp.oo) and not _half_line(domain, v)
            for v in variables) or not manageable(g):
        return None
    polynomials = []
    for e in (g, *duties):
        if not (manageable(e) and e.is_polynomial(*variables) and e.free_symbols <= set(variables)):
            return None
        polynomials.append(sp.Poly(e, *variables))
        if not all(c.is_Rational for c in polynomials[-1].coeffs()):
            return None
    d = polynomials[0].total_degree()
    return d if d >= 2 and d % 2 == 0 and d <= MAX_DEGREE else None


def _unit_side(domain: Domain, w: sp.Symbol, negative: bool = False
               ) -> tuple[tuple[sp.Expr, sp.Expr], tuple[bool, bool]]:
    """w's side in a piece: [−1, 1] for a variable on the whole line; for one on a half-line,
    [0, 1], or [−1, 0] where it is divided by a negative largest coordinate, 0 excluded
    where the domain excludes it."""
    one, zero = sp.Integer(1), sp.Integer(0)
    if not _half_line(domain, w):
        return (-one, one), (False, False)
    excluded = domain.open_ends.get(w, (False, True))[0]
    return ((-one, zero), (False, excluded)) if negative else ((zero, one), (excluded, False))


def compactified_pieces(statement: sp.Rel, domain: Domain, duties: Sequence[sp.Expr]
                        ) -> list[Piece]:
    """(role, statement, box, typed sub-terms) of the middle box and the tails (module
    docstring); FPTheoryError where :func:`polynomial_degree` refuses the margin. A tail
    x_i is one piece where x_i lies on a half-line (t ∈ (0, 1]) or, for a statement that
    is not strict, where no variable does (t ∈ [−1, 1]); else two, t < 0 and t > 0, with
    t = 0 excluded when strict, and every half-line variable's ratio on the side of t's sign."""
    g, strict = margin(statement), isinstance(statement, (sp.Lt, sp.Gt))
    d = polynomial_degree(g, domain, duties)
    if d is None:
        raise FPTheoryError("not a polynomial margin of even degree on the whole space "
                            "(every variable on the whole line or on [0, ∞))")
    variables = domain.variables
    relation = sp.Gt if strict else sp.Ge
    one, zero = sp.Integer(1), sp.Integer(0)
    halves = any(_half_line(domain, v) for v in variables)

    def box(negative: bool = False, largest: sp.Symbol | None = None,
            side: tuple[sp.Expr, sp.Expr] = (-one, one), ends: tuple[bool, bool] = (False, False)
            ) -> Domain:
        """The piece's box: ``largest``'s side as given (t = 1/x_i), the others' by
        :func:`_unit_side`."""
        parts = {w: (side, ends) if w == largest else _unit_side(domain, w, negative)
                 for w in variables}
        return Domain({w: s for w, (s, _) in parts.items()},
                      {w: e for w, (_, e) in parts.items()})

    homogeneous = not strict and sp.Poly(g, *variables).is_homogeneous
    out: list[Piece] = [] if homogeneous else [
        ("middle", relation(sp.expand(g), 0, evaluate=False), box(), [])]
    for v in variables:
        q = sp.expand(v**d * g.xreplace({w: (w / v if w != v else 1 / v) for w in variables}))
        tail = relation(q, 0, evaluate=False)
        if _half_line(domain, v):
            out.append((f"tail {v}", tail, box(largest=v, side=(zero, one), ends=(strict, False)),
                        []))
        elif not strict and not halves:
            out.append((f"tail {v}", tail, box(), []))
        else:
            for sign, side, ends, negative in (("<0", (-one, zero), (False, strict), True),
                                               (">0", (zero, one), (strict, False), False)):
                out.append((f"tail {v} {sign}", tail, box(negative, v, side, ends), []))
    return out


def certify_compactified(search: Callable[..., Any], statement: sp.Rel, domain: Domain,
                         **options: Any) -> CertifyResult | None:
    """``search`` (:func:`~fptheory.verify.certify`'s normalisations and search, its
    options) on every piece, an equal share each of three quarters of the time left; one
    result whose leaves are all the pieces' (the evidence), each piece's own certificate in
    its record; the statement's refutation where a refuted piece's point stands for one
    (:func:`_refutation`); else None (not such a polynomial, or a piece not certified)."""
    start, limit = options["start"], options["time_limit"]
    left = start + limit - time.perf_counter()
    duties = list(options.get("duties", ()))
    if left < 3 or options.get("back") is not None or bounded(
            lambda: polynomial_degree(margin(statement), domain, duties), 2.0, None) is None:
        return None
    pieces = compactified_pieces(statement, domain, duties)

    def refuted(role: str, result: CertifyResult) -> CertifyResult | None:
        return _refutation(statement, domain, duties, role, result, options)
    done = certify_pieces(search, statement, domain, pieces,
                          time.perf_counter() + 3 * left / 4, options, refuted=refuted)
    if not isinstance(done, tuple):
        return done
    merged, records = done
    merged.compactified = {"pieces": records}
    return merged


def _refutation(statement: sp.Rel, domain: Domain, duties: Sequence[sp.Expr], role: str,
                piece: CertifyResult, options: dict[str, Any]) -> CertifyResult | None:
    """The statement's own refutation at the point of the domain a refuted piece's
    counterexample stands for (the same point in the middle box; x_i = 1/t and
    x_j = u_j/t in x_i's tail), checked exactly against the statement and its domain
    (:func:`~fptheory.verify.witness.find_witness`); None where there is none (t = 0)."""
    exact = piece.counterexample_exact
    variables = domain.variables
    if not exact or any(v.name not in exact for v in variables):
        return None
    point = {v: parse_number(exact[v.name]) for v in variables}
    if role != "middle":
        v = next(w for w in variables if w.name == role.split()[1])
        t = point[v]
        if t == 0:
            return None
        point = {w: (1 / t if w == v else point[w] / t) for w in variables}
    strict, digits = isinstance(statement, (sp.Lt, sp.Gt)), options["digits"]
    witness = find_witness(margin(statement), strict, domain, point,
                           [*duties, statement.lhs, statement.rhs], digits)
    if witness is None:
        return None
    out = CertifyResult(sp.sstr(statement), Verdict.UNKNOWN, domain.to_dict(), digits=digits)
    report_refutation(out, witness, statement.lhs, statement.rhs, digits)
    out.boxes, out.samples = piece.boxes, piece.samples
    out.seconds = time.perf_counter() - options["start"]
    return out


def replay_compactified(statement: sp.Rel, domain: Domain, duties: Sequence[sp.Expr],
                        record: Any) -> list[tuple[sp.Rel, Domain, list[sp.Expr], dict[str, Any]]]:
    """For ``recheck``: (statement, box, typed sub-terms, recorded piece) for every piece,
    derived again from the certificate's statement and domain; the record must name
    exactly those pieces, in that order (FPTheoryError with the reason otherwise)."""
    if not isinstance(record, dict) or set(record) != {"pieces"}:
        raise FPTheoryError("a compactification record holds its pieces only")
    statement = own_relation(statement, domain.variables)
    duties = [own_symbols(d, domain.variables) for d in duties]
    return matched_pieces(compactified_pieces(statement, domain, duties), record["pieces"],
                          "compactification")
