"""Building the sympy object of a checked tree for :mod:`fptheory.core.parsing`.

The function whitelist (:data:`DEFAULT_FUNCTIONS` and the arity table), the constants and the
names that are never symbols, and the bounds on the work sympy's evaluation may do (roots and
functions of large numbers, the size of a function's arguments, Max/Min, long products,
gamma at large integers), each checked before sympy computes; :class:`_Builder` walks the tree
that :func:`~fptheory.core._grammar._check_tree` accepted and refuses nan, complex infinity
and ranges on the way.
"""

from __future__ import annotations

import ast
import inspect
import math
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

import sympy as sp
from sympy.calculus.accumulationbounds import AccumulationBounds

from ._grammar import _NAME, _PRODUCT_OPS, _SUM_OPS, MAX_BITS, _literal_value, _show, _Source
from .errors import FPTheoryError

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
    "log10": (lambda u: sp.log(u, 10), 1, 1),
    "log2": (lambda u: sp.log(u, 2), 1, 1),
    "sqrt": (sp.sqrt, 1, 1),
    "cbrt": (lambda u: sp.real_root(u, 3), 1, 1),  # the real cube root, as in MetiTarski
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
    "arcsin": (sp.asin, 1, 1),
    "arccos": (sp.acos, 1, 1),
    "arctan": (sp.atan, 1, 1),
    "asinh": (sp.asinh, 1, 1),
    "arcsinh": (sp.asinh, 1, 1),
    "arccosh": (sp.acosh, 1, 1),
    "arctanh": (sp.atanh, 1, 1),
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
the names ``sympy.sstr`` prints for them, plus the aliases ln, abs, sgn, max, min, log10,
log2, arcsin, arccos, arctan, arcsinh, arccosh, arctanh, and cbrt, the real cube root
(sign(u)·|u|^(1/3), defined for u < 0 too, where u**(1/3) is not)."""

_CONSTANTS: dict[str, sp.Expr] = {"pi": sp.pi, "E": sp.E, "I": sp.I, "oo": sp.oo}

# names sympy would read as non-numbers or that users may mean as infinity: never symbols
_REFUSED_NAMES = {
    "nan": "'nan' (not a number) is not accepted",
    "zoo": "'zoo' (complex infinity) is not accepted",
    "inf": "'inf' is not accepted; write oo for infinity",
    "infinity": "'infinity' is not accepted; write oo for infinity",
}


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
