"""Coverage of the chapter's equations (fptheory.report.coverage): every numbered equation has a
row, every checkable row a claim that proofs/ declares; the status follows the claims' verdicts;
``check --coverage`` prints the table, ``check --json`` carries it, the report has the section."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from fptheory.cli import main
from fptheory.report.collect import PROOFS_DIR, collect_claims
from fptheory.report.coverage import (
    NUMBERED,
    ROLES,
    ROWS,
    CoverageRow,
    coverage,
    coverage_latex,
    coverage_summary,
    table_problems,
)
from fptheory.verify.claims import Assessment, ClaimResult, Verdict

CHECK_JSON = Path(__file__).resolve().parent.parent / "docs" / "_data" / "check.json"


def _declared() -> list[str]:
    return [fn._fptheory_claim["label"] for _, fn in collect_claims([PROOFS_DIR])]


def test_the_chapter_has_44_numbered_equations():
    assert NUMBERED[0] == "1.1" and NUMBERED[-1] == "1.44" and len(set(NUMBERED)) == 44


def test_every_numbered_equation_has_a_row_and_every_checkable_row_a_declared_claim():
    assert table_problems(ROWS, _declared()) == []
    numbered = [r for r in ROWS if r.equation in NUMBERED]
    assert [r.equation for r in numbered] == list(NUMBERED)  # in the chapter's order
    assert all(r.role in ROLES for r in ROWS)


def test_every_claim_of_the_proof_scripts_is_in_some_row():
    """A new claim goes into the table (else the report's coverage section is silent on it)."""
    used = {c for r in ROWS for c in r.claims}
    assert set(_declared()) - used == set()


def test_the_table_check_fails_on_a_missing_row_an_uncovered_row_and_an_unknown_claim():
    rows = [r for r in ROWS if r.equation != "1.30"]
    assert table_problems(rows) == ["(1.30) has no row"]
    bare = [CoverageRow(r.equation, r.role, r.what, True, ()) if r.equation == "1.31" else r
            for r in ROWS]
    assert table_problems(bare) == ["(1.31) is checkable but no claim covers it"]
    renamed = [CoverageRow(r.equation, r.role, r.what, True, ("1.5-renamed",))
               if r.equation == "1.5" else r for r in ROWS]
    assert table_problems(renamed, _declared()) == [
        "1.5 names the claim '1.5-renamed', which no proof script declares"]
    assert table_problems(list(ROWS) + [ROWS[0]]) == ["1.1 has 2 rows"]
    with pytest.raises(ValueError, match="role"):
        CoverageRow("1.1", "lemma", "h", True)


def _result(label: str, text: Verdict, corrected: Verdict | None = None,
            expected: str = "proved") -> ClaimResult:
    return ClaimResult(label, label, Assessment("s", text),
                       None if corrected is None else Assessment("c", corrected), expected=expected)


def _status(results, equation):
    return next(r for r in coverage(results) if r["equation"] == equation)


def test_status_follows_the_verdicts_of_the_covering_claims():
    assert _status([_result("1.5", Verdict.PROVED)], "1.5")["status"] == "holds"
    erratum = _status([_result("1.5", Verdict.REFUTED, Verdict.PROVED)], "1.5")
    assert erratum["status"] == "erratum"
    assert erratum["claims"] == [{"label": "1.5", "present": True, "text_verdict": "refuted",
                                  "verified_verdict": "proved", "erratum": True}]
    # a sharpened constant (text proved, a tighter form proved too) is not an erratum of the row
    assert _status([_result("1.14", Verdict.PROVED, Verdict.PROVED)], "1.14")["status"] == "holds"
    assert _status([_result("1.5", Verdict.UNKNOWN)], "1.5")["status"] == "not established"
    assert _status([_result("1.5", Verdict.REFUTED, Verdict.SAMPLED)], "1.5")["status"] == \
        "not established"
    sampled = _result("1.22-1.23", Verdict.SAMPLED, expected="sampled")
    assert _status([sampled], "1.22")["status"] == "holds"
    # one of two covering claims missing from the run: not checked, whatever the other says
    assert _status([_result("1.33", Verdict.REFUTED, Verdict.PROVED)], "1.33")["status"] == \
        "not checked"
    assert _status([], "figures 1.3-1.5")["status"] == "not checkable"
    summary = coverage_summary(coverage([]))
    assert summary["rows"] == len(ROWS) and summary["numbered_missing"] == []
    assert summary["status"] == {"not checked": len(ROWS) - 1, "not checkable": 1}


def test_the_report_section_lists_every_equation():
    tex = coverage_latex([_result("1.5", Verdict.REFUTED, Verdict.PROVED)])
    assert r"\section*{Coverage of the chapter's equations}" in tex
    for e in NUMBERED:
        assert f"({e})" in tex
    row = next(line for line in tex.splitlines() if "(1.5)" in line)
    assert "erratum" in row and r"1.5 (refuted \ensuremath{\to} proved)" in row
    assert "[U+" not in tex  # every character of the table has a LaTeX form


SCRIPT = (
    "import sympy as sp\n"
    "from fptheory.verify.claims import claim, assess_identity\n"
    "x = sp.Symbol('x', real=True)\n"
    "@claim('1.37', 'a unit mass')\n"
    "def mass():\n"
    "    return assess_identity(sp.integrate(sp.DiracDelta(x), (x, -sp.oo, sp.oo)), 1, 'int delta = 1')\n"
)


def test_check_coverage_prints_all_44_equations_and_json_carries_the_table(tmp_path, capsys):
    (tmp_path / "mine.py").write_text(SCRIPT)
    assert main(["check", str(tmp_path), "--coverage", "--output", "", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "coverage of the chapter's equations" in out
    lines = out.splitlines()
    for e in NUMBERED:
        assert any(line.startswith(f"│ {e} ") for line in lines), e
    assert f"{len(ROWS)} rows: 1 holds" in out
    assert main(["check", str(tmp_path), "--json", "--output", "", "--quiet"]) == 0
    report = json.loads(capsys.readouterr().out)
    rows = {r["equation"]: r for r in report["coverage"]}
    assert set(NUMBERED) <= set(rows)
    assert rows["1.37"]["status"] == "holds" and rows["1.37"]["role"] == "identity"
    assert rows["1.5"]["status"] == "not checked"
    assert report["coverage_summary"]["numbered_missing"] == []


def test_the_committed_check_json_carries_the_current_table():
    committed = json.loads(CHECK_JSON.read_text(encoding="utf-8"))["coverage"]
    assert [(r["equation"], r["role"], [c["label"] for c in r["claims"]]) for r in committed] == \
        [(r.equation, r.role, list(r.claims)) for r in ROWS], (
            'docs/_data/check.json is stale: run fptheory check --json --output "" > '
            'docs/_data/check.json')
    assert all(r["status"] != "not checked" for r in committed)


def test_the_docs_coverage_page_renders_every_row_of_the_committed_report():
    import importlib.util

    docs = CHECK_JSON.parent.parent
    spec = importlib.util.spec_from_file_location("docs_errata_cov", docs / "_ext" / "errata.py")
    ext = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ext)
    page = ext.render_coverage(json.loads(CHECK_JSON.read_text(encoding="utf-8")))
    rows = [line for line in page.splitlines() if line.startswith("| ")]
    assert len(rows) == 1 + len(ROWS)  # the header, then one line per row
    # five cells each: a "|" inside a cell (|ĥ − f̂|) is escaped, never a column break
    # (an escaped backslash, two characters, is taken out first: a "|" after it is a break)
    assert {len(re.split(r"(?<!\\)\|", line.replace("\\\\", "@"))) for line in rows} == {7}
    for e in NUMBERED:
        assert any(line.startswith(f"| {ext._text(f'({e})')} |") for line in rows), e
    assert (docs / "coverage.md").read_text(encoding="utf-8").count("\n% fptheory-coverage\n") == 1
