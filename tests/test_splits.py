"""How the search cuts boxes (fptheory.verify.splits): the two halves cover the box exactly,
a scale side is cut at a power of 2, sides the margin was found monotone in are left
whole while another side is still wide, and with the margin's slopes known the side with
the largest slope times width is cut."""

import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from fptheory.verify.kernel import Kernel
from fptheory.verify.search import _monotone_sides
from fptheory.verify.splits import slope_smear, split_box

R = sp.Rational


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(-50, 50), st.integers(1, 60)), min_size=1, max_size=6),
       st.sets(st.integers(0, 5)))
def test_the_halves_cover_the_box_exactly(sides, settled):
    box = [(R(a, 7), R(a, 7) + R(w, 5)) for a, w in sides]
    left, right = split_box(box, frozenset(settled))
    cut = [i for i, (a, b) in enumerate(zip(left, right, strict=True)) if a != b]
    assert len(cut) == 1
    i = cut[0]
    assert left[i][0] == box[i][0] and right[i][1] == box[i][1]
    assert left[i][1] == right[i][0] and box[i][0] < left[i][1] < box[i][1]
    widths = [hi - lo for lo, hi in box]
    others = [j for j in range(len(box)) if j not in settled and widths[j] > max(widths) / 64]
    if others:  # a settled side is cut only when every other side is narrow
        assert i in others and widths[i] == max(widths[j] for j in others)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(-50, 0), st.integers(1, 60), st.integers(0, 1000)),
                min_size=2, max_size=6), st.sets(st.integers(0, 5)))
def test_with_slopes_the_side_that_spreads_the_margin_most_is_cut(sides, settled):
    box = [(R(a, 7), R(a, 7) + R(w, 5)) for a, w, _ in sides]  # (no scale side: ends ≤ 0)
    smear = [float(s) / 3 for _, _, s in sides]
    left, right = split_box(box, frozenset(settled), smear)
    (i,) = [j for j, (a, b) in enumerate(zip(left, right, strict=True)) if a != b]
    assert left[i] == (box[i][0], sum(box[i]) / 2) and right[i] == (sum(box[i]) / 2, box[i][1])
    widths = [hi - lo for lo, hi in box]
    free = [j for j in range(len(box)) if j not in settled and widths[j] > max(widths) / 64]
    free = free or list(range(len(box)))
    spread = [smear[j] * float(widths[j]) for j in range(len(box))]
    assert i in free and spread[i] == max(spread[j] for j in free)


def test_the_slopes_come_from_the_affine_form_and_pick_the_side():
    """x·y³ + x on [0, 1] × [0, 2]: ∂/∂x = y³ + 1 ∈ [1, 9] and ∂/∂y = 3xy² ∈ [0, 12]; the
    slope bounds hold them, and times the widths 1 and 2 they make y the side to cut
    (widest-side splitting, no slopes, would cut y too; on [0, 4] × [0, 2] slopes cut y,
    the narrower side, where ∂/∂y reaches 48)."""
    x, y = sp.symbols("x y", real=True)
    g = x * y**3 + x
    smear = slope_smear(Kernel([x, y]), g, [(R(0), R(1)), (R(0), R(2))])
    assert smear is not None and 9 <= smear[0] <= 12 and 12 <= smear[1] <= 15  # (affine: ≥ the true)
    box = [(R(0), R(4)), (R(0), R(2))]
    smear = slope_smear(Kernel([x, y]), g, box)
    left, _ = split_box(box, frozenset(), smear)
    assert left == [(R(0), R(4)), (R(0), R(1))]
    assert split_box(box)[0] == [(R(0), R(2)), (R(0), R(2))]
    assert slope_smear(Kernel([x, y]), g, [(R(0), R(1)), (R(1), R(1))]) is None  # one side


def test_a_scale_side_is_cut_at_a_power_of_two():
    left, _ = split_box([(R(1, 1000), R(1000)), (R(0), R(1))])
    assert left[0] == (R(1, 1000), 1)


def test_the_sides_of_a_monotone_rule_are_read_from_it():
    ys = sp.symbols("y1:7", real=True)
    rule = "monotone: increasing in y3 → monotone: strictly decreasing in y6 → split"
    assert _monotone_sides(ys, rule) == frozenset({2, 5})
    assert _monotone_sides(ys, "split") == frozenset()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["line", "up", "down", "finite"]), min_size=1, max_size=5))
def test_a_whole_line_is_cut_at_0_before_any_tail(kinds):
    """A side (-∞, ∞) is cut at 0 first (an |z| or a square in z changes there), before a
    tail [a, ∞) of another side is cut on towards TAIL_CAP: |x + 2y + z|·eʷ < 7 + |z| with
    w ≤ 0 and z real was unknown at 60 s while w's tail was cut first, each of its boxes
    holding the whole line of z. Without a whole line, the first tail is cut; the halves
    cover the box."""
    ends = {"line": (-sp.oo, sp.oo), "up": (R(3), sp.oo), "down": (-sp.oo, R(-3)),
            "finite": (R(-1), R(2))}
    box = [ends[k] for k in kinds]
    if kinds == ["finite"] * len(kinds):
        return
    left, right = split_box(box)
    (i,) = [j for j, (a, b) in enumerate(zip(left, right, strict=True)) if a != b]
    first = kinds.index("line") if "line" in kinds else min(
        j for j, k in enumerate(kinds) if k != "finite")
    assert i == first
    assert left[i][0] == box[i][0] and right[i][1] == box[i][1] and left[i][1] == right[i][0]
    if kinds[i] == "line":
        assert left[i][1] == 0
