"""Foundations every layer may use: errors, exact numbers, the expression parser, balls.

:mod:`~fptheory.core.errors` (the one-line user errors), :mod:`~fptheory.core.numbers`
(conversions between sympy, mpmath and decimal text), :mod:`~fptheory.core.parsing` (the
closed grammar every formula a user or a file gives is read with: decimals exact, nothing
evaluated as code; its reader and builder are the internal ``_grammar`` and ``_builder``),
:mod:`~fptheory.core.lazy` (names a layer exports but loads on first use),
:mod:`~fptheory.core.balls` (rigorous ``acb`` ball evaluation of sympy
expressions), :mod:`~fptheory.core.derivation` (derivation steps kept for the report) and
:mod:`~fptheory.core.signs` (the sign cases of a parameter). It imports nothing from
fptheory outside ``core``; every other subpackage may import it.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
