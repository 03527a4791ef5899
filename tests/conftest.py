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
