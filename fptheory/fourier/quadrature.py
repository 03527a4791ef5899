r"""Independent high-precision numeric Fourier transforms (mpmath), for cross-checks.

The angular transform G(ω) = ∫ f(x) e^{-iωx} dx of a tempered f is, at ω ≠ 0, the
Abel limit of absolutely convergent integrals. It is computed here without any
transform rule of the engine, by rotating the two tails into the half-plane where the
kernel decays (Jordan's lemma; f analytic and polynomially bounded in the sectors):

.. math::

   G(\omega) = \int_{x_L}^{x_R} f e^{-i\omega x} dx
             + e^{-i\varphi}\int_0^\infty f_R(x_R + t e^{-i\varphi}) e^{-i\omega(x_R + t e^{-i\varphi})} dt
             + e^{i\varphi}\int_0^\infty f_L(x_L - t e^{i\varphi}) e^{-i\omega(x_L - t e^{i\varphi})} dt,

φ = sign(ω)·π/6 (each ray cut where e^{-|ω| t/2} is 10^{-(dps+36)}), with [x_L, x_R]
containing every kink, jump and the real part of every
pole of f, and f_R, f_L the analytic pieces of f beyond them. The tails then decay like
e^{-|ω| t/2}, so tanh-sinh quadrature reaches 40 digits. δ-terms are evaluated by the
sifting property with numeric differentiation. Modulations e^{iβx} are moved into the
frequency (ω → ω - β), an exact identity of the integrand.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import mpmath
import sympy as sp

from fptheory.core.errors import FPTheoryError, NumericMismatchError
from fptheory.core.numbers import to_mpc

from .conventions import FourierConvention
from .engine import K, NumericCheck, TransformResult, trig_to_exp

__all__ = ["numeric_angular_transform", "check_transform", "DEFAULT_PARAMETER_VALUES"]

_THETA = mpmath.pi / 6
#: the most |ω|·(width of the finite segment) the quadrature is trusted with (tanh(x) is
#: exact to 50 digits at ω = 1000, width 2, and loses everything at ω = 10^4)
MAX_OSCILLATION = 2000

# used when a transform has symbolic parameters and the caller gives none: distinct,
# non-special values, the first of each sign (a scale parameter is tried with both signs)
DEFAULT_PARAMETER_VALUES = (sp.Rational(13, 10), sp.Rational(-7, 10), sp.Rational(9, 20))


def _mp_heaviside(t, *_):
    if t > 0:
        return mpmath.mpf(1)
    if t < 0:
        return mpmath.mpf(0)
    return mpmath.mpf(1) / 2


_MODULES = [{"Heaviside": _mp_heaviside, "sign": mpmath.sign, "Max": max, "Min": min}, "mpmath"]


def _lambdify(expr: sp.Expr, x: sp.Symbol) -> Callable:
    return sp.lambdify(x, expr, modules=_MODULES)


def _linear_root(arg: sp.Expr, x: sp.Symbol) -> tuple[sp.Expr, sp.Expr] | None:
    """(root, slope) of a linear argument, else None."""
    try:
        poly = sp.Poly(sp.expand(arg), x)
    except sp.PolynomialError:
        return None
    if poly.degree() != 1:
        return None
    w, b = poly.all_coeffs()
    return -b / w, w


def _special_points(expr: sp.Expr, x: sp.Symbol) -> list[sp.Expr]:
    """Kinks, jumps and real parts of poles: roots of linear function arguments."""
    points = []
    for f in expr.atoms(sp.Function, sp.Max, sp.Min):
        for arg in f.args:
            lr = _linear_root(arg, x) if arg.has(x) else None
            if lr is not None and sp.im(lr[0]) == 0:
                points.append(sp.re(lr[0]))
    return points


def _tail_piece(expr: sp.Expr, x: sp.Symbol, side: int) -> sp.Expr:
    """The analytic piece of ``expr`` for x → side·∞ (side = ±1)."""

    def step(arg: sp.Expr) -> sp.Expr:
        lr = _linear_root(arg, x)
        if lr is None:
            raise FPTheoryError(f"numeric check: non-linear argument {arg}")
        return sp.Integer(1) if (lr[1] * side) > 0 else sp.Integer(0)

    expr = expr.replace(sp.Heaviside, lambda arg, *h: step(arg))
    expr = expr.replace(sp.sign, lambda arg: 2 * step(arg) - 1)
    expr = expr.replace(sp.Abs, lambda arg: arg * (2 * step(arg) - 1) if arg.has(x) else sp.Abs(arg))
    expr = expr.replace(
        lambda e: isinstance(e, sp.Max) and len(e.args) == 2 and 0 in e.args,
        lambda e: [a for a in e.args if a != 0][0] * step([a for a in e.args if a != 0][0]),
    )
    return expr


def _split_modulation(term: sp.Expr, x: sp.Symbol) -> tuple[sp.Expr, sp.Expr]:
    """term = e^{iβx} · rest with β real; returns (β, rest)."""
    beta = sp.Integer(0)
    for f in sp.Mul.make_args(term):
        if isinstance(f, sp.exp):
            coeff = sp.expand(f.args[0]).coeff(x, 1)
            beta += sp.im(coeff)
    rest = sp.powsimp(sp.expand(term * sp.exp(-sp.I * beta * x), power_exp=False))
    return beta, rest


def _sifting(term: sp.Expr, x: sp.Symbol, omega: mpmath.mpf) -> mpmath.mpc:
    """∫ g(x) δ^{(n)}(w x + b) e^{-iωx} dx = (-1)^n/|w| (d/du)^n g((u-b)/w) e^{...} at u = 0."""
    deltas = [f for f in term.atoms(sp.DiracDelta)]
    if len(deltas) != 1:
        raise FPTheoryError(f"numeric check: cannot sift {term}")
    delta = deltas[0]
    n = int(delta.args[1]) if len(delta.args) > 1 else 0
    lr = _linear_root(delta.args[0], x)
    if lr is None:
        raise FPTheoryError(f"numeric check: non-linear δ argument in {term}")
    root, w = lr
    b = -root * w
    g = sp.simplify(term / delta)
    if g.has(sp.DiracDelta) or g.has(sp.Heaviside):
        raise FPTheoryError(f"numeric check: cannot sift {term}")
    u, om = sp.Dummy("u"), sp.Dummy("omega")
    in_u = (g * sp.exp(-sp.I * om * x)).subs(x, (u - b) / w)
    fn = sp.lambdify((u, om), in_u, modules=_MODULES)
    w_mp = to_mpc(w, mpmath.mp.dps).real
    derivative = mpmath.diff(lambda t: fn(t, omega), 0, n) if n else fn(0, omega)
    return (-1) ** n * derivative / abs(w_mp)


def numeric_angular_transform(
    expr: sp.Expr, x: sp.Symbol, omega: sp.Expr, dps: int = 40
) -> tuple[mpmath.mpc, mpmath.mpf]:
    """G(ω) = ∫ expr e^{-iωx} dx at ω ≠ 0 (or any ω for integrable expr), with an error
    estimate; all parameters must be numeric."""
    expr = sp.expand(trig_to_exp(sp.sympify(expr).doit()), power_exp=False)
    if expr.free_symbols - {x}:
        raise FPTheoryError("numeric transform needs numeric parameter values")
    total = mpmath.mpc(0)
    error = mpmath.mpf(0)
    with mpmath.workdps(dps):
        omega_mp = to_mpc(omega, dps).real
        smooth_terms = []
        for term in sp.Add.make_args(expr):
            if term.has(sp.DiracDelta):
                total += _sifting(term, x, omega_mp)
            else:
                smooth_terms.append(term)
        groups: dict[sp.Expr, sp.Expr] = {}
        for term in smooth_terms:
            beta, rest = _split_modulation(term, x)
            groups[beta] = groups.get(beta, sp.Integer(0)) + rest
        for beta, rest in groups.items():
            value, err = _rotated_integral(rest, x, omega_mp - to_mpc(beta, dps).real)
            total += value
            error += err
    return total, error


def _rotated_integral(expr: sp.Expr, x: sp.Symbol, nu: mpmath.mpf):
    # jumps and kinks enter at full working precision: a float-rounded jump at 1/3 would
    # cost the quadrature everything past the 17th digit
    exact = {sp.nsimplify(p) if p.is_Float else p for p in _special_points(expr, x)}
    inner = sorted({to_mpc(p, mpmath.mp.dps).real for p in exact})
    x_left = inner[0] - 1 if inner else mpmath.mpf(-1)
    x_right = inner[-1] + 1 if inner else mpmath.mpf(1)
    if abs(nu) * (x_right - x_left) > MAX_OSCILLATION:
        # tanh-sinh loses every digit on that many oscillations: no check, not a mismatch
        raise FPTheoryError(
            f"numeric check: frequency {mpmath.nstr(nu, 5)} too high for the quadrature "
            f"(|ω|·width ≤ {MAX_OSCILLATION})")
    f = _lambdify(expr, x)
    kernel = lambda z: mpmath.expj(-nu * z)  # noqa: E731
    err_total = mpmath.mpf(0)
    if nu == 0:
        value, err = mpmath.quad(lambda t: f(t), [-mpmath.inf, x_left, *inner, x_right,
                                                  mpmath.inf], error=True)
        return mpmath.mpc(value), err
    seg, err = mpmath.quad(lambda t: f(t) * kernel(t), [x_left, *inner, x_right], error=True)
    err_total += err
    phi = _THETA if nu > 0 else -_THETA
    f_right = _lambdify(_tail_piece(expr, x, +1), x)
    f_left = _lambdify(_tail_piece(expr, x, -1), x)
    down = mpmath.expj(-phi)
    up = mpmath.expj(phi)
    # the kernel decays like e^{-c t} on both rays; cutting them at T leaves at most
    # |f(z_T)| e^{-cT}/c, far below the working precision (and keeps mpmath from evaluating
    # tanh at |z| ~ 1e30, where tanh(z)**3 exhausts memory)
    c = abs(nu) * mpmath.sin(_THETA)
    cut = ((mpmath.mp.dps + 10) * mpmath.log(10) + 60) / c
    nodes = [0, 1, cut / 8, cut / 4, cut / 2, cut]

    def right_ray(t):
        return f_right(x_right + t * down) * kernel(x_right + t * down) * down

    def left_ray(t):
        return f_left(x_left - t * up) * kernel(x_left - t * up) * up

    right, err = mpmath.quad(right_ray, nodes, error=True)
    err_total += err + abs(right_ray(cut)) / c
    left, err = mpmath.quad(left_ray, nodes, error=True)
    err_total += err + abs(left_ray(cut)) / c
    return seg + right + left, err_total


def _parameter_sets(result: TransformResult,
                    parameters: dict[sp.Symbol, sp.Expr] | None) -> list[dict]:
    if parameters is not None or not result.parameters:
        return [parameters or {}]
    names = result.parameters
    base = {s: abs(DEFAULT_PARAMETER_VALUES[i % len(DEFAULT_PARAMETER_VALUES)])
            for i, s in enumerate(names)}
    # symbols declared positive (Ricker's a) keep their sign; the others are tried with both
    flipped = {s: (v if s.is_positive else -v) for s, v in base.items()}
    return [base, flipped] if flipped != base else [base]


def _closed_form_enclosure(result: TransformResult, k: sp.Expr, params: dict,
                           symbolic: mpmath.mpc, dps: int) -> tuple[str, str] | None:
    """A python-flint ball of the regular part at k (exact constants); it must contain the
    mpmath value. None where ball evaluation does not apply (a removable point, say)."""
    from fptheory.core.balls import evaluate, working_precision

    try:
        ball = evaluate(result.regular.subs(params), {K: k}, digits=dps + 5)
    except (FPTheoryError, ZeroDivisionError, ValueError):
        return None
    if not ball.is_finite():
        return None
    with mpmath.workdps(dps + 10):
        mid = mpmath.mpc(mpmath.mpf(ball.real.mid().str(dps + 10, radius=False)),
                         mpmath.mpf(ball.imag.mid().str(dps + 10, radius=False)))
        radius = mpmath.mpf(abs(ball).rad().str(5, radius=False))
        tolerance = mpmath.mpf(10) ** (-dps - 2) * max(1, abs(symbolic)) + radius
        if abs(mid - symbolic) > tolerance:
            raise NumericMismatchError(
                f"closed form of {result.expression} at k = {k}: ball {ball} disagrees with "
                f"the mpmath value {mpmath.nstr(symbolic, dps)}")
    with working_precision(dps + 5):
        return ball.real.str(dps), ball.imag.str(dps)


def check_transform(
    result: TransformResult,
    ks: Iterable[sp.Expr],
    dps: int = 30,
    parameters: dict[sp.Symbol, sp.Expr] | None = None,
) -> list[NumericCheck]:
    """Compare the regular part at each k with the numeric transform; raise on mismatch.

    Symbolic parameters take the given values, or two default sets (one with every sign
    flipped). The comparison is at ``dps`` significant digits (quadrature at dps + 15).
    The checks are appended to ``result.checks`` and returned.
    """
    convention: FourierConvention = result.convention
    checks = []
    for params in _parameter_sets(result, parameters):
        expr = result.expression.subs(params)
        for k in ks:
            if isinstance(k, str):  # nsimplify would hand text to eval: the safe parser reads it
                from fptheory.core.parsing import parse_number

                k = parse_number(k)
            k = sp.nsimplify(k) if not isinstance(k, sp.Basic) else k
            symbolic = result.regular_value(k, dps + 10, params)
            omega = convention.angular_frequency(k)
            with mpmath.workdps(dps + 15):
                g, err = numeric_angular_transform(expr, result.variable, omega, dps + 15)
                numeric = to_mpc(convention.normalisation, dps + 15) * g
                tolerance = mpmath.mpf(10) ** (-dps) * max(1, abs(symbolic))
                check = NumericCheck(
                    str(k), symbolic, numeric, err, dps,
                    {str(s): str(v) for s, v in params.items()},
                )
                check.enclosure = _closed_form_enclosure(result, k, params, symbolic, dps)
                if not abs(symbolic - numeric) <= tolerance:
                    raise NumericMismatchError(
                        f"transform of {result.expression} at k = {sp.sstr(sp.N(k, 15))} "
                        f"({', '.join(f'{s}={v}' for s, v in params.items()) or 'no params'}): "
                        f"symbolic {mpmath.nstr(symbolic, 15)} vs numeric "
                        f"{mpmath.nstr(numeric, 15)} (|diff| = "
                        f"{mpmath.nstr(abs(symbolic - numeric), 3)})"
                    )
            checks.append(check)
    result.checks.extend(checks)
    return checks
