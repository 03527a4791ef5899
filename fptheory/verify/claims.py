r"""Claims of the chapter, their verdicts and the evidence behind each.

A proof-check script declares claims with the :func:`claim` decorator, like pytest
declares tests. The decorated function returns an :class:`Assessment` of the text's
statement, or a pair ``(text, corrected)`` when the text is wrong or loose: the
corrected form is what is expected to hold.

Verdicts, strongest first: ``proved`` (symbolic), ``certified`` (interval arithmetic
over the whole domain), ``sampled`` (high-precision evaluation at finitely many points:
evidence, not proof), ``refuted`` (counterexample evaluated at ≥ 30 digits),
``unknown`` (with the reason).

:func:`assess_identity` is the workhorse for identities: sympy simplification (with
sign cases for real parameters) proves; otherwise evaluation at 30+ digits either
finds a counterexample or gives a sampled verdict.

>>> x = sp.Symbol("x", real=True)
>>> assess_identity(sp.sin(x) ** 2 + sp.cos(x) ** 2, sp.Integer(1), r"\sin^2+\cos^2=1").verdict
<Verdict.PROVED: 'proved'>
>>> a = assess_identity(sp.exp(x), 1 + x, r"e^x = 1 + x", samples={x: [0, 1]})
>>> a.verdict, a.counterexample["point"]
(<Verdict.REFUTED: 'refuted'>, {'x': '1'})
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import mpmath
import sympy as sp

from fptheory.core.cache import simplified
from fptheory.core.derivation import Derivation, Step
from fptheory.core.numbers import decimal_string, to_mpc
from fptheory.core.signs import sign_cases, sign_sensitive_symbols

__all__ = [
    "Verdict",
    "Evidence",
    "Assessment",
    "ClaimResult",
    "claim",
    "failed_claim",
    "assess_identity",
    "proved",
    "refuted",
    "unknown",
    "HOLDS",
    "Formula",
]

DIGITS = 30


class Verdict(str, Enum):
    PROVED = "proved"
    CERTIFIED = "certified"
    SAMPLED = "sampled"
    REFUTED = "refuted"
    UNKNOWN = "unknown"


HOLDS = (Verdict.PROVED, Verdict.CERTIFIED)


def _markdown_text(text: Any) -> str:
    """Prose for a ``_repr_markdown_``: Markdown's and math's special characters escaped."""
    return "".join("\\" + ch if ch in "\\`*_[]<>$|#" else ch for ch in str(text))


@dataclass
class Evidence:
    """One piece of evidence: ``kind`` in symbolic | numeric | counterexample | reason."""

    kind: str
    text: str
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "data": self.data}


@dataclass(frozen=True)
class Formula:
    """A named sympy object of a claim (the text's form, the derived form, a constant),
    kept as the object so that renderers (:mod:`fptheory.report.latex`) print it from sympy."""

    name: str
    expr: sp.Basic

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "expr": str(self.expr), "latex": sp.latex(self.expr)}


@dataclass
class Assessment:
    """A statement (LaTeX, and the machine form) with its verdict and evidence.

    Optional sympy objects behind it, used by :mod:`fptheory.report.latex`: ``relation`` is
    the machine statement as a sympy relation (``Eq(lhs, rhs)``, set by
    :func:`assess_identity`), ``formulas`` the named objects a reader needs (the text's
    form, the derived form, constants; add them with :meth:`with_formula`) and
    ``derivation`` the steps that produced the derived form (:meth:`with_derivation`).
    """

    statement: str
    verdict: Verdict
    evidence: list[Evidence] = field(default_factory=list)
    machine: str = ""
    counterexample: dict[str, Any] | None = None
    relation: sp.Basic | None = None
    formulas: list[Formula] = field(default_factory=list)
    derivation: Derivation | None = None

    def with_formula(self, name: str, expr: Any) -> Assessment:
        """Attach a named sympy object (sympified); returns ``self`` so calls chain.

        >>> x = sp.Symbol("x")
        >>> a = proved("x = x", "trivial").with_formula("the square", x**2)
        >>> a.formulas[0].expr
        x**2
        """
        self.formulas.append(Formula(name, sp.sympify(expr)))
        return self

    def with_derivation(self, derivation: Derivation | Iterable[Step]) -> Assessment:
        """Attach derivation steps (appended to any already attached); returns ``self``."""
        steps = derivation.steps if isinstance(derivation, Derivation) else list(derivation)
        if self.derivation is None:
            self.derivation = Derivation()
        self.derivation.steps.extend(steps)
        return self

    def summary(self) -> str:
        if self.counterexample:
            c = self.counterexample
            point = ", ".join(f"{k}={v}" for k, v in c["point"].items())
            return f"counterexample at {point}: {c['lhs']} vs {c['rhs']}"
        return self.evidence[0].text if self.evidence else ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "statement": self.statement,
            "machine": self.machine,
            "verdict": self.verdict.value,
            "evidence": [e.to_dict() for e in self.evidence],
            "counterexample": self.counterexample,
            "relation_latex": None if self.relation is None else sp.latex(self.relation),
            "formulas": [f.to_dict() for f in self.formulas],
            "derivation": [] if self.derivation is None else self.derivation.to_list(),
        }

    def _repr_latex_(self) -> str:
        r"""For Jupyter: the statement (its author's LaTeX) with the verdict and, when set, the
        relation that was checked, printed by :func:`sympy.latex`.

        >>> x = sp.Symbol("x", real=True)
        >>> print(assess_identity(sp.sin(2 * x), 2 * sp.sin(x) * sp.cos(x), r"\sin 2x")._repr_latex_())
        $$\begin{gathered}\sin 2x \qquad \textbf{proved}\\ \text{checked as: } \sin{\left(2 x \right)} = ...
        """
        head = self.statement + r" \qquad \textbf{" + self.verdict.value + "}"
        if self.relation is None:
            return "$$" + head + "$$"
        return (r"$$\begin{gathered}" + head + r"\\ \text{checked as: } " + sp.latex(self.relation)
                + r"\end{gathered}$$")

    def _markdown_line(self) -> str:
        """One Markdown line: the statement as math, the verdict, the evidence's summary."""
        summary = self.summary()
        return (f"${self.statement}$ — **{self.verdict.value}**"
                + (f": {_markdown_text(summary)}" if summary else ""))


@dataclass
class ClaimResult:
    """A claim as checked: the text's form and, for errata, the corrected form."""

    label: str
    title: str
    text: Assessment
    corrected: Assessment | None = None
    convention: str = ""
    note: str = ""
    seconds: float = 0.0
    source: str = ""
    expected: str = "proved"

    @property
    def final(self) -> Assessment:
        return self.corrected if self.corrected is not None else self.text

    @property
    def holds(self) -> bool:
        """The form expected to hold (corrected if any) is proved or certified."""
        return self.final.verdict in HOLDS

    @property
    def established(self) -> bool:
        """The claim reached the strength it declares: proved/certified, or, for a claim
        declared ``expected="sampled"`` (evidence the toolkit cannot turn into a proof),
        sampled. Listed separately everywhere; never counted as holding."""
        return self.holds or (self.expected == "sampled"
                              and self.final.verdict is Verdict.SAMPLED)

    @property
    def is_erratum(self) -> bool:
        return self.corrected is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "title": self.title,
            "convention": self.convention,
            "text": self.text.to_dict(),
            "corrected": None if self.corrected is None else self.corrected.to_dict(),
            "holds": self.holds,
            "expected": self.expected,
            "established": self.established,
            "erratum": self.is_erratum,
            "note": self.note,
            "seconds": round(self.seconds, 3),
            "source": self.source,
        }

    def _repr_markdown_(self) -> str:
        """For Jupyter: label and title, then the text's form and the corrected form, each as
        math with its verdict and evidence (:meth:`Assessment._repr_latex_` shows one alone)."""
        status = ("holds" if self.holds else "sampled as declared" if self.established
                  else "not established")
        lines = [f"**({_markdown_text(self.label)}) {_markdown_text(self.title)}** — {status}", ""]
        if self.corrected is None:
            lines.append(f"- {self.text._markdown_line()}")
        else:
            lines += [f"- the text: {self.text._markdown_line()}",
                      f"- corrected: {self.corrected._markdown_line()}"]
        if self.note:
            lines.append(f"- note: {_markdown_text(self.note)}")
        return "\n".join(lines)


ClaimFunction = Callable[[], "Assessment | tuple[Assessment, Assessment]"]


def claim(label: str, title: str, *, convention: str = "", note: str = "",
          expected: str = "proved") -> Callable:
    """Declare a claim: the function returns the text's assessment, or (text, corrected).

    ``expected`` is the strength the claim must reach: ``"proved"`` (proved or certified,
    the default) or ``"sampled"`` for a statement whose argument has steps the toolkit
    cannot machine-check; such a claim's sampled verdict is reported as sampled, never as
    holding, but does not fail ``fptheory check``.
    """
    if expected not in ("proved", "sampled"):
        raise ValueError(f"expected must be 'proved' or 'sampled', got {expected!r}")

    def decorate(fn: ClaimFunction) -> ClaimFunction:
        fn._fptheory_claim = {  # type: ignore[attr-defined]
            "label": label, "title": title, "convention": convention, "note": note,
            "expected": expected,
        }
        return fn

    return decorate


def run_claim(fn: ClaimFunction, source: str = "") -> ClaimResult:
    """Run one declared claim; an exception becomes an ``unknown`` verdict with its reason."""
    meta = fn._fptheory_claim  # type: ignore[attr-defined]
    start = time.perf_counter()
    try:
        out = fn()
        text, corrected = out if isinstance(out, tuple) and len(out) == 2 else (out, None)
        if not isinstance(text, Assessment) or not isinstance(corrected, (Assessment, type(None))):
            shown = " ".join(repr(out).split())
            shown = shown if len(shown) <= 60 else shown[:59] + "…"
            text, corrected = unknown(meta["title"], f"check returned {shown} ({type(out).__name__}), "
                                      "not an Assessment or (text, corrected)"), None
    except Exception as exc:  # a failing check must be reported, not crash the run
        text, corrected = unknown(meta["title"], f"check raised {type(exc).__name__}: {exc}"), None
    except SystemExit as exc:  # sys.exit() in a check: the check failed, the run goes on
        text, corrected = unknown(meta["title"], f"check called sys.exit({exc.code!r})"), None
    return failed_claim(fn, source, "", text, corrected, time.perf_counter() - start)


def failed_claim(fn: ClaimFunction, source: str, reason: str, text: Assessment | None = None,
                 corrected: Assessment | None = None, seconds: float = 0.0) -> ClaimResult:
    """The result of ``fn`` as an ``unknown`` verdict with ``reason`` (a claim whose run
    failed: its process died, say); with ``text`` given, that result instead."""
    meta = fn._fptheory_claim  # type: ignore[attr-defined]
    text = text if text is not None else unknown(meta["title"], reason)
    return ClaimResult(
        meta["label"], meta["title"], text, corrected, meta["convention"], meta["note"],
        seconds, source, meta.get("expected", "proved"),
    )


# ---------------------------------------------------------------------------------------
# building assessments


def proved(statement: str, why: str, machine: str = "", **data: Any) -> Assessment:
    return Assessment(statement, Verdict.PROVED, [Evidence("symbolic", why, dict(data))], machine)


def refuted(statement: str, why: str, point: Mapping[str, Any], lhs: Any, rhs: Any,
            machine: str = "") -> Assessment:
    ce = {"point": {str(k): str(v) for k, v in point.items()}, "lhs": str(lhs), "rhs": str(rhs),
          "digits": DIGITS}
    return Assessment(statement, Verdict.REFUTED, [Evidence("counterexample", why, ce)], machine,
                      ce)


def unknown(statement: str, reason: str) -> Assessment:
    return Assessment(statement, Verdict.UNKNOWN, [Evidence("reason", reason)])


def _simplifies_to_zero(expr: sp.Expr) -> bool:
    """Whether sympy's simplify takes ``expr`` (or its exponential forms) to 0. Each
    simplification is remembered on disk (:func:`fptheory.core.cache.simplified`: keyed by the
    exact expression, the library source and the versions, re-derived and compared by a test),
    so a claim re-run after an edit elsewhere in its script reads its sign cases back."""
    for attempt in (lambda e: simplified(e), lambda e: simplified(e.rewrite(sp.exp)),
                    lambda e: simplified(sp.expand_complex(e.rewrite(sp.exp)))):
        try:
            if attempt(expr) == 0:
                return True
        except (NotImplementedError, ValueError, TypeError, RecursionError):
            continue
    return False


def _case_holds(lhs: sp.Expr, rhs: sp.Expr, case: Mapping[sp.Symbol, sp.Expr]) -> bool:
    """lhs = rhs in one sign case. In a case that sets a parameter to 0, both sides are
    evaluated there first: both undefined (an identity between functions of w ≠ 0, such as
    2π/|w| forms, says nothing at w = 0) passes; one side undefined, or a nonzero
    difference, fails (sign(x)² = 1 is false at 0)."""
    zeroed = [s for s, v in case.items() if v == 0]
    if zeroed:
        left, right = _substituted(lhs, case), _substituted(rhs, case)
        bad_left, bad_right = left is None or _undefined(left), right is None or _undefined(right)
        if bad_left and bad_right:
            return True
        if bad_left or bad_right:
            return False
        return _simplifies_to_zero(left - right)
    return _simplifies_to_zero((lhs - rhs).subs(case))


def _identity_cases(difference: sp.Expr, symbols: list[sp.Symbol]
                    ) -> tuple[list[dict[sp.Symbol, sp.Expr]], list[sp.Symbol]]:
    """The cases an identity is simplified in: < 0, = 0 and > 0 for each symbol whose sign
    changes how the difference simplifies (:func:`~fptheory.core.signs.sign_sensitive_symbols`),
    and for each other symbol = 0 (where a cancelled s/s may hide an undefined side) and
    any other real value (left symbolic; positive in a case that sets another symbol to 0,
    so that sympy sees a side undefined there); and the latter symbols. Fewer cases than a sign
    split of every symbol: the m = 2 sum of (1.3) has 3²·2⁵ = 288 instead of 3⁷ = 2187."""
    sensitive_set = sign_sensitive_symbols(difference)
    sensitive = [s for s in symbols if s in sensitive_set]
    blind = [s for s in symbols if s not in sensitive and s.is_zero is None]
    positive = {s: sp.Symbol(s.name, positive=True) for s in blind}
    cases = []
    for sign_case in sign_cases(sensitive, with_zero=True):
        for zeros in itertools.product((False, True), repeat=len(blind)):
            case = sign_case.substitution | {s: sp.S.Zero for s, zero in zip(blind, zeros,
                                                                              strict=True) if zero}
            if any(v == 0 for v in case.values()):
                # where a side is undefined at the zero, sympy must see it: 0·csch(πk/0) is 0
                # for a symbolic k but nan for a positive one (both stand for every k ≠ 0)
                case |= {s: positive[s] for s in blind if s not in case}
            cases.append(case)
    return cases, blind


def _substituted(e: sp.Expr, case: Mapping[sp.Symbol, sp.Expr]) -> sp.Expr | None:
    """``e`` in the case, None where sympy cannot even build it there (a NaN compared while
    coth(0)·… is being simplified on construction, say): undefined."""
    try:
        return e.subs(case)
    except (TypeError, ValueError, ZeroDivisionError):
        return None


def _undefined(e: sp.Expr) -> bool:
    return bool(e.has(sp.nan, sp.zoo, sp.oo, -sp.oo, sp.AccumBounds))


def _mp_str(z: mpmath.mpc) -> str:
    if z.imag == 0:
        return decimal_string(z.real, DIGITS)
    imag = decimal_string(z.imag, DIGITS)  # sign handled on the string: no mpf arithmetic
    sign, digits = ("-", imag[1:]) if imag.startswith("-") else ("+", imag)
    return f"{decimal_string(z.real, DIGITS)} {sign} {digits}*I"


def assess_identity(
    lhs: sp.Expr,
    rhs: sp.Expr,
    statement: str,
    *,
    samples: Mapping[sp.Symbol, Iterable[Any]] | None = None,
    sign_split: bool = True,
) -> Assessment:
    """Verdict on ``lhs == rhs`` for all real values of the free symbols.

    1. Evaluation at 30 digits at the first few points of the sample grid (default: a few
       nonzero values of each symbol, both signs): a relative difference above 1e-25 is a
       counterexample (``refuted``) before any simplification is tried.
    2. sympy simplification of lhs - rhs in every case: < 0, = 0 and > 0 for each symbol
       whose sign can change how it simplifies (so |w|, sign(k) resolve), = 0 and left
       symbolic for each other one (:func:`_identity_cases`): ``proved``.
    3. Otherwise the rest of the grid, as in 1; no difference gives ``sampled`` with the
       point count.

    The result's ``relation`` is the unevaluated ``Eq(lhs, rhs)`` that was checked, so
    renderers print the machine statement from sympy.
    """
    lhs, rhs = sp.sympify(lhs), sp.sympify(rhs)
    assessment = _assess_identity(lhs, rhs, statement, samples, sign_split)
    assessment.relation = sp.Eq(lhs, rhs, evaluate=False)
    return assessment


def _assess_identity(lhs: sp.Expr, rhs: sp.Expr, statement: str,
                     samples: Mapping[sp.Symbol, Iterable[Any]] | None,
                     sign_split: bool) -> Assessment:
    machine = f"Eq({lhs}, {rhs})"
    symbols = sorted((lhs - rhs).free_symbols, key=lambda s: s.name)
    grid = samples or {s: ([sp.Rational(7, 10), sp.Rational(-13, 10), 3]
                           if not s.is_positive else [sp.Rational(7, 10), sp.Rational(13, 10), 3])
                       for s in symbols}
    names = list(grid)
    points = (dict(zip(names, (sp.sympify(v) for v in values), strict=True))
              for values in itertools.product(*(grid[s] for s in names)))
    # a few points before simplifying: a false identity is refuted at once instead of after
    # every simplification attempt has failed (seconds each on the transforms' closed forms)
    early = _first_difference(lhs, rhs, itertools.islice(points, EARLY_POINTS))
    if isinstance(early, tuple):
        return _refuted_at(statement, machine, *early)
    cases, blind = _identity_cases(lhs - rhs, symbols) if sign_split else ([{}], [])
    if all(_case_holds(lhs, rhs, c) for c in cases):
        n = len(cases)
        rest = (f"; = 0 or left symbolic for {', '.join(map(str, blind))}, whose sign cannot "
                "change the simplification" if blind else "")
        why = "sympy simplifies lhs - rhs to 0" + (f" in each of {n} sign cases (< 0, = 0, > 0"
                                                   f"{rest})" if n > 1 else "")
        return proved(statement, why, machine)
    late = _first_difference(lhs, rhs, points)
    if isinstance(late, tuple):
        return _refuted_at(statement, machine, *late)
    count = early + late
    if count == 0:
        return unknown(statement, "no sample point could be evaluated")
    return Assessment(
        statement, Verdict.SAMPLED,
        [Evidence("numeric", f"sympy could not simplify lhs - rhs to 0; equal at {count} points "
                  f"to 25 digits (evidence, not proof)", {"points": count, "digits": DIGITS})],
        machine,
    )


#: Sample points an identity is evaluated at before any simplification is tried.
EARLY_POINTS = 3


def _first_difference(lhs: sp.Expr, rhs: sp.Expr, points: Iterable[dict[sp.Symbol, sp.Expr]]
                      ) -> int | tuple[dict[sp.Symbol, sp.Expr], mpmath.mpc, mpmath.mpc]:
    """The first point where the sides differ (relatively) by more than 1e-25 at 30 digits,
    with both values; else how many points both sides could be evaluated at."""
    count = 0
    for point in points:
        try:
            left = to_mpc(lhs.subs(point), DIGITS + 10)
            right = to_mpc(rhs.subs(point), DIGITS + 10)
        except (ValueError, TypeError, ZeroDivisionError):
            continue
        count += 1
        with mpmath.workdps(DIGITS + 10):
            scale = max(mpmath.mpf(1), abs(left), abs(right))
            if abs(left - right) > mpmath.mpf(10) ** -25 * scale:
                return point, left, right
    return count


def _refuted_at(statement: str, machine: str, point: dict[sp.Symbol, sp.Expr],
                left: mpmath.mpc, right: mpmath.mpc) -> Assessment:
    return refuted(statement, "the two sides differ at a point (evaluated at 30 digits)",
                   {s.name: v for s, v in point.items()}, _mp_str(left), _mp_str(right), machine)
