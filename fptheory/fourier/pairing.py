r"""Pairing a transform with a test function, and the Plancherel check.

**Pairing.** For a spectrum :math:`F[T] = R + \sum_m c_m \delta^{(n_m)}(k - k_m)` (see
:mod:`~fptheory.fourier.distributions`) and a test function φ,

.. math:: \langle F[T], \varphi\rangle = \operatorname{fp}\!\int R\,\varphi\,dk
          + \sum_m (-1)^{n_m} c_m\, \varphi^{(n_m)}(k_m).

At a pole p of order n, with :math:`g = R\varphi` and Laurent coefficients
:math:`g(p+y) = \sum_{m=1}^{n} a_{-m} y^{-m} + O(1)`, the symmetric finite part over
:math:`|y| < r` is

.. math:: \operatorname{fp}\!\int_{-r}^{r} g(p+y)\,dy = \int_0^r \Big[g(p+y) + g(p-y)
          - 2\!\!\sum_{m\ \mathrm{even}}\!\! a_{-m} y^{-m}\Big] dy
          + 2\!\!\sum_{m\ \mathrm{even}}\!\! \frac{a_{-m}\, r^{1-m}}{1-m}

(odd powers cancel in the symmetric sum: the principal value). This is the reading of the
engine (d/dk fp k^{-n} = -n fp k^{-n-1}): for φ = ψ, fp ∫ ψ/k² = ⟨p.v. 1/k, ψ'⟩.

**Cross-check (duality).** The kernel :math:`e^{ibkx}` is symmetric in (x, k), so with the
same convention :math:`\langle F[T], \varphi\rangle = \langle T, F[\varphi]\rangle
= \int T(x)\, F[\varphi](x)\, dx`, computed on the x side with the engine's transform of φ
(it converges for T of polynomial growth and φ with a rapidly decaying transform, e.g. a
Gaussian; otherwise the cross-check is reported as unavailable).

**Plancherel.** From :math:`F_{a,b}[f](k) = N G(-bk)`, :math:`N^2 = |b|/(2\pi)^{1-a}` and
:math:`\int|G|^2 d\omega = 2\pi\int|f|^2`:

.. math:: \int |f|^2\,dx = c \int |F_{a,b}[f]|^2\,dk, \qquad c = \frac{|b|}{2\pi N^2}
          = (2\pi)^{-a}.

>>> from fptheory.fourier.conventions import ANGULAR
>>> from fptheory.fourier.engine import fourier_transform
>>> p = pair(fourier_transform("Heaviside(x)", "x", ANGULAR), "exp(-k**2)", digits=20)
>>> mpmath.nstr(p.value.real, 15), abs(p.value - mpmath.pi) < 1e-14  # π φ(0) - i p.v.∫ φ/k
('3.14159265358979', True)
>>> plancherel("exp(-x**2)", "x", ANGULAR, digits=20).constant
1/(2*pi)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import mpmath
import sympy as sp

from fptheory.core.errors import FPTheoryError

from .conventions import FourierConvention

__all__ = ["Pairing", "pair", "Plancherel", "plancherel", "plancherel_constant"]

_GUARD = 15  # extra working digits
_COEFF_GUARD = 80  # extra digits of the Laurent coefficients subtracted near a pole


@dataclass
class Pairing:
    """⟨F[T], φ⟩: ``value`` (mpmath complex), the x-side ``cross_check`` (or None with
    ``cross_check_note``), the agreement in digits and the parts it is made of."""

    value: Any
    digits: int
    regular: Any
    delta: Any
    estimated_error: Any
    cross_check: Any = None
    cross_check_note: str = ""

    @property
    def agreement_digits(self) -> float | None:
        """-log10 of the relative difference to the cross-check (None when unavailable)."""
        if self.cross_check is None:
            return None
        diff = abs(self.value - self.cross_check)
        scale = max(abs(self.value), mpmath.mpf(10) ** (-self.digits))
        return float("inf") if diff == 0 else float(-mpmath.log10(diff / scale))

    def to_dict(self) -> dict[str, Any]:
        d = self.digits
        return {
            "value": {"re": mpmath.nstr(self.value.real, d), "im": mpmath.nstr(self.value.imag, d)},
            "regular_part": mpmath.nstr(self.regular, d), "delta_terms": mpmath.nstr(self.delta, d),
            "estimated_error": mpmath.nstr(self.estimated_error, 3),
            "cross_check": (None if self.cross_check is None else
                            {"re": mpmath.nstr(self.cross_check.real, d),
                             "im": mpmath.nstr(self.cross_check.imag, d)}),
            "agreement_digits": self.agreement_digits, "cross_check_note": self.cross_check_note,
        }

    def summary(self) -> str:
        v = self.value
        text = f"<F[T], phi> = {mpmath.nstr(v.real, self.digits)} + ({mpmath.nstr(v.imag, self.digits)})*I"
        if self.cross_check is None:
            return text + f"; cross-check: {self.cross_check_note}"
        return text + (f"; = <T, F[phi]> (x-side quadrature) to {self.agreement_digits:.1f} digits")


def _phi_expr(phi: Any, k: sp.Symbol, params: dict) -> sp.Expr:
    from fptheory.core.parsing import parse_expression

    expr = parse_expression(phi) if isinstance(phi, str) else sp.sympify(phi)
    expr = expr.subs({s: k for s in expr.free_symbols if s.name == k.name})
    expr = expr.subs({s: v for s, v in params.items()})
    expr = expr.subs({s: params[n] for s in expr.free_symbols
                      for n in params if getattr(n, "name", n) == s.name})
    extra = expr.free_symbols - {k}
    if extra:
        raise FPTheoryError(f"test function: unknown symbols {', '.join(sorted(map(str, extra)))}"
                            f" (only {k} is allowed)")
    return expr


def _substitute(expr: sp.Expr, params: dict) -> sp.Expr:
    by_name = {getattr(n, "name", str(n)): v for n, v in params.items()}
    return expr.subs({s: sp.sympify(by_name[s.name]) for s in expr.free_symbols if s.name in by_name})


def _numeric(expr: sp.Expr, var: sp.Symbol):
    return sp.lambdify(var, expr, modules="mpmath")


def _laurent(R: sp.Expr, k: sp.Symbol, p: sp.Expr) -> tuple[int, dict[int, sp.Expr]]:
    """Order n and principal-part coefficients {m: c_m} of R at p (R = Σ c_m (k-p)^{-m} + ...)."""
    y = sp.Symbol("y")
    shifted = R.subs(k, p + y)
    for n in range(1, 9):
        lim = sp.limit(y**n * shifted, y, 0)
        if lim.is_finite:
            break
    else:
        raise FPTheoryError(f"pole of order > 8 at k = {p}: not supported")
    ser = sp.series(y**n * shifted, y, 0, n).removeO()
    coeffs = {m: sp.simplify(ser.coeff(y, n - m)) for m in range(1, n + 1)}
    return n, coeffs


def _finite_part_near(g, p, r, even_coeffs: dict[int, Any], order: int):
    """fp ∫_{p-r}^{p+r} g: symmetric sum with the even Laurent terms subtracted."""
    def integrand(y):
        if y == 0:
            return mpmath.mpf(0)
        extra = int(order * max(0, -mpmath.log10(y))) + 10
        with mpmath.workdps(mpmath.mp.dps + extra):
            yy = mpmath.mpf(y)
            val = g(p + yy) + g(p - yy) - 2 * sum(c * yy ** (-m) for m, c in even_coeffs.items())
        return +val
    # Gauss-Legendre: the integrand is analytic and even in y, and its nodes stay away from
    # y = 0, where the subtraction cancels order·log10(1/y) digits (the coefficients carry
    # _COEFF_GUARD extra digits for that)
    body, err = mpmath.quad(integrand, [0, r / 4, r / 2, r], error=True, method="gauss-legendre")
    corr = 2 * sum(c * mpmath.mpf(r) ** (1 - m) / (1 - m) for m, c in even_coeffs.items())
    return body + corr, err


def _regular_pairing(R: sp.Expr, k: sp.Symbol, poles, phi: sp.Expr, scale_points):
    g_expr = R * phi
    g = _numeric(g_expr, k)
    pts = sorted(float(p) for p in poles)
    gaps = [b - a for a, b in zip(pts, pts[1:], strict=False)]
    r = mpmath.mpf(min([1.0] + [gap / 3 for gap in gaps]))  # one radius for every pole
    total, err = mpmath.mpc(0), mpmath.mpf(0)
    phi_coeffs_cache = {}
    for p_exact in poles:
        n, c = _laurent(R, k, p_exact)
        # Laurent coefficients of R φ: Cauchy product with φ's Taylor coefficients
        taylor = phi_coeffs_cache.setdefault(
            p_exact, [sp.diff(phi, k, j).subs(k, p_exact) / sp.factorial(j) for j in range(n)])
        a = {m: sum(c[m + j] * taylor[j] for j in range(n - m + 1) if m + j <= n)
             for m in range(1, n + 1)}
        with mpmath.extradps(_COEFF_GUARD):
            even = {m: _mp(v) for m, v in a.items() if m % 2 == 0}
        val, e = _finite_part_near(g, _mp(p_exact), mpmath.mpf(r), even, n)
        total += val
        err += e
    # the rest of the line, broken at the pole neighbourhoods
    edges = [-mpmath.inf]
    for p in sorted(_mp(q).real for q in poles):  # exact pole positions, not the floats
        edges += [p - r, p + r]
    edges.append(mpmath.inf)
    for a, b in zip(edges[::2], edges[1::2], strict=True):
        inner = sorted({s for s in scale_points if a < s < b})
        v, e = mpmath.quad(g, [a, *inner, b], error=True)
        total += v
        err += e
    return total, err


def _mp(v: sp.Expr):
    v = sp.N(sp.sympify(v), mpmath.mp.dps + 5)
    re, im = (sp.re(v), sp.im(v))
    return mpmath.mpc(mpmath.mpf(str(re)), mpmath.mpf(str(im)))


def _delta_pairing(deltas, k: sp.Symbol, phi: sp.Expr, params: dict):
    total = mpmath.mpc(0)
    for d in deltas:
        value = sp.diff(phi, k, d.order).subs(k, _substitute(d.at, params))
        total += _mp((-1) ** d.order * _substitute(d.coefficient, params) * value)
    return total


def _breakpoints(expr: sp.Expr, x: sp.Symbol) -> list:
    out = set()
    for f in expr.atoms(sp.Heaviside, sp.Max, sp.Min, sp.Abs, sp.sign):
        for arg in f.args:
            if not arg.has(x):
                continue
            try:
                for root in sp.solve(arg, x):
                    if root.is_real:
                        out.add(mpmath.mpf(str(sp.N(root, mpmath.mp.dps))))
            except (NotImplementedError, TypeError, ValueError):
                # a break point only helps the quadrature; without it the two-precision
                # comparison in pair() still refuses an inaccurate value
                continue
    return sorted(out)


def _x_side(result, phi: sp.Expr, k: sp.Symbol, params: dict):
    """∫ T(x) F[φ](x) dx with the engine's transform of φ (same convention)."""
    from .engine import fourier_transform

    x = result.variable
    T = _substitute(result.expression, params)
    if T.has(sp.DiracDelta, sp.Derivative):
        return None, "not available (T has a δ or a derivative)"
    try:
        fphi = fourier_transform(phi.subs(k, sp.Symbol("u", real=True)), sp.Symbol("u", real=True),
                                 result.convention)
    except FPTheoryError as exc:
        return None, f"not available (F[phi]: {exc})"
    if fphi.spectrum.deltas or fphi.poles:
        return None, "not available (F[phi] is singular)"
    kern = fphi.regular.subs(fphi.spectrum.variable, x)
    f = _numeric(T * kern, x)
    pts = _breakpoints(T, x)
    pts = pts or [mpmath.mpf(0)]
    try:
        return mpmath.quad(f, [-mpmath.inf, *pts, mpmath.inf]), "<T, F[phi]> by x-side quadrature"
    except (ZeroDivisionError, ValueError, TypeError) as exc:
        return None, f"not available (x-side quadrature failed: {exc})"


def _require_decay(g_expr: sp.Expr, k: sp.Symbol) -> None:
    """The k-side integral needs k·R(k)φ(k) → 0 at ±∞ (sympy's limit; numeric if it fails)."""
    if g_expr == 0:
        return
    for side in (sp.oo, -sp.oo):
        try:
            lim = sp.limit(k * g_expr, k, side)
            ok = lim == 0
        except (NotImplementedError, ValueError, TypeError, AttributeError):
            g = _numeric(k * g_expr, k)
            sign = 1 if side == sp.oo else -1
            with mpmath.workdps(30):
                ok = all(abs(g(sign * mpmath.mpf(10) ** e)) < 1e-6 for e in (4, 8))
        if not ok:
            raise FPTheoryError(f"pair: R(k)·phi(k) does not decay faster than 1/|k| at {side} "
                                "(the regular part against phi diverges); use a decaying phi")


def pair(result, phi: Any, digits: int = 20, params: dict | None = None,
         cross_check: bool = True) -> Pairing:
    """⟨F[T], φ⟩ for the engine's ``result`` (regular part in fp/p.v. reading plus δ terms) and a
    test function φ(k) (text or sympy, in the spectrum's variable), to ``digits`` digits.

    ``params`` gives values to symbolic parameters of T. The value is computed at two working
    precisions; a difference beyond 10^-digits is a one-line FPTheoryError (φ not decaying
    fast enough, say). The x-side duality integral is the cross-check.
    """
    if not isinstance(digits, int) or digits < 5 or digits > 200:
        raise FPTheoryError(f"digits must be an integer from 5 to 200, got {digits!r}")
    params = dict(params or {})
    spec = result.spectrum
    k = spec.variable
    phi_e = _phi_expr(phi, k, params)
    R = _substitute(spec.regular, params)
    poles = [sp.simplify(_substitute(p, params)) for p in spec.poles]
    free = (R.free_symbols | set().union(*(p.free_symbols for p in poles))) - {k}
    for d in spec.deltas:
        free |= _substitute(d.coefficient, params).free_symbols | _substitute(d.at, params).free_symbols
    if free - {k}:
        raise FPTheoryError(f"pair: give values for {', '.join(sorted(str(s) for s in free - {k}))}"
                            " (params)")
    if any(not p.is_real for p in poles):
        raise FPTheoryError(f"pair: non-real pole in {poles}")
    _require_decay(R * phi_e, k)
    values = []
    for extra in (_GUARD, 2 * _GUARD):
        with mpmath.workdps(digits + extra):
            reg, err = _regular_pairing(R, k, poles, phi_e, [mpmath.mpf(0), mpmath.mpf(1)])
            dlt = _delta_pairing(spec.deltas, k, phi_e, params)
            values.append((reg + dlt, reg, dlt, err))
    with mpmath.workdps(digits + 2 * _GUARD):
        (v1, *_), (v2, reg, dlt, err) = values
        gap = abs(v1 - v2)
        if gap > max(abs(v2), 1) * mpmath.mpf(10) ** (-digits):
            raise FPTheoryError(f"pair: the k-side integral did not converge to {digits} digits "
                                f"(two precisions differ by {mpmath.nstr(gap, 3)}); is phi decaying?")
        out = Pairing(v2, digits, reg, dlt, max(err, gap))
        if cross_check:
            with mpmath.workdps(digits + _GUARD):
                out.cross_check, out.cross_check_note = _x_side(result, phi_e, k, params)
    return out


# ---------------------------------------------------------------------------------------
# Plancherel


def plancherel_constant(convention: FourierConvention) -> sp.Expr:
    """c with ∫|f|² dx = c ∫|F[f]|² dk: c = |b| / (2π N²) = (2π)^{-a}."""
    n = convention.normalisation
    return sp.simplify(sp.Abs(convention.b) / (2 * sp.pi * n**2))


@dataclass
class Plancherel:
    """Both sides of ∫|f|² dx = c ∫|F[f]|² dk, numerically, and whether they agree."""

    expression: sp.Expr
    convention: FourierConvention
    constant: sp.Expr
    x_side: Any
    k_side: Any
    digits: int

    @property
    def agree(self) -> bool:
        return abs(self.x_side - self.k_side) <= abs(self.x_side) * mpmath.mpf(10) ** (-self.digits)

    def to_dict(self) -> dict[str, Any]:
        return {"expression": str(self.expression), "convention": self.convention.name,
                "constant": str(self.constant), "x_side": mpmath.nstr(self.x_side, self.digits),
                "k_side": mpmath.nstr(self.k_side, self.digits), "agree": self.agree}


def plancherel(expr: Any, var: Any, convention: FourierConvention, digits: int = 20,
               params: dict | None = None) -> Plancherel:
    """∫|f|² dx against c ∫|F[f]|² dk (c from the convention's (a, b)), both by mpmath quadrature.

    Refused with a one-line FPTheoryError when F[f] has a singular part (δ terms or poles: f is
    not in L²) or when |f|² does not decay faster than 1/|x| at ±∞.
    """
    from .engine import fourier_transform

    result = fourier_transform(expr, var, convention)
    params = dict(params or {})
    if result.spectrum.deltas or result.poles:
        raise FPTheoryError(f"plancherel: F[{result.expression}] has a singular part "
                            "(δ terms or poles): f is not in L²")
    x, k = result.variable, result.spectrum.variable
    f = _substitute(result.expression, params)
    F = _substitute(result.regular, params)
    left = {s for s in (f.free_symbols - {x}) | (F.free_symbols - {k})}
    if left:
        raise FPTheoryError(f"plancherel: give values for {', '.join(sorted(map(str, left)))}")
    f2 = sp.expand(f * sp.conjugate(f))
    for side in (sp.oo, -sp.oo):
        try:
            lim = sp.limit(x * f2, x, side)
        except (NotImplementedError, ValueError, TypeError):
            lim = None
        if lim is None or lim != 0:
            raise FPTheoryError(f"plancherel: |f|² does not decay faster than 1/|x| at {side}: "
                                "f is not in L²")
    c = plancherel_constant(convention)
    fx, Fk = _numeric(f, x), _numeric(F, k)
    with mpmath.workdps(digits + _GUARD):
        pts = _breakpoints(f, x) or [mpmath.mpf(0)]
        lhs = mpmath.quad(lambda t: abs(fx(t)) ** 2, [-mpmath.inf, *pts, mpmath.inf])
        rhs = _mp(c).real * mpmath.quad(lambda t: abs(Fk(t)) ** 2, [-mpmath.inf, 0, mpmath.inf])
    return Plancherel(result.expression, convention, c, lhs, rhs, digits)
