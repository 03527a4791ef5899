"""The trusted kernel: each judgement accepts what is true and refuses what is not shown."""

import pytest
import sympy as sp
from flint import arb, ctx
from hypothesis import given, settings
from hypothesis import strategies as st

from fptheory.verify import ARB, EXTENDED, Undefined, compile_balls
from fptheory.verify.kernel import Kernel, exactly_equal

x, y = sp.symbols("x y", real=True)
R = sp.Rational


def box(*sides):
    return [tuple(sp.sympify(e) for e in side) for side in sides]


@pytest.mark.parametrize("expr, side, fragment", [
    (sp.log(x), (-1, 1), "logarithm"),
    (sp.sqrt(x), (-1, 1), "fractional power"),
    (x ** R(1, 3), (-1, 1), "fractional power"),
    (1 / x, (-1, 1), "division"),
    (sp.tan(x), (1, 2), "not finite"),
    (sp.asin(x), (0, 2), r"outside \[-1, 1\]"),
    (sp.sign(sp.sqrt(x)), (-1, 1), "fractional power"),  # arb's sgn(nan) is a finite ball
    (sp.coth(x), (-1, 1), "pole"),
])
def test_the_walk_refuses_undefined_sub_terms(expr, side, fragment):
    fn = compile_balls(expr, [x], ARB, checked=True)
    with pytest.raises(Undefined, match=fragment):
        fn([arb((side[0] + side[1]) / 2, (side[1] - side[0]) / 2)])


def test_the_walk_accepts_roots_and_logs_at_a_closed_end():
    k = Kernel([x])
    assert k.defined(sp.sqrt(x) + x ** R(3, 2), box((0, 1)))
    assert k.interval(2 - sp.sqrt(x), box((0, 1)), strict=False)
    assert not k.defined(sp.log(x), box((0, 1)))


def test_extended_walk_refuses_poles_at_infinity():
    k = Kernel([x])
    assert not k.defined(sp.tan(x), box((1, sp.oo)))
    assert k.interval(sp.exp(-x), box((1, sp.oo)), strict=False)


@pytest.mark.parametrize("expr, side", [
    (sp.atan(1 / x), (-1, 1)),  # sympy's derivative −1/(x²+1) has no pole; 1/x does
    (sp.Abs(x), (-1, 1)),  # derivative sign(x) is defined, the kink is not C¹
    (sp.Max(x, 1 - x), (0, 1)),
    (sp.Heaviside(x), (-1, 1)),
    (sp.sqrt(x), (0, 1)),  # derivative 1/(2 sqrt x) undefined at 0
    (sp.asin(x), (0, 1)),  # derivative undefined at 1
])
def test_c1_is_refused_across_jumps_kinks_and_infinite_slopes(expr, side):
    assert not Kernel([x]).c1(expr, x, box(side))


def test_c1_is_granted_away_from_the_kink():
    k = Kernel([x])
    assert k.c1(sp.Abs(x) + sp.exp(x), x, box((R(1, 10), 1)))
    assert k.c1(sp.Max(x, 1 - x), x, box((R(3, 4), 1)))


def test_forms_need_exact_equality():
    assert exactly_equal(x**2 - 2 * x + 1, (x - 1) ** 2) == "cancel each"
    assert exactly_equal(sp.sinh(x) / sp.exp(x), (1 - sp.exp(-2 * x)) / 2) is not None
    # sp.factor of a float polynomial dropped the 1e-20: not the same function
    g = (x - sp.Float("0.333333333333333")) ** 2 - sp.Float("1e-20")
    assert exactly_equal(g, sp.factor(g)) is None
    assert exactly_equal(x, x + R(1, 10**30)) is None
    k = Kernel([x])
    assert not k.admit(x**2, x**2 + R(1, 10**20))
    assert k.admit(x - x**2, x * (1 - x)) and k.forms_of(x - x**2) == [x * (1 - x)]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from([2, 3, 5, 6, 10]), st.integers(2, 5), st.integers(1, 3),
       st.integers(-3, 3))
def test_powers_of_integers_are_equal_through_their_smallest_base(m, k, j, shift):
    """n^u = m^(k·u) for n = m^k > 0 and every real u: (m^k)^x and m^(k·x) are admitted
    equal, and stay unequal when the exponent is moved by a shift ≠ 0 or the base is not
    the power claimed (m^k ± 1)."""
    n = m**k
    u = j * x / 2
    assert exactly_equal(sp.Integer(n) ** u, sp.Integer(m) ** (k * u)) is not None
    if shift:
        assert exactly_equal(sp.Integer(n) ** u, sp.Integer(m) ** (k * u + shift)) is None
    assert exactly_equal(sp.Integer(n + 1) ** u, sp.Integer(m) ** (k * u)) is None
    # 1/12 − t(2^t − 3t)/4^t as the square it is (AMC 12B 2020/22), and not 1/10 − …
    g = R(1, 12) - (2**x - 3 * x) * x / 4**x
    assert exactly_equal(g, (2**x - 6 * x) ** 2 / (12 * 2 ** (2 * x))) is not None
    assert exactly_equal(g + R(1, 60), (2**x - 6 * x) ** 2 / (12 * 2 ** (2 * x))) is None


@pytest.mark.parametrize("a, b, equal", [
    # the roots written at infinity (rewrites.roots_at_infinity): equal wherever both are
    (sp.sqrt(x**2 + x), sp.Abs(x) * sp.sqrt(1 + 1 / x), True),
    (x**2 * sp.sqrt(x**2 + 9), sp.Abs(x)**3 * sp.sqrt(1 + 9 / x**2), True),
    (1 / (x**2 + x)**R(3, 2), 1 / (sp.Abs(x)**3 * (1 + 1 / x)**R(3, 2)), True),
    (sp.sqrt(x**2 * y**2 + x**2 * y**4), sp.Abs(x) * sp.Abs(y) * sp.sqrt(1 + y**2), True),
    # not equal for x < 0, or only at x ≠ 0 with both sides defined at 0
    (sp.sqrt(x**2 + x), x * sp.sqrt(1 + 1 / x) + 0 * sp.Abs(x), False),
    (sp.Abs(x), x, False),
    (sp.Abs(x) * y, x * sp.Abs(y), False),
    (sp.Integer(0)**sp.Abs(x), sp.Integer(0), False),  # 1 at x = 0, 0 elsewhere
])
def test_equality_through_the_signs_of_variables_under_abs(a, b, equal):
    assert (exactly_equal(a, b) is not None) is equal


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(-3, 3)), min_size=1, max_size=3),
       st.sampled_from([R(1, 2), R(-1, 2), R(3, 2), R(1, 3)]),
       st.sampled_from(["as written", "x for |x|", "-|x| for |x|", "a coefficient moved"]))
def test_equality_by_signs_holds_wherever_both_sides_are_defined(terms, exponent, change):
    """A root written at infinity, or one of its wrong variants: wherever exactly_equal
    admits the pair, the two agree at every exact point where both are defined
    (negative x and 0 included)."""
    from fptheory.verify.rewrites import roots_at_infinity
    base = sp.Add(*[c * x**e for e, c in terms])
    a = base**exponent + x
    b = roots_at_infinity(a, [x])
    if change == "x for |x|":
        b = b.xreplace({sp.Abs(x): x})
    elif change == "-|x| for |x|":
        b = b.xreplace({sp.Abs(x): -sp.Abs(x)})
    elif change == "a coefficient moved":
        b = b + sp.Abs(x) - sp.Abs(x) * (1 + R(1, 10**6))
    if exactly_equal(a, b) is None:
        return

    def value(e: sp.Expr, at: sp.Expr):
        for r in e.atoms(sp.Pow):
            if r.exp.is_Rational and not r.exp.is_Integer:
                base = r.base.xreplace({x: at})
                if not (base.is_real and base.is_finite) or base < 0:
                    return None  # a real root of a value < 0, or of none: undefined
        v = sp.N(e.xreplace({x: at}), 40)
        return v if v.is_finite and v.is_real else None
    for at in (R(-7, 2), R(-1), R(-1, 3), sp.Integer(0), R(1, 5), sp.Integer(1), R(9, 4),
               sp.Integer(10)):
        va, vb = value(a, at), value(b, at)
        if va is not None and vb is not None:
            assert abs(va - vb) <= sp.Float(10)**-30 * (1 + abs(va)), (a, b, at)


def test_interval_uses_an_admitted_form_only():
    k = Kernel([x, y])
    g = (x**2 + y**2) / 2 - x * y
    b = box((-1, 1), (-1, 1))
    assert not k.interval(g, b, strict=False)  # as written, the enclosure straddles 0
    assert k.admit(g, (x - y) ** 2 / 2)
    assert k.interval(g, b, strict=False)


def test_point_rules():
    k = Kernel([x])
    # sin(π) is a ball around 0: only sympy's exact value decides
    assert k.point(sp.sin(sp.pi * x), box((1, 1)), strict=False) == "exact zero"
    assert k.point(sp.sin(sp.pi * x), box((1, 1)), strict=True) is None
    assert k.point(1 / x, box((0, 0)), strict=False) is None  # undefined at the point
    assert k.point(x - R(1, 3), box((1, 1)), strict=True) == "point"


def test_heaviside_follows_sympy_at_zero():
    ctx.prec = 100
    fn = compile_balls(sp.Heaviside(x), [x], ARB, checked=True)
    assert fn([arb(0)]).mid() == 0.5 and fn([arb(-1)]) == 0 and fn([arb(2)]) == 1
    one = compile_balls(sp.Heaviside(x, 1), [x], ARB, checked=True)
    assert one([arb(0)]) == 1
    assert compile_balls(sp.Heaviside(x), [x], EXTENDED, checked=True) is not None


def test_a_face_at_a_domain_end_is_substituted_exactly():
    """On the face s = 0 the slope (2 − x)·eˣ·… − (1 − x/2)·eˣ·… is identically 0: its
    enclosure is a ball around 0 (not ≥ 0), the exactly substituted face shown 0 is."""
    s = sp.Symbol("s", real=True)
    slope = (2 - x) * sp.exp(x + s * (2 - x)) / 2 - (1 - x / 2) * sp.exp(x + s * (2 - x) / 2)
    face = box((0, 1), (0, 0))
    assert not Kernel([x, s]).interval(slope, face, strict=False)
    assert Kernel([x, s], exact_faces=frozenset({s})).interval(slope, face, strict=False)
    ends = Kernel([x, s], face_ends={x: (R(0), R(1)), s: (R(0), R(1))})
    assert ends.interval(slope, face, strict=False)
    assert not ends.interval(slope, face, strict=True)  # 0 is not > 0
    # a face inside the domain (s = 1/2) is not one of its ends: the ball decides there
    assert not ends.interval(slope - slope.subs(s, R(1, 2)), box((0, 1), (R(1, 2), R(1, 2))),
                             strict=False)
    # a face that is not 0 everywhere is not made 0: x·s - 1/10 on s = 0 is -1/10
    assert not ends.interval(x * s + slope - R(1, 10), face, strict=False)


def test_a_certificate_form_is_offered_under_its_text_and_admitted_only_if_equal():
    """recheck offers a certificate's forms to the expression the replay meets under the
    printed text of their "of" (read back, -(a + b)·c may be built as (-a - b)·c); the
    kernel admits each only by exact equality with the expression met."""
    k = Kernel([x, y])
    met = x**2 - 2*x*y + y**2
    k.by_text[sp.sstr(met)] = [(x - y) ** 2, (x + y) ** 2]  # one right, one wrong
    assert k.forms_of(met) == [(x - y) ** 2]
    assert k.forms_of(x**2 + y**2) == []  # another text: nothing offered
    assert k.interval(met, box((-1, 1), (-1, 1)), strict=False)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(-3, 3), min_size=2, max_size=4),
       st.lists(st.integers(-3, 3), min_size=2, max_size=4),
       st.integers(-2, 2), st.booleans())
def test_cancel_each_never_equates_different_rational_functions(num, den, shift, same):
    """a = p/q against its factored form (equal) or against p/q + shift/(q·(x² + 1))
    (different unless shift = 0): the verdict agrees with values at exact points."""
    p = sum((c * x**k for k, c in enumerate(num)), sp.S.Zero)
    q = sum((c * x**k for k, c in enumerate(den)), sp.S.Zero) + 7
    a = p / q
    b = sp.factor(a) if same else a + shift / (q * (x**2 + 1))
    how = exactly_equal(a, b)
    points = [R(k, 3) for k in range(-9, 10)]
    values_agree = all(sp.simplify(a.subs(x, t) - b.subs(x, t)) == 0 for t in points
                       if q.subs(x, t) != 0)
    assert (how is not None) == values_agree


@settings(max_examples=300, deadline=None)
@given(st.integers(2, 4), st.lists(st.integers(-3, 3), min_size=16, max_size=16),
       st.integers(-4, 2), st.lists(st.integers(0, 3), min_size=16, max_size=16),
       st.integers(0, 2**31))
def test_an_enclosure_said_semidefinite_holds_only_semidefinite_matrices(n, entries, shift,
                                                                         radii, seed):
    """semidefinite_balls (the second-order rule's Hessian test) against numpy's
    eigenvalues of symmetric matrices drawn inside the enclosures, their corners included.
    The centres BᵀB + shift·I are near the boundary of the semidefinite cone."""
    import numpy as np

    from fptheory.verify.balls import semidefinite_balls

    b = np.array(entries, dtype=np.int64).reshape(4, 4)[:n, :n]
    mid = (b.T @ b + shift * np.eye(n, dtype=np.int64)).tolist()
    rad = [[radii[min(i, j) * 4 + max(i, j)] / 8 for j in range(n)] for i in range(n)]
    rows = [[arb(mid[i][j], rad[i][j]) for j in range(n)] for i in range(n)]
    if not semidefinite_balls(rows):
        return
    rng = np.random.default_rng(seed)
    for _ in range(200):
        signs = rng.choice([-1.0, 1.0, rng.uniform(-1, 1)], size=(n, n))
        m = np.array(mid, float) + np.array(rad, float) * signs
        m = np.triu(m) + np.triu(m, 1).T  # (a Hessian: symmetric)
        assert np.linalg.eigvalsh(m).min() >= -1e-9, (mid, rad, m)


def test_a_remembered_enclosure_is_the_walks_own_and_so_is_its_failure():
    """The kernel remembers each arb walk per expression, box and precision (one box's
    judgements walk the margin several times): the second answer is the first one, a walk
    that failed fails again with the same message, and another precision walks again."""
    x = sp.Symbol("x", real=True)
    k = Kernel([x])
    box = [(sp.Integer(1), sp.Integer(2))]
    first = k.enclose(sp.sqrt(x) - sp.log(x), box)
    assert k.enclose(sp.sqrt(x) - sp.log(x), box) is first
    messages = []
    for _ in range(2):
        with pytest.raises(Undefined) as caught:
            k.enclose(sp.log(x - 1), box)
        messages.append(str(caught.value))
    assert messages[0] == messages[1] and "log" in messages[0]
    old = ctx.prec
    try:
        ctx.prec = 300
        finer = k.enclose(sp.sqrt(x) - sp.log(x), box)
    finally:
        ctx.prec = old
    assert finer is not first and finer.rad() <= first.rad()


@settings(max_examples=200, deadline=None)
@given(st.fractions(0, 3, max_denominator=16), st.fractions(1, 40, max_denominator=8),
       st.fractions(1, 20, max_denominator=8), st.fractions(0, 1, max_denominator=16),
       st.fractions(0, 1, max_denominator=16))
def test_a_power_with_a_varying_exponent_at_a_base_reaching_0_encloses_its_values(
        top, y_low, y_width, s, t):
    """x^y over x ∈ [0, top], y ∈ [y_low/8, (y_low + y_width)/8] (y > 0), with 0^y = 0 as
    sympy has it: both walks (arb, and the extended walk) enclose x^y at exact points of the
    box, computed by mpmath at 50 digits."""
    import mpmath
    y_lo, y_hi = R(y_low.numerator, 8 * y_low.denominator), \
        R(y_low.numerator, 8 * y_low.denominator) + R(y_width.numerator, 8 * y_width.denominator)
    sides = box((0, R(top.numerator, top.denominator)), (y_lo, y_hi))
    k = Kernel([x, y])
    arb_walk = k.enclose(x**y, sides)
    iv_walk = k.enclose(x**y, sides, extended=True)
    px = R(top.numerator, top.denominator) * R(s.numerator, s.denominator)
    py = y_lo + (y_hi - y_lo) * R(t.numerator, t.denominator)
    with mpmath.workdps(50):
        value = mpmath.mpf(0) if px == 0 else mpmath.power(mpmath.mpf(px.p) / px.q,
                                                            mpmath.mpf(py.p) / py.q)
        assert arb_walk.lower() <= arb(str(value)) + arb("1e-40") and \
            arb(str(value)) - arb("1e-40") <= arb_walk.upper()
        lo, hi = iv_walk.lo, iv_walk.hi
        assert lo <= value + mpmath.mpf("1e-40") and value - mpmath.mpf("1e-40") <= hi
    assert arb_walk >= 0


def test_a_power_with_a_varying_exponent_is_0_at_a_base_0_only_for_exponents_above_0():
    k = Kernel([x, y])
    assert k.enclose(x**y, box((0, 0), (R(1, 2), 2))) == 0
    assert not k.defined(x**y, box((0, 1), (-1, 1)))  # 0^0 = 1 and 0^-1 undefined: refused
    assert not k.defined(x**y, box((-1, 1), (1, 2)))  # a base < 0 stays undefined


@pytest.mark.parametrize("statement, domain, verdict", [
    # mathlib's one_add_mul_self_le_rpow_one_add (Bernoulli), s ≥ -1, p ≥ 1: at s = -1 the
    # power is 0 (unknown at 60 s before: the walk refused the base 0)
    ("1 + p*s <= (1 + s)**p", "-1<=s<=1, 3/2<=p<=3", "certified"),
    ("1 + p*s + 1/10**4 <= (1 + s)**p", "-1<=s<=1, 3/2<=p<=3", "refuted"),
    ("x**y > 0", "0<=x<=1, 1/2<=y<=1", "refuted"),  # 0^y = 0: equal at x = 0
    ("(1 + s)**p >= 0", "-1<=s<=1, 1/2<=p<=3", "certified"),
])
def test_powers_at_a_base_0_are_judged_with_sympys_value(statement, domain, verdict):
    from fptheory.verify import prove
    from fptheory.verify.certificates import recheck_certificate
    r = prove(statement, domain, time_limit=60)
    assert r.verdict.value == verdict, r.reason
    if verdict == "certified":
        assert recheck_certificate(r.certificate())
    else:  # the point checked exactly against the statement as sympy evaluates it
        point = {sp.Symbol(n, real=True): sp.Rational(v) for n, v in r.counterexample_exact.items()}
        parsed = sp.sympify(statement, locals={n: sp.Symbol(n, real=True) for n in "psxy"})
        assert parsed.xreplace(point) == sp.false
