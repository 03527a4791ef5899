"""The affine forms of fptheory.verify.affine and the tightened walk: every form holds the
expression's values on its box (checked against mpmath at 50 digits, an independent
evaluation), every guard refuses where a function leaves its domain somewhere on the box,
and neither the ``affine`` judgement nor a tightened walk closes a box where the statement
fails."""

import itertools

import mpmath
import pytest
import sympy as sp
from flint import ctx
from hypothesis import given, settings
from hypothesis import strategies as st

from fptheory.core.errors import FPTheoryError
from fptheory.verify import certify
from fptheory.verify.affine import affine_form, affine_slopes
from fptheory.verify.backends import ARB, Undefined, compile_balls
from fptheory.verify.balls import side_ball
from fptheory.verify.certificates import recheck_certificate
from fptheory.verify.kernel import Kernel
from fptheory.verify.taylor import refined_enclosure

x, y, z = sp.symbols("x y z", real=True)
XS = sp.symbols("x1:7", real=True)
X1, X2, X3, X4, X5, X6 = XS

#: Δ of a tetrahedron with squared edges x1..x6 (Flyspeck's delta_x) and ∂Δ/∂x4
DELTA = (X1*X4*(-X1 + X2 + X3 - X4 + X5 + X6) + X2*X5*(X1 - X2 + X3 + X4 - X5 + X6)
         + X3*X6*(X1 + X2 - X3 + X4 + X5 - X6) - X2*X3*X4 - X1*X3*X5 - X1*X2*X6 - X4*X5*X6)
DELTA4 = (-X2*X3 - X1*X4 + X2*X5 + X3*X6 - X5*X6 + X1*(-X1 + X2 + X3 - X4 + X5 + X6))
DIHEDRAL = sp.pi / 2 + sp.atan(-DELTA4 / sp.sqrt(4 * X1 * DELTA))

#: expressions defined on [-1/2, 1/2] (x), [1, 2] (y), [1/2, 3/2] (z)
FAMILY = [
    x * (2 - x) + y * z - y**2 / z,
    sp.exp(x * y) - sp.sin(z - x) * sp.cos(y),
    sp.sqrt(y + z) * sp.log(y * z + 1) - sp.atan(x / y),
    (x**2 + y**2 + z**2) ** sp.Rational(1, 3) - y ** z + z ** x,
    1 / (y - x) - sp.tanh(x * z) + sp.asin(x) * sp.acos(x / 2) + sp.tan(x) / z,
    (x - y) ** 3 * (y - z) ** 2 - x * y * z * (x + y + z) + sp.sinh(z) * sp.cosh(x),
]
SIDES = {x: (sp.Rational(-1, 2), sp.Rational(1, 2)), y: (sp.Integer(1), sp.Integer(2)),
         z: (sp.Rational(1, 2), sp.Rational(3, 2))}


def _mp(q: sp.Rational) -> mpmath.mpf:
    return mpmath.mpf(int(q.p)) / int(q.q)


def _points(box: dict) -> list[dict]:
    """Exact points of the box: its corners, its centre and points a third of the way in."""
    out = []
    for ends in itertools.product(*[(lo, (2 * lo + hi) / 3, (lo + hi) / 2, hi)
                                     for lo, hi in box.values()]):
        out.append(dict(zip(box, ends, strict=True)))
    return out


def _sub_box(draw_a, draw_w):
    box = {}
    for v, a, w in zip((x, y, z), draw_a, draw_w, strict=True):
        lo, hi = SIDES[v]
        start = lo + (hi - lo) * sp.Rational(a, 20)
        box[v] = (start, min(hi, start + (hi - lo) * sp.Rational(w, 20)))
    return box


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(range(len(FAMILY))), st.lists(st.integers(0, 19), min_size=3, max_size=3),
       st.lists(st.integers(0, 20), min_size=3, max_size=3))
def test_the_affine_form_holds_every_value(which, starts, widths):
    expr = FAMILY[which]
    box = _sub_box(starts, widths)
    ctx.prec = 100
    form = affine_form(expr, [x, y, z], {v: side_ball(lo, hi) for v, (lo, hi) in box.items()})
    low, high = form.low(), form.high()
    f = sp.lambdify((x, y, z), expr, "mpmath")
    with mpmath.workdps(50):
        for point in _points(box):
            value = f(*(_mp(point[v]) for v in (x, y, z)))
            assert low.lower() <= value + mpmath.mpf(10) ** -25, (expr, box, point)
            assert value - mpmath.mpf(10) ** -25 <= high.upper(), (expr, box, point)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 9), min_size=6, max_size=6), st.integers(1, 4))
def test_the_tightened_walk_of_delta_holds_every_value_and_beats_the_plain_walk(starts, width):
    ctx.prec = 100
    sides = [(4 + sp.Rational(2 * a, 10), 4 + sp.Rational(2 * a + width * 3, 10)) for a in starts]
    balls = [side_ball(lo, hi) for lo, hi in sides]
    plain = compile_balls(DELTA, XS, ARB, checked=True)(balls)
    kernel = Kernel(list(XS))
    tight = kernel.enclose(DELTA, sides)
    assert tight.rad() <= plain.rad()
    f = sp.lambdify(XS, DELTA)
    for ends in itertools.islice(itertools.product(*sides), 64):
        value = f(*ends)  # an exact rational: sympy numbers in, polynomial out
        assert tight.lower() <= value <= tight.upper()


def test_a_root_of_delta_is_defined_on_wide_boxes_only_with_the_tightened_walk():
    sides = [(sp.Integer(4), sp.Rational(51752, 10000))] * 6
    balls = [side_ball(lo, hi) for lo, hi in sides]
    with pytest.raises(Undefined):
        compile_balls(sp.sqrt(DELTA), XS, ARB, checked=True)(balls)
    kernel = Kernel(list(XS))
    assert kernel.defined(sp.sqrt(DELTA), sides)
    assert kernel.enclose(DELTA, sides).lower() > 0
    refined = refined_enclosure(DELTA, dict(zip(XS, balls, strict=True)),
                                compile_balls(DELTA, XS, ARB)(balls))
    assert refined is not None and refined.lower() > 19


@pytest.mark.parametrize("expr, side, what", [
    (sp.sqrt(x) + y, (sp.Integer(0), sp.Integer(1)), Undefined),         # √ at 0: not analytic
    (1 / x + y, (sp.Integer(-1), sp.Integer(1)), Undefined),            # a pole in the box
    (sp.log(x - 2) + y, (sp.Integer(0), sp.Integer(1)), Undefined),     # log of values < 0
    (sp.asin(2 * x) + y, (sp.Integer(0), sp.Integer(1)), Undefined),    # outside [-1, 1]
    (sp.Abs(x) + y, (sp.Integer(0), sp.Integer(1)), FPTheoryError),     # no series kernel
    (sp.Heaviside(x) + y, (sp.Integer(0), sp.Integer(1)), FPTheoryError),
])
def test_the_affine_form_refuses_where_a_function_leaves_its_domain(expr, side, what):
    balls = {x: side_ball(*side), y: side_ball(sp.Integer(1), sp.Integer(2))}
    with pytest.raises(what):
        affine_form(expr, [x, y], balls)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(range(len(FAMILY))), st.lists(st.integers(0, 19), min_size=3, max_size=3),
       st.lists(st.integers(0, 20), min_size=3, max_size=3), st.sampled_from([-1, 0, 1]))
def test_the_affine_judgement_never_closes_a_box_where_the_margin_is_negative(
        which, starts, widths, shift):
    """The bound moved to the smallest sampled value (and 10^-6 past it): at that point the
    margin is ≤ 0, so the judgement must not close the box (strictly: not even ≥ 0)."""
    expr = FAMILY[which]
    box = _sub_box(starts, widths)
    f = sp.lambdify((x, y, z), expr, "mpmath")
    with mpmath.workdps(50):
        worst = min(_points(box), key=lambda p: f(*(_mp(p[v]) for v in (x, y, z))))
    low = sp.nsimplify(sp.N(expr.subs(worst), 40), rational=True) + sp.Rational(shift, 10**6)
    kernel = Kernel([x, y, z])
    sides = [box[v] for v in (x, y, z)]
    margin = expr - low
    if shift >= 0:
        assert not kernel.affine(margin, sides, strict=True)
    if shift > 0:
        assert not kernel.affine(margin, sides, strict=False)


def test_a_dihedral_angle_bound_is_certified_and_replayed_and_its_false_variant_refuted():
    assume = ", ".join(f"4<=x{i}<=4.84" for i in range(1, 7))
    result = certify(f"{sp.sstr(DIHEDRAL)} >= 1.071", assume, time_limit=60)
    assert result.verdict.value == "certified", result.reason
    assert any(leaf.rule.split(" → ")[-1] in ("affine", "quadratic") for leaf in result.leaves)
    assert recheck_certificate(result.certificate()).valid
    false = certify(f"{sp.sstr(DIHEDRAL)} >= 1.0712", assume, time_limit=10)
    assert false.verdict.value == "refuted"


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(range(len(FAMILY))), st.lists(st.integers(0, 19), min_size=3, max_size=3),
       st.lists(st.integers(0, 20), min_size=3, max_size=3))
def test_the_affine_slopes_hold_every_partial_derivative(which, starts, widths):
    expr = FAMILY[which]
    box = _sub_box(starts, widths)
    ctx.prec = 100
    slopes = affine_slopes(expr, [x, y, z], {v: side_ball(lo, hi) for v, (lo, hi) in box.items()})
    for v, slope in zip((x, y, z), slopes, strict=True):
        d = sp.lambdify((x, y, z), sp.diff(expr, v), "mpmath")
        with mpmath.workdps(50):
            for point in _points(box):
                value = d(*(_mp(point[u]) for u in (x, y, z)))
                assert slope.lower() - mpmath.mpf(10) ** -25 <= value, (expr, v, box, point)
                assert value <= slope.upper() + mpmath.mpf(10) ** -25, (expr, v, box, point)


def test_the_affine_slopes_of_a_dihedral_angle_are_narrower_than_the_series_ones():
    sides = [(sp.Rational(442, 100), sp.Rational(4525, 1000))] + [
        (sp.Rational(442, 100), sp.Rational(463, 100))] * 2 + [(sp.Integer(4), sp.Integer(4))] + [
        (sp.Rational(442, 100), sp.Rational(463, 100))] * 2
    kernel = Kernel(list(XS))
    series = kernel.partials(DIHEDRAL, sides)
    affine = kernel.affine_partials(DIHEDRAL, sides)
    for i in (0, 1, 2, 4, 5):
        assert affine[i].rad() < series[i].rad() / 2
        assert affine[i].overlaps(series[i])
    signs = [kernel.partial_sign(DIHEDRAL, sides, i) for i in range(6) if i != 3]
    assert signs == [1, -1, -1, -1, -1]


def test_the_curvature_term_stays_on_its_side_so_a_bound_tight_at_the_centre_closes():
    """e^{x+y} - 1 - x - y on a box centred on x + y = 0: value and slope 0 at the centre, the
    curvature term ≥ 0, so the lower end is exactly 0 (a symmetric error would put it below)."""
    box = {x: side_ball(sp.Integer(-3), sp.Integer(1)), y: side_ball(sp.Integer(-1), sp.Integer(3))}
    form = affine_form(sp.exp(x + y) - 1 - x - y, [x, y], box)
    assert form.low() >= 0 and form.high() > 0
    negated = affine_form(1 + x + y - sp.exp(x + y), [x, y], box)  # the sides swap
    assert negated.high() <= 0 and negated.low() < 0
    result = certify("exp(x+y) >= 1 + x + y", "-5<=x<=5, -5<=y<=5", time_limit=30)
    assert result.verdict.value == "certified", result.reason
    assert recheck_certificate(result.certificate()).valid
    assert certify("exp(x+y) >= 1 + x + y + 1/10**6", "-5<=x<=5, -5<=y<=5",
                   time_limit=10).verdict.value == "refuted"
