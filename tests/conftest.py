"""Test-wide settings.

Hypothesis runs derandomized by default, so the default suite (and CI) draws the same
examples every run and cannot pass or fail by luck of the draw. To explore new examples,
run ``HYPOTHESIS_PROFILE=explore pytest``.
"""

import os

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


@pytest.fixture(autouse=True)
def _private_cache_dir(tmp_path_factory, monkeypatch):
    """Every test writes its derived results to one temporary cache folder of the session,
    never to the user's cache (``FPTHEORY_CACHE_DIR``, inherited by child processes)."""
    monkeypatch.setenv("FPTHEORY_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "fptheory-cache"))


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.name in SMOKE_FILES and item.get_closest_marker("slow") is None:
            item.add_marker(pytest.mark.smoke)
