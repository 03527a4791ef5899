"""The inverse hyperbolic functions in both backends (fptheory.verify.backends' arb walk and
fptheory.verify.extended's mpmath.iv intervals): every enclosure holds mpmath's values at
50 digits (an independent evaluation) and the limits at ±∞, and the walk refuses an
argument outside the function's domain (acosh below 1, atanh at ±1) instead of dropping it."""

from fractions import Fraction

import mpmath
import pytest
import sympy as sp
from flint import arb
from hypothesis import given, settings
from hypothesis import strategies as st

from fptheory.verify.backends import ARB, Undefined, compile_balls, decay_group
from fptheory.verify.extended import EXTENDED

x = sp.Symbol("x", real=True)

#: (function, the least argument of its domain, the largest, ends included)
DOMAINS = [(sp.asinh, -mpmath.inf, mpmath.inf, True), (sp.acosh, 1, mpmath.inf, True),
           (sp.atanh, -1, 1, False)]


def _inside(lo, hi, domain) -> bool:
    _, a, b, closed = domain
    return (a <= lo and hi <= b) if closed else (a < lo and hi < b)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(DOMAINS), st.fractions(-40, 40), st.fractions(0, 20),
       st.sampled_from(["arb", "iv"]))
def test_the_enclosure_holds_every_value_or_the_walk_refuses(domain, a, w, backend):
    fn = domain[0]
    lo, hi = sp.Rational(a.numerator, a.denominator), sp.Rational((a + w).numerator,
                                                                  (a + w).denominator)
    walk = compile_balls(fn(x), [x], ARB if backend == "arb" else EXTENDED, checked=True)
    if backend == "arb":
        box = arb(int(lo.p)) / int(lo.q)
        box = box.union(arb(int(hi.p)) / int(hi.q))
    else:
        ends = mpmath.iv.mpf(int(lo.p)) / int(lo.q), mpmath.iv.mpf(int(hi.p)) / int(hi.q)
        box = mpmath.iv.mpf([ends[0].a, ends[1].b])
    inside = _inside(lo, hi, domain)
    try:
        value = walk([box])
    except Undefined:
        # an enclosure of a side reaches past its exact ends by rounding: a refusal on a
        # side inside the domain is allowed where an end is that close to the domain's
        # boundary (the search then falls back to exact ends), never a value outside it
        near = min(abs(end - bound) for end in (lo, hi) for bound in domain[1:3]
                   if mpmath.isfinite(bound))
        assert not inside or near < sp.Rational(1, 10**10), (fn, lo, hi)
        return
    assert inside, (fn, lo, hi, value)
    point = sp.lambdify(x, fn(x), "mpmath")
    slack = mpmath.mpf(10) ** -30
    with mpmath.workdps(50):
        if backend == "arb":
            low, high = (mpmath.mpf(value.lower().mid().str(40, radius=False)),
                         mpmath.mpf(value.upper().mid().str(40, radius=False)))
        else:
            low, high = mpmath.mpf(value.a), mpmath.mpf(value.b)
        for k in range(5):
            t = lo + (hi - lo) * sp.Rational(k, 4)
            v = point(mpmath.mpf(int(t.p)) / int(t.q))
            assert low - slack <= v <= high + slack, (fn, lo, hi, t)


def test_infinite_ends_give_the_limits():
    fn = compile_balls(sp.asinh(x) - sp.acosh(x + 17), [x], EXTENDED, checked=True)
    far = fn([mpmath.iv.mpf([16, mpmath.inf])])
    assert far.a <= mpmath.asinh(10**30) - mpmath.acosh(10**30 + 17) <= far.b
    whole = compile_balls(sp.asinh(x), [x], EXTENDED)([mpmath.iv.mpf([-mpmath.inf, mpmath.inf])])
    assert whole.a == -mpmath.inf and whole.b == mpmath.inf
    ends = compile_balls(sp.asinh(x), [x], EXTENDED)([mpmath.iv.mpf([-mpmath.inf, -16])])
    assert ends.a == -mpmath.inf and ends.b >= mpmath.asinh(-16) > ends.b - 1e-10


@pytest.mark.parametrize("expr, side, why", [
    (sp.acosh(x), (0.5, 2), "below 1"),
    (sp.acosh(x), (-3, -1), "below 1"),
    (sp.atanh(x), (0, 1), r"outside \(-1, 1\)"),
    (sp.atanh(x), (-1, 0), r"outside \(-1, 1\)"),
])
def test_an_argument_outside_the_domain_is_refused_by_both_walks(expr, side, why):
    for backend, box in ((ARB, arb(side[0]).union(arb(side[1]))),
                         (EXTENDED, mpmath.iv.mpf(list(side)))):
        with pytest.raises(Undefined, match=why):
            compile_balls(expr, [x], backend, checked=True)([box])


@settings(max_examples=150, deadline=None)
@given(st.fractions(Fraction(1, 3), 4, max_denominator=6), st.fractions(-3, Fraction(-1, 4),
       max_denominator=8), st.integers(-2, 2), st.fractions(0, 12, max_denominator=8),
       st.one_of(st.none(), st.fractions(0, 12, max_denominator=8)),
       st.sampled_from([sp.cos(x), sp.Integer(3), sp.atan(x) + 2]), st.booleans())
def test_a_power_times_a_decaying_exponential_holds_every_value(k, a, b, lo, width, other,
                                                                 absolute):
    """vᵏ·e^(av + b) (or |v|ᵏ·e^(av + b)) times another factor, enclosed as one function on
    [lo, lo + width] or [lo, ∞): the enclosure holds mpmath's values at 50 digits at points
    of the side and far out (and the limit 0 at ∞)."""
    k, a = sp.Rational(k.numerator, k.denominator), sp.Rational(a.numerator, a.denominator)
    lo = sp.Rational(lo.numerator, lo.denominator)
    hi = None if width is None else lo + sp.Rational(width.numerator, width.denominator)
    expr = (sp.Abs(x) if absolute else x)**k * sp.exp(a * x + b) * other
    assert decay_group(expr) is not None
    ends = mpmath.iv.mpf(int(lo.p)) / int(lo.q), (None if hi is None else
                                                   mpmath.iv.mpf(int(hi.p)) / int(hi.q))
    box = mpmath.iv.mpf([ends[0].a, mpmath.inf if hi is None else ends[1].b])
    value = compile_balls(expr, [x], EXTENDED, checked=True)([box])
    low, high = mpmath.mpf(value.a), mpmath.mpf(value.b)
    point = sp.lambdify(x, expr, "mpmath")
    top = hi if hi is not None else lo + 40
    with mpmath.workdps(50):
        for j in range(9):
            t = lo + (top - lo) * sp.Rational(j, 8)
            v = point(mpmath.mpf(int(t.p)) / int(t.q))
            assert low - 1e-30 <= v <= high + 1e-30, (expr, lo, hi, t, value)
    if hi is None:
        assert low <= 0 <= high  # the limit at ∞


def test_the_decay_group_is_refused_where_it_does_not_hold():
    assert decay_group(x * sp.exp(x)) is None           # growing
    assert decay_group(sp.exp(-x)) is None              # no power of x: exp's own enclosure
    assert decay_group(x * sp.exp(-x * x)) is None      # not linear in the exponent
    y = sp.Symbol("y", real=True)
    assert decay_group(x * sp.exp(-x - y)) is None      # two variables
    # x < 0 somewhere: the product of each factor's enclosure
    fn = compile_balls(x * sp.exp(-x), [x], EXTENDED)
    out = fn([mpmath.iv.mpf([-1, 2])])
    assert out.a <= -mpmath.e and out.b >= 2 * mpmath.exp(-2)


def test_powers_of_abs_join_the_decay_group_and_leave_it_below_zero():
    """|x| is x where the decay applies (x ≥ 0): x²·|x|·√(1 + 9/x²)·e^(-x) is the group
    x³·e^(-x) times the root; on a side reaching below 0 the factors' product is used, and
    it holds |x|'s values there (|-2|³·e² at x = -2)."""
    root = sp.sqrt(1 + 9 / x**2)
    assert decay_group(x**2 * sp.Abs(x) * root * sp.exp(-x)) == (x, 3, -1, 0, [root])
    assert decay_group(sp.Abs(x)**sp.Rational(1, 2) * sp.exp(-x)) == (x, sp.Rational(1, 2),
                                                                       -1, 0, [])
    fn = compile_balls(sp.Abs(x)**3 * sp.exp(-x), [x], EXTENDED)
    out = fn([mpmath.iv.mpf([-2, -1])])
    assert out.a <= mpmath.e <= out.b and out.a <= 8 * mpmath.e**2 <= out.b


@pytest.mark.parametrize("statement", ["x*exp(-x)*cos(x) <= 1/2", "x**2*exp(-x)*sin(x) <= 1"])
def test_bounds_with_a_decaying_product_on_a_tail_are_certified(statement, certified):
    """On [X, ∞) the product of [X, ∞] and [0, e^(-X)] is [0, ∞]: both ended unknown at
    60 s before the decay enclosure; the false variants are refuted."""
    cert = certified(statement, "0<=x")
    assert any(side == "oo" for leaf in cert["leaves"] for side in leaf["box"]["x"])
    lowered = statement.replace("<= 1/2", "<= 1/4").replace("<= 1", "<= 1/2")
    from fptheory.verify import prove
    from fptheory.verify.claims import Verdict
    assert prove(lowered, "0<=x", time_limit=10).verdict is Verdict.REFUTED


@pytest.mark.slow
def test_lazarevic_inequality_is_certified_through_its_decaying_tail(certified):
    """(sinh x/x)³ > cosh x on x > 0: over one denominator its tail compares 1 with
    x³·e^(-2x); unknown at 60 s before the decay enclosure, about 23 s now (slow)."""
    cert = certified("(sinh(x)/x)**3 > cosh(x)", "0<x")
    assert any(side == "oo" for leaf in cert["leaves"] for side in leaf["box"]["x"])


@pytest.mark.parametrize("fn, at", [(sp.asinh, sp.Rational(1, 32)), (sp.asin, sp.Rational(1, 3)),
                                    (sp.acos, sp.Rational(1, 3)), (sp.acosh, sp.Integer(3)),
                                    (sp.atanh, sp.Rational(1, 3))])
def test_monotone_images_keep_their_outward_rounding_above_mpmaths_precision(fn, at):
    """At 106 bits (the kernel raises arb's precision) with mpmath's own at 53, the image's
    ends stay rounded outwards: they were rounded again, to nearest at 53 bits, and
    asinh(1/32)'s upper end fell below the value (found by the open walk's test)."""
    from flint import ctx

    from fptheory.verify.kernel import Kernel
    x = sp.Symbol("x", real=True)
    saved, mp_saved = ctx.prec, mpmath.mp.prec
    ctx.prec, mpmath.mp.prec = 106, 53
    try:
        b = Kernel([x]).enclose(fn(x), [(at, at)], extended=True)
        with mpmath.workdps(80):
            true = mpmath.mpf(str(sp.N(fn(at), 80)))
            assert b.lo <= true <= b.hi, (fn, b, true)
    finally:
        ctx.prec, mpmath.mp.prec = saved, mp_saved


# polynomial arguments on tails, refined by their Horner form (fptheory.verify.extended)

@settings(max_examples=200, deadline=None)
@given(st.lists(st.fractions(-9, 9, max_denominator=16), min_size=2, max_size=6),
       st.fractions(-50, 50, max_denominator=8), st.sampled_from(["tail", "left tail", "box"]),
       st.lists(st.fractions(0, 1), min_size=3, max_size=3))
def test_the_horner_refinement_holds_the_polynomial_everywhere_on_the_box(
        coefficients, a, kind, places):
    """The nested form's extended walk, intersected with the typed sum's, holds the
    polynomial's exact value at points of the box (a tail [a, ∞) or (-∞, a], or
    [a, a + 3]), computed independently in exact rationals; None only for a sum it cannot
    nest."""
    from fptheory.verify.backends import _iv_ends
    from fptheory.verify.extended import HornerRefinement, _iv_box
    p = sp.Add(*[sp.Rational(c.numerator, c.denominator) * x**k
                 for k, c in enumerate(coefficients)])
    lo = sp.Rational(a.numerator, a.denominator)
    side = {"tail": (lo, sp.oo), "left tail": (-sp.oo, lo), "box": (lo, lo + 3)}[kind]
    walked = compile_balls(p, [x], EXTENDED)([_iv_box(*side)]) if isinstance(p, sp.Add) else None
    value = HornerRefinement([x])(p, [_iv_box(*side)], walked)
    if value is None:
        assert not isinstance(p, sp.Add) or sp.horner(p, x) == p
        return
    low, high = _iv_ends(value)
    for f in places:
        t = sp.Rational(f.numerator, f.denominator)
        point = {"tail": lo + t / (1 - t) if t < 1 else lo + 10**6, "left tail":
                 lo - (t / (1 - t) if t < 1 else 10**6), "box": lo + 3 * t}[kind]
        exact = p.xreplace({x: point})
        assert low <= mpmath.mpf(exact.p) / exact.q <= high or (
            mpmath.almosteq(low, mpmath.mpf(exact.p) / exact.q, 1e-12)), (p, side, point)


@pytest.mark.parametrize("statement, domain", [
    # MetiTarski sqrt-problem-11: both sides squared, √ of the greater side a sub-term whose
    # typed sum x/2 - x²/8 + x³/16 is ∞ - ∞ on the tail
    ("sqrt(1 + x) < 1 + x/2 - x**2/8 + x**3/16", "x>0"),
    ("sqrt(1 + x/2 - x**2/8 + x**3/16) >= 0", "x>=1"),
])
def test_roots_of_polynomials_on_a_tail_are_shown_defined(statement, domain, certified):
    certified(statement, domain)


def test_a_polynomial_root_negative_on_the_tail_is_still_refused():
    """√(x² - x³) is undefined for every x > 1: refuted, not certified, on x ≥ 2."""
    from fptheory.verify import prove
    from fptheory.verify.claims import Verdict
    assert prove("sqrt(x**2 - x**3) >= 0", "x>=2", time_limit=20).verdict is Verdict.REFUTED
