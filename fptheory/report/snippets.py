r"""LaTeX an author can paste into the text: one self-contained fragment per claim.

``fptheory report --snippets DIR`` calls :func:`write_snippets`: for every claim a file
``DIR/<label>.tex`` (dots of the label as ``_``) holding

* a comment naming the claim, its verdicts and the fptheory version;
* for an erratum (the text's form differs from the verified form), the text's form as a
  comment, with its verdict and counterexample, so the change is visible in the source;
* the verified (corrected) statement as an ``equation`` tagged with the chapter's number
  (``\tag{1.16}``) and labelled ``eq:<label>``;
* its side conditions (the Fourier convention, the signs the symbols were checked with);
* a one-paragraph ``\begin{proof}...\end{proof}``: the derivation's steps and the evidence
  behind the verdict;

and ``DIR/snippets.tex``, which ``\input``s them all (in the chapter's order). Each fragment
needs only ``amsmath``, ``amssymb`` and ``amsthm``.

>>> from fptheory.verify.claims import ClaimResult, assess_identity
>>> x = sp.Symbol("x", positive=True)
>>> r = ClaimResult("1.43", "a check", assess_identity(2 * x, x + x, "2x = x + x"))
>>> print(snippet(r).split("\n\n")[1])
\begin{equation}
  2x = x + x
  \tag{1.43}\label{eq:1.43}
\end{equation}
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import sympy as sp

from fptheory.core import __version__
from fptheory.core.errors import FPTheoryError
from fptheory.verify.claims import Assessment, ClaimResult

from .latex import _math_safe, is_math
from .sections import equation_number
from .text import escape_text

__all__ = ["snippet", "snippet_name", "equation_label", "equation_tag", "side_conditions", "write_snippets",
           "MINIMAL_PREAMBLE"]

#: the preamble every fragment compiles under (what an author's document needs)
MINIMAL_PREAMBLE = r"""\documentclass{article}
\usepackage{amsmath}
\usepackage{amssymb}
\usepackage{amsthm}
"""

_VERDICT_WORDS = {"proved": "proved symbolically", "certified": "certified by interval "
                  "arithmetic over the whole domain", "sampled": "sampled at high precision "
                  "(evidence, not proof)", "refuted": "refuted", "unknown": "undecided"}


def snippet_name(label: str) -> str:
    """The fragment's file name (no suffix): the label with dots as ``_`` and anything but
    letters, digits, ``-`` and ``_`` dropped.

    >>> snippet_name("1.16-c2"), snippet_name("(1.12)-1.13")
    ('1_16-c2', '1_12-1_13')
    """
    name = re.sub(r"[^A-Za-z0-9_-]", "", label.replace(".", "_"))
    return name or "claim"


def equation_label(label: str) -> str:
    """The ``\\label`` of a claim's equation: ``eq:`` and the claim's label.

    >>> equation_label("1.16-c2")
    'eq:1.16-c2'
    """
    return "eq:" + (re.sub(r"[^A-Za-z0-9.:_-]", "", label) or "claim")


def equation_tag(label: str) -> str | None:
    """The chapter's equation number(s) a label names, for ``\\tag``: "1.16-c2" → "1.16",
    "1.15-1.16" → "1.15--1.16"; None when the label names no equation ("1.1.1-tanh" is a
    remark of §1.1.1, "my-lemma").

    >>> equation_tag("1.16-c2"), equation_tag("1.15-1.16"), equation_tag("1.1.1-relu")
    ('1.16', '1.15--1.16', None)
    """
    if re.match(r"1\.\d+\.\d+", label) or equation_number(label) is None:
        return None
    numbers = re.findall(r"(?<![\d.])1\.\d+(?![\d.])", label)
    return "--".join(dict.fromkeys(numbers)) or None


def _comment(text: str) -> str:
    return "\n".join("% " + line for line in str(text).splitlines() or [""])


def _symbols(a: Assessment) -> set[sp.Symbol]:
    found: set[sp.Symbol] = set()
    for obj in [a.relation, *(f.expr for f in a.formulas)]:
        if isinstance(obj, sp.Basic):
            found |= {s for s in obj.free_symbols if isinstance(s, sp.Symbol)}
    return found


def side_conditions(r: ClaimResult) -> list[str]:
    """The conditions under which the verified form was checked, as LaTeX phrases: the
    Fourier convention, and the signs of the statement's symbols that were assumed
    positive, negative or nonzero ("checked for $w > 0$")."""
    out = []
    if r.convention:
        from fptheory.fourier.conventions import CONVENTIONS

        conv = CONVENTIONS.get(r.convention.lower())
        if conv is not None:
            out.append(r"Fourier transform: $" + conv.latex_definition() + "$ ("
                       + escape_text(r.convention) + " convention)")
    statement = re.sub(r"[{}\s]", "", r.final.statement)
    signs = []
    for s in sorted(_symbols(r.final), key=str):
        name = sp.latex(s)
        if re.sub(r"[{}\s]", "", name) not in statement:
            continue
        if s.is_positive:
            signs.append(f"${name} > 0$")
        elif s.is_negative:
            signs.append(f"${name} < 0$")
        elif s.is_nonzero and s.is_real:
            signs.append(f"${name} \\ne 0$")
    if signs:
        out.append("checked for " + ", ".join(signs))
    return out


#: a statement longer than this (LaTeX characters) is set one clause a line
_LONG_STATEMENT = 140


def _clauses(body: str) -> list[str]:
    """A statement split after its top-level ``,\\ `` and ``;\\ `` (outside braces): the
    clauses of ``A,\\ v = 1/w_j,\\ B``, each keeping its punctuation."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(body):
        c = body[i]
        depth += (c == "{") - (c == "}")
        if depth == 0 and body.startswith((",\\ ", ";\\ "), i):
            parts.append(body[start:i + 1].strip())
            start = i = i + 3
            continue
        i += 1
    return parts + [body[start:].strip()]


def _body(statement: str) -> str:
    r"""The statement as the body of an ``equation``: a long one one clause a line, so it
    fits a narrower page than the report's.

    >>> _body(r"a = 1,\ " + "b" * 140)[:30]
    '\\begin{gathered}a = 1, \\\\ bbbb'
    """
    if is_math(statement):
        body = _math_safe(statement.strip())
        if "\\\\" not in body and len(body) > _LONG_STATEMENT:
            body = r" \\ ".join(_clauses(body))
        return r"\begin{gathered}" + body + r"\end{gathered}" if "\\\\" in body else body
    return r"\text{\parbox{0.8\linewidth}{\centering " + escape_text(statement) + "}}"


def _self_contained(tex: str) -> str:
    """Text made by the report's escaping, without the report's own macros: a long formula
    (the report shrinks it to the line) is set in text style, its fractions smaller."""
    return tex.replace(r"\fitmath{", r"{\textstyle ")


def _proof(r: ClaimResult) -> str:
    a = r.final
    sentences = []
    steps = a.derivation.steps if a.derivation is not None else []
    seen = set()
    for step in steps:
        if (step.rule, step.text, step.latex) in seen:
            continue
        seen.add((step.rule, step.text, step.latex))
        eq = f" (${_math_safe(step.latex)}$)" if step.latex else ""
        sentences.append(escape_text(step.text) + eq)
    lead = ("Derivation: " + "; ".join(sentences) + ". ") if sentences else ""
    evidence = [escape_text(e.text) for e in a.evidence if e.kind != "counterexample" and e.text]
    verdict = a.verdict.value
    close = (f"Checked by fptheory {escape_text(__version__)}: "
             + _VERDICT_WORDS.get(verdict, verdict)
             + (" (" + "; ".join(evidence) + ")" if evidence else "") + ".")
    # \sloppy: generated prose with long formulas breaks between words rather than overflow
    return (r"\begin{proof}\sloppy" + "\n" + _self_contained(lead + close) + "\n"
            + r"\end{proof}")


def snippet(r: ClaimResult) -> str:
    """One claim as a self-contained LaTeX fragment (see the module's description)."""
    tag = equation_tag(r.label)
    head = [f"% ({r.label}) {r.title}",
            f"% verified form: {r.final.verdict.value}"
            + (f"; the text's form: {r.text.verdict.value}" if r.corrected is not None else "")
            + f" -- fptheory {__version__}; needs amsmath, amssymb, amsthm"]
    if r.is_erratum:
        head.append("% ERRATUM: the text's form differs from the verified form below.")
        head.append("% The text's form (" + r.text.verdict.value + "):")
        head.append(_comment("   " + r.text.statement))
        if r.text.counterexample:
            head.append(_comment("   " + r.text.summary()))
        if r.note:
            head.append(_comment("Note: " + r.note))
    equation = ("\\begin{equation}\n  " + _body(r.final.statement) + "\n  "
                + (f"\\tag{{{tag}}}" if tag else "") + f"\\label{{{equation_label(r.label)}}}"
                + "\n\\end{equation}")
    conditions = side_conditions(r)
    parts = ["\n".join(head), equation]
    if conditions:
        parts.append(r"{\sloppy\noindent " + "; ".join(conditions) + ".\\par}")
    parts.append(_proof(r))
    return "\n\n".join(parts) + "\n"


def write_snippets(claims: Sequence[ClaimResult], out_dir: str | Path) -> list[Path]:
    """Write one fragment per claim and ``snippets.tex`` (``\\input``-ing them all, in the
    chapter's order) into ``out_dir``; the paths written, ``snippets.tex`` last."""
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FPTheoryError(f"cannot write to {out}: {exc.strerror}") from None
    index = {id(r): i for i, r in enumerate(claims)}
    ordered = sorted(claims, key=lambda r: (equation_number(r.label) or 10**6, index[id(r)]))
    written, names = [], []
    for r in ordered:
        name = snippet_name(r.label)
        while name in names:  # two labels that differ only in dropped characters
            name += "_"
        names.append(name)
        path = out / f"{name}.tex"
        path.write_text(snippet(r))
        written.append(path)
    lines = [f"% fptheory {__version__}: the verified form of every claim, one fragment each.",
             "% Needs \\usepackage{amsmath,amssymb,amsthm}. Set \\fptsnippetdir to this folder",
             "% (with a trailing /) when the main document is elsewhere.",
             r"\providecommand{\fptsnippetdir}{}"]
    lines += [f"\\input{{\\fptsnippetdir {name}}}" for name in names]
    index_file = out / "snippets.tex"
    index_file.write_text("\n".join(lines) + "\n")
    return written + [index_file]
