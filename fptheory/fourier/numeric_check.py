"""One comparison of a transform's closed form with an independent numeric transform.

:class:`NumericCheck` is what :mod:`fptheory.fourier.quadrature` produces and
:class:`~fptheory.fourier.engine.TransformResult` carries: the closed form's value at a
frequency k, the quadrature's value, the quadrature's own error estimate, and (where the
closed form could be evaluated in ball arithmetic) its certified enclosure. It reads and
writes itself as plain data for the cache, numbers as decimal text only.

>>> import mpmath
>>> c = NumericCheck("7/10", mpmath.mpc(1, 0), mpmath.mpc(1, 1e-40), mpmath.mpf(1e-45), 45)
>>> NumericCheck.from_record(c.to_record()).difference < 1e-39
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import mpmath

__all__ = ["NumericCheck"]


@dataclass
class NumericCheck:
    """One comparison of the regular part with an independent numeric transform."""

    k: str
    symbolic: mpmath.mpc
    numeric: mpmath.mpc
    error_estimate: mpmath.mpf
    dps: int
    parameters: dict[str, str] = field(default_factory=dict)
    enclosure: tuple[str, str] | None = None  # flint ball of the closed form (re, im)

    @property
    def difference(self) -> mpmath.mpf:
        return abs(self.symbolic - self.numeric)

    def to_record(self) -> dict[str, Any]:
        """The check as data for the cache: numbers as decimal text with 20 guard digits."""
        digits = self.dps + 20
        with mpmath.workdps(digits):
            def text(z: mpmath.mpc) -> list[str]:
                return [mpmath.nstr(z.real, digits), mpmath.nstr(z.imag, digits)]

            return {"k": self.k, "symbolic": text(self.symbolic), "numeric": text(self.numeric),
                    "error_estimate": mpmath.nstr(self.error_estimate, 10), "dps": self.dps,
                    "parameters": dict(self.parameters),
                    "enclosure": None if self.enclosure is None else list(self.enclosure)}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> NumericCheck:
        """Read :meth:`to_record`'s data back (ValueError/TypeError/KeyError if malformed)."""
        dps = record["dps"]
        if type(dps) is not int or not 1 <= dps <= 10_000:
            raise ValueError("bad dps")
        with mpmath.workdps(dps + 20):
            def number(pair: Any) -> mpmath.mpc:
                re, im = (mpmath.mpf(_decimal(v)) for v in pair)
                return mpmath.mpc(re, im)

            enclosure = record["enclosure"]
            return cls(str(record["k"]), number(record["symbolic"]), number(record["numeric"]),
                       mpmath.mpf(_decimal(record["error_estimate"])), dps,
                       {str(a): str(b) for a, b in dict(record["parameters"]).items()},
                       None if enclosure is None else (str(enclosure[0]), str(enclosure[1])))

    def to_dict(self) -> dict[str, Any]:
        from fptheory.core.numbers import decimal_string

        return {
            "k": self.k,
            "parameters": self.parameters,
            "symbolic": [decimal_string(self.symbolic.real, self.dps),
                         decimal_string(self.symbolic.imag, self.dps)],
            "numeric": [decimal_string(self.numeric.real, self.dps),
                        decimal_string(self.numeric.imag, self.dps)],
            "abs_difference": mpmath.nstr(self.difference, 3),
            "quadrature_error_estimate": mpmath.nstr(self.error_estimate, 3),
            "dps": self.dps,
            "closed_form_enclosure": None if self.enclosure is None else list(self.enclosure),
        }


def _decimal(text: Any) -> str:
    """A decimal number's text, or ValueError (mpmath.mpf would also read 'inf', 'nan')."""
    import re

    if not isinstance(text, str) or not re.fullmatch(r"-?\d+(\.\d*)?(e[-+]?\d+)?", text):
        raise ValueError("not a decimal number")
    return text
