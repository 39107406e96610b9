"""Command palette entries for the main actions (ctrl+p)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import Hit, Hits, Provider

if TYPE_CHECKING:
    from coach.tui.app import CoachApp

WHO = {"hospital": "a hospital", "doctor": "a doctor's office", "collections": "a collection agency"}


class CoachCommands(Provider):
    """Start a call, open review, go home, help."""

    def actions(self) -> list[tuple[str, str, Callable[[], object]]]:
        app = cast("CoachApp", self.app)
        entries: list[tuple[str, str, Callable[[], object]]] = []
        for mode, verb in (("live", "Live call with"), ("rehearse", "Rehearse with")):
            for counterpart, name in WHO.items():
                entries.append(
                    (
                        f"{verb} {name}",
                        f"start a {mode} call",
                        partial(app.start_call, mode, counterpart, None),
                    )
                )
        entries += [
            ("Review saved calls", "timeline, letters, exports", app.action_open_review),
            ("Home", "cases and recent calls", app.action_go_home),
            ("Help", "every key", app.action_help),
        ]
        return entries

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self.actions():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
