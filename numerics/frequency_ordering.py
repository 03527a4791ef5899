"""Frequency ordering in a small-initialisation tanh net (chapter §1.1.1, (1.7), Theorem 1).

Fits sin x + sin 3x + sin 5x and measures, per DFT peak, the epoch from which the relative
error Δ_F stays below the threshold; the prediction is the order 1 < 3 < 5, over several
seeds. The work is in :mod:`fptheory.nets.experiments.ordering` (``tanh-ordering``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from fptheory.nets.experiments import study_result
from fptheory.report.studies import numerics_main


def run(size: str = "quick", out_dir: Path = Path("numerics/output"), seed: int = 0) -> dict:
    """Frequency ordering of a small-init tanh net (tanh-ordering)."""
    return study_result("frequency_ordering", ["tanh-ordering"], size, out_dir, seed)


if __name__ == "__main__":
    sys.exit(numerics_main(run))
