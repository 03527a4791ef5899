"""Sampling for a counterexample before the search: a grid, seeded random points
(log-spaced magnitudes on sides reaching ±∞) and the exact poles of tan-like terms. Nothing
here decides: every candidate goes to a ``check`` that verifies it exactly
(:func:`fptheory.verify.witness.find_witness`)."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Sequence
from typing import Any

import mpmath
import numpy as np
import sympy as sp

from fptheory.core.numbers import to_mpc

from .backends import _infinite
from .domains import Domain, _far_grid
from .limits import bounded, manageable
from .witness import Witness

__all__: list[str] = []


def _draw(lo: sp.Expr, hi: sp.Expr, rng: np.random.Generator) -> sp.Expr:
    """A seeded random exact point of [lo, hi]: uniform on a bounded side; on a side
    reaching ±∞, a log-uniform distance 10^u beyond the finite end (u ∈ [-3, 8], one draw
    in six u ∈ [8, 40])."""
    if not (_infinite(lo) or _infinite(hi)):
        return lo + sp.Rational(int(rng.integers(0, 2**20)), 2**20) * (hi - lo)
    u = rng.uniform(8, 40) if rng.random() < 1 / 6 else rng.uniform(-3, 8)
    far = sp.Rational(float(10.0**u))
    if lo == -sp.oo and hi == sp.oo:
        return far if rng.random() < 0.5 else -far
    return lo + far if hi == sp.oo else hi - far


def _sample(g: sp.Expr, domain: Domain, strict: bool, n: int, seed: int, digits: int,
            check: Callable[[dict[sp.Symbol, sp.Expr], bool], Witness | None],
            duties: Sequence[sp.Expr] = (), seconds: float = float("inf")):
    """Look for a counterexample on a grid and at n seeded random points (log-spaced
    magnitudes on unbounded sides), evaluated at digits + 10 digits; a candidate counts only
    when ``check`` verifies it exactly (a point where the evaluation fails or is not real is
    checked for an undefined sub-term). Returns (witness or None, points evaluated). The
    points left after ``seconds`` are not evaluated: a Flyspeck margin and its eleven
    sub-terms took 16 ms a point in mpmath, 8.4 s of a one-minute search on one core."""
    stop = time.perf_counter() + seconds
    variables = domain.variables
    try:
        fn = sp.lambdify(variables, g, "mpmath")
        side_fns = [sp.lambdify(variables, d, "mpmath") for d in duties]
    except Exception:  # noqa: BLE001 - lambdify cannot print it: no sampling
        return None, 0
    rng = np.random.default_rng(seed)
    candidates: list[dict[sp.Symbol, sp.Expr]] = []
    corners = [_far_grid(lo, hi) for lo, hi in domain.intervals.values()]
    for combo in itertools.islice(itertools.product(*corners), 243):
        candidates.append(dict(zip(variables, combo, strict=True)))
    candidates += _near_ends(domain)
    for _ in range(n):
        candidates.append({v: _draw(lo, hi, rng) for v, (lo, hi) in domain.intervals.items()})
    specials = _pole_points([g, *duties], domain)
    count = 0
    undefined_checks = 0
    for point in specials:  # exact poles (x = π/2 for tan x): checked exactly, not sampled
        witness = check(point, True)
        if witness is not None:
            return witness, count
    with mpmath.workdps(digits + 10):
        for point in candidates:
            if time.perf_counter() > stop:
                break
            if not domain.contains(point):
                continue
            try:
                args = [to_mpc(point[v], digits + 10).real for v in variables]
                value = fn(*args)
                bad = isinstance(value, mpmath.mpc) or not mpmath.isfinite(value)
                for side in side_fns:
                    extra = side(*args)
                    bad = bad or isinstance(extra, mpmath.mpc) or not mpmath.isfinite(extra)
            except (ZeroDivisionError, ValueError, OverflowError, TypeError):
                bad = True
            except (MemoryError, RecursionError):
                break  # an evaluation too large to finish: sampling is only a look

            count += 1
            if bad:
                if undefined_checks < 32:  # exact evaluation costs: a few points suffice
                    undefined_checks += 1
                    witness = check(point, True)
                    if witness is not None:
                        return witness, count
                continue
            tiny = mpmath.mpf(10) ** -digits
            if value < -tiny * 10**5 or (strict and abs(value) <= tiny):
                witness = check(point, False)
                if witness is not None:
                    return witness, count
    return None, count


def _near_ends(domain: Domain) -> list[dict[sp.Symbol, sp.Expr]]:
    """Points 10^-k inside each finite end of each side (the other variables at their
    sides' middles): a violation squeezed against an excluded end (log(x)/(x - 1) above
    1 - 10^-6 only for x < 1 + 2·10^-6) is found there."""
    middle = {v: _far_grid(lo, hi)[0 if _infinite(lo) or _infinite(hi) else 1]
              for v, (lo, hi) in domain.intervals.items()}
    out = []
    for v, (lo, hi) in domain.intervals.items():
        for end, inward in ((lo, 1), (hi, -1)):
            if _infinite(end):
                continue
            for k in (3, 6, 9, 12, 15, 20, 30):
                step = sp.Rational(1, 10**k)
                if _infinite(lo) or _infinite(hi) or bool(hi - lo > step):
                    out.append(dict(middle) | {v: end + inward * step})
    return out


_POLES = {sp.tan: sp.cos, sp.sec: sp.cos, sp.cot: sp.sin, sp.csc: sp.sin}


def _IDENTITY(u: sp.Expr) -> sp.Expr:  # noqa: N802 - used as a constant
    return u


def _pole_points(exprs: Sequence[sp.Expr], domain: Domain,
                 limit: int = 12) -> list[dict[sp.Symbol, sp.Expr]]:
    """Exact points of the domain where a tan/sec (cot/csc) of a sub-term in one variable
    has a pole: the zeros of its cosine (sine) that sympy solves for in time. The other
    variables sit at the middle of their intervals. Only proposals: each is checked exactly."""
    variables = domain.variables
    middle = {v: _far_grid(lo, hi)[min(1, len(_far_grid(lo, hi)) - 1)]
              for v, (lo, hi) in domain.intervals.items()}
    out: list[dict[sp.Symbol, sp.Expr]] = []
    for e in exprs:
        for node in sp.preorder_traversal(e):
            zero_of = _POLES.get(type(node))
            arg = node.args[0] if zero_of is not None else None
            if isinstance(node, sp.Pow) and node.exp.is_negative:  # a divisor: its zeros
                zero_of, arg = _IDENTITY, node.base
            if zero_of is None or len(arg.free_symbols) != 1:
                continue
            (v,) = arg.free_symbols
            if v not in domain.intervals or not manageable(arg):
                continue
            lo, hi = domain.intervals[v]
            slope = arg.diff(v)
            if zero_of is not _IDENTITY and not (
                    slope.is_number and not _infinite(lo) and not _infinite(hi)
                    and bool(abs(slope) * (hi - lo) <= 200)):
                continue  # a linear argument sweeping few periods only: sympy lists every zero

            def roots(arg: sp.Expr = arg, v: sp.Symbol = v, lo: sp.Expr = lo,
                      hi: sp.Expr = hi, zero_of: Any = zero_of) -> list[sp.Expr]:
                found = sp.solveset(sp.Eq(zero_of(arg), 0), v,
                                    sp.Interval(lo, hi) if not (_infinite(lo) or _infinite(hi))
                                    else sp.Interval(max(lo, -10**6), min(hi, 10**6)))
                return list(itertools.islice(iter(found), limit)) \
                    if isinstance(found, (sp.FiniteSet, sp.ImageSet, sp.Union)) else []
            try:
                zeros = bounded(roots, 1.0, [])
            except Exception:  # noqa: BLE001 - sympy's solveset fails in many ways (KeyError: b_); a proposal only
                zeros = []
            for z in zeros:
                if z.is_real and z.is_number:
                    out.append({**middle, v: z})
            if len(out) >= limit:
                return [dict(zip(variables, (p[w] for w in variables), strict=True))
                        for p in out[:limit]]
    return [dict(zip(variables, (p[w] for w in variables), strict=True)) for p in out]
