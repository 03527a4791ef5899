"""The one place for checking the command line's input: every helper raises
:class:`~fptheory.core.errors.FPTheoryError` (one line on stderr, exit 2) for a bad value.

- :func:`positive_int`, :func:`positive_float`, :func:`finite_float`, :func:`int_range`:
  numbers (NaN, inf, zero and negative values refused where a positive one is needed);
- :func:`writable_file`, :func:`writable_dir`: an output path checked *before* the work;
- :func:`memory_bytes`, :func:`fits_in_memory`: a size whose memory, estimated up front
  from the arrays the computation allocates, exceeds the machine's is refused, with the
  estimate in the message.
"""

from __future__ import annotations

import math
import os
import tempfile
from pathlib import Path

from fptheory.core.errors import FPTheoryError

__all__ = ["positive_int", "nonnegative_int", "positive_float", "nonnegative_float", "finite_float",
           "int_range", "writable_file", "writable_dir", "memory_bytes", "fits_in_memory", "human_bytes",
           "check_lfp_width", "check_lfp_K", "check_alpha_M"]


def positive_int(value: int | None, option: str, *, minimum: int = 1) -> int | None:
    """``value`` (None passes) when it is an integer >= ``minimum``."""
    if value is not None and value < minimum:
        raise FPTheoryError(f"{option} must be >= {minimum}, got {value}")
    return value


def nonnegative_int(value: int | None, option: str) -> int | None:
    return positive_int(value, option, minimum=0)


def int_range(value: int | None, option: str, lo: int, hi: int) -> int | None:
    if value is not None and value < lo:
        raise FPTheoryError(f"{option} must be at least {lo}, got {value}")
    if value is not None and value > hi:
        raise FPTheoryError(f"{option} must be at most {hi}, got {value}")
    return value


def finite_float(value: float | None, option: str) -> float | None:
    if value is not None and not math.isfinite(value):
        raise FPTheoryError(f"{option} must be a finite number, got {value}")
    return value


def nonnegative_float(value: float | None, option: str) -> float | None:
    if value is not None and not (math.isfinite(value) and value >= 0):
        raise FPTheoryError(f"{option} must be a finite number >= 0, got {value}")
    return value


def positive_float(value: float | None, option: str) -> float | None:
    """``value`` (None passes) when it is a finite number > 0."""
    if value is not None and not (math.isfinite(value) and value > 0):
        raise FPTheoryError(f"{option} must be a finite number > 0, got {value}")
    return value


def _first_existing(path: Path) -> Path:
    path = path.absolute()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def writable_dir(text: str | os.PathLike, option: str, shown: str | os.PathLike | None = None) -> Path:
    """A folder that exists and can be written to, or could be made (its first existing
    ancestor is a writable folder); nothing is created, but a temporary file is tried.
    ``shown``: the path the message names (default ``text``)."""
    path = Path(text)
    name = f"{option} {shown if shown is not None else path}"
    if path.exists() and not path.is_dir():
        raise FPTheoryError(f"{name}: {path} is not a folder")
    base = _first_existing(path)
    if not base.is_dir():
        raise FPTheoryError(f"{name}: cannot make a folder under {base} (not a folder)")
    try:  # a real test (root passes os.access on read-only and special file systems)
        with tempfile.TemporaryFile(dir=base):
            pass
    except OSError as exc:
        raise FPTheoryError(f"{name}: cannot write to {base} "
                            f"({exc.strerror or type(exc).__name__})") from None
    return path


def writable_file(text: str | os.PathLike, option: str) -> Path:
    """A file path whose file can be written (it is not a folder, and its folder exists and
    is writable, or can be made); nothing is created."""
    path = Path(text)
    if str(text).strip() == "" or path.is_dir():
        raise FPTheoryError(f"{option} {str(text)!r}: is a folder, not a file name")
    if path.exists() and not os.access(path, os.W_OK):
        raise FPTheoryError(f"{option} {path}: cannot write (permission denied)")
    writable_dir(path.parent, option, path)
    return path


def human_bytes(n: float) -> str:
    for unit, size in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n / 1e3:.3g} kB"


def memory_bytes() -> int:
    """Physical memory of this machine (``os.sysconf``); 8 GiB where it cannot be read."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return 8 * 2**30


def fits_in_memory(needed: float, what: str, *, largest: str = "") -> None:
    """Refuse ``what`` when its estimated ``needed`` bytes exceed the physical memory;
    ``largest`` says, in words, the largest value that fits."""
    have = memory_bytes()
    if needed > have:
        tail = f"; at most {largest} fits" if largest else ""
        raise FPTheoryError(f"{what} needs ~{human_bytes(needed)} of memory, more than this "
                            f"machine's {human_bytes(have)}{tail}")


# ---------------------------------------------------------------------------------------
# memory estimates of the sub-commands, from the arrays they allocate

#: lfp: the ReLU net is evaluated on chunks of 256 points (a few 256 × width float64
#: arrays) and trained with a few copies of its 3·width parameters.
_LFP_BYTES_PER_UNIT = 8 * (256 * 3 + 64)
#: lfp: the LFP model has J = 10·K frequencies (L' = 10 L) and is evaluated on a 401-point
#: grid (401 × J float64 phases, their sine and cosine), twice (both γ arguments).
_LFP_BYTES_PER_K = 10 * 8 * 401 * 4


def check_lfp_width(width: int, option: str = "--width") -> None:
    fits_in_memory(width * _LFP_BYTES_PER_UNIT, f"{option} {width}",
                   largest=f"{option} {memory_bytes() // _LFP_BYTES_PER_UNIT}")


def check_lfp_K(K: int, ratio: float = 10.0) -> None:
    """lfp: J = ratio·K frequencies (ratio = L'/L, 10 by default)."""
    per = _LFP_BYTES_PER_K * ratio / 10
    largest = int(memory_bytes() // per)
    fits_in_memory(int(K * per), f"--K {K}" + (f" with L'/L = {ratio:g}" if ratio != 10 else ""),
                   largest=f"--K {largest}" if largest >= 1 else "")


def check_alpha_M(M: int, largest_M: int, dim: int, points: int) -> None:
    """alpha: (2M+1)^d frequencies, complex phases of every training point at each, and an
    FFT grid (at least 2M+1 points an axis) with its mesh: ~16·(points + 16) bytes each."""
    per = 16 * (points + 16)
    need = (2 * largest_M + 1) ** dim * per
    largest = int(((memory_bytes() / per) ** (1 / dim) - 1) // 2)
    study = f", the scaling study up to M = {largest_M}" if largest_M != M else ""
    fits_in_memory(need, f"--M {M} (d = {dim}{study})", largest=f"M = {largest}")
