"""Signs by parts off the domain's excluded ends (fptheory.verify.signs): every claimed
sign holds at exact points of the box off those ends, and nothing is claimed from an end
that is not excluded or from a side that is the excluded end itself."""

from fractions import Fraction

import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from fptheory.verify import prove
from fptheory.verify.claims import Verdict
from fptheory.verify.kernel import Kernel
from fptheory.verify.signs import beyond_excluded_end

X, Y = sp.symbols("x y", real=True)
small = st.fractions(min_value=-4, max_value=4, max_denominator=6)


@settings(max_examples=300, deadline=None)
@given(k=small, c=small, a=small, width=st.fractions(min_value=0, max_value=3, max_denominator=4),
       low_excluded=st.booleans(), high_excluded=st.booleans())
def test_a_claimed_sign_of_a_linear_term_holds_off_the_excluded_ends(
        k, c, a, width, low_excluded, high_excluded):
    lo, hi = sp.Rational(a), sp.Rational(a + width)
    excluded = {X: (lo if low_excluded else None, hi if high_excluded else None)}
    expr = sp.Rational(k) * X + sp.Rational(c)
    claim = beyond_excluded_end(expr, [X], [(lo, hi)], excluded)
    if claim == 0:
        return
    assert width > 0 and k != 0
    points = [a + width * Fraction(t, 16) for t in range(17)]
    inside = [p for p in points if not (low_excluded and p == a)
              and not (high_excluded and p == a + width)]
    for p in inside:
        value = k * p + c
        assert (value > 0) if claim == 2 else (value < 0), (expr, lo, hi, excluded, p)
    # the end it leans on is excluded: at that end the value may be 0
    assert low_excluded or high_excluded


def test_nothing_is_claimed_from_an_included_end_or_a_face():
    one, two = sp.Integer(1), sp.Integer(2)
    assert beyond_excluded_end(X - 1, [X], [(one, two)], {}) == 0
    assert beyond_excluded_end(X - 1, [X], [(one, two)], {X: (None, two)}) == 0
    assert beyond_excluded_end(X - 1, [X], [(one, one)], {X: (one, None)}) == 0
    assert beyond_excluded_end(X - 1, [X], [(one, two)], {X: (one, None)}) == 2
    assert beyond_excluded_end(X**2 - 1, [X], [(one, two)], {X: (one, None)}) == 0
    assert beyond_excluded_end(X - Y, [X, Y], [(one, two), (one, two)], {X: (one, None)}) == 0


def test_products_and_sums_take_their_parts_signs_off_the_excluded_corner():
    kernel = Kernel([X, Y])
    box = [(sp.Integer(0), sp.Integer(1)), (sp.Integer(0), sp.Integer(1))]
    corner = {X: (sp.Integer(0), None), Y: (sp.Integer(0), None)}
    assert kernel.open_sign(X**2 * (X + Y), box, corner)
    assert not kernel.open_sign(X**2 * (X + Y), box, {Y: (sp.Integer(0), None)})  # x = 0 in
    assert not kernel.open_sign(X * (X - Y), box, corner)
    assert kernel.sign(X * Y, box) == 1 and kernel.sign(X * Y, box, excluded=corner) == 2


FUNCTIONS = [sp.sin, sp.tan, sp.sinh, sp.tanh, sp.atan, sp.asinh, sp.asin, sp.atanh,
             lambda u: u ** sp.Rational(1, 3), lambda u: u ** sp.Rational(-3, 2),
             lambda u: sp.sqrt(2 + 0 * u) * u ** sp.sqrt(2), sp.Abs,
             lambda u: sp.Abs(u + 1) - 1, lambda u: 1 - sp.Abs(1 - u)]


@settings(max_examples=300, deadline=None)
@given(f=st.sampled_from(FUNCTIONS), k=small.filter(lambda q: q != 0),
       a=st.fractions(min_value=-4, max_value=4, max_denominator=4),
       width=st.fractions(min_value=1, max_value=4, max_denominator=4).map(lambda w: w / 4),
       excluded_low=st.booleans())
def test_a_sign_through_a_function_holds_at_every_point_off_the_excluded_ends(
        f, k, a, width, excluded_low):
    """sin, tan, sinh, atan, ... of a linear term, and its non-integer powers: a claimed
    sign is checked at 17 exact points of the box (mpmath at 30 digits), the excluded end
    left out; where the walk fails on the box nothing is claimed."""
    lo, hi = sp.Rational(a), sp.Rational(a + width)
    excluded = {X: (lo, None)} if excluded_low else {X: (None, hi)}
    expr = f(sp.Rational(k) * X - sp.Rational(k) * (lo if excluded_low else hi))
    kernel = Kernel([X])
    if not kernel.defined(expr, [(lo, hi)], extended=True):
        return
    claim = kernel.sign(expr, [(lo, hi)], excluded=excluded)
    if claim is None:
        return
    for t in range(17):
        p = lo + (hi - lo) * sp.Rational(t, 16)
        if p == (lo if excluded_low else hi):
            continue
        value = sp.N(expr.subs(X, p), 30)
        assert value.is_real, (expr, p)
        assert {2: value > 0, 1: value >= 0, -1: value <= 0, -2: value < 0}[claim], (
            expr, lo, hi, excluded, p, claim, value)


def test_sin_and_tan_take_their_arguments_sign_only_within_a_half_period():
    kernel = Kernel([X])
    zero = sp.Integer(0)
    off_zero = {X: (zero, None)}
    assert kernel.sign(sp.sin(X / 2), [(zero, sp.Integer(1))], excluded=off_zero) == 2
    assert kernel.sign(sp.sin(X / 2), [(zero, sp.Integer(1))]) == 1  # 0 at the included end
    assert kernel.sign(sp.sin(X), [(zero, sp.Integer(4))], excluded=off_zero) is None
    assert kernel.sign(sp.tan(X), [(zero, sp.Rational(3, 2))], excluded=off_zero) == 2
    assert kernel.sign(sp.tan(X), [(zero, sp.Integer(2))], excluded=off_zero) is None
    assert kernel.sign(sp.sinh(X - 1), [(sp.Integer(1), sp.Integer(9))],
                       excluded={X: (sp.Integer(1), None)}) == 2


def test_abs_of_an_argument_of_known_sign_is_read_as_that_argument():
    """1 - |x| on [3/4, 1] is 1 - x there, > 0 off the excluded end 1; where x's sign
    changes on the box, |x| is not settled and nothing is claimed."""
    kernel = Kernel([X])
    one = sp.Integer(1)
    off_one = {X: (None, one)}
    assert kernel.sign(1 - sp.Abs(X), [(sp.Rational(3, 4), one)], excluded=off_one) == 2
    assert kernel.sign(1 - sp.Abs(X), [(sp.Rational(3, 4), one)]) != 2  # 0 at x = 1
    assert kernel.sign(sp.Abs(X) - 1, [(-one, sp.Rational(-3, 4))],
                       excluded={X: (-one, None)}) == -2
    assert kernel.sign(1 - sp.Abs(X), [(sp.Rational(-1, 4), one)], excluded=off_one) in (1, None)


def test_a_logarithm_takes_the_sign_of_its_argument_less_one():
    """log(1 + e^(-x) + x²e^(-x)) > 0 on a tail [1, ∞), where its enclosure reaches 0:
    MetiTarski-style log(1 + x² + eˣ) > x, strict and tight at infinity."""
    kernel = Kernel([X])
    tail = [(sp.Integer(1), sp.oo)]
    assert kernel.sign(sp.log(1 + sp.exp(-X) + X**2 * sp.exp(-X)), tail) == 2
    assert kernel.sign(sp.log(1 - sp.exp(-X)), tail) == -2
    assert kernel.sign(sp.log(X), [(sp.Rational(1, 2), sp.Integer(2))]) is None
    assert kernel.interval(sp.log(1 + sp.exp(-X) + X**2 * sp.exp(-X)), tail, True)


def test_log_of_a_sum_above_its_largest_term_is_certified_strict(certified):
    certified("log(1 + x**2 + exp(x)) > x", "x real")
    r = prove("log(1 + x**2 + exp(x)) > x + 1/10**6", "x real", time_limit=20)
    assert r.verdict is Verdict.REFUTED, r.reason


def test_a_product_stops_at_its_first_factor_without_a_sign(monkeypatch):
    # x·(x - 1/2)·(x + 3) on [0, 1]: x - 1/2 has no sign, so x + 3 is never looked at, and
    # the product's sign is its own enclosure's (none)
    from fptheory.verify import signs
    seen = []
    original = signs.sign_by_parts

    def recording(kernel, expr, box, excluded=None, _depth=0):
        seen.append(expr)
        return original(kernel, expr, box, excluded, _depth)

    monkeypatch.setattr(signs, "sign_by_parts", recording)
    kernel = Kernel([X])
    box = [(sp.Integer(0), sp.Integer(1))]
    product = sp.Mul(X, X - sp.Rational(1, 2), X + 3, evaluate=False)
    assert signs.sign_by_parts(kernel, product, box) is None
    assert X - sp.Rational(1, 2) in seen and X + 3 not in seen
    seen.clear()
    half = X + sp.Rational(1, 2)
    total = sp.Add(X - 2, X**2, half, evaluate=False)  # x² + 2x - 3/2: -3/2 at 0, 3/2 at 1
    assert signs.sign_by_parts(kernel, total, box) is None
    assert X**2 in seen and half not in seen  # (x - 2 < 0 ≤ x²: the sides differ)
    assert signs.sign_by_parts(kernel, sp.Mul(X + 1, X + 3, evaluate=False), box) == 2
    assert signs.sign_by_parts(kernel, sp.Add(X + 1, X**2, X + 3, evaluate=False), box) == 2
