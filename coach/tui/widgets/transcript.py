"""The call's running record: what was heard, said back and noted, newest at the bottom."""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.content import Content
from textual.strip import Strip

from coach.tui.plain import literal
from coach.tui.widgets.rows import PaintedRows, framed

STYLES = {
    "heard": "bold cyan",
    "partner": "bold magenta",
    "note": "green",
    "coach": "yellow",
    "error": "bold red",
}


class Transcript(PaintedRows, can_focus=False):
    """The whole call in a round box: a new line costs the same at line 10 and at line 500.

    Each entry is wrapped to the box's width once, when it is added (and again if the width
    changes), and kept as rows; a step paints the rows in view, never lays the screen out.
    The newest entry is in view unless the wheel has scrolled back (a thumb on the right
    border shows where); a new entry scrolls back to the newest. Entries are Rich ``Text``,
    never markup: user text is shown literally.
    """

    COMPONENT_CLASSES = {"transcript--border"}
    DEFAULT_CSS = """
    Transcript { height: 1fr; }
    Transcript > .transcript--border { color: $secondary; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.title = "Transcript"
        self.entries: list[Text] = []
        self.lines: list[Strip] = []  # every entry's rows, wrapped at ``wrapped_at``
        self.wrapped_at = 0
        self.back = 0  # rows scrolled back from the newest

    def add(self, who: str, text: str, kind: str = "note") -> None:
        line = Text()
        line.append(f"{who}: ", style=STYLES.get(kind, ""))
        line.append(text)
        line = literal(line)  # what was heard, typed or recorded: no control character reaches the terminal
        self.entries.append(line)
        if self.wrapped_at:
            self.lines.extend(self._wrap(line, self.wrapped_at))
        self.back = 0
        self.redraw()

    def _wrap(self, line: Text, width: int) -> list[Strip]:
        return [Strip(row.render_segments()) for row in Content.from_rich_text(line).wrap(width)]

    @property
    def rows_in_view(self) -> int:
        return max(0, self.size.height - 2)

    def redraw(self) -> None:
        width = self.size.width
        if width < 5 or not self.size.height:
            return
        inner = width - 4  # the border and one blank column each side
        if inner != self.wrapped_at:
            self.wrapped_at = inner
            self.lines = [row for entry in self.entries for row in self._wrap(entry, inner)]
        view = self.rows_in_view
        self.back = max(0, min(self.back, len(self.lines) - view))
        end = len(self.lines) - self.back
        shown = self.lines[max(0, end - view) : end]
        body = [Strip([Segment(" "), *row]).extend_cell_length(inner + 1) for row in shown]
        body.extend(Strip.blank(inner + 1) for _ in range(view - len(body)))
        thumb = range(0)
        if len(self.lines) > view > 0:  # a scroll thumb: where the rows in view sit in the whole
            size = max(1, view * view // len(self.lines))
            top = (view - size) * (end - view) // max(1, len(self.lines) - view)
            thumb = range(top, top + size)
        self.paint(framed(self.title, body, width, self.style_of("transcript--border"), thumb=thumb))

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self.back += 1
        self.redraw()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self.back -= 1
        self.redraw()

    @property
    def plain_lines(self) -> list[str]:
        """The transcript as plain text, one entry per line written (for tests)."""
        return [line.plain for line in self.entries]
