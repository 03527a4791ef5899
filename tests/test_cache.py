"""The on-disk cache (fptheory.core.cache): exact round trips, nothing in a file ever run,
corrupted or hostile entries ignored and re-derived, atomic writes under concurrent processes,
every cached base transform equal to a fresh derivation, and `ft` identical with and without
the cache."""

from __future__ import annotations

import json
import multiprocessing as mp
import os
from pathlib import Path

import pytest
import sympy as sp

from fptheory.cli.app import main
from fptheory.cli.ft import CACHED_NOTE
from fptheory.core import cache as disk
from fptheory.core.cache import CacheFormatError, expr_from_text, expr_to_text
from fptheory.fourier import base_transforms as bt
from fptheory.verify.claims import assess_identity

x = sp.Symbol("x", real=True)
k = sp.Symbol("k", real=True)
w = sp.Symbol("w", positive=True)


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    """A fresh, empty cache folder for one test; the process memory of base transforms too."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("FPTHEORY_CACHE_DIR", str(folder))
    monkeypatch.delenv("FPTHEORY_NO_CACHE", raising=False)
    monkeypatch.setattr(bt, "_MEMORY", {})
    disk.set_enabled(None)
    yield folder
    disk.set_enabled(None)


@pytest.mark.parametrize("expr", [
    -sp.I * sp.pi / sp.sinh(sp.pi * k / 2), sp.sqrt(sp.pi) * sp.exp(-k**2 / 4),
    sp.Heaviside(x) * x, sp.DiracDelta(x, 2), sp.Float("1.25", 30) * x, -sp.oo,
    sp.Piecewise((x, x < 1), (1, True)), sp.Derivative(sp.tanh(x), x),
    sp.Abs(w) * sp.exp(sp.I * k / w), sp.Rational(-3, 4) * sp.E**x, -sp.I,
    sp.gamma(w / 2) * sp.pi ** (-w / 2), sp.Eq(x, x, evaluate=False), sp.Dummy("h") + 1,
    # what the chapter's claims hold (their verdicts are cached only if these read back)
    sp.Limit(sp.sin(x) / x, x, 0, "+"), sp.Integral(sp.exp(-x**2), (x, -sp.oo, sp.oo)),
    sp.Sum(sp.Abs(sp.Indexed("a", sp.Symbol("j", integer=True))), (sp.Symbol("j", integer=True), 1, w)),
])
def test_srepr_round_trip_is_exact(expr):
    back = expr_from_text(expr_to_text(expr))
    assert back == expr and sp.srepr(back) == sp.srepr(expr)


@pytest.mark.parametrize("text", [
    "__import__('os').system('touch PWNED')",
    "exp('__import__(\"os\").system(\"touch PWNED\")')",  # sympify of a string would eval it
    "Symbol('x').__class__",
    "Symbol('x', real=__import__('os'))",
    "(lambda: 1)()",
    "Integer(1) + Integer(2)",
    "Mul(Integer(3), Pow(Integer(10), Integer(10000000000000)))",  # would hang if built
    "Integer(" + "9" * 500 + ")",
    "Add(Integer(1), Integer(2))",  # valid sympy, but not what srepr writes: not read back equal
    "Float('nan', precision=53)",
    "Symbol('x'",
])
def test_hostile_or_malformed_text_is_refused_without_running_it(text, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CacheFormatError):
        expr_from_text(text)
    assert not (tmp_path / "PWNED").exists()


def test_store_and_load_atomic_and_keyed(cache_dir):
    assert disk.load("demo", ["a"]) is None
    assert disk.store("demo", ["a"], {"value": 1})
    assert disk.load("demo", ["a"]) == {"value": 1}
    assert disk.load("demo", ["b"]) is None
    assert disk.load("other", ["a"]) is None
    files = list(cache_dir.rglob("*"))
    assert not [f for f in files if f.name.startswith(".tmp-")]


def test_library_source_change_misses(cache_dir, monkeypatch):
    disk.store("demo", ["a"], {"value": 1})
    monkeypatch.setattr(disk, "source_hash", lambda: "0" * 64)
    assert disk.load("demo", ["a"]) is None


@pytest.mark.parametrize("damage", ["truncate", "edit-payload", "other-key", "not-json", "binary"])
def test_damaged_entry_is_a_miss(cache_dir, damage):
    disk.store("demo", ["a"], {"value": 1})
    (path,) = cache_dir.glob("demo/*/*.json")
    text = path.read_text()
    entry = json.loads(text)
    if damage == "truncate":
        path.write_text(text[: len(text) // 2])
    elif damage == "edit-payload":
        entry["payload"]["value"] = 2  # the checksum no longer matches
        path.write_text(json.dumps(entry))
    elif damage == "other-key":
        entry["key"] = ["b"]
        path.write_text(json.dumps(entry))
    elif damage == "not-json":
        path.write_text("print('hello')")
    else:
        path.write_bytes(b"\x80\x81\xff" * 10)
    assert disk.load("demo", ["a"]) is None
    assert disk.store("demo", ["a"], {"value": 3})  # and it is simply rewritten
    assert disk.load("demo", ["a"]) == {"value": 3}


def test_disabled_cache_neither_reads_nor_writes(cache_dir, monkeypatch):
    disk.store("demo", ["a"], {"value": 1})
    monkeypatch.setenv("FPTHEORY_NO_CACHE", "1")
    assert disk.load("demo", ["a"]) is None
    assert not disk.store("demo", ["b"], {"value": 1})
    monkeypatch.delenv("FPTHEORY_NO_CACHE")
    disk.set_enabled(False)
    assert disk.load("demo", ["a"]) is None


def _hammer(folder: str, worker: int) -> None:
    os.environ["FPTHEORY_CACHE_DIR"] = folder
    for i in range(40):
        disk.store("demo", ["shared"], {"worker": worker, "i": i, "pad": "x" * 5000})
        found = disk.load("demo", ["shared"])
        assert found is None or found["pad"] == "x" * 5000


def test_concurrent_writers_never_leave_half_an_entry(cache_dir):
    ctx = mp.get_context("fork")
    procs = [ctx.Process(target=_hammer, args=(str(cache_dir), n)) for n in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    found = disk.load("demo", ["shared"])
    assert found is not None and found["pad"] == "x" * 5000 and found["i"] == 39
    assert not list(cache_dir.rglob(".tmp-*"))


def _base_names() -> list[str]:
    return [n for n in bt.BASE_NAMES if not n.startswith("dirac")] + ["dirac0", "dirac1", "dirac2"]


def _same_base(a: bt.BaseTransform, b: bt.BaseTransform) -> bool:
    def exprs(t: bt.BaseTransform) -> list:
        s = t.spectrum
        return ([t.function, s.regular] + [e for d in s.deltas for e in (d.coefficient, d.at)]
                + list(s.poles) + [e for g in t.singularities for e in (g.at, g.leading)])

    if (a.name, a.derivation, [d.order for d in a.spectrum.deltas],
            [(g.kind, g.order) for g in a.singularities]) != (
            b.name, b.derivation, [d.order for d in b.spectrum.deltas],
            [(g.kind, g.order) for g in b.singularities]):
        return False
    return all(p == q or sp.simplify(p - q) == 0 for p, q in zip(exprs(a), exprs(b), strict=True))


def test_every_cached_base_transform_equals_a_fresh_derivation(cache_dir):
    """The cache can never hide a wrong result: each entry on disk, read back, is compared
    with a derivation from scratch (exactly; sympy simplify for the expressions)."""
    for name in _base_names():
        bt.base_transform(name)  # derives and stores
    entries = list(cache_dir.glob("base-transforms/*/*.json"))
    assert len(entries) == len(_base_names())
    for path in entries:
        record = json.loads(path.read_text())["payload"]
        cached = bt.from_record(record)
        assert _same_base(cached, bt.derive(cached.name)), cached.name
    # and a second process-level read comes from the disk, not from a derivation
    bt._MEMORY.clear()
    assert bt._from_disk("tanh") is not None


def _fresh_derivations() -> dict:
    """Each namespace of remembered sympy results -> its derivation from scratch."""
    from fptheory.fourier.decay import PEAK_NAMESPACE, _pack, spectral_peak_now
    from fptheory.fourier.distributions import TIDY_NAMESPACE, tidy_now

    return {TIDY_NAMESPACE: tidy_now, disk.SIMPLIFY_NAMESPACE: sp.simplify,
            PEAK_NAMESPACE: lambda regular: _pack(spectral_peak_now(regular))}


def test_every_remembered_simplification_and_peak_equals_a_fresh_derivation(cache_dir):
    """The simplifications and spectral peaks a warm run reads instead of deriving: every entry
    written while transforming (and reading the decay and peak of) several registry functions
    and while proving an identity is derived again from its key, without the cache, and must
    be the very same object."""
    from fptheory.fourier import ANGULAR, decay_of, fourier_transform, spectral_peak

    for text in ("tanh(x)", "Heaviside(x)*x", "exp(-x**2)", "(1 - x**2)*exp(-x**2/2)",
                 "tanh(w*x + 1)"):
        result = fourier_transform(text, "x", ANGULAR)
        decay_of(result)
        spectral_peak(result)
    # the kernel's simplifications of lhs - rhs, one per sign case
    proved = assess_identity(sp.Abs(w * x) * sp.sinh(2 * x), 2 * w * sp.Abs(x) * sp.sinh(x)
                             * sp.cosh(x), "double angle")
    assert proved.verdict.value == "proved"
    derivations = _fresh_derivations()
    counts = dict.fromkeys(derivations, 0)
    for path in cache_dir.glob("*/*/*.json"):
        entry = json.loads(path.read_text())
        if entry["namespace"] not in derivations:
            continue
        (argument,) = (expr_from_text(t) for t in entry["key"])
        stored = entry["payload"]["value"]
        assert expr_to_text(derivations[entry["namespace"]](argument)) == stored, path
        counts[entry["namespace"]] += 1
    assert all(n > 0 for n in counts.values()), counts


def test_remembered_values_are_read_back_and_unreadable_ones_not_stored(cache_dir):
    calls = []

    def derive():
        calls.append(1)
        return sp.sin(x) ** 2 + sp.cos(x) ** 2

    assert disk.remembered("demo", [x], derive) == sp.sin(x) ** 2 + sp.cos(x) ** 2
    assert disk.remembered("demo", [x], derive) == sp.sin(x) ** 2 + sp.cos(x) ** 2
    assert len(calls) == 1  # the second answer came from the disk
    outside = sp.LambertW(x)  # not in the reader's grammar: answered, never stored
    assert disk.remembered("demo", [w], lambda: outside) == outside
    assert disk.load("demo", [expr_to_text(w)]) is None
    disk.set_enabled(False)
    assert disk.remembered("demo", [x], derive) == sp.sin(x) ** 2 + sp.cos(x) ** 2
    assert len(calls) == 2  # caching off: derived


def test_hostile_base_transform_entry_is_ignored_and_rederived(cache_dir):
    bt.base_transform("heaviside")
    (path,) = cache_dir.glob("base-transforms/*/*.json")
    entry = json.loads(path.read_text())
    # a well-formed entry (valid checksum) whose expression tries to run code
    entry["payload"]["regular"] = "exp('__import__(\"os\").system(\"touch PWNED\")')"
    entry["checksum"] = disk._checksum(entry["payload"])
    path.write_text(json.dumps(entry))
    bt._MEMORY.clear()
    assert bt._from_disk("heaviside") is None
    again = bt.base_transform("heaviside")
    assert _same_base(again, bt.derive("heaviside"))
    assert not Path("PWNED").exists()


def _ft_json(capsys, *extra: str) -> dict:
    assert main(["ft", "tanh(x)", "--at", "1.3", "--json", *extra]) == 0
    out = json.loads(capsys.readouterr().out)
    out["numeric_check"].pop("cached")
    out["numeric_check"]["summary"] = out["numeric_check"]["summary"].removeprefix(CACHED_NOTE)
    for v in out["values"]:
        v["numeric_check"].pop("cached")
    return out


def test_ft_is_identical_with_and_without_the_cache(cache_dir, capsys):
    cold = _ft_json(capsys)
    bt._MEMORY.clear()
    assert main(["ft", "tanh(x)", "--at", "1.3", "--json"]) == 0
    warm_raw = json.loads(capsys.readouterr().out)
    assert warm_raw["numeric_check"]["cached"] is True  # a reused check says so
    assert warm_raw["values"][0]["numeric_check"]["cached"] is True
    bt._MEMORY.clear()
    warm = _ft_json(capsys)
    bt._MEMORY.clear()
    fresh = _ft_json(capsys, "--no-cache")
    assert cold == warm == fresh
    assert cold["decay"]["method"] == "structure"


def test_cache_info_and_clear_commands(cache_dir, capsys):
    disk.store("demo", ["a"], {"value": 1})
    assert main(["cache", "info", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["folder"] == str(cache_dir) and info["namespaces"]["demo"]["entries"] == 1
    assert main(["cache", "clear"]) == 0
    assert "removed 1 cache entry" in capsys.readouterr().out
    assert disk.load("demo", ["a"]) is None
    assert main(["cache", "info"]) == 0
    assert "no entries" in capsys.readouterr().out


def test_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("FPTHEORY_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert disk.cache_dir() == tmp_path / "fptheory"
    monkeypatch.setenv("FPTHEORY_CACHE_DIR", str(tmp_path / "mine"))
    assert disk.cache_dir() == tmp_path / "mine"


def test_the_suite_never_writes_the_users_cache():
    """conftest points FPTHEORY_CACHE_DIR at a temporary folder before any fixture runs."""
    import tempfile

    folder = disk.cache_dir().resolve()
    assert folder.is_relative_to(Path(tempfile.gettempdir()).resolve())
    assert folder.name.startswith("fptheory-test-cache-")
