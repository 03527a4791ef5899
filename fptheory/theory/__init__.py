"""The chapter's theorems and models, one subpackage or module per topic.

:mod:`~fptheory.theory.theorem1` (§1.1.1: the tanh network, its per-frequency loss, the
gradients (1.6)-(1.7), (1.10)-(1.11) and Theorem 1 (1.9) with explicit constants
(1.12)-(1.21)), :mod:`~fptheory.theory.measure` (Theorem 1 measured: the fraction of the ball
B_δ where the low frequency wins, rare events included), :mod:`~fptheory.theory.lfp` (§1.3: the
linear frequency principle, γ(ξ)² (1.26), the LFP solver (1.27)-(1.30), the NTK) and
:mod:`~fptheory.theory.alpha_critical` (§1.3.2: the α-weighted minimum-norm model (1.31)-(1.34)).
May import :mod:`fptheory.core`, :mod:`fptheory.fourier` and :mod:`fptheory.verify`; never
torch (the nets live in :mod:`fptheory.nets`).
"""

from fptheory.core.lazy import lazy_exports

#: public name -> the module it is loaded from on first use
_EXPORTS = {
    "network_symbols": "fptheory.theory.theorem1",
    "gradient_expressions": "fptheory.theory.theorem1",
    "check_gradients": "fptheory.theory.theorem1",
    "sinh_ratio": "fptheory.theory.theorem1",
    "ExplicitTheorem1": "fptheory.theory.theorem1",
    "explicit_theorem1": "fptheory.theory.theorem1",
    "sample_failure": "fptheory.theory.theorem1",
    "MeasureProblem": "fptheory.theory.measure",
    "make_problem": "fptheory.theory.measure",
    "monte_carlo": "fptheory.theory.measure",
    "rare_event": "fptheory.theory.measure",
    "measure_many": "fptheory.theory.measure",
    "fit_rate": "fptheory.theory.measure",
    "Init": "fptheory.theory.lfp",
    "CHAPTER_INITS": "fptheory.theory.lfp",
    "derive_gamma_squared": "fptheory.theory.lfp",
    "gamma_squared": "fptheory.theory.lfp",
    "lfp_fit": "fptheory.theory.lfp",
    "ntk_closed_form": "fptheory.theory.lfp",
    "default_training_data": "fptheory.theory.alpha_critical",
    "solve_interpolant": "fptheory.theory.alpha_critical",
    "alpha_model": "fptheory.theory.alpha_critical",
    "scaling_study": "fptheory.theory.alpha_critical",
}
__all__ = list(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
