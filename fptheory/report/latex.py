r"""LaTeX rendering of claims, their derivations and verdicts (pdflatex, amsmath/amssymb).

Every formula of a result is printed from its sympy object with :func:`sympy.latex`
(the ``relation`` an identity was checked as, the named ``formulas`` of an
:class:`~fptheory.verify.claims.Assessment`, the derivation steps, whose equations the
transform engine wrote with ``sympy.latex`` when it derived them). Hand-written
strings appear only where they quote the chapter (an assessment's ``statement``) or
explain (titles, notes, evidence); those are escaped here so that any of them
compiles with pdflatex and the packages amsmath, amssymb and graphicx alone:
unicode symbols (≤, π, ξ, δ, f̂, x², ...) become LaTeX macros, TeX's special
characters are escaped, ``x^{...}``/``a_j`` in prose become super/subscripts.

>>> escape_text("δ ≤ π/2 for 50% of a_j")
'\\ensuremath{\\delta} \\ensuremath{\\le} \\ensuremath{\\pi}/2 for 50\\% of a\\textsubscript{j}'
>>> math_unicode("|ĥ(k)| ≤ 2π")
'|{\\hat{h}}(k)| {\\le} 2{\\pi}'
>>> x = sp.Symbol("x")
>>> display(sp.Eq(sp.sin(x)**2 + sp.cos(x)**2, 1, evaluate=False))
'\\[ \\sin^{2}{\\left(x \\right)} + \\cos^{2}{\\left(x \\right)} = 1 \\]'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import sympy as sp
from sympy.printing.latex import LatexPrinter

from fptheory.core.derivation import Derivation, Step
from fptheory.verify.claims import Assessment, ClaimResult, Evidence, Formula, Verdict

from .text import escape_text, math_unicode

__all__ = [
    "escape_text",
    "math_unicode",
    "is_math",
    "render_statement",
    "display",
    "render_formula",
    "render_derivation",
    "render_evidence",
    "render_assessment",
    "render_claim",
    "render_erratum",
    "verdict_badge",
    "convention_latex",
    "PREAMBLE_MACROS",
    "LONG_FORMULA",
]

# a display up to SHORT_FORMULA LaTeX characters is set as it is; a longer one is shrunk
# to the text width if it overflows (\fitmath); one longer than LONG_FORMULA is first
# broken into lines at its top-level + and - (each line shrunk if it still overflows)
SHORT_FORMULA = 160
LONG_FORMULA = 600

# \fitmath{...}: typeset a display formula, shrinking it to \linewidth only if it is wider
PREAMBLE_MACROS = r"""\newsavebox{\fptfitbox}
\newcommand{\fitmath}[1]{\sbox{\fptfitbox}{$\displaystyle #1$}%
  \ifdim\wd\fptfitbox>\linewidth\resizebox{\linewidth}{!}{\usebox{\fptfitbox}}%
  \else\usebox{\fptfitbox}\fi}"""

# ---------------------------------------------------------------------------------------
# statements and formulas

_WORD = re.compile(r"[A-Za-z]{3,}")


def is_math(statement: str) -> bool:
    r"""Whether a statement string is LaTeX math (a backslash command, or formula-like
    text with at most one word) rather than a plain-language sentence.

    >>> is_math(r"\hat\sigma(k) = 1"), is_math("closed-form gradients"), is_math("E_0 = A/2")
    (True, False, True)
    """
    if "\\" in statement:
        return True
    return len(_WORD.findall(statement)) < 2


def _math_safe(latex: str) -> str:
    """Escape the characters that end or comment out math (% #) and map unicode."""
    latex = re.sub(r"(?<!\\)([%#])", r"\\\1", latex)
    return math_unicode(latex)


def render_statement(statement: str) -> str:
    """A statement as a display: math strings in ``\\[ \\]`` (unicode mapped), sentences
    as an indented paragraph of escaped text."""
    statement = statement.strip()
    if not statement:
        return ""
    if is_math(statement):
        return _display_latex(_math_safe(statement))
    return r"\begin{quote}" + escape_text(statement) + r"\end{quote}"


def _display_latex(latex: str) -> str:
    if len(latex) <= SHORT_FORMULA:
        return r"\[ " + latex + r" \]"
    return r"\[ \fitmath{" + latex + r"} \]"


def _terms_latex(expr: sp.Expr) -> list[str]:
    """The top-level terms of a sum as sympy prints them, each with its sign."""
    printer = LatexPrinter()
    terms = expr.as_ordered_terms()
    out = []
    for n, t in enumerate(terms):
        s = printer.doprint(t)
        if n == 0:
            out.append(s)
        elif s.startswith("-"):
            out.append("- " + s[1:].lstrip())
        else:
            out.append("+ " + s)
    return out


def _lines(expr: sp.Basic) -> list[str]:
    """Break a long relation/sum into lines at its top-level + and - (sympy's order)."""
    if isinstance(expr, sp.core.relational.Relational):
        op = sp.latex(type(expr)(sp.Symbol("A"), sp.Symbol("B"), evaluate=False))[1:-1].strip()
        left = _lines(expr.lhs)
        right = _lines(expr.rhs)
        right[0] = op + " " + right[0]
        return left + [r"\qquad " + line for line in right]
    if isinstance(expr, sp.Add):
        chunks, current = [], ""
        for term in _terms_latex(expr):
            if current and len(current) + len(term) > SHORT_FORMULA:
                chunks.append(current)
                current = ""
            current = (current + " " + term).strip()
        chunks.append(current)
        return chunks
    return [sp.latex(expr)]


def display(expr: sp.Basic | str) -> str:
    r"""A display formula. A sympy object is printed by :func:`sympy.latex`; when that is
    longer than :data:`LONG_FORMULA` characters it is broken at top-level + and - into
    lines (each shrunk to the text width if still too wide). A string is taken as LaTeX.
    """
    if isinstance(expr, str):
        return _display_latex(_math_safe(expr))
    latex = sp.latex(expr)
    if len(latex) <= LONG_FORMULA:
        return _display_latex(latex)
    lines = _lines(expr)
    return ("\\begin{flushleft}\n" + "\\\\\n".join(r"\fitmath{" + line + "}" for line in lines)
            + "\n\\end{flushleft}")


def render_formula(formula: Formula) -> str:
    """``name:`` and the formula printed from its sympy object."""
    return r"\noindent " + escape_text(formula.name) + ":\n" + display(formula.expr)


def render_derivation(derivation: Derivation | Iterable[Step]) -> str:
    """The steps as an enumerated list: [rule] sentence, then the step's equation; a step
    identical to an earlier one (the same rule, sentence and equation) is shown once."""
    steps = derivation.steps if isinstance(derivation, Derivation) else list(derivation)
    if not steps:
        return ""
    items, seen = [], set()
    for s in steps:
        key = (s.rule, s.text, s.latex)
        if key in seen:  # a sub-derivation used twice (ReLU = u H(u) needs H's twice)
            continue
        seen.add(key)
        eq = ("\n" + _display_latex(_math_safe(s.latex))) if s.latex else ""
        items.append(r"  \item \textsf{[" + escape_text(s.rule, scripts=False) + "]} "
                     + escape_text(s.text) + eq)
    return "{\\small\\begin{enumerate}\n" + "\n".join(items) + "\n\\end{enumerate}}"


_BADGES = {
    Verdict.PROVED: r"$\checkmark$\,\textbf{proved}",
    Verdict.CERTIFIED: r"$\checkmark$\,\textbf{certified}",
    Verdict.SAMPLED: r"$\sim$\,\textbf{sampled}",
    Verdict.REFUTED: r"$\times$\,\textbf{refuted}",
    Verdict.UNKNOWN: r"?\,\textbf{unknown}",
}


def verdict_badge(verdict: Verdict | str) -> str:
    r"""A short typeset verdict (✓ proved, ✓ certified, ∼ sampled, × refuted, ? unknown).

    >>> verdict_badge("refuted")
    '$\\times$\\,\\textbf{refuted}'
    """
    return _BADGES[Verdict(verdict)]


_NUMERIC_VALUE = re.compile(r"^[-+0-9.eE/ i]*$")


def _value_text(value: Any) -> str:
    """A computed value (30-digit decimals, "*I") in typewriter figures; a value that is not
    a plain number (a function, a bound) as prose, its code set by :func:`escape_text`."""
    text = str(value).replace("*I", " i")
    if _NUMERIC_VALUE.match(text):
        return r"\texttt{\footnotesize " + text + "}"
    return r"{\footnotesize " + escape_text(text) + "}"


def _point_latex(point: dict[str, Any]) -> str:
    parts = []
    for name, value in point.items():
        try:
            symbol = sp.latex(sp.Symbol(str(name)))
        except Exception:  # a name sympy cannot print as a symbol
            symbol = r"\text{" + escape_text(name, scripts=False) + "}"
        parts.append("$" + _math_safe(symbol) + " = $ " + _value_text(value))
    return ", ".join(parts)


def render_evidence(evidence: Evidence) -> str:
    """One piece of evidence as an item: its kind and its text."""
    return r"\item \emph{" + escape_text(evidence.kind, scripts=False) + ":} " + escape_text(
        evidence.text)


def render_counterexample(ce: dict[str, Any]) -> str:
    """The counterexample point and the two sides' values there, one per line."""
    digits = f" ({int(ce['digits'])} digits)" if str(ce.get("digits", "")).isdigit() else ""
    return (r"\item \emph{counterexample} at " + _point_latex(ce.get("point", {})) + digits
            + r":\\ left side: " + _value_text(ce.get("lhs", ""))
            + r"\\ right side: " + _value_text(ce.get("rhs", "")))


def _itemize(items: list[str]) -> str:
    return ("{\\small\\raggedright\\begin{itemize}\n" + "\n".join(items)
            + "\n\\end{itemize}\\par}")


def render_assessment(a: Assessment, heading: str) -> str:
    """Heading and verdict, the statement, the checked sympy relation, the formulas,
    the evidence (counterexample first) and the derivation."""
    parts = [r"\noindent\textbf{" + escape_text(heading) + r"} \hfill " + verdict_badge(a.verdict),
             render_statement(a.statement)]
    if a.relation is not None and not isinstance(a.relation, sp.logic.boolalg.BooleanAtom):
        parts.append(r"\noindent{\small checked as (sympy):}" + "\n" + display(a.relation))
    for f in a.formulas:
        parts.append(render_formula(f))
    items = []
    if a.counterexample:
        items.append(render_counterexample(a.counterexample))
    items += [render_evidence(e) for e in a.evidence if e.kind != "counterexample"]
    if items:
        parts.append(_itemize(items))
    if a.derivation is not None and a.derivation.steps:
        parts.append(r"\noindent{\small derivation:}" + "\n" + render_derivation(a.derivation))
    return "\n".join(p for p in parts if p)


def convention_latex(name: str) -> str:
    """The named Fourier convention's defining integral (text when the name is unknown)."""
    from fptheory.fourier.conventions import CONVENTIONS

    conv = CONVENTIONS.get(name.lower()) if name else None
    if conv is None:
        return escape_text(name)
    return escape_text(name) + r": $" + conv.latex_definition() + "$"


def claim_heading(r: ClaimResult) -> str:
    return "(" + escape_text(r.label, scripts=False) + r")\quad " + escape_text(r.title)


def render_claim(r: ClaimResult) -> str:
    """A claim under its equation label: convention, the text's form with its verdict and
    evidence, the verified (corrected) form where the text is wrong or loose, the note."""
    meta = [escape_text(r.source, scripts=False) if r.source else "",
            ("convention " + convention_latex(r.convention)) if r.convention else "",
            f"{r.seconds:.1f}\\,s"]
    parts = [
        r"\subsubsection*{" + claim_heading(r) + "}",
        r"\noindent{\small " + r" \quad ".join(m for m in meta if m) + "}\\par\\medskip",
        render_assessment(r.text, "The text" if r.corrected is not None else "The text's claim"),
    ]
    if r.corrected is not None:
        parts.append(r"\medskip")
        parts.append(render_assessment(r.corrected, "Verified form"))
    if r.note:
        parts.append(r"\par\smallskip\noindent{\small\textbf{Note.} " + escape_text(r.note) + "}")
    return "\n".join(parts) + "\n"


def render_erratum(r: ClaimResult) -> str:
    """An erratum: the text's form and the verified form side by side with their verdicts
    and the decisive evidence (the counterexample, or the first evidence)."""
    def evidence_line(a: Assessment) -> str:
        if a.counterexample:
            return _itemize([render_counterexample(a.counterexample)])
        first = next(iter(a.evidence), None)
        return "" if first is None else _itemize([render_evidence(first)])

    parts = [r"\subsubsection*{" + claim_heading(r) + "}",
             r"\noindent text: \hfill " + verdict_badge(r.text.verdict),
             render_statement(r.text.statement), evidence_line(r.text)]
    if r.corrected is not None:
        parts += [r"\noindent verified form: \hfill " + verdict_badge(r.corrected.verdict),
                  render_statement(r.corrected.statement), evidence_line(r.corrected)]
    else:
        parts.append(r"\noindent{\small no corrected form is given by the check.}")
    if r.note:
        parts.append(r"\noindent{\small " + escape_text(r.note) + "}")
    return "\n".join(p for p in parts if p) + "\n"
