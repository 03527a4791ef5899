"""Sign cases of real parameters: s → ±S with S positive, so |s| and sgn(s) resolve."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

import sympy as sp

from .errors import FPTheoryError

__all__ = ["SignCase", "sign_cases", "sign_sensitive_symbols"]


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


#: Functions that are analytic in each real argument and have no branch cut or jump there:
#: an identity built from them, rational operations and integer powers reads the same for
#: every sign of a parameter, so sympy gains nothing from knowing the sign.
_SIGN_BLIND = (sp.exp, sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc,
               sp.sinh, sp.cosh, sp.tanh, sp.coth, sp.sech, sp.csch)


def sign_sensitive_symbols(expr: sp.Expr) -> set[sp.Symbol]:
    """The free symbols of ``expr`` whose sign can change how it simplifies: those inside a
    function outside :data:`_SIGN_BLIND` (|s|, sgn, Heaviside, Piecewise, log, ...) or inside
    a power whose exponent is not an integer (√(s²) = |s|). The others enter only through
    rational operations and sign-blind functions.

    >>> w, a, k = sp.symbols("w a k", real=True)
    >>> sorted(sign_sensitive_symbols(a * sp.exp(sp.I * k / w) / sp.Abs(w)), key=str)
    [w]
    >>> sorted(sign_sensitive_symbols(sp.sqrt(a**2) + k**2), key=str)
    [a]
    """
    sensitive: set[sp.Symbol] = set()
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Pow):
            if not node.exp.is_Integer:
                sensitive |= node.free_symbols
        elif isinstance(node, sp.Function) and not isinstance(node, _SIGN_BLIND):
            sensitive |= node.free_symbols
        elif not isinstance(node, (sp.Add, sp.Mul, sp.Function, sp.Atom)):
            sensitive |= node.free_symbols  # anything else (a Piecewise's pieces, relations)
    return {s for s in sensitive if isinstance(s, sp.Symbol)}
