"""`fptheory check` re-runs only what changed (fptheory.report.check_cache): verdicts identical
with and without the cache, cached rows marked, edits to a script or the library re-run its
claims, unknown verdicts never stored, damaged entries ignored."""

from __future__ import annotations

import json
import textwrap

import pytest

from fptheory.cli.app import main
from fptheory.core import cache as disk
from fptheory.report import check_cache
from fptheory.report.collect import collect_claims, print_report
from fptheory.verify.claims import run_claim

SCRIPT = textwrap.dedent('''
    import sympy as sp
    from fptheory.verify.claims import assess_identity, claim, unknown

    x = sp.Symbol("x", real=True)


    @claim("t.1", "double angle")
    def double_angle():
        return assess_identity(sp.sin(2 * x), 2 * sp.sin(x) * sp.cos(x), r"\\sin 2x")


    @claim("t.2", "a wrong text and its correction")
    def corrected():
        text = assess_identity(sp.exp(x), 1 + x, "e^x = 1 + x", samples={x: [0, 1]})
        return text, assess_identity(sp.cosh(x) ** 2 - sp.sinh(x) ** 2, sp.Integer(1), "cosh")


    @claim("t.3", "undecided")
    def undecided():
        return unknown("something", "no method")
''')


@pytest.fixture
def script(tmp_path, monkeypatch):
    monkeypatch.setenv("FPTHEORY_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "proofs" / "demo.py"
    path.parent.mkdir()
    path.write_text(SCRIPT)
    return path


def _check(capsys, path, *extra: str) -> dict:
    code = main(["check", str(path), "--json", "--quiet", "--output", "", "--jobs", "1", *extra])
    report = json.loads(capsys.readouterr().out)
    report["exit"] = code
    return report


def _verdicts(report: dict) -> list:
    """Everything but the time taken and the cache marks."""
    out = []
    for c in report["claims"]:
        c = dict(c)
        c.pop("seconds"), c.pop("cached")
        out.append(c)
    return out


def test_verdicts_identical_with_and_without_the_cache(script, capsys):
    cold = _check(capsys, script)
    warm = _check(capsys, script)
    fresh = _check(capsys, script, "--fresh")
    assert _verdicts(cold) == _verdicts(warm) == _verdicts(fresh)
    assert cold["exit"] == warm["exit"] == fresh["exit"] == 1  # t.3 is not established
    assert [c["cached"] for c in cold["claims"]] == [False, False, False]
    # established or refuted verdicts come back from the cache; unknown is re-run
    assert [c["cached"] for c in warm["claims"]] == [True, True, False]
    assert warm["summary"]["cached"] == ["t.1", "t.2"]
    assert [c["cached"] for c in fresh["claims"]] == [False, False, False]


def test_editing_the_script_or_the_library_reruns(script, capsys, monkeypatch):
    _check(capsys, script)
    script.write_text(SCRIPT + "\n# edited\n")
    assert not any(c["cached"] for c in _check(capsys, script)["claims"])
    assert _check(capsys, script)["summary"]["cached"] == ["t.1", "t.2"]
    (script.parent / "_helpers.py").write_text("VALUE = 1\n")  # a helper beside it
    assert not any(c["cached"] for c in _check(capsys, script)["claims"])
    monkeypatch.setattr(disk, "source_hash", lambda: "f" * 64)  # any library file edited
    assert not any(c["cached"] for c in _check(capsys, script)["claims"])


def test_damaged_result_entry_is_rerun(script, capsys):
    _check(capsys, script)
    forged = list((script.parent.parent / "cache").glob("check-results/*/*.json"))
    assert len(forged) == 2
    for path in forged:
        entry = json.loads(path.read_text())
        entry["payload"]["text"]["verdict"] = "certified"  # forged: the checksum no longer matches
        path.write_text(json.dumps(entry))
    again = _check(capsys, script)
    assert not any(c["cached"] for c in again["claims"])
    assert again["claims"][1]["text"]["verdict"] == "refuted"


def test_record_round_trip_keeps_every_field(script):
    for source, fn in collect_claims([script]):
        result = run_claim(fn, source)
        back = check_cache.result_from_record(
            json.loads(json.dumps(check_cache.result_to_record(result))))
        assert back.to_dict() == json.loads(json.dumps(result.to_dict()))
        assert (back.text.relation == result.text.relation)


def test_table_marks_cached_rows(script, capsys):
    from rich.console import Console

    results = [run_claim(fn, source) for source, fn in collect_claims([script])]
    console = Console(width=200, record=True)
    print_report(results, console=console, cached={0})
    text = console.export_text()
    assert "cached (" in text and "1 of 3 verdicts from the cache" in text


@pytest.mark.slow
def test_every_decided_chapter_claim_can_be_stored(tmp_path, monkeypatch):
    """A warm `check` re-runs only the unknown verdicts: every other result of the chapter's
    proof scripts reads back identically and is stored (a claim holding a Limit, an Integral,
    a Sum of Indexed terms was not, and was re-run on every warm check)."""
    from pathlib import Path

    monkeypatch.setenv("FPTHEORY_CACHE_DIR", str(tmp_path / "cache"))
    proofs = Path(__file__).resolve().parents[1] / "proofs"
    not_stored = []
    for source, fn in collect_claims(sorted(proofs.glob("[!_]*.py"))):
        result = run_claim(fn, source)
        decided = "unknown" not in (result.text.verdict.value,
                                    result.corrected.verdict.value if result.corrected else "")
        if decided and not check_cache.remember(fn, result):
            not_stored.append(result.label)
    assert not_stored == []


def test_fresh_reads_no_entry_but_stores_the_new_ones(script, capsys):
    disk.store("demo", ["a"], {"value": 1})
    disk.set_reading(False)
    try:
        assert disk.load("demo", ["a"]) is None  # derivations afresh too, not only verdicts
        assert disk.store("demo", ["b"], {"value": 2})
    finally:
        disk.set_reading(True)
    assert disk.load("demo", ["b"]) == {"value": 2}
    _check(capsys, script)
    fresh = _check(capsys, script, "--fresh")
    assert fresh["summary"]["cached"] == [] and disk._reading is True  # this run only
    assert _check(capsys, script)["summary"]["cached"] == ["t.1", "t.2"]
