"""The leaf rule ``convex in v about w`` (fptheory.verify.tangent): a statement tight all
along v = w and convex in v only near it is certified with the rule's leaves, and the
re-check replays them; a tampered or shifted certificate is refused; the judgement refuses a
slope that does not vanish at w, a margin concave in v, a kink, and a w that reaches an
excluded end of v; and wherever it closes a box, the margin is ≥ 0 at exact points of that
box (an independent check with sympy, over random margins)."""

import copy
from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fptheory.verify import prove
from fptheory.verify.certificates import recheck_certificate
from fptheory.verify.claims import Verdict
from fptheory.verify.search import PROVED, Problem, decide
from fptheory.verify.tangent import convex_about, tangent_pairs, without_even_abs

P, Q = sp.symbols("p q", real=True)
HALF = sp.Rational(1, 2)
# Tsybakov, Introduction to Nonparametric Estimation, Lemma 2.7: KL ≤ log(1 + χ²), here for
# two-point distributions; tight along p = q, where the margin is convex in p only nearby
KL_CHI = ("p*log(p/q) + (1-p)*log((1-p)/(1-q)) <= log(1 + (p-q)**2/q + ((1-p)-(1-q))**2/(1-q))",
          "1/10<=p<=9/10, 1/10<=q<=9/10")


def _problem(g, strict=False, excluded=None):
    return Problem(g, strict, [P, Q], 30, float("inf"), 1000, excluded=dict(excluded or {}))


def test_the_quick_test_samples_the_box_and_spares_the_exact_check(monkeypatch):
    """A margin real only on its box (√ of p + q − 4, p, q ∈ [2, 5/2]): the quick test
    samples the slope inside the box, where it is plainly not 0, so no exact check runs
    (outside the box it is nowhere real, and an exact check per pair once cost a Flyspeck
    dihedral bound its whole minute); a slope identically 0 at p = q still passes."""
    from fptheory.verify import tangent

    calls = []
    real = tangent.exactly_equal
    monkeypatch.setattr(tangent, "exactly_equal", lambda *a: calls.append(a) or real(*a))
    two = [(sp.Integer(2), sp.Rational(5, 2))] * 2
    rooted = sp.sqrt(P + Q - 4) * (P - 2 * Q) ** 3 + P
    assert tangent_pairs(_problem(rooted), rooted, two) == []
    assert calls == []
    tight = sp.sqrt(P + Q - 3) * (P - Q) ** 2
    assert tangent_pairs(_problem(tight), tight, two) == [(0, 1), (1, 0)]
    nowhere = sp.sqrt(P - 4) * (P - Q) ** 2  # real at none of the sample points
    assert not tangent._slope_near_zero_at_samples(_problem(nowhere), nowhere, 0, 1, {})


@pytest.fixture(scope="module")
def kl_chi_certificate():
    r = prove(*KL_CHI, time_limit=120, max_boxes=10**6)
    assert r.verdict is Verdict.CERTIFIED, r.reason
    return r.certificate()


def test_a_bound_tight_along_the_diagonal_is_certified_with_the_rules_leaves(kl_chi_certificate):
    rules = [leaf["rule"] for leaf in kl_chi_certificate["leaves"]]
    assert any(rule in ("convex in p about q", "convex in q about p") for rule in rules), rules
    check = recheck_certificate(kl_chi_certificate)
    assert check, check.reason


def test_a_shifted_statement_or_a_changed_rule_is_refused(kl_chi_certificate):
    shifted = copy.deepcopy(kl_chi_certificate)
    shifted["statement"] = shifted["statement"].replace("<=", "<= -1/10**6 +")
    shifted.pop("source", None)
    assert not recheck_certificate(shifted)
    changed = copy.deepcopy(kl_chi_certificate)
    leaf = next(leaf for leaf in changed["leaves"] if leaf["rule"].startswith("convex in"))
    for rule in ("convex in p about p", "convex in p about r", "convex in p about q → interval"):
        leaf["rule"] = rule
        check = recheck_certificate(changed)
        assert not check and "fails" in check.reason, rule


def test_the_judgement_refuses_what_the_argument_does_not_cover():
    box = [(sp.Rational(2, 5), HALF), (sp.Rational(9, 20), sp.Rational(11, 20))]
    g = P * sp.log(P / Q) + (1 - P) * sp.log((1 - P) / (1 - Q)) - 2 * (P - Q) ** 2
    assert convex_about(_problem(g), g, box, False, 0, 1, 0, decide, PROVED) == ""
    # the slope at p = q is 1/100, not 0
    tilted = g + (P - Q) / 100
    assert "slope" in convex_about(_problem(tilted), tilted, box, False, 0, 1, 0, decide, PROVED)
    # concave in p: -(p - q)² ≥ 0 is false off the diagonal
    concave = -(P - Q) ** 2
    assert "∂²" in convex_about(_problem(concave), concave, box, False, 0, 1, 0, decide, PROVED)
    # a kink: no pair at all
    kinked = sp.Abs(P - Q) * (P - Q) ** 2
    assert tangent_pairs(_problem(kinked), kinked) == []
    # strict and tight: 0 > 0 is not shown
    assert "not shown >" in convex_about(_problem(g, True), g, box, True, 0, 1, 0, decide, PROVED)


def test_w_may_not_reach_an_excluded_end_of_v_that_w_itself_reaches():
    """On p ∈ (0, 1], q ∈ [0, 1]: a box whose q-side reaches 0 would widen p's side to the
    excluded end 0, where q (which includes 0) puts the critical point."""
    g = (P - Q) ** 2
    box = [(sp.Rational(1, 8), sp.Rational(1, 4)), (sp.Integer(0), sp.Rational(1, 4))]
    problem = _problem(g, excluded={P: (sp.Integer(0), None)})
    assert "excluded end" in convex_about(problem, g, box, False, 0, 1, 0, decide, PROVED)
    both = _problem(g, excluded={P: (sp.Integer(0), None), Q: (sp.Integer(0), None)})
    assert convex_about(both, g, box, False, 0, 1, 0, decide, PROVED) == ""
    # q's side reaching past p's excluded end 0: the widened p-side would hold it inside
    past = [(sp.Rational(1, 8), sp.Rational(1, 4)), (-sp.Rational(1, 4), sp.Rational(1, 4))]
    assert "past an excluded end" in convex_about(both, g, past, False, 0, 1, 0, decide, PROVED)


def test_even_powers_of_absolute_values_are_read_as_powers():
    u = sp.Symbol("u")  # (sympy leaves |u|⁴ as it is for a symbol not known real)
    assert without_even_abs(sp.Abs(u) ** 4 + sp.Abs(u) ** 3) == u**4 + sp.Abs(u) ** 3


FRACTIONS = st.fractions(min_value=Fraction(-2), max_value=Fraction(2), max_denominator=8)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(a=FRACTIONS, b=FRACTIONS, c=FRACTIONS, k=st.sampled_from([0, 1, 2]),
       lo=st.fractions(min_value=Fraction(-1), max_value=Fraction(1), max_denominator=4),
       width=st.fractions(min_value=Fraction(1, 8), max_value=Fraction(1), max_denominator=8))
def test_wherever_the_rule_closes_a_box_the_margin_is_nonnegative_there(a, b, c, k, lo, width):
    """g = (p − q)²·(a + b·q + c·(p − q)) + k·(p − q)⁴ on a box along the diagonal: where the
    judgement closes the box, g ≥ 0 at 49 exact points of it (sympy, exactly)."""
    a, b, c = (sp.Rational(t.numerator, t.denominator) for t in (a, b, c))
    g = (P - Q) ** 2 * (a + b * Q + c * (P - Q)) + k * (P - Q) ** 4
    low, high = sp.Rational(lo.numerator, lo.denominator), \
        sp.Rational((lo + width).numerator, (lo + width).denominator)
    box = [(low, high), (low + (high - low) / 4, high + (high - low) / 4)]
    if convex_about(_problem(g), g, box, False, 0, 1, 0, decide, PROVED):
        return
    for s in range(7):
        for t in range(7):
            point = {P: box[0][0] + (box[0][1] - box[0][0]) * sp.Rational(s, 6),
                     Q: box[1][0] + (box[1][1] - box[1][0]) * sp.Rational(t, 6)}
            assert g.subs(point) >= 0, (g, box, point)
