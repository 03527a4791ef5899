"""A margin even in a variable whose side is symmetric about 0 (fptheory.verify.mirror):
certified on the half where the variable is ≥ 0, re-checked, refused when tampered with,
and never taken for a margin that is not even."""

import json

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from fptheory.verify import Domain, prove
from fptheory.verify.certificates import recheck_certificate
from fptheory.verify.claims import Verdict
from fptheory.verify.mirror import even_variables, mirrored

x, y = sp.symbols("x y", real=True)


@pytest.mark.parametrize("statement, domain, even", [
    # tight along both axes and at the cone point: a homogeneous margin on a cone once halved
    ("sqrt(x**2 + y**2) <= abs(x) + abs(y)", "-1<=x<=1, -1<=y<=1", ["x", "y"]),
    ("sqrt(x**2 + y**2) >= (abs(x) + abs(y))/sqrt(2)", "-1<=x<=1, -1<=y<=1", ["x", "y"]),
    ("cos(x) <= 1 - x**2/2 + x**4/24", "-100<=x<=100", ["x"]),
    ("x*sin(x) + y**2 >= 0", "-3<x<3, 0<=y<=2", ["x"]),  # y's side is not symmetric
])
def test_even_margins_are_certified_on_the_half(statement, domain, even, certified):
    assert certified(statement, domain)["even"] == even


@pytest.mark.parametrize("statement, domain", [
    ("cos(x) >= 1 - x**2/2 + 1/10**6", "-1<=x<=1"),  # false at 0, the end of the half
    ("x**2*y >= -1/10", "-1<=x<=1, -1<=y<=1"),         # even in x only; false for y < 0
])
def test_false_even_margins_are_refuted(statement, domain):
    assert prove(statement, domain, time_limit=30).verdict is Verdict.REFUTED


@pytest.mark.parametrize("tamper", [
    lambda c: c.update(even=["x", "y"]),   # not even in y (x**2*y)
    lambda c: c.update(even="x"),
    lambda c: c.update(even=["x", "x"]),
    lambda c: c.update(even=["z"]),
    lambda c: c.update(domain=dict(c["domain"], x=["-1", "2", False, False])),  # asymmetric
    lambda c: c.update(domain=dict(c["domain"], x=["-1", "1", True, False])),  # one end open
    lambda c: c.pop("even"),  # the leaves cover only the half
])
def test_tampered_even_certificates_are_refused(tamper, certified):
    cert = json.loads(json.dumps(certified("x**2*y + 2 >= 0", "-1<=x<=1, 1<=y<=2")))
    assert cert["even"] == ["x"]
    tamper(cert)
    assert not recheck_certificate(cert)


def test_what_is_not_even_is_not_halved():
    d = Domain.parse("-1<=x<=1, -2<=y<=2")
    assert even_variables(x**3 + y**2, [], d) == [y]
    assert even_variables(sp.sin(x) * y, [], d) == []  # odd in each, even in the pair only
    assert even_variables(x**2, [sp.log(x + 2)], d) == []  # a typed sub-term is not even
    assert even_variables(x**2, [], Domain.parse("-1<=x<1")) == []
    assert mirrored(d, [x, y]).to_dict() == {"x": ["0", "1", False, False],
                                             "y": ["0", "2", False, False]}


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(-3, 3), min_size=1, max_size=6), st.integers(1, 5),
       st.fractions(-2, 2))
def test_only_margins_that_are_even_are_halved(coefficients, a, at):
    """A polynomial (under |·| and cos too) is halved in x only where its value at -x is its
    value at x (exact arithmetic at a random point)."""
    g = sum(c * x**k for k, c in enumerate(coefficients)) + sp.cos(x) + sp.Abs(x**3 - x)
    d = Domain.parse(f"-{a}<=x<={a}")
    point = sp.Rational(at.numerator, at.denominator)
    if even_variables(g, [], d):
        assert sp.simplify(g.xreplace({x: point}) - g.xreplace({x: -point})) == 0
