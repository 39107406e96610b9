"""What has been recorded in this call so far: rep name, reference number, offers, promises."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.widgets import Static

from coach.tui.plain import literal
from coach.tui.widgets.onepass import OnePass

ALWAYS = ("rep_name", "reference")  # always listed, so a missing one is noticed


class CapturePanel(OnePass, Static):
    """One line per capture field; fields this step asks for and still lack are lit up.

    The panel keeps the most rows it has taken in this call (blank ones at the bottom): a step that
    asks for one note more or less than the last never changes its height, so the transcript below it
    keeps its size and a step lays the screen out once (one frame per key, scripts/bench.py)."""

    def __init__(self, **kwargs: str) -> None:
        super().__init__("", markup=False, **kwargs)  # type: ignore[arg-type]
        self.rows = 0  # the most rows taken so far at width ``rows_width`` (the panel never gets shorter)
        self.rows_width = 0

    def show(
        self,
        captured: dict[str, list[str]],
        labels: dict[str, str],
        commands: dict[str, str],
        wanted: Iterable[str] = (),
    ) -> None:
        wanted = tuple(wanted)
        kinds = [k for k in labels if k in ALWAYS or k in captured or k in wanted]
        text = Text()
        for kind in kinds:
            if text:
                text.append("\n")
            text.append(f"{labels[kind]}: ", style="bold")
            values = captured.get(kind, [])
            if values:
                text.append(", ".join(values))
            else:
                text.append(f"— /{commands[kind]}", style="bold yellow" if kind in wanted else "dim")
        self.update(literal(text))
        width = self.content_size.width  # 0 before the first layout: nothing to keep yet
        if not width:
            return
        if width != self.rows_width:
            self.rows, self.rows_width = 0, width
        rows = self.get_content_height(self.content_size, self.content_size, width)  # wrapped, as laid out
        if rows < self.rows:
            text.append("\n" * (self.rows - rows))
            self.update(literal(text))
        self.rows = max(self.rows, rows)

    def on_resize(self) -> None:
        """Keep the rows the panel took in its first layout (it is first drawn before its width is known)."""
        width = self.content_size.width
        if width and width != self.rows_width:
            self.rows, self.rows_width = self.size.height, width


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
