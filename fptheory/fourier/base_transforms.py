r"""The few base transforms, each *derived* with sympy, never typed in from a table.

All are in the angular convention G(ω) = ∫ f(x) e^{-iωx} dx; the engine converts.

* Gaussian e^{-u²}: direct integration.
* Dirac δ^{(n)}: direct integration (sifting).
* Heaviside H and the constant 1 (tempered, not integrable): Abel regularisation
  e^{-εx}, e^{-ε|x|}; the limit ε → 0⁺ is taken in the sense of distributions: the
  real part is a nascent delta whose mass sympy integrates, the imaginary part
  converges pointwise to a principal value.
* sech²: the rectangle contour 0 → R → R + iπ → iπ, using sech²(z + iπ) = sech²(z) and
  the residue at iπ/2 from a Laurent series (sympy's ``residue`` is not trusted: it
  returns 0 for tanh at iπ/2, where the residue is 1), confirmed by a rigorous
  (python-flint ball arithmetic) enclosure of the contour integral.
* tanh: tanh' = sech² gives iω G_tanh = G_sech²; oddness of tanh excludes a δ(ω) term.

Each base transform also records where its function is singular (:class:`Singularity`): the
poles nearest the real axis with their order and leading Laurent coefficient (tanh, sech²),
a jump (Heaviside), a δ^{(n)} (Dirac) or a Gaussian's quadratic exponent. The decay of every
transform the engine builds is read from these (:mod:`fptheory.fourier.decay`).

Each derivation runs once per machine and library version: the result (exact ``srepr``
text, with its derivation steps) is kept in the on-disk cache of :mod:`fptheory.core.cache`
and read back by its closed reader; ``use_cache=False`` derives afresh, and the tests
re-derive every cached entry and compare.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp
from flint import arb

from fptheory.core import cache as disk
from fptheory.core.balls import ball_function, contour_integral, evaluate, working_precision
from fptheory.core.derivation import Derivation, Step
from fptheory.core.errors import FPTheoryError

from .distributions import DeltaTerm, Spectrum

__all__ = ["BaseTransform", "Singularity", "OMEGA", "U", "base_transform", "laurent_residue",
           "BASE_NAMES", "derive"]

OMEGA = sp.Symbol("omega", real=True)
U = sp.Symbol("u", real=True)
_EPS = sp.Symbol("epsilon", positive=True)
_Z = sp.Symbol("z")


@dataclass(frozen=True)
class Singularity:
    """Where a base function f(u) is not smooth (or, for a Gaussian, how fast it falls off).

    ``kind``: ``"pole"`` (f has a pole of order ``order`` at the complex point ``at``, with
    f(u) ≈ ``leading``·(u - at)^{-order}; only the poles nearest the real axis are listed),
    ``"jump"`` (f^{(order)} jumps by ``leading`` at the real point ``at``), ``"delta"``
    (f = ``leading``·δ^{(order)}(u - at)) or ``"gaussian"`` (f = e^{-leading·u²}).
    """

    kind: str
    at: sp.Expr
    order: int
    leading: sp.Expr


@dataclass(frozen=True)
class BaseTransform:
    """A base function f(u) and its angular transform, with how it was derived."""

    name: str
    function: sp.Expr  # in U
    spectrum: Spectrum  # in OMEGA
    derivation: Derivation
    singularities: tuple[Singularity, ...] = ()


def _fourier_integral(f: sp.Expr, lower=-sp.oo) -> sp.Expr:
    result = sp.integrate(f * sp.exp(-sp.I * OMEGA * U), (U, lower, sp.oo), conds="none")
    if result.has(sp.Integral):
        raise FPTheoryError(f"sympy could not integrate the transform of {f}")
    return sp.simplify(result)


def _derive_gaussian() -> BaseTransform:
    f = sp.exp(-(U**2))
    d = Derivation()
    g = _fourier_integral(f)
    d.add(
        "direct-integration",
        "sympy integrates the Gaussian against the kernel (absolutely convergent)",
        rf"\int_{{-\infty}}^{{\infty}} e^{{-u^2}} e^{{-i\omega u}}\,du = {sp.latex(g)}",
    )
    exponent = sp.Poly(sp.log(f).expand(force=True), U)
    rate = -exponent.coeff_monomial(U**2)
    return BaseTransform("gaussian", f, Spectrum(OMEGA, g), d,
                         (Singularity("gaussian", sp.Integer(0), 0, rate),))


def _abel_limit(regularised: sp.Expr, d: Derivation, what: str) -> Spectrum:
    """Distributional limit ε → 0⁺ of an Abel-regularised transform I_ε(ω).

    Real part: a nascent delta (nonnegative, pointwise → 0 for ω ≠ 0) whose total mass
    sympy integrates. Imaginary part: pointwise limit for ω ≠ 0, dominated by
    C/|ω|, an odd function, hence converging to the principal value.
    """
    re_part = sp.simplify(sp.re(sp.expand_complex(regularised)))
    im_part = sp.simplify(sp.im(sp.expand_complex(regularised)))
    mass = sp.simplify(sp.integrate(re_part, (OMEGA, -sp.oo, sp.oo)))
    re_pointwise = sp.limit(re_part, _EPS, 0, "+")
    if re_pointwise != 0:
        raise FPTheoryError(f"Abel limit for {what}: real part does not vanish off 0")
    im_pointwise = sp.simplify(sp.limit(im_part, _EPS, 0, "+"))
    d.add(
        "abel-limit",
        "real part is a nascent delta (pointwise 0 for ω ≠ 0) of total mass "
        f"{mass}; imaginary part converges pointwise for ω ≠ 0",
        rf"\int \operatorname{{Re}}\, I_\epsilon\, d\omega = {sp.latex(mass)},\quad "
        rf"\lim_{{\epsilon\to0^+}} \operatorname{{Im}}\, I_\epsilon(\omega) = {sp.latex(im_pointwise)}"
        rf"\ (\omega \ne 0)",
    )
    regular = sp.I * im_pointwise
    poles = (sp.Integer(0),) if im_pointwise != 0 else ()
    if poles:
        odd = sp.simplify(im_pointwise.subs(OMEGA, -OMEGA) + im_pointwise) == 0
        if not odd:
            raise FPTheoryError(f"Abel limit for {what}: the 1/ω part is not odd")
        d.add(
            "principal-value",
            "the imaginary part is odd and bounded by C/|ω|, so its limit is the principal "
            "value distribution",
            rf"\lim_{{\epsilon\to0^+}} i\operatorname{{Im}}\, I_\epsilon = "
            rf"\mathrm{{p.v.}}\,{sp.latex(regular)}",
        )
    deltas = (DeltaTerm(mass, 0, sp.Integer(0)),) if mass != 0 else ()
    return Spectrum(OMEGA, regular, deltas, poles)


def _derive_heaviside() -> BaseTransform:
    f = sp.Heaviside(U)
    d = Derivation()
    reg = sp.simplify(
        sp.integrate(sp.exp(-_EPS * U) * sp.exp(-sp.I * OMEGA * U), (U, 0, sp.oo), conds="none")
    )
    d.add(
        "abel-regularisation",
        "H is not integrable; regularise with e^{-εu}, ε > 0, and integrate",
        rf"I_\epsilon(\omega) = \int_0^\infty e^{{-\epsilon u}} e^{{-i\omega u}}\,du"
        rf" = {sp.latex(reg)}",
    )
    jump = sp.limit(f, U, 0, "+") - sp.limit(f, U, 0, "-")
    return BaseTransform("heaviside", f, _abel_limit(reg, d, "Heaviside"), d,
                         (Singularity("jump", sp.Integer(0), 0, jump),))


def _derive_one() -> BaseTransform:
    f = sp.Integer(1)
    d = Derivation()
    half = sp.integrate(sp.exp(-_EPS * U) * sp.exp(-sp.I * OMEGA * U), (U, 0, sp.oo),
                        conds="none")
    reg = sp.simplify(half + half.subs(OMEGA, -OMEGA))
    d.add(
        "abel-regularisation",
        "the constant 1 is not integrable; regularise with e^{-ε|u|}",
        rf"I_\epsilon(\omega) = \int e^{{-\epsilon|u|}} e^{{-i\omega u}}\,du = {sp.latex(reg)}",
    )
    return BaseTransform("one", f, _abel_limit(reg, d, "1"), d)


def laurent_residue(expr: sp.Expr, z: sp.Symbol, z0: sp.Expr) -> sp.Expr:
    """Residue of ``expr`` at ``z0`` from its Laurent series in z - z0.

    Hyperbolic functions are rewritten as exponentials first, so that the series is
    taken of an expression whose only singularity near h = 0 is the pole itself.

    >>> z = sp.Symbol("z")
    >>> laurent_residue(sp.tanh(z), z, sp.I * sp.pi / 2)
    1
    """
    h = sp.Dummy("h")
    local = sp.simplify(expr.subs(z, z0 + h).rewrite(sp.exp))
    series = sp.series(local, h, 0, 1).removeO()
    return sp.simplify(sp.expand(series).coeff(h, -1))


def _poles_near_axis(f: sp.Expr) -> tuple[Singularity, ...]:
    """The poles of f(u) = tanh(u) or sech²(u) nearest the real axis: the zeros of cosh
    (iπ/2 + iπn; sympy's solve lists the two of the strip |Im u| ≤ π/2, which are the
    nearest), each with its order m and leading coefficient lim (u - u₀)^m f(u)."""
    h = sp.Dummy("h")
    out = []
    for z0 in sorted(sp.solve(sp.cosh(_Z), _Z), key=sp.default_sort_key):
        local = f.subs(U, z0 + h)
        for order in range(1, 5):
            leading = sp.limit(h**order * local, h, 0)
            if leading.is_finite and leading != 0:
                out.append(Singularity("pole", z0, order, sp.simplify(leading)))
                break
        else:
            raise FPTheoryError(f"no pole of order <= 4 of {f} at {z0}")
    return tuple(out)


def _enclosed_residue(expr: sp.Expr, z: sp.Symbol, z0: sp.Expr, omega_value: sp.Expr):
    """(1/2πi)∮ expr dz on |z - z0| = 1/4 as a rigorous ball (flint ``acb.integral``), with
    exact constants; no other pole lies within distance π - 1/4 of the circle."""
    integrand = ball_function(expr.subs(OMEGA, omega_value), z)
    with working_precision(30):
        center = evaluate(z0, digits=30)
        return contour_integral(integrand, center, arb(1) / 4, digits=30)


def _derive_sech2() -> BaseTransform:
    f = sp.sech(U) ** 2
    d = Derivation()
    integrand = sp.sech(_Z) ** 2 * sp.exp(-sp.I * OMEGA * _Z)
    periodic = sp.simplify((sp.sech(_Z + sp.I * sp.pi) ** 2 - sp.sech(_Z) ** 2).rewrite(sp.exp))
    if periodic != 0:
        raise FPTheoryError("sech² is not iπ-periodic according to sympy")
    d.add(
        "contour",
        "integrate over the rectangle 0 → R → R+iπ → iπ; the vertical sides vanish as R → ∞ "
        "(sech² decays like e^{-2|Re z|}) and the top side is e^{πω} times the real line, "
        "because sech²(z+iπ) = sech²(z)",
        r"(1 - e^{\pi\omega})\, G(\omega) = 2\pi i\, \operatorname{Res}_{z=i\pi/2}"
        r"\operatorname{sech}^2(z) e^{-i\omega z}",
    )
    pole = sp.I * sp.pi / 2
    res = laurent_residue(integrand, _Z, pole)
    check_omega = sp.Rational(7, 10)
    enclosure = _enclosed_residue(integrand, _Z, pole, check_omega)
    exact = evaluate(res, {OMEGA: check_omega}, digits=30)
    if not enclosure.overlaps(exact):
        raise FPTheoryError("residue of sech² e^{-iωz} is not in its contour-integral enclosure")
    d.add(
        "residue",
        "the only pole inside is the double pole z = iπ/2; residue from the Laurent series "
        "(not sympy's residue(), which is wrong for tanh at iπ/2), confirmed at ω = 7/10 by a "
        f"rigorous enclosure of the contour integral: {enclosure.imag.str(20)} i",
        rf"\operatorname{{Res}}_{{z=i\pi/2}} = {sp.latex(res)}",
    )
    g = sp.simplify((2 * sp.pi * sp.I * res / (1 - sp.exp(sp.pi * OMEGA))).rewrite(sp.sinh))
    g = sp.simplify(g)
    at_zero = sp.limit(g, OMEGA, 0)
    antiderivative = sp.tanh(U)
    if sp.simplify(sp.diff(antiderivative, U) - f) != 0:
        raise FPTheoryError("tanh is not an antiderivative of sech²")
    total = sp.limit(antiderivative, U, sp.oo) - sp.limit(antiderivative, U, -sp.oo)
    if sp.simplify(at_zero - total) != 0:
        raise FPTheoryError("sech² transform at ω = 0 is not ∫ sech²")
    d.add(
        "solve",
        f"divide by 1 - e^{{πω}} (ω ≠ 0); the limit ω → 0 gives {at_zero} = ∫ sech² = "
        "[tanh]_{-∞}^{∞}, so the singularity at 0 is removable",
        rf"G_{{\operatorname{{sech}}^2}}(\omega) = {sp.latex(g)}",
    )
    return BaseTransform("sech2", f, Spectrum(OMEGA, g), d, _poles_near_axis(f))


def _derive_tanh(use_cache: bool = True) -> BaseTransform:
    sech2 = base_transform("sech2", use_cache=use_cache)
    f = sp.tanh(U)
    d = Derivation()
    d.extend(sech2.derivation)
    if sp.simplify(sp.diff(f, U) - sech2.function) != 0:
        raise FPTheoryError("tanh' is not sech²")
    if sp.simplify(f.subs(U, -U) + f) != 0:
        raise FPTheoryError("tanh is not odd")
    g = sp.simplify(sech2.spectrum.regular / (sp.I * OMEGA))
    d.add(
        "derivative-inverse",
        "tanh' = sech², so iω G_tanh = G_sech²; a solution is G_sech²/(iω) plus c δ(ω); tanh "
        "is odd, so its transform is odd and c = 0; the pole at 0 is read as p.v.",
        rf"G_{{\tanh}}(\omega) = \mathrm{{p.v.}}\,\frac{{G_{{\operatorname{{sech}}^2}}(\omega)}}"
        rf"{{i\omega}} = {sp.latex(g)}",
    )
    return BaseTransform("tanh", f, Spectrum(OMEGA, g, (), (sp.Integer(0),)), d,
                         _poles_near_axis(f))


def _derive_dirac(order: int) -> BaseTransform:
    f = sp.DiracDelta(U, order) if order else sp.DiracDelta(U)
    d = Derivation()
    g = _fourier_integral(f)
    d.add(
        "sifting",
        "sympy integrates δ^{(n)} against the kernel: (-1)^n (d/du)^n e^{-iωu} at u = 0",
        rf"\int {sp.latex(f)}\, e^{{-i\omega u}}\,du = {sp.latex(g)}",
    )
    return BaseTransform(f"dirac{order}", f, Spectrum(OMEGA, g), d,
                         (Singularity("delta", sp.Integer(0), order, sp.Integer(1)),))


_DERIVERS = {
    "gaussian": _derive_gaussian,
    "heaviside": _derive_heaviside,
    "one": _derive_one,
    "sech2": _derive_sech2,
    "tanh": _derive_tanh,
}
BASE_NAMES = tuple(_DERIVERS) + ("dirac<n>",)


_MEMORY: dict[str, BaseTransform] = {}


def derive(name: str) -> BaseTransform:
    """Derive the base transform ``name`` from scratch with sympy (no cache of any kind)."""
    if name.startswith("dirac"):
        return _derive_dirac(int(name[5:] or 0))
    if name == "tanh":
        return _derive_tanh(use_cache=False)
    return _DERIVERS[name]()


def base_transform(name: str, *, use_cache: bool = True) -> BaseTransform:
    """The derived base transform ``name``: derived once per process, and read from the
    on-disk cache when an entry for this library source exists (``use_cache=False``:
    derived afresh, and neither cache is read or written)."""
    if not use_cache:
        return derive(name)
    if name in _MEMORY:
        return _MEMORY[name]
    found = _from_disk(name)
    if found is None:
        found = derive(name)
        disk.store(_NAMESPACE, [name], to_record(found))
    _MEMORY[name] = found
    return found


_NAMESPACE = "base-transforms"


def to_record(base: BaseTransform) -> dict[str, Any]:
    """The base transform as data: exact ``srepr`` text and the derivation's steps."""
    text = disk.expr_to_text
    s = base.spectrum
    return {
        "name": base.name, "function": text(base.function), "variable": text(s.variable),
        "regular": text(s.regular),
        "deltas": [[text(d.coefficient), d.order, text(d.at)] for d in s.deltas],
        "poles": [text(p) for p in s.poles],
        "derivation": [[st.rule, st.text, st.latex] for st in base.derivation.steps],
        "singularities": [[g.kind, text(g.at), g.order, text(g.leading)]
                          for g in base.singularities],
    }


def from_record(record: dict[str, Any]) -> BaseTransform:
    """Read :func:`to_record`'s data back (CacheFormatError, KeyError, TypeError or
    ValueError for anything malformed)."""
    read = disk.expr_from_text
    variable = read(record["variable"])
    if variable != OMEGA:
        raise disk.CacheFormatError("base transform in another variable")

    def order(value: Any) -> int:
        if type(value) is not int or not 0 <= value <= 50:
            raise disk.CacheFormatError("bad order")
        return value

    def string(value: Any) -> str:
        if not isinstance(value, str):
            raise disk.CacheFormatError("bad derivation text")
        return value

    spectrum = Spectrum(
        OMEGA, read(record["regular"]),
        tuple(DeltaTerm(read(c), order(n), read(a)) for c, n, a in record["deltas"]),
        tuple(read(p) for p in record["poles"]))
    derivation = Derivation([Step(string(r), string(t), string(latex))
                             for r, t, latex in record["derivation"]])
    kinds = ("pole", "jump", "delta", "gaussian")
    singularities = tuple(
        Singularity(kind if kind in kinds else _bad(kind), read(at), order(n), read(leading))
        for kind, at, n, leading in record["singularities"])
    return BaseTransform(string(record["name"]), read(record["function"]), spectrum, derivation,
                         singularities)


def _bad(kind: Any) -> str:
    raise disk.CacheFormatError(f"unknown singularity kind {str(kind)[:20]!r}")


def _from_disk(name: str) -> BaseTransform | None:
    record = disk.load(_NAMESPACE, [name])
    if record is None:
        return None
    try:
        found = from_record(record)
    except (disk.CacheFormatError, KeyError, TypeError, ValueError):
        return None
    return found if found.name == name else None
