"""The second core: a search that has run for a while splits its open boxes with a forked
copy of itself.

A statement that closes in a second never pays for a process. One that is still open after
:data:`FORK_AFTER` seconds, with boxes waiting, forks once (``os.fork``: the child inherits
the problem, the kernel's compiled enclosures and admitted forms): the child takes every
other open box, the parent keeps the rest, and both go on under the same deadline. A half
that runs out of boxes asks the other for some (a signal: SIGUSR1 to the child, SIGUSR2 to
the parent), and the other hands over the older half of its open boxes through a pipe
(one each way), so that neither core idles while the other holds most of the hard boxes.
When both are out of boxes, the parent answers the child's ask with "none" and the child
finishes. At the end the parent reads the child's result (pickled through the pipe) and
merges it: the leaves and admitted forms of both halves when both certified (the
certificate's re-check then verifies that the leaves cover the domain, as for any
certificate); the child's refutation (its witness checked exactly in the child, by the same
code) when it found one; unknown, with the child's reason, otherwise. The child's result
says how many of the parent's hand-overs it read: boxes handed over and not read (the
child had ended by the deadline) are searched by the parent again, and a certificate is
never merged with boxes unaccounted for. A child that does not answer by the deadline is
killed.

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
from dataclasses import dataclass, field
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
    """One side of a forked search. In the parent ``pid`` is the child's, ``fd`` the read
    end of the child's pipe and ``back`` the write end of its own; in the child ``child``
    is True, ``fd`` the write end and ``back`` the read end. Messages are length-prefixed
    pickles: ("boxes", open boxes) for the other side, out of boxes, that asked for some
    (:meth:`donate`, :meth:`give`; :meth:`more`, :meth:`ask_parent`), ("none",) from the
    parent that has none either, and the child's one final ("result", result, hand-overs
    read) or ("error", why)."""

    pid: int = 0
    fd: int = -1
    back: int = -1
    child: bool = False
    #: (child) the parent ran out of boxes and asks for some
    asked: bool = False
    #: (parent) the child ran out of boxes and asks for some
    wanted: bool = False
    #: (parent) the child's final message, once read by :meth:`more`
    final: Any = None
    #: (parent) the boxes of each hand-over written to the child; (child) how many it read
    given: list[list[Any]] = field(default_factory=list)
    received: int = 0
    _previous_usr2: Any = signal.SIG_DFL
    _parent: int = 0

    def split(self, queue: list[Any]) -> list[Any]:
        """Fork; return this process's half of the open boxes (the child's: every other box
        from the second; the parent's: the rest). On a failed fork, all of them."""
        read, write = os.pipe()
        back_read, back_write = os.pipe()
        self._parent = os.getpid()
        # the child must hear an ask from its first instant (SIGUSR1's default ends it),
        # and the parent the child's first ask
        previous = signal.signal(signal.SIGUSR1, self._on_ask)
        self._previous_usr2 = signal.signal(signal.SIGUSR2, self._on_want) or signal.SIG_DFL
        try:
            pid = os.fork()
        except OSError:
            signal.signal(signal.SIGUSR1, previous)
            signal.signal(signal.SIGUSR2, self._previous_usr2)
            for end in (read, write, back_read, back_write):
                os.close(end)
            return queue
        if pid == 0:
            os.close(read)
            os.close(back_write)
            self.child, self.fd, self.back = True, write, back_read
            return queue[1::2]
        signal.signal(signal.SIGUSR1, previous)
        os.close(write)
        os.close(back_read)
        self.pid, self.fd, self.back = pid, read, back_write
        return queue[0::2]

    def _on_want(self, signum: int, frame: Any) -> None:
        self.wanted = True

    def _on_ask(self, signum: int, frame: Any) -> None:
        self.asked = True

    def _write(self, message: Any, fd: int | None = None) -> None:
        data = pickle.dumps(message)
        view = memoryview(len(data).to_bytes(8, "little") + data)
        while view:
            view = view[os.write(self.fd if fd is None else fd, view):]

    def share(self, queue: list[Any]) -> list[Any]:
        """The open boxes left after answering the other side's ask, if there is one."""
        if self.child:
            return self.donate(queue)
        return self.give(queue) if self.pid else queue

    def refill(self, deadline: float) -> list[Any]:
        """Out of boxes: some from the other side (:meth:`more`, :meth:`ask_parent`)."""
        if self.child:
            return self.ask_parent(deadline)
        return self.more(deadline) if self.pid else []

    def give(self, queue: list[Any]) -> list[Any]:
        """(Parent) when the child asked and two or more boxes wait here: the older half
        goes to the child (its leaves are then the child's); the rest is returned. A
        hand-over that cannot be written whole stays here."""
        if not self.wanted or len(queue) < 2 or self.final is not None:
            return queue
        self.wanted = False
        k = len(queue) // 2
        try:
            self._write(("boxes", queue[:k]), self.back)
        except OSError:  # the child is gone: its result says what it read
            return queue
        self.given.append(queue[:k])
        return queue[k:]

    def ask_parent(self, deadline: float) -> list[Any]:
        """(Child, out of boxes) ask the parent for some of its open boxes: those boxes, or
        [] when the parent has none either, or by the deadline."""
        if os.getppid() != self._parent:  # the parent is gone (never signal another)
            return []
        try:
            os.kill(self._parent, signal.SIGUSR2)
        except OSError:
            return []
        message = self._read(deadline, self.back)
        if isinstance(message, tuple) and message and message[0] == "boxes":
            self.received += 1
            return list(message[1])
        return []

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
                if payload[0] == "result":
                    payload = (*payload, self.received)
                self._write(payload)
            except Exception as exc:  # noqa: BLE001 — the parent must hear something
                self._write(("error", f"the second process's result: {exc}"))
        finally:
            os._exit(0)

    def _read_exactly(self, n: int, deadline: float, fd: int) -> bytes | None:
        chunks, got = [], 0
        while got < n:
            left = deadline + 2.0 - time.perf_counter()
            if left <= 0:
                raise TimeoutError
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, min(n - got, 1 << 20))
            if not chunk:
                return None
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    def _read(self, deadline: float, fd: int | None = None) -> Any:
        """The other side's next message, or ("error", why) when it ends without one or
        is still silent past the deadline."""
        fd = self.fd if fd is None else fd
        try:
            head = self._read_exactly(8, deadline, fd)
            body = None if head is None else self._read_exactly(
                int.from_bytes(head, "little"), deadline, fd)
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
            if self.wanted:  # both out of boxes: the child may finish
                self.wanted = False
                self._none_for_the_child()
            ready, _, _ = select.select([self.fd], [], [], 0.5)
            if ready:
                break
        message = self._read(deadline)
        if isinstance(message, tuple) and message and message[0] == "boxes":
            return list(message[1])
        self.final = message
        return self.unread()

    def _none_for_the_child(self) -> None:
        """(Parent) answer the child's ask: no boxes (nothing to do if it is gone)."""
        try:
            self._write(("none",), self.back)
        except OSError:
            pass

    def unread(self) -> list[Any]:
        """(Parent, once the child's result is in) the boxes of the hand-overs the child did
        not read, taken back to be searched here (then no longer counted as given)."""
        if not (isinstance(self.final, tuple) and len(self.final) == 3
                and self.final[0] == "result" and isinstance(self.final[2], int)):
            return []
        read = self.final[2]
        back = [box for boxes in self.given[read:] for box in boxes]
        del self.given[read:]
        return back

    def receive(self, deadline: float) -> Any:
        """(Parent) the child's final payload, or ("error", why) when it ends without one or
        is still running past the deadline (it is then killed)."""
        if self.final is None and self.back >= 0:  # a child waiting for boxes: none come
            self._none_for_the_child()
        try:
            message = self.final if self.final is not None else self._read(deadline)
            if isinstance(message, tuple) and message and message[0] == "boxes":
                message = ("error", "the second process handed over boxes no one asked for")
            if isinstance(message, tuple) and message and message[0] == "result":
                read = message[2] if len(message) == 3 else None
                if read != len(self.given) and getattr(message[1], "verdict", None) \
                        is Verdict.CERTIFIED:  # (a refutation holds whatever it read)
                    message = ("error", "the second process did not read every box handed "
                                        "over to it")
                message = message[:2]
            return message
        finally:
            self.stop()

    def stop(self) -> None:
        """(Parent) make sure the child is gone and reaped, and the pipe closed."""
        if self.pid and self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        if self.pid and self.back >= 0:
            os.close(self.back)
            self.back = -1
            signal.signal(signal.SIGUSR2, self._previous_usr2)
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
