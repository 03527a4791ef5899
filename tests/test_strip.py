"""Both sides under one increasing function (fptheory.verify.strip): certified without it,
with both sides kept as sub-terms that must be defined; re-checked; a record that does not
match the statement is refused; even powers and decreasing functions are not stripped."""

import json

import pytest
import sympy as sp

from fptheory.verify import prove
from fptheory.verify.certificates import recheck_certificate
from fptheory.verify.claims import Verdict
from fptheory.verify.strip import strip_sides

X, Y = sp.symbols("x y", real=True)


@pytest.mark.parametrize("statement, domain", [
    ("exp(x) > exp(x*y/(x + y))", "0<x, 0<y"),  # MetiTarski's two-variable problem
    ("sqrt(x) <= sqrt(x + 1)", "0<=x<=5"),
    ("log(x) < log(x + 1)", "0<x<=3"),
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
