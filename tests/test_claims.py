"""Verdicts of assess_identity and the claim runner."""

import pytest
import sympy as sp

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
