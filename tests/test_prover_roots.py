"""The root-end rule (``root end: low of x``, fptheory.verify.openends.root_end): a bounded
side read in its square root at an end, x = a + t² (or b - t²), where a root or an acos has
an infinite slope and the bound is tight. The rewritten expression keeps every value and
the definedness of the original (hypothesis against exact values), the certificates are
re-checked, and tampered ones (an end the domain includes treated as excluded) are refused."""

from fractions import Fraction

import mpmath
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from fptheory.verify import Domain, prove
from fptheory.verify.claims import Verdict
from fptheory.verify.openends import inverse_hyperbolic_logs, root_end

x = sp.Symbol("x", real=True)


@pytest.mark.parametrize("statement, domain", [
    # (as differences: the sides as typed would be compared squared, under t·|t|)
    ("sqrt(x) - x >= 0", "0<=x<=1"),                   # infinite slope at 0, tight there
    ("sqrt(x) - x > 0", "0<x<1"),                       # strict, tight at both open ends
    ("sqrt(1 - x**2) - (1 - x) >= 0", "0<=x<=1"),       # tight at 1, where the root's slope is -∞
    ("acos(x) >= sqrt(2*(1 - x))", "-1<=x<=1"),         # both sides with an infinite slope at 1
    ("asin(x) <= pi/2 - sqrt(2*(1 - x))", "0<=x<=1"),  # acos's mirror
    ("x**(1/3) + x >= 2*x", "0<=x<=1"),                 # a cube root: x = t³ (a sum: not lifted)
    ("(1 - x)**(1/6) - (1 - x) >= 0", "0<=x<=1"),       # a sixth root at the high end
    # acosh(1 + s) = √(2s)(1 - s/12 + 3s²/160 - ...): tight at 1, where acosh' is infinite
    ("acosh(x) >= sqrt(2*(x - 1))*(1 - (x - 1)/12)", "1<=x<=5"),
    ("acosh(x) >= log(x)", "1<=x<=100"),
    # πx(1 - x) is -1 at the irrational end only once expanded: asin's half angle there
    ("asin(pi*x*(1 - x)) <= pi*x", "(1 - sqrt(1 + 4/pi))/2<=x<=0"),
    # a corner where two roots lose their slope: both sides read in their cube roots
    ("(1 + u + v)**(1/3) < 1 + u**(1/3) + v**(1/3)", "0<u<=1, 0<v<=1"),
])
def test_bounds_tight_where_a_root_has_an_infinite_slope_are_certified(statement, domain, certified):
    cert = certified(statement, domain)
    assert any(leaf["rule"].startswith("root end") for leaf in cert["leaves"])


@pytest.mark.parametrize("statement, domain", [
    ("sqrt(x) >= x + 1/10**6", "0<=x<=1"),            # false at 0 only
    # false on (1 - 7·10⁻⁹, 1) only: √(2s)·s/12 < s/10⁵ there, s = 1 - x
    ("acos(x) >= sqrt(2*(1 - x)) + (1 - x)/10**5", "-1<=x<=1"),
    ("acosh(x) >= sqrt(2*(x - 1))", "1<=x<=2"),          # the series' next term is < 0
    ("asin(pi*x*(1 - x)) <= pi*x - 1", "(1 - sqrt(1 + 4/pi))/2<=x<=0"),  # false at the end
    ("(1 + u + v)**(1/3) < 1 + u**(1/3) + v**(1/3)", "0<=u<=1, 0<=v<=1"),  # equal at (0, 0)
])
def test_false_bounds_at_a_root_end_are_refuted(statement, domain):
    assert prove(statement, domain, time_limit=30).verdict is Verdict.REFUTED


@pytest.mark.parametrize("statement, domain, rule", [
    # 0 is in the domain, where sqrt(x) > 0 fails: t = 0 is no excluded end
    ("sqrt(x) > 0", "0<=x<=1", "root end: low of x → sign off excluded ends"),
    # the excluded end is x = 0, which is t = 1 when read from the high end
    ("1 - x > 0", "0<x<=1", "root end: low of x → sign off excluded ends"),
    # no root end on a tail (x = t² maps no bounded side onto it)
    ("x >= 0", "0<=x", "root end: low of x → interval"),
    # a point: no side to read in its root
    ("x >= 0", "0<=x<=0", "root end: low of x → interval"),
    # a power the rule does not take (x = t⁵)
    ("x**(1/5) > 0", "0<x<=1", "root end 5: low of x → sign off excluded ends"),
])
def test_hostile_root_ends_are_refused(statement, domain, rule, refusal, certified):
    cert = certified("sqrt(x) - x >= 0", "0<=x<=1")
    lo, hi = Domain.parse(domain).intervals[x]
    refusal(cert, statement, domain, [{"box": {"x": [str(lo), str(hi)]}, "rule": rule}])


def _value(e: sp.Expr, at: sp.Expr) -> mpmath.mpf | None:
    """e at x = at to 80 digits, or None where it is not a real number."""
    with mpmath.workdps(80):
        try:
            v = sp.N(e.xreplace({x: at}), 80)
        except (ZeroDivisionError, ValueError):
            return None
    if v.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or not v.is_real:
        return None
    return v


_FACTORS = st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(-3, 3).filter(bool),
                     st.integers(-2, 2))


@settings(max_examples=150, deadline=None)
@given(st.fractions(-3, 3), st.fractions(Fraction(1, 8), 4), _FACTORS,
       st.sampled_from(["sqrt", "invsqrt", "cube", "acos", "asin", "acosh", "cbrt", "cbrt-2",
                        "sixth"]),
       st.sampled_from(["low", "high"]), st.fractions(0, 1, max_denominator=1000))
def test_the_root_end_keeps_value_and_definedness(a, width, factors, kind, side, where):
    """At x = a + t² (b - t²) the rewritten expression has the original's value wherever
    the original is defined (t = 0 excepted, where it may be undefined instead), and is
    undefined wherever the original is."""
    a = sp.Rational(a.numerator, a.denominator)
    b = a + sp.Rational(width.numerator, width.denominator)
    j, k, c, d = factors
    p = c * (x - a) ** j * (b - x) ** k + d * (x - a) ** (j + 1)
    node, order = {"sqrt": (sp.sqrt(p), 2), "invsqrt": (1 / sp.sqrt(p), 2),
                   "cube": (p ** sp.Rational(3, 2), 2), "acos": (sp.acos(1 - p), 2),
                   "acosh": (sp.acosh(1 + p), 2),
                   "asin": (sp.asin(p - 1), 2), "cbrt": (p ** sp.Rational(1, 3), 3),
                   "cbrt-2": (p ** sp.Rational(-2, 3), 3),
                   "sixth": (p ** sp.Rational(5, 6) + sp.sqrt(p), 6)}[kind]
    expr = node + x
    moved = root_end(expr, [x], [(a, b)], side, x, {}, order)
    assert moved is not None
    new, box, _ = moved
    top = sp.root(b - a, order)
    assert box == [(0, top)]
    t = top * sp.Rational(where.numerator, where.denominator)
    original = _value(expr, a + t**order if side == "low" else b - t**order)
    rewritten = _value(new, t)
    if original is None:
        assert rewritten is None, (expr, new, t)
    elif rewritten is None:
        assert t == 0, (expr, new, t)
    else:
        assert abs(original - rewritten) <= sp.Float(10) ** -25 * (1 + abs(original))


@pytest.mark.parametrize("statement, domain", [
    ("atanh(x) >= x + x**3/3", "0<=x<1"),   # atanh's pole at the open end 1
    ("atanh(x) > x", "0<x<1"),
    ("asinh(x) >= x - x**3/6", "0<=x<=3"),
])
def test_inverse_hyperbolic_bounds_are_certified(statement, domain, certified):
    certified(statement, domain)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from([sp.asinh, sp.acosh, sp.atanh]), st.fractions(-3, 3),
       st.integers(1, 3), st.fractions(-4, 4))
def test_the_logarithms_of_inverse_hyperbolics_keep_value_and_definedness(fn, c, n, at):
    """inverse_hyperbolic_logs (the open-end rule's rewriting) against the original:
    the same value where either is defined, and undefined at the same points."""
    c = sp.Rational(c.numerator, c.denominator)
    expr = fn(c * x**n + x / 2) - x
    new = inverse_hyperbolic_logs(expr, x)
    assert not new.has(fn)
    point = sp.Rational(at.numerator, at.denominator)
    original, rewritten = _value(expr, point), _value(new, point)
    if original is None or rewritten is None:
        assert original is None and rewritten is None, (expr, new, point)
    else:
        assert abs(original - rewritten) <= sp.Float(10) ** -25 * (1 + abs(original))


def test_cube_root_subadditivity_in_three_unbounded_variables_is_certified(certified):
    """MetiTarski's cbrt-problem-3: homogeneous of degree 1/3, each piece (largest variable
    1) tight at the excluded corner where the two other variables are 0, closed with both
    read in their cube roots (one after the other, each once); symmetric, so the pieces y
    and z are images of x's."""
    cert = certified("(x + y + z)**(1/3) < x**(1/3) + y**(1/3) + z**(1/3)", "0<x, 0<y, 0<z")
    pieces = cert["reduction"]["pieces"]
    assert [p.get("image_of") for p in pieces] == [None, "x", "x"]
    rules = [leaf["rule"] for piece in pieces for leaf in piece.get("leaves", [])]
    assert any(rule.count("root end") == 2 for rule in rules), rules


def test_the_order_counts_only_the_roots_singular_at_the_end():
    """Carlson's bound acos x ≤ 4^(1/3)·√(1 - x)/(1 + x)^(1/6) (PAMS 25, 1970), tight at x = 1
    to order (1 - x)^(5/2): read in t² there (√(1 - x) and acos are singular at 1, the sixth root
    of 1 + x is not); in t⁶, the order of all three, its margin is ~t¹⁵ and 60 s of search
    left 5 073 boxes open. Where no root is singular at the end, every root counts as before."""
    from fptheory.verify.openends import root_order

    carlson = sp.acos(x) - 4 ** sp.Rational(1, 3) * sp.sqrt(1 - x) / (1 + x) ** sp.Rational(1, 6)
    assert root_order(carlson, x) == 6
    assert root_order(carlson, x, sp.Integer(1)) == 2
    assert root_order(carlson, x, sp.Integer(-1)) == 6  # (the sixth root is singular there)
    assert root_order(sp.cbrt(x) + sp.sqrt(x + 1), x, sp.Integer(0)) == 3
    assert root_order(sp.cbrt(x) + sp.sqrt(x + 1), x, sp.Integer(2)) == 6
    assert root_order(sp.acosh(x) + sp.sqrt(x), x, sp.Integer(1)) == 2


@pytest.mark.parametrize("statement, domain", [
    ("acos(x) <= 4**(1/3)*sqrt(1 - x)/(1 + x)**(1/6)", "0<=x<=1"),  # Carlson's upper bound
    ("6*sqrt(1 - x)/(2*sqrt(2) + sqrt(1 + x)) <= acos(x)", "0<=x<=1"),  # and his lower one
])
def test_carlsons_bounds_for_acos_are_certified(statement, domain, certified):
    certified(statement, domain)
