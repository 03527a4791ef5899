r"""Both sides under one increasing function: ``exp(x) > exp(x*y/(x + y))`` is
``x > x*y/(x + y)`` wherever both sides are defined.

For f strictly increasing on the real values where it is defined — exp, log, atan, tanh,
sinh, asinh, and u^q for a rational q > 0 that is not an even integer (on u ≥ 0 where q
is not an integer, on all reals for an odd integer) — f(A) ≤ f(B) holds exactly where
A ≤ B does, at every point where f(A) and f(B) are defined (< likewise). So the statement
f(A) ⋈ f(B) is certified as A ⋈ B with f(A) and f(B) added to the sub-terms that must be
defined on every leaf (the obligations of :mod:`fptheory.verify.obligations`): on a leaf
both are defined and A ⋈ B holds, so f(A) ⋈ f(B) holds there. A counterexample of A ⋈ B
where f(A) and f(B) are defined is one of the original; where one is undefined, the
original is undefined there too. Whether the rule applies is read off the statement's
form alone; ``recheck`` derives the stripped statement and the added sub-terms again
from the certificate's statement (:func:`replay_strip`).

>>> x, y = sp.symbols("x y", real=True)
>>> statement, extra, name = strip_sides(sp.exp(x) > sp.exp(x*y/(x + y)))
>>> statement, extra, name
(x > x*y/(x + y), [exp(x), exp(x*y/(x + y))], 'exp')
>>> strip_sides(sp.cos(x) > sp.cos(y)) is None
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sympy as sp

from fptheory.core.errors import FPTheoryError

__all__ = ["strip_sides", "replay_strip"]

#: strictly increasing wherever they are real
INCREASING = (sp.exp, sp.log, sp.atan, sp.tanh, sp.sinh, sp.asinh)


def _increasing_power(q: sp.Expr) -> bool:
    return bool(q.is_Rational and q > 0 and not (q.is_Integer and q % 2 == 0))


def strip_sides(statement: sp.Rel) -> tuple[sp.Rel, list[sp.Expr], str] | None:
    """(A ⋈ B, [f(A), f(B)], the name of f) for a statement f(A) ⋈ f(B) with f strictly
    increasing (module docstring); None otherwise."""
    lhs, rhs = statement.lhs, statement.rhs
    if type(lhs) is type(rhs) and isinstance(lhs, INCREASING) and len(lhs.args) == 1 \
            and len(rhs.args) == 1:
        a, b, name = lhs.args[0], rhs.args[0], type(lhs).__name__
    elif isinstance(lhs, sp.Pow) and isinstance(rhs, sp.Pow) and lhs.exp == rhs.exp \
            and _increasing_power(lhs.exp):
        a, b, name = lhs.base, rhs.base, f"power {lhs.exp}"
    else:
        return None
    stripped = statement.func(a, b, evaluate=False)
    if not isinstance(stripped, sp.Rel) or not stripped.free_symbols:
        return None
    return stripped, [lhs, rhs], name


def replay_strip(certificate: dict[str, Any], statement: sp.Rel,
                 duties: Sequence[sp.Expr]) -> tuple[sp.Rel, list[sp.Expr]]:
    """For ``recheck``: the statement and sub-terms to replay when the certificate says its
    sides were stripped (``"strip": name``); unchanged when it does not. FPTheoryError when
    the record does not match the statement."""
    if "strip" not in certificate:
        return statement, list(duties)
    stripped = strip_sides(statement)
    if stripped is None or certificate["strip"] != stripped[2]:
        raise FPTheoryError(f"the statement's sides are not both under "
                            f"{str(certificate['strip'])[:40]!r}")
    return stripped[0], [*duties, *stripped[1]]
