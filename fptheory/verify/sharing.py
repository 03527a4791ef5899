"""Shared sub-terms in compiled expressions: each evaluated once per call.

sympy expressions are trees over shared nodes: the derivative of a quotient repeats whole
sub-trees, and a sixth-order derivative of a 40-node margin is a tree of about 1500 nodes
over about 120 distinct ones. A closure compiled node by node evaluates the tree; with
:class:`CallMemo` the repeated nodes are evaluated once per call and reused.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> e = sp.sin(x + 1) + x * sp.sin(x + 1)
>>> counts = occurrence_counts(e)
>>> counts[sp.sin(x + 1)], counts[x]
(2, 2)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import sympy as sp

__all__ = ["occurrence_counts", "distinct_preorder", "CallMemo"]


def occurrence_counts(expr: sp.Expr) -> Counter:
    """For each distinct sub-term, how many arguments of distinct nodes it is (the root
    counts once): the edges of the shared graph, each walked once, so a tree of 10^6 nodes
    over 10^3 distinct ones costs 10^3 steps. A sub-term counted more than once is worth
    memoising; one counted once is evaluated once per evaluation of its only parent."""
    count: Counter = Counter({expr: 1})
    stack = [expr]
    while stack:
        for a in stack.pop().args:
            count[a] += 1
            if count[a] == 1:
                stack.append(a)
    return count


def distinct_preorder(expr: sp.Expr) -> Iterator[sp.Expr]:
    """expr's sub-terms in preorder, each once (its first occurrence), without walking a
    repeated sub-tree again: the order of first occurrences is that of
    ``sp.preorder_traversal``, at the cost of the shared graph, not of the tree."""
    seen: set[sp.Expr] = set()
    stack = [expr]
    while stack:
        e = stack.pop()
        if e in seen:
            continue
        seen.add(e)
        yield e
        stack.extend(reversed(e.args))


class CallMemo:
    """Values of shared closures kept for the duration of one call of the top closure
    (:meth:`calls`); outside a call a shared closure simply evaluates."""

    def __init__(self) -> None:
        self._values: dict[int, Any] | None = None
        self._slots = 0

    def shared(self, fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
        """fn, evaluated at most once per call of the top closure."""
        slot = self._slots
        self._slots += 1

        def once(v: Any) -> Any:
            values = self._values
            if values is None:
                return fn(v)
            if slot not in values:
                values[slot] = fn(v)
            return values[slot]
        return once

    def calls(self, top: Callable[[Any], Any]) -> Callable[[Any], Any]:
        """top, with a fresh store of shared values for each call (re-entrant: an outer
        call's store is restored afterwards)."""
        def run(v: Any) -> Any:
            saved, self._values = self._values, {}
            try:
                return top(v)
            finally:
                self._values = saved
        return run


def worth_refining(e: sp.Expr) -> bool:
    """e is a sum worth enclosing by its second-order form as well as by its walk: a
    polynomial of degree ≥ 2 in ≥ 2 variables with ≥ 3 terms, where the walk's dependency
    problem is worst (Δ's 16 products of squared edges cancel to a small value; their
    walk over a box of width 0.2 is ±10, the form's ±1)."""
    if not isinstance(e, sp.Add) or len(e.args) < 3 or len(e.free_symbols) < 2:
        return False
    try:
        return bool(e.is_polynomial()) and sp.Poly(e, *sorted(e.free_symbols, key=str)
                                                   ).total_degree() >= 2
    except (sp.PolynomialError, sp.GeneratorsNeeded):
        return False
