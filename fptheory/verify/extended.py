"""Extended interval arithmetic (mpmath.iv) for boxes reaching ±∞, and for bounded boxes
whose arb walk fails by its balls' rounding: the :data:`EXTENDED` backend.

arb is midpoint-radius: a ball reaching ∞ is nan. mpmath.iv keeps [a, +∞] intervals and its
rigorous kernels (mpmath.libmp.libmpi) handle infinite endpoints: exp([-∞, -1]) = [0, e⁻¹],
1/[1, ∞] = [0, 1], log([1, ∞]) = [0, ∞], ∞ - ∞ = [-∞, ∞], 0·[1, ∞] = [-∞, ∞]. Where iv's
convention would drop a point where the expression is undefined (1/[0, 1] = [1, ∞],
log([0, 1]) ∋ -∞) or a function has no rigorous kernel, the wrappers below raise and the
form gives no enclosure: the box stays open. Each wrapper is tested against mpmath point
values and limits (tests/test_certify.py, tests/test_extended.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import mpmath
import sympy as sp
from flint import arb, ctx
from mpmath.libmp import libmpf, libmpi

from fptheory.core.errors import FPTheoryError

from .backends import BallBackend, Undefined, _Enclosure, _iv_ends, _iv_interval, compile_balls

__all__ = ["EXTENDED", "TAIL_CAP", "iv_enclosure"]

#: a box [X, ∞) that no rule closes once X ≥ TAIL_CAP ends the search in "unknown" (tight
#: at infinity); the face x = ∞ of the monotone rule is the enclosure over [TAIL_CAP, ∞)
TAIL_CAP = sp.Integer(2) ** 100


def _iv_constant(e: sp.Expr) -> Any:
    iv = mpmath.iv
    if e.is_Integer:
        return iv.mpf(int(e))
    if e.is_Rational or e.is_Float:
        q = sp.Rational(e)
        return iv.mpf(int(q.p)) / int(q.q)
    if e is sp.pi:
        return iv.pi + 0  # + 0 evaluates the lazy constant at the current precision
    if e is sp.E:
        return iv.e + 0
    raise FPTheoryError(f"constant {e} not supported in certified mode")


def _iv_nonzero(b: Any) -> Any:
    lo, hi = _iv_ends(b)
    if lo <= 0 <= hi:
        raise ZeroDivisionError("division by an interval containing 0")
    return b


def _iv_power(b: Any, n: int) -> Any:
    return (_iv_nonzero(b) if n < 0 else b) ** n


def _iv_log(b: Any) -> Any:
    if _iv_ends(b)[0] <= 0:
        raise ValueError("log of an interval reaching 0")
    return mpmath.iv.log(b)


def _iv_sqrt(b: Any) -> Any:
    if _iv_ends(b)[0] < 0:
        raise ValueError("sqrt of an interval reaching below 0")
    return mpmath.iv.sqrt(b)


def _iv_raw(kernel: Callable[..., Any]) -> Callable[[Any], Any]:
    return lambda b: mpmath.iv.make_mpf(kernel(b._mpi_, mpmath.iv.prec))


def _iv_cosh(b: Any) -> Any:
    lo, hi = _iv_ends(mpmath.iv.make_mpf(libmpi.mpi_cosh_sinh(b._mpi_, mpmath.iv.prec)[0]))
    return _iv_interval(max(lo, mpmath.mpf(1)), hi)  # the kernel's lower end can be < 1


def _iv_sinh(b: Any) -> Any:
    return mpmath.iv.make_mpf(libmpi.mpi_cosh_sinh(b._mpi_, mpmath.iv.prec)[1])


def _iv_tanh(b: Any) -> Any:
    return 1 - 2 / (mpmath.iv.exp(2 * b) + 1)  # b enters once: no dependency loss


def _iv_clip(b: Any) -> Any:
    lo, hi = _iv_ends(b)
    zero = mpmath.mpf(0)
    return _iv_interval(max(lo, zero), max(hi, zero))


def _iv_max(a: Any, b: Any) -> Any:
    (alo, ahi), (blo, bhi) = _iv_ends(a), _iv_ends(b)
    return _iv_interval(max(alo, blo), max(ahi, bhi))


def _iv_min(a: Any, b: Any) -> Any:
    (alo, ahi), (blo, bhi) = _iv_ends(a), _iv_ends(b)
    return _iv_interval(min(alo, blo), min(ahi, bhi))


#: extended-interval backend for boxes reaching ±∞ (asin, acos and sign have no kernel:
#: a statement using them on an unbounded domain is refused with a one-line error)
def _iv_tan(b: Any) -> Any:
    """tan on an interval whose cosine is away from 0 (iv's tan over a pole is [-∞, ∞],
    an enclosure of a function that is undefined there)."""
    _iv_nonzero(mpmath.iv.cos(b))
    return mpmath.iv.tan(b)


def _iv_root(b: Any, r: int) -> Any:
    lo, hi = _iv_ends(b)
    if lo < 0:
        raise ValueError("root of an interval reaching below 0")
    if lo > 0:
        return mpmath.iv.exp(mpmath.iv.log(b) / r)
    if hi == 0:
        return mpmath.iv.mpf(0)
    top = mpmath.iv.exp(mpmath.iv.log(_iv_interval(hi, hi)) / r)
    return _iv_interval(mpmath.mpf(0), _iv_ends(top)[1])


def _iv_real_power(b: Any, y: Any) -> Any:
    """x^y for x in b ≥ 0 reaching 0 and y in an interval > 0, with 0^y = 0: [0, u^y] with
    u b's upper end (x^y is increasing in x), u^y enclosed over y."""
    hi = _iv_ends(b)[1]
    if hi == 0:
        return mpmath.iv.mpf(0)
    if mpmath.isinf(hi):
        return _iv_interval(mpmath.mpf(0), mpmath.inf)
    top = mpmath.iv.exp(mpmath.iv.log(_iv_interval(hi, hi)) * y)
    return _iv_interval(mpmath.mpf(0), _iv_ends(top)[1])


def _iv_step(kind: str) -> Callable[[Any], Any]:
    values = {"sign": (1, -1, 0, (-1, 1))}[kind]

    def step(b: Any) -> Any:
        lo, hi = _iv_ends(b)
        right, left, at_zero, (a, c) = values
        if lo > 0:
            return mpmath.iv.mpf(right)
        if hi < 0:
            return mpmath.iv.mpf(left)
        if lo == 0 == hi:
            return mpmath.iv.mpf(at_zero)
        return _iv_interval(mpmath.mpf(a), mpmath.mpf(c))
    return step


def _iv_valid(b: Any) -> bool:
    lo, hi = _iv_ends(b)
    return not (mpmath.isnan(lo) or mpmath.isnan(hi)) and bool(lo <= hi)


def _iv_image(fn: Callable[[arb], arb], inside: Callable[[Any, Any], bool],
              decreasing: bool = False) -> Callable[[Any], Any]:
    """A monotone function (asin, acos, asinh, acosh, atanh) of an interval whose ends lie
    in its domain (``inside``; the walk checks that first): the image has the function's
    values at the exact ends, taken from arb's rigorous balls and rounded outwards, and
    ±∞ at an infinite end (asinh and acosh grow without bound). arb's ball of [a, 1]
    reaches past 1 by its radius' rounding, where asin is nan; these exact ends do not."""
    def end(x: Any, upper: bool) -> Any:
        if mpmath.isinf(x):
            return x if not decreasing else -x
        value = fn(_arb_of_mpf(x))
        man, exp = (value.upper() if upper else value.lower()).mid().man_exp()
        # (make_mpf keeps the outward-rounded tuple as it is: mpmath.mpf would round it
        # again, to nearest at mp's precision, which may be below iv's)
        return mpmath.mp.make_mpf(libmpf.from_man_exp(int(man), int(exp), mpmath.iv.prec,
                                              libmpf.round_ceiling if upper
                                              else libmpf.round_floor))

    def image(b: Any) -> Any:
        lo, hi = _iv_ends(b)
        if not inside(lo, hi):
            return mpmath.iv.mpf([mpmath.nan, mpmath.nan])
        if decreasing:
            return _iv_interval(end(hi, False), end(lo, True))
        return _iv_interval(end(lo, False), end(hi, True))
    return image


def _arb_of_mpf(x: Any) -> arb:
    """The finite mpf x as an exact arb."""
    sign, man, exp, _ = x._mpf_
    out = arb(int(man)) * arb(2) ** int(exp)
    return -out if sign else out


def _iv_unit(b: Any) -> bool:
    return _in_unit(*_iv_ends(b))


def _in_unit(lo: Any, hi: Any) -> bool:
    return bool(lo >= -1 and hi <= 1)


def _in_open_unit(lo: Any, hi: Any) -> bool:
    return bool(lo > -1 and hi < 1)


def _from_one(lo: Any, hi: Any) -> bool:
    return bool(lo >= 1)


def _iv_decay(v: Any, k: sp.Expr, a: sp.Expr, b: sp.Expr) -> Any:
    """f(v) = vᵏ·e^(av + b) (k > 0, a < 0: :func:`~fptheory.verify.backends.decay_group`)
    over the interval v ⊆ [0, ∞]: f rises on [0, p] and falls on [p, ∞), p = k/(-a), and
    f(∞) = 0, so its range is spanned by its values at the ends and, where p may lie
    inside, its enclosure on p's interval. None where v reaches below 0."""
    lo, hi = _iv_ends(v)
    if mpmath.isnan(lo) or mpmath.isnan(hi) or lo < 0:
        return None
    iv = mpmath.iv
    kk, aa, bb = _iv_exact(k), _iv_exact(a), _iv_exact(b)

    def f(t: Any) -> Any:  # an interval enclosing f on the interval t ⊆ [0, ∞)
        t_lo, t_hi = _iv_ends(t)
        if t_lo == mpmath.inf:
            return iv.mpf(0)
        if t_hi == 0:
            return iv.mpf(0)
        power = t ** kk if t_lo > 0 else _iv_interval(mpmath.mpf(0), _iv_ends(
            iv.mpf(t_hi) ** kk)[1])
        return power * iv.exp(aa * t + bb)

    ends = [f(iv.mpf(lo)), f(iv.mpf(hi))]
    peak = kk / (-aa)
    p_lo, p_hi = _iv_ends(peak)
    low = min(_iv_ends(end)[0] for end in ends)
    if lo >= p_hi:
        high = _iv_ends(ends[0])[1]
    elif hi <= p_lo:
        high = _iv_ends(ends[1])[1]
    else:
        high = max(_iv_ends(f(peak))[1], *(_iv_ends(end)[1] for end in ends))
    low = max(low, mpmath.mpf(0))
    return _iv_interval(low, high)


#: extended-interval backend for boxes reaching ±∞, and for bounded boxes whose arb walk
#: fails by its balls' rounding
EXTENDED = BallBackend(
    "mpmath.iv (extended)", _iv_constant,
    {sp.exp: lambda b: mpmath.iv.exp(b), sp.log: _iv_log, sp.sin: lambda b: mpmath.iv.sin(b),
     sp.cos: lambda b: mpmath.iv.cos(b), sp.tan: _iv_tan,
     sp.sec: lambda b: 1 / _iv_nonzero(mpmath.iv.cos(b)),
     sp.csc: lambda b: 1 / _iv_nonzero(mpmath.iv.sin(b)),
     sp.cot: lambda b: mpmath.iv.cos(b) / _iv_nonzero(mpmath.iv.sin(b)),
     sp.sinh: _iv_sinh, sp.cosh: _iv_cosh, sp.tanh: _iv_tanh,
     sp.sech: lambda b: 1 / _iv_cosh(b), sp.csch: lambda b: 1 / _iv_nonzero(_iv_sinh(b)),
     sp.coth: lambda b: 1 / _iv_nonzero(_iv_tanh(b)), sp.atan: _iv_raw(libmpi.mpi_atan),
     sp.asin: _iv_image(arb.asin, _in_unit), sp.acos: _iv_image(arb.acos, _in_unit, True),
     sp.asinh: _iv_image(arb.asinh, lambda lo, hi: True), sp.acosh: _iv_image(arb.acosh, _from_one),
     sp.atanh: _iv_image(arb.atanh, _in_open_unit),
     sp.Abs: _iv_raw(libmpi.mpi_abs), sp.sign: _iv_step("sign")},
    _iv_power, _iv_sqrt, lambda b: mpmath.iv.exp(b), _iv_log, _iv_clip, _iv_max, _iv_min,
    supported="on unbounded domains +, -, *, /, powers, exp, log, sin, cos, tan, cot, sec, "
              "csc, sinh, cosh, tanh, sech, csch, coth, atan, asin, acos, asinh, acosh, "
              "atanh, Abs, sign, Heaviside, Max, Min, pi, E",
    root=_iv_root, valid=_iv_valid, unit_interval=lambda: mpmath.iv.mpf([0, 1]),
    positive=lambda b: bool(_iv_ends(b)[0] > 0), nonnegative=lambda b: bool(_iv_ends(b)[0] >= 0),
    nonzero=lambda b: bool(_iv_ends(b)[0] > 0 or _iv_ends(b)[1] < 0), unit=_iv_unit,
    from_one=lambda b: _from_one(*_iv_ends(b)), open_unit=lambda b: _in_open_unit(*_iv_ends(b)),
    decay=_iv_decay, real_power=_iv_real_power)


def _iv_box(lo: sp.Expr, hi: sp.Expr) -> Any:
    """The iv interval of a box side [lo, hi] (exact ends enclosed); a face at ±∞ (lo = hi
    = ±∞) is [TAIL_CAP, ∞] (resp. [-∞, -TAIL_CAP]), which contains the limit there."""
    inf = mpmath.inf
    if lo == hi == sp.oo:
        return _iv_interval(_iv_ends(_iv_constant(TAIL_CAP))[0], inf)
    if lo == hi == -sp.oo:
        return _iv_interval(-inf, _iv_ends(_iv_constant(TAIL_CAP))[0] * -1)
    a = -inf if lo == -sp.oo else _iv_ends(_iv_exact(lo))[0]
    b = inf if hi == sp.oo else _iv_ends(_iv_exact(hi))[1]
    return _iv_interval(a, b)


def iv_enclosure(fn: Callable[[Sequence[Any]], Any], expr: sp.Expr,
                 box: Sequence[tuple[sp.Expr, sp.Expr]]) -> _Enclosure:
    """The enclosure of expr on the box by its compiled walk ``fn`` over this backend, at
    flint's current precision. Raises :class:`Undefined` when the walk fails or the
    enclosure is nan."""
    saved = mpmath.iv.prec
    mpmath.iv.prec = ctx.prec
    try:
        value = fn([_iv_box(lo, hi) for lo, hi in box])
    except (ArithmeticError, ValueError) as exc:
        raise (exc if isinstance(exc, Undefined) else Undefined(str(exc))) from None
    finally:
        mpmath.iv.prec = saved
    enclosure = _Enclosure(*_iv_ends(value))
    if not enclosure.is_finite():
        raise Undefined(f"{sp.sstr(expr)} has no enclosure on the box")
    return enclosure


def _iv_exact(e: sp.Expr) -> Any:
    return _iv_constant(e) if e.is_Atom else compile_balls(e, [], EXTENDED)([])


class HornerRefinement:
    """The extended walk's refinement of a polynomial argument or sum: the walk of its
    Horner form (:func:`sympy.horner`, nested in the variables in order), an equal
    polynomial, defined everywhere, so its walk encloses the argument wherever the box
    reaches, intersected with the walked enclosure. On a tail the typed sum of powers meets
    ∞ - ∞ (x³/16 - x²/8 on [2¹⁰⁰, ∞] is [-∞, ∞]); nested, ((x/16 - 1/8)·x + 1/2)·x + 1 is
    [2¹⁸⁶, ∞] there, so √(1 + x/2 - x²/8 + x³/16) is shown defined on the tail.

    >>> x = sp.Symbol("x", real=True)
    >>> refine = HornerRefinement([x])
    >>> value = refine(1 + x/2 - x**2/8 + x**3/16, [_iv_box(sp.Integer(2)**100, sp.oo)], None)
    >>> bool(_iv_ends(value)[0] > 0)
    True
    """

    def __init__(self, variables: Sequence[sp.Symbol]) -> None:
        self.variables = list(variables)
        self._compiled: dict[sp.Expr, Callable[[Sequence[Any]], Any] | None] = {}

    def __call__(self, argument: sp.Expr, intervals: Sequence[Any], walked: Any) -> Any:
        if argument not in self._compiled:
            self._compiled[argument] = None
            used = [v for v in self.variables if argument.has(v)]
            if used and isinstance(argument, sp.Add) and argument.is_polynomial(*used):
                nested = sp.horner(argument, *used)
                if nested != argument:
                    self._compiled[argument] = compile_balls(nested, self.variables, EXTENDED)
        fn = self._compiled[argument]
        if fn is None:
            return None
        nested = fn(intervals)
        if walked is None or not (_iv_valid(walked) and _iv_valid(nested)):
            return nested
        # both enclose the argument's range: their intersection does (a sum the walk is
        # asked to refine, not only a guarded one, keeps its walked enclosure where tighter)
        (a, b), (c, d) = _iv_ends(walked), _iv_ends(nested)
        return _iv_interval(max(a, c), min(b, d))

