"""Sums of squares proposed for quadratic factors of a polynomial margin.

``a³ + b³ + c³ - 3abc ≥ 0`` on [0, 1]³ is tight on the whole line a = b = c: no box that
meets the line closes by enclosures, however small. Factored, it is
``(a + b + c)(a² + b² + c² - ab - bc - ca)``, and the quadratic factor completed to squares
(a symmetric elimination, LDLᵀ, in exact rationals) is
``(a - b/2 - c/2)² + 3/4 (b - c)²``: every term ≥ 0, so the kernel's sign judgement
(:meth:`fptheory.verify.kernel.Kernel.sign`) shows the product ≥ 0 on the whole box at once.
Nothing here decides: the form goes to :meth:`~fptheory.verify.kernel.Kernel.admit`, which
accepts it only with its equality to the margin established exactly (``cancel``).

>>> a, b, c = sp.symbols("a b c", real=True)
>>> sp.sstr(completed_squares(a**2 + b**2 + c**2 - a*b - b*c - c*a, [a, b, c]))
'3*(b - c)**2/4 + (a - b/2 - c/2)**2'
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

from .limits import bounded, manageable

__all__ = ["completed_squares", "square_forms", "quadratic_part_squares", "coefficient_squares"]


def completed_squares(q: sp.Expr, variables: Sequence[sp.Symbol], *,
                      symbolic: bool = False) -> sp.Expr | None:
    """q (a polynomial of degree 2 in variables, rational coefficients) as
    Σ d_k·(l_k)² + (constant ≥ 0) with every d_k > 0, or None when the elimination meets a
    negative pivot (q is not a sum of squares that way). With ``symbolic``, the
    coefficients may be expressions in other variables (sin(z)·x² - cos(z)·x·y + y²): a
    pivot that is not a number is kept as it is, and the kernel's sign judgement decides
    on each box whether it is > 0 there."""
    xs = [v for v in variables if q.has(v)]
    try:
        poly = sp.Poly(q, *xs)
    except sp.PolynomialError:
        return None
    if poly.total_degree() != 2 or not all(
            c.is_Rational or (symbolic and not c.has(*xs)) for c in poly.coeffs()):
        return None
    n = len(xs)
    m = [[sp.Integer(0)] * (n + 1) for _ in range(n + 1)]  # the form of (x, 1)
    for monom, coeff in poly.terms():
        idx = [i for i, e in enumerate(monom) for _ in range(e)] + [n] * (2 - sum(monom))
        i, j = idx
        if i == j:
            m[i][i] += coeff
        else:
            m[i][j] += coeff / 2
            m[j][i] += coeff / 2
    basis = [*xs, sp.Integer(1)]
    terms = []
    for k in range(n + 1):
        pivot = m[k][k]
        if pivot == 0:
            if any(m[k][j] != 0 for j in range(k + 1, n + 1)):
                return None
            continue
        if pivot.is_number and pivot < 0:
            return None
        row = [m[k][j] / pivot for j in range(n + 1)]
        linear = sum(row[j] * basis[j] for j in range(k, n + 1))
        terms.append(pivot * linear**2 if k < n else pivot)
        for i in range(k + 1, n + 1):
            for j in range(k + 1, n + 1):
                m[i][j] -= m[i][k] * m[k][j] / pivot
                if symbolic:  # (one quotient per entry: the next pivot is read from it)
                    m[i][j] = sp.cancel(m[i][j])
    return sp.Add(*terms)


def quadratic_part_squares(g: sp.Expr, variables: Sequence[sp.Symbol]) -> sp.Expr | None:
    """g with the sum Q of its terms that are polynomials of degree ≤ 2 (as the user wrote
    them) written as completed squares, the other terms kept as they are; None unless Q
    has at least two terms and completes. Wood's function is 100(a² - b)² + 90(c² - d)²
    plus a quadratic whose cross term 19.8(b - 1)(d - 1) no enclosure of the sum closes
    near its minimum (1, 1, 1, 1); completed, every term is ≥ 0 by its form.

    >>> a, b = sp.symbols("a b", real=True)
    >>> sp.sstr(quadratic_part_squares(10*(a**2 - b)**2 + (a - 1)**2 + a*b + b**2 + 1, [a, b]))
    '10*(a**2 - b)**2 + 3*(b + 2/3)**2/4 + (a + b/2 - 1)**2 + 2/3'
    """
    low, rest = [], []
    for term in sp.Add.make_args(g):
        degree = _degree(term, variables)
        (low if degree is not None and degree <= 2 else rest).append(term)
    if len(low) < 2 or not rest:
        return None
    squares = completed_squares(sp.expand(sp.Add(*low)), variables)
    return None if squares is None else sp.Add(*rest, squares)


def coefficient_squares(g: sp.Expr, variables: Sequence[sp.Symbol]) -> sp.Expr | None:
    """g, a polynomial in some of the variables (at least two) whose coefficients are
    expressions in the others, with its part of degree ≤ 2 in them completed to squares
    whose pivots are those expressions (:func:`completed_squares` with ``symbolic``);
    None where there is no such part. MetiTarski's x₁² sin z - x₁x₂ cos z + x₂² z² log z +
    x₂⁴ ≥ 0 (x₁, x₂ real) is tight at x₁ = x₂ = 0 for every z; completed, it reads
    sin z·(x₁ - x₂ cos z/(2 sin z))² + x₂²(z² log z - cos² z/(4 sin z)) + x₂⁴, each term
    ≥ 0 on a box of z where sin z > 0 and the second coefficient is.

    >>> x, y, z = sp.symbols("x y z", real=True)
    >>> sp.sstr(coefficient_squares(x**2*sp.exp(z) + 2*x*y + y**2*sp.exp(-z) + y**4, [x, y, z]))
    'y**4 + (x + y*exp(-z))**2*exp(z)'
    """
    polynomial_in = [v for v in variables if g.is_polynomial(v)]
    if len(polynomial_in) < 2 or len(polynomial_in) == len(variables):
        return None
    low, rest = [], []
    for term in sp.Add.make_args(sp.expand(g)):
        degree = _degree(term, polynomial_in)
        (low if degree is not None and degree <= 2 else rest).append(term)
    if len(low) < 2:
        return None
    squares = completed_squares(sp.Add(*low), polynomial_in, symbolic=True)
    return None if squares is None else sp.Add(*rest, squares)


def _degree(term: sp.Expr, variables: Sequence[sp.Symbol]) -> int | None:
    if not term.is_polynomial(*variables):
        return None
    try:
        return sp.Poly(term, *variables).total_degree()
    except sp.PolynomialError:
        return None


def square_forms(g: sp.Expr, variables: Sequence[sp.Symbol], seconds: float = 5.0) -> list[sp.Expr]:
    """g factored, with each quadratic factor (to any power) written as completed squares,
    and g with its quadratic part completed (:func:`quadratic_part_squares`); [] when g is
    not a polynomial or nothing completes."""
    if not manageable(g) or not g.is_polynomial(*variables):
        return []
    partial = bounded(lambda: quadratic_part_squares(g, variables), seconds, None)

    def build() -> list[sp.Expr]:
        factored = sp.factor(g)
        changed = False
        parts = []
        for f in sp.Mul.make_args(factored):
            base, power = f.as_base_exp()
            squares = completed_squares(base, variables) if base.is_Add else None
            if squares is not None:
                changed = True
                parts.append(sp.Pow(squares, power, evaluate=False) if power != 1 else squares)
            else:
                parts.append(f)
        return [sp.Mul(*parts, evaluate=False)] if changed else []
    return bounded(build, seconds, []) + ([partial] if partial is not None else [])
