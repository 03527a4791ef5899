r"""Small fully connected nets in torch, their losses (1.22)-(1.23) and a training loop that
records the spectral metrics of :mod:`fptheory.nets.spectral` on the device.

torch is optional: this module imports it only inside its functions
(:func:`require_torch`), so ``import fptheory.nets.mlp`` works without it and every entry
point raises :class:`~fptheory.core.errors.FPTheoryError` naming ``pip install 'fptheory[torch]'``.

**Net.** :math:`h(x) = W_L\,\sigma(\cdots\sigma(W_1 x + b_1)\cdots) + b_L`, written
functionally over a list of parameter tensors (no ``nn.Module`` subclass, so nothing here
needs torch at import time). Activations come from the registry
(:mod:`fptheory.fourier.activations`): the sympy expression is turned into a torch callable by
``sympy.lambdify(..., modules="torch")`` (sympy's ``TorchPrinter``), with two documented
translations: ``max`` (sympy's ``Max``) → elementwise ``torch.maximum`` over the
arguments, and ``pow`` → Python's ``**`` (``torch.pow`` rejects two plain floats, which
the printer emits for constants such as :math:`\pi^{1/4}`).

**Initialisation.** Every weight and bias is drawn from :math:`N(0, \mathrm{std}^2)` with
an explicit ``std`` or :math:`\mathrm{std} = 1/m^t` (m the first hidden width; the book's
code), from a seeded ``torch.Generator`` on the CPU (the same numbers on every device).
*Antisymmetric* initialisation: :math:`h(x) = (h_\theta(x) - h_{\theta'}(x))/\sqrt 2`
with :math:`\theta' = \theta` at the start (both trained), so :math:`h \equiv 0` initially.

**Losses.**

.. math:: L_{\rm nongrad} = \frac1n\sum_i (h(x_i) - f(x_i))^2 \quad (1.22),\qquad
          L_{\rm grad} = L_{\rm nongrad} + \frac1n\sum_i |\nabla_x h(x_i) - \nabla_x f(x_i)|^2
          \quad (1.23),

the input derivative by autograd (``create_graph=True``).

**Recording.** Per epoch, the output at the start of the epoch (the forward pass the step
uses, so no extra pass) goes into a preallocated device buffer: for 1-D grids the DFT
coefficients at the selected bins (``y @ E``, E from :func:`fptheory.nets.spectral.dft_submatrix`),
for n-D grids the per-shell :math:`\Delta_F` of the n-D DFT (also by matrix products). No
output history is kept.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp

from fptheory.core.errors import FPTheoryError
from fptheory.fourier.activations import X, activation

from .spectral import dft_submatrix, shell_index

__all__ = [
    "INSTALL_HINT",
    "require_torch",
    "resolve_device",
    "torch_activation",
    "MLP",
    "make_mlp",
    "loss_nongrad",
    "loss_grad",
    "PeakRecorder",
    "ShellRecorder",
    "TrainResult",
    "train",
]

INSTALL_HINT = "pip install 'fptheory[torch]' (torch==2.13.0)"


def require_torch(threads: int | None = 1):
    """Import torch (one-line FPTheoryError naming the install command when it is missing)
    and set its intra-op thread count (1 by default: measured fastest on these 2-core
    machines, see benchmarks/bench_experiments.py)."""
    try:
        import torch
    except ImportError:
        raise FPTheoryError(f"the torch experiments need torch: {INSTALL_HINT}") from None
    if threads is not None and torch.get_num_threads() != threads:
        torch.set_num_threads(threads)
    return torch


def resolve_device(name: str):
    """``cpu`` or ``cuda`` as a torch.device; cuda without a GPU is a one-line error."""
    torch = require_torch()
    if name not in ("cpu", "cuda"):
        raise FPTheoryError(f"unknown device {name!r}; use cpu or cuda")
    if name == "cuda" and not torch.cuda.is_available():
        raise FPTheoryError("--device cuda: CUDA is not available on this machine (torch "
                            f"{torch.__version__}); use --device cpu")
    return torch.device(name)


def _torch_max(*args):
    torch = require_torch(None)
    ref = next(a for a in args if isinstance(a, torch.Tensor))
    tensors = [a if isinstance(a, torch.Tensor) else torch.as_tensor(a, dtype=ref.dtype, device=ref.device)
               for a in args]
    return functools.reduce(torch.maximum, tensors)


def _pow(a, b):
    return a**b


@functools.lru_cache(maxsize=32)
def _lambdified(name: str, params: tuple[tuple[str, float], ...]) -> Callable:
    act = activation(name)
    values = dict(params)
    missing = [p.name for p in act.parameters if p.name not in values]
    if missing:
        raise FPTheoryError(f"activation {name} needs {', '.join(missing)} (e.g. a=0.3)")
    extra = set(values) - {p.name for p in act.parameters}
    if extra:
        raise FPTheoryError(f"activation {name} has no parameter {', '.join(sorted(extra))}")
    for key, v in values.items():
        if not (math.isfinite(v) and v > 0):
            raise FPTheoryError(f"activation {name}: {key} must be a positive number (got {v})")
    expr = act.expression.subs({p: values[p.name] for p in act.parameters})
    if expr.has(sp.Heaviside, sp.DiracDelta, sp.sign):
        raise FPTheoryError(f"activation {name} is not differentiable almost everywhere in a useful "
                            "sense for training; use tanh, relu, sigmoid or ricker_chapter")
    require_torch(None)
    return sp.lambdify(X, expr, modules=[{"max": _torch_max, "pow": _pow}, "torch"])


def torch_activation(name: str, **params: float) -> Callable:
    """The registry's activation ``name`` as a torch callable (generated from its sympy
    expression); parameters such as the Ricker ``a`` by keyword."""
    return _lambdified(name, tuple(sorted((k, float(v)) for k, v in params.items())))


@dataclass
class MLP:
    """A fully connected net as plain parameter tensors; ``twin`` holds θ' of the
    antisymmetric initialisation."""

    weights: list[Any]
    biases: list[Any]
    activation: Callable
    twin: MLP | None = None

    def parameters(self) -> list[Any]:
        own = [*self.weights, *self.biases]
        return own + (self.twin.parameters() if self.twin is not None else [])

    def _forward(self, x):
        torch = require_torch(None)
        f = torch.nn.functional.linear
        h = x
        for w, b in zip(self.weights[:-1], self.biases[:-1], strict=True):
            h = self.activation(f(h, w, b))
        return f(h, self.weights[-1], self.biases[-1])

    def __call__(self, x):
        out = self._forward(x)
        if self.twin is not None:
            out = (out - self.twin._forward(x)) / math.sqrt(2.0)
        return out


def make_mlp(widths: Sequence[int], act: str = "tanh", *, std: float | None = None,
             t: float | None = None, antisymmetric: bool = False, seed: int = 0,
             device: Any = "cpu", dtype: Any = None, act_params: dict[str, float] | None = None) -> MLP:
    """A net with layer widths ``widths`` (input, hidden..., output); N(0, std²) weights and
    biases, std explicit or 1/m^t with m = widths[1]."""
    torch = require_torch()
    if len(widths) < 2 or any(int(w) != w or w < 1 for w in widths):
        raise FPTheoryError(f"widths must be >= 2 positive integers (got {list(widths)})")
    if (std is None) == (t is None):
        raise FPTheoryError("give exactly one of std (explicit) or t (std = 1/m^t)")
    if std is None:
        std = float(widths[1]) ** (-float(t))  # type: ignore[arg-type]
    if not (math.isfinite(std) and std > 0):
        raise FPTheoryError(f"the initial std must be a positive number (got {std})")
    dtype = dtype or torch.float32
    gen = torch.Generator().manual_seed(int(seed))
    weights, biases = [], []
    for fan_in, fan_out in zip(widths[:-1], widths[1:], strict=False):
        w = torch.randn(fan_out, fan_in, generator=gen, dtype=torch.float64) * std
        b = torch.randn(fan_out, generator=gen, dtype=torch.float64) * std
        weights.append(w.to(device=device, dtype=dtype).requires_grad_(True))
        biases.append(b.to(device=device, dtype=dtype).requires_grad_(True))
    sigma = torch_activation(act, **(act_params or {}))
    net = MLP(weights, biases, sigma)
    if antisymmetric:
        net.twin = MLP([w.detach().clone().requires_grad_(True) for w in weights],
                       [b.detach().clone().requires_grad_(True) for b in biases], sigma)
    return net


def loss_nongrad(out, y):
    """(1.22): mean of (h(x_i) - f(x_i))²."""
    return ((out - y) ** 2).mean()


def loss_grad(out, y, x, dy):
    """(1.23): (1.22) plus the mean squared error of the input gradient (autograd)."""
    torch = require_torch(None)
    (dh,) = torch.autograd.grad(out.sum(), x, create_graph=True)
    return loss_nongrad(out, y) + ((dh - dy) ** 2).sum(dim=1).mean()


class PeakRecorder:
    """Records the DFT coefficients :math:`\\hat h_j` at ``bins`` of a 1-D grid output every
    ``every`` epochs into a device buffer (one small matrix product per record)."""

    def __init__(self, n: int, bins: Sequence[int], epochs: int, every: int, device: Any, dtype: Any):
        torch = require_torch(None)
        e = dft_submatrix(n, bins)
        self.n_bins = len(bins)
        self.every = every
        self.matrix = torch.as_tensor(np.hstack([e.real, e.imag]), dtype=dtype, device=device)
        self.buffer = torch.zeros((epochs // every + 1, 2 * self.n_bins), dtype=dtype, device=device)
        self.count = 0

    def __call__(self, epoch: int, out) -> None:
        if epoch % self.every == 0:
            self.buffer[self.count] = out.reshape(-1) @ self.matrix
            self.count += 1

    def epochs(self) -> np.ndarray:
        return np.arange(self.count) * self.every

    def coefficients(self) -> np.ndarray:
        """Complex array (records x bins)."""
        b = self.buffer[: self.count].detach().cpu().double().numpy()
        return b[:, : self.n_bins] + 1j * b[:, self.n_bins:]


class ShellRecorder:
    """Records the per-shell :math:`\\Delta_F` of the n-D DFT of a grid output (reshaped to
    ``shape``) against the target's every ``every`` epochs.

    The n-D DFT matrix (Kronecker product of 1-D ones, real and imaginary parts side by
    side) and the shell indicator are precomputed, so a record is two matrix products on
    the device: :math:`((yE - \\hat f)^2) S`. Grids of more than 4096 points, where that matrix
    would be large, use ``torch.fft.fftn`` and a scatter-add instead.
    """

    def __init__(self, shape: tuple[int, ...], target: np.ndarray, n_shells: int, epochs: int,
                 every: int, device: Any, dtype: Any):
        torch = require_torch(None)
        self.shape, self.every, self.n_shells = shape, every, n_shells
        shells = shell_index(shape, n_shells)
        keep = shells >= 0
        spec = np.fft.fftn(np.asarray(target, dtype=float).reshape(shape))
        den = np.bincount(shells[keep], np.abs(spec[keep]) ** 2, n_shells)
        if np.any(den == 0):
            raise FPTheoryError("the target has no energy in some frequency shell; use fewer shells")
        self.den = torch.as_tensor(den, dtype=dtype, device=device)
        self.dense = int(np.prod(shape)) <= 4096
        if self.dense:
            full = functools.reduce(np.kron, [dft_submatrix(s, np.arange(s)) for s in shape])
            cols = full[:, keep.ravel()]
            self.matrix = torch.as_tensor(np.hstack([cols.real, cols.imag]), dtype=dtype, device=device)
            kept = spec.ravel()[keep.ravel()]
            self.target = torch.as_tensor(np.concatenate([kept.real, kept.imag]), dtype=dtype, device=device)
            onehot = np.eye(n_shells)[shells.ravel()[keep.ravel()]]
            self.indicator = torch.as_tensor(np.vstack([onehot, onehot]), dtype=dtype, device=device)
        else:
            self.index = torch.as_tensor(shells[keep], device=device)
            self.keep = torch.as_tensor(keep, device=device)
            self.target = torch.as_tensor(spec, device=device).to(torch.complex64)
        self.buffer = torch.zeros((epochs // every + 1, n_shells), dtype=dtype, device=device)
        self.count = 0

    def __call__(self, epoch: int, out) -> None:
        if epoch % self.every:
            return
        torch = require_torch(None)
        if self.dense:
            num = ((out.reshape(-1) @ self.matrix - self.target) ** 2) @ self.indicator
        else:
            diff = torch.fft.fftn(out.reshape(self.shape)) - self.target
            num = torch.zeros(self.n_shells, dtype=self.den.dtype, device=self.den.device)
            num.scatter_add_(0, self.index, (diff.abs() ** 2)[self.keep])
        self.buffer[self.count] = torch.sqrt(num / self.den)
        self.count += 1

    def epochs(self) -> np.ndarray:
        return np.arange(self.count) * self.every

    def errors(self) -> np.ndarray:
        return self.buffer[: self.count].detach().cpu().double().numpy()


@dataclass
class TrainResult:
    """Loss per epoch and the net's outputs after training (numpy)."""

    losses: np.ndarray
    final_train: np.ndarray
    final_test: np.ndarray | None = None
    initial_test: np.ndarray | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def train(net: MLP, x, y, *, epochs: int, lr: float, loss: str = "nongrad", dy=None,
          optimizer: str = "adam", recorder: Callable | None = None, x_test=None,
          progress: Callable[[int], None] | None = None, progress_every: int = 100) -> TrainResult:
    """Full-batch training of ``net`` on (x, y) for ``epochs`` steps.

    ``loss`` is ``nongrad`` (1.22) or ``grad`` (1.23, needs ``dy`` = ∇f at x). The
    recorder sees the output of each epoch's forward pass (before that epoch's step);
    ``progress(n)`` is called with the number of epochs done since the last call.
    """
    torch = require_torch()
    if epochs < 1 or not (math.isfinite(lr) and lr > 0):
        raise FPTheoryError(f"training needs epochs >= 1 and a positive learning rate (got {epochs}, {lr})")
    if loss not in ("nongrad", "grad"):
        raise FPTheoryError(f"unknown loss {loss!r}; use nongrad (1.22) or grad (1.23)")
    if loss == "grad" and dy is None:
        raise FPTheoryError("L_grad (1.23) needs the target's derivative dy")
    params = net.parameters()
    if optimizer == "adam":
        opt = torch.optim.Adam(params, lr=lr)
    elif optimizer == "sgd":
        opt = torch.optim.SGD(params, lr=lr)
    else:
        raise FPTheoryError(f"unknown optimizer {optimizer!r}; use adam or sgd")
    initial_test = None
    if x_test is not None:
        with torch.no_grad():
            initial_test = net(x_test).detach().cpu().double().numpy()
    xg = x.detach().clone().requires_grad_(True) if loss == "grad" else x
    losses = torch.zeros(epochs, dtype=y.dtype, device=y.device)
    done = 0
    for epoch in range(epochs):
        opt.zero_grad(set_to_none=True)
        out = net(xg)
        value = loss_nongrad(out, y) if loss == "nongrad" else loss_grad(out, y, xg, dy)
        value.backward()
        opt.step()
        losses[epoch] = value.detach()
        if recorder is not None:
            recorder(epoch, out.detach())
        if progress is not None and (epoch + 1) % progress_every == 0:
            progress(epoch + 1 - done)
            done = epoch + 1
    if progress is not None and done < epochs:
        progress(epochs - done)
    with torch.no_grad():
        final_train = net(x).detach().cpu().double().numpy()
        final_test = net(x_test).detach().cpu().double().numpy() if x_test is not None else None
    loss_np = losses.detach().cpu().double().numpy()
    if not np.all(np.isfinite(loss_np)):
        raise FPTheoryError("training diverged (NaN/inf loss); lower the learning rate or the init std")
    return TrainResult(loss_np, final_train, final_test, initial_test)
