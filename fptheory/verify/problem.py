"""One search problem: the margin, its kernel, its budgets, and the forms proposed for it.

:class:`Problem` is what :func:`~fptheory.verify.search.decide` works on: the margin
g ≥ 0 (> 0) with its variables, the trusted :class:`~fptheory.verify.kernel.Kernel` that
decides, the deadline and the box budget, the state a rule sets while it decides a moved
box (the excluded ends that apply there, a tail read in 1/x, a side read in its root), the
questions already left undecided in the current decision, and which ends of a box are
tight. Its :meth:`Problem.propose` offers rewritten forms of an expression to the kernel,
which admits only those it shows equal."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from fptheory.core.errors import FPTheoryError

from .backends import Interval, Undefined, _infinite
from .kernel import Kernel
from .limits import bounded
from .normalise import normal_forms
from .openends import root_order
from .rewrites import (
    at_infinity_forms,
    collected_trig_forms,
    conjugate_forms,
    factored_forms,
    simpler_derivative,
)
from .splits import Budget
from .squares import coefficient_squares, square_forms

__all__ = ["Problem", "BoxTimeout"]


class BoxTimeout(Exception):
    """One box's decision ran past its share of the time (:attr:`Problem.box_deadline`):
    the search splits the box instead. On a box reaching ±∞ every derivative recurs to the
    deepest level and few rules apply: 15 s went to the box (0, ∞) of a Shafer–Fink bound
    that its halves close in well under a second each."""


#: seconds for sympy's simplify of a derivative: the forms it is for (1 − sech² → tanh²)
#: come within a tenth of that; on IMO 1974/5's four quotients in four variables each of
#: six derivatives spent ~4.7 s of the 5 s then allowed, 28 of 40 s, to no avail
SIMPLIFY_SECONDS = 1.0


@dataclass
class Problem:
    """One margin g ≥ 0 (> 0) on a box domain: the kernel that decides, the budgets, and
    whether the search may propose new forms (``recheck`` replays with the certificate's
    forms only)."""

    g: sp.Expr
    strict: bool
    variables: list[sp.Symbol]
    digits: int
    deadline: float
    max_boxes: int
    max_depth: int = 2
    exact_faces: frozenset[sp.Symbol] = frozenset()
    far: tuple[tuple[sp.Symbol, int], ...] = ()
    propose_forms: bool = True
    #: the domain's excluded finite ends (:mod:`fptheory.verify.openends`)
    excluded: dict[sp.Symbol, tuple[sp.Expr | None, sp.Expr | None]] = field(default_factory=dict)
    #: a point of the domain (for proposals that need one: the dominant exponential)
    centre: dict[sp.Symbol, sp.Expr] = field(default_factory=dict)
    #: sub-terms of the typed statement that must be defined too (a quotient leaf checks
    #: them where its denominator is not 0: :mod:`fptheory.verify.quotients`)
    duties: list[sp.Expr] = field(default_factory=list)
    #: the finite ends of a relation piece's variables (faces there are substituted exactly:
    #: where y = x + s·(hi - x), the face x = hi is a point of the original domain)
    face_ends: dict[sp.Symbol, tuple[sp.Expr, ...]] = field(default_factory=dict)
    boxes: int = 0
    kernel: Kernel = field(init=False)
    _proposed: set[sp.Expr] = field(default_factory=set)
    #: expressions already written over one denominator (:mod:`fptheory.verify.quotients`)
    over_one_denominator: set[sp.Expr] = field(default_factory=set)
    #: the instant after which the current box's decision gives up (:class:`BoxTimeout`)
    box_deadline: float = float("inf")
    #: deciding in a tail read in 1/x (:meth:`inverting`)
    inverted: bool = False
    #: deciding on a side read in the square root at an end (:meth:`rooting`)
    #: the variables whose sides are read in their roots at an end (each once)
    rooted: frozenset = frozenset()
    #: (expr, box, strict, excluded ends) → the least depth it was left undecided at
    undecided: dict[tuple[Any, ...], int] = field(default_factory=dict)
    #: a relation's piece: the original margin and the substitution that gives g
    #: (y = x + s·(b - x)); forms of the original, substituted, are forms of g
    original: tuple[sp.Expr, dict[sp.Symbol, sp.Expr]] | None = None
    #: expr → the index of the variable in which it was last shown monotone on a box: tried
    #: first on the next box (:meth:`monotone_order`)
    monotone_hint: dict[sp.Expr, int] = field(default_factory=dict)
    #: expr → its pairs of variables (v, w) with the v-slope 0 at v = w (:mod:`.tangent`)
    tangents: dict[sp.Expr, list[tuple[int, int]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.kernel = Kernel(list(self.variables), frozenset(self.exact_faces), self.deadline,
                             dict(self.face_ends))

    @contextmanager
    def excluding(self, excluded: dict) -> Iterator[None]:
        """Decide with these excluded ends (on a side moved to infinity, the moved
        variable's no longer apply: :func:`~fptheory.verify.openends.moved_past`)."""
        saved, self.excluded = self.excluded, dict(excluded)
        try:
            yield
        finally:
            self.excluded = saved

    def inverting(self) -> AbstractContextManager[None]:
        """Decide in a tail read in 1/x: no tail is inverted again."""
        return self._marking("inverted")

    @contextmanager
    def rooting(self, v: sp.Symbol) -> Iterator[None]:
        """Decide on v's side read in its square root at an end: v's side is not read so
        again (t = 0 would be moved to t = s², and so on); another variable's may be (both
        ends of a corner where two roots lose their slope, 1 + u^(1/3) + v^(1/3) >
        (1 + u + v)^(1/3) at u = v = 0)."""
        saved = self.rooted
        self.rooted = saved | {v}
        try:
            yield
        finally:
            self.rooted = saved

    @contextmanager
    def _marking(self, flag: str) -> Iterator[None]:
        saved = getattr(self, flag)
        setattr(self, flag, True)
        try:
            yield
        finally:
            setattr(self, flag, saved)

    def tight_ends(self, expr: sp.Expr, box: Sequence[Interval], i: int
                   ) -> list[tuple[str, bool]]:
        """The ends of the i-th side where expr's enclosure on that face reaches 0 or is not
        defined, each with whether it is the domain's excluded end: there the expansion at
        the end may close what the centre's cannot, and only there is an open end worth
        moving."""
        v = self.variables[i]
        low_ex, high_ex = self.excluded.get(v, (None, None))
        out = []
        for end, at, ex in (("low", box[i][0], low_ex), ("high", box[i][1], high_ex)):
            face = [(lo, hi) if j != i else (at, at) for j, (lo, hi) in enumerate(box)]
            try:
                tight = not self.kernel.enclose(expr, face) > 0
            except (Undefined, FPTheoryError, ValueError, ArithmeticError):
                tight = True
            if tight:
                out.append((end, ex is not None and ex == at))
        return out

    def singular_ends(self, expr: sp.Expr, box: Sequence[Interval]
                      ) -> list[tuple[sp.Symbol, str]]:
        """The (variable, side) ends of bounded sides where expr is tight
        (:meth:`tight_ends`) and not shown C¹ on the box, with a root or asin/acos of that
        variable that may be why: there :func:`~fptheory.verify.openends.root_end` may give
        it a slope. A variable already read so (:meth:`rooting`) is not read again."""
        out = []
        for i, (lo, hi) in enumerate(box):
            v = self.variables[i]
            if (v in self.rooted or lo == hi or _infinite(lo) or _infinite(hi)
                    or root_order(expr, v) is None):
                continue
            ends = self.tight_ends(expr, box, i)
            if ends and not self.kernel.c1(expr, v, box):
                out.extend((v, end) for end, _ in ends)
        return out

    def monotone_order(self, expr: sp.Expr, box: Sequence[Interval]) -> list[int]:
        """The box's sides in the order the monotone rule tries them: the variable in which
        expr was last shown monotone first (a box's children are mostly monotone in the
        variable their parent was: on Flyspeck's dihedral minimum, monotone in x4 only, the
        failed attempts in x1, x2, x3 before it were three fifths of the search), then the
        others in order. The order changes which proof is found, never what is proved."""
        order = list(range(len(box)))
        hint = self.monotone_hint.get(expr)
        if hint is not None and hint < len(order):
            order.remove(hint)
            order.insert(0, hint)
        return order

    def forget(self) -> None:
        """Start a new decision of the search: :func:`decide` asks every question again."""
        self.undecided.clear()

    def seconds_left(self) -> float:
        return self.deadline - time.perf_counter()

    def propose(self, expr: sp.Expr, *, derivative: bool = False, squares: bool = False) -> None:
        """Offer the kernel rewritten forms of expr (once per expression); ``squares``: its
        completed squares too, as for the margin itself (a case of a kinked margin)."""
        if not self.propose_forms:
            return
        if expr in self._proposed:
            return
        self._proposed.add(expr)
        seconds = max(0.0, min(5.0, self.seconds_left()))
        if seconds <= 0:
            return
        candidates = factored_forms(expr, seconds, slope=derivative)
        if self.far:
            candidates += at_infinity_forms(expr, self.far, seconds)
        if derivative:
            candidates += simpler_derivative(expr, min(seconds, SIMPLIFY_SECONDS))
        if expr == self.g and self.centre:
            candidates += normal_forms(expr, self.centre, seconds)
        if expr == self.g or squares:
            candidates += square_forms(expr, self.variables, seconds)
        if expr == self.g:
            squared = bounded(lambda: coefficient_squares(expr, self.variables), seconds, None)
            if squared is not None:
                candidates.append(squared)
            candidates += conjugate_forms(expr, seconds)
            candidates += collected_trig_forms(expr, seconds)
            if self.original is not None:
                # x⁴ + y⁴ - x³y - xy³ = (x - y)²((x + y/2)² + 3y²/4) read on x ≤ y: in x and
                # s its quadratic factor is of degree 4 and no longer completes
                original, back = self.original
                candidates += [f.xreplace(back) for f in square_forms(
                    original, sorted(original.free_symbols, key=str), seconds)]
        for form in candidates:
            if not form.has(sp.nan, sp.zoo, sp.oo, -sp.oo, sp.Float):
                self.kernel.admit(expr, form, seconds)

    def derivative(self, expr: sp.Expr, v: sp.Symbol) -> sp.Expr:
        d = self.kernel.derivative(expr, v)
        self.propose(d, derivative=True)
        return d

    def tick(self) -> None:
        self.boxes += 1
        if self.boxes > self.max_boxes:
            raise Budget(f"box budget of {self.max_boxes} exhausted")
        now = time.perf_counter()
        if now > self.deadline:
            raise Budget("time budget exhausted")
        if now > self.box_deadline:
            raise BoxTimeout()

    def admitted_forms(self) -> list[dict[str, str]]:
        return [{"of": sp.sstr(of), "form": sp.sstr(f), "equal_by": how}
                for of, forms in self.kernel.forms.items() for f, how in forms]
