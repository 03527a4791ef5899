"""Theorem 1's failure fraction by the rare-event method, far below Monte Carlo's reach.

The failure set is a union of thin bands in each :math:`w_j`, around the zeros of the
:math:`k_1` gradient; each band is located by bracketing, its width solved from the exact
event (or its linearisation when the band is below float resolution, in log space, so 1e-300
and smaller are reachable), weighted by the ball's geometry and averaged over the other
coordinates conditioned on the band (a small conditional Monte Carlo). Validity is checked,
never assumed: if the bands are not thin and isolated the estimator says so
(:class:`RareEventError`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import numpy as np
from scipy import special

from fptheory.core.errors import FPTheoryError

from .problem import MeasureProblem, MeasureResult, _check_delta, _Evaluator, sample_ball

# ---------------------------------------------------------------------------------------
# the rare-event estimator


def _log_ball_volume(n: int, radius: np.ndarray | float) -> np.ndarray:
    """log of the volume of the n-ball (n ≥ 0; the 0-ball has volume 1)."""
    radius = np.asarray(radius, dtype=float)
    with np.errstate(divide="ignore"):
        return (n / 2) * math.log(math.pi) - special.gammaln(n / 2 + 1) + n * np.log(radius)


class RareEventError(FPTheoryError):
    """The band structure the estimator relies on does not hold at this δ."""


def _bisect(fn: Callable[[np.ndarray], np.ndarray], lo: np.ndarray, hi: np.ndarray,
            steps: int = 46) -> np.ndarray:
    """Vectorised bisection for sign changes of fn on [lo, hi] (fn(lo)·fn(hi) < 0)."""
    flo = fn(lo)
    for _ in range(steps):
        mid = 0.5 * (lo + hi)
        fm = fn(mid)
        left = np.sign(fm) == np.sign(flo)
        lo = np.where(left, mid, lo)
        flo = np.where(left, fm, flo)
        hi = np.where(left, hi, mid)
    return 0.5 * (lo + hi)


def _secant_then_bisect(fn, x0: np.ndarray, lo: np.ndarray, hi: np.ndarray, h: np.ndarray,
                        steps: int = 7, tol: float = 1e-13, ftol: float = 0.0) -> np.ndarray:
    """Zero of fn in [lo, hi] (a sign change there), starting from x0: secant steps (fn is
    close to linear near its zero), then bisection for any element that did not settle."""
    xa, xb = x0 - h, x0 + h
    fa, fb = fn(xa), fn(xb)
    for _ in range(steps):
        with np.errstate(divide="ignore", invalid="ignore"):
            step = np.where(fb != fa, fb * (xb - xa) / (fb - fa), 0.0)  # converged: stay
        xn = np.clip(xb - np.where(np.isfinite(step), step, 0.0), lo, hi)
        xa, fa = xb, fb
        xb, fb = xn, fn(xn)
    settled = (np.abs(xb - xa) <= tol * np.maximum(np.abs(xb), 1.0)) | (np.abs(fb) <= ftol)
    if np.all(settled):
        return xb
    idx = np.nonzero(~settled)

    def on_subset(x_sub: np.ndarray) -> np.ndarray:
        full = xb.copy()  # fn works on the full shape; the settled elements ride along
        full[idx] = x_sub
        return fn(full)[idx]

    out = xb.copy()
    out[idx] = _bisect(on_subset, lo[idx], hi[idx])
    return out


def rare_event(problem: MeasureProblem, delta: float, *, conditional_samples: int = 32,
               rel_tol: float = 0.1, seed: int = 0, max_band_fraction: float = 0.02,
               max_conditional_samples: int = 1024) -> MeasureResult:
    r"""Failure fraction 1 − ratio from the band structure, accurate far below MC's reach.

    1. For each neuron j, θ ∈ {a, b, w} and sign of w_j, the zeros t_n of the k1-gradient
       factor :math:`M_\theta(k_1; t)` (t = 1/w_j, |t| ≥ 1/δ) are bracketed on a grid (16
       points per zero spacing π/(|B| b_j k_1)) and bisected, with the other neurons at
       w = 0. Every grid point inside the ball where the event fails must lie next to such a
       zero (else :class:`RareEventError`: the failure set is not a union of thin bands).
    2. Around each zero the failure band :math:`|M_\theta(k_1)| \le |M_\theta(k_2)|\,R` has
       half-widths solved from the exact event by bisection in log s, or, when s is below
       1e-6 of the spacing (float64 cannot resolve the band), from the linearisation
       s = |M_θ(k2)| R/|∂_t M_θ(k1)| in log space (relative error ≲ 1e-6 there).
    3. Given w_j in band n, the other coordinates are uniform in the (m−1)-ball of radius
       :math:`\sqrt{\delta^2 - w_j^2}`: the band's measure is
       :math:`V_{m-1}(R_n)/V_m(\delta)\,E[\ell_n]`, with W_{-j} drawn uniformly in the
       (m−1)-ball of radius R_n ≥ that (the band's own clipping to the ball is exact), the
       zero re-bracketed with the full residual, and ℓ_n its w-length. The draws per band
       start at ``conditional_samples`` and double until the total relative error below is
       at most ``rel_tol`` (up to ``max_conditional_samples``).
    4. The smallest bands (frozen estimate) are dropped while their summed share stays
       below rel_tol/100 (that share is part of the error); different (j, θ)
       bands are disjoint, and the union over j overcounts by the pairwise overlaps ≲ P².

    The reported interval (95 %) is estimate·(1 ± rel_error), rel_error = 2 standard errors +
    overlap bound + twice the dropped bands' estimated share + 1e-6 (linearisation).
    """
    delta = _check_delta(delta)
    p = problem
    ev = _Evaluator(p)
    rng = np.random.default_rng(seed)
    start = time.perf_counter()
    frozen = _frozen_bands(ev, delta, max_band_fraction)
    if frozen["t"].size == 0:
        raise RareEventError(f"no failure band found in B_δ at δ = {delta:g}")
    est = frozen["log_est"]
    # drop the smallest bands while their (frozen) estimated share stays below rel_tol/100
    if not np.isfinite(np.max(est)):
        raise RareEventError(f"no failure band inside B_δ at δ = {delta:g}")
    shares = np.exp(est - special.logsumexp(est))
    order = np.argsort(shares)
    cumulative = np.cumsum(shares[order])
    keep = np.ones(est.size, dtype=bool)
    keep[order[cumulative <= rel_tol / 100]] = False
    log_dropped = float(special.logsumexp(est[~keep])) if np.any(~keep) else -math.inf
    bands = {key: value[keep] for key, value in frozen.items()}
    log_vm = float(_log_ball_volume(p.m, delta))
    n_c = conditional_samples if p.m > 1 else 1
    region = None
    if p.m > 1:
        # pilot: how far do the bands move with the other coordinates? The conditional
        # draws then use a region 20x that (never more than a quarter spacing): a tighter
        # region means a smaller (m-1)-ball to draw from and fewer wasted draws.
        reach = _conditional_bands(ev, bands, delta, 8, rng, refine=False)[4]
        region = np.minimum(bands["spacing"] / 4, 20 * reach + 1e-12 * np.abs(bands["t"]))
    while True:
        try:
            log_len, log_w, frac, n_lin, _ = _conditional_bands(ev, bands, delta, n_c, rng, region)
        except _RegionTooSmall:
            if region is None:
                raise
            region = None
            continue
        if frac > max_band_fraction:
            raise RareEventError(
                f"rare-event estimator not valid at δ = {delta:g}: failure bands are not thin "
                f"(band/spacing up to {frac:.2g} > {max_band_fraction:g}); use MC")
        with np.errstate(divide="ignore"):
            log_mean = special.logsumexp(log_len, axis=1) - math.log(n_c)
        log_terms = log_w - log_vm + log_mean
        log_p = float(special.logsumexp(log_terms))
        if not math.isfinite(log_p):
            raise RareEventError(f"every failure band fell outside the ball at δ = {delta:g}")
        rel_se = 0.0
        if n_c > 1:
            finite = np.isfinite(log_mean)
            lens = np.zeros_like(log_len)
            lens[finite] = np.exp(log_len[finite] - log_mean[finite, None])
            rel_var = np.var(lens, axis=1, ddof=1) / n_c
            shares = np.exp(log_terms - log_p)
            rel_se = float(math.sqrt(np.sum(shares**2 * rel_var)))
        overlap = min(1.0, math.exp(log_p))
        dropped = math.exp(log_dropped - log_vm - log_p)  # relative to the estimate itself
        rel_err = 2 * rel_se + overlap + 2 * dropped + 1e-6  # dropped: a frozen estimate, x2
        if rel_err <= rel_tol or n_c >= max_conditional_samples:
            break
        n_c *= 2
    failure = math.exp(log_p)
    return MeasureResult(
        delta, failure, failure * max(0.0, 1 - rel_err), failure * (1 + rel_err), "rare",
        int(n_c * bands["t"].size), time.perf_counter() - start, log_p / math.log(10),
        {"bands": int(bands["t"].size), "rel_error": rel_err, "rel_se": rel_se,
         "conditional_samples_per_band": n_c, "max_band_over_spacing": frac,
         "linearised_band_fraction": n_lin / log_len.size, "dropped_bands": int(np.sum(~keep)),
         "error_model": "2 standard errors of the conditional averages + union overlap "
                        "(<= failure) + 2 x dropped bands' share + linearisation (<= 1e-6)"})


def _flat_parts(ev: _Evaluator, t, a, b, kind, d_other):
    """M_θ(k1), M_θ(k2) (θ = ``kind`` per element) and log R at t = 1/w for one neuron per
    element (a, b per element), the residual being ĥ_j(k; t) + d_other[i] (the rest)."""
    parts = ev.parts(t, a, b, want_log=True)
    res = {i: (parts[f"h{i}"][0] + d_other[i][0], parts[f"h{i}"][1] + d_other[i][1])
           for i in (1, 2)}
    out = []
    for i in (1, 2):
        m = np.stack(np.broadcast_arrays(*ev.m_values(parts, i, *res[i], a, b, t)))
        out.append(np.take_along_axis(m, kind[None], 0)[0])
    return out[0], out[1], parts["mags"]["log_ratio"]


def _frozen_bands(ev: _Evaluator, delta: float, max_band_fraction: float) -> dict[str, np.ndarray]:
    """Zeros of every M_θ(k1; t_j) with the other neurons at w = 0, and each band's frozen
    log-measure estimate (used to drop negligible bands)."""
    p = ev.p
    decay = _decay_per_t(ev, delta)
    segs_t, segs_j, segs_sp = [], [], []
    for j in range(p.m):
        spacing = math.pi / (abs(ev.B) * abs(p.b[j]) * p.k1)
        t0 = max(1.0 / delta - spacing / 2, 0.5 / delta)
        t_max = 1.0 / delta + max(6 * spacing, (40.0 + p.m) / decay)
        n = int(math.ceil((t_max - t0) / (spacing / 16))) + 1
        if n > 200_000:
            raise RareEventError(f"|σ̂(k2 t)|/|σ̂(k1 t)| decays too slowly at δ = {delta:g} "
                                 f"(rate {decay:.3g} per unit of 1/w): no rare-event regime; use MC")
        grid = np.linspace(t0, t_max, n)
        for sgn in (1.0, -1.0):
            segs_t.append(sgn * grid)
            segs_j.append(np.full(n, j))
            segs_sp.append(np.full(n, spacing))
    seg_id = np.concatenate([np.full(t.size, i) for i, t in enumerate(segs_t)])
    t = np.concatenate(segs_t)
    jj = np.concatenate(segs_j)
    spacing = np.concatenate(segs_sp)
    a, b = p.a[jj], p.b[jj]
    base = {i: (np.full(t.shape, -f.real), np.full(t.shape, -f.imag))
            for i, f in ((1, p.fhat1), (2, p.fhat2))}
    found: dict[str, list[np.ndarray]] = {key: [] for key in ("t", "j", "kind", "spacing")}
    parts = ev.parts(t, a, b, want_log=True)
    res = {i: (parts[f"h{i}"][0] + base[i][0], parts[f"h{i}"][1] + base[i][1]) for i in (1, 2)}
    m1_all = np.broadcast_arrays(*ev.m_values(parts, 1, *res[1], a, b, t))
    m2_all = np.broadcast_arrays(*ev.m_values(parts, 2, *res[2], a, b, t))
    log_r = parts["mags"]["log_ratio"]
    for kind in range(3):
        m1, m2 = m1_all[kind], m2_all[kind]
        change = np.nonzero((np.sign(m1[:-1]) * np.sign(m1[1:]) < 0) & (seg_id[:-1] == seg_id[1:]))[0]
        zeros = np.zeros(0)
        if change.size:
            sel = change
            lo, hi = np.minimum(t[sel], t[sel + 1]), np.maximum(t[sel], t[sel + 1])
            sub = {i: (base[i][0][sel], base[i][1][sel]) for i in (1, 2)}
            ksel = np.full(sel.size, kind)

            def fn(x, a=a[sel], b=b[sel], ksel=ksel, sub=sub):
                return _flat_parts(ev, x, a, b, ksel, sub)[0]

            # linear interpolation between the grid points starts the secant steps
            x0 = lo - m1[sel] * (hi - lo) / (m1[sel + 1] - m1[sel]) * np.sign(t[sel + 1] - t[sel])
            x0 = np.clip(np.where(t[sel + 1] > t[sel], t[sel] - m1[sel] * (t[sel + 1] - t[sel])
                                  / (m1[sel + 1] - m1[sel]), x0), lo, hi)
            zeros = _secant_then_bisect(fn, x0, lo, hi, (hi - lo) * 1e-3)
            found["t"].append(zeros)
            found["j"].append(jj[sel])
            found["kind"].append(ksel)
            found["spacing"].append(spacing[sel])
        with np.errstate(divide="ignore"):
            fail = (np.log(np.abs(m1)) <= np.log(np.abs(m2)) + log_r) & (np.abs(t) >= 1.0 / delta)
        if np.any(fail):
            _check_failures_near_zeros(t[fail], seg_id[fail], spacing[fail], zeros,
                                       seg_id[change] if change.size else np.zeros(0, int), delta)
    if not found["t"]:
        return {key: np.zeros(0) for key in ("t", "j", "kind", "spacing", "log_est")}
    bands = {key: np.concatenate(value) for key, value in found.items()}
    bands["j"] = bands["j"].astype(int)
    bands["kind"] = bands["kind"].astype(int)
    inside = 1.0 / (np.abs(bands["t"]) + bands["spacing"] / 4) < delta
    bands = {key: value[inside] for key, value in bands.items()}
    base = {i: (np.full(bands["t"].shape, -f.real), np.full(bands["t"].shape, -f.imag))
            for i, f in ((1, p.fhat1), (2, p.fhat2))}
    log_s, _ = _linear_halfwidth(ev, bands, base, bands["t"])
    # the frozen band's measure in the ball: its w-interval clipped to |w| <= δ (m = 1), or its
    # length times the (m-1)-volume left at its inner edge (m > 1); a band outside gets -inf
    at = np.abs(bands["t"])
    s_lin = np.minimum(np.exp(log_s), 0.5 * at)
    w_inner, w_outer = 1.0 / (at + s_lin), 1.0 / (at - s_lin)
    with np.errstate(divide="ignore"):
        length = np.log(np.maximum(np.minimum(w_outer, delta) - w_inner, 0.0))
        tiny = w_outer <= delta  # wholly inside: the linear length keeps its precision
        length = np.where(tiny, math.log(2.0) + log_s - 2 * np.log(at), length)
        radius = np.sqrt(np.maximum(delta**2 - w_inner**2, 0.0))
        bands["log_est"] = (_log_ball_volume(p.m - 1, radius) if p.m > 1 else 0.0) + length
    return bands


def _check_failures_near_zeros(t_fail, seg_fail, spacing_fail, zeros, seg_zeros, delta):
    if t_fail.size > 10_000:
        raise RareEventError(f"the event fails on a large part of the grid at δ = {delta:g}: "
                             "no rare-event regime; use MC")
    for seg in np.unique(seg_fail):
        tf = t_fail[seg_fail == seg]
        zs = zeros[seg_zeros == seg]
        sp_ = spacing_fail[seg_fail == seg][0]
        if zs.size == 0 or np.any(np.min(np.abs(tf[:, None] - zs[None, :]), axis=1) > sp_ / 8):
            raise RareEventError(f"rare-event estimator not valid at δ = {delta:g}: the event "
                                 "fails away from every band (the bands are not thin); use MC")


def _linear_halfwidth(ev: _Evaluator, bands, d_other, tz):
    """log of s = |M_θ(k2)| R/|∂_t M_θ(k1)| at the zeros tz (central difference, h =
    1e-6 of the spacing), and M's slope."""
    a, b = ev.p.a[bands["j"]], ev.p.b[bands["j"]]
    a = np.broadcast_to(a.reshape(a.shape + (1,) * (tz.ndim - 1)), tz.shape)
    b = np.broadcast_to(b.reshape(b.shape + (1,) * (tz.ndim - 1)), tz.shape)
    kind = np.broadcast_to(bands["kind"].reshape(bands["kind"].shape + (1,) * (tz.ndim - 1)), tz.shape)
    sp_ = np.broadcast_to(bands["spacing"].reshape(bands["spacing"].shape + (1,) * (tz.ndim - 1)),
                          tz.shape)
    h = sp_ * 1e-6
    up = _flat_parts(ev, tz + h, a, b, kind, d_other)[0]
    down = _flat_parts(ev, tz - h, a, b, kind, d_other)[0]
    slope = np.abs(up - down) / (2 * h)
    _, m2, log_r = _flat_parts(ev, tz, a, b, kind, d_other)
    with np.errstate(divide="ignore"):
        return np.log(np.abs(m2)) + log_r - np.log(slope), slope


def _decay_per_t(ev: _Evaluator, delta: float) -> float:
    """−d log R/d|t| at the edge (≈ r (k2 − k1) for csch type), positive; used for ranges."""
    p = ev.p
    t = np.array([1.0 / delta, 1.0 / delta + 1.0])
    lr = p.model.magnitudes(t, p.k1, p.k2, want_log=True)["log_ratio"]
    slope = float(lr[0] - lr[1])
    if not slope > 0:
        raise RareEventError("|σ̂(k2 t)|/|σ̂(k1 t)| does not decrease with |t| for this "
                             "activation: there is no rare-event regime (use MC)")
    return slope


def _conditional_bands(ev: _Evaluator, bands, delta: float, n_c: int, rng: np.random.Generator,
                       region: np.ndarray | None = None, refine: bool = True):
    """log w-length of each band for n_c conditional draws of the other coordinates, the
    log ball-volume weight of each band, the largest band/spacing and how many bands were
    linearised."""
    p = ev.p
    nb = bands["t"].size
    zeros, spacing, jj = bands["t"], bands["spacing"], bands["j"]
    az, sgn = np.abs(zeros), np.sign(zeros)
    custom_region = region is not None
    region = spacing / 4 if region is None else region  # half-width in t of each band's region
    w_in = 1.0 / (az + region)
    radius = np.sqrt(np.maximum(delta**2 - w_in**2, 0.0))
    log_w = _log_ball_volume(p.m - 1, radius) if p.m > 1 else np.zeros(nb)
    shape = (nb, n_c)
    if p.m > 1:
        others = np.array([np.delete(np.arange(p.m), j) for j in range(p.m)])[jj]  # (nb, m-1)
        W = sample_ball(rng, nb * n_c, p.m - 1, np.repeat(radius, n_c))
        t_o = 1.0 / np.where(W == 0, 1e-300, W)  # w = 0 exactly contributes ĥ = 0
        rows = np.repeat(others, n_c, axis=0)
        parts = ev.parts(t_o, p.a[rows], p.b[rows])
        d = ev.residuals(parts)
        d_other = {i: (d[i][0].reshape(shape), d[i][1].reshape(shape)) for i in (1, 2)}
        chord = np.sqrt(np.maximum(delta**2 - np.einsum("ij,ij->i", W, W), 0.0)).reshape(shape)
    else:
        d_other = {i: (np.full(shape, -f.real), np.full(shape, -f.imag))
                   for i, f in ((1, p.fhat1), (2, p.fhat2))}
        chord = np.full(shape, delta)

    def col(x):
        return np.broadcast_to(x[:, None], shape)

    a, b, kind, sp_ = col(p.a[jj]), col(p.b[jj]), col(bands["kind"]), col(spacing)
    T = col(zeros)

    def f1(x):
        return _flat_parts(ev, x, a, b, kind, d_other)[0]

    reg = col(region)
    lo, hi = T - reg, T + reg
    if np.any(np.sign(f1(lo)) * np.sign(f1(hi)) >= 0):
        if custom_region:
            raise _RegionTooSmall()
        raise RareEventError(f"a band's zero left its bracket at δ = {delta:g} (the network's own "
                             "spectrum moves the bands by more than a quarter spacing): the "
                             "rare-event estimator is not valid; use MC")
    tz = _secant_then_bisect(f1, T, lo, hi, sp_ * 1e-3)
    log_s, _ = _linear_halfwidth(ev, bands, d_other, tz)
    s_lin = np.exp(log_s)
    frac = float(np.max(s_lin / sp_))
    left, right = s_lin.copy(), s_lin.copy()
    wide = s_lin > 1e-6 * sp_
    if refine and np.any(wide) and frac <= 0.5:
        idx = np.nonzero(wide)
        sub = {i: (d_other[i][0][idx], d_other[i][1][idx]) for i in (1, 2)}
        tw, s0 = tz[idx], s_lin[idx]
        for direction, store in ((1.0, right), (-1.0, left)):
            def g(log_try, direction=direction):
                mm1, mm2, lr = _flat_parts(ev, tw + direction * np.exp(log_try), a[idx], b[idx],
                                           kind[idx], sub)
                with np.errstate(divide="ignore"):
                    return np.log(np.abs(mm1)) - np.log(np.abs(mm2)) - lr
            lo_s = np.log(s0) - 3.0
            hi_s = np.log(np.minimum(s0 * 20.0, sp_[idx] / 4))
            ok = (g(lo_s) < 0) & (g(hi_s) > 0)
            # g is a log ratio: |g| <= 1e-9 fixes s to ~1e-9 relative
            sol = _secant_then_bisect(g, np.log(s0), lo_s, hi_s, np.full(s0.shape, 0.01),
                                      steps=6, tol=1e-9, ftol=1e-9)
            store[idx] = np.where(ok, np.exp(sol), s0)
        frac = max(frac, float(np.max(np.maximum(left, right) / sp_)))
    at = np.abs(tz)
    sg = col(sgn)
    s_out = np.where(sg > 0, right, left)  # towards larger |t| (smaller |w|)
    s_in = np.where(sg > 0, left, right)
    w_lo, w_hi = 1.0 / (at + s_out), 1.0 / (at - s_in)
    with np.errstate(divide="ignore"):
        log_len = np.where(wide, np.log(np.maximum(w_hi - w_lo, 0.0)),
                           math.log(2.0) + log_s - 2 * np.log(at))
        partial = w_hi > chord  # clip to the ball: |w_j| <= sqrt(δ² − |W_{-j}|²)
        log_len = np.where(partial, np.log(np.maximum(np.minimum(w_hi, chord) - w_lo, 0.0)), log_len)
    reach = np.max(np.abs(tz - T) + np.maximum(left, right), axis=1)  # per band, in t
    if np.any(reach > region):
        if custom_region:
            raise _RegionTooSmall()
        raise RareEventError(f"rare-event estimator not valid at δ = {delta:g}: a failure band "
                             "reaches beyond a quarter of the zero spacing; use MC")
    return log_len, log_w, frac, int(np.count_nonzero(~wide)), reach


class _RegionTooSmall(Exception):
    """A conditional band reached outside its region: redo with the quarter spacing."""
