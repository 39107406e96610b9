"""The Textual app: one factory (`make_app`) for the CLI, the browser and the tests."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from textual.app import App
from textual.binding import Binding

from coach.tui.commands import CoachCommands


class CoachApp(App[None]):
    """Home, live, rehearse and review over one store and one playbook."""

    CSS_PATH = "coach.tcss"
    TITLE = "coach"
    COMMANDS = App.COMMANDS | {CoachCommands}
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit"),
    ]

    def __init__(self, mode: str = "home", args: argparse.Namespace | None = None) -> None:
        super().__init__()
        self.start_mode = mode
        self.args = args or argparse.Namespace(counterpart=None, case=None, facts=None, dialogues=None)
        self._store: Any = None
        self._playbook: Any = None
        self.calls_opened: list[Any] = []  # call screens, for tests and the end-of-call hook
        self.exit_after_first_frame = False

    # -- shared resources --------------------------------------------------------

    @property
    def store(self) -> Any:
        if self._store is None:
            from coach.store import Store

            self._store = Store.open()
        return self._store

    @property
    def playbook(self) -> Any:
        if self._playbook is None:
            from coach.paths import dialogues_dir
            from coach.playbook import load_playbook

            self._playbook = load_playbook([getattr(self.args, "dialogues", None) or dialogues_dir()])
        return self._playbook

    def on_mount(self) -> None:
        if self.start_mode in ("live", "rehearse"):
            self.start_call(
                self.start_mode, self.args.counterpart, self.args.case, facts_file=self.args.facts
            )
        elif self.start_mode == "review":
            self.action_open_review(getattr(self.args, "call", None), home_below=False)
        else:
            self.action_go_home()
        if self.exit_after_first_frame:
            self.call_after_refresh(self.exit)

    def on_unmount(self) -> None:
        if self._store is not None:
            self._store.close()

    # -- actions -------------------------------------------------------------------

    def action_go_home(self) -> None:
        from coach.tui.screens.home import HomeScreen

        while len(self.screen_stack) > 1:
            self.pop_screen()
        if not isinstance(self.screen, HomeScreen):
            self.push_screen(HomeScreen(self.store))

    def action_open_review(self, call_id: int | None = None, home_below: bool = True) -> None:
        from coach.tui.screens.review import ReviewScreen

        if home_below:
            self.action_go_home()
        self.push_screen(ReviewScreen(self.store, self.playbook, call_id))

    def action_help(self) -> None:
        from coach.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def start_call(
        self, mode: str, counterpart: str | None, case_id: int | None, facts_file: Path | None = None
    ) -> None:
        """Open a call screen on a new call (recorded in the store from its first event)."""
        from coach.cmd_call import prepare
        from coach.engine import Session
        from coach.errors import CoachError
        from coach.tui.screens.call import CallScreen

        args = argparse.Namespace(counterpart=counterpart, case=case_id, facts=facts_file, dialogues=None)
        try:
            playbook, store, call_id, who, facts = prepare(
                args, mode, store=self.store, playbook=self.playbook
            )
            session = Session(playbook, who, facts, mode=mode, sink=store.sink_for(call_id))
        except CoachError as error:
            self.notify(str(error), severity="error", timeout=10)
            return
        partner = self.make_partner(mode, who, facts)
        screen = CallScreen(session, call_id, on_end=self.call_ended, partner=partner)
        self.calls_opened.append(screen)
        self.push_screen(screen)

    def make_partner(self, mode: str, counterpart: str, facts: dict[str, Any]) -> Any:
        if mode != "rehearse":
            return None
        try:
            from coach.rehearse import Partner
        except ImportError:
            return None
        return Partner(
            counterpart,
            persona=getattr(self.args, "persona", None),
            difficulty=getattr(self.args, "difficulty", None) or "normal",
            seed=getattr(self.args, "seed", None),
            facts=facts,
        )

    def call_ended(self, screen: Any) -> None:
        """Score a rehearsal, close the call in the store, and show its review."""
        session = screen.session
        if session.mode == "rehearse":
            try:
                from coach.rehearse import format_scorecard, score
            except ImportError:
                pass
            else:
                card = score(session.events, session.facts, session.counterpart)
                session.record_score(
                    format_scorecard(card), {"points": card.points, "possible": card.possible}
                )
        last = session.events[-1]
        self.store.end_call(screen.call_id, last.text if last.kind == "end" else "ended")
        self.action_open_review(screen.call_id)


def make_app(mode: str = "home", args: argparse.Namespace | None = None) -> CoachApp:
    """The one app factory used by the CLI, `coach serve` and the tests."""
    return CoachApp(mode, args)
