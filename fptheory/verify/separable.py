r"""A margin that is a sum of one-variable parts, certified one variable at a time.

Styblinski–Tang's ½Σ(xᵢ⁴ − 16xᵢ² + 5xᵢ) ≥ −156.66467 on [−5, 5]⁴ is tight to 4.6·10⁻⁸ of its
size at the corner of 16 basins' worth of boxes in four variables; as four statements in one
variable each it is four interior minima.

Let the margin be g = h₁(x₁) + … + hₙ(xₙ) + c on a box, each hᵢ a sum of the terms of g
(as an Add, after distributing a numeric factor over a sum) whose only variable is xᵢ, c the
terms free of every variable. For rationals m₂, …, mₙ, the *pieces*

* ``part x1``: h₁(x₁) + c + m₂ + … + mₙ ≥ 0 (> 0 for a strict statement) on x₁'s side;
* ``part xi``: hᵢ(xᵢ) − mᵢ ≥ 0 on xᵢ's side (i ≥ 2),

each certified by the ordinary search with its own leaves, give g ≥ 0 (> 0) at every point
of the box: g is the sum of the pieces' margins there, term for term
(:func:`separated_parts` checks the sum exactly). The typed statement's sub-terms that must
be defined go to the piece of their one variable (none may read two). The bounds mᵢ are a
proposal — each part's least value, found by sampling ever closer to the lowest point, less a
share of the slack — and ``recheck`` reads them from the certificate as exact rationals,
derives every piece again (:func:`replay_separated`) and replays each piece's certificate.

>>> x, y = sp.symbols("x y", real=True)
>>> dom = Domain.parse("-3<=x<=3, -3<=y<=3")
>>> st = sp.Ge((x**4 - 16*x**2 + 5*x + y**4 - 16*y**2 + 5*y) / 2, -sp.Rational(7834, 100))
>>> bounds = separation_bounds(st, dom, [])
>>> [(role, sp.sstr(p)) for role, p, _, _ in separated_pieces(st, dom, [], bounds)][1]
('part y', 'y**4/2 - 8*y**2 + 5*y/2 + 391681/10000 >= 0')
"""

from __future__ import annotations

import re
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import mpmath
import numpy as np
import sympy as sp

from fptheory.core.errors import FPTheoryError

from .backends import _infinite
from .domains import Domain, margin, own_relation, own_symbols
from .equality import exactly_equal
from .pieces import Piece, certify_pieces, matched_pieces
from .results import CertifyResult

__all__ = ["separated_parts", "separation_bounds", "separated_pieces", "certify_separated",
           "replay_separated"]

#: a bound as the certificate writes it: an integer or p/q, at most 120 digits each
RATIONAL = re.compile(r"-?[0-9]{1,120}(/[0-9]{1,120})?")
#: points sampled on each part's side, and again between the lowest one's neighbours
SAMPLES = 4001
#: how many times the sampling is narrowed to the lowest point's neighbours
REFINEMENTS = 3


def separated_parts(g: sp.Expr, variables: Sequence[sp.Symbol]
                    ) -> tuple[dict[sp.Symbol, sp.Expr], sp.Expr] | None:
    """({variable: its part}, constant) with g equal to their sum exactly, every variable
    having a part; None when some term of g reads two variables (or one variable only)."""
    if len(variables) < 2:
        return None
    for form in (g, sp.expand_mul(g, deep=False)):
        parts: dict[sp.Symbol, list[sp.Expr]] = {v: [] for v in variables}
        constant: list[sp.Expr] = []
        for term in sp.Add.make_args(form):
            own = term.free_symbols & set(variables)
            if len(own) > 1 or term.free_symbols - set(variables):
                break
            (parts[own.pop()] if own else constant).append(term)
        else:
            if all(parts.values()):
                split = {v: sp.Add(*terms) for v, terms in parts.items()}
                rest = sp.Add(*constant)
                if exactly_equal(g, sp.Add(*split.values(), rest), 2.0) is not None:
                    return split, rest
    return None


def _least(h: sp.Expr, v: sp.Symbol, lo: sp.Expr, hi: sp.Expr) -> mpmath.mpf | None:
    """The least value of h on [lo, hi] as sampling finds it — :data:`SAMPLES` points, then
    as many again between the lowest one's neighbours, three times (numpy; scipy's import
    alone would cost a second) — at 30 digits: an upper bound of the true least value (h at
    a point); None where h does not evaluate."""
    a, b = float(lo), float(hi)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            f = sp.lambdify([v], h, modules=["numpy"])
        except Exception:  # noqa: BLE001 - a part numpy cannot print: no proposal
            return None
        best = None
        for _ in range(REFINEMENTS + 1):
            xs = np.linspace(a, b, SAMPLES)
            try:
                values = np.asarray(f(xs), dtype=float) * np.ones_like(xs)
            except Exception:  # noqa: BLE001 - a float evaluation may fail in many ways
                return None
            values = np.where(np.isfinite(values), values, np.inf)
            if not np.isfinite(values).any():
                break
            k = int(np.argmin(values))
            best = xs[k]
            a, b = xs[max(k - 1, 0)], xs[min(k + 1, SAMPLES - 1)]
    if best is None:
        return None
    try:
        with mpmath.workdps(30):
            value = mpmath.mpf(sp.N(h.subs(v, sp.Rational(repr(float(best)))), 30))
    except (TypeError, ValueError):
        return None
    return value if mpmath.isfinite(value) else None


def _reads_two(duties: Sequence[sp.Expr], variables: Sequence[sp.Symbol]) -> bool:
    """Some typed sub-term reads two of the variables: it belongs to no one part."""
    return any(len(d.free_symbols & set(variables)) > 1 for d in duties)


def separation_bounds(statement: sp.Rel, domain: Domain, duties: Sequence[sp.Expr]
                      ) -> dict[sp.Symbol, sp.Rational] | None:
    """Rationals m₂, …, mₙ (module docstring) for a separable margin on a bounded box: each
    part's least value less 1/(2n) of the slack (the sum of the least values and c), rounded
    down; None when the margin is not separable, a side is unbounded, a typed sub-term
    reads two variables, or the slack is not positive."""
    proposal = _proposal(statement, domain, duties)
    return None if proposal is None else proposal[1]


def _proposal(statement: sp.Rel, domain: Domain, duties: Sequence[sp.Expr]) -> tuple[
        tuple[dict[sp.Symbol, sp.Expr], sp.Expr], dict[sp.Symbol, sp.Rational]] | None:
    """((parts, constant), bounds) of :func:`separation_bounds`, the parts found once (their
    sum is checked by exactly_equal)."""
    if domain.relations or _reads_two(duties, domain.variables):
        return None
    found = separated_parts(margin(statement), domain.variables)
    bounds = None if found is None else _bounds(*found, domain)
    return None if bounds is None else (found, bounds)


def _bounds(parts: Mapping[sp.Symbol, sp.Expr], constant: sp.Expr, domain: Domain
            ) -> dict[sp.Symbol, sp.Rational] | None:
    """:func:`separation_bounds` for the parts and constant of a separable margin."""
    variables = domain.variables
    least = {}
    for v in variables:
        lo, hi = domain.intervals[v]
        if _infinite(lo) or _infinite(hi):
            return None
        least[v] = _least(parts[v], v, lo, hi)
        if least[v] is None:
            return None
    with mpmath.workdps(30):
        slack = sum(least.values()) + mpmath.mpf(sp.N(constant, 30))
        if not slack > 0:
            return None
        share = slack / (2 * len(variables))
        digits = max(0, int(-mpmath.floor(mpmath.log10(share / 4))))
        scale = 10**digits
        return {v: sp.Rational(int(mpmath.floor((least[v] - share) * scale)), scale)
                for v in variables[1:]}


def separated_pieces(statement: sp.Rel, domain: Domain, duties: Sequence[sp.Expr],
                     bounds: Mapping[sp.Symbol, sp.Rational]) -> list[Piece]:
    """(role, statement, one-variable box, typed sub-terms) of each part (module
    docstring): ``part x1`` carries the constant and the bounds of the others, and the
    statement's strictness. FPTheoryError when the margin is not separable, a typed sub-term
    reads two variables, or the bounds are not one rational for each variable but the
    first."""
    variables = domain.variables
    found = separated_parts(margin(statement), variables)
    if found is None:
        raise FPTheoryError("the margin is not a sum of one-variable parts")
    if set(bounds) != set(variables[1:]) or not all(
            isinstance(m, sp.Rational) for m in bounds.values()):
        raise FPTheoryError("the bounds are one rational for each variable but the first")
    if _reads_two(duties, variables):
        raise FPTheoryError("a typed sub-term reads two variables")
    return _pieces(statement, domain, duties, *found, bounds)


def _pieces(statement: sp.Rel, domain: Domain, duties: Sequence[sp.Expr],
            parts: Mapping[sp.Symbol, sp.Expr], constant: sp.Expr,
            bounds: Mapping[sp.Symbol, sp.Rational]) -> list[Piece]:
    """:func:`separated_pieces` for checked parts, constant and bounds."""
    variables = domain.variables
    first = variables[0]
    strict = isinstance(statement, (sp.Lt, sp.Gt))
    out: list[Piece] = []
    for v in variables:
        own = [d for d in duties if d.free_symbols & set(variables) == {v}
               or (v == first and not d.free_symbols & set(variables))]
        if v == first:
            expr, relation = parts[v] + constant + sum(bounds.values()), sp.Gt if strict else sp.Ge
        else:
            expr, relation = parts[v] - bounds[v], sp.Ge
        side = Domain({v: domain.intervals[v]}, {v: domain.open_ends[v]}
                      if v in domain.open_ends else {})
        out.append((f"part {v.name}", relation(expr, 0, evaluate=False), side, own))
    return out


def certify_separated(search: Callable[..., Any], statement: sp.Rel, domain: Domain,
                      **options: Any) -> CertifyResult | None:
    """``search`` on every piece of a separable margin within two thirds of the time left;
    one result whose leaves are all the pieces', each piece's certificate in its record;
    None when the margin is not separable or a piece is not certified."""
    start, limit = options["start"], options["time_limit"]
    left = start + limit - time.perf_counter()
    if left < 3 or options.get("back") is not None:
        return None
    duties = list(options.get("duties", ()))
    proposal = _proposal(statement, domain, duties)
    if proposal is None:
        return None
    found, bounds = proposal
    pieces = _pieces(statement, domain, duties, *found, bounds)
    until = time.perf_counter() + 2 * (start + limit - time.perf_counter()) / 3
    done = certify_pieces(search, statement, domain, pieces, until, options)
    if not isinstance(done, tuple):
        return None
    merged, records = done
    merged.separated = {"bounds": {v.name: sp.sstr(m) for v, m in bounds.items()},
                        "pieces": records}
    return merged


def replay_separated(statement: sp.Rel, domain: Domain, duties: Sequence[sp.Expr],
                     record: Any) -> list[tuple[sp.Rel, Domain, list[sp.Expr], dict[str, Any]]]:
    """For ``recheck``: (statement, box, typed sub-terms, recorded piece) for every piece of
    a certificate's record, the bounds read as exact rationals and the pieces derived again
    from the certificate's statement and domain (FPTheoryError with the reason otherwise)."""
    if not isinstance(record, dict) or set(record) != {"bounds", "pieces"} or not isinstance(
            record["bounds"], dict):
        raise FPTheoryError("a separation record has bounds and pieces")
    names = {v.name: v for v in domain.variables}
    bounds = {}
    for name, text in record["bounds"].items():
        if name not in names or not isinstance(text, str):
            raise FPTheoryError(f"a bound of the separation names {str(name)[:40]!r}, not a "
                                "variable of the domain with a rational")
        # (p/q in digits only: "1e999999999" would be a billion-digit integer)
        if not RATIONAL.fullmatch(text) or int(text.partition("/")[2] or 1) == 0:
            raise FPTheoryError(f"the bound {text[:40]!r} is not a rational p/q")
        bounds[names[name]] = sp.Rational(text)
    statement = own_relation(statement, domain.variables)
    duties = [own_symbols(d, domain.variables) for d in duties]
    return matched_pieces(separated_pieces(statement, domain, duties, bounds), record["pieces"],
                          "separation")
