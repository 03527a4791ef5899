r"""Definedness obligations of a statement as the user typed it.

sympy evaluates while it builds: ``sqrt(x)**2`` becomes ``x``, ``log(x) - log(x)`` becomes
``0``, ``x/x`` becomes ``1``. The statement a user typed, ``sqrt(x)**2 >= -1`` on
[-1, 1], is not real for x < 0, but the expression sympy hands on has forgotten it. So the
typed text is read once more, sub-term by sub-term: every call ``f(...)``, every divisor of
``/`` and every power ``a**b`` whose exponent is not a non-negative integer literal becomes
an *obligation*, a sympy expression that must itself be defined (real and finite) wherever
the statement is claimed. The kernel walks the obligations on every leaf box, as it walks
the statement; a witness where one is undefined refutes the statement.

>>> [sp.sstr(o) for o in obligations("sqrt(x)**2 >= -1")]
['sqrt(x)']
>>> [sp.sstr(o) for o in obligations("x/x <= 1")]
['1/x']
"""

from __future__ import annotations

import ast

import sympy as sp

from fptheory.core.errors import FPTheoryError
from fptheory.core.parsing import parse_expression

__all__ = ["obligations", "MAX_OBLIGATIONS"]

#: at most this many sub-terms are kept (a longer statement is refused)
MAX_OBLIGATIONS = 500

_ALWAYS_DEFINED = (sp.Symbol, sp.Number, sp.NumberSymbol)


def obligations(text: str) -> list[sp.Expr]:
    """The sub-terms of ``text`` (a statement or an expression, already accepted by the safe
    parser) that must be defined wherever it is: calls, divisors (as 1/divisor) and
    non-integer powers, each parsed by the safe parser, without duplicates and without the
    ones that are defined everywhere by their form (numbers, symbols, polynomials)."""
    text = text.replace("^", "**")  # as the parser reads it (sympy's convert_xor)
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise FPTheoryError(f"cannot parse {text[:60]!r}") from None
    found: list[sp.Expr] = []

    def segment(node: ast.AST) -> sp.Expr:
        source = ast.get_source_segment(text.strip(), node)
        if source is None:
            raise FPTheoryError(f"cannot read a sub-term of {text[:60]!r}")
        return parse_expression(source)

    def add(e: sp.Expr) -> None:
        if (e.has(sp.I) or (e.is_number and e.is_extended_real is False)) and sp.I not in found:
            found.append(sp.I)  # a non-real value as typed, (-3/7)**0.5 under a cos included
            return
        if isinstance(e, _ALWAYS_DEFINED) or (e.is_polynomial() and not e.has(sp.Function)):
            return
        if e not in found:
            found.append(e)
            if len(found) > MAX_OBLIGATIONS:
                raise FPTheoryError(f"the statement has more than {MAX_OBLIGATIONS} sub-terms")

    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == "I":
            found.append(sp.I)  # a non-real constant as typed, even where it cancels (I - I)
        elif isinstance(node, ast.Call):
            add(segment(node))
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            add(sp.Pow(segment(node.right), -1))
        elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Pow, ast.BitXor)):
            exponent = node.right
            if not (isinstance(exponent, ast.Constant) and isinstance(exponent.value, int)):
                add(sp.Pow(segment(node.left), segment(exponent)))
    return found
