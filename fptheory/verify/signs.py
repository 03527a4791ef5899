"""Signs of expressions from the signs of their parts, for the kernel
(:meth:`~fptheory.verify.kernel.Kernel.sign`): products, sums and powers by their parts'
signs, anything else by its walked enclosure; with the domain's excluded ends, the sign
on the box less those ends (``sign off excluded ends``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sympy as sp

from fptheory.core.errors import FPTheoryError

from .backends import Interval, Undefined, _Enclosure
from .openends import Excluded

__all__ = ["sign_by_parts", "beyond_excluded_end"]


def sign_by_parts(kernel: Any, expr: sp.Expr, box: Sequence[Interval],
                  excluded: Excluded | None = None, _depth: int = 0) -> int | None:
    """The sign of expr on the box from the signs of its parts: 2 (> 0), 1 (≥ 0),
    -1 (≤ 0), -2 (< 0), None (not shown). A product's sign is the product of its
    factors' signs, a sum of terms ≥ 0 is ≥ 0 (> 0 when one term is), a power's sign
    follows its base's (an even power is ≥ 0 whatever its base), |u| is > 0 where u is
    ≠ 0 and ≥ 0 anyway, f(u) takes u's sign for odd increasing f (:func:`_sign_through`),
    log u takes the sign of u - 1; any other part's sign is that of its walked enclosure
    (``kernel.enclose``). Call it only on an expression whose walk passed on the box (its
    parts are then defined). This is how
    e^{-62}·[0.8, 1] is shown > 0: arb's ball of the product, [0 ± 0.04], cannot hold a
    lower end 10^-27 times its upper end.

    With the domain's ``excluded`` ends, the sign holds on the box less those ends
    (:func:`beyond_excluded_end` for a variable or k·v + c): x²/(x + y) > 0 on (0, 1]² by
    its factors x and x + y, which no enclosure of the closed box shows.
    """
    if isinstance(expr, sp.exp):
        return 2
    if _depth == 0 and expr.has(sp.Abs):
        settled = _abs_settled(kernel, expr, box)
        if settled is not None:
            return sign_by_parts(kernel, settled, box, excluded, 1)
    if excluded:
        beyond = beyond_excluded_end(expr, kernel.variables, box, excluded)
        if beyond:
            return beyond
    if _depth < 8 and isinstance(expr, sp.Mul):
        signs = _part_signs(kernel, expr.args, box, excluded, _depth, agreeing=False)
        if signs is not None:
            magnitude = 2 if all(abs(s) == 2 for s in signs) else 1
            negative = sum(1 for s in signs if s < 0) % 2 == 1
            return -magnitude if negative else magnitude
    elif _depth < 8 and isinstance(expr, sp.Add):
        signs = _part_signs(kernel, expr.args, box, excluded, _depth, agreeing=True)
        if signs is not None:
            side = 1 if signs[0] > 0 else -1
            return side * (2 if any(s * side == 2 for s in signs) else 1)
    elif _depth < 8 and isinstance(expr, sp.Pow) and expr.exp.is_Integer:
        base = sign_by_parts(kernel, expr.base, box, excluded, _depth + 1)
        n = int(expr.exp)
        if n % 2 == 0 and base is not None and abs(base) == 2:
            return 2
        if n % 2 == 0 and n > 0:  # a real value to an even power (its walk passed)
            return 1
        if n % 2 != 0 and base is not None and abs(base) == 2:
            return base
    elif expr.is_Rational:  # (other numbers: by their enclosure, as anything else)
        return 2 if expr > 0 else -2 if expr < 0 else None
    if _depth < 8 and isinstance(expr, sp.Abs):  # |u| > 0 where u ≠ 0, and ≥ 0 anyway
        inner = sign_by_parts(kernel, expr.args[0], box, excluded, _depth + 1)
        return 2 if inner is not None and abs(inner) == 2 else 1
    if _depth < 8 and isinstance(expr, sp.log):  # log u has the sign of u - 1
        shown = sign_by_parts(kernel, expr.args[0] - 1, box, excluded, _depth + 1)
        if shown is not None:
            return shown
    if _depth < 8 and isinstance(expr, (sp.Pow, *SIGN_OF_ARGUMENT, *tuple(PERIODIC_SIGN))):
        shown = _sign_through(kernel, expr, box, excluded, _depth)
        if shown:
            return shown
    try:
        b = kernel.enclose(expr, box)
    except (Undefined, FPTheoryError):
        return None
    nonpositive = bool(b.hi <= 0) if isinstance(b, _Enclosure) else bool(b <= 0)
    return 2 if b > 0 else -2 if b < 0 else 1 if b >= 0 else -1 if nonpositive else None


def _part_signs(kernel: Any, parts: Sequence[sp.Expr], box: Sequence[Interval],
                excluded: Excluded | None, depth: int, agreeing: bool) -> list[int] | None:
    """The parts' signs, or None as soon as one is not shown (or, ``agreeing``, is of the
    other side than the first's): the rest is then not worth enclosing."""
    signs: list[int] = []
    for part in parts:
        s = sign_by_parts(kernel, part, box, excluded, depth + 1)
        if s is None or (agreeing and signs and s * signs[0] <= 0):
            return None
        signs.append(s)
    return signs


def _abs_settled(kernel: Any, expr: sp.Expr, box: Sequence[Interval]) -> sp.Expr | None:
    """expr with every |u| whose argument's enclosure on the box is ≥ 0 (≤ 0) written u
    (-u): equal to expr at every point of the box, and with the same walk (|·| is defined
    everywhere). None where no |u| is settled so. 1 - |x| on [3/4, 1] is 1 - x, > 0 off the
    excluded end 1."""
    swaps = {}
    for node in expr.atoms(sp.Abs):
        try:
            u = kernel.enclose(node.args[0], box)
        except (Undefined, FPTheoryError):
            continue
        if u >= 0:
            swaps[node] = node.args[0]
        elif (u.hi <= 0) if isinstance(u, _Enclosure) else bool(u <= 0):
            swaps[node] = -node.args[0]
    return expr.xreplace(swaps) if swaps else None


#: odd, strictly increasing functions with f(0) = 0: f(u) has the sign of u
SIGN_OF_ARGUMENT = (sp.sinh, sp.tanh, sp.atan, sp.asinh, sp.asin, sp.atanh)
#: f(u) has the sign of u while |u| < the bound: sin on (-π, π), tan on (-π/2, π/2) (the
#: bounds a little below π and π/2, as exact binary numbers)
PERIODIC_SIGN = {sp.sin: 3.1415, sp.tan: 1.5707}


def _sign_through(kernel: Any, expr: sp.Expr, box: Sequence[Interval],
                  excluded: Excluded | None, depth: int) -> int:
    """The sign of f(u) from u's sign (0 when not shown): f(u) has the sign of u for the
    functions of :data:`SIGN_OF_ARGUMENT`, and for sin and tan while u's enclosure lies
    within (-π, π), resp. (-π/2, π/2); a power u^p with p a non-integer number is > 0 for
    u > 0 and, p > 0, ≥ 0 (its walk passed, so u ≥ 0). This is how sin(x/2) > 0 is shown
    on (0, 1] beside its excluded end 0, where its enclosure reaches 0."""
    if isinstance(expr, sp.Pow):
        if expr.exp.is_Integer or not (expr.exp.is_number and expr.exp.is_real):
            return 0
        base = sign_by_parts(kernel, expr.base, box, excluded, depth + 1)
        return 2 if base == 2 else 1 if expr.exp.is_positive else 0
    inner = sign_by_parts(kernel, expr.args[0], box, excluded, depth + 1)
    if inner is None:
        return 0
    bound = PERIODIC_SIGN.get(type(expr))
    if bound is not None:
        try:
            u = kernel.enclose(expr.args[0], box)
        except (Undefined, FPTheoryError):
            return 0
        if not (u < bound and u > -bound):
            return 0
    return inner


def beyond_excluded_end(expr: sp.Expr, variables: Sequence[sp.Symbol], box: Sequence[Interval],
                        excluded: Excluded) -> int:
    """2 when expr > 0, -2 when expr < 0 at every point of the box off the domain's excluded
    ends, shown from expr = k·v + c alone (one variable v, exact numbers k ≠ 0 and c) and
    v's side [a, b] (a < b) starting at an excluded end a with k·a + c ≥ 0 for k > 0 (> 0
    beyond a: v > a there), or ending at one, b, with k·b + c ≥ 0 for k < 0; the signs
    negated for ≤ 0. 0 when not shown. A side that is the excluded end itself (a face
    the domain misses) shows nothing: the claim would be about no point.

    >>> x = sp.Symbol("x", real=True)
    >>> beyond_excluded_end(x - 1, [x], [(sp.Integer(1), sp.Integer(4))], {x: (1, None)})
    2
    """
    if not isinstance(expr, (sp.Symbol, sp.Add, sp.Mul)) or len(expr.free_symbols) != 1:
        return 0
    (v,) = expr.free_symbols
    if v not in variables:
        return 0
    k, c = sp.diff(expr, v), expr.subs(v, 0)
    if not (k.is_Rational and c.is_Rational and k != 0) or sp.expand(expr - k * v - c) != 0:
        return 0
    lo, hi = box[list(variables).index(v)]
    if lo == hi:
        return 0
    low, high = excluded.get(v, (None, None))
    least, most = (lo, hi) if k > 0 else (hi, lo)  # the ends where k·v + c is least, largest
    if least == (low if k > 0 else high) and least.is_Rational and k * least + c >= 0:
        return 2
    if most == (high if k > 0 else low) and most.is_Rational and k * most + c <= 0:
        return -2
    return 0
