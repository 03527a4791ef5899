"""Reading a text for :mod:`fptheory.core.parsing`: the closed grammar, up to a checked tree.

The text is refused unless it is short ASCII without comments (:class:`_Source`, which also
turns ``^`` into ``**`` and places error messages in the caller's text), parsed by
``ast.parse(text, mode="eval")`` and never evaluated (:func:`_parse_tree`), and every node
of the tree is checked against the whitelist, nesting depth included (:func:`_check_tree`).
Numeric literals are read exactly from their source text (:func:`_literal_value`: ``0.1``
is 1/10). The limits on the input (``MAX_*``) live here; :mod:`fptheory.core.parsing`
re-exports them.
"""

from __future__ import annotations

import ast
import math
import re

import sympy as sp

from .errors import FPTheoryError

MAX_TEXT_LENGTH = 20_000
"""Longest accepted text (characters)."""

MAX_DEPTH = 200
"""Deepest accepted nesting (calls, parentheses, powers, unary signs; a chain ``a + b - c``
or ``a * b / c`` counts as one level, so long sums are not "deep")."""

MAX_LITERAL_DIGITS = 2_000
"""Most digits in one numeric literal (the mantissa of a decimal literal)."""

MAX_BITS = 100_000
"""Largest exact number (numerator or denominator) that may be built, in bits (about 30 000
decimal digits); a power is refused before it is computed when its result would exceed it."""

# 10^N has N·log2(10) bits: the decimal exponent that keeps a literal within MAX_BITS
_MAX_DECIMAL_EXPONENT = int(MAX_BITS * math.log10(2))

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
_INTEGER = re.compile(r"[0-9]+\Z")
_DECIMAL = re.compile(r"(?P<int>[0-9]*)(?:\.(?P<frac>[0-9]*))?(?:[eE](?P<exp>[+-]?[0-9]+))?\Z")

_OPERATORS: dict[type, str] = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**", ast.BitXor: "^",
    ast.Mod: "%", ast.FloorDiv: "//", ast.MatMult: "@", ast.LShift: "<<", ast.RShift: ">>",
    ast.BitOr: "|", ast.BitAnd: "&", ast.Invert: "~", ast.Not: "not", ast.UAdd: "+", ast.USub: "-",
    ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=",
    ast.Is: "is", ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in",
}
_SUM_OPS = (ast.Add, ast.Sub)
_PRODUCT_OPS = (ast.Mult, ast.Div)
_POWER_OPS = (ast.Pow, ast.BitXor)

_CONSTRUCTS: dict[type, str] = {
    ast.Attribute: "attribute access '.'",
    ast.Subscript: "indexing '[...]'",
    ast.Slice: "slice",
    ast.Lambda: "lambda",
    ast.ListComp: "comprehension",
    ast.SetComp: "comprehension",
    ast.DictComp: "comprehension",
    ast.GeneratorExp: "generator expression",
    ast.Starred: "starred argument '*'",
    ast.NamedExpr: "assignment expression ':='",
    ast.JoinedStr: "f-string",
    ast.FormattedValue: "f-string",
    ast.BoolOp: "'and'/'or'",
    ast.IfExp: "conditional expression 'if ... else'",
    ast.Tuple: "tuple",
    ast.List: "list",
    ast.Set: "set",
    ast.Dict: "dict",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
}


def _show(text: str, limit: int = 60) -> str:
    """The text for a one-line message: quoted, escaped (no raw newline), shortened."""
    shown = text if len(text) <= limit else text[: limit - 3] + "..."
    return '"' + shown.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'


class _Source:
    """The text as parsed (``^`` already turned into ``**``) and how to quote it in errors."""

    def __init__(self, text: str) -> None:
        if not isinstance(text, str):
            raise FPTheoryError(f"expected text to parse, got {type(text).__name__}")
        self.text = text
        if not text.strip():
            raise FPTheoryError("empty expression")
        if len(text) > MAX_TEXT_LENGTH:
            raise FPTheoryError(f"expression too long: {len(text)} characters "
                                f"(at most {MAX_TEXT_LENGTH})")
        for i, ch in enumerate(text):
            # non-ASCII identifiers are NFKC-folded by Python (a full-width 'ｅｘｅｃ' is 'exec'):
            # what a reader sees and what is parsed must be the same characters
            if not (ch.isascii() and (ch.isprintable() or ch in " \t\n\r")):
                raise FPTheoryError(f"cannot parse {_show(text)}: character {ch!r} at position "
                                    f"{i + 1} is not accepted (ASCII only)")
            if ch == "#":
                raise FPTheoryError(f"cannot parse {_show(text)}: comment '#' is not accepted")
        self._normalised = text.replace("\r\n", "\n").replace("\r", "\n")
        # ast.parse, unlike eval, refuses leading blanks ("unexpected indent")
        body = self._normalised.lstrip()
        self._lead = len(self._normalised) - len(body)
        self._body = body
        # convert_xor: '^' is a power at the token level, so x^2+1 is x**2 + 1 and not x^(2+1);
        # outside string literals (refused anyway) '^' can only be the operator
        self.parsed = body.replace("^", "**")
        self._line_starts = [0]
        for i, ch in enumerate(self.parsed):
            if ch == "\n":
                self._line_starts.append(i + 1)

    def segment(self, node: ast.expr) -> str:
        """The source text of a one-line node (offsets are characters: the text is ASCII)."""
        start = self._line_starts[node.lineno - 1] + node.col_offset
        end = self._line_starts[(node.end_lineno or node.lineno) - 1] + (node.end_col_offset or 0)
        return self.parsed[start:end]

    def where(self, lineno: int, col: int) -> str:
        """'column C' (or 'line L, column C'), 1-based, in the caller's text, for a position
        of the parsed text (which lost the leading blanks and has '**' for each '^')."""
        target = self._line_starts[min(max(lineno, 1), len(self._line_starts)) - 1] + col
        c = j = 0
        while j < len(self._body) and c < target:
            c += 2 if self._body[j] == "^" else 1
            j += 1
        at = self._lead + j
        line_start = self._normalised.rfind("\n", 0, at) + 1
        column = at - line_start + 1
        if "\n" not in self._normalised:
            return f"column {column}"
        return f"line {self._normalised.count(chr(10), 0, at) + 1}, column {column}"

    def error(self, what: str, node: ast.AST | None = None) -> FPTheoryError:
        where = ""
        if node is not None and hasattr(node, "lineno"):
            col = node.col_offset
            if isinstance(node, ast.Attribute) and node.end_lineno == node.lineno:
                # point at the '.', not at the start of the object before it
                col = max(col, (node.end_col_offset or 0) - len(node.attr) - 1)
            where = f" ({self.where(node.lineno, col)})"
        return FPTheoryError(f"cannot parse {_show(self.text)}: {what}{where}")


def _parse_tree(source: _Source) -> ast.expr:
    """ast.parse with every failure (syntax, too deep for Python's own parser) as one line."""
    try:
        tree = ast.parse(source.parsed, mode="eval")
    except SyntaxError as exc:
        msg = (exc.msg or "invalid syntax").split("\n")[0]
        if exc.offset:
            msg += f" ({source.where(exc.lineno or 1, exc.offset - 1)})"
        raise source.error(msg) from None
    except (RecursionError, MemoryError):
        # CPython's parser gives up on very deep nesting or very long operator chains
        raise source.error("nested too deeply or too long for the parser") from None
    except ValueError as exc:
        raise source.error(str(exc).split("\n")[0]) from None
    return tree.body


def _literal_value(source: _Source, node: ast.Constant) -> sp.Rational:
    """The exact value of a numeric literal, from its source text (0.1 is 1/10)."""
    text = source.segment(node)
    if "_" in text:
        raise source.error(f"digit separator '_' in {text!r} is not accepted", node)
    if type(node.value) is int:
        if not _INTEGER.match(text):
            raise source.error(f"numeric literal {text!r} is not decimal", node)
        if len(text) > MAX_LITERAL_DIGITS:
            raise source.error(f"integer literal of {len(text)} digits (at most "
                               f"{MAX_LITERAL_DIGITS})", node)
        return sp.Integer(int(text))
    m = _DECIMAL.match(text)
    if not m or not (m["int"] or m["frac"]):
        raise source.error(f"numeric literal {text!r} is not decimal", node)
    digits = (m["int"] or "") + (m["frac"] or "")
    if len(digits) > MAX_LITERAL_DIGITS:
        raise source.error(f"decimal literal of {len(digits)} digits (at most "
                           f"{MAX_LITERAL_DIGITS})", node)
    mantissa = int(digits)
    exp_text = m["exp"] or "0"
    if mantissa == 0:
        return sp.Integer(0)
    if len(exp_text.lstrip("+-")) > 6:
        raise source.error(f"decimal literal {text!r}: exponent too large", node)
    exponent = int(exp_text) - len(m["frac"] or "")
    if abs(exponent) > _MAX_DECIMAL_EXPONENT:
        raise source.error(f"decimal literal {text!r} is too large an exact number (more than "
                           f"{MAX_BITS} bits)", node)
    if exponent >= 0:
        return sp.Integer(mantissa * 10**exponent)
    return sp.Rational(mantissa, 10**-exponent)


def _check_tree(source: _Source, root: ast.expr) -> list[ast.Constant]:
    """Refuse every node outside the grammar and nesting beyond MAX_DEPTH (iteratively: the
    tree itself may be deep). Returns the numeric literals, in source order."""
    literals: list[ast.Constant] = []
    stack: list[tuple[ast.AST, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise source.error(f"nested more than {MAX_DEPTH} levels deep", node)
        if isinstance(node, ast.BinOp):
            op = type(node.op)
            if op not in (*_SUM_OPS, *_PRODUCT_OPS, *_POWER_OPS):
                raise source.error(f"operator '{_OPERATORS.get(op, op.__name__)}' is not accepted",
                                   node)
            # a left operand of the same family continues the chain a + b - c: not deeper
            same_chain = isinstance(node.left, ast.BinOp) and any(
                isinstance(node.op, fam) and isinstance(node.left.op, fam)
                for fam in (_SUM_OPS, _PRODUCT_OPS))
            stack.append((node.right, depth + 1))
            stack.append((node.left, depth if same_chain else depth + 1))
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, (ast.USub, ast.UAdd)):
                op = type(node.op)
                raise source.error(f"operator '{_OPERATORS.get(op, op.__name__)}' is not accepted",
                                   node)
            stack.append((node.operand, depth + 1))
        elif isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name):
                what = _CONSTRUCTS.get(type(node.func), "a call of something other than a name")
                raise source.error(f"{what} is not accepted", node.func)
            if node.keywords:
                kw = node.keywords[0]
                what = f"keyword argument '{kw.arg}='" if kw.arg else "'**' argument"
                raise source.error(f"{what} is not accepted", kw)
            _check_name(source, node.func)
            stack.extend((arg, depth + 1) for arg in reversed(node.args))
        elif isinstance(node, ast.Name):
            _check_name(source, node)
        elif isinstance(node, ast.Constant):
            value = node.value
            if type(value) in (int, float):
                literals.append(node)
            elif isinstance(value, str):
                raise source.error("string literal is not accepted", node)
            elif isinstance(value, bytes):
                raise source.error("bytes literal is not accepted", node)
            elif isinstance(value, complex):
                raise source.error("imaginary literal is not accepted (write I*y)", node)
            else:
                raise source.error(f"constant {value!r} is not accepted", node)
        elif isinstance(node, ast.Compare):
            raise source.error("comparison inside an expression is not accepted", node)
        else:
            what = _CONSTRUCTS.get(type(node), f"{type(node).__name__} syntax")
            raise source.error(f"{what} is not accepted", node)
    literals.sort(key=lambda n: (n.lineno, n.col_offset))
    return literals


def _check_name(source: _Source, node: ast.Name) -> None:
    name = node.id
    if name.startswith("_"):
        raise source.error(f"private or dunder name {name!r} is not accepted", node)
    if not _NAME.match(name):
        raise source.error(f"name {name!r} is not accepted", node)


def _prepare(text: str) -> tuple[_Source, ast.expr]:
    source = _Source(text)
    return source, _parse_tree(source)
