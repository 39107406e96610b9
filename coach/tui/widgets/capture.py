"""What has been recorded in this call so far: rep name, reference number, offers, promises."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.widgets import Static

from coach.tui.plain import literal
from coach.tui.widgets.onepass import OnePass

ALWAYS = ("rep_name", "reference")  # always listed, so a missing one is noticed


class CapturePanel(OnePass, Static):
    """One line per capture field; fields this step asks for and still lack are lit up."""

    def __init__(self, **kwargs: str) -> None:
        super().__init__("", markup=False, **kwargs)  # type: ignore[arg-type]

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
