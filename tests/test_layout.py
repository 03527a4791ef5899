"""The package layout as a contract: layers import one way, torch only under ``nets``,
modules stay small, and the public names the facade lists exist.

Imports are read from the source with :mod:`ast` (every ``import`` statement, those inside
functions included), so a lazy import that breaks the layering fails here too.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import fptheory

PACKAGE = Path(fptheory.__file__).resolve().parent
#: Lowest first: a module may import its own layer and those before it, never one after it.
LAYERS = ("core", "fourier", "verify", "theory", "nets", "report", "cli")
MAX_LINES = 650
#: Imported lazily by the public facade or needing an optional extra; checked by name only.
OPTIONAL = {"torch": "nets"}


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py"))


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every module ``path`` imports (absolute dotted names), with the line."""
    tree = ast.parse(path.read_text(), str(path))
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            # "from fptheory.verify import claims" imports a module too
            found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
    return found


def _layer(dotted: str) -> str | None:
    parts = dotted.split(".")
    if parts[0] != "fptheory" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in LAYERS else None


def test_every_module_belongs_to_a_layer():
    loose = [p.name for p in PACKAGE.glob("*.py") if p.name not in {"__init__.py", "__main__.py"}]
    assert loose == [], f"modules outside the layers: {loose}"
    assert sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()) \
        == sorted(LAYERS)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: _module_name(p))
def test_imports_run_one_way(path: Path):
    own = _layer(_module_name(path))
    if own is None:  # the facade (fptheory/__init__.py, __main__.py) may import any layer
        return
    rank = LAYERS.index(own)
    wrong = []
    for line, target in _imports(path):
        if target == "fptheory":
            wrong.append(f"line {line}: imports the fptheory facade (import from a layer instead)")
            continue
        layer = _layer(target)
        if layer is not None and LAYERS.index(layer) > rank:
            wrong.append(f"line {line}: {own} imports {target} (layer {layer} is above {own})")
        top = target.split(".")[0]
        if top in OPTIONAL and own != OPTIONAL[top]:
            wrong.append(f"line {line}: {top} imported outside fptheory.{OPTIONAL[top]}")
    assert not wrong, "\n".join(wrong)


def test_the_contract_test_sees_a_violation(tmp_path):
    """The checker itself: an upward lazy import inside a function is found."""
    bad = PACKAGE / "core" / "_layout_probe.py"
    text = "def f():\n    from fptheory.report import collect\n    import torch\n"
    tree_imports = []
    try:
        bad.write_text(text)
        tree_imports = _imports(bad)
    finally:
        bad.unlink()
    assert (2, "fptheory.report") in tree_imports and (3, "torch") in tree_imports


@pytest.mark.parametrize("path", _modules(), ids=lambda p: _module_name(p))
def test_no_module_is_long(path: Path):
    lines = len(path.read_text().splitlines())
    assert lines <= MAX_LINES, f"{_module_name(path)} has {lines} lines (split it by concern)"


def test_facade_names_exist_and_are_listed():
    for name in fptheory.__all__:
        assert getattr(fptheory, name) is not None, name
    for layer in LAYERS:
        module = importlib.import_module(f"fptheory.{layer}")
        assert module.__doc__ and len(module.__doc__.split()) > 20, f"fptheory.{layer} needs a docstring"
        for name in getattr(module, "__all__", []):
            assert hasattr(module, name), f"fptheory.{layer}.{name} is listed in __all__ but missing"


def test_importing_the_facade_loads_no_upper_layer_and_no_torch():
    import subprocess
    import sys

    code = ("import sys, fptheory; "
            "print(sorted({m.split('.')[1] for m in sys.modules if m.startswith('fptheory.')}), "
            "'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['core', 'fourier'] False"


def test_a_lazy_name_does_not_shadow_a_subpackage():
    """``from fptheory.theory import measure`` is the subpackage: a layer must not export a
    name equal to one of its modules (the lazy loader would replace the module by it)."""
    for layer in LAYERS:
        module = importlib.import_module(f"fptheory.{layer}")
        folder = PACKAGE / layer
        submodules = {p.stem for p in folder.glob("*.py")} | {p.name for p in folder.iterdir() if p.is_dir()}
        assert not set(getattr(module, "__all__", [])) & submodules, layer
