"""Rich renderables as plain text (for tests, logs and anyone reading the screen as text), and user text made literal."""

from __future__ import annotations

import io

from rich.console import Console, RenderableType
from rich.text import Text

from coach.termtext import visible


def plain_text(renderable: RenderableType, width: int = 100) -> str:
    console = Console(width=width, file=io.StringIO(), color_system=None, legacy_windows=False)
    console.print(renderable)
    return console.file.getvalue()  # type: ignore[attr-defined]


def literal(text: str | Text, style: str = "", keep_lines: bool = True) -> Text:
    """User or file text for a widget: never markup, and no control character reaches the terminal.

    Textual passes ESC and the like straight through to the terminal (it strips only
    bell, backspace, VT, FF and CR), so an OSC 52 in a case label would write the
    clipboard; each control character is drawn as a symbol instead (␛).
    """
    if isinstance(text, str):
        return Text(visible(text, keep_lines), style=style)
    safe = text.copy()
    plain = visible(safe.plain, keep_lines)
    if plain != safe.plain:
        safe.plain = plain  # same length: the spans still fit
    return safe
