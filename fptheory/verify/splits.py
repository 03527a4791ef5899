"""How the search splits a box: at the middle of its widest side, or, where the margin's
slopes over the box are known, of the side with the largest |∂g/∂x_i|·width (the side that
spreads the margin's values most: a 6-variable Flyspeck bound needs an eighth fewer boxes);
at a power of 2 on a side spanning more than a factor 8 (a scale variable), and a side
reaching ±∞ first: a whole line (-∞, ∞) at 0 before any tail, a tail at powers of 16 up to
TAIL_CAP. Splitting only shapes the boxes: the leaves' coverage of the domain is checked
exactly."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import mpmath
import numpy as np
import sympy as sp

from .backends import Interval, _infinite
from .extended import TAIL_CAP

__all__ = ["Budget", "slope_smear", "split_box", "tail_reason"]


class Budget(Exception):
    """A budget (boxes or time) of the search ran out."""


def _finite_ends(lo: sp.Expr, hi: sp.Expr) -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    """(low, middle, high) exact finite points of [lo, hi]; on a side reaching ±∞, points
    1 + |a| and 2 (1 + |a|) beyond its finite end a."""
    if lo == -sp.oo and hi == sp.oo:
        return sp.Integer(-1), sp.Integer(0), sp.Integer(1)
    if hi == sp.oo:
        return lo, lo + 1 + abs(lo), lo + 2 * (1 + abs(lo))
    if lo == -sp.oo:
        return hi - 2 * (1 + abs(hi)), hi - 1 - abs(hi), hi
    return lo, (lo + hi) / 2, hi


def _tail_cut(a: sp.Expr) -> sp.Integer:
    """The next cut of a tail [a, ∞): the least power of 16 above a (at least 1), so the
    tail is cut into [a, 16^k], [16^k, 16^(k+1)], ... and the box [16^n, ∞) that is left."""
    cut = sp.Integer(1)
    while bool(cut <= a):
        cut *= 16
    return cut


def _split_or_keep_open(box: list[Interval], open_tails: list,
                        settled: frozenset[int] = frozenset(),
                        smear: Sequence[float] | None = None) -> list[list[Interval]]:
    try:
        return list(split_box(box, settled, smear))
    except _TailOpen as exc:
        open_tails.append(exc)
        return []


class _TailOpen(Budget):
    """No rule closes a box reaching ±∞ whose finite end is past TAIL_CAP."""

    def __init__(self, box: list[Interval]) -> None:
        super().__init__("tail")
        self.box = box


def split_box(box: list[Interval], settled: frozenset[int] = frozenset(),
              smear: Sequence[float] | None = None) -> tuple[list[Interval], list[Interval]]:
    """The box cut in two (module docstring). ``settled`` are sides the search found the
    margin monotone in, its minimum on a face that did not close: cutting them leaves that
    face whole, so another side is cut while one is wider than 1/64 of the widest.
    ``smear``: bounds of |∂g/∂x_i| over the box; among those sides (none a scale variable)
    the one with the largest bound times width is cut."""
    whole = [i for i, (lo, hi) in enumerate(box) if lo == -sp.oo and hi == sp.oo]
    for i in whole or range(len(box)):  # a side reaching ±∞ is cut first, up to TAIL_CAP:
        lo, hi = box[i]  # a whole line first (at 0), then the tails in order
        if lo == -sp.oo and hi == sp.oo:
            cut = sp.Integer(0)
        elif hi == sp.oo and bool(lo < TAIL_CAP):
            cut = _tail_cut(lo)
        elif lo == -sp.oo and bool(hi > -TAIL_CAP):
            cut = -_tail_cut(-hi)
        else:
            continue
        left, right = list(box), list(box)
        left[i], right[i] = (lo, cut), (cut, hi)
        return left, right
    finite = [j for j, (lo, hi) in enumerate(box) if not (_infinite(lo) or _infinite(hi))]
    widths = {j: float(sp.N(box[j][1] - box[j][0])) for j in finite}
    if len(finite) < len(box):  # a tail past TAIL_CAP: split the other sides a little
        if not any(w > 2.0**-6 * (1 + abs(float(sp.N(box[j][0])))) for j, w in widths.items()):
            raise _TailOpen(box)
    logs = {j: (float(sp.N(sp.log(box[j][1] / box[j][0]), 15)) if box[j][0].is_positive
                else 0.0) for j in finite}  # (the log of the ratio: 1e-1000 is no float)
    def size(j: int) -> float:
        return max(widths[j], logs[j] if logs[j] > np.log(8) else 0)
    widest = max(size(j) for j in finite)
    free = [j for j in finite if j not in settled and size(j) > widest / 64] or finite
    i = max(free, key=size)
    if smear is not None and all(logs[j] <= np.log(8) for j in free):
        i = max(free, key=lambda j: (smear[j] * widths[j], size(j)))
    lo, hi = box[i]
    if logs[i] > np.log(8):  # a scale variable: cut at a power of 2 near √(lo·hi)
        half = float(sp.N((sp.log(lo, 2) + sp.log(hi, 2)) / 2, 15))
        mid = sp.Integer(2) ** int(round(half))
        if not bool(lo < mid) or not bool(mid < hi):
            mid = (lo + hi) / 2
    else:
        mid = (lo + hi) / 2
    left, right = list(box), list(box)
    left[i], right[i] = (lo, mid), (mid, hi)
    return left, right


def slope_smear(kernel: Any, g: sp.Expr, box: list[Interval]) -> list[float] | None:
    """|∂g/∂x_i| over the box (the upper end of each slope enclosure's magnitude) from the
    affine slopes the monotone rule computed for it (the kernel remembers them), or None.
    Times the side's width, it says how much of g's spread over the box comes from each side
    (the "smear" of interval branch and bound): the split cuts the side with the most."""
    if sum(1 for lo, hi in box if lo != hi) < 2:
        return None
    slopes = kernel.affine_partials(g, box)
    if slopes is None:
        return None
    return [min(float(abs(s).upper()), 1e300) for s in slopes]


def tail_reason(g: sp.Expr, variables: Sequence[sp.Symbol], box: list[Interval],
                 digits: int) -> str:
    """Why a tail box stays open, from data: g at the finite end of the tail (30 digits)
    and g there relative to the terms' size; a small relative value says the bound is tight
    at infinity (its infimum is approached as x → ∞, so no finite box ends it)."""
    point = {v: _finite_ends(lo, hi)[0 if hi == sp.oo or not _infinite(lo) else 2]
             if _infinite(lo) or _infinite(hi) else (lo + hi) / 2
             for v, (lo, hi) in zip(variables, box, strict=True)}
    where = ", ".join(f"{v} = {sp.sstr(sp.N(x, 3))}" for v, x in point.items()
                      if _infinite(dict(zip(variables, box, strict=True))[v][0])
                      or _infinite(dict(zip(variables, box, strict=True))[v][1]))
    with mpmath.workdps(digits + 10):
        try:
            value = sp.N(g.xreplace(point), digits)
            scale = sum(abs(sp.N(t.xreplace(point), 5)) for t in sp.Add.make_args(g))
            small = bool(abs(value) <= 1e-6 * max(scale, 1))
            shown = sp.sstr(sp.N(value, 6))
        except (TypeError, ValueError, ArithmeticError):
            small, shown = False, "not evaluable"
    if small:
        return (f"tight at infinity: no rule closes the tail from {where} on, where g = "
                f"{shown} is 0 to 6 digits (the bound's infimum is approached at ±∞)")
    return (f"not decided on the tail from {where} on (g = {shown} there): its enclosures "
            "by extended interval arithmetic are too wide")
