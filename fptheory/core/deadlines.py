"""Wall-clock deadlines that interrupt sympy (and mpmath) in the middle of a computation.

sympy has no timeouts: ``simplify``, ``limit`` or ``solve`` on an unlucky input run for
minutes. :func:`deadline` arms a real-time timer (``SIGALRM``) and raises
:class:`DeadlineExceeded` when it fires; :class:`DeadlineExceeded` derives from
``BaseException`` so that sympy's own ``except Exception`` blocks cannot swallow it.
:func:`attempt` runs one step and returns its value or the reason it was not determined.
(:mod:`fptheory.verify.limits` re-exports these names.)

>>> attempt(lambda: 6 * 7, 5)
(42, None)
>>> attempt(lambda: 1 / 0, 5)
(None, 'ZeroDivisionError: division by zero')
"""

from __future__ import annotations

import contextlib
import math
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

__all__ = ["DeadlineExceeded", "deadline", "guard", "bounded", "remaining", "attempt"]

T = TypeVar("T")


class DeadlineExceeded(BaseException):
    """The wall-clock limit of a :func:`deadline` block was reached. ``owner`` is the token
    of the block whose limit it was (``None``: the block could not be armed at all), so an
    inner :func:`bounded` step never mistakes an outer limit for its own."""

    def __init__(self, message: str = "", owner: object | None = None) -> None:
        super().__init__(message)
        self.owner = owner


#: after a deadline fires, it fires again this often until its block is left
REFIRE_SECONDS = 0.05


def _can_signal() -> bool:
    return threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[object]:
    """Run the block with at most ``seconds`` of wall-clock time (nested blocks keep the
    earlier of the two deadlines). Raises :class:`DeadlineExceeded` when it passes, and
    immediately when ``seconds`` ≤ 0. Outside the main thread the block is refused
    (:class:`DeadlineExceeded`), since nothing could stop it. Yields the block's token: the
    ``owner`` of the exception its own limit raises (an outer limit that passes inside the
    block raises with the outer token)."""
    if not (seconds > 0) or math.isnan(seconds):
        raise DeadlineExceeded("no time left")
    if not _can_signal():
        raise DeadlineExceeded("a deadline needs the main thread")
    previous_handler = signal.getsignal(signal.SIGALRM)
    outer_left, _ = signal.getitimer(signal.ITIMER_REAL)
    started = time.monotonic()
    limit = seconds if outer_left <= 0 else min(seconds, outer_left)
    token = object()

    def fire(signum, frame):  # noqa: ARG001
        # re-armed: an exception raised inside a gc callback or a __del__ is swallowed by
        # the interpreter, and the block would then run on without a limit
        signal.setitimer(signal.ITIMER_REAL, REFIRE_SECONDS)
        raise DeadlineExceeded(f"time limit of {seconds:g} s reached", token)

    signal.signal(signal.SIGALRM, fire if outer_left <= 0 or seconds < outer_left
                  else previous_handler)
    previous_hook = sys.unraisablehook
    sys.unraisablehook = _quiet_deadlines(previous_hook)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        yield token
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        sys.unraisablehook = previous_hook
        if outer_left > 0:  # give the outer block the rest of its time
            left = outer_left - (time.monotonic() - started)
            if left <= 0:
                # the outer deadline passed while we ran: fire it now
                if callable(previous_handler):
                    previous_handler(signal.SIGALRM, None)
            else:
                signal.setitimer(signal.ITIMER_REAL, left)


def _quiet_deadlines(hook: Callable[[object], object]) -> Callable[[object], object]:
    """The interpreter's report of an exception it had to drop, without the deadline's
    own: one raised inside a gc callback or a ``__del__`` is dropped (with a traceback on
    stderr) and fires again (:data:`REFIRE_SECONDS`), so nothing is lost by not printing it."""
    def quiet(unraisable: object) -> object:
        if isinstance(getattr(unraisable, "exc_value", None), DeadlineExceeded):
            return None
        return hook(unraisable)
    return quiet


def remaining(until: float) -> float:
    """Seconds left until the ``time.perf_counter()`` instant ``until`` (may be ≤ 0)."""
    return until - time.perf_counter()


def bounded(fn: Callable[[], T], seconds: float, default: T) -> T:
    """``fn()`` run under :func:`deadline`; ``default`` when it runs out of time, when no
    deadline can be armed here, or when it fails: callers pass the cautious answer as
    ``default`` (no form admitted, no exact zero, no witness). An outer deadline that passes
    during ``fn`` is not swallowed: it propagates, so the caller's own limit holds.

    >>> with deadline(0.2):
    ...     try:
    ...         bounded(lambda: time.sleep(1), 5.0, "inner default")
    ...     except DeadlineExceeded:
    ...         print("the outer limit propagated")
    the outer limit propagated
    >>> bounded(lambda: time.sleep(1), 0.1, "inner default")
    'inner default'
    """
    token = None
    try:
        with deadline(seconds) as token:
            return fn()
    except DeadlineExceeded as exc:
        if exc.owner is not None and exc.owner is not token:
            raise
        return default
    except (RecursionError, MemoryError):  # sympy materialising a huge set or tree
        return default
    except Exception:  # noqa: BLE001 - sympy fails in many ways (KeyError: b_ in solveset)
        # every caller's default is the cautious answer (no form, no zero, no witness)
        return default


@contextlib.contextmanager
def guard(seconds: float) -> Iterator[None]:
    """:func:`deadline` where one can be armed (the main thread), else nothing: for the
    outer limit of a whole computation, whose own loop also checks the clock."""
    if _can_signal() and seconds > 0 and not math.isnan(seconds) and not math.isinf(seconds):
        with deadline(seconds):
            yield
    else:
        yield


def attempt(fn: Callable[[], T], seconds: float,
            propagate: tuple[type[BaseException], ...] = ()) -> tuple[T | None, str | None]:
    """``(fn(), None)``, or ``(None, reason)`` when ``fn`` fails or runs past ``seconds``
    (the reason is one short line). Exceptions of the types in ``propagate`` (a real
    disagreement, say) and an outer deadline passing are not caught.

    >>> import time
    >>> attempt(lambda: time.sleep(1), 0.05)
    (None, 'time limit of 0.05 s reached')
    """
    token = None
    try:
        if not _can_signal():
            return fn(), None
        with deadline(seconds) as token:
            return fn(), None
    except propagate:
        raise
    except DeadlineExceeded as exc:
        if exc.owner is not None and exc.owner is not token:
            raise
        return None, f"time limit of {seconds:g} s reached"
    except (RecursionError, MemoryError) as exc:
        return None, f"{type(exc).__name__}: the computation grew too large"
    except Exception as exc:  # noqa: BLE001 - sympy fails in many ways
        from .errors import FPTheoryError

        text = " ".join(str(exc).split())
        if isinstance(exc, FPTheoryError):  # already a one-line reason
            return None, text
        text = text if len(text) <= 160 else text[:157] + "..."
        return None, f"{type(exc).__name__}: {text}" if text else type(exc).__name__
