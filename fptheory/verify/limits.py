"""Hard limits for symbolic work: a wall-clock deadline that interrupts sympy.

sympy has no timeouts: ``simplify``, ``factor`` or ``solve`` on an unlucky input run for
minutes. Every sympy call the prover makes on a user's expression runs inside
:func:`deadline`, which arms a real-time timer (``SIGALRM``) and raises
:class:`DeadlineExceeded` in the middle of the computation when it fires.
:class:`DeadlineExceeded` derives from ``BaseException`` so that sympy's own
``except Exception`` blocks cannot swallow it.

Signals reach only the main thread; elsewhere (a worker thread) the step is skipped unless
the caller allows it to run unguarded: a step that cannot be bounded is not run.

>>> with deadline(5):
...     sum(range(10))
45
>>> import time
>>> try:
...     with deadline(0.05):
...         time.sleep(1)
... except DeadlineExceeded:
...     print("stopped")
stopped
"""

from __future__ import annotations

import contextlib
import math
import signal
import threading
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

__all__ = ["DeadlineExceeded", "deadline", "guard", "bounded", "remaining", "manageable"]

T = TypeVar("T")


class DeadlineExceeded(BaseException):
    """The wall-clock limit of a :func:`deadline` block was reached. ``owner`` is the token
    of the block whose limit it was (``None``: the block could not be armed at all), so an
    inner :func:`bounded` step never mistakes an outer limit for its own."""

    def __init__(self, message: str = "", owner: object | None = None) -> None:
        super().__init__(message)
        self.owner = owner


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
        raise DeadlineExceeded(f"time limit of {seconds:g} s reached", token)

    signal.signal(signal.SIGALRM, fire if outer_left <= 0 or seconds < outer_left
                  else previous_handler)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        yield token
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if outer_left > 0:  # give the outer block the rest of its time
            left = outer_left - (time.monotonic() - started)
            if left <= 0:
                # the outer deadline passed while we ran: fire it now
                if callable(previous_handler):
                    previous_handler(signal.SIGALRM, None)
            else:
                signal.setitimer(signal.ITIMER_REAL, left)


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


#: the largest exponent (of a power, or of an exponential's coefficient, which rewriting
#: turns into one) for which polynomial algorithms run: above it sympy hands the work to
#: compiled code (flint's factorisation, gcds) that a signal cannot interrupt
MAX_ALGEBRA_DEGREE = 200
MAX_ALGEBRA_OPS = 400


def manageable(expr: object) -> bool:
    """Whether polynomial algebra on ``expr`` (factor, cancel, solve, simplify) stays within
    limits that a :func:`deadline` can enforce: no power or exponential coefficient above
    :data:`MAX_ALGEBRA_DEGREE`, at most :data:`MAX_ALGEBRA_OPS` operations.

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> manageable(x**3 - 2*x), manageable(x**1000000 - 1), manageable(sp.exp(10**6 * x))
    (True, False, False)
    """
    import sympy as sp

    if not isinstance(expr, sp.Basic):
        return True
    if sp.count_ops(expr) > MAX_ALGEBRA_OPS:
        return False
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Pow) and node.exp.is_Rational:
            if abs(node.exp.p) > MAX_ALGEBRA_DEGREE or abs(node.exp.q) > MAX_ALGEBRA_DEGREE:
                return False
        if isinstance(node, sp.Function) and node.args and isinstance(node.args[0], sp.Expr):
            for term in sp.Add.make_args(node.args[0]):
                c = term.as_coeff_Mul()[0]
                if c.is_Rational and (abs(c.p) > MAX_ALGEBRA_DEGREE or c.q > MAX_ALGEBRA_DEGREE):
                    return False
    return True
