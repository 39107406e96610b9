"""Command palette entries (ctrl+p): the main actions, and those of the screen it was opened on."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from coach.tui.app import CoachApp

Entry = tuple[str, str, Callable[[], object]]


class CoachCommands(Provider):
    """Start a call, return to one, end it, undo, record; review, export, letters; home, help."""

    def entries(self) -> list[Entry]:
        from coach.calls import CallRequest
        from coach.dialogue import counterparts as declared
        from coach.tui.screens.call import CallScreen
        from coach.tui.screens.review import ReviewScreen

        app = cast("CoachApp", self.app)
        screen = self.screen
        found: list[Entry] = []
        if isinstance(screen, CallScreen) and not screen.session.finished:
            found += [
                ("End the call and review it", "F10", screen.action_end_call),
                ("Undo the last step", "ctrl+z", screen.action_undo),
                ("Record the rep's name", "ctrl+r", partial(screen.action_prefill, "rep_name")),
                ("Record a reference number", "ctrl+f", partial(screen.action_prefill, "reference")),
                ("Record an amount offered", "ctrl+o", partial(screen.action_prefill, "offer")),
                ("Copy the phrase", "ctrl+y", screen.action_copy_phrase),
            ]
        if isinstance(screen, ReviewScreen):
            found += [
                ("Export this call as Markdown", "m", partial(screen.action_export, "markdown")),
                ("Export this call as HTML", "h", partial(screen.action_export, "html")),
                ("Export this call as JSON", "j", partial(screen.action_export, "json")),
                ("Export this call to a file…", "e", screen.action_export_as),
                ("Write a letter", "l", partial(screen.action_tab, "letters")),
            ]
        for open_call in app.open_calls():
            if open_call is not screen:
                what = "live call" if open_call.mode == "live" else "rehearsal"
                found.append(
                    (
                        f"Return to the {what} ({open_call.session.counterpart})",
                        "F3" if open_call.mode == "live" else "F4",
                        partial(app.action_resume_call, open_call.mode),
                    )
                )
        for mode, verb in (("live", "Live call with"), ("rehearse", "Rehearse with")):
            for counterpart in declared.load().values():
                request = CallRequest(mode=mode, counterpart=counterpart.key)
                found.append(
                    (
                        f"{verb} {counterpart.name}",
                        f"start a new {mode} call",
                        partial(app.start_call, request),
                    )
                )
        found += [
            ("Prepare a new case", "then its call plan", partial(app.choose_counterpart, app.prepare_new)),
            ("Call now, with no plan", "who, account number, balance", partial(app.choose_quick_call, None)),
            ("Review saved calls", "F5", app.action_open_review),
            ("Home", "F2", app.action_go_home),
            ("Help: every key", "F1", app.action_help),
        ]
        return found

    async def discover(self) -> Hits:
        for name, help_text, callback in self.entries():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self.entries():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
