"""The counterexample hunt: local minimisation of the margin in floating point, to propose
points where a statement fails. Nothing here decides: every point it proposes is turned into
an exact point (a rational inside the domain) and goes to
:func:`~fptheory.verify.witness.find_witness`, which checks it exactly against the statement
and every constraint of the domain; a refutation is only ever reported from such a point.

The margin g (statement ⇔ g ≥ 0) is evaluated in numpy floats at many random points of the
domain at once; from the lowest of them, and from points the search hands over (the
centres of the boxes it could not close, exactly where a violation may hide), scipy's
bounded quasi-Newton method (L-BFGS-B) walks downhill. A false statement whose violation
region is a small fraction of the domain is then refuted in a second or two where random
sampling alone would need thousands of points.
"""

from __future__ import annotations

import itertools
import time
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import sympy as sp

from .backends import Interval, _infinite

__all__ = ["Hunter"]

#: a side reaching ±∞ is searched this far beyond its finite end (log-spaced starts)
FAR = 1e6


#: float bounds are clipped here: an end of 10^400 is inf as a float, and numpy's
#: uniform and log-uniform draws refuse infinite ranges (the hunt is a float search
#: inside the box; a clipped side is still inside it)
HUGE = 1e300


#: each scale a side is drawn and descended in: (to the scale, back from it)
_SCALES: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    "log": (np.log, np.exp), "asinh": (np.arcsinh, np.sinh),
    "linear": (lambda t: t, lambda t: t)}


#: random points drawn per hunt, evaluated at once in numpy (milliseconds); the lowest start
#: the descents. Trefethen's function with its least value raised by 10⁻³ is violated only
#: in a basin of radius ~10⁻³ among thousands of local minima: with 2 000 points (and 64
#: during the search) no descent started in it, refuted at 8 s; with 20 000, in 0.9 s
SAMPLES = 20000
#: points drawn next to the finite ends of the narrow sides, each coordinate with even odds at
#: a log-uniform distance 10^-1..10^-15 (times the width) from one of its ends, evaluated with
#: the first samples. Hellinger² ≤ 0.999·KL on (0, 1)² is violated only where p < 2.5·10⁻⁷·q
#: and q < 10⁻³ (at p = 10⁻¹⁴, q = 10⁻⁶ by 8·10⁻¹⁰): no uniform draw and no descent from one
#: comes near, while about 1 in 50 of these points falls in that corner
END_SAMPLES = 500
#: sums with more terms than this have no descents in g / Σ|t| (:meth:`Hunter._relative`;
#: its evaluation would double the cost of a large margin's samples)
SIZE_TERMS = 200
#: points evaluated one at a time where g does not evaluate in numpy at once (~30 µs each)
ONE_BY_ONE = 2000
#: the random points always evaluated; the rest of :data:`SAMPLES` only where the first
#: ones show that they take at most a quarter of the hunt's time (a margin of 10⁴ nodes)
FIRST_SAMPLES = 2000


def _float(e: sp.Expr) -> float:
    return min(max(float(sp.N(e, 17)), -HUGE), HUGE)


class Hunter:
    """Float local minimisation of g on a box domain, proposing exact candidate points.

    ``check`` verifies an exact point (returns a witness or None); ``open_ends`` marks ends
    that are not in the domain (starts and minimisers stay strictly inside them)."""

    def __init__(self, g: sp.Expr, variables: Sequence[sp.Symbol], box: Sequence[Interval],
                 strict: bool, check: Callable[[dict[sp.Symbol, sp.Expr]], object],
                 seed: int = 0) -> None:
        self.variables = list(variables)
        self.strict = strict
        self.check = check
        self.rng = np.random.default_rng(seed + 17)
        self.bounds: list[tuple[float, float]] = []
        for lo, hi in box:
            a = -FAR if lo == -sp.oo else _float(lo)
            b = FAR if hi == sp.oo else _float(hi)
            if _infinite(lo) and not _infinite(hi):
                a = b - FAR * (1 + abs(b))
            if _infinite(hi) and not _infinite(lo):
                b = a + FAR * (1 + abs(a))
            # stay off the ends: an open end is not in the domain, and a closed one is
            # still reached up to the rounding of the minimiser's point
            pad = 1e-12 * (1 + abs(a) + abs(b))
            self.bounds.append((a + pad, b - pad) if b - a > 4 * pad else (a, b))
        self.exact_box = list(box)
        self._seen: set[tuple[sp.Expr, ...]] = set()  # exact points already checked
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self.fn = sp.lambdify(self.variables, g, modules=["numpy"])
        except Exception:  # noqa: BLE001 - lambdify cannot print it: no hunt
            self.fn = None
        self.size = self._size_of(g)

    def _size_of(self, g: sp.Expr) -> Callable[..., Any] | None:
        """Σ|t| over the terms t of a sum g, lambdified (None for anything else, or a sum
        of more than :data:`SIZE_TERMS` terms): some descents minimise g / Σ|t|, of g's
        sign wherever Σ|t| > 0 (:meth:`_relative`)."""
        terms = sp.Add.make_args(g) if isinstance(g, sp.Add) else ()
        if not 2 <= len(terms) <= SIZE_TERMS:
            return None
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return sp.lambdify(self.variables, sp.Add(*[sp.Abs(t) for t in terms]),
                                   modules=["numpy"])
        except Exception:  # noqa: BLE001 - lambdify cannot print it: g itself only
            return None

    def _sizes(self, points: np.ndarray) -> np.ndarray:
        """Σ|t| at each row of points (1 where it is not a finite number > 0)."""
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                size = np.abs(np.asarray(self.size(*points.T), dtype=complex))  # type: ignore[misc]
            size = np.broadcast_to(size, (len(points),))
        except Exception:  # noqa: BLE001 - not vectorisable: no scaling
            return np.ones(len(points))
        return np.where(np.isfinite(size) & (size > 0), size, 1.0)

    def _size_at(self, x: np.ndarray) -> float:
        """Σ|t| at the point x (1 where it is not a finite number > 0)."""
        return float(self._sizes(np.asarray(x, dtype=float)[None, :])[0])

    def _relative(self, x: np.ndarray) -> float:
        """g / Σ|t| at x (:meth:`_safe` where no Σ|t| is known): a margin that is a multiple
        of a variable, A·(2.997B − sBq − tBp − Ast) on 0 < A ≤ 1, is least (→ 0⁺) at A → 0,
        where every descent of g itself went, and g / Σ|t| at the corner where g < 0."""
        v = self._safe(x)
        return v / self._size_at(x) if self.size is not None and v < 1e300 else v

    def _value(self, x: np.ndarray) -> float:
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                v = self.fn(*x)
            v = complex(v)
        except Exception:  # noqa: BLE001 - a float evaluation may fail anywhere: no value
            return float("nan")
        return v.real if abs(v.imag) <= 1e-12 * (1 + abs(v.real)) else float("nan")

    def _values(self, points: np.ndarray) -> np.ndarray:
        """g at each row of points (nan where it is not a finite real)."""
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                v = np.asarray(self.fn(*points.T), dtype=complex)
            if v.shape != (len(points),):
                v = np.broadcast_to(v, (len(points),)).astype(complex)
            out = np.where(np.abs(v.imag) <= 1e-12 * (1 + np.abs(v.real)), v.real, np.nan)
            return np.where(np.isfinite(out), out, np.nan)
        except Exception:  # noqa: BLE001 - not vectorisable: one at a time
            return np.array([self._value(p) for p in points[:ONE_BY_ONE]]
                            + [np.nan] * max(0, len(points) - ONE_BY_ONE))

    def random_points(self, n: int) -> np.ndarray:
        cols = []
        for a, b in self.bounds:  # (log-uniform on a wide positive side, asinh on another)
            forward, back = _SCALES[self._kind(a, b)]
            cols.append(back(self.rng.uniform(forward(a), forward(b), n)))
        return np.column_stack(cols) if cols else np.zeros((n, 0))

    def near_ends(self, n: int) -> np.ndarray:
        """n random points, each coordinate of a narrow side with even odds drawn as for
        :meth:`random_points` or at 10^-U(1, 15) times the width from one of its finite ends
        (inside the padding :meth:`_exact` otherwise clips to: a corner's violation may lie
        there)."""
        pts = self.random_points(n)
        for j, ((lo, hi), (a, b)) in enumerate(zip(self.exact_box, self.bounds, strict=True)):
            if self._kind(a, b) != "linear" or _infinite(lo) or _infinite(hi) or b <= a:
                continue
            low, high = _float(lo), _float(hi)
            near = self.rng.random(n) < 0.5
            from_low = self.rng.random(n) < 0.5
            gap = (high - low) * 10.0 ** -self.rng.uniform(1, 15, n)
            pts[:, j] = np.where(near, np.where(from_low, low + gap, high - gap), pts[:, j])
        return pts

    def _exact(self, x: np.ndarray) -> dict[sp.Symbol, sp.Expr]:
        """An exact rational point near x inside the (closed) box: short decimals first. A
        coordinate strictly inside the box but on the padding (a point of
        :meth:`near_ends`) is kept as it is."""
        point = {}
        for v, xi, (lo, hi), (a, b) in zip(self.variables, x, self.exact_box, self.bounds,
                                           strict=True):
            xf = float(xi)
            if (not _infinite(lo) and _float(lo) < xf < a) or (not _infinite(hi) and b < xf < _float(hi)):
                q = sp.Rational(repr(xf))
                if bool(lo < q) and bool(q < hi):
                    point[v] = q
                    continue
            xi = min(max(xf, a), b)
            q = sp.Rational(repr(xi))  # the shortest decimal that reads back as xi
            if xi <= a and not _infinite(lo) and bool(lo >= sp.Rational(repr(a - 1e-9))):
                q = lo  # on the padding of an end: the end itself (open ends: checked out)
            if xi >= b and not _infinite(hi) and bool(hi <= sp.Rational(repr(b + 1e-9))):
                q = hi
            if not _infinite(lo) and bool(q < lo):
                q = lo
            if not _infinite(hi) and bool(q > hi):
                q = hi
            point[v] = q
        return point

    def _accept(self, value: float, scale: float, x: np.ndarray) -> bool:
        """Worth an exact check: below 0, or within float rounding of 0 (a violation of
        1e-20 shows as nothing in floats; the exact check decides, at most max_checks) —
        of the median scale, and of Σ|t| at x where g is a sum (A·(2.997B − …) at A = 10⁻¹⁵
        is 10⁻¹⁵ but no rounding of 0: its points next to A = 0 took every check)."""
        if value <= 0:
            return True
        return value <= 1e-13 * (1 + scale) and (
            self.size is None or value <= 1e-12 * self._size_at(x))

    def run(self, seconds: float, starts: Sequence[np.ndarray] = (), samples: int = SAMPLES,
            max_checks: int = 8, quasi_newton: bool = False) -> object | None:
        """Minimise from the lowest of ``samples`` random points and from ``starts``
        within ``seconds``; the first exactly verified witness, or None. The minimiser is
        a projected descent in numpy, or with ``quasi_newton`` scipy's L-BFGS-B (better in
        narrow valleys; importing scipy costs about a second, so the search asks for it
        only once it has run a while)."""
        if self.fn is None or not self.variables or seconds <= 0:
            return None

        stop = time.perf_counter() + seconds
        pts = self.random_points(samples)
        ends = self.near_ends(END_SAMPLES) if samples > END_SAMPLES else pts[:0]
        pts = np.vstack([np.asarray(starts, dtype=float).reshape(-1, len(self.bounds)), ends, pts])
        first = len(starts) + len(ends) + min(samples, FIRST_SAMPLES)
        evaluating = time.perf_counter()
        vals = self._values(pts[:first])
        if len(pts) > first:  # the rest where it costs at most a quarter of the hunt's time
            spent = time.perf_counter() - evaluating
            if spent * (len(pts) - first) / first <= seconds / 4:
                vals = np.concatenate([vals, self._values(pts[first:])])
            else:
                pts = pts[:first]
        finite = np.isfinite(vals)
        if not finite.any():
            return None
        scale = float(np.nanmedian(np.abs(vals[finite])))
        order = np.argsort(np.where(finite, vals, np.inf))
        # the lowest sampled points apart from each other, and the handed-over starts, each
        # minimised in turn
        lowest = self._apart(pts, order[:int(finite.sum())], 6)
        relative: list[int] = []
        if self.size is not None and not quasi_newton:  # (three of them in g / Σ|t|)
            scaled = np.where(finite, vals / self._sizes(pts[:len(vals)]), np.inf)
            relative = [i for i in self._apart(pts, np.argsort(scaled)[:int(finite.sum())], 6)
                        if i not in lowest][:3]
        chosen = [i for pair in itertools.zip_longest(lowest, relative) for i in pair
                  if i is not None]
        chosen += [i for i in range(len(starts)) if i not in chosen]
        tried = checked = 0
        lowest_x, lowest_v = None, np.inf  # (the lowest point the descents reached)
        for i in chosen:
            if time.perf_counter() > stop or checked >= max_checks:
                break
            x0 = pts[i]
            best_x, best_v = x0, vals[i]
            if not self._accept(best_v, scale, best_x):
                tried += 1
                left = stop - time.perf_counter()
                if left <= 0:
                    break
                with np.errstate(all="ignore"), warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    try:
                        if quasi_newton:
                            from scipy.optimize import minimize
                            res = minimize(self._safe, x0, method="L-BFGS-B",
                                           bounds=self.bounds,
                                           options={"maxfun": 600, "maxiter": 200,
                                                    "ftol": 1e-15, "gtol": 1e-13})
                            best_x = res.x
                        else:
                            best_x = self._descend(x0, min(left, 0.5), relative=i in relative)
                        best_v = self._value(best_x)
                    except Exception:  # noqa: BLE001 - scipy fails in many ways: next start
                        continue
            if not np.isfinite(best_v):
                continue
            if best_v < lowest_v:
                lowest_x, lowest_v = best_x, best_v
            # the minimiser's point, then (where it sits on the padding next to ends) the
            # points just inside those ends: the end itself may be excluded
            candidates = [self._exact(best_x)] if self._accept(best_v, scale, best_x) else []
            candidates += [point for x, point in self._past_the_padding(best_x)
                           if self._accept(self._value(x), scale, x)]
            for point in candidates:
                key = tuple(point.values())
                if key in self._seen:
                    continue
                if checked >= max_checks or time.perf_counter() > stop:
                    break
                self._seen.add(key)
                checked += 1
                witness = self.check(point)
                if witness is not None:
                    return witness
        if not quasi_newton and lowest_x is not None and 0 < lowest_v <= 1e-2 * scale \
                and time.perf_counter() < stop:
            # a descent that stalled just above 0 in a narrow valley (Hartman's sums of
            # Gaussians, a violation 10⁻⁹ deep): polished by the quasi-Newton method
            return self.run(stop - time.perf_counter(), [lowest_x], samples=1,
                            max_checks=max(1, max_checks - checked), quasi_newton=True)
        return None

    def _apart(self, pts: np.ndarray, order: Sequence[int], n: int) -> list[int]:
        """Up to n of the points in ``order`` (lowest first), each at least 1/20 of a side
        (in the scale the starts are drawn in) from those taken before: float noise piles
        its spurious minima into one corner (cos(x)/x − 2 sin(x)/x² + … near x = 10⁻⁶), and
        one start there is enough."""
        scaled = np.column_stack([self._drawn_scale(pts[:, j], a, b) for j, (a, b)
                                  in enumerate(self.bounds)]) if len(self.bounds) else pts
        taken: list[int] = []
        for i in order:
            if all(np.max(np.abs(scaled[i] - scaled[j])) > 0.05 for j in taken):
                taken.append(int(i))
                if len(taken) == n:
                    break
        return taken

    @staticmethod
    def _drawn_scale(column: np.ndarray, a: float, b: float) -> np.ndarray:
        """A side's coordinates mapped to [0, 1] in the scale :meth:`random_points` draws it
        in (log, asinh or linear)."""
        forward, _ = _SCALES[Hunter._kind(a, b)]
        with np.errstate(all="ignore"):
            t, lo, hi = forward(np.clip(column, a, b)), forward(a), forward(b)
            return (t - lo) / (hi - lo) if hi > lo else np.zeros_like(column)

    def _past_the_padding(self, x: np.ndarray) -> list[tuple[np.ndarray, dict]]:
        """Where the minimiser stopped on the padding next to a finite end a of a side: the
        points a ± 10^-k (k = 8, 12, ..., 60; exact, and as floats where they differ from a),
        first with every side on its padding moved in at once (an excluded corner), then
        one side at a time with the other coordinates kept. A bound tight at an excluded end
        and violated only within 10^-12 of it (√x + √y - √(x + y) < 10^-6 for x < 10^-12)
        is missed by the padded float search; these points are checked exactly like any
        other."""
        single: list[tuple[np.ndarray, dict]] = []
        together: dict[int, tuple[np.ndarray, dict]] = {}
        base = self._exact(x)
        for i, (v, (lo, hi), (a, b)) in enumerate(zip(self.variables, self.exact_box,
                                                      self.bounds, strict=True)):
            for end, sign, edge in ((lo, 1, a), (hi, -1, b)):
                if _infinite(end) or abs(x[i] - edge) > 1e-9 * (1 + abs(edge)):
                    continue
                for k in range(8, 61, 4):
                    q = end + sign * sp.Rational(1, 10**k)
                    if not (bool(lo < q) and bool(q < hi)):
                        continue
                    y = np.array(x, dtype=float)
                    y[i] = float(q)
                    if y[i] == float(end):
                        break  # past the float resolution at this end
                    single.append((y, base | {v: q}))
                    # every side on its padding moved in at once: an excluded corner
                    y_all, point_all = together.get(k, (np.array(x, dtype=float), dict(base)))
                    y_all[i], point_all[v] = y[i], q
                    together[k] = (y_all, point_all)
        several = [pair for pair in together.values() if sum(
            1 for v in self.variables if pair[1][v] != base[v]) > 1]
        return several + single

    def _descend(self, x0: np.ndarray, seconds: float, iterations: int = 150,
                 relative: bool = False) -> np.ndarray:
        """Projected steepest descent in the scale the starts are drawn in (log or asinh
        on a wide side, so that a step means the same at 2 and at 10⁵), each coordinate
        scaled by its side's width there, with central-difference gradients and a halving
        line search."""
        scales = [_SCALES[self._kind(a, b)] for a, b in self.bounds]
        to_u = [forward for forward, _ in scales]
        to_x = [back for _, back in scales]
        lo = np.array([f(a) for f, (a, _) in zip(to_u, self.bounds, strict=True)])
        hi = np.array([f(b) for f, (_, b) in zip(to_u, self.bounds, strict=True)])

        def back(u: np.ndarray) -> np.ndarray:
            x = np.array([f(t) for f, t in zip(to_x, u, strict=True)], dtype=float)
            return np.clip(x, [a for a, _ in self.bounds], [b for _, b in self.bounds])

        def value(u: np.ndarray) -> float:
            return self._relative(back(u)) if relative else self._safe(back(u))

        width = np.maximum(hi - lo, 1e-300)
        with np.errstate(all="ignore"):
            start = np.array([f(t) for f, t in zip(to_u, np.asarray(x0, dtype=float),
                                                   strict=True)], dtype=float)
        u = np.clip(np.nan_to_num(start, nan=0.0), lo, hi)
        fu = value(u)
        step, stop = 0.1, time.perf_counter() + seconds
        for _ in range(iterations):
            if time.perf_counter() > stop:
                break
            h = 1e-7 * width
            grad = np.array([(value(np.clip(u + h * e, lo, hi))
                              - value(np.clip(u - h * e, lo, hi))) / (2 * h[i])
                             for i, e in enumerate(np.eye(len(u)))])
            direction = -grad * width
            # a side already at its bound and pushed past it moves no further: its pull
            # must not dwarf the others' (the step is scaled by the largest component)
            direction[((u <= lo) & (direction < 0)) | ((u >= hi) & (direction > 0))] = 0.0
            norm = np.max(np.abs(direction))
            if not np.isfinite(norm) or norm == 0:
                break
            direction = direction / norm * width
            t = step
            while t > 1e-15:
                v = np.clip(u + t * direction, lo, hi)
                fv = value(v)
                if fv < fu:
                    u, fu, step = v, fv, min(2 * t, 0.5)
                    break
                t /= 2
            else:
                break
        return back(u)

    @staticmethod
    def _kind(a: float, b: float) -> str:
        """The scale a side's starts are drawn in (a key of :data:`_SCALES`): log (wide,
        positive), asinh (wide) or linear."""
        return "linear" if b - a <= 1e4 else "log" if a > 0 else "asinh"

    def _safe(self, x: np.ndarray) -> float:
        v = self._value(x)
        return v if np.isfinite(v) else 1e300


def centres(boxes: Sequence[Sequence[Interval]], limit: int = 24) -> list[np.ndarray]:
    """Float centres of the last ``limit`` boxes (the search's deepest open ones); a side
    reaching ±∞ contributes a point just beyond its finite end."""
    out = []
    for box in list(boxes)[-limit:]:
        point = []
        for lo, hi in box:
            if _infinite(lo) and _infinite(hi):
                point.append(0.0)
            elif _infinite(hi):
                point.append(_float(lo) + 1 + abs(_float(lo)))
            elif _infinite(lo):
                point.append(_float(hi) - 1 - abs(_float(hi)))
            else:
                point.append(_float((lo + hi) / 2))
        out.append(np.array(point))
    return out
