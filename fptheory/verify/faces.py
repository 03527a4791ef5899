"""Exact faces: the expression substituted exactly where a side of the box is one number.

On a face s = 0 of a relation's substitution variable (y = x + s·(hi − x), so y = x), and
on a face where any variable sits at one of its domain's ends (x = hi; in a relation's
piece, where y's side shrinks to a point), the kernel may judge the exactly substituted
expression (sympy's ``subs``) instead of the expression on the degenerate box: both are
the same function there, and the original must still pass the walk on the face. Where
the substituted expression is small, within rounding of 0 at the face's centre, and shown
identically 0 by :func:`~fptheory.verify.equality.exactly_equal`, 0 is a candidate too:
the slope of a symmetric margin on the diagonal, which sympy leaves as
(2 − x)·eˣ/2 − (1 − x/2)·eˣ, has an enclosure around 0 on every box, and is 0; so is the
margin of sinh(x)·sinh(y) ≤ sinh(1)·sinh(xy) on the face y = 1, an equality all along it.

>>> from fptheory.verify.kernel import Kernel
>>> x, s = sp.symbols("x s", real=True)
>>> slope = (2 - x)*sp.exp(x + s*(2 - x))/2 - (1 - x/2)*sp.exp(x + s*(2 - x)/2)
>>> face = [(sp.Integer(0), sp.Integer(1)), (sp.Integer(0), sp.Integer(0))]
>>> list(face_candidates(Kernel([x, s], exact_faces=frozenset({s})), slope, face))[-1]
0
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import sympy as sp
from flint import arb, ctx

from fptheory.core.errors import FPTheoryError

from .backends import Interval, Undefined, _infinite
from .equality import exactly_equal

__all__ = ["FaceCache", "face_candidates", "FACE_ZERO_SECONDS", "FACE_ZERO_NODES"]

#: seconds sympy may spend showing one exactly substituted face expression identically 0
FACE_ZERO_SECONDS = 1.0
#: the largest face expression (in nodes) whose exact 0 is looked for
FACE_ZERO_NODES = 120


@dataclass
class FaceCache:
    """A kernel's substituted faces and which of them are identically 0."""

    substituted: dict[tuple[Any, ...], sp.Expr] = field(default_factory=dict)
    zero: dict[sp.Expr, bool] = field(default_factory=dict)


def face_candidates(kernel: Any, expr: sp.Expr, box: Sequence[Interval]) -> Iterator[sp.Expr]:
    """On a face of one of the kernel's ``exact_faces`` variables, or at one of a
    variable's ``face_ends``: the exactly substituted expression and its admitted forms,
    then 0 where it is shown identically 0 (tried last: the check costs sympy time, and
    only a face no other candidate closed needs it)."""
    fixed = {v: lo for v, (lo, hi) in zip(kernel.variables, box, strict=True)
             if lo == hi and not _infinite(lo)
             and (v in kernel.exact_faces or lo in kernel.face_ends.get(v, ()))}
    if not fixed or expr.has(sp.Max, sp.Min):  # (Max/Min of numbers: see exact zero)
        return
    key = (expr, tuple(fixed.items()))
    if key not in kernel.faces.substituted:
        kernel.faces.substituted[key] = expr.subs(fixed)
    face = kernel.faces.substituted[key]
    if face.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        return
    yield face
    yield from kernel.forms_of(face)
    if _zero_on_face(kernel, face, box):
        yield sp.S.Zero


def _zero_on_face(kernel: Any, face: sp.Expr, box: Sequence[Interval]) -> bool:
    """Tried only where the face is within rounding of 0 at the box's centre (a proposal:
    the exact equality decides) and small: most faces are not 0, and sympy's time on each
    would add up over the boxes of a search."""
    if face.is_number or not face.free_symbols or kernel._size(face) > FACE_ZERO_NODES:
        return False  # a number: the point judgement's exact zero decides it
    if face not in kernel.faces.zero:
        left = kernel.deadline - time.perf_counter()
        kernel.faces.zero[face] = left > 0 and _near_zero_at_centre(kernel, face, box) and \
            exactly_equal(face, sp.S.Zero, min(FACE_ZERO_SECONDS, left)) is not None
    return kernel.faces.zero[face]


def _near_zero_at_centre(kernel: Any, expr: sp.Expr, box: Sequence[Interval]) -> bool:
    centre = [(lo, lo) if lo == hi else ((lo + hi) / 2, (lo + hi) / 2) for lo, hi in box]
    if any(_infinite(lo) for lo, _ in centre):
        return False
    try:
        b = kernel.enclose(expr, centre)
    except (Undefined, FPTheoryError):
        return False
    return bool(abs(b) < arb(2) ** (-ctx.prec // 2))
