"""A statement that a function is monotone, F(y) ⋈ F(x) on x ≤ y (fptheory.verify.ordered):
certified through the sign of F′ on the values x and y take, re-checked, never for a
function that is not monotone there, and refused by the re-check when tampered with."""

import json

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from fptheory.verify import Domain, prove
from fptheory.verify.certificates import recheck_certificate
from fptheory.verify.claims import Verdict
from fptheory.verify.ordered import find_ordered, ordered_domain, ordered_statement

x, y = sp.symbols("x y", real=True)


@pytest.mark.parametrize("statement, domain", [
    ("atan(y)/y <= atan(x)/x", "0<x, x<=y"),  # Isabelle's arctan y / y ≤ arctan x / x
    ("sin(y)/y < sin(x)/x", "0<x<=3, 0<y<=3, x<y"),
    ("log(1 + x)/x >= log(1 + y)/y", "0<x, x<=y"),
    ("x*exp(-x) <= y*exp(-y)", "0<=x<=1, 0<=y<=1, x<=y"),
])
def test_monotone_statements_are_certified_through_the_slope(statement, domain, certified):
    cert = certified(statement, domain)
    assert cert["ordered"] == {"low": "x", "high": "y"}


@pytest.mark.parametrize("statement, domain", [
    ("cos(y) <= cos(x)", "0<=x<=4, 0<=y<=4, x<=y"),   # cos increases again after pi
    ("sin(y)/y <= sin(x)/x", "0<x<=5, 0<y<=5, x<=y"),  # sin(x)/x has a minimum at 4.49
    ("x*exp(-x) <= y*exp(-y)", "0<=x<=2, 0<=y<=2, x<=y"),  # the maximum at 1
])
def test_functions_that_turn_are_refuted(statement, domain):
    assert prove(statement, domain, time_limit=30).verdict is Verdict.REFUTED


@pytest.mark.parametrize("statement, domain", [
    (sp.Abs(y - 1) <= sp.Abs(x - 1) + 1, "0<=x<=2, 0<=y<=2, x<=y"),  # a kink: no slope
    (sp.atan(y) < sp.atan(x) + 1, "0<=x<=2, 0<=y<=2, x<=y"),  # a constant on one side
    (sp.exp(y) > sp.exp(x), "0<=x<=2, 0<=y<=2, x<=y"),  # strict, but x = y is allowed
    (sp.exp(y) >= sp.sin(x), "0<=x<=2, 0<=y<=2, x<=y"),  # two functions
])
def test_statements_the_rule_does_not_read(statement, domain):
    assert find_ordered(statement, [], Domain.parse(domain)) is None


def test_the_slope_and_the_side_it_is_read_on():
    statement = sp.Lt(sp.sin(y) / y, sp.sin(x) / x)
    found = find_ordered(statement, [], Domain.parse("0<x<=3, 1<y<=4, x<y"))
    assert ordered_statement(statement, found) == sp.Lt(sp.diff(sp.sin(x) / x, x), 0)
    assert ordered_domain(Domain.parse("0<x<=3, 1<y<=4, x<y"), found).to_dict() == {
        "x": ["0", "4", True, False]}


@pytest.mark.parametrize("tamper", [
    lambda c: c.update(ordered={"low": "y", "high": "x"}),
    lambda c: c.update(ordered={"low": "x"}),
    lambda c: c.update(domain=dict(c["domain"], relations=["y <= x"])),
    lambda c: c.update(statement="atan(y)/y <= atan(x)/x + 1/10**9",
                       source="atan(y)/y <= atan(x)/x + 1/10**9"),
    lambda c: c.update(statement="atan(x)/x <= atan(y)/y", source="atan(x)/x <= atan(y)/y"),
    lambda c: c.pop("ordered"),
])
def test_tampered_monotone_certificates_are_refused(tamper, certified):
    cert = json.loads(json.dumps(certified("atan(y)/y <= atan(x)/x", "0<x, x<=y")))
    tamper(cert)
    assert not recheck_certificate(cert)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(-3, 3), min_size=2, max_size=4), st.integers(-2, 1),
       st.integers(1, 3))
def test_never_certified_where_the_polynomial_turns(coefficients, lo, width):
    """F a random polynomial on [lo, lo + width]: whenever F(y) ≤ F(x) on x ≤ y is certified,
    F is decreasing at every sampled pair (exact arithmetic)."""
    f = sum(c * x**k for k, c in enumerate(coefficients, start=1))
    hi = lo + width
    domain = f"{lo}<=x<={hi}, {lo}<=y<={hi}, x<=y"
    r = prove(f"{sp.sstr(f.xreplace({x: y}))} <= {sp.sstr(f)}", domain, time_limit=20)
    if r.verdict is Verdict.CERTIFIED:
        grid = [sp.Integer(lo) + sp.Rational(k * width, 16) for k in range(17)]
        assert all(f.xreplace({x: b}) <= f.xreplace({x: a}) for a in grid for b in grid if a <= b)
