"""Sphinx configuration of the fptheory documentation (MyST Markdown, autodoc, sphinx-argparse).

Build (offline, warnings are errors)::

    python -m sphinx -W --keep-going -b html docs docs/_build/html
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent))  # the package, also when it is not installed
sys.path.insert(0, str(DOCS / "_ext"))

import fptheory  # noqa: E402

project = "fptheory"
author = "the fptheory authors"
copyright = "the fptheory authors"
version = release = fptheory.__version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "sphinxarg.ext",
    "errata",  # docs/_ext/errata.py: the errata page from docs/_data/check.json
    "plaintext",  # docs/_ext/plaintext.py: |x| in docstrings, argparse help as plain text
]

source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
exclude_patterns = ["_build", "_data", "_ext", "figures", "Thumbs.db", ".DS_Store"]

myst_enable_extensions = ["dollarmath", "colon_fence", "deflist"]
myst_heading_anchors = 3

autodoc_default_options = {"member-order": "bysource"}
#: fptheory.verify.strategies needs hypothesis (the test extra); the docs extra alone mocks it
autodoc_mock_imports = [name for name in ("hypothesis",) if importlib.util.find_spec(name) is None]
autodoc_typehints = "signature"
autodoc_preserve_defaults = True

html_theme = "alabaster"
html_title = f"fptheory {release}"
html_theme_options = {"description": "the frequency principle as checkable mathematics"}
