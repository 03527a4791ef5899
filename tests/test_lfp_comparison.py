"""fptheory.nets.lfp_comparison: figure 1.6, the trained ReLU net against LFP (torch), and the
torch install hint of fptheory.nets.lfp_relu."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from fptheory.core.errors import FPTheoryError


def test_torch_missing_gives_install_hint(monkeypatch):
    from fptheory.nets.lfp_relu import require_torch

    monkeypatch.setitem(sys.modules, "torch", None)
    with pytest.raises(FPTheoryError, match=r"pip install 'fptheory\[torch\]'"):
        require_torch()


# ------------------------------------------------------------------ torch


def test_nn_case_a_is_linear_and_close_to_lfp():
    pytest.importorskip("torch")
    from fptheory.nets.lfp_comparison import compare_nn_lfp

    r = compare_nn_lfp("a", width=1000, seed=3, antisymmetric=True, grid_points=101, K=50)
    assert r.net["converged"] and r.net["max_residual"] < 1e-8
    assert np.max(np.abs(r.curves["nn"] - r.curves["linearised"])) < 1e-5  # NTK regime
    d = r.distances
    assert d["lfp-cubic"]["max"] < d["lfp-linear"]["max"] / 10
    assert d["nn-cubic"]["max"] < d["nn-linear"]["max"] / 5


@pytest.mark.slow
def test_nn_case_b_follows_the_full_kernel_at_large_width():
    pytest.importorskip("torch")
    from fptheory.nets.lfp_comparison import compare_nn_lfp

    r = compare_nn_lfp("b", width=64_000, seed=0, antisymmetric=True)
    d = r.distances
    assert d["nn-kernel_full"]["max"] < d["nn-lfp"]["max"] / 3
    assert "w-gradient feature" in r.finding


@pytest.mark.slow
def test_numerics_quick(tmp_path):
    pytest.importorskip("torch")
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "numerics" / "lfp_vs_nn.py"
    spec = importlib.util.spec_from_file_location("lfp_vs_nn", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    res = mod.run("quick", tmp_path, 0)
    assert res["study"] == "lfp_vs_nn" and all(Path(f).exists() for f in res["figures"])
    assert res["prediction_holds"] in (True, False)
