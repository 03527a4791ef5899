"""Derivations kept as data: each step names its rule and carries its equation in LaTeX."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Step", "Derivation"]


@dataclass(frozen=True)
class Step:
    """One step of a derivation.

    ``rule`` is a short identifier (``"abel-regularisation"``, ``"affine"``, ...),
    ``text`` a plain-language sentence and ``latex`` the equation it establishes.
    """

    rule: str
    text: str
    latex: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "text": self.text, "latex": self.latex}


@dataclass
class Derivation:
    """An ordered list of steps; sub-derivations (a base transform used by a rule) are
    inlined with their own steps so the whole argument can be rendered."""

    steps: list[Step] = field(default_factory=list)

    def add(self, rule: str, text: str, latex: str = "") -> None:
        self.steps.append(Step(rule, text, latex))

    def extend(self, other: Derivation) -> None:
        self.steps.extend(other.steps)

    @property
    def rules(self) -> list[str]:
        return [s.rule for s in self.steps]

    def to_list(self) -> list[dict[str, str]]:
        return [s.to_dict() for s in self.steps]

    def to_latex(self) -> str:
        """An ``align*``-free rendering: one numbered item per step."""
        lines = [r"\begin{enumerate}"]
        for s in self.steps:
            eq = f" $${s.latex}$$" if s.latex else ""
            lines.append(rf"  \item \textbf{{{s.rule}}}: {s.text}{eq}")
        lines.append(r"\end{enumerate}")
        return "\n".join(lines)
