r"""The vector form (1.28)-(1.30) of the LFP model (1.27): the unknowns, the matrix E, the weight
matrix W^{-1}, as printed and as they must be, and the closed form (1.30) at high precision.

As printed: :math:`\mathbf a = [a_0..a_{M_I}, b_0..b_{M_I}]` (2J entries, J = M_I + 1 =
(L'/L)K), :math:`\mathbf E = [\sin(2\pi\,0\,\mathbf X/L'), .., \cos(2\pi M_I\mathbf X/L')]`
(M × 2J) and :math:`\mathbf W^{-1} = \mathrm{diag}\{\gamma_0^{-2}, .., \gamma_{M_I}^{-2}\}`
(J entries). Then εaᵀW⁻¹a is undefined (J ≠ 2J); with W⁻¹ doubled, the column
sin(0·X) is identically 0 and :math:`\gamma_0^{-2} = 0` (γ² → ∞ at ξ = 0 for ReLU), so the
a_0 row and column of EᵀE + εW⁻¹ vanish and (1.30)'s inverse does not exist.

As it must be (what :func:`~fptheory.theory.lfp.solver.lfp_fit` solves): a_0 dropped,
:math:`\mathbf a = [a_1..a_{M_I}, b_0..b_{M_I}]` (2J − 1 unknowns, 3999 at the chapter's
L' = 10L, K = 200), E of size M × (2J − 1), W⁻¹ of size (2J − 1)² with
:math:`\gamma_j^{-2}` for a_j and b_j, 0 for the unpenalised constant b_0.

>>> s = vector_form_sizes(K=200, ratio=10, samples=3)
>>> s["printed"]["a"], s["printed"]["W_inv_diagonal"], s["corrected"]["a"]
(4000, 2000, 3999)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import mpmath

__all__ = ["vector_form_sizes", "printed_matrices", "corrected_matrices", "closed_form_solution"]


def vector_form_sizes(K: int, ratio: int, samples: int) -> dict[str, dict[str, Any]]:
    """The sizes of a, E and W⁻¹ as printed and as corrected, for J = ratio·K frequencies
    (ratio = L'/L) and ``samples`` training points (the chapter's M)."""
    J = ratio * K
    return {
        "printed": {"J": J, "M_I": J - 1, "a": 2 * J, "E": (samples, 2 * J),
                    "W_inv_diagonal": J, "zero_columns_of_E": ["sin(2π·0·X/L')"]},
        "corrected": {"J": J, "M_I": J - 1, "a": 2 * J - 1, "E": (samples, 2 * J - 1),
                      "W_inv_diagonal": 2 * J - 1, "unpenalised": ["b_0 (γ(0)^{-2} = 0)"]},
    }


def _columns(x: Sequence[Any], J: int, L_prime: Any, with_sin0: bool) -> list[list[Any]]:
    cols = []
    for j in range(0 if with_sin0 else 1, J):
        cols.append([mpmath.sin(2 * mpmath.pi * j * xi / L_prime) for xi in x])
    for j in range(J):
        cols.append([mpmath.cos(2 * mpmath.pi * j * xi / L_prime) for xi in x])
    return cols


def _inverse_gamma2(gamma2: Callable[[Any], Any], j: int, L_prime: Any) -> Any:
    """γ(j/L')^{-2}, with γ(0)^{-2} = 0 (γ² = ∞ at ξ = 0)."""
    return mpmath.mpf(0) if j == 0 else 1 / gamma2(mpmath.mpf(j) / L_prime)


def printed_matrices(x: Sequence[Any], J: int, L_prime: Any, gamma2: Callable[[Any], Any]
                     ) -> tuple[mpmath.matrix, list[Any]]:
    """E (M × 2J, the sin(0·X) column included) and the printed diagonal of W⁻¹ (J entries)."""
    cols = _columns(x, J, L_prime, with_sin0=True)
    E = mpmath.matrix(len(x), len(cols))
    for c, col in enumerate(cols):
        for r, v in enumerate(col):
            E[r, c] = v
    return E, [_inverse_gamma2(gamma2, j, L_prime) for j in range(J)]


def corrected_matrices(x: Sequence[Any], J: int, L_prime: Any, gamma2: Callable[[Any], Any]
                       ) -> tuple[mpmath.matrix, list[Any]]:
    """E without the zero column (M × (2J − 1)) and the diagonal of W⁻¹ (2J − 1 entries:
    γ_j^{-2} for a_1..a_{J−1}, then b_0..b_{J−1})."""
    cols = _columns(x, J, L_prime, with_sin0=False)
    E = mpmath.matrix(len(x), len(cols))
    for c, col in enumerate(cols):
        for r, v in enumerate(col):
            E[r, c] = v
    weights = [_inverse_gamma2(gamma2, j, L_prime) for j in range(J)]
    return E, weights[1:] + weights


def closed_form_solution(E: mpmath.matrix, w_inv: Sequence[Any], y: Sequence[Any], eps: Any
                         ) -> tuple[mpmath.matrix, mpmath.matrix]:
    """(1.30): a = (EᵀE + εW⁻¹)⁻¹EᵀY, by LU at the working precision (no inverse formed);
    returns (a, EᵀE + εW⁻¹)."""
    n = E.cols
    lhs = E.T * E
    for i in range(n):
        lhs[i, i] += eps * w_inv[i]
    return mpmath.lu_solve(lhs, E.T * mpmath.matrix(list(y))), lhs
