"""Exact equality of two expressions: how the kernel admits a rewritten form.

A form (a factored, normalised or quotient form of a margin) is used by the kernel only
when its equality with the original is established here — exactly, by sympy steps under a
deadline, never by sampling or floats (:func:`exactly_equal`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sympy as sp
from flint import arb

from .backends import ARB, Undefined, compile_balls
from .limits import bounded, manageable

__all__ = ["exactly_equal", "zero_at", "smallest_bases", "angle_sum_is_zero"]

_HYPERBOLIC = [sp.sinh, sp.cosh, sp.tanh, sp.sech, sp.csch, sp.coth]


def smallest_bases(expr: sp.Expr) -> sp.Expr:
    """expr with every power n^u of an integer n = m^k (m not a power itself, k ≥ 2) written
    m^(k·u), an identity for every real u (n > 0): 4^t and 2^t are then powers of one
    generator, and 1/12 − t(2^t − 3t)/4^t factors as (2^t − 6t)²/(12·2^(2t)) (AMC 12B
    2020/22), which ``cancel`` shows equal once both are written so.

    >>> t = sp.Symbol("t", real=True)
    >>> smallest_bases(4**t + 27**(t/3) + 6**t)
    2**(2*t) + 3**t + 6**t
    """
    def rebase(e: sp.Pow) -> sp.Expr:
        power = sp.perfect_power(int(e.base))  # (m, k) with the largest k, or False
        return sp.Pow(power[0], power[1] * e.exp) if power else e
    return expr.replace(lambda e: isinstance(e, sp.Pow) and e.base.is_Integer
                        and 1 < e.base < 2**64 and not e.exp.is_number, rebase)


def _is_zero_by(method: Callable[[], sp.Expr], seconds: float) -> bool:
    value = bounded(method, seconds, None)
    return value is not None and value == 0


#: the most variables under |·| whose signs :func:`_zero_by_signs` takes in turn
MAX_SIGNED = 2


def _zero_by_signs(d: sp.Expr, signed: Sequence[sp.Symbol]) -> bool:
    """d is 0 wherever it is defined, taking each variable v of ``signed`` (one under |·| in
    d) as p, as -p (p > 0: |v| is then ±p) and as 0 in turn. Where v = ±p, the base of every
    fractional power is factored (an identity wherever the base is defined) so that sympy
    takes the positive factors out of the root (√(p² + p) = √p·√(p + 1)), and d over one
    denominator must cancel to 0. Where v = 0, d must cancel to 0 or read zoo or nan there
    (a sub-term of one side is then undefined at every such point: 1/0, log 0).
    x·√(1 + 1/x)·|x|/x = √(x² + x) where both sides are defined (x ≠ 0), which ``cancel``
    cannot see through |x| and ``simplify`` takes seconds to miss.

    >>> x = sp.Symbol("x", real=True)
    >>> _zero_by_signs(sp.sqrt(x**2 + x) - sp.Abs(x)*sp.sqrt(1 + 1/x), [x])
    True
    >>> _zero_by_signs(sp.sqrt(x**2 + x) - x*sp.sqrt(1 + 1/x) + 0*sp.Abs(x), [x])
    False
    >>> _zero_by_signs(sp.Abs(x) - x, [x])
    False
    """
    if not signed:
        rooted = d.replace(lambda e: isinstance(e, sp.Pow) and e.exp.is_Rational
                           and not e.exp.is_Integer, lambda e: sp.factor(e.base) ** e.exp)
        return sp.cancel(sp.together(rooted)) == 0
    v, rest = signed[0], signed[1:]
    p = sp.Dummy("p", positive=True)
    at_zero = d.xreplace({v: sp.Integer(0)})
    if not (at_zero.has(sp.zoo, sp.nan) or _zero_by_signs(at_zero, rest)):
        return False
    return all(_zero_by_signs(d.xreplace({v: sign * p}), rest) for sign in (1, -1))


def exactly_equal(a: sp.Expr, b: sp.Expr, seconds: float = 5.0) -> str | None:
    """How a = b was established as an identity of expressions (equal wherever both are
    defined), or None. Tried in order: structural equality; for two rational functions,
    ``cancel`` of each (lowest terms over one denominator) giving the same expression;
    ``cancel`` of a - b (a decision procedure for rational functions); the same after
    writing hyperbolic functions and powers of exponentials as exponentials and powers of
    integers n = m^k as powers of m (:func:`smallest_bases`); the same for
    each sign of the variables under |·| (:func:`_zero_by_signs`); ``simplify(a - b) == 0``. Each sympy step
    runs under a deadline of ``seconds``. Expressions with floats are never equal by this
    test unless structurally equal (a float is a binary number; rewriting it decides
    nothing exactly).

    >>> x = sp.Symbol("x", real=True)
    >>> exactly_equal(x**2 - 2*x + 1, (x - 1)**2)
    'cancel each'
    >>> exactly_equal(1/(x + 1) - 1/(x - 1), -2/(x**2 - 1))
    'cancel each'
    >>> exactly_equal(1/(x + 1), 1/(x - 1)) is None
    True
    >>> exactly_equal(sp.Rational(1, 3) * x, sp.Float(0.333333333333333) * x) is None
    True
    """
    if a == b:
        return "identical"
    if a.has(sp.Float) or b.has(sp.Float) or not (manageable(a) and manageable(b)):
        return None
    if any(isinstance(e, sp.Basic) and e.has(sp.nan, sp.zoo, sp.oo, -sp.oo) for e in (a, b)):
        return None
    d = a - b
    if d == 0:
        return "identical"
    if a.is_rational_function() and b.is_rational_function() and bounded(
            lambda: sp.cancel(a) == sp.cancel(b), seconds, False):
        # each over one denominator, in lowest terms: p/q is canonical, and the two
        # quotients are the same expression only if a = b (ten times quicker than the
        # difference, whose denominator is the product of both)
        return "cancel each"
    if _is_zero_by(lambda: sp.cancel(sp.together(d)), seconds):
        return "cancel"
    if _is_zero_by(lambda: sp.cancel(sp.together(smallest_bases(sp.powsimp(sp.expand_power_exp(
            d.rewrite(_HYPERBOLIC, sp.exp)))))), seconds):
        return "cancel in exponentials"
    signed = sorted({n.args[0] for n in d.atoms(sp.Abs) if n.args[0].is_Symbol},
                    key=sp.default_sort_key)
    if 0 < len(signed) <= MAX_SIGNED and bounded(lambda: _zero_by_signs(d, signed), seconds,
                                                 False):
        return "cancel by signs"
    if _is_zero_by(lambda: sp.simplify(d), seconds):
        return "simplify"
    return None


def zero_at(expr: sp.Expr, variables: Sequence[sp.Symbol], point: Sequence[sp.Expr],
            seconds: float) -> bool:
    """sympy proves expr at the exact point equal to 0 (``simplify`` of the substituted value,
    within ``seconds``). Refused on huge points, where simplify expands functions of huge
    integers for minutes, and where Max or Min appear: sympy builds Max/Min of numbers by
    15-digit comparisons, and next to a tie it may pick the wrong argument and hand back an
    exact 0 that is not one. A coordinate may be its variable itself: then the value is shown
    0 identically in that (real) variable, wherever it is defined — the Taylor coefficients at
    a face of a box (:meth:`~fptheory.verify.kernel.Kernel.taylor`).

    >>> x, y = sp.symbols("x y", real=True)
    >>> zero_at(sp.sin(x)**2 + sp.cos(x)**2 - 1, [x], [sp.pi/7], 1.0)
    True
    >>> zero_at(sp.exp(x + y) - sp.exp(x)*sp.exp(y)**2, [x, y], [x, 0], 1.0)
    True
    >>> zero_at(sp.exp(x + y) - sp.exp(x)*sp.exp(y)**2, [x, y], [x, 1], 1.0)
    False
    """
    coordinates = [sp.sympify(p) for p in point]
    if expr.has(sp.Max, sp.Min) or any(
            bool(abs(p) > 2**16) if p.is_number else p != v
            for v, p in zip(variables, coordinates, strict=True)):
        return False

    def zero() -> bool:
        value = expr.subs(dict(zip(variables, point, strict=True)))
        if not manageable(value) or value.has(sp.nan, sp.zoo, sp.oo, -sp.oo, sp.I):
            return False
        return sp.count_ops(value) <= 40 and (sp.simplify(value) == 0
                                              or angle_sum_is_zero(value))
    return bool(bounded(zero, seconds, False))


#: at most this many inverse trigonometric terms, each with |coefficient| ≤ this
MAX_ANGLES, MAX_MULTIPLE = 8, 12


def angle_sum_is_zero(value: sp.Expr) -> bool:
    """A number c·π + Σ c_k·θ_k, each θ_k an atan, acos or asin of a real algebraic number
    and every c rational, shown exactly 0: with N the least common denominator of the c's,
    θ_k = arg w_k for w_k = 1 + i·a (atan a), u + i·√(1 − u²) (acos u), √(1 − u²) + i·u
    (asin u), so N·value ≡ arg W (mod 2π) for W = (−1)^(Nc)·Π w_k^(N·c_k) (a w^(−n) read as
    conj(w)^n, the same argument). Where W's imaginary part is exactly 0 (its minimal
    polynomial is x) and its real part > 0 (an arb enclosure), N·value is a multiple of 2π;
    an arb enclosure of N·value inside (−2π, 2π) leaves only 0. sympy's simplify does not
    see that 3π/2 − 3·atan(2√2) − 3·atan(√2/4) = 0 (Flyspeck's sharp taum ≥ 0 at the
    regular tetrahedron, y = 2); this does.

    >>> angle_sum_is_zero(sp.pi/2 - sp.atan(2*sp.sqrt(2)) - sp.atan(sp.sqrt(2)/4))
    True
    >>> angle_sum_is_zero(sp.acos(sp.Rational(1, 3)) - sp.atan(2*sp.sqrt(2)))
    True
    >>> angle_sum_is_zero(sp.pi/4 - sp.atan(sp.Rational(1, 2)) - sp.atan(sp.Rational(1, 4)))
    False
    """
    pi_part, angles = sp.Integer(0), []
    for term in sp.Add.make_args(sp.expand(value)):
        c, rest = term.as_coeff_Mul()
        if rest == sp.pi or rest == 1:
            if rest == 1 and c != 0:
                return False
            pi_part += c
        elif isinstance(rest, (sp.atan, sp.acos, sp.asin)) and c.is_Rational \
                and rest.args[0].is_real and rest.args[0].is_algebraic:
            angles.append((c, rest))
        else:
            return False
    if not angles or len(angles) > MAX_ANGLES or not pi_part.is_Rational:
        return False
    n = int(sp.ilcm(*[c.q for c, _ in angles], pi_part.q))
    if any(abs(c * n) > MAX_MULTIPLE for c, _ in angles) or abs(pi_part * n) > 4 * MAX_MULTIPLE:
        return False
    w = sp.Integer(-1) ** int(pi_part * n)
    for c, angle in angles:
        a = angle.args[0]
        z = {sp.atan: 1 + sp.I * a, sp.acos: a + sp.I * sp.sqrt(1 - a**2),
             sp.asin: sp.sqrt(1 - a**2) + sp.I * a}[type(angle)]
        k = int(c * n)
        w *= (z if k > 0 else sp.conjugate(z)) ** abs(k)
    w = sp.expand(w)
    x = sp.Dummy("x")
    try:
        if sp.minimal_polynomial(sp.im(w), x) != x:
            return False
        re, whole = (compile_balls(e, [], ARB)([]) for e in (sp.re(w), n * value))
    except (NotImplementedError, ValueError, TypeError, Undefined):
        return False
    return bool(re > 0) and bool(abs(whole) < 2 * arb.pi())
