"""Deadlines (fptheory.core.deadlines): a deadline whose exception is swallowed — as the
interpreter does for one raised inside a gc callback or a __del__ — fires again, so the
block cannot run on without a limit."""

import time

import pytest

from fptheory.core.deadlines import DeadlineExceeded, bounded, deadline


def test_a_swallowed_deadline_fires_again():
    start = time.perf_counter()
    with pytest.raises(DeadlineExceeded):
        with deadline(0.2):
            try:
                time.sleep(5)
            except DeadlineExceeded:
                pass  # swallowed, as in a gc callback
            time.sleep(5)
    assert time.perf_counter() - start < 2.0


def test_a_block_left_in_time_is_not_interrupted_later():
    with deadline(0.5):
        pass
    time.sleep(0.7)  # no stray alarm after the block
    assert bounded(lambda: 42, 1.0, None) == 42


def test_bounded_returns_the_default_when_the_step_overruns():
    assert bounded(lambda: time.sleep(5), 0.1, "late") == "late"


def test_a_deadline_dropped_inside_a_gc_callback_is_not_printed():
    """The interpreter drops an exception raised in a gc callback or __del__ and prints its
    traceback; the deadline fires again, so its own report is kept quiet, others are not."""
    from types import SimpleNamespace

    from fptheory.core.deadlines import DeadlineExceeded, _quiet_deadlines
    seen = []
    hook = _quiet_deadlines(seen.append)
    hook(SimpleNamespace(exc_value=DeadlineExceeded("late")))
    assert seen == []
    other = SimpleNamespace(exc_value=KeyError("x"))
    hook(other)
    assert seen == [other]
