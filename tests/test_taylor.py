"""The Taylor enclosures of fptheory.verify.taylor: every enclosure holds the function's
values on its box (checked against mpmath at 50 digits, an independent evaluation), every
guard refuses where the function is not analytic, and the kernel's judgement never closes
a box where the statement fails."""

import itertools

import mpmath
import pytest
import sympy as sp
from flint import arb, arb_series, ctx
from hypothesis import given, settings
from hypothesis import strategies as st

from fptheory.core.errors import FPTheoryError
from fptheory.verify.backends import Undefined
from fptheory.verify.kernel import Kernel
from fptheory.verify.taylor import _atan, _series_cap, compile_series, taylor_enclosure

x, y = sp.symbols("x y", real=True)

#: expressions analytic on [-1/2, 1/2] (x) and [1, 2] (y)
ANALYTIC = [
    sp.exp(x) - (1 + x + x**2 / 2),
    sp.sin(3 * x) / (2 + sp.cos(x)),
    sp.sqrt(2 + x) * sp.log(3 + x) - sp.atan(x) ** 3,
    sp.tan(x) - x,
    sp.sinh(x) * sp.cosh(2 * x) - sp.tanh(x) + sp.sech(x),
    sp.asin(x) + sp.acos(x / 2) + sp.exp(-x**2) * y,
    (1 + x**2) ** sp.Rational(1, 3) + y ** x,
    1 / (y - x) + sp.log(y) * sp.coth(y) + sp.csch(y) - sp.cot(y) * sp.sec(x) + sp.csc(y),
    x**7 - 3 * x**4 * y + y**-2,
    # |u| = ±u and sign(u) = ±1 where u keeps one sign on the box
    sp.Abs(x - 1) * sp.exp(x) + sp.sign(y - sp.Rational(1, 2)) * x - sp.Abs(sp.sin(x) - 2) * y,
    # the inverse hyperbolic functions, through F(u₀) + ∫ u′·F′(u)
    sp.asinh(3 * x - y) * sp.atanh(x + y / 4 - sp.Rational(1, 4)) + sp.acosh(y + x**2 + x + 1),
]


def _values(expr, box, points=9):
    """mpmath values at points spread over the box (every side's ends and inner points)."""
    f = sp.lambdify((x, y), expr, "mpmath")
    out = []
    with mpmath.workdps(50):
        for i in range(points):
            for j in range(3):
                px = box[0][0] + (box[0][1] - box[0][0]) * sp.Rational(i, points - 1)
                py = box[1][0] + (box[1][1] - box[1][0]) * sp.Rational(j, 2)
                out.append(f(mpmath.mpf(sp.Rational(px).p) / sp.Rational(px).q,
                             mpmath.mpf(sp.Rational(py).p) / sp.Rational(py).q))
    return out


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(range(len(ANALYTIC))), st.integers(-50, 40), st.integers(1, 10),
       st.integers(0, 10), st.integers(0, 10), st.sampled_from([1, 2, 3, 6, 12]),
       st.booleans())
def test_the_enclosure_holds_every_value(which, a, width, b, c, degree, in_y):
    expr = ANALYTIC[which]
    lo = sp.Rational(a, 100)
    bx = (lo, min(lo + sp.Rational(width, 100), sp.Rational(1, 2)))
    by = (1 + sp.Rational(b, 10), 1 + sp.Rational(max(b, c), 10))
    box = [bx, by]
    i = 1 if in_y and by[0] != by[1] else 0
    ctx.prec = 130
    try:
        enclosure = taylor_enclosure(expr, [x, y], box, i, degree)
    finally:
        ctx.prec = 53
    assert enclosure.is_finite()
    lower = mpmath.mpf(enclosure.lower().mid().str(40, radius=False))
    upper = mpmath.mpf(enclosure.upper().mid().str(40, radius=False))
    slack = mpmath.mpf(10) ** -30
    for value in _values(expr, box):
        assert lower - slack <= value <= upper + slack, (expr, box, i, degree)


def test_the_enclosure_narrows_like_a_power_of_the_width():
    g = sp.exp(x) - (1 + x + x**2 / 2 + x**3 / 6)
    widths = []
    ctx.prec = 130
    try:
        for r in (sp.Rational(1, 8), sp.Rational(1, 16)):
            b = taylor_enclosure(g, [x], [(-r, r)], 0, 6)
            widths.append(float(b.rad()))
    finally:
        ctx.prec = 53
    assert widths[1] < widths[0] / 10  # like r^4 (16x); a plain enclosure only halves


@pytest.mark.parametrize("expr, box, why", [
    (sp.sqrt(x), (0, sp.Rational(1, 4)), "square root"),
    (sp.log(x), (-sp.Rational(1, 4), 1), "logarithm"),
    (1 / x, (-1, 1), "denominator"),
    (sp.tan(x), (1, 2), "denominator"),
    (sp.asin(x), (0, 1), "asin"),
    (x ** sp.Rational(1, 3), (-1, 1), "real power"),
    (sp.csch(x), (-1, 1), "denominator"),
    (sp.Abs(x), (-sp.Rational(1, 4), sp.Rational(1, 4)), "Abs or sign"),
    (sp.sign(x) * x, (0, sp.Rational(1, 4)), "Abs or sign"),  # 0 at the end
    (sp.acosh(x), (1, 2), "acosh at 1"),
    (sp.atanh(x), (0, 1), "atanh at ±1"),
])
def test_a_guard_refuses_where_the_function_is_not_analytic(expr, box, why):
    with pytest.raises(Undefined, match=why):
        taylor_enclosure(expr, [x], [(sp.sympify(box[0]), sp.sympify(box[1]))], 0, 4)


@pytest.mark.parametrize("expr", [sp.Heaviside(x), sp.Max(x, 1),
                                  sp.erf(x), sp.Piecewise((x, x > 0), (0, True))])
def test_what_has_no_taylor_kernel_is_refused_at_compile_time(expr):
    with pytest.raises(FPTheoryError):
        compile_series(expr)


def test_the_judgement_closes_a_tight_true_bound_and_never_a_false_one():
    """e^x - (1 + x + x²/2) on |x| ≤ 1/256: its maximum is 9.93e-9 (at 1/256)."""
    k = Kernel([x])
    box = [(sp.Rational(-1, 256), sp.Rational(1, 256))]
    g = sp.exp(x) - (1 + x + x**2 / 2)
    ctx.prec = 130
    try:
        assert k.taylor(sp.Rational(1, 10**8) - g, box, True, x, 4)
        for degree in (1, 2, 4, 10, 24):
            assert not k.taylor(sp.Rational(99, 10**10) - g, box, False, x, degree)
        assert not k.taylor(sp.Rational(1, 10**8) - g, box, True, x, 25)  # degree capped
        assert not k.taylor(sp.Rational(1, 10**8) - g, box, True, sp.Symbol("z"), 4)
    finally:
        ctx.prec = 53


@pytest.mark.parametrize("degree", [1, 4, 9, 10, 11, 12, 16, 24])
def test_high_degrees_on_a_wide_box_keep_the_remainder(degree):
    """python-flint truncates series functions at ctx.cap (10) terms: a degree-10 remainder
    once came back as 0, and 999999 - 10^6/x ≥ 0 was 'closed' on [1, 3] (it is -1 at 1).
    Every degree must enclose the values at the ends and inside."""
    f = 999999 - 1000000 / x
    ctx.prec = 130
    try:
        b = taylor_enclosure(f, [x], [(sp.Integer(1), sp.Integer(3))], 0, degree)
    finally:
        ctx.prec = 53
    for t in (1, sp.Rational(3, 2), 2, sp.Rational(5, 2), 3):
        value = float(f.subs(x, t))
        assert float(b.lower()) <= value <= float(b.upper()), (degree, t, value, b)
    assert not Kernel([x]).taylor(f, [(sp.Integer(1), sp.Integer(3))], False, x, degree)


#: margins with polynomial sums of degree ≥ 2 in several variables (tightened in the series
#: by their second-order form), some free of a variable the margin depends on
z = sp.Symbol("z", real=True)
TIGHTENED = [
    x * (y**2 - 2 * y * z + z**2 + 1),
    sp.exp(x) * (y * z - y**2 / 3 - z**2 / 3 + y) + sp.sqrt(y**2 + z**2 - y * z + 1),
    (x**2 * y - x * y * z + z**3 + 2) * sp.log(y + z) - x * (y**2 + y * z + z**2),
]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(range(3)), st.lists(st.integers(0, 9), min_size=3, max_size=3),
       st.lists(st.integers(1, 10), min_size=3, max_size=3))
def test_series_slopes_hold_the_derivatives_where_polynomial_sums_are_tightened(which, a, w):
    """Regression: a tightened sum rebuilt at its length, not its precision, truncated the
    products after it: ∂(x·P)/∂x was enclosed as 0 for P ∈ [1, 1.01] free of x."""
    expr = TIGHTENED[which]
    box = [(1 + sp.Rational(ai, 10), 1 + sp.Rational(ai + wi, 10)) for ai, wi in zip(a, w, strict=True)]
    ctx.prec = 100
    slopes = Kernel([x, y, z]).partials(expr, box)
    assert slopes is not None
    for v, slope in zip((x, y, z), slopes, strict=True):
        d = sp.lambdify((x, y, z), sp.diff(expr, v), "mpmath")
        points = [tuple((lo + hi) / 2 for lo, hi in box)] + list(itertools.product(*box))
        with mpmath.workdps(40):
            for p in points:
                value = d(*(mpmath.mpf(c.p) / c.q for c in p))
                assert slope.lower() - 1e-20 <= value <= slope.upper() + 1e-20, (expr, v, p)


def test_the_slope_of_x_times_a_tightened_sum_free_of_x_is_that_sum():
    box = [(sp.Integer(0), sp.Integer(1)), (sp.Integer(1), sp.Rational(11, 10)),
           (sp.Integer(1), sp.Rational(11, 10))]
    slopes = Kernel([x, y, z]).partials(TIGHTENED[0], box)
    assert slopes[0].lower() >= sp.Rational(98, 100) and slopes[0].upper() <= sp.Rational(103, 100)


@settings(max_examples=40, deadline=None)
@given(st.integers(-40, 40), st.integers(1, 40), st.integers(-9, 9), st.integers(-9, 9))
def test_atan_of_a_wide_series_holds_every_coefficient(centre, radius, b, c):
    # arb's own atan series is nan once the constant term is a ball as wide as [-1, 1]
    ctx.prec = 80
    ball = arb(centre, 0) / 10 + arb(0, radius) / 10
    with _series_cap(4):
        series = _atan(arb_series([ball, arb(b), arb(c)], prec=4)).coeffs()
    assert all(x.is_finite() for x in series)
    t = sp.Symbol("t")
    lo, hi = (centre - radius) / 10, (centre + radius) / 10
    for x0 in (lo, (lo + hi) / 2, hi, lo + (hi - lo) / 3):
        exact = sp.series(sp.atan(sp.Rational(x0) + b * t + c * t**2), t, 0, 4).removeO()
        for k, coeff in enumerate(series):
            value = sp.Rational(exact.coeff(t, k)) if k else sp.atan(sp.Rational(x0))
            assert abs(float(coeff.mid()) - float(value)) <= float(coeff.rad()) + 1e-12


# Taylor's theorem at an end of the side (Kernel.taylor with ``end``)

def test_a_bound_tight_to_seventh_order_at_the_low_end_closes_there_only():
    """sin³x − x³cos x = x⁷/15 + O(x⁹): the centre's expansion straddles 0 on [0, 1/4]."""
    x = sp.Symbol("x", real=True)
    g = sp.sin(x)**3 - x**3 * sp.cos(x)
    k = Kernel([x])
    box = [(sp.Integer(0), sp.Rational(1, 4))]
    assert not any(k.taylor(g, box, False, x, n) for n in (4, 10))
    assert k.taylor(g, box, False, x, 10, "low", False)
    assert k.taylor(g, box, True, x, 10, "low", True)  # > 0 off the excluded end 0
    assert not k.taylor(g, box, True, x, 10, "low", False)  # g(0) = 0 is in the domain
    assert not k.taylor(-g, box, False, x, 10, "low", False)


@pytest.mark.parametrize("expr, end, closes", [
    ("(1 - x)**3", "high", True),  # S = x - 1 ≤ 0: S³·(−1) ≥ 0
    ("(x - 1)**3", "high", False),
    ("(1 - x)**2*(2 - x)", "high", True),
    ("x**3*(x - 1/2)", "low", False),  # < 0 on (0, 1/2)
    ("x**4*(2 - x)", "low", True),
])
def test_the_sign_of_s_to_the_m_is_taken_at_the_end_it_expands_at(expr, end, closes):
    x = sp.Symbol("x", real=True)
    k = Kernel([x])
    assert k.taylor(sp.sympify(expr, locals={"x": x}), [(sp.Integer(0), sp.Integer(1))],
                    False, x, 10, end, False) is closes


def test_the_end_expansion_with_other_sides_wide_needs_coefficients_zero_in_them():
    """At the face x = 0 of a box whose y side is a ball, a coefficient is dropped only
    where it is 0 identically in y (sympy), not where its ball merely contains 0:
    x·(y − 1/2) + x² is < 0 at x = 1/8, y = 0, though its first coefficient is 0 at y = 1/2."""
    x, y = sp.symbols("x y", real=True)
    k = Kernel([x, y])
    unit = [(sp.Integer(0), sp.Integer(1)), (sp.Integer(0), sp.Integer(1))]
    assert k.taylor(x**3 * (y + 1), unit, True, x, 10, "low", True)  # > 0 off x = 0
    assert not k.taylor(x * (y - sp.Rational(1, 2)) + x**2, unit, False, x, 10, "low", False)
    assert k.taylor(x * (y - sp.Rational(1, 2)) + x**2,
                    [(sp.Integer(0), sp.Integer(1)), (sp.Rational(1, 2), sp.Rational(1, 2))],
                    False, x, 10, "low", False)


def test_a_face_where_a_difference_of_exponentials_vanishes_to_third_order_closes():
    """e^(x+d) − e^x − d·e^(x+d/2) = e^x·d³/24 + O(d⁴): its first three coefficients in d
    at d = 0 are 0 for every x (sympy), and the fourth's ball is > 0 on thin x sides."""
    x, d = sp.symbols("x d", real=True)
    g = sp.exp(x + d) - sp.exp(x) - d * sp.exp(x + d / 2)
    k = Kernel([x, d])
    thin = [(sp.Integer(0), sp.Rational(1, 10)), (sp.Integer(0), sp.Rational(1, 10))]
    assert k.taylor(g, thin, True, d, 10, "low", True)
    assert not k.taylor(g, thin, True, d, 10, "low", False)  # g = 0 on the face d = 0
    assert not k.taylor(g - d**3 / 20, thin, False, d, 10, "low", False)  # < 0 near x = 0


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 3), st.lists(st.lists(st.integers(-3, 3), min_size=2, max_size=2),
                                   min_size=1, max_size=3), st.booleans())
def test_the_end_judgement_with_a_wide_side_never_closes_a_negative_polynomial(
        m, coefficients, strict):
    """x^m·Σ_j (a_j + b_j·(y − 1/2))·x^j on [0, 1/2] × [0, 1], the x end at 0 expanded with
    y a ball: whenever the kernel closes it, it is ≥ 0 (> 0 off x = 0) on a 21 × 21 grid."""
    x, y = sp.symbols("x y", real=True)
    half = sp.Rational(1, 2)
    g = sp.expand(x**m * sum((a + b * (y - half)) * x**j for j, (a, b) in enumerate(coefficients)))
    box = [(sp.Integer(0), half), (sp.Integer(0), sp.Integer(1))]
    if not Kernel([x, y]).taylor(g, box, strict, x, 10, "low", True):
        return
    for i, j in itertools.product(range(21), repeat=2):
        px, py = half * sp.Rational(i, 20), sp.Rational(j, 20)
        value = g.subs({x: px, y: py})
        assert value >= 0 and (not strict or value > 0 or px == 0)


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 6), st.lists(st.integers(-6, 6), min_size=1, max_size=4),
       st.sampled_from(["low", "high"]), st.booleans(), st.integers(1, 4))
def test_the_end_judgement_never_closes_a_polynomial_that_is_negative_on_the_side(
        m, coefficients, end, strict, width):
    """(x − z)^m·Σ c_j (x − z)^j on [0, w/4] or [−w/4, 0] (z the end): whenever the kernel
    closes it, it is ≥ 0 (> 0 off z, strict) at 200 exact points of the side."""
    x = sp.Symbol("x", real=True)
    w = sp.Rational(width, 4)
    lo, hi = (sp.Integer(0), w) if end == "low" else (-w, sp.Integer(0))
    s = x - (lo if end == "low" else hi)
    g = sp.expand(s**m * sum(c * s**j for j, c in enumerate(coefficients)))
    if not Kernel([x]).taylor(g, [(lo, hi)], strict, x, 10, end, True):
        return
    for t in range(201):
        point = lo + (hi - lo) * sp.Rational(t, 200)
        value = g.subs(x, point)
        assert value >= 0 and (not strict or value > 0 or point == (lo if end == "low" else hi))


@pytest.mark.parametrize("kind", [sp.asinh, sp.atanh, sp.atan])
@pytest.mark.parametrize("n", [1, 2, 3, 5])
def test_series_of_an_exact_zero_centre_keep_their_coefficients(kind, n):
    """u = t at 0: u² to n terms may be the empty list in python-flint (trailing zeros are
    dropped); the inverse functions' series still match sympy's."""
    from fptheory.verify.taylor import _unary
    with _series_cap(n + 1):
        got = _unary(kind, arb_series([0, 1], prec=n)).coeffs()
    t = sp.Symbol("t")
    exact = sp.series(kind(t), t, 0, n).removeO()
    for k in range(n):
        value = float(exact.coeff(t, k))
        have = got[k] if k < len(got) else arb(0)
        assert abs(float(have.mid()) - value) <= float(have.rad()) + 1e-12, (kind, n, k)
