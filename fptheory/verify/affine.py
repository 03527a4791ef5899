r"""Affine forms of a margin over a box: the kernel's ``affine`` judgement.

The walk encloses each sub-term of a margin on its own, so a sub-term that appears twice
(or two sub-terms that move together) are enclosed as if they were independent: on a box of
width 0.2 in six variables the dihedral angle of a tetrahedron,
π/2 + atan(-Δ₄/√(4x₁Δ)), walks to ±0.12 around a value whose true spread is 0.05. An affine
form keeps the dependence on each variable to first order: a sub-term u is enclosed as

    u(x) ∈ c + Σ_i a_i ε_i + [-e, e],   ε_i = (x_i - m_i)/r_i ∈ [-1, 1],

with the box's side i the ball m_i ± r_i, exact numbers c and a_i, and an error radius
e ≥ 0 (every rounding of the ball arithmetic goes into e, so c and a_i stay exact). Sums add
the coefficients; a product keeps c·b_i + d·a_i and puts the product of the two deviations,
bounded by (Σ|a_i| + e)(Σ|b_i| + e'), into the error. A function f of u (exp, log, √, atan,
sin, powers, 1/u, ...) is expanded at the exact centre c by Taylor's theorem with the Lagrange
remainder on the range U = c ± R of u (R = Σ|a_i| + e):

    f(u) = f(c) + f'(c)(u - c) + ½ f''(ξ)(u - c)²,  ξ ∈ U,

so the linear part f'(c)·a_i stays attached to the variables and ½f''(U)·[0, R²] goes into
the centre and the error. f(c), f'(c) and ½f''(U) are python-flint power-series coefficients
(:mod:`fptheory.verify.taylor`), under that module's guards on U: a divisor ≠ 0, a root's or
logarithm's argument > 0, asin/acos inside (-1, 1) over the whole range, which also shows
every sub-term defined (and analytic) on the box. Anything without a series kernel (Abs,
sign, Heaviside, Max, Min, Piecewise) refuses the judgement.

The error of the final form is of order width², not width: where the margin is a smooth
function whose bound is not tight inside the box, boxes of moderate width close.

x(2 - x) on [7/8, 9/8] walks to [7/8, 9/8]² = [0.77, 1.27]; its affine form keeps
x = 1 + ε/8 and 2 - x = 1 - ε/8 together: 1 + 0·ε ± 1/64.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> form = affine_form(x * (2 - x), [x], {x: arb(0.875).union(arb(1.125))})
>>> round(float(form.low()), 6), round(float(form.high()), 6)
(0.984375, 1.015625)
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import sympy as sp
from flint import arb, arb_series

from fptheory.core.errors import FPTheoryError

from .backends import Undefined, _constant
from .taylor import _UNARY_KINDS, _finite, _power, _series_cap, _unary

__all__ = ["Affine", "affine_form", "compile_affine"]


def _upper(b: arb) -> arb:
    """An exact upper bound of |b|."""
    return arb(abs(b).upper())


class Affine:
    """c + Σ a_i ε_i ± e with exact c, a_i and an exact error radius e ≥ 0."""

    __slots__ = ("c", "a", "e")

    def __init__(self, c: arb, a: Sequence[arb], e: arb) -> None:
        # the radii of the ball results move into the error: c, a_i exact again
        spill = c.rad() + sum((x.rad() for x in a), arb(0))
        self.c = arb(c.mid())
        self.a = [arb(x.mid()) for x in a]
        self.e = _upper(e + spill)
        if not (self.c.is_finite() and self.e.is_finite()
                and all(x.is_finite() for x in self.a)):
            raise Undefined("an affine form is not finite on the box")

    def deviation(self) -> arb:
        """An exact upper bound of |u - c| over the box."""
        return _upper(sum((abs(x) for x in self.a), arb(0)) + self.e)

    def range(self) -> arb:
        return self.c + self.deviation() * arb(0, 1)

    def low(self) -> arb:
        return self.c - sum((abs(x) for x in self.a), arb(0)) - self.e

    def high(self) -> arb:
        return self.c + sum((abs(x) for x in self.a), arb(0)) + self.e

    def __add__(self, other: Affine) -> Affine:
        return Affine(self.c + other.c, [x + y for x, y in zip(self.a, other.a, strict=True)],
                      self.e + other.e)

    def __mul__(self, other: Affine) -> Affine:
        linear = [self.c * y + other.c * x for x, y in zip(self.a, other.a, strict=True)]
        error = (abs(self.c) * other.e + abs(other.c) * self.e
                 + self.deviation() * other.deviation())
        return Affine(self.c * other.c, linear, error)

    def apply(self, f: Callable[[arb_series], arb_series]) -> Affine:
        """f(u) by Taylor's theorem of the module docstring (f given on power series)."""
        with _series_cap(3):
            at_centre = _finite(f(arb_series([self.c, 1], prec=2)))
            over_range = _finite(f(arb_series([self.range(), 1], prec=3)))
        value = at_centre[0] if at_centre else arb(0)
        slope = at_centre[1] if len(at_centre) > 1 else arb(0)
        curvature = over_range[2] if len(over_range) > 2 else arb(0)
        square = self.deviation() ** 2
        bend = curvature * arb(0).union(square)  # ½ f''(U) (u - c)², (u - c)² ∈ [0, R²]
        return Affine(value + bend, [slope * x for x in self.a],
                      abs(slope) * self.e)


Program = Callable[[dict[sp.Symbol, arb]], Affine]


@functools.lru_cache(maxsize=256)
def compile_affine(expr: sp.Expr, variables: tuple[sp.Symbol, ...]) -> Program:
    """expr compiled once into a function of the box (symbol → ball) returning its affine
    form; each distinct sub-term evaluated once per call. Raises :class:`FPTheoryError` at
    compile time on a function without a series kernel."""
    index: dict[sp.Expr, int] = {}
    steps: list[Callable[[list[Affine], dict[sp.Symbol, arb]], Affine]] = []
    position = {v: i for i, v in enumerate(variables)}
    n = len(variables)

    def visit(e: sp.Expr) -> int:
        if e in index:
            return index[e]
        if isinstance(e, sp.Pow) and e.exp.is_number and e.base is not sp.E:
            kids = [visit(e.base)]
        elif e.args and not e.is_Number:
            kids = [visit(a) for a in e.args]
        else:
            kids = []
        steps.append(_step(e, kids, position, n))
        index[e] = len(steps) - 1
        return index[e]

    visit(sp.sympify(expr))

    def run(box: dict[sp.Symbol, arb]) -> Affine:
        out: list[Affine] = []
        for step in steps:
            out.append(step(out, box))
        return out[-1]

    return run


def _step(e: sp.Expr, kids: list[int], position: dict[sp.Symbol, int], n: int
          ) -> Callable[[list[Affine], dict[sp.Symbol, arb]], Affine]:
    zero = [arb(0)] * n
    if e.is_Symbol:
        if e not in position:
            raise FPTheoryError(f"free variable {e} has no domain")
        i = position[e]

        def symbol(out: list[Affine], box: dict[sp.Symbol, arb]) -> Affine:
            b = box[e]
            a = list(zero)
            a[i] = arb(b.rad())
            return Affine(arb(b.mid()), a, arb(0))
        return symbol
    if e.is_Atom:
        if e in (sp.oo, -sp.oo, sp.zoo, sp.nan, sp.I) or not (e.is_Number or e in (sp.pi, sp.E)):
            raise FPTheoryError(f"{e} has no affine kernel")
        return lambda out, box: Affine(_constant(e), zero, arb(0))
    if isinstance(e, sp.Add):
        def add(out: list[Affine], box: dict[sp.Symbol, arb]) -> Affine:
            total = out[kids[0]]
            for k in kids[1:]:
                total = total + out[k]
            return total
        return add
    if isinstance(e, sp.Mul):
        def mul(out: list[Affine], box: dict[sp.Symbol, arb]) -> Affine:
            total = out[kids[0]]
            for k in kids[1:]:
                total = total * out[k]
            return total
        return mul
    if isinstance(e, sp.Pow) and e.base is sp.E:
        return lambda out, box: out[kids[1]].apply(lambda s: s.exp())
    if isinstance(e, sp.Pow) and e.exp.is_number:
        if not (e.exp.is_Rational or e.exp in (sp.pi, sp.E)):
            raise FPTheoryError(f"{e} has no affine kernel")
        return lambda out, box: out[kids[0]].apply(
            lambda s: _power(s, e.exp, lambda: arb_series([_constant(e.exp)], prec=3), 3))
    if isinstance(e, sp.Pow):  # u**w = exp(w log u), u > 0
        def power(out: list[Affine], box: dict[sp.Symbol, arb]) -> Affine:
            log = out[kids[0]].apply(lambda s: _unary(sp.log, s))
            return (out[kids[1]] * log).apply(lambda s: s.exp())
        return power
    if len(e.args) == 1 and type(e) in _UNARY_KINDS:
        kind = type(e)
        return lambda out, box: out[kids[0]].apply(lambda s: _unary(kind, s))
    raise FPTheoryError(f"{type(e).__name__} has no affine kernel")


def affine_form(expr: sp.Expr, variables: Sequence[sp.Symbol], box: dict[sp.Symbol, arb]
                ) -> Affine:
    """The affine form of expr over the box (symbol → ball). Raises :class:`Undefined`
    where a guard fails or a value is not finite, :class:`FPTheoryError` on a function
    without a kernel."""
    try:
        return compile_affine(sp.sympify(expr), tuple(variables))(box)
    except (ArithmeticError, ValueError, ZeroDivisionError) as exc:
        raise (exc if isinstance(exc, Undefined) else Undefined(str(exc))) from None
