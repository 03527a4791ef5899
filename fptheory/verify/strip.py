r"""Both sides under one increasing function: ``exp(x) > exp(x*y/(x + y))`` is
``x > x*y/(x + y)`` wherever both sides are defined.

For f strictly increasing on the real values where it is defined — exp, log, atan, tanh,
sinh, asinh, and u^q for a rational q > 0 that is not an even integer (on u ≥ 0 where q
is not an integer, on all reals for an odd integer) — f(A) ≤ f(B) holds exactly where
A ≤ B does, at every point where f(A) and f(B) are defined (< likewise). So the statement
f(A) ⋈ f(B) is certified as A ⋈ B with f(A) and f(B) added to the sub-terms that must be
defined on every leaf (the obligations of :mod:`fptheory.verify.obligations`): on a leaf
both are defined and A ⋈ B holds, so f(A) ⋈ f(B) holds there. A counterexample of A ⋈ B
where f(A) and f(B) are defined is one of the original; where one is undefined, the
original is undefined there too. Whether the rule applies is read off the statement's
form alone; ``recheck`` derives the stripped statement and the added sub-terms again
from the certificate's statement (:func:`replay_strip`).

>>> x, y = sp.symbols("x y", real=True)
>>> statement, extra, name = strip_sides(sp.exp(x) > sp.exp(x*y/(x + y)))
>>> statement, extra, name
(x > x*y/(x + y), [exp(x), exp(x*y/(x + y))], 'exp')
>>> strip_sides(sp.cos(x) > sp.cos(y)) is None
True

Two more rules add or remove the logarithm: sides > 0 wherever defined, one with a power
whose exponent varies and whose base is > 0 on the domain (or products of high constant
powers whose bases are > 0 on the whole domain), are compared in logarithms; sums of small
integer multiples of logarithms are compared as products (exp is increasing).

>>> strip_sides((1 + 1/x)**(x + 1) > sp.E, Domain.parse("x > 0"))[0]
(x + 1)*log(1 + 1/x) > 1
>>> strip_sides(sp.log(1 + x*y) <= sp.log(1 + x) + sp.log(1 + y))[0]
x*y + 1 <= (x + 1)*(y + 1)

A last rule raises both sides, products of rational powers, to the power that clears
their roots (:func:`_lifted`): Maclaurin's √((xy + yz + zx)/3) ≥ ∛(xyz) is a polynomial
inequality of degree 6.

>>> z = sp.Symbol("z", real=True)
>>> strip_sides(sp.sqrt((x*y + y*z + z*x)/3) >= (x*y*z)**sp.Rational(1, 3))[0]
(x*y/3 + x*z/3 + y*z/3)**3 >= x**2*y**2*z**2
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sympy as sp

from fptheory.core.errors import FPTheoryError

from .backends import Undefined, compile_balls
from .domains import Domain
from .extended import EXTENDED, _iv_box
from .limits import manageable

__all__ = ["strip_sides", "replay_strip", "power_factors", "IN_LOGARITHMS", "AS_PRODUCTS",
           "HALF_ANGLES"]

#: strictly increasing wherever they are real
INCREASING = (sp.exp, sp.log, sp.atan, sp.tanh, sp.sinh, sp.asinh)


def _increasing_power(q: sp.Expr) -> bool:
    return bool(q.is_Rational and q > 0 and not (q.is_Integer and q % 2 == 0))


def strip_sides(statement: sp.Rel, domain: Domain | None = None
                ) -> tuple[sp.Rel, list[sp.Expr], str] | None:
    """(A ⋈ B, [f(A), f(B)], the name of f) for a statement f(A) ⋈ f(B) with f strictly
    increasing (module docstring); None otherwise. ``domain`` lets products of constant
    powers be compared in logarithms (:func:`_in_logarithms`)."""
    lhs, rhs = statement.lhs, statement.rhs
    if type(lhs) is type(rhs) and isinstance(lhs, INCREASING) and len(lhs.args) == 1 \
            and len(rhs.args) == 1:
        a, b, name = lhs.args[0], rhs.args[0], type(lhs).__name__
    elif isinstance(lhs, sp.Pow) and isinstance(rhs, sp.Pow) and lhs.exp == rhs.exp \
            and _increasing_power(lhs.exp):
        a, b, name = lhs.base, rhs.base, f"power {lhs.exp}"
    else:
        return (_in_logarithms(statement, domain) or _as_products(statement)
                or _half_angles(statement, domain) or _squared_sum(statement)
                or _lifted(statement, domain))
    return _compared(statement, a, b, [lhs, rhs], name)


def _compared(statement: sp.Rel, a: sp.Expr, b: sp.Expr, duties: list[sp.Expr], name: str
              ) -> tuple[sp.Rel, list[sp.Expr], str] | None:
    """(a ⋈ b, the sub-terms that must be defined, the record), or None where sympy
    evaluates a ⋈ b to a truth value or it has no variable left."""
    stripped = statement.func(a, b, evaluate=False)
    if not isinstance(stripped, sp.Rel) or not stripped.free_symbols:
        return None
    return stripped, duties, name


#: the records of the two rules that add or remove the logarithm itself
IN_LOGARITHMS, AS_PRODUCTS = "logarithms", "products"


def _logarithm(side: sp.Expr) -> tuple[sp.Expr, list[sp.Expr], list[tuple[sp.Expr, sp.Expr]]] | None:
    """(log of side, the bases of its powers with a varying exponent, the other factors
    with a variable as (base, exponent)) for a product of numbers > 0, exp(u), B^E with E
    not constant and B^q with q a rational number (q = 1 for a bare factor), each logarithm
    written out: log(exp u) = u, log(B^E) = E·log B (B > 0); None for any other side.
    log B is defined only where B > 0 (B^E is 0 at B = 0 for E > 0, as sympy has it),
    which :func:`_in_logarithms` asks of the whole domain."""
    terms: list[sp.Expr] = []
    varying: list[sp.Expr] = []
    powers: list[tuple[sp.Expr, sp.Expr]] = []
    for f in sp.Mul.make_args(side):
        if f.is_number:
            if not (f.is_positive and f.is_finite):
                return None
            terms.append(sp.log(f))
        elif isinstance(f, sp.exp):
            terms.append(f.args[0])
        elif isinstance(f, sp.Pow) and f.base is sp.E:
            terms.append(f.exp)
        elif isinstance(f, sp.Pow) and f.exp.free_symbols:
            terms.append(f.exp * sp.log(f.base))
            varying.append(f.base)
        else:
            base, q = f.as_base_exp()
            if not (q.is_Rational and base.free_symbols):
                return None
            terms.append(q * sp.log(base))
            powers.append((base, q))
    return sp.Add(*terms), varying, powers


#: constant powers are compared in logarithms only among at least three factors with a
#: variable, one of them a power at least this high: (1 + x²)(2 + x)^10 < (1 + y²)(2 + y)^17
#: multiplied out is a polynomial of degree 19 whose forms cost sympy seconds each, while
#: its logarithm is increasing in y at sight
HIGH_POWER = 4


def _in_logarithms(statement: sp.Rel, domain: Domain | None = None
                   ) -> tuple[sp.Rel, list[sp.Expr], str] | None:
    """A ⋈ B where both sides are > 0 wherever defined, compared in logarithms: log A ⋈
    log B, with A and B defined on every leaf (then both are > 0 and log is increasing
    there). It applies where one side has a power with a varying exponent ((1 + 1/x)^(x +
    1) > e), and to products of constant powers (at least three factors with a variable,
    one a power ≥ :data:`HIGH_POWER`, or, in one variable, powers of it beside a factor
    e^u: e^(-1/x²) < 5x⁸, where e^x < 1 + 5x stays as typed) whose
    bases are > 0 on the whole ``domain`` (extended intervals, the relations' bounds
    included, or a variable above its excluded end 0): the logarithm form is then defined exactly
    where the typed one is, so a point where it fails is a counterexample of the typed
    statement too."""
    sides = [_logarithm(side) for side in (statement.lhs, statement.rhs)]
    if any(s is None for s in sides):
        return None
    (a, a_varying, a_powers), (b, b_varying, b_powers) = sides  # type: ignore[misc]
    powers = a_powers + b_powers
    exponential = any(isinstance(f, sp.exp) or (isinstance(f, sp.Pow) and f.base is sp.E)
                      for side in (statement.lhs, statement.rhs) for f in sp.Mul.make_args(side))
    if a_varying or b_varying:
        if powers or domain is None or not all(
                _positive_on(base, domain) or _positive_by_sign(base, domain)
                for base in a_varying + b_varying):
            return None  # (x^a·y^(1-a) ≤ ax + (1 - a)y stays as typed; so does x^y ≤ 1 at x = 0)
    elif domain is None or not (
            (exponential and len(statement.free_symbols) == 1
             and all(isinstance(base, sp.Symbol) for base, _ in powers))
            or (len(powers) >= 3 and max(abs(q) for _, q in powers) >= HIGH_POWER)) \
            or not all(_positive_on(base, domain) for base, _ in powers):
        return None
    return _compared(statement, a, b, [statement.lhs, statement.rhs], IN_LOGARITHMS)


def _positive_by_sign(expr: sp.Expr, domain: Domain) -> bool:
    """sympy shows expr > 0 wherever it is defined with each variable read as positive
    (its interval above 0, or above an excluded end 0) or nonnegative (above an end 0):
    1 + 1/x on x > 0, whose enclosure over (0, ∞) is not finite."""
    swap = {}
    for v in expr.free_symbols:
        if v not in domain.intervals:
            return False
        low = domain.intervals[v][0]
        if not bool(low >= 0):
            return False
        opened = domain.open_ends.get(v, (False, False))[0]
        swap[v] = sp.Symbol(v.name, positive=True) if bool(low > 0) or opened else \
            sp.Symbol(v.name, nonnegative=True)
    return bool(expr.xreplace(swap).is_positive)


def _positive_on(expr: sp.Expr, domain: Domain) -> bool:
    """Whether ``expr``'s extended-interval enclosure over ``domain``'s box, each side
    narrowed by the relations x < y (y above x's low end, x below y's high end), is > 0;
    or expr is a variable whose low end 0 is excluded (x on 0 < x ≤ 10)."""
    if isinstance(expr, sp.Symbol) and expr in domain.intervals:
        low = domain.intervals[expr][0]
        if low == 0 and domain.open_ends.get(expr, (False, False))[0]:
            return True
    sides = dict(domain.intervals)
    for _ in domain.relations:
        for x, _strict, y in domain.relations:
            (x_lo, x_hi), (y_lo, y_hi) = sides[x], sides[y]
            sides[y] = (sp.Max(y_lo, x_lo), y_hi)
            sides[x] = (x_lo, sp.Min(x_hi, y_hi))
    variables = domain.variables
    if not expr.free_symbols <= set(variables):
        return False
    try:
        value = compile_balls(expr, variables, EXTENDED, checked=True)(
            [_iv_box(*sides[v]) for v in variables])
    except (Undefined, ArithmeticError, ValueError, TypeError, FPTheoryError):
        return False
    return bool(EXTENDED.positive(value))


#: a larger multiple of a logarithm stays a logarithm: 17·log(2 + y) as (2 + y)^17 expands
#: into a polynomial of degree 17 whose forms and quotients cost sympy seconds each
MAX_PRODUCT_POWER = 3


def _product(side: sp.Expr) -> tuple[sp.Expr, list[sp.Expr]] | None:
    """(exp of side, its logarithms) for a sum of integer multiples of logarithms and
    numbers: exp(Σ cᵢ·log uᵢ + k) = Π uᵢ^cᵢ · e^k wherever every uᵢ > 0; None otherwise."""
    factors, logs, constant = [], [], sp.Integer(0)
    for term in sp.Add.make_args(side):
        c, rest = term.as_coeff_Mul()
        if isinstance(rest, sp.log) and c.is_Integer and abs(c) <= MAX_PRODUCT_POWER \
                and rest.args[0].free_symbols:
            factors.append(rest.args[0] ** c)
            logs.append(rest)
        elif term.is_number and term.is_real and term.is_finite:
            constant += term
        else:
            return None
    if constant != 0:
        factors.append(sp.exp(constant))
    return sp.Mul(*factors), logs


def _as_products(statement: sp.Rel) -> tuple[sp.Rel, list[sp.Expr], str] | None:
    """Σ cᵢ·log uᵢ ⋈ Σ dⱼ·log vⱼ (integers cᵢ, dⱼ, numbers allowed, at least three
    logarithms of a variable in all): compared as products, Π uᵢ^cᵢ ⋈ Π vⱼ^dⱼ (exp is
    increasing), with every logarithm defined on every leaf. log(1 + xy) ≤ log(1 + x) +
    log(1 + y) is 1 + xy ≤ (1 + x)(1 + y)."""
    sides = [_product(side) for side in (statement.lhs, statement.rhs)]
    if any(s is None for s in sides):
        return None
    (a, a_logs), (b, b_logs) = sides  # type: ignore[misc]
    if len(a_logs) + len(b_logs) < 3:
        return None
    return _compared(statement, a, b, [*a_logs, *b_logs], AS_PRODUCTS)


#: the record of the rule that writes roots of c·(1 ∓ cos u) through the half angle
HALF_ANGLES = "half angles"


def _half_angle(base: sp.Expr, q: sp.Rational, domain: Domain | None) -> sp.Expr | None:
    """base^q written through the half angle: (2c·sin²(u/2))^q for a base c·(1 - cos u),
    (2c·cos²(u/2))^q for c·(1 + cos u), where c > 0 is a number; with a ``domain``, also
    (2 sin²(u/2))^q·c^q (cos²) where c is an expression > 0 on the whole domain (extended
    intervals): 1 - cos³x = (1 - cos x)(1 + cos x + cos²x). A base in sines and cosines is
    first expanded with sin²u = 1 − cos²u (an identity for every real u), where that leaves
    no sine: (cos x − 1)² + sin²x is 2 − 2 cos x. None for any other base."""
    if base.has(sp.sin) and manageable(base) and sp.count_ops(base) <= 40:
        squares = sp.expand(base).replace(
            lambda e: e.is_Pow and isinstance(e.base, sp.sin) and e.exp == 2,
            lambda e: 1 - sp.cos(e.base.args[0])**2)
        base = sp.expand(squares) if not sp.expand(squares).has(sp.sin) else base
    for cosine in base.atoms(sp.cos):
        u = cosine.args[0]
        for one_side, square in ((1 - cosine, sp.sin(u / 2)**2), (1 + cosine, sp.cos(u / 2)**2)):
            c = sp.cancel(base / one_side)
            if c.is_number and c.is_positive and c.is_finite:
                return (2 * c * square)**q
            if not c.is_number and domain is not None and _positive_on(c, domain):
                return (2 * square)**q * c**q
    return None


def _half_angles(statement: sp.Rel, domain: Domain | None = None
                 ) -> tuple[sp.Rel, list[sp.Expr], str] | None:
    """Every root (c·(1 ∓ cos u))^q, q a rational that is not an integer, written
    (2c·sin²(u/2))^q (cos²(u/2)), which sympy evaluates to (2c)^q·|sin(u/2)|^(2q): the same
    value wherever u is real (cos u = 1 - 2 sin²(u/2) = 2 cos²(u/2) - 1), and defined at
    the same points (both bases are ≥ 0 everywhere). √(1 - cos x) has no slope at x = 0;
    √2·|sin(x/2)| has one on each side of it (MetiTarski's tan(x/2) ≤ √(1 - cos x)). A
    factor c that is an expression must be > 0 on the whole domain: then (1 ∓ cos u)^q·c^q
    is the root's value (both factors ≥ 0) and is defined exactly where it is (MetiTarski's
    1/√(1 - cos³x), whose base vanishes to second order at 0). The typed sides stay
    sub-terms that must be defined."""
    swaps = {}
    for node in statement.atoms(sp.Pow):
        if node.exp.is_Rational and not node.exp.is_Integer and node.base.has(sp.cos):
            half = _half_angle(node.base, node.exp, domain)
            if half is not None:
                swaps[node] = half
    if not swaps:
        return None
    return _compared(statement, statement.lhs.xreplace(swaps), statement.rhs.xreplace(swaps),
                     [statement.lhs, statement.rhs], HALF_ANGLES)


#: the largest power :func:`_lifted` raises both sides to
MAX_LIFT = 6


def power_factors(side: sp.Expr) -> tuple[sp.Expr, list[tuple[sp.Expr, sp.Rational]]] | None:
    """(c, [(base, q), ...]) with side = c·Π base^q, c a finite real number and every q
    rational (q = 1 for a bare factor); None otherwise (also for exp(u) = e^u)."""
    c, rest = side.as_coeff_Mul()
    factors = []
    for f in sp.Mul.make_args(rest):
        if f.is_number:
            c *= f
            continue
        base, q = f.as_base_exp()
        if not q.is_Rational or base is sp.E:
            return None
        factors.append((base, q))
    if not (c.is_number and c.is_extended_real and c.is_finite):
        return None
    return c, factors


def _powers(side: sp.Expr) -> tuple[sp.Expr, list[tuple[sp.Expr, sp.Rational]]] | None:
    """:func:`power_factors` of a side with c > 0 and at least one factor; None otherwise."""
    found = power_factors(side)
    return found if found is not None and found[0].is_positive and found[1] else None


def _lifted(statement: sp.Rel, domain: Domain | None = None) -> tuple[sp.Rel, list[sp.Expr], str] | None:
    """Both sides products of rational powers, c·Π bᵢ^qᵢ, with a root among them: compared
    after raising both to the least power L (≤ :data:`MAX_LIFT`) that clears every root's
    denominator. u ⋈ v ⟺ u^L ⋈ v^L for u, v ≥ 0 (for every u, v where L is odd), and
    (c·Π bᵢ^qᵢ)^L = c^L·Π bᵢ^(qᵢL) wherever the side is defined (a root's base is ≥ 0 there).
    The typed sides stay sub-terms that must be defined. For an even L the greater side (the
    left of ≥, >), where it has an odd power, adds √side to the sub-terms (≥ 0 there: where
    it is not, the smaller side ≥ 0 exceeds it and the statement is false, so a point there
    is a true counterexample). Where the smaller side has an odd power, it may be negative,
    and u ⋈ v may hold where u^L ⋈ v^L does not: where the greater side has none (≥ 0 by
    its form), both sides (and no √ of either) are then compared under
    f(t) = t·|t|^(L−1), strictly increasing on all of ℝ (the record says "signed power"):
    f(u) = u^L for u ≥ 0, and f(c·Π bᵢ^qᵢ) = c^L·Π bᵢ^(qᵢL−1)·|bᵢ| over the odd integer qᵢ
    times Π bᵢ^(qᵢL) over the others, wherever the side is defined (|S|^L·sign S, with
    |bᵢ|^(qᵢL) = bᵢ^(qᵢL) for qᵢL even and sign S the product of the odd factors' signs).
    √((a² + b²)/2) ≥ (a + b)/2 on ℝ² reads (a² + b²)/2 ≥ (a + b)·|a + b|/4, whose cases
    a + b ≥ 0 ((a − b)²/4 ≥ 0) and a + b ≤ 0 (a sum of squares) each hold everywhere.
    Hadwiger–Finsler as 4(xy + yz + zx) ≥ 4√3·√(xyz(x + y + z)) is
    16(xy + yz + zx)² ≥ 48·xyz(x + y + z), a sum of squares. With a ``domain``, an odd
    power of a variable whose interval is ≥ 0 counts as ≥ 0, as an even one does: Isabelle's
    a·x² ≤ √(a²x² + b)·x on x ≥ 0 reads a·|a|·x⁴ ≤ (a²x² + b)·x², whose cases a ≥ 0 and
    a ≤ 0 are each closed on the whole box (as typed, tight on the face b = 0)."""
    sides = [_powers(side) for side in (statement.lhs, statement.rhs)]
    if any(side is None for side in sides):
        return None
    q_all = [q for _, factors in sides for _, q in factors]  # type: ignore[union-attr]
    if all(q.is_Integer for q in q_all):
        return None
    lift = int(sp.ilcm(*[q.q for q in q_all]))
    if not 2 <= lift <= MAX_LIFT:
        return None
    greater = 0 if isinstance(statement, (sp.Ge, sp.Gt)) else 1
    odd = [lift % 2 == 0 and any(q.is_Integer and q % 2 and not _nonnegative_variable(b, domain)
                                 for b, q in factors)
           for _, factors in sides]  # type: ignore[misc]
    # the smaller side may be negative, the greater one ≥ 0 by its form: both under t·|t|^(L-1)
    signed = odd[1 - greater] and not odd[greater]
    if odd[1 - greater] and not signed:
        return None
    lifted, duties = [], [statement.lhs, statement.rhs]
    for k, ((c, factors), side) in enumerate(zip(sides, (statement.lhs, statement.rhs),  # type: ignore[misc]
                                                  strict=True)):
        lifted.append(c**lift * sp.Mul(*[
            b**(q * lift - 1) * sp.Abs(b) if signed and q.is_Integer and q % 2 else b**(q * lift)
            for b, q in factors]))
        if odd[k] and not signed:
            duties.append(sp.sqrt(side))
    return _compared(statement, lifted[0], lifted[1], duties,
                     f"{SIGNED if signed else LIFTED} {lift}")


def _nonnegative_variable(b: sp.Expr, domain: Domain | None) -> bool:
    """b is a variable whose interval in ``domain`` starts at 0 or above (x on x ≥ 0)."""
    return bool(domain is not None and isinstance(b, sp.Symbol) and b in domain.intervals
                and sp.sympify(domain.intervals[b][0]).is_nonnegative)


#: the records of :func:`_lifted`, with the power
LIFTED, SIGNED = "both sides to the power", "both sides to the signed power"

#: the most terms of a sum of roots that :func:`_squared_sum` squares
MAX_SQUARED_TERMS = 3


def _nonnegative_by_form(term: sp.Expr) -> bool | None:
    """Whether a root is among the factors of c·Π bᵢ^qᵢ with c > 0 and every factor ≥ 0
    wherever it is defined — an even integer power, a root of even index (qᵢ's denominator
    even), or a positive power of an absolute value; None for any other term."""
    found = _powers(term)
    if found is None:
        return None
    rooted = False
    for b, q in found[1]:
        if not q.is_Integer and q.q % 2 == 0:
            rooted = True
        elif not ((q.is_Integer and q % 2 == 0) or (isinstance(b, sp.Abs) and q > 0)):
            return None
    return rooted


def _squared_sum(statement: sp.Rel) -> tuple[sp.Rel, list[sp.Expr], str] | None:
    """The greater side a sum v = t₁ + … + t_k (2 ≤ k ≤ :data:`MAX_SQUARED_TERMS`) of terms
    ≥ 0 by their form (:func:`_nonnegative_by_form`), a root among them, and the smaller
    side u one such term: u ⋈ v ⟺ u² ⋈ v² (both ≥ 0 wherever defined). v² − u², expanded,
    is R + T with T its terms that have a root: u² ⋈ v² ⟺ −R ⋈ T, and where T is one
    product of powers its roots are cleared by :func:`_lifted` (the record names both
    steps). Minkowski's √((a + c)² + (b + d)²) ≤ √(a² + b²) + √(c² + d²) is
    2ac + 2bd ≤ 2√(a² + b²)√(c² + d²), whose signed square is Lagrange's identity: the
    margin 4(a² + b²)(c² + d²) − 4(ac + bd)|ac + bd| ≥ 4(ad − bc)²."""
    greater_left = isinstance(statement, (sp.Ge, sp.Gt))
    v, u = (statement.lhs, statement.rhs) if greater_left else (statement.rhs, statement.lhs)
    terms = sp.Add.make_args(v)
    if not 2 <= len(terms) <= MAX_SQUARED_TERMS or _nonnegative_by_form(u) is None:
        return None
    forms = [_nonnegative_by_form(t) for t in terms]
    if any(f is None for f in forms) or not any(forms):
        return None
    difference = sp.expand(sp.expand(v**2, deep=False) - u**2, deep=False)
    rooted = [t for t in sp.Add.make_args(difference) if _has_root(t)]
    rest = sp.expand(-sp.Add(*[t for t in sp.Add.make_args(difference) if not _has_root(t)]))
    root_part = sp.Add(*rooted)
    if not (rooted and rest.free_symbols and root_part.free_symbols):
        return None
    moved = statement.func(*((root_part, rest) if greater_left else (rest, root_part)),
                           evaluate=False)
    lifted = _lifted(moved) if isinstance(moved, sp.Rel) else None
    if lifted is None:
        return None
    return lifted[0], [statement.lhs, statement.rhs, *lifted[1]], f"squared sum, then {lifted[2]}"


def _has_root(expr: sp.Expr) -> bool:
    """A power with a non-integer rational exponent occurs in expr."""
    return any(p.exp.is_Rational and not p.exp.is_Integer for p in expr.atoms(sp.Pow))


def replay_strip(certificate: dict[str, Any], statement: sp.Rel, duties: Sequence[sp.Expr],
                 domain: Domain | None = None) -> tuple[sp.Rel, list[sp.Expr]]:
    """For ``recheck``: the statement and sub-terms to replay when the certificate says its
    sides were stripped (``"strip": name``); unchanged when it does not. FPTheoryError when
    the record does not match the statement."""
    if "strip" not in certificate:
        return statement, list(duties)
    stripped = strip_sides(statement, domain)
    if stripped is None or certificate["strip"] != stripped[2]:
        raise FPTheoryError(f"the statement's sides are not both under "
                            f"{str(certificate['strip'])[:40]!r}")
    return stripped[0], [*duties, *stripped[1]]
