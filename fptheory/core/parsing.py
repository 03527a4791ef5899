r"""One safe parser for every expression that comes from a user or a file.

Certificate files, proof scripts' statements and command-line arguments are *data written by
someone else*. ``sympy.parse_expr`` (and ``sympify`` on a string) hands that text to Python's
``eval``: ``exec(chr(95)+...)`` or ``().__class__.__bases__[0].__subclasses__()`` would run
code. This module never evaluates text. It reads it with ``ast.parse(text, mode="eval")``,
checks every node against a closed whitelist, and builds the sympy object from the tree:

* numbers: decimal integer and decimal/exponent literals (``12``, ``0.1``, ``.5``, ``5.``,
  ``2.5e3``), read **exactly** from their source text, so ``0.1`` is 1/10, not the binary
  float nearest to it;
* names: symbols (``[A-Za-z][A-Za-z0-9_]*``, real by default), the constants ``pi``, ``E``,
  ``I``, ``oo``;
* ``+ - * / **`` and ``^`` (power, as sympy's ``convert_xor``: ``x^2+1`` is x² + 1), unary
  ``-`` and ``+``;
* calls ``name(arg, ...)`` of a function in :data:`DEFAULT_FUNCTIONS` (or in the caller's
  ``functions``), positional arguments only, with the arity checked;
* for :func:`parse_relation` only: exactly one top-level comparison ``<= < >= > ==``.

Everything else (attributes, subscripts, strings, lambdas, comprehensions, keyword or starred
arguments, ``:=``, f-strings, ``and``/``or``, ``%``, ``//``, private names, ...) is refused
with a one-line :class:`~fptheory.core.errors.FPTheoryError` naming the construct.

Hard limits keep hostile input from hanging the process or exhausting memory: at most
:data:`MAX_TEXT_LENGTH` characters, :data:`MAX_DEPTH` levels of nesting, integer literals of
at most :data:`MAX_LITERAL_DIGITS` digits, and exact numbers of at most about
:data:`MAX_BITS` bits, checked *before* sympy computes a power (``10**10**10`` is refused
at once). sympy also does work that is cubic or quadratic in the size of what it is given
(it factors the base of ``N**(1/3)``; ``floor`` and ``Max`` compare terms pairwise), so
roots and functions take no number above 4000 bits, a function's arguments at most 2000
nodes, Max/Min at most 32 arguments, and long products must be grouped. Division by zero
and values that are ``nan``, complex infinity or a range (``sin(oo)``) are refused, also
where sympy's evaluation would drop them again (``0*(1/0)``).

Ordinary input gives exactly what ``sympy.parse_expr`` gives (the same operator semantics,
applied to the same sympy objects), except that decimals are exact rationals:

>>> parse_relation("x < 0.1").rhs
1/10
>>> parse_expression("2.5e3*x^2 + 1")
2500*x**2 + 1
>>> parse_expression("sinh(pi*k1/(2*w))/sinh(pi*k2/(2*w))")
sinh(pi*k1/(2*w))/sinh(pi*k2/(2*w))
>>> decimal_literals("x < 0.1 + 1e-20")
['0.1', '1e-20']
>>> parse_number("-1/3"), parse_number("sqrt(2)"), parse_number("1e400") == 10**400
(-1/3, sqrt(2), True)
>>> parse_expression("().__class__")
Traceback (most recent call last):
...
fptheory.core.errors.FPTheoryError: cannot parse "().__class__": attribute access '.' ...
"""

from __future__ import annotations

import ast
import inspect
import math
import re
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

import sympy as sp
from sympy.calculus.accumulationbounds import AccumulationBounds

from .errors import FPTheoryError

__all__ = [
    "DEFAULT_FUNCTIONS",
    "MAX_BITS",
    "MAX_DEPTH",
    "MAX_LITERAL_DIGITS",
    "MAX_TEXT_LENGTH",
    "UnknownFunctionError",
    "decimal_literals",
    "parse_expression",
    "parse_number",
    "parse_relation",
]

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

# gamma(n) at an integer is evaluated as (n-1)!, which has about n·log2(n) bits
_MAX_GAMMA_ARGUMENT = 5_000

# sympy factors the base of a rational power (N**(1/3), sqrt(N), and the product of radicals
# sqrt(a)*sqrt(b) = sqrt(a*b)) and runs a primality test on what trial division leaves: cubic
# in the bits (0.1 s at 4000 bits, hours at 100 000). Numbers above this size may only be
# added, multiplied and raised to integer powers; no root, fractional power or function of them
_MAX_ROOT_BITS = 4_000

# sympy's evaluation of some functions is quadratic in the size of the argument (floor or
# Max of a 400-term sum: 0.5 s), and Max/Min compare their arguments pairwise (nested Max
# are flattened into one): bound both
_MAX_ARGUMENT_NODES = 2_000
_MAX_LATTICE_ARGUMENTS = 32
_MAX_LATTICE_WORK = 2_000  # the sum of (arguments of each Max/Min)², about 1 s in all

# a product chain a1*a2*...*an is a left fold (as Python's eval), and each step re-flattens
# the product so far: bound the total number of factors visited (about 1 s)
_MAX_PRODUCT_WORK = 300_000


class UnknownFunctionError(FPTheoryError):
    """A call of a function name that is not in the table; ``name`` is that name."""

    def __init__(self, message: str, name: str) -> None:
        super().__init__(message)
        self.name = name


def _guarded_gamma(z: sp.Expr) -> sp.Expr:
    # sympy turns gamma at an integer or half-integer into a factorial it computes at once
    if isinstance(z, sp.Rational) and abs(z) > _MAX_GAMMA_ARGUMENT:
        raise FPTheoryError(f"gamma({z}) would be an exact number too large to build "
                            f"(argument above {_MAX_GAMMA_ARGUMENT})")
    return sp.gamma(z)


# name -> (sympy callable, least, most arguments; None: any number)
_TABLE: dict[str, tuple[Callable[..., Any], int, int | None]] = {
    "exp": (sp.exp, 1, 1),
    "log": (sp.log, 1, 2),
    "ln": (sp.log, 1, 2),
    "sqrt": (sp.sqrt, 1, 1),
    "root": (sp.root, 2, 2),
    "sin": (sp.sin, 1, 1),
    "cos": (sp.cos, 1, 1),
    "tan": (sp.tan, 1, 1),
    "cot": (sp.cot, 1, 1),
    "sec": (sp.sec, 1, 1),
    "csc": (sp.csc, 1, 1),
    "sinh": (sp.sinh, 1, 1),
    "cosh": (sp.cosh, 1, 1),
    "tanh": (sp.tanh, 1, 1),
    "coth": (sp.coth, 1, 1),
    "sech": (sp.sech, 1, 1),
    "csch": (sp.csch, 1, 1),
    "asin": (sp.asin, 1, 1),
    "acos": (sp.acos, 1, 1),
    "atan": (sp.atan, 1, 1),
    "acot": (sp.acot, 1, 1),
    "asec": (sp.asec, 1, 1),
    "acsc": (sp.acsc, 1, 1),
    "atan2": (sp.atan2, 2, 2),
    "asinh": (sp.asinh, 1, 1),
    "acosh": (sp.acosh, 1, 1),
    "atanh": (sp.atanh, 1, 1),
    "acoth": (sp.acoth, 1, 1),
    "asech": (sp.asech, 1, 1),
    "acsch": (sp.acsch, 1, 1),
    "Abs": (sp.Abs, 1, 1),
    "abs": (sp.Abs, 1, 1),
    "sign": (sp.sign, 1, 1),
    "sgn": (sp.sign, 1, 1),
    "Heaviside": (sp.Heaviside, 1, 2),
    "DiracDelta": (sp.DiracDelta, 1, 2),
    "Max": (sp.Max, 1, None),
    "Min": (sp.Min, 1, None),
    "max": (sp.Max, 1, None),
    "min": (sp.Min, 1, None),
    "floor": (sp.floor, 1, 1),
    "ceiling": (sp.ceiling, 1, 1),
    "erf": (sp.erf, 1, 1),
    "erfc": (sp.erfc, 1, 1),
    "gamma": (_guarded_gamma, 1, 1),
}

DEFAULT_FUNCTIONS: Mapping[str, Callable[..., Any]] = MappingProxyType(
    {name: fn for name, (fn, _, _) in _TABLE.items()})
"""The functions every text may call (``functions=`` extends or overrides them). These are
the names ``sympy.sstr`` prints for them, plus the aliases ln, abs, sgn, max, min."""

_CONSTANTS: dict[str, sp.Expr] = {"pi": sp.pi, "E": sp.E, "I": sp.I, "oo": sp.oo}

# names sympy would read as non-numbers or that users may mean as infinity: never symbols
_REFUSED_NAMES = {
    "nan": "'nan' (not a number) is not accepted",
    "zoo": "'zoo' (complex infinity) is not accepted",
    "inf": "'inf' is not accepted; write oo for infinity",
    "infinity": "'infinity' is not accepted; write oo for infinity",
}

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

_RELATIONS: dict[type, Callable[..., sp.Basic]] = {
    ast.Lt: sp.Lt, ast.LtE: sp.Le, ast.Gt: sp.Gt, ast.GtE: sp.Ge, ast.Eq: sp.Eq,
}


# ---------------------------------------------------------------------------------------
# reading the tree


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


# ---------------------------------------------------------------------------------------
# building sympy objects


def _bits(r: sp.Rational) -> int:
    """Bits of the larger of |numerator| and denominator (0 for 0 and ±1)."""
    return max(abs(int(r.p)).bit_length(), int(r.q).bit_length()) if abs(r.p) > 1 or r.q > 1 else 0


def _max_bits(*exprs: sp.Expr) -> int:
    """The largest exact number (in bits) inside any of ``exprs``."""
    return max((_bits(r) for e in exprs for r in e.atoms(sp.Rational)), default=0)


def _tree_size(exprs: list[sp.Expr], cap: int) -> int:
    """Number of nodes in ``exprs`` (counting stops just above ``cap``)."""
    n, stack = 0, list(exprs)
    while stack and n <= cap:
        e = stack.pop()
        n += 1
        stack.extend(e.args)
    return n


def _radical_bits(expr: sp.Expr) -> int:
    """Bits of the rational bases of the fractional powers among the factors of ``expr``:
    what a product with ``expr`` may combine into one base to factor (sqrt(a)*sqrt(b))."""
    return sum(_bits(f.base) for f in sp.Mul.make_args(expr)
               if isinstance(f, sp.Pow) and isinstance(f.base, sp.Rational)
               and isinstance(f.exp, sp.Rational) and not isinstance(f.exp, sp.Integer))


def _log2_size(r: sp.Rational) -> float:
    """log2 of the larger of |numerator| and denominator, exactly from the integers."""
    p, q = abs(int(r.p)), int(r.q)
    return max(math.log2(p) if p > 1 else 0.0, math.log2(q) if q > 1 else 0.0)


_Step = tuple[ast.operator, ast.expr]  # one (operator, right operand) of a chain


class _Builder:
    """Builds the sympy object of a checked tree (see :func:`_check_tree`), bounding the work
    sympy's evaluation may do on the way."""

    def __init__(self, source: _Source, functions: Mapping[str, Callable[..., Any]] | None,
                 real: bool) -> None:
        self.source = source
        self.real = real
        self.product_work = 0
        self.lattice_work = 0
        self.functions: dict[str, Callable[..., Any]] = dict(DEFAULT_FUNCTIONS)
        if functions:
            for name in functions:
                if not isinstance(name, str) or not _NAME.match(name):
                    raise FPTheoryError(f"function table: name {name!r} is not accepted")
            self.functions.update(functions)

    def error(self, what: str, node: ast.AST | None = None) -> FPTheoryError:
        return self.source.error(what, node)

    def build(self, node: ast.expr) -> sp.Expr:
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, _SUM_OPS):
                return self._sum(node)
            if isinstance(node.op, _PRODUCT_OPS):
                return self._product(node)
            return self._power(node)
        if isinstance(node, ast.UnaryOp):
            value = self.build(node.operand)
            return self._checked(-value if isinstance(node.op, ast.USub) else +value, node)
        if isinstance(node, ast.Call):
            return self._call(node)
        if isinstance(node, ast.Name):
            return self._name(node)
        if isinstance(node, ast.Constant):
            return _literal_value(self.source, node)
        raise self.error(f"{type(node).__name__} is not accepted", node)  # _check_tree ran

    @staticmethod
    def _chain(node: ast.BinOp, ops: tuple[type, ...]) -> tuple[ast.expr, list[_Step]]:
        """a op1 b op2 c (left-nested) as (a, [(op1, b), (op2, c)]), without recursion."""
        rest: list[_Step] = []
        head: ast.expr = node
        while isinstance(head, ast.BinOp) and isinstance(head.op, ops):
            rest.append((head.op, head.right))
            head = head.left
        rest.reverse()
        return head, rest

    def _sum(self, node: ast.BinOp) -> sp.Expr:
        head, rest = self._chain(node, _SUM_OPS)
        terms = [self.build(head)]
        for op, operand in rest:
            value = self.build(operand)
            terms.append(-value if isinstance(op, ast.Sub) else value)
        # one n-ary Add equals the left fold ((a + b) + c) of parse_expr (Add is flattened and
        # collected the same way) and costs O(n), where the fold costs O(n^2)
        return self._checked(sp.Add(*terms), node)

    def _product(self, node: ast.BinOp) -> sp.Expr:
        head, rest = self._chain(node, _PRODUCT_OPS)
        value = self.build(head)
        # a left fold, as Python's eval does: (x + y)*2*z is z*(2*x + 2*y), not Mul(x + y, 2, z)
        for op, operand in rest:
            factor = self.build(operand)
            if _radical_bits(value) + _radical_bits(factor) > _MAX_ROOT_BITS:
                raise self.error(f"product of roots of numbers above {_MAX_ROOT_BITS} bits "
                                 "(too large to simplify exactly)", operand)
            self.product_work += len(value.args) + len(factor.args) + 1
            if self.product_work > _MAX_PRODUCT_WORK:
                raise self.error("product too long to build; group its factors with parentheses",
                                 operand)
            if isinstance(op, ast.Div):
                if factor == 0:
                    raise self.error("division by zero", operand)
                value = value / factor
            else:
                value = value * factor
            value = self._checked(value, node)
        return value

    def _power(self, node: ast.BinOp) -> sp.Expr:
        base = self.build(node.left)
        exponent = self.build(node.right)
        if base == 0 and exponent.is_extended_negative:
            raise self.error("division by zero (0 to a negative power)", node)
        if not isinstance(exponent, sp.Integer) and _max_bits(base, exponent) > _MAX_ROOT_BITS:
            raise self.error(f"fractional or symbolic power of a number above {_MAX_ROOT_BITS} "
                             "bits (too large to simplify exactly)", node)
        if isinstance(exponent, sp.Rational) and abs(exponent) > 1:
            # sympy computes b**n at once for a rational b (and distributes an integer power
            # over a product: (2*x)**n is 2**n * x**n), so bound the result before building
            size = max((_log2_size(r) for r in base.atoms(sp.Rational)), default=0.0)
            if size > 0 and (abs(exponent) > MAX_BITS or float(abs(exponent)) * size > MAX_BITS):
                raise self.error(f"power too large: the exact result would have more than "
                                 f"{MAX_BITS} bits", node)
        return self._checked(base**exponent, node)

    def _name(self, node: ast.Name) -> sp.Expr:
        name = node.id
        if name in _CONSTANTS:
            return _CONSTANTS[name]
        if name in _REFUSED_NAMES:
            raise self.error(_REFUSED_NAMES[name], node)
        if name in self.functions:
            raise self.error(f"function {name!r} needs arguments: {name}(...)", node)
        return sp.Symbol(name, real=True) if self.real else sp.Symbol(name)

    def _call(self, node: ast.Call) -> sp.Expr:
        name = node.func.id  # type: ignore[attr-defined]  # _check_tree: a Name
        if name in _CONSTANTS:
            raise self.error(f"{name!r} is a constant, not a function", node)
        fn = self.functions.get(name)
        if fn is None:
            supported = ", ".join(sorted(self.functions, key=str.lower))
            raise UnknownFunctionError(
                f"unknown function {name!r} in {_show(self.source.text)}; supported: {supported}",
                name)
        args = [self.build(arg) for arg in node.args]
        self._check_arity(name, fn, len(args), node)
        if _tree_size(args, _MAX_ARGUMENT_NODES) > _MAX_ARGUMENT_NODES:
            raise self.error(f"the arguments of {name} are too large (more than "
                             f"{_MAX_ARGUMENT_NODES} terms and operations)", node)
        if fn in (sp.Max, sp.Min):
            count = sum(len(a.args) if isinstance(a, (sp.Max, sp.Min)) else 1 for a in args)
            if count > _MAX_LATTICE_ARGUMENTS:
                raise self.error(f"{name} of more than {_MAX_LATTICE_ARGUMENTS} arguments "
                                 "(nested Max/Min counted) is not accepted", node)
            self.lattice_work += count * count
            if self.lattice_work > _MAX_LATTICE_WORK:
                raise self.error("too many or too large Max/Min terms to evaluate", node)
        if _max_bits(*args) > _MAX_ROOT_BITS:
            raise self.error(f"{name} of a number above {_MAX_ROOT_BITS} bits is not accepted "
                             "(too large to evaluate exactly)", node)
        try:
            value = fn(*args)
        except FPTheoryError as exc:
            raise self.error(str(exc), node) from None
        except RecursionError:
            raise self.error("nested too deeply", node) from None
        except Exception as exc:  # sympy raises many kinds of errors for bad arguments
            detail = str(exc).strip().split("\n")[0][:100]
            raise self.error(f"cannot apply {name} to these arguments: {type(exc).__name__}"
                             + (f": {detail}" if detail else ""), node) from None
        if not isinstance(value, sp.Expr):
            raise self.error(f"{name}(...) is not an expression ({type(value).__name__})", node)
        return self._checked(value, node)

    def _check_arity(self, name: str, fn: Callable[..., Any], n: int, node: ast.Call) -> None:
        entry = _TABLE.get(name)
        if entry is not None and entry[0] is fn:
            least, most = entry[1], entry[2]
            if n < least or (most is not None and n > most):
                if least == most:
                    want = str(least)
                elif most is None:
                    want = f"at least {least}"
                else:
                    want = f"{least} or {most}" if most == least + 1 else f"{least} to {most}"
                plural = "" if want.endswith("1") and not want.endswith("to 1") else "s"
                raise self.error(f"{name} takes {want} argument{plural}, got {n}", node)
            return
        nargs = getattr(fn, "nargs", None)
        if isinstance(nargs, sp.Set):
            if n not in nargs:
                raise self.error(f"{name} takes {nargs} arguments, got {n}", node)
            return
        try:
            signature = inspect.signature(fn)
        except (TypeError, ValueError):
            return  # no signature to check: the call itself reports a wrong count
        try:
            signature.bind(*range(n))
        except TypeError:
            raise self.error(f"{name} cannot take {n} argument{'s' * (n != 1)}", node) from None

    def _checked(self, value: sp.Expr, node: ast.AST) -> sp.Expr:
        """Refuse nan, complex infinity, accumulation bounds and exact numbers beyond MAX_BITS
        in a freshly built node (cheap: only the node's own coefficients are looked at)."""
        coefficients: list[sp.Expr] = [value]
        if isinstance(value, sp.Mul) and value.args:
            coefficients = [value.args[0]]
        elif isinstance(value, sp.Add):
            coefficients = [term.as_coeff_Mul()[0] for term in value.args]
        for c in coefficients:
            if c is sp.S.NaN:
                raise self.error("the value is not a number (nan)", node)
            if c is sp.S.ComplexInfinity:
                raise self.error("division by zero (complex infinity)", node)
            if isinstance(c, AccumulationBounds):
                raise self.error("the value is a range, not a number (a limit at infinity)", node)
            if isinstance(c, sp.Rational) and _bits(c) > MAX_BITS:
                raise self.error(f"exact number too large (more than {MAX_BITS} bits)", node)
        return value


def _build(source: _Source, node: ast.expr, functions: Mapping[str, Callable[..., Any]] | None,
           real: bool) -> sp.Expr:
    builder = _Builder(source, functions, real)
    try:
        value = builder.build(node)
        # nan/zoo can hide below a node whose coefficient looked fine (a user function's result)
        if value.has(sp.S.NaN, sp.S.ComplexInfinity) or value.has(AccumulationBounds):
            raise source.error("the value contains nan or complex infinity (division by zero)")
    except (RecursionError, MemoryError):
        raise source.error("nested too deeply") from None
    return value


def _prepare(text: str) -> tuple[_Source, ast.expr]:
    source = _Source(text)
    return source, _parse_tree(source)


# ---------------------------------------------------------------------------------------
# public API


def parse_expression(text: str, *, functions: Mapping[str, Callable[..., Any]] | None = None,
                     real: bool = True) -> sp.Expr:
    """Parse ``text`` into a sympy expression without evaluating any code.

    Accepted: decimal numbers (exact: ``0.1`` is 1/10), symbols (real when ``real``), ``pi``,
    ``E``, ``I``, ``oo``, ``+ - * / ** ^``, unary ``-``/``+`` and calls of the functions in
    :data:`DEFAULT_FUNCTIONS` updated by ``functions`` (name → callable; a sympy function
    class's ``nargs`` or the callable's signature gives its arity). Everything else, a
    comparison included (see :func:`parse_relation`), raises a one-line
    :class:`~fptheory.core.errors.FPTheoryError`; an unknown function name raises
    :class:`UnknownFunctionError`.

    >>> parse_expression("x^2 - 0.5*x")
    x**2 - x/2
    >>> parse_expression("x.real")
    Traceback (most recent call last):
    ...
    fptheory.core.errors.FPTheoryError: cannot parse "x.real": attribute access '.' is not accepted (column 2)
    """
    source, tree = _prepare(text)
    if isinstance(tree, ast.Compare):
        raise FPTheoryError(f"not an expression: {_show(text)} is a comparison")
    _check_tree(source, tree)
    return _build(source, tree, functions, real)


def parse_relation(text: str, *, functions: Mapping[str, Callable[..., Any]] | None = None,
                   real: bool = True) -> sp.Rel:
    """Parse ``lhs REL rhs`` (REL one of ``<= < >= > ==``) into an unevaluated relation.

    Both sides are read as by :func:`parse_expression`; the relation is not evaluated, so
    ``1 < 2`` stays ``1 < 2`` (a caller checks it, a parser does not decide it). Chained
    comparisons (``0 < x < 1``) and ``!=`` are refused.

    >>> parse_relation("sin(x) <= x")
    sin(x) <= x
    >>> parse_relation("2 == 2").rhs
    2
    """
    source, tree = _prepare(text)
    if not isinstance(tree, ast.Compare):
        raise FPTheoryError(f"not a relation: {_show(text)} has no comparison "
                            "(expected one of <=, <, >=, >, ==)")
    if len(tree.ops) != 1:
        raise source.error("chained comparison is not accepted; write one comparison", tree)
    op = type(tree.ops[0])
    if op not in _RELATIONS:
        raise source.error(f"comparison '{_OPERATORS.get(op, op.__name__)}' is not accepted "
                           "(expected one of <=, <, >=, >, ==)", tree)
    _check_tree(source, tree.left)
    _check_tree(source, tree.comparators[0])
    lhs = _build(source, tree.left, functions, real)
    rhs = _build(source, tree.comparators[0], functions, real)
    return _RELATIONS[op](lhs, rhs, evaluate=False)


def parse_number(text: str) -> sp.Expr:
    """Parse an exact real constant: ``pi/2``, ``-1/3``, ``0.1`` (= 1/10), ``sqrt(2)``,
    ``1e400``, ``oo``, ``-oo``. Symbols and non-real values are refused (one line).

    >>> parse_number("pi/2"), parse_number("0.1"), parse_number("-oo")
    (pi/2, 1/10, -oo)
    """
    value = parse_expression(text)
    if value.free_symbols:
        names = ", ".join(sorted(s.name for s in value.free_symbols))
        raise FPTheoryError(f"not a number: {_show(text)} contains the symbol(s) {names}")
    try:
        real = value.is_extended_real
    except RecursionError:
        real = None
    if real is not True:
        why = "is not real" if real is False else "cannot be shown to be real"
        raise FPTheoryError(f"not a real number: {_show(text)} {why}")
    return value


def decimal_literals(text: str) -> list[str]:
    """The decimal literals of ``text`` (those with a point or an exponent), as written, in
    order: callers report them ("0.1 read as exactly 1/10"). The text must be accepted by the
    grammar (an expression or one relation); otherwise a one-line FPTheoryError.

    >>> decimal_literals("2*x + 0.25 >= 1.5e-3")
    ['0.25', '1.5e-3']
    """
    source, tree = _prepare(text)
    if isinstance(tree, ast.Compare):
        if len(tree.ops) != 1:
            raise source.error("chained comparison is not accepted; write one comparison", tree)
        parts = [tree.left, tree.comparators[0]]
    else:
        parts = [tree]
    found: list[str] = []
    for part in parts:
        for node in _check_tree(source, part):
            _literal_value(source, node)  # the same limits as when building
            if type(node.value) is float:
                found.append(source.segment(node))
    return found

