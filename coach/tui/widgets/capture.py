"""What has been recorded in this call so far: rep name, reference number, offers, promises."""

from __future__ import annotations

from collections.abc import Iterable

from rich.segment import Segment
from rich.text import Text
from textual.content import Content
from textual.strip import Strip
from textual.widgets import Static

from coach.tui.plain import literal
from coach.tui.widgets.onepass import OnePass
from coach.tui.widgets.rows import PaintedRows, framed

ALWAYS = ("rep_name", "reference")  # always listed, so a missing one is noticed


class CapturePanel(PaintedRows):
    """One line per capture field in a round box titled "Recorded"; fields this step asks for and still lack are lit.

    The panel keeps the most rows it has taken in this call (blank ones at the bottom): a step that
    asks for one note more or less than the last never changes its height, so a step is a repaint
    of the panel, never a layout of the screen (scripts/bench.py counts the frames per key)."""

    COMPONENT_CLASSES = {"capture--border", "capture--label", "capture--wanted", "capture--missing"}
    DEFAULT_CSS = """
    CapturePanel { height: 3; }
    CapturePanel > .capture--border { color: $success; }
    CapturePanel > .capture--label { text-style: bold; }
    CapturePanel > .capture--wanted { color: $warning; text-style: bold; }
    CapturePanel > .capture--missing { color: $text-muted; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.title = "Recorded"
        self.rows = (
            0  # the most rows of text taken so far at width ``rows_width`` (the panel never gets shorter)
        )
        self.rows_width = 0
        self.shown: tuple[tuple[str, str, str], ...] = ()  # (label, value, state) per line

    def show(
        self,
        captured: dict[str, list[str]],
        labels: dict[str, str],
        commands: dict[str, str],
        wanted: Iterable[str] = (),
    ) -> None:
        wanted = tuple(wanted)
        kinds = [k for k in labels if k in ALWAYS or k in captured or k in wanted]
        lines = []
        for kind in kinds:
            values = captured.get(kind, [])
            if values:
                lines.append((labels[kind], ", ".join(values), "value"))
            else:
                lines.append(
                    (labels[kind], f"— /{commands[kind]}", "wanted" if kind in wanted else "missing")
                )
        self.shown = tuple(lines)
        self.redraw()

    @property
    def text(self) -> str:
        """What the panel lists, one line per field (as plain text)."""
        return "\n".join(f"{label}: {value}" for label, value, _ in self.shown)

    def redraw(self) -> None:
        width = self.size.width
        if width < 4:
            return
        inner = width - 4  # the border and one blank column each side
        text = Text()
        for label, value, state in self.shown:
            if text:
                text.append("\n")
            text.append(f"{label}: ", style=self.style_of("capture--label"))
            text.append(value, style=self.style_of(f"capture--{state}") if state != "value" else "")
        wrapped = Content.from_rich_text(literal(text)).wrap(inner)
        if inner != self.rows_width:
            self.rows, self.rows_width = 0, inner
        self.rows = max(self.rows, len(wrapped))
        if self.styles.height is None or self.styles.height.value != self.rows + 2:
            self.styles.height = self.rows + 2  # a new row: the screen is laid out again (rare)
        self.paint(
            self.memo(
                ("capture", self.title, self.shown, width, self.rows), lambda: self._box(wrapped, width)
            )
        )

    def _box(self, wrapped: list[Content], width: int) -> list[Strip]:
        inner = width - 4
        body = [
            Strip([Segment(" "), *line.render_segments()]).extend_cell_length(inner + 1) for line in wrapped
        ]
        body.extend(Strip.blank(inner + 1) for _ in range(self.rows - len(wrapped)))
        return framed(self.title, body, width, self.style_of("capture--border"))


class RecordedLine(OnePass, Static):
    """What was recorded, on one wrapped line (below 100 columns, where the side panel is gone)."""

    def __init__(self, **kwargs: str) -> None:
        super().__init__("", markup=False, **kwargs)  # type: ignore[arg-type]

    def show(self, captured: dict[str, list[str]], labels: dict[str, str]) -> None:
        parts = [
            f"{labels.get(kind, kind)}: {', '.join(values)}" for kind, values in captured.items() if values
        ]
        text = Text()
        if parts:
            text.append("Recorded ", style="bold")
            text.append(" · ".join(parts))
        self.update(literal(text))
        self.set_class(not parts, "-empty")
