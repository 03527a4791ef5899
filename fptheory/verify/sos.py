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
from .homogeneous import _kept_positive
from .limits import bounded, manageable
from .results import CertifyResult, report_refutation
from .sdp import (
    MAX_BASIS,
    evaluate,
    exact_grams,
    monomials,
    newton_basis,
    on_face,
    polished,
    rational,
    solve_gram,
)
from .strip import power_factors
from .witness import find_witness

__all__ = ["sos_target", "sos_parts", "certify_sos", "sos_first", "replay_sos", "unbounded",
           "numerator_over_positive", "positive_on", "nonnegative_on"]

#: at most this many variables and this total degree (and MAX_BASIS monomials in one m_j)
MAX_VARIABLES = 6
MAX_DEGREE = 12

#: a multiplier: the domain ends whose factors it multiplies, as (variable name, "lower" or
#: "upper"); () is the multiplier 1
Multiplier = tuple[tuple[str, str], ...]


def sos_target(statement: sp.Rel, domain: Domain, duties: Sequence[sp.Expr] = ()
               ) -> tuple[Polynomial, int] | None:
    """The margin p as exact coefficients in the domain's variables (in their order) and its
    total degree, where it is a polynomial with rational coefficients (1 ≤ degree ≤
    :data:`MAX_DEGREE`, at most :data:`MAX_VARIABLES` variables, no relation between them,
    every typed sub-term a polynomial too) — or the numerator of a rational margin over a
    denominator positive on the domain (:func:`numerator_over_positive`), every typed
    sub-term such a rational function too; else None."""
    variables = domain.variables
    g = margin(statement)
    if domain.relations or not 1 <= len(variables) <= MAX_VARIABLES:
        return None
    polys = []
    for k, e in enumerate((g, *duties)):  # (a typed sub-term such as I**2 must be real too)
        cleared = numerator_over_positive(e, domain)
        if cleared is None and k and _roots_defined(e, domain):
            continue
        if cleared is None:
            return None
        polys.append(sp.Poly(sp.expand(cleared), *variables))
        if not all(c.is_Rational for c in polys[-1].coeffs()):
            return None
    poly = polys[0]
    if not 1 <= poly.total_degree() <= MAX_DEGREE:
        return None
    return {tuple(int(k) for k in e): rational(c) for e, c in poly.terms() if c != 0}, \
        poly.total_degree()


def numerator_over_positive(e: sp.Expr, domain: Domain) -> sp.Expr | None:
    """e itself where it is a polynomial in the domain's variables; where it is a rational
    function whose every divisor (a base raised to a negative integer power) is
    :func:`positive_on` the domain, its numerator N over a denominator D that is itself
    positive on the domain, e = N/D checked exactly (``cancel``); else None. Then e is
    defined on the whole domain and has N's sign there: Shapiro's
    a/(b + c) + b/(c + d) + c/(d + a) + d/(a + b) ≥ 2 on a, b, c, d > 0 is N ≥ 0, N of
    degree 4."""
    variables = domain.variables
    if not (manageable(e) and e.free_symbols <= set(variables)):
        return None
    if e.is_polynomial(*variables):
        return e
    if not e.is_rational_function(*variables):
        return None
    divisors = {node.base for node in e.atoms(sp.Pow) if node.exp.is_negative}
    if not all(positive_on(d, domain) for d in divisors):
        return None
    numerator, denominator = sp.fraction(sp.cancel(sp.together(e)))
    if positive_on(-denominator, domain):
        numerator, denominator = -numerator, -denominator
    if not positive_on(denominator, domain) or sp.cancel(e - numerator / denominator) != 0:
        return None
    return numerator


def _roots_defined(e: sp.Expr, domain: Domain) -> bool:
    """e = c·Π bᵢ^qᵢ (c a real number, qᵢ rational) is defined on the whole domain at
    sight: each base is a rational function with its numerator N over a positive
    denominator (:func:`numerator_over_positive`), N ≥ 0 at sight where q is not an integer
    (:func:`nonnegative_on`), and N > 0 (or < 0 where q is an integer) where q < 0. The
    sides of a lifted statement, 4√3·√(xyz(x + y + z)) on x, y, z > 0."""
    found = power_factors(e)
    if found is None:
        return False
    for base, q in found[1]:
        numerator = numerator_over_positive(base, domain)
        if numerator is None or (not q.is_Integer and not nonnegative_on(numerator, domain)) \
                or (q < 0 and not (positive_on(numerator, domain) or (
                    q.is_Integer and positive_on(-numerator, domain)))):
            return False
    return True


def nonnegative_on(d: sp.Expr, domain: Domain) -> bool:
    """d ≥ 0 at every point of the domain, at sight: a polynomial in the domain's variables
    with rational coefficients, every one > 0, every variable with an odd power in some
    monomial having a lower end ≥ 0 (every monomial ≥ 0): x·y + y·z on x, y, z ≥ 0."""
    variables = domain.variables
    if not (d.free_symbols <= set(variables) and d.is_polynomial(*variables)):
        return False
    terms = sp.Poly(sp.expand(d), *variables).terms()
    if not terms or not all(c.is_Rational and c > 0 for _, c in terms):
        return False
    odd = {v for exponents, _ in terms for v, k in zip(variables, exponents, strict=True)
           if k % 2}
    return all(domain.intervals[v][0].is_Rational and domain.intervals[v][0] >= 0 for v in odd)


def positive_on(d: sp.Expr, domain: Domain) -> bool:
    """d > 0 at every point of the domain, at sight: a polynomial in the domain's variables
    with rational coefficients, every one > 0, every variable with an odd power in some
    monomial having a lower end ≥ 0 (every monomial ≥ 0), one monomial > 0 everywhere (the
    constant, or one in variables whose lower ends are > 0 or 0 excluded): x² + 1 on ℝ,
    b + c on b, c > 0."""
    if not nonnegative_on(d, domain):
        return False
    variables = domain.variables
    return any(all(domain.intervals[v][0].is_Rational and _kept_positive(domain, v)
                   for v, k in zip(variables, exponents, strict=True) if k)
               for exponents, _ in sp.Poly(sp.expand(d), *variables).terms())


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
        factor = {unit: fmpq(sign), (0,) * n: -sign * rational(end)}
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


def _propose(target: Polynomial, domain: Domain, degree: int, until: float,
             point: list[list[float]] | None = None
             ) -> tuple[list[tuple[Multiplier, list[Exponent]]], list[list[list[fmpq]]]] | None:
    """Multipliers, bases and exact Gram matrices for ``target`` on the domain, or None
    (the solver's dual point, where it solved, appended to ``point`` either way)."""
    n = len(domain.variables)
    chosen = sos_parts(domain, degree)
    if len(chosen) == 1:  # (the whole space: σ₀ alone, its basis from the Newton polytope)
        if degree % 2:
            return None
        bases = [newton_basis(target, n, degree // 2)]
    else:
        bases = [monomials(n, half) for _, half in chosen]
    if not bases[0] or any(len(b) > MAX_BASIS for b in bases):
        return None
    polys = [multiplier_polynomial(m, domain) for m, _ in chosen]
    parts = list(zip(polys, bases, strict=True))
    scale = max(abs(float(c)) for c in target.values())
    grams = solve_gram({e: float(c) / scale for e, c in target.items()}, parts,
                       until - time.perf_counter(), point)
    if grams is None:
        return None
    scaled = [g * scale for g in grams]
    exact = exact_grams(target, parts, scaled)
    if exact is None:
        exact = on_face(target, parts, scaled, until)
    if exact is None:
        return None
    return [(m, b) for (m, _), b in zip(chosen, bases, strict=True)], exact


def _minus_constant(target: Polynomial, shift: fmpq, n: int) -> Polynomial:
    """p − c (its constant term dropped where it becomes 0)."""
    zero = (0,) * n
    out = dict(target)
    out[zero] = out.get(zero, fmpq(0)) - shift
    if out[zero] == 0:
        del out[zero]
    return out


#: the seconds a sum of squares is sought for a polynomial margin on a bounded box before
#: its search (Cauchy–Schwarz in six variables, tight on a four-dimensional set no box
#: search closes, is a sum of squares found in 0.4 s; a search closes most polynomials
#: without one, so the attempt is kept short) ...
BOUNDED_SOS_SECONDS = 1.0
#: ... for margins in at least this many variables (in fewer, a tight set larger than a
#: point is a curve or a surface, which the search's rules follow, and the attempt would
#: cost AM–GM in three variables 0.9 s where its search takes 1.2 s)
BOUNDED_SOS_VARIABLES = 4


def sos_first(statement: sp.Rel, domain: Domain, **options: Any) -> CertifyResult | None:
    """:func:`certify_sos` before the box search: on a domain reaching ±∞ (no box closes a
    tail that cancels), and, briefly, on a bounded box in at least
    :data:`BOUNDED_SOS_VARIABLES` variables; None on a domain with relations."""
    if domain.relations:
        return None
    if unbounded(domain):
        return certify_sos(statement, domain, **options)
    if len(domain.variables) >= BOUNDED_SOS_VARIABLES:
        return certify_sos(statement, domain, most_seconds=BOUNDED_SOS_SECONDS, **options)
    return None


def certify_sos(statement: sp.Rel, domain: Domain, *, most_seconds: float = 5.0,
                **options: Any) -> CertifyResult | None:
    """The statement certified as an exact sum of squares on its domain (module docstring),
    within a sixth of the time left (at most ``most_seconds``), or refuted at the point the solver's
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
    until = time.perf_counter() + min(most_seconds, left / 6)
    least = _least_sampled(target, domain)
    if least < 0 or (strict and not least > 0):  # (nan: no finite sample)
        return None
    shifts = [fmpq(0)] if not strict else _strict_shifts(least)
    for shift in shifts:
        shifted = _minus_constant(target, shift, n)
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
            refuted = _refutation(statement, domain, polished(target, domain, points),
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
    values, sizes = evaluate(target, points)
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
    shifted = _minus_constant(target, shift, n)
    for k, (_, _, gram) in enumerate(parts):
        if not positive_semidefinite(gram):
            raise FPTheoryError(f"part {k}'s matrix is not symmetric positive semidefinite")
    gap = sos_identity_gap(shifted, parts)
    if gap:
        e, c = next(iter(gap.items()))
        raise FPTheoryError(f"the sum of squares is not the margin: the coefficient of {e} "
                            f"differs by {c}")
