"""fptheory.nets.mlp: registry activations in torch, initialisation, losses (1.22)-(1.23) and the
on-device recorders, each against an independent computation."""

import math

import numpy as np
import pytest
from scipy.special import expit

from fptheory.core.errors import FPTheoryError
from fptheory.nets.spectral import shell_errors, shell_index

torch = pytest.importorskip("torch")

from fptheory.nets.mlp import (  # noqa: E402
    PeakRecorder,
    ShellRecorder,
    loss_grad,
    make_mlp,
    resolve_device,
    torch_activation,
    train,
)


def _ricker(x, a):  # (1.8) written out here, independently of the registry
    return math.pi ** 0.25 / (15 * a) * (1 - (x / a) ** 2) * np.exp(-((x / a) ** 2) / 2)


@pytest.mark.parametrize("name, params, reference", [
    ("tanh", {}, np.tanh),
    ("relu", {}, lambda x: np.maximum(x, 0)),
    ("sigmoid", {}, expit),
    ("ricker_chapter", {"a": 0.3}, lambda x: _ricker(x, 0.3)),
    ("ricker_chapter", {"a": 0.1}, lambda x: _ricker(x, 0.1)),
])
def test_torch_activation_from_the_registry_matches_an_independent_formula(name, params, reference):
    x = np.linspace(-3, 3, 101)
    got = torch_activation(name, **params)(torch.tensor(x, dtype=torch.float64)).numpy()
    assert np.allclose(got, reference(x), atol=1e-12)


def test_torch_activation_is_differentiable_and_rejects_bad_names_and_parameters():
    x = torch.linspace(-1, 1, 5, dtype=torch.float64, requires_grad=True)
    torch_activation("tanh")(x).sum().backward()
    assert torch.allclose(x.grad, 1 - torch.tanh(x.detach()) ** 2)
    with pytest.raises(FPTheoryError, match="unknown activation"):
        torch_activation("swish")
    with pytest.raises(FPTheoryError, match="needs a"):
        torch_activation("ricker_chapter")
    with pytest.raises(FPTheoryError, match="positive"):
        torch_activation("ricker_chapter", a=-1.0)
    with pytest.raises(FPTheoryError):
        torch_activation("heaviside")


def test_initialisation_std_t_rule_seeds_and_antisymmetry():
    net = make_mlp([1, 400, 400, 1], std=0.5, seed=3)
    assert float(net.weights[1].detach().std()) == pytest.approx(0.5, rel=0.02)
    net_t = make_mlp([1, 400, 1], t=0.5, seed=3)
    assert float(net_t.weights[0].detach().std()) == pytest.approx(400 ** -0.5, rel=0.1)
    again = make_mlp([1, 400, 400, 1], std=0.5, seed=3)
    assert all(torch.equal(a, b) for a, b in zip(net.parameters(), again.parameters(), strict=True))
    asi = make_mlp([1, 50, 50, 1], std=2.0, seed=1, antisymmetric=True)
    x = torch.linspace(-3, 3, 64)[:, None]
    assert torch.count_nonzero(asi(x)) == 0
    train(asi, x, torch.sin(x), epochs=3, lr=1e-2)
    assert float(asi(x).detach().abs().max()) > 0
    with pytest.raises(FPTheoryError):
        make_mlp([1, 10, 1], std=0.1, t=0.5)
    with pytest.raises(FPTheoryError):
        make_mlp([1, 10, 1], std=float("nan"))


def test_grad_loss_matches_central_finite_differences():
    net = make_mlp([1, 30, 30, 1], std=0.5, seed=0, dtype=torch.float64)
    x = torch.linspace(-2, 2, 41, dtype=torch.float64)[:, None].requires_grad_(True)
    y, dy = torch.sin(x.detach()), torch.cos(x.detach())
    value = float(loss_grad(net(x), y, x, dy).detach())
    h = 1e-5
    with torch.no_grad():
        xd = x.detach()
        fd = (net(xd + h) - net(xd - h)) / (2 * h)
        expected = float(((net(xd) - y) ** 2).mean() + ((fd - dy) ** 2).mean())
    assert value == pytest.approx(expected, rel=1e-8)


class _Both:
    """A recorder that also keeps every output, for the comparison."""

    def __init__(self, inner):
        self.inner, self.outputs = inner, []

    def __call__(self, epoch, out):
        self.inner(epoch, out)
        self.outputs.append(out.reshape(-1).double().numpy().copy())


def test_peak_recorder_equals_numpy_fft_of_the_recorded_outputs():
    n = 32
    x = torch.linspace(-math.pi, math.pi, n + 1)[:-1, None]
    y = torch.sin(x) + torch.sin(3 * x)
    net = make_mlp([1, 20, 1], std=0.3, seed=0)
    rec = _Both(PeakRecorder(n, [1, 3, 5], 10, 2, "cpu", torch.float32))
    train(net, x, y, epochs=10, lr=1e-2, recorder=rec)
    coeff = rec.inner.coefficients()
    assert coeff.shape == (5, 3) and rec.inner.epochs().tolist() == [0, 2, 4, 6, 8]
    expected = np.fft.fft(np.array(rec.outputs[::2]), axis=1)[:, [1, 3, 5]]
    assert np.allclose(coeff, expected, atol=1e-4)


@pytest.mark.parametrize("shape", [(8, 8), (66, 64)])  # matrix-product path and FFT path (> 4096 points)
def test_shell_recorder_equals_the_numpy_shell_errors(shape):
    rng = np.random.default_rng(0)
    target = rng.normal(size=shape)
    grid = np.meshgrid(np.linspace(-1, 1, shape[0]), np.linspace(-1, 1, shape[1]), indexing="ij")
    pts = torch.tensor(np.stack(grid, axis=-1).reshape(-1, 2), dtype=torch.float32)
    net = make_mlp([2, 16, 1], std=0.5, seed=0)
    rec = _Both(ShellRecorder(shape, target, 3, 4, 1, "cpu", torch.float32))
    train(net, pts, torch.tensor(target.reshape(-1, 1), dtype=torch.float32), epochs=4, lr=1e-2, recorder=rec)
    assert rec.inner.dense == (shape == (8, 8))
    shells = shell_index(shape, 3)
    expected = [shell_errors(np.fft.fft2(o.reshape(shape)), np.fft.fft2(target), shells, 3)
                for o in rec.outputs]
    assert np.allclose(rec.inner.errors(), expected, rtol=1e-4)


def test_training_reduces_the_loss_and_bad_arguments_are_one_line_errors():
    x = torch.linspace(-math.pi, math.pi, 32)[:, None]
    net = make_mlp([1, 32, 1], t=0.5, seed=0)
    res = train(net, x, torch.sin(x), epochs=200, lr=1e-2)
    assert res.losses[-1] < 0.1 * res.losses[0]
    for kwargs in ({"loss": "l1"}, {"loss": "grad"}, {"optimizer": "lbfgs"}, {"lr": -1.0}):
        with pytest.raises(FPTheoryError):
            train(net, x, torch.sin(x), **{"epochs": 2, "lr": 1e-3, **kwargs})


@pytest.mark.skipif(torch.cuda.is_available(), reason="tests the message for a machine without CUDA")
def test_cuda_without_a_gpu_is_a_one_line_error():
    with pytest.raises(FPTheoryError, match="CUDA is not available"):
        resolve_device("cuda")
    with pytest.raises(FPTheoryError):
        resolve_device("tpu")
