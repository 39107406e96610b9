"""The call screen's main column as one widget: what to say now, and the choices under it.

Top to bottom: the step's title, the big box (the phrase to say, the coach's words, or the
reply to what they just said), the warning, the guidance; at the bottom, always in view, the
"more" line, the numbered choices and the hint. It has a fixed size (the column), so a step
never lays the screen out: :meth:`StepBoard.show` works out every row once and the frame
repaints just this widget. (As a dozen auto-height widgets, each step measured, arranged and
painted them all again: about two thirds of a step's time, ``scripts/bench.py``.)

The widget owns its scrolling: PgDn/PgUp move the top part, the arrow keys the choices;
a click on a choice's row picks it. Text is drawn literally (plain strings with every
control character shown as a symbol, never markup); colours come from the stylesheet
through the component classes below, so a theme change recolours it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual import events
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip

from coach.session.engine import ChoiceView
from coach.session.events import Event
from coach.session.payloads import HeardData
from coach.tui.widgets.rows import HEAVY, ROUND, PaintedRows, boxed, text_rows, wrap

CHOICES_MAX = 12  # rows the choices and their hint take at most (they scroll beyond)
MARGIN = 1  # blank columns left and right


@dataclass(frozen=True)
class BoxView:
    """The big box: ``kind`` is say, coach or reply (its colours), ``title`` its border title.

    ``paragraphs`` are (text, Rich style) pairs, each starting a new row; the style is laid over
    the box's own (bold for the line to say back, say)."""

    kind: str
    title: str
    paragraphs: tuple[tuple[str, str], ...]

    @property
    def text(self) -> str:
        return "\n".join(text for text, _ in self.paragraphs)


def reply_box(heard: Event) -> BoxView:
    """What they said (italic), then what to say back (bold), its warning and how an offer weighs."""
    data = heard.payload
    said = data if isinstance(data, HeardData) else HeardData()
    partner = said.by == "partner"
    paragraphs = [(f'{"Them" if partner else "They said"}: "{heard.text}"', "italic")]
    if said.reply:
        paragraphs.append((f'Say: "{said.reply}"', "bold"))
    else:
        paragraphs.append(("Saved. Pick the choice that fits below, or type what they say next.", ""))
    if said.warning:
        paragraphs.append((f"⚠ {said.warning}", "bold red"))
    if said.weigh:
        paragraphs.append((f"Their offer: {said.weigh}", ""))
    title = "They answered: say back" if partner else "Reply: say this back"
    return BoxView("reply", title, tuple(paragraphs))


@dataclass(frozen=True)
class BoardView:
    """Everything the board shows for one step (equal views draw the same rows)."""

    title: str
    box: BoxView
    warnings: tuple[str, ...] = ()
    guidance: str = ""
    choices: tuple[tuple[int, str], ...] = ()
    hint: str = ""
    room: float = 0.75  # the most of the board's height the choices may take
    keep_scroll: bool = False  # the same step as before: keep where the top part was scrolled to


@dataclass
class _Rows:
    """The board's rows worked out for one width and height."""

    say: list[Strip] = field(default_factory=list)  # title, box, warning, guidance (scrolls)
    box: tuple[int, int] = (0, 0)  # the box's first row in ``say`` and its row count
    choices: list[Strip] = field(default_factory=list)  # choices then hint (scrolls)
    numbers: list[int | None] = field(default_factory=list)  # the choice on each of those rows
    say_height: int = 0
    choices_height: int = 0


class StepBoard(PaintedRows):
    """The phrase or reply, its warning and guidance, then the choices (see the module docstring)."""

    COMPONENT_CLASSES = {
        "board--title",
        "board--say",
        "board--say-border",
        "board--coach",
        "board--coach-border",
        "board--reply",
        "board--reply-border",
        "board--warning",
        "board--guidance",
        "board--more",
        "board--number",
        "board--choice",
        "board--hint",
    }
    DEFAULT_CSS = """
    StepBoard { height: 1fr; width: 1fr; }
    StepBoard > .board--title { color: $text-muted; text-style: italic; }
    StepBoard > .board--say { background: $primary-background; text-style: bold; }
    StepBoard > .board--say-border { color: $accent; background: $primary-background; }
    StepBoard > .board--coach { background: $surface; }
    StepBoard > .board--coach-border { color: $secondary; background: $surface; }
    StepBoard > .board--reply { background: $primary-background; }
    StepBoard > .board--reply-border { color: $warning; background: $primary-background; }
    StepBoard > .board--warning { background: $error 30%; color: $text; text-style: bold; }
    StepBoard > .board--guidance { color: $text-muted; }
    StepBoard > .board--more { color: $warning; text-style: bold; }
    StepBoard > .board--number { text-style: bold reverse; }
    StepBoard > .board--hint { color: $text-muted; }
    """

    class Picked(Message):
        """A choice was clicked."""

        def __init__(self, number: int) -> None:
            super().__init__()
            self.number = number

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.view: BoardView | None = None
        self.short = False  # few rows: the step title goes
        self.tall = False  # many rows: the big box gets a blank row above and below its text
        self.narrow = False  # no side panel: the box and warning pad less
        self.say_offset = 0  # the top part's first row in view
        self.choices_offset = 0  # the choices' first row in view
        self._rows = _Rows()
        self._built_for = (0, 0)  # the width and height ``_rows`` were worked out for

    # -- what to show --------------------------------------------------------

    def show(self, view: BoardView) -> None:
        """Show ``view``: the rows are worked out now and only this widget is repainted."""
        if not view.keep_scroll:
            self.say_offset = 0
        if view.choices != (self.view.choices if self.view else None) or not view.keep_scroll:
            self.choices_offset = 0
        self.view = view
        self.redraw()

    def set_shape(self, *, short: bool, tall: bool, narrow: bool) -> None:
        """The terminal's shape (from the screen's resize): rows are worked out again if it changed."""
        if (short, tall, narrow) != (self.short, self.tall, self.narrow):
            self.short, self.tall, self.narrow = short, tall, narrow
            self.redraw()

    # -- scrolling and clicks ----------------------------------------------------

    def scroll_say(self, direction: int) -> None:
        """PgDn / PgUp: the top part by a page less one row."""
        page = max(1, self._rows.say_height - 1)
        self._move_to(say=self.say_offset + direction * page)

    def scroll_choices(self, direction: int) -> None:
        """Down / up: the choices by three rows."""
        self._move_to(choices=self.choices_offset + 3 * direction)

    def _move_to(self, say: int | None = None, choices: int | None = None) -> None:
        rows = self._rows
        if say is not None:
            self.say_offset = max(0, min(say, len(rows.say) - rows.say_height))
        if choices is not None:
            self.choices_offset = max(0, min(choices, len(rows.choices) - rows.choices_height))
        self._compose_frame()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self._wheel(event.y, 1)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self._wheel(event.y, -1)

    def _wheel(self, y: int, direction: int) -> None:
        if y >= self._rows.say_height:
            self._move_to(choices=self.choices_offset + direction)
        else:
            self._move_to(say=self.say_offset + direction)

    def number_at(self, y: int) -> int | None:
        """The choice drawn on row ``y`` of the board (None: no choice there)."""
        first = self._rows.say_height + 1  # below the "more" line
        index = y - first + self.choices_offset
        if y < first or y >= first + self._rows.choices_height or index >= len(self._rows.numbers):
            return None
        return self._rows.numbers[index]

    def on_click(self, event: events.Click) -> None:
        event.stop()
        number = self.number_at(event.y)
        if number is not None:
            self.post_message(self.Picked(number))

    # -- read back (the screen's hints, tests, anyone reading the screen as text) --

    @property
    def more_text(self) -> str:
        """What the "more" line says: the top part's end is out of view, or some choices are."""
        rows = self._rows
        parts = []
        if len(rows.say) > self.say_offset + rows.say_height:
            parts.append("▼ more text: PgDn")
        if len(rows.choices) > self.choices_offset + rows.choices_height:
            parts.append("▼ more choices: ↓")
        return "  ·  ".join(parts)

    @property
    def box_text(self) -> str:
        """The big box's text, as plain text (for copying and for tests)."""
        return self.view.box.text if self.view else ""

    @property
    def box_title(self) -> str:
        return self.view.box.title if self.view else ""

    def box_region(self) -> Region:
        """Where the big box's rows are on screen now (empty when scrolled out of view)."""
        first, count = self._rows.box
        top = max(first, self.say_offset)
        bottom = min(first + count, self.say_offset + self._rows.say_height)
        content = self.region.shrink((0, MARGIN, 0, MARGIN))
        if bottom <= top:
            return Region(content.x, content.y, 0, 0)
        return Region(content.x, content.y + top - self.say_offset, content.width, bottom - top)

    def choices_region(self) -> Region:
        """Where the choices (and their hint) are on screen now."""
        content = self.region.shrink((0, MARGIN, 0, MARGIN))
        top = content.y + self._rows.say_height + 1
        return Region(content.x, top, content.width, self._rows.choices_height)

    def redraw(self) -> None:
        """Work out every row for this size and view, then paint the rows in view."""
        width, height = self.size.width - 2 * MARGIN, self.size.height
        self._built_for = (width, height)
        if self.view is None or width <= 0 or height <= 0:
            self._rows = _Rows()
            self.paint([])
            return
        view = self.view
        rows = _Rows()
        if not self.short:
            rows.say.extend(self._block(view.title.replace("\n", " "), width, "board--title"))
        first = len(rows.say)
        rows.say.extend(self._box(view.box, width))
        rows.box = (first, len(rows.say) - first)
        warnings = [f"⚠ {w}" for w in view.warnings if w]
        if warnings:
            if not self.narrow:
                rows.say.append(self._blank(width))
            rows.say.extend(self._block("\n".join(warnings), width, "board--warning", pad=1))
        if view.guidance:
            rows.say.append(self._blank(width))
            rows.say.extend(self._block(view.guidance, width, "board--guidance", extra="italic"))
        for number, label in view.choices:
            rows.choices.extend(self._choice(number, label, width))
            rows.numbers.extend([number] * (len(rows.choices) - len(rows.numbers)))
        if view.hint:
            rows.choices.extend(self._block(view.hint, width, "board--hint"))
            rows.numbers.extend([None] * (len(rows.choices) - len(rows.numbers)))
        room = max(0, round(height * view.room) - 1)
        rows.choices_height = min(len(rows.choices), CHOICES_MAX, room)
        rows.say_height = max(0, height - 1 - rows.choices_height)
        self._rows = rows
        self._move_to(say=self.say_offset, choices=self.choices_offset)

    def _compose_frame(self) -> None:
        """The rows in view now, top part then the "more" line then the choices; repaint this widget."""
        width, _ = self._built_for
        rows = self._rows
        frame = rows.say[self.say_offset : self.say_offset + rows.say_height]
        frame.extend([self._blank(width)] * (rows.say_height - len(frame)))
        more = self.more_text
        frame.extend(self.memo(("more", more, width), lambda: [self._more_row(more, width)]))
        frame.extend(rows.choices[self.choices_offset : self.choices_offset + rows.choices_height])
        self.paint(frame, margin=MARGIN)

    def _more_row(self, more: str, width: int) -> Strip:
        return Strip([Segment(more, self.style_of("board--more"))]).extend_cell_length(width).crop(0, width)

    def _blank(self, width: int) -> Strip:
        """A blank row: the same one each time, so painting it again costs nothing (see PaintedRows.paint)."""
        return self.memo(("blank", width), lambda: [Strip.blank(width)])[0]

    def _block(self, text: str, width: int, style_name: str, pad: int = 0, extra: str = "") -> list[Strip]:
        """``text`` wrapped to ``width`` (less ``pad`` each side), every row filled with its style."""
        key = ("block", text, width, style_name, pad, extra)
        fill = self.style_of(style_name)
        style = fill + RichStyle.parse(extra) if extra else fill
        return self.memo(key, lambda: text_rows(text, width, style, fill, pad))

    def _box(self, box: BoxView, width: int) -> list[Strip]:
        """The big box: a heavy (or, for the coach's words, a round) border with its title on top."""
        kind = box.kind if box.kind in ("say", "coach", "reply") else "say"
        border, body = self.style_of(f"board--{kind}-border"), self.style_of(f"board--{kind}")
        paragraphs = [
            (text, body + RichStyle.parse(extra) if extra else body) for text, extra in box.paragraphs
        ]
        chars = ROUND if kind == "coach" else HEAVY
        pad, blank_lines = (1 if self.narrow else 2), int(self.tall)
        key = ("box", box, width, pad, blank_lines)
        return self.memo(
            key,
            lambda: boxed(
                box.title, paragraphs, width, border, body, chars=chars, pad=pad, blank_lines=blank_lines
            ),
        )

    def _choice(self, number: int, label: str, width: int) -> list[Strip]:
        """`` 3  Ask for the balance``: its number on a badge; a long label wraps under itself."""
        return self.memo(("choice", number, label, width), lambda: self._draw_choice(number, label, width))

    def _draw_choice(self, number: int, label: str, width: int) -> list[Strip]:
        badge_style = self.style_of("board--number")
        style = self.style_of("board--choice")
        badge = f" {number} "
        indent = len(badge) + 1
        strips = []
        for index, (row, cells) in enumerate(wrap(label.replace("\n", " "), max(1, width - indent))):
            lead = (
                [Segment(badge, badge_style), Segment(" ", style)]
                if index == 0
                else [Segment(" " * indent, style)]
            )
            filler = Segment(" " * max(0, width - indent - cells), style)
            strips.append(Strip([*lead, Segment(row, style), filler], width).crop(0, width))
        return strips


def choices_of(choices: Sequence[ChoiceView]) -> tuple[tuple[int, str], ...]:
    """The engine's choice views as (number, label) pairs."""
    return tuple((choice.number, choice.label) for choice in choices)
