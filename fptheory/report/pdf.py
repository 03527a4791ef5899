"""Compiling the report's LaTeX to PDF: latexmk (else pdflatex twice), the log's errors.

TeX absent is not an error: :func:`compile_pdf` says so in one line (:data:`TEX_MISSING`)
and the report keeps its ``report.tex``. After a successful build the LaTeX by-products
(:data:`BY_PRODUCTS`: ``.aux``, ``.log``, ``.toc``, ...) are removed; the log's warnings
(font substitutions, overfull boxes, undefined references) are kept in
:attr:`CompileResult.warnings`. After a failed build the log stays, for the reader.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["COMPILE_TIMEOUT", "TEX_MISSING", "BY_PRODUCTS", "CompileResult", "compile_pdf",
           "log_warnings"]

COMPILE_TIMEOUT = 300.0
#: what pdflatex and latexmk leave next to the .tex besides the .pdf
BY_PRODUCTS = (".aux", ".log", ".toc", ".fls", ".fdb_latexmk", ".out", ".synctex.gz")


@dataclass
class CompileResult:
    """Outcome of the PDF compile: ``ok``; ``tool`` used (None when TeX is absent);
    ``message`` one line; ``log`` the relevant lines of the LaTeX log on failure;
    ``warnings`` the log's warnings (:func:`log_warnings`) after a successful build."""

    ok: bool
    tool: str | None
    message: str
    log: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "tool": self.tool, "message": self.message, "log": self.log,
                "warnings": self.warnings}


TEX_MISSING = ("pdflatex not found: report.tex written, no PDF (Debian/Ubuntu: "
               "apt-get install texlive-latex-base latexmk)")


def _log_excerpt(log: Path, limit: int = 20) -> list[str]:
    """The error lines of a LaTeX log (``!`` lines and file:line: errors) with the two
    lines after each."""
    if not log.is_file():
        return []
    lines = log.read_text(errors="replace").splitlines()
    out: list[str] = []
    for i, line in enumerate(lines):
        if line.startswith("!") or re.match(r"^\S+\.tex:\d+: ", line):
            out.extend(lines[i:i + 3])
            if len(out) >= limit:
                break
    return out[:limit]


_WARNING = re.compile(r"^(LaTeX|Package \S+|Class \S+|LaTeX Font|pdfTeX) (\S+ )?[Ww]arning|"
                      r"^(Overfull|Underfull) \\[hv]box")


def log_warnings(log: Path | str) -> list[str]:
    """The warnings of a LaTeX log, one line each (a warning's continuation lines joined):
    font substitutions, over- and underfull boxes, undefined references, package warnings."""
    path = Path(log)
    if not path.is_file():
        return []
    lines = path.read_text(errors="replace").splitlines()
    out: list[str] = []
    for i, line in enumerate(lines):
        if _WARNING.match(line):
            text = line
            for more in lines[i + 1:i + 4]:
                if not more.startswith("(") or not more.strip():
                    break
                text += " " + " ".join(more.split()[1:])
            out.append(text.strip())
    return out


def _remove_by_products(tex: Path) -> None:
    for suffix in BY_PRODUCTS:
        tex.with_suffix(suffix).unlink(missing_ok=True)


def compile_pdf(tex: Path, timeout: float = COMPILE_TIMEOUT) -> CompileResult:
    """Compile ``tex`` in its folder with latexmk (else pdflatex twice, for the table of
    contents); TeX absent is not an error (``ok`` False, ``tool`` None). On success the
    by-products are removed and the log's warnings kept in the result."""
    pdflatex = shutil.which("pdflatex")
    if pdflatex is None:
        return CompileResult(False, None, TEX_MISSING)
    latexmk = shutil.which("latexmk")
    flags = ["-interaction=nonstopmode", "-halt-on-error", "-file-line-error"]
    if latexmk:
        runs = [[latexmk, "-pdf", "-silent", *flags, tex.name]]
    else:
        runs = [[pdflatex, *flags, tex.name]] * 2
    tool = "latexmk" if latexmk else "pdflatex"
    for cmd in runs:
        try:
            proc = subprocess.run(cmd, cwd=tex.parent, capture_output=True, text=True,
                                  timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return CompileResult(False, tool, f"{tool} timed out after {timeout:g} s")
        if proc.returncode != 0:
            excerpt = _log_excerpt(tex.with_suffix(".log"))
            return CompileResult(False, tool, f"{tool} failed (exit {proc.returncode}); see "
                                 f"{tex.with_suffix('.log')}", excerpt)
    pdf = tex.with_suffix(".pdf")
    if not pdf.is_file():
        return CompileResult(False, tool, f"{tool} reported success but wrote no {pdf.name}")
    warnings = log_warnings(tex.with_suffix(".log"))
    _remove_by_products(tex)
    return CompileResult(True, tool, f"{pdf} written ({tool})", warnings=warnings)
