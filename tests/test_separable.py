"""A margin that is a sum of one-variable parts (fptheory.verify.separable): certified one
variable at a time, re-checked from the record, and a hostile record refused."""

import json
import time

import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from fptheory.verify import Domain, prove, recheck_certificate
from fptheory.verify.claims import Verdict
from fptheory.verify.separable import separated_parts, separation_bounds

X, Y, Z = sp.symbols("x y z", real=True)
TANG = "(x**4 - 16*x**2 + 5*x + y**4 - 16*y**2 + 5*y + z**4 - 16*z**2 + 5*z)/2"
BOX = "-5<=x<=5, -5<=y<=5, -5<=z<=5"


def test_styblinski_tang_is_certified_as_three_one_variable_parts_and_rechecked():
    r = prove(f"{TANG} >= -117.4986", BOX, time_limit=60)  # least value -117.49850…
    assert r.verdict is Verdict.CERTIFIED and r.separated is not None
    assert [p["role"] for p in r.separated["pieces"]] == ["part x", "part y", "part z"]
    assert recheck_certificate(r.certificate()).valid
    # and the same bound raised past the least value is refuted, not separated
    assert prove(f"{TANG} >= -117.4984", BOX, time_limit=10).verdict is Verdict.REFUTED


def _tampered(certificate: dict, bound: str) -> dict:
    bad = json.loads(json.dumps(certificate))
    bad["separated"]["bounds"]["y"] = bound
    return bad


def test_a_hostile_separation_record_is_refused():
    r = prove(f"{TANG} >= -117.4986", BOX, time_limit=60)
    good = r.certificate()
    raised = str(sp.Rational(good["separated"]["bounds"]["y"]) + sp.Rational(1, 100))
    for bound in (raised, "__import__('os').system('true')", "1e999999999", "1/0", "1/00", "0.5"):
        start = time.perf_counter()
        verdict = recheck_certificate(_tampered(good, bound))
        assert not verdict.valid and time.perf_counter() - start < 30, bound
    extra = json.loads(json.dumps(good))
    extra["separated"]["bounds"]["x"] = "0"  # the first variable carries the constant
    assert not recheck_certificate(extra).valid
    other = json.loads(json.dumps(good))
    other["separated"]["pieces"] = other["separated"]["pieces"][::-1]
    assert not recheck_certificate(other).valid


def test_parts_need_every_term_to_read_one_variable():
    assert separated_parts(X**2 + sp.sin(Y) + 3, [X, Y]) == ({X: X**2, Y: sp.sin(Y)}, 3)
    # a numeric factor over a sum is distributed; a product of two variables is not a part
    parts, constant = separated_parts(sp.Rational(1, 2) * (X**2 + Y**2) - 1, [X, Y])
    assert parts == {X: X**2 / 2, Y: Y**2 / 2} and constant == -1
    assert separated_parts(X**2 + X * Y + Y**2, [X, Y]) is None
    assert separated_parts(X**2 + 1, [X, Y]) is None  # y has no part: nothing to split


def test_no_bounds_where_a_typed_sub_term_reads_two_variables_or_a_side_is_unbounded():
    dom = Domain.parse("0<x<=2, -1<=y<=1")
    statement = sp.Ge(X - sp.log(X) + Y**2, sp.Rational(1, 2))
    assert separation_bounds(statement, dom, []) is not None
    assert separation_bounds(statement, dom, [1 / (X + Y + 3)]) is None
    assert separation_bounds(statement, Domain.parse("0<x, -1<=y<=1"), []) is None


def _least(part: sp.Expr, v: sp.Symbol) -> sp.Expr:
    """The least value of a polynomial part on [-2, 2]: at its ends or its exact critical
    points (an independent computation: real roots of the derivative)."""
    points = [-2, 2, *(s for s in sp.Poly(sp.diff(part, v), v).real_roots() if -2 <= s <= 2)]
    return min((sp.N(part.subs(v, p), 40) for p in points), key=float)


@settings(max_examples=25, deadline=None)
@given(a=st.integers(-3, 3), b=st.integers(-3, 3),
       offset=st.sampled_from([-sp.Rational(1, 10), -sp.Rational(1, 10**4), sp.Rational(1, 10**4),
                               sp.Rational(1, 10)]))
def test_a_separable_bound_is_certified_exactly_when_it_holds(a, b, offset):
    """Property: the constant just below the least value (by 10⁻⁴ or 10⁻¹) is certified by
    parts; just above, refuted — never the other way round."""
    p, q = X**4 - 3 * X**2 + a * X, Y**4 - 2 * Y**2 + b * Y
    least = _least(p, X) + _least(q, Y)
    c = sp.Rational(sp.floor((least - offset) * 10**8), 10**8) if offset > 0 else \
        sp.Rational(sp.ceiling((least - offset) * 10**8), 10**8)
    r = prove(f"{sp.sstr(p + q)} >= {c}", "-2<=x<=2, -2<=y<=2", time_limit=20)
    assert r.verdict is (Verdict.CERTIFIED if offset > 0 else Verdict.REFUTED), (a, b, offset)
