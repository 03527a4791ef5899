"""The `fptheory` command line: ft and check, including bad input."""

import json
import math
import subprocess
import sys

import pytest
from scipy.integrate import quad

from fptheory.cli import main


def run(*args):
    """The installed console entry point, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "fptheory", *args], capture_output=True,
                          text=True, timeout=300)


def test_ft_tanh_symbolic_prints_closed_form_with_abs_w_and_phase(capsys):
    assert main(["ft", "tanh(w*x + b)"]) == 0
    out = capsys.readouterr().out
    assert "regular part:  F(k) = -I*pi*exp(I*b*k/w)/(sinh(pi*k/(2*w))*Abs(w))" in out
    assert "principal value" in out and "exponential" in out and "pi/(2*Abs(w))" in out


def test_ft_sigmoid_json_agrees_with_independent_scipy_quadrature(capsys):
    """G(ω) = ∫ (σ - H) e^{-iωx} dx + 1/(iω) at ω ≠ 0, σ - H integrable: a scipy check."""
    assert main(["ft", "1/(1+exp(-x))", "--at", "0.7", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"convention", "transform", "latex", "singular_part", "decay", "values"} <= set(out)
    assert out["convention"]["name"] == "angular"
    assert out["singular_part"] == "pi*DiracDelta(k)"
    value = out["values"][0]
    assert value["k"] == "0.7"
    assert len(value["im"].lstrip("-").replace(".", "").lstrip("0")) >= 30

    def s_minus_h(t):  # σ(t) - H(t), written without cancellation
        return -math.exp(-abs(t)) / (1 + math.exp(-abs(t))) * (1 if t > 0 else -1)

    omega = 0.7
    re = quad(lambda t: s_minus_h(t) * math.cos(omega * t), -60, 60, points=[0], limit=400)[0]
    im = -quad(lambda t: s_minus_h(t) * math.sin(omega * t), -60, 60, points=[0], limit=400)[0]
    im += -1 / omega  # 1/(iω)
    assert abs(float(value["re"]) - re) < 1e-9
    assert abs(float(value["im"]) - im) < 1e-9


def test_ft_ordinary_convention_and_params(capsys):
    assert main(["ft", "Max(0, w*x)", "--convention", "ordinary", "--at", "0.5",
                 "--param", "w=-2", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    # F_ord[ReLU(wx)](ξ) = -|w|/(4π²ξ²) for ξ ≠ 0: at w = -2, ξ = 1/2 that is -2/π²
    assert abs(float(out["values"][0]["re"]) + 2 / math.pi**2) < 1e-25
    assert out["decay"]["kind"] == "polynomial" and out["decay"]["power"] == "2"


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["ft", "tanh(x"], "cannot parse"),
        (["ft", "foo(x)"], "unknown function 'foo'"),
        (["ft", "tanh(y)"], "does not occur"),
        (["ft", "Heaviside(x)", "--at", "0"], "singular point"),
        (["ft", "tanh(x)", "--at", "nan"], "not a finite real number"),
        (["ft", "tanh(x)", "--at", "inf"], "not a finite real number"),
        (["ft", "tanh(w*x)", "--at", "1"], "--param"),
        (["ft", "exp(x)"], "not a tempered distribution"),
        (["ft", "tanh(x)*Heaviside(x)"], "not supported"),
        (["check", "/nonexistent/folder"], "no proof script"),
    ],
)
def test_bad_input_is_one_line_exit_2(args, fragment):
    p = run(*args)
    assert p.returncode == 2, p.stderr
    assert "Traceback" not in p.stderr
    lines = [line for line in p.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and fragment in lines[0], p.stderr


def test_check_user_folder_exit_code_and_json(tmp_path, capsys):
    (tmp_path / "mine.py").write_text(
        "import sympy as sp\n"
        "from fptheory.verify.claims import claim, assess_identity\n"
        "x = sp.Symbol('x', real=True)\n"
        "@claim('A', 'double angle')\n"
        "def good():\n"
        "    return assess_identity(sp.sin(2*x), 2*sp.sin(x)*sp.cos(x), 'sin 2x')\n"
        "@claim('B', 'wrong')\n"
        "def bad():\n"
        "    return assess_identity(sp.sin(2*x), 2*sp.sin(x), 'sin 2x = 2 sin x')\n"
    )
    out_file = tmp_path / "report.json"
    assert main(["check", str(tmp_path), "--json", "--output", str(out_file)]) == 1
    printed = json.loads(capsys.readouterr().out)
    assert [c["text"]["verdict"] for c in printed["claims"]] == ["proved", "refuted"]
    assert printed["summary"]["not_holding"] == ["B"]
    assert json.loads(out_file.read_text()) == printed
