"""The notebook displays (``_repr_latex_`` / ``_repr_markdown_``) of the results a researcher
looks at: they show the sympy objects as ``sympy.latex`` prints them, the verdicts and the
witnesses, and they are well-formed (balanced braces, math delimiters)."""

import re

import sympy as sp

from fptheory import ORDINARY, FourierConvention, fourier_transform
from fptheory.theory.measure import MeasureResult
from fptheory.verify import (
    Assessment,
    Evidence,
    Verdict,
    assess_identity,
    certify,
    claim,
    prove,
    proved,
    refuted,
    run_claim,
)
from fptheory.verify.identity import IdentityResult

x = sp.Symbol("x", real=True)
k = sp.Symbol("k", real=True)


def _balanced(latex: str) -> bool:
    """Braces balance (escaped ones aside) and every \\left has its \\right."""
    bare = latex.replace(r"\{", "").replace(r"\}", "")
    depth = 0
    for ch in bare:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0 and latex.count(r"\left") == latex.count(r"\right")


def _display_math(latex: str) -> str:
    assert latex.startswith("$$") and latex.endswith("$$") and latex.count("$$") == 2
    body = latex[2:-2]
    assert _balanced(body), latex
    return body


def _inline_math(markdown: str) -> list[str]:
    """The ``$...$`` spans of a Markdown text (escaped dollars aside), each balanced."""
    spans = re.findall(r"(?<!\\)\$(.+?)(?<!\\)\$", markdown)
    assert all(_balanced(s) for s in spans), spans
    return spans


# ---------------------------------------------------------------------------------------
# TransformResult


def test_transform_shows_sympys_latex_of_the_derived_transform():
    r = fourier_transform("exp(-x**2)", "x", ORDINARY)
    body = _display_math(r._repr_latex_())
    # an independent value: ∫ e^{-x²} e^{-2πikx} dx = √π e^{-π²k²}
    assert sp.latex(sp.sqrt(sp.pi) * sp.exp(-sp.pi**2 * k**2)) in body
    assert sp.latex(sp.exp(-x**2)) in body
    assert r"\text{ordinary convention}" in body
    assert "p.v." not in body  # no principal value for a Gaussian


def test_transform_shows_the_delta_terms_and_the_principal_value():
    r = fourier_transform("Heaviside(x)", "x", ORDINARY)
    body = _display_math(r._repr_latex_())
    assert r.singular == sp.DiracDelta(k) / 2
    assert sp.latex(r.regular + sp.DiracDelta(k) / 2) in body
    assert r"\text{p.v. at } k = 0" in body


def test_transform_in_an_unnamed_convention_shows_a_and_b():
    r = fourier_transform("exp(-x**2)", "x", FourierConvention(0, -2 * sp.pi))
    body = _display_math(r._repr_latex_())
    assert r"a = 0,\ b = " + sp.latex(-2 * sp.pi) in body
    assert sp.latex(sp.sqrt(sp.pi) * sp.exp(-sp.pi**2 * k**2)) in body


# ---------------------------------------------------------------------------------------
# Assessment and ClaimResult


def test_assessment_shows_statement_verdict_and_the_checked_relation():
    a = assess_identity(sp.sin(2 * x), 2 * sp.sin(x) * sp.cos(x), r"\sin 2x = 2\sin x\cos x")
    body = _display_math(a._repr_latex_())
    assert body.startswith(r"\begin{gathered}\sin 2x = 2\sin x\cos x")
    assert r"\textbf{proved}" in body
    assert sp.latex(sp.Eq(sp.sin(2 * x), 2 * sp.sin(x) * sp.cos(x), evaluate=False)) in body


def test_assessment_without_a_relation_is_one_line():
    a = Assessment(r"\tfrac{2}{\pi}x \le \sin x", Verdict.CERTIFIED, [Evidence("certified", "boxes")])
    assert a._repr_latex_() == r"$$\tfrac{2}{\pi}x \le \sin x \qquad \textbf{certified}$$"


def test_claim_result_shows_both_forms_their_verdicts_and_the_note():
    @claim("my-gauss", "F[exp(-x²)] = √π exp(-k²/4) *as printed*", note="angular, not ordinary")
    def gaussian():
        f = fourier_transform(sp.exp(-x**2), x, ORDINARY).regular
        text = assess_identity(f, sp.sqrt(sp.pi) * sp.exp(-k**2 / 4), r"\hat f = \sqrt\pi e^{-k^2/4}")
        fixed = assess_identity(f, sp.sqrt(sp.pi) * sp.exp(-sp.pi**2 * k**2),
                                r"\hat f = \sqrt\pi e^{-\pi^2k^2}")
        return text, fixed

    md = run_claim(gaussian)._repr_markdown_()
    assert md.splitlines()[0] == r"**(my-gauss) F\[exp(-x²)\] = √π exp(-k²/4) \*as printed\*** — holds"
    assert r"- the text: $\hat f = \sqrt\pi e^{-k^2/4}$ — **refuted**: counterexample at k=7/10" in md
    assert r"- corrected: $\hat f = \sqrt\pi e^{-\pi^2k^2}$ — **proved**" in md
    assert md.endswith("- note: angular, not ordinary")
    assert _inline_math(md) == [r"\hat f = \sqrt\pi e^{-k^2/4}", r"\hat f = \sqrt\pi e^{-\pi^2k^2}"]


def test_claim_result_states_sampled_and_not_established():
    @claim("s", "sampled as declared", expected="sampled")
    def sampled():
        return Assessment("a", Verdict.SAMPLED, [Evidence("numeric", "3 points")])

    @claim("r", "refuted")
    def wrong():
        return refuted("1 = 2", "differ", {"x": 0}, 1, 2)

    @claim("p", "escapes $ and _ in prose")
    def prose():
        return proved("a = a", "cost: $5_000")

    assert run_claim(sampled)._repr_markdown_().splitlines()[0].endswith("— sampled as declared")
    assert run_claim(wrong)._repr_markdown_().splitlines()[0].endswith("— not established")
    md = run_claim(prose)._repr_markdown_()
    assert r"escapes \$ and \_ in prose" in md and r"cost: \$5\_000" in md
    assert _inline_math(md) == ["a = a"]


# ---------------------------------------------------------------------------------------
# CertifyResult and IdentityResult


def test_certified_result_shows_statement_domain_and_evidence():
    r = certify("2*x/pi <= sin(x)", "0 <= x <= pi/2")
    md = r._repr_markdown_()
    assert md.startswith("**certified**: ")
    assert _inline_math(md) == [sp.latex(2 * x / sp.pi <= sp.sin(x)),
                                r"x \in " + sp.latex(sp.Interval(0, sp.pi / 2))]
    assert "leaf boxes cover the domain" in md


def test_refuted_result_shows_the_exact_witness():
    r = prove("x*log(x) >= -0.36", "0 < x <= 1")
    md = r._repr_markdown_()
    assert md.startswith("**refuted**: ")
    assert r.counterexample_exact == {"x": "161391/524288"}
    assert "counterexample, exact: $x = " + sp.latex(sp.Rational(161391, 524288)) + "$" in md
    assert sp.latex(sp.Interval.Lopen(0, 1)) in md


def test_result_typed_as_text_shows_the_text_when_sympy_changed_it():
    r = certify("sqrt(x)**2 >= -1", "-1 <= x <= 1")
    md = r._repr_markdown_()
    assert "(typed as `sqrt(x)**2 >= -1`)" in md
    assert sp.latex(x >= -1) in _inline_math(md)
    assert "$x = -1$" in md and "not defined there" in md


def test_result_with_relations_and_an_unbounded_side():
    r = certify("log(1+u2) - log(1+u1) <= u2 - u1", "0<u1<u2")
    md = r._repr_markdown_()
    u1, u2 = sp.symbols("u1 u2", real=True)
    spans = _inline_math(md)
    # u2's own bounds are the whole line; the relation u1 < u2 bounds it
    assert spans[1] == r",\ ".join([r"u_{1} \in " + sp.latex(sp.Interval.open(0, sp.oo)),
                                    r"u_{2} \in " + sp.latex(sp.Interval.open(-sp.oo, sp.oo)),
                                    sp.latex(u1 < u2)])
    assert md.startswith("**certified**")


def test_unknown_result_shows_its_reason():
    r = prove("x*y <= exp(x) + y*(log(y) - 1)", "-2 <= x <= 2, 1/10 <= y <= 5", max_boxes=10)
    md = r._repr_markdown_()
    # (10 boxes, or 5 in each half where the search forked into two processes)
    assert md.startswith("**unknown**") and re.search(r"box budget of (10|5) exhausted", md)


def test_identity_result_shows_the_identity_and_the_witness():
    md = prove("sqrt(x**2) == Abs(x)", "x real")._repr_markdown_()
    assert md.splitlines()[0] == "**proved**: $" + sp.latex(
        sp.Eq(sp.sqrt(x**2), sp.Abs(x), evaluate=False)) + "$"
    assert "3 sign cases" in md
    md = prove("x/x == 1", "-1 <= x <= 1")._repr_markdown_()
    assert md.startswith("**refuted**") and md.endswith("counterexample, exact: $x = 0$")


def test_identity_result_that_does_not_parse_is_shown_as_code():
    md = IdentityResult("Eq(x, ", Verdict.UNKNOWN, "reason")._repr_markdown_()
    assert md.startswith("**unknown**: `Eq(x, `")


# ---------------------------------------------------------------------------------------
# MeasureResult


def test_measure_result_is_a_markdown_table_row():
    result = MeasureResult(0.1, 2.5604e-9, 2.3509e-9, 2.77e-9, "rare", 1664, log10_failure=-8.59)
    md = result._repr_markdown_()
    header, rule, row = md.splitlines()
    assert header == "| δ | 1 − ratio | 95 % interval | method | samples |"
    assert rule == "|---|---|---|---|---|"
    assert row == "| 0.1 | 2.5604e-09 | [2.351e-09, 2.77e-09] | rare | 1664 |"


def test_measure_result_below_float_range_shows_the_power_of_ten():
    md = MeasureResult(0.01, 0.0, 0.0, 0.0, "rare", 100, log10_failure=-400.25)._repr_markdown_()
    assert "| $10^{-400.2500}$ |" in md
