"""Plain text inside reST: the docstrings' absolute values and the CLI's help strings.

Two conventions of the project meet reStructuredText here:

* docstrings write absolute values and norms as plain ``|x|`` (and ``|∂L(k_1)/∂θ|``), which
  reST would read as substitution references. :func:`escape_bars` escapes each ``|`` outside
  inline literals, roles (``:math:`...```), interpreted text, literal and math blocks and
  doctest blocks, where it is kept as written; it runs on every docstring autodoc reads
  (``autodoc-process-docstring``). The project uses no reST substitutions or line blocks.
* argparse help strings, descriptions and epilogs are plain text for a terminal, not reST.
  :func:`plain_to_rst` makes each a literal rendering of itself: prose with every ASCII
  punctuation character escaped, indented lines (examples) as literal blocks. It is applied
  to what sphinx-argparse reads from the parser, so ``docs/cli.md`` shows the ``--help`` text
  whatever characters the help strings use.
"""

from __future__ import annotations

import re
from typing import Any

_LITERAL_DIRECTIVES = re.compile(
    r"^\s*\.\.\s+(math|code|code-block|sourcecode|literalinclude|highlight|doctest|testcode|"
    r"testoutput|raw)::")
_PROTECTED = re.compile(r"(``.+?``|:[A-Za-z][\w:+.-]*:`.+?`|`[^`]+`_{0,2})", re.DOTALL)
_BAR = re.compile(r"(?<!\\)\|")
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _escape_inline(text: str) -> str:
    parts = _PROTECTED.split(text)
    return "".join(part if i % 2 else _BAR.sub(r"\\|", part) for i, part in enumerate(parts))


def escape_bars(lines: list[str]) -> list[str]:
    """The docstring ``lines`` with every plain-text ``|`` escaped (see the module docstring)."""
    out: list[str] = []
    run: list[str] = []  # consecutive prose lines, escaped together (roles may span lines)

    def flush() -> None:
        if run:
            out.extend(_escape_inline("\n".join(run)).split("\n"))
            run.clear()

    block_indent: int | None = None  # inside a literal block or literal directive deeper than this
    in_doctest = False
    for line in lines:
        stripped = line.strip()
        if block_indent is not None:
            if not stripped or _indent(line) > block_indent:
                out.append(line)
                continue
            block_indent = None
        if in_doctest:
            if stripped:
                out.append(line)
                continue
            in_doctest = False
        if stripped.startswith(">>>"):
            flush()
            in_doctest = True
            out.append(line)
        elif _LITERAL_DIRECTIVES.match(line):
            flush()
            block_indent = _indent(line)
            out.append(line)
        else:
            run.append(line)
            if stripped.endswith("::"):
                flush()
                block_indent = _indent(line)
    flush()
    return out


def plain_to_rst(text: str) -> str:
    """Terminal text as reST that renders as itself: indented lines become literal blocks,
    every other line has its ASCII punctuation escaped (so nothing is read as markup)."""
    lines = text.expandtabs().splitlines()
    margin = min((_indent(line) for line in lines if line.strip()), default=0)
    out: list[str] = []
    literal = False
    for line in lines:
        line = line[margin:]
        if not line.strip():
            out.append("")
            continue
        if _indent(line) > 0:
            if not literal:
                out += ["", "::", ""]
                literal = True
            out.append("    " + line)
        else:
            if literal:
                out.append("")
                literal = False
            out.append(_PUNCTUATION.sub(r"\\\1", line))
    return "\n".join(out).strip("\n")


def _plain_parser_data(data: Any) -> Any:
    """sphinx-argparse's parsed parser with every help, description and epilog as reST."""
    if isinstance(data, list):
        return [_plain_parser_data(item) for item in data]
    if not isinstance(data, dict):
        return data
    out = {}
    for key, value in data.items():
        if key in ("help", "description", "epilog") and isinstance(value, str) \
                and "==SUPPRESS==" not in value:
            out[key] = plain_to_rst(value)
        else:
            out[key] = _plain_parser_data(value)
    return out


def _on_docstring(app, what, name, obj, options, lines: list[str]) -> None:
    lines[:] = escape_bars(lines)


def setup(app) -> dict[str, Any]:
    app.connect("autodoc-process-docstring", _on_docstring)
    import sphinxarg.ext

    parse_parser = sphinxarg.ext.parse_parser
    if not getattr(parse_parser, "_fptheory_plain", False):
        def plain_parse_parser(*args, **kwargs):
            return _plain_parser_data(parse_parser(*args, **kwargs))

        plain_parse_parser._fptheory_plain = True
        sphinxarg.ext.parse_parser = plain_parse_parser
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
