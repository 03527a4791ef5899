"""A polynomial margin on the whole space as pieces on [-1, 1]ⁿ (fptheory.verify.compactify):
HOL Light's SOS examples certified through their middle box and tails, every piece replayed
by recheck and every tampering refused; the tails checked against the polynomial itself at
exact rational points; margins that are not such polynomials refused."""

from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from fptheory.core.errors import FPTheoryError
from fptheory.verify import Domain, prove, search
from fptheory.verify.certificates import recheck_certificate
from fptheory.verify.claims import Verdict
from fptheory.verify.compactify import compactified_pieces, polynomial_degree, replay_compactified

X, Y, Z = sp.symbols("x y z", real=True)
AMGM4 = "x**4 + y**4 + z**4 + 1 - 4*x*y*z >= 0", "x real, y real, z real"


@pytest.fixture(scope="module", autouse=True)
def without_sums_of_squares():
    """The exact sum of squares (fptheory.verify.sos), tried first, certifies these
    polynomials on its own: here it is turned off, as these tests are about the pieces."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "sos_first", lambda *args, **options: None)
        yield


@pytest.fixture(scope="module")
def amgm4(without_sums_of_squares) -> dict:
    """The certificate of :data:`AMGM4`, re-checked (certified once for the module)."""
    r = prove(*AMGM4, time_limit=120, max_boxes=10**6)
    assert r.verdict is Verdict.CERTIFIED, r.reason
    cert = r.certificate()
    assert recheck_certificate(cert)
    return cert


def test_an_sos_example_is_certified_through_its_middle_box_and_tails(amgm4):
    """HOL Light's x⁴ + y⁴ + z⁴ + 1 − 4xyz ≥ 0 (AM-GM for four terms), an equality at
    (1, 1, 1) and its sign changes: unknown on ℝ³ before, with every tail box open."""
    cert = amgm4
    roles = [p["role"] for p in cert["compactified"]["pieces"]]
    assert roles == ["middle", "tail x", "tail y", "tail z"] and cert["leaves"] == []
    r = prove("x**4 + y**4 + z**4 + 1 - 4*x*y*z >= 1/1000", AMGM4[1], time_limit=30)
    assert r.verdict is Verdict.REFUTED, r.reason


def test_a_strict_statement_excludes_the_point_at_infinity_from_each_tail(certified):
    """x⁴ + y⁴ + 1 > x·y: at t = 0 a tail is the leading form x⁴ (0 at x = 0), so each
    tail is two pieces with t = 0 excluded."""
    cert = certified("x**4 + y**4 + 1 > x*y", "x real, y real")
    pieces = cert["compactified"]["pieces"]
    assert [p["role"] for p in pieces] == ["middle", "tail x <0", "tail x >0", "tail y <0",
                                           "tail y >0"]
    assert pieces[2]["certificate"]["domain"]["x"] == ["0", "1", True, False]


def test_a_homogeneous_form_needs_no_middle_box(certified):
    """HOL Light's binary quartic 4x⁴ + 4x³y − 7x²y² − 2xy³ + 10y⁴ ≥ 0: its tails are
    p(1, y) and p(x, 1), one variable each (unknown on ℝ² before)."""
    cert = certified("4*x**4 + 4*x**3*y - 7*x**2*y**2 - 2*x*y**3 + 10*y**4 >= 0",
                     "x real, y real")
    assert [p["role"] for p in cert["compactified"]["pieces"]] == ["tail x", "tail y"]


def test_half_lines_keep_their_ratios_on_the_side_of_the_largest_coordinates_sign():
    """x ≥ 0, y real: seen from y < −1, the ratio x/y lies in [−1, 0]; seen from y > 1, in
    [0, 1]; seen from x (> 1), t = 1/x in [0, 1] and y/x in [−1, 1]; with x > 0 (0
    excluded) and a strict statement, 0 is excluded where it stands for x = 0 or t = 0."""
    st_x = sp.Ge(X**4 + Y**4 + 2 - 4 * X * Y, 0, evaluate=False)
    sides = {role: box.to_dict() for role, _, box, _ in compactified_pieces(
        st_x, Domain.parse("0<=x, y real"), [])}
    assert sides["tail x"] == {"x": ["0", "1", False, False], "y": ["-1", "1", False, False]}
    assert sides["tail y <0"]["x"] == ["-1", "0", False, False]
    assert sides["tail y >0"]["x"] == ["0", "1", False, False]
    st_y = sp.Gt(X**2 * Y**2 + 1 - X * Y, 0, evaluate=False)
    sides = {role: box.to_dict() for role, _, box, _ in compactified_pieces(
        st_y, Domain.parse("0<x, 0<=y"), [])}
    assert sides == {"middle": {"x": ["0", "1", True, False], "y": ["0", "1", False, False]},
                     "tail x": {"x": ["0", "1", True, False], "y": ["0", "1", False, False]},
                     "tail y": {"x": ["0", "1", True, False], "y": ["0", "1", True, False]}}


def _pieces(c: dict) -> list:
    return c["compactified"]["pieces"]


@pytest.mark.parametrize("name, change", [
    ("a tail dropped", lambda c: _pieces(c).pop()),
    ("tails swapped", lambda c: _pieces(c).insert(1, _pieces(c).pop())),
    ("a role renamed", lambda c: _pieces(c)[1].__setitem__("role", "tail y")),
    ("a piece's leaves emptied", lambda c: _pieces(c)[1]["certificate"].__setitem__("leaves", [])),
    ("a piece's statement changed", lambda c: _pieces(c)[0]["certificate"].__setitem__(
        "statement", "x**4 + y**4 + z**4 + 2 - 4*x*y*z >= 0")),
    ("a piece's box narrowed", lambda c: _pieces(c)[1]["certificate"]["domain"].__setitem__(
        "x", ["0", "1", False, False])),
    ("a piece with code", lambda c: _pieces(c)[0].__setitem__("code", "print(1)")),
    ("an extra key", lambda c: c["compactified"].__setitem__("degree", 4)),
    ("an elimination beside it", lambda c: c.__setitem__(
        "elimination", {"variable": "x", "ends": True, "pieces": []})),
    ("a side bounded", lambda c: c["domain"].__setitem__("x", ["-2", "2", False, False])),
    ("leaves on top", lambda c: c.__setitem__(
        "leaves", _pieces(c)[0]["certificate"]["leaves"])),
    ("the statement made stronger", lambda c: c.update(
        statement="x**4 + y**4 + z**4 + 1 - 4*x*y*z >= 1/100",
        source="x**4 + y**4 + z**4 + 1 - 4*x*y*z >= 1/100")),
])
def test_a_tampered_compactification_is_refused(name, change, amgm4, tampered):
    assert not recheck_certificate(tampered(amgm4, change)), name


@pytest.mark.parametrize("margin, domain", [
    (X**3 + Y**2, "x real, y real"),  # odd degree: unbounded below
    (X**4 + sp.sqrt(2) * Y**2, "x real, y real"),  # an irrational coefficient
    (X**4 + sp.exp(Y), "x real, y real"),
    (X**4 + Y**2, "x real, 1<=y"),  # a side neither the whole line nor [0, ∞)
    (X**4 + Y**2, "x real, -1<=y<=1"),
    (X**(10**9) + 1, "x real"),  # a degree no dense polynomial of sympy's should hold
    (X**4 + Y**2 + Z**2 + X * Y * Z, "x real, y real, z real, x<y"),
])
def test_only_even_polynomials_on_the_whole_space_are_compactified(margin, domain):
    dom = Domain.parse(domain)
    assert polynomial_degree(margin, dom) is None
    with pytest.raises(FPTheoryError):
        compactified_pieces(sp.Ge(margin, 0, evaluate=False), dom, [])


def test_a_record_that_is_not_a_compactification_is_refused():
    dom = Domain.parse("x real, y real")
    for record in (None, [], {"pieces": [], "degree": 2}, {"pieces": "x"}):
        with pytest.raises(FPTheoryError):
            replay_compactified(sp.Ge(X**2 + Y**2, 0, evaluate=False), dom, [], record)


_RATIONAL = st.fractions(min_value=-3, max_value=3, max_denominator=5)


@settings(max_examples=60, deadline=None)
@given(coefficients=st.lists(_RATIONAL, min_size=6, max_size=6),
       u=_RATIONAL, t=_RATIONAL.filter(lambda q: q != 0))
def test_each_tail_is_the_polynomial_seen_from_its_largest_coordinate(coefficients, u, t):
    """q_x(u, t) = t^d · p(1/t, u/t) and q_y(u, t) = t^d · p(u/t, 1/t), evaluated in exact
    fractions here (an independent computation: no sympy expansion) against the tails'
    values at the same point."""
    a, b, c, d, e, f = coefficients
    def p(x: Fraction, y: Fraction) -> Fraction:
        return (a * x * x + b * x * y + c) ** 2 + (d * y * y + e * x + f) ** 2 + x**4 + y**4
    margin = (sp.Rational(a) * X**2 + sp.Rational(b) * X * Y + sp.Rational(c)) ** 2 + (
        sp.Rational(d) * Y**2 + sp.Rational(e) * X + sp.Rational(f)) ** 2 + X**4 + Y**4
    pieces = dict((role, s) for role, s, _, _ in compactified_pieces(
        sp.Ge(margin, 0, evaluate=False), Domain.parse("x real, y real"), []))
    assert pieces["middle"].lhs.subs({X: u, Y: t}) == p(u, t)
    assert pieces["tail x"].lhs.subs({X: t, Y: u}) == t**4 * p(1 / t, u / t)
    assert pieces["tail y"].lhs.subs({X: u, Y: t}) == t**4 * p(u / t, 1 / t)


def _inside(value: Fraction, side: list, lo_open: bool, hi_open: bool) -> bool:
    lo, hi = side
    return (lo == "-oo" or Fraction(lo) < value or (value == Fraction(lo) and not lo_open)) and (
        hi == "oo" or value < Fraction(hi) or (value == Fraction(hi) and not hi_open))


_POINT = st.fractions(min_value=-10, max_value=10, max_denominator=7)


@settings(max_examples=200, deadline=None)
@given(x=_POINT, y=_POINT, strict=st.booleans(), domain=st.sampled_from(
    ["x real, y real", "0<=x, y real", "0<x, 0<=y", "0<x, 0<y"]))
def test_every_point_of_the_domain_lands_in_a_piece(x, y, strict, domain):
    """A point of the domain with every |coordinate| ≤ 1 lies in the middle box; else, with
    x_i its largest coordinate, (x_j/x_i, 1/x_i) lies in one of x_i's tail boxes (their
    excluded ends respected): the covering the pieces rest on, checked point by point."""
    dom = Domain.parse(domain)
    point = {X: x, Y: y}
    if not all(_inside(point[v], dom.to_dict()[v.name][:2], *dom.to_dict()[v.name][2:])
               for v in (X, Y)):
        return  # not a point of the domain
    relation = sp.Gt if strict else sp.Ge
    pieces = compactified_pieces(relation(X**2 + Y**2 + 1, 0, evaluate=False), dom, [])
    if max(abs(x), abs(y)) <= 1:
        candidates, image = [p for p in pieces if p[0] == "middle"], point
    else:
        largest = X if abs(x) >= abs(y) else Y
        other = Y if largest == X else X
        image = {largest: 1 / point[largest], other: point[other] / point[largest]}
        candidates = [p for p in pieces if p[0].split()[:2] == ["tail", largest.name]]
    assert any(all(_inside(image[v], box.to_dict()[v.name][:2], *box.to_dict()[v.name][2:])
                   for v in (X, Y)) for _, _, box, _ in candidates), (point, candidates)


def test_a_refuted_tail_is_a_refutation_of_the_statement_at_the_point_it_stands_for(
        monkeypatch):
    """1000 − y² + y⁴/10⁴ + x² ≥ 0 fails only for large |y| (y² near 5000, y ≈ 70.7: no
    point of the middle box): the tail y's counterexample (u, t) is mapped back to
    (u/t, 1/t), checked exactly against the statement there, and reported."""
    import fptheory.verify.compactify as compactify
    mapped = []
    original = compactify._refutation

    def spy(*args, **options):
        mapped.append(args[3])
        return original(*args, **options)
    monkeypatch.setattr(compactify, "_refutation", spy)
    r = prove("1000 - y**2 + y**4/10**4 + x**2 >= 0", "x real, y real", time_limit=30)
    assert mapped and mapped[0].startswith("tail y")
    assert r.verdict is Verdict.REFUTED, r.reason
    point = {name: Fraction(sp.Rational(value)) for name, value in
             r.counterexample_exact.items()}
    y = point["y"]
    assert 1000 - y**2 + y**4 / 10**4 + point["x"] ** 2 < 0
