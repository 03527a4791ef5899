"""`fptheory report`: collecting proofs and studies, the LaTeX document, the PDF compile."""

import json
import re
import shutil
import textwrap

import pytest

from fptheory.cli import main
from fptheory.report.collect import PROOFS_DIR
from fptheory.report.document import build_report
from fptheory.report.pdf import TEX_MISSING, compile_pdf
from fptheory.report.studies import TORCH_HINT, run_study

HAVE_TEX = shutil.which("pdflatex") is not None
needs_tex = pytest.mark.skipif(not HAVE_TEX, reason="pdflatex not installed (Debian: apt-get "
                               "install texlive-latex-base latexmk; CI installs it)")

PROOF = textwrap.dedent(r'''
    import sympy as sp
    from fptheory.verify.claims import assess_identity, claim
    from fptheory.fourier.conventions import ORDINARY
    from fptheory.fourier.engine import fourier_transform

    x = sp.Symbol("x", real=True)

    @claim("1.39", "stub: sin² + cos² = 1 with ≤, π, ξ, δ, 100% & $ # _ { } ~ ^ < > |",
           convention="ordinary", note="unicode: ‖ξ‖² ≥ 0, f̂, ĥ_j, θ_lj, e^{-2πixξ}, 中")
    def identity():
        d = fourier_transform(sp.DiracDelta(x), x, ORDINARY).derivation
        return (assess_identity(sp.sin(x)**2 + sp.cos(x)**2, sp.Integer(1),
                                r"\sin^2 x + \cos^2 x = 1")
                .with_formula("a long sum", sum(x**k / sp.factorial(k) for k in range(50)))
                .with_derivation(d))

    @claim("1.14", "stub erratum: e^x = 1 + x", note="the text's form is wrong")
    def erratum():
        text = assess_identity(sp.exp(x), 1 + x, r"e^x = 1 + x", samples={x: [0, 1]})
        corrected = assess_identity(sp.exp(2 * x), sp.exp(x)**2, r"e^{2x} = (e^x)^2")
        return text, corrected

    @claim("my-lemma", "a user's own claim that raises")
    def broken():
        raise ValueError("boom")
''')

STUDY_OK = textwrap.dedent('''
    from pathlib import Path

    def run(size="quick", out_dir=Path("out"), seed=0):
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        import numpy as np
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        rng = np.random.default_rng(seed)
        values = rng.normal(size=50 if size == "quick" else 500)
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.plot(values)
        fig.savefig(out_dir / "fake_study.png")
        plt.close(fig)
        mean = float(values.mean())
        return {"study": "fake_ok", "title": "Fake study (1.26)", "chapter": "figure 1.6",
                "verdict": f"mean {mean:.3f} within 0.5 of 0", "prediction_holds": abs(mean) < 0.5,
                "figures": [str(out_dir / "fake_study.png")], "mean": mean, "n": len(values),
                "size": size}
''')

STUDY_RAISES = "def run(size='quick', out_dir=None, seed=0):\n    raise ValueError('bad input 42')\n"
STUDY_TORCH = ("def run(size='quick', out_dir=None, seed=0):\n"
               "    raise ModuleNotFoundError(\"No module named 'torch'\", name='torch')\n")
STUDY_CONTRACT = "def run(size='quick', out_dir=None, seed=0):\n    return {'study': 'x'}\n"


@pytest.fixture
def stub(tmp_path):
    proofs = tmp_path / "proofs"
    proofs.mkdir()
    (proofs / "stub_proof.py").write_text(PROOF)
    numerics = tmp_path / "numerics"
    numerics.mkdir()
    for name, text in [("fake_ok", STUDY_OK), ("raises", STUDY_RAISES), ("torchy", STUDY_TORCH),
                       ("contract", STUDY_CONTRACT)]:
        (numerics / f"{name}.py").write_text(text)
    return tmp_path


def test_study_outcomes_ok_failed_skipped_contract(stub, tmp_path):
    out = tmp_path / "out"
    (out / "figures").mkdir(parents=True)
    ok = run_study(stub / "numerics" / "fake_ok.py", "quick", out, seed=3)
    assert ok.status == "ok", ok.reason
    assert ok.result["n"] == 50 and ok.result["prediction_holds"] in (True, False)
    assert ok.figures == ["figures/fake-ok-1.png"] and (out / ok.figures[0]).is_file()
    raises = run_study(stub / "numerics" / "raises.py", "quick", out)
    assert raises.status == "failed" and "ValueError: bad input 42" in raises.reason
    assert "raises.py:2" in raises.reason
    torchy = run_study(stub / "numerics" / "torchy.py", "quick", out)
    assert torchy.status == "skipped" and torchy.reason == TORCH_HINT
    contract = run_study(stub / "numerics" / "contract.py", "quick", out)
    assert contract.status == "failed" and "missing key 'verdict'" in contract.reason


RAW_CODE = re.compile(r"\*\*|Abs\(|\['|<=|>=")


def _pdf_text(pdf) -> str | None:
    """The PDF's text (pypdf), or None when pypdf is not installed."""
    try:
        import pypdf
    except ImportError:
        return None
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)


def test_a_hanging_study_times_out(tmp_path):
    script = tmp_path / "slow.py"
    script.write_text("import time\ndef run(size='quick', out_dir=None, seed=0):\n"
                      "    time.sleep(60)\n")
    outcome = run_study(script, "quick", tmp_path / "out", timeout=3)
    assert outcome.status == "failed" and outcome.reason == "timed out after 3 s"


@needs_tex
def test_report_command_writes_tex_summary_and_pdf(stub, tmp_path, capsys):
    out = tmp_path / "report"
    # a long --snippets path in the "Made by" command line must not give a bad box
    snip = tmp_path / "a-rather-long-folder-for-the-snippets" / "of-the-chapter-on-the-frequency"
    code = main(["report", "--out", str(out), "--proofs", str(stub / "proofs"),
                 "--numerics", str(stub / "numerics"), "--snippets", str(snip)])
    printed = capsys.readouterr().out
    assert code == 1  # the stub has a claim that raises and a failing study
    assert (out / "report.pdf").is_file() and (out / "report.pdf").stat().st_size > 10_000
    assert "report.pdf written" in printed and "4 studies: 1 ran, 2 failed, 1 skipped" in printed
    summary = json.loads((out / "summary.json").read_text())
    assert summary["pdf"] == "report.pdf" and summary["compile"]["ok"]
    assert summary["summary"]["not_holding"] == ["my-lemma"]
    assert [e["label"] for e in summary["errata"]] == ["1.14"]
    assert summary["summary"]["studies"] == {"ok": ["fake_ok"], "failed": ["contract", "raises"],
                                             "skipped": ["torchy"]}
    assert "study:fake_ok" in summary["sections"]["Linear frequency principle: NN vs LFP model"]
    tex = (out / "report.tex").read_text()
    assert r"\usepackage{amsmath}" in tex and r"\usepackage{amssymb}" in tex
    packages = {line for line in tex.splitlines() if line.startswith(r"\usepackage")}
    assert packages == {r"\usepackage{amsmath}", r"\usepackage{amssymb}", r"\usepackage{graphicx}"}
    assert r"\includegraphics" in tex and "figures/fake-ok-1.png" in tex
    assert r"\section*{Errata}" in tex and "rendering failed" not in tex
    assert TORCH_HINT.split(":")[0] in tex and "bad input 42" in tex
    assert tex.index("(1.14)") < tex.index(r"\section*{Errata}")
    assert tex.isascii()
    # the acceptance of issue 15 on the stub: no LaTeX warning, no by-product, no raw code
    assert summary["compile"]["warnings"] == []
    assert sorted(p.name for p in out.iterdir()) == ["figures", "numerics", "report.pdf",
                                                     "report.tex", "summary.json"]
    body = tex[tex.index(r"\begin{document}"):]
    assert not RAW_CODE.search(body), RAW_CODE.search(body)
    assert tex.count(r"\includegraphics") == tex.count(r"\caption{") == 1
    pdf_text = _pdf_text(out / "report.pdf")
    if pdf_text is not None:
        assert not RAW_CODE.search(pdf_text), RAW_CODE.search(pdf_text)
        assert "˜" not in pdf_text and "--no" not in pdf_text.replace("−", "-").replace("–", "--")


@needs_tex
def test_a_latex_error_shows_the_log_and_exits_nonzero(tmp_path, capsys):
    proofs = tmp_path / "proofs"
    proofs.mkdir()
    (proofs / "bad.py").write_text(
        "from fptheory.verify.claims import proved, claim\n"
        "@claim('1.2', 'a statement with an undefined macro')\n"
        "def bad():\n    return proved(r'\\undefinedmacro{x} = 1', 'why')\n")
    code = main(["report", "--out", str(tmp_path / "r"), "--proofs", str(proofs),
                 "--no-numerics"])
    err = capsys.readouterr().err
    assert code == 4
    assert "failed" in err and "Undefined control sequence" in err


def test_without_tex_the_tex_is_written_and_the_message_is_one_line(tmp_path, one_claim_proofs,
                                                                    monkeypatch, capsys):
    import fptheory.report.pdf as pdf

    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    code = main(["report", "--out", str(tmp_path / "r"), "--proofs", str(one_claim_proofs),
                 "--no-numerics"])
    captured = capsys.readouterr()
    assert code == 0
    assert (tmp_path / "r" / "report.tex").is_file() and not (tmp_path / "r" / "report.pdf").exists()
    assert TEX_MISSING in captured.err
    assert compile_pdf(tmp_path / "r" / "report.tex").tool is None


def test_bad_arguments_are_one_line_errors(tmp_path, capsys):
    assert main(["report", "--out", str(tmp_path), "--numerics", str(tmp_path / "nope")]) == 2
    assert "no numerics folder" in capsys.readouterr().err
    assert main(["report", "--out", str(tmp_path), "--no-numerics", "--study-timeout", "-1"]) == 2
    assert main(["report", "--out", str(tmp_path), "--no-numerics", "--jobs", "0"]) == 2
    assert "--jobs must be at least 1" in capsys.readouterr().err


def test_report_json_is_one_object(tmp_path, one_claim_proofs, capsys):
    code = main(["report", "--out", str(tmp_path / "r"), "--proofs", str(one_claim_proofs), "--no-numerics",
                 "--no-pdf", "--json"])
    summary = json.loads(capsys.readouterr().out)
    assert code == 0 and summary["summary"]["holding"] == 1 and summary["pdf"] is None
    assert summary["claims"][0]["text"]["relation_latex"] == "2 x = 2 x"


@pytest.mark.slow
@needs_tex
def test_every_repository_claim_renders_and_the_report_compiles(tmp_path):
    """All proofs/ scripts (no numerics): each claim under its label, no rendering
    fallback, and the PDF compiles."""
    build = build_report(tmp_path, proofs=[PROOFS_DIR], numerics=None)
    assert build.compile is not None and build.compile.ok, build.compile.log
    tex = build.tex.read_text()
    assert "rendering failed" not in tex
    for r in build.claims:
        assert f"({r.label})" in tex
    # the coverage section: every numbered equation with its status, before the errata
    assert "Coverage: every numbered equation of the chapter" in tex  # in the summary
    coverage = tex[tex.index(r"\section*{Coverage of the chapter's equations}"):tex.index("{Errata}")]
    assert all(f"(1.{i})" in coverage for i in range(1, 45)) and "not checked" not in coverage
    assert [c["equation"] for c in build.to_dict()["coverage"]][:44] == [f"1.{i}" for i in range(1, 45)]


ERRATA_PROOF = textwrap.dedent(r'''
    import sympy as sp
    from fptheory.verify.claims import assess_identity, claim

    x = sp.Symbol("x", real=True)

    @claim("1.35", "the text is wrong and a corrected form holds")
    def erratum():
        text = assess_identity(sp.exp(x), 1 + x, r"e^x = 1 + x", samples={x: [0, 1]})
        return text, assess_identity(sp.exp(2 * x), sp.exp(x)**2, r"e^{2x} = (e^x)^2")

    @claim("mine", "a user's claim that is refuted: not established, not an erratum")
    def refuted_claim():
        return assess_identity(sp.sin(x), x, r"\sin x = x", samples={x: [1]})

    @claim("1.43", "one that holds")
    def holds():
        return assess_identity(2 * x, x + x, r"2x = x + x")
''')


def test_check_and_report_agree_on_errata_and_not_established(tmp_path, capsys):
    """An erratum is a place where the text's form differs from the verified form; a refuted
    claim without a corrected form is not established. Both commands count the same."""
    proofs = tmp_path / "proofs"
    proofs.mkdir()
    (proofs / "claims.py").write_text(ERRATA_PROOF)
    assert main(["check", str(proofs), "--jobs", "1", "--output", str(tmp_path / "c.json"),
                 "--quiet"]) == 1
    check_out = capsys.readouterr().out
    assert main(["report", "--out", str(tmp_path / "r"), "--proofs", str(proofs),
                 "--no-numerics", "--no-pdf", "--quiet"]) == 1
    report_out = capsys.readouterr().out
    checked = json.loads((tmp_path / "c.json").read_text())
    reported = json.loads((tmp_path / "r" / "summary.json").read_text())
    for summary in (checked, reported):
        assert [e["label"] for e in summary["errata"]] == ["1.35"]
        assert summary["summary"]["errata"] == 1 and summary["summary"]["not_holding"] == ["mine"]
    assert "1 errata, 1 not established: mine" in " ".join(check_out.split())
    assert "1 errata, 1 not established: mine" in report_out
    tex = (tmp_path / "r" / "report.tex").read_text()
    assert "1 errata, 1 not established: mine" in tex
    errata_section = tex[tex.index(r"\section*{Errata}"):]
    assert "(1.35)" in errata_section and "(mine)" not in errata_section


@pytest.mark.slow
@needs_tex
def test_the_quick_report_compiles_without_warnings_or_raw_code(tmp_path):
    """Issue 15's acceptance on the real report (all proofs, all studies, quick size): no
    LaTeX warning, no raw code in the .tex body or the PDF's text, a caption on every
    figure, no LaTeX by-products left."""
    from fptheory.report.studies import NUMERICS_DIR

    build = build_report(tmp_path, proofs=[PROOFS_DIR], numerics=NUMERICS_DIR)
    assert build.compile is not None and build.compile.ok, build.compile.log
    assert build.compile.warnings == []
    tex = build.tex.read_text()
    body = tex[tex.index(r"\begin{document}"):]
    assert not RAW_CODE.search(body), RAW_CODE.search(body)
    assert tex.count(r"\includegraphics") == tex.count(r"\caption{") > 0
    assert {p.name for p in tmp_path.iterdir()} == {"figures", "numerics", "report.pdf",
                                                    "report.tex", "summary.json"}
    pdf_text = _pdf_text(tmp_path / "report.pdf")
    if pdf_text is not None:
        assert not RAW_CODE.search(pdf_text), RAW_CODE.search(pdf_text)
        assert "˜" not in pdf_text and "??" not in pdf_text
