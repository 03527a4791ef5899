"""A study's page in the report: parameters as a table, nothing cut off, captioned figures."""

import re
import shutil
import struct
import zlib

import pytest

from fptheory.report.studies import StudyOutcome
from fptheory.report.study_pages import (
    FIGURE_CAPTIONS,
    PARAMETER_MEANINGS,
    figure_caption,
    measured_rows,
    parameter_rows,
    render_study,
)
from fptheory.report.text import escape_text

LONG = ("a = 0.1 (spectral peak at higher frequency): the order is obscured (convergence epochs "
        "compressed), and this sentence goes on well past a hundred characters to the end")


def _png(path, width_px: int, height_px: int, dpi: float) -> None:
    """A blank PNG of the given size and resolution (pHYs), written by hand."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ppm = round(dpi / 0.0254)
    raw = b"".join(b"\x00" + b"\xff" * width_px for _ in range(height_px))
    path.write_bytes(b"\x89PNG\r\n\x1a\n"
                     + chunk(b"IHDR", struct.pack(">IIBBBBB", width_px, height_px, 8, 0, 0, 0, 0))
                     + chunk(b"pHYs", struct.pack(">IIB", ppm, ppm, 1))
                     + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _study(tmp_path) -> StudyOutcome:
    (tmp_path / "figures").mkdir()
    _png(tmp_path / "figures" / "s-1.png", 300, 200, 100)   # 3 in wide: fits as it is
    _png(tmp_path / "figures" / "s-2.png", 1400, 400, 100)  # 14 in wide: labels would be 4 pt
    result = {"study": "s", "title": "A study", "chapter": "figure 1.1", "verdict": "holds in 3/3",
              "prediction_holds": True, "figures": ["out/ricker.png", "out/other.png"],
              "prediction": LONG, "size": "quick", "seeds": [0, 1, 2], "json": "out/s.json",
              "elapsed_s": 3.2, "config": {"lr": 0.001, "widths": [1, 100, 1], "novel": 7},
              "finding": LONG, "per_seed": [{"a": 1}] * 3, "captions": {"other.png": "Mine."}}
    return StudyOutcome("s", "s.py", "ok", result=result, figures=["figures/s-1.png",
                                                                    "figures/s-2.png"])


def test_parameters_have_meanings_and_measurements_are_kept_whole(tmp_path):
    s = _study(tmp_path)
    params = parameter_rows(s.result)
    assert [p[0] for p in params] == ["size", "seeds", "config.lr", "config.widths", "config.novel"]
    assert all(meaning == PARAMETER_MEANINGS.get(name, "—") for name, _, meaning in params)
    assert params[-1] == ("config.novel", "7", "—")  # a study's own setting, meaning unknown
    assert ("config.widths", "1, 100, 1", PARAMETER_MEANINGS["config.widths"]) in params
    measured = dict(measured_rows(s.result))
    assert measured == {"finding": LONG}  # no path, time or dump


def test_the_page_has_a_table_prose_and_captioned_figures(tmp_path):
    s = _study(tmp_path)
    tex = render_study(s, tmp_path)
    assert "parameter & value & meaning" in tex
    assert "learning rate" in tex and "per\\char95{}" not in tex and "(3 values)" not in tex
    assert "goes on well past a hundred characters to the end" in tex  # not cut off
    assert r"\textbf{The text predicts:}" in tex
    figures = re.findall(r"\\begin\{figure\}.*?\\end\{figure\}", tex, flags=re.S)
    assert len(figures) == 2 and all(r"\caption{" in f for f in figures)
    assert escape_text(FIGURE_CAPTIONS["ricker"]) in figures[0]  # the repository's, by file stem
    assert r"\caption{Mine.}" in figures[1]  # the study's own caption wins
    assert "width=3.00in" in figures[0]  # set at its own size
    assert r"\rotatebox{90}" in figures[1]  # too wide: turned, on a page of its own


def test_a_figure_without_a_known_caption_gets_one_from_the_title(tmp_path):
    s = _study(tmp_path)
    s.result["figures"] = ["a.png", "b.png"]
    s.result.pop("captions")
    assert figure_caption(s, 1) == "A study (figure 1.1), figure 2 of 2."


def test_a_failed_study_shows_its_reason_only():
    s = StudyOutcome("x", "x.py", "failed", "ValueError: bad input_1 ~ 2")
    tex = render_study(s)
    assert r"\textbf{failed:}" in tex and "parameter" not in tex
    assert r"\ensuremath{\sim}" in tex


def test_parameter_names_are_short_and_never_split(tmp_path):
    s = _study(tmp_path)
    s.result["config"].update(seeds=3, spread_factor_of_the_epochs=2.0)
    tex = render_study(s, tmp_path)
    table = tex[tex.index("parameter & value & meaning"):tex.index("measured & value")]
    assert r"\texttt{lr}" in table and "config.lr" not in table  # no dump prefix
    assert r"\texttt{seeds}" in table and r"\texttt{config.\allowbreak{}seeds}" in table
    head = tex[:tex.index("parameter & value & meaning")]
    cols = head[head.rindex("tabular"):]
    name = float(re.search(r"p\{([\d.]+)em\}", cols).group(1))
    assert name >= 0.525 * len("spread_factor_of_the_epochs")  # typewriter: 0.525 em a letter
    assert rf"\dimexpr\linewidth-{name:.2f}em-3.0cm-6\tabcolsep\relax" in cols  # the rest


def test_a_grid_of_panels_that_fits_upright_gets_a_page_of_its_own(tmp_path):
    from fptheory.report.study_pages import figure_layout

    assert figure_layout((3.0, 2.0)) == ("inline", 1.0)        # small: as it is, in the text
    layout, scale = figure_layout((7.2, 7.0))                    # 2x2 grid: 45 % of the height
    assert layout == "page" and 10 * scale >= 8                  # would shrink it; a page won't
    layout, scale = figure_layout((14.0, 4.0))                   # a wide row: turned
    assert layout == "turned" and scale > 5.79 / 14.0
    s = _study(tmp_path)
    _png(tmp_path / "figures" / "s-1.png", 720, 700, 100)
    tex = render_study(s, tmp_path)
    first = re.findall(r"\\begin\{figure\}.*?\\end\{figure\}", tex, flags=re.S)[0]
    assert first.startswith(r"\begin{figure}[p]") and r"\rotatebox" not in first
    assert r"\caption{" in first


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not installed")
def test_the_page_compiles_in_the_report_without_a_bad_box_or_a_split_name(tmp_path):
    from fptheory.report.document import _PREAMBLE
    from fptheory.report.latex import PREAMBLE_MACROS
    from fptheory.report.pdf import compile_pdf

    s = _study(tmp_path)
    s.result["config"].update(seeds=3, spread_factor=2.0)
    s.result["engine_gradient_weights"] = {"1": 0.16, "3": 5.4e-4}
    tex = tmp_path / "page.tex"
    tex.write_text(_PREAMBLE + PREAMBLE_MACROS + "\\begin{document}\n" + render_study(s, tmp_path)
                   + "\\end{document}\n")
    result = compile_pdf(tex)
    assert result.ok and result.warnings == [], (result.log, result.warnings)
    pypdf = pytest.importorskip("pypdf")
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(tmp_path / "page.pdf").pages)
    for name in ("config.seeds", "spread_factor", "engine_gradient_weights.3"):
        assert name in text, name  # on one line, not split at its _ or .


def test_a_study_of_several_experiments_shows_each_ones_parameters():
    parts = [{"experiment": f"large-init-{d}", "title": f"Large vs small ({d})", "verdict": "ok",
              "config": {"lr": 0.001, "std_large": 2.0}, "seeds_agreeing": 3} for d in ("1d", "2d")]
    result = {"study": "initialization", "title": "both", "verdict": "ok", "figures": [],
              "prediction_holds": True, "experiments": parts,
              "seeds_agreeing": {"large-init-1d": 3, "large-init-2d": 3}}
    tex = render_study(StudyOutcome("initialization", "initialization.py", "ok", result=result))
    assert tex.count("parameter & value & meaning") == 2 and tex.count("measured & value") == 2
    assert tex.count(r"\texttt{std\char95{}\allowbreak{}large}") == 2
    assert PARAMETER_MEANINGS["config.std_large"] in tex
    assert "agreeing.\\allowbreak{}large" not in tex  # the study's summary of them not repeated
