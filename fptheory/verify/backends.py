"""Rigorous enclosures: sympy expressions compiled into closures over python-flint ``arb``
balls (bounded boxes) or mpmath.iv intervals (boxes reaching ±∞; that backend is
:mod:`.extended`).

Exact constants enter as balls (``arb(p)/q``, ``arb.pi()``), rebuilt at the current precision
on every call, so they are never rounded early (lambdify's printers would round 1/3 and π to
floats). With ``checked=True`` the compiled closure is the kernel's *definedness walk*: every
sub-term's enclosure must be a valid enclosure of a real, finite value (no nan, no infinite
end on a bounded box), and every function's argument must lie where the function is real and
finite (log and non-integer powers of a positive argument, sqrt of a non-negative one, no
divisor, tan/cot/sec/csc/coth/csch argument reaching a pole, asin/acos arguments within
[-1, 1]); otherwise :class:`Undefined` is raised with the sub-term that failed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import mpmath
import sympy as sp
from flint import arb

from fptheory.core.errors import FPTheoryError

from .sharing import CallMemo, occurrence_counts, worth_refining
from .tight import _WIDE, _acosh, _cosh, _monotone, _periodic

__all__ = ["BallBackend", "ARB", "Undefined", "compile_arb", "compile_balls",
           "SUPPORTED_CERTIFIED", "decay_group"]

Interval = tuple[sp.Expr, sp.Expr]


class Undefined(ArithmeticError):
    """A sub-term is not (shown to be) real and finite on the box; the message names it.

    The message is written when it is read (``str``): the search meets thousands of these
    per second, and printing the sub-term each time cost more than the arithmetic."""

    def __init__(self, message: str = "", term: sp.Expr | None = None, what: str = "") -> None:
        super().__init__(message)
        self.term, self.what, self.message = term, what, message

    def __str__(self) -> str:
        if self.term is None:
            return self.message
        shown = sp.sstr(self.term)
        shown = shown if len(shown) <= 200 else shown[:197] + "..."
        return f"{shown}{self.what}"

# ---------------------------------------------------------------------------------------
# rigorous evaluation: sympy → closures over arb balls (exact constants as balls)

_UNARY: dict[type, Callable[[arb], arb]] = {
    sp.exp: _monotone(arb.exp), sp.log: _monotone(arb.log), sp.sin: _periodic(arb.sin, 0.25),
    sp.cos: _periodic(arb.cos, 0.0), sp.tan: arb.tan,
    sp.sinh: _monotone(arb.sinh), sp.cosh: _cosh, sp.tanh: _monotone(arb.tanh),
    sp.sech: arb.sech, sp.csch: arb.csch, sp.coth: arb.coth, sp.atan: _monotone(arb.atan),
    sp.asin: _monotone(arb.asin), sp.acos: _monotone(arb.acos),
    sp.asinh: _monotone(arb.asinh), sp.acosh: _acosh, sp.atanh: _monotone(arb.atanh),
    sp.Abs: lambda b: abs(b).nonnegative_part(), sp.sign: arb.sgn,
    sp.sec: arb.sec, sp.csc: arb.csc, sp.cot: arb.cot,
}


def _heaviside(b: Any, one: Any, zero: Any, half: Any, both: Any) -> Any:
    """sympy's Heaviside, H(0) = 1/2: 1 right of 0, 0 left, 1/2 at an exact 0, [0, 1]
    on an enclosure reaching 0."""
    if b > 0:
        return one
    if b < 0:
        return zero
    if _is_exact_zero(b):
        return half
    return both


def _is_exact_zero(b: Any) -> bool:
    if isinstance(b, arb):
        return bool(b.is_zero())
    lo, hi = _iv_ends(b)
    return bool(lo == 0 and hi == 0)


def _arb_mul(a: arb, b: arb) -> arb:
    """a·b, tightened on wide balls. arb's midpoint-radius product of wide balls
    overshoots: (2.25 ± 0.75)(5.5 ± 4.5) = 12.4 ± 17.6 reaches -5 although every product
    of a point of [1.5, 3] and one of [1, 10] lies in [1.5, 30]. Where the product is wide
    (radius above 2^-20 of its midpoint) it is intersected with the union of the four
    corner products: {xy : x ∈ [a⁻, a⁺], y ∈ [b⁻, b⁺]} is the interval spanned by the
    corners, and each corner product is a ball around the exact product of the end balls
    (arb's ``lower``/``upper`` enclose the ends), so the union encloses it too."""
    p = a * b
    if not (p.is_finite() and p.rad() > abs(p.mid()) * _WIDE):
        return p
    al, au, bl, bu = a.lower(), a.upper(), b.lower(), b.upper()
    hull = (al * bl).union(al * bu).union(au * bl).union(au * bu)
    return p.intersection(hull) if hull.is_finite() else p



def _int_power(b: arb, n: int) -> arb:
    """b**n by multiplication (arb's ``**`` goes through log and is nan on balls containing
    0); an even power is clipped to [0, ∞), which midpoint-radius products overshoot:
    (m ± r)² = m² ± (2mr + r²)."""
    if n < 0:
        return 1 / _int_power(b, -n)
    if n == 0:
        return arb(1)
    if n % 2 == 0:
        half = _int_power(b, n // 2)
        return _arb_mul(half, half).nonnegative_part()
    return _arb_mul(b, _int_power(b, n - 1))


SUPPORTED_CERTIFIED = "+, -, *, /, powers, exp, log, sin, cos, tan, cot, sec, csc, sinh, " \
                      "cosh, tanh, sech, csch, coth, atan, asin, acos, asinh, acosh, atanh, " \
                      "Abs, sign, Heaviside, Max, Min, pi, E"


def _constant(e: sp.Expr) -> arb:
    if e.is_Integer:
        return arb(int(e))
    if e.is_Rational:
        return arb(int(e.p)) / int(e.q)
    if e is sp.pi:
        return arb.pi()
    if e is sp.E:
        return arb(1).exp()
    if e.is_Float:
        q = sp.Rational(e)
        return arb(int(q.p)) / int(q.q)
    raise FPTheoryError(f"constant {e} not supported in certified mode")


@dataclass(frozen=True)
class BallBackend:
    """The arithmetic the expression compiler targets: python-flint ``arb`` balls for the
    checker; the benchmark plugs in mpmath.iv to compare the same algorithm on both."""

    name: str
    constant: Callable[[sp.Expr], Any]
    unary: Mapping[type, Callable[[Any], Any]]
    power: Callable[[Any, int], Any]
    sqrt: Callable[[Any], Any]
    exp: Callable[[Any], Any]
    log: Callable[[Any], Any]
    clip_nonnegative: Callable[[Any], Any]  # identity where the arithmetic needs none
    maximum: Callable[[Any, Any], Any] | None = None
    minimum: Callable[[Any, Any], Any] | None = None
    supported: str = SUPPORTED_CERTIFIED  # for the error message
    #: an enclosure of [0, 1]
    unit_interval: Callable[[], Any] = lambda: arb(0).union(arb(1))
    #: the real r-th root of an enclosure ≥ 0 (0 included)
    root: Callable[[Any, int], Any] | None = None
    #: the product of two enclosures
    multiply: Callable[[Any, Any], Any] = lambda x, y: x * y
    #: definedness tests on an enclosure (the kernel's walk): a valid enclosure of real
    #: values (arb: finite, no nan; iv: no nan, ±∞ ends allowed on boxes reaching ±∞),
    #: and whether every point is > 0, ≥ 0, ≠ 0, in [-1, 1]
    valid: Callable[[Any], bool] = lambda b: bool(b.is_finite())
    positive: Callable[[Any], bool] = lambda b: bool(b > 0)
    nonnegative: Callable[[Any], bool] = lambda b: bool(b >= 0)
    nonzero: Callable[[Any], bool] = lambda b: bool(b > 0) or bool(b < 0)
    unit: Callable[[Any], bool] = lambda b: bool(b >= -1) and bool(b <= 1)
    #: vᵏ·e^(av + b) (k > 0, a < 0) over v's enclosure, or None where it does not apply
    #: (see :func:`decay_group`); the extended backend's tails set it
    decay: Callable[[Any, sp.Expr, sp.Expr, sp.Expr], Any] | None = None
    #: every point ≥ 1 (acosh's domain), in (-1, 1) (atanh's)
    from_one: Callable[[Any], bool] = lambda b: bool(b >= 1)
    open_unit: Callable[[Any], bool] = lambda b: bool(b > -1) and bool(b < 1)
    #: x^y over an enclosure of x ≥ 0 that reaches 0 and one of y > 0 (0^y = 0), or None
    #: where only a base > 0 is admitted
    real_power: Callable[[Any, Any], Any] | None = None


def _arb_root(b: arb, r: int) -> arb:
    """b^(1/r) for b ≥ 0, also on balls reaching 0 (arb's own sqrt and root are nan there):
    the root is increasing, so [0, upper(b)^(1/r)] encloses it."""
    if b > 0:
        return b.sqrt() if r == 2 else b.root(r)
    if b >= 0:
        top = arb(b.upper())
        if top.is_zero():
            return arb(0)
        return arb(0).union(top.sqrt() if r == 2 else top.root(r))
    return arb.nan()


def _arb_real_power(b: arb, y: arb) -> arb:
    """x^y for x in an enclosure b ≥ 0 that may reach 0 and y in an enclosure > 0, with
    0^y = 0 (sympy's value, the limit as x → 0⁺): x^y is increasing in x, so it lies in
    [0, u^y] with u b's upper end, and u^y = e^(y·log u) is enclosed over y's ball."""
    top = arb(b.upper())
    if top.is_zero():
        return arb(0)
    return arb(0).union(arb(((top.log() * y).exp()).upper())).nonnegative_part()


ARB = BallBackend("arb", _constant, _UNARY, _int_power, lambda b: _arb_root(b, 2),
                  _UNARY[sp.exp], _UNARY[sp.log], arb.nonnegative_part, arb.max, arb.min, root=_arb_root,
                  multiply=_arb_mul, real_power=_arb_real_power)


def compile_arb(expr: sp.Expr, symbols: Sequence[sp.Symbol]) -> Callable[[Sequence[arb]], arb]:
    """A function of a list of arb balls (one per symbol) enclosing ``expr``; constants are
    rebuilt at the current flint precision on every call, so they are never rounded early."""
    return compile_balls(expr, symbols, ARB)


def compile_balls(expr: sp.Expr, symbols: Sequence[sp.Symbol], backend: BallBackend,
                  *, checked: bool = False,
                  refine: Callable[[sp.Expr, Sequence[Any], Any], Any] | None = None,
                  puncture: Callable[[sp.Expr, Any], Any] | None = None
                  ) -> Callable[[Sequence[Any]], Any]:
    """Compile ``expr`` once into closures over ``backend``'s enclosures (one per symbol).

    ``checked=True`` compiles the definedness walk (see the module docstring): evaluation
    raises :class:`Undefined` naming the first sub-term that is not shown real and finite
    on the given enclosures. Unsupported functions raise :class:`FPTheoryError` here, at
    compile time. ``refine(argument, enclosures, walked)``, where given, is asked for a
    tighter enclosure of a guarded argument (a divisor, a root's or logarithm's argument)
    whose walked one fails its test, and of every polynomial sum worth it
    (:func:`~fptheory.verify.sharing.worth_refining`); it returns an enclosure of that
    sub-term over the same enclosures, or None. ``puncture(node, argument)``, where given,
    is asked for the value of a logarithm or power node whose argument's enclosure fails
    the walk's test after that (the open walk, :mod:`.openwalk`): an enclosure of the node
    at the points where its argument is shown to be inside the function's domain, or None."""
    index = {s: i for i, s in enumerate(symbols)}

    def unsupported(e: sp.Expr) -> FPTheoryError:
        return FPTheoryError(f"{type(e).__name__} is not supported in certified mode "
                             f"({backend.name}); supported: {backend.supported}")

    def guard(e: sp.Expr, fn: Callable[[Sequence[Any]], Any]) -> Callable[[Sequence[Any]], Any]:
        if not checked:
            return fn

        def walked(v: Sequence[Any]) -> Any:
            out = fn(v)
            if not backend.valid(out):
                raise Undefined(term=e, what=" is not finite on the box")
            return out
        return walked

    def require(e: sp.Expr, value: Any, test: Callable[[Any], bool], what: str,
                v: Sequence[Any], argument: sp.Expr) -> Any:
        if checked and not (backend.valid(value) and test(value)):
            better = None if refine is None else refine(argument, v, value)
            if better is None or not (backend.valid(better) and test(better)):
                raise Undefined(term=e, what=f": {what}")
            return better
        return value

    def pierced(e: sp.Expr, fn: Callable[[Sequence[Any]], Any],
                argument: Callable[[Sequence[Any]], Any]) -> Callable[[Sequence[Any]], Any]:
        if puncture is None:
            return fn

        def walked(v: Sequence[Any]) -> Any:
            try:
                return fn(v)
            except Undefined:
                out = puncture(e, argument(v))  # (an argument that is itself undefined raises)
                if out is None:
                    raise
                return out
        return walked

    # a repeated sub-term (derivatives repeat sub-trees) is evaluated once per call
    expr = sp.sympify(expr)
    occurrences = occurrence_counts(expr)
    compiled: dict[sp.Expr, Callable[[Sequence[Any]], Any]] = {}
    memo = CallMemo()

    def build(e: sp.Expr) -> Callable[[Sequence[Any]], Any]:
        if e not in compiled:
            fn = build_node(e)
            compiled[e] = memo.shared(fn) if occurrences[e] > 1 and e.args else fn
        return compiled[e]

    def build_node(e: sp.Expr) -> Callable[[Sequence[Any]], Any]:
        if e in index:
            i = index[e]
            return lambda v: v[i]
        if e in (sp.nan, sp.zoo, sp.oo, -sp.oo):
            def undefined(v: Sequence[Any], e: sp.Expr = e) -> Any:
                raise Undefined(f"the expression contains {e}")
            return undefined
        if e.is_number and not e.has(sp.I) and e.is_Atom:
            return lambda v, e=e: backend.constant(e)
        if isinstance(e, sp.Symbol):
            raise FPTheoryError(f"free variable {e} has no domain")
        if e.has(sp.I):
            raise FPTheoryError(f"complex expression {e}: certified mode is real")
        args = [build(a) for a in e.args]
        if isinstance(e, (sp.Add, sp.Mul, sp.Max, sp.Min)):
            combine = {sp.Add: lambda x, y: x + y, sp.Mul: backend.multiply,
                       sp.Max: backend.maximum, sp.Min: backend.minimum}[type(e)]
            if combine is None:
                raise unsupported(e)

            same_sign = isinstance(e, (sp.Add, sp.Mul))

            def fold(v, args=args, combine=combine, same_sign=same_sign):
                values = [a(v) for a in args]
                out = values[0]
                for b in values[1:]:
                    out = combine(out, b)
                if checked and same_sign and all(backend.nonnegative(b) for b in values):
                    # a sum or product of values ≥ 0 is ≥ 0: the rounding of midpoint-radius
                    # products ([0, ε]·[1, 2] reaches -1e-30) must not make sqrt(s·(2 - x))
                    # look undefined at s = 0
                    out = backend.clip_nonnegative(out)
                return out
            if refine is not None and worth_refining(e):
                walked_fold = fold

                def fold(v, walked_fold=walked_fold, e=e):
                    out = walked_fold(v)
                    better = refine(e, v, out)
                    return out if better is None else better
            group = decay_group(e) if backend.decay is not None else None
            if group is not None and group[0] in index:
                return guard(e, decayed(group, fold))
            return guard(e, fold)
        if isinstance(e, sp.Pow):
            base, exponent = args
            if e.exp.is_Integer:
                n = int(e.exp)
                if n < 0:
                    return guard(e, pierced(e, lambda v: backend.power(
                        require(e, base(v), backend.nonzero, "division by an enclosure of 0", v,
                                e.base), n), base))
                return guard(e, lambda v: backend.power(base(v), n))
            if e.exp.is_Rational and e.exp > 0:
                # principal real root: needs a base ≥ 0 (sympy's (-8)**(1/3) is complex)
                p_num, r_den = int(e.exp.p), int(e.exp.q)
                return guard(e, pierced(e, lambda v: backend.power(backend.root(
                    require(e, base(v), backend.nonnegative, "fractional power of a value < 0",
                            v, e.base), r_den), p_num), base))
            def general(v: Sequence[Any]) -> Any:
                b = base(v)
                if backend.real_power is not None and not backend.positive(b) \
                        and backend.nonnegative(b) and backend.positive(y := exponent(v)):
                    return backend.real_power(b, y)  # (0^y = 0 for y > 0, as sympy has it)
                return backend.exp(backend.log(require(
                    e, b, backend.positive, "power of a value that is not > 0", v, e.base))
                    * exponent(v))
            return guard(e, pierced(e, general, base))
        if isinstance(e, sp.Heaviside):
            # sympy's Heaviside(x, H0): 1 right of 0, 0 left, H0 (1/2 by default) at 0
            h0 = e.args[1] if len(e.args) > 1 else sp.S.Half
            if not (h0.is_Rational and 0 <= h0 <= 1):
                raise unsupported(e)
            a0 = args[0]

            def step(v: Sequence[Any], h0: sp.Rational = h0) -> Any:
                b = a0(v)
                zero, one, at = (backend.constant(c) for c in (sp.Integer(0), sp.Integer(1), h0))
                return _heaviside(b, one, zero, at, backend.unit_interval())
            return guard(e, step)
        if isinstance(e, sp.log):
            a0 = args[0]
            return guard(e, pierced(e, lambda v: backend.log(
                require(e, a0(v), backend.positive, "logarithm of a value that is not > 0", v,
                        e.args[0])), a0))
        if isinstance(e, (sp.asin, sp.acos)):
            a0, fn = args[0], backend.unary.get(type(e))
            if fn is None:
                raise unsupported(e)
            return guard(e, lambda v: fn(require(e, a0(v), backend.unit, "argument outside [-1, 1]",
                                                 v, e.args[0])))
        if isinstance(e, (sp.acosh, sp.atanh)):
            a0, fn = args[0], backend.unary.get(type(e))
            if fn is None:
                raise unsupported(e)
            test, what = ((backend.from_one, "argument below 1") if isinstance(e, sp.acosh)
                          else (backend.open_unit, "argument outside (-1, 1)"))
            return guard(e, lambda v: fn(require(e, a0(v), test, what, v, e.args[0])))
        if isinstance(e, (sp.csch, sp.coth)):
            a0, fn = args[0], backend.unary.get(type(e))
            if fn is None:
                raise unsupported(e)
            return guard(e, lambda v: fn(require(e, a0(v), backend.nonzero, "pole at 0", v,
                                                 e.args[0])))
        for cls, fn in backend.unary.items():
            if isinstance(e, cls) and len(args) == 1:
                a0 = args[0]
                return guard(e, lambda v, fn=fn, a0=a0: fn(a0(v)))
        raise unsupported(e)

    def decayed(group: tuple, product: Callable[[Sequence[Any]], Any]
                ) -> Callable[[Sequence[Any]], Any]:
        """vᵏ·e^(av + b) enclosed as one function (``backend.decay``), times the other
        factors; the ordinary ``product`` of the factors where the decay does not apply."""
        v, k, a, b, rest = group
        i, others = index[v], [build(r) for r in rest]
        assert backend.decay is not None

        def value(vals: Sequence[Any]) -> Any:
            out = backend.decay(vals[i], k, a, b)
            if out is None:
                return product(vals)
            for fn in others:
                out = backend.multiply(out, fn(vals))
            return out
        return value

    def build_signed(e: sp.Expr) -> Callable[[Sequence[Any]], Any]:
        fn = build(e)
        if _structurally_nonnegative(e) and not e.is_Atom:
            # midpoint-radius rounding leaves [-1e-10, a] for a true [0, a]: clip to the
            # known sign so that bounds tight at 0 (squares) are decided
            inner = fn

            def fn(v: Sequence[Any]) -> Any:
                return backend.clip_nonnegative(inner(v))
        return memo.calls(fn)

    return build_signed(expr)


def decay_group(e: sp.Expr) -> tuple[sp.Symbol, sp.Expr, sp.Expr, sp.Expr, list[sp.Expr]] | None:
    """(v, k, a, b, the other factors) for a product holding one e^(av + b) with a < 0 and
    b numbers and powers of v (or of |v|) whose exponents (positive rationals) add up to
    k > 0:
    vᵏ·e^(av + b) rises to its peak at v = k/(-a) and decays after it, so over [X, ∞) it
    lies in [0, Xᵏ·e^(aX + b)] once X ≥ k/(-a), where the product of [X, ∞] and
    [0, e^(aX + b)] is [0, ∞]. None for any other expression.

    >>> x = sp.Symbol("x", real=True)
    >>> decay_group(x**2 * sp.exp(-3*x + 1) * sp.cos(x))
    (x, 2, -3, 1, [cos(x)])
    """
    if not isinstance(e, sp.Mul):
        return None
    exps = [f for f in e.args if isinstance(f, sp.exp)]
    if len(exps) != 1 or len(exps[0].args[0].free_symbols) != 1:
        return None
    argument = exps[0].args[0]
    (v,) = argument.free_symbols
    b, linear = argument.as_independent(v, as_Add=True)
    a = linear / v if linear.has(v) else sp.Integer(0)
    if not (a.is_number and a.is_negative and b.is_number and b.is_real) or a.has(v):
        return None
    k, rest = sp.Integer(0), []
    for f in e.args:
        if f is exps[0]:
            continue
        # |v| is v where the decay applies (v ≥ 0): the tail forms write √(v² + 9) as
        # |v|·√(1 + 9/v²)
        if f == v or f == sp.Abs(v):
            k += 1
        elif (isinstance(f, sp.Pow) and f.base in (v, sp.Abs(v)) and f.exp.is_Rational
              and f.exp > 0):
            k += f.exp
        else:
            rest.append(f)
    return (v, k, a, b, rest) if k > 0 else None


def _structurally_nonnegative(e: sp.Expr) -> bool:
    """e ≥ 0 wherever it is defined and real, by its form alone (no assumptions):
    non-negative numbers, |·|, exp, cosh, Heaviside, even powers, principal roots, and
    sums and products of such."""
    if e.is_number:
        return bool(e.is_extended_nonnegative) and e.is_finite is True
    if isinstance(e, (sp.Abs, sp.exp, sp.cosh, sp.Heaviside)):
        return True
    if isinstance(e, sp.Pow):
        if e.exp.is_Integer and int(e.exp) % 2 == 0:
            return True
        if e.exp.is_Rational and not e.exp.is_Integer:
            return True  # a real principal root (a defined one has a base ≥ 0)
        return _structurally_nonnegative(e.base) and e.exp.is_real is True
    if isinstance(e, (sp.Mul, sp.Add)):
        return all(_structurally_nonnegative(a) for a in e.args)
    return False


@dataclass(frozen=True)
class _Enclosure:
    """[lo, hi] with possibly infinite ends, compared like an arb ball: ``e > 0`` is true
    when every point is."""

    lo: mpmath.mpf
    hi: mpmath.mpf

    def __gt__(self, c: int) -> bool:
        return bool(self.lo > c)

    def __ge__(self, c: int) -> bool:
        return bool(self.lo >= c)

    def __lt__(self, c: int) -> bool:
        return bool(self.hi < c)

    def is_finite(self) -> bool:  # informative: no nan (an infinite end is fine)
        return not (mpmath.isnan(self.lo) or mpmath.isnan(self.hi))


def _infinite(e: sp.Expr) -> bool:
    return e == sp.oo or e == -sp.oo


def _far(variables: Sequence[sp.Symbol], box: Sequence[Interval]) -> tuple[tuple[sp.Symbol, int], ...]:
    return tuple((v, sign) for v, (lo, hi) in zip(variables, box, strict=True)
                 for sign, end in ((1, hi), (-1, lo)) if end == sign * sp.oo)


# mpmath.iv intervals (the extended backend, :mod:`.extended`, builds on these)

def _iv_ends(b: Any) -> tuple[mpmath.mpf, mpmath.mpf]:
    lo, hi = b._mpi_
    return mpmath.mp.make_mpf(lo), mpmath.mp.make_mpf(hi)


def _iv_interval(lo: Any, hi: Any) -> Any:
    return mpmath.iv.mpf([lo, hi])
