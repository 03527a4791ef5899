"""Verdicts of assess_identity and the claim runner."""

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from fptheory.core.signs import sign_sensitive_symbols
from fptheory.verify.claims import (
    Assessment,
    ClaimResult,
    Evidence,
    Verdict,
    assess_identity,
    claim,
    proved,
    refuted,
    run_claim,
    unknown,
)

x, w = sp.symbols("x w", real=True)


def test_identity_with_abs_needs_sign_cases():
    """|w|·sign(w) = w only simplifies once the sign of w is known."""
    a = assess_identity(sp.Abs(w) * sp.sign(w), w, "|w| sgn w = w")
    assert a.verdict is Verdict.PROVED
    assert "3 sign cases" in a.evidence[0].text  # < 0, = 0, > 0


def test_symbols_whose_sign_cannot_matter_are_left_symbolic_but_still_tried_at_zero():
    """a enters only polynomially and through exp: not split by sign, but a = 0 is a case."""
    a_ = sp.Symbol("a", real=True)
    proved_ = assess_identity(a_ * sp.exp(sp.I * a_ * w) * sp.Abs(w) * sp.sign(w),
                              a_ * sp.exp(sp.I * a_ * w) * w, "blind a")
    assert proved_.verdict is Verdict.PROVED
    assert "6 sign cases" in proved_.evidence[0].text and "left symbolic for a" in proved_.evidence[0].text
    # (a² + a w)/a = a + w cancels for a ≠ 0, but the left side is undefined at a = 0
    cancelled = assess_identity((a_**2 + a_ * w) / a_, a_ + w, "(a² + a w)/a = a + w")
    assert cancelled.verdict is not Verdict.PROVED


def test_a_zero_case_sees_a_side_undefined_behind_a_vanishing_factor():
    """At w = 0 both sides of E₀'s identity are undefined; sympy turns sgn(0)·csch(πk/0) into
    0 for a symbolic k, so the symbols left symbolic are positive in a zero case."""
    a_, k = sp.symbols("A k", real=True)
    lhs = a_ / (2 * sp.sinh(sp.pi * k / (2 * sp.Abs(w))))
    rhs = a_ * sp.sign(w) * sp.csch(sp.pi * k / (2 * w)) / 2
    assert assess_identity(lhs, rhs, "E0 = A sgn(w) csch/2").verdict is Verdict.PROVED


def test_false_identity_gives_a_30_digit_counterexample():
    a = assess_identity(sp.sin(x), x, "sin x = x")
    assert a.verdict is Verdict.REFUTED
    point = {sp.Symbol(k, real=True): sp.Rational(v) for k, v in a.counterexample["point"].items()}
    lhs = sp.N(sp.sin(x).subs(point), 40)
    assert abs(sp.Float(a.counterexample["lhs"], 35) - lhs) < 1e-28
    assert len(a.counterexample["lhs"].replace("-", "").replace(".", "")) >= 30


def test_identity_sympy_cannot_simplify_is_only_sampled():
    """Euler's dilogarithm reflection: true, but sympy does not simplify it, so only sampled."""
    lhs = sp.polylog(2, x) + sp.polylog(2, 1 - x)
    rhs = sp.pi**2 / 6 - sp.log(x) * sp.log(1 - x)
    a = assess_identity(lhs, rhs, "Li2 reflection", samples={x: [sp.Rational(1, 3), sp.Rational(2, 5)]})
    assert a.verdict is Verdict.SAMPLED
    assert a.evidence[0].data["points"] == 2
    wrong = assess_identity(lhs, rhs + sp.Rational(1, 10**20), "off by 1e-20",
                            samples={x: [sp.Rational(1, 3)]})
    assert wrong.verdict is Verdict.REFUTED


def test_run_claim_turns_exceptions_into_unknown_and_keeps_errata():
    @claim("9.9", "broken check")
    def broken():
        raise ZeroDivisionError("boom")

    @claim("9.8", "erratum")
    def erratum():
        text = assess_identity(sp.Integer(2), sp.Integer(3), "2 = 3")
        return text, proved("2 = 2", "trivial")

    r = run_claim(broken)
    assert isinstance(r, ClaimResult) and r.text.verdict is Verdict.UNKNOWN and not r.holds
    assert "ZeroDivisionError" in r.text.evidence[0].text
    e = run_claim(erratum)
    assert e.is_erratum and e.holds and e.text.verdict is Verdict.REFUTED


def test_counterexample_digits_are_full_precision_for_negative_imaginary_parts():
    """All 30 printed digits are right, also for a negative imaginary part (no float rounding)."""
    k = sp.Symbol("k", real=True)
    lhs = -sp.I * sp.pi * sp.exp(5 * sp.I) / sp.sinh(k * sp.pi / 2)
    a = assess_identity(lhs, sp.Integer(0), "F = 0", samples={k: [5]})
    exact = sp.N(lhs.subs(k, 5), 40)
    re_text, im_text = a.counterexample["lhs"].split(" - ")
    assert abs(sp.Float(re_text, 35) - sp.re(exact)) < 1e-29 * abs(sp.re(exact))
    assert abs(-sp.Float(im_text.rstrip("*I"), 35) - sp.im(exact)) < 1e-29 * abs(sp.im(exact))


def _sampled() -> Assessment:
    return Assessment("s", Verdict.SAMPLED, [Evidence("numeric", "1000 points")])


def test_a_claim_declared_sampled_is_established_by_a_sampled_verdict_but_never_holds():
    declared = run_claim(claim("S", "sampled by design", expected="sampled")(_sampled))
    assert declared.established and not declared.holds
    assert declared.to_dict()["expected"] == "sampled"
    plain = run_claim(claim("P", "must be proved")(_sampled))
    assert not plain.established and not plain.holds


def test_a_claim_declared_sampled_still_fails_when_refuted_or_unknown():
    refuted_claim = claim("R", "x", expected="sampled")(
        lambda: refuted("s", "counterexample", {"x": 1}, 0, 1))
    assert not run_claim(refuted_claim).established
    assert not run_claim(claim("U", "x", expected="sampled")(lambda: unknown("s", "why"))).established


def test_claim_rejects_an_unknown_expected_strength():
    with pytest.raises(ValueError):
        claim("X", "x", expected="certain")


_ATOMS = [lambda s: s, lambda s: sp.Abs(s), lambda s: sp.sign(s), lambda s: sp.exp(s),
          lambda s: sp.sinh(s), lambda s: sp.sqrt(s**2), lambda s: s**2, lambda s: 1 / s,
          lambda s: sp.Heaviside(s), lambda s: sp.cos(s)]


@settings(max_examples=60, deadline=None)
@given(left=st.lists(st.tuples(st.sampled_from(range(len(_ATOMS))), st.sampled_from([0, 1]),
                               st.integers(-2, 2)), min_size=1, max_size=3),
       swap=st.sampled_from(range(len(_ATOMS))))
def test_a_proved_identity_holds_at_every_sample_point_of_both_signs_and_zero(left, swap):
    """Hostile pairs: a sum of atoms in a or w against the same sum with one atom swapped
    (|s| for s, √(s²) for s², ...). Whatever the case split leaves symbolic, a `proved`
    verdict must agree with exact evaluation at negative, zero and positive points."""
    a_ = sp.Symbol("a", real=True)
    syms = (a_, w)
    lhs = sum(c * _ATOMS[i](syms[j]) for i, j, c in left)
    i0, j0, c0 = left[0]
    rhs = lhs - c0 * _ATOMS[i0](syms[j0]) + c0 * _ATOMS[swap](syms[j0])
    verdict = assess_identity(lhs, rhs, "hostile").verdict
    if verdict is not Verdict.PROVED:
        return
    for va in (-2, 0, sp.Rational(3, 2)):
        for vw in (-sp.Rational(1, 3), 0, 5):
            at = {a_: va, w: vw}
            lv, rv = lhs.subs(at), rhs.subs(at)
            if lv.has(sp.nan, sp.zoo) or rv.has(sp.nan, sp.zoo):
                continue
            assert sp.simplify(lv - rv) == 0, (lhs, rhs, at)


def test_sign_sensitive_symbols_are_those_under_abs_sign_roots_and_piecewise():
    a_, k = sp.symbols("a k", real=True)
    assert sign_sensitive_symbols(a_ * sp.exp(sp.I * k * w) * sp.csch(k) + a_**3 / w) == set()
    assert sign_sensitive_symbols(sp.Abs(w) + a_) == {w}
    assert sign_sensitive_symbols(sp.Piecewise((a_, k > 0), (0, True))) == {a_, k}
    assert sign_sensitive_symbols(w ** sp.Rational(1, 3) + k**a_) == {w, k, a_}
    assert sign_sensitive_symbols(sp.log(k) * a_) == {k}
