r"""A polynomial margin on the whole of ℝⁿ as statements on the box [−1, 1]ⁿ: no box of the
plain search closes a side reaching ±∞ where the leading terms cancel against the rest
(x⁴ + y⁴ + z⁴ + 1 − 4xyz ≥ 0, an SOS example of HOL Light), but every point of ℝⁿ lies in
the middle box or, seen from its largest coordinate, in a compact box too.

Let p be a polynomial of even total degree d in x₁, …, xₙ, every variable on (−∞, ∞). A
point x either has every |x_j| ≤ 1 — it lies in the *middle* box [−1, 1]ⁿ — or has a
largest coordinate |x_i| > 1. Then t = 1/x_i ∈ [−1, 1] \ {0} and u_j = x_j/x_i ∈ [−1, 1],
and p(x) = t^(−d)·q_i(u, t) with the polynomial

    q_i = x_i^d · p(x₁/x_i, …, 1/x_i, …, xₙ/x_i)   (written in the same names: x_i for t),

expanded exactly. As t^(−d) > 0 (d even), p(x) ≥ 0 (> 0) wherever p ≥ 0 (> 0) on the
middle box and every q_i ≥ 0 (> 0) on [−1, 1]ⁿ with x_i ≠ 0 — the *tail* pieces, one per
variable (for a strict statement, two per variable, x_i's side [−1, 0) and (0, 1] with
0 excluded: at t = 0, q_i is p's leading form, which may vanish). Each piece is a box
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

from .domains import Domain, margin, own_relation, own_symbols
from .limits import bounded, manageable
from .pieces import Piece, certify_pieces, matched_pieces
from .results import CertifyResult

__all__ = ["polynomial_degree", "compactified_pieces", "certify_compactified",
           "replay_compactified"]

#: at most this many variables, and this total degree, in a margin compactified
MAX_VARIABLES = 4
MAX_DEGREE = 16


def polynomial_degree(g: sp.Expr, domain: Domain, duties: Sequence[sp.Expr] = ()) -> int | None:
    """The even total degree d ≥ 2 of g where it is a polynomial with rational coefficients
    in the domain's variables, every one of them on (−∞, ∞) with no relation between them,
    and every typed sub-term a polynomial too (defined everywhere); else None."""
    variables = domain.variables
    if domain.relations or not 1 <= len(variables) <= MAX_VARIABLES or any(
            domain.intervals[v] != (-sp.oo, sp.oo) for v in variables) or not manageable(g):
        return None
    for e in (g, *duties):
        if not (e.is_polynomial(*variables) and e.free_symbols <= set(variables)
                and all(c.is_Rational for c in sp.Poly(e, *variables).coeffs())):
            return None
    d = sp.Poly(g, *variables).total_degree()
    return d if d >= 2 and d % 2 == 0 and d <= MAX_DEGREE else None


def compactified_pieces(statement: sp.Rel, domain: Domain, duties: Sequence[sp.Expr]
                        ) -> list[Piece]:
    """(role, statement, box, typed sub-terms) of the middle box and the tails (module
    docstring); FPTheoryError where :func:`polynomial_degree` refuses the margin."""
    g, strict = margin(statement), isinstance(statement, (sp.Lt, sp.Gt))
    d = polynomial_degree(g, domain, duties)
    if d is None:
        raise FPTheoryError("not a polynomial margin of even degree on the whole of ℝⁿ")
    variables = domain.variables
    relation = sp.Gt if strict else sp.Ge
    one = sp.Integer(1)
    square = {v: (-one, one) for v in variables}
    out: list[Piece] = [("middle", relation(sp.expand(g), 0, evaluate=False),
                         Domain(dict(square)), [])]
    for v in variables:
        q = sp.expand(v**d * g.xreplace({w: (w / v if w != v else 1 / v) for w in variables}))
        tail = relation(q, 0, evaluate=False)
        if not strict:
            out.append((f"tail {v}", tail, Domain(dict(square)), []))
            continue
        for sign, side, opens in (("<0", (-one, sp.Integer(0)), (False, True)),
                                  (">0", (sp.Integer(0), one), (True, False))):
            out.append((f"tail {v} {sign}", tail, Domain(square | {v: side}, {v: opens}), []))
    return out


def certify_compactified(search: Callable[..., Any], statement: sp.Rel, domain: Domain,
                         **options: Any) -> CertifyResult | None:
    """``search`` (:func:`~fptheory.verify.certify`'s normalisations and search, its
    options) on every piece, an equal share each of three quarters of the time left; one
    result whose leaves are all the pieces' (the evidence), each piece's own certificate in
    its record; None where the margin is not such a polynomial or a piece is not certified."""
    start, limit = options["start"], options["time_limit"]
    left = start + limit - time.perf_counter()
    duties = list(options.get("duties", ()))
    if left < 3 or options.get("back") is not None or bounded(
            lambda: polynomial_degree(margin(statement), domain, duties), 2.0, None) is None:
        return None
    pieces = compactified_pieces(statement, domain, duties)
    done = certify_pieces(search, statement, domain, pieces,
                          time.perf_counter() + 3 * left / 4, options)
    if done is None:
        return None
    merged, records = done
    merged.compactified = {"pieces": records}
    return merged


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
