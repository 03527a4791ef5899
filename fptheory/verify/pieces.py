"""Statements certified as several piece statements, each with its own nested certificate
(:mod:`fptheory.verify.eliminate`, :mod:`fptheory.verify.compactify`): the search over the
pieces within a time share, and the re-check's match of the recorded pieces against the
pieces it derived again."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import sympy as sp

from fptheory.core.errors import FPTheoryError

from .claims import Verdict
from .domains import Domain
from .results import CertifyResult

__all__ = ["Piece", "certify_pieces", "matched_pieces"]

#: (role, statement, box domain, typed sub-terms that must be defined there)
Piece = tuple[str, sp.Rel, Domain, list[sp.Expr]]


def certify_pieces(search: Callable[..., Any], statement: sp.Rel, domain: Domain,
                   pieces: Sequence[Piece], until: float, options: dict[str, Any],
                   last_takes_all: bool = False,
                   refuted: Callable[[str, CertifyResult], CertifyResult | None] | None = None
                   ) -> tuple[CertifyResult, list[dict[str, Any]]] | CertifyResult | None:
    """``search`` (:func:`~fptheory.verify.certify`'s normalisations and search, with
    ``options``) on each piece in turn until the ``time.perf_counter()`` instant ``until``:
    an equal share of the time left to each piece still to come, or, with
    ``last_takes_all``, half of it to each but the last (which takes the rest). One result
    whose leaves are all the pieces' (the evidence), and the records ``{"role",
    "certificate"}``; None as soon as a piece is not certified. No piece is searched with
    another split into pieces (``split=False``). Where a piece is refuted, ``refuted``
    (its role and result) may return the statement's own refutation, returned as it is."""
    start = options["start"]
    merged = CertifyResult(sp.sstr(statement), Verdict.CERTIFIED, domain.to_dict(),
                           digits=options["digits"])
    records: list[dict[str, Any]] = []
    for k, (role, piece, box, duties) in enumerate(pieces):
        to_come = len(pieces) - k
        share = (until - time.perf_counter()) / (
            (1 if to_come == 1 else 2) if last_takes_all else to_come)
        if share < 1:
            return None
        sub = dict(options, time_limit=time.perf_counter() - start + share, duties=duties,
                   exact_faces=frozenset(options.get("exact_faces", ())) & set(box.variables),
                   check_domain=None, back=None, original=None, split=False)
        result = search(piece, box, source=None, **sub)
        if result.verdict is Verdict.REFUTED and refuted is not None:
            return refuted(role, result)
        if result.verdict is not Verdict.CERTIFIED:
            return None
        records.append({"role": role, "certificate": result.certificate()})
        merged.absorb(result)
        merged.max_depth = max(merged.max_depth, result.max_depth)
    merged.seconds = time.perf_counter() - start
    return merged, records


def matched_pieces(expected: Sequence[Piece], recorded: Any, what: str
                   ) -> list[tuple[sp.Rel, Domain, list[sp.Expr], dict[str, Any]]]:
    """For ``recheck``: (statement, box, typed sub-terms, recorded piece) for every derived
    piece, the record naming exactly those pieces, in that order, each ``{"role",
    "certificate"}`` (FPTheoryError otherwise; ``what`` names the record)."""
    roles = [role for role, _, _, _ in expected]
    if not isinstance(recorded, list) or len(recorded) != len(expected) or not all(
            isinstance(p, dict) and set(p) == {"role", "certificate"}
            and p["role"] == role for p, role in zip(recorded, roles, strict=False)):
        raise FPTheoryError(f"the {what} has the pieces {roles}, in that order, each with its "
                            "role and certificate")
    return [(piece, box, own, record)
            for (_, piece, box, own), record in zip(expected, recorded, strict=True)]
