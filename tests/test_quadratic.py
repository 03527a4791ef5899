"""The second-order Taylor models of fptheory.verify.quadratic: every model holds the
expression's values on its box (checked against mpmath at 50 digits, an independent
evaluation), its error falls like width³, its guards refuse where a function leaves its
domain, the ``quadratic`` judgement never closes a box where the statement fails, and a
certificate that uses it is replayed by ``recheck``."""

import itertools

import mpmath
import pytest
import sympy as sp
from flint import ctx
from hypothesis import given, settings
from hypothesis import strategies as st

from fptheory.core.errors import FPTheoryError
from fptheory.verify import certify
from fptheory.verify.backends import Undefined
from fptheory.verify.balls import side_ball
from fptheory.verify.certificates import recheck_certificate
from fptheory.verify.kernel import Kernel
from fptheory.verify.quadratic import quadratic_form

u, v, w = sp.symbols("u v w", real=True)

#: defined on u ∈ [-1, 1], v ∈ [1/2, 2], w ∈ [0, 1]
MODELS = [
    sp.exp(u - w) * sp.cos(u * v) - v**3 / (1 + w),
    sp.sqrt(v + w**2) - sp.log(v) * sp.atan(u + w) + sp.sinh(u * w),
    (u**2 + v**2) ** sp.Rational(3, 2) - u * v * w + 1 / (v + u / 4) - sp.tanh(v - w),
    sp.asin(u / 2) * sp.acos(w / 2) + sp.sin(v) ** 2 - v ** (w + 1),
    (u - v) ** 4 - (v - w) ** 3 + sp.exp(-u**2) * sp.cosh(w) - sp.tan(u / 2),
]
RANGES = {u: (sp.Integer(-1), sp.Integer(1)), v: (sp.Rational(1, 2), sp.Integer(2)),
          w: (sp.Integer(0), sp.Integer(1))}


def _box(starts: list[int], widths: list[int]) -> dict:
    box = {}
    for s, (lo, hi), a, b in zip((u, v, w), RANGES.values(), starts, widths, strict=True):
        start = lo + (hi - lo) * sp.Rational(a, 16)
        box[s] = (start, min(hi, start + (hi - lo) * sp.Rational(b, 16)))
    return box


def _balls(box: dict) -> dict:
    return {s: side_ball(lo, hi) for s, (lo, hi) in box.items()}


def _values(expr: sp.Expr, box: dict) -> list[mpmath.mpf]:
    """expr at the corners, centre and third points of the box, by mpmath at 50 digits."""
    f = sp.lambdify((u, v, w), expr, "mpmath")
    out = []
    with mpmath.workdps(50):
        for point in itertools.product(*[(lo, (2 * lo + hi) / 3, (lo + hi) / 2, hi)
                                         for lo, hi in box.values()]):
            out.append(f(*(mpmath.mpf(int(q.p)) / int(q.q) for q in point)))
    return out


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(range(len(MODELS))), st.lists(st.integers(0, 15), min_size=3, max_size=3),
       st.lists(st.integers(0, 16), min_size=3, max_size=3))
def test_the_model_holds_every_value(which, starts, widths):
    expr, box = MODELS[which], _box(starts, widths)
    ctx.prec = 100
    model = quadratic_form(expr, [u, v, w], _balls(box))
    low, high, tight = model.low(), model.high(), model.tight_low()
    assert tight.upper() >= low.lower()  # the faces it moves to never lower the bound
    with mpmath.workdps(50):
        for value in _values(expr, box):
            assert low.lower() <= value + mpmath.mpf(10) ** -25, (expr, box)
            assert tight.lower() <= value + mpmath.mpf(10) ** -25, (expr, box)
            assert value - mpmath.mpf(10) ** -25 <= high.upper(), (expr, box)


def _errors_as_boxes_halve(form_of) -> list[float]:
    """The larger error side of MODELS[1]'s model (``form_of(expr, variables, balls)``) on
    boxes of half-width 2^-3 … 2^-6 around (1/4, 1, 1/2)."""
    errors = []
    for k in (3, 4, 5, 6):
        r = sp.Rational(1, 2**k)
        box = {u: (sp.Rational(1, 4) - r, sp.Rational(1, 4) + r), v: (1 - r, 1 + r),
               w: (sp.Rational(1, 2) - r, sp.Rational(1, 2) + r)}
        model = form_of(MODELS[1], [u, v, w], _balls(box))
        errors.append(float(model.dn.max(model.up)))
    return errors


def test_the_error_falls_like_the_cube_of_the_width():
    errors = _errors_as_boxes_halve(quadratic_form)
    assert all(a / b > 6 for a, b in itertools.pairwise(errors))  # 8 for a pure cube


def test_it_keeps_the_square_the_affine_form_loses():
    box = {u: (sp.Rational(9, 10), sp.Rational(11, 10)), v: (sp.Rational(9, 10), sp.Rational(11, 10))}
    model = quadratic_form(u * v - (u + v) ** 2 / 4, [u, v], _balls(box))
    # -(ε_u - ε_v)²/400: the lower end is the true minimum (at u = 0.9, v = 1.1, up to the
    # balls' 30-bit radii); the upper end bounds the cross term on its own (true maximum 0)
    assert abs(float(model.low().mid()) + 0.01) < 1e-9
    assert abs(float(model.high().mid()) - 0.005) < 1e-9


#: a function's argument outside its domain somewhere on the box
OUTSIDE_DOMAIN = [
    (sp.log(u), {u: (sp.Integer(-1), sp.Integer(1))}),
    (sp.sqrt(v - 1), {v: (sp.Rational(1, 2), sp.Integer(2))}),
    (1 / (u + sp.Rational(1, 3)), {u: (sp.Integer(-1), sp.Integer(1))}),
    (sp.asin(2 * w), {w: (sp.Integer(0), sp.Integer(1))}),
]


@pytest.mark.parametrize("expr, box", OUTSIDE_DOMAIN)
def test_a_function_outside_its_domain_is_refused(expr, box):
    with pytest.raises(Undefined):
        quadratic_form(expr, list(box), _balls(box))


def test_a_function_without_a_kernel_is_refused():
    with pytest.raises(FPTheoryError):
        box = {u: (sp.Integer(-1), sp.Integer(1)), v: (sp.Integer(1), sp.Integer(2))}
        quadratic_form(sp.Abs(u) + v, [u, v], _balls(box))


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(range(len(MODELS))), st.lists(st.integers(0, 15), min_size=3, max_size=3),
       st.lists(st.integers(1, 4), min_size=3, max_size=3), st.booleans())
def test_the_judgement_never_closes_a_violated_box(which, starts, widths, strict):
    expr, box = MODELS[which], _box(starts, widths)
    lowest = min(_values(expr, box))
    bound = sp.Rational(mpmath.nstr(lowest, 30)) + sp.Rational(1, 10**12)  # just above it
    ctx.prec = 100
    kernel = Kernel([u, v, w])
    assert not kernel.quadratic(expr - bound, list(box.values()), strict)


def test_a_bound_tight_to_second_order_is_certified_and_rechecked(monkeypatch):
    # sin²((u+v)/2) - sin(u)sin(v) = sin²((u-v)/2) ≥ 0, 0 on the whole line u = v; (the
    # margin is also convex in u with its u-slope 0 at u = v: the elimination there, which
    # certifies it too, is turned off to see the second-order model's leaves)
    from fptheory.verify import search
    monkeypatch.setattr(search, "certify_eliminated", lambda *args, **kwargs: None)
    statement = "sin(u)*sin(v) <= sin((u+v)/2)**2 + 0.0105"
    result = certify(statement, "0.9<=u<=1.1, 0.9<=v<=1.1", time_limit=20)
    assert result.verdict.value == "certified"
    assert {leaf.rule for leaf in result.leaves} == {"quadratic"}
    cert = result.certificate()
    assert recheck_certificate(cert).valid
    cert["statement"] = cert["source"] = "sin(u)*sin(v) <= sin((u+v)/2)**2 - 0.0001"
    assert not recheck_certificate(cert).valid  # the same leaf no longer closes


def test_the_faces_of_a_monotone_model_cost_no_cross_terms():
    # 3 + u + v + w + (u·v + v·w + u·w)/8 on [0, 1]³: increasing in every variable, minimum
    # 3 at the corner 0; low() pays the cross terms (|q_ij| each), tight_low() does not
    box = {s: (sp.Integer(0), sp.Integer(1)) for s in (u, v, w)}
    model = quadratic_form(3 + u + v + w + (u * v + v * w + u * w) / 8, [u, v, w], _balls(box))
    assert float(model.low().mid()) < 2.99
    assert abs(float(model.tight_low().mid()) - 3) < 1e-9
