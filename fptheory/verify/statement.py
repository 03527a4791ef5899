"""One entry point for a statement typed as text: an inequality is certified on its domain
(:func:`~fptheory.verify.search.certify`), an identity ``lhs == rhs`` is checked at every
point of it (:func:`~fptheory.verify.identity.check_identity`). ``fptheory prove`` and
:func:`fptheory.prove` are this function.

>>> prove("exp(x) >= 1 + x", "-1 <= x <= 1").verdict.value
'certified'
>>> prove("sin(2*x) == 2*sin(x)*cos(x)", "x real").verdict.value
'proved'
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

from .domains import Domain, parse_statement
from .identity import IdentityResult, check_identity
from .results import CertifyResult
from .search import certify

__all__ = ["prove"]


def prove(statement: str, assume: str = "", *, max_boxes: int = 20000,
          time_limit: float = 30.0, progress: Callable[[str], None] | None = None
          ) -> CertifyResult | IdentityResult:
    """Verdict on ``statement`` (text, read by the closed grammar: decimals exact) over the
    domain ``assume`` (text for :meth:`Domain.parse`, e.g. ``"0 <= x <= pi/2, k real"``;
    empty: no bounds). ``time_limit`` is a deadline for the whole call; ``progress``
    receives status lines of a long search (:func:`~fptheory.verify.search.certify`)."""
    parsed = parse_statement(statement)
    domain = Domain.parse(assume) if assume.strip() else Domain({})
    if isinstance(parsed, sp.Eq):
        return check_identity(parsed, domain, time_limit=time_limit, max_boxes=max_boxes,
                              source=statement)
    return certify(parsed, domain, max_boxes=max_boxes, time_limit=time_limit, source=statement,
                   progress=progress)
