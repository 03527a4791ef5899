"""Theorem 1 measured: the fraction of the ball B_δ where every low frequency wins (1.9).

:mod:`.model` holds the numeric model generated from sympy (σ̂ split into magnitude and
phase, :class:`SpectrumModel`, the gradient kernels M_θ of ∂L(k)/∂θ and the optional
numba-compiled failure counter); :mod:`.problem` the event E of (1.9) and what is fixed in it
(:class:`MeasureProblem`, :func:`make_problem`, the target's f̂(k1), f̂(k2), the vectorised
evaluator and :func:`event_holds`, :func:`sample_ball`, :class:`MeasureResult`); :mod:`.mc`
plain Monte Carlo with an exact Clopper-Pearson interval; :mod:`.rare` the rare-event method
(failure bands around the zeros of the k1 gradient, located by bracketing and secant/bisection,
their widths averaged over conditional draws of the other coordinates); :mod:`.rate` the rate
fit 1 − ratio ≈ A·I_m(c, δ) (:class:`RateFit`, :func:`fit_rate`); :mod:`.study` the dispatch
:func:`measure` for one δ, sweeps over δ (:func:`measure_many`, :class:`MeasureStudy`), the
theory's rates and the explicit bound of (1.12)-(1.21) (:func:`theory_for`) and the figure
(:func:`plot_study`). May import :mod:`fptheory.core`, :mod:`fptheory.fourier`,
:mod:`fptheory.verify` and :mod:`fptheory.theory.theorem1` only.
"""

from __future__ import annotations

from .mc import clopper_pearson, monte_carlo
from .model import KINDS as KINDS
from .model import SpectrumModel, spectrum_model
from .model import gradient_kernels as gradient_kernels
from .model import numba_available as numba_available
from .problem import MeasureProblem, MeasureResult, event_holds, make_problem, sample_ball
from .problem import target_values as target_values
from .rare import RareEventError as RareEventError
from .rare import rare_event
from .rate import RateFit, fit_rate
from .study import MeasureStudy as MeasureStudy
from .study import measure
from .study import measure_many as measure_many
from .study import plot_study as plot_study
from .study import theory_for as theory_for

__all__ = [
    "SpectrumModel",
    "spectrum_model",
    "MeasureProblem",
    "make_problem",
    "MeasureResult",
    "monte_carlo",
    "rare_event",
    "measure",
    "RateFit",
    "fit_rate",
    "clopper_pearson",
    "sample_ball",
    "event_holds",
]
