r"""Theorem 1 of the chapter (§1.1.1), split by concern: :mod:`.network` holds the tanh
two-layer network (1.1), its transform (1.2)-(1.3) from the engine, the residual
D(k) = A(k)e^{iφ(k)} and the per-frequency loss (1.4), and the numeric parameters;
:mod:`.gradients` the exact gradients ∂L(k)/∂θ = Re(conj(D) ∂ĥ/∂θ) (symbolic, in polar form and
as mpmath evaluators), the text's (1.10) and the identification of its E_0;
:mod:`.gradient_check` an independent check of those gradients (the loss from the
Mittag-Leffler series of the tanh transform, Richardson-extrapolated finite differences);
:mod:`.ratio` the gradients at two frequencies: claim (1.11) with the sinh factor of (1.11) and
(1.14), and overflow-free float64 log-gradients and log-ratios; :mod:`.explicit` Theorem 1
(1.9) with explicit constants: the bands (1.17)-(1.18), the ball tail (1.19)-(1.21), the
constants of (1.12)-(1.16) and :func:`explicit_theorem1`; :mod:`.sampling` uniform points of
B_δ, the event margins of (1.9) and the Monte Carlo failure estimate. Each module imports
(relatively) only those listed before it here and, outside the package, only
:mod:`fptheory.core`, :mod:`fptheory.fourier` and :mod:`fptheory.verify`. Every name of
``__all__`` and the other public constants (KINDS, DELTA, T, THETA_MAX, ...) are re-exported
here: ``from fptheory.theory.theorem1 import X`` works as it did before the split.
"""

from .explicit import A_ABS as A_ABS
from .explicit import A_SUM as A_SUM
from .explicit import B_ABS as B_ABS
from .explicit import BETA as BETA
from .explicit import DELTA as DELTA
from .explicit import DELTA1 as DELTA1
from .explicit import EPS as EPS
from .explicit import EPS_MAX as EPS_MAX
from .explicit import EXPLICIT_EVIDENCE as EXPLICIT_EVIDENCE
from .explicit import F1_ABS as F1_ABS
from .explicit import F2_ABS as F2_ABS
from .explicit import (
    RATE,
    ExplicitTheorem1,
    ball_marginal_density,
    ball_tail_constant,
    ball_tail_mp,
    band_interval,
    band_length,
    explicit_expressions,
    explicit_theorem1,
)
from .explicit import THETA_MAX as THETA_MAX
from .explicit import XQ as XQ
from .explicit import T as T
from .gradient_check import (
    GradientCheck,
    GradientCheckEntry,
    check_gradients,
    loss_mp,
    residual_mp,
    tanh_transform_mp,
)
from .gradients import (
    E0Identification,
    GradientEvaluator,
    gradient_evaluator,
    gradient_expressions,
    identify_E0,
    polar_gradients,
    text_a_gradient,
)
from .network import (
    E0,
    F_IM,
    F_RE,
    NEURON,
    PHI,
    A,
    K,
    Network,
    NetworkParams,
    X,
    loss,
    network_symbols,
    network_transform,
    neuron_transform,
    residual,
    target_constant,
)
from .network import KINDS as KINDS
from .network import Theta as Theta
from .ratio import (
    RATIO_SYMBOLS,
    a_gradient_ratio,
    check_1_11,
    gradient_ratio,
    log_abs_csch,
    log_abs_gradient,
    log_abs_gradient_mp,
    log_abs_sinh_ratio,
    log_gradient_ratio,
    sinh_ratio,
    stable_sinh_ratio,
    text_1_11,
)
from .sampling import (
    FailureSample,
    ball_sample,
    event_margins,
    sample_failure,
    uniform_in_ball,
)

__all__ = [
    "K",
    "X",
    "A",
    "PHI",
    "F_RE",
    "F_IM",
    "E0",
    "NEURON",
    "Network",
    "network_symbols",
    "neuron_transform",
    "network_transform",
    "target_constant",
    "residual",
    "loss",
    "gradient_expressions",
    "polar_gradients",
    "GradientEvaluator",
    "gradient_evaluator",
    "NetworkParams",
    "tanh_transform_mp",
    "loss_mp",
    "residual_mp",
    "GradientCheckEntry",
    "GradientCheck",
    "check_gradients",
    "text_a_gradient",
    "E0Identification",
    "identify_E0",
    "RATIO_SYMBOLS",
    "sinh_ratio",
    "a_gradient_ratio",
    "text_1_11",
    "check_1_11",
    "log_abs_csch",
    "stable_sinh_ratio",
    "log_abs_sinh_ratio",
    "log_abs_gradient",
    "log_gradient_ratio",
    "gradient_ratio",
    "log_abs_gradient_mp",
    "RATE",
    "band_interval",
    "band_length",
    "ball_marginal_density",
    "ball_tail_constant",
    "ball_tail_mp",
    "explicit_expressions",
    "ExplicitTheorem1",
    "explicit_theorem1",
    "ball_sample",
    "uniform_in_ball",
    "event_margins",
    "FailureSample",
    "sample_failure",
]
