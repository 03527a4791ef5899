"""The second process of a long search (fptheory.verify.parallel): its half of the open
boxes comes back as leaves of one re-checkable certificate, its refutation is the verdict,
its failure makes the verdict unknown, and it is not started where it must not be."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fptheory.verify import parallel
from fptheory.verify.certificates import recheck_certificate
from fptheory.verify.claims import Verdict
from fptheory.verify.search import certify

#: x⁴ - 3x²y + y³ has its minimum -1 at (0, -1) on this square
DOMAIN = "-1<=x<=1, -1<=y<=1"


def _fork_at_once(boxes_to: str = "child") -> None:
    """Fork at the first chance, and give every open box to one side, the other none: to
    the child, so that everything the result holds went through the child and the merge;
    to the parent, so that the child starts out of boxes and must ask for some (in the
    fresh interpreter of :func:`_in_a_fresh_interpreter`: patched for good there)."""
    parallel.FORK_AFTER = 0.0
    os.environ["FPTHEORY_PROVE_WORKERS"] = "2"
    parallel.os.cpu_count = lambda: 2
    split = parallel.Half.split

    def all_to_one_side(self, queue):
        split(self, queue)
        return queue if self.child == (boxes_to == "child") else []
    parallel.Half.split = all_to_one_side


def _in_a_fresh_interpreter(scenario: str) -> None:
    """Run ``scenario`` (a function of this file) in a new Python process: a search forks
    only in a process with one thread, and other tests may leave one behind in this one
    (Dask's IO loop)."""
    path = os.pathsep.join([str(Path(__file__).parent), *sys.path])
    done = subprocess.run([sys.executable, "-c", f"import test_parallel; test_parallel.{scenario}()"],
                          env=dict(os.environ, PYTHONPATH=path), capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]


def scenario_a_certificate_built_by_the_second_process_rechecks() -> None:
    _fork_at_once()
    assert parallel.threading.active_count() == 1  # so the search forks
    r = certify("x**4 - 3*x**2*y + y**3 + 3/2 >= 0", DOMAIN, samples=0, hunt=False,
                time_limit=60)
    assert r.verdict is Verdict.CERTIFIED, r.reason
    assert r.leaves
    assert recheck_certificate(r.certificate())


def scenario_the_second_process_refutes() -> None:
    _fork_at_once()
    r = certify("x**4 - 3*x**2*y + y**3 + 1/2 > 1/2 + 1/10**6", DOMAIN, samples=0,
                hunt=False, time_limit=60)
    assert r.verdict is Verdict.REFUTED


def scenario_a_failing_second_process_leaves_the_verdict_unknown() -> None:
    _fork_at_once()

    def broken(self, payload):
        if self.child:
            os._exit(3)  # dies without a word
    parallel.Half.send = broken
    r = certify("x**4 - 3*x**2*y + y**3 + 3/2 >= 0", DOMAIN, samples=0, hunt=False,
                time_limit=60)
    assert r.verdict is Verdict.UNKNOWN
    assert "second process" in r.reason
    assert not r.leaves


def scenario_the_parent_out_of_boxes_takes_some_from_the_second_process() -> None:
    """The parent keeps no box at the fork: it asks at once, the child hands over the older
    half of its open boxes (more than once), and the leaves of both halves — each box
    searched by one process only — make one certificate that rechecks."""
    _fork_at_once()
    taken: list[int] = []
    more = parallel.Half.more

    def counting(self, deadline):
        out = more(self, deadline)
        taken.append(len(out))
        return out
    parallel.Half.more = counting
    donate = parallel.Half.donate

    def patient(self, queue):  # the child waits for the first ask (a busy machine is slow)
        until = time.monotonic() + 30
        while not (self.asked or getattr(self, "gave", False)) and time.monotonic() < until:
            time.sleep(0.01)
        out = donate(self, queue)
        self.gave = getattr(self, "gave", False) or len(out) < len(queue)
        return out
    parallel.Half.donate = patient
    r = certify("x**4 - 3*x**2*y + y**3 + 3/2 >= 0", DOMAIN, samples=0, hunt=False,
                time_limit=60)
    assert r.verdict is Verdict.CERTIFIED, r.reason
    assert sum(taken) > 0 and taken[-1] == 0, taken
    boxes = [tuple(map(tuple, leaf.box.values())) for leaf in r.leaves]
    assert len(boxes) == len(set(boxes))
    assert recheck_certificate(r.certificate())


@pytest.mark.parametrize("scenario", [
    "scenario_a_certificate_built_by_the_second_process_rechecks",
    "scenario_the_parent_out_of_boxes_takes_some_from_the_second_process",
    "scenario_the_second_process_refutes",
    "scenario_a_failing_second_process_leaves_the_verdict_unknown",
])
def test_the_second_process(scenario):
    _in_a_fresh_interpreter(scenario)


def scenario_no_fork_where_it_is_not_wanted() -> None:
    assert parallel.threading.active_count() == 1
    parallel.FORK_AFTER = 0.0
    parallel.os.cpu_count = lambda: 2
    far = 1e9
    os.environ["FPTHEORY_PROVE_WORKERS"] = "1"
    assert not parallel.may_fork(0.0, far, 10)
    os.environ["FPTHEORY_PROVE_WORKERS"] = "2"
    assert parallel.may_fork(0.0, far, 10)
    assert not parallel.may_fork(0.0, far, 1)            # nothing to share
    parallel.os.cpu_count = lambda: 1
    assert not parallel.may_fork(0.0, far, 10)           # one core


def test_no_fork_where_it_is_not_wanted():
    _in_a_fresh_interpreter("scenario_no_fork_where_it_is_not_wanted")


def test_no_fork_in_a_threaded_process(monkeypatch):
    """A fork copies only the calling thread: with another thread alive, no fork."""
    monkeypatch.setattr(parallel, "FORK_AFTER", 0.0)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    monkeypatch.setenv("FPTHEORY_PROVE_WORKERS", "2")
    stop = parallel.threading.Event()
    other = parallel.threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not parallel.may_fork(0.0, 1e9, 10)
    finally:
        stop.set()
        other.join()


def test_the_merge_of_the_two_halves():
    """The child's refutation wins over the parent's unknown or certified; a certificate
    needs both halves certified; a missing child result makes it unknown."""
    from fptheory.verify.results import CertifyResult, Leaf

    def result(verdict, leaves=(), reason=""):
        r = CertifyResult("x >= 0", verdict, {"x": ["0", "1", False, False]})
        r.leaves, r.reason, r.boxes = list(leaves), reason, 3
        return r
    left, right = Leaf({"x": ["0", "1/2"]}, "interval"), Leaf({"x": ["1/2", "1"]}, "interval")
    refuted = result(Verdict.REFUTED)
    assert parallel.merge_halves(result(Verdict.UNKNOWN, reason="budget"), "result",
                                 refuted) is refuted
    assert parallel.merge_halves(result(Verdict.CERTIFIED, [left]), "result",
                                 refuted) is refuted
    both = parallel.merge_halves(result(Verdict.CERTIFIED, [left]), "result",
                                 result(Verdict.CERTIFIED, [right]))
    assert both.verdict is Verdict.CERTIFIED and both.leaves == [left, right]
    assert both.boxes == 6
    half = parallel.merge_halves(result(Verdict.CERTIFIED, [left]), "result",
                                 result(Verdict.UNKNOWN, reason="time budget exhausted"))
    assert half.verdict is Verdict.UNKNOWN and not half.leaves
    assert half.reason == "time budget exhausted"
    lost = parallel.merge_halves(result(Verdict.CERTIFIED, [left]), "error", "it died")
    assert lost.verdict is Verdict.UNKNOWN and lost.reason == "it died"
    mine = result(Verdict.UNKNOWN, reason="budget")
    assert parallel.merge_halves(mine, "error", "it died") is mine


def _count_hand_overs() -> list[int]:
    """The sizes of the parent's hand-overs, as they happen."""
    given: list[int] = []
    give = parallel.Half.give

    def counting(self, queue):
        out = give(self, queue)
        if len(out) < len(queue):
            given.append(len(queue) - len(out))
        return out
    parallel.Half.give = counting
    return given


def scenario_the_second_process_out_of_boxes_takes_some_from_the_parent() -> None:
    """The child asks at once, the parent hands over the older half of its open boxes
    (more than once), the child's result says it read every hand-over, and the leaves of
    both halves — each box searched by one process only — make one certificate."""
    _fork_at_once(boxes_to="parent")
    given = _count_hand_overs()
    r = certify("x**4 - 3*x**2*y + y**3 + 3/2 >= 0", DOMAIN, samples=0, hunt=False,
                time_limit=60)
    assert r.verdict is Verdict.CERTIFIED, r.reason
    assert given, "the parent handed over no boxes"
    boxes = [tuple(map(tuple, leaf.box.values())) for leaf in r.leaves]
    assert len(boxes) == len(set(boxes))
    assert recheck_certificate(r.certificate())


def scenario_boxes_handed_over_and_not_read_are_searched_by_the_parent() -> None:
    """The child asks, then ends without reading the parent's answer: its result says it
    read none, so the parent takes that hand-over back and searches it; the certificate
    still covers the domain."""
    _fork_at_once(boxes_to="parent")
    given = _count_hand_overs()

    def ask_and_leave(self, deadline):
        os.kill(os.getppid(), parallel.signal.SIGUSR2)
        time.sleep(1.0)  # the parent answers meanwhile; the answer is never read
        return []
    parallel.Half.ask_parent = ask_and_leave
    r = certify("x**4 - 3*x**2*y + y**3 + 3/2 >= 0", DOMAIN, samples=0, hunt=False,
                time_limit=60)
    assert r.verdict is Verdict.CERTIFIED, r.reason
    assert given, "the parent handed over no boxes"
    assert recheck_certificate(r.certificate())


@pytest.mark.parametrize("scenario", [
    "scenario_the_second_process_out_of_boxes_takes_some_from_the_parent",
    "scenario_boxes_handed_over_and_not_read_are_searched_by_the_parent",
])
def test_the_parent_shares_with_the_second_process(scenario):
    _in_a_fresh_interpreter(scenario)
