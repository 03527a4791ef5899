"""Obligations: the typed sub-terms, and the leaf check that skips those the margin's own
walk already covers (fptheory.verify.obligations)."""

from __future__ import annotations

import cmath

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from fptheory.verify import prove
from fptheory.verify.claims import Verdict
from fptheory.verify.obligations import _nodes, _within, obligations

x, y = sp.symbols("x y", real=True)
#: sub-terms each defined only on part of the plane
POOL = [sp.sqrt(x), 1 / sp.sqrt(x + y), sp.log(y), 1 / (x - y), sp.asin(x / 2),
        (x + 2)**sp.Rational(1, 3), sp.sqrt(1 - x**2 - y**2), 1 / sp.log(x**2 + 1)]


def _defined_at(e: sp.Expr, point: dict) -> bool:
    """Every node of e is a finite real number at the exact point (sympy, then 30 digits)."""
    for node in sp.preorder_traversal(e):
        value = node.xreplace(point)
        if value.has(sp.zoo, sp.nan, sp.oo, -sp.oo, sp.I):
            return False
        z = complex(sp.N(value, 30))
        if not (cmath.isfinite(z) and abs(z.imag) <= 1e-25 * (1 + abs(z.real))):
            return False
    return True


@st.composite
def _margin_and_duty(draw: st.DrawFn) -> tuple[sp.Expr, sp.Expr]:
    chosen = draw(st.lists(st.sampled_from(POOL), min_size=1, max_size=4, unique=True))
    g = sum(c * t for c, t in zip(draw(st.lists(st.integers(1, 3), min_size=len(chosen),
                                                 max_size=len(chosen))), chosen, strict=True))
    kind = draw(st.sampled_from(["node", "absent", "product", "power", "other"]))
    if kind == "node":
        d = draw(st.sampled_from(POOL))
    elif kind == "absent":
        d = draw(st.sampled_from([t for t in POOL if t not in chosen]))
    elif kind == "product":
        d = 2 * draw(st.sampled_from(POOL)) * draw(st.sampled_from([x, y, 1 + x**2]))
    elif kind == "power":
        base = draw(st.sampled_from([x, x + y, y, 1 - x**2 - y**2]))
        d = base ** draw(st.sampled_from([sp.Rational(1, 2), sp.Rational(3, 2), 2,
                                          sp.Rational(1, 3)]))
    else:
        d = draw(st.sampled_from(POOL)) + draw(st.sampled_from(POOL))
    return g, d


@settings(max_examples=200, deadline=None)
@given(_margin_and_duty(), st.lists(st.tuples(st.fractions(-2, 2, max_denominator=8),
                                              st.fractions(-2, 2, max_denominator=8)),
                                    min_size=12, max_size=12))
def test_a_duty_within_the_margin_is_defined_wherever_the_margin_is(pair, points):
    """Whenever _within says a duty is built from the margin's nodes, it is defined at every
    exact point where every node of the margin is (checked by sympy at the point)."""
    g, d = pair
    if not _within(d, _nodes(g)):
        return
    for px, py in points:
        point = {x: sp.Rational(px.numerator, px.denominator),
                 y: sp.Rational(py.numerator, py.denominator)}
        if _defined_at(g, point):
            assert _defined_at(d, point), (g, d, point)


def test_a_root_is_within_the_margin_only_beside_its_reciprocal():
    """√(x+y) is defined where 1/√(x+y) is; √x is not covered by x alone, nor by 1/√(x+y)."""
    g = 1 / sp.sqrt(x + y) + x
    assert _within(2 * sp.sqrt(x + y), _nodes(g))
    assert not _within(sp.sqrt(x), _nodes(g))
    assert not _within(sp.sqrt(x + y) + sp.log(x), _nodes(g))


@pytest.mark.parametrize("statement, domain", [
    ("sqrt(x)**2 >= -1", "-1<=x<=1"),  # the duty √x is no node of the margin x + 1
    ("x/x <= 1", "-1<=x<=1"),
])
def test_a_duty_the_margin_dropped_is_still_walked(statement, domain):
    assert obligations(statement)
    assert prove(statement, domain, time_limit=30).verdict is Verdict.REFUTED


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(POOL), min_size=1, max_size=3, unique=True),
       st.lists(st.fractions(-2, 2, max_denominator=4), min_size=2, max_size=2),
       st.lists(st.fractions(0, 2, max_denominator=4), min_size=2, max_size=2),
       st.lists(st.tuples(st.fractions(0, 1, max_denominator=8), st.fractions(0, 1, max_denominator=8)),
                min_size=6, max_size=6))
def test_where_a_taylor_model_passed_the_margin_is_defined(terms, starts, widths, shares):
    """A leaf closed by the second- or third-order model counts the margin as defined on its
    box where that model passed (its guards): then every node is defined at each point."""
    from fptheory.verify.kernel import Kernel
    g = sum(terms)
    box = [(sp.Rational(s), sp.Rational(s + w)) for s, w in zip(starts, widths, strict=True)]
    if Kernel([x, y]).affine_low(g, box, taylor=True) is None:
        return
    for a, b in shares + [(0, 0), (1, 1), (0, 1), (1, 0)]:
        point = {x: box[0][0] + sp.Rational(a) * (box[0][1] - box[0][0]),
                 y: box[1][0] + sp.Rational(b) * (box[1][1] - box[1][0])}
        assert _defined_at(g, point), (g, box, point)
