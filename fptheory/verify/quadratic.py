r"""Second-order Taylor models of a margin over a box: the kernel's ``quadratic`` judgement.

The affine form (:mod:`fptheory.verify.affine`) keeps each sub-term's dependence on the
variables to first order; its error falls like width². Where a bound is tight to a few
parts in a thousand over a box in six variables (the dihedral-angle bounds of the Flyspeck
project), boxes must then be so small that their number explodes (2⁶ per halving). A
second-order model keeps the quadratic terms too, so its error falls like width³:

    u(x) ∈ c + Σ_i a_i ε_i + Σ_{i≤j} q_ij ε_i ε_j + [-dn, up],   ε_i = (x_i - m_i)/r_i ∈ [-1, 1],

with exact numbers c, a_i, q_ij (the radii of ball results are spilled into the error).
Sums add coefficients; a product keeps c·b + d·a in the linear part and c·Q' + d·Q + L·L'
in the quadratic part, and bounds the rest, |L||Q'| + |Q||L'| + |Q||Q'| and the errors
times the other factor, in the error. A function f of u is expanded at the exact centre c:

    f(u) = f(c) + f'(c)·(u - c) + ½f''(c)·(u - c)² + f'''(ξ)/6·(u - c)³,  ξ ∈ U,

with u - c = L + Q + δ: f'(c)·(L + Q) and ½f''(c)·L² are kept, the rest bounded in the
error (½f''(c) times 2|L|(|Q| + e) + (|Q| + e)², and |f'''(U)/6|·R³ with R a bound of
|u - c|). f(c), its first two Taylor coefficients and f'''(U)/6 over the range U of u are
python-flint power-series coefficients (:mod:`fptheory.verify.taylor`) under that module's
guards on U (a divisor ≠ 0, a root's or logarithm's argument > 0, asin/acos inside
(-1, 1)), which also show every sub-term defined and analytic on the box.

The lower end of a model: c + Σ_i min over ε_i ∈ [-1, 1] of (a_i ε_i + q_ii ε_i²)
- Σ_{i<j} |q_ij| - dn (each one-variable minimum exact: an end or the vertex); the
judgement's (:meth:`Quadratic.tight_low`) first moves to the face ε_i = ∓1 of every side
whose slope a_i + 2q_ii ε_i + Σ_j q_ij ε_j has one sign over the box.

x·y - (x + y)²/4 on [0.9, 1.1]² is -(x - y)²/4: the affine form ends near -0.02, the
second-order model keeps -(ε_x - ε_y)²/400 and ends at -0.01 (the true minimum).

>>> import sympy as sp
>>> x, y = sp.symbols("x y", real=True)
>>> box = {x: arb("1 +/- 0.1"), y: arb("1 +/- 0.1")}
>>> round(float(quadratic_form(x*y - (x + y)**2/4, [x, y], box).low()), 6)
-0.01
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import sympy as sp
from flint import arb, arb_series

from .affine import (
    Program,
    _by_constant,
    _evaluated,
    _exact,
    _expansion,
    _merged,
    _settled,
    _sided,
    _upper,
    compile_program,
)

__all__ = ["Quadratic", "quadratic_form", "quadratic_low", "compile_quadratic"]


Pair = tuple[int, int]


def _outer(a: dict[int, arb], b: dict[int, arb]) -> dict[Pair, arb]:
    """The quadratic coefficients of (Σ a_i ε_i)(Σ b_j ε_j), by pair (i, j), i ≤ j:
    a_i b_i on the diagonal, a_i b_j + a_j b_i off it."""
    out: dict[Pair, arb] = {}
    for i, x in a.items():
        for j, y in b.items():
            key = (i, j) if i <= j else (j, i)
            out[key] = out[key] + x * y if key in out else x * y
    return out


def _min_1d(a: arb, b: arb) -> arb:
    """min over ε ∈ [-1, 1] of a·ε + b·ε² (a, b exact): the vertex -a²/(4b) when b > 0
    and it lies inside, else the lower end value b - |a|."""
    if b > 0 and abs(a) <= 2 * b:
        return -(a * a) / (4 * b)
    return b - abs(a)


_ZERO = arb(0)


class Quadratic:
    """c + Σ a_i ε_i + Σ_{i≤j} q_ij ε_i ε_j + δ with exact c, a_i, q_ij and an error
    δ ∈ [-dn, up], exact dn, up ≥ 0 (module docstring). The coefficients are kept by
    variable index and by pair (i, j), i ≤ j, the 0 ones left out."""

    __slots__ = ("c", "a", "q", "dn", "up")

    def __init__(self, c: arb, a: dict[int, arb], q: dict[Pair, arb], dn: arb, up: arb) -> None:
        self.a, spill = _exact(a)
        self.q, spill_q = _exact(q)
        self.c, self.dn, self.up = _settled(c, spill + spill_q, dn, up, "a second-order model")

    def _linear(self) -> arb:
        return sum((abs(x) for x in self.a.values()), arb(0))

    def _square(self) -> arb:
        return sum((abs(x) for x in self.q.values()), arb(0))

    def _error(self) -> arb:
        return self.dn.max(self.up)

    def deviation(self) -> arb:
        """An exact upper bound of |u - c| over the box."""
        return _upper(self._linear() + self._square() + self._error())

    def _off_diagonal(self) -> arb:
        return sum((abs(x) for (i, j), x in self.q.items() if i != j), arb(0))

    def _sides(self) -> list[tuple[arb, arb]]:
        """(a_i, q_ii) for every variable with a nonzero one of them."""
        seen = set(self.a) | {i for i, j in self.q if i == j}
        return [(self.a.get(i, _ZERO), self.q.get((i, i), _ZERO)) for i in sorted(seen)]

    def low(self) -> arb:
        spread = sum((_min_1d(a, b) for a, b in self._sides()), arb(0))
        return self.c + spread - self._off_diagonal() - self.dn

    def tight_low(self) -> arb:
        """A lower end at least as high as :meth:`low`: where the model's slope in ε_i,
        a_i + 2q_ii ε_i + Σ_{j≠i} q_ij ε_j, has one sign over the whole box, its minimum
        lies on the face ε_i = ∓1, which is substituted (c and the other a_j absorb it);
        repeated until no slope is signed, then :meth:`low`'s bound on what is left. A
        bound tight at a corner thus pays no cross terms for the sides it is monotone in."""
        c, a, q = self.c, dict(self.a), dict(self.q)
        active = set(a) | {i for pair in q for i in pair}
        changed = True
        while changed:
            changed = False
            for i in sorted(active):
                cross = sum((abs(x) for (j, k), x in q.items()
                             if j != k and i in (j, k) and j in active and k in active), arb(0))
                square = q.get((i, i), _ZERO)
                linear = a.get(i, _ZERO)
                reach = 2 * abs(square) + cross
                side = -1 if linear - reach > 0 else 1 if linear + reach < 0 else 0
                if not side:
                    continue
                c += linear * side + square
                for (j, k), x in q.items():
                    if j != k and i in (j, k):
                        other = k if j == i else j
                        if other in active and other != i:
                            a[other] = a.get(other, _ZERO) + x * side
                active.discard(i)
                changed = True
        spread = sum((_min_1d(a.get(i, _ZERO), q.get((i, i), _ZERO)) for i in active), arb(0))
        cross = sum((abs(x) for (i, j), x in q.items() if i != j and i in active and j in active),
                    arb(0))
        return c + spread - cross - self.dn

    def high(self) -> arb:
        spread = sum((-_min_1d(-a, -b) for a, b in self._sides()), arb(0))
        return self.c + spread + self._off_diagonal() + self.up

    def range(self) -> arb:
        return self.low().union(self.high())

    def _constant(self) -> bool:
        return not self.a and not self.q and self.dn.is_zero() and self.up.is_zero()

    def _scaled(self, k: arb) -> Quadratic:
        """k·u for an exact number k: the error keeps its sides (swapped for k < 0)."""
        dn, up = (self.dn, self.up) if k >= 0 else (self.up, self.dn)
        return Quadratic(self.c * k, {i: x * k for i, x in self.a.items()},
                         {p: x * k for p, x in self.q.items()}, dn * abs(k), up * abs(k))

    def __add__(self, other: Quadratic) -> Quadratic:
        return Quadratic(self.c + other.c, _merged(self.a, other.a), _merged(self.q, other.q),
                         self.dn + other.dn, self.up + other.up)

    def __mul__(self, other: Quadratic) -> Quadratic:
        scaled = _by_constant(self, other)
        if scaled is not None:
            return scaled
        c1, c2 = self.c, other.c
        linear = _merged({i: c2 * x for i, x in self.a.items()},
                         {i: c1 * y for i, y in other.a.items()})
        square = _merged(_merged({p: c2 * x for p, x in self.q.items()},
                                 {p: c1 * y for p, y in other.q.items()}),
                         _outer(self.a, other.a))
        l1, l2, s1, s2 = self._linear(), other._linear(), self._square(), other._square()
        e1, e2 = self._error(), other._error()
        error = (l1 * s2 + s1 * l2 + s1 * s2 + e1 * (abs(c2) + l2 + s2)
                 + e2 * (abs(c1) + l1 + s1) + e1 * e2)
        return Quadratic(c1 * c2, linear, square, error, error)

    def apply(self, f: Callable[[arb_series], arb_series]) -> Quadratic:
        """f(u) by Taylor's theorem of the module docstring (f given on power series)."""
        (value, slope, half_curvature), third = _expansion(f, self.c, self.range(), 3)
        dn, up = _sided(slope, self.dn, self.up)
        rest = self._square() + self._error()
        error = (_upper(half_curvature) * (2 * self._linear() * rest + rest * rest)
                 + _upper(third) * self.deviation() ** 3)
        square = _merged({p: slope * x for p, x in self.q.items()},
                         {p: half_curvature * z for p, z in _outer(self.a, self.a).items()})
        return Quadratic(value, {i: slope * x for i, x in self.a.items()}, square,
                         dn + error, up + error)


@functools.lru_cache(maxsize=256)
def compile_quadratic(expr: sp.Expr, variables: tuple[sp.Symbol, ...]) -> Program:
    """expr compiled once into a function of the box (symbol → ball) returning its
    second-order model. Raises :class:`~fptheory.core.errors.FPTheoryError` at compile time
    on a function without a series kernel."""
    def symbol(i: int, b: arb) -> Quadratic:
        return Quadratic(arb(b.mid()), {i: arb(b.rad())}, {}, arb(0), arb(0))

    def constant(c: arb) -> Quadratic:
        return Quadratic(c, {}, {}, arb(0), arb(0))
    return compile_program(sp.sympify(expr), variables, symbol, constant)


def quadratic_form(expr: sp.Expr, variables: Sequence[sp.Symbol], box: dict[sp.Symbol, arb]
                   ) -> Quadratic:
    """The second-order model of expr over the box (symbol → ball). Raises
    :class:`Undefined` where a guard fails or a value is not finite,
    :class:`~fptheory.core.errors.FPTheoryError` on a function without a kernel."""
    return _evaluated(compile_quadratic(sp.sympify(expr), tuple(variables)), box)


def quadratic_low(expr: sp.Expr, variables: Sequence[sp.Symbol], box: dict[sp.Symbol, arb]
                  ) -> arb:
    """A lower bound of expr on the box: its :func:`quadratic_form`'s tight least value."""
    return quadratic_form(expr, variables, box).tight_low()
