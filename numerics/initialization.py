"""Large vs small initialisation (chapter §1.2, figures 1.3-1.5), in 1-D and on a 2-D image.

Large initial weights should leave high frequencies in the trained output that the data
never remove: a larger test error and more output energy above the data's highest
frequency. The work is in :mod:`fptheory.nets.experiments.large_init` (``large-init-1d``, ``large-init-2d``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from fptheory.nets.experiments import study_result
from fptheory.report.studies import numerics_main


def run(size: str = "quick", out_dir: Path = Path("numerics/output"), seed: int = 0) -> dict:
    """Large vs small initialisation, 1-D and 2-D (large-init-1d, large-init-2d)."""
    return study_result("initialization", ["large-init-1d", "large-init-2d"], size, out_dir, seed)


if __name__ == "__main__":
    sys.exit(numerics_main(run))
