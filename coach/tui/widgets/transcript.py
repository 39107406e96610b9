"""The call's running record: what was said, heard and noted, newest at the bottom."""

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


class Transcript(VerticalScroll):
    """One Static per line; user text is shown literally (never read as markup)."""

    def add(self, who: str, text: str, kind: str = "note") -> None:
        line = Text()
        line.append(f"{who}: ", style=STYLES.get(kind, ""))
        line.append(text)
        self.mount(Static(line, classes=f"line {kind}"))
        self.scroll_end(animate=False)
