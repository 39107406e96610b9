"""Widgets of the call screen that work out their rows once per change and paint them as they are.

A call step changes the big box, the choices, what was recorded and the transcript. As
Static widgets of automatic height, every step laid the screen out again and Textual styled
every row of each again when painting it (about 0.1 ms a row: most of a frame). A
:class:`PaintedRows` widget has a fixed size, turns its text into rows (``Strip``) when the
text changes, with colours from its component classes, the widget's own colours under them
and the app's line filters (NO_COLOR and the like) over them, and hands those rows to the
compositor unchanged: a step is a repaint of the widgets that changed, with no layout.

Text is drawn literally: :func:`wrap` shows every control character as a symbol, so no
user text is read as markup or reaches the terminal as an escape.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.cells import cell_len, chop_cells
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from coach.termtext import visible

ROUND = ("╭", "╮", "╰", "╯", "─", "│")
HEAVY = ("┏", "┓", "┗", "┛", "━", "┃")


def wrap(text: str, width: int) -> list[tuple[str, int]]:
    """``text`` in rows of at most ``width`` cells, broken at spaces (a longer word is cut): (row, cells).

    Each newline starts a row; control characters are shown as symbols."""
    rows: list[tuple[str, int]] = []
    width = max(1, width)
    for paragraph in visible(text).replace("\t", " ").split("\n"):
        line, used = "", 0
        for index, word in enumerate(paragraph.split(" ")):
            cells = len(word) if word.isascii() else cell_len(word)
            if index and used and used + 1 + cells > width:
                rows.append((line, used))
                line, used = "", 0
            elif index:
                line, used = line + " ", used + 1
            while cells > width - used:  # longer than what is left of the row: cut it
                head = chop_cells(word, width - used)[0] if width > used else ""
                rows.append((line + head, used + cell_len(head)))
                word = word[len(head) :]
                line, used = "", 0
                cells = cell_len(word)
            line, used = line + word, used + cells
        rows.append((line, used))
    return rows


def text_rows(text: str, width: int, style: Style, fill: Style | None = None, pad: int = 0) -> list[Strip]:
    """``text`` wrapped to ``width`` less ``pad`` each side; each row filled to ``width`` with ``fill``."""
    fill = style if fill is None else fill
    strips = []
    for row, cells in wrap(text, width - 2 * pad):
        segments = [Segment(" " * pad, fill), Segment(row, style)] if pad else [Segment(row, style)]
        segments.append(Segment(" " * max(0, width - pad - cells), fill))
        strips.append(Strip(segments, width))
    return strips


def boxed(
    title: str,
    paragraphs: Sequence[tuple[str, Style]],
    width: int,
    border: Style,
    body: Style,
    *,
    chars: tuple[str, ...] = ROUND,
    pad: int = 1,
    blank_lines: int = 0,
    min_rows: int = 0,
) -> list[Strip]:
    """A box ``width`` wide: ``title`` in its top border, then each paragraph wrapped inside.

    ``blank_lines`` blank rows above and below the text; at least ``min_rows`` rows of text
    (blank ones at the bottom)."""
    inner = max(1, width - 2 - 2 * pad)
    side = Segment(" " * pad, body)
    blank = Strip([Segment(" " * max(0, width - 2), body)], width - 2)
    rows = [blank] * blank_lines
    for paragraph, style in paragraphs:
        for row, cells in wrap(paragraph, inner):
            filler = Segment(" " * max(0, inner - cells + pad), body)
            rows.append(Strip([side, Segment(row, style), filler], width - 2))
    rows.extend([blank] * (max(0, min_rows - (len(rows) - blank_lines)) + blank_lines))
    return framed(title, rows, width, border, chars)


def framed(
    title: str,
    body: Sequence[Strip],
    width: int,
    border: Style,
    chars: tuple[str, ...] = ROUND,
    thumb: range = range(0),
) -> list[Strip]:
    """Rows already drawn (``width`` - 2 cells each) inside a border with ``title`` on top.

    The right-hand border carries a scroll thumb on the body rows in ``thumb`` (a scrolling list)."""
    tl, tr, bl, br, h, v = chars
    label, label_cells = wrap(f" {title} ".replace("\n", " "), max(1, width - 4))[0]
    top = [Segment(tl + h, border), Segment(label, border + Style(bold=True))]
    top.append(Segment(h * max(0, width - 3 - label_cells) + tr, border))
    edge, bar = Segment(v, border), Segment("┃", border)
    strips = [Strip(top).crop(0, width)]
    for index, row in enumerate(body):
        right = bar if index in thumb else edge
        strips.append(Strip([edge, *row.crop_extend(0, width - 2, None), right], width))
    strips.append(Strip([Segment(bl + h * max(0, width - 2) + br, border)]).crop(0, width))
    return strips


def repaint_now(widget: Widget) -> None:
    """Repaint ``widget`` in the screen's next frame, whichever task runs first.

    ``refresh`` only marks a widget; the screen hears of it when the widget's own message loop
    next goes idle, and the screen's frame timer can fire before that: the step then painted
    in two frames, the second a frame period (16 ms) later. Telling the screen now (Textual's
    own ``_check_refresh``, private in textual 8.x) keeps a step to one frame; the benchmark's
    frames-per-key figure notices if an upgrade changes it."""
    widget.refresh()
    widget._check_refresh()


class PaintedRows(Widget):
    """A widget that paints rows worked out beforehand (see the module docstring).

    Subclasses implement :meth:`redraw`, which calls :meth:`paint` with every row; it is
    called again when the widget's size or the theme changes."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._frame: list[Strip] = []  # every row as painted now
        self._styles: dict[str, Style] = {}  # each component class's style (cleared on a theme change)
        self._drawn: dict[tuple[object, ...], list[Strip]] = {}  # rows already worked out (see memo)
        self._painted: dict[
            tuple[int, int], tuple[Strip, Strip]
        ] = {}  # (id of a row, margin) -> (row, as painted)

    def redraw(self) -> None:
        """Work out every row for the widget's size and paint them (subclasses)."""
        raise NotImplementedError

    def on_resize(self) -> None:
        self.redraw()

    def notify_style_update(self) -> None:
        """A theme change: colours again."""
        super().notify_style_update()
        self._styles.clear()
        self._drawn.clear()
        self._painted.clear()
        if self.is_mounted:
            self.redraw()

    def style_of(self, name: str) -> Style:
        """The Rich style of a component class (looked up once)."""
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(name)
        return style

    def memo(self, key: tuple[object, ...], draw: Callable[[], list[Strip]]) -> list[Strip]:
        """Rows worked out before for the same key (text, width, shape) are reused: a step back, the same hint."""
        rows = self._drawn.get(key)
        if rows is None:
            if len(self._drawn) > 256:
                self._drawn.clear()
            rows = self._drawn[key] = draw()
        return rows

    def paint(self, rows: list[Strip], margin: int = 0) -> None:
        """Paint ``rows`` (``margin`` blank columns each side), with the widget's colours and the app's filters."""
        base = self.rich_style
        _, background = self.background_colors
        filters = self.get_line_filters()
        side = [Segment(" " * margin, base)] if margin else []
        painted = self._painted
        if len(painted) > 2048:
            painted.clear()
        frame = []
        for row in rows:
            known = painted.get(
                (id(row), margin)
            )  # the same row as last step (it is kept, so its id is its own)
            if known is not None and known[0] is row:
                frame.append(known[1])
                continue
            segments = [*side, *Segment.apply_style(row, base), *side]  # one Strip made, not one per step
            for line_filter in filters:
                segments = line_filter.apply(segments, background)
            strip = Strip(segments, row.cell_length + 2 * margin)
            painted[(id(row), margin)] = (row, strip)
            frame.append(strip)
        self._frame = frame
        repaint_now(self)

    def render_lines(self, crop: Region) -> list[Strip]:
        """The rows in ``crop`` as painted (nothing is styled or wrapped here)."""
        width = self.size.width
        frame = self._frame
        lines = crop.line_range
        if lines.start >= 0 and lines.stop <= len(frame):
            strips = frame[lines.start : lines.stop]
        else:  # rows not worked out yet (before the first paint at this size)
            blank = Strip.blank(width, self.rich_style)
            strips = [frame[y] if 0 <= y < len(frame) else blank for y in lines]
        if crop.column_span != (0, width):
            x1, x2 = crop.column_span
            strips = [strip.crop(x1, x2) for strip in strips]
        return strips

    def render_line(self, y: int) -> Strip:
        return self.render_lines(Region(0, y, self.size.width, 1))[0]

    def render(self) -> Text:
        """The rows as plain text (what a reader of the screen as text gets; painting uses render_lines)."""
        return Text("\n".join(self.plain_rows))

    @property
    def plain_rows(self) -> list[str]:
        """Every row as painted now, as plain text (for tests and anyone reading the screen as text)."""
        return [strip.text for strip in self._frame]
