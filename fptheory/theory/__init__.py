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
