"""LaTeX fragments for authors: one per claim, each compiling alone in a minimal document."""

import json
import re
import shutil
import subprocess

import pytest
import sympy as sp

from fptheory.cli import main
from fptheory.report.collect import PROOFS_DIR, collect_claims
from fptheory.report.snippets import (
    MINIMAL_PREAMBLE,
    equation_tag,
    side_conditions,
    snippet,
    snippet_name,
    write_snippets,
)
from fptheory.verify.claims import (
    ClaimResult,
    assess_identity,
    proved,
    run_claim,
    unknown,
)

HAVE_TEX = shutil.which("pdflatex") is not None
needs_tex = pytest.mark.skipif(not HAVE_TEX, reason="pdflatex not installed (Debian: apt-get "
                               "install texlive-latex-base latexmk; CI installs it)")

x = sp.Symbol("x", real=True)
w = sp.Symbol("w", positive=True)


def _claims() -> list[ClaimResult]:
    text = assess_identity(sp.exp(x), 1 + x, r"e^x = 1 + x", samples={x: [0, 1]})
    corrected = assess_identity(sp.exp(2 * x), sp.exp(x) ** 2, r"e^{2x} = (e^x)^2")
    erratum = ClaimResult("1.16-c2", "an erratum: e^x vs 1 + x, 100% & $ # _ ~", text, corrected,
                          note="the text's form\nfails at x = 1; see ??")
    scaled = ClaimResult("1.43", "a scaled identity with w > 0",
                         assess_identity(sp.Abs(w) * x, w * x, r"|w| x = w x"),
                         convention="ordinary")
    prose = ClaimResult("my-lemma", "a user's claim in words",
                        proved("closed-form gradients exist for every θ_j", "by hand: k1 < k2"))
    failed = ClaimResult("1.9", "a check that raised", unknown("t", "check raised ValueError: x**2"))
    aligned = ClaimResult("1.1.1-x", "two lines", proved(r"a = b \\ c = d", "sympy"))
    return [erratum, scaled, prose, failed, aligned]


def test_an_erratum_carries_the_texts_form_as_a_comment():
    tex = snippet(_claims()[0])
    comments = "\n".join(line for line in tex.splitlines() if line.startswith("%"))
    body = "\n".join(line for line in tex.splitlines() if not line.startswith("%"))
    assert "ERRATUM" in comments and "e^x = 1 + x" in comments and "counterexample" in comments
    assert "e^x = 1 + x" not in body  # the text's form only as a comment
    assert "fails at x = 1" in comments  # a multi-line note stays commented out
    assert re.search(r"\\begin\{equation\}\s*e\^\{2x\} = \(e\^x\)\^2\s*\\tag\{1\.16\}"
                     r"\\label\{eq:1\.16-c2\}\s*\\end\{equation\}", body)
    assert r"\begin{proof}" in body and r"\end{proof}" in body
    proof = body[body.index(r"\begin{proof}"):]
    assert "\n\n" not in proof.strip()  # one paragraph


def test_a_claim_that_is_not_an_erratum_has_no_erratum_comment():
    tex = snippet(_claims()[1])
    assert "ERRATUM" not in tex and r"\tag{1.43}" in tex
    conditions = side_conditions(_claims()[1])
    assert any("ordinary convention" in c for c in conditions)
    assert "checked for $w > 0$" in conditions


@pytest.mark.parametrize("label, tag, name", [
    ("1.16-c2", "1.16", "1_16-c2"), ("1.15-1.16", "1.15--1.16", "1_15-1_16"),
    ("1.1.1-tanh", None, "1_1_1-tanh"), ("my-lemma", None, "my-lemma"), ("1.2b", "1.2", "1_2b"),
    ("../../etc", None, "____etc"),
])
def test_tags_and_file_names(label, tag, name):
    assert equation_tag(label) == tag
    assert snippet_name(label) == name
    assert "/" not in snippet_name(label)


def test_snippets_tex_inputs_every_fragment_in_the_chapters_order(tmp_path):
    claims = _claims()
    written = write_snippets(claims, tmp_path / "snip")
    assert written[-1].name == "snippets.tex" and len(written) == len(claims) + 1
    inputs = re.findall(r"\\input\{\\fptsnippetdir (\S+)\}", written[-1].read_text())
    assert inputs == [p.stem for p in written[:-1]]
    assert inputs == ["1_1_1-x", "1_9", "1_16-c2", "1_43", "my-lemma"]
    assert written[-1].read_text().isascii()
    for p in written[:-1]:  # free text escaped, code set from sympy: none of it raw
        body = "\n".join(line for line in p.read_text().splitlines() if not line.startswith("%"))
        assert "**" not in body and "??" not in body and body.isascii()


def _compile_alone(fragment, folder) -> subprocess.CompletedProcess:
    doc = folder / f"doc-{fragment.stem}.tex"
    doc.write_text(MINIMAL_PREAMBLE + "\\begin{document}\n\\input{" + fragment.stem
                   + "}\n\\end{document}\n")
    return subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", doc.name],
                          cwd=folder, capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)


def _errors(proc: subprocess.CompletedProcess) -> list[str]:
    return [line for line in proc.stdout.splitlines() if line.startswith("!")]


@needs_tex
def test_each_fragment_compiles_alone_in_a_minimal_document(tmp_path):
    """Stub claims and three real ones (an erratum among them): every fragment compiles on
    its own under amsmath/amssymb/amsthm, and snippets.tex compiles with all of them."""
    wanted = {"1.39", "1.42", "1.43"}
    real = [run_claim(fn, src) for src, fn in collect_claims([PROOFS_DIR / "fourier_transforms.py"])
            if fn._fptheory_claim["label"] in wanted]
    assert any(r.is_erratum for r in real)
    written = write_snippets(_claims() + real, tmp_path)
    for fragment in written[:-1]:
        proc = _compile_alone(fragment, tmp_path)
        assert proc.returncode == 0, (fragment.name, _errors(proc))
        assert "Overfull" not in proc.stdout, fragment.name  # fits the article's line
    proc = _compile_alone(written[-1], tmp_path)
    assert proc.returncode == 0, _errors(proc)


def test_report_snippets_option(tmp_path, one_claim_proofs, capsys):
    snip = tmp_path / "snip"
    code = main(["report", "--out", str(tmp_path / "r"), "--proofs", str(one_claim_proofs), "--no-numerics",
                 "--no-pdf", "--snippets", str(snip), "--json", "--quiet"])
    summary = json.loads(capsys.readouterr().out)
    assert code == 0
    assert sorted(p.name for p in snip.iterdir()) == ["1_43.tex", "snippets.tex"]
    assert [p.rsplit("/", 1)[-1] for p in summary["snippets"]] == ["1_43.tex", "snippets.tex"]
    assert r"\tag{1.43}" in (snip / "1_43.tex").read_text()
    (tmp_path / "file").write_text("")
    assert main(["report", "--out", str(tmp_path / "r"), "--proofs", str(one_claim_proofs), "--no-numerics",
                 "--no-pdf", "--snippets", str(tmp_path / "file")]) == 2
    assert "--snippets" in capsys.readouterr().err


@pytest.mark.slow
@needs_tex
def test_every_repository_claim_has_a_fragment_that_compiles(tmp_path):
    from fptheory.report.collect import run_paths

    claims = run_paths([PROOFS_DIR], jobs=2)
    written = write_snippets(claims, tmp_path)
    assert len(written) == len(claims) + 1
    for fragment in written[:-1]:
        proc = _compile_alone(fragment, tmp_path)
        assert proc.returncode == 0, (fragment.name, _errors(proc))
        assert "Overfull" not in proc.stdout, fragment.name
