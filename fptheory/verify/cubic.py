r"""Third-order Taylor models of a margin over a box: where the second-order model of
:mod:`fptheory.verify.quadratic` does not close a box, the ``quadratic`` judgement tries
this one too.

The second-order model bounds every cubic term it meets in its error on its own: a product
(L + Q)(L' + Q') loses |L||Q'| + |Q||L'|, a function f(c + L + Q) loses ½|f''(c)|·2|L||Q|,
and the third derivative's remainder |f'''(U)/6|·R³ is paid at every function. On the
Flyspeck bounds on taum (four dihedral angles weighted by linear terms, a margin of 10⁻²
on terms of size 1) these terms, which largely cancel in the margin, make up nearly all of
its error. Here they are kept:

    u(x) ∈ c + Σ_{|k| = 1, 2, 3} t_k ε^k + [-dn, up],   ε_i = (x_i - m_i)/r_i ∈ [-1, 1],

with k a sorted tuple of one to three variable indices (ε^k their product), exact numbers
c and t_k (the zero ones left out) and an error interval [-dn, up]; the error falls like
width⁴. Sums add coefficients. A product keeps every term of degree ≤ 3 of
(c + P + δ)(c' + P' + δ') and bounds the rest: Σ_{d + d' > 3} S_d S'_{d'} (S_d the sum of
|t_k| over the terms of degree d) plus the errors times the other factor's bound. A
function f of u = c + P + δ is expanded at the exact centre c by Taylor's theorem,

    f(u) = f(c) + f₁·(P + δ) + f₂·(P + δ)² + f₃·(P + δ)³ + f₄(ξ)·(u - c)⁴,   ξ ∈ U,

f_j = f⁽ʲ⁾(c)/j!: f₁·P, f₂·(P₁² + 2P₁P₂) and f₃·P₁³ are kept (P_d the terms of P of degree
d: the only ones of degree ≤ 3), the rest is bounded in the error: f₁·δ on the side of f₁'s
sign, |f₂|·((N + e)² - S₁² - 2S₁S₂), |f₃|·((N + e)³ - S₁³) and |f₄(U)|·R⁴, with N = S₁ + S₂
+ S₃ the bound of |P|, e the larger error side and R = N + e. f(c), f₁, f₂, f₃ and f₄ over
the range U of u are python-flint power-series coefficients (:mod:`fptheory.verify.taylor`)
under that module's guards on U, which also show every sub-term defined (and analytic) on
the box. The ends of a model are those of its second-order part
(:meth:`~fptheory.verify.quadratic.Quadratic.tight_low`: faces where its slope has a sign,
then the one-variable minima; its range: the one-variable extremes) less S₃ and dn, plus S₃
and up.

(x + y)³ - x³ - 3x²y - 3xy² - y³ + 1 is 1: on [1/2, 3/2]² the second-order model bounds
the cubic terms of each product on its own and ends near -1; the third-order model keeps
them, they cancel, and its lower end is 1 up to rounding.

>>> import sympy as sp
>>> from flint import arb
>>> from fptheory.verify.quadratic import quadratic_low
>>> x, y = sp.symbols("x y", real=True)
>>> one = (x + y)**3 - x**3 - 3*x**2*y - 3*x*y**2 - y**3 + 1
>>> box = {x: arb(1, 0.5), y: arb(1, 0.5)}
>>> round(float(quadratic_low(one, [x, y], box)), 6), round(float(cubic_low(one, [x, y], box)), 6)
(-1.0, 1.0)
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import sympy as sp
from flint import arb, arb_series

from fptheory.core.errors import FPTheoryError

from .affine import (
    Program,
    _by_constant,
    _evaluated,
    _expansion,
    _Form,
    _merged,
    _sided,
    _upper,
    compile_program,
)
from .backends import Undefined
from .quadratic import Quadratic, quadratic_form

__all__ = ["Cubic", "compile_cubic", "cubic_form", "cubic_low", "taylor_model_low"]

Key = tuple[int, ...]


def _product(a: dict[Key, arb], b: dict[Key, arb], most: int) -> dict[Key, arb]:
    """The terms of degree ≤ most of (Σ a_k ε^k)(Σ b_l ε^l), by sorted index tuple."""
    by_degree: dict[int, list[tuple[Key, arb]]] = {}
    for m, y in b.items():  # (only the pairs of degree ≤ most are visited)
        by_degree.setdefault(len(m), []).append((m, y))
    out: dict[Key, arb] = {}
    for k, x in a.items():
        for d in range(1, most - len(k) + 1):
            for m, y in by_degree.get(d, ()):
                key = tuple(sorted(k + m))
                out[key] = out[key] + x * y if key in out else x * y
    return out


def _of_degree(t: dict[Key, arb], d: int) -> dict[Key, arb]:
    return {k: x for k, x in t.items() if len(k) == d}


class Cubic(_Form):
    """c + Σ t_k ε^k + δ, 1 ≤ |k| ≤ 3, with exact c and t_k (kept in ``a``, by sorted index
    tuple k) and an error δ ∈ [-dn, up], exact dn, up ≥ 0 (module docstring)."""

    __slots__ = ()
    WHAT = "a third-order model"

    def _sums(self) -> list[arb]:
        """[0, S₁, S₂, S₃]: the sums of |t_k| by degree."""
        sums = [arb(0), arb(0), arb(0), arb(0)]
        for k, x in self.a.items():
            sums[len(k)] += abs(x)
        return sums

    def _error(self) -> arb:
        return self.dn.max(self.up)

    def deviation(self) -> arb:
        """An exact upper bound of |u - c| over the box."""
        return _upper(sum(self._sums(), arb(0)) + self._error())

    def _second_order(self) -> Quadratic:
        """c + the terms of degree 1 and 2, exactly (no error)."""
        linear = {k[0]: x for k, x in self.a.items() if len(k) == 1}
        square = {(k[0], k[1]): x for k, x in self.a.items() if len(k) == 2}
        return Quadratic(self.c, linear, square, arb(0), arb(0))

    def low(self) -> arb:
        return self._second_order().low() - self._sums()[3] - self.dn

    def high(self) -> arb:
        return self._second_order().high() + self._sums()[3] + self.up

    def range(self) -> arb:
        part, cubic = self._second_order(), self._sums()[3]  # (once: every function asks)
        return (part.low() - cubic - self.dn).union(part.high() + cubic + self.up)

    def tight_low(self) -> arb:
        """A lower end: that of the second-order part (its
        :meth:`~fptheory.verify.quadratic.Quadratic.tight_low`) less S₃."""
        return self._second_order().tight_low() - self._sums()[3] - self.dn

    def __mul__(self, other: Cubic) -> Cubic:
        scaled = _by_constant(self, other)
        if scaled is not None:
            return scaled
        c1, c2 = self.c, other.c
        terms = _merged(_merged({k: c2 * x for k, x in self.a.items()},
                                {k: c1 * y for k, y in other.a.items()}),
                        _product(self.a, other.a, 3))
        s1, s2 = self._sums(), other._sums()
        dropped = sum((s1[d] * s2[e] for d in range(1, 4) for e in range(1, 4) if d + e > 3),
                      arb(0))
        n1, n2 = sum(s1, arb(0)), sum(s2, arb(0))
        e1, e2 = self._error(), other._error()
        error = dropped + e1 * (abs(c2) + n2) + e2 * (abs(c1) + n1) + e1 * e2
        return Cubic(c1 * c2, terms, error, error)

    def apply(self, f: Callable[[arb_series], arb_series]) -> Cubic:
        """f(u) by Taylor's theorem of the module docstring (f given on power series)."""
        (value, f1, f2, f3), f4 = _expansion(f, self.c, self.range(), 4)
        s = self._sums()
        n, e = sum(s, arb(0)), self._error()
        r = _upper(n + e)
        one = _of_degree(self.a, 1)
        kept = _merged(_merged({k: f1 * x for k, x in self.a.items()},
                               {k: f2 * x for k, x in _product(one, self.a, 3).items()}),
                       {k: f3 * x for k, x in _product(_product(one, one, 2), one, 3).items()})
        # (P₁ P₂ appears twice in P², once in each order: _product(one, t) holds P₁² + P₁P₂
        # with P₁P₂ once, so the second P₁P₂ is added here)
        kept = _merged(kept, {k: f2 * x for k, x in
                              _product(one, _of_degree(self.a, 2), 3).items()})
        dn, up = _sided(f1, self.dn, self.up)
        error = (_upper(f2) * ((n + e) ** 2 - s[1] ** 2 - 2 * s[1] * s[2])
                 + _upper(f3) * ((n + e) ** 3 - s[1] ** 3) + _upper(f4) * r ** 4)
        return Cubic(value, kept, dn + error, up + error)


@functools.lru_cache(maxsize=256)
def compile_cubic(expr: sp.Expr, variables: tuple[sp.Symbol, ...]) -> Program:
    """expr compiled once into a function of the box (symbol → ball) returning its
    third-order model. Raises :class:`~fptheory.core.errors.FPTheoryError` at compile time
    on a function without a series kernel."""
    def symbol(i: int, b: arb) -> Cubic:
        return Cubic(arb(b.mid()), {(i,): arb(b.rad())}, arb(0), arb(0))

    def constant(c: arb) -> Cubic:
        return Cubic(c, {}, arb(0), arb(0))
    return compile_program(sp.sympify(expr), variables, symbol, constant)


def cubic_form(expr: sp.Expr, variables: Sequence[sp.Symbol], box: dict[sp.Symbol, arb]) -> Cubic:
    """The third-order model of expr over the box (symbol → ball). Raises
    :class:`Undefined` where a guard fails or a value is not finite,
    :class:`~fptheory.core.errors.FPTheoryError` on a function without a kernel."""
    return _evaluated(compile_cubic(sp.sympify(expr), tuple(variables)), box)


def cubic_low(expr: sp.Expr, variables: Sequence[sp.Symbol], box: dict[sp.Symbol, arb]) -> arb:
    """A lower bound of expr on the box: its :func:`cubic_form`'s tight least value."""
    return cubic_form(expr, variables, box).tight_low()


#: The third-order model of a margin that is not a polynomial is tried only where the
#: second-order polynomial's least value exceeds this fraction of the second-order error: on
#: three Flyspeck taum and dihedral bounds (3 900, 1 650 and 3 900 boxes) it closed no box
#: below 0.2 of the error but 5 and 10 between 0.2 and 0.3, and 0.2 skips a third of its
#: calls. (A polynomial's third-order model loses only its terms of degree ≥ 4: none for a
#: cubic, whose every box with a positive least value it then closes.)
THIRD_ORDER_FLOOR = 0.2


@functools.lru_cache(maxsize=256)
def _polynomial(expr: sp.Expr, variables: tuple[sp.Symbol, ...]) -> bool:
    return bool(expr.is_polynomial(*variables))


def taylor_model_low(expr: sp.Expr, variables: Sequence[sp.Symbol], box: dict[sp.Symbol, arb]
                     ) -> arb:
    """A lower bound of expr on the box: the second-order model's
    (:func:`~fptheory.verify.quadratic.quadratic_low`), and where that is not > 0 but its
    polynomial part's least value is above :data:`THIRD_ORDER_FLOOR` of the model's error
    (above 0 for a polynomial margin) the larger of it and the third-order model's (each a
    lower bound; the third-order model costs about 2.5 times as much, and where the
    second-order polynomial itself nearly reaches 0 the third-order one does about as
    well). Raises as
    :func:`~fptheory.verify.quadratic.quadratic_form` where the second-order model does."""
    second = quadratic_form(expr, variables, box)
    low = second.tight_low()
    floor = 0 if _polynomial(expr, tuple(variables)) else THIRD_ORDER_FLOOR
    if low > 0 or not low + (1 - floor) * second.dn.max(second.up) > 0:
        return low  # (closed; or the model's own least value too small for the third order)
    try:
        third = cubic_low(expr, variables, box)
    except (Undefined, FPTheoryError, ArithmeticError, ValueError, ZeroDivisionError):
        return low
    return low.max(third)
