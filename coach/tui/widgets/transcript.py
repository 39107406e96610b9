"""The call's running record: what was heard, said back and noted, newest at the bottom."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

STYLES = {
    "heard": "bold cyan",
    "partner": "bold magenta",
    "note": "green",
    "coach": "yellow",
    "error": "bold red",
}


class Transcript(VerticalScroll, can_focus=False):
    """One Static per line; user text is shown literally (never read as markup)."""

    def add(self, who: str, text: str, kind: str = "note") -> None:
        line = Text()
        line.append(f"{who}: ", style=STYLES.get(kind, ""))
        line.append(text)
        self.mount(Static(line, classes=f"line {kind}", markup=False))
        self.scroll_end(animate=False)

    @property
    def lines(self) -> list[str]:
        """The transcript as plain text (for tests)."""
        return [str(line.render()) for line in self.query(".line").results(Static)]
