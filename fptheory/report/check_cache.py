"""Re-run only what changed: verdicts of claims kept between ``fptheory check`` runs.

A claim's result is stored in the on-disk cache (:mod:`fptheory.core.cache`) under a key made
of the SHA-256 of its proof script's bytes (and of the ``_*.py`` helper files beside it), the
claim's label, the options that could change a verdict, and — through the cache itself — a
hash of the whole fptheory source and the versions of Python, sympy, mpmath and python-flint.
Editing the script, a helper, or any file of the library therefore re-runs the claim. Results
that could depend on the machine are never stored: a verdict ``unknown`` (a timeout, a crash,
a process that died) is re-run every time.

Stored: every field of the :class:`~fptheory.verify.claims.ClaimResult`, the sympy objects as
exact ``srepr`` text read back by the cache's closed reader. A result that would not read back
identically is not stored. ``fptheory check`` marks the rows it answered from here, so a
cached verdict is never shown as a fresh one; ``--fresh`` ignores the cache.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fptheory.core import cache as disk
from fptheory.core.derivation import Derivation, Step
from fptheory.verify.claims import Assessment, ClaimResult, Evidence, Formula, Verdict

__all__ = ["script_fingerprint", "claim_script", "lookup", "remember", "result_to_record",
           "result_from_record"]

_NAMESPACE = "check-results"


def script_fingerprint(path: Path) -> str:
    """SHA-256 of the script's bytes and of the ``_*.py`` helpers in its folder (sorted)."""
    digest = hashlib.sha256(path.read_bytes())
    for helper in sorted(path.parent.glob("_*.py")):
        digest.update(helper.name.encode() + b"\0" + helper.read_bytes())
    return digest.hexdigest()


def claim_script(fn: Any) -> Path | None:
    """The file the claim function was defined in (None when it cannot be told)."""
    code = getattr(fn, "__code__", None)
    path = Path(code.co_filename) if code is not None else None
    return path if path is not None and path.is_file() else None


def _key(fn: Any, options: Sequence[str]) -> list[str] | None:
    path = claim_script(fn)
    if path is None:
        return None
    return [script_fingerprint(path), fn._fptheory_claim["label"], fn.__name__, *options]


def lookup(fn: Any, options: Sequence[str] = ()) -> ClaimResult | None:
    """The stored result of this claim for unchanged inputs, or None."""
    key = _key(fn, options)
    record = disk.load(_NAMESPACE, key) if key is not None else None
    if record is None:
        return None
    try:
        return result_from_record(record)
    except (disk.CacheFormatError, KeyError, TypeError, ValueError):
        return None


def remember(fn: Any, result: ClaimResult, options: Sequence[str] = ()) -> bool:
    """Store a freshly computed result (not an ``unknown`` one; not one that would not read
    back identically). True when stored."""
    verdicts = [result.text.verdict] + ([result.corrected.verdict] if result.corrected else [])
    if Verdict.UNKNOWN in verdicts:
        return False
    key = _key(fn, options)
    if key is None:
        return False
    try:
        record = json.loads(json.dumps(result_to_record(result)))
        back = result_from_record(record)
        same = (json.dumps(back.to_dict(), sort_keys=True)
                == json.dumps(result.to_dict(), sort_keys=True) and _same_objects(back, result))
    except (disk.CacheFormatError, KeyError, TypeError, ValueError):
        return False
    if not same:
        return False
    return disk.store(_NAMESPACE, key, record)


def _objects(result: ClaimResult) -> list[Any]:
    out: list[Any] = []
    for a in (result.text, result.corrected):
        if a is not None:
            out += [a.relation] + [f.expr for f in a.formulas]
    return out


def _same_objects(a: ClaimResult, b: ClaimResult) -> bool:
    return _objects(a) == _objects(b)


def _assessment_record(a: Assessment) -> dict[str, Any]:
    text = disk.expr_to_text
    return {
        "statement": a.statement, "verdict": a.verdict.value, "machine": a.machine,
        "evidence": [[e.kind, e.text, e.data] for e in a.evidence],
        "counterexample": a.counterexample,
        "relation": None if a.relation is None else text(a.relation),
        "formulas": [[f.name, text(f.expr)] for f in a.formulas],
        "derivation": None if a.derivation is None else [[s.rule, s.text, s.latex]
                                                         for s in a.derivation.steps],
    }


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise disk.CacheFormatError("expected text")
    return value


def _assessment_from(record: dict[str, Any]) -> Assessment:
    read = disk.expr_from_text
    evidence = []
    for kind, text, data in record["evidence"]:
        if not isinstance(data, dict):
            raise disk.CacheFormatError("evidence data is not a mapping")
        evidence.append(Evidence(_string(kind), _string(text), data))
    counterexample = record["counterexample"]
    if counterexample is not None and not isinstance(counterexample, dict):
        raise disk.CacheFormatError("counterexample is not a mapping")
    steps = record["derivation"]
    return Assessment(
        _string(record["statement"]), Verdict(record["verdict"]), evidence,
        _string(record["machine"]), counterexample,
        None if record["relation"] is None else read(record["relation"]),
        [Formula(_string(name), read(expr)) for name, expr in record["formulas"]],
        None if steps is None else Derivation([Step(_string(r), _string(t), _string(latex))
                                               for r, t, latex in steps]),
    )


def result_to_record(result: ClaimResult) -> dict[str, Any]:
    """A claim's result as data (JSON-ready; sympy objects as ``srepr`` text)."""
    return {
        "label": result.label, "title": result.title, "convention": result.convention,
        "note": result.note, "seconds": result.seconds, "source": result.source,
        "expected": result.expected, "text": _assessment_record(result.text),
        "corrected": None if result.corrected is None else _assessment_record(result.corrected),
    }


def result_from_record(record: dict[str, Any]) -> ClaimResult:
    """Read :func:`result_to_record`'s data back (CacheFormatError and friends if malformed)."""
    seconds = record["seconds"]
    if not isinstance(seconds, (int, float)) or isinstance(seconds, bool):
        raise disk.CacheFormatError("seconds is not a number")
    corrected = record["corrected"]
    return ClaimResult(
        _string(record["label"]), _string(record["title"]), _assessment_from(record["text"]),
        None if corrected is None else _assessment_from(corrected),
        _string(record["convention"]), _string(record["note"]), float(seconds),
        _string(record["source"]), _string(record["expected"]),
    )
