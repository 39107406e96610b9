"""The stage strip: assess › contact › propose › settle › document, the current one lit."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class StageProgress(Static):
    """Shows every stage, marking done, current and still to come."""

    def __init__(self, stages: list[str], titles: dict[str, str], **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self.stages = stages
        self.titles = titles
        self.current = 0

    def set_stage(self, index: int) -> None:
        self.current = index
        text = Text()
        for number, stage in enumerate(self.stages):
            if number:
                text.append(" › ", style="dim")
            title = self.titles.get(stage, stage.title())
            if number < index:
                text.append(f"✓ {title}", style="green")
            elif number == index:
                text.append(f"● {title}", style="bold reverse")
            else:
                text.append(title, style="dim")
        self.update(text)
