"""Benchmark: ``fptheory prove`` on classic published inequalities, run by hand.

    python benchmarks/bench_prove.py            # all 97 pairs, 60 s per true, 10 s per false
    python benchmarks/bench_prove.py --quick    # six pairs, 10 s / 5 s (a shared machine)
    python benchmarks/bench_prove.py --limit 20 --false-limit 10 --only kepler,harrison

Each entry is an inequality that a formal verifier or automatic prover publishes as its own
example or benchmark (the source is recorded with it), and a false variant: the constant
moved just past the true extreme (the extreme and a violating point, found by dense sampling
and local minimisation, are recorded in the comment). Printed in one run, for today's search
(:func:`fptheory.verify.prove`) and for a plain branch and bound (the margin's arb
enclosure on each box, bisection of the widest side, the centre of each undecided box tried
as a counterexample; no forms, no monotone rule, no hunt) as the baseline: per statement the
verdict, boxes and seconds; then how many true ones are certified within the limit, how many
false ones are refuted within the false limit, and the ratios. Verdicts of the baseline are
its own (a plain enclosure is a valid proof; its refutations are checked at the exact point
with a 400-bit enclosure).
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import dataclass

import sympy as sp
from flint import arb, ctx

from fptheory.verify import Domain, parse_statement, prove
from fptheory.verify.backends import ARB, Undefined, _infinite, compile_balls

COQ_2007 = "Coq Interval testsuite, example-20071016.v (G. Melquiond)"
COQ_2014 = ("Coq Interval testsuite, example-20140221.v, from J. Harrison, Verifying the "
            "accuracy of polynomial approximations in HOL, TPHOLs 1997")
METIT = ("MetiTarski problem families (B. Akbarpour, L. C. Paulson, MetiTarski: an automatic "
         "theorem prover for real-valued special functions, JAR 44(3), 2010)")
FLYSPECK = ("Flyspeck / FPTaylor benchmark kepler0 (T. Hales et al.; A. Solovyev et al., "
            "FPTaylor, FM 2015), bound from the corner x1 = x4 = 6.36, others 4")


@dataclass(frozen=True)
class Pair:
    name: str
    true: str
    false: str
    assume: str
    source: str


PAIRS = [
    # extreme: sqrt(2) = 1.41421356 at x = -1
    Pair("coq-sqrt", "sqrt(1 - x) <= 141422/100000", "sqrt(1 - x) <= 141421/100000",
         "-1<=x<=1", COQ_2007),
    # extreme 0.0021531 at (3/2, 33/32); 70/32768 = 0.0021362
    Pair("coq-nested-sqrt", "Abs(sqrt(1 + x/sqrt(x+y)) - 144/1000*x - 118/100) <= 71/32768",
         "Abs(sqrt(1 + x/sqrt(x+y)) - 144/1000*x - 118/100) <= 70/32768",
         "3/2<=x<=2, 1<=y<=33/32", COQ_2007),
    # extreme 7.059e-5 at x = 1.8868; 23/327680 = 7.019e-5
    Pair("coq-sqrt-poly",
         "Abs(sqrt(x) - (((((122/7397*x - 1733/13547)*x + 529/1274)*x - 767/999)*x "
         "+ 407/334)*x + 227/925)) <= 5/65536",
         "Abs(sqrt(x) - (((((122/7397*x - 1733/13547)*x + 529/1274)*x - 767/999)*x "
         "+ 407/334)*x + 227/925)) <= 23/327680", "1/2<=x<=2", COQ_2007),
    # extreme 0.6151 at x = 1/sqrt(3) (x >= -1, unbounded as published)
    Pair("coq-cubic", "x < 1 + x**3", "x + 62/100 < 1 + x**3", "x>=-1", COQ_2007),
    # extreme 9.875e-11 at x = 0.006977 (the bound 23/27/2^33 = 9.916e-11)
    Pair("harrison-exp",
         "Abs(exp(x) - 1 - (x + 8388676/2**24*x**2 + 11184876/2**26*x**3)) <= 23/27/2**33",
         "Abs(exp(x) - 1 - (x + 8388676/2**24*x**2 + 11184876/2**26*x**3)) <= 22/27/2**33",
         "-10831/1000000<=x<=10831/1000000", COQ_2014),
    # tight at 0 (the false variants: the bound moved 10^-6 past it there)
    Pair("meti-cos", "cos(x) <= 1 - x**2/2 + x**4/24", "cos(x) <= 1 - x**2/2 + x**4/24 - 1/10**6",
         "-10<=x<=10", METIT),
    Pair("meti-sin", "sin(x) >= x - x**3/6", "sin(x) >= x - x**3/6 + 1/10**6", "0<=x<=10", METIT),
    Pair("meti-abs-sin", "Abs(sin(x)) <= Abs(x)", "Abs(sin(x)) + 1/10**6 <= Abs(x)", "-5<=x<=5",
         METIT),
    Pair("meti-tan", "tan(x) >= x", "tan(x) >= x + 1/10**6", "0<=x<=3/2", METIT),
    Pair("meti-sqrt", "sqrt(1+x) <= 1 + x/2", "sqrt(1+x) <= 1 + x/2 - 1/10**6", "-1<=x<=10",
         METIT),
    Pair("meti-atan", "atan(x) >= x/(1+x**2)", "atan(x) >= x/(1+x**2) + 1/10**6", "0<=x<=10",
         METIT),
    Pair("meti-log", "log(x) <= x - 1", "log(x) <= x - 1 - 1/10**6", "0<x<=10", METIT),
    # extreme -1/e at x = 1/e = 0.3678794
    Pair("meti-xlogx", "x*log(x) >= -1/E", "x*log(x) >= -3678/10000", "0<x<=1", METIT),
    Pair("meti-log1p", "x/(1+x) <= log(1+x)", "x/(1+x) + 1/10**6 <= log(1+x)", "-1<x<=10", METIT),
    Pair("jordan", "sin(x) >= 2*x/pi", "sin(x) >= 2*x/pi + 1/10**6", "0<=x<=pi/2",
         "Jordan's inequality; MetiTarski and Coq Interval examples"),
    Pair("exp-taylor3", "exp(x) >= 1 + x + x**2/2 + x**3/6",
         "exp(x) >= 1 + x + x**2/2 + x**3/6 + 1/10**6", "0<=x<=3", METIT),
    Pair("sin-taylor5", "sin(x) <= x - x**3/6 + x**5/120",
         "sin(x) <= x - x**3/6 + x**5/120 - 1/10**6", "0<=x<=4", METIT),
    Pair("exp-tangent", "exp(x) >= 1 + x", "exp(x) >= 1 + x + 1/10**6", "-10<=x<=10", METIT),
    # strict, tight at the excluded end 0 (x - sin x ~ x^3/6)
    Pair("sin-strict", "sin(x) < x", "sin(x) < x - 1/10**6", "0<x<=1", METIT),
    # sin(x)/x - cos(x) ~ x^2/3 at the excluded end 0
    Pair("sinc-cos", "sin(x)/x >= cos(x)", "sin(x)/x >= cos(x) + 1/10**6", "0<x<=2", METIT),
    # tight at (±1, ±1)
    Pair("motzkin", "x**4*y**2 + x**2*y**4 - 3*x**2*y**2 + 1 >= 0",
         "x**4*y**2 + x**2*y**4 - 3*x**2*y**2 + 1 >= 1/10**6", "-2<=x<=2, -2<=y<=2",
         "Motzkin's polynomial (1967): non-negative, not a sum of squares; SOS benchmarks"),
    # AM-GM in three variables, tight on a = b = c; the false variant fails at (1, 1, 1)
    Pair("amgm3", "a**3 + b**3 + c**3 >= 3*a*b*c", "a**3 + b**3 + c**3 >= 30001/10000*a*b*c",
         "0<=a<=1, 0<=b<=1, 0<=c<=1", METIT),
    # min 20.8608 at x1 = x4 = 6.36, others 4
    Pair("kepler0",
         "x2*x5 + x3*x6 - x2*x3 - x5*x6 + x1*(-x1 + x2 + x3 - x4 + x5 + x6) >= 20",
         "x2*x5 + x3*x6 - x2*x3 - x5*x6 + x1*(-x1 + x2 + x3 - x4 + x5 + x6) >= 2087/100",
         ", ".join(f"4<=x{i}<=6.36" for i in range(1, 7)), FLYSPECK),
    # the chapter's (1.14): ratio sinh/sinh below e^{-π(k2-k1)/(2w)}; it exceeds 0.99 of it
    # at k1 = 1, k2 = 3/2, w = 1/10
    Pair("chapter-1.14", "sinh(pi*k1/(2*w))/sinh(pi*k2/(2*w)) <= exp(-pi*(k2-k1)/(2*w))",
         "sinh(pi*k1/(2*w))/sinh(pi*k2/(2*w)) <= 99/100*exp(-pi*(k2-k1)/(2*w))",
         "1/2<=k1<=1, 3/2<=k2<=3, 1/10<=w<=1",
         "this project's chapter, eq. (1.14); Coq Interval proves it on 1/4 <= w <= 1"),
]

COQ_MORE = "Coq Interval testsuite (G. Melquiond et al.), "
POLY = ("global-optimisation polynomial benchmarks (PHCpack/POSSO families; C. Muñoz, "
        "A. Narkawicz, Formalization of Bernstein polynomials and applications to global "
        "optimization, JAR 51(2), 2013), bound from dense sampling and local minimisation here")
METIT_2VAR = ("MetiTarski two-variable problems 1 and 2 (0 < y < x: ln(x/y)/2 > (x - y)/(x + y); "
              "x, y > 0: e^x > e^(xy/(x+y))), as in the proof-reconstruction tests of verified "
              "MetiTarski in Isabelle/HOL (two-variable-problem-1, -2)")
CLASSIC = ("classic inequalities tight along a ray: AM-GM in two and three terms, subadditivity of "
           "the square root, the log-sum inequality (G. H. Hardy, J. E. Littlewood, G. Pólya, "
           "Inequalities, 1952)")
TINY = "one-variable bounds with margins of 1e-5 to 1e-8 at an interior extreme (MetiTarski style)"
SCALED = "trigonometric arguments scaled by 1e6 (MetiTarski style)"
ELL = "6378137/sqrt(1 + (1-1000000000/298257223563)**2*tan(p)**2)"
_X = "(715**2/512**2-p**2)"
ARP = (f"(4439091/4 + {_X}*(9023647/4 + {_X}*(13868737/64 + {_X}*(13233647/2048 + {_X}*("
       f"-1898597/16384 + {_X}*(-6661427/131072))))))")
_P, _Q = "(1/4 + x**2*1116769/2**28)", "(1/2 + x**2*13418331/2**28)"
CODY = f"Abs(((2*(x*{_P}/({_Q} - x*{_P}) + 1/2)) - exp(x))/exp(x))"
RD = "-x1 + 2*x2 - x3 - 0.835634534*x2*(1 + x2)"
CAP = ("-x1*x3**3 + 4*x2*x3**2*x4 + 4*x1*x3*x4**2 + 2*x2*x4**3 + 4*x1*x3 + 4*x3**2 "
       "- 10*x2*x4 - 10*x4**2 + 2")
LV = "x1*x2**2 + x1*x3**2 + x1*x4**2 - 1.1*x1 + 1"
BUT = "x6*x2**2 + x5*x3**2 - x1*x4**2 + x4**3 + x4**2 - x1/3 + 4*x4/3"
MAG = "x1**2 + 2*x2**2 + 2*x3**2 + 2*x4**2 + 2*x5**2 + 2*x6**2 + 2*x7**2 - x1"
HEART = ("-x1*x6**3 + 3*x1*x6*x7**2 - x3*x7**3 + 3*x3*x7*x6**2 - x2*x5**3 + 3*x2*x5*x8**2 "
         "- x4*x8**3 + 3*x4*x8*x5**2 - 0.9563453")
K1 = ("x1*x4*(-x1+x2+x3-x4) + x2*(x1-x2+x3+x4) + x3*(x1+x2-x3+x4) - x2*x3*x4 - x1*x3 "
      "- x1*x2 - x4")
K2 = ("x1*x4*(-x1+x2+x3-x4+x5+x6) + x2*x5*(x1-x2+x3+x4-x5+x6) + x3*x6*(x1+x2-x3+x4+x5-x6) "
      "- x2*x3*x4 - x1*x3*x5 - x1*x2*x6 - x4*x5*x6")
SCH = "(x1 - x2**2)**2 + (x2 - 1)**2 + (x1 - x3**2)**2 + (x3 - 1)**2"


def _box(n: int, lo: str, hi: str) -> str:
    return ", ".join(f"{lo}<=x{i}<={hi}" for i in range(1, n + 1))


PAIRS += [
    Pair("coq-x-le-xx", "x <= x*x", "x + 1/10**6 <= x*x", "1<=x", COQ_MORE + "example-20110205.v"),
    Pair("coq-x-lt-xx", "x < x*x", "x + 21/10 < x*x", "2<=x", COQ_MORE + "example-20120205.v"),
    Pair("coq-sin-abs", "sin(Abs(x)) >= 0", "sin(Abs(x)) >= 1/10**6", "-157/100<=x<=157/100",
         COQ_MORE + "ineq_sin_abs.v"),
    # extreme 4.758e-8 at p = 0
    Pair("coq-ellipsoid", f"Abs(({ELL} - {ARP})/{ELL}) <= 23/16777216",
         f"Abs(({ELL} - {ARP})/{ELL}) <= 47/10**9", "0<=p<=715/512",
         COQ_MORE + "example-20140610.v, from M. Daumas, G. Melquiond, C. Muñoz, Guaranteed "
         "proofs using interval arithmetic, ARITH 17, 2005"),
    # extreme 8.685e-10 at |x| = 0.35 (the bound 17/2^34 = 9.895e-10)
    Pair("coq-cody-exp", f"{CODY} <= 17/2**34", f"{CODY} <= 86/10**11", "-35/100<=x<=35/100",
         COQ_MORE + "example-20150105.v, from W. J. Cody, W. Waite, Software Manual for the "
         "Elementary Functions, 1980"),
    # extreme 9.973e-9 at x = -1/256 (the original rounds to binary64; here exactly)
    Pair("coq-exp-deg2", "Abs(1 + x*(1 + x*9007164895206513/2**54) - exp(x)) <= 1/10**8",
         "Abs(1 + x*(1 + x*9007164895206513/2**54) - exp(x)) <= 1/10**9", "-1/256<=x<=1/256",
         COQ_MORE + "example-20221027.v"),
    # extreme 6.73e-8 at |x| = 1/8
    Pair("atan-taylor5", "Abs(atan(x) - (x - x**3/3 + x**5/5)) <= 1/10**7",
         "Abs(atan(x) - (x - x**3/3 + x**5/5)) <= 67/10**9", "-1/8<=x<=1/8",
         "a polynomial approximation of atan with |error| < 1e-7 (in the style of J. Harrison, "
         "TPHOLs 1997)"),
    # minima: rd -36.71269068 at (5, -5, 5); caprasse -3.18009663; lv -20.8; butcher
    # -1.43933333; magnetism -0.25; heart -2.7735453; kepler1 -248.162112; kepler2 128
    Pair("poly-rd", f"{RD} >= -36.7127", f"{RD} >= -36.7126", _box(3, -5, 5), POLY),
    Pair("poly-caprasse", f"{CAP} >= -3.1801", f"{CAP} >= -3.18", _box(4, -0.5, 0.5), POLY),
    Pair("poly-lv", f"{LV} >= -20.801", f"{LV} >= -20.799", _box(4, -2, 2), POLY),
    Pair("poly-butcher", f"{BUT} >= -1.4394", f"{BUT} >= -1.4393",
         "-1<=x1<=0, -0.1<=x2<=0.9, -0.1<=x3<=0.5, -1<=x4<=-0.1, -0.1<=x5<=-0.05, "
         "-0.1<=x6<=-0.03", POLY),
    Pair("poly-magnetism", f"{MAG} >= -0.25", f"{MAG} >= -0.2499", _box(7, -1, 1), POLY),
    Pair("poly-heart", f"{HEART} >= -2.7736", f"{HEART} >= -2.7735",
         "-0.1<=x1<=0.4, 0.4<=x2<=1, -0.7<=x3<=-0.4, -0.7<=x4<=0.4, 0.1<=x5<=0.2, "
         "-0.1<=x6<=0.2, -1.1<=x7<=-0.3, -1.1<=x8<=-0.3", POLY),
    Pair("poly-schwefel", f"{SCH} >= 0", f"{SCH} >= 1/10**6", _box(3, -10, 10), POLY),
    Pair("kepler1", f"{K1} >= -248.163", f"{K1} >= -248.16", _box(4, 4, 6.36), FLYSPECK),
    Pair("kepler2", f"{K2} >= 127.99", f"{K2} >= 128.01", _box(6, 4, 6.36), FLYSPECK),
    # maxima: sqrt(2) - 1.41422 = -6.4e-6; 1/e at 1 and at e; 2/(3 sqrt 3) = 0.38490018
    Pair("tiny-sincos", "sin(x) + cos(x) <= 1.41422", "sin(x) + cos(x) <= 1.41421",
         "0<=x<=pi/2", TINY),
    Pair("tiny-xexp", "x*exp(-x) <= 0.36788", "x*exp(-x) <= 0.36787", "0<=x<=10", TINY),
    Pair("tiny-logx", "log(x)/x <= 0.36788", "log(x)/x <= 0.36787", "1<=x<=10", TINY),
    Pair("tiny-sqrt", "sqrt(x)*(1-x) <= 0.3849002", "sqrt(x)*(1-x) <= 0.3849001", "0<=x<=1",
         TINY),
    Pair("scaled-sin", "sin(1000000*x) <= 1000000*x", "sin(1000000*x) <= 1000000*x - 1/10**6",
         "0<=x<=1", SCALED),
    Pair("scaled-cos", "1 - cos(1000000*x) <= 500000000000*x**2",
         "1 - cos(1000000*x) + 1/10**6 <= 500000000000*x**2", "-1<=x<=1", SCALED),
    # 0/0 at the excluded end 0
    Pair("meti-bernoulli", "x/(exp(x) - 1) <= 1", "x/(exp(x) - 1) <= 1 - 1/10**6", "0<x<=5",
         METIT),
    Pair("meti-log-ratio", "log(x)/(x - 1) <= 1", "log(x)/(x - 1) <= 1 - 1/10**6", "1<x<=3",
         METIT),
    # two variables, unbounded or related, tight along a ray or at an excluded corner
    Pair("meti-2var-log", "log(x/y)/2 > (x - y)/(x + y)",
         "log(x/y)/2 > (x - y)/(x + y) + 1/10**6", "0<y<x", METIT_2VAR),
    Pair("meti-2var-exp", "exp(x) > exp(x*y/(x + y))", "exp(x) > exp(x*y/(x + y)) + 1/10**6",
         "0<x, 0<y", METIT_2VAR),
    Pair("sqrt-subadditive", "sqrt(x + y) <= sqrt(x) + sqrt(y)",
         "sqrt(x + y) + 1/10**6 <= sqrt(x) + sqrt(y)", "0<x, 0<y", CLASSIC),
    Pair("amgm2-sqrt", "sqrt(x*y) <= (x + y)/2", "sqrt(x*y) + 1/10**9 <= (x + y)/2",
         "1<=x<=2, 1<=y<=2", CLASSIC),
    Pair("amgm3-cbrt", "(x*y*z)**(1/3) <= (x + y + z)/3", "(x*y*z)**(1/3) + 1/10**9 <= (x + y + z)/3",
         "1<=x<=2, 1<=y<=2, 1<=z<=2", CLASSIC),
    Pair("log-sum", "x*log(x) + y*log(y) >= (x + y)*log((x + y)/2)",
         "x*log(x) + y*log(y) >= (x + y)*log((x + y)/2) + 1/10**6", "1/10<=x<=3, 1/10<=y<=3",
         CLASSIC),
]

VERIFIED_METIT = ("MetiTarski problems whose proofs are reconstructed in Isabelle/HOL (verified "
                  "MetiTarski's proof-reconstruction tests: exp-problem-1, abs-problem-4, "
                  "polypaver-bench-exp, log-fun-ineq-f, two-variable-problem-6)")
CONE = ("classic inequalities on a cone, tight at a = b = c: Nesbitt's (1903), Schur's (t = 1), "
        "AM-GM in four terms (Hardy, Littlewood, Pólya, Inequalities, 1952)")
CURVE = ("bounds that read two variables through one combination, tight along a curve: "
         "xy e^(-xy) <= 1/e, and an atan of a ratio in the style of FPTaylor's azimuth benchmark "
         "(A. Solovyev et al., FM 2015; its maximum 1.2623134 from local optimisation here)")
INFINITY = "a bound tight at infinity (MetiTarski style): x log(1 + 1/x) < 1 on x > 0"
DIAGONAL = ("symmetric bounds tight along the whole diagonal x = y: Jensen's inequality for the "
            "convex exp and the concave atan on [0, 5] (J. L. W. V. Jensen, Acta Math. 30, 1906; "
            "Hardy, Littlewood, Pólya, Inequalities, 1952, ch. III), sin x sin y <= "
            "sin^2((x + y)/2) on [0, 3] (by the product-to-sum formulas, cos(x - y) <= 1), "
            "and the Lipschitz bound |sin x - sin y| <= |x - y|")
_AZ = "atan((cos(b)*sin(c - d))/(cos(a)*sin(b) - sin(a)*cos(b)*cos(c - d)))"

PAIRS += [
    # tight at x = 0 (both sides 0 there)
    Pair("meti-exp-problem-1", "exp(x) - (1 + x) <= x**2*exp(x)",
         "exp(x) - (1 + x) + 1/10**6 <= x**2*exp(x)", "0<=x<=1", VERIFIED_METIT),
    Pair("meti-abs-problem-4", "2*Abs(x)/(2 + x) <= Abs(log(1 + x))",
         "2*Abs(x)/(2 + x) + 1/10**6 <= Abs(log(1 + x))", "x>-1", VERIFIED_METIT),
    Pair("meti-polypaver-exp", "exp(x + y) <= exp(x)*exp(y) + 2**-8",
         "exp(x + y) <= exp(x)*exp(y) - 2**-8", "0<=x<=1, 0<=y<=1", VERIFIED_METIT),
    # the margin is 1 exactly where log(x) = a (x = e^a)
    Pair("meti-log-fun-ineq-f", "log(x) <= 1 + exp(log(x)/a)*a/exp(1)",
         "log(x) + 1 + 1/10**6 <= 1 + exp(log(x)/a)*a/exp(1)", "a>0, 0<x<4", VERIFIED_METIT),
    Pair("meti-two-var-6", "1/(1 + exp(x)) > 1/(1 + exp(y))",
         "1/(1 + exp(x)) > 1/(1 + exp(y)) + 1/10**6", "x<y", VERIFIED_METIT),
    Pair("nesbitt", "a/(b + c) + b/(c + a) + c/(a + b) >= 3/2",
         "a/(b + c) + b/(c + a) + c/(a + b) >= 3/2 + 1/10**6", "a>0, b>0, c>0", CONE),
    Pair("schur", "a*(a - b)*(a - c) + b*(b - a)*(b - c) + c*(c - a)*(c - b) >= 0",
         "a*(a - b)*(a - c) + b*(b - a)*(b - c) + c*(c - a)*(c - b) >= a*b*c/10**4",
         "a>=0, b>=0, c>=0", CONE),
    Pair("amgm4", "a**4 + b**4 + c**4 + d**4 >= 4*a*b*c*d",
         "a**4 + b**4 + c**4 + d**4 >= 40001/10000*a*b*c*d",
         "0<=a<=1, 0<=b<=1, 0<=c<=1, 0<=d<=1", CONE),
    Pair("xy-exp-xy", "x*y*exp(-x*y) <= exp(-1)", "x*y*exp(-x*y) <= exp(-1) - 1/10**9",
         "x>0, y>0", CURVE),
    Pair("azimuth-style", f"{_AZ} <= 12623135/10**7", f"{_AZ} <= 12623133/10**7",
         "0<=a<=2/5, 1/2<=b<=1, 0<=c<=314/100, -314/100<=d<=-1/2", CURVE),
    Pair("inf-xlog", "x*log(1 + 1/x) < 1", "x*log(1 + 1/x) < 1 - 1/10**9", "x>0", INFINITY),
    # each margin is 0 along the whole diagonal x = y and > 0 off it
    Pair("jensen-exp", "(exp(x) + exp(y))/2 >= exp((x + y)/2)",
         "(exp(x) + exp(y))/2 >= exp((x + y)/2) + 1/10**6", "-2<=x<=2, -2<=y<=2", DIAGONAL),
    Pair("jensen-sin", "sin(x)*sin(y) <= sin((x + y)/2)**2",
         "sin(x)*sin(y) + 1/10**6 <= sin((x + y)/2)**2", "0<=x<=3, 0<=y<=3", DIAGONAL),
    Pair("jensen-atan", "atan(x) + atan(y) <= 2*atan((x + y)/2)",
         "atan(x) + atan(y) + 1/10**6 <= 2*atan((x + y)/2)", "0<=x<=5, 0<=y<=5", DIAGONAL),
    Pair("sin-lipschitz", "Abs(sin(x) - sin(y)) <= Abs(x - y)",
         "Abs(sin(x) - sin(y)) + 1/10**6 <= Abs(x - y)", "-3<=x<=3, -3<=y<=3", DIAGONAL),
]

DELTA = ("(x1*x4*(-x1+x2+x3-x4+x5+x6) + x2*x5*(x1-x2+x3+x4-x5+x6) + x3*x6*(x1+x2-x3+x4+x5-x6) "
         "- x2*x3*x4 - x1*x3*x5 - x1*x2*x6 - x4*x5*x6)")
DELTA4 = "(-x2*x3 - x1*x4 + x2*x5 + x3*x6 - x5*x6 + x1*(-x1+x2+x3-x4+x5+x6))"
DIH = f"(pi/2 + atan(-{DELTA4}/sqrt(4*x1*{DELTA})))"
_A = ("(sqrt(x1*x2*x3) + sqrt(x1)*(x2+x3-x4)/2 + sqrt(x2)*(x1+x3-x5)/2 "
      "+ sqrt(x3)*(x1+x2-x6)/2)")
SOL = f"(2*atan(sqrt({DELTA})/(2*{_A})))"
FLY = ("Flyspeck-style bounds on the dihedral angle dih_x and the solid angle sol_x of a "
       "tetrahedron with squared edges x1..x6 in [4, 2.52^2] (T. Hales et al., A formal proof "
       "of the Kepler conjecture, Forum Math. Pi 5, 2017; dih_x = pi/2 + atan(-Delta_4/"
       "sqrt(4 x1 Delta)) as in A. Solovyev, T. Hales, Formal verification of nonlinear "
       "inequalities with Taylor interval approximations, NFM 2013); the extremes (at corners) "
       "from differential evolution here")
PAIRS += [
    # dih_x: min 1.07109129 on [4, 4.84]^6; max 1.89251723 and min 0.85250407 on [4, 6.3504]^6
    Pair("fly-dih-small", f"{DIH} >= 1.071", f"{DIH} >= 1.0712", _box(6, 4, 4.84), FLY),
    Pair("fly-dih-max", f"{DIH} <= 1.8926", f"{DIH} <= 1.8924", _box(6, 4, 6.3504), FLY),
    Pair("fly-dih-min", f"{DIH} >= 0.8524", f"{DIH} >= 0.8526", _box(6, 4, 6.3504), FLY),
    # sol_x: min 0.31477530 on [4, 6.3504]^6, max 0.70955262 on [4, 4.84]^6
    Pair("fly-sol-min", f"{SOL} >= 0.3147", f"{SOL} >= 0.3149", _box(6, 4, 6.3504), FLY),
    Pair("fly-sol-max", f"{SOL} <= 0.7096", f"{SOL} <= 0.7095", _box(6, 4, 4.84), FLY),
    # Delta/(x1 x2 x3): min 0.94034640
    Pair("fly-delta-ratio", f"{DELTA}/(x1*x2*x3) >= 0.9403", f"{DELTA}/(x1*x2*x3) >= 0.9404",
         _box(6, 4, 6.3504), FLY),
]


def _in_y(expr: str, order: tuple[int, ...] = (1, 2, 3, 4, 5, 6)) -> str:
    """expr with x_i = y_{order[i]}²: dih_y(y) = dih_x(y1², ..., y6²), and dih2_y for the
    order (2, 1, 3, 5, 4, 6)."""
    for i, j in enumerate(order, start=1):
        expr = expr.replace(f"x{i}", f"Y{j}**2")
    return expr.replace("Y", "y")


def _ybox(*sides: tuple[str, str]) -> str:
    return ", ".join(f"{lo}<=y{i}<={hi}" for i, (lo, hi) in enumerate(sides, start=1))


_S, _F = ("2", "2.52"), ("2.52", "sqrt(8)")
DIH_Y, DIH2_Y, SOL_Y = _in_y(DIH), _in_y(DIH, (2, 1, 3, 5, 4, 6)), _in_y(SOL)
APEX_FLAT = _ybox(_S, _S, _S, _F, _S, _S)
STD3 = _ybox(*[_S] * 6)
FLY_ID = ("Flyspeck nonlinear inequalities ID[5735387903], ID[5490182221] (dart_std3 box) and "
          "ID[3318775219], ID[9922699028] (apex_flat box), verbatim (T. Hales et al., A formal "
          "proof of the Kepler conjecture, Forum Math. Pi 5, 2017: the project's inequality "
          "list; also among NLCertify's examples, V. Magron et al.)")
PAIRS += [
    # dih_y on [2, 2.52]^6: min 0.85250407, max 1.89251723 (at corners)
    Pair("fly-5735387903", f"{DIH_Y} > 0.852", f"{DIH_Y} > 0.8526", STD3, FLY_ID),
    Pair("fly-5490182221", f"{DIH_Y} < 1.893", f"{DIH_Y} < 1.8924", STD3, FLY_ID),
    # margins: min 2.2957e-4 and 1.7043e-4, both at the corner y = (2, 2, 2, 2.52, 2, 2)
    Pair("fly-3318775219",
         f"{DIH_Y} - 1.629 + 0.414*(y2+y3+y5+y6-8) - 0.763*(y4-2.52) - 0.315*(y1-2) > 0",
         f"{DIH_Y} - 1.6293 + 0.414*(y2+y3+y5+y6-8) - 0.763*(y4-2.52) - 0.315*(y1-2) > 0",
         APEX_FLAT, FLY_ID),
    Pair("fly-9922699028",
         f"-{DIH_Y} + 1.6294 - 0.2213*(y2+y3+y5+y6-8) + 0.913*(y4-2.52) + 0.728*(y1-2) > 0",
         f"-{DIH_Y} + 1.6292 - 0.2213*(y2+y3+y5+y6-8) + 0.913*(y4-2.52) + 0.728*(y1-2) > 0",
         APEX_FLAT, FLY_ID),
]

FLY_BOXES = {"std3": STD3, "flat": APEX_FLAT,
             "dartX": _ybox(_S, _S, _S, ("2.52", "2.52"), _S, _S),
             "dartY": _ybox(_S, _S, _S, ("sqrt(8)", "sqrt(8)"), _S, _S),
             "diag3": _ybox(_S, _S, _S, ("3", "3"), _S, _S),
             "apexA": _ybox(_S, _S, _S, _S, _F, _F),
             "small": _ybox(_S, _S, _S, ("2", "2.25"), ("2", "2.25"), ("2", "2.25")),
             "supflat": _ybox(_S, _S, _S, ("sqrt(8)", "3"), _S, _S),
             "mini": _ybox(("2", "2.18"), ("2", "2.18"), ("2", "2.18"), ("2", "2.25"),
                           ("2", "2.25"), ("2", "2.25")),
             "lw": _ybox(("2", "2.18"), _S, _S, ("2.25", "2.52"), _S, _S)}
FLY_LEMMAS = ("Flyspeck nonlinear inequalities on dih_y, dih2_y and sol_y, verbatim with their "
              "identifiers and boxes from the project's inequality list (T. Hales et al., Forum "
              "Math. Pi 5, 2017; the Coq transcription among the Flyspeck/NLCertify sources); "
              "false variant: the left side lowered by twice the true minimum margin (from "
              "differential evolution here)")
# (identifier, box, statement, twice the minimum margin): margins 3.1e-6 (9414951439, at an
# interior point) to 4.4e-3, most at corners
_LEMMAS = [
    ("7394240696", "std3", f"{SOL_Y} - 0.55125 - 0.196*(y4+y5+y6-6) + 0.38*(y1+y2+y3-6) > 0",
     "0.000072"),
    ("7726998381", "std3", f"-{SOL_Y} + 0.5513 + 0.3232*(y4+y5+y6-6) - 0.151*(y1+y2+y3-6) > 0",
     "0.000029"),
    ("4047599236", "std3", f"{DIH_Y} - 1.2308 + 0.3639*(y2+y3+y5+y6-8) - 0.235*(y1-2) "
     "- 0.685*(y4-2) > 0", "0.00032"),
    ("3526497018", "std3", f"-{DIH_Y} + 1.231 - 0.152*(y2+y3+y5+y6-8) + 0.5*(y1-2) "
     "+ 0.773*(y4-2) > 0", "0.000082"),
    ("3020140039", "dartX", f"{DIH_Y} - 1.629 + 0.402*(y2+y3+y5+y6-8) - 0.315*(y1-2) > 0",
     "0.00046"),
    ("9414951439", "dartY", f"{DIH_Y} - 1.91 + 0.458*(y2+y3+y5+y6-8) - 0.342*(y1-2) > 0",
     "0.0000062"),
    ("9995621667", "diag3", f"{DIH_Y} - 2.09 + 0.578*(y2+y3+y5+y6-8) - 0.54*(y1-2) > 0",
     "0.0088"),
    ("5000076558", "flat", f"{DIH2_Y} - 1.083 + 0.6365*(y1-2) - 0.198*(y2-2) + 0.352*(y3-2) "
     "+ 0.416*(y4-2.52) - 0.66*(y5-2) + 0.071*(y6-2) > 0", "0.00072"),
    ("5760733457", "apexA", f"{DIH_Y} - 1.0705 - 0.1*(y1-2) + 0.424*(y2-2) + 0.424*(y3-2) "
     "- 0.594*(y4-2) + 0.124*(y5-2.52) + 0.124*(y6-2.52) > 0", "0.000105"),
    ("9291937879", "small", f"{DIH_Y} - 1.23 - 0.235*(y1-2) + 0.362*(y2+y3-4) - 0.694*(y4-2) "
     "+ 0.26*(y5+y6-4) > 0", "0.00108"),
    ("7718591733", "supflat", f"{DIH2_Y} - 0.955 - 0.2356*(y2-2) + 0.32*(y3-2) + 0.792*(y1-2) "
     "- 0.707*(y5-2) + 0.0844*(y6-2) + 0.821*(y4-sqrt(8)) > 0", "0.00041"),
    ("3566713650", "supflat", f"-{DIH_Y} + 1.911 + 1.01*(y1-2) - 0.284*(y2+y3+y5+y6-8) "
     "+ 1.07*(y4-sqrt(8)) > 0", "0.00038"),
    ("1085358243", "supflat", f"{DIH_Y} - 1.903 - 0.4*(y1-2) + 0.49688*(y2+y3+y5+y6-8) "
     "- (y4-sqrt(8)) > 0", "0.00085"),
    ("9229542852", "mini", f"{DIH_Y} - 1.230 - 0.2357*(y1-2) + 0.2493*(y2+y3-4) "
     "- 0.682*(y4-2) + 0.3035*(y5+y6-4) > 0", "0.0000081"),
    ("1550635295", "mini", f"-{DIH_Y} + 1.232 + 0.261*(y1-2) - 0.203*(y2+y3-4) "
     "+ 0.772*(y4-2) - 0.191*(y5+y6-4) > 0", "0.0021"),
    ("4750199435", "flat", f"-{DIH2_Y} + 0.0031 > -1.08346 + 0.288794*(y1-2) - 0.292829*(y2-2) "
     "+ 0.036457*(y3-2) + 0.348796*(y4-2.52) - 0.762602*(y5-2) - 0.112679*(y6-2)", "0.0022"),
    ("8384511215", "flat", f"{DIH2_Y} + 0.0015 > 0.913186 - 0.390288*(y1-2) + 0.115895*(y2-2) "
     "+ 0.164805*(y3-2.52) - 0.271329*(y4-2.82843) + 0.584817*(y5-2) - 0.170218*(y6-2)",
     "0.0021"),
    ("7819193535", "lw", f"{DIH2_Y} + 0.0011 > 1.16613 - 0.296776*(y1-2) + 0.208935*(y2-2) "
     "- 0.243302*(y3-2) - 0.360575*(y4-2.25) + 0.636205*(y5-2) - 0.295156*(y6-2)", "0.0022"),
]
for _id, _box, _true, _shift in _LEMMAS:
    _lhs, _rhs = _true.split(" > ")
    PAIRS.append(Pair(f"fly-{_id}", _true, f"{_lhs} - {_shift} > {_rhs}", FLY_BOXES[_box],
                      FLY_LEMMAS))

QUICK = ["coq-sqrt", "coq-nested-sqrt", "meti-xlogx", "amgm3", "kepler0", "chapter-1.14"]


def _ball(lo: sp.Expr, hi: sp.Expr) -> arb:
    def exact(e: sp.Expr) -> arb:
        return compile_balls(e, [], ARB)([])
    return exact(lo).union(exact(hi)) if lo != hi else exact(lo)


def baseline(statement: str, assume: str, limit: float) -> tuple[str, int, float]:
    """The plain branch and bound of the module docstring: (verdict, boxes, seconds)."""
    start = time.perf_counter()
    rel = parse_statement(statement)
    domain = Domain.parse(assume)
    variables = domain.variables
    by_name = {v.name: v for v in variables}
    g = rel.rhs - rel.lhs if isinstance(rel, (sp.Le, sp.Lt)) else rel.lhs - rel.rhs
    g = g.xreplace({s: by_name[s.name] for s in g.free_symbols})
    strict = isinstance(rel, (sp.Lt, sp.Gt))
    box0 = [domain.intervals[v] for v in variables]
    if any(_infinite(e) for side in box0 for e in side):
        return "n/a (unbounded)", 0, 0.0
    fn = compile_balls(g, variables, ARB, checked=True)
    ctx.prec = 130
    queue, boxes = [box0], 0
    while queue:
        if time.perf_counter() - start > limit:
            return "unknown", boxes, time.perf_counter() - start
        box = queue.pop()
        boxes += 1
        try:
            b = fn([_ball(lo, hi) for lo, hi in box])
            if b > 0 or (not strict and b >= 0):
                continue
        except (Undefined, ArithmeticError, ValueError):
            pass
        centre = [(lo + hi) / 2 for lo, hi in box]
        if domain.contains(dict(zip(variables, centre, strict=True))):
            ctx.prec = 400
            try:
                v = fn([_ball(c, c) for c in centre])
                if v < 0 or (strict and v <= 0 and v.is_zero()):
                    return "refuted", boxes, time.perf_counter() - start
            except (Undefined, ArithmeticError, ValueError):
                pass
            finally:
                ctx.prec = 130
        i = max(range(len(box)), key=lambda j: float(box[j][1] - box[j][0]))
        lo, hi = box[i]
        mid = (lo + hi) / 2
        left, right = list(box), list(box)
        left[i], right[i] = (lo, mid), (mid, hi)
        queue += [left, right]
    return "certified", boxes, time.perf_counter() - start


def today(statement: str, assume: str, limit: float) -> tuple[str, int, float]:
    start = time.perf_counter()
    r = prove(statement, assume, time_limit=limit, max_boxes=200000)  # the CLI's default
    return r.verdict.value, getattr(r, "boxes", 0), time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="six pairs, short limits")
    parser.add_argument("--limit", type=float, default=None, help="seconds per true statement")
    parser.add_argument("--false-limit", type=float, default=None,
                        help="seconds per false statement")
    parser.add_argument("--only", default="", help="comma-separated pair names")
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()
    limit = args.limit or (10.0 if args.quick else 60.0)
    false_limit = args.false_limit or (5.0 if args.quick else 10.0)
    names = [n for n in args.only.split(",") if n] or (QUICK if args.quick else
                                                        [p.name for p in PAIRS])
    pairs = [p for p in PAIRS if p.name in names]
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; limits "
          f"{limit:g} s (true), {false_limit:g} s (false)")
    solvers = [("today", today)] + ([] if args.no_baseline else [("baseline", baseline)])
    tally = {s: {"certified": 0, "refuted": 0, "t_true": 0.0, "t_false": 0.0} for s, _ in solvers}
    header = f"{'pair':18s} {'kind':5s} " + " ".join(f"{s:>32s}" for s, _ in solvers)
    print(header)
    for p in pairs:
        for kind, statement, lim, goal in (("true", p.true, limit, "certified"),
                                           ("false", p.false, false_limit, "refuted")):
            cells = []
            for s, solve in solvers:
                verdict, boxes, seconds = solve(statement, p.assume, lim)
                ok = verdict == goal and seconds <= lim + 1.0
                tally[s][goal] += ok
                tally[s]["t_true" if kind == "true" else "t_false"] += seconds
                cells.append(f"{verdict:>12s} {boxes:8d} {seconds:7.2f}s{'' if ok else ' ✗'}")
            print(f"{p.name:18s} {kind:5s} " + " ".join(f"{c:>32s}" for c in cells), flush=True)
    n = len(pairs)
    print()
    for s, _ in solvers:
        t = tally[s]
        print(f"{s:9s}: {t['certified']}/{n} true certified within {limit:g} s, "
              f"{t['refuted']}/{n} false refuted within {false_limit:g} s; "
              f"{t['t_true']:.1f} s on true, {t['t_false']:.1f} s on false")
    if len(solvers) == 2:
        a, b = tally["today"], tally["baseline"]
        print(f"ratio today/baseline: certified {a['certified']}/{max(b['certified'], 1)}, "
              f"refuted {a['refuted']}/{max(b['refuted'], 1)}; time on true "
              f"{a['t_true'] / max(b['t_true'], 1e-9):.2f}x, on false "
              f"{a['t_false'] / max(b['t_false'], 1e-9):.2f}x")
    print("sources:")
    for source in dict.fromkeys(p.source for p in pairs):
        print(f"  - {source}")


if __name__ == "__main__":
    main()
