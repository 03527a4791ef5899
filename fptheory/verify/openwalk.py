"""The open walk: enclosures on a box that touches an excluded end of the domain, or reaches
±∞ (no point of a box), where a logarithm or a power has a pole at that end (the kernel's
``interval off excluded ends``).

On 0 < x < 9/4 the margin -log(sin(x/2)) + (π - x)/2 - Σ cos(kx)/k tends to +∞ at the
excluded end 0. No box [0, ε] passes the definedness walk (sin(x/2) reaches 0 there), and
moving the end to infinity (x = e^(-u)) leaves the same pole at u = ∞. Yet every point of
the domain in [0, ε] has sin(x/2) in (0, sin(ε/2)], so -log(sin(x/2)) ≥ -log(sin(ε/2)) there.

The open walk is the definedness walk in extended interval arithmetic (mpmath.iv) with one
more way through a logarithm or a power whose argument's enclosure fails the walk's test
(``puncture`` of :func:`~fptheory.verify.backends.compile_balls`): the argument u passes
its own walk on the closed box and its sign at every point of the box off the domain's
excluded ends is shown by :func:`~fptheory.verify.signs.sign_by_parts` (> 0 for log u and
u^p, p not an integer; ≠ 0 and of one sign for u^(-n)). The node's enclosure is then taken
over those points only (:func:`open_value`): log u ∈ [-∞, log hi] for u ∈ (0, hi], u^(-n) ∈
[hi^(-n), ∞]. Every other step is the extended walk's, so the enclosure of the whole
expression holds at every point of the box off the excluded ends, each point with a real,
finite value; an end of it may be infinite (the pole), and [c, ∞] with c > 0 closes expr > 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import mpmath
import sympy as sp

from fptheory.core.errors import FPTheoryError

from .backends import Interval, Undefined, _Enclosure, _iv_ends, _iv_interval, compile_balls
from .extended import EXTENDED, _iv_exact, iv_enclosure

if TYPE_CHECKING:
    from .openends import Excluded

__all__ = ["open_value", "open_enclosure", "open_interval", "open_defined"]


def open_value(node: sp.Expr, argument: Any, sign: int | None) -> Any:
    """An mpmath.iv enclosure of ``node`` (log u, or u to a number's power) at the points
    where u lies in the interval ``argument`` and has the ``sign`` (2: u > 0, 1: u ≥ 0,
    -2: u < 0, as :func:`~fptheory.verify.signs.sign_by_parts` gives it); None when that
    sign does not make the node defined.

    >>> x = sp.Symbol("x")
    >>> open_value(sp.log(x), mpmath.iv.mpf([0, 1]), 2)
    mpi('-inf', '0.0')
    >>> open_value(1 / x, mpmath.iv.mpf([-2, 0]), -2)
    mpi('-inf', '-0.5')
    """
    lo, hi = _iv_ends(argument)
    inf = mpmath.inf
    if isinstance(node, sp.log) or not node.exp.is_Integer:
        exponent = None if isinstance(node, sp.log) else node.exp
        if sign == 1 and exponent is not None and exponent.is_positive and exponent.is_number:
            sign = 2 if hi > 0 else None  # u^p with p > 0: u = 0 gives 0, the image's end
        if sign != 2 or not hi > 0:
            return None
        logs = _iv_interval(-inf, _iv_ends(mpmath.iv.log(mpmath.iv.mpf(hi)))[1])
        if exponent is None:
            return logs
        if not (exponent.is_number and exponent.is_real):
            return None
        return mpmath.iv.exp(logs * _iv_exact(exponent))
    n = int(node.exp)
    if n >= 0 or sign not in (2, -2):
        return None
    # (negated in iv, exactly: mp's own negation rounds to mp's precision, below iv's)
    largest = mpmath.iv.mpf(hi) if sign == 2 else -mpmath.iv.mpf(lo)  # |u| ∈ (0, largest]
    if not _iv_ends(largest)[0] > 0:
        return None
    least = largest ** n  # |u|^n ≥ largest^n (n < 0): its lower end
    if sign == -2 and n % 2:
        return _iv_interval(-inf, _iv_ends(-least)[1])
    return _iv_interval(_iv_ends(least)[0], inf)


@dataclass
class _Walk:
    """One expression's compiled open walk, and the box and excluded ends it walks."""

    kernel: Any
    box: Sequence[Interval] = ()
    excluded: Excluded = field(default_factory=dict)
    fn: Any = None

    def puncture(self, node: sp.Expr, argument: Any) -> Any:
        u = node.args[0] if isinstance(node, sp.log) else node.base
        # (u itself may have a pole at an excluded end, (1 - p)/(1 - q) at the corner p = q = 1:
        # walked open too, it has a real, finite value at every point the node is taken over)
        if not self.kernel.defined(u, self.box, extended=True) and not open_defined(
                self.kernel, u, self.box, self.excluded):
            return None
        return open_value(node, argument, self.kernel.sign(u, self.box, excluded=self.excluded))


def open_enclosure(kernel: Any, expr: sp.Expr, box: Sequence[Interval],
                   excluded: Excluded) -> _Enclosure:
    """The open walk's enclosure of expr at every point of the box off the ``excluded``
    ends (module docstring). Raises :class:`Undefined` when the walk fails,
    :class:`FPTheoryError` when a function has no extended kernel."""
    key = (expr, "open")
    walk = kernel._compiled.get(key)
    if walk is None:
        walk = _Walk(kernel)
        try:
            walk.fn = compile_balls(expr, kernel.variables, EXTENDED, checked=True,
                                    puncture=walk.puncture)
        except FPTheoryError:
            walk.fn = None
        kernel._compiled[key] = walk
    if walk.fn is None:
        raise FPTheoryError("no extended kernel for the expression")
    walk.box, walk.excluded = box, excluded
    return iv_enclosure(walk.fn, expr, box)

def open_interval(kernel: Any, expr: sp.Expr, box: Sequence[Interval], strict: bool,
                  excluded: Excluded) -> bool:
    """The ``interval off excluded ends`` judgement: the open walk of expr, or of an
    admitted form of it (each walked itself), is ≥ 0 (> 0 if strict) on the box less the
    domain's excluded ends."""
    for candidate in (expr, *kernel.forms_of(expr)):
        try:
            b = open_enclosure(kernel, candidate, box, excluded)
        except (Undefined, FPTheoryError):
            continue
        if b > 0 or (not strict and b >= 0):
            return True
    return False


def open_defined(kernel: Any, expr: sp.Expr, box: Sequence[Interval], excluded: Excluded) -> bool:
    """expr has a real, finite value at every point of the box off the excluded ends, by
    the open walk (log(sin(x/2)) on (0, 1])."""
    try:
        open_enclosure(kernel, expr, box, excluded)
    except (Undefined, FPTheoryError):
        return False
    return True
