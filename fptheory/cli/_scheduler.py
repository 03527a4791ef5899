"""``--scheduler``: the commands that fan work out run it on a Dask cluster when asked
(:mod:`fptheory.core.execution`); without it, on local processes as before."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator

from fptheory.core.errors import FPTheoryError
from fptheory.core.execution import SCHEDULER_ENV, Executor, executor_for, using

__all__ = ["add_scheduler", "executor_from"]


def add_scheduler(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--scheduler", metavar="ADDRESS", default=None,
        help=f"run {what} on the workers of a Dask scheduler, e.g. tcp://127.0.0.1:8786 "
             f"(default: ${SCHEDULER_ENV} if set, else this machine); needs "
             "pip install 'fptheory[dask]'")


@contextlib.contextmanager
def executor_from(args: argparse.Namespace, workers: int = 1,
                  workers_option: str = "--workers") -> Iterator[Executor]:
    """The executor the command line asked for, in force (and closed) inside the block."""
    if getattr(args, "scheduler", None) and workers > 1:
        raise FPTheoryError(f"give --scheduler or {workers_option}, not both (the cluster's "
                            "workers replace the local processes)")
    with using(executor_for(getattr(args, "scheduler", None), workers), close=True) as executor:
        yield executor
