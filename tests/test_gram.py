"""The exact check of a sum-of-squares certificate (fptheory.verify.gram): positive
semidefiniteness against sympy's own exact test, the Gram polynomial and products against
sympy's expansion, the identity gap, and the strict reading of rationals."""

import pytest
import sympy as sp
from flint import fmpq
from hypothesis import given, settings
from hypothesis import strategies as st

from fptheory.verify.gram import (
    MAX_RATIONAL_CHARS,
    gram_polynomial,
    multiply,
    parse_rational,
    positive_semidefinite,
    sos_identity_gap,
)

X, Y = sp.symbols("x y")
small = st.integers(min_value=-4, max_value=4)


def _fmpq(matrix: sp.Matrix) -> list[list[fmpq]]:
    return [[fmpq(int(sp.Rational(v).p), int(sp.Rational(v).q)) for v in matrix.row(i)]
            for i in range(matrix.rows)]


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=4).flatmap(
    lambda n: st.lists(small, min_size=n * n, max_size=n * n).map(lambda v: sp.Matrix(n, n, v))))
def test_semidefiniteness_agrees_with_sympys_exact_test(m):
    """Symmetric integer matrices (m + mᵀ, and the Gram matrix mᵀm, which is PSD and often
    singular): the elimination's answer is sympy's (exact eigen-analysis)."""
    for matrix in (m + m.T, m.T * m, m.T * m - sp.eye(m.rows)):
        assert positive_semidefinite(_fmpq(matrix)) is bool(matrix.is_positive_semidefinite)


def test_a_matrix_that_is_not_symmetric_or_not_square_is_refused():
    one, two = fmpq(1), fmpq(2)
    assert not positive_semidefinite([[one, two], [fmpq(0), one]])
    assert not positive_semidefinite([[one, fmpq(0)]])
    assert positive_semidefinite([])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=1, max_size=4,
                unique=True), st.data())
def test_the_gram_polynomial_is_sympys_expansion(basis, data):
    """mᵀQm for a random rational symmetric Q, against sympy's expansion of the same."""
    n = len(basis)
    q = sp.Matrix(n, n, lambda i, j: 0)
    for i in range(n):
        for j in range(i, n):
            q[i, j] = q[j, i] = sp.Rational(data.draw(small), data.draw(st.integers(1, 5)))
    m = sp.Matrix([X**a * Y**b for a, b in basis])
    expected = sp.Poly(sp.expand((m.T * q * m)[0]), X, Y).as_dict()
    got = gram_polynomial(basis, _fmpq(q))
    assert {e: sp.Rational(int(c.p), int(c.q)) for e, c in got.items()} == \
        {e: c for e, c in expected.items() if c != 0}


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.tuples(st.integers(0, 3), st.integers(0, 3)), small, max_size=5),
       st.dictionaries(st.tuples(st.integers(0, 3), st.integers(0, 3)), small, max_size=5))
def test_the_product_is_sympys(a, b):
    def poly(d):
        return sum((c * X**i * Y**j for (i, j), c in d.items()), sp.Integer(0))
    got = multiply({e: fmpq(c) for e, c in a.items() if c}, {e: fmpq(c) for e, c in b.items() if c})
    expected = sp.Poly(sp.expand(poly(a) * poly(b)), X, Y).as_dict() if a and b else {}
    assert {e: int(c) for e, c in got.items()} == {e: int(c) for e, c in expected.items() if c}


def test_the_identity_gap_is_empty_exactly_where_the_identity_holds():
    """x² − 2x + 1 = [1 x]·[[1, −1], [−1, 1]]·[1 x]ᵀ, and (x − 0)·(1 − x) times 1 added."""
    basis = [(0,), (1,)]
    gram = [[fmpq(1), fmpq(-1)], [fmpq(-1), fmpq(1)]]
    one = {(0,): fmpq(1)}
    assert sos_identity_gap({(2,): fmpq(1), (1,): fmpq(-2), (0,): fmpq(1)},
                            [(one, basis, gram)]) == {}
    assert sos_identity_gap({(2,): fmpq(1), (1,): fmpq(-2), (0,): fmpq(2)},
                            [(one, basis, gram)]) == {(0,): fmpq(1)}
    x_times_one_minus_x = {(1,): fmpq(1), (2,): fmpq(-1)}
    assert sos_identity_gap({(1,): fmpq(-1), (0,): fmpq(1)},
                            [(one, basis, gram), (x_times_one_minus_x, [(0,)], [[fmpq(1)]])]) == {}


@pytest.mark.parametrize("text", ["1.5", "1e3", "0x10", "1/0", "--1", " 1", "1/ 2", "1/-2",
                                  "__import__('os')", "", "+1", "1" * (MAX_RATIONAL_CHARS + 1)])
def test_only_plain_rationals_are_read(text):
    with pytest.raises(ValueError):
        parse_rational(text)


def test_rationals_are_read_exactly():
    assert parse_rational("-3/4") == fmpq(-3, 4)
    assert parse_rational("10/4") == fmpq(5, 2)
    assert parse_rational("0") == 0
    with pytest.raises(ValueError):
        parse_rational(3)
