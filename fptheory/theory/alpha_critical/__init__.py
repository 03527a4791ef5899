"""The decay-rate limit (chapter §1.3.2): the α-weighted minimum-norm interpolant (1.31)-(1.34).
:mod:`.model` holds the model itself: the constants of the discretisation (Δξ, the M of figure
1.7), the seeded training data and their checks, the inverse weights ⟨ξ_J⟩^{-α} of (1.33), the
interpolant ``MinNormInterpolant`` and ``solve_interpolant``, which solves (1.33)-(1.34) in the
data space, and ``CHAPTER_NOTES`` on the chapter's text; :mod:`.scaling` measures the
criticality α = d: the off-data ratio at one M, its scaling along a ladder of M, the
extrapolation to M = ∞ and its classification (``scaling_study``), and ``alpha_model``, one
solve with its study; :mod:`.plots` draws figure 1.7 and the off-data ratio against M.
"""

from .model import (
    CHAPTER_NOTES,
    DEFAULT_DELTA_XI,
    DEFAULT_M,
    LOG_INVERSE_WEIGHT,
    MinNormInterpolant,
    default_training_data,
    inverse_weights,
    period,
    solve_interpolant,
    validate_data,
)
from .plots import plot_figure_1_7, plot_interpolant, plot_scaling
from .scaling import (
    CRITICAL_BAND,
    DEFAULT_EXCLUSION,
    FLAT_CHANGE,
    LIMIT_HIGH,
    LIMIT_LOW,
    SLOPE_THRESHOLD,
    STRONG_DECAY_SLOPE,
    AlphaResult,
    OffDataRatio,
    ScalingStudy,
    alpha_model,
    classify_scaling,
    default_box,
    default_M_ladder,
    extrapolated_limit,
    off_data_ratio,
    scaling_study,
)

__all__ = [
    "DEFAULT_DELTA_XI", "DEFAULT_M", "DEFAULT_EXCLUSION", "SLOPE_THRESHOLD", "CRITICAL_BAND",
    "LIMIT_LOW", "LIMIT_HIGH", "FLAT_CHANGE", "STRONG_DECAY_SLOPE", "extrapolated_limit", "classify_scaling",
    "LOG_INVERSE_WEIGHT", "default_training_data", "validate_data", "inverse_weights",
    "MinNormInterpolant", "solve_interpolant", "OffDataRatio", "off_data_ratio", "default_box",
    "ScalingStudy", "scaling_study", "default_M_ladder", "AlphaResult", "alpha_model",
    "CHAPTER_NOTES", "period", "plot_interpolant", "plot_figure_1_7", "plot_scaling",
]
