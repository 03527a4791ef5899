r"""The Fourier-transform engine: expressions in x to distributions in k.

An expression is normalised into a sum of terms

.. math:: c \cdot p(x) \cdot e^{i\beta x} \cdot K(w x + b),

with c constant, p a polynomial, K a base function (:mod:`fptheory.fourier.base_transforms`)
or an unevaluated derivative, and each term is transformed by rules (angular
convention G(ω) = ∫ f e^{-iωx} dx):

* affine      K(wx + b)     → (1/|w|) e^{ibω/w} G_K(ω/w)
* polynomial  x^n f         → (i d/dω)^n G_f
* modulation  e^{iβx} f     → G_f(ω - β)
* derivative  f^{(n)}       → (iω)^n G_f
* linearity.

Rewrites (each an identity sympy confirms): sign(u) = 2H(u) - 1, Max(0, u) = u H(u),
|u| = u sign(u), σ(u) = 1/(1+e^{-u}) = (1 + tanh(u/2))/2, tanh² = 1 - sech²,
sin/cos as exponentials, exp of a quadratic as a shifted, scaled Gaussian.

The result is finally expressed in the requested :class:`FourierConvention`.

>>> r = fourier_transform("tanh(x)")
>>> r.regular
-I*pi/sinh(pi*k/2)
>>> r.poles
(0,)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import mpmath
import sympy as sp

from fptheory.core.derivation import Derivation
from fptheory.core.errors import FPTheoryError, SingularPointError, UnsupportedExpressionError
from fptheory.core.numbers import to_mpc
from fptheory.core.parsing import UnknownFunctionError
from fptheory.core.parsing import parse_expression as parse_text

from .base_transforms import OMEGA, U, base_transform
from .conventions import ANGULAR, FourierConvention
from .distributions import Spectrum
from .numeric_check import NumericCheck

__all__ = ["TransformResult", "TermStructure", "fourier_transform", "parse_expression",
           "SUPPORTED", "K"]

K = sp.Symbol("k", real=True)

SUPPORTED = (
    "tanh, sigmoid 1/(1+exp(-u)), sech(u)**2, Heaviside, sign, Abs, Max(0, u) (ReLU), "
    "DiracDelta(u[, n]), exp of a quadratic (Gaussian, Ricker), sin/cos/exp(i*a*x), "
    "polynomials, and sums, constant multiples, affine arguments w*x+b, products with "
    "polynomials and Derivative(..., x) of these"
)

# the engine's names on top of the parser's default table (exp, tanh, Heaviside, Max, ...);
# sp.Derivative is unevaluated by default, so diff(f, x) reaches the derivative rule as is
_PARSE_LOCALS: dict[str, Any] = {
    "sigmoid": lambda u: 1 / (1 + sp.exp(-u)),
    "relu": lambda u: sp.Max(0, u),
    "ReLU": lambda u: sp.Max(0, u),
    "H": sp.Heaviside,
    "heaviside": sp.Heaviside,
    "delta": sp.DiracDelta,
    "DiracDelta": sp.DiracDelta,
    "diff": sp.Derivative,
    "D": sp.Derivative,
    "Derivative": sp.Derivative,
}


def parse_expression(text: str, var: str = "x") -> tuple[sp.Expr, sp.Symbol]:
    """Parse user text into a sympy expression with real symbols.

    The text is read by the closed-grammar parser :func:`fptheory.core.parsing.parse_expression`
    (nothing in it is evaluated as code; ``^`` is a power; decimals are exact), with the
    engine's names (:data:`_PARSE_LOCALS`) added to its function table.
    ``diff(...)`` stays an unevaluated derivative so the derivative rule is used.
    Raises a one-line :class:`FPTheoryError` for unparsable input or a variable absent
    from the expression, :class:`UnsupportedExpressionError` for an unknown function.
    """
    if not text or not text.strip():
        raise FPTheoryError("empty expression")
    try:
        expr = parse_text(text, functions=_PARSE_LOCALS)
    except UnknownFunctionError as exc:
        raise UnsupportedExpressionError(
            f"unknown function {exc.name!r}; supported: {SUPPORTED}"
        ) from None
    x = sp.Symbol(var, real=True)
    if x not in expr.free_symbols:
        raise FPTheoryError(f"the variable {var!r} does not occur in {text!r}")
    return expr, x


# ---------------------------------------------------------------------------------------
# normalisation


def _linear(arg: sp.Expr, x: sp.Symbol) -> tuple[sp.Expr, sp.Expr] | None:
    """(w, b) if arg = w x + b with w ≠ 0 free of x, else None."""
    arg = sp.expand(arg)
    if not arg.has(x):
        return None
    try:
        poly = sp.Poly(arg, x)
    except sp.PolynomialError:
        return None
    if poly.degree() != 1:
        return None
    w, b = poly.all_coeffs()
    return sp.sympify(w), sp.sympify(b)


_U = sp.Wild("u")

# (name, pattern in the wildcard u, the identical expression the engine transforms, text);
# verify_rewrites() confirms each identity with sympy (the tests run it)
_REWRITES: list[tuple[str, sp.Expr, Any, str]] = [
    ("sign", sp.sign(_U), lambda u: 2 * sp.Heaviside(u) - 1, "sign(u) = 2H(u) - 1"),
    ("relu", sp.Max(0, _U), lambda u: u * sp.Heaviside(u), "Max(0, u) = u H(u)"),
    ("abs", sp.Abs(_U), lambda u: u * (2 * sp.Heaviside(u) - 1), "|u| = u (2H(u) - 1)"),
    # e^u/(1+e^u) before 1/(1+e^{-u}): the latter would match the denominator alone
    ("sigmoid", sp.exp(_U) / (1 + sp.exp(_U)), lambda u: (1 + sp.tanh(u / 2)) / 2,
     "e^u/(1 + e^u) = (1 + tanh(u/2))/2"),
    ("sigmoid", 1 / (1 + sp.exp(-_U)), lambda u: (1 + sp.tanh(u / 2)) / 2,
     "1/(1 + e^{-u}) = (1 + tanh(u/2))/2"),
    ("tanh-squared", sp.tanh(_U) ** 2, lambda u: 1 - sp.sech(u) ** 2, "tanh²(u) = 1 - sech²(u)"),
    ("sech-squared", sp.cosh(_U) ** -2, lambda u: sp.sech(u) ** 2, "1/cosh²(u) = sech²(u)"),
]


def verify_rewrites() -> None:
    """Confirm every rewrite identity with sympy, exactly, at points of both signs."""
    for name, pattern, replacement, _ in _REWRITES:
        for value in (sp.Rational(-3, 2), sp.Rational(1, 3), sp.Integer(2)):
            difference = (pattern.subs(_U, value) - replacement(value)).rewrite(sp.exp)
            if sp.simplify(difference) != 0:
                raise AssertionError(f"rewrite {name} is not an identity at u = {value}")


def trig_to_exp(expr: sp.Expr) -> sp.Expr:
    """sin and cos as complex exponentials; tanh, sech, ... are left alone (a global
    ``rewrite(exp)`` would turn them into exponentials no rule recognises)."""
    return expr.replace(lambda e: isinstance(e, (sp.sin, sp.cos)), lambda e: e.rewrite(sp.exp))


def _rewrite(expr: sp.Expr, x: sp.Symbol, d: Derivation) -> sp.Expr:
    """Apply the identity rewrites of ``_REWRITES`` to arguments linear in x."""
    used: dict[str, str] = {}
    for name, pattern, replacement, text in _REWRITES:
        def _apply(e: sp.Expr, pattern=pattern, replacement=replacement, name=name,
                   text=text) -> sp.Expr:
            m = e.match(pattern)
            if m is None or not m[_U].has(x) or _linear(m[_U], x) is None:
                return e
            used[name] = text
            return replacement(m[_U])

        expr = expr.replace(lambda e, pattern=pattern: e.match(pattern) is not None, _apply)
    if expr.has(sp.sin, sp.cos):
        expr = trig_to_exp(expr)
        used["trig-as-exp"] = "sin and cos written as complex exponentials (modulations)"
    for name in sorted(used):
        d.add("rewrite", used[name])
    return expr


# ---------------------------------------------------------------------------------------
# term transforms


@dataclass
class _Term:
    constant: sp.Expr
    poly: sp.Poly
    modulation: sp.Expr  # β in e^{iβx}
    kernel: tuple[str, sp.Expr] | sp.Derivative | None  # (base, argument), a derivative,
    # or None for the constant 1


def _split_term(term: sp.Expr, x: sp.Symbol) -> _Term:
    constant = sp.Integer(1)
    poly_factor = sp.Integer(1)
    exponent = sp.Integer(0)
    kernels: list[sp.Expr] = []
    for f in sp.Mul.make_args(term):
        if not f.has(x):
            constant *= f
        elif f.is_polynomial(x):
            poly_factor *= f
        elif isinstance(f, sp.exp):
            exponent += f.args[0]
        elif isinstance(f, sp.Pow) and isinstance(f.base, sp.exp) and not f.exp.has(x):
            exponent += f.base.args[0] * f.exp
        else:
            kernels.append(f)
    modulation = sp.Integer(0)
    if exponent != 0:
        exponent = sp.expand(exponent)
        try:
            q = sp.Poly(exponent, x)
        except sp.PolynomialError:
            q = None
        if q is None or q.degree() > 2:
            raise UnsupportedExpressionError(
                f"exp({exponent}) is not an exponential of a quadratic in {x}; supported: "
                f"{SUPPORTED}"
            )
        coeffs = dict(zip(range(q.degree(), -1, -1), q.all_coeffs(), strict=True))
        q2, q1, q0 = (sp.sympify(coeffs.get(n, 0)) for n in (2, 1, 0))
        constant *= sp.exp(q0)
        alpha, beta = sp.re(q1), sp.im(q1)
        modulation = beta
        if q2 != 0:
            if sp.im(q2) != 0 or q2.is_nonnegative:
                raise UnsupportedExpressionError(
                    f"exp({exponent}) is not a decaying Gaussian (needs a real, negative "
                    "x² coefficient)"
                )
            if not _negative_for_nonzero_parameters(q2):
                # exp(+c x²) has no transform: a sign sympy cannot decide is not assumed
                raise UnsupportedExpressionError(
                    f"exp({exponent}): the x² coefficient {q2} must be negative and its sign is "
                    "not known; give the parameters' signs (--param NAME=VALUE, or a positive "
                    "symbol)"
                )
            if kernels:
                raise UnsupportedExpressionError(
                    f"product of a Gaussian and {kernels[0]} is not supported; supported: "
                    f"{SUPPORTED}"
                )
            # q2 x² + α x = -(s x + t)² + t², s = sqrt(-q2), t = -α/(2s)
            s = sp.sqrt(-q2)
            t = -alpha / (2 * s)
            constant *= sp.exp(t**2)
            kernels.append(("gaussian", s * x + t))
        elif alpha != 0:
            raise UnsupportedExpressionError(
                f"exp({exponent}) grows exponentially: not a tempered distribution"
            )
    if len(kernels) > 1:
        raise UnsupportedExpressionError(
            f"product {' * '.join(map(str, kernels))} is not supported; supported: {SUPPORTED}"
        )
    kernel = kernels[0] if kernels else None
    if kernel is not None and not isinstance(kernel, (tuple, sp.Derivative)):
        kernel = _match_base(kernel, x)
    return _Term(constant, sp.Poly(poly_factor, x), modulation, kernel)


@dataclass(frozen=True)
class TermStructure:
    r"""One term c·p(x)·e^{iβx}·K(wx + b) of the normalised expression, as transformed (the
    structure the decay is read from, :func:`fptheory.fourier.decay.decay_of`).

    ``base`` names K (:func:`~fptheory.fourier.base_transforms.base_transform`, whose
    ``singularities`` say where K has poles, jumps or δ's), or is None for a term without
    kernel (p(x)e^{iβx}: its transform is purely singular). A derivative kernel
    (d/dx)^n g has ``derivative`` = n and ``inner`` = the terms of g.
    """

    constant: sp.Expr
    poly: sp.Expr  # p(x)
    modulation: sp.Expr  # β
    base: str | None
    scale: sp.Expr = sp.Integer(1)  # w
    shift: sp.Expr = sp.Integer(0)  # b
    derivative: int = 0
    inner: tuple[TermStructure, ...] = ()


def _kernel_spectrum(
    kernel: tuple[str, sp.Expr] | sp.Derivative, x: sp.Symbol, d: Derivation,
    inner_terms: list[TermStructure] | None = None,
) -> Spectrum:
    if isinstance(kernel, sp.Derivative):
        inner, *variables = kernel.args
        order = 0
        for var, count in variables:
            if var != x:
                raise UnsupportedExpressionError(f"derivative with respect to {var}, not {x}")
            order += count
        inner_spectrum = _transform_expr(inner, x, d, inner_terms)
        d.add(
            "derivative",
            f"F[f^({order})](ω) = (iω)^{order} F[f](ω)",
            rf"\mathcal{{F}}[f^{{({order})}}](\omega) = (i\omega)^{{{order}}}\mathcal{{F}}[f](\omega)",
        )
        return inner_spectrum.multiply_smooth((sp.I * OMEGA) ** order)

    name, arg = kernel
    base = base_transform(name)
    d.extend(base.derivation)
    w, b = _linear(arg, x)  # _match_base guarantees linearity
    if w == 1 and b == 0:
        return base.spectrum
    d.add(
        "affine",
        f"{base.function.subs(U, sp.Symbol('u'))} at u = {arg}: "
        "F[f(wx+b)](ω) = (1/|w|) e^{ibω/w} F[f](ω/w), w ≠ 0",
        rf"\mathcal{{F}}[f({sp.latex(arg)})](\omega) = "
        + sp.latex(sp.exp(sp.I * b * sp.Symbol("omega") / w) / sp.Abs(w))
        + rf"\,\mathcal{{F}}[f]\left({sp.latex(sp.Symbol('omega') / w)}\right)",
    )
    return (
        base.spectrum.dilate(1 / w)
        .multiply_smooth(sp.exp(sp.I * b * OMEGA / w))
        .scale(1 / sp.Abs(w))
    )


def _match_base(kernel: sp.Expr, x: sp.Symbol) -> tuple[str, sp.Expr]:
    """Identify kernel = base(arg) with arg linear in x."""
    candidates: list[tuple[str, sp.Expr]] = []
    if isinstance(kernel, sp.tanh):
        candidates.append(("tanh", kernel.args[0]))
    elif isinstance(kernel, sp.Heaviside):
        candidates.append(("heaviside", kernel.args[0]))
    elif isinstance(kernel, sp.DiracDelta):
        order = int(kernel.args[1]) if len(kernel.args) > 1 else 0
        candidates.append((f"dirac{order}", kernel.args[0]))
    elif isinstance(kernel, sp.Pow) and kernel.exp == 2 and isinstance(kernel.base, sp.sech):
        candidates.append(("sech2", kernel.base.args[0]))
    for name, arg in candidates:
        if _linear(arg, x) is not None:
            return name, arg
    raise UnsupportedExpressionError(
        f"cannot transform {kernel}: not one of the supported forms; supported: {SUPPORTED}"
    )


def _transform_term(term: sp.Expr, x: sp.Symbol, d: Derivation,
                    structure: list[TermStructure] | None = None) -> Spectrum:
    parts = _split_term(term, x)
    inner: list[TermStructure] = []
    if parts.kernel is None:
        base = base_transform("one")
        d.extend(base.derivation)
        spectrum = base.spectrum
    else:
        spectrum = _kernel_spectrum(parts.kernel, x, d, inner)
    if structure is not None:
        structure.append(_term_structure(parts, x, inner))
    poly = parts.poly
    if poly.degree() > 0 or poly.as_expr() != 1:
        total = Spectrum.zero(OMEGA)
        for (n,), c in poly.terms():
            piece = spectrum
            for _ in range(n):
                piece = piece.differentiate().scale(sp.I)
            total = total + piece.scale(c)
        if poly.degree() > 0:
            d.add(
                "polynomial",
                f"multiplication by {poly.as_expr()}: F[x^n f](ω) = (i d/dω)^n F[f](ω)",
                r"\mathcal{F}[x^n f](\omega) = \left(i\frac{d}{d\omega}\right)^n"
                r"\mathcal{F}[f](\omega)",
            )
        spectrum = total
    if parts.modulation != 0:
        d.add(
            "modulation",
            f"multiplication by e^(i·{parts.modulation}·x) shifts the spectrum",
            rf"\mathcal{{F}}[e^{{i\beta x}} f](\omega) = \mathcal{{F}}[f](\omega - \beta),\ "
            rf"\beta = {sp.latex(parts.modulation)}",
        )
        spectrum = spectrum.shift(parts.modulation)
    if parts.constant != 1:
        spectrum = spectrum.scale(parts.constant)
    return spectrum


def _term_structure(parts: _Term, x: sp.Symbol, inner: list[TermStructure]) -> TermStructure:
    common = (parts.constant, parts.poly.as_expr(), parts.modulation)
    kernel = parts.kernel
    if kernel is None:
        return TermStructure(*common, None)
    if isinstance(kernel, sp.Derivative):
        order = sum(count for _, count in kernel.args[1:])
        return TermStructure(*common, None, derivative=int(order), inner=tuple(inner))
    name, arg = kernel
    w, b = _linear(arg, x)
    return TermStructure(*common, name, w, b)


def _transform_expr(expr: sp.Expr, x: sp.Symbol, d: Derivation,
                    structure: list[TermStructure] | None = None) -> Spectrum:
    expr = _rewrite(expr, x, d)
    expr = sp.expand(expr, power_exp=False, log=False, power_base=False)
    total = Spectrum.zero(OMEGA)
    terms = sp.Add.make_args(expr)
    if len(terms) > 1:
        d.add("linearity", f"the transform of a sum of {len(terms)} terms is the sum")
    for term in terms:
        total = total + _transform_term(term, x, d, structure)
    return total


# ---------------------------------------------------------------------------------------
# the result


@dataclass
class TransformResult:
    """The transform of ``expression`` as a distribution in ``convention``.

    ``spectrum`` is in the variable ``k`` of the convention; ``angular`` is the same
    distribution in ω for the kernel e^{-iωx}, from which every convention is derived.
    """

    expression: sp.Expr
    variable: sp.Symbol
    convention: FourierConvention
    angular: Spectrum
    spectrum: Spectrum
    derivation: Derivation
    conditions: list[str]
    checks: list[NumericCheck] = field(default_factory=list)
    #: the terms the transform was built from (angular convention), for the decay
    structure: tuple[TermStructure, ...] | None = None

    @property
    def regular(self) -> sp.Expr:
        return self.spectrum.regular

    @property
    def singular(self) -> sp.Expr:
        return self.spectrum.singular_sympy()

    @property
    def poles(self) -> tuple[sp.Expr, ...]:
        return self.spectrum.poles

    @property
    def parameters(self) -> list[sp.Symbol]:
        return sorted(self.expression.free_symbols - {self.variable}, key=lambda s: s.name)

    def in_convention(self, convention: FourierConvention) -> TransformResult:
        return TransformResult(
            self.expression,
            self.variable,
            convention,
            self.angular,
            _to_convention(self.angular, convention),
            self.derivation,
            self.conditions,
            structure=self.structure,
        )

    def regular_value(self, k: sp.Expr, dps: int = 30,
                      parameters: dict[sp.Symbol, sp.Expr] | None = None) -> mpmath.mpc:
        """The regular part at k, to ``dps`` digits; an error at a pole."""
        if isinstance(k, str):  # nsimplify would hand text to eval: read it by the safe parser
            from fptheory.core.parsing import parse_number

            k = parse_number(k)
        k = sp.nsimplify(k) if not isinstance(k, sp.Basic) else k
        expr = self.regular.subs(parameters or {})
        poles = [sp.simplify(p.subs(parameters or {})) for p in self.poles]
        missing = expr.free_symbols - {K}
        if missing:
            names = ", ".join(sorted(s.name for s in missing))
            raise FPTheoryError(f"give values for the parameters {names} to evaluate at k")
        for p in poles:
            if p.is_number and sp.simplify(p - k) == 0:
                raise SingularPointError(
                    f"k = {k} is a singular point of the transform of {self.expression} "
                    "(principal value / finite part there, plus any δ terms); choose k ≠ "
                    f"{p}"
                )
        value = expr.subs(K, k)
        if value.has(sp.nan, sp.zoo, sp.oo) or not value.is_finite:
            value = sp.limit(expr, K, k)
        return to_mpc(value, dps)

    def to_dict(self) -> dict[str, Any]:
        return {
            "expression": str(self.expression),
            "variable": self.variable.name,
            "convention": {
                "name": self.convention.name,
                "a": str(self.convention.a),
                "b": str(self.convention.b),
                "definition": self.convention.latex_definition(),
            },
            "transform": str(self.regular),
            "latex": sp.latex(self.regular),
            "singular_part": str(self.singular),
            "singular_latex": sp.latex(self.singular),
            "principal_value_at": [str(p) for p in self.poles],
            "conditions": self.conditions,
            "derivation": self.derivation.to_list(),
        }

    def _repr_latex_(self) -> str:
        r"""The transform as display math for Jupyter, printed by :func:`sympy.latex`:
        ``$$\mathcal{F}[f](k) = regular + singular$$``, the convention and where the regular
        part is a principal value."""
        value = self.regular if self.singular == 0 else self.regular + self.singular
        c = self.convention
        name = (r"\text{" + c.name + " convention}" if c.name else
                r"\text{convention } a = " + sp.latex(c.a) + r",\ b = " + sp.latex(c.b))
        pv = "".join(r",\ \text{p.v. at } k = " + sp.latex(p) for p in self.poles)
        return (r"$$\mathcal{F}\left[" + sp.latex(self.expression) + r"\right](k) = " + sp.latex(value)
                + r"\qquad (" + name + pv + ")$$")


def _to_convention(angular: Spectrum, convention: FourierConvention) -> Spectrum:
    """N · G(-b k): dilate by -b, rename ω → k, scale by N."""
    s = angular.dilate(-convention.b).rename(K).scale(convention.normalisation)
    return s.simplified()


def fourier_transform(
    expression: str | sp.Expr,
    variable: str | sp.Symbol = "x",
    convention: FourierConvention = ANGULAR,
) -> TransformResult:
    """Fourier transform of ``expression`` in ``variable`` as a distribution.

    ``expression`` may be text (parsed by :func:`parse_expression`) or a sympy
    expression. The result's ``regular`` part is a function of the real symbol ``k``;
    ``singular`` holds the δ terms; ``poles`` lists where the regular part is a
    principal value (or finite part).
    """
    if isinstance(expression, str):
        expr, x = parse_expression(expression, str(variable))
    else:
        x = sp.Symbol(str(variable), real=True)
        expr = sp.sympify(expression)
        # parameters are real; symbols that already carry assumptions (a > 0) keep them
        expr = expr.xreplace(
            {s: sp.Symbol(s.name, real=True) for s in expr.free_symbols if s.is_real is None}
        )
        if x not in expr.free_symbols:
            raise FPTheoryError(f"the variable {x} does not occur in {expr}")
    d = Derivation()
    structure: list[TermStructure] = []
    angular = _transform_expr(expr, x, d, structure).simplified()
    conditions = [f"{s} > 0" if s.is_positive else f"{s} < 0" if s.is_negative else f"{s} real"
                  for s in sorted(expr.free_symbols - {x}, key=str)]
    scales = _scale_parameters(expr, x)
    conditions += [f"{w} ≠ 0" for w in scales if w.is_zero is None]
    conditions += [f"{c} < 0 (a decaying Gaussian)" for c in _gaussian_coefficients(expr, x)
                   if c.is_negative is None]
    spectrum = _to_convention(angular, convention)
    if spectrum.poles:
        where = ", ".join(str(p) for p in spectrum.poles)
        conditions.append(f"regular part read as principal value/finite part at k = {where}")
    if convention != ANGULAR:
        d.add(
            "convention",
            f"{convention}: F(k) = N G(-b k) with N = {convention.normalisation}, "
            f"δ^(n)(λy) = δ^(n)(y)/(|λ| λ^n)",
            rf"\mathcal{{F}}(k) = {sp.latex(convention.normalisation)}\,"
            rf"G({sp.latex(convention.angular_frequency(K))})",
        )
    return TransformResult(expr, x, convention, angular, spectrum, d, conditions,
                           structure=tuple(structure))


def _negative_for_nonzero_parameters(c: sp.Expr) -> bool:
    """Whether ``c`` < 0 for every nonzero value of its real parameters of unknown sign
    (-a² and -1/(2a²) are; -a is not). A zero parameter is excluded by the transform's
    conditions (it is a scale, "a ≠ 0")."""
    if c.is_negative:
        return True
    swap = {s: sp.Symbol(s.name, real=True, nonzero=True) for s in c.free_symbols
            if s.is_positive is None and s.is_negative is None}
    return bool(c.xreplace(swap).is_negative)


def _gaussian_coefficients(expr: sp.Expr, x: sp.Symbol) -> list[sp.Expr]:
    """The x² coefficients of the exponents in ``expr`` (exp(c x² + ...))."""
    out = []
    for f in expr.atoms(sp.exp):
        try:
            q = sp.Poly(sp.expand(f.args[0]), x)
        except sp.PolynomialError:
            continue
        if q.degree() == 2 and q.coeff_monomial(x**2) not in out:
            out.append(q.coeff_monomial(x**2))
    return out


def _scale_parameters(expr: sp.Expr, x: sp.Symbol) -> list[sp.Expr]:
    scales = []
    for f in expr.atoms(sp.Function):
        if f.args and f.args[0].has(x):
            lin = _linear(f.args[0], x)
            if lin is not None and lin[0].free_symbols and lin[0] not in scales:
                scales.append(lin[0])
    return scales
