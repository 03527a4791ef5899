"""The five torch experiments at their quick sizes: the chapter's predictions must hold in every
seed (the sizes, seeds and thresholds were chosen where the effect is large: measured margins
are several-fold, see the README), the figures and JSON are written, and the CLI and the
numerics/ scripts follow their contracts."""

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from fptheory.cli import main
from fptheory.core.errors import FPTheoryError

ROOT = Path(__file__).resolve().parents[1]


def test_list_needs_no_torch(capsys):
    assert main(["experiment", "--list"]) == 0
    out = capsys.readouterr().out
    for name in ("tanh-ordering", "ricker", "grad-loss", "large-init-1d", "large-init-2d"):
        assert name in out


@pytest.mark.parametrize("argv, message", [
    (["experiment", "nope"], "unknown experiment 'nope'"),
    (["experiment"], "name an experiment"),
    (["experiment", "ricker", "--seeds", "0"], "--seeds"),
])
def test_bad_input_is_one_line_and_exit_2(capsys, argv, message):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_missing_torch_names_the_install_command(capsys, monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch now raises ImportError
    assert main(["experiment", "tanh-ordering", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "pip install 'fptheory[torch]'" in err and err.count("\n") == 1


def test_library_rejects_invalid_sizes_and_seeds():
    from fptheory.nets.experiments import run_experiment

    with pytest.raises(FPTheoryError, match="unknown size"):
        run_experiment("ricker", "medium", out_dir=None)
    with pytest.raises(FPTheoryError, match="seeds"):
        run_experiment("ricker", seeds=-2, out_dir=None)
    with pytest.raises(FPTheoryError, match="unknown experiment"):
        run_experiment("relu-ordering", out_dir=None)


def test_cuda_absent_is_one_line_and_exit_2(capsys, tmp_path):
    torch = pytest.importorskip("torch")
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    assert main(["experiment", "ricker", "--device", "cuda", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "CUDA is not available" in err and err.count("\n") == 1


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    pytest.importorskip("torch")
    from fptheory.nets.experiments import run_experiment

    out = tmp_path_factory.mktemp("experiments")
    names = ["tanh-ordering", "ricker", "grad-loss", "large-init-1d", "large-init-2d"]
    return {name: run_experiment(name, "quick", out_dir=out).to_dict() for name in names}


@pytest.mark.parametrize("name", ["tanh-ordering", "ricker", "grad-loss", "large-init-1d", "large-init-2d"])
def test_prediction_holds_in_every_seed_and_files_are_written(results, name):
    r = results[name]
    assert r["prediction_holds"] is True, r["verdict"]
    assert r["seeds_agreeing"] == r["seeds_total"] == 3
    assert all(row["agrees"] is True for row in r["per_seed"])
    assert Path(r["figures"][0]).stat().st_size > 10_000
    on_disk = json.loads(Path(r["json"]).read_text())
    assert on_disk["prediction_holds"] is True and on_disk["verdict"] == r["verdict"]
    assert r["verdict"].startswith("prediction holds")


def test_tanh_ordering_epochs_are_ordered_with_margin(results):
    r = results["tanh-ordering"]
    epochs = r["convergence_epochs"]
    assert set(epochs) == {"1", "3", "5"}
    for row in r["per_seed"]:
        e = row["convergence_epochs"]
        assert None not in e.values()
        assert 3 * e["1"] < e["3"] < e["5"]  # large gaps, not a coin flip
    w = r["engine_gradient_weights"]
    assert w["1"] > w["3"] > w["5"] > 0  # the engine's transform predicts the same order


def test_ricker_uses_the_engine_peak_and_a01_compresses_the_order(results):
    r = results["ricker"]
    pred = r["engine_prediction"]
    assert pred["0.3"]["k_star"] == pytest.approx(2 ** 0.5 / 0.3)
    assert pred["0.1"]["k_star"] == pytest.approx(2 ** 0.5 / 0.1)
    assert pred["0.1"]["G5_over_G1"] > pred["0.3"]["G5_over_G1"]
    for row in r["per_seed"]:
        assert row["spread_a=0.3"] >= 2 * row["spread_a=0.1"]


def test_grad_loss_makes_the_high_frequency_relatively_earlier(results):
    for row in results["grad-loss"]["per_seed"]:
        assert row["ratio_grad"] * 1.5 <= row["ratio_nongrad"]
        assert row["epochs_grad"]["5"] < row["epochs_nongrad"]["5"]


def test_large_init_leaves_high_frequencies(results):
    one = results["large-init-1d"]
    assert one["cutoff"] == 7.0 and one["data_highest_frequency"] == 5.0
    for row in one["per_seed"]:
        assert row["large"]["initial_high_freq_rms"] > 10 * row["small"]["initial_high_freq_rms"]
        assert row["large"]["high_freq_rms"] > 2 * row["small"]["high_freq_rms"]
    two = results["large-init-2d"]
    for row in two["per_seed"]:
        assert row["large"]["test_rmse"] > 1.5 * row["small"]["test_rmse"]
        assert row["large"]["filtered_e_high"] > row["small"]["filtered_e_high"]


def test_cli_json_and_numerics_script_contract(results, capsys, tmp_path):
    # identical runs are reused within the process, so these are cheap after the fixture
    assert main(["experiment", "tanh-ordering", "--json", "--out", str(tmp_path)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["prediction_holds"] is True and out["seeds_agreeing"] == 3
    assert out["convergence_epochs"] == results["tanh-ordering"]["convergence_epochs"]
    script = ROOT / "numerics" / "frequency_ordering.py"
    spec = importlib.util.spec_from_file_location("frequency_ordering", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    d = module.run("quick", tmp_path, 0)
    for key in ("study", "title", "chapter", "verdict", "prediction_holds", "figures"):
        assert key in d
    assert d["study"] == "frequency_ordering" and Path(d["json"]).exists()
    assert Path(d["figures"][0]).exists()
