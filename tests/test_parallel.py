"""The second process of a long search (fptheory.verify.parallel): its half of the open
boxes comes back as leaves of one re-checkable certificate, its refutation is the verdict,
its failure makes the verdict unknown, and it is not started where it must not be."""

import os

import pytest

from fptheory.verify import parallel
from fptheory.verify.certificates import recheck_certificate
from fptheory.verify.claims import Verdict
from fptheory.verify.search import certify

#: x⁴ - 3x²y + y³ has its minimum -1 at (0, -1) on this square
DOMAIN = "-1<=x<=1, -1<=y<=1"


@pytest.fixture
def fork_at_once(monkeypatch):
    """Fork at the first chance, and give the child every open box (the parent none), so
    that everything the result holds went through the child and the merge."""
    monkeypatch.setattr(parallel, "FORK_AFTER", 0.0)
    monkeypatch.setenv("FPTHEORY_PROVE_WORKERS", "2")
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    split = parallel.Half.split

    def all_to_the_child(self, queue):
        split(self, queue)
        return queue if self.child else []
    monkeypatch.setattr(parallel.Half, "split", all_to_the_child)


def test_a_certificate_built_by_the_second_process_rechecks(fork_at_once):
    r = certify("x**4 - 3*x**2*y + y**3 + 3/2 >= 0", DOMAIN, samples=0, hunt=False,
                time_limit=60)
    assert r.verdict is Verdict.CERTIFIED, r.reason
    assert r.leaves
    assert recheck_certificate(r.certificate())


def test_the_second_process_refutes(fork_at_once):
    r = certify("x**4 - 3*x**2*y + y**3 + 1/2 > 1/2 + 1/10**6", DOMAIN, samples=0,
                hunt=False, time_limit=60)
    assert r.verdict is Verdict.REFUTED


def test_a_failing_second_process_leaves_the_verdict_unknown(fork_at_once, monkeypatch):
    def broken(self, payload):
        if self.child:
            os._exit(3)  # dies without a word
    monkeypatch.setattr(parallel.Half, "send", broken)
    r = certify("x**4 - 3*x**2*y + y**3 + 3/2 >= 0", DOMAIN, samples=0, hunt=False,
                time_limit=60)
    assert r.verdict is Verdict.UNKNOWN
    assert "second process" in r.reason
    assert not r.leaves


def test_no_fork_where_it_is_not_wanted(monkeypatch):
    monkeypatch.setattr(parallel, "FORK_AFTER", 0.0)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    far = 1e9
    monkeypatch.setenv("FPTHEORY_PROVE_WORKERS", "1")
    assert not parallel.may_fork(0.0, far, 10)
    monkeypatch.setenv("FPTHEORY_PROVE_WORKERS", "2")
    assert parallel.may_fork(0.0, far, 10) == (parallel.threading.active_count() == 1)
    assert not parallel.may_fork(0.0, far, 1)            # nothing to share
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 1)
    assert not parallel.may_fork(0.0, far, 10)           # one core


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
