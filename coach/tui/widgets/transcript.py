"""The call's running record: what was heard, said back and noted, newest at the bottom."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.widgets import RichLog

from coach.tui.plain import literal

STYLES = {
    "heard": "bold cyan",
    "partner": "bold magenta",
    "note": "green",
    "coach": "yellow",
    "error": "bold red",
}


class Transcript(RichLog, can_focus=False):
    """One log widget for the whole call, so a new line costs the same at line 10 and at line 500.

    (A widget per line made every step lay out every line.) Lines are rich ``Text``
    objects, never markup: user text is shown literally. They are wrapped to the
    panel's width when written and wrapped again if that width changes.
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(wrap=True, markup=False, highlight=False, min_width=1, id=id, classes=classes)
        self.entries: list[Text] = []
        self._wrapped_at = 0  # the width the lines in the log were wrapped to
        self._sized: tuple[Size, Size, Size] | None = None  # what the last layout gave (see _size_updated)

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        """Nothing to do when a layout leaves the log as it was (its size, its container, its lines).

        A log's own virtual size is never the one a layout passes in, so Textual's ScrollView takes
        every layout of the screen for a change and repaints the scrollbar: a frame of its own after
        each step's. The same three sizes give the same scrollbar (overrides a private method,
        textual 8.x, as ``coach.tui.widgets.onepass`` does; ``scripts/bench.py`` counts the frames)."""
        sized = (size, container_size, self.virtual_size)
        if sized == self._sized:
            return False
        self._sized = sized
        return super()._size_updated(size, virtual_size, container_size, layout)

    def add(self, who: str, text: str, kind: str = "note") -> None:
        line = Text()
        line.append(f"{who}: ", style=STYLES.get(kind, ""))
        line.append(text)
        line = literal(line)  # what was heard, typed or recorded: no control character reaches the terminal
        self.entries.append(line)
        if self._size_known:
            self._wrapped_at = self.scrollable_content_region.width
        self.write(line)

    def on_resize(self, event: events.Resize) -> None:
        """Wrap every line again when the panel's width changes (not on the first size: RichLog writes then)."""
        width = self.scrollable_content_region.width
        if not self._size_known or not width or width == self._wrapped_at:
            return
        self._wrapped_at = width
        self.clear()
        for line in self.entries:
            self.write(line)

    @property
    def plain_lines(self) -> list[str]:
        """The transcript as plain text, one entry per line written (for tests)."""
        return [line.plain for line in self.entries]
