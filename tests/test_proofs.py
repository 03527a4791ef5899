"""The chapter's transform claims get the verdicts the mathematics demands."""

import pytest

from fptheory.report.collect import PROOFS_DIR, report_dict, run_paths
from fptheory.verify.claims import Verdict


@pytest.fixture(scope="module")
def results():
    return {r.label: r for r in run_paths([PROOFS_DIR / "fourier_transforms.py"])}


@pytest.mark.parametrize("label", ["1.2", "1.1.1-tanh", "1.1.1-relu", "1.8-peak", "1.39", "1.41",
                                   "1.43", "1.44"])
def test_claims_that_hold_as_written(results, label):
    r = results[label]
    assert r.text.verdict is Verdict.PROVED and r.corrected is None


@pytest.mark.parametrize("label", ["1.2b", "1.3", "1.8-norm", "1.35", "1.42", "1.44-smooth"])
def test_errata_are_refuted_with_counterexample_and_corrected(results, label):
    r = results[label]
    assert r.text.verdict is Verdict.REFUTED and r.text.counterexample
    assert r.corrected.verdict is Verdict.PROVED


def test_report_lists_errata_and_everything_holds(results):
    report = report_dict(list(results.values()))
    assert report["summary"]["not_holding"] == []
    assert {e["label"] for e in report["errata"]} == {"1.2b", "1.3", "1.8-norm", "1.35", "1.42",
                                                      "1.44-smooth"}


@pytest.fixture(scope="module")
def theorem1():
    return {r.label: r for r in run_paths([PROOFS_DIR / "theorem1.py"])}


def test_theorem1_steps_hold_and_c2_is_an_erratum(theorem1):
    # every step holds; the explicit theorem as a whole is only sampled (argued links)
    assert [label for label, r in theorem1.items() if not r.holds] == ["1.9-explicit"]
    c2 = theorem1["1.16-c2"]
    assert c2.text.verdict is Verdict.REFUTED and c2.corrected.verdict is Verdict.PROVED
    assert c2.corrected.statement == r"c_2 = \pi(k_2 - k_1)/2"
    assert theorem1["1.16-lemma"].text.verdict is Verdict.CERTIFIED
    assert theorem1["1.14"].corrected.verdict is Verdict.PROVED


def test_b_case_holds_and_dropping_the_frequency_factor_is_refuted(theorem1):
    """θ = b_j: the ratio carries k2/k1; the planted variant without it must be refuted."""
    import sympy as sp

    from fptheory.fourier.engine import K as k
    from fptheory.theory.theorem1 import NEURON, PHI, A, polar_gradients
    from fptheory.verify.claims import assess_identity

    assert theorem1["1.9-b"].text.verdict is Verdict.PROVED
    g = polar_gradients()["b"]
    k1, k2, a1, a2 = sp.symbols("k_1 k_2 A_1 A_2", positive=True)
    w, b = NEURON.w[0], NEURON.b[0]
    g1, g2 = g.subs({k: k1, A: a1, PHI: 0}), g.subs({k: k2, A: a2, PHI: 0})
    without = (a2 / a1) * sp.sinh(sp.pi * k1 / (2 * w)) / sp.sinh(sp.pi * k2 / (2 * w)) \
        * sp.cos(b * k2 / w) / sp.cos(b * k1 / w)
    planted = assess_identity((g2 / g1) ** 2, without**2, "no k2/k1")
    assert planted.verdict is Verdict.REFUTED


def test_w_case_holds_and_a_flipped_term_is_refuted(theorem1):
    """θ = w_j: the factorised gradient is proved; with +w_j instead of -w_j it is refuted."""
    import sympy as sp

    from fptheory.fourier.engine import K as k
    from fptheory.theory.theorem1 import NEURON, PHI, A, polar_gradients
    from fptheory.verify.claims import assess_identity

    assert theorem1["1.9-w"].text.verdict is Verdict.PROVED
    g = polar_gradients()["w"]
    a, w, b = NEURON.a[0], NEURON.w[0], NEURON.b[0]
    u, psi = sp.pi * k / (2 * w), b * k / w - PHI
    planted = sp.pi * A * a / (w**2 * sp.Abs(w) * sp.sinh(u)) * (
        -b * k * sp.cos(psi) + (sp.pi * k / 2 * sp.coth(u) + w) * sp.sin(psi))
    assert assess_identity(g, planted, "flipped").verdict is Verdict.REFUTED


def test_steps_1_17_to_1_21_verdicts(theorem1):
    for label in ("1.17-1.18", "1.19-1.20"):
        r = theorem1[label]
        assert r.text.verdict is Verdict.PROVED and r.corrected.verdict is Verdict.PROVED
    norm = theorem1["1.21-norm"]  # the text's implied μ(I)/(2δ) fails at m = 2
    assert norm.text.verdict is Verdict.REFUTED and norm.text.counterexample
    assert float(norm.text.counterexample["lhs"]) > float(norm.text.counterexample["rhs"])
    assert norm.corrected.verdict is Verdict.PROVED


def test_explicit_theorem_claim_is_sampled_and_the_unhypothesised_text_refuted(theorem1):
    r = theorem1["1.9-explicit"]
    assert r.text.verdict is Verdict.REFUTED and r.text.counterexample["point"]["a_1"] == "0"
    assert r.corrected.verdict is Verdict.SAMPLED
    data = r.corrected.evidence[0].data
    assert all(run["consistent"] for run in data["runs"])
    assert all(v > 0 for v in data["planted_refuted_at"].values())
