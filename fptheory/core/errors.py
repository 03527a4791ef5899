"""User-facing errors: each carries a one-line message and the exit code the CLI uses."""

from __future__ import annotations


class FPTheoryError(Exception):
    """A problem with the user's input or request; the CLI prints it as one line, exit 2."""

    exit_code = 2


class UnsupportedExpressionError(FPTheoryError):
    """The expression is outside what the transform engine can derive."""


class SingularPointError(FPTheoryError):
    """A value was asked at a point where the regular part is not a function value."""


class NumericMismatchError(FPTheoryError):
    """The symbolic result and the independent numeric transform disagree.

    This is never silent: a derived transform that quadrature contradicts is an error
    in the engine (or in a base derivation), not a result.
    """

    exit_code = 3
