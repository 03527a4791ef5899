"""Statements on a domain with relations between variables (x < y): one box piece per
substitution of :meth:`~fptheory.verify.domains.Domain.without_relations`, each certified by
the box search, the verdict reported in the original variables."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import sympy as sp

from .claims import Verdict
from .domains import Domain
from .results import CertifyResult

__all__ = ["certify_related"]


def certify_related(box_search: Callable[..., CertifyResult], statement: sp.Rel, domain: Domain,
                    *, start: float, duties: Sequence[sp.Expr] = (), **options: Any
                    ) -> CertifyResult:
    """:func:`~fptheory.verify.certify` on a domain with relations: substitute
    (:meth:`~fptheory.verify.domains.Domain.without_relations`), certify every box piece
    with ``box_search`` (the box search, options of :func:`~fptheory.verify.certify`), and
    report in the original variables (a witness is checked against the original statement
    and every constraint of the original domain)."""
    pieces: list[dict[str, Any]] = []
    merged: CertifyResult | None = None
    reserved = [s.name for s in statement.free_symbols]
    for box, subs in domain.without_relations(reserved):
        substituted = statement.func(statement.lhs.xreplace(subs), statement.rhs.xreplace(subs),
                                     evaluate=False)
        fresh = frozenset(box.variables) - frozenset(domain.variables)
        inner = box_search(substituted, box, start=start, exact_faces=fresh,
                             check_domain=domain, back=subs, original=statement,
                             duties=duties, **options)
        inner.substitution = {str(y): sp.sstr(e) for y, e in subs.items()}
        pieces.append({"substitution": dict(inner.substitution), "statement": inner.statement,
                       "domain": inner.domain, "max_depth": inner.max_depth,
                       "leaves": [leaf.to_dict() for leaf in inner.leaves]}
                      | ({"reduction": inner.reduction} if inner.reduction else {}))
        if merged is None:
            merged = inner
        else:
            merged.absorb(inner)
            merged.substitution.update(inner.substitution)
            if inner.verdict is not Verdict.CERTIFIED:
                inner.boxes, inner.samples = merged.boxes, merged.samples
                merged = inner
        if merged.verdict is not Verdict.CERTIFIED:
            break
    assert merged is not None
    merged.original_statement = sp.sstr(statement)
    merged.pieces = pieces if merged.verdict is Verdict.CERTIFIED else []
    merged.domain = domain.record()
    merged.seconds = time.perf_counter() - start
    return merged


