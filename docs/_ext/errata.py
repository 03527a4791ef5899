"""The errata and coverage pages, generated from ``fptheory check``'s JSON report, not typed.

``docs/errata.md`` holds an introduction and the marker line ``% fptheory-errata``; while Sphinx
reads the page (the ``source-read`` event) the marker is replaced by :func:`render_errata` of
``docs/_data/check.json``, the committed output of::

    fptheory check --json --output "" > docs/_data/check.json

``docs/coverage.md`` likewise holds the line ``% fptheory-coverage``, replaced by
:func:`render_coverage`: the JSON's ``coverage`` table (one row per numbered equation of the
chapter and per unnumbered statement it relies on, its role, status and claims).

For every erratum the JSON carries: its label and title, the text's form and its verdict,
the corrected form and its verdict, the counterexample (an exact point and both sides) and
the evidence of each. ``tests/test_docs.py`` checks that the committed JSON still matches
the proof scripts (and, in a slow test, a fresh ``fptheory check``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

MARKER = "% fptheory-errata"
COVERAGE_MARKER = "% fptheory-coverage"
DATA = Path(__file__).resolve().parent.parent / "_data" / "check.json"

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def _text(value: Any) -> str:
    """Plain text as Markdown: every ASCII punctuation escaped (CommonMark allows it), one line."""
    return _PUNCTUATION.sub(r"\\\1", " ".join(str(value).split()))


def _math(latex: str) -> list[str]:
    return ["```{math}", latex.strip(), "```", ""]


def _evidence(items: list[dict[str, Any]]) -> list[str]:
    return [f"- *{_text(item['kind'])}*: {_text(item['text'])}" for item in items]


def _counterexample(cex: dict[str, Any] | None) -> list[str]:
    if not cex:
        return []
    point = ", ".join(f"{name} = {value}" for name, value in cex.get("point", {}).items())
    lines = [f"Counterexample at {_text(point)} ({_text(cex.get('digits', '?'))} digits):", ""]
    lines += [f"- left side: {_text(cex.get('lhs'))}", f"- right side: {_text(cex.get('rhs'))}", ""]
    return lines


def _side(name: str, statement: str, verdict: str | None, result: dict[str, Any] | None) -> list[str]:
    lines = [f"**{name}** ({_text(verdict or 'no verdict')}):", ""] + _math(statement)
    if result:
        lines += _counterexample(result.get("counterexample"))
        if result.get("evidence"):
            lines += ["Evidence:", "", *_evidence(result["evidence"]), ""]
    return lines


def render_errata(report: dict[str, Any]) -> str:
    """The errata of a ``fptheory check --json`` report as MyST Markdown (one section each)."""
    claims = {claim["label"]: claim for claim in report.get("claims", [])}
    summary = report.get("summary", {})
    lines = [
        f"{summary.get('claims', len(claims))} claims checked: {summary.get('holding', '?')} hold "
        f"(proved or certified), {summary.get('errata', len(report.get('errata', [])))} errata.",
        "",
    ]
    for erratum in report.get("errata", []):
        label = erratum["label"]
        claim = claims.get(label, {})
        lines += [f"(erratum-{label})=", f"## ({_text(label)}) {_text(erratum['title'])}", ""]
        if claim.get("source"):
            lines += [f"Checked by `proofs/{claim['source']}`"
                      + (f", in the {_text(claim['convention'])} convention." if claim.get("convention")
                         else "."), ""]
        if erratum.get("note"):
            lines += [_text(erratum["note"]), ""]
        lines += _side("The text's form", erratum["text"], erratum["text_verdict"], claim.get("text"))
        if erratum.get("corrected") is not None:
            lines += _side("Corrected form", erratum["corrected"], erratum["corrected_verdict"],
                           claim.get("corrected"))
    return "\n".join(lines)


def _cell(value: Any) -> str:
    """A table cell: as :func:`_text` (which escapes ``|`` too, so a cell never splits)."""
    return _text(value)


def _claim_cell(row: dict[str, Any]) -> str:
    parts = []
    for c in row.get("claims", []):
        label = c["label"]
        if not c.get("present"):
            parts.append(f"{_cell(label)} (not run)")
        elif c.get("erratum"):
            parts.append(f"{_cell(label)} ({_cell(c['text_verdict'])} → "
                         f"{_cell(c['verified_verdict'])})")
        else:
            parts.append(f"{_cell(label)} ({_cell(c['verified_verdict'])})")
    if row.get("studies"):
        parts.append("study: " + ", ".join(_cell(s) for s in row["studies"]))
    return "; ".join(parts) or "—"


def render_coverage(report: dict[str, Any]) -> str:
    """The coverage table of a ``fptheory check --json`` report as a MyST Markdown table."""
    table = report.get("coverage", [])
    counts: dict[str, int] = {}
    for row in table:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    lines = [f"{len(table)} rows: " + ", ".join(f"{n} {_text(k)}" for k, n in sorted(counts.items()))
             + ".", "", "| eq. | role | the text | status | claims (text → verified) |",
             "|---|---|---|---|---|"]
    for row in table:
        eq = row["equation"]
        shown = f"({eq})" if eq[:1].isdigit() else eq
        lines.append(f"| {_cell(shown)} | {_cell(row['role'])} | {_cell(row['what'])} | "
                     f"{_cell(row['status'])} | {_claim_cell(row)} |")
    return "\n".join(lines) + "\n"


_PAGES = {"errata": (MARKER, render_errata), "coverage": (COVERAGE_MARKER, render_coverage)}


def _on_source_read(app, docname: str, source: list[str]) -> None:
    if docname not in _PAGES:
        return
    from sphinx.errors import ExtensionError

    marker, render = _PAGES[docname]
    if marker not in source[0].splitlines():
        raise ExtensionError(f"{docname}.md lacks the line {marker!r} that the generated part replaces")
    app.env.note_dependency(str(DATA))
    page = render(json.loads(DATA.read_text(encoding="utf-8")))
    source[0] = "\n".join(page if line == marker else line for line in source[0].splitlines()) + "\n"


def setup(app) -> dict[str, Any]:
    app.connect("source-read", _on_source_read)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
