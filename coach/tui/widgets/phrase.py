"""The phrase to say, large and first; the coach's guidance when a step has nothing to say."""

from __future__ import annotations

from textual.widgets import Static


class PhrasePanel(Static):
    """Bold text in a heavy box titled "Say this" (or "Coach" for guidance-only steps)."""

    def __init__(self, **kwargs: str) -> None:
        super().__init__("", markup=False, **kwargs)  # type: ignore[arg-type]
        self.text = ""

    def show(self, phrase: str, coach: str) -> None:
        self.text = phrase or coach
        self.update(self.text)
        self.set_class(not phrase, "-guidance")
        self.border_title = "Say this" if phrase else "Coach"


class WarningPanel(Static):
    """A warning the user must not miss (red, heavy border); hidden when there is none."""

    def __init__(self, **kwargs: str) -> None:
        super().__init__("", markup=False, **kwargs)  # type: ignore[arg-type]

    def show(self, *warnings: str) -> None:
        lines = [f"⚠ {w}" for w in warnings if w]
        self.update("\n".join(lines))
        self.display = bool(lines)
