r"""Registry of activation (and test) functions: one sympy expression each.

Numeric callables are generated from the expression (``lambdify``), never re-typed.

Ricker appears in two normalisations:

* ``ricker_chapter``: the chapter's (1.8) as printed,
  :math:`\frac{\pi^{1/4}}{15a}\,(1 - (x/a)^2)\, e^{-(x/a)^2/2}`;
* ``ricker_wavelet``: the standard (unit L²-norm) Mexican-hat wavelet,
  :math:`\frac{2}{\sqrt{3a}\,\pi^{1/4}}\,(1 - (x/a)^2)\, e^{-(x/a)^2/2}`.

>>> sorted(REGISTRY)[:4]
['dirac', 'dirac_prime', 'gaussian', 'heaviside']
>>> activation("relu").expression
Max(0, x)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from fptheory.core.errors import FPTheoryError

__all__ = ["Activation", "REGISTRY", "activation", "X", "A_RICKER"]

X = sp.Symbol("x", real=True)
A_RICKER = sp.Symbol("a", positive=True)


@dataclass(frozen=True)
class Activation:
    """A named function of x with its parameters (symbols carrying their assumptions)."""

    name: str
    expression: sp.Expr
    description: str
    parameters: tuple[sp.Symbol, ...] = ()
    chapter: str = ""

    def numpy(self, **values: float) -> Callable:
        """A numpy callable x ↦ f(x) with the parameters bound to ``values``."""
        missing = [p.name for p in self.parameters if p.name not in values]
        if missing:
            raise FPTheoryError(f"{self.name} needs values for {', '.join(missing)}")
        expr = self.expression.subs({p: values[p.name] for p in self.parameters})
        return sp.lambdify(
            X, expr, modules=[{"Heaviside": _np_heaviside, "DiracDelta": _np_dirac}, "numpy"]
        )


def _np_heaviside(t, h0=0.5):
    import numpy as np

    return np.heaviside(t, h0)


def _np_dirac(t, order=0):
    """δ^{(n)} pointwise, as sympy evaluates it: 0 off the origin, undefined (nan) at it."""
    import numpy as np

    t = np.asarray(t, dtype=float)
    return np.where(t == 0, np.nan, 0.0)


_ricker_shape = (1 - (X / A_RICKER) ** 2) * sp.exp(-((X / A_RICKER) ** 2) / 2)

REGISTRY: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("tanh", sp.tanh(X), "hyperbolic tangent", chapter="(1.1)-(1.2)"),
        Activation("sigmoid", 1 / (1 + sp.exp(-X)), "logistic sigmoid"),
        Activation("sech2", sp.sech(X) ** 2, "sech², the derivative of tanh"),
        Activation("heaviside", sp.Heaviside(X), "Heaviside step H", chapter="(1.40)"),
        Activation("sign", sp.sign(X), "sign function"),
        Activation("relu", sp.Max(0, X), "ReLU as max(0, x)", chapter="(1.44)"),
        Activation("relu_xh", X * sp.Heaviside(X), "ReLU as x·H(x)"),
        Activation("dirac", sp.DiracDelta(X), "Dirac δ", chapter="(1.36)-(1.39)"),
        Activation("dirac_prime", sp.DiracDelta(X, 1), "δ'"),
        Activation("gaussian", sp.exp(-(X**2) / 2), "Gaussian e^{-x²/2}"),
        Activation(
            "ricker_chapter",
            sp.pi ** sp.Rational(1, 4) / (15 * A_RICKER) * _ricker_shape,
            "Ricker in the chapter's printed normalisation (1.8)",
            (A_RICKER,),
            "(1.8)",
        ),
        Activation(
            "ricker_wavelet",
            2 / (sp.sqrt(3 * A_RICKER) * sp.pi ** sp.Rational(1, 4)) * _ricker_shape,
            "Ricker (Mexican hat) wavelet, unit L² norm",
            (A_RICKER,),
        ),
    )
}


def activation(name: str) -> Activation:
    """Look up a registry entry; a one-line error lists the names."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise FPTheoryError(
            f"unknown activation {name!r}; registry: {', '.join(sorted(REGISTRY))}"
        ) from None
