"""Proof scripts that travel: ``fptheory check --scheduler …`` on workers that never saw them.

A Dask worker has fptheory installed but not the user's folder of proof scripts. The client
therefore ships each script's *source text* (never a path, never pickled code objects): a
:class:`ShippedScript` holds the file name, the text and its SHA-256. On the worker,
:func:`run_shipped_claim` writes the text once into a private temporary folder named by the
hash (with the ``_*.py`` helper files beside it, which a script may import), imports it
exactly as a local check would (the same loader, so the same one-line errors
for a script that fails on import), and runs the claim at the given position — after checking
that the claim there carries the label the client saw, so a different text can never answer
for another claim. Modules a script imports must be installed on the workers (as fptheory is).

>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "tiny.py").write_text(
...     "import sympy as sp\\n"
...     "from fptheory.verify import claim, assess_identity\\n"
...     "@claim('t.1', 'x + x = 2x')\\n"
...     "def twice():\\n"
...     "    x = sp.Symbol('x')\\n"
...     "    return assess_identity(x + x, 2 * x, 'x + x = 2x')\\n")
>>> shipped = ship_scripts([folder / "tiny.py"])
>>> run_shipped_claim(shipped[0], 0, "t.1").final.verdict.value
'proved'
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fptheory.core.errors import FPTheoryError
from fptheory.verify.claims import ClaimResult, run_claim

__all__ = ["ShippedScript", "ship_scripts", "materialise", "run_shipped_claim", "run_shipped_study",
           "run_studies_on", "MAX_SHIPPED_BYTES", "MAX_STUDY_BYTES"]

#: a proof script is code a person wrote, not data: larger than this is refused, not shipped
MAX_SHIPPED_BYTES = 4 * 1024 * 1024


def _read_text(path: Path) -> tuple[str, bytes]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FPTheoryError(f"cannot read {path}: {exc.strerror or type(exc).__name__}") from None
    try:
        return data.decode("utf-8"), data
    except UnicodeDecodeError:
        raise FPTheoryError(f"{path} is not UTF-8 text") from None


def _digest(name: str, source: str, helpers: tuple[tuple[str, str], ...]) -> str:
    digest = hashlib.sha256(source.encode("utf-8"))
    for helper, text in helpers:
        digest.update(b"\0" + helper.encode("utf-8") + b"\0" + text.encode("utf-8"))
    return digest.hexdigest()


@dataclass(frozen=True)
class ShippedScript:
    """A proof script as it travels to a worker: its file name, its source text, the
    ``_*.py`` helper files beside it (name, text), and the SHA-256 of all of them."""

    name: str
    source: str
    sha256: str
    helpers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_path(cls, path: Path) -> ShippedScript:
        text, data = _read_text(path)
        helpers = tuple((h.name, _read_text(h)[0]) for h in sorted(path.parent.glob("_*.py"))
                        if h.is_file() and h != path)
        size = len(data) + sum(len(t.encode("utf-8")) for _, t in helpers)
        if size > MAX_SHIPPED_BYTES:
            raise FPTheoryError(f"{path} and its _*.py helpers are {size} bytes; proof scripts over "
                                f"{MAX_SHIPPED_BYTES} bytes are not shipped to a cluster")
        return cls(path.name, text, _digest(path.name, text, helpers), helpers)


def ship_scripts(paths: Iterable[Path]) -> list[ShippedScript]:
    """The scripts at ``paths`` as :class:`ShippedScript` records (read once, here)."""
    return [ShippedScript.from_path(Path(p)) for p in paths]


#: claims of the scripts this worker process has imported, by (hash, name)
_LOADED: dict[tuple[str, str], list[Any]] = {}


def _write_once(folder: Path, name: str, text: str) -> Path:
    if Path(name).name != name or not name.endswith(".py") or name.startswith("."):
        raise FPTheoryError(f"refusing to write a shipped script named {name!r}")
    path = folder / name
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        partial = folder / f".{name}.{os.getpid()}.part"
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)  # atomic: a concurrent worker reads the old file or the new
    return path


def materialise(script: ShippedScript) -> Path:
    """The script (and its helpers) in a private folder named by their hash (written once
    per machine); the script's path there."""
    if _digest(script.name, script.source, script.helpers) != script.sha256:
        raise FPTheoryError(f"the shipped text of {script.name} does not match its hash")
    for name, _ in script.helpers:
        if not name.startswith("_") or name == script.name:
            raise FPTheoryError(f"refusing to write a shipped helper named {name!r}")
    uid = os.getuid() if hasattr(os, "getuid") else 0
    folder = Path(tempfile.gettempdir()) / f"fptheory-shipped-{uid}" / script.sha256[:32]
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    for name, text in script.helpers:
        _write_once(folder, name, text)
    return _write_once(folder, script.name, script.source)


def _claims_of(script: ShippedScript) -> list[Any]:
    from fptheory.report.collect import collect_claims  # the same loader and order as a local check

    key = (script.sha256, script.name)
    if key not in _LOADED:
        _LOADED[key] = [fn for _, fn in collect_claims([materialise(script)])]
    return _LOADED[key]


def run_shipped_claim(script: ShippedScript, index: int, label: str) -> ClaimResult:
    """Run the ``index``-th claim (file order) of the shipped ``script``, which must carry
    ``label``; the result is what :func:`~fptheory.verify.claims.run_claim` returns locally."""
    claims = _claims_of(script)
    if not 0 <= index < len(claims) or claims[index]._fptheory_claim["label"] != label:
        raise FPTheoryError(f"claim {label} is not at position {index} of the shipped "
                            f"{script.name}")
    return run_claim(claims[index], script.name)


#: what a study may send back from a worker (figures and data files), in bytes
MAX_STUDY_BYTES = 256 * 1024 * 1024


def run_shipped_study(script: ShippedScript, size: str, seed: int,
                      timeout: float) -> tuple[Any, dict[str, bytes]]:
    """Run a shipped numeric study on this worker exactly as the report runs one locally
    (:func:`~fptheory.report.studies.run_study`: its own process, its timeout), in a private
    folder; return its outcome and the files it wrote (figures, data), by relative path."""
    import tempfile as _tempfile

    from fptheory.report.studies import run_study

    path = materialise(script)
    with _tempfile.TemporaryDirectory(prefix="fptheory-study-") as tmp:
        out = Path(tmp)
        outcome = run_study(path, size, out, seed, timeout)
        files: dict[str, bytes] = {}
        total = 0
        for f in sorted(out.rglob("*")):
            if f.is_file() and not f.is_symlink():
                total += f.stat().st_size
                if total > MAX_STUDY_BYTES:
                    raise FPTheoryError(f"study {script.name} wrote more than {MAX_STUDY_BYTES} bytes")
                files[f.relative_to(out).as_posix()] = f.read_bytes()
    return outcome, files


def _write_back(files: dict[str, bytes], out_dir: Path) -> None:
    """A worker's study files under ``out_dir``; a path that would leave it is refused."""
    root = out_dir.resolve()
    for rel, data in files.items():
        target = (root / rel).resolve()
        if not target.is_relative_to(root) or target == root:
            raise FPTheoryError(f"a study sent back a file outside the report folder: {rel!r}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def run_studies_on(executor: Any, scripts: list[Path], size: str, out_dir: Path, seed: int,
                   timeout: float, finished=None) -> list[Any]:
    """The report's studies as tasks on ``executor`` (a cluster), scripts shipped as text;
    their figures and data written back under ``out_dir`` as a local run writes them.
    Outcomes in script order; a lost or failed task is a failed study, named."""
    from fptheory.core.execution import Task, TaskFailure
    from fptheory.report.studies import StudyOutcome

    tasks = [Task(f"study {p.stem}", run_shipped_study, (ShippedScript.from_path(p), size, seed, timeout))
             for p in scripts]
    outcomes: dict[int, Any] = {}

    def record(i: int, value: Any, done: int, total: int) -> None:
        path = scripts[i]
        if isinstance(value, TaskFailure):
            outcome = StudyOutcome(path.stem, path.name, "failed", f"on the cluster: {value.reason}")
        else:
            outcome, files = value
            try:
                _write_back(files, out_dir)
            except (FPTheoryError, OSError) as exc:
                outcome = StudyOutcome(path.stem, path.name, "failed", f"its files: {exc}")
        outcomes[i] = outcome
        if finished is not None:
            finished(outcome, done, total)

    executor.run(tasks, record)
    return [outcomes[i] for i in range(len(scripts))]
