"""The second core: a search that has run for a while splits its open boxes with a forked
copy of itself.

A statement that closes in a second never pays for a process. One that is still open after
:data:`FORK_AFTER` seconds, with boxes waiting, forks once (``os.fork``: the child inherits
the problem, the kernel's compiled enclosures and admitted forms): the child takes every
other open box, the parent keeps the rest, and both go on under the same deadline. A half
that runs out of boxes first — the parent — asks the child for some (a signal; the child
hands over the older half of its open boxes through the pipe, and the parent searches
them), so that neither core idles while the other holds most of the hard boxes. At the
end the parent reads the child's result (pickled through the pipe) and merges it: the leaves
and admitted forms of both halves when both certified (the certificate's re-check then
verifies that the leaves cover the domain, as for any certificate); the child's refutation
(its witness checked exactly in the child, by the same code) when it found one; unknown,
with the child's reason, otherwise. A child that does not answer by the deadline is killed.

Nothing here decides: both halves close boxes only through the kernel, and the merged
certificate is re-checkable like any other.

Forking is skipped where it is not safe or not wanted: without ``os.fork``, on one core, in
a process that is itself a child (a worker of ``fptheory check``'s pool), in a process with
threads (a Dask worker), or with ``FPTHEORY_PROVE_WORKERS=1``.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import select
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .claims import Verdict
from .results import CertifyResult

__all__ = ["Half", "may_fork", "in_halves", "merge_halves", "FORK_AFTER"]

#: seconds of search before the open boxes are shared with a second process
FORK_AFTER = 2.0


def may_fork(started: float, deadline: float, open_boxes: int) -> bool:
    """Whether a search started at ``started`` (perf_counter) with ``open_boxes`` waiting
    should fork now (module docstring)."""
    now = time.perf_counter()
    if now - started < FORK_AFTER or deadline - now < 2 * FORK_AFTER or open_boxes < 2:
        return False
    if os.environ.get("FPTHEORY_PROVE_WORKERS", "2").strip() == "1":
        return False
    if not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        return False
    return multiprocessing.parent_process() is None and threading.active_count() == 1


@dataclass
class Half:
    """One side of a forked search. In the parent ``pid`` is the child's and ``fd`` the
    read end of the pipe; in the child ``child`` is True and ``fd`` the write end. Messages
    are length-prefixed pickles: ("boxes", open boxes) when the parent, out of boxes, asked
    for some (SIGUSR1; :meth:`donate`, :meth:`more`), then one final ("result", ...) or
    ("error", why)."""

    pid: int = 0
    fd: int = -1
    child: bool = False
    #: (child) the parent ran out of boxes and asks for some
    asked: bool = False
    #: (parent) the child's final message, once read by :meth:`more`
    final: Any = None

    def split(self, queue: list[Any]) -> list[Any]:
        """Fork; return this process's half of the open boxes (the child's: every other box
        from the second; the parent's: the rest). On a failed fork, all of them."""
        read, write = os.pipe()
        # the child must hear an ask from its first instant (SIGUSR1's default ends it)
        previous = signal.signal(signal.SIGUSR1, self._on_ask)
        try:
            pid = os.fork()
        except OSError:
            signal.signal(signal.SIGUSR1, previous)
            os.close(read)
            os.close(write)
            return queue
        if pid == 0:
            os.close(read)
            self.child, self.fd = True, write
            return queue[1::2]
        signal.signal(signal.SIGUSR1, previous)
        os.close(write)
        self.pid, self.fd = pid, read
        return queue[0::2]

    def _on_ask(self, signum: int, frame: Any) -> None:
        self.asked = True

    def _write(self, message: Any) -> None:
        data = pickle.dumps(message)
        view = memoryview(len(data).to_bytes(8, "little") + data)
        while view:
            view = view[os.write(self.fd, view):]

    def donate(self, queue: list[Any]) -> list[Any]:
        """(Child) when the parent asked and two or more boxes wait here: the older half goes
        to the parent (its leaves are then the parent's); the rest is returned."""
        if not self.asked or len(queue) < 2:
            return queue
        self.asked = False
        k = len(queue) // 2
        self._write(("boxes", queue[:k]))
        return queue[k:]

    def send(self, payload: Any) -> None:
        """(Child) write the final payload and leave: nothing of the parent's runs here."""
        try:
            try:
                self._write(payload)
            except Exception as exc:  # noqa: BLE001 — the parent must hear something
                self._write(("error", f"the second process's result: {exc}"))
        finally:
            os._exit(0)

    def _read_exactly(self, n: int, deadline: float) -> bytes | None:
        chunks, got = [], 0
        while got < n:
            left = deadline + 2.0 - time.perf_counter()
            if left <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.fd, min(n - got, 1 << 20))
            if not chunk:
                return None
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    def _read(self, deadline: float) -> Any:
        """(Parent) the child's next message, or ("error", why) when it ends without one or
        is still silent past the deadline."""
        try:
            head = self._read_exactly(8, deadline)
            body = None if head is None else self._read_exactly(
                int.from_bytes(head, "little"), deadline)
        except TimeoutError:
            return ("error", "the second process did not finish by the deadline")
        if body is None:
            return ("error", "the second process ended without a result")
        try:
            return pickle.loads(body)
        except Exception:  # noqa: BLE001 — a garbled message
            return ("error", "the second process ended without a result")

    def more(self, deadline: float) -> list[Any]:
        """(Parent, out of boxes) ask the child for some of its open boxes: those boxes, or
        [] once the child's final message is in (kept for :meth:`receive`)."""
        if not self.pid or self.final is not None:
            return []
        # asked again every half second: a signal that reaches the child before its
        # interpreter has finished forking is dropped
        while time.perf_counter() < deadline + 2.0:
            try:
                os.kill(self.pid, signal.SIGUSR1)
            except ProcessLookupError:
                pass
            ready, _, _ = select.select([self.fd], [], [], 0.5)
            if ready:
                break
        message = self._read(deadline)
        if isinstance(message, tuple) and message and message[0] == "boxes":
            return list(message[1])
        self.final = message
        return []

    def receive(self, deadline: float) -> Any:
        """(Parent) the child's final payload, or ("error", why) when it ends without one or
        is still running past the deadline (it is then killed)."""
        try:
            message = self.final if self.final is not None else self._read(deadline)
            if isinstance(message, tuple) and message and message[0] == "boxes":
                message = ("error", "the second process handed over boxes no one asked for")
            return message
        finally:
            self.stop()

    def stop(self) -> None:
        """(Parent) make sure the child is gone and reaped, and the pipe closed."""
        if self.pid and self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        if self.pid:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                os.waitpid(self.pid, 0)
            except ChildProcessError:
                pass
            self.pid = 0


def in_halves(search: Callable[..., CertifyResult], *args: Any, **options: Any
              ) -> CertifyResult:
    """``search(*args, half=Half(), **options)``, which may fork once (:meth:`Half.split`);
    in the child its result goes to the parent and the child leaves; in the parent the
    child's result is merged (:func:`merge_halves`). ``options`` carry ``start`` and
    ``time_limit``: the deadline of both halves."""
    half = Half()
    try:
        result = search(*args, half=half, **options)
    except BaseException as exc:
        if half.child:
            half.send(("error", f"{type(exc).__name__}: {exc}"))
        half.stop()
        raise
    if half.child:
        half.send(("result", result))
    if not half.pid:
        return result
    if result.verdict is Verdict.REFUTED:
        half.stop()
        return result
    # certified or unknown here: the child's half may still hold a counterexample
    kind, other = half.receive(options["start"] + options["time_limit"])
    merged = merge_halves(result, kind, other)
    merged.seconds = time.perf_counter() - options["start"]
    return merged


def merge_halves(mine: CertifyResult, kind: str, other: Any) -> CertifyResult:
    """The parent's result merged with the child's: the child refuted → its refutation;
    both certified → one certificate of both halves' leaves and admitted forms; else
    unknown, with the parent's reason or the child's."""
    if kind == "result" and other.verdict is Verdict.REFUTED:
        return other
    if mine.verdict is not Verdict.CERTIFIED:
        return mine
    if kind == "result":
        mine.boxes += other.boxes
    if kind != "result" or other.verdict is not Verdict.CERTIFIED:
        mine.verdict, mine.leaves, mine.forms = Verdict.UNKNOWN, [], []
        mine.reason = (other.reason if kind == "result" else other) or \
            "the second process gave no result"
        return mine
    mine.leaves += other.leaves
    mine.forms += [f for f in other.forms if f not in mine.forms]
    return mine
