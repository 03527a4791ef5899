r"""Two-layer ReLU nets in torch for figure 1.6 (imported only by torch code paths).

h(x) = Σ_j a_j relu(w_j x + b_j) (1.25), the chapter's parameterisation (no 1/√m), all
parameters trained on L = ½ Σ_i (h(x_i) - y_i)² by full-batch gradient descent with heavy-ball
momentum, in float64 on the CPU with one thread. Every update is a combination of past
gradients ∇_θ L = Σ_i r_i ∇_θ h(x_i), so in the linear regime the iterate stays in
θ_0 + span{∇_θ h(x_i; θ_0)} and converges to the same point as gradient flow: the
minimum-‖θ - θ_0‖ interpolant, i.e. h_ini + the NTK interpolant of y - h_ini(X). Momentum only
shortens the run (≈ √κ instead of κ steps, κ the condition number of the 3×3 Gram matrix).
Step size and momentum come from that Gram matrix at θ_0: lr = 1/λ_max,
β = ((√κ - 1)/(√κ + 1))².

The antisymmetric initialisation (``antisymmetric=True``) draws m/2 neurons and appends
copies with a → -a, so h_ini ≡ 0 (the variational model's assumption) while the kernel keeps
its distribution.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from fptheory.core.errors import FPTheoryError
from fptheory.theory.lfp import Init, validate_data

__all__ = ["TrainedNet", "train_two_layer_relu", "require_torch"]


def require_torch():
    """Import torch (one thread) or raise the one-line install hint."""
    try:
        import torch
    except ImportError:
        raise FPTheoryError("the NN part of `fptheory lfp` needs torch: "
                            "pip install 'fptheory[torch]' (torch==2.13.0)") from None
    torch.set_num_threads(1)
    return torch


@dataclass
class TrainedNet:
    """A trained net: its parameters (numpy, float64), its initial output and the training log."""

    a: np.ndarray
    w: np.ndarray
    b: np.ndarray
    a0: np.ndarray
    w0: np.ndarray
    b0: np.ndarray
    width: int
    seed: int
    antisymmetric: bool
    steps: int
    converged: bool
    max_residual: float
    relative_parameter_change: float
    gram_eigenvalues: list[float]
    seconds: float

    @staticmethod
    def _eval(a: np.ndarray, w: np.ndarray, b: np.ndarray, t: np.ndarray) -> np.ndarray:
        t = np.asarray(t, dtype=float)
        flat = t.ravel()
        out = np.empty(flat.size)
        for start in range(0, flat.size, 256):  # chunks keep the (points × width) array small
            chunk = flat[start:start + 256]
            out[start:start + 256] = np.maximum(np.outer(chunk, w) + b, 0.0) @ a
        return out.reshape(t.shape)

    def __call__(self, t: np.ndarray) -> np.ndarray:
        return self._eval(self.a, self.w, self.b, t)

    def initial(self, t: np.ndarray) -> np.ndarray:
        """h_ini(t), the output at initialisation."""
        return self._eval(self.a0, self.w0, self.b0, t)

    def to_dict(self) -> dict[str, Any]:
        return {"width": self.width, "seed": self.seed, "antisymmetric": self.antisymmetric,
                "steps": self.steps, "converged": self.converged, "max_residual": self.max_residual,
                "relative_parameter_change": self.relative_parameter_change,
                "gram_eigenvalues": self.gram_eigenvalues, "seconds": round(self.seconds, 3)}


def train_two_layer_relu(
    x: np.ndarray,
    y: np.ndarray,
    init: Init,
    width: int,
    *,
    seed: int = 0,
    antisymmetric: bool = False,
    tol: float = 1e-9,
    max_steps: int = 200_000,
) -> TrainedNet:
    """Train h(x) = Σ a_j relu(w_j x + b_j) on (x, y) until max_i |h(x_i) - y_i| ≤ tol·max(1, |y|).

    ``converged`` is False (never silent) when ``max_steps`` is reached first.
    """
    torch = require_torch()
    x, y = validate_data(x, y)
    if not isinstance(width, int) or width < 2:
        raise FPTheoryError(f"width must be an integer >= 2, got {width!r}")
    if width > 10**8:  # 3·width float64 parameters, their gradients and 256 × width evaluations
        raise FPTheoryError(f"width {width} is more than the 10^8 one training can hold in memory")
    if antisymmetric and width % 2:
        raise FPTheoryError(f"the antisymmetric initialisation needs an even width, got {width}")
    start = time.perf_counter()
    g = torch.Generator().manual_seed(int(seed))
    dt = torch.float64
    m = width // 2 if antisymmetric else width

    def draw(scale: float) -> Any:
        if init.distribution == "uniform":
            return (torch.rand(m, generator=g, dtype=dt) * 2 - 1) * scale
        return torch.randn(m, generator=g, dtype=dt) * scale

    w0, a0, b0 = draw(init.w), draw(init.a), draw(init.b)
    if antisymmetric:
        w0, b0, a0 = torch.cat([w0, w0]), torch.cat([b0, b0]), torch.cat([a0, -a0])
    xt, yt = torch.tensor(x, dtype=dt), torch.tensor(y, dtype=dt)
    params = [p.clone().requires_grad_(True) for p in (a0, w0, b0)]

    def forward(ps: list) -> Any:
        a, w, b = ps
        return torch.relu(xt[:, None] * w + b) @ a

    # Gram matrix J Jᵀ at θ_0 (closed-form gradients of the outputs)
    with torch.no_grad():
        pre = xt[:, None] * w0 + b0
        act, heav = torch.relu(pre), (pre > 0).to(dt) * a0
        jac = torch.cat([act, heav * xt[:, None], heav], dim=1)
        eig = torch.linalg.eigvalsh(jac @ jac.T).tolist()
    lam_min, lam_max = max(eig[0], 1e-300), eig[-1]
    kappa = lam_max / lam_min
    lr = 1.0 / lam_max
    beta = ((math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)) ** 2
    velocity = [torch.zeros_like(p) for p in params]
    target = tol * max(1.0, float(np.max(np.abs(y))))
    steps, converged, res = 0, False, float("inf")
    while steps < max_steps:
        out = forward(params)
        r = out - yt
        res = float(r.detach().abs().max())
        if not math.isfinite(res):
            raise FPTheoryError("training diverged (non-finite output); the step size rule failed")
        if res <= target:
            converged = True
            break
        loss = 0.5 * (r * r).sum()
        grads = torch.autograd.grad(loss, params)
        with torch.no_grad():
            for p, v, gr in zip(params, velocity, grads, strict=True):
                v.mul_(beta).add_(gr, alpha=-lr)
                p.add_(v)
        steps += 1
    with torch.no_grad():
        theta0 = torch.cat([a0, w0, b0])
        theta = torch.cat([p.detach() for p in params])
        change = float((theta - theta0).norm() / theta0.norm())
    a, w, b = (p.detach().numpy().copy() for p in params)
    return TrainedNet(a, w, b, a0.numpy().copy(), w0.numpy().copy(), b0.numpy().copy(), width,
                      int(seed), antisymmetric, steps, converged, res, change, eig,
                      time.perf_counter() - start)
