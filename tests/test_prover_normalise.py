"""Normalisation before the search (fptheory.verify.normalise) and the tighter enclosures it
relies on: wide-ball products and monotone functions in arb (backends), the kernel's sign
judgement of products and sums. Each claim is checked against point values computed
independently (mpmath at 50 digits)."""

import mpmath
import pytest
import sympy as sp
from flint import arb, ctx
from hypothesis import given, settings
from hypothesis import strategies as st

from fptheory.verify import Domain, certify, normalise, recheck_certificate
from fptheory.verify.backends import _UNARY, _arb_mul, _cosh
from fptheory.verify.claims import Verdict
from fptheory.verify.kernel import Kernel, exactly_equal
from fptheory.verify.limits import bounded
from fptheory.verify.normalise import dominant_exponential, normal_forms

x, y = sp.symbols("x y", real=True)
k1, k2, w = sp.symbols("k1 k2 w", real=True)
R = sp.Rational

ends = st.floats(min_value=-50, max_value=50, allow_nan=False, allow_infinity=False)
fractions = st.floats(min_value=0, max_value=1)


def _ball(a: float, b: float) -> arb:
    lo, hi = min(a, b), max(a, b)
    return arb(lo).union(arb(hi))


@settings(max_examples=300, deadline=None)
@given(ends, ends, ends, ends, fractions, fractions)
def test_wide_products_enclose_every_product_of_points(a, b, c, d, s, t):
    ctx.prec = 80
    p, q = _ball(a, b), _ball(c, d)
    u = min(a, b) + s * abs(b - a)
    v = min(c, d) + t * abs(d - c)
    assert _arb_mul(p, q).contains(arb(u) * arb(v))


def test_wide_products_are_tighter_than_midpoint_radius():
    ctx.prec = 80
    p, q = _ball(1.5, 3), _ball(1, 10)
    assert not (p * q > 0)  # arb's own product reaches -5
    assert _arb_mul(p, q) > 0


@pytest.mark.parametrize("fn", [sp.exp, sp.log, sp.sinh, sp.tanh, sp.atan, sp.asin, sp.acos,
                                sp.cosh])
@settings(max_examples=60, deadline=None)
@given(a=st.floats(min_value=-20, max_value=20), b=st.floats(min_value=-20, max_value=20),
       s=fractions)
def test_monotone_functions_enclose_their_values_on_wide_balls(fn, a, b, s):
    ctx.prec = 80
    if fn is sp.log:
        a, b = abs(a) + 1e-3, abs(b) + 1e-3
    if fn in (sp.asin, sp.acos):
        a, b = a / 20, b / 20
    ball = _ball(a, b)
    point = min(a, b) + s * abs(b - a)
    if not ball.contains(arb(point)):
        return
    f = _cosh if fn is sp.cosh else _UNARY[fn]
    with mpmath.workdps(50):
        exact = mpmath.nstr(getattr(mpmath, fn.__name__)(mpmath.mpf(point)), 45)
    assert f(ball).overlaps(arb(exact)), (ball, f(ball), exact)


def test_monotone_functions_are_tight_on_wide_balls():
    ctx.prec = 80
    b = _ball(-0.9, 0.99)
    assert arb.tanh(b).lower() < -4 and _UNARY[sp.tanh](b).lower() > -0.72
    assert arb.asin(b).lower() < -1.4 and _UNARY[sp.asin](b).lower() > -1.12


@pytest.mark.parametrize("expr, side, expected", [
    (sp.exp(-x) * (2 - sp.exp(-x)), (1, 60), 2),  # e^-60 · [1, 2]: arb's ball reaches 0
    (-(x**2) - 1, (-3, 3), -2),
    (x * (x - 10), (1, 2), -2),
    (x**2 * sp.exp(x), (-1, 1), 1),
    (x - 1, (0, 2), None),
])
def test_sign_judgement(expr, side, expected):
    ctx.prec = 100
    k = Kernel([x])
    box = [tuple(sp.sympify(e) for e in side)]
    assert k.defined(expr, box)
    assert k.sign(expr, box) == expected


_PARTS = [x, y, x - y, 2 - x, sp.exp(x - 3 * y), sp.exp(-x) - 1, x**2 - y, 1 / (3 + x),
          sp.atan(x) - y, sp.Rational(-1, 3)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PARTS), min_size=1, max_size=4), st.booleans(),
       st.floats(min_value=-2, max_value=2), st.floats(min_value=0.001, max_value=3),
       st.floats(min_value=-2, max_value=2), st.floats(min_value=0.001, max_value=3),
       st.lists(st.tuples(fractions, fractions), min_size=8, max_size=8))
def test_sign_judgement_is_never_wrong_at_points(parts, product, xa, xw, ya, yw, points):
    """Whatever sign the kernel shows for a product or sum of parts on a box holds at
    points of the box (evaluated by sympy at 30 digits)."""
    ctx.prec = 100
    expr = sp.Mul(*parts) if product else sp.Add(*parts)
    if expr.is_number:
        return
    xs, ys = (R(xa).limit_denominator(1000), R(xa + xw).limit_denominator(1000)), \
        (R(ya).limit_denominator(1000), R(ya + yw).limit_denominator(1000))
    if xs[0] >= xs[1] or ys[0] >= ys[1]:
        return
    k = Kernel([x, y])
    box = [xs, ys]
    if not k.defined(expr, box):
        return
    sign = k.sign(expr, box)
    if sign is None:
        return
    for s, t in points:
        px, py = xs[0] + R(s).limit_denominator(100) * (xs[1] - xs[0]), \
            ys[0] + R(t).limit_denominator(100) * (ys[1] - ys[0])
        value = sp.N(expr.subs({x: px, y: py}), 30)
        assert value * (1 if sign > 0 else -1) >= 0, (expr, box, sign, px, py, value)
        if abs(sign) == 2:
            assert value != 0


def test_dominant_exponential_is_an_identity():
    s = sp.exp(3 * x) - 2 * sp.exp(x + y) + 1
    f = dominant_exponential(s, {x: 1, y: 0})
    assert f != s and exactly_equal(s, f) is not None


G14 = sp.exp(-sp.pi * (k2 - k1) / (2 * w)) - sp.sinh(sp.pi * k1 / (2 * w)) / sp.sinh(
    sp.pi * k2 / (2 * w))


def test_chapter_bound_normal_form_is_admitted_and_positive_on_the_whole_box():
    """(1.14) as typed: the exponential normal form is a product of positive factors; the
    kernel admits it (exact equality) and shows it > 0 on the whole box in one judgement."""
    centre = {k1: R(3, 4), k2: R(9, 4), w: R(11, 20)}
    forms = normal_forms(G14, centre)
    assert forms
    k = Kernel([k1, k2, w])
    assert all(k.admit(G14, f) for f in forms)
    ctx.prec = 130
    box = [(R(1, 2), sp.Integer(1)), (R(3, 2), sp.Integer(3)), (R(1, 10**5), sp.Integer(1))]
    assert not k.defined(G14, box)  # arb alone: 1/sinh spans e^4 .. e^10^5, a ball reaching 0
    assert k.interval(G14, box, strict=False)


@pytest.mark.parametrize("w_low", ["1/10", "1/1000", "1/10**6"])
def test_chapter_bound_as_typed_is_certified_in_seconds(w_low):
    statement = "sinh(pi*k1/(2*w))/sinh(pi*k2/(2*w)) <= exp(-pi*(k2-k1)/(2*w))"
    r = certify(statement, Domain.parse(f"1/2<=k1<=1, 3/2<=k2<=3, {w_low}<=w<=1"),
                time_limit=30)
    assert r.verdict is Verdict.CERTIFIED, r.reason
    assert r.seconds < 30
    assert recheck_certificate(r.certificate())


def test_chapter_bound_false_variant_is_refuted():
    # a constant past the true extreme: the ratio is below e^{-π(k2-k1)/(2w)} by at most
    # a factor (1 - e^{-πk1/w})/(1 - e^{-πk2/w}) ≥ 1 - e^{-π/2}
    r = certify("sinh(pi*k1/(2*w))/sinh(pi*k2/(2*w)) <= exp(-pi*(k2-k1)/(2*w))/2",
                Domain.parse("1/2<=k1<=1, 3/2<=k2<=3, 1/10<=w<=1"), time_limit=30)
    assert r.verdict is Verdict.REFUTED


def test_normal_forms_are_not_proposed_without_exponentials():
    assert normal_forms(x**2 - 2 * x + 1, {x: 0}) == []


HARTMAN_ROWS = [  # (c_i, a_i, p_i) of -Σ c_i exp(-Σ_j a_ij (x_j - p_ij)²), nlcertify's h3
    (1, (3, 10, 30), (R(3689, 10000), R(117, 1000), R(2673, 10000))),
    (R(6, 5), (R(1, 10), 10, 35), (R(4699, 10000), R(4387, 10000), R(747, 1000))),
    (3, (3, 10, 30), (R(1091, 10000), R(8732, 10000), R(5547, 10000))),
    (R(16, 5), (R(1, 10), 10, 35), (R(763, 20000), R(5743, 10000), R(8828, 10000)))]
HARTMAN_3 = 3 + sum(
    -c * sp.exp(-sum(a * (v - q) ** 2 for a, v, q in zip(row, (x, y, w), centre, strict=True)))
    for c, row, centre in HARTMAN_ROWS)


def test_many_exponentials_are_not_factored():
    # Hartman's four Gaussians cancel into 33 exponentials, which sympy's factor does not get
    # through in its deadline; the normal form gives up at once instead
    cancelled = sp.cancel(sp.together(sp.powsimp(sp.expand_power_exp(HARTMAN_3))))
    assert len(cancelled.atoms(sp.exp)) > normalise.MAX_EXPONENTIALS
    centre = {x: R(1, 2), y: R(1, 2), w: R(1, 2)}
    assert bounded(lambda: normalise.exp_normal_form(HARTMAN_3, centre), 20.0, "ran out") is None
    # the chapter's bound keeps its few exponentials and its normal form
    chapter = sp.exp(-sp.pi * (k2 - k1) / (2 * w)) - sp.sinh(sp.pi * k1 / (2 * w)) / sp.sinh(
        sp.pi * k2 / (2 * w))
    assert normalise.exp_normal_form(chapter, {k1: R(3, 4), k2: R(9, 4), w: R(11, 20)}) is not None


def test_divisions_are_not_tried_where_the_whole_margin_gives_up(monkeypatch):
    calls = []

    def gives_up(expr, centre):
        calls.append(expr)
        raise RecursionError

    monkeypatch.setattr(normalise, "exp_normal_form", gives_up)
    g = sp.exp(x) - sp.exp(y) + x - 1
    assert normal_forms(g, {x: 0, y: 0}) == [] and len(calls) == 1
    monkeypatch.setattr(normalise, "exp_normal_form", lambda expr, centre: calls.append(expr))
    normal_forms(g, {x: R(1, 2), y: R(1, 2)})  # nothing new from the whole: divisions tried
    assert len(calls) > 2
