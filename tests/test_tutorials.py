"""The tutorials can be followed verbatim: the scripts shown in full on the pages are the files
in ``docs/examples/``, and running them gives what the pages say."""

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from fptheory.report.studies import CONTRACT_KEYS, run_study

DOCS = Path(__file__).resolve().parent.parent / "docs"
EXAMPLES = DOCS / "examples"


def _shown_script(page: str, caption: str) -> str:
    """The code block of ``page`` with ``:caption: caption``, as a reader would copy it."""
    text = (DOCS / "tutorials" / page).read_text(encoding="utf-8")
    blocks = re.findall(r"```\{code-block\} python\n:caption: " + re.escape(caption) + r"\n\n(.*?)```",
                        text, re.DOTALL)
    assert len(blocks) == 1, f"{page}: expected one code block captioned {caption}"
    return blocks[0]


def _check(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fptheory", "check", *args], capture_output=True,
                          text=True, timeout=300)


# ---------------------------------------------------------------------------------------
# the proof-check script (docs/tutorials/proof-script.md)


def test_proof_script_on_the_page_is_the_example_file():
    shown = _shown_script("proof-script.md", "my_proofs/my_proof.py")
    assert shown == (EXAMPLES / "my_proof.py").read_text(encoding="utf-8")


def _stated_verdicts() -> dict[str, str]:
    """label → verdict column of the ``fptheory check`` table shown on the page."""
    text = (DOCS / "tutorials" / "proof-script.md").read_text(encoding="utf-8")
    rows = re.findall(r"│ (my-[\w-]+)\s+│[^│]*│ ([a-z]+(?: → corrected: [a-z]+)?)\s+│", text)
    return dict(rows)


def test_check_gives_the_verdicts_the_page_states():
    stated = _stated_verdicts()
    assert stated == {"my-gauss": "refuted → corrected: proved", "my-double-angle": "proved",
                      "my-jordan": "certified", "my-dilog": "sampled"}
    run = _check(str(EXAMPLES / "my_proof.py"), "--json", "--output", "", "--quiet")
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    got = {c["label"]: c["text"]["verdict"]
           + (f" → corrected: {c['corrected']['verdict']}" if c["corrected"] else "")
           for c in report["claims"]}
    assert got == stated
    summary = dict(report["summary"])
    assert set(summary.pop("cached")) <= set(got)  # labels answered from the result cache
    assert summary == {"claims": 4, "holding": 3, "errata": 1, "not_holding": [],
                       "sampled_as_declared": ["my-dilog"]}
    page = (DOCS / "tutorials" / "proof-script.md").read_text(encoding="utf-8")
    assert ("4 claims: 3 hold (proved/certified), 1 sampled as declared (evidence, not proof: "
            "my-dilog), 1 errata, 0 not established") in page


def test_sampled_claim_fails_the_check_without_its_declaration(tmp_path):
    """What the page says about ``expected="sampled"``: without it the claim is not established."""
    script = (EXAMPLES / "my_proof.py").read_text(encoding="utf-8")
    assert script.count(', expected="sampled")') == 1
    (tmp_path / "undeclared.py").write_text(script.replace(', expected="sampled")', ")"))
    run = _check(str(tmp_path / "undeclared.py"), "--json", "--output", "", "--quiet")
    assert run.returncode == 1
    assert json.loads(run.stdout)["summary"]["not_holding"] == ["my-dilog"]


# ---------------------------------------------------------------------------------------
# the numeric study (docs/tutorials/numeric-study.md)


def test_study_on_the_page_is_the_example_file():
    shown = _shown_script("numeric-study.md", "my_studies/my_study.py")
    assert shown == (EXAMPLES / "my_study.py").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def my_study():
    spec = importlib.util.spec_from_file_location("tutorial_my_study", EXAMPLES / "my_study.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_example_study_follows_the_contract(my_study, tmp_path):
    pytest.importorskip("matplotlib")
    result = my_study.run(size="quick", out_dir=tmp_path, seed=0)
    assert set(CONTRACT_KEYS) <= set(result)
    assert result["study"] == "my_study" and result["prediction_holds"] is True
    assert [Path(f).suffix for f in result["figures"]] == [".png"]
    assert all(Path(f).is_file() and Path(f).parent == tmp_path for f in result["figures"])
    assert json.loads(Path(result["json"]).read_text()) == json.loads(json.dumps(result))
    # the measurement against an independent value: π/2, the rate of πk/sinh(πk/2)
    assert abs(result["measured_rate"] - 1.5707963267948966) < 1e-3
    assert result["verdict"].startswith("measured rate 1.5708, engine's pi/2 = 1.5708")


def test_example_study_verdict_does_not_depend_on_the_seed(my_study, tmp_path):
    pytest.importorskip("matplotlib")
    shifts = set()
    for seed in (1, 2):
        result = my_study.run(size="quick", out_dir=tmp_path / str(seed), seed=seed)
        assert result["prediction_holds"] is True
        shifts.add(result["shift"])
    assert len(shifts) == 2


def test_example_study_runs_as_the_report_runs_it(tmp_path):
    """In its own process, as ``fptheory report --numerics DIR`` does; the figure is copied."""
    pytest.importorskip("matplotlib")
    outcome = run_study(EXAMPLES / "my_study.py", "quick", tmp_path, seed=0)
    assert outcome.status == "ok", outcome.reason
    assert outcome.prediction_holds is True
    assert outcome.figures == ["figures/my-study-1.png"]
    assert (tmp_path / outcome.figures[0]).is_file()


def test_example_study_runs_alone(tmp_path):
    pytest.importorskip("matplotlib")
    run = subprocess.run([sys.executable, str(EXAMPLES / "my_study.py"), "--out", str(tmp_path)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "my_study: Decay rate of the sech² spectrum [§1.1.1, (1.2)]"
    assert "prediction_holds: True" in lines
    assert (tmp_path / "my_study.png").is_file() and (tmp_path / "my_study.json").is_file()
