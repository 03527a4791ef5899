r"""A polynomial margin certified as an exact sum of squares (trust model, rule 22): no
box search closes x⁴ + 2x²z + x² − 2xyz + 2y²z² + 2yz² + 2z² − 2x + 2yz + 1 ≥ 0 on ℝ³ (an
SOS example of HOL Light, its infimum 3/16 approached only as y → ∞), but it is

    p − c = Σ_j h_j · m_jᵀ Q_j m_j

with rational positive semidefinite matrices Q_j, monomial vectors m_j and multipliers h_j
that are products of the domain's non-negative end factors (x − a, b − x, or their product
(x − a)(b − x) for a bounded side; 1 for σ₀). A semidefinite program (Clarabel, an
interior-point solver) *proposes* the Q_j in floating point, as far inside the cone as it
can (the least eigenvalue maximised); they are rounded to rationals and σ₀'s matrix is
projected exactly onto the identity (Peyrl and Parrilo's rounding: the residual of each
monomial spread over the entries that produce it). The decision is exact
(:mod:`fptheory.verify.gram`): the identity coefficient by coefficient and each Q_j ⪰ 0 by an
exact elimination. For a strict statement c > 0 (p ≥ c > 0); otherwise c = 0.

Where no certificate comes, the solver's multipliers of the identity's equations (the
moments of a measure near p's least value, where p is negative somewhere) propose a point,
polished by L-BFGS-B and checked exactly against the statement
(:func:`~fptheory.verify.witness.find_witness`): a refutation, never a certificate.

σ₀'s monomials on the whole space are those of half p's Newton polytope (no other can
appear in a sum of squares equal to p), pruned further where a monomial's square meets
no coefficient of p: such a row of Q₀ must vanish.

>>> x, y = sp.symbols("x y", real=True)
>>> result = certify_sos(sp.Ge(x**4 + y**4 + 1, x*y), Domain.parse("x real, y real"),
...                      start=time.perf_counter(), time_limit=20.0, digits=30, duties=[])
>>> result.verdict.value, len(result.sos["parts"])
('certified', 1)
"""

from __future__ import annotations

import importlib.util
import itertools
import time
from collections.abc import Sequence
from typing import Any

import numpy as np
import sympy as sp
from flint import fmpq

from fptheory.core.errors import FPTheoryError

from .claims import Verdict
from .domains import Domain, margin
from .gram import (
    Exponent,
    Polynomial,
    multiply,
    parse_rational,
    positive_semidefinite,
    sos_identity_gap,
)
from .limits import bounded, manageable
from .results import CertifyResult, report_refutation
from .witness import find_witness

__all__ = ["sos_target", "sos_parts", "certify_sos", "replay_sos", "unbounded"]

#: at most this many variables, this total degree, and this many monomials in one m_j
MAX_VARIABLES = 6
MAX_DEGREE = 12
MAX_BASIS = 120
#: the denominators tried when rounding the solver's matrices, smallest first
DENOMINATORS = tuple(2**k for k in (8, 12, 16, 20, 26, 32, 40))

#: a multiplier: the domain ends whose factors it multiplies, as (variable name, "lower" or
#: "upper"); () is the multiplier 1
Multiplier = tuple[tuple[str, str], ...]


def _rational(value: sp.Expr) -> fmpq:
    value = sp.Rational(value)
    return fmpq(int(value.p), int(value.q))


def sos_target(statement: sp.Rel, domain: Domain, duties: Sequence[sp.Expr] = ()
               ) -> tuple[Polynomial, int] | None:
    """The margin p as exact coefficients in the domain's variables (in their order) and its
    total degree, where it is a polynomial with rational coefficients (1 ≤ degree ≤
    :data:`MAX_DEGREE`, at most :data:`MAX_VARIABLES` variables, no relation between them,
    every typed sub-term a polynomial too); else None."""
    variables = domain.variables
    g = margin(statement)
    if domain.relations or not 1 <= len(variables) <= MAX_VARIABLES:
        return None
    polys = []
    for e in (g, *duties):  # (a typed sub-term such as I**2 must be real too: rational)
        if not (manageable(e) and e.free_symbols <= set(variables) and e.is_polynomial(*variables)):
            return None
        polys.append(sp.Poly(sp.expand(e), *variables))
        if not all(c.is_Rational for c in polys[-1].coeffs()):
            return None
    poly = polys[0]
    if not 1 <= poly.total_degree() <= MAX_DEGREE:
        return None
    return {tuple(int(k) for k in e): _rational(c) for e, c in poly.terms() if c != 0}, \
        poly.total_degree()


def unbounded(domain: Domain) -> bool:
    """A side of the domain reaches ±∞ (where :func:`~fptheory.verify.certify` seeks a sum
    of squares first: on a bounded box its search closes most polynomials quickly)."""
    return any(not e.is_finite for v in domain.variables for e in domain.intervals[v])


def _end(domain: Domain, v: sp.Symbol, which: str) -> sp.Expr | None:
    """v's lower or upper end where it is a rational number of moderate size (below 2^200
    in magnitude, numerator and denominator), else None (no multiplier from it)."""
    lo, hi = domain.intervals[v]
    end = lo if which == "lower" else hi
    return end if end.is_Rational and abs(end.p).bit_length() < 200 and \
        end.q.bit_length() < 200 else None


def multiplier_polynomial(multiplier: Multiplier, domain: Domain) -> Polynomial:
    """h as exact coefficients: the product of x − a (lower end a) and b − x (upper end b)
    for the named ends, each a rational end of the domain (FPTheoryError otherwise)."""
    variables = domain.variables
    names = [v.name for v in variables]
    n = len(variables)
    out: Polynomial = {(0,) * n: fmpq(1)}
    for name, which in multiplier:
        if name not in names or which not in ("lower", "upper"):
            raise FPTheoryError(f"no end {which!r} of a variable {str(name)[:20]!r}")
        v = variables[names.index(name)]
        end = _end(domain, v, which)
        if end is None:
            raise FPTheoryError(f"{name}'s {which} end is not a rational number below 2^200")
        unit = tuple(int(k == names.index(name)) for k in range(n))
        sign = 1 if which == "lower" else -1
        factor = {unit: fmpq(sign), (0,) * n: -sign * _rational(end)}
        out = multiply(out, {e: c for e, c in factor.items() if c != 0})
    return out


def sos_parts(domain: Domain, degree: int) -> list[tuple[Multiplier, int]]:
    """The multipliers h_j with the degree of σ_j's monomials: 1, each rational finite end's
    factor, the product of both for a bounded side, and the product of every two
    half-lines' end factors (at most four half-lines), each with the largest half-degree
    that keeps h_j·σ_j within degree 2⌈degree/2⌉."""
    top = degree + degree % 2
    out: list[tuple[Multiplier, int]] = [((), top // 2)]
    halves = []
    for v in domain.variables:
        ends = [w for w in ("lower", "upper") if _end(domain, v, w) is not None]
        for chosen in [(w,) for w in ends] + ([tuple(ends)] if len(ends) == 2 else []):
            half = (top - len(chosen)) // 2
            if half >= 0:
                out.append((tuple((v.name, w) for w in chosen), half))
        if len(ends) == 1:
            halves.append((v.name, ends[0]))
    if len(halves) <= 4:  # (x·y ≥ 0 on a quadrant: what a homogeneous bound there needs)
        out += [((first, second), (top - 2) // 2)
                for first, second in itertools.combinations(halves, 2) if top >= 2]
    return out


def _monomials(n: int, half: int) -> list[Exponent]:
    return [e for total in range(half + 1)
            for e in _compositions(n, total)]


def _compositions(n: int, total: int) -> list[Exponent]:
    return [tuple(b - a - 1 for a, b in zip((-1, *cuts), (*cuts, total + n - 1), strict=True))
            for cuts in itertools.combinations(range(total + n - 1), n - 1)] if n > 1 else [(total,)]


def _newton_basis(target: Polynomial, n: int, half: int) -> list[Exponent]:
    """The monomials α with 2α in the Newton polytope of ``target`` (a linear program each),
    then without those whose square meets no coefficient and no other pair of the basis."""
    from scipy.optimize import linprog

    support = np.array(list(target), dtype=float)
    lo, hi = support.min(axis=0), support.max(axis=0)
    candidates = [a for a in _monomials(n, half)
                  if np.all(2 * np.array(a) >= lo) and np.all(2 * np.array(a) <= hi)]
    if len(candidates) > 4 * MAX_BASIS:
        return []
    basis = []
    for alpha in candidates:
        doubled = 2 * np.array(alpha, dtype=float)
        a_eq = np.vstack([support.T, np.ones(len(support))])
        found = linprog(np.zeros(len(support)), A_eq=a_eq, b_eq=np.append(doubled, 1.0),
                        bounds=(0, None), method="highs")
        if found.status == 0:
            basis.append(alpha)
    while True:
        sums = {}
        for a, b in itertools.combinations(basis, 2):
            sums[tuple(i + j for i, j in zip(a, b, strict=True))] = True
        kept = [a for a in basis if tuple(2 * i for i in a) in target or tuple(2 * i for i in a) in sums]
        if len(kept) == len(basis):
            return basis
        basis = kept


def _svec_index(a: int, b: int) -> int:
    return b * (b + 1) // 2 + a  # (a ≤ b) Clarabel's upper triangle, column by column


def _solve(target: dict[Exponent, float], parts: Sequence[tuple[Polynomial, list[Exponent]]],
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
                pair = tuple(i + j for i, j in zip(basis[a], basis[b], strict=True))
                for e, c in h.items():
                    gamma = tuple(i + j for i, j in zip(e, pair, strict=True))
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


ROOT2 = float(np.sqrt(2.0))
#: a least eigenvalue within this of 0 is taken as 0: the sum of squares touches the
#: cone's boundary (a tight statement), and its matrix's kernel is sought
TIGHT = 1e-7


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


def _exact_grams(target: Polynomial, parts: Sequence[tuple[Polynomial, list[Exponent]]],
                 grams: Sequence[np.ndarray]) -> list[list[list[fmpq]]] | None:
    """Rational Gram matrices with Σ_j h_j·m_jᵀ Q_j m_j = target exactly and every Q_j ⪰ 0,
    rounded from the solver's at the denominators of :data:`DENOMINATORS` in turn; the
    multipliers' matrices as rounded, σ₀'s projected onto what is left; None if none."""
    basis0 = parts[0][1]
    pairs: dict[Exponent, list[tuple[int, int]]] = {}
    for a, ea in enumerate(basis0):
        for b, eb in enumerate(basis0):
            pairs.setdefault(tuple(i + j for i, j in zip(ea, eb, strict=True)), []).append((a, b))
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
            column[c] = -_rational(exact[r][f])
        columns.append(column)
    return [[columns[j][i] for j in range(len(free))] for i in range(n)]


def _on_face(target: Polynomial, parts: Sequence[tuple[Polynomial, list[Exponent]]],
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


def _propose(target: Polynomial, domain: Domain, degree: int, until: float,
             point: list[list[float]] | None = None
             ) -> tuple[list[tuple[Multiplier, list[Exponent]]], list[list[list[fmpq]]]] | None:
    """Multipliers, bases and exact Gram matrices for ``target`` on the domain, or None
    (and then, where the solver saw the target negative, a proposed point in ``point``)."""
    n = len(domain.variables)
    chosen = sos_parts(domain, degree)
    if len(chosen) == 1:  # (the whole space: σ₀ alone, its basis from the Newton polytope)
        if degree % 2:
            return None
        bases = [_newton_basis(target, n, degree // 2)]
    else:
        bases = [_monomials(n, half) for _, half in chosen]
    if not bases[0] or any(len(b) > MAX_BASIS for b in bases):
        return None
    polys = [multiplier_polynomial(m, domain) for m, _ in chosen]
    parts = list(zip(polys, bases, strict=True))
    scale = max(abs(float(c)) for c in target.values())
    grams = _solve({e: float(c) / scale for e, c in target.items()}, parts,
                   until - time.perf_counter(), point)
    if grams is None:
        return None
    scaled = [g * scale for g in grams]
    exact = _exact_grams(target, parts, scaled)
    if exact is None:
        exact = _on_face(target, parts, scaled, until)
    if exact is None:
        return None
    return [(m, b) for (m, _), b in zip(chosen, bases, strict=True)], exact


def certify_sos(statement: sp.Rel, domain: Domain, **options: Any) -> CertifyResult | None:
    """The statement certified as an exact sum of squares on its domain (module docstring),
    within a sixth of the time left (at most 5 s), or refuted at the point the solver's
    dual proposes where the margin has none (:func:`_refutation`); None where the margin is
    not such a polynomial, a sampled point violates it (:func:`_least_sampled`) or neither
    was found. A strict statement is tried with a few c > 0 below the least value sampled
    (:func:`_strict_shifts`)."""
    start, limit = options["start"], options["time_limit"]
    left = start + limit - time.perf_counter()
    if left < 1 or importlib.util.find_spec("clarabel") is None:
        return None  # (without the solver nothing is proposed: the search goes on alone)
    found = bounded(lambda: sos_target(statement, domain, list(options.get("duties", ()))),
                    min(2.0, left / 4), None)
    if found is None:
        return None
    target, degree = found
    if not all(-300 < abs(int(c.p)).bit_length() - int(c.q).bit_length() < 300
               for c in target.values()):
        return None  # (beyond what the solver's doubles carry)
    strict = isinstance(statement, (sp.Lt, sp.Gt))
    n = len(domain.variables)
    until = time.perf_counter() + min(5.0, left / 6)
    least = _least_sampled(target, domain)
    if least < 0 or (strict and not least > 0):  # (nan: no finite sample)
        return None
    shifts = [fmpq(0)] if not strict else _strict_shifts(least)
    for shift in shifts:
        shifted = dict(target)
        zero = (0,) * n
        shifted[zero] = shifted.get(zero, fmpq(0)) - shift
        if shifted[zero] == 0:
            del shifted[zero]
        if not shifted:
            continue
        if time.perf_counter() > until:
            break
        points: list[list[float]] = []
        try:
            proposal = _propose(shifted, domain, degree, until, points)
        except (ArithmeticError, ValueError, np.linalg.LinAlgError):
            proposal = None  # (numbers beyond the solver's doubles: nothing proposed)
        if proposal is None:
            refuted = _refutation(statement, domain, _polished(target, domain, points),
                                  options) if points else None
            if refuted is not None:
                return refuted
            continue
        chosen, grams = proposal
        result = CertifyResult(sp.sstr(statement), Verdict.CERTIFIED, domain.to_dict(),
                               digits=options["digits"])
        result.sos = {"shift": str(shift), "parts": [
            {"multiplier": [list(end) for end in multiplier],
             "basis": [list(e) for e in basis],
             "gram": [[str(v) for v in row] for row in gram]}
            for (multiplier, basis), gram in zip(chosen, grams, strict=True)]}
        try:  # (what is handed out has passed the re-check's own test)
            replay_sos(statement, domain, list(options.get("duties", ())), result.sos)
        except (FPTheoryError, ValueError):
            return None
        result.seconds = time.perf_counter() - start
        return result
    return None


def _polished(target: Polynomial, domain: Domain, points: Sequence[Sequence[float]]
              ) -> list[list[float]]:
    """Each proposed point, then the same polished by L-BFGS-B on p within the domain's
    sides (the dual's point is only as accurate as the solver: a violation 10⁻⁹ deep needs
    the polish)."""
    from scipy.optimize import minimize

    exponents = np.array(list(target), dtype=float)
    coefficients = np.array([float(c) for c in target.values()])

    def value(x: np.ndarray) -> float:
        with np.errstate(all="ignore"):
            v = float(coefficients @ np.prod(x ** exponents, axis=1))
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


def _refutation(statement: sp.Rel, domain: Domain, points: Sequence[Sequence[float]],
                options: dict[str, Any]) -> CertifyResult | None:
    """The statement refuted at the solver's proposed point (the shortest decimals of its
    coordinates, as exact rationals), where :func:`~fptheory.verify.witness.find_witness`
    checks it exactly against the statement, its typed sub-terms and the domain; else
    None."""
    variables, digits = domain.variables, options["digits"]
    duties = list(options.get("duties", ()))
    for coordinates in points:
        if not all(np.isfinite(c) and abs(c) < 1e12 for c in coordinates):
            continue
        point = {v: sp.Rational(repr(float(c))) for v, c in zip(variables, coordinates,
                                                                 strict=True)}
        witness = find_witness(margin(statement), isinstance(statement, (sp.Lt, sp.Gt)),
                               domain, point, [*duties, statement.lhs, statement.rhs], digits)
        if witness is not None:
            out = CertifyResult(sp.sstr(statement), Verdict.UNKNOWN, domain.to_dict(),
                                digits=digits)
            report_refutation(out, witness, statement.lhs, statement.rhs, digits)
            out.seconds = time.perf_counter() - options["start"]
            return out
    return None


def _least_sampled(target: Polynomial, domain: Domain) -> float:
    """The least value of p at 2000 random points of the domain (an unbounded side cut 20
    from its finite end, or at ±10; ends clipped to ±10⁶) and at its corners: a proposal's
    first look (a statement sampled false is left to the search, which refutes it)."""
    rng = np.random.default_rng(0)
    sides = []
    for v in domain.variables:
        lo, hi = (min(max(float(e), -1e6), 1e6) if e.is_finite else None
                  for e in domain.intervals[v])
        sides.append((-10.0, 10.0) if lo is None and hi is None else (hi - 20.0, hi)
                     if lo is None else (lo, lo + 20.0) if hi is None else (lo, hi))
    points = np.vstack([np.array([rng.uniform(lo, hi, 2000) for lo, hi in sides]).T,
                        np.array(list(itertools.islice(itertools.product(*sides), 64)))])
    values, sizes = np.zeros(len(points)), np.zeros(len(points))
    with np.errstate(all="ignore"):
        for e, c in target.items():
            term = float(c) * np.prod(points ** np.array(e, dtype=float), axis=1)
            values += term
            sizes += np.abs(term)
    # (within rounding of 0, relative to the terms' sizes, is 0: x = y in a tight bound)
    values[np.abs(values) <= 1e-12 * sizes] = 0.0
    finite = values[np.isfinite(values)]
    return float(finite.min()) if len(finite) else float("nan")


def _strict_shifts(least: float) -> list[fmpq]:
    """For a strict statement, the constants c > 0 to try in p − c, from the least sampled
    value m: m/2, m/8, m/64 and m/1024, each rounded down to two significant digits."""
    out = []
    for fraction in (2, 8, 64, 1024):
        c = least / fraction
        digits = 10 ** (int(np.floor(np.log10(c))) - 1)
        out.append(fmpq(int(c / digits), 1) * fmpq(digits) if digits >= 1
                   else fmpq(int(c / digits), int(round(1 / digits))))
    return [c for c in out if c > 0]


def replay_sos(statement: sp.Rel, domain: Domain, duties: Sequence[sp.Expr], record: Any) -> None:
    """For ``recheck`` (and for :func:`certify_sos` itself before it answers): FPTheoryError
    unless the record proves the statement on the domain — the margin derived again from
    the statement, the multipliers from the domain's own ends, c > 0 for a strict
    statement, every matrix square, symmetric and ⪰ 0, the identity exact."""
    found = sos_target(statement, domain, duties)
    if found is None:
        raise FPTheoryError("the margin is not a polynomial with rational coefficients that a "
                            "sum of squares may certify")
    target, _ = found
    n = len(domain.variables)
    if not isinstance(record, dict) or set(record) != {"shift", "parts"} or not isinstance(
            record["parts"], list) or not 1 <= len(record["parts"]) <= 1 + 3 * n:
        raise FPTheoryError("a sum-of-squares record is {shift, parts} with 1 to "
                            f"{1 + 3 * n} parts")
    shift = parse_rational(record["shift"])
    if shift < 0 or (isinstance(statement, (sp.Lt, sp.Gt)) and shift <= 0):
        raise FPTheoryError(f"the shift {shift} must be ≥ 0, and > 0 for a strict statement")
    parts = []
    for part in record["parts"]:
        if not isinstance(part, dict) or set(part) != {"multiplier", "basis", "gram"}:
            raise FPTheoryError("each part is {multiplier, basis, gram}")
        ends = part["multiplier"]
        if not isinstance(ends, list) or len(ends) > 2 or not all(
                isinstance(e, list) and len(e) == 2 and all(isinstance(s, str) for s in e)
                for e in ends):
            raise FPTheoryError("a multiplier lists at most two ends [name, lower|upper]")
        multiplier = multiplier_polynomial(tuple(tuple(e) for e in ends), domain)
        basis, gram = part["basis"], part["gram"]
        if not isinstance(basis, list) or not 1 <= len(basis) <= MAX_BASIS or not all(
                isinstance(e, list) and len(e) == n and all(
                    isinstance(k, int) and not isinstance(k, bool) and 0 <= k <= MAX_DEGREE
                    for k in e) for e in basis):
            raise FPTheoryError(f"a basis is 1 to {MAX_BASIS} exponent lists of length {n}")
        size = len(basis)
        if not isinstance(gram, list) or len(gram) != size or not all(
                isinstance(row, list) and len(row) == size for row in gram):
            raise FPTheoryError(f"a Gram matrix is {size} rows of {size} rationals")
        parts.append((multiplier, [tuple(e) for e in basis],
                      [[parse_rational(v) for v in row] for row in gram]))
    shifted = dict(target)
    zero = (0,) * n
    shifted[zero] = shifted.get(zero, fmpq(0)) - shift
    if shifted[zero] == 0:
        del shifted[zero]
    for k, (_, _, gram) in enumerate(parts):
        if not positive_semidefinite(gram):
            raise FPTheoryError(f"part {k}'s matrix is not symmetric positive semidefinite")
    gap = sos_identity_gap(shifted, parts)
    if gap:
        e, c = next(iter(gap.items()))
        raise FPTheoryError(f"the sum of squares is not the margin: the coefficient of {e} "
                            f"differs by {c}")
