r"""Identities ``lhs == rhs`` on a domain, as ``fptheory prove`` checks them.

``proved`` needs both halves, each decided soundly:

1. **equal**: sympy simplifies lhs - rhs to 0 in every sign case of the variables that the
   domain allows — < 0, = 0 and > 0, each only where the domain has such points (an
   identity shown for x > 0 and x < 0 says nothing at 0, where sign, Heaviside and 0**|x|
   jump); each case under a deadline;
2. **defined**: both sides pass the kernel's definedness walk on boxes covering the domain
   (:meth:`fptheory.verify.kernel.Kernel.defined`), so the simplification, which may cancel
   an undefined point (x/x → 1), speaks about every point.

Before either, exact points of the domain (grid and seeded random points, every constraint
checked) are tried: a point where the two sides differ (shown by a walked arb ball) or where
a side is undefined refutes the identity, with that exact point. When (1) fails without a
counterexample the verdict is ``sampled`` (equal at the points tried: evidence, not proof);
when (2) cannot be decided it is ``unknown`` with the reason.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp
from flint import ctx

from fptheory.core.errors import FPTheoryError

from .backends import ARB, Interval, Undefined, compile_balls
from .claims import Verdict, _simplifies_to_zero
from .domains import Domain, _far_grid, own_symbols
from .kernel import Kernel
from .limits import DeadlineExceeded, bounded, guard, manageable
from .obligations import obligations
from .sampling import _draw
from .search import Budget, _split_or_keep_open, _TailOpen
from .witness import Witness, undefined_at

__all__ = ["IdentityResult", "check_identity"]


@dataclass
class IdentityResult:
    statement: str
    verdict: Verdict
    evidence: str
    counterexample: dict[str, str] | None = None
    counterexample_exact: dict[str, str] | None = None
    seconds: float = 0.0
    cases: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"statement": self.statement, "verdict": self.verdict.value,
                "counterexample": self.counterexample,
                "counterexample_exact": self.counterexample_exact,
                "evidence": self.evidence, "seconds": round(self.seconds, 3)}

    def _repr_markdown_(self) -> str:
        """For Jupyter: the verdict and the identity as math (``Eq(lhs, rhs)`` read back by the
        closed grammar and printed by :func:`sympy.latex`), the evidence and the exact
        counterexample, if any."""
        from .claims import _markdown_text
        from .results import _latex_point, _math

        lines = [f"**{self.verdict.value}**: {_math(_latex_identity, self.statement)}",
                 _markdown_text(self.evidence)]
        if self.counterexample_exact:
            lines.append(f"counterexample, exact: {_math(_latex_point, self.counterexample_exact)}")
        return "\n\n".join(lines)


def _latex_identity(text: str) -> str:
    """``Eq(lhs, rhs)`` (as :func:`sympy.sstr` writes it) read by the closed grammar, printed
    by sympy."""
    from fptheory.core.parsing import parse_expression

    pair = sp.Function("Eq_")
    both = parse_expression(text, functions={"Eq": lambda lhs, rhs: pair(lhs, rhs)})
    if both.func != pair:
        raise FPTheoryError(f"not an identity: {text}")
    return sp.latex(sp.Eq(*both.args, evaluate=False))


def _cases(domain: Domain) -> list[tuple[str, dict[sp.Symbol, sp.Expr]]]:
    """Sign cases the domain allows: per variable the subset of {< 0, = 0, > 0} its interval
    meets (closed ends at 0 count for = 0)."""
    per_variable = []
    for v, (lo, hi) in domain.intervals.items():
        lo_open, hi_open = domain.open_ends.get(v, (False, False))
        positive = sp.Symbol(v.name, positive=True)
        options = []
        if bool(hi > 0):
            options.append((f"{v} > 0", positive))
        if bool(lo < 0):
            options.append((f"{v} < 0", -positive))
        if bool(lo <= 0) and bool(hi >= 0) and not (lo == 0 and lo_open) and not (hi == 0 and hi_open):
            options.append((f"{v} = 0", sp.Integer(0)))
        per_variable.append((v, options))
    out = []
    for combo in itertools.product(*(opts for _, opts in per_variable)):
        label = ", ".join(label for label, _ in combo) or "no sign cases"
        out.append((label, {v: value for (v, _), (_, value) in zip(per_variable, combo, strict=True)}))
    return out


def _differ(lhs: sp.Expr, rhs: sp.Expr, point: dict[sp.Symbol, sp.Expr], digits: int) -> bool:
    """The two sides differ at the exact point, shown by walked arb balls."""
    variables = list(point)
    saved = ctx.prec
    ctx.prec = max(4 * (int(digits * 3.33) + 30), 256)
    try:
        balls = [compile_balls(point[v], [], ARB, checked=True)([]) for v in variables]
        d = compile_balls(lhs - rhs, variables, ARB, checked=True)(balls)
        if bool(d > 0) or bool(d < 0):
            return True
    except (Undefined, ArithmeticError, ValueError, FPTheoryError):
        pass
    finally:
        ctx.prec = saved
    # where arb cannot tell (0**|x| at 0, which the walk does not accept), sympy's exact
    # value of both sides decides: both finite real numbers and their difference not 0
    def exact() -> bool:
        left, right = lhs.xreplace(point), rhs.xreplace(point)
        if not (manageable(left) and manageable(right)):
            return False
        if any(side.has(sp.nan, sp.zoo, sp.oo, -sp.oo, sp.AccumBounds, sp.I)
               or side.is_extended_real is not True for side in (left, right)):
            return False
        return sp.simplify(left - right).is_zero is False
    if not (manageable(lhs) and manageable(rhs)) or (lhs - rhs).has(sp.Max, sp.Min):
        return False  # (sympy picks Max/Min of numbers by 15-digit comparisons)
    return bool(bounded(exact, 5.0, False))


def _points(domain: Domain, n: int, seed: int) -> list[dict[sp.Symbol, sp.Expr]]:
    variables = domain.variables
    rng = np.random.default_rng(seed)
    grid = [_far_grid(lo, hi) for lo, hi in domain.intervals.values()]
    out = [dict(zip(variables, combo, strict=True))
           for combo in itertools.islice(itertools.product(*grid), 243)]
    out += [{v: _draw(lo, hi, rng) for v, (lo, hi) in domain.intervals.items()} for _ in range(n)]
    return [p for p in out if domain.contains(p)]


def _defined_everywhere(kernel: Kernel, exprs: list[sp.Expr], box: list[Interval],
                        max_boxes: int, deadline: float) -> str:
    """'' when every expression passes the walk on boxes covering ``box``, else why not."""
    queue, count, tails = [box], 0, []
    while queue:
        b = queue.pop()
        count += 1
        if count > max_boxes or time.perf_counter() > deadline:
            return (f"the two sides could not be shown defined on the whole domain within "
                    f"{max_boxes} boxes / the time limit"
                    + (f" (last: {kernel.last_undefined})" if kernel.last_undefined else ""))
        if all(kernel.defined(e, b) for e in exprs):
            continue
        if all(lo == hi for lo, hi in b):
            return f"not shown defined at {b} ({kernel.last_undefined})"
        queue.extend(_split_or_keep_open(b, tails))
    if tails:
        return "the two sides could not be shown defined far out (past 2^100)"
    return ""


def check_identity(statement: sp.Eq, domain: Domain, *, time_limit: float = 30.0,
                   digits: int = 30, samples: int = 200, seed: int = 0,
                   max_boxes: int = 20000, source: str | None = None) -> IdentityResult:
    """Verdict on ``lhs == rhs`` at every point of ``domain`` (see the module docstring).
    ``source``, the text the identity was parsed from, adds the sub-terms sympy's
    evaluation dropped (:mod:`fptheory.verify.obligations`) to what must be defined."""
    start = time.perf_counter()
    text = sp.sstr(statement)
    by_name = {v.name: v for v in domain.variables}
    lhs, rhs = (own_symbols(side, domain.variables) for side in statement.args)
    missing = {s.name for s in (lhs - rhs).free_symbols} - set(by_name)
    if missing:
        raise FPTheoryError(f"no domain for {', '.join(sorted(missing))} (--assume)")
    duties = [own_symbols(d, domain.variables)
              for d in (obligations(source) if source is not None else [])]
    for d in duties:
        compile_balls(d, domain.variables, ARB)  # complex or unsupported: a one-line error
    deadline = start + time_limit
    try:
        with guard(time_limit + 1.0):
            for point in _points(domain, samples, seed):
                differ = _differ(lhs, rhs, point, digits)
                why = None if differ else undefined_at([lhs, rhs, *duties], point)
                if differ or why is not None:
                    w = Witness(point, why or "the two sides differ")
                    return IdentityResult(text, Verdict.REFUTED,
                                          f"at an exact point of the domain: {w.why}",
                                          w.decimals(digits), w.exact(),
                                          time.perf_counter() - start)
            cases = _cases(domain)
            equal = manageable(lhs - rhs) and all(
                bounded(lambda c=c: _simplifies_to_zero((lhs - rhs).subs(c)),
                        max(0.1, deadline - time.perf_counter()), False)
                for _, c in cases)
            if not equal:
                return IdentityResult(text, Verdict.SAMPLED,
                                      "sympy could not simplify lhs - rhs to 0 in every sign "
                                      "case; equal at every exact point tried (evidence, not "
                                      "proof)", seconds=time.perf_counter() - start)
            kernel = Kernel(domain.variables, deadline=deadline)
            saved = ctx.prec
            ctx.prec = int(digits * 3.33) + 30
            try:
                why = _defined_everywhere(kernel, [lhs, rhs, *duties],
                                          [domain.intervals[v] for v in domain.variables],
                                          max_boxes, deadline)
            finally:
                ctx.prec = saved
    except (DeadlineExceeded, Budget, _TailOpen):
        return IdentityResult(text, Verdict.UNKNOWN, f"time limit of {time_limit:g} s reached",
                              seconds=time.perf_counter() - start)
    labels = [label for label, _ in cases]
    if why:
        return IdentityResult(text, Verdict.UNKNOWN, f"sympy simplifies lhs - rhs to 0 in every "
                              f"sign case, but {why}", seconds=time.perf_counter() - start,
                              cases=labels)
    return IdentityResult(text, Verdict.PROVED,
                          f"sympy simplifies lhs - rhs to 0 in each of {len(cases)} sign cases "
                          f"({'; '.join(labels)}), and the kernel shows both sides defined on "
                          "the whole domain", seconds=time.perf_counter() - start, cases=labels)

