"""Polynomial margins certified as exact sums of squares (fptheory.verify.sos): HOL Light's
SOS examples on the whole space (tight ones through the Gram matrix's face), multipliers on
bounded sides and half-lines, strict statements with a positive shift; every certificate
replayed by recheck and every tampering refused for its own reason; margins the rule does not
take answered None; and a property test whose verdicts must agree with the exact minimum."""

import json
import time

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from fptheory.core.errors import FPTheoryError
from fptheory.verify import Domain
from fptheory.verify.certificates import recheck_certificate
from fptheory.verify.claims import Verdict
from fptheory.verify.domains import own_relation, parse_statement
from fptheory.verify.sos import certify_sos, replay_sos, sos_parts

X = sp.Symbol("x", real=True)


def _sos(statement: str, domain: str, time_limit: float = 60.0):
    dom = Domain.parse(domain)
    return certify_sos(own_relation(parse_statement(statement), dom.variables), dom,
                       start=time.perf_counter(), time_limit=time_limit, digits=30, duties=[])


@pytest.mark.parametrize("statement", [
    # HOL Light Examples/sos.ml: zeng's example (infimum 3/16, approached as y → ∞ only)
    "x**4 + 2*x**2*z + x**2 - 2*x*y*z + 2*y**2*z**2 + 2*y*z**2 + 2*z**2 - 2*x + 2*y*z + 1 >= 0",
    # AM-GM for four terms, equal at (1, 1, 1): the Gram matrix is singular
    "x**4 + y**4 + z**4 + 1 - 4*x*y*z >= 0",
    # (x² + y² + z²) times Motzkin's form: zero on |x| = |y| = |z| and on the axes
    "(x**2 + y**2 + z**2)*(x**4*y**2 + x**2*y**4 + z**6 - 3*x**2*y**2*z**2) >= 0",
])
def test_hol_lights_sums_of_squares_are_certified_and_rechecked(certified, statement):
    cert = certified(statement, "x real, y real, z real")
    assert cert["leaves"] == [] and cert["sos"]["shift"] == "0"
    assert [p["multiplier"] for p in cert["sos"]["parts"]] == [[]]


def test_a_univariate_polynomial_with_irrational_double_roots_is_certified():
    """HOL Light's degree-12 example: tight at irrational points (the face spanned by their
    conjugates is rational)."""
    r = _sos("0 <= 98*x**12 - 980*x**10 + 3038*x**8 - 2968*x**6 + 1022*x**4 - 84*x**2 + 2",
             "x real")
    assert r is not None and r.verdict is Verdict.CERTIFIED


def test_a_strict_statement_is_certified_with_a_positive_shift(certified):
    cert = certified("x**4 + y**4 + 1 > x*y", "x real, y real")
    shift = sp.Rational(cert["sos"]["shift"])
    assert 0 < shift < sp.Rational(1)  # (the least value is about 0.875)


def test_bounded_sides_and_half_lines_bring_their_end_factors():
    """x³ + y³ ≥ x²y + xy² on [0, 5]² (the multipliers x, 5 − x, x(5 − x), ...) and on the
    quadrant (x and y only)."""
    box = Domain.parse("0<=x<=5, 0<=y<=5")
    assert [m for m, _ in sos_parts(box, 3)] == [
        (), (("x", "lower"),), (("x", "upper"),), (("x", "lower"), ("x", "upper")),
        (("y", "lower"),), (("y", "upper"),), (("y", "lower"), ("y", "upper"))]
    assert [m for m, _ in sos_parts(Domain.parse("0<=x, y real"), 4)] == [(), (("x", "lower"),)]
    for domain in ("0<=x<=5, 0<=y<=5", "0<=x, 0<=y"):
        r = _sos("x**3 + y**3 >= x**2*y + x*y**2", domain)
        assert r is not None and r.verdict is Verdict.CERTIFIED
        assert recheck_certificate(r.certificate())


@pytest.mark.parametrize("statement, domain", [
    # mathlib's power mean (a + b + c)³/3² ≤ a³ + b³ + c³, equal all along a = b = c: every
    # part's matrix singular, each solved again on its face
    ("(a + b + c)**3/3**2 <= a**3 + b**3 + c**3", "0<=a, 0<=b, 0<=c"),
    # Chebyshev's T₃ ≤ 1 on [−1, 1], equal at x = −1/2 and x = 1
    ("4*x**3 - 3*x <= 1", "-1<=x<=1"),
])
def test_tight_bounds_with_multipliers_are_certified_on_their_faces(statement, domain):
    r = _sos(statement, domain)
    assert r is not None and len(r.sos["parts"]) > 1
    assert recheck_certificate(r.certificate())


@pytest.mark.parametrize("statement, domain", [
    ("x**2 - 1 >= 0", "x real"),                       # false
    ("x**2 + y**2 >= 2*x*y + 1/100", "x real, y real"),  # false (0 on x = y)
    ("x**3 + 1 >= 0", "x real"),                       # odd degree on the whole line
    ("sin(x)**2 <= 1", "x real"),                      # not a polynomial
    ("pi*x**2 >= 0", "x real"),                        # an irrational coefficient
    ("x**2 >= x*y", "x real, y real, x < y"),          # a relation
    ("x**2 + y**2 > 2*x*y", "x real, y real"),         # strict, but 0 on x = y
])
def test_margins_the_rule_does_not_take_are_left_to_the_search(statement, domain):
    assert _sos(statement, domain) is None


def test_a_violation_in_a_thin_valley_is_refuted_at_the_point_the_dual_proposes():
    """HOL Light's w⁶ + 2z²w³ + … ≥ 0 with its constant moved 1.01·10⁻⁶ down: negative only
    near the curve x = y = 0, w³ = −z², w + z = −1, a valley no sample finds in seconds; the
    solver's multipliers (the moments of a measure near the least value) point into it, and
    the point is checked exactly against the statement."""
    statement = ("w**6 + 2*z**2*w**3 + x**4 + y**4 + z**4 + 2*x**2*w + 2*x**2*z + 3*x**2 + w**2"
                 " + 2*z*w + z**2 + 2*z + 2*w + 1 >= 101/100000000")
    domain = "x real, y real, z real, w real"
    r = _sos(statement, domain)
    assert r is not None and r.verdict is Verdict.REFUTED
    dom = Domain.parse(domain)
    point = {v: sp.Rational(r.counterexample_exact[v.name]) for v in dom.variables}
    rel = own_relation(parse_statement(statement), dom.variables)
    assert sp.N((rel.lhs - rel.rhs).xreplace(point), 50) < 0  # (independently, at 50 digits)


@pytest.fixture(scope="module")
def zeng() -> dict:
    from fptheory.verify import prove
    r = prove("x**4 + 2*x**2*z + x**2 - 2*x*y*z + 2*y**2*z**2 + 2*y*z**2 + 2*z**2 - 2*x + 2*y*z "
              "+ 1 >= 0", "x real, y real, z real", time_limit=60)
    assert r.verdict is Verdict.CERTIFIED and recheck_certificate(r.certificate())
    return r.certificate()


def _negative_direction(c: dict) -> None:
    """Keep the identity but break semidefiniteness: +2 on Q_ij and Q_ji, −4 on Q_kk where
    m_i·m_j = m_k² (Q_kk then goes negative: the entries are O(1))."""
    part = c["sos"]["parts"][0]
    basis = [tuple(e) for e in part["basis"]]
    for i, ei in enumerate(basis):
        for j, ej in enumerate(basis):
            k = next((k for k, ek in enumerate(basis) if i != j and tuple(2 * a for a in ek)
                      == tuple(a + b for a, b in zip(ei, ej, strict=True))), None)
            if k is not None:
                g = part["gram"]
                g[i][j] = str(sp.Rational(g[i][j]) + 20)
                g[j][i] = str(sp.Rational(g[j][i]) + 20)
                g[k][k] = str(sp.Rational(g[k][k]) - 40)
                return
    raise AssertionError("no such triple in the basis")


@pytest.mark.parametrize("change, reason", [
    (lambda c: c["sos"]["parts"][0]["gram"][0].__setitem__(0, "1000"), "is not the margin"),
    (_negative_direction, "not symmetric positive semidefinite"),
    (lambda c: c["sos"]["parts"][0]["gram"][0].__setitem__(1, "7/3"), "not symmetric"),
    (lambda c: c["sos"].__setitem__("shift", "-1"), "must be ≥ 0"),
    (lambda c: c["sos"].__setitem__("shift", "0.5"), "is not a rational"),
    (lambda c: c["sos"]["parts"][0]["gram"][0].__setitem__(0, "__import__('os')"),
     "is not a rational"),
    (lambda c: c["sos"]["parts"][0]["gram"][0].__setitem__(0, "9" * 1000), "is not a rational"),
    (lambda c: c["sos"]["parts"][0].__setitem__("multiplier", [["x", "upper"]]),
     "is not a rational number"),
    (lambda c: c["sos"]["parts"][0].__setitem__("multiplier", [["q", "lower"]]), "no end"),
    (lambda c: c["sos"]["parts"][0]["basis"][0].append(0), "exponent lists of length 3"),
    (lambda c: c["sos"]["parts"][0]["basis"][0].__setitem__(0, True), "exponent lists"),
    (lambda c: c["sos"]["parts"][0]["gram"].pop(), "rows of"),
    (lambda c: c["sos"].__setitem__("extra", 1), "{shift, parts}"),
    (lambda c: c["sos"].__setitem__("parts", c["sos"]["parts"] * 20), "parts"),
    (lambda c: c.__setitem__("leaves", [{"box": {}, "rule": "x"}]), "no leaves"),
    (lambda c: c.__setitem__("even", ["x"]), "no other split"),
    (lambda c: (c.pop("source", None), c.__setitem__(
        "statement", c["statement"].replace("+ 1 >=", "+ 1/2 >="))), "is not the margin"),
    (lambda c: c.__setitem__("domain", dict(c["domain"], x=["-oo", "oo", True, True],
                                            relations=["x < y"])), "not a polynomial"),
])
def test_a_tampered_sum_of_squares_is_refused_for_its_reason(zeng, tampered, change, reason):
    check = recheck_certificate(tampered(zeng, change))
    assert not check and reason in check.reason, check.reason


def test_replay_refuses_a_record_that_is_not_an_object():
    dom = Domain.parse("x real")
    with pytest.raises(FPTheoryError):
        replay_sos(sp.Ge(X**2, 0, evaluate=False), dom, [], ["shift", "parts"])


def _nonnegative(p: sp.Expr) -> bool:
    """p ≥ 0 on ℝ, exactly: its leading coefficient > 0 and no factor of odd multiplicity
    in its square-free decomposition has a real root."""
    lead, factors = sp.sqf_list(p, X)
    return lead > 0 and all(sp.Poly(f, X).count_roots() == 0
                            for f, k in factors if k % 2 == 1)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(-6, 6), min_size=3, max_size=3), st.integers(-10, 30))
def test_verdicts_agree_with_the_exact_sign(coefficients, constant):
    """Quartics x⁴ + a x³ + b x² + c x + d on ℝ: certified only where p ≥ 0 (decided
    exactly by sympy's root counting), and — every non-negative univariate polynomial being a
    sum of squares — always where its least value is at least 1/10."""
    a, b, c = coefficients
    p = X**4 + a * X**3 + b * X**2 + c * X + constant
    r = certify_sos(sp.Ge(p, 0, evaluate=False), Domain.parse("x real"),
                    start=time.perf_counter(), time_limit=30.0, digits=30, duties=[])
    if r is not None and r.verdict is Verdict.REFUTED:  # (at the dual's point, exactly)
        assert not _nonnegative(p) and p.subs(X, sp.Rational(r.counterexample_exact["x"])) < 0
    elif r is not None:
        assert r.verdict is Verdict.CERTIFIED and _nonnegative(p)
    least = min(p.subs(X, root).evalf(30) for root in sp.Poly(sp.diff(p, X), X).real_roots())
    if least >= sp.Rational(1, 10):
        assert r is not None and r.verdict is Verdict.CERTIFIED


def test_without_the_solver_nothing_is_proposed_and_the_search_goes_on(monkeypatch):
    """clarabel missing (an install without it): no sum of squares, no error; the search
    still certifies the statement its own way."""
    import importlib.util

    from fptheory.verify import prove

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "clarabel" else real(name, *a))
    assert _sos("x**2 + y**2 >= 2*x*y", "x real, y real") is None
    r = prove("x**2 + 1 >= 2*x", "x real", time_limit=60)
    assert r.verdict is Verdict.CERTIFIED and "sos" not in r.certificate()


ends = st.sampled_from(["-oo", "-10**400", "-3", "-1/2", "0", "1", "5/2", "10**40", "oo"])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4),
                          st.integers(-10**6, 10**6)), min_size=1, max_size=6),
       st.tuples(ends, ends), st.tuples(ends, ends), st.booleans(), st.integers(-3, 3),
       st.booleans())
def test_hostile_polynomials_never_raise_and_every_certificate_holds_at_exact_points(
        terms, x_side, y_side, strict, constant, squared):
    """Random polynomials in x, y (or their squares plus (x − y)²/7 and a small constant, true
    when it is ≥ 0) on sides with huge, tiny, half-open and infinite ends: certify_sos answers None or
    a certificate (never an error), and a certified statement holds at rational points of
    its domain evaluated exactly by sympy."""
    x, y = sp.symbols("x y", real=True)
    p = sum((c * x**i * y**j for i, j, c in terms), sp.Integer(0))
    if squared:
        p = sp.expand(p**2 / 10**6 + constant + (x - y)**2 / 7)
    sides = []
    for v, (lo, hi) in (("x", x_side), ("y", y_side)):
        if sp.sympify(lo) >= sp.sympify(hi):
            lo, hi = "-oo", "oo"
        sides.append(f"{lo}<={v}<={hi}".replace("-oo<=", "-oo<").replace("<=oo", "<oo"))
    domain = Domain.parse(", ".join(sides))
    relation = sp.Gt if strict else sp.Ge
    r = certify_sos(own_relation(relation(p, 0, evaluate=False), domain.variables), domain,
                    start=time.perf_counter(), time_limit=20.0, digits=30, duties=[])
    if r is None:
        return
    if r.verdict is Verdict.REFUTED:  # (at a point of the domain, exactly)
        point = {v: sp.Rational(r.counterexample_exact[v.name]) for v in domain.variables}
        value = p.subs({x: point[domain.variables[0]], y: point[domain.variables[1]]})
        assert domain.contains(point) and (value <= 0 if strict else value < 0)
        return
    assert recheck_certificate(r.certificate())
    grid = [sp.Rational(k, 3) for k in range(-30, 31)]
    points = [(a, b) for a in grid for b in grid[::7]]
    for a, b in points:
        if domain.contains({domain.variables[0]: a, domain.variables[1]: b}):
            value = p.subs({x: a, y: b})
            assert value > 0 if strict else value >= 0


SHAPIRO = "a/(b + c) + b/(c + d) + c/(d + a) + d/(a + b) >= 2"


@pytest.mark.parametrize("statement, domain", [
    (SHAPIRO, "a>0, b>0, c>0, d>0"),  # Shapiro's cyclic inequality, n = 4 (AMM 1954)
    ("a/(b + c) + b/(c + a) + c/(a + b) >= 3/2", "a>0, b>0, c>0"),  # Nesbitt's
    ("x + 1/x >= 2", "x>0"),
    ("(x**2 + 1)/(x + 1) >= 4/5", "x>=0"),  # a divisor positive by its constant (min 0.83)
    ("x/(x**2 + 1) <= 1/2", "x real"),  # x² + 1 > 0 on the whole line (even power)
])
def test_rational_margins_over_a_positive_denominator_are_certified(certified, statement,
                                                                     domain):
    """The numerator N of a margin N/D whose divisors are positive on the domain (positive
    coefficients in variables ≥ 0, one monomial > 0 everywhere) carries the certificate; the
    re-check derives N and D again and checks D's positivity and e = N/D itself."""
    cert = certified(statement, domain)
    assert cert["leaves"] == [] and cert["sos"]["parts"]


@pytest.mark.parametrize("statement, domain", [
    (SHAPIRO, "a>=0, b>=0, c>=0, d>=0"),      # b + c is 0 at a point of the domain
    ("x + 1/x >= 2", "x>=-1"),                 # x's lower end below 0
    ("1/(x - y) + x**2 >= 0", "x>0, y>0"),     # a divisor with a negative coefficient
    ("x/(x**2 - x + 1) <= 1", "x real"),       # -x: an odd power of x, which reaches below 0
    ("1/sqrt(x) + x >= 1", "x>0"),             # a root: not a rational function
    ("1/y**2 >= 0", "y real"),                 # y² is 0 at y = 0 (found by the property test)
])
def test_rational_margins_whose_divisors_are_not_shown_positive_are_left(statement, domain):
    assert _sos(statement, domain) is None


def test_a_certificate_moved_to_a_domain_where_a_divisor_vanishes_is_refused(certified):
    cert = certified(SHAPIRO, "a>0, b>0, c>0, d>0")
    bad = json.loads(json.dumps(cert))
    for side in bad["domain"].values():
        side[2] = False  # every lower end 0 now included: b + c = 0 at b = c = 0
    check = recheck_certificate(bad)
    assert not check


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(-3, 3), st.integers(0, 2), st.integers(0, 2)),
                min_size=1, max_size=4),
       st.lists(st.tuples(st.integers(1, 3), st.integers(0, 1), st.integers(0, 1)),
                min_size=1, max_size=3),
       st.lists(st.tuples(st.integers(1, 40), st.integers(1, 40)), min_size=5, max_size=5))
def test_the_numerator_has_the_margins_sign_at_every_exact_point(numerator, divisor, points):
    """numerator_over_positive against exact evaluation: where it answers, N has e's sign
    at exact points of the domain x, y > 0, and every divisor of e is > 0 there."""
    from fptheory.verify.sos import numerator_over_positive

    x, y = sp.symbols("x y", real=True)
    n = sum(c * x**i * y**j for c, i, j in numerator)
    d = sum(c * x**i * y**j for c, i, j in divisor)
    e = n / d + x / (y + 1) - 1
    dom = Domain(dict.fromkeys([x, y], (sp.Integer(0), sp.oo)), dict.fromkeys([x, y], (True, True)))
    found = numerator_over_positive(e, dom)
    if found is None:
        return
    for p, q in points:
        point = {x: sp.Rational(p, q), y: sp.Rational(q, p + 1)}
        assert d.xreplace(point) > 0
        assert sp.sign(e.xreplace(point)) == sp.sign(found.xreplace(point))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(-2, 3), st.integers(0, 3), st.integers(0, 3)),
                min_size=1, max_size=4),
       st.sampled_from(["x real, y real", "x>=0, y real", "x>0, y>=0", "x>=0, y>=0",
                        "x>=1, y>-2", "-1<=x<=1, y>0"]),
       st.lists(st.tuples(st.integers(-30, 30), st.integers(-30, 30)), min_size=8, max_size=8))
def test_a_divisor_said_positive_is_positive_at_every_exact_point(terms, domain, points):
    """positive_on against exact evaluation at points of the domain, its closed ends and 0
    included."""
    from fptheory.verify.sos import positive_on

    dom = Domain.parse(domain)
    x, y = dom.variables
    d = sum(c * x**i * y**j for c, i, j in terms)
    if not positive_on(d, dom):
        return
    for p, q in points + [(0, 0)]:
        point = {}
        for v, k in ((x, p), (y, q)):
            lo, hi = dom.intervals[v]
            value = min(max(sp.Rational(k, 10), lo), hi)
            point[v] = value
        if dom.contains(point):
            assert d.xreplace(point) > 0, (d, point)


@pytest.mark.parametrize("term, domain, defined", [
    ("4*sqrt(3)*sqrt(x*y*z*(x + y + z))", "x>0, y>0, z>0", True),
    ("sqrt(x*y)", "x>=0, y>=0", True),
    ("sqrt(x - y)", "x>=0, y>=0", False),
    ("sqrt(x*y)", "x real, y>=0", False),  # x may be negative
    ("1/sqrt(x + y)", "x>=0, y>=0", False),  # 0 at the corner
    ("1/sqrt(x + y)", "x>0, y>=0", True),
    ("(x + y)**(-2)*sqrt(x)", "x>0, y>=0", True),
])
def test_roots_in_a_typed_sub_term_are_accepted_only_where_defined_at_sight(term, domain,
                                                                            defined):
    from fptheory.verify.domains import Domain
    from fptheory.verify.sos import _roots_defined
    d = Domain.parse(domain)
    e = sp.sympify(term, locals={v.name: v for v in d.variables})
    assert _roots_defined(e, d) is defined


def test_a_polynomial_tight_on_a_large_set_is_a_sum_of_squares_on_a_box(certified):
    """Cauchy–Schwarz in six variables (mathlib's inner_mul_le_norm_mul_norm for n = 3) is 0
    wherever a ∥ b, a four-dimensional set: unknown at 60 s on [-1, 1]⁶ by the box search
    alone; a sum of squares is sought first for a polynomial margin in three or more
    variables on a bounded box."""
    cert = certified("(a1*b1 + a2*b2 + a3*b3)**2 <= (a1**2 + a2**2 + a3**2)*(b1**2 + b2**2 + b3**2)",
                     ", ".join(f"-1<={v}<=1" for v in ("a1", "a2", "a3", "b1", "b2", "b3")))
    assert "sos" in cert

