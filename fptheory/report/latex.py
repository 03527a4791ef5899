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
import unicodedata
from collections.abc import Iterable
from typing import Any

import sympy as sp
from sympy.printing.latex import LatexPrinter

from fptheory.core.derivation import Derivation, Step
from fptheory.verify.claims import Assessment, ClaimResult, Evidence, Formula, Verdict

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
# unicode → LaTeX (math-mode macros; in text they are wrapped in \ensuremath)

_GREEK = {
    "α": r"\alpha", "β": r"\beta", "γ": r"\gamma", "δ": r"\delta", "ε": r"\varepsilon",
    "ϵ": r"\epsilon", "ζ": r"\zeta", "η": r"\eta", "θ": r"\theta", "ϑ": r"\vartheta",
    "ι": r"\iota", "κ": r"\kappa", "λ": r"\lambda", "μ": r"\mu", "ν": r"\nu", "ξ": r"\xi",
    "ο": "o", "π": r"\pi", "ρ": r"\rho", "ϱ": r"\varrho", "σ": r"\sigma", "ς": r"\varsigma",
    "τ": r"\tau", "υ": r"\upsilon", "φ": r"\phi", "ϕ": r"\phi", "χ": r"\chi", "ψ": r"\psi",
    "ω": r"\omega", "Γ": r"\Gamma", "Δ": r"\Delta", "Θ": r"\Theta", "Λ": r"\Lambda",
    "Ξ": r"\Xi", "Π": r"\Pi", "Σ": r"\Sigma", "Υ": r"\Upsilon", "Φ": r"\Phi", "Ψ": r"\Psi",
    "Ω": r"\Omega", "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K",
    "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Χ": "X",
}

_SYMBOLS = {
    "≤": r"\le", "≥": r"\ge", "≠": r"\ne", "≈": r"\approx", "∼": r"\sim", "≃": r"\simeq",
    "≅": r"\cong", "≡": r"\equiv", "∝": r"\propto", "±": r"\pm", "∓": r"\mp", "×": r"\times",
    "·": r"\cdot", "⋅": r"\cdot", "∙": r"\cdot", "÷": r"\div", "√": r"\surd", "∞": r"\infty",
    "∂": r"\partial", "∇": r"\nabla", "∫": r"\int", "∬": r"\iint", "∮": r"\oint",
    "∑": r"\sum", "∏": r"\prod", "∈": r"\in", "∉": r"\notin", "∋": r"\ni", "⊂": r"\subset",
    "⊃": r"\supset", "⊆": r"\subseteq", "⊇": r"\supseteq", "∪": r"\cup", "∩": r"\cap",
    "∀": r"\forall", "∃": r"\exists", "∄": r"\nexists", "¬": r"\neg", "∧": r"\wedge",
    "∨": r"\vee", "→": r"\to", "←": r"\leftarrow", "↔": r"\leftrightarrow",
    "⇒": r"\Rightarrow", "⇐": r"\Leftarrow", "⇔": r"\Leftrightarrow", "↦": r"\mapsto",
    "⟶": r"\longrightarrow", "↑": r"\uparrow", "↓": r"\downarrow", "‖": r"\|",
    "∥": r"\parallel", "⟨": r"\langle", "⟩": r"\rangle", "⌈": r"\lceil", "⌉": r"\rceil",
    "⌊": r"\lfloor", "⌋": r"\rfloor", "∘": r"\circ", "°": r"^\circ", "′": "'", "″": "''",
    "ℝ": r"\mathbb{R}", "ℂ": r"\mathbb{C}", "ℕ": r"\mathbb{N}", "ℤ": r"\mathbb{Z}",
    "ℚ": r"\mathbb{Q}", "ℓ": r"\ell", "∅": r"\emptyset", "≪": r"\ll", "≫": r"\gg",
    "⊥": r"\perp", "…": r"\ldots", "⋯": r"\cdots", "⋮": r"\vdots", "∗": "*", "−": "-",
    "∣": r"\mid", "∖": r"\setminus", "≔": ":=", "≲": r"\lesssim", "≳": r"\gtrsim",
    "⊗": r"\otimes", "⊕": r"\oplus", "†": r"\dagger", "∎": r"\blacksquare",
    "✓": r"\checkmark", "✗": r"\times", "ħ": r"\hbar", "ℏ": r"\hbar", "⊤": r"\top",
    "≺": r"\prec", "≻": r"\succ", "⪯": r"\preceq", "⪰": r"\succeq", "∠": r"\angle",
    "△": r"\triangle", "□": r"\square", "∴": r"\therefore", "∵": r"\because",
    "≉": r"\not\approx", "≢": r"\not\equiv", "≁": r"\nsim", "∤": r"\nmid", "≰": r"\nleq",
    "≱": r"\ngeq", "⊄": r"\not\subset", "⊈": r"\nsubseteq", "↛": r"\nrightarrow",
    "½": r"\tfrac12", "¼": r"\tfrac14", "¾": r"\tfrac34",
    "⇏": r"\nRightarrow", "≮": r"\nless", "≯": r"\ngtr", "⇎": r"\nLeftrightarrow", "∌": r"\not\ni",
}

_SUPERSCRIPTS = {"⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6",
                 "⁷": "7", "⁸": "8", "⁹": "9", "⁺": "+", "⁻": "-", "ⁿ": "n", "ⁱ": "i",
                 "ᵀ": "T", "⁽": "(", "⁾": ")"}
_SUBSCRIPTS = {"₀": "0", "₁": "1", "₂": "2", "₃": "3", "₄": "4", "₅": "5", "₆": "6",
               "₇": "7", "₈": "8", "₉": "9", "₊": "+", "₋": "-", "ₙ": "n", "ᵢ": "i",
               "ⱼ": "j", "ₖ": "k", "ₓ": "x", "₍": "(", "₎": ")"}

# text-only punctuation
_TEXT_PUNCTUATION = {
    "—": "---", "–": "--", "‘": "`", "’": "'", "“": "``", "”": "''", "„": ",,",
    "«": "<<", "»": ">>", "\u00a0": "~", "•": r"\textbullet{}", "§": r"\S{}", "¶": r"\P{}",
    "©": r"\copyright{}", "\u2009": r"\,", "\u202f": r"\,", "\u200b": "",
}

# combining marks: (text accent command or None, math accent command); the hat, tilde,
# bar, dot and arrow of f̂, ξ̃, x̄, ẋ are mathematical and always set in math mode
_COMBINING = {
    "\u0300": (r"\`", r"\grave"), "\u0301": (r"\'", r"\acute"), "\u0302": (None, r"\hat"),
    "\u0303": (None, r"\tilde"), "\u0304": (None, r"\bar"), "\u0306": (r"\u", r"\breve"),
    "\u0307": (None, r"\dot"), "\u0308": (r'\"', r"\ddot"), "\u030c": (r"\v", r"\check"),
    "\u20d7": (None, r"\vec"), "\u0305": (None, r"\overline"), "\u0338": (None, r"\not"),
}

_TEXT_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
    "%": r"\%", "_": r"\_", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}",
    "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}",
}


def _math_macro(ch: str) -> str | None:
    """Math-mode LaTeX for one unicode character, or None."""
    if ch in _GREEK:
        return _GREEK[ch]
    if ch in _SYMBOLS:
        return _SYMBOLS[ch]
    if ch in _SUPERSCRIPTS:
        return "^{" + _SUPERSCRIPTS[ch] + "}"
    if ch in _SUBSCRIPTS:
        return "_{" + _SUBSCRIPTS[ch] + "}"
    return None


def _unknown(ch: str) -> str:
    return r"\texttt{[U+" + f"{ord(ch):04X}" + "]}"


def _known(ch: str) -> bool:
    return (ch in _GREEK or ch in _SYMBOLS or ch in _SUPERSCRIPTS or ch in _SUBSCRIPTS
            or ch in _TEXT_PUNCTUATION)


def _split_combining(s: str) -> list[tuple[str, list[str]]]:
    """(base character, combining marks) pairs: precomposed letters (é, ĥ) are decomposed
    (NFD), symbols with a LaTeX macro (≠ decomposes to = and a slash) are kept whole."""
    out: list[tuple[str, list[str]]] = []
    for ch in s:
        decomposed = ch if ord(ch) < 128 or _known(ch) else unicodedata.normalize("NFD", ch)
        for part in decomposed:
            if unicodedata.combining(part) or part in _COMBINING:
                if out:
                    out[-1][1].append(part)
                else:
                    out.append(("", [part]))
            else:
                out.append((part, []))
    return out


_MATH_ASCII = {"&": r"\&", "#": r"\#", "%": r"\%", "$": r"\$", "_": r"\_", "{": r"\{",
               "}": r"\}", "\\": r"\backslash", "~": r"\sim", "^": r"\wedge"}


def _math_piece(base: str, marks: list[str]) -> str:
    if not base or ord(base) < 128:
        piece = _MATH_ASCII.get(base, base)
    else:
        macro = _math_macro(base)
        piece = macro if macro is not None else r"\text{" + _text_char(base) + "}"
    for m in marks:
        cmd = _COMBINING.get(m, (None, None))[1]
        if cmd == r"\not":  # a slashed relation: \not overlays the next symbol
            piece = r"\not" + (piece if piece.startswith("\\") else "{" + piece + "}")
        else:
            piece = cmd + "{" + piece + "}" if cmd else piece + _unknown(m)
    return piece


def math_unicode(s: str) -> str:
    r"""Make a LaTeX math string pdflatex-safe: unicode symbols become macros (in braces,
    so ``πk`` stays ``{\pi}k``), combining accents become ``\hat{...}`` etc.; a
    character with no LaTeX equivalent becomes a visible ``[U+XXXX]`` marker.

    >>> math_unicode("f̂(ξ) ≠ 0, x²")
    '{\\hat{f}}({\\xi}) {\\ne} 0, x^{2}'
    """
    out = []
    for base, marks in _split_combining(s):
        if not marks and (not base or ord(base) < 128):
            out.append(base)
        elif not marks and (base in _SUPERSCRIPTS or base in _SUBSCRIPTS):
            out.append(_math_piece(base, marks))
        else:
            out.append("{" + _math_piece(base, marks) + "}")
    return "".join(out)


def _text_char(ch: str) -> str:
    if ch in _TEXT_SPECIAL:
        return _TEXT_SPECIAL[ch]
    if ord(ch) < 128:
        return ch
    if ch in _TEXT_PUNCTUATION:
        return _TEXT_PUNCTUATION[ch]
    if ch in _SUPERSCRIPTS:
        return r"\textsuperscript{" + _SUPERSCRIPTS[ch] + "}"
    if ch in _SUBSCRIPTS:
        return r"\textsubscript{" + _SUBSCRIPTS[ch] + "}"
    macro = _math_macro(ch)
    if macro is not None:
        return r"\ensuremath{" + macro + "}"
    return _unknown(ch)


_SCRIPT_TOKEN = re.compile(r"[+\-]?[A-Za-z0-9\u0370-\u03ff∞]+|[+\-*]")
_SUB_TOKEN = re.compile(r"[A-Za-z0-9\u0370-\u03ff]{1,2}")
_SUB_BOUNDARY = set(" \t\n,;:)]}|/=+-*·'\"") | {"≤", "≥", "≠", "→", "…", "²"}


def _group(s: str, i: int, open_: str, close: str) -> int | None:
    """Index after the bracket matching s[i] == open_, or None."""
    depth = 0
    for j in range(i, len(s)):
        if s[j] == open_:
            depth += 1
        elif s[j] == close:
            depth -= 1
            if depth == 0:
                return j + 1
    return None


def _script(s: str, i: int) -> tuple[str, int] | None:
    """A super/subscript starting after s[i] ('^' or '_'): (content, end index)."""
    mark, j = s[i], i + 1
    if i == 0 or j >= len(s) or s[i - 1].isspace():
        return None
    if s[j] == "{":
        end = _group(s, j, "{", "}")
        return (s[j + 1:end - 1], end) if end else None
    if mark == "^":
        if s[j] == "(":
            end = _group(s, j, "(", ")")
            return (s[j:end], end) if end else None
        m = _SCRIPT_TOKEN.match(s, j)
        return (m.group(), m.end()) if m else None
    # '_' only after a letter or ')' and for 1-2 characters followed by a boundary,
    # so identifiers such as ricker_chapter or lfp_vs_nn.py stay literal
    if not (s[i - 1].isalpha() or s[i - 1] == ")"):
        return None
    m = _SUB_TOKEN.match(s, j)
    if not m:
        return None
    end = m.end()
    if end == len(s) or s[end] in _SUB_BOUNDARY or s[end] == "(" or (
            s[end] == "." and (end + 1 == len(s) or not s[end + 1].isalnum())):
        return m.group(), end
    return None


def escape_text(s: Any, scripts: bool = True) -> str:
    r"""Escape plain text (titles, notes, evidence) for LaTeX text mode.

    TeX's special characters are escaped, unicode math symbols become
    ``\ensuremath{...}``, and with ``scripts`` the prose notation ``e^{-ikx}``,
    ``2^n``, ``e^(...)``, ``a_j``, ``w_{j}`` becomes super/subscripts (a ``_`` inside an
    identifier such as ``lfp_vs_nn`` stays a literal underscore).

    >>> escape_text("e^{-ikx} in lfp_vs_nn.py")
    'e\\textsuperscript{-ikx} in lfp\\_vs\\_nn.py'
    """
    s = str(s)
    out: list[str] = []
    i = 0
    while i < len(s):
        ch = s[i]
        if scripts and ch in "^_":
            found = _script(s, i)
            if found is not None:
                content, i = found
                cmd = r"\textsuperscript" if ch == "^" else r"\textsubscript"
                out.append(cmd + "{" + escape_text(content, scripts) + "}")
                continue
        if ch == "-" and i + 1 < len(s) and s[i + 1] == "-":
            out.append("-{}")  # no en-dash ligature from '--' (command-line options)
            i += 1
            continue
        j = i + 1
        while j < len(s) and (unicodedata.combining(s[j]) or s[j] in _COMBINING):
            j += 1
        if j > i + 1 or (ord(ch) > 127 and not _known(ch)
                         and unicodedata.normalize("NFD", ch) != ch):
            out.append(_text_accented(s[i:j]))
        else:
            out.append(_text_char(ch))
        i = j
    return "".join(out)


def _text_accented(chunk: str) -> str:
    """Letters with accents in text mode: text accents (``\\^{h}``), or the math form
    when the base is a math symbol or text mode lacks the accent."""
    pieces = []
    for base, marks in _split_combining(chunk):
        if _math_macro(base) is not None or any(_COMBINING.get(m, (None,))[0] is None
                                                for m in marks):
            pieces.append(r"\ensuremath{" + _math_piece(base, marks) + "}")
            continue
        piece = _text_char(base) if base else ""
        for m in marks:
            piece = _COMBINING[m][0] + "{" + piece + "}"
        pieces.append(piece)
    return "".join(pieces)


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
    """The steps as an enumerated list: [rule] sentence, then the step's equation."""
    steps = derivation.steps if isinstance(derivation, Derivation) else list(derivation)
    if not steps:
        return ""
    items = []
    for s in steps:
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


def _value_text(value: Any) -> str:
    """A computed value string (30-digit decimals, "*I") as text."""
    text = str(value).replace("*I", " i")
    return r"\texttt{\footnotesize " + escape_text(text, scripts=False) + "}"


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
