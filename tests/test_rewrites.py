"""Rewritten forms the search proposes (fptheory.verify.rewrites): each equals its
expression at random points (an independent evaluation; the kernel's own equality check
is tested in test_kernel), and the factored ones keep their sign where the original's
enclosure does not."""

import random

import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from fptheory.verify.kernel import Kernel
from fptheory.verify.rewrites import (
    FACTOR_OPS,
    collected_trig_forms,
    factored_forms,
    presplit,
    roots_at_infinity,
)

X, S = sp.symbols("x s", real=True)


def _equal_at_points(a: sp.Expr, b: sp.Expr, seed: int = 0) -> bool:
    rng = random.Random(seed)
    for _ in range(20):
        point = {X: sp.Rational(rng.randint(-300, 300), 100), S: sp.Rational(rng.randint(0, 100), 100)}
        if abs(sp.N(a.subs(point) - b.subs(point), 40)) > 1e-30:
            return False
    return True


def test_a_slope_with_a_common_factor_is_factored_with_its_functions_as_generators():
    """∂/∂s of s(3 − x) − sin(x + s(3 − x)) + sin x, as sp.diff writes it: its enclosure
    straddles 0 next to the diagonal; (x − 3)(cos(…) − 1) is ≤ 0 · ≤ 0 there."""
    slope = sp.diff(S * (3 - X) - sp.sin(X + S * (3 - X)) + sp.sin(X), S)
    forms = factored_forms(slope, slope=True)
    assert forms and all(_equal_at_points(slope, f) for f in forms)
    box = [(sp.Rational(-1, 4), sp.Integer(0)), (sp.Integer(0), sp.Rational(1, 16))]
    kernel = Kernel([X, S])
    assert not kernel.interval(slope, box, strict=False)
    assert any(kernel.admit(slope, f) for f in forms)
    assert kernel.interval(slope, box, strict=False)


def test_common_factors_of_exponentials_are_taken_out():
    d2 = -(1 - X / 2) ** 2 * sp.exp(S * (2 - X) / 2 + X) + (2 - X) ** 2 * sp.exp(S * (2 - X) + X) / 2
    forms = factored_forms(d2, slope=True)
    assert sp.factor_terms(d2) in forms
    assert all(_equal_at_points(d2, f) for f in forms)


def test_large_non_rational_expressions_are_not_factored():
    big = sum((k * sp.sin(k * X) * sp.exp(S) for k in range(1, 30)), sp.S.Zero)
    assert sp.count_ops(big) > FACTOR_OPS
    assert factored_forms(big, slope=True) == []
    assert factored_forms(sp.sin(X), slope=True) == []  # nothing to factor: no form
    # a margin (not a slope) is factored only where it is polynomial or rational
    assert factored_forms(3 - X - (3 - X) * sp.cos(S)) == []


def _cuts(g: sp.Expr, lo: sp.Expr, hi: sp.Expr) -> list[sp.Expr]:
    return [box[0][1] for box in presplit(g, [X], [(sp.sympify(lo), sp.sympify(hi))])][:-1]


def test_one_variable_cuts_at_every_critical_point_of_a_periodic_margin():
    """sympy's solve gives one period; the cuts are every odd multiple of π/4 in [-10, 10]."""
    cuts = _cuts(sp.Rational(1, 2) - sp.sin(X) * sp.cos(X), -10, 10)
    assert cuts == [k * sp.pi / 4 for k in (-11, -9, -7, -5, -3, -1, 1, 3, 5, 7, 9, 11)]


def test_one_variable_cuts_at_the_zeros_of_abs_and_sign_arguments():
    cuts = _cuts(sp.Abs(X) - sp.Abs(sp.sin(X)) + sp.sign(X - sp.Rational(1, 3)), -5, 4)
    assert set(cuts) >= {0, sp.Rational(1, 3), -sp.pi, sp.pi}
    assert cuts == sorted(cuts, key=float) and len(set(map(float, cuts))) == len(cuts)


def test_sines_of_sums_are_expanded_and_collected_into_the_same_function():
    """collected_trig_forms against the original at random points (mpmath through sympy's
    evalf, 30 digits), and the form that certifies sin(x + y) ≤ sin x + sin y on [0, π]²."""
    x, y, z = sp.symbols("x y z", real=True)
    rng = random.Random(3)
    for expr in (sp.sin(x) + sp.sin(y) - sp.sin(x + y),
                 sp.cos(x - 2 * y) * z + sp.sin(x + y + z) - sp.sin(x) * sp.cos(y)):
        forms = collected_trig_forms(expr)
        assert forms
        for form in forms:
            for _ in range(5):
                point = {v: sp.Rational(rng.randint(-300, 300), 100) for v in (x, y, z)}
                assert abs(sp.N((form - expr).xreplace(point), 30)) < 1e-25
    assert sp.sin(x) * (1 - sp.cos(y)) + sp.sin(y) * (1 - sp.cos(x)) in collected_trig_forms(
        sp.sin(x) + sp.sin(y) - sp.sin(x + y))
    assert collected_trig_forms(sp.sin(x) - x) == []  # no sum inside a sine


def test_a_sine_of_a_sum_below_the_sum_of_sines_is_certified(certified):
    cert = certified("sin(x + y) <= sin(x) + sin(y)", "0<=x<=pi, 0<=y<=pi")
    assert cert["forms"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(-5, 5)), min_size=1, max_size=3),
       st.sampled_from([sp.S.Half, -sp.S.Half, sp.Rational(3, 2), sp.Rational(1, 3)]),
       st.fractions(-50, 50, max_denominator=100))
def test_roots_read_at_infinity_keep_the_value_and_the_domain(terms, exponent, point):
    """P^r written |x|^(dr)·(P/|x|^d)^r: at every x ≠ 0 both are defined together and equal
    (sympy's evalf at 40 digits, the principal real root as the kernel reads it)."""
    base = sp.Add(*[c * X**e for e, c in terms])
    expr = base**exponent * sp.exp(-X)
    written = roots_at_infinity(expr, [X])
    if point == 0:
        return
    at = {X: sp.Rational(point.numerator, point.denominator)}

    def value(e: sp.Expr):
        roots = list(e.atoms(sp.Pow))
        if any(r.exp.is_Rational and not r.exp.is_Integer and r.base.xreplace(at) < 0
               for r in roots):
            return None  # a real root of a value < 0: undefined, as in the kernel's walk
        v = sp.N(e.xreplace(at), 40)
        return v if v.is_finite and v.is_real else None
    a, b = value(expr), value(written)
    assert (a is None) == (b is None), (expr, written, at)
    if a is not None:
        assert abs(a - b) <= sp.Float(10)**-30 * (1 + abs(a))


def test_a_root_of_a_polynomial_on_a_tail_joins_the_decaying_powers(certified):
    """MetiTarski's exp-lower-14 on its tail: x²·√(x² + 9)·e^(-x) encloses as [0, ∞] on
    [X, ∞) as a product; written |x|³·√(1 + 9/x²)·e^(-x) it decays (unknown at 60 s
    before). A variant false near x = 10 is refuted."""
    cert = certified("(6 + 6*x + x**3 + x**2*sqrt(9 + x**2))/6 <= exp(x)", "10<=x")
    assert any("Abs(x)" in f["form"] and "sqrt(1 + 9/x**2)" in f["form"]
               for f in cert["forms"])
    from fptheory.verify import prove
    from fptheory.verify.claims import Verdict
    assert prove("(6 + 6*x + x**3 + x**2*sqrt(9 + x**2))/6 <= exp(x)/1000", "10<=x",
                 time_limit=10).verdict is Verdict.REFUTED
