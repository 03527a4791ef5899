"""Scripts shipped to cluster workers as text: the same results, and hostile shipments refused."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from fptheory.core.errors import FPTheoryError
from fptheory.core.execution import LocalExecutor
from fptheory.report.collect import collect_claims, run_paths
from fptheory.report.shipping import (
    MAX_SHIPPED_BYTES,
    ShippedScript,
    _write_back,
    materialise,
    run_shipped_claim,
    run_shipped_study,
    run_studies_on,
)

SCRIPT = ("import sympy as sp\nfrom fptheory.verify import claim, assess_identity\nx = sp.Symbol('x')\n"
          "@claim('S.1', 'double angle')\ndef double():\n"
          "    return assess_identity(sp.sin(2*x), 2*sp.sin(x)*sp.cos(x), 'sin 2x')\n"
          "@claim('S.2', 'wrong')\ndef wrong():\n"
          "    return assess_identity(sp.cos(2*x), 1 - sp.sin(x)**2, 'cos 2x')\n")

STUDY = ('import json, pathlib\nimport matplotlib\nmatplotlib.use("Agg")\nimport matplotlib.pyplot as plt\n'
         'def run(size, out_dir, seed):\n'
         '    out = pathlib.Path(out_dir)\n'
         '    plt.plot([0, 1], [seed, size == "quick"])\n'
         '    plt.savefig(out / "line.png")\n'
         '    (out / "data.json").write_text(json.dumps({"seed": seed}))\n'
         '    return {"study": "line", "title": "a line", "chapter": "none", "verdict": "holds",\n'
         '            "prediction_holds": True, "figures": ["line.png"], "config": {"seed": seed}}\n')


def _script(tmp_path: Path, name: str = "mine.py", text: str = SCRIPT) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_shipped_claim_answers_as_the_local_one(tmp_path):
    path = _script(tmp_path)
    shipped = ShippedScript.from_path(path)
    local = run_paths([path], jobs=0)
    for i, want in enumerate(local):
        got = run_shipped_claim(shipped, i, want.label)
        assert dataclasses.replace(got, seconds=0) == dataclasses.replace(want, seconds=0)
    assert [r.text.verdict.value for r in local] == ["proved", "refuted"]


def test_the_claim_at_a_position_must_carry_the_label(tmp_path):
    shipped = ShippedScript.from_path(_script(tmp_path))
    with pytest.raises(FPTheoryError, match="not at position"):
        run_shipped_claim(shipped, 0, "S.2")
    with pytest.raises(FPTheoryError, match="not at position"):
        run_shipped_claim(shipped, 5, "S.1")


def test_hostile_shipments_are_refused(tmp_path):
    good = ShippedScript.from_path(_script(tmp_path))
    with pytest.raises(FPTheoryError, match="does not match its hash"):
        materialise(dataclasses.replace(good, source=good.source + "import os\n"))
    for name in ("../evil.py", "/tmp/evil.py", "evil.sh"):
        with pytest.raises(FPTheoryError, match="refusing"):
            materialise(dataclasses.replace(good, name=name))
    big = tmp_path / "big.py"
    big.write_bytes(b"#" * (MAX_SHIPPED_BYTES + 1))
    with pytest.raises(FPTheoryError, match="not shipped"):
        ShippedScript.from_path(big)
    binary = tmp_path / "bin.py"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(FPTheoryError, match="not UTF-8"):
        ShippedScript.from_path(binary)
    with pytest.raises(FPTheoryError, match="outside the report folder"):
        _write_back({"../escape.txt": b"x"}, tmp_path / "out")
    assert not (tmp_path / "escape.txt").exists()


def test_materialised_text_is_the_shipped_text(tmp_path):
    shipped = ShippedScript.from_path(_script(tmp_path))
    where = materialise(shipped)
    assert where.read_text() == SCRIPT and where.name == "mine.py" and where.parent != tmp_path
    assert materialise(shipped) == where  # written once, found again
    assert [fn._fptheory_claim["label"] for _, fn in collect_claims([where])] == ["S.1", "S.2"]


def test_a_shipped_study_sends_back_its_figures(tmp_path):
    study = ShippedScript.from_path(_script(tmp_path, "line_study.py", STUDY))
    outcome, files = run_shipped_study(study, "quick", 3, 120.0)
    assert outcome.status == "ok", outcome.reason
    assert outcome.figures == ["figures/line-study-1.png"]
    assert set(files) >= {"figures/line-study-1.png", "numerics/line_study/data.json"}
    assert files["figures/line-study-1.png"].startswith(b"\x89PNG")
    # the same through an executor, written under the report folder
    out = tmp_path / "report"
    outcomes = run_studies_on(LocalExecutor(1), [tmp_path / "line_study.py"], "quick", out, 3, 120.0)
    assert outcomes[0].status == "ok"
    assert (out / "figures" / "line-study-1.png").read_bytes() == files["figures/line-study-1.png"]


def test_helpers_beside_a_script_travel_with_it(tmp_path):
    from fptheory.report.shipping import _digest

    (tmp_path / "_helper.py").write_text("import sympy as sp\nVALUE = sp.Integer(2)\n")
    path = _script(tmp_path, "uses_helper.py",
                   "import os, sys\nsys.path.insert(0, os.path.dirname(__file__))\n"
                   "import sympy as sp\nfrom _helper import VALUE\n"
                   "from fptheory.verify import claim, assess_identity\nx = sp.Symbol('x')\n"
                   "@claim('H.1', 'a helper value')\ndef helped():\n"
                   "    return assess_identity(VALUE * x, x + x, '2x')\n")
    shipped = ShippedScript.from_path(path)
    assert [name for name, _ in shipped.helpers] == ["_helper.py"]
    where = materialise(shipped)
    assert (where.parent / "_helper.py").read_text() == (tmp_path / "_helper.py").read_text()
    assert run_shipped_claim(shipped, 0, "H.1").final.verdict.value == "proved"
    # a helper edited on the way no longer matches the hash; a helper name that leaves the folder
    forged = dataclasses.replace(shipped, helpers=(("_helper.py", "VALUE = 3\n"),))
    with pytest.raises(FPTheoryError, match="does not match its hash"):
        materialise(forged)
    for bad in ("../_x.py", "_x/../../y.py", "x.py"):
        helpers = ((bad, "X = 1\n"),)
        hostile = ShippedScript(shipped.name, shipped.source, _digest(shipped.name, shipped.source, helpers),
                                helpers)
        with pytest.raises(FPTheoryError, match="refusing"):
            materialise(hostile)
