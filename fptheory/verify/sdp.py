r"""The floating-point side of a sum-of-squares proposal (:mod:`fptheory.verify.sos`):
nothing here decides. Clarabel solves the semidefinite program (the least eigenvalue of the
Gram matrices maximised subject to the identity), its matrices are rounded to rationals and
projected exactly onto the identity (Peyrl and Parrilo's rounding; where the sum of squares
is tight, again on the face the numerical kernel spans), and the exact check of
:mod:`fptheory.verify.gram` then decides whether the result is a certificate. The dual's
point and its polish propose refutations, which :func:`~fptheory.verify.witness.find_witness`
checks exactly.

>>> monomials(2, 1)
[(0, 0), (0, 1), (1, 0)]
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence

import numpy as np
import sympy as sp
from flint import fmpq

from .domains import Domain
from .gram import (
    Exponent,
    Polynomial,
    exponent_sum,
    multiply,
    positive_semidefinite,
    sos_identity_gap,
)

__all__ = ["MAX_BASIS", "TIGHT", "rational", "evaluate", "newton_basis", "monomials",
           "solve_gram", "exact_grams", "on_face", "polished"]

#: at most this many monomials in one m_j
MAX_BASIS = 120
#: the denominators tried when rounding the solver's matrices, smallest first
DENOMINATORS = tuple(2**k for k in (8, 12, 16, 20, 26, 32, 40))
ROOT2 = float(np.sqrt(2.0))
#: a least eigenvalue within this of 0 is taken as 0: the sum of squares touches the
#: cone's boundary (a tight statement), and its matrix's kernel is sought
TIGHT = 1e-7


def rational(value: sp.Expr) -> fmpq:
    """A sympy rational as an exact fmpq."""
    value = sp.Rational(value)
    return fmpq(int(value.p), int(value.q))


def evaluate(target: Polynomial, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """p at each row of ``points`` in floats (inf and nan where they overflow), and the sum
    of its terms' sizes there."""
    values, sizes = np.zeros(len(points)), np.zeros(len(points))
    with np.errstate(all="ignore"):
        for e, c in target.items():
            term = float(c) * np.prod(points ** np.array(e, dtype=float), axis=1)
            values += term
            sizes += np.abs(term)
    return values, sizes


def monomials(n: int, half: int) -> list[Exponent]:
    return [e for total in range(half + 1)
            for e in _compositions(n, total)]


def _compositions(n: int, total: int) -> list[Exponent]:
    return [tuple(b - a - 1 for a, b in zip((-1, *cuts), (*cuts, total + n - 1), strict=True))
            for cuts in itertools.combinations(range(total + n - 1), n - 1)] if n > 1 else [(total,)]


def newton_basis(target: Polynomial, n: int, half: int) -> list[Exponent]:
    """The monomials α with 2α in the Newton polytope of ``target`` (a linear program each),
    then without those whose square meets no coefficient and no other pair of the basis."""
    from scipy.optimize import linprog

    support = np.array(list(target), dtype=float)
    lo, hi = support.min(axis=0), support.max(axis=0)
    candidates = [a for a in monomials(n, half)
                  if np.all(2 * np.array(a) >= lo) and np.all(2 * np.array(a) <= hi)]
    if len(candidates) > 4 * MAX_BASIS:
        return []
    basis = []
    a_eq = np.vstack([support.T, np.ones(len(support))])  # (2α as a convex combination)
    for alpha in candidates:
        doubled = 2 * np.array(alpha, dtype=float)
        found = linprog(np.zeros(len(support)), A_eq=a_eq, b_eq=np.append(doubled, 1.0),
                        bounds=(0, None), method="highs")
        if found.status == 0:
            basis.append(alpha)
    while True:
        sums: set[Exponent] = set()
        for a, b in itertools.combinations(basis, 2):
            sums.add(exponent_sum(a, b))
        kept = [a for a in basis if tuple(2 * i for i in a) in target or tuple(2 * i for i in a) in sums]
        if len(kept) == len(basis):
            return basis
        basis = kept


def _svec_index(a: int, b: int) -> int:
    return b * (b + 1) // 2 + a  # (a ≤ b) Clarabel's upper triangle, column by column


def solve_gram(target: dict[Exponent, float], parts: Sequence[tuple[Polynomial, list[Exponent]]],
           seconds: float, point: list[list[float]] | None = None) -> list[np.ndarray] | None:
    """The solver's Gram matrices, the least eigenvalue t maximised (t ≤ 1) subject to
    Σ_j h_j·m_jᵀ Q_j m_j = target; None where it finds none with t ≥ −:data:`TIGHT`. The
    solver's multipliers of the identity's equations (a linear functional L on polynomials,
    a measure's moments where it is one) give the point L(x_i)/L(1), appended to ``point``:
    where the target is negative (or 0) somewhere, L concentrates near its least value (the
    point is only a proposal, checked exactly by the caller where no certificate comes)."""
    rows: dict[Exponent, int] = {e: k for k, e in enumerate(target)}
    entries: list[tuple[int, int, float]] = []
    offset = 0
    for h, basis in parts:
        for b in range(len(basis)):
            for a in range(b + 1):
                pair = exponent_sum(basis[a], basis[b])
                for e, c in h.items():
                    gamma = exponent_sum(e, pair)
                    # (Q_ab and Q_ba both produce the monomial: 2·Q_ab = √2 · svec entry)
                    entries.append((rows.setdefault(gamma, len(rows)), offset + _svec_index(a, b),
                                    float(c) * (1.0 if a == b else ROOT2)))
        offset += len(basis) * (len(basis) + 1) // 2
    b_eq = np.zeros(len(rows))
    for e, value in target.items():
        b_eq[rows[e]] = value
    duals: list[np.ndarray] = []
    grams = _sdp(entries, b_eq, [len(b) for _, b in parts], seconds, duals)
    n = len(next(iter(rows)))
    units = [tuple(int(i == k) for i in range(n)) for k in range(n)]
    if duals and (0,) * n in rows and all(u in rows for u in units) and point is not None:
        z, zero = duals[0], duals[0][rows[(0,) * n]]
        if abs(zero) > 1e-12:
            point.append([float(z[rows[u]] / zero) for u in units])
    return grams


def _sdp(entries: Sequence[tuple[int, int, float]], b_eq: np.ndarray, sizes: Sequence[int],
         seconds: float, duals: list[np.ndarray] | None = None) -> list[np.ndarray] | None:
    """Clarabel on: the equalities Σ entries·x = b_eq over the Gram matrices' scaled upper
    triangles x (column by column, off-diagonal entries times √2), every Q_j − t·I ⪰ 0,
    t ≤ 1, t maximised; the matrices, or None where it finds none with t ≥ −:data:`TIGHT`
    (the equalities are scaled to coefficients of at most 1); the equalities' dual values
    are appended to ``duals``."""
    import clarabel
    from scipy import sparse

    counts = [s * (s + 1) // 2 for s in sizes]
    offsets = np.cumsum([0, *counts])
    n_vars = int(offsets[-1]) + 1  # (the last one is t)
    m_eq = len(b_eq)
    r, c, v = zip(*entries, strict=True) if entries else ((), (), ())
    blocks = [sparse.csc_matrix((v, (r, c)), shape=(m_eq, n_vars)),
              sparse.csc_matrix(([1.0], ([0], [n_vars - 1])), shape=(1, n_vars))]
    b_all = [np.asarray(b_eq, dtype=float), np.ones(1)]
    cones = [clarabel.ZeroConeT(m_eq), clarabel.NonnegativeConeT(1)]
    for size, count, offset in zip(sizes, counts, offsets, strict=False):
        diagonal = [_svec_index(k, k) for k in range(size)]
        rows = list(range(count)) + diagonal
        columns = [int(offset) + k for k in range(count)] + [n_vars - 1] * size
        values = [-1.0] * count + [1.0] * size
        blocks.append(sparse.csc_matrix((values, (rows, columns)), shape=(count, n_vars)))
        b_all.append(np.zeros(count))
        cones.append(clarabel.PSDTriangleConeT(size))
    q = np.zeros(n_vars)
    q[-1] = -1.0
    settings = clarabel.DefaultSettings()
    settings.verbose = False
    settings.time_limit = max(seconds, 0.05)
    settings.max_threads = 1
    solution = clarabel.DefaultSolver(sparse.csc_matrix((n_vars, n_vars)), q,
                                      sparse.vstack(blocks).tocsc(), np.concatenate(b_all),
                                      cones, settings).solve()
    if str(solution.status) not in ("Solved", "AlmostSolved"):
        return None
    if duals is not None:
        duals.append(np.array(solution.z[:m_eq], dtype=float))
    if solution.x[-1] < -TIGHT:
        return None
    grams = []
    for size, offset in zip(sizes, offsets, strict=False):
        q_mat = np.zeros((size, size))
        for b in range(size):
            for a in range(b + 1):
                value = solution.x[int(offset) + _svec_index(a, b)]
                q_mat[a, b] = q_mat[b, a] = value if a == b else value / ROOT2
        grams.append(q_mat)
    return grams


def _rounded(matrix: np.ndarray, denominator: int) -> list[list[fmpq]]:
    return [[fmpq(int(round(float(x) * denominator)), denominator) for x in row] for row in matrix]


def exact_grams(target: Polynomial, parts: Sequence[tuple[Polynomial, list[Exponent]]],
                 grams: Sequence[np.ndarray]) -> list[list[list[fmpq]]] | None:
    """Rational Gram matrices with Σ_j h_j·m_jᵀ Q_j m_j = target exactly and every Q_j ⪰ 0,
    rounded from the solver's at the denominators of :data:`DENOMINATORS` in turn; the
    multipliers' matrices as rounded, σ₀'s projected onto what is left; None if none."""
    basis0 = parts[0][1]
    pairs: dict[Exponent, list[tuple[int, int]]] = {}
    for a, ea in enumerate(basis0):
        for b, eb in enumerate(basis0):
            pairs.setdefault(exponent_sum(ea, eb), []).append((a, b))
    for denominator in DENOMINATORS:
        exact = [_rounded(g, denominator) for g in grams]
        if not all(np.linalg.eigvalsh(np.array([[float(v) for v in row] for row in q]))[0] > -1e-9
                   and positive_semidefinite(q) for q in exact[1:]):
            continue
        rest = sos_identity_gap(target, [(h, b, q) for (h, b), q in zip(parts[1:], exact[1:],
                                                                            strict=True)])
        if any(e not in pairs for e in rest):
            return None
        q0 = exact[0]
        for gamma, where in pairs.items():
            residual = rest.get(gamma, fmpq(0)) - sum((q0[a][b] for a, b in where), fmpq(0))
            if residual != 0:
                share = residual / len(where)
                for a, b in where:
                    q0[a][b] += share
        floating = np.array([[float(v) for v in row] for row in q0])
        if np.linalg.eigvalsh(floating)[0] >= -1e-9 * max(1.0, float(np.abs(floating).max())) \
                and positive_semidefinite(q0):  # (the exact test only where it may pass)
            return exact
    return None


def _kernel_complement(gram: np.ndarray, largest: float) -> list[list[fmpq]] | None:
    """A rational N×N′ matrix V whose columns span the orthogonal complement of the
    numerical kernel of ``gram``: the identity where it has none, no column where the whole
    matrix is below 1e-7 of ``largest`` (every Gram matrix's largest eigenvalue), else the
    eigenvalues below the widest gap (of at least a factor 100, among those under 1e-5 of
    its largest) make the kernel, whose basis in reduced row-echelon form is rounded to
    fractions of denominator ≤ 12, 1000 or 10⁴ (the first that moves no entry by more than
    1e-3, 1e-4 or 1e-6: the solver's kernel is only as accurate as its tolerance; a wrong
    guess fails the exact check); None where no rounding is that close."""
    values, vectors = np.linalg.eigh(gram)
    n, top = len(values), float(values[-1])
    identity = [[fmpq(int(i == j)) for j in range(n)] for i in range(n)]
    if top < 1e-7 * largest:
        return [[] for _ in range(n)]
    clipped = np.maximum(values / top, 1e-14)
    ratios = [(clipped[i + 1] / clipped[i], i + 1) for i in range(n - 1) if clipped[i] < 1e-5]
    if not ratios or max(ratios)[0] < 100:
        return identity
    k = max(ratios)[1]  # (the kernel: the eigenvalues below the widest gap)
    rows = vectors[:, :k].T.copy()  # (k × N; rows span the kernel)
    pivots: list[int] = []
    for r in range(k):  # Gauss–Jordan with partial pivoting, column by column
        _, i, c = max((abs(rows[i, c]), i, c) for c in range(n) if c not in pivots
                      for i in range(r, k))
        rows[[r, i]] = rows[[i, r]]
        rows[r] /= rows[r, c]
        for other in range(k):
            if other != r:
                rows[other] -= rows[other, c] * rows[r]
        pivots.append(c)
    for denominator, tolerance in ((12, 1e-3), (1000, 1e-4), (10**4, 1e-6)):
        exact = [[sp.Rational(float(x)).limit_denominator(denominator) for x in row]
                 for row in rows]
        if max(abs(float(e) - x) for row, erow in zip(rows, exact, strict=True)
               for x, e in zip(row, erow, strict=True)) <= tolerance:
            break
    else:
        return None
    free = [c for c in range(n) if c not in pivots]
    columns = []
    for f in free:
        column = [fmpq(0)] * n
        column[f] = fmpq(1)
        for r, c in enumerate(pivots):
            column[c] = -rational(exact[r][f])
        columns.append(column)
    return [[columns[j][i] for j in range(len(free))] for i in range(n)]


def on_face(target: Polynomial, parts: Sequence[tuple[Polynomial, list[Exponent]]],
             grams: Sequence[np.ndarray], until: float) -> list[list[list[fmpq]]] | None:
    """For a tight sum of squares (singular Gram matrices): Q_j = V_j Q′_j V_jᵀ with V_j
    from :func:`_kernel_complement`, the Q′_j solved for again (least eigenvalue
    maximised), rounded, and projected exactly onto the identity (the least-norm correction
    A ᵀ(A Aᵀ)⁻¹r in exact rational linear algebra, python-flint); the Q_j or None. At most
    45 columns in each V_j."""
    import flint

    largest = max(float(np.linalg.eigvalsh(g)[-1]) for g in grams)
    faces = [_kernel_complement(g, largest) for g in grams]
    if any(v is None or (v and len(v[0]) > 45) for v in faces):
        return None
    rows: dict[Exponent, int] = {e: k for k, e in enumerate(target)}
    columns: list[tuple[int, int, int]] = []  # (part, a, b), a ≤ b in that part's Q′
    exact_entries: dict[tuple[int, int], fmpq] = {}
    sizes = [len(v[0]) if v and v[0] else 0 for v in faces]
    for j, ((h, basis), v) in enumerate(zip(parts, faces, strict=True)):
        forms = [{basis[i]: v[i][c] for i in range(len(basis)) if v[i][c] != 0}
                 for c in range(sizes[j])]
        for b in range(sizes[j]):
            for a in range(b + 1):
                for e, coefficient in multiply(h, multiply(forms[a], forms[b])).items():
                    key = (rows.setdefault(e, len(rows)), len(columns))
                    exact_entries[key] = coefficient * (1 if a == b else 2)
                columns.append((j, a, b))
    if not columns:
        return None
    scale = max(abs(float(c)) for c in target.values())
    b_eq = np.zeros(len(rows))
    for e, value in target.items():
        b_eq[rows[e]] = float(value) / scale
    offsets = np.cumsum([0] + [m * (m + 1) // 2 for m in sizes])
    svec = {col: int(offsets[j]) + _svec_index(a, b) for col, (j, a, b) in enumerate(columns)}
    entries = [(r, svec[k], float(x) * (1.0 if columns[k][1] == columns[k][2] else 1 / ROOT2))
               for (r, k), x in exact_entries.items()]
    solved = _sdp(entries, b_eq, [m for m in sizes if m], until - time.perf_counter())
    if solved is None:
        return None
    blocks = iter(solved)
    solved_by_part = [next(blocks) if m else None for m in sizes]
    a_mat = flint.fmpq_mat(len(rows), len(columns))
    for (r, k), x in exact_entries.items():
        a_mat[r, k] = x
    wanted = flint.fmpq_mat(len(rows), 1)
    for e, value in target.items():
        wanted[rows[e], 0] = value
    normal = a_mat * a_mat.transpose()
    for denominator in DENOMINATORS:
        if time.perf_counter() > until:
            return None
        rounded = flint.fmpq_mat(len(columns), 1)
        for k, (j, a, b) in enumerate(columns):
            rounded[k, 0] = fmpq(int(round(float(solved_by_part[j][a, b]) * scale * denominator)),
                                 denominator)
        residual = (wanted - a_mat * rounded).tolist()
        echelon, rank = flint.fmpq_mat([r + res for r, res in zip(normal.tolist(), residual,
                                                                   strict=True)]).rref()
        y = flint.fmpq_mat(len(rows), 1)
        for r in range(rank):
            lead = next((c for c in range(len(rows)) if echelon[r, c] != 0), None)
            if lead is None:
                return None  # (inconsistent: the face holds no exact solution)
            y[lead, 0] = echelon[r, len(rows)]
        u = rounded + a_mat.transpose() * y
        reduced = [[[fmpq(0)] * m for _ in range(m)] for m in sizes]
        for k, (j, a, b) in enumerate(columns):
            reduced[j][a][b] = reduced[j][b][a] = u[k, 0]
        if all(positive_semidefinite(q) for q in reduced):
            out = []
            for v, q, (_, basis) in zip(faces, reduced, parts, strict=True):
                n, m = len(basis), len(q)
                vq = [[sum((v[i][c] * q[c][d] for c in range(m)), fmpq(0)) for d in range(m)]
                      for i in range(n)]
                out.append([[sum((vq[i][d] * v[k][d] for d in range(m)), fmpq(0))
                             for k in range(n)] for i in range(n)])
            return out
    return None


def polished(target: Polynomial, domain: Domain, points: Sequence[Sequence[float]]
              ) -> list[list[float]]:
    """Each proposed point, then the same polished by L-BFGS-B on p within the domain's
    sides (the dual's point is only as accurate as the solver: a violation 10⁻⁹ deep needs
    the polish)."""
    from scipy.optimize import minimize

    def value(x: np.ndarray) -> float:
        v = float(evaluate(target, np.asarray(x, dtype=float).reshape(1, -1))[0][0])
        return v if np.isfinite(v) else 1e300

    bounds = [tuple(float(e) if e.is_finite else None for e in domain.intervals[v])
              for v in domain.variables]
    out = [list(p) for p in points]
    for p in points:
        try:
            found = minimize(value, np.array(p, dtype=float), method="L-BFGS-B", bounds=bounds,
                             options={"maxiter": 200, "ftol": 1e-15, "gtol": 1e-12})
            out.append([float(c) for c in found.x])
        except (ValueError, ArithmeticError):
            continue
    return out
