r"""One safe parser for every expression that comes from a user or a file.

Certificate files, proof scripts' statements and command-line arguments are *data written by
someone else*. ``sympy.parse_expr`` (and ``sympify`` on a string) hands that text to Python's
``eval``: ``exec(chr(95)+...)`` or ``().__class__.__bases__[0].__subclasses__()`` would run
code. This module never evaluates text. It reads it with ``ast.parse(text, mode="eval")``,
checks every node against a closed whitelist, and builds the sympy object from the tree:

* numbers: decimal integer and decimal/exponent literals (``12``, ``0.1``, ``.5``, ``5.``,
  ``2.5e3``), read **exactly** from their source text, so ``0.1`` is 1/10, not the binary
  float nearest to it;
* names: symbols (``[A-Za-z][A-Za-z0-9_]*``, real by default), the constants ``pi``, ``E``,
  ``I``, ``oo``;
* ``+ - * / **`` and ``^`` (power, as sympy's ``convert_xor``: ``x^2+1`` is x² + 1), unary
  ``-`` and ``+``;
* calls ``name(arg, ...)`` of a function in :data:`DEFAULT_FUNCTIONS` (or in the caller's
  ``functions``), positional arguments only, with the arity checked;
* for :func:`parse_relation` only: exactly one top-level comparison ``<= < >= > ==``.

Everything else (attributes, subscripts, strings, lambdas, comprehensions, keyword or starred
arguments, ``:=``, f-strings, ``and``/``or``, ``%``, ``//``, private names, ...) is refused
with a one-line :class:`~fptheory.core.errors.FPTheoryError` naming the construct.

Hard limits keep hostile input from hanging the process or exhausting memory: at most
:data:`MAX_TEXT_LENGTH` characters, :data:`MAX_DEPTH` levels of nesting, integer literals of
at most :data:`MAX_LITERAL_DIGITS` digits, and exact numbers of at most about
:data:`MAX_BITS` bits, checked *before* sympy computes a power (``10**10**10`` is refused
at once). sympy also does work that is cubic or quadratic in the size of what it is given
(it factors the base of ``N**(1/3)``; ``floor`` and ``Max`` compare terms pairwise), so
roots and functions take no number above 4000 bits, a function's arguments at most 2000
nodes, Max/Min at most 32 arguments, and long products must be grouped. Division by zero
and values that are ``nan``, complex infinity or a range (``sin(oo)``) are refused, also
where sympy's evaluation would drop them again (``0*(1/0)``).

This module holds the entry points. The text is read and checked against the grammar in
:mod:`fptheory.core._grammar` (the input limits, exact literals) and the sympy object is built
in :mod:`fptheory.core._builder` (the function whitelist, the bounds on sympy's work).

Ordinary input gives exactly what ``sympy.parse_expr`` gives (the same operator semantics,
applied to the same sympy objects), except that decimals are exact rationals:

>>> parse_relation("x < 0.1").rhs
1/10
>>> parse_expression("2.5e3*x^2 + 1")
2500*x**2 + 1
>>> parse_expression("sinh(pi*k1/(2*w))/sinh(pi*k2/(2*w))")
sinh(pi*k1/(2*w))/sinh(pi*k2/(2*w))
>>> decimal_literals("x < 0.1 + 1e-20")
['0.1', '1e-20']
>>> parse_number("-1/3"), parse_number("sqrt(2)"), parse_number("1e400") == 10**400
(-1/3, sqrt(2), True)
>>> parse_expression("().__class__")
Traceback (most recent call last):
...
fptheory.core.errors.FPTheoryError: cannot parse "().__class__": attribute access '.' ...
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from typing import Any

import sympy as sp

from ._builder import DEFAULT_FUNCTIONS, UnknownFunctionError, _build
from ._grammar import (
    _OPERATORS,
    MAX_BITS,
    MAX_DEPTH,
    MAX_LITERAL_DIGITS,
    MAX_TEXT_LENGTH,
    _check_tree,
    _literal_value,
    _prepare,
    _show,
)
from .errors import FPTheoryError

__all__ = [
    "DEFAULT_FUNCTIONS",
    "MAX_BITS",
    "MAX_DEPTH",
    "MAX_LITERAL_DIGITS",
    "MAX_TEXT_LENGTH",
    "UnknownFunctionError",
    "decimal_literals",
    "parse_expression",
    "parse_number",
    "parse_relation",
]

_RELATIONS: dict[type, Callable[..., sp.Basic]] = {
    ast.Lt: sp.Lt, ast.LtE: sp.Le, ast.Gt: sp.Gt, ast.GtE: sp.Ge, ast.Eq: sp.Eq,
}


def parse_expression(text: str, *, functions: Mapping[str, Callable[..., Any]] | None = None,
                     real: bool = True) -> sp.Expr:
    """Parse ``text`` into a sympy expression without evaluating any code.

    Accepted: decimal numbers (exact: ``0.1`` is 1/10), symbols (real when ``real``), ``pi``,
    ``E``, ``I``, ``oo``, ``+ - * / ** ^``, unary ``-``/``+`` and calls of the functions in
    :data:`DEFAULT_FUNCTIONS` updated by ``functions`` (name → callable; a sympy function
    class's ``nargs`` or the callable's signature gives its arity). Everything else, a
    comparison included (see :func:`parse_relation`), raises a one-line
    :class:`~fptheory.core.errors.FPTheoryError`; an unknown function name raises
    :class:`UnknownFunctionError`.

    >>> parse_expression("x^2 - 0.5*x")
    x**2 - x/2
    >>> parse_expression("x.real")
    Traceback (most recent call last):
    ...
    fptheory.core.errors.FPTheoryError: cannot parse "x.real": attribute access '.' is not accepted (column 2)
    """
    source, tree = _prepare(text)
    if isinstance(tree, ast.Compare):
        raise FPTheoryError(f"not an expression: {_show(text)} is a comparison")
    _check_tree(source, tree)
    return _build(source, tree, functions, real)


def parse_relation(text: str, *, functions: Mapping[str, Callable[..., Any]] | None = None,
                   real: bool = True) -> sp.Rel:
    """Parse ``lhs REL rhs`` (REL one of ``<= < >= > ==``) into an unevaluated relation.

    Both sides are read as by :func:`parse_expression`; the relation is not evaluated, so
    ``1 < 2`` stays ``1 < 2`` (a caller checks it, a parser does not decide it). Chained
    comparisons (``0 < x < 1``) and ``!=`` are refused.

    >>> parse_relation("sin(x) <= x")
    sin(x) <= x
    >>> parse_relation("2 == 2").rhs
    2
    """
    source, tree = _prepare(text)
    if not isinstance(tree, ast.Compare):
        raise FPTheoryError(f"not a relation: {_show(text)} has no comparison "
                            "(expected one of <=, <, >=, >, ==)")
    if len(tree.ops) != 1:
        raise source.error("chained comparison is not accepted; write one comparison", tree)
    op = type(tree.ops[0])
    if op not in _RELATIONS:
        raise source.error(f"comparison '{_OPERATORS.get(op, op.__name__)}' is not accepted "
                           "(expected one of <=, <, >=, >, ==)", tree)
    _check_tree(source, tree.left)
    _check_tree(source, tree.comparators[0])
    lhs = _build(source, tree.left, functions, real)
    rhs = _build(source, tree.comparators[0], functions, real)
    return _RELATIONS[op](lhs, rhs, evaluate=False)


def parse_number(text: str) -> sp.Expr:
    """Parse an exact real constant: ``pi/2``, ``-1/3``, ``0.1`` (= 1/10), ``sqrt(2)``,
    ``1e400``, ``oo``, ``-oo``. Symbols and non-real values are refused (one line).

    >>> parse_number("pi/2"), parse_number("0.1"), parse_number("-oo")
    (pi/2, 1/10, -oo)
    """
    value = parse_expression(text)
    if value.free_symbols:
        names = ", ".join(sorted(s.name for s in value.free_symbols))
        raise FPTheoryError(f"not a number: {_show(text)} contains the symbol(s) {names}")
    try:
        real = value.is_extended_real
    except RecursionError:
        real = None
    if real is not True:
        why = "is not real" if real is False else "cannot be shown to be real"
        raise FPTheoryError(f"not a real number: {_show(text)} {why}")
    return value


def decimal_literals(text: str) -> list[str]:
    """The decimal literals of ``text`` (those with a point or an exponent), as written, in
    order: callers report them ("0.1 read as exactly 1/10"). The text must be accepted by the
    grammar (an expression or one relation); otherwise a one-line FPTheoryError.

    >>> decimal_literals("2*x + 0.25 >= 1.5e-3")
    ['0.25', '1.5e-3']
    """
    source, tree = _prepare(text)
    if isinstance(tree, ast.Compare):
        if len(tree.ops) != 1:
            raise source.error("chained comparison is not accepted; write one comparison", tree)
        parts = [tree.left, tree.comparators[0]]
    else:
        parts = [tree]
    found: list[str] = []
    for part in parts:
        for node in _check_tree(source, part):
            _literal_value(source, node)  # the same limits as when building
            if type(node.value) is float:
                found.append(source.segment(node))
    return found
