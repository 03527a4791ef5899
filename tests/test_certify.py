"""Certified inequality checking: tight truths certified, planted falsehoods refuted."""

import json

import pytest
import sympy as sp

from fptheory.certify import Domain, certify, parse_statement, recheck_certificate
from fptheory.claims import Verdict
from fptheory.cli import main
from fptheory.errors import FPTheoryError

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
    r = certify(parse_statement("a**2 + b**2 >= 2*a*b*cos(t)"),
                Domain.parse("-1<=a<=1, -1<=b<=1, 0<=t<=1"), max_boxes=300)
    assert r.verdict is Verdict.UNKNOWN and "budget" in r.reason and not r.leaves


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
    ("x <= 2", "x>=0", "lower and an upper bound"),
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
    """With sampling off (corners and midpoints only), the violation near x = 1/3 is found
    by the boxes, and the reported point really violates the statement."""
    rel = parse_statement("(x - 1/3)**2 >= 1/10**6")
    r = certify(rel, Domain.parse("0<=x<=1"), samples=0)
    assert r.verdict is Verdict.REFUTED and r.boxes > 0
    point = sp.Float(r.counterexample["x"], 40)
    assert sp.N((point - sp.Rational(1, 3)) ** 2 - sp.Rational(1, 10**6), 40) < 0


# relations between variables (k1 < k2), by substitution

RELATION_TRUE = [
    ("x*y <= y**2", "1/10<=x<=2, 1/10<=y<=3, x<y"),  # tight on the diagonal y = x
    ("(1 - exp(-2*u1))/(1 - exp(-2*u2)) <= 1", "1/100<=u1<=5, 1/100<=u2<=5, u1<u2"),  # (1.14)
    ("x <= y", "0<=x<=2, 1<=y<=3, x<=y"),  # x partly below lo_y: two pieces
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


def test_relation_bad_input_and_no_recheck():
    with pytest.raises(FPTheoryError, match="empty"):
        certify(parse_statement("x <= y"), Domain.parse("2<=x<=3, 0<=y<=1, x<y"))
    with pytest.raises(FPTheoryError, match="numeric bounds"):
        Domain.parse("0<=x<=1, x<y")
    with pytest.raises(FPTheoryError, match="chains"):
        certify(parse_statement("x <= z"), Domain.parse("0<=x<=1, 0<=y<=1, 0<=z<=1, x<y, y<z"))
    r = certify(parse_statement("x*y <= y**2"), Domain.parse("1/10<=x<=2, 1/10<=y<=3, x<y"))
    with pytest.raises(FPTheoryError, match="re-checked"):
        recheck_certificate(r.certificate())
