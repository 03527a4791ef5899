"""fptheory: the frequency-principle chapter as executable, checkable mathematics.

Layers (see DESIGN): :mod:`conventions` → :mod:`distributions`, :mod:`base_transforms`,
:mod:`transforms` → :mod:`numeric`, :mod:`decay` → :mod:`claims` → :mod:`cli`.
"""

from fptheory.core import __version__
from fptheory.fourier.conventions import ANGULAR, ORDINARY, UNITARY, FourierConvention, get_convention
from fptheory.fourier.engine import fourier_transform

__all__ = [
    "ANGULAR",
    "ORDINARY",
    "UNITARY",
    "FourierConvention",
    "get_convention",
    "fourier_transform",
]
