"""Widgets of the call screen that settle in one layout pass, so a step paints one frame.

Textual's reflow arranges every widget with its new size and then stores each widget's
new *virtual* size through a reactive that asks for another layout: when a step changes
what the case card or the recorded line hold, a second full layout follows the
first frame and paints a second one, identical in all but timing. For a widget drawing no
scrollbar that can appear or go (every one here) that second pass cannot change a thing, so these
widgets take their new virtual size without asking for it (Textual's own
``layout=False`` path, used for scroll-only reflows); the scroll range still updates.

This overrides ``Widget._size_updated``, a private method (textual 8.x); the call screen's
tests and ``scripts/bench.py`` (frames per key) notice if a Textual upgrade changes it.

``OnePass`` is a mixin, not a Widget: Textual takes a widget's CSS type names (and so which
``DEFAULT_CSS`` applies) from the *first* DOM base class only, so ``Row(OnePass, Horizontal)``
with ``OnePass`` a Widget lost Horizontal's ``layout: horizontal`` (the side panel was laid out
below the big box, out of view) and every ``(OnePass, Static)`` lost ``Static``'s defaults.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.containers import Horizontal, Vertical
from textual.geometry import Size

if TYPE_CHECKING:
    from textual.widget import Widget

    _Base = Widget
else:
    _Base = object


class OnePass(_Base):
    """A widget mixin (put it first): its new virtual size never asks for a second layout pass."""

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        return super()._size_updated(size, virtual_size, container_size, layout=False)


class Row(OnePass, Horizontal):
    """A Horizontal of the call screen (blank under its children: no border or text of its own).

    ``BLANK`` has Textual paint it as plain rows of its background instead of styling each row
    again on every frame: a container lies under every row of the call's body."""

    BLANK = True


class Column(OnePass, Vertical):
    """A Vertical of the call screen (blank under its children, as :class:`Row`)."""

    BLANK = True
