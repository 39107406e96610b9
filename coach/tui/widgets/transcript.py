"""The call's running record: what was heard, said back and noted, newest at the bottom."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.content import Content
from textual.strip import Strip

from coach.tui.plain import literal
from coach.tui.widgets.rows import PaintedRows, framed, wrap

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
    The newest entry is in view unless the wheel has scrolled back (the title then says how
    many rows are below); a new entry scrolls back to the newest. Entries are Rich ``Text``,
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
        self._boxed: dict[int, Strip] = {}  # a row of the log -> that row between the borders
        self.dirty = False  # entries added since the last paint

    def add(self, who: str, text: str, kind: str = "note") -> None:
        line = Text()
        line.append(f"{who}: ", style=STYLES.get(kind, ""))
        line.append(text)
        line = literal(line)  # what was heard, typed or recorded: no control character reaches the terminal
        self.entries.append(line)
        if self.wrapped_at:
            self.lines.extend(self._wrap(line, self.wrapped_at))
        self.back = 0
        self.dirty = True

    def notify_style_update(self) -> None:
        self._boxed.clear()  # its rows carry the border's colour: a theme change draws them again
        super().notify_style_update()

    def show_added(self) -> None:
        """Paint what was added since the last time (once for a step's lines, not once a line)."""
        if self.dirty:
            self.redraw()

    def _wrap(self, line: Text, width: int) -> list[Strip]:
        """An entry's rows at ``width``: its "Who: " in the entry's colour, the rest plain.

        Wrapped by :func:`coach.tui.widgets.rows.wrap` (a few times faster than Textual's
        Content, which a step with a long reply pays for every row); an entry styled any
        other way goes through Content."""
        spans = line.spans
        if len(spans) != 1 or spans[0].start != 0:
            return [Strip(row.render_segments()) for row in Content.from_rich_text(line).wrap(width)]
        lead, style = spans[0].end, Style.parse(str(spans[0].style))
        strips = []
        for index, (row, cells) in enumerate(wrap(line.plain, width)):
            if index == 0 and 0 < lead <= len(row):
                strips.append(Strip([Segment(row[:lead], style), Segment(row[lead:])], cells))
            else:
                strips.append(Strip([Segment(row)], cells))
        return strips

    @property
    def rows_in_view(self) -> int:
        return max(0, self.size.height - 2)

    def redraw(self) -> None:
        self.dirty = False
        width = self.size.width
        if width < 5 or not self.size.height:
            return
        inner = width - 4  # the border and one blank column each side
        if inner != self.wrapped_at:
            self.wrapped_at = inner
            self.lines = [row for entry in self.entries for row in self._wrap(entry, inner)]
            self._boxed.clear()
        view = self.rows_in_view
        self.back = max(0, min(self.back, len(self.lines) - view))
        end = len(self.lines) - self.back
        first = max(0, end - view)
        border = self.style_of("transcript--border")
        title = (
            f"▼ {self.back} newer · {self.title}" if self.back else self.title
        )  # first: a long title is cut
        top_row, *_, bottom_row = self.memo(("frame", title, width), lambda: framed(title, [], width, border))
        rows = [
            top_row,
            *(self._boxed_row(first + offset, width, border) for offset in range(view)),
            bottom_row,
        ]
        self.paint(rows)

    def _boxed_row(self, index: int, width: int, border: Style) -> Strip:
        """Row ``index`` of the log between the borders (kept, so an unchanged row is not styled again)."""
        if index >= len(self.lines):  # below the last line: one blank row, the same object each time
            return self.memo(("blank", width), lambda: [self._between(Strip.blank(0), width, border)])[0]
        row = self._boxed.get(index)
        if row is None:
            row = self._boxed[index] = self._between(self.lines[index], width, border)
        return row

    @staticmethod
    def _between(line: Strip, width: int, border: Style) -> Strip:
        edge = Segment("│", border)
        fill = Segment(" " * max(0, width - 3 - line.cell_length))  # lines are wrapped to fit: no crop
        return Strip([edge, Segment(" "), *line, fill, edge], width)

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
