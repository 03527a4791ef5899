r"""Derive once, reuse: an on-disk cache of pure, expensive results, stored as data.

An entry is one JSON file, named by the SHA-256 digest of its key: the namespace (what kind
of result), the caller's key parts (the expression as exact ``srepr`` text, the convention,
...), a hash of every ``.py`` file of the fptheory package (:func:`source_hash`) and the
versions of Python, sympy, mpmath and python-flint. Editing the library or upgrading sympy
therefore never reuses an old entry: the digest changes and the result is derived afresh.

Sympy objects are stored as their exact ``srepr`` text and read back by :func:`expr_from_text`,
a closed reader over Python's *syntax tree* (nothing in a cache file is ever evaluated or
unpickled): only literals and calls of an allow-list of sympy classes are accepted, strings
only as symbol names and float digits, and the object built must print back to the very
same text. A file that is truncated, edited, written for another key,
fails its checksum or holds anything outside the reader's grammar is ignored (a miss: the
result is derived afresh and the entry rewritten).

Where: ``$FPTHEORY_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/fptheory``, else
``~/.cache/fptheory``. ``FPTHEORY_NO_CACHE=1`` (or :func:`set_enabled`) turns reading and
writing off. Writes go to a temporary file in the same folder, then :func:`os.replace`, so
processes running claims in parallel never see half an entry.

>>> x = sp.Symbol("x", real=True)
>>> expr_from_text(sp.srepr(-sp.I * sp.pi / sp.sinh(sp.pi * x / 2)))
-I*pi/sinh(pi*x/2)
>>> expr_from_text("__import__('os').system('true')")
Traceback (most recent call last):
...
fptheory.core.cache.CacheFormatError: srepr text: only calls of sympy classes by name
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import sympy as sp

__all__ = ["CacheFormatError", "cache_dir", "enabled", "set_enabled", "set_reading",
           "source_hash", "load", "store", "clear", "info", "expr_from_text", "expr_to_text", "remembered",
           "simplified", "SIMPLIFY_NAMESPACE", "FORMAT"]

#: bumped when the layout of an entry changes (old entries then simply miss)
FORMAT = 1
_MAX_TEXT = 200_000  # characters of one srepr text: a guard against a hostile file
_MAX_INT_DIGITS = 400
_MAX_NUMERIC_EXPONENT = 1000  # 10**(10**13) written in a cache file must not hang the reader

_enabled_override: bool | None = None
_reading = True


class CacheFormatError(ValueError):
    """A cache entry (or srepr text) that the reader does not accept."""


def cache_dir() -> Path:
    """The folder of the cache (see the module docstring for the environment variables)."""
    explicit = os.environ.get("FPTHEORY_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "fptheory"


def enabled() -> bool:
    """Whether entries are read and written (``FPTHEORY_NO_CACHE`` or :func:`set_enabled`)."""
    if _enabled_override is not None:
        return _enabled_override
    return os.environ.get("FPTHEORY_NO_CACHE", "") in ("", "0")


def set_enabled(value: bool | None) -> None:
    """Turn the cache on or off for this process (None: back to the environment's choice)."""
    global _enabled_override
    _enabled_override = value


@cache
def source_hash() -> str:
    """SHA-256 over the relative path and bytes of every ``.py`` file of the package, sorted."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


@cache
def _environment() -> list[str]:
    import mpmath

    try:
        import flint

        flint_version = getattr(flint, "__version__", "?")
    except ImportError:  # pragma: no cover - flint is a dependency
        flint_version = "absent"
    return [f"python {sys.version_info[0]}.{sys.version_info[1]}", f"sympy {sp.__version__}",
            f"mpmath {mpmath.__version__}", f"python-flint {flint_version}"]


def _digest(namespace: str, key: Sequence[str]) -> str:
    material = json.dumps([FORMAT, namespace, list(key), source_hash(), _environment()])
    return hashlib.sha256(material.encode()).hexdigest()


def _path(namespace: str, digest: str) -> Path:
    return cache_dir() / namespace / digest[:2] / f"{digest}.json"


def _checksum(payload: Any) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def set_reading(value: bool) -> None:
    """Whether this process reads entries (False: every lookup misses, so everything is
    derived afresh, and the fresh results are still written; ``check --fresh``)."""
    global _reading
    _reading = value


def load(namespace: str, key: Sequence[str]) -> dict[str, Any] | None:
    """The payload stored under (namespace, key) for this library source, or None (a miss:
    no entry, caching or reading off, or an entry that is unreadable, for another key or
    corrupted)."""
    if not enabled() or not _reading:
        return None
    digest = _digest(namespace, key)
    try:
        entry = json.loads(_path(namespace, digest).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(entry, dict) or entry.get("format") != FORMAT:
        return None
    payload = entry.get("payload")
    if (entry.get("digest") != digest or entry.get("namespace") != namespace
            or entry.get("key") != list(key) or not isinstance(payload, dict)
            or entry.get("checksum") != _checksum(payload)):
        return None
    return payload


def store(namespace: str, key: Sequence[str], payload: dict[str, Any]) -> bool:
    """Write the payload (JSON data) atomically; False when caching is off or the folder is
    not writable (the cache is an optimisation: failing to write it is never an error)."""
    if not enabled():
        return False
    digest = _digest(namespace, key)
    path = _path(namespace, digest)
    entry = {"format": FORMAT, "namespace": namespace, "key": list(key), "digest": digest,
             "source": source_hash(), "environment": _environment(),
             "checksum": _checksum(payload), "payload": payload}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(entry, handle)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except (OSError, TypeError, ValueError):
        return False
    return True


def remembered(namespace: str, arguments: Sequence[Any], derive: Callable[[], Any]) -> Any:
    """``derive()``, a pure function of the sympy objects ``arguments`` returning one sympy
    object, read from the cache when an entry exists (key: the arguments' exact ``srepr``).

    The value is stored only when it reads back to the very same object, so an entry always
    answers exactly what ``derive()`` returned; an entry that does not read back is a miss.
    A test re-derives every entry of each namespace and compares (``tests/test_cache.py``).
    """
    try:
        key = [expr_to_text(a) for a in arguments]
    except (RecursionError, TypeError, ValueError, sp.SympifyError):
        return derive()  # no key to store it under: simply derived
    record = load(namespace, key)
    if record is not None:
        try:
            return expr_from_text(record["value"])
        except (CacheFormatError, KeyError, TypeError):
            pass
    value = derive()
    try:
        expr_from_text(expr_to_text(value))
    except (CacheFormatError, RecursionError, TypeError, ValueError, sp.SympifyError):
        return value  # outside the reader's grammar: not stored, derived again next time
    store(namespace, key, {"value": expr_to_text(value)})
    return value


#: the namespace of :func:`simplified`
SIMPLIFY_NAMESPACE = "sympy-simplify"


def simplified(expr: Any) -> Any:
    """``sympy.simplify(expr)``, remembered on disk (:func:`remembered`): a warm run reads the
    answer instead of simplifying again (and never imports what sympy's simplify pulls in)."""
    expr = sp.sympify(expr)
    if not expr.args:
        return sp.simplify(expr)  # an atom: nothing to simplify, nothing to store
    return remembered(SIMPLIFY_NAMESPACE, [expr], lambda: sp.simplify(expr))


def _entries(root: Path) -> list[Path]:
    return [p for p in root.glob("*/*/*.json") if p.is_file()] if root.is_dir() else []


def clear() -> int:
    """Remove every entry (and stray temporary files); the number of entries removed."""
    root = cache_dir()
    removed = 0
    for path in _entries(root):
        path.unlink(missing_ok=True)
        removed += 1
    if root.is_dir():
        for tmp in root.glob("*/*/.tmp-*"):
            tmp.unlink(missing_ok=True)
        for folder in sorted((p for p in root.glob("*/*") if p.is_dir()), reverse=True):
            if not any(folder.iterdir()):
                folder.rmdir()
    return removed


def info() -> dict[str, Any]:
    """The folder, whether caching is on, and entries and bytes per namespace."""
    root = cache_dir()
    spaces: dict[str, dict[str, int]] = {}
    for path in _entries(root):
        space = spaces.setdefault(path.parent.parent.name, {"entries": 0, "bytes": 0})
        space["entries"] += 1
        space["bytes"] += path.stat().st_size
    return {"folder": str(root), "enabled": enabled(), "namespaces": spaces,
            "entries": sum(s["entries"] for s in spaces.values()),
            "bytes": sum(s["bytes"] for s in spaces.values())}


# ---------------------------------------------------------------------------------------
# sympy objects as data


def expr_to_text(expr: Any) -> str:
    """The exact ``srepr`` text of a sympy object (what the cache stores)."""
    return sp.srepr(sp.sympify(expr))


#: classes a stored expression may call, by their srepr name
_CALLABLE_NAMES = (
    "Symbol Dummy Integer Rational Float Add Mul Pow exp log sqrt sin cos tan cot sinh cosh tanh "
    "coth sech csch asin acos atan atan2 asinh acosh atanh Abs sign re im arg conjugate "
    "Heaviside DiracDelta Max Min Piecewise ExprCondPair Equality Unequality StrictLessThan "
    "LessThan StrictGreaterThan GreaterThan And Or Not Tuple erf erfc gamma factorial binomial "
    "floor ceiling Derivative Limit Integral Sum Indexed IndexedBase "
    "Interval FiniteSet Union"
).split()
#: constants a stored expression may name
_CONSTANT_NAMES = {"pi": sp.pi, "E": sp.E, "I": sp.I, "oo": sp.oo, "zoo": sp.zoo, "nan": sp.nan,
                   "true": sp.true, "false": sp.false, "EulerGamma": sp.EulerGamma,
                   "Catalan": sp.Catalan, "GoldenRatio": sp.GoldenRatio}
_ASSUMPTIONS = frozenset(sys.modules["sympy.core.assumptions"]._assume_defined)


def _callable(name: str):
    if name not in _CALLABLE_NAMES:
        raise CacheFormatError("srepr text: call of a name outside the reader's grammar")
    if name == "ExprCondPair":
        from sympy.functions.elementary.piecewise import ExprCondPair

        return ExprCondPair
    return getattr(sp, name)


def _literal_int(node: ast.expr) -> int:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_literal_int(node.operand)
    if isinstance(node, ast.Constant) and type(node.value) is int:
        if len(str(abs(node.value))) > _MAX_INT_DIGITS:
            raise CacheFormatError("srepr text: integer literal too long")
        return node.value
    raise CacheFormatError("srepr text: expected an integer literal")


def _build(node: ast.expr) -> Any:
    if isinstance(node, ast.Name):
        if node.id in _CONSTANT_NAMES:
            return _CONSTANT_NAMES[node.id]
        raise CacheFormatError(f"srepr text: unknown name {node.id[:40]!r}")
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        operand = node.operand
        if isinstance(operand, ast.Name) and operand.id in ("oo", "I"):
            return -_CONSTANT_NAMES[operand.id]
        return sp.Integer(_literal_int(node))
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return sp.Integer(_literal_int(node))
    if isinstance(node, ast.Tuple):
        return tuple(_build(e) for e in node.elts)
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
        raise CacheFormatError("srepr text: only calls of sympy classes by name")
    name = node.func.id
    cls = _callable(name)
    if name in ("Symbol", "Dummy"):
        return _symbol(cls, node)
    if name == "Float":
        return _float(node)
    if node.keywords:
        raise CacheFormatError(f"srepr text: unexpected keywords in {name}")
    if name in ("Integer", "Rational"):
        return cls(*(_literal_int(a) for a in node.args))
    args = [_build(a) for a in node.args]
    if name == "Pow" and len(args) == 2 and all(isinstance(a, sp.Number) for a in args) \
            and (abs(args[1]) > _MAX_NUMERIC_EXPONENT
                 or (isinstance(args[1], sp.Rational) and args[1].q > _MAX_NUMERIC_EXPONENT)):
        raise CacheFormatError("srepr text: a numeric power too large to build")
    if name in _UNEVALUATED:
        return cls(*args, evaluate=False)
    return cls(*args)


#: built unevaluated: relations (a stored Eq(s, s) was kept unevaluated on purpose) and the
#: functions that would compute without bound on a large integer (gamma(10**300))
_UNEVALUATED = {"Equality", "Unequality", "StrictLessThan", "LessThan", "StrictGreaterThan",
                "GreaterThan", "gamma", "factorial", "binomial"}


def _symbol(cls, node: ast.Call):
    if len(node.args) != 1 or not isinstance(node.args[0], ast.Constant) \
            or type(node.args[0].value) is not str:
        raise CacheFormatError("srepr text: a symbol needs exactly its name")
    kwargs: dict[str, Any] = {}
    for kw in node.keywords:
        if kw.arg == "dummy_index" and cls is sp.Dummy:
            kwargs[kw.arg] = _literal_int(kw.value)
        elif kw.arg in _ASSUMPTIONS and isinstance(kw.value, ast.Constant) \
                and type(kw.value.value) is bool:
            kwargs[kw.arg] = kw.value.value
        else:
            raise CacheFormatError("srepr text: a symbol takes only assumptions")
    return cls(node.args[0].value, **kwargs)


def _float(node: ast.Call) -> sp.Float:
    if (len(node.args) != 1 or not isinstance(node.args[0], ast.Constant)
            or type(node.args[0].value) is not str or len(node.keywords) != 1
            or node.keywords[0].arg != "precision"):
        raise CacheFormatError("srepr text: Float('digits', precision=n) expected")
    digits = node.args[0].value
    if len(digits) > _MAX_INT_DIGITS or not all(c in "0123456789.-+e" for c in digits):
        raise CacheFormatError("srepr text: malformed float digits")
    precision = _literal_int(node.keywords[0].value)
    if not 1 <= precision <= 10_000:
        raise CacheFormatError("srepr text: float precision out of range")
    return sp.Float(digits, precision=precision)


def expr_from_text(text: str) -> Any:
    """Read ``srepr`` text back into the sympy object, without evaluating any code.

    The text is parsed into a Python syntax tree (not run); calls are allowed only to the
    sympy classes of the allow-list (factorial, gamma and relations are built unevaluated,
    numeric powers are capped: nothing computes without bound), and the object built must
    print back to exactly ``text``. Anything else raises :class:`CacheFormatError`.
    """
    if not isinstance(text, str) or len(text) > _MAX_TEXT:
        raise CacheFormatError("srepr text: not a string of acceptable length")
    try:
        tree = ast.parse(text, mode="eval")
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        raise CacheFormatError("srepr text: not valid syntax") from None
    try:
        value = _build(tree.body)
    except CacheFormatError:
        raise
    except (TypeError, ValueError, AttributeError, RecursionError, ArithmeticError):
        raise CacheFormatError("srepr text: the sympy constructor refused it") from None
    if isinstance(value, tuple) or sp.srepr(value) != text:
        raise CacheFormatError("srepr text: does not read back to the same expression")
    return value
