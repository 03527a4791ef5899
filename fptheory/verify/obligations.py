r"""Definedness obligations of a statement as the user typed it.

sympy evaluates while it builds: ``sqrt(x)**2`` becomes ``x``, ``log(x) - log(x)`` becomes
``0``, ``x/x`` becomes ``1``. The statement a user typed, ``sqrt(x)**2 >= -1`` on
[-1, 1], is not real for x < 0, but the expression sympy hands on has forgotten it. So the
typed text is read once more, sub-term by sub-term: every call ``f(...)``, every divisor of
``/`` and every power ``a**b`` whose exponent is not a non-negative integer literal becomes
an *obligation*, a sympy expression that must itself be defined (real and finite) wherever
the statement is claimed. The kernel walks the obligations on every leaf box, as it walks
the statement (:func:`duties_defined`; on a box where the margin's own walk passed, an
obligation built from the margin's nodes by sums, products and positive integer powers
needs no walk of its own); a witness where one is undefined refutes the statement.

>>> [sp.sstr(o) for o in obligations("sqrt(x)**2 >= -1")]
['sqrt(x)']
>>> [sp.sstr(o) for o in obligations("x/x <= 1")]
['1/x']
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Sequence
from typing import Any

import sympy as sp

from fptheory.core.errors import FPTheoryError
from fptheory.core.parsing import parse_expression

from .backends import Interval
from .openends import defined_off_excluded, follow
from .quotients import duties_checked_by_quotient
from .sharing import distinct_preorder

__all__ = ["obligations", "duties_defined", "MAX_OBLIGATIONS"]

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


@functools.lru_cache(maxsize=64)
def _nodes(g: sp.Expr) -> frozenset[sp.Expr]:
    return frozenset(distinct_preorder(g))


def _within(d: sp.Expr, nodes: frozenset[sp.Expr]) -> bool:
    """Every node of d is a node of the margin, or defined wherever its arguments are (a sum,
    a product, a positive integer power, a variable, a rational, float or π/e), or b^q for a
    rational q > 0 where b^(-q) is a node of the margin (defined only where b > 0)."""
    return all(n in nodes or isinstance(n, (sp.Add, sp.Mul, sp.Symbol, sp.Rational, sp.Float,
                                            sp.NumberSymbol))
               or (isinstance(n, sp.Pow) and n.exp.is_Rational and n.exp > 0 and (
                   n.exp.is_Integer or sp.Pow(n.base, -n.exp) in nodes))
               for n in distinct_preorder(d))


def _margin_defined(p: Any, box: list[Interval], rule: str) -> bool:
    """The margin's walk, or its affine form or Taylor model (whose guards are the walk's,
    stricter: a root's argument > 0), passes on the box; the one the closing rule computed
    first."""
    if rule == "interval":  # (its walk passed already, and is remembered)
        return bool(p.kernel.defined(p.g, box))
    if rule == "quadratic" and p.kernel.affine_low(p.g, box, taylor=True) is not None:
        return True
    return p.kernel.affine_low(p.g, box) is not None or p.kernel.defined(p.g, box)


def duties_defined(p: Any, duties: Sequence[sp.Expr], box: list[Interval], rule: str) -> bool:
    """Every duty passes its walk on the leaf's box (after the rule's open-end steps, on
    the substituted box: the excluded end is not in the domain)."""
    if not duties or duties_checked_by_quotient(rule):  # checked by the quotient rule itself
        return True
    moved = follow(rule, duties, p.variables, box, p.excluded)
    if moved is None:
        return False
    exprs, where, _, left = moved
    if list(exprs) == list(duties) and list(where) == list(box) and not p.g.has(
            sp.Piecewise) and _margin_defined(p, box, rule):
        # the margin's affine form (its guards) or walk passed on this box, and with it every
        # node of the margin: a duty built from those nodes by sums, products and positive
        # powers is defined here too (Flyspeck's taum: all 10 of its duties, each an affine
        # form in 6 variables)
        nodes = _nodes(p.g)
        exprs = [d for d in exprs if not _within(d, nodes)]
    return all(defined_off_excluded(p.kernel, d, p.variables, where, left, open_walk=True)
               for d in exprs)
