r"""One escaping function for all free text of the report: LaTeX text mode from any string.

:func:`escape_text` turns prose (titles, notes, evidence, study verdicts, the chapter's quoted
sentences) into LaTeX that compiles with pdflatex and amsmath/amssymb alone:

* TeX's special characters are escaped (``_ ~ % # & { } \ $ ^``; ``--`` stays two hyphens,
  as in ``--no-numerics``, never an en dash);
* unicode symbols become macros (≤, π, ξ, f̂, x², ...), ``~`` between words is ``\sim``;
* prose notation becomes scripts: ``e^{-ikx}``, ``a_j``, ``K_full``, and a single letter with
  one digit (``k1``, ``c1``, ``δ0``) gets the digit as a subscript, while identifiers such as
  ``lfp_vs_nn`` stay literal;
* code that a proof script printed from a sympy object (``pi/(2*Abs(w))``,
  ``1/100<=u1<=5``, ``['w > 0', 'w < 0']``) is read back with the safe parser
  (:mod:`fptheory.core.parsing`, nothing is evaluated) and set by :func:`sympy.latex`, so no
  ``**``, ``Abs(`` or ``<=`` reaches the reader (:func:`code_to_latex`);
* the chapter's own broken reference ``??`` reads "the text has a broken reference here".

>>> escape_text("δ ≤ π/2 for 50% of a_j")
'\\ensuremath{\\delta} \\ensuremath{\\le} \\ensuremath{\\pi}/2 for 50\\% of a\\textsubscript{j}'
>>> escape_text("rate = pi/(2*Abs(w)) in lfp_vs_nn")
'rate = \\ensuremath{\\frac{\\pi}{2 \\left|{w}\\right|}} in lfp\\_vs\\_nn'
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

__all__ = ["escape_text", "texttt", "math_unicode", "code_to_latex", "BROKEN_REFERENCE"]

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
_LONG_SUB_TOKEN = re.compile(r"[A-Za-z0-9\u0370-\u03ff]{1,8}")
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
    # '_' only after a letter or ')', in a word of at most two letters before it (a_j, K_full,
    # ĥ_j) and with a short subscript followed by a boundary, so identifiers such as
    # ricker_chapter, per_seed or lfp_vs_nn.py stay literal
    if not (s[i - 1].isalpha() or s[i - 1] == ")" or unicodedata.combining(s[i - 1])):
        return None
    start = i
    while start > 0 and (s[start - 1].isalnum() or unicodedata.combining(s[start - 1])):
        start -= 1
    letters = sum(not unicodedata.combining(c) for c in s[start:i])
    if s[i - 1] != ")" and (letters > 2 or (start > 0 and s[start - 1] == "_")):
        return None
    m = (_SUB_TOKEN if letters > 1 or s[i - 1] == ")" else _LONG_SUB_TOKEN).match(s, j)
    if not m:
        return None
    end = m.end()
    if end == len(s) or s[end] in _SUB_BOUNDARY or s[end] == "(" or (
            s[end] == "." and (end + 1 == len(s) or not s[end + 1].isalnum())):
        return m.group(), end
    return None


# ---------------------------------------------------------------------------------------
# code printed from sympy objects (str(expr)) inside prose, set again from the object

#: how the report shows the chapter's own broken reference "??" (a \ref the text lost)
BROKEN_REFERENCE = r"[\emph{the text has a broken reference here}]"

_CALLS = frozenset(
    "Abs sqrt exp log sin cos tan sinh cosh tanh csch sech coth asinh atan erf erfc gamma "
    "Max Min Heaviside DiracDelta sign re im conjugate floor ceiling cot sec csc besselj "
    "polylog LambertW".split())
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_OPERATOR = re.compile(r"\s*(\*\*|<=|>=|==|!=|[*/<>])\s*|\s+([+-])\s+|([+-])")
_RELATION = re.compile(r"(<=|>=|==|!=|<|>)")
_STRING_LIST = re.compile(r"\[\s*'[^'\[\]]*'(?:\s*,\s*'[^'\[\]]*')*\s*\]")
_CODE_MARKS = re.compile(r"\*|<=|>=|==|!=|\b(?:" + "|".join(sorted(_CALLS)) + r")\(|\b(?:pi|oo)\b")
_RELATION_LATEX = {"<=": r"\le", ">=": r"\ge", "==": "=", "!=": r"\ne", "<": "<", ">": ">"}
# a math span longer than this (LaTeX characters) is set as a display, shrunk to fit
_INLINE_LIMIT = 110


def _atom_end(s: str, i: int) -> int | None:
    """End of one operand of sympy's printed code at s[i]: a number, a name (a call
    ``name(...)`` included), ``(...)``, ``|...|``, with an optional leading sign."""
    if i < len(s) and s[i] == "-":
        i += 1
    if i >= len(s):
        return None
    if s[i] == "(":
        return _group(s, i, "(", ")")
    if s[i] == "|":
        j = s.find("|", i + 1)
        return j + 1 if j > i + 1 and s[i + 1:j].isascii() and "(" not in s[i + 1:j] else None
    m = _NUMBER.match(s, i) or _NAME.match(s, i)
    if m is None:
        return None
    if m.end() < len(s) and s[m.end()] == "(" and s[i].isalpha():
        return _group(s, m.end(), "(", ")")
    return m.end()


def _code_span(s: str, i: int) -> int | None:
    """End of the longest run of sympy-printed code starting at s[i] (operands joined by
    ``** * / + - < <= ...``), when it starts and ends at a word boundary."""
    if i > 0 and (s[i - 1].isalnum() or s[i - 1] in "_.\\'"):
        return None
    end = _atom_end(s, i)
    if end is None:
        return None
    while True:
        m = _OPERATOR.match(s, end)
        if m is None:
            break
        nxt = _atom_end(s, m.end())
        if nxt is None:
            break
        end = nxt
    if end < len(s) and (s[end].isalnum() or s[end] in "_("):
        return None
    return end


def _sympy_latex(code: str) -> str | None:
    """LaTeX of a printed expression or chain of comparisons, read by the safe parser."""
    import sympy as sp

    from fptheory.core.errors import FPTheoryError
    from fptheory.core.parsing import parse_expression

    code = re.sub(r"\|([^|]+)\|", r"Abs(\1)", code)
    pieces = _RELATION.split(code)
    try:
        latex = [sp.latex(parse_expression(p.strip())) if n % 2 == 0 else _RELATION_LATEX[p]
                 for n, p in enumerate(pieces)]
    except (FPTheoryError, ValueError, TypeError, RecursionError, KeyError):
        return None
    return " ".join(latex)


def _fallback_math(code: str) -> str:
    """Code the parser refuses, still typeset: ``**`` as powers, ``*`` as products,
    ``<=`` as ≤ (every character escaped for math mode)."""
    code = re.sub(r"\*\*(\(?[-\w.]+\)?)", lambda m: "^{" + m.group(1).strip("()") + "}", code)
    out = []
    for part in re.split(r"(\^\{[^{}]*\}|<=|>=|!=|==|\*)", code):
        if part in _RELATION_LATEX:
            out.append(" " + _RELATION_LATEX[part] + " ")
        elif part == "*":
            out.append(r" \cdot ")
        elif part.startswith("^{"):
            out.append("^{" + _math_text(part[2:-1]) + "}")
        else:
            out.append(_math_text(part))
    return "".join(out)


def _math_text(s: str) -> str:
    return "".join(_MATH_ASCII.get(c, c) if ord(c) < 128 else
                   "{" + (_math_macro(c) or r"\text{" + _text_char(c) + "}") + "}" for c in s)


# what only code has: a span with one of these is code even where the parser refuses it
_STRONG_CODE = re.compile(r"\*|<=|>=|==|!=|\bAbs\(")


def _code_latex(code: str) -> str | None:
    """:func:`code_to_latex`, or None for a span the parser refuses that is prose as much as
    code: a parenthesised group (the code inside it is found piece by piece) or prose
    notation such as ``tanh(w_j x + b_j)`` (no ``*``, ``<=``, ``Abs(``: its ``_j`` become
    subscripts as prose)."""
    if _sympy_latex(code) is None and (code.startswith("(") or not _STRONG_CODE.search(code)):
        return None
    return code_to_latex(code)


def code_to_latex(code: str) -> str:
    r"""Text mode LaTeX for code a proof script printed from a sympy object: read back by
    the safe parser and set by :func:`sympy.latex` (a long one as a shrinking display).

    >>> code_to_latex("1/100<=u1<=5")
    '\\ensuremath{\\frac{1}{100} \\le u_{1} \\le 5}'
    >>> code_to_latex("-beta/w**2")
    '\\ensuremath{- \\frac{\\beta}{w^{2}}}'
    """
    latex = _sympy_latex(code)
    if latex is None:
        latex = _fallback_math(code)
    if len(latex) > _INLINE_LIMIT:
        return r"\[ \fitmath{" + latex + r"} \]"
    return r"\ensuremath{" + latex + "}"


def _string_list(items: str) -> str:
    """``['w > 0', 'w < 0']`` (a list of printed conditions) as "w > 0, w < 0" in math."""
    return ", ".join(code_to_latex(x) for x in re.findall(r"'([^']*)'", items))


def _index_digit(s: str, i: int) -> bool:
    """s[i] is a one-letter name with one digit (k1, c1, δ0) standing alone in prose."""
    if i + 1 >= len(s) or s[i + 1] not in "0123456789" or not (s[i].isascii() and s[i].isalpha()
                                                           or s[i] in _GREEK):
        return False
    if i > 0 and (s[i - 1].isalnum() or s[i - 1] in "_.\\'/^"):
        return False
    end = i + 2
    return not (end < len(s) and (s[end].isalnum() or s[end] in "_" or (
        s[end] == "." and end + 1 < len(s) and s[end + 1].isdigit())))


def escape_text(s: Any, scripts: bool = True) -> str:
    r"""Escape text for LaTeX text mode: the one function every free text goes through.

    TeX's special characters are escaped, unicode math symbols become
    ``\ensuremath{...}``. With ``scripts`` (prose: titles, notes, evidence) the prose
    notation ``e^{-ikx}``, ``2^n``, ``e^(...)``, ``a_j``, ``w_{j}``, ``K_full`` becomes
    super/subscripts (a ``_`` inside an identifier such as ``lfp_vs_nn`` stays a literal
    underscore), ``k1``/``δ0`` get their digit as a subscript, ``~`` is ``\sim``, the
    chapter's ``??`` is :data:`BROKEN_REFERENCE`, and code printed from sympy objects is
    set from the parsed object (:func:`code_to_latex`). Without ``scripts`` (names,
    paths, command lines, labels) every character is kept, escaped.

    >>> print(escape_text("e^{-ikx} in lfp_vs_nn.py, k1 < k2"))
    e\textsuperscript{-ikx} in lfp\_vs\_nn.py, k\textsubscript{1} \textless{} k\textsubscript{2}
    >>> print(escape_text("|F| ~ C/|k|**2"))
    \textbar{}F\textbar{} \ensuremath{\sim} \ensuremath{\frac{C}{k^{2}}}
    >>> escape_text("fptheory report --no-numerics", scripts=False)
    'fptheory report -{}-no-numerics'
    """
    s = str(s)
    out: list[str] = []
    i = 0
    while i < len(s):
        ch = s[i]
        if scripts:
            if ch == "[" and (m := _STRING_LIST.match(s, i)):
                out.append(_string_list(m.group()))
                i = m.end()
                continue
            if ch == "?" and s.startswith("??", i):
                out.append(BROKEN_REFERENCE)
                i += 2
                continue
            if ch == "~":
                out.append(r"\ensuremath{\sim}")
                i += 1
                continue
            if ch.isascii() and (ch.isalnum() or ch in "(-|"):
                end = _code_span(s, i)
                latex = (_code_latex(s[i:end]) if end is not None and s[i:end].isascii()
                         and _CODE_MARKS.search(s, i, end) else None)
                if latex is not None:
                    out.append(latex)
                    i = end
                    continue
            if _index_digit(s, i):
                out.append(_text_char(ch) + r"\textsubscript{" + s[i + 1] + "}")
                i += 2
                continue
            if ch in "^_":
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


_TT_SPECIAL = {"\\": r"\char92{}", "{": r"\char123{}", "}": r"\char125{}", "~": r"\char126{}",
               "^": r"\char94{}", "_": r"\char95{}", "$": r"\$", "&": r"\&", "#": r"\#",
               "%": r"\%", "-": "-{}", "'": r"\char13{}", "`": r"\char18{}"}


def texttt(s: Any) -> str:
    r"""A name, path or command line in typewriter type, every character kept: the
    typewriter font's own glyphs for ``< > | _ ~ \`` (the text-symbol macros would pull in
    a font the typewriter family lacks), unicode as in :func:`escape_text`.

    >>> print(texttt("lfp_vs_nn.py --no-numerics <x>"))
    \texttt{lfp\char95{}vs\char95{}nn.py -{}-{}no-{}numerics <x>}
    """
    out = []
    for ch in str(s):
        if ch in _TT_SPECIAL:
            out.append(_TT_SPECIAL[ch])
        elif ch.isascii():
            out.append(ch)
        else:
            out.append(escape_text(ch, scripts=False))
    return r"\texttt{" + "".join(out) + "}"


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


