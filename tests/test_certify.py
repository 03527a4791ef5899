"""Certified inequality checking: tight truths certified, planted falsehoods refuted."""

import json

import pytest
import sympy as sp

from fptheory.cli import main
from fptheory.core.errors import FPTheoryError
from fptheory.verify import Domain, certify, parse_statement, recheck_certificate
from fptheory.verify.claims import Verdict

TIGHT_TRUE = [
    ("2*x/pi <= sin(x)", "0<=x<=pi/2"),  # tight at both ends
    ("exp(x) >= 1 + x", "-2<=x<=3"),  # tight at the interior point 0
    ("exp(x) >= 1 + x + x**2/2", "0<=x<=1"),  # tight to third order at 0
    ("cos(x) <= 1 - x**2/2 + x**4/24", "-3<=x<=3"),  # tight to fifth order at 0
    ("x*y <= (x**2 + y**2)/2", "-1<=x<=1, -1<=y<=1"),  # tight on the diagonal
    ("tanh(x) <= x", "0<=x<=10"),
    ("log(x) <= x - 1", "1/100<=x<=100"),
    ("abs(sinh(a)/sinh(b)) <= 2*exp(-(b - a))", "1/10<=a<=1, 2<=b<=4"),
]

PLANTED_FALSE = [
    ("2*x/pi <= sin(x)", "0<=x<=2"),  # domain widened
    ("201*x/(100*pi) <= sin(x)", "0<=x<=pi/2"),  # constant changed
    ("sin(x) <= 2*x/pi", "0<=x<=pi/2"),  # inequality flipped
    ("exp(x) >= 1 + 101*x/100", "-1<=x<=1"),  # constant changed near the tight point
    ("exp(x) > 1 + x", "-1<=x<=1"),  # strict where the bound is attained (x = 0)
    ("abs(sinh(a)/sinh(b)) <= exp(-(b - a))/2", "1/10<=a<=1, 2<=b<=4"),  # factor changed
    ("cos(x) <= 1 - x**2/2", "-3<=x<=3"),  # Taylor term dropped
]


@pytest.mark.parametrize("statement, domain", TIGHT_TRUE)
def test_tight_true_statements_are_certified_and_certificates_recheck(statement, domain):
    r = certify(parse_statement(statement), Domain.parse(domain), time_limit=60)
    assert r.verdict is Verdict.CERTIFIED, r.reason
    assert r.leaves and recheck_certificate(r.certificate())


@pytest.mark.parametrize("statement, domain", PLANTED_FALSE)
def test_planted_false_variants_are_refuted_never_certified(statement, domain):
    rel = parse_statement(statement)
    r = certify(rel, Domain.parse(domain), time_limit=60)
    assert r.verdict is Verdict.REFUTED
    point = {sp.Symbol(k, real=True): sp.Float(v, 40) for k, v in r.counterexample.items()}
    g = rel.rhs - rel.lhs if isinstance(rel, (sp.Le, sp.Lt)) else rel.lhs - rel.rhs
    value = sp.N(g.subs(point), 40)  # independent re-evaluation at the reported point
    assert value < 0 or (isinstance(rel, (sp.Lt, sp.Gt)) and abs(value) < 1e-25)
    assert len(r.counterexample[next(iter(r.counterexample))].replace("-", "")) >= 1


def test_budget_ends_in_unknown_with_a_reason():
    r = certify(parse_statement("x**4*y**2 + x**2*y**4 - 3*x**2*y**2 + 1 >= 0"),
                Domain.parse("-2<=x<=2, -2<=y<=2"), max_boxes=30)  # Motzkin: 73 boxes
    assert r.verdict is Verdict.UNKNOWN and "budget" in r.reason and not r.leaves


def test_a_zero_line_closes_by_the_second_order_rule():
    """a² + b² - 2ab·cos t ≥ 0: on the face t = 0 it is (a - b)², 0 on the line a = b."""
    r = certify(parse_statement("a**2 + b**2 >= 2*a*b*cos(t)"),
                Domain.parse("-1<=a<=1, -1<=b<=1, 0<=t<=1"), max_boxes=3000)
    assert r.verdict is Verdict.CERTIFIED, r.reason
    assert recheck_certificate(r.certificate())


def test_asin_on_an_unbounded_domain_is_refuted_where_it_is_not_real():
    r = certify(parse_statement("asin(x) >= -2"), Domain.parse("x>=0"))
    assert r.verdict is Verdict.REFUTED and "not real" in r.reason


def test_tampered_certificates_fail_the_recheck(tmp_path):
    r = certify(parse_statement("2*x/pi <= sin(x)"), Domain.parse("0<=x<=pi/2"))
    path = tmp_path / "cert.json"
    r.save(str(path))
    cert = json.loads(path.read_text())
    assert recheck_certificate(cert)
    missing_leaf = dict(cert, leaves=cert["leaves"][1:])
    assert not recheck_certificate(missing_leaf)
    stronger = dict(cert, statement="21*x/(10*pi) <= sin(x)")
    assert not recheck_certificate(stronger)


@pytest.mark.parametrize("text, domain, fragment", [
    ("x**2", "0<=x<=1", r"not an \(in\)equality"),
    ("x <= y", "0<=x<=1", "no domain for y"),
    ("x <= 2", "2<=x<=1", "empty or degenerate"),
    ("x <= 2", "1<=x<1", "empty or degenerate"),
    ("x <= y", "x<y, 1<=x<=1, 0<=y<=2", "fixed at 1 by its bounds"),
    ("x <= 2", "x>=0, x<=-1", "inconsistent bounds"),
    ("x <= 2", "x>oo", "empty"),
    ("x <= 2", "x**2<=1", "neither a variable nor a number"),
    ("gamma(x) >= 0", "1<=x<=2", "not supported in certified mode"),
])
def test_bad_input_is_a_one_line_error(text, domain, fragment):
    with pytest.raises(FPTheoryError, match=fragment):
        certify(parse_statement(text), Domain.parse(domain))


def test_prove_cli_json(capsys):
    assert main(["prove", "2*x/pi <= sin(x)", "--assume", "0<=x<=pi/2", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["verdict"] == "certified" and out["counterexample"] is None and out["evidence"]
    assert main(["prove", "2*x/pi <= sin(x)", "--assume", "0<=x<=2", "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["verdict"] == "refuted" and set(out["counterexample"]) == {"x"}


def test_recheck_cli_accepts_a_saved_certificate_and_rejects_a_tampered_one(tmp_path, capsys):
    cert = tmp_path / "c.json"
    assert main(["prove", "exp(x) >= 1 + x", "--assume=-1<=x<=2", "--certificate",
                 str(cert)]) == 0
    assert main(["recheck", str(cert)]) == 0
    data = json.loads(cert.read_text())
    data["statement"] = "exp(x) >= 1 + 2*x"
    cert.write_text(json.dumps(data))
    assert main(["recheck", str(cert)]) == 1
    assert "INVALID" in capsys.readouterr().out


def test_branch_and_bound_counterexamples_are_re_evaluated_witnesses():
    """With sampling and the hunt off (corners and midpoints only), the violation near
    x = 1/3 is found by the boxes, and the reported point really violates the statement."""
    rel = parse_statement("(x - 1/3)**2 >= 1/10**6")
    r = certify(rel, Domain.parse("0<=x<=1"), samples=0, hunt=False)
    assert r.verdict is Verdict.REFUTED and r.boxes > 0
    point = sp.Float(r.counterexample["x"], 40)
    assert sp.N((point - sp.Rational(1, 3)) ** 2 - sp.Rational(1, 10**6), 40) < 0


# relations between variables (k1 < k2), by substitution

RELATION_TRUE = [
    ("x*y <= y**2", "1/10<=x<=2, 1/10<=y<=3, x<y"),  # tight on the diagonal y = x
    ("(1 - exp(-2*u1))/(1 - exp(-2*u2)) <= 1", "1/100<=u1<=5, 1/100<=u2<=5, u1<u2"),  # (1.14)
    # x partly below lo_y: two pieces (x <= y alone is one function of each: ordered.py)
    ("x <= y + x*y/10", "0<=x<=2, 1<=y<=3, x<=y"),
]
RELATION_FALSE = [
    ("y**2 <= x*y", "1/10<=x<=2, 1/2<=y<=3, x<y"),  # flipped
    ("(1 - exp(-2*u1))/(1 - exp(-2*u2)) <= 99/100", "1/100<=u1<=5, 1/100<=u2<=5, u1<u2"),  # constant
    ("y <= x + 1/2", "0<=x<=2, 1<=y<=3, x<=y"),  # a term dropped (true only near the diagonal)
]


@pytest.mark.parametrize("statement, domain", RELATION_TRUE)
def test_relations_are_certified_by_substitution(statement, domain):
    r = certify(parse_statement(statement), Domain.parse(domain), time_limit=60)
    assert r.verdict is Verdict.CERTIFIED, r.reason
    assert r.substitution and r.to_dict()["statement"] == str(parse_statement(statement))


@pytest.mark.parametrize("statement, domain", RELATION_FALSE)
def test_relations_planted_false_are_refuted_in_the_original_variables(statement, domain):
    rel = parse_statement(statement)
    dom = Domain.parse(domain)
    r = certify(rel, dom, time_limit=60)
    assert r.verdict is Verdict.REFUTED and not any(k.startswith("s_") for k in r.counterexample)
    point = {sp.Symbol(k, real=True): sp.Float(v, 40) for k, v in r.counterexample.items()}
    x, strict, y = dom.relations[0]
    assert point[x] < point[y] or (not strict and point[x] == point[y])
    assert sp.N((rel.rhs - rel.lhs).subs(point), 40) < 0


def test_relation_bad_input():
    with pytest.raises(FPTheoryError, match="empty"):
        certify(parse_statement("x <= y"), Domain.parse("2<=x<=3, 0<=y<=1, x<y"))
    assert Domain.parse("0<=x<=1, x<y").intervals[sp.Symbol("y", real=True)] == (-sp.oo, sp.oo)
    with pytest.raises(FPTheoryError, match="chains"):
        certify(parse_statement("x <= z"), Domain.parse("0<=x<=1, 0<=y<=1, 0<=z<=1, x<y, y<z"))


# certificates on domains with relations: one piece per substituted box, re-checkable

RELATION_CERTIFIED = [
    ("(1 - exp(-2*u1))/(1 - exp(-2*u2)) <= 1", "1/100<=u1<=5, 1/100<=u2<=5, u1<u2", 1),  # (1.14)
    ("x*exp(-y) <= x*exp(-x)", "1/10<=x<=2, 1/2<=y, x<y", 2),  # y unbounded: y = x + d
    # a chain 0 < u1 < u2 (a face's rewritten form was nan here once: certify crashed)
    ("log(1+u2) - log(1+u1) <= u2 - u1", "0<u1<u2", 1),
]


@pytest.mark.parametrize("statement, domain, n_pieces", RELATION_CERTIFIED)
def test_relation_certificates_round_trip_through_json(statement, domain, n_pieces):
    rel = parse_statement(statement)
    r = certify(rel, Domain.parse(domain))
    assert r.verdict is Verdict.CERTIFIED, r.reason
    cert = json.loads(json.dumps(r.certificate()))
    assert cert["statement"] == str(rel) and cert["domain"]["relations"]
    assert len(cert["pieces"]) == n_pieces and "leaves" not in cert
    result = recheck_certificate(cert)
    assert result and result.leaves == len(r.leaves) == sum(len(p["leaves"]) for p in cert["pieces"])
    # independently of the checker: each stored substituted statement is the original one at
    # the substituted point (30 digits at a point of the piece's box)
    original = rel.rhs - rel.lhs
    for piece in cert["pieces"]:
        subs = {sp.Symbol(y, real=True): sp.sympify(e, locals={}) for y, e in piece["substitution"].items()}
        subs = {y: e.xreplace({s: sp.Symbol(s.name, real=True) for s in e.free_symbols})
                for y, e in subs.items()}
        inner = parse_statement(piece["statement"])
        point = {}
        for name, (lo, hi, *_) in piece["domain"].items():
            lo, hi = sp.sympify(lo), sp.sympify(hi)
            point[sp.Symbol(name, real=True)] = lo + ((hi - lo) / 3 if hi != sp.oo else sp.Rational(7, 3))
        at = {**point, **{y: e.xreplace(point) for y, e in subs.items()}}
        assert abs(sp.N(original.xreplace(at) - (inner.rhs - inner.lhs).xreplace(point), 30)) < 1e-25
    if "oo" in str(cert["domain"]):  # tail boxes reaching ∞ are among the leaves
        assert any(e == "oo" for p in cert["pieces"] for leaf in p["leaves"]
                   for side in leaf["box"].values() for e in side)


@pytest.fixture(scope="module")
def relation_certificate():
    r = certify(parse_statement("(1 - exp(-2*u1))/(1 - exp(-2*u2)) <= 1"),
                Domain.parse("1/100<=u1<=5, 1/100<=u2<=5, u1<u2"))
    assert r.verdict is Verdict.CERTIFIED
    cert = json.loads(json.dumps(r.certificate()))
    assert recheck_certificate(cert)
    return cert


def _tampered(cert, **piece_changes):
    out = json.loads(json.dumps(cert))
    out["pieces"][0].update(piece_changes)
    return out


def _flip_first_monotone(leaves):
    out = json.loads(json.dumps(leaves))
    for leaf in out:
        for a, b in (("decreasing", "increasing"), ("increasing", "decreasing")):
            if f"monotone: {a}" in leaf["rule"]:  # (perhaps after an open-end step)
                leaf["rule"] = leaf["rule"].replace(a, b, 1)
                return out
    raise AssertionError("no monotone leaf")


def test_tampered_relation_certificates_are_invalid_with_the_reason(relation_certificate):
    cert = relation_certificate
    piece = cert["pieces"][0]
    cases = {
        "a leaf removed": (_tampered(cert, leaves=piece["leaves"][1:]), "do not cover"),
        "a rule changed": (_tampered(cert, leaves=_flip_first_monotone(piece["leaves"])),
                           "the derivative's sign is not certified"),
        "a rule replaced": (_tampered(cert, leaves=[dict(piece["leaves"][0], rule="interval")]
                                      + piece["leaves"][1:]), "enclosure is not"),
        "the substitution altered": (_tampered(cert, substitution={"u2": "s_u2*(4 - u1) + u1"}),
                                     "is not the one the relations give"),
        # a consistent forgery: substitution, statement and domain narrowed together
        "substitution and statement altered": (_tampered(
            cert, substitution={"u2": "s_u2*(4 - u1) + u1"},
            statement="(1 - exp(-2*u1))/(1 - exp(-2*s_u2*(4 - u1) - 2*u1)) <= 1"),
            "is not the one the relations give"),
        "the substituted statement altered": (_tampered(
            cert, statement="(1 - exp(-2*u1))/(1 - exp(-2*s_u2*(5 - u1) - 2*u1)) <= 2"),
            "is not the original statement after the substitution"),
        "the piece's domain narrowed": (_tampered(
            cert, domain=dict(piece["domain"], s_u2=["0", "1/2", True, False])),
            "is not the substituted domain"),
        "the original statement altered": (
            dict(cert, statement="(1 - exp(-2*u1))/(1 - exp(-2*u2)) <= 99/100"),
            "is not the original statement"),
        "the relation reversed": (dict(cert, domain=dict(cert["domain"], relations=["u2 < u1"])),
                                  "substitutes"),
        "the pieces removed": ({k: v for k, v in cert.items() if k != "pieces"}, "needs its pieces"),
        "the relations dropped": (dict(cert, domain={k: v for k, v in cert["domain"].items()
                                                     if k != "relations"}), "pieces without relations"),
    }
    for name, (tampered, fragment) in cases.items():
        result = recheck_certificate(tampered)
        assert not result, name
        assert fragment in result.reason, (name, result.reason)


def test_recheck_cli_relation_round_trip_and_tampering(tmp_path, capsys):
    cert = tmp_path / "rel.json"
    assert main(["prove", "x*exp(-y) <= x*exp(-x)", "--assume", "1/10<=x<=2, 1/2<=y, x<y",
                 "--certificate", str(cert)]) == 0
    capsys.readouterr()
    assert main(["recheck", str(cert)]) == 0
    assert "re-checked, valid (2 leaf boxes)" in capsys.readouterr().out
    data = json.loads(cert.read_text())
    data["pieces"][1]["substitution"] = {"y": "2*d_y + x"}
    cert.write_text(json.dumps(data))
    assert main(["recheck", str(cert)]) == 1
    out = capsys.readouterr().out
    assert "INVALID: piece 2: substitution y = 2*d_y + x is not the one the relations give" in out


def test_coverage_is_checked_exactly():
    """Hand-made certificates of the false x <= 1 - 10^-16 on [0, 1] (each leaf's rule holds):
    a gap [1 - 10^-15, 1] hidden by an overlap of the same width (an overlap below 10^-12 once
    passed as disjoint), and a leaf outside the domain; both are invalid."""
    rule = "monotone: decreasing in x → interval"
    base = {"statement": "x <= 1 - 10**-16", "domain": {"x": ["0", "1", False, False]},
            "digits": 30, "max_depth": 6}
    overlap = dict(base, leaves=[{"box": {"x": ["0", "1/2 + 10**-15"]}, "rule": rule},
                                 {"box": {"x": ["1/2", "1 - 10**-15"]}, "rule": rule}])
    result = recheck_certificate(overlap)
    assert not result and "overlap" in result.reason
    outside = dict(base, leaves=[{"box": {"x": ["0", "1/2"]}, "rule": rule},
                                 {"box": {"x": ["-1/2", "0"]}, "rule": rule}])
    result = recheck_certificate(outside)
    assert not result and "not inside" in result.reason
    fine = dict(base, statement="x <= 1", leaves=[{"box": {"x": ["0", "1/2"]}, "rule": rule},
                                                  {"box": {"x": ["1/2", "1"]}, "rule": rule}])
    assert recheck_certificate(fine)  # the same shape, touching at 1/2, covering [0, 1]


@pytest.mark.parametrize("certificate", [
    [], {"statement": "x <= 1"},
    {"statement": "x <= ", "domain": {}, "digits": 30, "max_depth": 2, "leaves": []},
    {"statement": "x <= (1).__class__", "domain": {"x": ["0", "1"]}, "digits": 30, "max_depth": 2,
     "leaves": []},  # sympy's parser evaluates Python: only plain formulas are parsed
    {"statement": "x <= 1", "domain": {"x": ["0", "y", False, False]}, "digits": 30, "max_depth": 2,
     "leaves": []},
    {"statement": "x <= 2", "domain": {"x": ["0", "1", False, False]}, "digits": 30, "max_depth": 2,
     "leaves": [{"box": {"x": ["0", "1"]}, "rule": "trust me"}]},
])
def test_malformed_certificates_are_invalid_never_a_traceback(certificate):
    result = recheck_certificate(certificate)
    assert not result and result.reason


# unbounded domains: tails [16^k, 16^(k+1)] by arb, the box reaching ∞ by mpmath.iv

UNBOUNDED_TRUE = [
    ("exp(-x) <= 1", "x>=0"),
    ("x/(1+x**2) <= 1/2", "0<=x"),  # tight at x = 1; the tail needs the 1/x form
    ("tanh(x) <= x", "x>=0"),  # tight at 0
    ("log(1+x) <= x", "x>=0"),  # the tail by the monotone rule
    ("exp(x) >= 1 + x", "x real"),  # tight at 0, both tails
    ("exp(x) >= 1 + x", "x<=-1"),
    ("x**4 - 3*x**2 + 1 >= -5/4", "-oo<x<oo"),  # tight at ±sqrt(3/2)
    ("exp(-x) >= 0", "x>=0"),  # infimum at ∞, non-strict: the enclosure [0, e^-X] decides
]
UNBOUNDED_FALSE = [
    ("log(x) <= x/10", "x>=1"),  # false on (1.12, 35.8)
    ("x**2 <= 2**x", "x>=0"),  # false on (2, 4)
    ("exp(-x) <= 1/(1+x**3)", "x>=0"),  # false on (1.5, 4.5)
    ("exp(x/100) <= x**3", "x>=2"),  # false only beyond x ≈ 2.6e3
    ("x**4 - 3*x**2 + 1 >= -1", "x real"),  # the minimum is -5/4
]


@pytest.mark.parametrize("statement, domain", UNBOUNDED_TRUE)
def test_unbounded_true_statements_are_certified_and_recheck(statement, domain):
    r = certify(parse_statement(statement), Domain.parse(domain))
    assert r.verdict is Verdict.CERTIFIED, r.reason
    cert = r.certificate()
    if "sos" in cert:  # a polynomial: an exact sum of squares, no leaves
        assert cert["leaves"] == [] and cert["sos"]["parts"]
    elif "compactified" in cert:  # a polynomial on the whole line: its pieces are bounded
        assert all(e not in ("oo", "-oo") for piece in cert["compactified"]["pieces"]
                   for side in piece["certificate"]["domain"].values() for e in side[:2])
    else:  # a tail closed by extended interval arithmetic
        assert any(e in ("oo", "-oo") for leaf in cert["leaves"]
                   for side in leaf["box"].values() for e in side)
    assert recheck_certificate(cert)


@pytest.mark.parametrize("statement, domain", UNBOUNDED_FALSE)
def test_unbounded_planted_false_are_refuted_with_a_checked_point(statement, domain):
    rel = parse_statement(statement)
    r = certify(rel, Domain.parse(domain))
    assert r.verdict is Verdict.REFUTED
    (name, text), = r.counterexample.items()
    # the printed decimal is the witness itself: re-read exactly, it is the exact point
    x = sp.Rational(text)
    assert x == sp.Rational(r.counterexample_exact[name])
    assert Domain.parse(domain).contains({sp.Symbol(name, real=True): x})
    g = rel.rhs - rel.lhs if isinstance(rel, (sp.Le, sp.Lt)) else rel.lhs - rel.rhs
    assert sp.N(g.subs(sp.Symbol(name, real=True), x), 40) < 0  # independent re-evaluation


def test_a_violation_beyond_the_sampled_range_is_found_by_the_tail_boxes():
    """x <= 10^40 fails only past 10^40, where no sample looks: the branch-and-bound's tail
    box [16^k, ∞) has an enclosure below 0 and its finite end is reported."""
    rel = parse_statement("x <= 10**25")
    r = certify(rel, Domain.parse("x>=0"), samples=0)
    assert r.verdict is Verdict.REFUTED and r.boxes > 0
    assert sp.Float(r.counterexample["x"], 40) > 10**25


@pytest.mark.parametrize("statement, domain", [
    # strict, infimum 0 at ∞; read in t = 1/x the argument (1 + t)/t is no c/tⁿ, so atan
    # is not reflected there (atan(x) < π/2 is: certified below)
    ("atan(x + 1) < pi/2", "x>=0"),
])
def test_tight_at_infinity_ends_in_unknown_with_the_reason(statement, domain):
    r = certify(parse_statement(statement), Domain.parse(domain))
    assert r.verdict is Verdict.UNKNOWN and not r.leaves
    assert "tight at infinity" in r.reason


@pytest.mark.parametrize("statement, domain", [
    ("atan(x) < pi/2", "x>=0"),  # atan(t) > 0 on (0, 1] once atan(1/t) = π/2 - atan(t)
    ("atan(x) <= pi/2", "x real"),  # supremum π/2 at ∞
])
def test_atan_tight_at_infinity_is_certified_in_the_inverted_tail(statement, domain):
    r = certify(parse_statement(statement), Domain.parse(domain))
    assert r.verdict is Verdict.CERTIFIED, r.reason
    assert any(leaf.rule.startswith("inverted tail: ") for leaf in r.leaves)
    assert recheck_certificate(r.certificate())


def test_a_quotient_of_positive_parts_is_positive_up_to_infinity():
    """exp(-x) > 0 on x ≥ 0, infimum 0 at ∞: written 1/e^x, the quotient rule closes the
    tail by its parts (1 > 0, e^x > 0); the certificate re-checks."""
    r = certify(parse_statement("exp(-x) > 0"), Domain.parse("x>=0"))
    assert r.verdict is Verdict.CERTIFIED, r.reason
    assert recheck_certificate(r.certificate())


def test_a_product_of_positive_factors_is_positive_up_to_infinity():
    """x/(1+x²) > 0 on [1, ∞) (x finite): its infimum 0 is approached at ∞, but the kernel's
    sign judgement shows each factor > 0 on the whole tail (x ≥ 1, 1/(x² + 1) > 0), which
    holds at every finite point; the certificate re-checks."""
    r = certify(parse_statement("x/(1+x**2) > 0"), Domain.parse("x>=1"))
    assert r.verdict is Verdict.CERTIFIED, r.reason
    assert recheck_certificate(r.certificate())


def test_relations_with_an_unbounded_side():
    """0 < u1 < u2 with u2 unbounded: u2 = u1 + d, d ∈ (0, ∞); the exponential form
    e^{-2u1}(...) closes the tail. Counterexamples come back in u1, u2."""
    r = certify(parse_statement("sinh(u1)/sinh(u2) <= exp(u1-u2)"), Domain.parse("1/100<u1<u2"))
    assert r.verdict is Verdict.CERTIFIED, r.reason
    assert r.substitution == {"u2": "d_u2 + u1"}
    rel = parse_statement("sinh(u1)/sinh(u2) <= exp(u1-u2)/2")
    r = certify(rel, Domain.parse("0<u1<u2"))
    assert r.verdict is Verdict.REFUTED and set(r.counterexample) == {"u1", "u2"}
    point = {sp.Symbol(k, real=True): sp.Float(v, 40) for k, v in r.counterexample.items()}
    assert 0 < point[sp.Symbol("u1", real=True)] < point[sp.Symbol("u2", real=True)]
    assert sp.N((rel.rhs - rel.lhs).subs(point), 40) < 0


def test_unbounded_domain_parsing():
    x, u1, u2 = (sp.Symbol(n, real=True) for n in ("x", "u1", "u2"))
    assert Domain.parse("x>=0").intervals[x] == (0, sp.oo)
    assert Domain.parse("0<=x").intervals[x] == (0, sp.oo)
    assert Domain.parse("x<=-1").intervals[x] == (-sp.oo, -1)
    for text in ("-oo<x<oo", "x real"):
        d = Domain.parse(text)
        assert d.intervals[x] == (-sp.oo, sp.oo) and d.open_ends[x] == (True, True)
    d = Domain.parse("x>=0, x>1, x<=5")  # bounds intersect
    assert d.intervals[x] == (1, 5) and d.open_ends[x] == (True, False)
    d = Domain.parse("0<u1<u2")
    assert d.intervals[u1] == (0, sp.oo) and d.relations == [(u1, True, u2)]


def test_extended_interval_kernels_enclose_point_values_and_limits():
    """Each mpmath.iv wrapper on [X, ∞], [-∞, -X] and [-∞, ∞] against mpmath point values
    at far points and the limits, computed independently by mpmath."""
    import mpmath

    from fptheory.verify import EXTENDED, compile_balls

    x = sp.Symbol("x", real=True)
    far = [mpmath.mpf(16), mpmath.mpf(10) ** 3, mpmath.mpf(10) ** 30]
    limits = {sp.exp(-x): (0, mpmath.inf), sp.tanh(x): (1, -1), sp.atan(x): (mpmath.pi / 2, -mpmath.pi / 2),
              sp.sech(x): (0, 0), 1 / (1 + x**2): (0, 0), sp.sinh(x): (mpmath.inf, -mpmath.inf),
              sp.cosh(x): (mpmath.inf, mpmath.inf), sp.Abs(x): (mpmath.inf, mpmath.inf),
              x * sp.exp(-x**2): (0, 0)}
    for expr, (at_plus, at_minus) in limits.items():
        fn = compile_balls(expr, [x], EXTENDED)
        point = sp.lambdify(x, expr, "mpmath")
        for sign, limit in ((1, at_plus), (-1, at_minus)):
            b = fn([mpmath.iv.mpf([16, mpmath.inf]) if sign > 0 else mpmath.iv.mpf([-mpmath.inf, -16])])
            lo, hi = b.a, b.b
            for t in far:
                assert lo <= point(sign * t) <= hi, (expr, sign, t, b)
            assert lo <= limit <= hi, (expr, sign, b)
        whole = fn([mpmath.iv.mpf([-mpmath.inf, mpmath.inf])])
        assert all(whole.a <= point(s * t) <= whole.b for t in far for s in (1, -1))
    # undefined points are not dropped: 1/[0, ∞] and log of [0, ∞] give no enclosure
    with pytest.raises(ZeroDivisionError):
        compile_balls(1 / x, [x], EXTENDED)([mpmath.iv.mpf([0, mpmath.inf])])
    with pytest.raises(ValueError):
        compile_balls(sp.log(x), [x], EXTENDED)([mpmath.iv.mpf([0, mpmath.inf])])


def test_unbounded_certificates_reject_tampering():
    r = certify(parse_statement("log(1+x) <= x"), Domain.parse("x>=0"))
    cert = r.certificate()
    assert recheck_certificate(cert)
    assert not recheck_certificate(dict(cert, statement="log(1+x) <= x/2"))
    cut = [dict(leaf, box={"x": [leaf["box"]["x"][0], "10**6"]}) if leaf["box"]["x"][1] == "oo"
           else leaf for leaf in cert["leaves"]]
    assert not recheck_certificate(dict(cert, leaves=cut))  # the tail is no longer covered


def test_prove_cli_unbounded_round_trip(tmp_path, capsys, without_sums_of_squares):
    """A tail certified by the search (the sum of squares, which takes x/(1 + x²) through
    its numerator, turned off), saved and re-checked from the command line."""
    cert = tmp_path / "tail.json"
    assert main(["prove", "x/(1+x**2) <= 1/2", "--assume", "x>=0", "--json",
                 "--certificate", str(cert)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["verdict"] == "certified" and "±∞" in out["evidence"]
    assert main(["recheck", str(cert)]) == 0
    assert "valid" in capsys.readouterr().out
    assert main(["prove", "log(x) <= x/10", "--assume", "x>=1", "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["verdict"] == "refuted" and set(out["counterexample"]) == {"x"}
    assert main(["prove", "atan(x + 1) < pi/2", "--assume", "x>=0"]) == 1
    assert "tight at infinity" in capsys.readouterr().out
    assert main(["prove", "x <= 1", "--assume", "x>=1, x<=0"]) == 2
    assert "inconsistent" in capsys.readouterr().err


def test_sampled_counterexamples_are_confirmed_by_arb_not_by_cancellation():
    """At x ~ 1e34 the 40-digit sampler loses (x+1)² - x² - 2x - 1 = 0 to cancellation and
    sees a negative value; only an arb ball at the exact point may confirm a counterexample,
    so the true statement is certified (the factored form is 0), not refuted."""
    for domain in ("0<=x<=10**35", "x>=0"):
        r = certify(parse_statement("(x+1)**2 <= x**2 + 2*x + 1"), Domain.parse(domain))
        assert r.verdict is Verdict.CERTIFIED, (domain, r.counterexample)


@pytest.mark.parametrize("statement, domain, pole", [
    ("atan(tan(x)) >= -2", "-3<=x<=3", "-pi/2"),
    ("1/cos(x) >= -10", "0<=x<=2", "pi/2"),
    ("cot(2*x) <= 100", "1<=x<=2", "pi/2"),
])
def test_a_pole_inside_the_domain_refutes_at_the_exact_pole(statement, domain, pole):
    r = certify(statement, domain, time_limit=20)
    assert r.verdict is Verdict.REFUTED
    (name, shown), = r.counterexample.items()
    # the exact pole (undefined there), or a decimal next to it where the statement fails
    assert abs(sp.N(sp.sympify(shown) - sp.sympify(pole), 50)) < 1e-25
    assert ("not defined" in r.reason) == (sp.sympify(shown) == sp.sympify(pole))


def test_a_side_fixed_by_its_bounds_is_searched_as_a_face_and_rechecked():
    # Flyspeck's boxes fix an edge (2.52 <= y4 <= 2.52): a closed interval of one point
    domain = "0<=x<=1, 0<=y<=1, 2.52<=y4<=2.52"
    assert certify("x*y + y4 >= 2.5", domain, time_limit=10).verdict.value == "certified"
    refuted = certify("x*y + y4 >= 2.53", domain, time_limit=10)
    assert refuted.verdict.value == "refuted" and refuted.counterexample["y4"] == "2.52"
    cert = certify("x*y + y4 >= 2.5", domain, time_limit=10).certificate()
    assert recheck_certificate(cert)
    half = {"box": {"x": ["0", "1/2"], "y": ["0", "1"], "y4": ["63/25", "63/25"]},
            "rule": "interval"}
    for leaves in ([half], [half, half]):  # half the domain; the same half twice
        assert not recheck_certificate(dict(cert, leaves=leaves))
    wider = {"box": dict(half["box"], x=["0", "1"], y4=["5/2", "63/25"]), "rule": "interval"}
    assert not recheck_certificate(dict(cert, leaves=[wider]))
    opened = dict(cert, domain=dict(cert["domain"], y4=["63/25", "63/25", True, False]))
    assert not recheck_certificate(opened)
    point = certify("x + y >= 3", "1<=x<=1, 2<=y<=2").certificate()
    assert recheck_certificate(point)
    assert not recheck_certificate(dict(point, leaves=point["leaves"] * 2))
