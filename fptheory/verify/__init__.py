r"""Verdicts, and the prover that earns them: claims, certified inequalities, certificates.

What this package holds and may import: :mod:`~fptheory.verify.claims` (the ``@claim``
decorator, verdicts, :func:`assess_identity`), :mod:`~fptheory.verify.strategies` (hypothesis
strategies for property tests; needs the ``test`` extra, so it is not imported here), and the
prover below. It may import :mod:`fptheory.core` and :mod:`fptheory.fourier`, nothing above.

**The prover**: certified checking of inequalities on boxes: sampling first, then
branch-and-bound with rigorous ball arithmetic (python-flint ``arb``), every box closed by a
small trusted kernel.

The prover, one way down: :mod:`~fptheory.core.parsing` (the closed grammar every
formula is read with: decimals exact, nothing evaluated as code),
:mod:`~fptheory.verify.limits` (deadlines that interrupt sympy),
:mod:`~fptheory.verify.backends` (arb balls and mpmath.iv intervals, with the definedness
walk), :mod:`~fptheory.verify.kernel` (the only code that closes a box),
:mod:`~fptheory.verify.domains` (bounds and relations), :mod:`~fptheory.verify.rewrites`
(proposals: forms and split points), :mod:`~fptheory.verify.witness` (exactly checked
counterexamples), :mod:`~fptheory.verify.search` (the branch-and-bound) and
:mod:`~fptheory.verify.certificates` (re-checking).

A statement ``lhs REL rhs`` (REL in <=, <, >=, >) becomes g ≥ 0 (or g > 0) with
g = rhs - lhs (or lhs - rhs). Over a box of exact sympy endpoints (π/2 stays π/2):

1. **sampling** (mpmath, 30+ digits, corners, midpoints and seeded random points) hunts for
   a counterexample; one found is confirmed by an arb ball at the exact point;
2. **interval rule**: g passes the kernel's definedness walk on the box (every sub-term
   real and finite) and the arb enclosure of g, or of a form of g whose equality with g the
   kernel established exactly, has lower bound > 0 (≥ 0);
3. **monotone rule**: g is C¹ on the box (the walk of g and of its raw derivative pass, no
   jump of sign/Heaviside/Abs/Max/Min inside) and ∂g/∂x_i has a certified sign on the box
   (proved recursively, by the same rules), so the minimum lies on one face: the box is
   replaced by that face.
   This is how bounds tight at a boundary are certified, e.g. (2/π)x ≤ sin x at 0 and
   π/2, and, after splitting at the critical points sympy finds, e^x ≥ 1 + x at 0;
4. **exact point rule**: on a point, the walked ball decides, or sympy proves g = 0 exactly;
5. otherwise the box is split (in log space for a positive variable spanning decades).

Relations between variables (``k1 < k2``) are removed by substitution
(:meth:`Domain.without_relations`): where x ≥ lo_y, y = x + s (hi_y - x) with s ∈ [0, 1];
a relation variable fixed on a face (s = 0, i.e. y = x) is substituted exactly, so
sinh(x)/sinh(x) is 1 and not a wide ball.

**Unbounded domains** ("x>=0", "x<=-1", "x real", "0<u1<u2"). arb gives nan on a ball
reaching ∞, so a side [a, ∞) is cut at powers of 16: [a, 16^k], [16^k, 16^(k+1)], ... are
finite boxes (arb, split in log space), and the box [16^n, ∞) that is left is tried by
extended interval arithmetic (mpmath.iv, whose kernels keep [X, ∞] endpoints: exp([-∞, -X]) =
[0, e^-X], 1/[X, ∞] = [0, 1/X], ∞ - ∞ = [-∞, ∞]; wrappers refuse a division by an interval
containing 0 and log/sqrt reaching 0, where iv would silently drop the undefined point, so
such a box stays open). The same rules close it: interval; monotone (a certified sign of
∂g/∂x on [X, ∞) moves to the face x = X, or to x = ∞, enclosed as g over [2^100, ∞), which
contains lim g); no point rule at ∞. Far out, g is also evaluated in forms rewritten for
x → ∞ (:func:`_at_infinity_forms`: in 1/x for rational parts, in e^{-x} for exponential and
hyperbolic parts), which decide what the plain form cannot (x/(1+x²) ≤ 1/2, sinh ratios).
A tail still open at 2^100 ends in ``unknown`` with the reason ("tight at infinity" when g
there is 0 to 6 digits: the infimum of g is approached as x → ∞, e.g. e^{-x} > 0), never in
a guess. A relation whose larger side is unbounded substitutes y = x + d, d ∈ [0, ∞). The
sampler draws log-uniform distances (10^-3 to 10^40) beyond a finite end, and a sampled
counterexample counts only when an arb ball at the exact point confirms it.

A counterexample is an exact point of the domain (every bound, open end and relation
checked exactly) where g < 0 is shown by a walked ball, g = 0 by sympy for a strict
statement, or where the statement is not defined (a sub-term non-real or infinite when
evaluated exactly): a statement undefined somewhere in its domain is never certified.
Decimals in statements and domains are exact rationals (0.1 is 1/10).

Every closed box and its rule is kept: the certificate can be saved (JSON) and
re-checked by :func:`recheck_certificate`: each leaf by its stated rule (tail boxes
included), and the coverage exactly (leaves inside the domain, interiors pairwise disjoint
by exact comparisons, volumes adding up to the domain's; on an unbounded domain in the
coordinates x/(1 + |x|)). On a domain with relations the certificate holds one piece per
substituted box (its substitution, statement and domain as sympy strings); the re-check
derives the pieces and the substituted statements again. Box and time budgets end in
``unknown``, never in a guess. Exact constants enter as balls (``arb(p)/q``, ``arb.pi()``).

>>> x = sp.Symbol("x", real=True)
>>> certify(2 * x / sp.pi <= sp.sin(x), Domain.parse("0 <= x <= pi/2")).verdict.value
'certified'
>>> r = certify(sp.sin(x) <= x - x**3 / 7, Domain.parse("0 <= x <= 2"))
>>> r.verdict.value, sorted(r.counterexample)
('refuted', ['x'])
>>> certify(sp.log(1 + x) <= x, Domain.parse("x >= 0")).verdict.value
'certified'
"""

from __future__ import annotations

from .backends import (
                       ARB,
                       SUPPORTED_CERTIFIED,
                       BallBackend,
                       Undefined,
                       compile_arb,
                       compile_balls,
)
from .certificates import RecheckResult, recheck_certificate
from .claims import (
                       HOLDS,
                       Assessment,
                       ClaimResult,
                       Evidence,
                       Formula,
                       Verdict,
                       assess_identity,
                       claim,
                       proved,
                       refuted,
                       run_claim,
                       unknown,
)
from .domains import Domain, parse_statement
from .extended import EXTENDED, TAIL_CAP
from .kernel import Kernel, exactly_equal
from .results import CertifyResult, Leaf
from .search import certify
from .statement import prove

__all__ = ["prove", "Verdict", "HOLDS", "Evidence", "Formula", "Assessment", "ClaimResult", "claim",
           "run_claim", "assess_identity", "proved", "refuted", "unknown",
           "Domain", "CertifyResult", "RecheckResult", "Leaf", "certify", "recheck_certificate",
           "parse_statement", "compile_arb", "compile_balls", "BallBackend", "ARB", "EXTENDED",
           "Kernel", "exactly_equal", "Undefined", "TAIL_CAP", "SUPPORTED_CERTIFIED"]

import sympy as sp  # noqa: E402, F401  (the doctests above use it)
