"""Test-wide settings.

Hypothesis runs derandomized by default, so the default suite (and CI) draws the same
examples every run and cannot pass or fail by luck of the draw. To explore new examples,
run ``HYPOTHESIS_PROFILE=explore pytest``.
"""

import os

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


def pytest_collection_modifyitems(config, items):
    import pytest

    for item in items:
        if item.path.name in SMOKE_FILES and item.get_closest_marker("slow") is None:
            item.add_marker(pytest.mark.smoke)
