"""Open ends of the domain moved to infinity.

``log(x) <= x - 1`` on ``0 < x <= 10`` is undefined at the excluded end x = 0, so no box
[0, c] passes the kernel's definedness walk, and the search would split towards 0 for
ever. On the half-open box (a, c], though, x = a + e^(-u) maps u ∈ [-log(c - a), ∞) one to one
onto it (x = b - e^(-u) for an excluded upper end b), and the statement holds on (a, c]
exactly when its substituted form holds on that unbounded box, where the kernel's extended
interval arithmetic and monotone rules apply: e^(-u) - 1 + u ≥ 0 on [log 16, ∞) by one
enclosure (sympy writes log(e^(-u)) as -u itself).

The rule ``open end: low of x`` (``high of x``) of a leaf says so; it is accepted only on a
box side whose end is the domain's excluded end, and the rest of the rule closes the
substituted expression on the substituted box by the kernel's judgements. Nothing here
decides. Only an end that is excluded may be moved: the substituted box misses it.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> [(text, sp.sstr(e), box) for text, e, box, _ in
...  substitutions(sp.log(x) - x, [x], [(sp.Integer(0), sp.Rational(1, 4))], {x: (0, None)})]
[('open end: low of x', '-x - exp(-x)', [(log(4), oo)])]
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import sympy as sp

from .backends import Interval, _infinite
from .kinks import split_logs
from .openwalk import open_defined

__all__ = ["substitutions", "substitute", "follow", "off_excluded", "defined_off_excluded",
           "Excluded", "moved_past", "touches_excluded", "open_walk_applies", "reaches_infinity",
           "invert", "inversions",
           "reflect_atan", "clear_root_poles", "clear_inverse_poles", "root_end", "root_ends",
           "clear_root_zeros", "half_angles", "root_order"]

#: per variable, the domain's excluded finite (lower, upper) ends, None where not excluded
Excluded = Mapping[sp.Symbol, tuple[sp.Expr | None, sp.Expr | None]]

_RULE = re.compile(r"open end: (low|high) of ([A-Za-z][A-Za-z0-9_]*)")
_INVERTED = re.compile(r"inverted tail: ([A-Za-z][A-Za-z0-9_]*)")
_ROOTED = re.compile(r"root end(?: ([36]))?: (low|high) of ([A-Za-z][A-Za-z0-9_]*)")


def excluded_ends(intervals: Mapping[sp.Symbol, Interval],
                  open_ends: Mapping[sp.Symbol, tuple[bool, bool]]) -> dict:
    """The :data:`Excluded` ends of a domain (finite open ends only)."""
    out = {}
    for v, (lo, hi) in intervals.items():
        lo_open, hi_open = open_ends.get(v, (False, False))
        ends = (lo if lo_open and not _infinite(lo) else None,
                hi if hi_open and not _infinite(hi) else None)
        if ends != (None, None):
            out[v] = ends
    return out


def substitute(expr: sp.Expr, variables: Sequence[sp.Symbol], box: Sequence[Interval],
               side: str, v: sp.Symbol, excluded: Excluded) -> tuple[sp.Expr, list[Interval]] | None:
    """(expr with v = a + e^(-v) (side "low") or b - e^(-v) ("high"), the box with v's
    side [-log(b - a), ∞)), or None unless v's side [a, b] is bounded, not a point, and its end on
    that side is the domain's excluded end."""
    side_of_v = _bounded_side(variables, box, v)
    if side_of_v is None:
        return None
    i, lo, hi = side_of_v
    low_ex, high_ex = excluded.get(v, (None, None))
    end = low_ex if side == "low" else high_ex
    if end is None or (lo if side == "low" else hi) != end:
        return None
    image = lo + sp.exp(-v) if side == "low" else hi - sp.exp(-v)
    out = list(box)
    out[i] = (-sp.log(hi - lo), sp.oo)
    return inverse_hyperbolic_logs(expr.xreplace({v: image}), v), out


def inverse_hyperbolic_logs(expr: sp.Expr, v: sp.Symbol) -> sp.Expr:
    """expr with every asinh, acosh and atanh whose argument u depends on v written through
    logarithms: log(u + √(u² + 1)), log(u + √(u² - 1)), (log(1 + u) - log(1 - u))/2 —
    identities with the same domain on both sides (all u; u ≥ 1, where u + √(u² - 1) > 0
    and for u ≤ -1 it is < 0; -1 < u < 1). At an open end where atanh has its pole,
    x = 1 - e^(-s), atanh(x) has no enclosure while (log(2 - e^(-s)) + s)/2 has.

    >>> s = sp.Symbol("s", real=True)
    >>> inverse_hyperbolic_logs(sp.atanh(1 - sp.exp(-s)), s)
    s/2 + log(2 - exp(-s))/2
    """
    swaps = {}
    for node in expr.atoms(sp.asinh, sp.acosh, sp.atanh):
        u = node.args[0]
        if not u.has(v):
            continue
        if isinstance(node, sp.asinh):
            swaps[node] = sp.log(u + sp.sqrt(u ** 2 + 1))
        elif isinstance(node, sp.acosh):
            swaps[node] = sp.log(u + sp.sqrt(u ** 2 - 1))
        else:
            swaps[node] = (sp.log(1 + u) - sp.log(1 - u)) / 2
    return expr.xreplace(swaps) if swaps else expr


def _bounded_side(variables: Sequence[sp.Symbol], box: Sequence[Interval], v: sp.Symbol
                  ) -> tuple[int, sp.Expr, sp.Expr] | None:
    """(index, a, b) of v's side [a, b] when it is bounded and not a point, else None."""
    if v not in variables:
        return None
    i = list(variables).index(v)
    lo, hi = box[i]
    if _infinite(lo) or _infinite(hi) or lo == hi:
        return None
    return i, lo, hi


def substitutions(expr: sp.Expr, variables: Sequence[sp.Symbol], box: Sequence[Interval],
                  excluded: Excluded) -> list[tuple[str, sp.Expr, list[Interval], Excluded]]:
    """Every applicable (rule text, substituted expression, substituted box, the excluded
    ends that still apply there: :func:`moved_past`) of the box."""
    out = []
    for v in variables:
        for side in ("low", "high"):
            moved = substitute(expr, variables, box, side, v, excluded)
            if moved is not None:
                out.append((f"open end: {side} of {v}", *moved, moved_past(excluded, v)))
    return out


def invert(expr: sp.Expr, variables: Sequence[sp.Symbol], box: Sequence[Interval],
           v: sp.Symbol, excluded: Excluded) -> tuple[sp.Expr, list[Interval], Excluded] | None:
    """A tail [a, ∞) with a > 0 (or (-∞, b] with b < 0) read in t = 1/v: (expr with v = 1/v,
    the box with v's side (0, 1/a] (or [1/b, 0)), the excluded ends that apply there), or
    None unless v's side is such a tail. x ↦ 1/x maps the tail one to one onto the new side
    less its end 0, which stands for ±∞ and is no point: 0 is excluded, and 1/a is excluded
    where a was the domain's excluded end. A bound tight at infinity (x·log(1 + 1/x) < 1)
    becomes one tight at an excluded end (1 - log(1 + t)/t > 0 on (0, 1]). Every atan of
    c·t^(-n) is then written through :func:`reflect_atan`, whose identity holds on the
    new side (t ≠ 0 there): atan(x) > π/2 - 1/x becomes t - atan(t) > 0; on a tail
    [a, ∞) every logarithm is split over the powers of t > 0 (:func:`~.kinks.split_logs`),
    so log(x) - log(x + 1) reads -log(1 + t)."""
    if v not in variables:
        return None
    i = list(variables).index(v)
    lo, hi = box[i]
    low_ex, high_ex = excluded.get(v, (None, None))
    if hi == sp.oo and not _infinite(lo) and bool(lo > 0):
        side, ends = (sp.Integer(0), 1 / lo), (sp.Integer(0), 1 / lo if low_ex == lo else None)
    elif lo == -sp.oo and not _infinite(hi) and bool(hi < 0):
        side, ends = (1 / hi, sp.Integer(0)), (1 / hi if high_ex == hi else None, sp.Integer(0))
    else:
        return None
    out = list(box)
    out[i] = side
    sign = 1 if hi == sp.oo else -1
    moved = clear_root_poles(clear_inverse_poles(
        reflect_atan(expr.xreplace({v: 1 / v}), v, sign), v), v, sign)
    if sign == 1:  # (t > 0: log(x) - log(x + 1) reads -log(1 + t), not log(1/t) - log(1/t + 1))
        moved = split_logs(moved, {v})
    return moved, out, {**moved_past(excluded, v), v: ends}


def clear_root_poles(expr: sp.Expr, v: sp.Symbol, v_sign: int) -> sp.Expr:
    """expr with every √B and 1/√B, B a polynomial in v and 1/v whose lowest power is
    v^(-j), written √(B·v^(2k))/|v|^k (and its inverse), k = ⌈j/2⌉, |v| = ``v_sign``·v:
    the same value wherever v ≠ 0 and v has that sign (v^(2k) > 0 there, so both roots are
    defined at the same points). √(1 + x²) read in t = 1/x is √(1 + t⁻²), which has no
    enclosure at t = 0; √(t² + 1)/t has, and its quotient form closes.

    >>> t = sp.Symbol("t", real=True)
    >>> clear_root_poles(sp.sqrt(1 + t**-2) - 1/sp.sqrt(4 + t**-3), t, 1)
    -t**2/sqrt(4*t**4 + t) + sqrt(t**2 + 1)/t
    """
    swaps = {}
    for node in expr.atoms(sp.Pow):
        if node.exp not in (sp.S.Half, -sp.S.Half) or not node.base.has(v):
            continue
        lowest = _lowest_power(node.base, v)
        if lowest is None or lowest >= 0:
            continue
        k = (-lowest + 1) // 2
        root = sp.sqrt(sp.expand(node.base * v ** (2 * k))) / (v_sign * v) ** k
        swaps[node] = root if node.exp == sp.S.Half else 1 / root
    return expr.xreplace(swaps) if swaps else expr


def clear_inverse_poles(expr: sp.Expr, v: sp.Symbol) -> sp.Expr:
    """expr with every B^(-n) (n ≥ 1 an integer), B a polynomial in v and 1/v whose lowest
    power is v^(-j), j ≥ 1, written v^(jn)/(B·v^j)^n: the same value wherever v ≠ 0, and
    defined at the same such points (B·v^j ≠ 0 exactly where B ≠ 0 there). sin(1/(x - 1))
    read in t = 1/x is sin(1/(1/t - 1)), undefined at t = 0; sin(t/(1 - t)) is analytic
    there, and a bound tight at infinity gets its Taylor expansion at the end.

    >>> t = sp.Symbol("t", real=True)
    >>> clear_inverse_poles(sp.sin(1/(1/t - 1)) + 1/(t**-2 + 1)**2, t)
    t**4/(t**2 + 1)**2 + sin(t/(1 - t))
    """
    def cleared(node: sp.Pow) -> sp.Expr:
        lowest = _lowest_power(node.base, v)
        if lowest is None or lowest >= 0:
            return node
        n = -int(node.exp)
        return v ** (-lowest * n) / sp.expand(node.base * v ** (-lowest)) ** n
    return expr.replace(lambda e: isinstance(e, sp.Pow) and e.exp.is_Integer and e.exp < 0
                        and e.base.has(v) and e.base != v, cleared)


def _lowest_power(base: sp.Expr, v: sp.Symbol) -> int | None:
    """The lowest power of v in base, expanded as a sum of c·v^n (c free of v, n an
    integer); None when it is no such sum."""
    powers = []
    for term in sp.Add.make_args(sp.expand(base)):
        coefficient, power = term.as_coeff_exponent(v)
        if coefficient.has(v) or not power.is_Integer:
            return None
        powers.append(int(power))
    return min(powers) if powers else None


def clear_root_zeros(expr: sp.Expr, v: sp.Symbol) -> sp.Expr:
    """expr, read where v ≥ 0, with every B^(p/q) (p/q not an integer), B a polynomial in v
    whose lowest power is v^j, j ≥ q, written v^(kp)·(B/v^(kq))^(p/q), k = ⌊j/q⌋; every |v|
    written v, every sign(vⁿ) (n odd) sign(v), and sign(v) dropped from a product with a
    positive power of v. Where v > 0 both forms are defined at the same points
    (v^(kq) > 0) and equal; at v = 0, B = 0, so the new form is either the same value (0,
    or undefined for p < 0 on both sides) or undefined where the old one is 0 — never
    defined where the old one is not (and sign(v)·vᵐ is 0 there either way).
    √(1 - x²) at x = 1 - t² is √(2t² - t⁴): no enclosure near t = 0 has a slope, while
    t·√(2 - t²) is analytic there.

    >>> t = sp.Symbol("t", real=True)
    >>> clear_root_zeros(sp.sqrt(2*t**2 - t**4) + sp.sqrt(t**2), t)
    t*sqrt(2 - t**2) + t
    >>> clear_root_zeros(sp.real_root(t**3, 3) - (t**6 + t**3)**sp.Rational(2, 3), t)
    -t**2*(t**3 + 1)**(2/3) + t
    """
    swaps: dict[sp.Expr, sp.Expr] = {sp.Abs(v): v}
    for node in expr.atoms(sp.Pow):
        e = node.exp
        if not (e.is_Rational and not e.is_Integer) or not node.base.has(v):
            continue
        lowest = _lowest_power(node.base, v)
        if lowest is None or lowest < e.q:
            continue
        k = lowest // e.q
        swaps[node] = v ** (k * e.p) * sp.expand(node.base / v ** (k * e.q)) ** e
    for node in expr.atoms(sp.sign):
        a = node.args[0]
        if a.is_Pow and a.base == v and a.exp.is_Integer and a.exp > 0 and a.exp % 2 == 1:
            swaps[node] = sp.sign(v)
    out = expr.xreplace(swaps)

    def vanishing(f: sp.Expr) -> bool:
        return f == v or (f.is_Pow and f.base == v and bool(f.exp.is_positive))

    return out.replace(
        lambda e: e.is_Mul and sp.sign(v) in e.args and any(vanishing(f) for f in e.args),
        lambda e: e.func(*[f for f in e.args if f != sp.sign(v)]))


def half_angles(expr: sp.Expr, v: sp.Symbol) -> sp.Expr:
    """expr with every acos(B) and asin(B) whose argument B is exactly ±1 at v = 0 written
    through the half angle, an identity on all of [-1, 1] (so both forms are defined at the
    same points): acos(u) = 2·asin(√((1 - u)/2)) = π - 2·asin(√((1 + u)/2)) and
    asin(u) = π/2 - acos(u); likewise every acosh(B) with B exactly 1 at v = 0, through
    acosh(u) = 2·asinh(√((u - 1)/2)), an identity on u ≥ 1 (and both sides undefined
    below 1). acos(1 - t²) has no series at t = 0 (acos' is infinite at 1); 2·asin(t/√2)
    has, once :func:`clear_root_zeros` takes t out of the root.

    >>> t = sp.Symbol("t", real=True)
    >>> clear_root_zeros(half_angles(sp.acos(1 - t**2), t), t)
    2*asin(sqrt(2)*t/2)
    >>> clear_root_zeros(half_angles(sp.acosh(1 + t**2), t), t)
    2*asinh(sqrt(2)*t/2)
    """
    swaps = {}
    for node in expr.atoms(sp.acosh):
        u = node.args[0]
        if u.has(v) and sp.expand(u.xreplace({v: sp.Integer(0)})) == 1:
            swaps[node] = 2 * sp.asinh(sp.sqrt((u - 1) / 2))
    for node in expr.atoms(sp.acos, sp.asin):
        u = node.args[0]
        # (expanded: at an end such as (1 - √(1 + 4/π))/2, πx(1 - x) is -1 only so)
        at = sp.expand(u.xreplace({v: sp.Integer(0)})) if u.has(v) else None
        if at not in (sp.Integer(1), sp.Integer(-1)):
            continue
        near_one = 2 * sp.asin(sp.sqrt((1 - u) / 2))
        acos = near_one if at == 1 else sp.pi - 2 * sp.asin(sp.sqrt((1 + u) / 2))
        swaps[node] = acos if isinstance(node, sp.acos) else sp.pi / 2 - acos
    return expr.xreplace(swaps) if swaps else expr


def root_order(expr: sp.Expr, v: sp.Symbol, at: sp.Expr | None = None) -> int | None:
    """The power m of the substitution x = a + t^m that takes every root of v out of expr
    (:func:`root_end`): the least common multiple of the denominators of its fractional
    powers whose base depends on v, 2 for an asin/acos/acosh of v; None where there is none or
    the multiple is above 6. These are the nodes that may lose their slope where v's side
    ends. Given the end ``at``, only the nodes singular there count where there are any: a
    power whose base is 0 at v = at, an asin/acos of ±1, an acosh of 1 (Carlson's
    acos x ≤ 4^(1/3)·√(1 - x)/(1 + x)^(1/6) at x = 1: order 2, its margin ~t⁵ there, where
    the sixth root of 1 + x, regular at 1, made it 6 and the margin ~t¹⁵)."""
    def singular(node: sp.Basic) -> bool:
        if at is None:
            return True
        if isinstance(node, sp.Pow):
            return node.base.xreplace({v: at}) == 0
        value = node.args[0].xreplace({v: at})
        return value in ((sp.Integer(1),) if isinstance(node, sp.acosh)
                         else (sp.Integer(1), sp.Integer(-1)))

    def order_of(only_singular: bool) -> int | None:
        denominators = {int(node.exp.q) for node in expr.atoms(sp.Pow)
                        if node.base.has(v) and node.exp.is_Rational and not node.exp.is_Integer
                        and (not only_singular or singular(node))}
        if any(node.args[0].has(v) and (not only_singular or singular(node))
               for node in expr.atoms(sp.asin, sp.acos, sp.acosh)):
            denominators.add(2)
        return math.lcm(*denominators) if denominators else None
    order = (order_of(True) if at is not None else None) or order_of(False)
    return order if order in ROOT_ORDERS else None


#: the powers m of the root-end substitution x = a + t^m
ROOT_ORDERS = (2, 3, 6)


def root_end(expr: sp.Expr, variables: Sequence[sp.Symbol], box: Sequence[Interval],
             side: str, v: sp.Symbol, excluded: Excluded, order: int = 2
             ) -> tuple[sp.Expr, list[Interval], Excluded] | None:
    """A bounded side [a, b] of v (a < b) read in its square root at an end: v = a + t²
    (side "low") or b - t² ("high") maps t ∈ [0, √(b - a)] one to one onto [a, b], t = 0
    onto the chosen end (excluded there where the end was; √(b - a) likewise for the other
    end). The new variable keeps v's name. Then :func:`half_angles` and
    :func:`clear_root_zeros` (t ≥ 0 on the new side) rewrite the expression, identities on
    that side. A bound tight at an end where a root or acos has an infinite slope
    (√(1 - x²) ≥ 1 - x at x = 1) becomes one with a Taylor expansion there
    (t·√(2 - t²) - t² = t·(√(2 - t²) - t)). With ``order`` m = 3 or 6, v = a + t^m on
    t ∈ [0, (b - a)^(1/m)], for cube roots (no half angles then: they serve t² only).
    None unless the side is such a side and m one of :data:`ROOT_ORDERS`."""
    side_of_v = _bounded_side(variables, box, v)
    if side_of_v is None or order not in ROOT_ORDERS:
        return None
    i, lo, hi = side_of_v
    low_ex, high_ex = excluded.get(v, (None, None))
    width = hi - lo
    if side == "low":
        image, ends = lo + v ** order, (low_ex == lo, high_ex == hi)
    else:
        image, ends = hi - v ** order, (high_ex == hi, low_ex == lo)
    top = sp.root(width, order)
    out = list(box)
    out[i] = (sp.Integer(0), top)
    moved = expr.xreplace({v: image})
    moved = clear_root_zeros(half_angles(moved, v) if order == 2 else moved, v)
    new_ends = (sp.Integer(0) if ends[0] else None, top if ends[1] else None)
    left = {**moved_past(excluded, v)}
    if new_ends != (None, None):
        left[v] = new_ends
    return moved, out, left


def reflect_atan(expr: sp.Expr, v: sp.Symbol, v_sign: int) -> sp.Expr:
    """expr with every atan(c·v^(-n)) (c a real constant ≠ 0, n ≥ 1) written as
    s·π/2 - atan(v^n/c), s the sign of its argument where v has the sign ``v_sign``:
    atan(a) + atan(1/a) = sign(a)·π/2 for every real a ≠ 0. At v = 0, the inverted tail's
    end (±∞), atan(1/t) has no value and no enclosure tight enough to close a bound
    tight there; atan(t) has both.

    >>> t = sp.Symbol("t", real=True)
    >>> reflect_atan(sp.atan(2/t) - sp.atan(-1/t**2), t, -1)
    -atan(t/2) - atan(t**2)
    """
    def reflected(node: sp.Expr) -> sp.Expr | None:
        c, power = node.args[0].as_independent(v, as_Add=False)
        if not (isinstance(power, sp.Pow) and power.base == v and power.exp.is_Integer
                and power.exp < 0 and c.is_number and (c.is_positive or c.is_negative)):
            return None
        n = -int(power.exp)
        s = (1 if c.is_positive else -1) * v_sign ** n
        return s * sp.pi / 2 - sp.atan(v ** n / c)

    swaps = {}
    for node in expr.atoms(sp.atan):
        new = reflected(node)
        if new is not None:
            swaps[node] = new
    return expr.xreplace(swaps) if swaps else expr


def root_ends(expr: sp.Expr, variables: Sequence[sp.Symbol], box: Sequence[Interval],
              excluded: Excluded, ends: Sequence[tuple[sp.Symbol, str]]
              ) -> list[tuple[str, sp.Expr, list[Interval], Excluded]]:
    """Every applicable (rule text, expression, box, excluded ends) of :func:`root_end`
    at the given (variable, side) ends, of the variable's :func:`root_order`."""
    out = []
    for v, side in ends:
        i = list(variables).index(v)
        order = root_order(expr, v, box[i][0] if side == "low" else box[i][1])
        moved = None if order is None else root_end(expr, variables, box, side, v, excluded,
                                                     order)
        if moved is not None:
            name = "root end" if order == 2 else f"root end {order}"
            out.append((f"{name}: {side} of {v}", *moved))
    return out


def inversions(expr: sp.Expr, variables: Sequence[sp.Symbol], box: Sequence[Interval],
               excluded: Excluded) -> list[tuple[str, sp.Expr, list[Interval], Excluded]]:
    """Every applicable (rule text, expression, box, excluded ends) of :func:`invert`."""
    out = []
    for v in variables:
        moved = invert(expr, variables, box, v, excluded)
        if moved is not None:
            out.append((f"inverted tail: {v}", *moved))
    return out


def touches_excluded(excluded: Excluded, variables: Sequence[sp.Symbol],
                     box: Sequence[Interval]) -> bool:
    """A side of the box (not a point) ends at an excluded end of the domain."""
    return any(lo != hi and (excluded[v][0] == lo or excluded[v][1] == hi)
               for v, (lo, hi) in zip(variables, box, strict=True) if v in excluded)


def reaches_infinity(box: Sequence[Interval]) -> bool:
    """A side of the box is unbounded (±∞ is no point of the box)."""
    return any(_infinite(lo) or _infinite(hi) for lo, hi in box)


def open_walk_applies(excluded: Excluded, variables: Sequence[sp.Symbol],
                      box: Sequence[Interval]) -> bool:
    """The boxes the open walk (:mod:`~fptheory.verify.openwalk`) is for: a side ends at an
    excluded end (:func:`touches_excluded`) or the box reaches ±∞ (:func:`reaches_infinity`)."""
    return touches_excluded(excluded, variables, box) or reaches_infinity(box)


def moved_past(excluded: Excluded, v: sp.Symbol) -> Excluded:
    """The excluded ends that apply once v's side is moved to infinity: v's no longer do.
    Its new side [-log(b - a), ∞) is in the substituted variable, whose end may equal the
    old excluded end as a number (-log 1 = 0) while it stands for an included point (x = b);
    that end is in the domain."""
    return {w: ends for w, ends in excluded.items() if w != v}


def follow(rule: str, exprs: Sequence[sp.Expr], variables: Sequence[sp.Symbol],
           box: Sequence[Interval], excluded: Excluded
           ) -> tuple[list[sp.Expr], list[Interval], str, Excluded] | None:
    """The leading ``open end``, ``root end`` and ``inverted tail`` steps of a rule applied to exprs and
    the box: (substituted exprs, box, rest of the rule, the excluded ends that still apply:
    :func:`moved_past`, :func:`invert`); None when a step does not apply."""
    exprs, box = list(exprs), list(box)
    names = {v.name: v for v in variables}
    while True:
        head, _, rest = rule.partition(" → ")
        inverted, opened = _INVERTED.fullmatch(head), _RULE.fullmatch(head)
        rooted = _ROOTED.fullmatch(head)
        if not (inverted or opened or rooted):
            return exprs, box, rule, excluded
        v = names.get(inverted.group(1) if inverted else
                      opened.group(2) if opened else rooted.group(3))
        if v is None:
            return None
        steps: list[tuple | None] = []  # (expr, box, excluded ends) per expr
        for e in exprs or [sp.Integer(0)]:
            if inverted:
                steps.append(invert(e, variables, box, v, excluded))
            elif rooted:
                steps.append(root_end(e, variables, box, rooted.group(2), v, excluded,
                                      int(rooted.group(1) or 2)))
            else:
                moved = substitute(e, variables, box, opened.group(1), v, excluded)
                steps.append(None if moved is None else (*moved, moved_past(excluded, v)))
        if any(t is None for t in steps):
            return None
        box, excluded = steps[0][1], steps[0][2]
        exprs = [t[0] for t in steps] if exprs else []
        rule = rest


def off_excluded(expr: sp.Expr, variables: Sequence[sp.Symbol], box: Sequence[Interval],
                 excluded: Excluded) -> tuple[sp.Expr, list[Interval]] | None:
    """expr and the box with every side that ends at an excluded end moved to infinity
    (:func:`substitute`, one side per variable); None when no side does."""
    e, b, moved = expr, list(box), False
    for v in variables:
        for side in ("low", "high"):
            m = substitute(e, variables, b, side, v, excluded)
            if m is not None:
                e, b, moved = m[0], m[1], True
                break
    return (e, b) if moved else None


def defined_off_excluded(kernel: Any, expr: sp.Expr, variables: Sequence[sp.Symbol],
                         box: Sequence[Interval], excluded: Excluded,
                         open_walk: bool = False) -> bool:
    """expr is shown defined on the box less the domain's excluded ends: by the kernel's
    walk on the box, or, where that fails, by the walk of :func:`off_excluded`'s substituted
    expression on its box (1/x is defined on (0, 1], the walk of e^u on [0, ∞) shows it).
    On a bounded box the guards of expr's affine form are tried first (each function's
    argument inside its domain over the argument's range): cheaper than a walk that must
    tighten a divisor or a root's argument. Last, with ``open_walk`` (a leaf's duties), on
    a box touching an excluded end or reaching ±∞ (no point of the box), by the open walk
    (:func:`~fptheory.verify.openwalk.open_defined`): log(sin(x/2)) on (0, 1]."""
    if kernel.affine_low(expr, box) is not None or kernel.defined(expr, box, extended=True):
        return True
    moved = off_excluded(expr, variables, box, excluded)
    if moved is not None and kernel.defined(moved[0], moved[1], extended=True):
        return True
    return open_walk and open_walk_applies(excluded, variables, box) and open_defined(
        kernel, expr, box, excluded)
