"""Progress of the long sub-commands, on stderr (stdout keeps the result, or only JSON).

:class:`Reporter` prints a line as each step finishes (``[12/35] claim 1.7: proved (0.4 s)``)
and, when stderr is a terminal, a live status line under them (spinner, what is running,
time so far); when stderr is not a terminal it prints the plain lines only, flushed at once.
``quiet`` silences all of it. :func:`add_quiet` adds the ``--quiet`` flag.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path
from typing import Any

from fptheory.core.errors import FPTheoryError

__all__ = ["Reporter", "add_quiet", "output_path", "OUTPUT_DIR"]

#: Where commands write files by default: ``fptheory-output/<command>/`` under the current folder.
OUTPUT_DIR = Path("fptheory-output")


def add_quiet(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="no progress on stderr (errors are still printed)")


def output_path(text: str) -> Path:
    """The folder of ``text`` made (one-line error if it cannot be); the path returned."""
    path = Path(text)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FPTheoryError(f"cannot write to {path.parent}: {exc.strerror or type(exc).__name__}") \
            from None
    return path


class Reporter:
    """Progress lines for one command. Use as a context manager (the live status, when
    there is one, stops at the end); every method is safe to call from worker threads.

    ``live``: show the live status line in a terminal (off where the computation draws
    its own progress bars)."""

    def __init__(self, command: str, *, quiet: bool = False, live: bool = True) -> None:
        self.command = command
        self.quiet = quiet
        self.start = time.perf_counter()
        self.terminal = sys.stderr.isatty()
        self._live = live and self.terminal and not quiet
        self._progress: Any = None
        self._task: Any = None
        self._lock = threading.Lock()

    def __enter__(self) -> Reporter:
        if self._live:
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self._progress = Progress(SpinnerColumn(), TextColumn("{task.description}"),
                                      TimeElapsedColumn(), console=Console(stderr=True),
                                      transient=True)
            self._progress.start()
            self._task = self._progress.add_task(self.command, total=None)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def line(self, text: str) -> None:
        """One line that stays (not in ``quiet``)."""
        if self.quiet:
            return
        with self._lock:
            if self._progress is not None:
                from rich.markup import escape

                self._progress.console.print(escape(text), highlight=False, soft_wrap=True)
            else:
                print(text, file=sys.stderr, flush=True)

    def status(self, text: str) -> None:
        """What is running now: the live status line in a terminal, nothing otherwise."""
        if self._progress is not None:
            with self._lock:
                self._progress.update(self._task, description=f"{self.command}: {text}")

    def step(self, done: int, total: int, label: str, outcome: str, seconds: float | None = None) -> None:
        """A finished step: ``[done/total] label: outcome (seconds)``."""
        took = f" ({seconds:.1f} s)" if seconds is not None else ""
        self.line(f"[{done}/{total}] {label}: {outcome}{took}")


def claim_outcome(result: Any) -> str:
    """A ClaimResult in a few words: its verdict (and the corrected form's, for an erratum)."""
    text = result.text.verdict.value
    if result.corrected is not None:
        text = f"text {text}; corrected form {result.corrected.verdict.value}"
    if not result.established:
        text += f" (NOT established; expected {result.expected})"
    return text


def study_outcome(outcome: Any, width: int = 100) -> str:
    """A StudyOutcome in a few words: ok and its verdict, or failed/skipped and why."""
    if outcome.status == "ok" and outcome.result is not None:
        why = str(outcome.result.get("verdict", ""))
    else:
        why = outcome.reason
    why = " ".join(why.split())
    if len(why) > width:
        why = why[: width - 1] + "…"
    return f"{outcome.status}" + (f", {why}" if why else "")
