"""Test-wide settings.

Hypothesis runs derandomized by default, so the default suite (and CI) draws the same
examples every run and cannot pass or fail by luck of the draw. To explore new examples,
run ``HYPOTHESIS_PROFILE=explore pytest``.
"""

import os
import shutil
import tempfile

import pytest
from hypothesis import settings

settings.register_profile("default-derandomized", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default-derandomized"))

#: ``pytest -m smoke``: a quick check of every layer (under 2 minutes on 2 cores): the layout
#: contract, the parser, the kernel, conventions and distributions, claims, spectral metrics.
#: The files are chosen whole (not slow tests), so the selection cannot silently shrink.
SMOKE_FILES = {
    "test_layout.py",
    "test_parsing.py",
    "test_kernel.py",
    "test_conventions.py",
    "test_distributions.py",
    "test_activations.py",
    "test_claims.py",
    "test_spectral.py",
    "test_sections.py",
}


_PRIVATE_CACHE: list[str] = []


def pytest_configure(config):
    """Every test, fixture and child process writes its derived results to a temporary cache
    folder of this run, never to the user's cache: ``FPTHEORY_CACHE_DIR`` is set here, before
    any fixture runs (a module-scoped fixture runs before a function-scoped autouse one, so
    setting it in a fixture let the chapter's claims in test_proofs write to ~/.cache)."""
    folder = tempfile.mkdtemp(prefix="fptheory-test-cache-")
    _PRIVATE_CACHE.append(folder)
    os.environ["FPTHEORY_CACHE_DIR"] = folder


def pytest_unconfigure(config):
    for folder in _PRIVATE_CACHE:
        shutil.rmtree(folder, ignore_errors=True)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.name in SMOKE_FILES and item.get_closest_marker("slow") is None:
            item.add_marker(pytest.mark.smoke)


@pytest.fixture
def one_claim_proofs(tmp_path):
    """A proofs folder holding one script with one proved claim (label 1.43): the smallest
    input the report and check commands accept."""
    proofs = tmp_path / "proofs"
    proofs.mkdir()
    (proofs / "one.py").write_text(
        "import sympy as sp\nfrom fptheory.verify.claims import assess_identity, claim\n"
        "@claim('1.43', 'one identity')\n"
        "def one():\n    x = sp.Symbol('x')\n"
        "    return assess_identity(2*x, x + x, r'2x = x + x')\n")
    return proofs


@pytest.fixture
def refusal():
    """``refusal(certificate, statement, domain, leaves)``: the re-check's reason for refusing
    the certificate with those replaced — its source text too, so that the refusal is the
    rule's, not the mismatch between the statement and the text it was parsed from (which
    would refuse any tampering and test nothing). Fails when the re-check accepts it."""
    from fptheory.verify import Domain
    from fptheory.verify.certificates import recheck_certificate

    def refuse(certificate: dict, statement: str, domain: str, leaves: list[dict]) -> str:
        bad = dict(certificate, statement=statement, source=statement,
                   domain=Domain.parse(domain).to_dict(), leaves=leaves)
        check = recheck_certificate(bad)
        assert not check, leaves
        assert "leaf 1" in check.reason, check.reason  # the leaf's rule, not the statement
        return check.reason
    return refuse


@pytest.fixture
def certified():
    """``certified(statement, domain)``: the certificate of a statement the prover certifies
    (a generous limit: the machine may be loaded; speed is the benchmark's job), after
    asserting that the re-check accepts it."""
    from fptheory.verify import prove
    from fptheory.verify.certificates import recheck_certificate
    from fptheory.verify.claims import Verdict

    def certify(statement: str, domain: str) -> dict:
        r = prove(statement, domain, time_limit=120, max_boxes=10**6)
        assert r.verdict is Verdict.CERTIFIED, r.reason
        certificate = r.certificate()
        check = recheck_certificate(certificate)
        assert check, check.reason
        return certificate
    return certify



@pytest.fixture
def without_sums_of_squares(monkeypatch):
    """The exact sum of squares (fptheory.verify.sos), tried first where a side is
    unbounded and briefly on a bounded box in four or more variables, turned off: for
    tests of the other rules that use polynomials there."""
    from fptheory.verify import search

    monkeypatch.setattr(search, "sos_first", lambda *args, **options: None)


@pytest.fixture
def tampered():
    """``tampered(certificate, change)``: a deep copy of the certificate with ``change``
    applied to it (the original is left as it is, for the next tampering)."""
    import json

    def tamper(certificate: dict, change) -> dict:
        bad = json.loads(json.dumps(certificate))
        change(bad)
        return bad
    return tamper
