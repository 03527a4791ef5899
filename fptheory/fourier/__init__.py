"""The Fourier side of the chapter: conventions, transforms, decay (§1.1, §1.4, (1.2)-(1.3),
(1.8), (1.35)-(1.44)).

:mod:`~fptheory.fourier.conventions` (the one convention object threaded through everything),
:mod:`~fptheory.fourier.distributions` (δ terms, principal values),
:mod:`~fptheory.fourier.base_transforms` (tanh, Heaviside, ReLU, Ricker, ... derived once with
sympy), :mod:`~fptheory.fourier.engine` (the transform of an expression: shifts, scalings,
modulations, sums, products with polynomials), :mod:`~fptheory.fourier.decay` (decay class,
rate and spectral peak), :mod:`~fptheory.fourier.quadrature` (independent numeric
cross-checks) and :mod:`~fptheory.fourier.activations` (the activation registry). May import
:mod:`fptheory.core` only.

>>> from fptheory.fourier import ANGULAR, fourier_transform
>>> fourier_transform("exp(-x**2)", "x", ANGULAR).regular
sqrt(pi)*exp(-k**2/4)
"""

from .activations import REGISTRY, activation
from .base_transforms import base_transform
from .conventions import ANGULAR, CONVENTIONS, ORDINARY, UNITARY, FourierConvention, get_convention
from .decay import decay_of, spectral_peak
from .engine import TransformResult, fourier_transform
from .pairing import Pairing, Plancherel, pair, plancherel, plancherel_constant
from .quadrature import check_transform

__all__ = [
    "ANGULAR", "ORDINARY", "UNITARY", "CONVENTIONS", "FourierConvention", "get_convention",
    "fourier_transform", "TransformResult", "base_transform", "decay_of", "spectral_peak",
    "check_transform", "activation", "REGISTRY", "pair", "Pairing", "plancherel", "Plancherel",
    "plancherel_constant",
]
