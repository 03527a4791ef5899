"""Both sides under one increasing function (fptheory.verify.strip): certified without it,
with both sides kept as sub-terms that must be defined; re-checked; a record that does not
match the statement is refused; even powers and decreasing functions are not stripped."""

import json

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from fptheory.verify import Domain, prove
from fptheory.verify.certificates import recheck_certificate
from fptheory.verify.claims import Verdict
from fptheory.verify.strip import strip_sides

X, Y = sp.symbols("x y", real=True)


@pytest.mark.parametrize("statement, domain", [
    ("exp(x) > exp(x*y/(x + y))", "0<x, 0<y"),  # MetiTarski's two-variable problem
    ("sqrt(x) <= sqrt(x + 1)", "0<=x<=5"),
    ("log(x) < log(x + 1)", "0<x<=3"),
    # compared in logarithms: (x + 1)·log(1 + 1/x) > 1, tight at infinity
    ("(1 + 1/x)**(x + 1) > E", "0<x"),
    ("(1 + 1/x)**x < E", "0<x"),
    ("x**(1/x) <= exp(exp(-1))", "0<x"),  # the maximum at x = e
    # compared as products: 1 + xy ≤ (1 + x)(1 + y)
    ("log(1 + x*y) <= log(1 + x) + log(1 + y)", "0<=x, 0<=y"),
    # roots through the half angle: √(1 - cos x) = √2·|sin(x/2)| (MetiTarski's tan-problem-5)
    ("tan(x/2) <= sqrt(1 - cos(x))", "-1<=x<=1"),
    # mathlib's ‖exp(ix) − 1‖ ≤ |x|: the base is 2 − 2 cos x once sin²x = 1 − cos²x
    ("sqrt((cos(x) - 1)**2 + sin(x)**2) <= Abs(x)", "x real"),
])
def test_statements_under_one_increasing_function_are_certified(statement, domain):
    r = prove(statement, domain, time_limit=60)
    assert r.verdict is Verdict.CERTIFIED, r.reason
    cert = r.certificate()
    assert "strip" in cert and cert["statement"] == sp.sstr(sp.sympify(statement))
    assert recheck_certificate(cert)


@pytest.mark.parametrize("statement, domain", [
    ("exp(x) > exp(x*y/(x + y) + 1/10)", "0<x<=2, 0<y<=2"),  # false where x²/(x+y) < 1/10
    ("log(x - 1) <= log(x)", "0<=x<=2"),  # x - 1 <= x everywhere, but log(x - 1) undefined
    ("(x)**2 <= (x + 1)**2", "-2<=x<=1"),  # an even power is not increasing
    ("(1 + 1/x)**x < 2", "0<x"),  # 2 at x = 1
    ("log(1 + x*y) + log(2) <= log(1 + x) + log(1 + y)", "0<=x<=3, 0<=y<=3"),  # 2 > 1 at 0
    ("log(x - 1) + log(y) <= log(x) + log(y)", "0<=x<=2, 1<=y<=2"),  # log(x - 1) undefined
    ("sqrt(1 - cos(x)) <= x/2", "0<=x<=1"),  # √(1 - cos x) ≈ x/√2
    ("sqrt(2 + 2*cos(x)) >= 2 - x**2/5", "-1<=x<=1"),  # 2|cos(x/2)| ≈ 2 - x²/4
    # constant powers compared in logarithms; false near y = x, where (2 + x)^7 > 1 wins
    ("(1 + x**2)/(2 + y)**10 < (1 + y**2)/(2 + x)**17", "0<x, x<y"),
])
def test_false_or_undefined_statements_are_refuted(statement, domain):
    r = prove(statement, domain, time_limit=30)
    assert r.verdict is Verdict.REFUTED, r.reason


def test_a_strip_record_that_does_not_match_is_refused():
    r = prove("exp(x) > exp(x*y/(x + y))", "0<x<=2, 0<y<=2", time_limit=60)
    cert = r.certificate()
    assert recheck_certificate(cert)
    for record in ("log", "atan", 1, None):
        bad = json.loads(json.dumps(cert))
        bad["strip"] = record
        assert not recheck_certificate(bad), record
    bad = json.loads(json.dumps(cert))
    del bad["strip"]  # the leaves then close the wrong statement
    assert not recheck_certificate(bad)


def test_only_increasing_functions_are_stripped():
    assert strip_sides(sp.cos(X) < sp.cos(Y)) is None
    assert strip_sides(sp.exp(-X) < sp.exp(-Y))[0] == (-X < -Y)
    assert strip_sides(X**2 < Y**2) is None
    assert strip_sides(X**-1 < Y**-1) is None
    assert strip_sides(X**3 < Y**3)[2] == "power 3"
    assert strip_sides(sp.exp(X) < sp.exp(Y + 1))[0] == (X < Y + 1)
    assert strip_sides(sp.Lt(sp.exp(2), sp.exp(3), evaluate=False)) is None


def test_logarithms_and_products_are_taken_only_where_the_identity_holds():
    assert strip_sides(sp.exp(X) >= 1 + X) is None  # 1 + x is not > 0 wherever defined
    assert strip_sides(X**2 * sp.exp(Y) >= sp.E) is None  # no power with a varying exponent
    half = sp.log(X) / 2 + sp.log(Y) / 2 <= sp.log((X + Y) / 2)
    assert strip_sides(half) is None  # a half is no integer: the product would need a root
    assert strip_sides(sp.log(1 + X) <= X) is None
    assert strip_sides(sp.log(X) + sp.log(Y) <= 1) is None  # two logarithms: not worth it
    stripped, duties, name = strip_sides(sp.log(X * Y) - 2 * sp.log(X) <= sp.log(Y) + 1)
    assert name == "products" and stripped == (X * Y / X**2 <= Y * sp.E)
    assert set(duties) == {sp.log(X * Y), sp.log(X), sp.log(Y)}


def test_products_of_high_constant_powers_are_compared_in_logarithms(certified):
    """Polya's example: (1 + x²)(2 + x)^10 < (1 + y²)(2 + y)^17 multiplied out has degree
    19; in logarithms the margin increases in y at sight. Every base is > 0 on the domain,
    2 + y through the relation x < y with x > 0."""
    certificate = certified("(1+x**2)/(2+y)**17 < (1+y**2)/(2+x)**10", "0<x, x<y")
    assert certificate["strip"] == "logarithms"


def test_constant_powers_are_compared_in_logarithms_only_where_every_base_is_positive():
    from fptheory.verify import Domain
    polya = (1 + X**2) / (2 + Y)**17 < (1 + Y**2) / (2 + X)**10
    stripped, duties, name = strip_sides(polya, Domain.parse("0<x, x<y"))
    assert name == "logarithms" and duties == [polya.lhs, polya.rhs]
    assert stripped.lhs - stripped.rhs == (sp.log(1 + X**2) - 17 * sp.log(Y + 2)
                                          - sp.log(1 + Y**2) + 10 * sp.log(X + 2))
    assert strip_sides(polya) is None  # no domain, no logarithms of constant powers
    assert strip_sides(polya, Domain.parse("-3<x, x<y")) is None  # 2 + y < 0 at y = -5/2
    assert strip_sides(polya, Domain.parse("x real, y real")) is None
    low = (1 + X**2) / (2 + Y)**3 < (1 + Y**2) / (2 + X)**2
    assert strip_sides(low, Domain.parse("0<x, x<y")) is None  # no power ≥ 4: as typed
    two = X**5 < Y**7
    assert strip_sides(two, Domain.parse("1<x<2, 1<y<2")) is None  # two factors: as typed
    # a larger multiple of a logarithm is not multiplied out into a power
    logs = sp.log(1 + X**2) - 17 * sp.log(2 + Y) < sp.log(1 + Y**2) - 10 * sp.log(2 + X)
    assert strip_sides(logs, Domain.parse("0<x, x<y")) is None


def test_an_exponential_beside_powers_of_positive_bases_is_compared_in_logarithms(certified):
    """MetiTarski's exp-over-squared: e^(-1/x²) < 5x⁸ on 0 < x ≤ 10, both sides → 0 at the
    excluded end (the left faster than any power): -1/x² < log 5 + 8 log x."""
    from fptheory.verify import Domain
    statement = sp.exp(-1 / X**2) < 5 * X**8
    stripped, duties, name = strip_sides(statement, Domain.parse("0<x<=10"))
    assert name == "logarithms" and duties == [statement.lhs, statement.rhs]
    assert sp.simplify(stripped.rhs - stripped.lhs - (sp.log(5) + 8 * sp.log(X) + 1 / X**2)) == 0
    assert strip_sides(statement, Domain.parse("0<=x<=10")) is None  # x = 0 in the domain
    assert strip_sides(statement, Domain.parse("-1<x<=10")) is None  # a base < 0
    assert strip_sides(sp.exp(X) < 5 * X + 1, Domain.parse("0<x<=10")) is None  # a sum
    # two variables stay as typed (x·y·e^(-xy) ≤ 1/e closes in the product t = xy, not in
    # logarithms), as does a base that is not the variable (the chapter's sinh(a)/sinh(b))
    assert strip_sides(X * Y * sp.exp(-X * Y) <= sp.exp(-1), Domain.parse("0<x<=2, 0<y<=2")) is None
    assert strip_sides(sp.exp(-X) < sp.sinh(X) ** 2, Domain.parse("1<=x<=2")) is None
    certificate = certified("exp(-1/x**2) < 5*x**8", "0<x<=10")
    assert certificate["strip"] == "logarithms"


@pytest.mark.parametrize("statement, domain", [
    ("exp(-1/x**2) < x**8", "0<x<=10"),  # e^(-1/x²) > x⁸ near x = 0.6
    ("exp(-1/x**2) < 5*x**8", "-1<=x<=10"),  # 0 < 0 fails at x = 0 (as typed)
])
def test_false_exponentials_beside_powers_are_refuted(statement, domain):
    assert prove(statement, domain, time_limit=30).verdict is Verdict.REFUTED


@settings(max_examples=120, deadline=None)
@given(st.integers(4, 12), st.integers(-3, 3), st.fractions(0, 5, max_denominator=8),
       st.fractions(0, 5, max_denominator=8), st.sampled_from(["<=", "<", ">=", ">"]))
def test_products_in_logarithms_agree_with_the_products(n, m, x, y, op):
    """Products of constant powers compared in logarithms hold exactly where the products
    do, at exact points of the domain (60 digits, each side evaluated on its own)."""
    from fptheory.verify import Domain
    x, y = sp.Rational(x.numerator, x.denominator), sp.Rational(y.numerator, y.denominator)
    rel = {"<=": sp.Le, "<": sp.Lt, ">=": sp.Ge, ">": sp.Gt}[op]
    statement = rel((1 + X**2) * (2 + Y)**-n, 3 * (1 + Y)**m * (X + Y + 1)**-2)
    stripped = strip_sides(statement, Domain.parse("0<=x<=5, 0<=y<=5"))
    assert stripped is not None and stripped[2] == "logarithms"
    at = {X: x, Y: y}
    old_side, new_side = (sp.N((s.lhs - s.rhs).xreplace(at), 60)
                          for s in (statement, stripped[0]))
    if abs(old_side) < 1e-40 or abs(new_side) < 1e-40:
        return  # a tie: the exact comparison is not what floats decide
    assert bool(rel(old_side, 0)) == bool(rel(new_side, 0)), (statement, at)


@settings(max_examples=120, deadline=None)
@given(st.integers(-2, 2), st.integers(-2, 2), st.integers(1, 3),
       st.fractions(0, 5, max_denominator=8), st.fractions(-2, 5, max_denominator=8),
       st.sampled_from(["<=", "<", ">=", ">"]))
def test_the_compared_statement_agrees_with_the_original_wherever_defined(c, d, k, x, y, op):
    """At exact points where every sub-term is defined, the stripped statement holds exactly
    where the original does (both new rules; values at 60 digits, an independent
    evaluation of each side)."""
    x, y = sp.Rational(x.numerator, x.denominator), sp.Rational(y.numerator, y.denominator)
    rel = {"<=": sp.Le, "<": sp.Lt, ">=": sp.Ge, ">": sp.Gt}[op]
    statements = [rel((1 + X) ** (Y + k) * sp.exp(c * Y), sp.Integer(k) * sp.exp(d)),
                  rel(c * sp.log(1 + X) + k * sp.log(X + Y), d * sp.log(1 + X * Y) + sp.log(k)
                      + sp.log(Y + 3))]
    for statement in statements:
        stripped = strip_sides(statement)
        if stripped is None:
            continue
        new, duties, _ = stripped
        at = {X: x, Y: y}
        values = [sp.N(e.xreplace(at), 60) for e in (*duties, statement.lhs, statement.rhs)]
        if any(not v.is_real or v.has(sp.zoo, sp.nan, sp.oo, -sp.oo) for v in values):
            continue
        old_side, new_side = (sp.N((s.lhs - s.rhs).xreplace(at), 60) for s in (statement, new))
        if abs(old_side) < 1e-40 or abs(new_side) < 1e-40:
            continue  # a tie: the exact comparison is not what floats decide
        holds = bool(rel(old_side, 0)), bool(rel(new_side, 0))
        assert holds[0] == holds[1], (statement, new, at)


def test_a_refutation_reports_the_sides_as_typed():
    """The counterexample of the compared statement is one of the typed statement, and
    its values are those of the typed sides (x**y = 0.7071 at (1/2, 1/2), not y·log x)."""
    r = prove("x**y >= exp(y*(x-1))", "1/2<=x<=3, 1/2<=y<=2", time_limit=10)
    assert r.verdict is Verdict.REFUTED and r.strip == "logarithms"
    assert r.values["lhs"].startswith("0.70710678") and r.values["rhs"].startswith("0.7788007")


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 6), st.sampled_from([1, -1]), st.sampled_from(
    [sp.S.Half, sp.Rational(3, 2), sp.Rational(1, 3), -sp.S.Half]),
    st.fractions(-20, 20, max_denominator=50), st.integers(1, 3))
def test_roots_through_the_half_angle_keep_their_values(c, sign, q, x, k):
    """(c·(1 ∓ cos kx))^q written (2c·sin²(kx/2))^q (cos²): at exact points, both sides
    are defined together and equal (60 digits, an independent evaluation)."""
    statement = sp.Le((c * (1 - sign * sp.cos(k * X)))**q, X + 1, evaluate=False)
    new, duties, name = strip_sides(statement)
    assert name == "half angles" and statement.lhs in duties
    at = {X: sp.Rational(x.numerator, x.denominator)}
    old, written = (sp.N(e.xreplace(at), 60) for e in (statement.lhs, new.lhs))
    finite = [v.is_real and v.is_finite for v in (old, written)]
    assert finite[0] == finite[1], (statement, new, at)
    if finite[0]:
        assert abs(old - written) <= sp.Float(10)**-50 * (1 + abs(old))


@settings(max_examples=100, deadline=None)
@given(st.sampled_from([1, -1]), st.integers(1, 3), st.fractions(-20, 20, max_denominator=50),
       st.sampled_from([sp.S.Half, sp.Rational(3, 2)]))
def test_roots_of_sines_and_cosines_read_through_the_pythagorean_identity_keep_their_values(
        sign, k, x, q):
    """((cos kx ∓ 1)² + sin²kx)^q, i.e. (2 ∓ 2 cos kx)^q, through the half angle: equal to
    the typed root at exact points (60 digits, an independent evaluation)."""
    base = (sp.cos(k * X) - sign)**2 + sp.sin(k * X)**2
    statement = sp.Le(base**q, X + 1, evaluate=False)
    new, duties, name = strip_sides(statement)
    assert name == "half angles" and statement.lhs in duties and new.lhs != statement.lhs
    at = {X: sp.Rational(x.numerator, x.denominator)}
    old, written = (sp.N(e.xreplace(at), 60) for e in (statement.lhs, new.lhs))
    assert abs(old - written) <= sp.Float(10)**-50 * (1 + abs(old))


def test_only_roots_of_one_minus_or_plus_a_cosine_are_written_through_the_half_angle():
    assert strip_sides(sp.sqrt(2 - sp.cos(X)) <= 2) is None  # 2 - cos x vanishes nowhere
    assert strip_sides(sp.sqrt(sp.cos(X) - 1) <= 2) is None  # c < 0: the root of -2 sin²
    assert strip_sides((1 - sp.cos(X))**2 <= 2) is None      # an integer power
    assert strip_sides(sp.sqrt(1 - sp.cos(X)**4) <= 2) is None
    assert strip_sides(sp.sqrt(sp.sin(X)**2 + sp.cos(X)) <= 2) is None  # 1 + cos x − cos²x


def test_a_refutation_of_a_rewritten_statement_names_the_typed_sub_term():
    """(1 - cos x)^(-1/2) is read as 1/(√2·|sin(x/2)|); undefined at 0 either way, and the
    reason names the sub-term as typed."""
    r = prove("(1 - cos(x))**(-1/2) >= 0", "-1<=x<=1", time_limit=10)
    assert r.verdict is Verdict.REFUTED and r.strip == "half angles"
    assert "1/sqrt(1 - cos(x))" in r.reason and "Abs" not in r.reason


def test_half_angles_with_a_factor_positive_on_the_domain():
    """1 - cos³x = (1 - cos x)(1 + cos x + cos²x): its root is √2|sin(x/2)|·√(1 + cos x +
    cos²x), the factor > 0 everywhere; 1 - cos⁴x's factor (1 + cos x)(1 + cos²x) is 0 at π,
    so on a domain reaching π the root stays as typed."""
    from fptheory.verify import Domain
    x = X
    cube = sp.sqrt(1 - sp.cos(x)**3) >= x / 3
    stripped, duties, name = strip_sides(cube, Domain.parse("0<=x<=2"))
    assert name == "half angles" and duties == [cube.lhs, cube.rhs]
    assert stripped.lhs == sp.sqrt(2) * sp.Abs(sp.sin(x / 2)) * sp.sqrt(
        sp.cos(x)**2 + sp.cos(x) + 1)
    plain = strip_sides(cube)  # without a domain, only numbers as the factor
    assert plain is None or plain[2] != "half angles"
    fourth = sp.sqrt(1 - sp.cos(x)**4) >= x / 3
    assert strip_sides(fourth, Domain.parse("0<=x<=1"))[2] == "half angles"
    wide = strip_sides(fourth, Domain.parse("0<=x<=4"))
    assert wide is None or wide[2] != "half angles"


@settings(max_examples=150, deadline=None)
@given(st.sampled_from([3, 4, 5]), st.sampled_from([sp.Rational(1, 2), sp.Rational(-1, 2),
                                                    sp.Rational(1, 3), sp.Rational(-3, 2)]),
       st.fractions(-3, 3, max_denominator=16))
def test_roots_of_one_minus_a_power_of_cosine_keep_their_values_and_domain(k, q, x):
    """(1 - cosᵏx)^q and its half-angle form agree at exact points of -3/2 < x < 3/2 (where
    the factor is > 0): both undefined, or equal to 40 digits."""
    from fptheory.verify import Domain
    x = sp.Rational(x.numerator, x.denominator) / 2
    root = (1 - sp.cos(X)**k)**q
    stripped = strip_sides(root >= -10, Domain.parse("-3/2<x<3/2"))
    assert stripped is not None and stripped[2] == "half angles"
    typed, written = (sp.N(e.xreplace({X: x}), 50) for e in (root, stripped[0].lhs))
    undefined = [not v.is_real or v.has(sp.zoo, sp.nan, sp.oo, -sp.oo) for v in (typed, written)]
    assert undefined[0] == undefined[1], (k, q, x)
    if not undefined[0]:
        assert abs(typed - written) <= 1e-40 * (1 + abs(typed)), (k, q, x)


# both sides raised to the power that clears their roots (strip._lifted)

def test_hadwiger_finsler_is_certified_as_its_square_and_rechecked(certified):
    """4(xy + yz + zx) ≥ 4√3·√(xyz(x + y + z)), written as Ravi's substitution in
    Hadwiger–Finsler's inequality: squared, a sum of squares on x, y, z > 0."""
    cert = certified("(y + z)**2 + (z + x)**2 + (x + y)**2 - (y - x)**2 - (z - y)**2 "
                     "- (x - z)**2 >= 4*sqrt(3)*sqrt(x*y*z*(x + y + z))", "x>0, y>0, z>0")
    assert cert["strip"] == "both sides to the power 2" and "sos" in cert
    bad = json.loads(json.dumps(cert))
    bad["strip"] = "both sides to the power 4"
    assert not recheck_certificate(bad)


@pytest.mark.parametrize("statement, lifted", [
    ("sqrt(x) >= y**(1/3)", "x**3 >= y**2"),
    ("x**3 >= y**(1/3)", "x**9 >= y"),  # L odd: x³ may be negative
    ("x >= sqrt(y)", "x**2 >= y"),  # the greater side: √x must be defined too
    # the smaller side may be negative: compared under t·|t| (-3 ≤ √2 but not 9 ≤ 2)
    ("x <= sqrt(y)", "x*Abs(x) <= y"),
    ("sqrt(y) >= x", "y >= x*Abs(x)"),
    ("sqrt(y) >= (x + 1)**3/2", "y >= (x + 1)**5*Abs(x + 1)/4"),
    ("x**(1/7) >= y", None),  # a power beyond 6
    ("sqrt(x) + 1 >= sqrt(y)", "(sqrt(x) + 1)**2 >= y"),  # a sum is one factor
])
def test_which_statements_are_lifted(statement, lifted):
    stripped = strip_sides(sp.sympify(statement, locals={"x": X, "y": Y}))
    if lifted is None:
        assert stripped is None or not stripped[2].startswith("both sides")
    else:
        assert sp.sstr(stripped[0]) == lifted


_BASES = [X, Y, X + Y, X * Y, 1 + X**2, X - Y, 2 - X]
_POWERS = [sp.Integer(1), sp.Integer(2), sp.Integer(3), sp.Rational(1, 2), sp.Rational(1, 3),
           sp.Rational(3, 2), sp.Rational(-1, 2), sp.Rational(2, 3)]


def _exact_points(points: list) -> list[dict]:
    """The drawn fraction pairs as exact points {x: ·, y: ·}."""
    return [{X: sp.Rational(px.numerator, px.denominator),
             Y: sp.Rational(py.numerator, py.denominator)} for px, py in points]


def _value(e: sp.Expr, point: dict) -> sp.Expr | None:
    """e at the exact point to 50 digits, None where a node is not a finite real number."""
    for node in sp.preorder_traversal(e):
        v = sp.N(node.xreplace(point), 50)
        if v.has(sp.zoo, sp.nan, sp.oo, -sp.oo, sp.I) or not v.is_real:
            return None
    return sp.N(e.xreplace(point), 50)


def _assert_agrees(statement: sp.Rel, stripped: tuple, relation, points: list) -> None:
    """At exact points where every sub-term the lift keeps is defined, the lifted relation
    and the typed one are both true or both false (ties to 40 digits skipped)."""
    lifted, duties, _ = stripped
    for point in _exact_points(points):
        a, b = _value(statement.lhs, point), _value(statement.rhs, point)
        values = [_value(d, point) for d in duties]
        if a is not None and b is not None and abs(a - b) > 1e-40 and relation(a, b):
            # (where the typed statement holds, no added sub-term may be undefined: that
            # point would be reported as a counterexample)
            assert all(v is not None for v in values), (statement, point)
        if any(v is None for v in values):
            continue
        la, lb = _value(lifted.lhs, point), _value(lifted.rhs, point)
        if la is None or lb is None or abs(a - b) < 1e-40 or abs(la - lb) < 1e-40:
            continue
        assert bool(relation(a, b)) == bool(relation(la, lb)), (statement, point)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_BASES), st.sampled_from(_POWERS)), min_size=1,
                max_size=2),
       st.lists(st.tuples(st.sampled_from(_BASES), st.sampled_from(_POWERS)), min_size=1,
                max_size=2),
       st.sampled_from([sp.Integer(1), sp.Integer(3), sp.Rational(1, 2), sp.sqrt(2)]),
       st.sampled_from([sp.Ge, sp.Gt, sp.Le, sp.Lt]),
       st.lists(st.tuples(st.fractions(-2, 2, max_denominator=6),
                          st.fractions(-2, 2, max_denominator=6)), min_size=10, max_size=10))
def test_a_lifted_statement_holds_exactly_where_the_typed_one_does(left, right, c, relation,
                                                                   points):
    """At exact points where every sub-term the lift keeps is defined, the lifted relation
    and the typed one are both true or both false (ties to 40 digits skipped)."""
    lhs = c * sp.Mul(*[b**q for b, q in left])
    rhs = sp.Mul(*[b**q for b, q in right])
    statement = relation(lhs, rhs)
    if not isinstance(statement, sp.Rel):
        return
    stripped = strip_sides(statement)
    if stripped is None or not stripped[2].startswith("both sides"):
        return
    _assert_agrees(statement, stripped, relation, points)


@pytest.mark.parametrize("statement, domain", [
    ("sqrt((a**2 + b**2)/2) >= (a + b)/2", "a real, b real"),  # QM-AM, tight along a = b ≥ 0
    ("sqrt((a**2 + b**2)/2) >= (a + b)/2", "-3<=a<=3, -3<=b<=3"),
    ("Abs(a*c + b*d) <= sqrt(a**2 + b**2)*sqrt(c**2 + d**2)", "-1<=a<=1, -1<=b<=1, -1<=c<=1, "
     "-1<=d<=1"),  # Cauchy–Schwarz in the plane
])
def test_roots_above_a_side_of_either_sign_are_certified_under_the_signed_square(
        statement, domain, certified):
    """Unknown at 30 s before (the smaller side may be negative, so no square was taken);
    under t·|t| the cases of |a + b| are each a sum of squares."""
    cert = certified(statement, domain)
    assert cert.get("strip", "").startswith("both sides to the")


@pytest.mark.parametrize("statement, domain", [
    ("sqrt((a**2 + b**2)/2) >= (a + b)/2 + 1/10**6", "-3<=a<=3, -3<=b<=3"),
    ("sqrt((a**2 + b**2)/2) >= (a + b)/2*(1 + 1/10**4)", "a real, b real"),
])
def test_false_roots_above_a_side_of_either_sign_are_refuted(statement, domain):
    assert prove(statement, domain, time_limit=30).verdict is Verdict.REFUTED



@pytest.mark.parametrize("statement, squared", [
    # Minkowski: squared, the root-free part moved, then the signed square of Lagrange
    ("sqrt((a + c)**2 + (b + d)**2) <= sqrt(a**2 + b**2) + sqrt(c**2 + d**2)",
     "(2*a*c + 2*b*d)*Abs(2*a*c + 2*b*d) <= 4*(a**2 + b**2)*(c**2 + d**2)"),
    ("sqrt(a**2 + b**2) + sqrt(c**2 + d**2) >= sqrt((a + c)**2 + (b + d)**2)",
     "4*(a**2 + b**2)*(c**2 + d**2) >= (2*a*c + 2*b*d)*Abs(2*a*c + 2*b*d)"),
    ("sqrt(a + b) <= sqrt(a) + sqrt(b)", None),  # nothing root-free left: lifted as before
    ("a <= sqrt(a**2) + sqrt(b**2)", None),  # the smaller side not ≥ 0 by its form
    ("sqrt(a) <= sqrt(b) + 1", None),  # 1 is no product of powers: one sum, lifted whole
    ("sqrt(a) <= sqrt(b) - sqrt(c)", None),  # a term < 0
])
def test_which_sums_of_roots_are_squared(statement, squared):
    names = {n: sp.Symbol(n, real=True) for n in "abcd"}
    stripped = strip_sides(sp.sympify(statement, locals=names))
    if squared is None:
        assert stripped is None or not stripped[2].startswith("squared sum")
    else:
        assert stripped[2] == "squared sum, then both sides to the signed power 2"
        assert sp.sstr(stripped[0]) == squared


_NONNEGATIVE_TERMS = [sp.sqrt(X), sp.sqrt(Y), sp.sqrt(X**2 + Y**2), 2 * sp.sqrt(1 + X * Y),
                      sp.Abs(X - Y), X**2, sp.sqrt(X) * sp.Abs(Y), (X**2 + 1)**sp.Rational(3, 2)]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_NONNEGATIVE_TERMS), min_size=2, max_size=3, unique=True),
       st.sampled_from([sp.sqrt(X + Y), sp.sqrt((X + Y)**2 + 1), sp.Abs(X + 2 * Y), X**2 + 0]),
       st.sampled_from([sp.Ge, sp.Gt, sp.Le, sp.Lt]),
       st.lists(st.tuples(st.fractions(-3, 3, max_denominator=7),
                          st.fractions(-3, 3, max_denominator=7)), min_size=8, max_size=8))
def test_a_squared_sum_holds_exactly_where_the_typed_statement_does(terms, smaller, relation,
                                                                    points):
    """At exact points where every kept sub-term is defined, the squared statement and the
    typed one are both true or both false (ties to 40 digits skipped)."""
    greater = sp.Add(*terms)
    statement = relation(greater, smaller) if relation in (sp.Ge, sp.Gt) else \
        relation(smaller, greater)
    if not isinstance(statement, sp.Rel):  # (sympy decided it: |x + 2y| ≤ |x + 2y| + √x)
        return
    stripped = strip_sides(statement)
    if stripped is None or not stripped[2].startswith("squared sum"):
        return
    squared, duties, _ = stripped
    for point in _exact_points(points):
        a, b = _value(statement.lhs, point), _value(statement.rhs, point)
        values = [_value(d, point) for d in duties]
        if a is None or b is None or any(v is None for v in values):
            continue
        sa, sb = _value(squared.lhs, point), _value(squared.rhs, point)
        if abs(a - b) < 1e-40 or abs(sa - sb) < 1e-40:
            continue
        assert bool(relation(a, b)) == bool(relation(sa, sb)), (statement, point)


@pytest.mark.parametrize("domain", ["-1<=a<=1, -1<=b<=1, -1<=c<=1, -1<=d<=1",
                                    "a real, b real, c real, d real"])
def test_minkowskis_inequality_in_the_plane_is_certified_and_rechecked(domain, certified):
    """Unknown after 30 s before (its margin is 0 wherever (a, b) and (c, d) point the same
    way, a three-dimensional set no box search covers); an Isabelle lemma
    (real_sqrt_sum_squares_triangle_ineq)."""
    cert = certified("sqrt((a + c)**2 + (b + d)**2) <= sqrt(a**2 + b**2) + sqrt(c**2 + d**2)",
                     domain)
    assert cert["strip"].startswith("squared sum")


def test_a_false_minkowski_is_refuted():
    r = prove("sqrt((a + c)**2 + (b + d)**2) <= 999/1000*(sqrt(a**2 + b**2) + sqrt(c**2 + d**2))",
              "-1<=a<=1, -1<=b<=1, -1<=c<=1, -1<=d<=1", time_limit=30)
    assert r.verdict is Verdict.REFUTED


def test_powers_with_a_varying_exponent_are_compared_in_logarithms_only_where_the_base_is_positive():
    """x^y = 0 at x = 0 for y > 0 (sympy's value, and the kernel's): y·log x is undefined
    there, so x^y ≤ 1 on 0 ≤ x ≤ 1 is not compared in logarithms (it was refuted at x = 0
    as undefined); on 0 < x ≤ 1 it is."""
    closed = sp.Le(X**Y, 1)
    assert strip_sides(closed, Domain.parse("0<=x<=1, 0<y<=1")) is None
    assert strip_sides(closed, Domain.parse("0<x<=1, 0<y<=1"))[2] == "logarithms"
    assert strip_sides(sp.Gt((1 + 1 / X)**(X + 1), sp.E), Domain.parse("x>0"))[2] == "logarithms"
    assert prove("x**y <= 1", "0<=x<=1, 0<y<=1", time_limit=10).verdict is not Verdict.REFUTED


def test_an_odd_power_of_a_variable_nonnegative_on_the_domain_counts_as_nonnegative(certified):
    """Isabelle's SOS example a·x² ≤ √(a²x² + b)·x (x ≥ 0, b ≥ 0; tight on b = 0 for
    a ≥ 0): without the domain the greater side's x may be negative and nothing is lifted;
    with x ≥ 0 both sides go under t·|t| and each case of |a| closes on the whole box."""
    a, x, b = sp.symbols("a x b", real=True)
    statement = a * x**2 <= sp.sqrt(a**2 * x**2 + b) * x
    domain = "-3<=a<=3, 0<=x<=3, 0<=b<=5"
    assert strip_sides(statement) is None
    assert strip_sides(statement, Domain.parse("-3<=a<=3, -1<=x<=3, 0<=b<=5")) is None
    lifted = strip_sides(statement, Domain.parse(domain))
    assert lifted is not None and lifted[2] == "both sides to the signed power 2"
    cert = certified("a*x**2 <= sqrt(a**2*x**2 + b)*x", domain)
    assert cert["strip"] == "both sides to the signed power 2"
    bad = json.loads(json.dumps(cert))
    bad["statement"] = "a*x**2 <= sqrt(a**2*x**2 + b)*x - 1/1000"
    assert not recheck_certificate(bad)
    assert prove("a*x**2 <= sqrt(a**2*x**2 + b)*x*999/1000", domain,
                 time_limit=30).verdict is Verdict.REFUTED


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_BASES), st.sampled_from(_POWERS)), min_size=1,
                max_size=2),
       st.lists(st.tuples(st.sampled_from(_BASES), st.sampled_from(_POWERS)), min_size=1,
                max_size=2),
       st.sampled_from([sp.Ge, sp.Gt, sp.Le, sp.Lt]),
       st.lists(st.tuples(st.fractions(0, 2, max_denominator=6),
                          st.fractions(-2, 2, max_denominator=6)), min_size=10, max_size=10))
def test_a_statement_lifted_with_the_domain_holds_exactly_where_the_typed_one_does(
        left, right, relation, points):
    """As above, with x ≥ 0 on the domain (its odd powers then count as ≥ 0), at points of
    that domain."""
    statement = relation(sp.Mul(*[b**q for b, q in left]), sp.Mul(*[b**q for b, q in right]))
    if not isinstance(statement, sp.Rel):
        return
    stripped = strip_sides(statement, Domain.parse("0<=x<=2, -2<=y<=2"))
    if stripped is None or not stripped[2].startswith("both sides"):
        return
    _assert_agrees(statement, stripped, relation, points)
