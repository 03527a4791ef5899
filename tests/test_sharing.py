"""Shared sub-terms (fptheory.verify.sharing): counted over the shared graph, evaluated once
per call, and the compiled enclosures unchanged by the sharing (compared with mpmath)."""

import mpmath
import sympy as sp
from flint import arb

from fptheory.verify.backends import ARB, compile_balls
from fptheory.verify.sharing import CallMemo, occurrence_counts

x, y = sp.symbols("x y", real=True)


def test_counts_are_the_edges_of_the_shared_graph():
    e = sp.diff(sp.atan(x / sp.sqrt(1 + x * y)), x, 3)
    counts = occurrence_counts(e)
    assert sum(counts.values()) == 1 + sum(len(n.args) for n in counts)  # root + edges
    assert len(counts) < sum(1 for _ in sp.preorder_traversal(e)) / 3   # few distinct nodes


def test_a_shared_closure_runs_once_per_call_and_again_on_the_next():
    memo, calls = CallMemo(), []

    def leaf(v):
        calls.append(v)
        return v * 2
    shared = memo.shared(leaf)
    top = memo.calls(lambda v: shared(v) + shared(v) + memo.calls(shared)(v))
    assert top(3) == 18
    assert len(calls) == 2      # once in the outer call, once in the nested one
    assert shared(5) == 10 and len(calls) == 3  # outside a call: plain evaluation


def test_compiled_enclosures_of_a_derivative_hold_the_true_values():
    e = sp.diff(sp.exp(sp.sin(x * y)) / (2 + sp.cos(x + y)), x, 2, y, 1)
    fn = compile_balls(e, [x, y], ARB, checked=True)
    f = sp.lambdify((x, y), e, "mpmath")
    for a, b in [(sp.Rational(1, 3), sp.Rational(-2, 7)), (sp.Rational(5, 4), sp.Rational(3, 2))]:
        ball = fn([arb(int(a.p)) / int(a.q), arb(int(b.p)) / int(b.q)])
        with mpmath.workdps(40):
            value = f(mpmath.mpf(a.p) / a.q, mpmath.mpf(b.p) / b.q)
        assert abs(float(ball.mid()) - float(value)) <= float(ball.rad()) + 1e-12
        assert ball.rad() < 1e-10
