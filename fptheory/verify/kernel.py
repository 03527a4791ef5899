r"""The trusted kernel: the only code that says "this box is closed".

The search (:mod:`fptheory.verify.search`) may be as clever as it likes — presplits at
critical points sympy finds, factored and rewritten forms, simplified derivatives — but it
only *proposes*. A box is closed for ``g ≥ 0`` (``g > 0`` when strict) only by one of these
judgements, each made here:

``interval``
    The expression at this level (the statement's margin ``g`` itself, with its exact
    constants and no simplification; or, under a monotone rule, a face of it or the raw
    derivative ``sp.diff``) passes the **definedness walk** on the box — every sub-term's
    enclosure is a valid enclosure of real, finite values and every function's argument lies
    where the function is real (:func:`~fptheory.verify.backends.compile_balls` with
    ``checked=True``) — and the enclosure of the expression, or of an *admitted form* of it,
    has the required sign. A form is admitted only when its equality with the expression is
    established exactly (:meth:`Kernel.admit`), and it must pass the walk too, so the two
    agree on the whole box.
``monotone``
    The expression is C¹ on the box (:meth:`Kernel.c1`: the walk of the expression and of
    its unsimplified derivative ``sp.diff`` pass, and every function with a jump or a kink —
    sign, Heaviside, Abs, Max, Min — has its argument enclosure away from the jump), and the
    sign of the derivative is itself closed by these judgements. Then the minimum over the box
    lies on one face, which is closed next.
``centered``
    The mean-value form: expr is C¹ on the box and expr(c) + Σ ∂expr/∂x_i(X)·(X_i - c_i),
    with the derivatives' walked enclosures, has the sign (:meth:`Kernel.centered`).
``taylor n in v``
    Taylor's theorem with the Lagrange remainder in the variable v, of degree n
    (:mod:`fptheory.verify.taylor`): expr is analytic on the box (every operation guarded on
    its argument's enclosure) and Σ_{k<n} a_k S^k + R_n S^n, with the coefficients at the
    centre and the remainder's over the whole box enclosed by ball arithmetic on power
    series, has the sign (:meth:`Kernel.taylor`). It closes a polynomial approximation
    minus its function, where the terms cancel to 10^-8 and below.
``taylor n in v at its low end`` (``high end``)
    The same expansion at that end z of v's side: expr = S^m·Q(S), S = v − z, where the
    first m coefficients are exactly 0 (a ball 0, or the k-th raw derivative shown 0 at z as
    ``exact zero`` does, identically in the sides that vary); s·Q ≥ 0 on the side, s = 1 at
    the low end and (−1)^m at the high end, closes expr ≥ 0; expr > 0 needs s·Q > 0 and
    m = 0 or z the domain's excluded end. It closes bounds tight at an end to any order: the numerator
    sin³x − x³·cos x = x⁷/15 + O(x⁹) of (sin x/x)³ > cos x on 0 < x < π/2.
``affine``
    The affine form (a first-order Taylor model, :mod:`fptheory.verify.affine`: every
    sub-term c + Σ a_i ε_i ± e, every function expanded at its argument's exact centre with
    the Lagrange remainder over, and guarded on, the argument's range) has the sign
    (:meth:`Kernel.affine`); its error falls like width². Its chain rule gives slopes too.
``quadratic``
    The same with a second-order Taylor model (:mod:`fptheory.verify.quadratic`; error ~ width³)
    or, where it does not close, a third-order one (:mod:`fptheory.verify.cubic`; ~ width⁴).
``second order at corner k``
    An isolated zero where the bound is tight (Motzkin's polynomial at (1, 1)): at the box's
    corner z (bit i of k set: the upper end of the i-th side that varies), expr(z) = 0 and
    every ∂expr/∂x_i(z) = 0 exactly (sympy, under the deadline), expr is C² on the box, and
    every matrix in the walked enclosure of its Hessian is positive semidefinite (Gershgorin,
    or Sylvester's minors in 2–3 variables; :meth:`Kernel.second_order`); by Taylor's theorem
    on the convex box, expr(x) = ½ (x - z)ᵀ H(ξ) (x - z) ≥ 0.
``sign off excluded ends``
    The expression passes the walk on the closed box, and it or an admitted form is > 0 on
    the box less the domain's excluded ends by the signs of its parts
    (:meth:`Kernel.open_sign`, :mod:`fptheory.verify.signs`): x²/(x + y) on (0, 1]².
``interval off excluded ends``
    The open walk (:mod:`fptheory.verify.openwalk`) on a box touching an excluded end: a
    logarithm or power with a pole there passes where its argument is shown > 0 (≠ 0 for a
    divisor) on the box less those ends by the signs of its parts, with its enclosure over
    those points only (log of (0, s] in [-∞, log s]); the enclosure of expr, or of an
    admitted form, has the sign: -log(sin(x/2)) + … on (0, ε] (:meth:`Kernel.open_interval`).
``point`` / ``exact zero``
    On an exact point: the walk passes at four times the precision and the enclosure has
    the sign; or sympy proves the value exactly 0 (``simplify``, under a deadline) and the
    walk shows it defined there.

The definedness walk itself may tighten a guarded argument (a divisor, a root's or
logarithm's argument) whose walked enclosure fails its test, and every polynomial sum of
degree ≥ 2 in several variables, by intersecting the walked ball with the sub-term's
second-order Taylor form over the box (:func:`~fptheory.verify.taylor.refined_enclosure`):
both enclose the sub-term, so their intersection does.

A relation's substitution variable fixed on a face (``s = 0``, i.e. ``y = x``), and any
variable on a face at one of its domain's ends, may be
substituted exactly (sympy's ``subs`` at the exact value), and there 0 stands for an
expression shown identically 0 (:mod:`fptheory.verify.faces`): the original must still pass
the walk on that face.

Certificates list the admitted forms; ``recheck`` admits them again (the equality is
re-established, never trusted) and replays these judgements.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import sympy as sp
from flint import arb, ctx

from fptheory.core.errors import FPTheoryError

from .affine import affine_low, affine_slopes
from .backends import (
    ARB,
    Interval,
    Undefined,
    _infinite,
    compile_balls,
)
from .balls import corner_point, exact_ball, rounding_short, semidefinite_balls, side_ball, strictly_above
from .cubic import taylor_model_low
from .equality import exactly_equal, zero_at
from .exactseries import taylor_coefficient
from .extended import EXTENDED, HornerRefinement, iv_enclosure
from .faces import FaceCache, face_candidates
from .kinks import KINKED, smooth_where_defined
from .openends import Excluded
from .openwalk import open_interval
from .sharing import distinct_preorder
from .signs import sign_by_parts
from .taylor import (
    compile_series,
    partial_enclosures,
    refined_enclosure,
    taylor_at_end,
    taylor_enclosure,
)

__all__ = ["Kernel", "exactly_equal", "KINKED"]

#: the sign of a larger product or sum is judged by its enclosure alone: the judgement by
#: parts encloses every sub-term again (a cost of the tree's size times its depth) and pays
#: on small normal forms such as e^{-62}·[0.8, 1], not on long polynomials
MAX_SIGN_NODES = 150


@dataclass
class Kernel:
    """The judgements of the module docstring, for one list of variables.

    ``exact_faces`` are the variables that may be substituted exactly on a face (a
    relation's substitution variable), ``face_ends`` the values (a domain's ends) at
    which a face of any variable may be; ``deadline`` is a ``time.perf_counter()`` instant
    after which no sympy step starts."""

    variables: list[sp.Symbol]
    exact_faces: frozenset[sp.Symbol] = frozenset()
    deadline: float = float("inf")
    #: a variable's ends in the domain (few: faces there are worth substituting exactly)
    face_ends: dict[sp.Symbol, tuple[sp.Expr, ...]] = field(default_factory=dict)
    #: admitted forms: an expression → [(form, how the equality was established)]
    forms: dict[sp.Expr, list[tuple[sp.Expr, str]]] = field(default_factory=dict)
    #: (recheck) a certificate's forms by the text of their expression: offered, through
    #: :meth:`admit`, to the expression met under that text
    by_text: dict[str, list[sp.Expr]] = field(default_factory=dict)
    _compiled: dict[tuple[Any, ...], Any] = field(default_factory=dict)  # (walks, open walks)
    _derivatives: dict[tuple[sp.Expr, sp.Symbol], sp.Expr] = field(default_factory=dict)
    _refused: set[tuple[sp.Expr, sp.Expr]] = field(default_factory=set)
    _zeros: dict[tuple[sp.Expr, tuple[sp.Expr, ...]], bool] = field(default_factory=dict)
    faces: FaceCache = field(default_factory=FaceCache)
    _sizes: dict[sp.Expr, int] = field(default_factory=dict)
    _partials: dict[tuple[Any, ...], list[Any] | None] = field(default_factory=dict)
    _walks: dict[tuple[Any, ...], tuple[bool, Exception | None]] = field(default_factory=dict)
    _enclosed: dict[tuple[Any, ...], Any] = field(default_factory=dict)
    _affine: dict[tuple[Any, ...], Any] = field(default_factory=dict)
    _last_undefined: Exception | None = None

    @property
    def last_undefined(self) -> str:
        """Why the last definedness walk failed ('' if none has)."""
        return "" if self._last_undefined is None else str(self._last_undefined)

    # ---------------------------------------------------------------- forms
    def admit(self, expr: sp.Expr, form: sp.Expr, seconds: float = 5.0) -> bool:
        """Admit ``form`` for ``expr`` when :func:`exactly_equal` establishes it."""
        known = self.forms.setdefault(expr, [])
        if form == expr or any(f == form for f, _ in known):
            return True
        pair = (expr, form)
        if pair in self._refused:
            return False
        left = self.deadline - time.perf_counter()
        how = exactly_equal(expr, form, min(seconds, left)) if left > 0 else None
        if how is None:
            self._refused.add(pair)
            return False
        known.append((form, how))
        return True

    def forms_of(self, expr: sp.Expr) -> list[sp.Expr]:
        if self.by_text and expr not in self.forms:
            self.forms[expr] = []  # (looked up once)
            for form in self.by_text.get(sp.sstr(expr), []):
                self.admit(expr, form, 10.0)
        return [f for f, _ in self.forms.get(expr, [])]

    def derivative(self, expr: sp.Expr, v: sp.Symbol) -> sp.Expr:
        """∂expr/∂v as ``sp.diff`` gives it: not simplified (a simplified derivative is a
        form, admitted like any other)."""
        key = (expr, v)
        if key not in self._derivatives:
            coefficient, rest = expr.as_coeff_Mul()
            if coefficient != 1 and rest != expr:  # -d (a slope's other sign): reuse d's
                self._derivatives[key] = coefficient * self.derivative(rest, v)
            else:
                self._derivatives[key] = sp.diff(expr, v)
        return self._derivatives[key]

    # ---------------------------------------------------------------- enclosures
    def _fn(self, expr: sp.Expr, backend_name: str) -> Callable | None:
        key = (expr, backend_name)
        if key not in self._compiled:
            backend = ARB if backend_name == "arb" else EXTENDED
            try:
                self._compiled[key] = compile_balls(
                    expr, self.variables, backend, checked=True,
                    refine=self._refine if backend_name == "arb" else HornerRefinement(self.variables))
            except FPTheoryError:
                self._compiled[key] = None
        return self._compiled[key]

    def _refine(self, argument: sp.Expr, balls: Sequence[Any], walked: Any) -> Any:
        """The walk's refinement of a guarded argument whose walked enclosure fails its
        test (a divisor, a root's or logarithm's argument): its walked ball intersected
        with its second-order Taylor form over the box
        (:func:`~fptheory.verify.taylor.refined_enclosure`), or None."""
        if not isinstance(walked, arb) or not all(isinstance(b, arb) for b in balls):
            return None
        return refined_enclosure(argument, dict(zip(self.variables, balls, strict=True)),
                                 walked)

    def enclose(self, expr: sp.Expr, box: Sequence[Interval], *, extended: bool = False) -> Any:
        """The walked enclosure of expr on the box: an arb ball (bounded box) or an
        :class:`_Enclosure` (box reaching ±∞, or ``extended``). Raises :class:`Undefined`
        when the walk fails, :class:`FPTheoryError` when a function has no kernel."""
        unbounded = any(_infinite(lo) or _infinite(hi) for lo, hi in box)
        if unbounded or extended:
            fn = self._fn(expr, "iv")
            if fn is None:
                raise FPTheoryError("no extended kernel for the expression")
            return iv_enclosure(fn, expr, box)
        key = (expr, tuple(box), ctx.prec)  # (one box's judgements walk expr several times)
        if key not in self._enclosed:
            fn = self._fn(expr, "arb")
            if fn is None:
                raise FPTheoryError("no kernel for the expression")
            self._enclosed = {} if len(self._enclosed) > 8192 else self._enclosed
            try:
                self._enclosed[key] = fn([side_ball(lo, hi) for lo, hi in box])
            except (ArithmeticError, ValueError) as exc:
                self._enclosed[key] = exc if isinstance(exc, Undefined) else Undefined(str(exc))
        if isinstance(known := self._enclosed[key], Undefined):  # (its message stays lazy)
            raise Undefined(known.message, known.term, known.what)
        return known

    def defined(self, expr: sp.Expr, box: Sequence[Interval], *, extended: bool = False) -> bool:
        """The definedness walk of expr on the box passes: in arb on a bounded box, in
        mpmath.iv on one reaching ±∞; with ``extended``, a bounded box whose arb walk fails
        may pass the iv walk instead (interval products do not straddle 0 where wide
        midpoint-radius ones do). Remembered per expression, box, mode and precision: the
        judgements of one box walk the same expression several times."""
        key = (expr, tuple(box), extended, ctx.prec)
        if key in self._walks:
            ok, why = self._walks[key]
            if why is not None:
                self._last_undefined = why
            return ok
        if len(self._walks) > 8192:
            self._walks.clear()
        ok = self._defined(expr, box, extended)
        self._walks[key] = (ok, None if ok else self._last_undefined)
        return ok

    def _defined(self, expr: sp.Expr, box: Sequence[Interval], extended: bool) -> bool:
        try:
            self.enclose(expr, box)
            return True
        except Undefined as exc:
            self._last_undefined = exc
        except FPTheoryError:
            pass
        if extended and not any(_infinite(lo) or _infinite(hi) for lo, hi in box):
            try:
                self.enclose(expr, box, extended=True)
                return True
            except (Undefined, FPTheoryError):
                pass
        return False

    def _candidates(self, expr: sp.Expr, box: Sequence[Interval]) -> Iterator[sp.Expr]:
        """expr, its admitted forms, then its exact faces
        (:func:`~fptheory.verify.faces.face_candidates`)."""
        yield expr
        yield from self.forms_of(expr)
        yield from face_candidates(self, expr, box)

    # ---------------------------------------------------------------- judgements
    def interval(self, expr: sp.Expr, box: Sequence[Interval], strict: bool,
                 *, also_extended: bool = False) -> bool:
        """The ``interval`` judgement: expr ≥ 0 (> 0 if strict) on the box. On a bounded
        box whose arb walk fails, the walk may pass in extended interval arithmetic instead
        (1/sinh(πk/(2w)) over a box where sinh spans e^118 to e^471 is a ball reaching 0 in
        arb, an interval [e^118/2, e^471] in mpmath.iv; the ball of [1 - ε, 1] reaches past
        1, the interval does not): expr and its forms are then enclosed in both, each
        candidate passing its own walk."""
        bounded_box = not any(_infinite(lo) or _infinite(hi) for lo, hi in box)
        in_arb = self.defined(expr, box)
        if not in_arb and not (bounded_box and self.defined(expr, box, extended=True)):
            return False
        # arb's walk may fail where the interval one passes: a ball of [1 - ε, 1] reaches
        # past 1 (its radius is rounded up), so sqrt(1 - x) is "undefined" on it in arb
        for candidate in self._candidates(expr, box):
            for extended in ((False, True) if also_extended or not in_arb else (False,)):
                try:
                    b = self.enclose(candidate, box, extended=extended)
                except (Undefined, FPTheoryError):
                    continue
                if b > 0 or (not strict and b >= 0):
                    return True
                if (not strict and not extended and bounded_box and isinstance(b, arb)
                        and rounding_short(b)):
                    # the ball's lower end is below 0 by its own rounding (cos of [0, ε]
                    # reaches 1 + 1e-10 as a ball): the interval walk has exact ends
                    try:
                        if self.enclose(candidate, box, extended=True) >= 0:
                            return True
                    except (Undefined, FPTheoryError):
                        pass
                if (isinstance(candidate, (sp.Mul, sp.Add, sp.log)) and not extended
                        and self._size(candidate) <= MAX_SIGN_NODES):
                    sign = self.sign(candidate, box)
                    if sign == 2 or (not strict and sign == 1):
                        return True
        return False

    def centered(self, expr: sp.Expr, box: Sequence[Interval], strict: bool) -> bool:
        """The ``centered`` judgement (mean-value form): expr is C¹ on the bounded box
        (:meth:`c1` in every variable that varies), so by the mean value theorem on the
        convex box, expr(X) ⊆ expr(c) + Σ ∂expr/∂x_i(X)·(X_i - c_i) with c the box's exact
        centre; expr ≥ 0 (> 0) on the box when that enclosure is. The derivatives are
        enclosed by power series where expr is shown analytic on the box (:meth:`partials`),
        else they are the raw ``sp.diff`` ones or their admitted forms, each passing its
        walk on the box.
        It beats the plain enclosure where expr is a difference of nearly equal terms
        (a polynomial approximation minus the function): its width shrinks with the
        derivative, not with the terms."""
        if any(_infinite(lo) or _infinite(hi) for lo, hi in box):
            return False
        free = [i for i, (lo, hi) in enumerate(box) if lo != hi]
        by_series = self.partials(expr, box)
        if by_series is None and self._series(expr) is not None:
            # the series failed a guard on this box: the raw derivatives' walks meet the same
            # guards (and a large margin's derivatives cost seconds of sympy to build)
            return False
        if not free or (by_series is None
                        and not all(self.c1(expr, self.variables[i], box) for i in free)):
            return False
        centre = [(lo + hi) / 2 if lo != hi else lo for lo, hi in box]
        try:
            total = self.enclose(expr, [(c, c) for c in centre])
            for i in free:
                if by_series is not None:
                    slope = by_series[i]
                    lo, hi = box[i]
                    total += slope * (side_ball(lo, hi) - exact_ball(centre[i]))
                    continue
                derivative = self.derivative(expr, self.variables[i])
                slopes = []
                for candidate in [derivative, *self.forms_of(derivative)]:
                    try:
                        slopes.append(self.enclose(candidate, box))
                    except (Undefined, FPTheoryError):
                        continue
                if not slopes:
                    return False
                slope = min(slopes, key=lambda b: b.rad())
                lo, hi = box[i]
                total += slope * (side_ball(lo, hi) - exact_ball(centre[i]))
        except (Undefined, FPTheoryError, ArithmeticError, ValueError):
            return False
        return bool(total > 0 or (not strict and total >= 0))

    def _series(self, expr: sp.Expr) -> Callable | None:
        key = (expr, "series")
        if key not in self._compiled:
            try:
                self._compiled[key] = compile_series(expr)
            except FPTheoryError:
                self._compiled[key] = None
        return self._compiled[key]

    def partials(self, expr: sp.Expr, box: Sequence[Interval]) -> list[Any] | None:
        """Enclosures of every ∂expr/∂x_i over the bounded box (None for a side that is a
        point), by power series (:func:`~fptheory.verify.taylor.partial_enclosures`): expr
        passes its walk and every operation is shown analytic on the box, so it is C¹ there
        and these enclose its derivatives. None when that is not shown. No symbolic
        derivative is taken: a 6-variable margin's 36 second derivatives are not built."""
        if any(_infinite(lo) or _infinite(hi) for lo, hi in box):
            return None
        key = (expr, tuple(box))
        if key in self._partials:
            return self._partials[key]
        out = None
        run = self._series(expr)
        if run is not None and self.defined(expr, box):
            try:
                out = partial_enclosures(run, self.variables, box, side_ball)
            except (Undefined, FPTheoryError, ArithmeticError, ValueError, ZeroDivisionError):
                out = None
        if len(self._partials) > 4096:
            self._partials.clear()
        self._partials[key] = out
        return out

    def partial_sign(self, expr: sp.Expr, box: Sequence[Interval], i: int) -> int:
        """1 when ∂expr/∂x_i ≥ 0 on the whole box by :meth:`partials` or
        :meth:`affine_partials`, -1 when ≤ 0, else 0:
        the ``monotone`` judgement's derivative sign without a symbolic derivative (expr is
        C¹ on the box, being analytic there)."""
        slopes = self.affine_partials(expr, box)  # (mostly the tighter, where it exists)
        if slopes is None:
            slopes = self.partials(expr, box)
        if slopes is not None and slopes[i] is not None:
            if slopes[i] >= 0 or slopes[i] <= 0:
                return 1 if slopes[i] >= 0 else -1
        return 0

    def affine_partials(self, expr: sp.Expr, box: Sequence[Interval]) -> list[Any] | None:
        """Enclosures of every ∂expr/∂x_i over the bounded box from affine forms
        (:func:`~fptheory.verify.affine.affine_slopes`: expr shown C¹ there), or None."""
        return self._by_affine(expr, box, affine_slopes)

    def second_order(self, expr: sp.Expr, box: Sequence[Interval], corner: int) -> bool:
        """The ``second order at corner k`` judgement of the module docstring (corners
        numbered as :func:`~fptheory.verify.balls.zero_corners` does): expr ≥ 0 on
        the bounded box, from an exact zero with a zero gradient at the corner and a
        Hessian enclosure whose every matrix is positive semidefinite
        (:func:`~fptheory.verify.balls.semidefinite_balls`)."""
        if any(_infinite(lo) or _infinite(hi) for lo, hi in box):
            return False
        free = [i for i, (lo, hi) in enumerate(box) if lo != hi]
        if not free or corner < 0 or corner >= 2 ** len(free) or len(free) > 6:
            return False
        z = corner_point(box, free, corner)
        point = [(c, c) for c in z]
        if not (self.defined(expr, box) and self.defined(expr, point)
                and self.exact_value_is_zero(expr, z)):
            return False
        first = [self.derivative(expr, self.variables[i]) for i in free]
        if not all(self.defined(d, point) and self.exact_value_is_zero(d, z) for d in first):
            return False
        if not all(self.c1(d, self.variables[j], box) for d in first for j in free):
            return False
        try:
            hessian = [[self.enclose(self.derivative(d, self.variables[j]), box) for j in free]
                       for d in first]
        except (Undefined, FPTheoryError):
            return False
        return semidefinite_balls(hessian)

    def taylor(self, expr: sp.Expr, box: Sequence[Interval], strict: bool, v: sp.Symbol,
               degree: int, end: str | None = None, end_excluded: bool = False) -> bool:
        """The ``taylor`` judgement: on the bounded box, expr passes its walk and the Taylor
        enclosure of degree ``degree`` in ``v`` (the other sides entering as balls;
        :func:`~fptheory.verify.taylor.taylor_enclosure`) has the sign. Either expr or an
        admitted form of it is expanded (each passing its own walk).

        With ``end`` ("low" or "high"), the ``taylor n in v at its low (high) end``
        judgement of the module docstring; ``end_excluded``: that end is the domain's
        excluded end."""
        if any(_infinite(lo) or _infinite(hi) for lo, hi in box) or v not in self.variables:
            return False
        i = self.variables.index(v)
        if box[i][0] == box[i][1] or not 1 <= degree <= 24 or not self.defined(expr, box):
            return False
        for candidate in [expr, *self.forms_of(expr)]:
            if candidate is not expr and not self.defined(candidate, box):
                continue
            run = self._series(candidate)
            if run is None:
                continue
            try:
                if end is None:
                    b = taylor_enclosure(run, self.variables, box, i, degree, side_ball)
                else:
                    z = [(lo if lo == hi else u) if j != i else lo if end == "low" else hi
                         for j, (u, (lo, hi)) in enumerate(zip(self.variables, box, strict=True))]
                    m, q = taylor_at_end(run, self.variables, box, i, degree, end, side_ball,
                                         lambda k, c=candidate, z=z: self._zero_derivative(
                                             c, v, k, z))
                    b = q if end == "low" or m % 2 == 0 else -q
                    if strict and m > 0 and not end_excluded:
                        continue
            except (Undefined, FPTheoryError, ArithmeticError, ValueError, ZeroDivisionError):
                continue
            if b > 0 or (not strict and b >= 0):
                return True
        return False

    def affine(self, expr: sp.Expr, box: Sequence[Interval], strict: bool) -> bool:
        """The ``affine`` judgement: the affine form of expr or of an admitted form has the
        sign on the bounded box (its guards show expr defined there too)."""
        return self._model_closes(expr, box, strict, affine_low)

    def quadratic(self, expr: sp.Expr, box: Sequence[Interval], strict: bool) -> bool:
        """The ``quadratic`` judgement: as ``affine``, with the second-order Taylor model
        (error ~ width³) or, where it nearly closes, the third-order one (~ width⁴)."""
        return self._model_closes(expr, box, strict, taylor_model_low)

    def _model_closes(self, expr: sp.Expr, box: Sequence[Interval], strict: bool,
                      low_of: Callable[[sp.Expr, list[sp.Symbol], dict], arb]) -> bool:
        lows = (self._by_affine(c, box, low_of) for c in [expr, *self.forms_of(expr)])
        return any(low is not None and (low > 0 or (not strict and low >= 0)) for low in lows)

    def affine_low(self, expr: sp.Expr, box: Sequence[Interval], *, taylor: bool = False) -> arb | None:
        """The lower end of expr's affine form (``taylor``: the ``quadratic`` model) on the
        bounded box, or None where refused (a guard fails, no kernel, ±∞); remembered."""
        return self._by_affine(expr, box, taylor_model_low if taylor else affine_low)

    def _by_affine(self, expr: sp.Expr, box: Sequence[Interval],
                   compute: Callable[[sp.Expr, list[sp.Symbol], dict], Any]) -> Any:
        """compute(expr, variables, balls) on the bounded box, None where it is refused;
        remembered per expression, box, precision and computation."""
        key = (expr, tuple(box), ctx.prec, compute)
        if key not in self._affine:
            out = None
            if not any(_infinite(lo) or _infinite(hi) for lo, hi in box):
                balls = {v: side_ball(lo, hi) for v, (lo, hi) in zip(self.variables, box, strict=True)}
                try:
                    out = compute(expr, self.variables, balls)
                except (Undefined, FPTheoryError, ArithmeticError, ValueError, ZeroDivisionError):
                    out = None
            if len(self._affine) > 8192:
                self._affine.clear()
            self._affine[key] = out
        return self._affine[key]

    def _size(self, expr: sp.Expr) -> int:
        if expr not in self._sizes:
            self._sizes[expr] = sum(1 for _ in sp.preorder_traversal(expr))
        return self._sizes[expr]

    def sign(self, expr: sp.Expr, box: Sequence[Interval], _depth: int = 0,
             excluded: Excluded | None = None) -> int | None:
        """The sign of expr on the box (less the domain's ``excluded`` ends, where given)
        from the signs of its parts: :func:`~fptheory.verify.signs.sign_by_parts`."""
        return sign_by_parts(self, expr, box, excluded)

    def open_sign(self, expr: sp.Expr, box: Sequence[Interval], excluded: Excluded) -> bool:
        """The ``sign off excluded ends`` judgement: expr passes the walk on the closed box
        and it, or an admitted form of it, is > 0 on the box less the excluded ends by the
        signs of its parts (its factors x and x + y in x²/(x + y) on (0, 1]²)."""
        return self.defined(expr, box) and any(  # (each form passes its own walk too)
            self._size(c) <= MAX_SIGN_NODES and self.defined(c, box)
            and self.sign(c, box, excluded=excluded) == 2 for c in self._candidates(expr, box))

    def open_interval(self, expr: sp.Expr, box: Sequence[Interval], strict: bool,
                      excluded: Excluded) -> bool:
        """The ``interval off excluded ends`` judgement (:func:`.openwalk.open_interval`)."""
        return open_interval(self, expr, box, strict, excluded)

    def violated(self, expr: sp.Expr, box: Sequence[Interval]) -> bool:
        """expr < 0 on the whole box, shown by a walked enclosure (used to stop searching a
        box; a refutation is only ever reported from an exactly checked point)."""
        if not self.defined(expr, box):
            return False
        for candidate in self._candidates(expr, box):
            try:
                if self.enclose(candidate, box) < 0:
                    return True
            except (Undefined, FPTheoryError):
                continue
        return False

    def c1(self, expr: sp.Expr, v: sp.Symbol, box: Sequence[Interval]) -> bool:
        """expr is continuously differentiable on the box, with derivative
        :meth:`derivative` in v: the walk of expr and of the raw derivative pass, and no
        jump or kink lies in the box."""
        if not self.defined(expr, box):
            return False
        for node in distinct_preorder(expr):
            if isinstance(node, KINKED):
                try:
                    arg = self.enclose(node.args[0], box)
                except (Undefined, FPTheoryError):
                    return False
                if not (arg > 0 or arg < 0):
                    return False
            elif isinstance(node, (sp.Max, sp.Min)):
                if not self._one_side_wins(node, box):
                    return False
            elif isinstance(node, sp.Piecewise) or not smooth_where_defined(node):
                return False
        return self.defined(self.derivative(expr, v), box)

    def _one_side_wins(self, node: sp.Expr, box: Sequence[Interval]) -> bool:
        try:
            enclosures = [self.enclose(a, box) for a in node.args]
        except (Undefined, FPTheoryError):
            return False
        pick_max = isinstance(node, sp.Max)
        for k, a in enumerate(enclosures):
            others = [b for j, b in enumerate(enclosures) if j != k]
            if all(strictly_above(a, b) if pick_max else strictly_above(b, a) for b in others):
                return True
        return False

    def point(self, expr: sp.Expr, box: Sequence[Interval], strict: bool) -> str | None:
        """At an exact point (every side lo = hi): "point" when the walked enclosure at 4x the
        precision has the sign, "exact zero" when (not strict) it walks and sympy shows it 0."""
        saved = ctx.prec
        ctx.prec = 4 * saved
        try:
            if not self.defined(expr, box):
                return None
            for candidate in self._candidates(expr, box):
                try:
                    b = self.enclose(candidate, box)
                except (Undefined, FPTheoryError):
                    continue
                if b > 0 or (not strict and b >= 0):
                    return "point"
                if b < 0:
                    return None  # negative there: no exact zero to look for
        finally:
            ctx.prec = saved
        if strict or any(_infinite(lo) for lo, _ in box):
            return None
        if self.exact_value_is_zero(expr, [lo for lo, _ in box]):
            return "exact zero"
        return None

    def _zero_derivative(self, expr: sp.Expr, v: sp.Symbol, k: int,
                         point: Sequence[sp.Expr]) -> bool:
        """The k-th derivative in v of expr is exactly 0 at the point: its exact Taylor
        coefficient over ℚ where there is one, else sympy (:meth:`derivative`, k times)."""
        exact = taylor_coefficient(expr, v, dict(zip(self.variables, point, strict=True)), k)
        if exact is not None:
            return exact == 0
        for _ in range(k):
            expr = self.derivative(expr, v)
        return self.exact_value_is_zero(expr, point)

    def exact_value_is_zero(self, expr: sp.Expr, point: Sequence[sp.Expr]) -> bool:
        """sympy proves expr at the exact point equal to 0 (:func:`~fptheory.verify.equality.
        zero_at`, under the deadline, at most 1 s), remembered per expression and point."""
        key = (expr, tuple(point))
        if key not in self._zeros:
            left = self.deadline - time.perf_counter()
            if left <= 0:
                return False
            self._zeros[key] = zero_at(expr, self.variables, point, min(1.0, left))
        return self._zeros[key]
