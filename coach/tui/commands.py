"""Command palette entries for the main actions (ctrl+p)."""

from __future__ import annotations

from functools import partial

from textual.command import Hit, Hits, Provider


class CoachCommands(Provider):
    """Start a call, open review, go home, help."""

    def actions(self) -> list[tuple[str, str, object]]:
        app = self.app
        return [
            ("Live call with a hospital", "start a live call", partial(app.start_call, "live", "hospital", None)),  # type: ignore[attr-defined]
            ("Live call with a doctor's office", "start a live call", partial(app.start_call, "live", "doctor", None)),  # type: ignore[attr-defined]
            ("Live call with a collection agency", "start a live call", partial(app.start_call, "live", "collections", None)),  # type: ignore[attr-defined]
            ("Rehearse with a hospital", "practise a call", partial(app.start_call, "rehearse", "hospital", None)),  # type: ignore[attr-defined]
            ("Rehearse with a doctor's office", "practise a call", partial(app.start_call, "rehearse", "doctor", None)),  # type: ignore[attr-defined]
            ("Rehearse with a collection agency", "practise a call", partial(app.start_call, "rehearse", "collections", None)),  # type: ignore[attr-defined]
            ("Review saved calls", "timeline, letters, exports", app.action_open_review),  # type: ignore[attr-defined]
            ("Home", "cases and recent calls", app.action_go_home),  # type: ignore[attr-defined]
            ("Help", "every key", app.action_help),  # type: ignore[attr-defined]
        ]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self.actions():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)  # type: ignore[arg-type]
