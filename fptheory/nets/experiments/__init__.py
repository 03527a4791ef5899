"""The chapter's frequency-principle experiments in small torch nets (§1.1.1-§1.2), by concern:
:mod:`~fptheory.nets.experiments.configs` (the sizes, the target sin x + sin 3x + sin 5x, the
configurations and thresholds, the specifications with their predictions, the result type),
:mod:`~fptheory.nets.experiments.predictions` (the engine's gradient weights and Ricker peak),
:mod:`~fptheory.nets.experiments.common` (reading the seeds' verdicts, the torch set-up),
:mod:`~fptheory.nets.experiments.ordering` (§1.1: tanh ordering, Ricker, L_grad vs L_nongrad),
:mod:`~fptheory.nets.experiments.large_init` (§1.2: large initialisation in 1-D and on an
image), :mod:`~fptheory.nets.experiments.plots` (the figures) and
:mod:`~fptheory.nets.experiments.run` (:func:`run_experiment` by name and the numerics/
scripts' :func:`study_result`). May import :mod:`fptheory.core`, :mod:`fptheory.fourier`,
:mod:`fptheory.verify`, :mod:`fptheory.theory` and the rest of :mod:`fptheory.nets`; torch and
matplotlib are imported only inside functions, when an experiment runs.
"""

from .configs import CONFIGS, EXPERIMENTS, SIZES, TARGET, ExperimentResult, ExperimentSpec
from .large_init import load_image
from .predictions import gradient_weights, ricker_peak
from .run import run_experiment, study_result, total_epochs

__all__ = ["SIZES", "EXPERIMENTS", "CONFIGS", "ExperimentSpec", "ExperimentResult", "run_experiment",
           "gradient_weights", "load_image", "TARGET", "ricker_peak", "study_result", "total_epochs"]
