"""Sub-commands of the ``fptheory`` command line that live in their own modules.

Each module here defines ``register(subparsers)``, which adds its parser and sets
``func`` to a handler ``(argparse.Namespace) -> int``. Handlers raise
:class:`fptheory.errors.FPTheoryError` for bad input (one line, exit 2). A module must
not import an optional dependency (torch, matplotlib) at import time: it imports it
inside its handler and turns its absence into an FPTheoryError naming the install
command, so ``fptheory --help`` works on a minimal install.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil

__all__ = ["register_all"]


def register_all(subparsers: argparse._SubParsersAction) -> None:
    """Import every command module of this package (sorted by name) and register it."""
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda item: item.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        module.register(subparsers)
