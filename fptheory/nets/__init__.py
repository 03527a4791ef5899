"""Everything that trains a network: small torch nets and the chapter's experiments.

:mod:`~fptheory.nets.mlp` (fully connected nets, the losses (1.22)-(1.23), the training loop),
:mod:`~fptheory.nets.spectral` (per-frequency convergence on a grid, numpy),
:mod:`~fptheory.nets.lfp_relu` (the two-layer ReLU nets of figure 1.6),
:mod:`~fptheory.nets.lfp_comparison` (figure 1.6: the trained net against LFP and splines) and
:mod:`~fptheory.nets.experiments` (§1.1-§1.2 figures: frequency ordering, Ricker, the gradient
loss, large initialisation). torch is imported only here, and only inside functions, so the
package imports without it. May import :mod:`fptheory.core`, :mod:`fptheory.fourier`,
:mod:`fptheory.verify` and :mod:`fptheory.theory`.
"""

from fptheory.core.lazy import lazy_exports

#: public name -> the module it is loaded from on first use
_EXPORTS = {
    "make_mlp": "fptheory.nets.mlp",
    "train": "fptheory.nets.mlp",
    "require_torch": "fptheory.nets.mlp",
    "train_two_layer_relu": "fptheory.nets.lfp_relu",
    "compare_nn_lfp": "fptheory.nets.lfp_comparison",
    "width_study": "fptheory.nets.lfp_comparison",
    "EXPERIMENTS": "fptheory.nets.experiments",
    "run_experiment": "fptheory.nets.experiments",
    "study_result": "fptheory.nets.experiments",
}
__all__ = list(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
