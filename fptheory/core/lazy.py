"""Names a package lists in ``__all__`` but loads from its modules on first use (PEP 562).

A layer's ``__init__`` exports the names a user needs without importing every module when
one is used: ``import fptheory.theory.lfp`` must not pay for the measure study's imports.

>>> getattr_, dir_ = lazy_exports("fptheory.core", {"to_mpc": "fptheory.core.numbers"})
>>> getattr_("to_mpc").__name__
'to_mpc'
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(package: str, exports: Mapping[str, str]
                 ) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package`` that load each name of ``exports``
    (name -> absolute module) on first access and keep it in the package's namespace."""

    def __getattr__(name: str) -> Any:
        if name not in exports:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(exports[name]), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(exports))

    return __getattr__, __dir__
