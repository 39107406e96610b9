"""The stage strip: assess › contact › propose › settle › document, the current one lit."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widget import Widget


class StageProgress(Widget):
    """Every stage, marking done, current and still to come; compact when the strip is narrow."""

    DEFAULT_CSS = "StageProgress { height: 1; }"

    def __init__(self, stages: Sequence[str], titles: dict[str, str], **kwargs: str) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.titles = [titles.get(stage, stage.title()) for stage in stages]
        self.current = 0

    def set_stage(self, index: int) -> None:
        if index != self.current:
            self.current = index
            self.refresh()

    def full(self) -> Text:
        text = Text(no_wrap=True)
        for number, title in enumerate(self.titles):
            if number:
                text.append(" › ", style="dim")
            if number < self.current:
                text.append(f"✓ {title}", style="green")
            elif number == self.current:
                text.append(f"● {title}", style="bold reverse")
            else:
                text.append(title, style="dim")
        return text

    def compact(self) -> Text:
        """``✓ ✓ ● Propose ○ ○ 3/5``: every stage still in view, only the current one named."""
        text = Text(no_wrap=True)
        text.append("✓ " * self.current, style="green")
        text.append(f"● {self.titles[self.current]}", style="bold reverse")
        text.append(" ○" * (len(self.titles) - self.current - 1), style="dim")
        text.append(f"  {self.current + 1}/{len(self.titles)}", style="dim")
        return text

    def render(self) -> Text:
        full = self.full()
        return full if full.cell_len <= self.content_size.width else self.compact()
