"""Every sub-command (but ``ft``, tested in test_cli.py) answers a bad input in one line on
stderr with the exit code of docs/cli.md's table: never a traceback, a hang, or silence.

Each input here is refused before any work (the checks of fptheory/cli/_validate.py), so the
whole file runs in seconds, in this process (``fptheory.cli.main``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fptheory.cli import main

MEASURE = ["measure", "--k1", "1", "--k2", "2", "--target", "exp(-x**2/2)", "--delta", "0.2"]
BAD = "/proc/no-such-dir/out.png"  # cannot be made, even by root

CASES = [
    # measure
    (MEASURE + ["--m", "1e9"], "invalid int value"),
    (MEASURE + ["--m", "1000000000"], "of memory"),
    (MEASURE + ["--m", "0"], "--m must be >= 1"),
    (MEASURE + ["--m", "-3"], "--m must be >= 1"),
    (MEASURE + ["--m", "2", "--samples", "1000000000000"], "--samples 1000000000000 would take"),
    (MEASURE + ["--m", "2", "--samples", "0"], "--samples must be >= 1"),
    (MEASURE + ["--m", "2", "--workers", "0"], "--workers must be at least 1"),
    (MEASURE + ["--m", "2", "--workers", "-2"], "--workers must be at least 1"),
    (MEASURE + ["--m", "2", "--act-param", "zzz=1"], "tanh has no parameters"),
    (MEASURE + ["--m", "2", "--activation", "ricker_chapter", "--act-param", "zzz=1"], "has parameters"),
    (MEASURE + ["--m", "2", "--plot", BAD], "--plot"),
    (MEASURE + ["--m", "2", "--rel-precision", "nan"], "--rel-precision"),
    (MEASURE + ["--m", "2", "--seed", "-1"], "--seed must be >= 0"),
    (["measure", "--k1", "2", "--k2", "1", "--m", "2"], "k2 must be > k1"),
    (["measure", "--k1", "nan", "--k2", "2", "--m", "2"], "--k1"),
    (["measure", "--k1", "0", "--k2", "2", "--m", "2"], "--k1"),
    (["measure", "--k1", "1", "--k2", "inf", "--m", "2"], "--k2 must be a finite number"),
    (["measure", "--k1", "1", "--k2", "2", "--m", "2", "--target", "exp(-x**2)", "--delta", "0"],
     "δ must be a finite number > 0"),
    (["measure", "--k1", "1", "--k2", "2", "--m", "2", "--target", "exp(-x**2)", "--delta", "nan"],
     "δ must be a finite number > 0"),
    # lfp
    (["lfp", "--init", "a", "--width", "1e9"], "invalid int value"),
    (["lfp", "--init", "a", "--width", "1000000000"], "of memory"),
    (["lfp", "--init", "a", "--width", "0"], "--width must be >= 2"),
    (["lfp", "--init", "a", "--K", "1000000000"], "--K 1000000000 needs"),
    (["lfp", "--init", "a", "--width", "3", "--antisymmetric"], "even --width"),
    (["lfp", "--init", "a", "--K", "0"], "--K must be >= 1"),
    (["lfp", "--init", "a", "--eps", "nan"], "--eps"),
    (["lfp", "--init", "a", "--eps", "-1"], "--eps"),
    (["lfp", "--init", "a", "--plot", BAD], "--plot"),
    (["lfp", "--init", "a", "--widths", "100,1000000000"], "of memory"),
    (["lfp", "--init", "a", "--widths", "100", "--seeds", "0"], "--seeds"),
    (["lfp", "--init", "a", "--L", "1"], "shorter than the range of the inputs"),
    (["lfp", "--init", "a", "--L", "nan"], "--L must be a finite number > 0"),
    (["lfp", "--init", "a", "--L-prime", "1"], "must be at least L = 2"),
    (["lfp", "--init", "a", "--L", "2", "--L-prime", "3.001"], "must be an integer"),
    (["lfp", "--init", "a", "--L-prime", "1e12"], "of memory"),
    (["lfp", "--init", "a", "--widths", "100", "--L", "3"], "not used by --widths"),
    # ft
    (["ft", "exp(-a*x**2)"], "sign is not known"),
    (["ft", "tanh(x)", "--plancherel"], "not in L²"),
    (["ft", "exp(-a*x**2)", "--param", "a=1", "--plancherel", "--param", "b=2"], "not in the expression"),
    # alpha
    (["alpha", "--dim", "1", "--alpha", "0.5", "--M", "1000000000"], "--M 1000000000"),
    (["alpha", "--dim", "2", "--alpha", "0.5", "--M", "100000", "--no-scaling"], "of memory"),
    (["alpha", "--dim", "1", "--alpha", "0.5", "--M", "0"], "--M must be >= 1"),
    (["alpha", "--dim", "1", "--alpha", "nan"], "alpha must be a finite number"),
    (["alpha", "--dim", "1", "--alpha", "-1"], "alpha must be a finite number"),
    (["alpha", "--dim", "1", "--alpha", "1", "--delta-xi", "0"], "--delta-xi"),
    (["alpha", "--dim", "1", "--alpha", "1", "--delta-xi", "inf"], "--delta-xi"),
    (["alpha", "--dim", "1", "--alpha", "1", "--exclusion", "nan"], "--exclusion"),
    (["alpha", "--dim", "1", "--alpha", "1", "--n", "0"], "--n must be >= 1"),
    (["alpha", "--dim", "1", "--alpha", "1", "--plot", BAD], "--plot"),
    # report, experiment, prove
    (["report", "--out", "/proc/no-such-dir/r", "--no-numerics", "--no-pdf"], "--out"),
    (["report", "--jobs", "0"], "--jobs"),
    (["report", "--study-timeout", "nan"], "--study-timeout"),
    (["report", "--study-timeout", "-5"], "--study-timeout"),
    (["experiment", "ricker", "--out", "/proc/no-such-dir/e"], "--out"),
    (["experiment", "ricker", "--seeds", "0"], "--seeds"),
    (["prove", "x**2 >= 0", "--assume", "-1<=x<=1", "--certificate", BAD], "--certificate"),
    (["prove", "x**2 >= 0", "--assume", "-1<=x<=1", "--time-limit", "nan"], "--time-limit"),
    (["prove", "x**2 >= 0", "--max-boxes", "0"], "--max-boxes"),
    (["recheck", "/no/such/cert.json"], "cannot read a certificate"),
    (["recheck", "/no/such/cert.json", "--time-limit", "nan"], "cannot read a certificate"),
    # the parser itself: one line too
    (["measure", "--k1", "1"], "required"),
    (["no-such-command"], "invalid choice"),
]


def run_main(args: list[str], capsys) -> tuple[int, str]:
    try:
        code = main(args)
    except SystemExit as stop:
        code = stop.code
    return code, capsys.readouterr().err


def assert_one_line(code: int, err: str, fragment: str, expected: int = 2) -> None:
    assert code == expected, err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and fragment in lines[0], err


@pytest.mark.parametrize("args, fragment", CASES, ids=[" ".join(a)[:70] for a, _ in CASES])
def test_bad_input_is_one_line_exit_2(args, fragment, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # nothing a refused command might write lands in the repo
    code, err = run_main(args, capsys)
    assert_one_line(code, err, fragment)
    assert not any(tmp_path.iterdir()), "a refused command wrote files"


def _script(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text)
    return folder


CLAIM_HEAD = ("import os, sys\nimport sympy as sp\n"
              "from fptheory.verify.claims import claim, assess_identity\n"
              "x = sp.Symbol('x', real=True)\n")
GOOD = ("@claim('G', 'fine')\ndef good():\n"
        "    return assess_identity(sp.sin(2*x), 2*sp.sin(x)*sp.cos(x), 'sin 2x')\n")


def test_check_folder_without_scripts(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert_one_line(*run_main(["check", str(tmp_path / "empty"), "--output", ""], capsys), "no proof scripts")


def test_check_script_exiting_on_import(tmp_path, capsys):
    folder = _script(tmp_path / "p", "bye.py", "import sys\nsys.exit(3)\n")
    assert_one_line(*run_main(["check", str(folder), "--output", ""], capsys), "exited with 3 on import")


def test_check_script_calling_os_exit_on_import(tmp_path, capsys):
    folder = _script(tmp_path / "p", "bye.py", "import os\nos._exit(5)\n")
    assert_one_line(*run_main(["check", str(folder), "--output", ""], capsys), "os._exit(5) on import")


def test_check_unwritable_output_is_refused_before_the_work(tmp_path, capsys):
    folder = _script(tmp_path / "p", "ok.py", CLAIM_HEAD + GOOD)
    code, err = run_main(["check", str(folder), "--output", str(folder / "ok.py" / "x.json")], capsys)
    assert_one_line(code, err, "--output")
    code, err = run_main(["check", str(folder), "--output", str(tmp_path)], capsys)
    assert_one_line(code, err, "is a folder")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_claim_returning_a_number_is_that_claims_failure(tmp_path, capsys, jobs):
    folder = _script(tmp_path / "p", "c.py", CLAIM_HEAD + "@claim('N', 'a number')\ndef n():\n"
                     "    return 42\n" + GOOD)
    code, err = run_main(["check", str(folder), "--output", "", "--json", "--jobs", jobs, "-q"], capsys)
    assert code == 1 and "Traceback" not in err and err.strip() == "", err


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_worker_dying_is_that_claims_failure(tmp_path, capsys, jobs):
    folder = _script(tmp_path / "p", "d.py", CLAIM_HEAD + "@claim('D', 'dies')\ndef d():\n"
                     "    os._exit(7)\n" + GOOD)
    assert main(["check", str(folder), "--output", "", "--json", "--jobs", jobs, "-q"]) == 1
    import json

    claims = {c["label"]: c for c in json.loads(capsys.readouterr().out)["claims"]}
    assert claims["G"]["text"]["verdict"] == "proved"
    assert claims["D"]["text"]["verdict"] == "unknown"
    assert "died" in json.dumps(claims["D"])


def test_validate_helpers():
    from fptheory.cli import _validate as V
    from fptheory.core.errors import FPTheoryError

    assert V.memory_bytes() > 0
    for bad in (float("nan"), float("inf"), 0.0, -1.0):
        with pytest.raises(FPTheoryError):
            V.positive_float(bad, "--x")
    assert V.positive_float(None, "--x") is None and V.positive_int(3, "--n") == 3
    with pytest.raises(FPTheoryError, match="at most"):
        V.fits_in_memory(V.memory_bytes() * 2, "--big 1", largest="--big 0")
    assert V.writable_file(os.path.join(os.getcwd(), "new-folder", "f.json"), "--o").name == "f.json"


def test_measure_worker_dying_is_one_line(monkeypatch, capsys):
    """A δ worker killed under --workers 2 (here: os._exit in the measurement) is one line
    naming the δ values left, not a BrokenProcessPool traceback."""
    import os

    from fptheory.theory.measure import study

    def die(*args, **kwargs):
        os._exit(9)

    monkeypatch.setattr(study, "measure", die)  # the forked workers inherit it
    code, err = run_main(["measure", "--k1", "1", "--k2", "2", "--m", "2", "--target", "exp(-x**2)",
                          "--delta", "0.2", "0.3", "--workers", "2", "-q"], capsys)
    assert_one_line(code, err, "the process running it died")
