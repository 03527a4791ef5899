"""The chapter's transform claims get the verdicts the mathematics demands."""

import pytest

from fptheory.claims import Verdict
from fptheory.report import PROOFS_DIR, report_dict, run_paths


@pytest.fixture(scope="module")
def results():
    return {r.label: r for r in run_paths([PROOFS_DIR / "fourier_transforms.py"])}


@pytest.mark.parametrize("label", ["1.2", "1.1.1-tanh", "1.1.1-relu", "1.8-peak", "1.39", "1.41",
                                   "1.43", "1.44"])
def test_claims_that_hold_as_written(results, label):
    r = results[label]
    assert r.text.verdict is Verdict.PROVED and r.corrected is None


@pytest.mark.parametrize("label", ["1.2b", "1.3", "1.8-norm", "1.35", "1.42", "1.44-smooth"])
def test_errata_are_refuted_with_counterexample_and_corrected(results, label):
    r = results[label]
    assert r.text.verdict is Verdict.REFUTED and r.text.counterexample
    assert r.corrected.verdict is Verdict.PROVED


def test_report_lists_errata_and_everything_holds(results):
    report = report_dict(list(results.values()))
    assert report["summary"]["not_holding"] == []
    assert {e["label"] for e in report["errata"]} == {"1.2b", "1.3", "1.8-norm", "1.35", "1.42",
                                                      "1.44-smooth"}


@pytest.fixture(scope="module")
def theorem1():
    return {r.label: r for r in run_paths([PROOFS_DIR / "theorem1.py"])}


def test_theorem1_steps_hold_and_c2_is_an_erratum(theorem1):
    assert all(r.holds for r in theorem1.values())
    c2 = theorem1["1.16-c2"]
    assert c2.text.verdict is Verdict.REFUTED and c2.corrected.verdict is Verdict.PROVED
    assert c2.corrected.statement == r"c_2 = \pi(k_2 - k_1)/2"
    assert theorem1["1.16-lemma"].text.verdict is Verdict.CERTIFIED
    assert theorem1["1.14"].corrected.verdict is Verdict.PROVED
