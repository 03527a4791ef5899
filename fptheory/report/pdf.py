"""Compiling the report's LaTeX to PDF: latexmk (else pdflatex twice), the log's errors.

TeX absent is not an error: :func:`compile_pdf` says so in one line (:data:`TEX_MISSING`)
and the report keeps its ``report.tex``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["COMPILE_TIMEOUT", "TEX_MISSING", "CompileResult", "compile_pdf"]

COMPILE_TIMEOUT = 300.0


@dataclass
class CompileResult:
    """Outcome of the PDF compile: ``ok``; ``tool`` used (None when TeX is absent);
    ``message`` one line; ``log`` the relevant lines of the LaTeX log on failure."""

    ok: bool
    tool: str | None
    message: str
    log: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "tool": self.tool, "message": self.message, "log": self.log}


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


def compile_pdf(tex: Path, timeout: float = COMPILE_TIMEOUT) -> CompileResult:
    """Compile ``tex`` in its folder with latexmk (else pdflatex twice, for the table of
    contents); TeX absent is not an error (``ok`` False, ``tool`` None)."""
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
    return CompileResult(True, tool, f"{pdf} written ({tool})")
