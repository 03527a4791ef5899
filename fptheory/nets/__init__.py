"""Everything that trains a network: small torch nets and the chapter's experiments.

:mod:`~fptheory.nets.mlp` (fully connected nets, the losses (1.22)-(1.23), the training loop),
:mod:`~fptheory.nets.spectral` (per-frequency convergence on a grid, numpy),
:mod:`~fptheory.nets.lfp_relu` (the two-layer ReLU nets of figure 1.6) and
:mod:`~fptheory.nets.experiments` (§1.1-§1.2 figures: frequency ordering, Ricker, the gradient
loss, large initialisation). torch is imported only here, and only inside functions, so the
package imports without it. May import :mod:`fptheory.core`, :mod:`fptheory.fourier`,
:mod:`fptheory.verify` and :mod:`fptheory.theory`.
"""
