r"""Quotients at an excluded end, ``sin(x)/x >= cos(x)`` on ``0 < x <= 2``, and on tails,
``exp(-x) <= 1/(1+x)`` on ``x >= 0``.

The margin ``sin(x)/x - cos(x)`` is 0/0 at the excluded end 0: no box [0, c] passes the
kernel's definedness walk, and moving the end to infinity (x = e^(-u)) leaves ∞·0. Over
one denominator it is N/D with N = sin(x) - x·cos(x) and D = x, both defined at 0. The rule
``quotient → ⟨rule N⟩ ⟨rule D⟩`` of a leaf says:

* N/D is an admitted form of the margin (its equality established exactly by the kernel,
  :meth:`~fptheory.verify.kernel.Kernel.admit`; the re-check admits it again);
* the margin itself is defined on the box less the domain's excluded ends
  (:func:`~fptheory.verify.openends.defined_off_excluded`), or it is built by +, × and
  integer powers from sub-terms without a division that each pass the walk on the box,
  and each of its divisors divides D (D = divisor × a polynomial in those sub-terms, so
  D ≠ 0 makes every divisor ≠ 0: :func:`defined_where_denominator_is`);
* N ≥ 0 (> 0 for a strict statement) is closed on the box by the first rule, and D > 0 by
  the second (strictly: off an excluded face it may reach 0 on, as x does at 0).

On a tail [X, ∞) a margin that tends to 0 (1/(1+x) - e^(-x)) has enclosures no bisection
narrows; over one denominator its numerator e^x - 1 - x grows, and the same rule closes it.

At every point of the box in the domain, then, D > 0, N ≥ 0 and the margin equals N/D,
so it is ≥ 0. On a leaf (the rule at the top), the sub-terms of the typed statement that
must be defined too (its divisors, such as 1/(e^x - 1) in ``x/(exp(x) - 1) <= 1``) are
checked the same way, where D ≠ 0, instead of by the walk on the closed box. The
numerator and denominator are also taken with both signs negated (N/D = (-N)/(-D)).
Nothing here decides: every step is a kernel judgement, replayed by ``recheck``.

>>> import sympy as sp
>>> x = sp.Symbol("x", positive=True)
>>> [sp.sstr(e) for e in quotient_parts(sp.cancel(sp.together(sp.sin(x)/x - sp.cos(x))))]
['-x*cos(x) + sin(x)', 'x']
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

import sympy as sp

from .limits import bounded, manageable
from .openends import defined_off_excluded

__all__ = ["quotient_parts", "quotient_candidates", "quotient_defined", "close_quotient",
           "defined_where_denominator_is", "duties_checked_by_quotient"]


def duties_checked_by_quotient(rule: str) -> bool:
    """A leaf's rule that reaches the quotient rule on the leaf's own box at the top level,
    directly or after cases of kinked nodes (``kink 0: case 0 → quotient → …``, each case
    the same box at the same depth): the quotient rule has then checked the typed
    statement's sub-terms itself, wherever its denominator is not 0."""
    return re.sub(r"^(kink \d{1,2}: case \d{1,2} → )*", "", rule).startswith("quotient → ")


def quotient_parts(form: sp.Expr) -> tuple[sp.Expr, sp.Expr] | None:
    """(N, D) of a form written N/D with a denominator that is not a number; else None."""
    n, d = sp.fraction(form)
    if d.is_number:
        return None
    return n, d


#: a divisor b may need a power of the denominator: (1 - e^(-x))² divides no multiple of
#: D = 12x²(e^x - 1) but divides D² (1 - 2e^(-x) + e^(-2x) against 12x²e^x - 12x²)
DIVISOR_POWERS = (1, 2, 3)


def defined_where_denominator_is(kernel: Any, expr: sp.Expr, d: sp.Expr, box: list,
                                 seconds: float = 2.0) -> bool:
    """expr is defined at every point of the box where d ≠ 0: expr is +, × and integer
    powers of sub-terms that contain no division and pass the kernel's walk on the box, and
    every divisor — a negative power b⁻ᵠ — either passes the walk on the whole box itself,
    or has q an integer and dᵏ/b cancel to a polynomial p in them for some k in
    :data:`DIVISOR_POWERS` (b·p = dᵏ: where d ≠ 0, b ≠ 0)."""
    stack = [expr]
    while stack:
        e = stack.pop()
        if e.is_Atom:
            continue
        if isinstance(e, (sp.Add, sp.Mul)):
            stack.extend(e.args)
            continue
        if isinstance(e, sp.Pow) and e.exp.is_negative and kernel.defined(e, box, extended=True):
            continue  # (a divisor apart from 0 on the whole box: 1/cos(x) of tan(x))
        if isinstance(e, sp.Pow) and e.exp.is_Rational and e.exp.is_negative \
                and not e.exp.is_Integer:
            # b^(-q) needs b > 0: b ≥ 0 on the whole box by its root's walk, b ≠ 0 where d is
            if not (kernel.defined(sp.sqrt(e.base), box, extended=True)
                    and _divides_a_power(e.base, d, seconds)):
                return False
            continue
        if isinstance(e, sp.Pow) and e.exp.is_Integer:
            base = e.base.args[0] if isinstance(e.base, sp.Abs) else e.base  # |f| = 0 iff f = 0
            # (bⁿ itself may divide dᵏ where b does not, once a root's square is evaluated:
            # (1 - √(2x + 1))² = 2(x + 1 - √(2x + 1)), and bⁿ ≠ 0 makes b ≠ 0)
            if e.exp < 0 and not (_divides_a_power(base, d, seconds)
                                  or _divides_a_power(base**-e.exp, d, seconds)):
                return False
            stack.append(e.base)
            continue
        if any(isinstance(s, sp.Pow) and s.exp.is_negative for s in sp.preorder_traversal(e)):
            return False
        if not kernel.defined(e, box, extended=True):
            return False
    return True


@functools.lru_cache(maxsize=4096)
def _divides_a_power(b: sp.Expr, d: sp.Expr, seconds: float) -> bool:
    """dᵏ/b cancels to a polynomial for some k in :data:`DIVISOR_POWERS`, dᵏ as it stands
    or with its even powers of sines and cosines of half angles written through the whole
    angle (sin²(u/2) = (1 - cos u)/2, an identity: 2x²·sin²(x/2) is x²(1 - cos x), a
    multiple of 1 - cos³x's factor 1 - cos x). Asked once per pair: the same divisor and denominator
    come back on every box of a search."""
    def polynomial(power: sp.Expr) -> bool:
        q = bounded(lambda: sp.cancel(power / b), seconds, None)
        return q is not None and bool(sp.fraction(q)[1].is_number)
    return any(polynomial(d**k) or (d.has(sp.sin, sp.cos) and polynomial(_double_angles(d**k)))
               for k in DIVISOR_POWERS)


def _double_angles(expr: sp.Expr) -> sp.Expr:
    """expr with every even power of a sine or cosine of a half angle (u/2, the argument's
    coefficient with an even denominator) written through the cosine of u: the same
    function."""
    def even_trig(e: sp.Expr) -> bool:
        return bool(e.is_Pow and e.exp.is_Integer and e.exp > 0 and e.exp % 2 == 0
                    and isinstance(e.base, (sp.sin, sp.cos))
                    and e.base.args[0].as_coeff_Mul()[0].q % 2 == 0)

    def double(e: sp.Expr) -> sp.Expr:
        sign = -1 if isinstance(e.base, sp.sin) else 1
        return ((1 + sign * sp.cos(2 * e.base.args[0])) / 2) ** (e.exp // 2)
    return sp.expand(expr).replace(even_trig, double)


def quotient_candidates(kernel: Any, expr: sp.Expr) -> list[tuple[sp.Expr, sp.Expr]]:
    """(N, D) of every admitted form N/D of expr, and of expr itself where it is written
    N/D (x²/(x + y)) and N/D is admitted as equal to it."""
    out = []
    for form in [expr, *kernel.forms_of(expr)]:
        parts = quotient_parts(form)
        if parts is not None and (form is not expr or kernel.admit(expr, parts[0] / parts[1])):
            out.append(parts)
    return out


def quotient_defined(p: Any, expr: sp.Expr, d: sp.Expr, box: list, depth: int,
                     seconds: float = 2.0) -> bool:
    """The definedness condition of the rule: expr — and, on a leaf (depth 0), the typed
    statement's sub-terms ``p.duties`` — defined on the box less its excluded ends, or
    wherever the denominator d is not 0 (:func:`defined_where_denominator_is`)."""
    return all(defined_off_excluded(p.kernel, e, p.variables, box, p.excluded)
               or defined_where_denominator_is(p.kernel, _as_sines_and_cosines(e, False), d,
                                               box, seconds)
               for e in [expr, *(p.duties if depth == 0 else [])])


def _as_sines_and_cosines(expr: sp.Expr, evaluate: bool = True) -> sp.Expr:
    """tan, cot, sec, csc (tanh, coth) written through sin and cos (sinh and cosh): the pole
    of tan at π/2 is then the zero of a denominator (tan(x) > x + x³/3 on 0 < x < π/2).
    Each is the same function on the same real domain (tan a is defined exactly where
    cos a ≠ 0). With ``evaluate=False`` nothing else is rewritten — cos(x)·tan(x) keeps its
    1/cos(x), which sympy's evaluation would cancel — as definedness needs."""
    def ratio(top: type, bottom: type) -> Any:
        return lambda a: sp.Mul(top(a), sp.Pow(bottom(a), -1))
    with sp.evaluate(evaluate):
        for f, top, bottom in ((sp.tan, sp.sin, sp.cos), (sp.cot, sp.cos, sp.sin),
                               (sp.tanh, sp.sinh, sp.cosh), (sp.coth, sp.cosh, sp.sinh)):
            expr = expr.replace(f, ratio(top, bottom))
        expr = expr.replace(sp.sec, lambda a: sp.Pow(sp.cos(a), -1))
        return expr.replace(sp.csc, lambda a: sp.Pow(sp.sin(a), -1))


def close_quotient(p: Any, expr: sp.Expr, box: list, strict: bool, depth: int,
                   decide: Callable[..., tuple[str, str]], proved: str) -> str | None:
    """The branches ``⟨rule N⟩ ⟨rule D⟩`` when the quotient rule of the module docstring
    closes expr on the box (the form over one denominator proposed here and admitted by
    the kernel); None otherwise. ``decide`` is the search's, ``proved`` its PROVED."""
    if expr not in p.over_one_denominator and manageable(expr) and not expr.has(sp.Float):
        # the same margin comes back on every box: sympy's cancel of it once is enough
        p.over_one_denominator.add(expr)
        for written in (expr, _as_sines_and_cosines(expr)):
            form = bounded(lambda w=written: sp.cancel(sp.together(w)), min(2.0, p.seconds_left()),
                           None)
            if form is not None and quotient_parts(form) is not None:
                p.kernel.admit(expr, form)
    for parts in quotient_candidates(p.kernel, expr):
        if not quotient_defined(p, expr, parts[1], box, depth, min(2.0, p.seconds_left())):
            continue
        for n, d in (parts, (-parts[0], -parts[1])):
            status, rule_n = decide(p, n, box, strict, depth + 1)
            if status != proved:
                continue
            status, rule_d = decide(p, d, box, True, depth + 1)
            if status == proved:
                return f"⟨{rule_n}⟩ ⟨{rule_d}⟩"
    return None
