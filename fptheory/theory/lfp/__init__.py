r"""The linear frequency principle (LFP), chapter §1.3: γ(ξ)² derived, the LFP solver, the NTK.

In the ORDINARY convention throughout. :mod:`~fptheory.theory.lfp.gamma` derives the per-neuron
γ(ξ)² (1.26) from the a-, b- and w-gradient features with the engine's transforms (the
w-feature is a derivative term, not a multiplier), and holds the initialisations (:class:`Init`,
:data:`CHAPTER_INITS` of figure 1.6), their exact moments and :func:`gamma_squared`;
:mod:`~fptheory.theory.lfp.solver` holds the training data checks and the LFP solver (1.27)-(1.30)
(ridge on sin/cos features, dual and primal forms); :mod:`~fptheory.theory.lfp.ntk` the exact
infinite-width kernels of the same features (closed form, Monte Carlo, one net's) and the kernel
interpolant. Figure 1.6 itself (training the ReLU net and comparing it with LFP) is in
:mod:`fptheory.nets.lfp_comparison`. May import :mod:`fptheory.core`, :mod:`fptheory.fourier`
and :mod:`fptheory.verify` only; never torch.
"""

from __future__ import annotations

from .gamma import (
    C_B,
    CHAPTER_INITS,
    XI,
    A,
    B,
    D,
    GammaDerivation,
    Init,
    R,
    W,
    chapter_integrand,
    derive_gamma_squared,
    gamma_squared,
    moments,
    polar_jacobian,
    sphere_factor,
    w_feature_operator,
    w_feature_transform_rule,
)
from .ntk import KernelParts, empirical_ntk, kernel_interpolant, ntk_closed_form, ntk_monte_carlo
from .solver import DEFAULT_X, DEFAULT_Y, LFPSolution, chapter_lengths, lfp_fit, validate_data

__all__ = [
    "XI", "R", "A", "W", "B", "C_B", "D", "Init", "CHAPTER_INITS", "GammaDerivation",
    "derive_gamma_squared", "chapter_integrand", "w_feature_transform_rule", "sphere_factor",
    "polar_jacobian", "moments", "gamma_squared", "LFPSolution", "lfp_fit", "validate_data",
    "ntk_closed_form", "ntk_monte_carlo", "empirical_ntk", "kernel_interpolant", "KernelParts",
    "DEFAULT_X", "DEFAULT_Y", "w_feature_operator", "chapter_lengths",
]
