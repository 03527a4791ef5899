"""Margins symmetric in two variables (fptheory.verify.symmetric): bounds tight along the
whole diagonal are certified on the half x ≤ y and re-checked; the pair is refused where
the sides differ, the margin or the typed sub-terms are not symmetric, or a relation is
there; a tampered record is refused; and the structural test agrees with the values."""

import json
import random

import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fptheory.verify import Domain, prove
from fptheory.verify.certificates import recheck_certificate
from fptheory.verify.claims import Verdict
from fptheory.verify.symmetric import symmetric_pair, symmetric_reason

X, Y, Z = sp.symbols("x y z", real=True)
JENSEN = (sp.exp(X) + sp.exp(Y)) / 2 - sp.exp((X + Y) / 2)


def _certified(statement: str, domain: str) -> dict:
    r = prove(statement, domain, time_limit=60)
    assert r.verdict is Verdict.CERTIFIED, r.reason
    cert = r.certificate()
    check = recheck_certificate(json.loads(json.dumps(cert)))
    assert check, check.reason
    return cert


@pytest.mark.parametrize("statement, domain", [
    ("(exp(x) + exp(y))/2 >= exp((x + y)/2)", "-2<=x<=2, -2<=y<=2"),  # Jensen, exp convex
    ("sin(x)*sin(y) <= sin((x + y)/2)**2", "0<=x<=3, 0<=y<=3"),
    ("1/(1 + x) + 1/(1 + y) >= 2/(1 + (x + y)/2)", "0<=x<=3, 0<=y<=3"),
    # (x - y)²((x + y/2)² + 3y²/4): the original's completed squares, read on x ≤ y
    ("x**4 + y**4 >= x**3*y + x*y**3", "-2<=x<=2, -2<=y<=2"),
])
def test_bounds_tight_along_the_diagonal_are_certified_on_one_half(statement, domain):
    cert = _certified(statement, domain)
    assert cert["symmetric"] == ["x", "y"]
    assert "relations" not in cert["domain"]  # the user's domain; recheck adds the half


def test_a_false_quartic_tight_along_the_diagonal_is_refuted():
    r = prove("x**4 + y**4 >= x**3*y + x*y**3 + 1/10**9", "-2<=x<=2, -2<=y<=2", time_limit=10)
    assert r.verdict is Verdict.REFUTED


@pytest.mark.parametrize("statement, domain, record", [
    # homogeneous: its reduction does more than the half (y = x + s·(4 - x) is not)
    ("sqrt(x) + sqrt(y) <= 2*sqrt((x + y)/2)", "0<x<=4, 0<y<=4", "reduction"),
    # reads x, y only through x - y: one variable in place of two
    ("cos(x - y) <= 1", "0<=x<=3, 0<=y<=3", "combination"),
])
def test_a_rule_that_does_more_is_preferred_to_the_half(statement, domain, record):
    cert = _certified(statement, domain)
    assert record in cert and "symmetric" not in cert


@pytest.mark.parametrize("statement, domain", [
    ("(exp(x) + exp(y))/2 >= exp((x + y)/2) + 1/10**6", "-2<=x<=2, -2<=y<=2"),
    ("sin(x)*sin(y) <= sin((x + y)/2)**2 - 1/10**6", "0<=x<=3, 0<=y<=3"),
    # tight on the diagonal, but false off it: log is concave
    ("(log(x) + log(y))/2 >= log((x + y)/2)", "1<=x<=3, 1<=y<=3"),
])
def test_false_symmetric_statements_are_refuted(statement, domain):
    r = prove(statement, domain, time_limit=20)
    assert r.verdict is Verdict.REFUTED, r.reason


def test_the_pair_is_refused_where_the_half_would_not_do():
    square = Domain.parse("-2<=x<=2, -2<=y<=2")
    assert symmetric_pair(JENSEN, [], square) == (X, Y)
    assert symmetric_reason(JENSEN, [], Domain.parse("-2<=x<=2, -2<=y<=3"), X, Y)
    assert symmetric_reason(JENSEN, [], Domain.parse("-2<=x<=2, -2<y<=2"), X, Y)  # open end
    assert symmetric_reason(JENSEN + X / 10**9, [], square, X, Y)  # not symmetric
    assert symmetric_reason(JENSEN, [sp.sqrt(X + 2)], square, X, Y)  # a typed sub-term
    assert symmetric_reason(JENSEN, [sp.sqrt(X + 2), sp.sqrt(Y + 2)], square, X, Y) is None
    assert symmetric_reason(JENSEN, [], Domain.parse("-2<=x<=2, -2<=y<=2, x<y"), X, Y)
    assert symmetric_reason(JENSEN, [], square, X, X)
    assert symmetric_reason(JENSEN, [], Domain.parse("1<=x<=1, 1<=y<=1"), X, Y)  # a point
    # symmetric, but not 0 on the diagonal: the search keeps the whole square
    assert symmetric_pair(X * Y + 5, [], square) is None
    assert symmetric_pair(JENSEN.subs(Y, Z), [], Domain.parse("-2<=x<=2, -2<=z<=2")) == (X, Z)


@pytest.fixture(scope="module")
def jensen_certificate() -> dict:
    return _certified("(exp(x) + exp(y))/2 >= exp((x + y)/2)", "-2<=x<=2, -2<=y<=2")


def _tamper(cert: dict, change) -> dict:
    bad = json.loads(json.dumps(cert))
    change(bad)
    return bad


@pytest.mark.parametrize("name, change", [
    ("no record", lambda c: c.pop("symmetric")),
    ("unknown variable", lambda c: c.__setitem__("symmetric", ["x", "z"])),
    ("the same variable twice", lambda c: c.__setitem__("symmetric", ["x", "x"])),
    ("not a list", lambda c: c.__setitem__("symmetric", "x, y")),
    ("code", lambda c: c.__setitem__("symmetric", ["__import__('os')", "y"])),
    ("sides differ", lambda c: c["domain"]["y"].__setitem__(1, "3")),
    # true on x <= y (where y - x >= 0), false on the other half: not symmetric
    ("statement made one-sided", lambda c: (c.__setitem__(
        "statement", "exp(x)/2 + exp(y)/2 + y - x >= exp(x/2 + y/2)"), c.pop("source"))),
    ("relation added", lambda c: c["domain"].__setitem__("relations", ["x <= y"])),
])
def test_a_tampered_symmetric_record_is_refused(jensen_certificate, name, change):
    assert not recheck_certificate(_tamper(jensen_certificate, change)), name


def test_a_symmetric_statement_at_one_point_gets_a_verdict():
    r = prove("(exp(x) + exp(y))/2 >= exp((x + y)/2)", "1<=x<=1, 1<=y<=1", time_limit=20)
    assert r.verdict is Verdict.CERTIFIED, r.reason


def test_a_statement_true_on_one_half_only_is_not_certified():
    """y − x + Jensen's margin is ≥ 0 where x ≤ y and not where x > y + 1: not symmetric,
    so no half is used, and the search finds the other half's violation."""
    r = prove("exp(x)/2 + exp(y)/2 + y - x >= exp(x/2 + y/2)", "-2<=x<=2, -2<=y<=2",
              time_limit=20)
    assert r.verdict is Verdict.REFUTED, r.reason
    assert r.certificate().get("symmetric") is None


_ATOMS = [X, Y, sp.exp(X), sp.sin(Y), sp.sqrt(X**2 + 1), X * Y, X - Y, sp.atan(Y)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(range(len(_ATOMS))), st.integers(-3, 3)),
                min_size=1, max_size=4),
       st.booleans(), st.integers(0, 10**6))
def test_the_structural_test_agrees_with_the_values(terms, symmetrise, seed):
    """Where symmetric_reason finds nothing, g(a, b) = g(b, a) at random points (an
    independent evaluation); where the values differ, it names a reason."""
    g = sum((c * _ATOMS[i] for i, c in terms), sp.S.Zero)
    if symmetrise:
        g = g + g.xreplace({X: Y, Y: X})
    square = Domain.parse("-2<=x<=2, -2<=y<=2")
    reason = symmetric_reason(g, [], square, X, Y)
    rng = random.Random(seed)
    for _ in range(5):
        a, b = (sp.Rational(rng.randint(-200, 200), 100) for _ in range(2))
        here, mirrored = (sp.N(g.subs({X: p, Y: q}), 30) for p, q in ((a, b), (b, a)))
        if reason is None:
            assert abs(here - mirrored) < 1e-20
        elif abs(here - mirrored) > 1e-10:
            break
    else:
        if reason is not None:  # asymmetric by structure: some point must show it
            assert any(abs(sp.N(g.subs({X: p, Y: q}) - g.subs({X: q, Y: p}), 30)) > 1e-10
                       for p, q in ((sp.Rational(1, 3), sp.Rational(7, 5)),
                                    (sp.Rational(-3, 2), sp.Rational(1, 7)))) or g.xreplace(
                {X: Y, Y: X}).equals(g)


# --- a kinked symmetric margin: the half within a quarter of the time, then the whole domain

@pytest.mark.parametrize("statement, domain", [
    ("Abs(a + b) <= Abs(a) + Abs(b)", "-1<=a<=1, -1<=b<=1"),  # the triangle inequality
    ("Abs(a + b) <= Abs(a) + Abs(b)", "a real, b real"),
])
def test_a_kinked_symmetric_margin_falls_back_to_the_whole_domain(statement, domain,
                                                                  without_multipliers):
    """0 on two whole quadrants; on the half a ≤ b its kink a + b = 0 becomes a curve no box
    ends on (unknown after 20 000 boxes without the kinks' multipliers), on the whole square
    a line the boxes are cut along: certified there, without a symmetric record, and
    re-checked."""
    r = prove(statement, domain, time_limit=16)  # (4 s on the half, then the whole domain)
    assert r.verdict is Verdict.CERTIFIED, r.reason
    cert = r.certificate()
    assert recheck_certificate(cert) and "symmetric" not in cert


@pytest.mark.parametrize("domain", ["-1<=a<=1, -1<=b<=1", "a real, b real"])
def test_the_triangle_inequality_is_certified_on_its_half_with_multipliers(domain):
    """With the kinks' multipliers (s_k − λ_k·c_k closed on the whole box) the curve of the
    kink on the half a ≤ b no longer needs boxes that end on it."""
    r = prove("Abs(a + b) <= Abs(a) + Abs(b)", domain, time_limit=30)
    assert r.verdict is Verdict.CERTIFIED and r.symmetric, r.reason
    cert = r.certificate()
    assert recheck_certificate(cert) and "symmetric" in cert


@pytest.fixture
def without_multipliers(monkeypatch):
    """The kinks' multipliers (fptheory.verify.kinks.multipliers) proposing nothing: the
    every-case rule as it was before them."""
    from fptheory.verify import kinks
    monkeypatch.setattr(kinks, "multipliers", lambda *args, **kwargs: None)


def test_a_smooth_symmetric_margin_keeps_the_whole_time_on_its_half(monkeypatch,
                                                                    without_multipliers):
    """A margin without kinks is searched on its half only (Jensen's): the whole-domain
    search is never asked for."""
    import fptheory.verify.search as search
    calls = []
    original = search._certify_box

    def counted(statement, domain, **options):
        calls.append(sorted(v.name for v in domain.variables))
        return original(statement, domain, **options)
    monkeypatch.setattr(search, "_certify_box", counted)
    r = prove(sp.sstr(JENSEN) + " >= 0", "-2<=x<=2, -2<=y<=2", time_limit=60)
    assert r.verdict is Verdict.CERTIFIED and r.symmetric
    assert calls and ["x", "y"] not in calls  # (the half's pieces: y read as x + s·(2 - x))
    calls.clear()
    r = prove("Abs(a + b) <= Abs(a) + Abs(b)", "-1<=a<=1, -1<=b<=1", time_limit=12)
    assert ["a", "b"] in calls  # (and the kinked one: on the whole square after its half)
