r"""Affine forms of a margin over a box: the kernel's ``affine`` judgement.

The walk encloses each sub-term of a margin on its own, so a sub-term that appears twice
(or two sub-terms that move together) are enclosed as if they were independent: on a box of
width 0.2 in six variables the dihedral angle of a tetrahedron,
π/2 + atan(-Δ₄/√(4x₁Δ)), walks to ±0.12 around a value whose true spread is 0.05. An affine
form keeps the dependence on each variable to first order: a sub-term u is enclosed as

    u(x) ∈ c + Σ_i a_i ε_i + [-dn, up],   ε_i = (x_i - m_i)/r_i ∈ [-1, 1],

with the box's side i the ball m_i ± r_i, exact numbers c and a_i, and an error interval
[-dn, up] around 0 (every rounding of the ball arithmetic goes into it, so c and a_i stay
exact). Sums add the coefficients; a product keeps c·b_i + d·a_i and puts the product of
the two deviations, bounded by (Σ|a_i| + e)(Σ|b_i| + e') with e = max(dn, up), into the
error (a product by an exact number scales the error, keeping its sides). A function f of u
(exp, log, √, atan, sin, powers, 1/u, ...) is expanded at the exact centre c by Taylor's
theorem with the Lagrange remainder on the range U of u (within c ± R, R = Σ|a_i| + e):

    f(u) = f(c) + f'(c)(u - c) + ½ f''(ξ)(u - c)²,  ξ ∈ U,

so the linear part f'(c)·a_i stays attached to the variables and ½f''(U)·[0, R²] goes into
the error, on the side of the curvature's sign. f(c), f'(c) and ½f''(U) are python-flint
power-series coefficients (:mod:`fptheory.verify.taylor`), under that module's guards on
U: a divisor ≠ 0, a root's or logarithm's argument > 0, asin/acos inside (-1, 1) over the
whole range, which also shows every sub-term defined (and analytic) on the box. Anything
without a series kernel (Abs, sign, Heaviside, Max, Min, Piecewise) refuses the judgement.

The same rules carry the partial derivatives (:func:`affine_slopes`): (uv)′ = u′v + uv′
on affine forms and f(u)′ = f′(u)·u′, with f′(u) expanded at c as f(u) is, from f's series
one coefficient further. Their ranges sign the monotone rule where the series slopes of
:mod:`fptheory.verify.taylor` (each coefficient enclosed over the whole box on its own) do
not.

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
from typing import Any

import sympy as sp
from flint import arb, arb_series

from fptheory.core.errors import FPTheoryError

from .backends import Undefined, _constant
from .taylor import _UNARY_KINDS, _finite, _power, _series_cap, _unary

__all__ = ["Affine", "Slope", "affine_form", "affine_low", "affine_slopes", "compile_affine",
           "compile_program"]


def _upper(b: arb) -> arb:
    """An exact upper bound of |b|."""
    return abs(b).upper()


def _exact(coefficients: dict[Any, arb]) -> tuple[dict[Any, arb], arb]:
    """The coefficients with their balls' radii moved out: (exact nonzero midpoints, an
    exact upper bound of the sum of the radii). A coefficient that is exactly 0 is left
    out (its term is 0); a value that is not finite refuses the form."""
    spill, out = arb(0), {}
    for key, x in coefficients.items():
        if not x.is_exact():
            spill += x.rad()
            x = x.mid()
        if not x.is_finite():
            raise Undefined("a model of the margin is not finite on the box")
        if not x.is_zero():
            out[key] = x
    return out, spill


def _settled(c: arb, spill: arb, dn: arb, up: arb, what: str) -> tuple[arb, arb, arb]:
    """A form's exact centre and error sides: c's radius and ``spill`` (the coefficients'
    radii, :func:`_exact`) move into both sides, each an exact upper bound; a value that
    is not finite refuses the form (``what`` names it)."""
    if not c.is_exact():
        spill += c.rad()
        c = c.mid()
    dn, up = _upper(dn + spill), _upper(up + spill)
    if not (c.is_finite() and dn.is_finite() and up.is_finite()):
        raise Undefined(f"{what} is not finite on the box")
    return c, dn, up


class _Form:
    """c + Σ a_k ε^k + δ with exact c and a_k (k a variable's index, or a tuple of them)
    and an error δ ∈ [-dn, up], exact dn, up ≥ 0: the arithmetic that forms with one
    dictionary of coefficients share (:class:`Affine`, :class:`~fptheory.verify.cubic.Cubic`)."""

    __slots__ = ("c", "a", "dn", "up")
    WHAT = "a form"

    def __init__(self, c: arb, a: dict[Any, arb], dn: arb, up: arb) -> None:
        # the radii of the ball results move into the error: c, a_k exact again
        self.a, spill = _exact(a)
        self.c, self.dn, self.up = _settled(c, spill, dn, up, self.WHAT)

    def _constant(self) -> bool:
        return not self.a and self.dn.is_zero() and self.up.is_zero()

    def _scaled(self, k: arb) -> Any:
        """k·u for an exact number k: the error keeps its sides (swapped for k < 0)."""
        dn, up = (self.dn, self.up) if k >= 0 else (self.up, self.dn)
        return type(self)(self.c * k, {i: x * k for i, x in self.a.items()}, dn * abs(k),
                          up * abs(k))

    def __add__(self, other: Any) -> Any:
        return type(self)(self.c + other.c, _merged(self.a, other.a), self.dn + other.dn,
                          self.up + other.up)


def _by_constant(u: Any, v: Any) -> Any:
    """u·v where one factor is an exact constant (no terms, no error): the other scaled by
    it (``_scaled``, which keeps the error's sides); None otherwise. Shared by the affine,
    second- and third-order models' products."""
    if v._constant():
        return u._scaled(v.c)
    if u._constant():
        return v._scaled(u.c)
    return None


def _sided(slope: arb, dn: arb, up: arb) -> tuple[arb, arb]:
    """The error sides of slope·δ for δ ∈ [-dn, up]: kept on their sides for a slope ≥ 0,
    swapped for one ≤ 0, the larger on both for a slope of either sign."""
    s = _upper(slope)
    if slope >= 0:
        return s * dn, s * up
    if slope <= 0:
        return s * up, s * dn
    return s * dn.max(up), s * dn.max(up)


def _expansion(f: Callable[[arb_series], arb_series], centre: arb, spread: arb,
               order: int) -> tuple[list[arb], arb]:
    """f's Taylor coefficients 0 … order - 1 at the exact centre and its coefficient
    ``order`` over the range ``spread`` (the Lagrange remainder's), from f on power series
    under :mod:`fptheory.verify.taylor`'s guards; a coefficient past a series' end is 0."""
    with _series_cap(order + 1):
        at_centre = _finite(f(arb_series([centre, 1], prec=order)))
        over_range = _finite(f(arb_series([spread, 1], prec=order + 1)))
    coefficients = [at_centre[j] if len(at_centre) > j else arb(0) for j in range(order)]
    return coefficients, over_range[order] if len(over_range) > order else arb(0)


def _merged(a: dict[Any, arb], b: dict[Any, arb]) -> dict[Any, arb]:
    """The coefficients of a sum: a_k + b_k, a key missing from one side standing for 0."""
    out = dict(a)
    for key, y in b.items():
        out[key] = out[key] + y if key in out else y
    return out


class Affine(_Form):
    """c + Σ a_i ε_i + δ with exact c, a_i and an error δ ∈ [-dn, up], exact dn, up ≥ 0.
    The coefficients a are kept by variable index, the 0 ones left out (most sub-terms
    depend on few of the variables). The error is one-sided where it can be (a convex
    function's curvature term lies above its tangent): a bound tight at a box's centre,
    e^{x+y} ≥ 1 + x + y on a box centred on x + y = 0, then has a lower end of exactly 0."""

    __slots__ = ()
    WHAT = "an affine form"

    def _spread(self) -> arb:
        return sum((abs(x) for x in self.a.values()), arb(0))

    def deviation(self) -> arb:
        """An exact upper bound of |u - c| over the box."""
        return _upper(self._spread() + self.dn.max(self.up))

    def range(self) -> arb:
        return self.low().union(self.high())

    def low(self) -> arb:
        return self.c - self._spread() - self.dn

    def high(self) -> arb:
        return self.c + self._spread() + self.up

    def __mul__(self, other: Affine) -> Affine:
        scaled = _by_constant(self, other)
        if scaled is not None:
            return scaled
        linear = _merged({i: other.c * x for i, x in self.a.items()},
                         {i: self.c * y for i, y in other.a.items()})
        error = (abs(self.c) * other.dn.max(other.up) + abs(other.c) * self.dn.max(self.up)
                 + self.deviation() * other.deviation())
        return Affine(self.c * other.c, linear, error, error)

    def apply(self, f: Callable[[arb_series], arb_series], *, derivative: bool = False
              ) -> Affine:
        """f(u) by Taylor's theorem of the module docstring (f given on power series); with
        ``derivative``, f′(u) the same way, f′(c) + f″(c)(u - c) + ½ f‴(ξ)(u - c)², read off
        f's own series one coefficient further (f is analytic on U, as the guards show)."""
        k = 1 if derivative else 0
        with _series_cap(3 + k):
            at_centre = _finite(f(arb_series([self.c, 1], prec=2 + k)))
            over_range = _finite(f(arb_series([self.range(), 1], prec=3 + k)))

        def taylor(series: list[arb], j: int) -> arb:
            # coefficient j of f (k = 0) or of f′ (k = 1): (j + 1)·a_{j+1} for f = Σ a_j t^j
            return series[j + k] * (j + 1 if k else 1) if len(series) > j + k else arb(0)
        value, slope, curvature = taylor(at_centre, 0), taylor(at_centre, 1), taylor(over_range, 2)
        # slope·δ for δ ∈ [-dn, up]; ½ g″(U)·(u - c)² for (u - c)² ∈ [0, R²]
        dn, up = _sided(slope, self.dn, self.up)
        square = self.deviation() ** 2
        if curvature.lower() < 0:
            dn += _upper(curvature.lower()) * square
        if curvature.upper() > 0:
            up += _upper(curvature.upper()) * square
        return Affine(value, {i: slope * x for i, x in self.a.items()}, dn, up)


class Slope:
    """A sub-term's affine form and, where asked, the affine forms of its partial
    derivatives (None: exactly 0), carried by the chain rule on affine forms."""

    __slots__ = ("value", "grad")

    def __init__(self, value: Affine, grad: list[Affine | None] | None) -> None:
        self.value, self.grad = value, grad

    def __add__(self, other: Slope) -> Slope:
        if self.grad is None or other.grad is None:
            return Slope(self.value + other.value, None)
        return Slope(self.value + other.value, [
            a if b is None else b if a is None else a + b
            for a, b in zip(self.grad, other.grad, strict=True)])

    def __mul__(self, other: Slope) -> Slope:
        if self.grad is None or other.grad is None:
            return Slope(self.value * other.value, None)
        grad: list[Affine | None] = []
        for a, b in zip(self.grad, other.grad, strict=True):  # (uv)' = u'v + uv'
            terms = ([a * other.value] if a is not None else []) + (
                [self.value * b] if b is not None else [])
            grad.append(None if not terms else terms[0] if len(terms) == 1
                        else terms[0] + terms[1])
        return Slope(self.value * other.value, grad)

    def apply(self, f: Callable[[arb_series], arb_series]) -> Slope:
        value = self.value.apply(f)
        if self.grad is None or all(g is None for g in self.grad):
            return Slope(value, self.grad)
        outer = self.value.apply(f, derivative=True)  # f(u)' = f'(u)·u'
        return Slope(value, [None if g is None else outer * g for g in self.grad])


Program = Callable[[dict[sp.Symbol, arb]], Any]


@functools.lru_cache(maxsize=256)
def compile_affine(expr: sp.Expr, variables: tuple[sp.Symbol, ...], gradient: bool = False
                   ) -> Program:
    """expr compiled once into a function of the box (symbol → ball) returning its affine
    form (with ``gradient``, those of its partial derivatives too); each distinct sub-term
    evaluated once per call. Raises :class:`FPTheoryError` at compile time on a function
    without a series kernel."""
    n = len(variables)

    def symbol(i: int, b: arb) -> Slope:
        grad: list[Affine | None] | None = [None] * n if gradient else None
        if grad is not None:
            grad[i] = Affine(arb(1), {}, arb(0), arb(0))
        return Slope(Affine(arb(b.mid()), {i: arb(b.rad())}, arb(0), arb(0)), grad)

    def constant(c: arb) -> Slope:
        return Slope(Affine(c, {}, arb(0), arb(0)), [None] * n if gradient else None)
    return compile_program(sp.sympify(expr), variables, symbol, constant)


def compile_program(expr: sp.Expr, variables: Sequence[sp.Symbol],
                    symbol: Callable[[int, arb], Any], constant: Callable[[arb], Any]
                    ) -> Program:
    """expr compiled into a function of the box (symbol → ball) over any arithmetic of
    forms: ``symbol(i, ball)`` and ``constant(exact ball)`` make the leaves, and the forms
    support ``+``, ``*`` and ``apply(f)`` (f given on power series). Each distinct sub-term
    is evaluated once per call. Raises :class:`FPTheoryError` at compile time on a function
    without a series kernel."""
    index: dict[sp.Expr, int] = {}
    steps: list[Callable[[list[Any], dict[sp.Symbol, arb]], Any]] = []
    position = {v: i for i, v in enumerate(variables)}

    def visit(e: sp.Expr) -> int:
        if e in index:
            return index[e]
        if isinstance(e, sp.Pow) and e.exp.is_number and e.base is not sp.E:
            kids = [visit(e.base)]
        elif e.args and not e.is_Number:
            kids = [visit(a) for a in e.args]
        else:
            kids = []
        steps.append(_step(e, kids, position, symbol, constant))
        index[e] = len(steps) - 1
        return index[e]

    visit(expr)

    def run(box: dict[sp.Symbol, arb]) -> Any:
        out: list[Any] = []
        for step in steps:
            out.append(step(out, box))
        return out[-1]

    return run


def _step(e: sp.Expr, kids: list[int], position: dict[sp.Symbol, int],
          symbol: Callable[[int, arb], Any], constant: Callable[[arb], Any]
          ) -> Callable[[list[Any], dict[sp.Symbol, arb]], Any]:
    if e.is_Symbol:
        if e not in position:
            raise FPTheoryError(f"free variable {e} has no domain")
        i = position[e]
        return lambda out, box: symbol(i, box[e])
    if e.is_Atom:
        if e in (sp.oo, -sp.oo, sp.zoo, sp.nan, sp.I) or not (e.is_Number or e in (sp.pi, sp.E)):
            raise FPTheoryError(f"{e} has no affine kernel")
        return lambda out, box: constant(_constant(e))
    if isinstance(e, (sp.Add, sp.Mul)):
        add = isinstance(e, sp.Add)

        def fold(out: list[Any], box: dict[sp.Symbol, arb]) -> Any:
            total = out[kids[0]]
            for k in kids[1:]:
                total = total + out[k] if add else total * out[k]
            return total
        return fold
    if isinstance(e, sp.Pow) and e.base is sp.E:
        return lambda out, box: out[kids[1]].apply(lambda s: s.exp())
    if isinstance(e, sp.Pow) and e.exp.is_number:
        if not (e.exp.is_Rational or e.exp in (sp.pi, sp.E)):
            raise FPTheoryError(f"{e} has no affine kernel")
        return lambda out, box: out[kids[0]].apply(
            lambda s: _power(s, e.exp, lambda: arb_series([_constant(e.exp)], prec=s.prec),
                             s.prec))
    if isinstance(e, sp.Pow):  # u**w = exp(w log u), u > 0
        def power(out: list[Any], box: dict[sp.Symbol, arb]) -> Any:
            log = out[kids[0]].apply(lambda s: _unary(sp.log, s))
            return (out[kids[1]] * log).apply(lambda s: s.exp())
        return power
    if len(e.args) == 1 and type(e) in _UNARY_KINDS:
        kind = type(e)
        return lambda out, box: out[kids[0]].apply(lambda s: _unary(kind, s))
    raise FPTheoryError(f"{type(e).__name__} has no affine kernel")


def _evaluated(program: Program, box: dict[sp.Symbol, arb]) -> Any:
    """program(box), an arithmetic failure raised as :class:`Undefined` (a guard failed or
    a value is not finite): how each model of the margin is run on a box."""
    try:
        return program(box)
    except (ArithmeticError, ValueError, ZeroDivisionError) as exc:
        raise (exc if isinstance(exc, Undefined) else Undefined(str(exc))) from None


def _run(expr: sp.Expr, variables: Sequence[sp.Symbol], box: dict[sp.Symbol, arb],
         gradient: bool) -> Slope:
    return _evaluated(compile_affine(sp.sympify(expr), tuple(variables), gradient), box)


def affine_form(expr: sp.Expr, variables: Sequence[sp.Symbol], box: dict[sp.Symbol, arb]
                ) -> Affine:
    """The affine form of expr over the box (symbol → ball). Raises :class:`Undefined`
    where a guard fails or a value is not finite, :class:`FPTheoryError` on a function
    without a kernel."""
    return _run(expr, variables, box, False).value


def affine_slopes(expr: sp.Expr, variables: Sequence[sp.Symbol], box: dict[sp.Symbol, arb]
                  ) -> list[arb]:
    """Enclosures of every ∂expr/∂x_i over the box, from the affine forms of the partial
    derivatives (the chain rule on affine forms: (uv)' = u'v + uv', f(u)' = f'(u)·u' with
    f'(u) expanded as f(u) is). Every function is guarded analytic on its argument's range,
    so expr is C¹ on the box. Raises as :func:`affine_form`."""
    grad = _run(expr, variables, box, True).grad
    assert grad is not None
    return [arb(0) if g is None else g.range() for g in grad]


def affine_low(expr: sp.Expr, variables: Sequence[sp.Symbol], box: dict[sp.Symbol, arb]) -> arb:
    """A lower bound of expr on the box: its :func:`affine_form`'s least value."""
    return affine_form(expr, variables, box).low()
