"""The ``fptheory`` command line: one module per sub-command, :mod:`~fptheory.cli.app` the parser.

Handlers raise :class:`~fptheory.core.errors.FPTheoryError` for bad input (one line, exit 2).
A command module must not import an optional dependency (torch, matplotlib) at import time:
it imports it inside its handler and turns its absence into an FPTheoryError naming the
install command, so ``fptheory --help`` works on a minimal install. The top layer: it may
import everything, and nothing in fptheory imports it.
"""

from .app import main

__all__ = ["main"]
