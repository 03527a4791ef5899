"""The chapter's sections and parts, and where each claim and study of the report goes.

A claim goes by the equation number its label starts with (``1.14`` → Theorem 1); a study
by its name, else by the first equation, figure or § reference in its ``chapter`` field.
:func:`fptheory.report.document.build_tex` lays the report out by :data:`SECTIONS`.

>>> equation_number("1.16-c2"), equation_number("1.1.1-tanh"), equation_number("my-lemma")
(16, 1, None)
>>> part_for_study({"study": "new_thing", "chapter": "figure 1.6"}).title
'Linear frequency principle: NN vs LFP model'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = [
    "SECTIONS",
    "OTHER",
    "Part",
    "Section",
    "equation_number",
    "part_for_claim",
    "part_for_study",
]


@dataclass(frozen=True)
class Part:
    """A part of a section: the equations (inclusive range), figures and study names
    that belong to it."""

    title: str
    equations: tuple[int, int] | None = None
    figures: tuple[int, ...] = ()
    studies: tuple[str, ...] = ()
    intro: str = ""


@dataclass(frozen=True)
class Section:
    title: str
    parts: tuple[Part, ...]


SECTIONS: tuple[Section, ...] = (
    Section("§1.1 Activation functions and Theorem 1", (
        Part("Transforms of the activations, (1.1)-(1.8)", (1, 8), (1,),
             ("ricker", "frequency_ordering"),
             "Two-layer tanh network h(x) = Σ_j a_j tanh(w_j x + b_j), angular convention "
             "(kernel e^{-ikx}); the Ricker activation (1.8) and figure 1.1."),
        Part("Theorem 1, (1.9)-(1.21)", (9, 21), (), ("measure_ratio",),
             "For |k2| > |k1| > 0, near W = 0 the low frequency's gradient dominates on all "
             "but a fraction C e^{-c/δ} of the ball B_δ; the proof's steps one by one."),
        Part("Loss weighting, (1.22)-(1.23)", (22, 23), (2,), ("grad_loss",),
             "L_grad adds the MSE of the input derivative: high frequencies weigh more."),
    )),
    Section("§1.2 Large initialisation", (
        Part("Large initialisation", None, (3, 4, 5), ("initialization",),
             "With large initial weights e^{-πk/2w} hardly varies with k: the initial output's "
             "high frequencies stay after training."),
    )),
    Section("§1.3 Linear frequency principle", (
        Part("Linear frequency principle: NN vs LFP model", (24, 30), (6,), ("lfp_vs_nn",),
             "Linearised dynamics ∂_t F[u](ξ) = -γ(ξ)² F[u_ρ](ξ) (1.26), ordinary convention "
             "(kernel e^{-2πixξ}), and the LFP model (1.27)-(1.30) against a wide ReLU net "
             "(figure 1.6)."),
    )),
    Section("§1.3.2 The decay-rate limit (α-critical)", (
        Part("The decay-rate limit", (31, 34), (7,), ("alpha_critical",),
             "min ∫⟨ξ⟩^α |F[h]|² subject to interpolation: α = d is critical (figure 1.7)."),
    )),
    Section("§1.4 Regularity and decay", (
        Part("Regularity and decay, (1.35)-(1.44)", (35, 44), (), (),
             "Derivative theorem, δ, Heaviside and ReLU transforms (ordinary convention); "
             "smoothness and the decay of the transform."),
    )),
)

OTHER = Part("Claims and studies outside the chapter's numbering")


def equation_number(label: str) -> int | None:
    """The chapter equation a claim label starts with: "1.14" → 14, "1.1.1-x" → 1 (a
    §1.1.1 remark), anything else → None."""
    m = re.match(r"\(?1\.(\d+)", label.strip())
    return int(m.group(1)) if m else None


def _parts() -> list[Part]:
    return [p for s in SECTIONS for p in s.parts]


def part_for_claim(label: str) -> Part:
    n = equation_number(label)
    for p in _parts():
        if n is not None and p.equations and p.equations[0] <= n <= p.equations[1]:
            return p
    return OTHER


def part_for_study(study: dict[str, Any]) -> Part:
    """By the study's name, else by the first equation/figure/§ reference of ``chapter``."""
    name = str(study.get("study", ""))
    for p in _parts():
        if name in p.studies:
            return p
    chapter = str(study.get("chapter", ""))
    for m in re.finditer(r"(fig(?:ure)?s?\.?\s*1\.(\d+))|(\(1\.(\d+)\))|(§\s*1\.(\d+)(\.\d+)?)",
                         chapter, re.IGNORECASE):
        if m.group(2):
            found = [p for p in _parts() if int(m.group(2)) in p.figures]
        elif m.group(4):
            found = [part_for_claim("1." + m.group(4))]
        else:
            sec = "§1." + m.group(6) + (m.group(7) or "")
            found = [s.parts[0] for s in SECTIONS if s.title.split()[0] == sec]
        found = [p for p in found if p is not OTHER]
        if found:
            return found[0]
    return OTHER
