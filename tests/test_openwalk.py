"""The open walk (fptheory.verify.openwalk): enclosures on a box touching an excluded end
where a logarithm or a power has its pole. Each enclosure is checked against mpmath's
values at exact points of the box off the excluded end; a pole not shown off the excluded
ends (inside the box, or at an included end) gives no enclosure; and the judgement closes
MetiTarski's trigonometric bound at its logarithmic pole, with a certificate that the
re-check replays and refuses for a shifted statement."""

from fractions import Fraction

import mpmath
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from fptheory.verify import prove
from fptheory.verify.backends import Undefined, _Enclosure, _iv_ends
from fptheory.verify.claims import Verdict
from fptheory.verify.kernel import Kernel
from fptheory.verify.openwalk import open_defined, open_enclosure, open_interval, open_value

X, Y = sp.symbols("x y", real=True)
ZERO, ONE = sp.Integer(0), sp.Integer(1)
TRIGPOLY = (-sp.log(sp.sin(X / 2)) + (sp.pi - X) / 2
            - sum(sp.cos(k * X) / k for k in range(1, 6)))

POLES = [sp.log(X), -sp.log(sp.sin(X / 2)), 1 / X, -1 / sp.sinh(X) ** 3, X ** sp.Rational(-2, 3),
         sp.log(sp.atan(X)) + 1 / sp.tan(X), TRIGPOLY, sp.log(X) ** 2 - 1 / X,
         X ** (-sp.sqrt(2)) * sp.exp(-X), sp.sqrt(X) ** 3 + sp.log(X * (X + 1))]


@settings(max_examples=200, deadline=None)
@given(expr=st.sampled_from(POLES), width=st.fractions(min_value=Fraction(1, 64), max_value=1,
                                                      max_denominator=64))
def test_the_open_enclosure_holds_at_every_point_off_the_excluded_end(expr, width):
    side = (ZERO, sp.Rational(width))
    try:
        b = open_enclosure(Kernel([X]), expr, [side], {X: (ZERO, None)})
    except Undefined:
        pytest.fail(f"no open walk for {expr} on (0, {width}]")
    for t in range(1, 33):
        p = sp.Rational(width) * sp.Rational(t, 32)
        value = sp.N(expr.subs(X, p), 50)
        assert _inside(value, b), (expr, width, p, b, value)


OUTER = [sp.log, lambda u: -sp.log(u), lambda u: 1 / u, lambda u: u ** -2,
         lambda u: u ** sp.Rational(-1, 2), lambda u: u ** sp.Rational(1, 3) * sp.log(u)]
INNER = [sp.sin, sp.tan, sp.sinh, sp.atan, sp.asinh, lambda u: u**3, sp.sqrt,
         lambda u: sp.exp(u) - 1, lambda u: 1 - sp.cos(u), lambda u: u - sp.sin(u),
         lambda u: sp.Abs(u), lambda u: sp.log(1 + u)]


@settings(max_examples=300, deadline=None)
@given(outer=st.sampled_from(OUTER), inner=st.sampled_from(INNER),
       k=st.sampled_from([sp.Integer(1), sp.Integer(-1), sp.Rational(1, 2), sp.Integer(3)]),
       width=st.fractions(min_value=Fraction(1, 32), max_value=2, max_denominator=32),
       shift=st.sampled_from([sp.Integer(0), sp.Rational(1, 4)]))
def test_an_open_enclosure_of_a_composed_pole_holds_wherever_it_is_given(outer, inner, k, width,
                                                                          shift):
    """A pole built from a function of k·x (or of k·x − 1/4, whose zero is inside the box,
    not at its excluded end 0): where the open walk gives an enclosure on (0, width], every
    one of 24 exact points has a real, finite value inside it (mpmath at 30 digits)."""
    expr = outer(inner(k * X - shift))
    try:
        b = open_enclosure(Kernel([X]), expr, [(ZERO, sp.Rational(width))], {X: (ZERO, None)})
    except Undefined:
        return
    for t in range(1, 25):
        value = sp.N(expr.subs(X, sp.Rational(width) * sp.Rational(t, 24)), 50)
        assert value.is_real and value.is_finite, (expr, width, t, value)
        assert _inside(value, b), (expr, width, t, b, value)


def _inside(value: sp.Expr, b) -> bool:
    """value (sympy, 50 digits) in the enclosure b, up to its own rounding (10^-40 relative:
    at an end of the box the enclosure's end is the value itself)."""
    with mpmath.workdps(50):
        v = mpmath.mpf(str(value))
        slack = abs(v) * mpmath.mpf(10) ** -40
        return bool(b.lo <= v + slack and v - slack <= b.hi)


@settings(max_examples=100, deadline=None)
@given(hi=st.fractions(min_value=Fraction(1, 100), max_value=100, max_denominator=100),
       exponent=st.sampled_from([sp.Integer(-1), sp.Integer(-2), sp.Integer(-3),
                                 sp.Rational(-1, 2), sp.Rational(5, 3), -sp.pi]),
       negative=st.booleans())
def test_open_values_enclose_the_function_on_the_open_side(hi, exponent, negative):
    """u in (0, hi] (or [-hi, 0) for an integer power): the value at points of that side
    lies in :func:`open_value`'s enclosure."""
    u = sp.Symbol("u")
    node = u ** exponent
    if negative and not exponent.is_Integer:
        assert open_value(node, mpmath.iv.mpf([-float(hi), 0]), -2) is None
        return
    side = mpmath.iv.mpf([-float(hi), 0] if negative else [0, float(hi)])
    out = open_value(node, side, -2 if negative else 2)
    log_out = None if negative else open_value(sp.log(u), side, 2)
    for t in range(1, 17):
        point = sp.Rational(float(hi)) * t / 16 * (-1 if negative else 1)  # (the side is float)
        assert _inside(sp.N(point ** exponent, 50), _Enclosure(*_iv_ends(out)))
        if log_out is not None:
            assert _inside(sp.N(sp.log(point), 50), _Enclosure(*_iv_ends(log_out)))


def test_a_pole_not_at_an_excluded_end_gives_no_enclosure():
    kernel = Kernel([X, Y])
    half = sp.Rational(1, 2)
    off_zero = {X: (ZERO, None)}
    with pytest.raises(Undefined):  # 1/(x - 1/2): the pole at 1/2 is inside the box
        open_enclosure(kernel, 1 / (X - half), [(ZERO, ONE)], off_zero)
    with pytest.raises(Undefined):  # log x with 0 included
        open_enclosure(kernel, sp.log(X), [(ZERO, ONE)], {})
    with pytest.raises(Undefined):  # log sin x: sin x < 0 past π
        open_enclosure(kernel, sp.log(sp.sin(X)), [(ZERO, sp.Integer(4))], off_zero)
    with pytest.raises(Undefined):  # log(x - y) on (0, 1]²: x - y reaches below 0
        open_enclosure(kernel, sp.log(X - Y), [(ZERO, ONE), (ZERO, ONE)],
                       {X: (ZERO, None), Y: (ZERO, None)})
    corner = {X: (ZERO, None), Y: (ZERO, None)}
    assert open_defined(kernel, sp.log(X * Y), [(ZERO, ONE), (ZERO, ONE)], corner)
    assert not open_defined(kernel, sp.log(X * Y), [(ZERO, ONE), (ZERO, ONE)], off_zero)


def test_the_judgement_has_the_enclosures_sign_and_no_more():
    kernel = Kernel([X])
    side, off_zero = [(ZERO, sp.Rational(1, 2))], {X: (ZERO, None)}
    assert open_interval(kernel, TRIGPOLY, side, True, off_zero)
    assert not open_interval(kernel, TRIGPOLY - 3, side, False, off_zero)  # -log sin(1/4) ≈ 1.4
    assert open_interval(kernel, 1 / X - 2, side, False, off_zero)  # 1/x ≥ 2, tight at 1/2
    assert not open_interval(kernel, 1 / X - 2, side, True, off_zero)
    assert not open_interval(kernel, sp.log(X) + 1 / X, side, False, off_zero)  # -∞ + ∞


def test_the_trigonometric_bound_at_its_logarithmic_pole_is_certified_and_rechecked(
        certified, refusal):
    statement = ("cos(x) + cos(2*x)/2 + cos(3*x)/3 + cos(4*x)/4 + cos(5*x)/5 "
                 "<= -log(sin(x/2)) + (pi - x)/2")
    certificate = certified(statement, "0<x<2.25")
    assert any(leaf["rule"] == "interval off excluded ends" for leaf in certificate["leaves"])
    # the leaf at the pole cannot carry a shifted statement: -log(sin(x/2)) ≥ 4 is false
    # on most of it (sin(x/2) > e^-4 past x ≈ 0.037)
    pole = [dict(leaf) for leaf in certificate["leaves"]
            if leaf["rule"] == "interval off excluded ends"][:1]
    reason = refusal(certificate, "4 <= -log(sin(x/2))", "0<x<2.25", pole)
    assert "open walk" in reason
    # and the same leaf box is not accepted where its end is included
    assert refusal(certificate, statement, "0<=x<2.25", pole)


@pytest.mark.parametrize("statement, domain", [
    ("1/tan(x) >= 0", "0<x<=1"),
    # MetiTarski's trigpoly-351-2b, tight at 2π/5 to 1e-6; the pole of cot(x/4) at 0
    ("10**-6 + 1/(2*tan(x/4)) >= sin(x) + sin(2*x)", "0<x<6.1"),
    # a divisor |2 sin(x/2)|: |u| > 0 where u ≠ 0 (MetiTarski's trigpoly-352-2)
    ("Abs(1/2 + cos(x) + cos(2*x)) <= 0.2 + 1/Abs(2*sin(x/2))", "0<x<4.8"),
])
def test_a_pole_alone_at_an_excluded_end_is_closed_by_the_open_walk(statement, domain,
                                                                     certified):
    certificate = certified(statement, domain)
    assert any(leaf["rule"].endswith("interval off excluded ends")
               for leaf in certificate["leaves"])


def test_a_box_reaching_infinity_is_walked_at_its_real_points():
    """±∞ is no point of a box: on [1, ∞) the divisor 1 - |1 - e^(-u)| = e^(-u) is > 0 at
    every point, though its enclosure reaches 0 at the infinite end."""
    u = sp.Symbol("u", real=True)
    kernel, tail = Kernel([u]), [(ONE, sp.oo)]
    expr = 1 / (1 - sp.Abs(1 - sp.exp(-u)))
    b = open_enclosure(kernel, expr, tail, {})
    for point in (1, 2, 5, 30, 200):
        assert _inside(sp.N(expr.subs(u, point), 50), b)
    assert open_defined(kernel, expr, tail, {})
    with pytest.raises(Undefined):  # 1/(u - 2) has a real pole on [1, ∞)
        open_enclosure(kernel, 1 / (u - 2), tail, {})


@pytest.mark.parametrize("statement", [
    # mathlib's abs_log_sub_add_sum_range_le (n = 2 and 4): the divisor 1 - |x| of the
    # bound, 0 at the excluded ends, is shown defined off them (unknown at 60 s before)
    "Abs(x + x**2/2 + log(1 - x)) <= Abs(x)**3/(1 - Abs(x))",
    "Abs(x + x**2/2 + x**3/3 + x**4/4 + log(1 - x)) <= Abs(x)**5/(1 - Abs(x))",
])
def test_a_divisor_vanishing_at_both_excluded_ends_is_shown_defined_off_them(statement,
                                                                              certified):
    certified(statement, "-1<x<1")
    r = prove(statement.replace("<=", "<= -1/10**6 +"), "-1<x<1", time_limit=20)
    assert r.verdict is Verdict.REFUTED, r.reason


def test_a_false_bound_at_a_pole_is_refuted_not_certified():
    r = prove("-log(sin(x/2)) >= 2", "0<x<1", time_limit=20)
    assert r.verdict is Verdict.REFUTED, r.reason


def test_the_open_walk_applies_where_a_box_touches_an_excluded_end_or_reaches_infinity():
    from fptheory.verify.openends import open_walk_applies
    excluded = {X: (ZERO, None)}  # x > 0, y free
    half = sp.Rational(1, 2)
    assert open_walk_applies(excluded, [X, Y], [(ZERO, half), (ZERO, ONE)])
    assert open_walk_applies(excluded, [X, Y], [(half, ONE), (ZERO, sp.oo)])
    assert open_walk_applies({}, [X], [(-sp.oo, ZERO)])
    assert not open_walk_applies(excluded, [X, Y], [(half, ONE), (ZERO, ONE)])
    assert not open_walk_applies({Y: (ZERO, None)}, [X, Y], [(ZERO, ONE), (half, ONE)])
    assert not open_walk_applies(excluded, [X, Y], [(ZERO, ZERO), (ZERO, ONE)])  # a point


CORNER_QUOTIENTS = [sp.log((1 - X) / (1 - Y)), sp.log(X / Y) * X, (1 - X) * sp.log((1 - X) / (1 - Y)),
                    sp.sqrt(X / Y), sp.log(1 + X / Y), sp.log((X + Y) / Y) ** 2]


@settings(max_examples=120, deadline=None)
@given(expr=st.sampled_from(CORNER_QUOTIENTS),
       lo=st.fractions(min_value=Fraction(1, 16), max_value=Fraction(15, 16), max_denominator=16),
       at_one=st.booleans())
def test_a_logarithm_of_a_quotient_with_a_pole_at_an_excluded_corner_is_walked_open(expr, lo,
                                                                                     at_one):
    """Pinsker's log((1 - p)/(1 - q)) on [a, 1)²: the quotient's divisor vanishes at the
    excluded end q = 1, so the argument of the logarithm has no closed walk there; walked open
    itself, it is real and > 0 at every point off the excluded ends, and the enclosure holds
    at exact points of the box (mpmath, 50 digits). Likewise log(p/q) on (0, b]²."""
    box = [(sp.Rational(lo), ONE), (sp.Rational(lo), ONE)] if at_one else \
        [(ZERO, sp.Rational(lo)), (ZERO, sp.Rational(lo))]
    excluded = {X: (None, ONE), Y: (None, ONE)} if at_one else {X: (ZERO, None), Y: (ZERO, None)}
    if not at_one and expr.has(1 - X):
        return
    try:
        b = open_enclosure(Kernel([X, Y]), expr, box, excluded)
    except Undefined:
        pytest.fail(f"no open walk for {expr} on {box}")
    (a, c), _ = box
    for s in range(1, 9):
        for t in range(1, 9):
            point = {X: a + (c - a) * sp.Rational(s, 9), Y: a + (c - a) * sp.Rational(t, 9)}
            value = sp.N(expr.subs(point), 50)
            assert value.is_real and value.is_finite, (expr, point)
            assert _inside(value, b), (expr, box, point, b, value)


def test_a_quotient_whose_divisor_vanishes_inside_the_box_is_not_walked_open():
    """On [3/4, 1) × [0, 1) the divisor 1/2 - y of log((1 - x)/(1/2 - y)) vanishes at
    y = 1/2, inside the box, not at an excluded end: no enclosure, whichever its sign."""
    box = [(sp.Rational(3, 4), ONE), (ZERO, ONE)]
    excluded = {X: (None, ONE), Y: (None, ONE)}
    for expr in (sp.log((1 - X) / (sp.Rational(1, 2) - Y)), sp.log((1 - X) / (Y - sp.Rational(1, 2)))):
        with pytest.raises(Undefined):
            open_enclosure(Kernel([X, Y]), expr, box, excluded)
