r"""Decay of a transform as |k| → ∞, and the spectral peak of band-pass functions.

**From the structure** (the default). The engine's result records the terms
c·p(x)·e^{iβx}·K(wx + b) it transformed (:class:`~fptheory.fourier.engine.TermStructure`) and
each base function K records where it is singular
(:class:`~fptheory.fourier.base_transforms.Singularity`). The decay of a term's transform
G(ω) (kernel e^{-iωx}) follows from those alone:

* a pole of order m nearest the real axis, at x = ξ with |Im ξ| = a (poles of K at z give
  ξ = (z - b)/w), of leading coefficient A = c p(ξ) e^{iβξ} L / w^m: shifting the contour
  past it, |G(ω)| ~ 2π|A| |ω|^{m-1}/(m-1)! · e^{-a|ω|} (Paley-Wiener; the lower half-plane
  for ω → +∞, the upper for ω → -∞): ``exponential``, rate a;
* a jump J_j in the j-th derivative at a real point (the first j with
  (d/dx)^j[c p(x) e^{iβx}] ≠ 0 there, for a Heaviside): |G| ~ |J_j|/|ω|^{j+1}:
  ``polynomial`` of order j + 1;
* δ^{(n)}(wx + b) times c p(x) e^{iβx}: |G| ~ C|ω|^{n-m} with m the order of the first
  nonvanishing derivative of p e^{iβx} at the point: ``none`` (no decay), power m - n;
* e^{-a(wx+b)²}: ``gaussian``, rate 1/(4 a w²);
* (d/dx)^n g: |ω|^n times the decay of g.

The slowest term decides; the convention F(k) = N·G(-b_c k) rescales rate and constant.
Where the structure does not decide (two different terms with the same leading rate, whose
leading parts could cancel or beat; a pole where p vanishes; an undecidable sign), the limits
below are used instead, and the tests compare both on every registry function.

**From limits** (the fallback). With M(k) = |F(k)|², sympy computes the limits

.. math::

   g = \lim_{k\to\infty} \frac{-\log M}{2k^2},\quad
   r = \lim_{k\to\infty} \frac{-\log M}{2k},\quad
   p = \lim_{k\to\infty} \frac{-\log M}{2\log k},

and classifies: ``gaussian`` (|F| ~ e^{-g k²}, g > 0), ``exponential`` (|F| ~ C k^q e^{-r k},
r > 0), ``polynomial`` (|F| ~ C/|k|^p), ``none`` (p = 0: no decay). Both directions
k → +∞ and k → -∞ are analysed. Real parameters of unknown sign are split into
the cases p > 0 and p < 0 and the answers, written in |p|, merged when they agree.

>>> from fptheory.fourier.engine import fourier_transform
>>> decay_of(fourier_transform("tanh(w*x + b)")).summary()
'exponential: |F(k)| ~ C*|k|**0*exp(-rate*|k|), rate = pi/(2*Abs(w))'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from fptheory.core import cache as disk
from fptheory.core.cache import simplified as simplify
from fptheory.core.errors import FPTheoryError
from fptheory.core.signs import sign_cases

from .base_transforms import base_transform
from .engine import K, TermStructure, TransformResult

__all__ = ["Decay", "decay_of", "structural_decay", "SpectralPeak", "spectral_peak",
           "spectral_peak_now", "PEAK_NAMESPACE"]

_KP = sp.Symbol("k", positive=True)


@dataclass
class Decay:
    """Decay class of |F(k)| for |k| → ∞ (both directions when they agree)."""

    kind: str  # gaussian | exponential | polynomial | none | zero | unknown
    rate: sp.Expr | None = None  # g for gaussian, r for exponential
    power: sp.Expr | None = None  # polynomial order p, or prefactor power q for exponential
    constant: sp.Expr | None = None  # C in the asymptotic form, when sympy finds it
    direction: str = "both"
    reason: str = ""
    cases: list[str] = field(default_factory=list)
    method: str = "structure"  # how it was found: structure | limits

    def summary(self) -> str:
        if self.kind == "gaussian":
            return f"gaussian: |F(k)| ~ exp(-rate*k**2), rate = {self.rate}"
        if self.kind == "exponential":
            return (f"exponential: |F(k)| ~ C*|k|**{self.power}*exp(-rate*|k|), "
                    f"rate = {self.rate}")
        if self.kind == "polynomial":
            c = f", C = {self.constant}" if self.constant is not None else ""
            return f"polynomial: |F(k)| ~ C/|k|**{self.power}{c}"
        if self.kind == "none":
            return "no decay: |F(k)| tends to a nonzero constant or grows"
        if self.kind == "zero":
            return "regular part is 0 (purely singular transform)"
        return f"not determined: {self.reason}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "rate": None if self.rate is None else str(self.rate),
            "power": None if self.power is None else str(self.power),
            "constant": None if self.constant is None else str(self.constant),
            "direction": self.direction,
            "summary": self.summary(),
            "reason": self.reason,
            "method": self.method,
        }


def _finite(v: sp.Expr) -> bool:
    return v.is_finite is True and not v.has(sp.AccumBounds, sp.Limit, sp.nan, sp.zoo)


def _classify(modulus_sq: sp.Expr) -> Decay:
    """Classify M(k) for k → +∞ (k a positive symbol)."""
    if modulus_sq == 0:
        return Decay("zero")
    try:
        log_m = sp.expand_log(sp.log(modulus_sq), force=True)
        g = sp.limit(-log_m / (2 * _KP**2), _KP, sp.oo)
        if _finite(g) and g.is_positive:
            return Decay("gaussian", rate=simplify(g))
        r = sp.limit(-log_m / (2 * _KP), _KP, sp.oo)
        if _finite(r) and r.is_positive:
            q = sp.limit(-(log_m + 2 * r * _KP) / (2 * sp.log(_KP)), _KP, sp.oo)
            q = -q if _finite(q) else None
            c = None
            if q is not None:
                c = sp.limit(sp.sqrt(modulus_sq) * sp.exp(r * _KP) / _KP**q, _KP, sp.oo)
                c = simplify(c) if _finite(c) else None
            return Decay("exponential", rate=simplify(r), power=q, constant=c)
        p = sp.limit(-log_m / (2 * sp.log(_KP)), _KP, sp.oo)
        if _finite(p):
            p = simplify(p)
            if p.is_positive:
                c = sp.limit(sp.sqrt(modulus_sq) * _KP**p, _KP, sp.oo)
                return Decay("polynomial", power=p, constant=simplify(c) if _finite(c) else None)
            if p.is_zero or p.is_negative:
                return Decay("none", power=p)
        return Decay("unknown", reason=f"limits did not classify: g={g}, r={r}, p={p}")
    except (NotImplementedError, ValueError, TypeError, RecursionError) as exc:
        return Decay("unknown", reason=f"sympy limit failed: {type(exc).__name__}")


def _same_class(d1: Decay, d2: Decay) -> bool:
    """Same kind, rate and power (the constant may still differ)."""
    return d1.kind == d2.kind and all(
        simplify(sp.sympify(getattr(d1, a) or 0) - (getattr(d2, a) or 0)) == 0
        for a in ("rate", "power"))


def _decay_direction(regular: sp.Expr, direction: int) -> Decay:
    """The decay for k → direction·∞ from sympy limits of |F|² (the fallback)."""
    collected: list[tuple[str, Decay]] = []
    f = regular.subs(K, direction * _KP)
    # parameters that only enter a phase (b in e^{ibk/w}) drop out of |F|²
    modulus_sq = simplify(sp.expand_complex(f * sp.conjugate(f)))
    try:
        cases = sign_cases(modulus_sq.free_symbols - {_KP}, max_symbols=3)
    except FPTheoryError as exc:
        return Decay("unknown", reason=str(exc))
    for case in cases:
        d = _classify(simplify(modulus_sq.subs(case.substitution)))
        for attr in ("rate", "power", "constant"):
            v = getattr(d, attr)
            if v is not None:
                setattr(d, attr, simplify(v.subs(case.back)))
        collected.append((case.label, d))
    first = collected[0][1]
    if not all(_same_class(d, first) for _, d in collected):
        return Decay("unknown", reason="decay differs between parameter sign cases: " + "; ".join(
            f"{label}: {d.summary()}" for label, d in collected))
    constants_agree = all(
        d.constant is not None and first.constant is not None
        and simplify(d.constant - first.constant) == 0 for _, d in collected)
    if not constants_agree:
        first.constant = None
    first.cases = [label for label, _ in collected]
    return first


def _by_limits(regular: sp.Expr, direction: int) -> Decay:
    found = _decay_direction(regular, direction)
    found.method = "limits"
    return found


def decay_of(result: TransformResult, method: str = "structure") -> Decay:
    """Decay class of the regular part of ``result`` (in its convention's k): read from the
    result's structure (``method="structure"``, falling back to limits where the structure
    does not decide) or from sympy limits alone (``method="limits"``, the cross-check)."""
    if method not in ("structure", "limits"):
        raise ValueError(f"method must be 'structure' or 'limits', got {method!r}")
    if result.regular == 0:
        return Decay("zero", method=method)
    plus = minus = None
    if method == "structure":
        plus, minus = (structural_decay(result, +1), structural_decay(result, -1))
    plus = plus if plus is not None else _by_limits(result.regular, +1)
    minus = minus if minus is not None else _by_limits(result.regular, -1)
    if _same_class(plus, minus):
        if plus.constant is not None and (
            minus.constant is None or simplify(plus.constant - minus.constant) != 0
        ):
            plus.constant = None
        return plus
    plus.direction = "k → +∞"
    plus.reason = f"k → -∞ differs: {minus.summary()}"
    return plus


# ---------------------------------------------------------------------------------------
# decay read from the structure


class _Undecided(Exception):
    """The structure does not decide (the limits are used instead)."""


_RANK = {"none": 0, "polynomial": 1, "exponential": 2, "gaussian": 3}


def _sign(e: sp.Expr) -> int:
    """-1, 0 or 1 for an expression whose sign sympy decides; _Undecided otherwise."""
    e = simplify(e)
    if e.is_zero:
        return 0
    if e.is_positive:
        return 1
    if e.is_negative:
        return -1
    raise _Undecided(f"sign of {e}")


def _nonzero(e: sp.Expr) -> bool:
    e = simplify(e)
    if e.is_zero:
        return False
    if e.is_zero is False:
        return True
    raise _Undecided(f"whether {e} is 0")


def _term_decay(term: TermStructure, x: sp.Symbol, direction: int) -> Decay | None:
    """|G(ω)| of one term for ω → direction·∞ (None: the term's transform has no regular
    part). Raises _Undecided where the structure does not decide."""
    if term.derivative:
        if term.poly != 1 or term.modulation != 0:
            raise _Undecided("a derivative times a polynomial or a modulation")
        inner = _combine(_grouped_decays(list(term.inner), x, direction))
        return None if inner is None else _times_power(inner, term.derivative, sp.Abs(term.constant))
    if term.base is None:
        return None
    w, b, c, beta = term.scale, term.shift, term.constant, term.modulation
    smooth = c * term.poly * sp.exp(sp.I * beta * x)  # c p(x) e^{iβx}
    singular = base_transform(term.base).singularities
    kinds = {g.kind for g in singular}
    if kinds == {"gaussian"}:
        return Decay("gaussian", rate=1 / (4 * singular[0].leading * w**2))
    if kinds == {"pole"}:
        return _pole_decay(singular, smooth, x, w, b, direction)
    if kinds == {"jump"}:
        return _jump_decay([term], x)
    if kinds == {"delta"} and len(singular) == 1:
        g = singular[0]
        n, x0 = g.order, (g.at - b) / w
        for m in range(n + 1):
            if _nonzero(sp.diff(smooth, x, m).subs(x, x0)):
                return Decay("none", power=sp.Integer(m - n))
        return None  # p vanishes to order > n at the point: x^{n+1} δ^{(n)} = 0
    raise _Undecided(f"singularities of {term.base}: {sorted(kinds)}")


def _jump_decay(terms: list[TermStructure], x: sp.Symbol) -> Decay | None:
    """Heaviside terms c p(x) e^{iβx} H(wx + b) that jump at the same point x0, together:
    the first derivative of their sum that jumps there, J_j, gives |G| ~ |J_j|/|ω|^{j+1}."""
    jumping = sp.Integer(0)  # the sum of c p e^{iβx} · (jump of the H factor at x0)
    bound = 0
    x0 = None
    for term in terms:
        (g,) = base_transform(term.base).singularities
        if g.order != 0:
            raise _Undecided("a jump in a derivative of the base function")
        x0 = (g.at - term.shift) / term.scale
        # H(w(x - x0)) jumps by +1 at x0 for w > 0 and by -1 for w < 0
        jumping += (g.leading * sp.sign(term.scale) * term.constant * term.poly
                    * sp.exp(sp.I * term.modulation * x))
        bound += int(sp.degree(term.poly, x)) + 1
    # an exponential polynomial of ``bound`` coefficients vanishes to order < bound
    for j in range(bound):
        size = sp.diff(jumping, x, j).subs(x, x0)
        if _nonzero(size):
            return Decay("polynomial", power=sp.Integer(j + 1), constant=sp.Abs(size))
    return None  # the jumps cancel: no singularity there


def _grouped_decays(terms: list[TermStructure], x: sp.Symbol, direction: int
                    ) -> list[Decay | None]:
    """Each term's decay, with the Heaviside terms jumping at the same point taken
    together (x H(x - 1) - H(x - 1) = (x - 1)H(x - 1) jumps in its derivative only)."""
    out: list[Decay | None] = []
    jumps: dict[sp.Expr, list[TermStructure]] = {}
    for term in terms:
        if term.base is not None and not term.derivative and {
                g.kind for g in base_transform(term.base).singularities} == {"jump"}:
            (g,) = base_transform(term.base).singularities
            at = simplify((g.at - term.shift) / term.scale)
            jumps.setdefault(at, []).append(term)
        else:
            out.append(_term_decay(term, x, direction))
    out += [_jump_decay(group, x) for group in jumps.values()]
    return out


def _pole_decay(poles, smooth: sp.Expr, x: sp.Symbol, w: sp.Expr, b: sp.Expr,
                direction: int) -> Decay:
    # ω → +∞ (kernel e^{-iωx}): the contour moves down, past the poles with Im ξ < 0
    relevant = []
    for g in poles:
        xi = (g.at - b) / w
        if _sign(sp.im(g.at) / w) == -direction:
            relevant.append((sp.Abs(sp.im(g.at) / w), xi, g))
    if not relevant:
        raise _Undecided("no pole on the side the contour moves to")
    nearest = min(relevant, key=lambda item: sp.default_sort_key(item[0]))
    tied = [r for r in relevant if _sign(r[0] - nearest[0]) == 0]
    if len(tied) > 1 or any(_sign(r[0] - nearest[0]) < 0 for r in relevant):
        raise _Undecided("several poles at the same distance from the real axis")
    distance, xi, g = nearest
    amplitude = smooth.subs(x, xi) * g.leading / w**g.order
    if not _nonzero(amplitude):
        raise _Undecided("the polynomial factor vanishes at the pole")
    return Decay("exponential", rate=distance, power=sp.Integer(g.order - 1),
                 constant=2 * sp.pi * sp.Abs(amplitude) / sp.factorial(g.order - 1))


def _times_power(d: Decay, n: int, factor: sp.Expr) -> Decay:
    """The decay of |factor|·|ω|^n·G."""
    if d.kind == "polynomial":
        power = d.power - n
        if power > 0:
            return Decay("polynomial", power=power, constant=factor * d.constant)
        return Decay("none", power=power)
    if d.kind == "exponential":
        return Decay("exponential", rate=d.rate, power=d.power + n, constant=factor * d.constant)
    if d.kind == "none":
        return Decay("none", power=d.power - n)
    return d


def _slower(a: Decay, b: Decay) -> int:
    """1 when a decays more slowly than b, -1 when faster, 0 when the same class."""
    if _RANK[a.kind] != _RANK[b.kind]:
        return 1 if _RANK[a.kind] < _RANK[b.kind] else -1
    if a.kind in ("none", "polynomial"):
        return -_sign(a.power - b.power)
    by_rate = -_sign(a.rate - b.rate)
    if by_rate or a.kind == "gaussian":
        return by_rate
    return _sign(a.power - b.power)


def _combine(decays: list[Decay | None]) -> Decay | None:
    """The slowest of the terms' decays; _Undecided when two terms share it (their leading
    parts could cancel or beat), except for Gaussians, where only the rate is claimed."""
    present = [d for d in decays if d is not None]
    if not present:
        return None
    slowest = present[0]
    for d in present[1:]:
        if _slower(d, slowest) > 0:
            slowest = d
    ties = [d for d in present if _slower(d, slowest) == 0]
    if len(ties) > 1 and slowest.kind != "gaussian":
        raise _Undecided("two terms decay alike; their leading parts may cancel")
    return slowest


def _in_convention(d: Decay, result: TransformResult) -> Decay:
    """G(ω) ~ ... with ω = -b k and F = N G: rescale rate and constant."""
    scale = sp.Abs(result.convention.b)
    n = result.convention.normalisation
    if d.kind == "gaussian":
        return Decay("gaussian", rate=d.rate * scale**2)
    if d.kind == "exponential":
        return Decay("exponential", rate=d.rate * scale, power=d.power,
                     constant=n * d.constant * scale**d.power)
    if d.kind == "polynomial":
        return Decay("polynomial", power=d.power, constant=n * d.constant * scale**-d.power)
    return Decay("none", power=d.power)


def structural_decay(result: TransformResult, direction: int) -> Decay | None:
    """The decay of ``result`` for k → direction·∞ read from its structure, or None where
    the structure does not decide (see the module docstring). Parameters of unknown sign in
    the scales w are split into sign cases, and the answers merged when they agree."""
    if result.structure is None:
        return None
    symbols: set[sp.Symbol] = set()
    for term in _all_terms(result.structure):
        symbols |= sp.sympify(term.scale).free_symbols
    try:
        cases = sign_cases(symbols, max_symbols=3)
        omega_direction = direction * _sign(-result.convention.b)
    except (FPTheoryError, _Undecided):
        return None
    x = result.variable
    collected: list[tuple[str, Decay]] = []
    for case in cases:
        terms = [_substituted(t, case.substitution) for t in result.structure]
        try:
            found = _combine(_grouped_decays(terms, x, omega_direction))
        except (_Undecided, TypeError, ValueError, NotImplementedError):
            return None
        if found is None:
            return None  # no regular part according to the structure, but result.regular != 0
        d = _in_convention(found, result)
        for attr in ("rate", "power", "constant"):
            v = getattr(d, attr)
            if v is not None:
                setattr(d, attr, simplify(sp.sympify(v).subs(case.back)))
        collected.append((case.label, d))
    first = collected[0][1]
    if not all(_same_class(d, first) for _, d in collected):
        return None
    if not all(d.constant is not None and first.constant is not None
               and simplify(d.constant - first.constant) == 0 for _, d in collected):
        first.constant = None
    first.cases = [label for label, _ in collected]
    return first


def _all_terms(terms):
    for t in terms:
        yield t
        yield from _all_terms(t.inner)


def _substituted(term: TermStructure, sub: dict) -> TermStructure:
    return TermStructure(*(sp.sympify(v).subs(sub) for v in (term.constant, term.poly,
                                                             term.modulation)),
                         term.base, sp.sympify(term.scale).subs(sub),
                         sp.sympify(term.shift).subs(sub), term.derivative,
                         tuple(_substituted(t, sub) for t in term.inner))


@dataclass
class SpectralPeak:
    """Location of max |F(k)| on k > 0 as a function of the parameters."""

    location: sp.Expr
    derivatives: dict[str, sp.Expr]  # d(location)/d(parameter)

    def to_dict(self) -> dict[str, Any]:
        return {"location": str(self.location),
                "derivatives": {p: str(v) for p, v in self.derivatives.items()}}


def spectral_peak(result: TransformResult) -> SpectralPeak | None:
    """The maximiser of |F(k)| on k > 0 for a band-pass transform, or None.

    Band-pass means |F| → 0 at k → 0⁺ and k → ∞ with an interior critical point; the
    location is found by solving d/dk log|F|² = 0 and checked to be a maximum.
    Parameters must have a known sign (declare them positive) or be numeric. A pure function
    of the regular part: found once, then read from the on-disk cache (namespace
    ``spectral-peak``).
    """
    packed = disk.remembered(PEAK_NAMESPACE, [result.regular],
                             lambda: _pack(spectral_peak_now(result.regular)))
    return _unpack(packed)


#: the namespace of :func:`spectral_peak` in the on-disk cache
PEAK_NAMESPACE = "spectral-peak"


def _pack(peak: SpectralPeak | None) -> sp.Tuple:
    """The peak as one sympy object (what the cache stores): () for none, else
    (location, ((parameter, d location / d parameter), ...))."""
    if peak is None:
        return sp.Tuple()
    return sp.Tuple(peak.location, sp.Tuple(*(sp.Tuple(sp.Symbol(name), v)
                                              for name, v in peak.derivatives.items())))


def _unpack(packed: sp.Tuple) -> SpectralPeak | None:
    if len(packed) == 0:
        return None
    location, derivatives = packed
    return SpectralPeak(location, {p.name: v for p, v in derivatives})


def spectral_peak_now(regular: sp.Expr) -> SpectralPeak | None:
    """:func:`spectral_peak` of a regular part, found afresh (no cache)."""
    f = regular.subs(K, _KP)
    modulus_sq = simplify(sp.expand_complex(f * sp.conjugate(f)))
    if modulus_sq == 0 or sp.limit(modulus_sq, _KP, 0, "+") != 0:
        return None
    if sp.limit(modulus_sq, _KP, sp.oo) != 0:
        return None
    critical = sp.solve(sp.diff(sp.log(modulus_sq), _KP), _KP)
    for c in critical:
        if not (c.is_positive or c.is_positive is None):
            continue
        second = sp.diff(modulus_sq, _KP, 2).subs(_KP, c)
        if simplify(second).is_negative:
            params = sorted(c.free_symbols, key=lambda s: s.name)
            derivs = {p.name: simplify(sp.diff(c, p)) for p in params}
            return SpectralPeak(simplify(c), derivs)
    return None
