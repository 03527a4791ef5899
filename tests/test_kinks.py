"""Abs, Max and Min resolved into cases (fptheory.verify.kinks): the multipliers of the
every-case rule (an S-procedure: s_k − λ_k·c_k closed on the whole box), proposed by a
heuristic and admitted only by the kernel's judgements, replayed by recheck, and refused
when tampered with; the chain of settled cases taken in one step."""

import json
from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from fptheory.verify import prove
from fptheory.verify.certificates import _check_every_case, recheck_certificate
from fptheory.verify.claims import Verdict
from fptheory.verify.kinks import kink_cases, multipliers, resolve, settled_kinks, with_multipliers
from fptheory.verify.search import PROVED, Problem, decide

X, Y = sp.symbols("x y", real=True)
AIME_1983_2 = ("Abs(x - p) + Abs(x - 15) + Abs(x - p - 15) >= 15", "0<p<15, 0<=x<=15")

small = st.integers(-6, 6)


@settings(max_examples=60, deadline=None)
@given(a=small, b=small, c=small, d=small, e=small, lam=st.fractions(0, 5),
       point=st.tuples(st.fractions(-3, 3), st.fractions(-3, 3)))
def test_a_shifted_case_is_below_the_expression_where_its_case_holds(a, b, c, d, e, lam, point):
    """Where c_k ≥ 0 the node equals case k's replacement, so expr − (s_k − λ·c_k) = λ·c_k
    ≥ 0 there: the rule's soundness, pointwise, in exact rationals."""
    u = a * X + b * Y + c
    node = sp.Abs(u)
    expr = node + d * X - e * Y * Y + 1
    if not isinstance(node, sp.Abs):  # (u a constant: sympy evaluated |u|)
        return
    cases = kink_cases(node)
    smoother = [resolve(expr, node, r) for _, r in cases]
    at = {X: sp.Rational(point[0].numerator, point[0].denominator),
          Y: sp.Rational(point[1].numerator, point[1].denominator)}
    shifted = with_multipliers(cases, smoother, [sp.Rational(lam.numerator, lam.denominator)] * 2)
    for ((condition,), _), s in zip(cases, shifted, strict=True):
        if condition.xreplace(at) >= 0:
            assert expr.xreplace(at) - s.xreplace(at) >= 0


def test_multipliers_need_one_condition_per_case_and_nonnegative_rationals():
    cases = kink_cases(sp.Abs(X - Y))
    smoother = [resolve(sp.Abs(X - Y), sp.Abs(X - Y), r) for _, r in cases]
    for bad in ([sp.Integer(-1), sp.Integer(0)], [sp.Integer(1)], [sp.Float(0.5), sp.Integer(0)]):
        with pytest.raises(ValueError):
            with_multipliers(cases, smoother, bad)
    three = kink_cases(sp.Max(X, Y, 1))
    assert multipliers(None, three, [X, Y, 1], [X, Y], [(0, 1), (0, 1)]) is None
    with pytest.raises(ValueError):
        with_multipliers(three, [X, Y, sp.Integer(1)], [0, 0, 0])


def test_the_proposed_multiplier_flattens_a_piecewise_linear_minimum():
    """49 ≤ Σ|kx − 1| (AMC 2010/22, k ≤ 5 here): its minimum is at a kink, where neither case
    alone is ≥ 0 on a box around it; the proposal is the slope ratio that makes each shifted
    case flat, computed independently here from the slopes of the two sides."""
    from fptheory.verify.kernel import Kernel
    terms = [sp.Abs(k * X - 1) for k in range(1, 6)]
    f = sp.Add(*terms)
    # Σk·sign(kx − 1) changes sign at x = 1/4 (slopes −5 to +3), so the minimum is f(1/4)
    assert sp.diff(f, X).subs(X, sp.Rational(1, 5) + sp.Rational(1, 100)) < 0
    assert sp.diff(f, X).subs(X, sp.Rational(1, 4) + sp.Rational(1, 100)) > 0
    g = f - f.subs(X, sp.Rational(1, 4))
    node = sp.Abs(4 * X - 1)
    box = [(sp.Rational(1, 4) - sp.Rational(1, 64), sp.Rational(1, 4) + sp.Rational(1, 128))]
    others = {t: (-t.args[0] if k + 1 < 4 else t.args[0]) for k, t in enumerate(terms) if t != node}
    cases = kink_cases(node)
    smoother = [resolve(g, node, r).xreplace(others) for _, r in cases]
    lambdas = multipliers(Kernel([X]), cases, smoother, [X], box)
    right, left = 3, 5  # f's slopes right and left of 1/4, by hand: -1-2-3+4+5, -(-1-2-3-4+5)
    slopes = {sp.Integer(4): Fraction(right, 4), sp.Integer(-4): Fraction(left, 4)}
    assert lambdas == [sp.Rational(slopes[sp.diff(c, X)]) for (c,), _ in cases]
    for s in with_multipliers(cases, smoother, lambdas):
        assert sp.expand(s) == 0


def test_aime_1983_2_needs_the_multipliers_and_a_tampered_one_is_refused(certified):
    cert = certified(*AIME_1983_2)
    rules = [leaf["rule"] for leaf in cert["leaves"] if "with multipliers" in leaf["rule"]]
    assert rules, [leaf["rule"] for leaf in cert["leaves"]]
    leaf = next(n for n, leaf in enumerate(cert["leaves"]) if leaf["rule"] == rules[0])
    head = rules[0].index("with multipliers ") + len("with multipliers ")
    shown = rules[0][head:].split(" → ")[0]
    for tampered in ("0, 0", "9, 9", "5/2", "-5/2, 0", "1/0, 0"):
        bad = json.loads(json.dumps(cert))
        bad["leaves"][leaf]["rule"] = rules[0].replace(f"with multipliers {shown}",
                                                       f"with multipliers {tampered}", 1)
        assert not recheck_certificate(bad), tampered


def test_a_false_variant_of_aime_1983_2_is_refuted():
    r = prove("Abs(x - p) + Abs(x - 15) + Abs(x - p - 15) >= 15 + 1/1000", AIME_1983_2[1],
              time_limit=60)
    assert r.verdict is Verdict.REFUTED


def test_the_replay_refuses_multipliers_where_a_condition_is_not_defined():
    """|√x − 1| + 1 ≥ 0 holds wherever it is defined, and s_k − λ·c_k is closed on the box in
    each case only by walks that also show √x defined; on a box where it is not (x < 0)
    nothing is admitted, whatever the branches say."""
    g = sp.Abs(sp.sqrt(X) - 1) + 1
    p = Problem(g, False, [X], 30, float("inf"), 1000)
    box = [(sp.Integer(-1), sp.Integer(4))]
    why = _check_every_case(p, g, box, False, 0, "⟨interval⟩ ⟨interval⟩", 0, "0, 1")
    assert "defined" in why
    assert _check_every_case(p, g, [(sp.Integer(0), sp.Integer(3))], False, 0,
                             "⟨interval⟩ ⟨interval⟩", 0, "0, 0") == ""


def test_settled_cases_are_taken_in_one_chain_of_steps():
    """Σ|kx − 1| for k ≤ 6 on a box right of every kink: each node settled in its case
    kx − 1 ≥ 0, the steps named as the rule `kink i: case k → …` replays them."""
    g = sp.Add(*[sp.Abs(k * X - 1) for k in range(1, 7)]) - 15
    p = Problem(g, False, [X], 30, float("inf"), 1000)
    box = [(sp.Integer(2), sp.Integer(3))]
    steps, left = settled_kinks(p, g, box, 0, decide, PROVED)
    assert len(steps) == 6 and not left.has(sp.Abs)
    assert sp.expand(left - (21 * X - 21)) == 0
