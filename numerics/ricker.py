"""Ricker activation (1.8), a = 0.3 vs a = 0.1 (chapter figure 1.1).

The engine puts the Ricker transform's peak at k* = sqrt(2)/a; the smaller a = 0.1 should
obscure the low-to-high convergence order that a = 0.3 shows. The work is in
:mod:`fptheory.nets.experiments.ordering` (``ricker``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from fptheory.nets.experiments import study_result
from fptheory.report.studies import numerics_main


def run(size: str = "quick", out_dir: Path = Path("numerics/output"), seed: int = 0) -> dict:
    """Ricker a = 0.3 vs a = 0.1 (ricker)."""
    return study_result("ricker", ["ricker"], size, out_dir, seed)


if __name__ == "__main__":
    sys.exit(numerics_main(run))
