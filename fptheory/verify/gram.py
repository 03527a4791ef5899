r"""The exact check of a sum-of-squares certificate (trust model, rule 22): a polynomial
p with rational coefficients is ≥ c on a domain where it is written, exactly, as

    p − c = Σ_j h_j · m_jᵀ Q_j m_j,

each m_j a vector of monomials, each Q_j a symmetric rational matrix that is positive
semidefinite, and each h_j a product of the domain's own non-negative linear factors
(x − a for a finite lower end a, b − x for a finite upper end b; 1 for none). At every point
of the domain (its closure) h_j ≥ 0 and m_jᵀ Q_j m_j ≥ 0, so p − c ≥ 0 there.

Everything here is exact rational arithmetic (python-flint's ``fmpq``): the identity is
checked coefficient by coefficient, and Q ⪰ 0 by a symmetric elimination in which a zero
pivot must have a zero row (:func:`positive_semidefinite`). Where the numbers come from (an
interior-point solver, rounded) does not matter: nothing numeric enters the decision.

>>> x = fmpq(1)
>>> positive_semidefinite([[fmpq(1), fmpq(1)], [fmpq(1), fmpq(1)]])
True
>>> positive_semidefinite([[fmpq(0), fmpq(1)], [fmpq(1), fmpq(1)]])
False
>>> # x² − 2x + 1 = [1 x] [[1, −1], [−1, 1]] [1 x]ᵀ
>>> gram = [[fmpq(1), fmpq(-1)], [fmpq(-1), fmpq(1)]]
>>> sos_identity_gap({(2,): fmpq(1), (1,): fmpq(-2), (0,): fmpq(1)}, [({(0,): fmpq(1)}, [(0,), (1,)], gram)])
{}
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from flint import fmpq

__all__ = ["Exponent", "Polynomial", "parse_rational", "positive_semidefinite", "multiply",
           "exponent_sum",
           "gram_polynomial", "sos_identity_gap"]

Exponent = tuple[int, ...]
#: a polynomial as its non-zero coefficients by exponent vector
Polynomial = dict[Exponent, fmpq]

#: the longest rational a certificate may state (characters), so that no re-check does
#: arithmetic on numbers of unbounded size
MAX_RATIONAL_CHARS = 400
_RATIONAL = re.compile(r"-?[0-9]+(/[0-9]+)?")


def parse_rational(text: object) -> fmpq:
    """A rational written ``p`` or ``p/q`` (q > 0), nothing else (no floats, no code).

    >>> parse_rational("-3/4"), parse_rational("7")
    (-3/4, 7)
    """
    if not isinstance(text, str) or len(text) > MAX_RATIONAL_CHARS or not _RATIONAL.fullmatch(text):
        raise ValueError(f"{str(text)[:40]!r} is not a rational p or p/q")
    numerator, _, denominator = text.partition("/")
    if denominator and int(denominator) == 0:
        raise ValueError(f"{text[:40]!r} divides by zero")
    return fmpq(int(numerator), int(denominator) if denominator else 1)


def positive_semidefinite(matrix: Sequence[Sequence[fmpq]]) -> bool:
    """Whether the square symmetric rational matrix is positive semidefinite, exactly:
    symmetric Gaussian elimination (Q = L D Lᵀ), every pivot ≥ 0, and a zero pivot only on
    a row that is zero (a PSD matrix with Q_kk = 0 has Q_kj = 0 for every j). False for a
    matrix that is not square or not symmetric."""
    n = len(matrix)
    rows = [list(r) for r in matrix]
    if any(len(r) != n for r in rows) or any(rows[i][j] != rows[j][i]
                                            for i in range(n) for j in range(i)):
        return False
    for k in range(n):
        pivot = rows[k][k]
        if pivot < 0:
            return False
        if pivot == 0:
            if any(rows[k][j] != 0 for j in range(k + 1, n)):
                return False
            continue
        for i in range(k + 1, n):
            factor = rows[i][k] / pivot
            if factor == 0:
                continue
            row_i, row_k = rows[i], rows[k]
            for j in range(k + 1, n):
                row_i[j] -= factor * row_k[j]
    return True


def exponent_sum(a: Exponent, b: Exponent) -> Exponent:
    """The exponent of the product of the monomials with exponents a and b."""
    return tuple(i + j for i, j in zip(a, b, strict=True))


def _add(into: Polynomial, exponent: Exponent, coefficient: fmpq) -> None:
    value = into.get(exponent, fmpq(0)) + coefficient
    if value == 0:
        into.pop(exponent, None)
    else:
        into[exponent] = value


def multiply(a: Polynomial, b: Polynomial) -> Polynomial:
    """The product of two polynomials."""
    out: Polynomial = {}
    for ea, ca in a.items():
        for eb, cb in b.items():
            _add(out, exponent_sum(ea, eb), ca * cb)
    return out


def gram_polynomial(basis: Sequence[Exponent], gram: Sequence[Sequence[fmpq]]) -> Polynomial:
    """mᵀ Q m for the monomials ``basis`` (exponent vectors) and the matrix ``gram``."""
    out: Polynomial = {}
    for i, ei in enumerate(basis):
        for j, ej in enumerate(basis):
            if gram[i][j] != 0:
                _add(out, exponent_sum(ei, ej), gram[i][j])
    return out


def sos_identity_gap(target: Polynomial,
                     parts: Sequence[tuple[Polynomial, Sequence[Exponent], Sequence[Sequence[fmpq]]]]
                     ) -> Polynomial:
    """target − Σ_j h_j · m_jᵀ Q_j m_j for the parts (h_j, m_j, Q_j), exactly: {} where the
    identity holds."""
    gap = dict(target)
    for multiplier, basis, gram in parts:
        for exponent, coefficient in multiply(multiplier, gram_polynomial(basis, gram)).items():
            _add(gap, exponent, -coefficient)
    return gap
