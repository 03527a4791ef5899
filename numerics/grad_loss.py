"""L_nongrad (1.22) vs L_grad (1.23) (chapter §1.1.2, figure 1.2).

With the input derivative in the loss the high frequency should converge relatively
earlier (a smaller ratio e5/e1 of convergence epochs). The work is in
:mod:`fptheory.nets.experiments.ordering` (``grad-loss``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from fptheory.nets.experiments import study_result
from fptheory.report.studies import numerics_main


def run(size: str = "quick", out_dir: Path = Path("numerics/output"), seed: int = 0) -> dict:
    """L_nongrad vs L_grad (grad-loss)."""
    return study_result("grad_loss", ["grad-loss"], size, out_dir, seed)


if __name__ == "__main__":
    sys.exit(numerics_main(run))
