"""LaTeX rendering: escaping, formulas printed from their sympy objects, claims."""

import re

import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from fptheory.core.derivation import Derivation
from fptheory.report.latex import (
    SHORT_FORMULA,
    display,
    escape_text,
    is_math,
    math_unicode,
    render_assessment,
    render_claim,
    render_derivation,
    render_erratum,
    render_statement,
)
from fptheory.verify.claims import (
    Assessment,
    ClaimResult,
    Evidence,
    Verdict,
    assess_identity,
    proved,
    run_claim,
)

x = sp.Symbol("x", real=True)

SPECIALS = "\\{}$&#%_^~<>|"


def _unescaped(tex: str, ch: str) -> int:
    """Occurrences of ch not preceded by a backslash."""
    return len(re.findall(r"(?<!\\)" + re.escape(ch), tex))


def _balanced(tex: str) -> bool:
    depth = 0
    for m in re.finditer(r"(?<!\\)[{}]", tex):
        depth += 1 if m.group() == "{" else -1
        if depth < 0:
            return False
    return depth == 0


@pytest.mark.parametrize("ch", list(SPECIALS))
def test_every_special_character_is_escaped(ch):
    tex = escape_text(f"a {ch} b", scripts=False)
    assert _balanced(tex)
    for bad in "$&#%~":
        assert _unescaped(tex, bad) == 0
    assert ch not in "<>|" or ch not in tex  # OT1 would print ¡ ¿ — for <, >, |


@pytest.mark.parametrize("text, expected", [
    ("≤", r"\ensuremath{\le}"), ("π", r"\ensuremath{\pi}"), ("ξ", r"\ensuremath{\xi}"),
    ("δ", r"\ensuremath{\delta}"), ("‖", r"\ensuremath{\|}"), ("f̂", r"\ensuremath{\hat{f}}"),
    ("ĥ", r"\ensuremath{\hat{h}}"), ("x²", r"x\textsuperscript{2}"), ("§", r"\S{}"),
    ("50%", r"50\%"), ("a_j", r"a\textsubscript{j}"), ("w_{jk}", r"w\textsubscript{jk}"),
    ("e^{-ikx}", r"e\textsuperscript{-ikx}"), ("lfp_vs_nn.py", r"lfp\_vs\_nn.py"),
    ("ricker_chapter", r"ricker\_chapter"), ("--paper", "-{}-paper"),
])
def test_text_escapes(text, expected):
    assert escape_text(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("≤", r"{\le}"), ("πk", r"{\pi}k"), ("f̂(ξ)", r"{\hat{f}}({\xi})"), ("x²", "x^{2}"),
    ("≠", r"{\ne}"), (r"\frac{a}{b}", r"\frac{a}{b}"),
])
def test_math_unicode(text, expected):
    assert math_unicode(text) == expected


def test_unmapped_character_is_visible_not_dropped():
    assert r"[U+4E2D]" in escape_text("中")
    assert r"[U+4E2D]" in math_unicode("中")


TEXT = st.text(alphabet=st.sampled_from(list("ab xj1(){}[]/-+=.,'") + list(SPECIALS)
                                        + list("≤≥≠πξδθσ‖∞∂Σ²³→⇔·√ĥéf̂–—")), max_size=40)


@given(TEXT)
def test_escaped_text_is_ascii_and_tex_safe(text):
    tex = escape_text(text)
    assert tex.isascii()
    assert _balanced(tex)
    for bad in "$&#%~":
        assert _unescaped(tex, bad) == 0
    outside_math = re.sub(r"\\ensuremath\{(\\[a-z]+\{[^{}]*\}|[^{}])*\}", "", tex)
    assert "<" not in outside_math and ">" not in outside_math and "|" not in outside_math


def test_is_math():
    assert is_math(r"\hat\sigma(k) = 1")
    assert is_math("E_0 = A/2")
    assert not is_math("closed-form gradients")
    assert render_statement("same formula, ordinary kernel").startswith(r"\begin{quote}")
    assert render_statement(r"e^x \le 2").startswith(r"\[")


def test_a_short_formula_is_exactly_sympys_latex():
    e = sp.Eq(sp.exp(sp.I * x) / (1 + x**2), sp.sinh(x), evaluate=False)
    assert display(e) == r"\[ " + sp.latex(e) + r" \]"


def test_a_medium_formula_is_shrunk_not_altered():
    e = sum(sp.Symbol(f"a_{i}") * sp.sin(i * x) for i in range(1, 10))
    latex = sp.latex(e)
    assert SHORT_FORMULA < len(latex)
    assert display(e) == r"\[ \fitmath{" + latex + r"} \]"


def test_a_long_sum_is_broken_into_lines_without_losing_terms():
    e = sp.Eq(sp.Symbol("S"), sum(x**k / sp.factorial(k) for k in range(60)), evaluate=False)
    out = display(e)
    lines = re.findall(r"\\fitmath\{(.*)\}", out)
    assert len(lines) > 2
    joined = "".join(lines).replace(r"\qquad", "")
    assert re.sub(r"\s", "", joined) == re.sub(r"\s", "", sp.latex(e))


def test_assessment_renders_its_sympy_objects_and_verdict():
    a = assess_identity(sp.sin(x) ** 2 + sp.cos(x) ** 2, sp.Integer(1), r"\sin^2 + \cos^2 = 1")
    a.with_formula("a derived constant", sp.pi**2 / 6).with_derivation(_derivation())
    tex = render_assessment(a, "The text's claim")
    assert sp.latex(a.relation) in tex
    assert sp.latex(sp.pi**2 / 6) in tex
    assert r"\textbf{proved}" in tex
    assert r"\frac{d}{d\omega}" in tex  # the derivation step's equation
    assert "sympy simplifies" in tex


def _derivation() -> Derivation:
    d = Derivation()
    d.add("polynomial", "multiplication by x: F[x^n f](ω) = (i d/dω)^n F[f](ω)",
          r"\mathcal{F}[x f](\omega) = i\frac{d}{d\omega}\mathcal{F}[f](\omega)")
    return d


def test_derivation_steps_keep_their_equations():
    tex = render_derivation(_derivation())
    assert r"\item" in tex and r"\textsf{[polynomial]}" in tex
    assert r"\mathcal{F}[x f](\omega)" in tex
    assert r"\ensuremath{\omega}" in tex  # the sentence's ω, escaped


def test_erratum_shows_both_forms_the_counterexample_and_note():
    text = assess_identity(sp.exp(x), 1 + x, r"e^x = 1 + x", samples={x: [0, 1]})
    corrected = assess_identity(sp.exp(2 * x), sp.exp(x) ** 2, r"e^{2x} = (e^x)^2")
    r = ClaimResult("1.99", "a planted erratum with ≤ and π", text, corrected, note="loose ≤ 2π")
    tex = render_erratum(r)
    assert text.verdict is Verdict.REFUTED and r"\textbf{refuted}" in tex
    assert r"\textbf{proved}" in tex
    assert "counterexample" in tex and "left side" in tex and "right side" in tex
    assert text.counterexample["lhs"] in tex.replace(r"\texttt{\footnotesize ", "")
    assert r"loose \ensuremath{\le} 2\ensuremath{\pi}" in tex
    claim_tex = render_claim(r)
    assert "Verified form" in claim_tex and sp.latex(corrected.relation) in claim_tex


def test_plain_assessments_from_other_scripts_still_render():
    """Assessments without sympy objects (statement strings only) fall back to text."""
    a = Assessment("closed-form gradients", Verdict.UNKNOWN, [Evidence("reason", "timeout 60 s")])
    tex = render_assessment(a, "Claim")
    assert r"\begin{quote}closed-form gradients\end{quote}" in tex
    assert r"\textbf{unknown}" in tex and "timeout 60 s" in tex


def test_real_engine_claims_render_from_their_objects():
    """Three fast claims of proofs/fourier_transforms.py: every attached sympy object and
    derivation equation appears in the LaTeX exactly as sympy/the engine printed it."""
    from fptheory.report.collect import PROOFS_DIR, collect_claims

    wanted = {"1.39", "1.42", "1.43"}
    results = [run_claim(fn, src) for src, fn in collect_claims([PROOFS_DIR / "fourier_transforms.py"])
               if fn._fptheory_claim["label"] in wanted]
    assert {r.label for r in results} == wanted
    for r in results:
        tex = render_claim(r)
        for a in filter(None, (r.text, r.corrected)):
            if a.relation is not None:
                assert sp.latex(a.relation) in tex
            for f in a.formulas:
                assert sp.latex(f.expr) in tex
            for step in (a.derivation.steps if a.derivation else []):
                assert math_unicode(step.latex) in tex
        assert _balanced(tex)
    deriv = next(r for r in results if r.label == "1.39").text.derivation
    assert deriv is not None and deriv.steps  # the proof script passes the engine's derivation


def test_with_formula_and_derivation_are_additive():
    a = proved("s", "why")
    assert a.formulas == [] and a.derivation is None and a.relation is None
    a.with_formula("f", "x**2").with_derivation(_derivation()).with_derivation(_derivation().steps)
    assert a.formulas[0].expr == sp.Symbol("x") ** 2
    assert len(a.derivation.steps) == 2
    d = a.to_dict()
    assert d["formulas"][0]["latex"] == "x^{2}" and len(d["derivation"]) == 2


# ---------------------------------------------------------------------------------------
# free text: code printed from sympy objects, tildes, dashes, scripts, the text's "??"

RAW_CODE = re.compile(r"\*\*|Abs\(|\['|<=|>=|(?<=\w)\*(?=\w)")


@pytest.mark.parametrize("text, expected", [
    ("1/100<=u1<=5", r"\ensuremath{\frac{1}{100} \le u_{1} \le 5}"),
    ("cases ['w > 0', 'w < 0']", r"cases \ensuremath{w > 0}, \ensuremath{w < 0}"),
    ("rate = pi/(2*Abs(w))", r"rate = \ensuremath{\frac{\pi}{2 \left|{w}\right|}}"),
    ("|F(k)| ~ C/|k|**2", r"\textbar{}F(k)\textbar{} \ensuremath{\sim} \ensuremath{\frac{C}{k^{2}}}"),
    ("fptheory report --no-numerics", "fptheory report -{}-no-numerics"),
    ("K_full and C_band, K_ab", r"K\textsubscript{full} and C\textsubscript{band}, K\textsubscript{ab}"),
    ("study lfp_vs_nn, per_seed", r"study lfp\_vs\_nn, per\_seed"),
    ("k1 < k2, c1, δ0", r"k\textsubscript{1} \textless{} k\textsubscript{2}, c\textsubscript{1}, "
                        r"\ensuremath{\delta}\textsubscript{0}"),
    ("from q0 ('?? only for large q')", r"from q\textsubscript{0} ('[\emph{the text has a broken "
                                        r"reference here}] only for large q')"),
    ("50% of #3 & {a} \\ b", r"50\% of \#3 \& \{a\} \textbackslash{} b"),
    ("(1.19) holds, sinh x and tanh(x)", r"(1.19) holds, sinh x and \ensuremath{\tanh{\left(x \right)}}"),
    ("float64 and x2y and 1e5", "float64 and x2y and 1e5"),
    # prose notation the parser refuses (w_j x): prose, its _j subscripts, not escaped maths
    ("a_j tanh(w_j x + b_j)", r"a\textsubscript{j} tanh(w\textsubscript{j} x + b\textsubscript{j})"),
])
def test_prose_is_escaped_and_code_is_set_from_its_object(text, expected):
    assert escape_text(text) == expected


def test_names_and_command_lines_keep_every_character():
    assert escape_text("lfp_vs_nn --no-pdf ~/x k1", scripts=False) == \
        r"lfp\_vs\_nn -{}-no-pdf \textasciitilde{}/x k1"


W = sp.Symbol("w")
XI = sp.Symbol("xi")
EXPRESSIONS = [sp.pi / (2 * sp.Abs(W)), -W**2 * sp.exp(2 * sp.I * sp.pi * x / W) / (4 * sp.pi**2),
               (2 * sp.pi**4 * XI**2 + 16875) / (8 * sp.pi**4 * (sp.pi**2 * XI**2 + 33750)),
               sp.sqrt(2) / W, -sp.Symbol("beta") / W**2, sp.Abs(W) ** 3 / (16 * sp.pi**4 * XI**4),
               sp.Rational(1, 100) * sp.Symbol("u1") ** 2, 1 - sp.tanh(x) ** 2]
PROSE = st.lists(st.sampled_from(list("abkxz ,;:") + ["the ", "rate ", "is "]), max_size=12).map("".join)


@given(PROSE, st.sampled_from(EXPRESSIONS), PROSE)
def test_any_sympy_printed_formula_in_prose_is_typeset_from_the_object(before, expr, after):
    from fptheory.core.parsing import parse_expression

    tex = escape_text(f"{before} {expr}, {after}")
    assert sp.latex(parse_expression(str(expr))) in tex
    assert not RAW_CODE.search(tex)
    assert _balanced(tex) and tex.isascii()


HOSTILE = st.lists(st.sampled_from(list("ab xj1(){}[]/-+=.,'*?<>_^~|\\$&#%") + list("≤πξδ²ĥ")
                                   + ["**", "<=", "Abs(", "['", "--", "??", "k1", "K_full"]),
                   max_size=30).map("".join)


@given(HOSTILE)
def test_hostile_text_compiles_safely(text):
    tex = escape_text(text)
    assert tex.isascii() and _balanced(tex)
    for bad in "$&#%~":
        assert _unescaped(tex, bad) == 0
    assert "--" not in tex.replace("-{}-", "")  # never an en or em dash
    assert "??" not in tex


def test_an_assessment_with_printed_code_in_its_evidence_has_no_raw_code():
    a = proved(r"|\hat\sigma(k)| \sim C e^{-r|k|}", "sympy limits: exponential: |F(k)| ~ "
               "C*|k|**0*exp(-rate*|k|), rate = pi/(2*Abs(w)) (both k → ±∞, cases ['w > 0', 'w < 0'])")
    a.evidence.append(Evidence("certified", "on 1/100<=u1<=5, 1/100<=u2<=5, u1<u2: 79 leaf boxes"))
    tex = render_assessment(a, "The text's claim")
    prose = re.sub(r"\\\[.*?\\\]", "", tex, flags=re.S)
    assert not RAW_CODE.search(prose)
    assert r"\frac{\pi}{2 \left|{w}\right|}" in tex and r"\frac{1}{100} \le u_{1} \le 5" in tex
    assert r"\ensuremath{\sim}" in tex and r"\textasciitilde" not in tex


def test_a_repeated_derivation_step_is_shown_once():
    d = _derivation()
    d.add("affine", "scaling", r"F[f(wx)] = F[f](k/w)/|w|")
    d.steps.extend(list(d.steps))
    tex = render_derivation(d)
    assert tex.count(r"\item") == 2
