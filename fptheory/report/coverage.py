r"""Coverage: every numbered equation of the chapter, (1.1)-(1.44), and the unnumbered
statements its arguments rely on, with its role and the claims that check it.

The table is data (:data:`ROWS`); :func:`coverage` joins it with the results of a check
(by claim label) so that each row carries the verdicts of its claims, and a status:

* ``holds`` — every covering claim reached its declared strength and none is an erratum;
* ``erratum`` — a covering claim found the text's form wrong or loose (not proved or
  certified) and gives the verified form;
* ``not established`` — a covering claim did not reach its declared strength;
* ``not checked`` — a covering claim was not in the run (a subset of ``proofs/`` checked);
* ``not checkable`` — nothing to decide (a figure: its numeric study reproduces it).

A *definition* counts as covered when the toolkit uses it and a claim checks that the text's
other equations are consistent with it (the row's ``uses`` says where the toolkit uses it).
``fptheory check --coverage`` prints the table, ``check --json`` carries it (key
``coverage``), and :func:`coverage_latex` is the report's section.

>>> rows = {r.equation: r for r in ROWS}
>>> rows["1.5"].role, rows["1.5"].checkable, rows["1.5"].claims
('identity', True, ('1.5',))
>>> coverage([])[0]["status"]
'not checked'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from fptheory.verify.claims import HOLDS, ClaimResult

__all__ = ["ROLES", "CoverageRow", "ROWS", "NUMBERED", "coverage", "coverage_summary",
           "table_problems", "print_coverage", "coverage_latex"]

#: The roles an equation plays in the chapter.
ROLES = ("definition", "identity", "inequality", "approximation", "algorithm", "figure")

#: The chapter's numbered equations: (1.1) to (1.44).
NUMBERED = tuple(f"1.{i}" for i in range(1, 45))


@dataclass(frozen=True)
class CoverageRow:
    """One equation (or unnumbered statement) of the chapter and the claims covering it.

    ``equation``: ``"1.5"`` for (1.5), or a name for an unnumbered statement; ``what``: what
    the text states there; ``uses``: where the toolkit uses a definition; ``studies``: the
    numeric studies that reproduce a figure."""

    equation: str
    role: str
    what: str
    checkable: bool
    claims: tuple[str, ...] = ()
    uses: str = ""
    studies: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}, got {self.role!r}")


def _row(equation: str, role: str, what: str, claims: Sequence[str] = (), *, uses: str = "",
         checkable: bool = True, studies: Sequence[str] = ()) -> CoverageRow:
    return CoverageRow(equation, role, what, checkable, tuple(claims), uses, tuple(studies))


_T1 = "fptheory.theory.theorem1 (network, gradients)"
_LFP = "fptheory.theory.lfp (gamma, solver)"
_ALPHA = "fptheory.theory.alpha_critical.model"

#: One row per numbered equation, then the unnumbered statements the text relies on.
ROWS: tuple[CoverageRow, ...] = (
    _row("1.1", "definition", "two-layer tanh network h(x) = Σ a_j tanh(w_j x + b_j)",
         ("1.10-grad", "1.4"), uses=_T1),
    _row("1.2", "identity", "transform of tanh(w_j x + b_j), exact and exponential forms",
         ("1.2", "1.2b", "1.1.1-tanh")),
    _row("1.3", "approximation", "transform of h", ("1.3",)),
    _row("1.4", "definition", "per-frequency loss L(k) = ½|ĥ(k) − f̂(k)|²", ("1.4", "1.10-grad"),
         uses=_T1 + "; fptheory.theory.frequency_loss"),
    _row("1.5", "identity", "∫L(k)dk = ∫½|f − h|²dx (Parseval)", ("1.5",)),
    _row("1.6", "algorithm", "gradient descent on Σ_k ∂L(k)/∂θ", ("1.6",)),
    _row("1.7", "approximation", "|∂L(k)/∂θ| ≈ |ĥ − f̂| e^{−|πk/2w|} G(θ, k), G = O(1)", ("1.7",)),
    _row("1.8", "definition", "the Ricker activation and its normalisation",
         ("1.8-norm", "1.8-peak"), uses="fptheory.fourier.activations"),
    _row("1.9", "inequality", "Theorem 1: the measure ratio ≥ 1 − C e^{−c/δ}",
         ("1.9-b", "1.9-w", "1.9-explicit")),
    _row("1.10", "identity", "∂L(k)/∂a_j in closed form", ("1.10-grad", "1.10")),
    _row("1.11", "inequality", "the equivalent inequality between the two frequencies", ("1.11",)),
    _row("1.12", "identity", "limits of ĥ(k) and D(k) as W → 0", ("1.12-1.13",)),
    _row("1.13", "identity", "limits of A(k) and φ(k) as W → 0", ("1.12-1.13",)),
    _row("1.14", "inequality", "the sinh ratio bound", ("1.14",)),
    _row("1.15", "inequality", "the bound on |sin(b_j k1/w_j − φ(k1))|", ("1.15-1.16",)),
    _row("1.16", "inequality", "the band around qπ, using (2/π)|x| ≤ |sin x|",
         ("1.16-lemma", "1.15-1.16", "1.16-c2")),
    _row("1.17", "definition", "the sets I^+ and I^- of w_j", ("1.17-1.18",),
         uses="fptheory.theory.theorem1.ratio"),
    _row("1.18", "inequality", "the interval of w_j for each q", ("1.17-1.18",)),
    _row("1.19", "inequality", "μ(I^+) as a sum of interval lengths", ("1.19-1.20",)),
    _row("1.20", "inequality", "the sum bounded termwise", ("1.19-1.20",)),
    _row("1.21", "inequality", "μ(I^+) ≤ C e^{−c/δ}", ("1.21-norm",)),
    _row("1.22", "definition", "L_nongrad, the mean squared error", ("1.22-1.23",),
         uses="fptheory.nets.mlp.loss_nongrad"),
    _row("1.23", "definition", "L_grad = L_nongrad + MSE of the input derivative",
         ("1.22-1.23", "1.23-weight"), uses="fptheory.nets.mlp.loss_grad"),
    _row("1.24", "approximation", "the linearisation h_lin around θ_0 (NTK regime)",
         ("1.24", "1.24-hyp"), uses="fptheory.theory.lfp.ntk; fptheory.nets.lfp_relu"),
    _row("1.25", "definition", "two-layer network in d dimensions", ("1.25",),
         uses="fptheory.nets.lfp_relu; fptheory.theory.lfp.gamma"),
    _row("1.26", "identity", "the LFP dynamics and γ(ξ)² for ReLU",
         ("1.26-relu", "1.26-w", "1.26-d", "1.26-E", "1.26-kernel", "1.26-tanh")),
    _row("1.27", "algorithm", "the numerical LFP model: ridge on sin/cos features", ("1.27-arg",)),
    _row("1.28", "algorithm", "(1.27) in vector form: a, E, W^{-1} and their sizes", ("1.28",)),
    _row("1.29", "identity", "the normal equations of (1.28)", ("1.29-1.30",)),
    _row("1.30", "identity", "the solution a = (EᵀE + εW^{-1})^{-1}EᵀY", ("1.29-1.30", "1.28")),
    _row("1.31", "definition", "min Q_α[h] = ∫⟨ξ⟩^α|F[h]|²dξ", ("1.31-1.32",), uses=_ALPHA),
    _row("1.32", "definition", "subject to h(x_i) = y_i, i = 1..n", ("1.31-1.32",), uses=_ALPHA),
    _row("1.33", "algorithm", "the discretised objective on the grid JΔξ, |j_i| ≤ M",
         ("1.33", "1.33-1.34")),
    _row("1.34", "algorithm", "the discretised constraints", ("1.34", "1.33-1.34")),
    _row("1.35", "identity", "F[∂f/∂x](ξ) = −2πjξ F[f](ξ)", ("1.35",)),
    _row("1.36", "definition", "δ(x) = 0 for x ≠ 0, ∞ at 0", ("1.36",),
         uses="fptheory.fourier.distributions"),
    _row("1.37", "identity", "∫δ(x)dx = 1", ("1.37",)),
    _row("1.38", "identity", "f(x) = ∫f(y)δ(y − x)dy for any function", ("1.38",)),
    _row("1.39", "identity", "F[δ] = 1", ("1.39",)),
    _row("1.40", "definition", "Heaviside H(x) = 1 for x ≥ 0, 0 for x < 0", ("1.40", "1.41"),
         uses="fptheory.fourier.distributions"),
    _row("1.41", "identity", "δ = H'", ("1.41",)),
    _row("1.42", "identity", "F[δ](ξ) = −2πjξ F[H](ξ)", ("1.42",)),
    _row("1.43", "identity", "|F[H](ξ)| = C/|ξ|", ("1.43",)),
    _row("1.44", "identity", "|F[ReLU](ξ)| = C/|ξ|², smoother functions decay faster",
         ("1.44", "1.44-smooth", "1.1.1-relu")),
    # unnumbered statements the text relies on
    _row("B_δ", "definition", "Theorem 1's ball B_δ of radius δ around W = 0, μ Lebesgue",
         ("1.21-norm", "1.9-explicit"), uses="fptheory.theory.measure"),
    _row("Theorem 1 hypotheses", "definition",
         "|f̂(k1)|, |f̂(k2)| > 0, |k2| > |k1| > 0, δ small; θ_lj over a_j, w_j, b_j",
         ("1.9-explicit", "1.9-b", "1.9-w"), uses=_T1),
    _row("(1.24) hypothesis", "definition", "∇_θ h(·, θ_0) ∈ L²(R^d) for every θ",
         ("1.24-hyp",)),
    _row("§1.3 LFP setting", "definition", "I = {0..(L'/L)K − 1}, L' = 10L, K = 200, ε = 1e-6",
         ("1.28", "1.27-arg"), uses=_LFP),
    _row("figure 1.1", "figure", "Ricker activation, a = 0.3 vs 0.1: frequency ordering",
         ("1.8-peak",), checkable=False, studies=("ricker", "frequency_ordering")),
    _row("figure 1.2", "figure", "L_grad makes high frequencies converge faster",
         ("1.23-weight",), checkable=False, studies=("grad_loss",)),
    _row("figures 1.3-1.5", "figure", "large initialisation keeps high frequencies",
         checkable=False, studies=("initialization",)),
    _row("figure 1.6", "figure", "wide ReLU net ≈ LFP ≈ cubic / linear spline",
         ("1.26-w",), checkable=False, studies=("lfp_vs_nn",)),
    _row("figure 1.7", "figure", "α < d Dirac-like, α > d smooth interpolant",
         ("1.31-1.32",), checkable=False, studies=("alpha_critical",)),
)


def table_problems(rows: Sequence[CoverageRow] = ROWS,
                   declared: Iterable[str] | None = None) -> list[str]:
    """What is wrong with a coverage table, one line each (none for :data:`ROWS`): a numbered
    equation without a row or with two, a checkable row without a claim, and (given the
    ``declared`` claim labels of the proof scripts) a row naming a claim nobody declares.

    >>> table_problems(ROWS[1:])
    ['(1.1) has no row']
    >>> table_problems([_row("1.1", "identity", "h", ())] + list(ROWS[1:]))
    ['(1.1) is checkable but no claim covers it']
    """
    problems = []
    count: dict[str, int] = {}
    for row in rows:
        count[row.equation] = count.get(row.equation, 0) + 1
    problems += [f"({e}) has no row" for e in NUMBERED if e not in count]
    problems += [f"{e} has {n} rows" for e, n in count.items() if n > 1]
    problems += [f"({r.equation}) is checkable but no claim covers it" if r.equation in NUMBERED
                 else f"{r.equation} is checkable but no claim covers it"
                 for r in rows if r.checkable and not r.claims]
    if declared is not None:
        known = set(declared)
        problems += [f"{r.equation} names the claim {c!r}, which no proof script declares"
                     for r in rows for c in r.claims if c not in known]
    return problems


def _side(a: Any) -> str | None:
    return None if a is None else a.verdict.value


def _wrong_in_text(r: ClaimResult) -> bool:
    """The claim found the text's form wrong or loose: an erratum whose text form does not
    hold (a claim that only sharpens a holding form is not one)."""
    return r.is_erratum and r.text.verdict not in HOLDS


def _status(row: CoverageRow, found: list[ClaimResult]) -> str:
    if not row.checkable and not row.claims:
        return "not checkable"
    if len(found) < len(row.claims):
        return "not checked"
    if any(not r.established for r in found):
        return "not established"
    if any(_wrong_in_text(r) for r in found):
        return "erratum"
    if not row.checkable:
        return "not checkable"
    return "holds"


def coverage(results: Iterable[ClaimResult], rows: Sequence[CoverageRow] = ROWS
             ) -> list[dict[str, Any]]:
    """The table joined with a check's results (by claim label): one dict per row with the
    row's fields, each covering claim's verdicts (the text's form, the verified form) and
    the row's status (see the module docstring)."""
    by_label = {r.label: r for r in results}
    out = []
    for row in rows:
        found = [by_label[c] for c in row.claims if c in by_label]
        out.append({
            "equation": row.equation, "role": row.role, "what": row.what,
            "checkable": row.checkable, "uses": row.uses, "studies": list(row.studies),
            "claims": [{"label": c, "present": c in by_label,
                        "text_verdict": _side(by_label[c].text) if c in by_label else None,
                        "verified_verdict": _side(by_label[c].final) if c in by_label else None,
                        "erratum": by_label[c].is_erratum if c in by_label else None}
                       for c in row.claims],
            "status": _status(row, found),
        })
    return out


def coverage_summary(table: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts per status, and the numbered equations the table lacks (none, normally)."""
    counts: dict[str, int] = {}
    for row in table:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    listed = {row["equation"] for row in table}
    return {"rows": len(table), "status": counts,
            "numbered_missing": [e for e in NUMBERED if e not in listed]}


def _claims_text(row: dict[str, Any]) -> str:
    parts = []
    for c in row["claims"]:
        if not c["present"]:
            parts.append(f"{c['label']} (not run)")
        elif c["erratum"]:
            parts.append(f"{c['label']} ({c['text_verdict']} → {c['verified_verdict']})")
        else:
            parts.append(f"{c['label']} ({c['verified_verdict']})")
    if row["studies"]:
        parts.append("study: " + ", ".join(row["studies"]))
    return "; ".join(parts) or "—"


def print_coverage(table: list[dict[str, Any]], console: Any = None) -> None:
    """The table on the console (rich): equation, role, what the text states, status, claims."""
    import sys

    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = console or Console(width=None if sys.stdout.isatty() else 150)
    style = {"holds": "green", "erratum": "yellow", "not established": "red",
             "not checked": "magenta", "not checkable": "dim"}
    t = Table(title="coverage of the chapter's equations")
    for col in ("eq.", "role", "the text", "status", "claims (text → verified)"):
        t.add_column(col, overflow="fold")
    for row in table:
        t.add_row(escape(row["equation"]), row["role"], escape(row["what"]),
                  f"[{style[row['status']]}]{row['status']}[/]", escape(_claims_text(row)))
    console.print(t)
    s = coverage_summary(table)
    console.print(f"{s['rows']} rows: " + ", ".join(f"{n} {k}" for k, n in sorted(s["status"].items()))
                  + (f"; numbered equations without a row: {', '.join(s['numbered_missing'])}"
                     if s["numbered_missing"] else ""))


def coverage_latex(results: Iterable[ClaimResult], rows_per_table: int = 18) -> str:
    r"""The report's coverage section (LaTeX): tables (plain ``tabular``, a few rows each, so
    no package is needed) with a row per equation, its role, its status and the covering
    claims with their verdicts. Free text is escaped by :func:`fptheory.report.latex.escape_text`.

    >>> tex = coverage_latex([])
    >>> tex.count(r"\begin{tabular}") == -(-len(ROWS) // 18), "(1.44)" in tex
    (True, True)
    """
    from .latex import escape_text

    table = coverage(results)
    s = coverage_summary(table)
    title = "Coverage of the chapter's equations"
    lines = [rf"\section*{{{title}}}" + "\n" + rf"\addcontentsline{{toc}}{{section}}{{{title}}}",
             r"Every numbered equation (1.1)--(1.44) and the unnumbered statements the text "
             r"relies on, with its role and the claims that check it (the text's verdict "
             r"\(\to\) the verified form's where a claim gives both). A definition counts as "
             r"covered when the toolkit uses it and a claim checks the text's other equations "
             r"against it; a figure is reproduced by its numeric study. "
             + escape_text(", ".join(f"{n} {k}" for k, n in sorted(s["status"].items()))) + ".", ""]
    head = (r"{\small\begin{tabular}{p{0.11\linewidth}p{0.17\linewidth}p{0.24\linewidth}"
            r"p{0.1\linewidth}p{0.2\linewidth}}" + "\n" + r"\hline" + "\n"
            r"eq. & role & the text & status & claims \tabularnewline \hline")
    for start in range(0, len(table), rows_per_table):
        lines.append(head)
        for row in table[start:start + rows_per_table]:
            eq = row["equation"]
            shown = f"({eq})" if eq[:1].isdigit() else eq
            cells = [escape_text(shown, scripts=False), escape_text(row["role"]),
                     escape_text(row["what"]), escape_text(row["status"]),
                     escape_text(_claims_text(row), scripts=False)]
            # \tabularnewline, not \\, ends a row whose last cell is \raggedright
            lines.append(" & ".join(r"\raggedright " + c for c in cells) + r" \tabularnewline")
        lines += [r"\hline", r"\end{tabular}}", "", r"\medskip"]
    return "\n".join(lines) + "\n"
