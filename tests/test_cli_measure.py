"""`fptheory measure`: one-line errors with exit 2 for bad input; the JSON keys, the rates
against theorem1's RATE, and the figure."""

from __future__ import annotations

import json
import math

import pytest
import sympy as sp

from fptheory.cli import main
from fptheory.theory import theorem1 as t1

BASE = ["measure", "--k1", "1", "--k2", "2", "--m", "2", "--fhat1=1,-0.5", "--fhat2", "0.7,0.2",
        "--seed", "1"]


def _without(argv: list[str], *flags: str) -> list[str]:
    """BASE without the given flags (and their values)."""
    out, skip = [], False
    for item in argv:
        if skip:
            skip = False
            continue
        name = item.split("=", 1)[0]
        if name in flags:
            skip = "=" not in item
            continue
        out.append(item)
    return out


def _replace(argv: list[str], flag: str, value: str) -> list[str]:
    return [*_without(argv, flag), f"{flag}={value}"]


@pytest.mark.parametrize("argv, message", [
    (_replace(BASE, "--k2", "1") + ["--delta", "0.1"], "k2 must be > k1"),
    (_replace(BASE, "--k2", "0.5") + ["--delta", "0.1"], "k2 must be > k1"),
    (_replace(BASE, "--k1", "0") + ["--delta", "0.1"], "k1 must be > 0"),
    (_replace(BASE, "--k1", "-1") + ["--delta", "0.1"], "k1 must be > 0"),
    (_replace(BASE, "--k1", "nan") + ["--delta", "0.1"], "finite"),
    (_replace(BASE, "--k2", "inf") + ["--delta", "0.1"], "finite"),
    (BASE + ["--delta", "0"], "δ must be"),
    (BASE + ["--delta", "0.1", "-0.2"], "δ must be"),
    (BASE + ["--delta", "nan"], "δ must be"),
    (BASE + ["--delta", "inf"], "δ must be"),
    (_replace(BASE, "--m", "0") + ["--delta", "0.1"], "m must be"),
    (_replace(BASE, "--fhat1", "0,0") + ["--delta", "0.1"], "= 0"),
    (_replace(BASE, "--fhat2", "0,0") + ["--delta", "0.1"], "= 0"),
    (_replace(BASE, "--fhat1", "nan,0") + ["--delta", "0.1"], "finite"),
    (_replace(BASE, "--fhat2", "1,inf") + ["--delta", "0.1"], "finite"),
    (_replace(BASE, "--fhat1", "1") + ["--delta", "0.1"], "RE,IM"),
    (_replace(BASE, "--fhat1", "1,x") + ["--delta", "0.1"], "numbers"),
    (BASE + ["--a", "1,0", "--delta", "0.1"], "a_j = 0"),
    (BASE + ["--a", "0", "--delta", "0.1"], "a_j = 0"),
    (BASE + ["--a", "1,2,3", "--delta", "0.1"], "needs 1 or m = 2"),
    (BASE + ["--b", "1,nan", "--delta", "0.1"], "finite"),
    (BASE + ["--b", "0", "--delta", "0.1"], "b_j = 0"),
    (BASE + ["--activation", "swish", "--delta", "0.1"], "unknown activation"),
    (BASE + ["--delta-range", "0.1:0.2"], "LO:HI:N"),
    (BASE + ["--delta-range", "0.1:x:3"], "LO:HI:N"),
    (BASE + ["--delta-range", "0.1:0.2:2.5"], "LO:HI:N"),
    (BASE + ["--delta-range", "0.2:0.1:3"], "0 < LO <= HI"),
    (BASE + ["--delta-range", "0:0.1:3"], "0 < LO <= HI"),
    (BASE + ["--delta-range", "0.1:0.2:0"], "N >= 1"),
    (BASE + ["--delta-range", "0.1:inf:3"], "0 < LO <= HI"),
    (BASE + ["--delta", "0.1", "--delta-range", "0.1:0.2:3"], "not both"),
    (BASE, "give --delta"),
    (_without(BASE, "--fhat1", "--fhat2") + ["--delta", "0.1"], "give the target"),
    (_without(BASE, "--fhat2") + ["--delta", "0.1"], "give the target"),
    (BASE + ["--target", "exp(-x**2)", "--delta", "0.1"], "not both"),
    (_without(BASE, "--fhat1", "--fhat2") + ["--target", "exp(-x**2)*y", "--delta", "0.1"],
     "only depend on x"),
    (BASE + ["--samples", "0", "--delta", "0.1"], "--samples"),
    (BASE + ["--rel-precision", "0", "--delta", "0.1"], "--rel-precision"),
    (BASE + ["--rel-precision", "1.5", "--delta", "0.1"], "--rel-precision"),
    (BASE + ["--act-param", "a0.3", "--delta", "0.1"], "NAME=VALUE"),
])
def test_bad_input_is_one_line_exit_2(capsys, argv, message):
    assert main(argv) == 2
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert err.startswith("fptheory: error:"), err
    assert message in err and "\n" not in err and "Traceback" not in err
    assert captured.out == ""


@pytest.fixture(scope="module")
def json_run(tmp_path_factory):
    """One --json --quiet run with --method rare over 4 δ (m = 2: seconds), with --plot
    (without --quiet the progress lines go to stderr)."""
    png = tmp_path_factory.mktemp("measure") / "ratio.png"
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([*BASE, "--delta-range", "0.05:0.2:4", "--method", "rare", "--json", "--quiet",
                     "--plot", str(png)])
    return code, out.getvalue(), err.getvalue(), png


def test_json_keys_and_values(json_run):
    code, out, err, _ = json_run
    assert code == 0 and err == ""
    data = json.loads(out)  # exactly one JSON object on stdout
    assert set(data) >= {"problem", "results", "fit", "theory"}
    results = data["results"]
    assert [r["delta"] for r in results] == pytest.approx([0.05, 0.1, 0.15, 0.2])
    for r in results:
        assert set(r) >= {"delta", "ratio", "failure", "ci_low", "ci_high", "method", "samples"}
        assert r["method"] == "rare" and r["samples"] >= 1
        assert 0 < r["ci_low"] <= r["failure"] <= r["ci_high"] < 1
        assert r["ratio"] == pytest.approx(1 - r["failure"], abs=1e-15)
        assert math.isfinite(r["log10_failure"])
    # 1 − ratio shrinks with δ (the tail of Theorem 1)
    failures = [r["failure"] for r in results]
    assert failures == sorted(failures) and failures[0] < 1e-12
    assert data["problem"]["m"] == 2 and data["problem"]["activation"] == "tanh"


def test_json_rates_against_theorem1(json_run):
    data = json.loads(json_run[1])
    k1, k2 = t1.RATIO_SYMBOLS["k1"], t1.RATIO_SYMBOLS["k2"]
    proof = float(t1.RATE.subs({k1: 1, k2: 2}))  # π(k2 − k1)/2, derived in theorem1
    theory, fit = data["theory"], data["fit"]
    assert theory["c"] == pytest.approx(proof, rel=1e-14)
    assert theory["c_chapter"] == pytest.approx(float(sp.pi), rel=1e-14)  # the text's π(k2 − k1)
    assert set(fit) >= {"c", "c_stderr", "A", "points"} and fit["points"] == 4
    # the rate fitted from the rare-event points is the proof's (the 5 % criterion),
    # not the chapter's twice-as-large c2
    assert abs(fit["c"] / proof - 1) <= 0.05
    assert theory["fit_agrees_within_5_percent"] is True
    assert theory["fit_over_chapter"] == pytest.approx(fit["c"] / float(sp.pi))


def test_plot_writes_a_png(json_run):
    png = json_run[3]
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000


def test_text_output(capsys):
    assert main([*BASE, "--delta", "0.05", "0.1", "0.15", "--method", "rare"]) == 0
    out = capsys.readouterr().out
    assert "delta" in out and "1 - ratio" in out and "rare" in out
    assert "fitted rate c" in out and "the proof's c = 1.5708" in out


def test_progress_lines_on_stderr_and_a_leading_minus(capsys):
    argv = _without(BASE, "--fhat1") + ["--fhat1", "-1,0.5", "--delta", "0.1", "0.15", "--method",
                                        "rare", "--json"]
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["problem"]["fhat1"] == [-1.0, 0.5]
    assert "[1/2] δ = 0.1: 1 - ratio = " in captured.err and "[2/2] δ = 0.15" in captured.err
    assert main([*argv, "--quiet"]) == 0
    assert capsys.readouterr().err == ""


def test_mc_with_samples_reports_the_count(capsys):
    assert main([*BASE, "--delta", "0.6", "--method", "mc", "--samples", "4000", "--json"]) == 0
    (r,) = json.loads(capsys.readouterr().out)["results"]
    assert r["method"] == "mc" and r["samples"] == 4000
    assert r["failure"] == pytest.approx(r["failures"] / 4000)
    assert r["ci_low"] <= r["failure"] <= r["ci_high"]


def test_cli_auto_at_large_delta_falls_back_to_mc(capsys):
    argv = ["measure", "--k1", "1", "--k2", "2", "--m", "2", "--fhat1=1,-0.5", "--fhat2", "0.7,0.2",
            "--seed", "1", "--delta", "0.8", "--samples", "4000", "--json"]
    assert main(argv) == 0
    assert "Traceback" not in capsys.readouterr().err
