"""Sign cases of real parameters: s → ±S with S positive, so |s| and sgn(s) resolve."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

import sympy as sp

from .errors import FPTheoryError

__all__ = ["SignCase", "sign_cases"]


@dataclass(frozen=True)
class SignCase:
    """One sign case: ``substitution`` s → ±S, ``back`` S → |s|, and a readable label."""

    label: str
    substitution: dict[sp.Symbol, sp.Expr]
    back: dict[sp.Symbol, sp.Expr]


def sign_cases(symbols: Iterable[sp.Symbol], max_symbols: int | None = None,
               *, with_zero: bool = False) -> list[SignCase]:
    """Every sign combination of the symbols whose sign sympy does not know; with
    ``with_zero`` also s = 0 for each (an identity proved only for s > 0 and s < 0 says
    nothing at 0, where sign, Heaviside and 0**|s| jump).

    >>> [c.label for c in sign_cases(sp.symbols("w a", real=True))]
    ['a > 0, w > 0', 'a > 0, w < 0', 'a < 0, w > 0', 'a < 0, w < 0']
    >>> [c.label for c in sign_cases([sp.Symbol("x", real=True)], with_zero=True)]
    ['x > 0', 'x < 0', 'x = 0']
    """
    free = sorted((s for s in set(symbols) if s.is_positive is None and s.is_negative is None),
                  key=lambda s: s.name)
    if max_symbols is not None and len(free) > max_symbols:
        raise FPTheoryError(f"too many parameters of unknown sign ({len(free)} > {max_symbols})")
    positive = {s: sp.Symbol(s.name, positive=True) for s in free}
    back = {positive[s]: sp.Abs(s) for s in free}
    cases = []
    for signs in itertools.product((1, -1, 0) if with_zero else (1, -1), repeat=len(free)):
        pairs = list(zip(free, signs, strict=True))
        label = ", ".join(f"{s} {'>' if sign > 0 else '<' if sign < 0 else '='} 0"
                          for s, sign in pairs)
        cases.append(SignCase(label or "no sign cases",
                              {s: sign * positive[s] for s, sign in pairs}, back))
    return cases
