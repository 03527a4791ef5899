"""fptheory: the frequency-principle chapter as executable, checkable mathematics.

The package is layered, one way down; a layer imports only those before it (a test reads
every import to hold this):

- :mod:`fptheory.core`: errors, exact numbers, the closed-grammar expression parser, balls;
- :mod:`fptheory.fourier`: conventions, the transform engine, decay, quadrature checks;
- :mod:`fptheory.verify`: claims and verdicts, the prover (trusted kernel, search,
  certificates);
- :mod:`fptheory.theory`: Theorem 1, the measure of B_δ, the LFP model, the α-critical model;
- :mod:`fptheory.nets`: everything that trains a network (torch, optional);
- :mod:`fptheory.report`: running proof scripts and studies, LaTeX, the report;
- :mod:`fptheory.cli`: the ``fptheory`` command.

The names a user needs are importable from here (listed in ``__all__``). Those above
:mod:`fptheory.fourier` load on first use, so ``import fptheory`` stays light and never
imports torch.

>>> import fptheory
>>> fptheory.fourier_transform("exp(-x**2)", "x", fptheory.ORDINARY).regular
sqrt(pi)*exp(-pi**2*k**2)
>>> fptheory.prove("2*x/pi <= sin(x)", "0 <= x <= pi/2").verdict.value
'certified'
"""

from __future__ import annotations

from fptheory.core import __version__
from fptheory.core.lazy import lazy_exports
from fptheory.fourier import (
    ANGULAR,
    ORDINARY,
    UNITARY,
    FourierConvention,
    TransformResult,
    decay_of,
    fourier_transform,
    get_convention,
    pair,
    plancherel,
    spectral_peak,
)

#: name -> module it is loaded from on first use
_LAZY = {
    # verify: claims, verdicts and the prover
    "claim": "fptheory.verify.claims",
    "Verdict": "fptheory.verify.claims",
    "Assessment": "fptheory.verify.claims",
    "assess_identity": "fptheory.verify.claims",
    "proved": "fptheory.verify.claims",
    "refuted": "fptheory.verify.claims",
    "unknown": "fptheory.verify.claims",
    "certify": "fptheory.verify.search",
    "Domain": "fptheory.verify.domains",
    "parse_statement": "fptheory.verify.domains",
    "recheck_certificate": "fptheory.verify.certificates",
    "prove": "fptheory.verify.statement",
    # theory: Theorem 1, its measure, LFP, the α-critical model
    "explicit_theorem1": "fptheory.theory.theorem1",
    "make_problem": "fptheory.theory.measure",
    "measure": "fptheory.theory.measure",
    "gamma_squared": "fptheory.theory.lfp",
    "CHAPTER_INITS": "fptheory.theory.lfp",
    "lfp_fit": "fptheory.theory.lfp",
    "alpha_model": "fptheory.theory.alpha_critical",
    "scaling_study": "fptheory.theory.alpha_critical",
    # nets: experiments in torch
    "run_experiment": "fptheory.nets.experiments",
    "EXPERIMENTS": "fptheory.nets.experiments",
    "compare_nn_lfp": "fptheory.nets.lfp_comparison",
    # report
    "run_paths": "fptheory.report.collect",
    "build_report": "fptheory.report.document",
}

__all__ = [
    "__version__",
    "ANGULAR",
    "ORDINARY",
    "UNITARY",
    "FourierConvention",
    "get_convention",
    "fourier_transform",
    "TransformResult",
    "decay_of",
    "spectral_peak",
    "pair",
    "plancherel",
    *_LAZY,
]

__getattr__, __dir__ = lazy_exports(__name__, _LAZY)
