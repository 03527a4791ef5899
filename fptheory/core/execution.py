"""One way to fan work out: local processes (the default) or a Dask cluster.

Everything that runs many independent pieces of work (δ values in ``measure``, seeds of an
experiment, widths × seeds of the LFP width study, M values of the α scaling study, claims of
``check``) describes them as :class:`Task` objects and hands them to an :class:`Executor`:

* :class:`LocalExecutor` — ``workers`` forked processes on this machine (one worker: this
  process, which is what the commands did before there was a choice). No dependency.
* :class:`DaskExecutor` — the workers of a ``dask.distributed`` scheduler (``--scheduler
  tcp://HOST:PORT`` on the command line, or the ``FPTHEORY_SCHEDULER`` environment variable).
  ``dask`` and ``distributed`` are imported only then (``pip install 'fptheory[dask]'``).

A task's result never depends on where or when it ran: every random seed is derived from the
task's identity (its position in the study, its seed), never from a worker or from the order in
which tasks finish, and results come back in task order. A task that fails, or whose process
dies, is reported as a :class:`TaskFailure` naming the task, locally and on a cluster alike.

The executor in force is a context (:func:`using`, :func:`current`), so that library functions
deep in a study fan out through whatever the command line chose without threading an argument
through every call.

>>> with using(LocalExecutor(1)):
...     current().run([Task("square 3", pow, (3, 2)), Task("square 4", pow, (4, 2))])
[9, 16]
"""

from __future__ import annotations

import contextlib
import contextvars
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import FPTheoryError

__all__ = ["Task", "TaskFailure", "TaskFailedError", "Executor", "LocalExecutor",
           "DaskExecutor", "scheduler_address", "executor_for", "using", "current", "run_tasks",
           "SCHEDULER_ENV", "TIMEOUT_ENV"]

#: the environment variable that names a Dask scheduler when ``--scheduler`` is not given
SCHEDULER_ENV = "FPTHEORY_SCHEDULER"
#: seconds to keep trying to reach the scheduler (default 30: a queued cluster may be starting)
TIMEOUT_ENV = "FPTHEORY_SCHEDULER_TIMEOUT"


@dataclass(frozen=True)
class Task:
    """``fn(*args)`` under a name. ``fn`` must be importable (a module-level function): it
    travels to other processes by reference, its arguments by value."""

    key: str
    fn: Callable[..., Any]
    args: tuple = ()


@dataclass(frozen=True)
class TaskFailure:
    """A task that raised, or whose process died; ``reason`` is one line."""

    key: str
    reason: str

    def __str__(self) -> str:
        return f"{self.key}: {self.reason}"


class TaskFailedError(FPTheoryError):
    """Raised by :func:`run_tasks` when a task failed and the caller wants all or nothing."""


#: ``finished(index, result_or_failure, done, total)``, called in this process as each task
#: ends (``done`` counts from 1); ``index`` is the task's position.
Finished = Callable[[int, Any, int, int], None]


@dataclass
class Executor:
    """Runs tasks and returns their results in task order (a :class:`TaskFailure` in place
    of the result of a task that failed)."""

    name: str = "executor"
    timings: list[tuple[str, float]] = field(default_factory=list)

    def run(self, tasks: Sequence[Task], finished: Finished | None = None) -> list[Any]:
        raise NotImplementedError

    def describe(self) -> str:
        return self.name

    def close(self) -> None:
        """Release what the executor holds (a cluster connection)."""


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    text = text if len(text) <= 200 else text[:197] + "..."
    if isinstance(exc, FPTheoryError):  # already a sentence for the user
        return text
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


_DIED = "the process running it died (os._exit, a crash or the out-of-memory killer)"


def _timed(fn: Callable[..., Any], args: tuple) -> tuple[Any, float]:
    """``fn(*args)`` and the seconds it took where it ran (per-task timings)."""
    import time

    start = time.perf_counter()
    value = fn(*args)
    return value, time.perf_counter() - start


class LocalExecutor(Executor):
    """``workers`` forked processes on this machine; one worker runs the tasks in this
    process, unless ``isolate`` (then even one task runs in a forked process, so that a task
    that kills its process is named instead of ending this one). A process that dies
    (os._exit, a crash, the out-of-memory killer) costs only the task it was running: after a
    break, the unfinished tasks are re-run one process each, and the one that kills its
    process is reported as a :class:`TaskFailure`."""

    def __init__(self, workers: int = 1, *, isolate: bool = False) -> None:
        super().__init__(name=f"local, {workers} process{'es' if workers != 1 else ''}")
        if not isinstance(workers, int) or workers < 1:
            raise FPTheoryError(f"workers must be an integer >= 1, got {workers!r}")
        self.workers = workers
        self.isolate = isolate

    def run(self, tasks: Sequence[Task], finished: Finished | None = None) -> list[Any]:
        import multiprocessing as mp

        results: dict[int, Any] = {}

        def record(i: int, value: Any) -> None:
            results[i] = value
            if finished is not None:
                finished(i, value, len(results), len(tasks))

        alone = self.workers == 1 or len(tasks) < 2
        if (alone and not self.isolate) or not tasks or "fork" not in mp.get_all_start_methods():
            for i, task in enumerate(tasks):
                try:
                    value, seconds = _timed(task.fn, task.args)
                    self.timings.append((task.key, seconds))
                except FPTheoryError:
                    raise  # a refusal in this process is the caller's one-line error
                except Exception as exc:  # noqa: BLE001 - any failure is this task's
                    value = TaskFailure(task.key, _one_line(exc))
                record(i, value)
            return [results[i] for i in range(len(tasks))]
        self._pool(tasks, record)
        return [results[i] for i in range(len(tasks))]

    def _pool(self, tasks: Sequence[Task], record) -> None:
        import concurrent.futures as cf
        import multiprocessing as mp
        from concurrent.futures.process import BrokenProcessPool

        context = mp.get_context("fork")
        done: set[int] = set()
        try:
            with cf.ProcessPoolExecutor(min(self.workers, len(tasks)), mp_context=context) as pool:
                futures = {pool.submit(_timed, t.fn, t.args): i for i, t in enumerate(tasks)}
                for future in cf.as_completed(futures):
                    if isinstance(future.exception(), BrokenProcessPool):
                        raise BrokenProcessPool  # which task broke it is found below
                    i = futures[future]
                    done.add(i)
                    record(i, self._value(tasks[i], future))
            return
        except BrokenProcessPool:
            pass
        # after a break: each unfinished task in a process of its own, `workers` at a time
        with cf.ThreadPoolExecutor(self.workers) as threads:
            def alone(i: int) -> tuple[int, Any]:
                try:
                    with cf.ProcessPoolExecutor(1, mp_context=context) as pool:
                        future = pool.submit(_timed, tasks[i].fn, tasks[i].args)
                        if not isinstance(future.exception(), BrokenProcessPool):
                            return i, self._value(tasks[i], future)
                except BrokenProcessPool:  # the pool broke outside the task
                    pass
                return i, TaskFailure(tasks[i].key, _DIED)

            left = [i for i in range(len(tasks)) if i not in done]
            for future in cf.as_completed([threads.submit(alone, i) for i in left]):
                record(*future.result())

    def _value(self, task: Task, future) -> Any:
        try:
            value, seconds = future.result()
        except Exception as exc:  # noqa: BLE001 - any failure is this task's
            return TaskFailure(task.key, _one_line(exc))
        self.timings.append((task.key, seconds))
        return value


class DaskExecutor(Executor):
    """The workers of a running ``dask.distributed`` scheduler at ``address``. Tasks are
    submitted as ``fn(*args)`` (functions by reference: the workers need fptheory installed,
    the same version); a worker lost mid-task has its task re-run elsewhere by Dask (up to
    ``allowed_failures`` times, Dask's own setting); a task that raises, or that keeps killing
    its workers, comes back as a :class:`TaskFailure`."""

    def __init__(self, address: str, *, timeout: float | None = None) -> None:
        super().__init__(name=f"dask scheduler {address}")
        if timeout is None:
            raw = os.environ.get(TIMEOUT_ENV, "").strip() or "30"
            try:
                timeout = float(raw)
            except ValueError:
                timeout = float("nan")
            if not (timeout > 0 and timeout < float("inf")):
                raise FPTheoryError(f"{TIMEOUT_ENV}={raw!r}: expected a positive number of seconds")
        try:
            import distributed
        except ImportError:
            raise FPTheoryError("--scheduler needs Dask: pip install 'fptheory[dask]' (dask and "
                                "distributed)") from None
        self.address = address
        self.client = _connect(distributed, address, timeout)

    def describe(self) -> str:
        workers = len(self.client.scheduler_info().get("workers", {}))
        return f"dask scheduler {self.address}, {workers} worker{'s' if workers != 1 else ''}"

    def run(self, tasks: Sequence[Task], finished: Finished | None = None) -> list[Any]:
        import uuid

        from distributed import as_completed

        batch = uuid.uuid4().hex[:8]
        futures = {self.client.submit(_timed, t.fn, t.args, key=f"fptheory-{batch}-{i}-{t.key}",
                                      pure=False): i
                   for i, t in enumerate(tasks)}
        results: dict[int, Any] = {}
        for future in as_completed(list(futures), loop=self.client.loop):
            i = futures[future]
            try:
                value, seconds = future.result()
                self.timings.append((tasks[i].key, seconds))
            except Exception as exc:  # noqa: BLE001 - a task error or KilledWorker: this task's
                value = TaskFailure(tasks[i].key, _one_line(exc))
            results[i] = value
            if finished is not None:
                finished(i, value, len(results), len(tasks))
        return [results[i] for i in range(len(tasks))]

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.client.close()


def _connect(distributed: Any, address: str, timeout: float) -> Any:
    """A client of the scheduler at ``address``; any failure to connect is one line."""
    import gc
    import sys

    from distributed.comm.registry import backends

    try:
        scheme, location = distributed.comm.parse_address(address)
        if scheme not in backends or scheme == "inproc":
            known = ", ".join(f"{b}://" for b in sorted(backends) if b != "inproc")
            raise ValueError(f"unknown or unusable scheme {scheme!r} (use one of {known})")
        if scheme in ("tcp", "tls", "ws", "wss"):
            distributed.comm.addressing.parse_host_port(location)
    except (ValueError, TypeError) as exc:
        raise FPTheoryError(f"--scheduler {address!r}: {_one_line(exc)}") from None
    failure = ""
    try:
        return distributed.Client(address, timeout=timeout, set_as_default=False)
    except Exception as exc:  # noqa: BLE001 - TLS without config, no UCX, unreachable: one line
        failure = _one_line(exc)
    # the half-built client complains when it is collected: that complaint is the line below
    hook = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        gc.collect()
    finally:
        sys.unraisablehook = hook
    raise FPTheoryError(f"cannot reach the Dask scheduler at {address}: {failure}")


def scheduler_address(scheduler: str | None = None) -> str | None:
    """The Dask scheduler a command is pointed at: ``scheduler`` (``--scheduler``), else the
    ``FPTHEORY_SCHEDULER`` environment variable, else None (this machine)."""
    return scheduler if scheduler else os.environ.get(SCHEDULER_ENV, "").strip() or None


def executor_for(scheduler: str | None = None, workers: int = 1) -> Executor:
    """The executor a command asked for: a Dask scheduler's address (``scheduler``, else the
    ``FPTHEORY_SCHEDULER`` environment variable), else ``workers`` local processes."""
    address = scheduler_address(scheduler)
    if address is None:
        return LocalExecutor(workers)
    if "://" not in address:
        raise FPTheoryError(f"--scheduler {address!r}: expected an address such as "
                            "tcp://127.0.0.1:8786")
    return DaskExecutor(address)


_CURRENT: contextvars.ContextVar[Executor | None] = contextvars.ContextVar("fptheory_executor",
                                                                          default=None)


@contextlib.contextmanager
def using(executor: Executor, *, close: bool = False) -> Iterator[Executor]:
    """Make ``executor`` the one :func:`current` returns inside the block."""
    token = _CURRENT.set(executor)
    try:
        yield executor
    finally:
        _CURRENT.reset(token)
        if close:
            executor.close()


def current() -> Executor:
    """The executor in force (:func:`using`), or one local process."""
    executor = _CURRENT.get()
    return executor if executor is not None else LocalExecutor(1)


def run_tasks(tasks: Sequence[Task], finished: Finished | None = None,
              executor: Executor | None = None) -> list[Any]:
    """Run ``tasks`` on ``executor`` (default: :func:`current`) and return their results in
    order; the first failure (in task order) is raised as a one-line :class:`TaskFailedError`
    naming the task, after every task has ended."""
    results = (executor or current()).run(tasks, finished)
    failures = [r for r in results if isinstance(r, TaskFailure)]
    if failures:
        more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
        raise TaskFailedError(f"task {failures[0]}{more}")
    return results
