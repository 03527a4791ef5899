"""What :func:`~fptheory.verify.certify` returns: the verdict, the leaf boxes with the
rule that closed each, the admitted forms, and the certificate (JSON) built from them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import mpmath
import sympy as sp

from fptheory.core.errors import FPTheoryError
from fptheory.core.numbers import decimal_string, to_mpc

from .claims import Verdict, _markdown_text
from .limits import bounded, manageable
from .strip import AS_PRODUCTS, HALF_ANGLES, IN_LOGARITHMS
from .witness import _walked

if TYPE_CHECKING:
    from .witness import Witness

__all__ = ["Leaf", "CertifyResult"]


@dataclass
class Leaf:
    box: dict[str, list[str]]
    rule: str

    def to_dict(self) -> dict[str, Any]:
        return {"box": self.box, "rule": self.rule}


@dataclass
class CertifyResult:
    statement: str
    verdict: Verdict
    domain: dict[str, Any]
    counterexample: dict[str, str] | None = None
    values: dict[str, str] | None = None
    leaves: list[Leaf] = field(default_factory=list)
    boxes: int = 0
    samples: int = 0
    seconds: float = 0.0
    reason: str = ""
    digits: int = 30
    max_depth: int = 2
    original_statement: str = ""  # before a relation's substitution (then statement is after)
    substitution: dict[str, str] = field(default_factory=dict)
    #: on a domain with relations, one entry per box of Domain.without_relations: its
    #: substitution, the substituted statement and box domain, max_depth and its leaves
    pieces: list[dict[str, Any]] = field(default_factory=list)
    #: the rewritten forms the kernel admitted (each with the expression it rewrites and how
    #: their equality was established); recheck establishes each equality again
    forms: list[dict[str, str]] = field(default_factory=list)
    #: the witness of a refutation as exact numbers (p/q, or exact sympy text)
    counterexample_exact: dict[str, str] | None = None
    #: decimal literals of the input and the exact rationals they were read as
    notes: list[str] = field(default_factory=list)
    #: the text the statement was parsed from (its sub-terms must be defined too)
    source: str | None = None
    #: a homogeneous margin's reduction (fptheory.verify.homogeneous): the leaves are then
    #: boxes of the reduced statement, which recheck derives again
    reduction: dict[str, Any] | None = None
    #: a variable eliminated at its critical point (fptheory.verify.eliminate): the leaves
    #: are the pieces' (convexity, the point's range, the reduced statement), each piece's
    #: own in the record, which recheck derives again
    elimination: dict[str, Any] | None = None
    #: a polynomial margin on the whole of ℝⁿ as box pieces on [-1, 1]ⁿ
    #: (fptheory.verify.compactify), each piece's own certificate in the record
    compactified: dict[str, Any] | None = None
    #: a margin that is a sum of one-variable parts (fptheory.verify.separable): the bounds
    #: and each part's certificate; the leaves are the parts'
    separated: dict[str, Any] | None = None
    #: an exact sum-of-squares certificate of a polynomial margin (fptheory.verify.sos):
    #: no leaves
    sos: dict[str, Any] | None = None
    #: both sides under this increasing function (fptheory.verify.strip): the leaves are
    #: boxes of the statement without it, which recheck derives again
    strip: str | None = None
    #: the two variables the margin reads only through their sum, difference or product
    #: (fptheory.verify.combine): the leaves are boxes of the combined statement
    combination: dict[str, Any] | None = None
    #: the variables the margin is even in, each on a side [-a, a]
    #: (fptheory.verify.mirror): the leaves are boxes of the half where they are ≥ 0
    even: list[str] | None = None
    #: the ordered pair x ≤ y of a statement F(y) ⋈ F(x) (fptheory.verify.ordered): the
    #: leaves are boxes of F′'s statement in x alone
    ordered: dict[str, Any] | None = None
    #: the two variables the margin is symmetric in (fptheory.verify.symmetric): the
    #: pieces are those of the half where the first is ≤ the second
    symmetric: list[str] | None = None

    def absorb(self, other: CertifyResult) -> None:
        """Add another search's leaves, counts and admitted forms to this one (a piece of
        the same statement, certified separately)."""
        self.leaves += other.leaves
        self.boxes += other.boxes
        self.samples += other.samples
        self.forms += [f for f in other.forms if f not in self.forms]

    def evidence_text(self) -> str:
        if self.verdict is Verdict.CERTIFIED and self.sos:
            parts = self.sos["parts"]
            shift = self.sos["shift"]
            sizes = ", ".join(str(len(p["basis"])) for p in parts)
            via = "the margin" if shift == "0" else f"the margin minus {shift}"
            multipliers = (f", {len(parts) - 1} of them times products of the domain's "
                           "non-negative end factors" if len(parts) > 1 else "")
            forms = "a Gram form" if len(parts) == 1 else f"a sum of {len(parts)} Gram forms"
            return (f"exact sum of squares: {via} is {forms} mᵀQm (sizes {sizes})"
                    f"{multipliers}, each Q rational and positive semidefinite, the identity "
                    "checked coefficient by coefficient")
        if self.verdict is Verdict.CERTIFIED:
            rules: dict[str, int] = {}
            for leaf in self.leaves:
                kind = leaf.rule.split(" → ")[0].split(":")[0]
                rules[kind] = rules.get(kind, 0) + 1
            via = (" (relations by substitution " + ", ".join(f"{k} = {v}" for k, v in
                                                              self.substitution.items()) + ")"
                   if self.substitution else "")
            tails = sum(1 for leaf in self.leaves
                        if any(e in ("oo", "-oo") for side in leaf.box.values() for e in side))
            tail_text = (f"; {tails} of them reaching ±∞, closed by extended interval arithmetic "
                         "(mpmath.iv)" if tails else "")
            if self.strip:
                via += {IN_LOGARITHMS: " (both sides > 0: compared in logarithms)",
                        AS_PRODUCTS: " (sums of logarithms: compared as products)",
                        HALF_ANGLES: " (roots of 1 ∓ cos u through the half angle)"}.get(
                    self.strip, f" (both sides under {self.strip}: compared without it)")
            if self.combination:
                x, y = self.combination["of"]
                op = {"sum": "+", "difference": "-", "product": "*"}[self.combination["kind"]]
                via += f" (reads {x}, {y} only through {x} {op} {y})"
            if self.symmetric:
                x, y = self.symmetric
                via += f" (symmetric in {x}, {y}: certified where {x} <= {y})"
            if self.even:
                names = ", ".join(self.even)
                via += f" (even in {names}: certified where {names} >= 0)"
            if self.ordered:
                x = self.ordered["low"]
                via += (f" (one function of {x} and of {self.ordered['high']}: its slope's "
                        f"sign certified in {x})")
            if self.reduction:
                scaled = ", ".join(self.reduction["scaled"])
                pieces = self.reduction.get("pieces", [])
                images = sum("image_of" in p for p in pieces)
                to = (f"{len(pieces)} pieces, each with its largest variable = 1"
                      + (f", {images} of them images of another under a permutation of "
                         f"{scaled}" if images else "")
                      if "largest" in self.reduction and len(self.reduction["scaled"]) > 1
                      else f"{self.reduction['scale']} = 1"
                      + (f" and {scaled} = 0" if any("origin" in p for p in pieces) else ""))
                via += (f" (homogeneous of degree {self.reduction['degree']} in {scaled}: "
                        f"reduced to {to})")
            if self.elimination:
                v, c = self.elimination["variable"], self.elimination.get("critical")
                how = (f"at its critical point {v} = {c}, convex in {v}" if c is not None
                       else f"at the ends of its side, concave in {v}")
                via += (f" ({v} eliminated {how}: {len(self.elimination['pieces'])} statements "
                        "certified)")
            if self.separated:
                via += (f" (a sum of one-variable parts: {len(self.separated['pieces'])} "
                        "statements in one variable certified)")
            if self.compactified:
                pieces = self.compactified["pieces"]
                middle = "the middle box and " if pieces and pieces[0]["role"] == "middle" else ""
                via += (f" (a polynomial on the whole space, as {len(pieces)} statements on "
                        f"boxes inside [-1, 1]: {middle}each variable's tail)")
            return (f"arb branch-and-bound: {len(self.leaves)} leaf boxes cover the domain{via} "
                    f"({', '.join(f'{n} by {r}' for r, n in rules.items())}{tail_text}), "
                    f"{self.boxes} boxes processed; {self.samples} samples first found no "
                    "counterexample")
        if self.verdict is Verdict.REFUTED:
            why = f" ({self.reason})" if self.reason else ""
            return (f"counterexample at {self.counterexample}, checked exactly against the "
                    f"statement and every constraint of the domain{why}: {self.values}")
        return self.reason

    def certificate(self) -> dict[str, Any]:
        """The JSON certificate. On a domain with relations: the original statement and
        domain (with "relations") and one piece per substituted box, each with its
        substitution ("u2": "s_u2*(5 - u1) + u1"), substituted statement and domain, and
        leaves; :func:`recheck_certificate` derives the pieces and statements again."""
        if self.pieces:
            out = {"statement": self.original_statement, "domain": self.domain,
                   "verdict": self.verdict.value, "digits": self.digits,
                   "max_depth": self.max_depth, "pieces": self.pieces, "forms": self.forms}
        else:
            out = {"statement": self.statement, "domain": self.domain,
                   "verdict": self.verdict.value, "digits": self.digits,
                   "max_depth": self.max_depth, "forms": self.forms,
                   "leaves": [leaf.to_dict() for leaf in self.leaves]}
            if self.reduction:
                out["reduction"] = self.reduction
                if "largest" in self.reduction:
                    out["leaves"] = []  # (each piece holds its own)
            if self.elimination:
                out["elimination"], out["leaves"] = self.elimination, []
            if self.compactified:
                out["compactified"], out["leaves"] = self.compactified, []
            if self.separated:
                out["separated"], out["leaves"] = self.separated, []
            if self.sos:
                out["sos"], out["leaves"] = self.sos, []
        if self.source is not None:
            out["source"] = self.source
        if self.strip:
            out["strip"] = self.strip
        if self.combination:
            out["combination"] = self.combination
        if self.symmetric:
            out["symmetric"] = self.symmetric
        if self.ordered:
            out["ordered"] = self.ordered
        if self.even:
            out["even"] = self.even
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"statement": self.original_statement or self.statement, "verdict": self.verdict.value,
                "counterexample": self.counterexample,
                "counterexample_exact": self.counterexample_exact, "values": self.values,
                "notes": self.notes,
                "evidence": self.evidence_text(), "boxes": self.boxes,
                "leaves": len(self.leaves), "samples": self.samples,
                "seconds": round(self.seconds, 3), "reason": self.reason}

    def save(self, path: str) -> None:
        with open(path, "w") as fh:
            json.dump(self.certificate(), fh, indent=1)

    def _repr_markdown_(self) -> str:
        """For Jupyter: the verdict, the statement and its domain as math (read back by the
        closed grammar and printed by :func:`sympy.latex`), then the exact counterexample or
        the evidence, and the notes."""
        statement = self.original_statement or self.statement
        typed = (f" (typed as `{self.source.replace('`', chr(39))}`)" if self.source is not None
                 and self.source.replace(" ", "") != statement.replace(" ", "") else "")
        head = (f"**{self.verdict.value}**: {_math(_latex_relation, statement)}{typed}"
                f" for {_math(_latex_domain, self.domain)}")
        if self.verdict is Verdict.REFUTED and self.counterexample_exact:
            why = f" ({_markdown_text(self.reason)})" if self.reason else ""
            body = (f"counterexample, exact: {_math(_latex_point, self.counterexample_exact)}{why}"
                    + (f"; left side {self.values['lhs']}, right side {self.values['rhs']}"
                       if self.values else ""))
        else:
            body = _markdown_text(self.evidence_text())
        return "\n\n".join([head, body, *(_markdown_text(n) for n in self.notes)])


def _math(to_latex: Any, value: Any) -> str:
    """``$to_latex(value)$`` for Markdown; ``value`` as code when it does not parse."""
    try:
        return "$" + to_latex(value) + "$"
    except (FPTheoryError, ValueError, TypeError):
        return "`" + str(value).replace("`", "'") + "`"


def _latex_relation(text: str) -> str:
    """A statement stored as text, read back by the closed grammar, printed by sympy."""
    from fptheory.core.parsing import parse_relation

    return sp.latex(parse_relation(text))


def _latex_point(point: dict[str, str]) -> str:
    """``x = 1/2, y = 2`` as LaTeX: exact numbers read by the closed grammar, sympy-printed."""
    from fptheory.core.parsing import parse_number

    return r",\ ".join(f"{sp.latex(sp.Symbol(name))} = {sp.latex(parse_number(value))}"
                       for name, value in point.items())


def _latex_domain(domain: dict[str, Any]) -> str:
    """A domain's dict (:meth:`Domain.to_dict`, plus "relations") as LaTeX: each variable in
    its :class:`sympy.Interval`, then the relations."""
    from fptheory.core.parsing import parse_number, parse_relation

    parts = []
    for name, spec in domain.items():
        if name == "relations":
            parts += [sp.latex(parse_relation(r)) for r in spec]
        else:
            lo, hi, lo_open, hi_open = spec
            interval = sp.Interval(parse_number(lo), parse_number(hi), lo_open, hi_open)
            parts.append(sp.latex(sp.Symbol(name)) + r" \in " + sp.latex(interval))
    return r",\ ".join(parts)


def _side_values(w: Witness, lhs: sp.Expr, rhs: sp.Expr, digits: int) -> dict[str, str]:
    """Both sides at the witness, to ``digits`` digits: from their walked arb balls at the
    exact point (sympy's exact evaluation may build powers such as x^(10^8/74769708), which
    run for minutes), else sympy's evaluation under a deadline; "not defined" where the
    walk refuses the point and sympy gives no real number."""
    out = {}
    for name, side in (("lhs", lhs), ("rhs", rhs)):
        ball = _walked(side, dict(w.point), digits) if side.free_symbols else None
        if ball is not None and ball.is_finite():
            with mpmath.workdps(digits + 10):
                out[name] = decimal_string(mpmath.mpf(ball.mid().str(digits + 10, radius=False)),
                                           digits)
            continue

        def exact(side: sp.Expr = side) -> str:
            with mpmath.workdps(digits + 10):
                return decimal_string(to_mpc(side.xreplace(w.point), digits).real, digits)
        try:
            out[name] = bounded(exact, 5.0, "not evaluated in time") if manageable(side) \
                else "not evaluated"
        except (ValueError, TypeError, ArithmeticError):
            out[name] = "not defined"
    return out


def report_refutation(result: CertifyResult, w: Witness, lhs: sp.Expr, rhs: sp.Expr,
                      digits: int) -> None:
    """Fill result with the refutation by the exactly checked witness w: the verdict, the
    point (decimals and exact) and both sides' values there."""
    result.verdict = Verdict.REFUTED
    result.counterexample = w.decimals(digits)
    result.counterexample_exact = w.exact()
    result.values = _side_values(w, lhs, rhs, digits)
    result.reason = "" if w.why == "violated" else w.why
