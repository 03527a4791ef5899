"""`fptheory lfp`: JSON keys, one-line errors with exit 2, the torch install hint."""

from __future__ import annotations

import json
import sys

import pytest

from fptheory.cli import main


@pytest.mark.parametrize("argv, message", [
    (["--x", "", "--y", ""], "no data points"),
    (["--x", "0,0,1", "--y", "1,2,3"], "duplicate x"),
    (["--x", "0,nan,1", "--y", "1,2,3"], "finite"),
    (["--K", "0"], "--K must be >= 1"),
    (["--eps", "0"], "--eps must be"),
    (["--eps", "-1"], "--eps must be"),
    (["--x", "0,a", "--y", "1,2"], "comma-separated numbers"),
    (["--widths", "100,abc"], "comma-separated numbers"),
    (["--widths", "1,100"], "integers >= 2"),
    (["--seeds", "2"], "--seeds goes with --widths"),
    (["--widths", "100,200", "--K", "10"], "not used by --widths"),
])
def test_bad_input_is_one_line_exit_2(capsys, argv, message):
    assert main(["lfp", "--init", "a", *argv]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err and "Traceback" not in err


def test_without_torch_names_the_extra(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)
    assert main(["lfp", "--init", "a", "--width", "100"]) == 2
    err = capsys.readouterr().err.strip()
    assert "pip install 'fptheory[torch]'" in err and "\n" not in err


def test_json_output(capsys, tmp_path):
    pytest.importorskip("torch")
    png = tmp_path / "fig.png"
    assert main(["lfp", "--init", "a", "--width", "600", "--seed", "1", "--antisymmetric", "--K", "50",
                 "--plot", str(png), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    for key in ("max_abs_nn_minus_lfp", "max_abs_lfp_minus_cubic", "max_abs_lfp_minus_linear", "verdict",
                "finding", "antisymmetric"):
        assert key in out
    assert out["antisymmetric"] is True and out["lfp"]["K"] == 50 and png.exists()
    assert out["max_abs_lfp_minus_cubic"] < out["max_abs_lfp_minus_linear"]


def test_default_is_the_reports_antisymmetric_setting(capsys):
    """`fptheory lfp --init b` defaults to the report's setting (antisymmetric, h_ini ≡ 0; see
    numerics/lfp_vs_nn.py) and gives its verdict for the same seed and width."""
    pytest.importorskip("torch")
    from fptheory.nets.lfp_comparison import compare_nn_lfp

    assert main(["lfp", "--init", "b", "--width", "400", "--seed", "3", "--K", "50", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    report = compare_nn_lfp("b", width=400, seed=3, antisymmetric=True, K=50)
    assert out["antisymmetric"] is True
    assert out["verdict"] == report.verdict
    assert main(["lfp", "--init", "b", "--width", "400", "--seed", "3", "--K", "50", "--json",
                 "--no-antisymmetric"]) == 0
    assert json.loads(capsys.readouterr().out)["antisymmetric"] is False


def test_lengths_from_the_command_line(capsys):
    """--L/--L-prime reach the solver: the chapter's reading (L = 2, L' = 20 for the default
    data) gives the default's numbers; L' = 30 gives its own model, the same as lfp_fit's."""
    pytest.importorskip("torch")
    import numpy as np

    from fptheory.theory.lfp import DEFAULT_X, gamma_squared, lfp_fit
    from fptheory.theory.lfp.gamma import CHAPTER_INITS

    base = ["lfp", "--init", "a", "--width", "200", "--K", "20", "--json", "-q"]
    assert main(base) == 0
    default = json.loads(capsys.readouterr().out)
    assert main([*base, "--L", "2", "--L-prime", "20"]) == 0
    explicit = json.loads(capsys.readouterr().out)
    assert explicit["lfp"] == default["lfp"] and explicit["distances"] == default["distances"]
    assert main([*base, "--L-prime", "30"]) == 0
    wide = json.loads(capsys.readouterr().out)
    assert (wide["lfp"]["L"], wide["lfp"]["L_prime"]) == (2.0, 30.0)
    _, g2 = gamma_squared(CHAPTER_INITS["a"])
    alone = lfp_fit(np.array(DEFAULT_X), np.array([0.1, 1.0, -0.5]), g2, K=20, L=2.0, L_prime=30.0)
    assert wide["lfp"]["unknowns"] == alone.unknowns == 2 * (30 // 2 * 20) - 1  # J = (L'/L)·K


def test_help_names_the_default(capsys):
    with pytest.raises(SystemExit):
        main(["lfp", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "default: on, the setting of the report's figure-1.6 verdict" in text
