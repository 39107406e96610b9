"""The case card: account, balance, creditor, the three numbers, the dispute date, the one warning."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from coach.tui.plain import literal
from coach.tui.widgets.onepass import OnePass


class CaseCard(OnePass, Static):
    """The lines of :func:`coach.casefile.casecard.case_card_lines`, one per row; the warning line lit."""

    def __init__(self, **kwargs: str) -> None:
        super().__init__("", markup=False, **kwargs)  # type: ignore[arg-type]
        self.lines: list[str] = []

    def show(self, lines: Sequence[str]) -> None:
        self.lines = list(lines)
        text = Text()
        for index, line in enumerate(self.lines):
            if index:
                text.append("\n")
            if line.startswith("⚠"):
                text.append(line, style="bold yellow")
            elif index == 0:
                text.append(line, style="bold")
            else:
                text.append(line)
        self.update(literal(text))
        self.display = bool(self.lines)
