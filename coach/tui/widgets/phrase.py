"""A warning the user must not miss, for the screens that lay out their parts as widgets (prepare).

(The call screen draws its big box and warning itself: :mod:`coach.tui.widgets.board`.)
"""

from __future__ import annotations

from textual.widgets import Static

from coach.tui.plain import literal
from coach.tui.widgets.onepass import OnePass


class WarningPanel(OnePass, Static):
    """A warning in red; hidden when there is none."""

    def __init__(self, **kwargs: str) -> None:
        super().__init__("", markup=False, **kwargs)  # type: ignore[arg-type]

    def show(self, *warnings: str) -> None:
        lines = [f"⚠ {w}" for w in warnings if w]
        self.update(literal("\n".join(lines)))
        self.display = bool(lines)
