"""Margins that read two variables only through their sum, difference or product
(fptheory.verify.combine): statements tight along a whole curve are certified in the one
combined variable and re-checked; u's side holds every value (exact points, open ends); a
combination that does not hold — a variable left over, a divisor that may be 0, a tampered
record — is refused; and no false statement is certified through it."""

import json
from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fptheory.verify import Domain, prove
from fptheory.verify.certificates import recheck_certificate
from fptheory.verify.claims import Verdict
from fptheory.verify.combine import (
    Combination,
    check_combination,
    combined_domain,
    find_combination,
)

X, Y = sp.symbols("x y", real=True)

AZIMUTH = ("atan((cos(b)*sin(c - d))/(cos(a)*sin(b) - sin(a)*cos(b)*cos(c - d)))",
           "0<=a<=2/5, 1/2<=b<=1, 0<=c<=314/100, -314/100<=d<=-1/2")


@pytest.mark.parametrize("statement, domain, kind", [
    ("x*y*exp(-x*y) <= exp(-1)", "x>0, y>0", "product"),  # tight along xy = 1
    ("exp(x + y) >= 1 + x + y", "-5<=x<=5, -5<=y<=5", "sum"),  # tight along x + y = 0
    # FPTaylor's azimuth reads the longitudes only through c - d; its maximum 1.2623134
    (f"{AZIMUTH[0]} <= 12623135/10**7", AZIMUTH[1], "difference"),
])
def test_statements_tight_along_a_curve_are_certified_in_the_combined_variable(
        statement, domain, kind, certified):
    cert = certified(statement, domain)
    assert cert["combination"]["kind"] == kind


@pytest.mark.parametrize("statement, domain", [
    ("x*y*exp(-x*y) <= exp(-1) - 1/10**9", "x>0, y>0"),
    ("exp(x + y) >= 1 + x + y + 1/10**6", "-5<=x<=5, -5<=y<=5"),
    (f"{AZIMUTH[0]} <= 12623133/10**7", AZIMUTH[1]),
])
def test_false_statements_with_a_combination_are_refuted(statement, domain):
    r = prove(statement, domain, time_limit=20)
    assert r.verdict is Verdict.REFUTED, r.reason


def test_a_combination_is_refused_where_it_does_not_hold():
    dom = Domain.parse("0<=x<=1, 0<=y<=1")
    # reads x on its own as well
    assert check_combination(sp.cos(X - Y) + X, [], dom, Combination("difference", X, Y))
    # a divisor that may be 0: x = 0 is in the domain
    assert check_combination(X * Y - 1, [], dom, Combination("product", X, Y))
    # a typed sub-term that still reads x
    assert check_combination(sp.cos(X - Y), [sp.sqrt(X)], dom, Combination("difference", X, Y))
    # the name of the new variable is taken
    taken = Domain.parse("0<=x<=1, 0<=y<=1, 0<=difference_x_y<=1")
    assert check_combination(sp.cos(X - Y), [], taken, Combination("difference", X, Y))
    assert find_combination(sp.exp(X) * sp.exp(Y) - X * Y, [], dom) is None


def _tamper(cert: dict, change) -> dict:
    bad = json.loads(json.dumps(cert))
    change(bad)
    return bad


@pytest.mark.parametrize("name, change", [
    ("kind", lambda c: c["combination"].__setitem__("kind", "sum")),
    ("pair swapped", lambda c: c["combination"].__setitem__("of", ["y", "x"])),
    ("unknown variable", lambda c: c["combination"].__setitem__("of", ["x", "z"])),
    ("extra key", lambda c: c["combination"].__setitem__("code", "print(1)")),
    ("no combination", lambda c: c.pop("combination")),
    ("domain widened", lambda c: c["domain"]["x"].__setitem__(1, "3")),
    ("statement made stronger", lambda c: c.__setitem__(
        "statement", "sin(x - y) <= x - y - 1/10**9")),
])
def test_a_tampered_combination_is_refused(name, change, certified):
    cert = certified("sin(x - y) <= x - y", "1<=x<=2, 0<=y<=1")
    assert cert["combination"] == {"kind": "difference", "of": ["x", "y"]}
    assert not recheck_certificate(_tamper(cert, change)), name


_SIDE = st.tuples(st.fractions(min_value=-3, max_value=3, max_denominator=4),
                  st.one_of(st.just(None), st.fractions(min_value=Fraction(1, 4), max_value=3,
                                                        max_denominator=4)),
                  st.booleans(), st.booleans())


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(["sum", "difference", "product"]), x_side=_SIDE, y_side=_SIDE)
def test_the_combined_side_holds_every_value(kind, x_side, y_side):
    """At exact points of the domain (corners and inner points), u lies in its side, and on
    an end of it only where that end is included."""
    intervals, opens = {}, {}
    for v, (lo, width, lo_open, hi_open) in ((X, x_side), (Y, y_side)):
        if kind == "product":
            lo = abs(lo)
            lo_open = lo_open or (v == X and lo == 0)
        hi = sp.oo if width is None else sp.Rational(lo + width)
        intervals[v], opens[v] = (sp.Rational(lo), hi), (lo_open, hi_open or hi == sp.oo)
    dom = Domain(intervals, opens)
    found = Combination(kind, X, Y)
    side = combined_domain(dom, found)
    u = found.variable
    (a, b), (a_open, b_open) = side.intervals[u], side.open_ends[u]

    def along(v):
        (lo, hi), (lo_open, hi_open) = intervals[v], opens[v]
        top = lo + 5 if hi == sp.oo else hi
        ts = [Fraction(k, 6) for k in range(7)]
        return [lo + (top - lo) * t for t in ts
                if not (t == 0 and lo_open) and not (t == 1 and hi_open)]
    for x in along(X):
        for y in along(Y):
            value = {"sum": x + y, "difference": x - y, "product": x * y}[kind]
            assert (a < value or (value == a and not a_open)) and \
                (b == sp.oo or value < b or (value == b and not b_open)), \
                (kind, dom.to_dict(), side.to_dict(), x, y)
