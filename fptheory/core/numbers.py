"""Exact sympy numbers to mpmath at a stated precision, without a detour through floats."""

from __future__ import annotations

import mpmath
import sympy as sp

__all__ = ["to_mpc", "decimal_string"]


def to_mpc(value: sp.Expr, dps: int) -> mpmath.mpc:
    """Evaluate an exact sympy number to an mpmath complex with ``dps`` digits.

    >>> mpmath.nstr(to_mpc(sp.pi / 3 + sp.I, 30).real, 25)
    '1.047197551196597746154214'
    """
    v = sp.N(value, dps + 5)
    re, im = (sp.re(v), sp.im(v))
    if not (re.is_number and im.is_number):
        raise ValueError(f"not a number: {value}")
    with mpmath.workdps(dps + 5):
        return mpmath.mpc(mpmath.mpf(str(re)), mpmath.mpf(str(im)))


def decimal_string(x: mpmath.mpf, digits: int) -> str:
    """A decimal string of ``x`` with ``digits`` significant digits (exact 0 stays '0')."""
    if x == 0:
        return "0"
    return mpmath.nstr(x, digits, strip_zeros=False, min_fixed=-5, max_fixed=5)
