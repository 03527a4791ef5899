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


# ---------------------------------------------------------------------------------------
# the command line as a whole: --version, help, arguments with a leading minus, progress

SUBCOMMANDS = ("ft", "check", "prove", "recheck", "alpha", "experiment", "lfp", "measure", "report")

SMALL_SCRIPT = (
    "import sympy as sp\n"
    "from fptheory.verify.claims import claim, assess_identity\n"
    "x = sp.Symbol('x', real=True)\n"
    "@claim('A', 'double angle')\n"
    "def good():\n"
    "    return assess_identity(sp.sin(2*x), 2*sp.sin(x)*sp.cos(x), 'sin 2x')\n"
    "@claim('B', 'a square')\n"
    "def square():\n"
    "    return assess_identity((x + 1)**2, x**2 + 2*x + 1, '(x+1)^2')\n"
)


def test_version():
    from fptheory.core import __version__

    p = run("--version")
    assert p.returncode == 0 and p.stdout.strip() == f"fptheory {__version__}"


def test_top_level_help_is_plain_text_and_lists_every_command():
    p = run("--help")
    assert p.returncode == 0 and "``" not in p.stdout and ":mod:" not in p.stdout
    for name in SUBCOMMANDS:
        assert f"\n    {name} " in p.stdout or f"\n    {name}\n" in p.stdout, name


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_every_subcommand_help_has_a_description_and_examples(name, capsys):
    with pytest.raises(SystemExit) as stop:
        main([name, "--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    usage, _, rest = out.partition("\n\n")
    description = rest.split("\n\n")[0]
    assert not description.startswith(("positional arguments", "options")), out
    assert len(description.split()) >= 8, out
    examples = out.split("examples:\n", 1)[1].splitlines()
    assert 1 <= sum(line.startswith(f"  fptheory {name}") for line in examples) <= 3, out


def test_values_with_a_leading_minus_are_values(capsys):
    assert main(["prove", "x**2 <= 1", "--assume", "-1<=x<=1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["verdict"] == "certified"
    assert main(["prove", "x**2 <= 1", "--assume", "-2<=x<=1", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["verdict"] == "refuted"
    assert main(["ft", "tanh(x)", "--at", "-2", "--at", "-pi/2", "--no-check", "--json"]) == 0
    values = json.loads(capsys.readouterr().out)["values"]
    assert [v["k"] for v in values] == ["-2", "-pi/2"]
    assert main(["ft", "-x*exp(-x**2)", "--no-check", "--json"]) == 0  # a positional too
    assert json.loads(capsys.readouterr().out)["expression"] == "-x*exp(-x**2)"


def test_an_option_is_not_taken_as_a_value():
    p = run("prove", "x**2 >= 0", "--assume", "--json")
    assert p.returncode == 2 and "argument --assume: expected one argument" in p.stderr


def test_the_joining_keeps_ordinary_command_lines():
    from fptheory.cli.app import build_parser, join_dash_values

    parser = build_parser()
    for argv in (["ft", "tanh(x)", "--at", "0.5", "--json"], ["check", "a", "--jobs", "1"],
                 ["measure", "--k1", "1", "--delta", "0.1", "0.2", "--plot"], ["--version"]):
        assert join_dash_values(parser, argv) == argv
    assert join_dash_values(parser, ["measure", "--fhat1", "-1,0", "--delta", "-0.1", "0.2"]) == \
        ["measure", "--fhat1=-1,0", "--delta", "-0.1", "0.2"]
    assert join_dash_values(parser, ["prove", "x>=0", "--assume", "--jsn"]) == \
        ["prove", "x>=0", "--assume", "--jsn"]


def test_ft_shows_unicode_in_a_terminal_and_latex_only_when_asked(capsys):
    assert main(["ft", "tanh(w*x + b)", "--no-check", "--pretty"]) == 0
    out = capsys.readouterr().out
    assert "F(k) = -i·π·exp(i·b·k/w)/(sinh(π·k/(2w))·|w|)" in out
    assert "\\mathcal" not in out and "\\int" not in out
    assert main(["ft", "exp(-x**2)", "--no-check", "--latex"]) == 0
    assert "\\sqrt{\\pi}" in capsys.readouterr().out


def test_check_progress_on_stderr_quiet_and_clean_json(tmp_path):
    (tmp_path / "mine.py").write_text(SMALL_SCRIPT)
    report = tmp_path / "out" / "check.json"
    p = run("check", str(tmp_path), "--jobs", "1", "--output", str(report))
    assert p.returncode == 0, p.stderr
    assert "[1/2] claim A: proved (" in p.stderr and "[2/2] claim B: proved (" in p.stderr
    assert p.stderr.splitlines()[0].startswith("fptheory check: 1 proof script")
    assert report.is_file() and f"JSON report written to {report}" in p.stdout
    quiet = run("check", str(tmp_path), "--output", "", "--quiet")
    assert quiet.returncode == 0 and quiet.stderr == ""
    js = run("check", str(tmp_path), "--output", "", "--json")
    assert js.returncode == 0 and json.loads(js.stdout)["summary"]["holding"] == 2
    assert "2 claims in" in js.stderr and "(2 from the cache)" in js.stderr  # unchanged script
    fresh = run("check", str(tmp_path), "--output", "", "--json", "--fresh")
    assert fresh.returncode == 0 and json.loads(fresh.stdout)["summary"]["cached"] == []
    assert "[2/2]" in fresh.stderr


def test_report_progress_lines(tmp_path):
    proofs, numerics = tmp_path / "proofs", tmp_path / "numerics"
    proofs.mkdir()
    numerics.mkdir()
    (proofs / "mine.py").write_text(SMALL_SCRIPT)
    (numerics / "tiny.py").write_text(
        "def run(size='quick', out_dir=None, seed=0):\n"
        "    return {'study': 'tiny', 'title': 't', 'chapter': 'c', 'verdict': 'all fine',\n"
        "            'prediction_holds': True, 'figures': []}\n")
    p = run("report", "--out", str(tmp_path / "r"), "--proofs", str(proofs), "--numerics",
            str(numerics), "--no-pdf", "--json")
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["summary"]["holding"] == 2
    assert "[1/2] claim A: proved" in p.stderr and "[2/2] claim B: proved" in p.stderr
    assert "[1/1] study tiny: ok, all fine (" in p.stderr
    quiet = run("report", "--out", str(tmp_path / "r"), "--proofs", str(proofs), "--no-numerics",
                "--no-pdf", "--quiet")
    assert quiet.returncode == 0 and quiet.stderr == "" and "claims:" in quiet.stdout


def test_unknown_never_says_nothing_is_left_open(capsys):
    assert main(["prove", "cos(x) <= 1 - x**2/2 + x**4/24", "--assume", "-3<=x<=2",
                 "--max-boxes", "1"]) == 1
    out = capsys.readouterr().out
    assert "verdict:   unknown" in out and "box budget of 1 exhausted" in out
    assert "(0 left open" not in out and "1 left open" in out


def test_a_long_prove_reports_progress_on_stderr_and_json_stays_clean(capsys, monkeypatch):
    """Status lines of a search (from 2 s on; here from the start), stdout the JSON alone;
    --quiet silences the lines."""
    import fptheory.verify.search as search
    monkeypatch.setattr(search, "PROGRESS_AFTER", 0.0)
    statement = "x**4*y**2 + x**2*y**4 - 3*x**2*y**2 + 1 >= 0"
    assert main(["prove", statement, "--assume", "-2<=x<=2, -2<=y<=2", "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["verdict"] == "certified"
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert lines and all(line.startswith("prove: searching: ") for line in lines), lines
    assert main(["prove", statement, "--assume", "-2<=x<=2, -2<=y<=2", "-q"]) == 0
    assert capsys.readouterr().err == ""


def test_an_unexpected_exception_is_one_line_and_exit_70(monkeypatch, capsys):
    """A bug says so in one line, not a traceback (FPTHEORY_DEBUG=1 re-raises it)."""
    import fptheory.cli.prove as cli_prove

    def broken(*args, **kwargs):
        raise KeyError("ComplexInfinity")
    monkeypatch.setattr(cli_prove, "_cmd_prove", broken)
    monkeypatch.delenv("FPTHEORY_DEBUG", raising=False)
    assert main(["prove", "x >= 0", "--assume", "0<=x<=1"]) == 70
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("fptheory: internal error: KeyError")
    monkeypatch.setenv("FPTHEORY_DEBUG", "1")
    with pytest.raises(KeyError):
        main(["prove", "x >= 0", "--assume", "0<=x<=1"])


def test_a_margin_with_log_0_put_in_is_judged_not_crashed():
    """x^y·log x ≤ 0 on 0 ≤ x ≤ 1 crashed the elimination's sampling (log 0 = zoo after the
    end x = 0 was put in: lambdify has no printer for it); now a one-line verdict."""
    out = run("prove", "x**y*log(x) <= 0", "--assume", "0<=x<=1, 1/2<=y<=1", "--time-limit", "15")
    assert "Traceback" not in out.stderr and out.returncode in (0, 1)
    assert "verdict:" in out.stdout
