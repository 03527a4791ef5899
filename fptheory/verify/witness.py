"""Witnesses of a refutation: exact points, checked exactly.

A counterexample is only as good as its witness. A point is reported only when it is an
exact point (rationals, or exact sympy numbers such as π/2) that satisfies every constraint
of the domain — bounds with their open ends, and relations — decided by exact comparisons,
and at which the statement is violated: its margin g is shown < 0 (≤ 0 when strict) by a
walked arb enclosure at the exact point, or shown exactly 0 by sympy, or the statement is
not defined there (a sub-term is non-real, infinite or undefined when evaluated exactly).
Where the point is not a short decimal, a decimal rounding of it is checked the same way
and reported instead, so that the printed decimals re-read as exact numbers still violate.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import mpmath
import sympy as sp
from flint import ctx

from fptheory.core.numbers import to_mpc

from .backends import ARB, Undefined, compile_balls
from .domains import Domain
from .limits import bounded, manageable, tame

__all__ = ["Witness", "undefined_at", "verify_point", "find_witness"]


@dataclass
class Witness:
    point: dict[sp.Symbol, sp.Expr]  # exact
    why: str  # "violated" or the reason the statement is undefined there

    def decimals(self, digits: int) -> dict[str, str]:
        """Each coordinate as a decimal that is the witness itself when re-read; a coordinate
        no decimal rounding of which is a witness (x = π/2 for sin(x) < 1) is shown exactly
        (``pi/2``), never as a decimal that would not violate."""
        out = {}
        for v, x in self.point.items():
            exact = _exact_decimal(x)
            out[v.name] = exact if exact is not None else sp.sstr(x)
        return out

    def exact(self) -> dict[str, str]:
        return {v.name: sp.sstr(x) for v, x in self.point.items()}


def _exact_decimal(x: sp.Expr, max_digits: int = 80) -> str | None:
    """The finite decimal expansion of a rational whose denominator is 2^a 5^b (at most
    ``max_digits`` significant digits), else None."""
    if not x.is_Rational:
        return None
    q = int(x.q)
    twos = fives = 0
    while q % 2 == 0:
        q //= 2
        twos += 1
    while q % 5 == 0:
        q //= 5
        fives += 1
    if q != 1:
        return None
    scale = max(twos, fives)
    n = int(x.p) * 10**scale // int(x.q)
    sign = "-" if n < 0 else ""
    digits = str(abs(n)).rjust(scale + 1, "0")
    if len(digits.strip("0")) > max_digits:
        return None
    text = digits[:len(digits) - scale] + ("." + digits[len(digits) - scale:] if scale else "")
    text = text.rstrip("0").rstrip(".") if scale else text
    significant = text.replace(".", "").lstrip("0")
    if len(text) > len(significant) + 8:  # 0.000000000001234 or 1234000000000: exponent form
        mantissa = significant.rstrip("0") or "0"
        exponent = len(str(abs(n))) - 1 - scale
        head = mantissa[0] + ("." + mantissa[1:] if len(mantissa) > 1 else "")
        return f"{sign}{head}e{exponent}"
    return sign + text


def _roundings(x: sp.Expr, n: int) -> list[sp.Rational]:
    """x rounded to n significant decimal digits: to nearest, down and up (an end of the
    domain like 1/3 needs the rounding towards the inside)."""
    with mpmath.workdps(n + 30):
        value = to_mpc(x, n + 30).real
        if value == 0:
            return [sp.Integer(0)]
        e = int(mpmath.floor(mpmath.log10(abs(value))))
        scale = sp.Integer(10) ** (n - 1 - e)
        scaled = value * mpmath.mpf(10) ** (n - 1 - e)
        near, down, up = (int(f(scaled)) for f in (mpmath.nint, mpmath.floor, mpmath.ceil))
    return list(dict.fromkeys(sp.Rational(k) / scale for k in (near, down, up)))


def undefined_at(exprs: list[sp.Expr], point: dict[sp.Symbol, sp.Expr],
                 seconds: float = 5.0) -> str | None:
    """Why one of ``exprs`` is not defined (real and finite) at the exact point, by exact
    evaluation of every sub-term bottom-up; None when all are, or when it cannot be decided
    in time."""
    def check() -> str | None:
        skipped: set[sp.Basic] = set()  # (and every node above one: subs evaluates it again)
        for e in exprs:
            for node in sp.postorder_traversal(e):
                if any(a in skipped for a in node.args):
                    skipped.add(node)
                    continue
                if not isinstance(node, sp.Expr) or node.is_Atom and not node.free_symbols:
                    if node in (sp.nan, sp.zoo, sp.oo, -sp.oo, sp.I):
                        return f"the expression contains {node}"
                    continue
                if not manageable(node):
                    skipped.add(node)
                    continue  # exact powers of huge degree: compiled code no signal stops
                if isinstance(node, (sp.Function, sp.Pow)):
                    values = [a.subs(point) for a in node.args]
                    # exp(log(x)/a) at x = 211/100, a = 74769708/10^8 is x^(10^8/74769708),
                    # and (1 + 1/x)^(x + 1) a power of such a degree too: sympy's exact
                    # power runs for minutes, in one call no deadline stops (tame reads a
                    # power's arguments with it)
                    probes = [sp.Pow(*values, evaluate=False)] if isinstance(node, sp.Pow) \
                        else values
                    if not all(tame(v) for v in probes):
                        skipped.add(node)
                        continue
                value = node.xreplace(point) if node.is_Atom else node.subs(point)
                if value.has(sp.nan, sp.zoo, sp.oo, -sp.oo, sp.AccumBounds) or \
                        value.is_extended_real is False or value.has(sp.I):
                    return f"{sp.sstr(node)} is not real and finite there ({sp.sstr(value)[:60]})"
        return None
    return bounded(check, seconds, None)


def _walked(g: sp.Expr, point: dict[sp.Symbol, sp.Expr], digits: int):
    variables = list(point)
    saved = ctx.prec
    ctx.prec = max(4 * (int(digits * 3.33) + 30), 256)
    try:
        fn = compile_balls(g, variables, ARB, checked=True)
        balls = [compile_balls(point[v], [], ARB, checked=True)([]) for v in variables]
        return fn(balls)
    except (Undefined, ArithmeticError, ValueError):
        return None
    finally:
        ctx.prec = saved


def verify_point(g: sp.Expr, strict: bool, domain: Domain, point: dict[sp.Symbol, sp.Expr],
                 parts: list[sp.Expr], digits: int = 30) -> Witness | None:
    """A :class:`Witness` when the exact point lies in the domain (every bound, open end and
    relation) and the statement g ≥ 0 (g > 0 when strict) fails there, else None."""
    if not all(x.is_number for x in point.values()) or not domain.contains(point):
        return None
    # a statement not defined at the point is refuted there, and says so (sympy's
    # evaluation may have made g itself defined: sin(asin(x)) is x)
    why = undefined_at(parts, point)
    if why is not None:
        return Witness(point, f"the statement is not defined there: {why}")
    ball = _walked(g, point, digits)
    if ball is not None:
        if ball < 0:
            return Witness(point, "violated")
        if strict and ball.contains(0) and not g.has(sp.Max, sp.Min):
            there = g.xreplace(point)
            value = bounded(lambda: sp.simplify(there), 5.0, None) if manageable(there) else None
            if value is not None and value == 0:
                return Witness(point, "violated (the two sides are exactly equal)")
    return None


def find_witness(g: sp.Expr, strict: bool, domain: Domain, point: dict[sp.Symbol, sp.Expr],
                 parts: list[sp.Expr], digits: int = 30) -> Witness | None:
    """:func:`verify_point` at the point, reported where possible at a decimal rounding of it
    that is verified the same way (so the printed decimals are the witness itself)."""
    witness = verify_point(g, strict, domain, point, parts, digits)
    if witness is None:
        return None
    if all(_exact_decimal(x, digits) is not None for x in point.values()):
        return witness  # already short decimals
    for n in (digits, digits + 10, 2 * digits, 100):
        options = {v: [x] if _exact_decimal(x, n) is not None else _roundings(x, n)
                   for v, x in point.items()}
        for combo in itertools.islice(itertools.product(*options.values()), 27):
            rounded = dict(zip(options, combo, strict=True))
            better = verify_point(g, strict, domain, rounded, parts, digits)
            if better is not None:
                return better
    return witness
