"""The documentation: its examples run as doctests (they are promises to readers), the Sphinx
site builds without a warning, the API pages cover every module, and the errata page's data
(``docs/_data/check.json``) is what ``fptheory check`` reports."""

import doctest
import importlib.util
import json
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import fptheory

DOCS = Path(__file__).resolve().parent.parent / "docs"
CHECK_JSON = DOCS / "_data" / "check.json"
#: Markdown pages: every ``docs/**/*.md`` but those under ``_build``, ``_data``, ``_ext``, ...
PAGES = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")
               if not any(part.startswith(("_", ".")) for part in p.relative_to(DOCS).parts))


@pytest.mark.parametrize("page", PAGES)
def test_documentation_examples_hold(page):
    result = doctest.testfile(str(DOCS / page), module_relative=False,
                              optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 or page != "trust-model.md"
    assert result.failed == 0


def test_sphinx_build_has_no_warnings(tmp_path):
    """``python -m sphinx -W --keep-going -b html docs OUT`` exits 0: no warning anywhere."""
    for tool in ("sphinx", "myst_parser", "sphinxarg"):  # the docs (and test) extra
        pytest.importorskip(tool)
    run = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", str(DOCS),
         str(tmp_path / "html"), "-d", str(tmp_path / "doctrees")],
        capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-6000:] or run.stdout[-6000:]
    assert (tmp_path / "html" / "errata.html").is_file()


def test_every_public_module_has_an_api_page():
    documented = set()
    for page in (DOCS / "api").glob("*.md"):
        documented |= set(re.findall(r"\.\. automodule:: (\S+)", page.read_text(encoding="utf-8")))
    modules = {"fptheory"} | {
        info.name for info in pkgutil.walk_packages(fptheory.__path__, "fptheory.")
        if not any(part.startswith("_") for part in info.name.split("."))}
    assert modules - documented == set(), "modules without an automodule on a docs/api page"
    assert documented - modules == set(), "automodule of a module that does not exist"


def _errata_extension():
    spec = importlib.util.spec_from_file_location("docs_errata", DOCS / "_ext" / "errata.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _committed() -> dict:
    return json.loads(CHECK_JSON.read_text(encoding="utf-8"))


def test_errata_page_renders_every_erratum_of_the_committed_report():
    report = _committed()
    assert report["errata"], "the committed report has no errata"
    page = _errata_extension().render_errata(report)
    for erratum in report["errata"]:
        assert f"(erratum-{erratum['label']})=" in page
    assert (DOCS / "errata.md").read_text(encoding="utf-8").count("\n% fptheory-errata\n") == 1


def test_committed_check_json_has_the_claims_of_the_proof_scripts():
    """The cheap half of the match: the same claims (label, title, required strength), in order,
    as ``proofs/`` declares now. A claim added, removed or renamed means: refresh the JSON."""
    from fptheory.report.collect import PROOFS_DIR, collect_claims

    declared = [(fn._fptheory_claim["label"], fn._fptheory_claim["title"],
                 fn._fptheory_claim["expected"]) for _, fn in collect_claims([PROOFS_DIR])]
    committed = [(c["label"], c["title"], c["expected"]) for c in _committed()["claims"]]
    assert committed == declared, ('docs/_data/check.json is stale: run fptheory check --json '
                                   '--output "" > docs/_data/check.json')


def _verdicts(report: dict) -> dict:
    """What a check decides, without timings or evidence wording: per claim the statements,
    verdicts and flags; the errata as listed; the summary."""
    def side(s):
        return None if s is None else (s["statement"], s["verdict"])

    return {
        "claims": [(c["label"], c["title"], c["expected"], side(c["text"]), side(c["corrected"]),
                    c["holds"], c["established"], c["erratum"]) for c in report["claims"]],
        "errata": report["errata"],
        "summary": report["summary"],
    }


@pytest.mark.slow
def test_committed_check_json_matches_a_fresh_check():
    """The full match (about a minute on 2 cores): rerun every claim and compare the verdicts."""
    from fptheory.report.collect import PROOFS_DIR, report_dict, run_paths

    fresh = report_dict(run_paths([PROOFS_DIR], jobs=2))
    assert _verdicts(fresh) == _verdicts(_committed()), (
        'docs/_data/check.json is stale: run fptheory check --json --output "" > '
        'docs/_data/check.json')
