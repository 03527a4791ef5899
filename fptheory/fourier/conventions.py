r"""Fourier conventions as data.

A convention is the pair ``(a, b)`` of

.. math:: \mathcal F_{a,b}[f](k) = \sqrt{\frac{|b|}{(2\pi)^{1-a}}} \int f(x)\, e^{i b k x}\, dx .

The chapter uses two of them: §1.1 and Theorem 1 the angular kernel :math:`e^{-ikx}`
(``ANGULAR``, (1, -1)); §1.3-1.4 the ordinary kernel :math:`e^{-2\pi i x\xi}`
(``ORDINARY``, (0, -2π)). Every transform in the toolkit is computed once in the
angular variable ω and converted, so no function silently assumes a convention:

.. math:: \mathcal F_{a,b}[f](k) = N_{a,b}\, G(-b k), \qquad G(\omega) = \int f e^{-i\omega x} dx .

>>> ORDINARY.angular_frequency(sp.Symbol("k"))
2*pi*k
>>> ANGULAR.normalisation
1
>>> UNITARY.normalisation
sqrt(2)/(2*sqrt(pi))
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from fptheory.core.errors import FPTheoryError

__all__ = ["FourierConvention", "ANGULAR", "ORDINARY", "UNITARY", "CONVENTIONS", "get_convention"]


@dataclass(frozen=True)
class FourierConvention:
    """The convention F_{a,b}[f](k) = sqrt(|b|/(2π)^(1-a)) ∫ f(x) e^{i b k x} dx.

    ``a`` and ``b`` are kept as exact sympy numbers so that constants such as 2π are
    never rounded.
    """

    a: sp.Expr
    b: sp.Expr
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "a", sp.sympify(self.a))
        object.__setattr__(self, "b", sp.sympify(self.b))
        if self.b == 0:
            raise FPTheoryError("a Fourier convention needs b != 0")

    @property
    def normalisation(self) -> sp.Expr:
        """The constant N = sqrt(|b| / (2π)^(1-a)) in front of the integral."""
        return sp.sqrt(sp.Abs(self.b) / (2 * sp.pi) ** (1 - self.a))

    def angular_frequency(self, k: sp.Expr) -> sp.Expr:
        """ω = -b k: the angular frequency at which this convention's kernel oscillates."""
        return -self.b * k

    def kernel(self, x: sp.Expr, k: sp.Expr) -> sp.Expr:
        """The integral kernel e^{i b k x}."""
        return sp.exp(sp.I * self.b * k * x)

    def from_angular(self, angular_spectrum: sp.Expr, omega: sp.Symbol, k: sp.Symbol) -> sp.Expr:
        """Regular part in this convention from the angular one: N · G(-b k)."""
        return self.normalisation * angular_spectrum.subs(omega, self.angular_frequency(k))

    def convert(
        self, spectrum: sp.Expr, k: sp.Symbol, target: FourierConvention
    ) -> sp.Expr:
        """Re-express a regular part F_self(k) in ``target``: (N_t/N_s) F_self(b_t k / b_s)."""
        ratio = target.normalisation / self.normalisation
        return sp.simplify(ratio * spectrum.subs(k, target.b * k / self.b))

    def latex_definition(self) -> str:
        """The defining integral, as LaTeX."""
        x, k = sp.symbols("x k")
        return (
            r"\mathcal{F}[f](k) = "
            + (sp.latex(self.normalisation) + r"\," if self.normalisation != 1 else "")
            + r"\int_{-\infty}^{\infty} f(x)\, "
            + sp.latex(self.kernel(x, k))
            + r"\, dx"
        )

    def __str__(self) -> str:
        label = f"{self.name} " if self.name else ""
        return f"{label}(a={self.a}, b={self.b})"


ANGULAR = FourierConvention(1, -1, "angular")
ORDINARY = FourierConvention(0, -2 * sp.pi, "ordinary")
UNITARY = FourierConvention(0, -1, "unitary")

CONVENTIONS = {c.name: c for c in (ANGULAR, ORDINARY, UNITARY)}


def get_convention(name: str) -> FourierConvention:
    """Look a named convention up; a one-line error names the supported ones."""
    try:
        return CONVENTIONS[name.lower()]
    except KeyError:
        raise FPTheoryError(
            f"unknown convention {name!r}; supported: {', '.join(CONVENTIONS)}"
        ) from None
