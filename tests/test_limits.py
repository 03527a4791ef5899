"""Deadlines: an inner bounded step never swallows the outer limit (a time limit is a
deadline, not a suggestion)."""

import time

import pytest

from fptheory.verify.limits import DeadlineExceeded, bounded, deadline


def test_inner_bounded_step_returns_its_default_on_its_own_limit():
    with deadline(5):
        assert bounded(lambda: time.sleep(2), 0.05, "default") == "default"


def test_outer_limit_passing_inside_a_longer_inner_step_propagates():
    started = time.monotonic()
    with pytest.raises(DeadlineExceeded):
        with deadline(0.2):
            bounded(lambda: time.sleep(3), 5.0, "default")
    assert time.monotonic() - started < 1.5


def test_outer_limit_passing_during_a_run_of_inner_steps_propagates():
    """Many short bounded steps, each well inside its own limit: the outer one still ends them."""
    started = time.monotonic()
    with pytest.raises(DeadlineExceeded):
        with deadline(0.3):
            for _ in range(100):
                bounded(lambda: time.sleep(0.05), 1.0, None)
    assert time.monotonic() - started < 1.5


def test_identity_check_keeps_its_time_limit():
    """Found by the tutorial: the sampling loop of an identity ran minutes past --time-limit,
    each exact comparison's own 5 s bound swallowing the outer deadline."""
    from fptheory.verify.statement import prove

    started = time.monotonic()
    result = prove("tanh(x) == (exp(2*x) - 1)/(exp(2*x) + 1)", "x real", time_limit=2)
    assert time.monotonic() - started < 10
    # (whether sympy's simplification finishes inside 2 s depends on the machine: proved,
    # or sampled — evidence, not proof — or unknown; never a proof past the deadline)
    assert result.verdict.value in ("proved", "sampled", "unknown")
