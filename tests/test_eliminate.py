"""A variable eliminated at its critical point (fptheory.verify.eliminate): statements tight
along a curve (Fenchel–Young pairs) certified through their pieces, every piece replayed
by recheck and every tampering refused; the checks refuse a wrong critical point, a kink
and relations; and over a family of quadratics the verdicts agree with the exact minimum."""

import json
from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fptheory.core.errors import FPTheoryError
from fptheory.verify import Domain, prove
from fptheory.verify.certificates import recheck_certificate
from fptheory.verify.claims import Verdict
from fptheory.verify.eliminate import (
    Elimination,
    check_elimination,
    elimination_pieces,
    find_elimination,
    replay_elimination,
)

X, Y = sp.symbols("x y", real=True)
YOUNG, YOUNG_DOMAIN = "x*y <= exp(x) + y*(log(y) - 1)", "-oo<x<oo, 0<y<oo"


def test_young_tight_along_a_curve_is_certified_through_its_critical_point(certified):
    """MetiTarski's two-variable-problem-7 (Young's inequality for eˣ and its conjugate):
    equality along x = log y, where no box of the plain search closes."""
    cert = certified(YOUNG, YOUNG_DOMAIN)
    record = cert["elimination"]
    assert (record["variable"], record["critical"]) == ("x", "log(y)")
    assert [p["role"] for p in record["pieces"]] == ["convex", "reduced"]
    assert cert["leaves"] == [] and all(p["certificate"]["leaves"] for p in record["pieces"])


def test_a_bounded_side_adds_the_critical_points_range_as_pieces(certified):
    """MetiTarski's log-fun-ineq-e-weak: convex in y (e^(y-1)), critical y = 1 + log x; and
    with y's side bounded the point's range is certified too: for 1/2 < x < 12, 1 + log x
    lies in (0.3, 3.49), inside [-5, 7/2]."""
    cert = certified("x*y <= 1/5 + x*log(x) + exp(y-1)", "1/2<x<12, -5<=y<=7/2")
    assert [p["role"] for p in cert["elimination"]["pieces"]] == [
        "convex", "above", "below", "reduced"]


PINSKER = "p*log(p/q) + (1-p)*log((1-p)/(1-q)) >= 2*(p-q)**2", "0<p<1, 0<q<1"


def test_pinsker_tight_along_the_diagonal_is_certified_at_another_variable(certified):
    """Pinsker's inequality for two-point distributions (Cover & Thomas, Lemma 11.6.1),
    tight along the whole diagonal p = q: the margin is convex in p (1/p + 1/(1-p) ≥ 4)
    and its p-slope log(p/q) - log((1-p)/(1-q)) - 4(p - q) is 0 at p = q, a critical point
    sympy's solve does not give. With the constant 2 raised by 10⁻³ it is refuted."""
    cert = certified(*PINSKER)
    record = cert["elimination"]
    assert (record["variable"], record["critical"]) == ("p", "q")
    assert [p["role"] for p in record["pieces"]] == ["convex", "above", "below", "reduced"]
    r = prove(PINSKER[0].replace("2*(p", "2001/1000*(p"), PINSKER[1], time_limit=30)
    assert r.verdict is Verdict.REFUTED, r.reason


def test_another_variable_is_no_critical_point_where_the_slope_is_not_0_there():
    """Another variable is checked as a critical point exactly, like sympy's solutions: the
    slope of Pinsker's margin vanishes at p = q; with (p - q)/100 added it does not."""
    p, q = sp.symbols("p q", real=True)
    dom = Domain.parse(PINSKER[1])
    g = p * sp.log(p / q) + (1 - p) * sp.log((1 - p) / (1 - q)) - 2 * (p - q) ** 2
    assert check_elimination(g, dom, Elimination(p, q)) == ""
    shifted = g + (p - q) / 100
    assert "not shown 0" in check_elimination(shifted, dom, Elimination(p, q))


COSH = "exp(t*x) <= cosh(x) + t*sinh(x)", "-1<=t<=1, x real"


def test_a_margin_concave_in_a_variable_is_certified_at_the_ends_of_its_side(certified):
    """mathlib's exp_mul_le_cosh_add_mul_sinh: eᵗˣ is convex in t, the right side linear,
    so the margin is concave in t and an equality at t = ±1 for every x (cosh x ± sinh x);
    its pieces are the concavity and the two faces. Lowered by 10⁻³ it is refuted."""
    cert = certified(*COSH)
    record = cert["elimination"]
    assert (record["variable"], record.get("ends")) == ("t", True)
    assert [p["role"] for p in record["pieces"]] == ["concave", "low end", "high end"]
    r = prove("exp(t*x) <= cosh(x) + t*sinh(x) - 1/1000", COSH[1], time_limit=30)
    assert r.verdict is Verdict.REFUTED, r.reason


@pytest.mark.parametrize("name, change", [
    ("ends false", lambda c: c["elimination"].__setitem__("ends", False)),
    ("ends and a critical point", lambda c: c["elimination"].__setitem__("critical", "0")),
    ("ends replaced by a critical point", lambda c: (c["elimination"].pop("ends"),
                                                     c["elimination"].__setitem__("critical", "0"))),
    ("the side opened", lambda c: c["domain"]["t"].__setitem__(3, True) if len(
        c["domain"]["t"]) == 4 else c["domain"].__setitem__("t", ["-1", "1", False, True])),
    ("a face dropped", lambda c: _pieces(c).pop()),
    ("faces swapped", lambda c: _pieces(c)[1:].reverse() or _pieces(c).insert(1, _pieces(c).pop())),
])
def test_a_tampered_concave_elimination_is_refused(name, change, certified, tampered):
    cert = certified(*COSH)
    assert not recheck_certificate(tampered(cert, change)), name


def test_ends_need_a_closed_bounded_side():
    g = sp.cosh(X) + Y * sp.sinh(X) - sp.exp(X * Y)
    assert check_elimination(g, Domain.parse("-1<=y<=1, x real"), Elimination(Y, None)) == ""
    for side in ("-1<y<=1, x real", "-1<=y, x real"):
        assert "closed and bounded" in check_elimination(g, Domain.parse(side),
                                                         Elimination(Y, None))


def test_a_false_variant_is_refuted_not_eliminated():
    r = prove("x*y <= exp(x) + y*(log(y) - 1) - 1/100", YOUNG_DOMAIN, time_limit=30)
    assert r.verdict is Verdict.REFUTED, r.reason


def test_the_checks_refuse_a_wrong_point_a_point_in_the_variable_a_kink_and_relations():
    g = sp.exp(X) + Y * (sp.log(Y) - 1) - X * Y
    dom = Domain.parse(YOUNG_DOMAIN)
    assert check_elimination(g, dom, Elimination(X, sp.log(Y))) == ""
    assert "not shown 0" in check_elimination(g, dom, Elimination(X, sp.log(Y) + 1))
    assert "free of x" in check_elimination(g, dom, Elimination(X, X / 2))
    assert "kink" in check_elimination(g + sp.Abs(X), dom, Elimination(X, sp.log(Y)))
    related = Domain.parse("0<x<1, 0<y<1, x<y")
    assert "relations" in check_elimination(g, related, Elimination(X, sp.log(Y)))


def test_no_elimination_is_proposed_where_the_margin_bends_both_ways_or_is_kinked():
    dom = Domain.parse("-1<=x<=1, -1<=y<=1")
    assert find_elimination(sp.Ge(2 + X**3 - X * Y, 0), dom) is None  # 6x: both signs
    assert find_elimination(sp.Ge(X**2 - X * Y + sp.Abs(Y), 0), dom) is None
    assert find_elimination(sp.Ge(2 - X**2 + X * Y, 0), dom) == Elimination(X, None)


def test_the_pieces_state_convexity_range_and_the_reduced_margin_exactly():
    dom = Domain.parse("0<x<=2, -1<=y<=1")
    pieces = elimination_pieces(sp.Gt(X**2 - X * Y + 1, 0), dom, [], Elimination(X, Y / 2))
    assert [(role, sp.sstr(s)) for role, s, _, _ in pieces] == [
        ("convex", "2 >= 0"), ("above", "y/2 > 0"), ("below", "y/2 <= 2"),
        ("reduced", "1 - y**2/4 > 0")]
    assert [box.variables for _, _, box, _ in pieces[1:]] == [[Y]] * 3


def _pieces(c: dict) -> list:
    return c["elimination"]["pieces"]


def _piece(c: dict, k: int) -> dict:
    return c["elimination"]["pieces"][k]["certificate"]


def _nest(c: dict) -> None:
    """The whole elimination again inside its reduced piece's certificate."""
    inner = json.loads(json.dumps(c["elimination"]))
    _piece(c, 1).update(elimination=inner, leaves=[])


@pytest.mark.parametrize("name, change", [
    ("critical point moved", lambda c: c["elimination"].__setitem__("critical", "log(y) + 1")),
    ("critical point as code", lambda c: c["elimination"].__setitem__(
        "critical", "__import__('os').system('true')")),
    ("another variable", lambda c: c["elimination"].__setitem__("variable", "y")),
    ("an unknown variable", lambda c: c["elimination"].__setitem__("variable", "z")),
    ("a piece dropped", lambda c: _pieces(c).pop(0)),
    ("pieces swapped", lambda c: _pieces(c).reverse()),
    ("a role renamed", lambda c: _pieces(c)[0].__setitem__("role", "reduced")),
    ("a piece's leaves emptied", lambda c: _piece(c, 1).__setitem__("leaves", [])),
    ("a piece with code", lambda c: _pieces(c)[0].__setitem__("code", "print(1)")),
    ("a piece's max_depth huge", lambda c: _piece(c, 0).__setitem__("max_depth", 10**9)),
    ("a piece's statement weakened", lambda c: _piece(c, 1).__setitem__(
        "statement", "y*(log(y) - 1) - y*log(y) + y >= -1")),
    ("a piece's domain narrowed", lambda c: _piece(c, 1)["domain"]["y"].__setitem__(0, "1")),
    ("a piece with a source text", lambda c: _piece(c, 0).__setitem__("source", "exp(x) >= 0")),
    ("a piece not an object", lambda c: _pieces(c)[0].__setitem__("certificate", [])),
    ("an elimination nested in a piece", _nest),
    ("leaves on top", lambda c: c.__setitem__("leaves", _piece(c, 0)["leaves"])),
    ("an extra key", lambda c: c["elimination"].__setitem__("convex", True)),
    ("a relation added", lambda c: c["domain"].__setitem__("relations", ["x < y"])),
    ("the statement made stronger", lambda c: c.update(
        statement="x*y + 1/100 <= exp(x) + y*(log(y) - 1)",
        source="x*y + 1/100 <= exp(x) + y*(log(y) - 1)")),
])
def test_a_tampered_elimination_is_refused(name, change, certified, tampered):
    cert = certified(YOUNG, YOUNG_DOMAIN)
    assert not recheck_certificate(tampered(cert, change)), name


def test_a_record_that_is_not_an_elimination_is_refused():
    dom = Domain.parse(YOUNG_DOMAIN)
    statement = sp.Le(X * Y, sp.exp(X) + Y * (sp.log(Y) - 1))
    for record in (None, [], {"variable": "x"}, {"variable": 1, "critical": "y", "pieces": []}):
        with pytest.raises(FPTheoryError):
            replay_elimination(statement, dom, [], record)


_COEFFICIENT = st.fractions(min_value=Fraction(1, 4), max_value=3, max_denominator=4)


def _quadratic_minimum(a: Fraction, b: Fraction, c: Fraction, s: Fraction) -> Fraction:
    """min of a x² − b x y + c y² + s over [-2, 2]² by the corners, the edges' vertices and the
    interior critical point, each evaluated exactly (the closed form the test checks against
    is written here once, independently of the module)."""
    def q(x: Fraction, y: Fraction) -> Fraction:
        return a * x * x - b * x * y + c * y * y + s
    points = [(x, y) for x in (-2, 2) for y in (-2, 2)]
    for y in (-2, 2):
        x = b * y / (2 * a)
        points.append((max(Fraction(-2), min(Fraction(2), x)), Fraction(y)))
    for x in (-2, 2):
        if c > 0:
            y = b * x / (2 * c)
            points.append((Fraction(x), max(Fraction(-2), min(Fraction(2), y))))
    points.append((Fraction(0), Fraction(0)))
    return min(q(Fraction(x), Fraction(y)) for x, y in points)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(a=_COEFFICIENT, b=_COEFFICIENT, c=_COEFFICIENT,
       s=st.fractions(min_value=-2, max_value=2, max_denominator=8))
def test_quadratic_verdicts_agree_with_the_exact_minimum(a, b, c, s):
    """a x² − b x y + c y² + s ≥ 0 on [-2, 2]²: a certified verdict only where the exact
    minimum (:func:`_quadratic_minimum`) is ≥ 0, a refutation only where it is < 0."""
    statement = f"{a}*x**2 - {b}*x*y + {c}*y**2 + {s} >= 0"
    r = prove(statement, "-2<=x<=2, -2<=y<=2", time_limit=30)
    least = _quadratic_minimum(a, b, c, s)
    if r.verdict is Verdict.CERTIFIED:
        assert least >= 0, (statement, least)
        assert recheck_certificate(r.certificate())
    elif r.verdict is Verdict.REFUTED:
        assert least < 0, (statement, least)
