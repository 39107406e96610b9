"""The Textual app: one factory (`make_app`) for the CLI, the browser and the tests.

Four Textual modes, each its own screen stack: ``home`` and ``review``
(``BASE_MODES``, added with ``add_mode`` at start) and ``live`` / ``rehearse``,
added when a call starts (a call screen holds its Session) and removed once the
call has ended. A call in progress survives a look at home or at an old call's
review (F2, F5; F3 / F4 return).
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from coach.tui.commands import CoachCommands
from coach.tui.widgets.timer import Clock

if TYPE_CHECKING:
    from coach.calls import CallRequest
    from coach.casefile.store import Store
    from coach.dialogue.schema import Playbook
    from coach.tui.screens.call import CallScreen

CALL_MODES = ("live", "rehearse")


def _home() -> Screen[None]:
    from coach.tui.screens.home import HomeScreen

    return HomeScreen()


def _review() -> Screen[None]:
    from coach.tui.screens.review import ReviewScreen

    return ReviewScreen()


BASE_MODES: dict[str, Callable[[], Screen[Any]]] = {"home": _home, "review": _review}


class CoachApp(App[None]):
    """Home, live, rehearse and review over one store and one playbook."""

    CSS_PATH = "coach.tcss"
    TITLE = "coach"
    SUB_TITLE = "negotiate a medical bill"
    COMMANDS = App.COMMANDS | {CoachCommands}
    BINDINGS = [
        Binding("f1", "help", "Help", id="app.help", tooltip="Every key"),
        Binding("question_mark", "help", "Help", show=False, id="app.help.question"),
        Binding("f2", "go_home", "Home", show=False, id="app.home"),
        Binding("f3", "resume_call('live')", "Live call", show=False, id="app.live"),
        Binding("f4", "resume_call('rehearse')", "Rehearsal", show=False, id="app.rehearse"),
        Binding("f5", "open_review", "Review", show=False, id="app.review"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit"),
    ]

    def __init__(
        self,
        mode: str = "home",
        args: argparse.Namespace | None = None,
        clock: Clock | None = None,
        today: Callable[[], dt.date] | None = None,
    ) -> None:
        if mode == "home":
            # App.__init__ reads DEFAULT_MODE. Home's screen then comes from get_default_screen, Textual's
            # cheap path (a mode added with add_mode reparses every stylesheet first: ~20 ms before the
            # first frame); the mode is added once its screen stack exists (on_mount). Home has no
            # CSS_PATH of its own, which that path would not load.
            self.DEFAULT_MODE = mode  # type: ignore[misc]
        super().__init__()
        for name, factory in BASE_MODES.items():
            if name != self.DEFAULT_MODE:
                self.add_mode(name, factory)
        self.start_mode = mode
        self.args = args or argparse.Namespace()
        self.clock = clock  # the call timer's clock; tests pass one they control
        self.today = today or dt.date.today  # the date letters are written on
        self._store: Store | None = None
        self._playbook: Playbook | None = None
        self.review_target: int | None = getattr(self.args, "call", None)  # the call review shows first
        self.calls: dict[str, CallScreen] = {}  # the call screen of each call mode added
        self.startup_error: str | None = None
        self.exit_after_first_frame = False
        self.starting = True  # on_mount's start-up: an error there is the CLI's to report
        self.first_frame: float | None = None

    # -- shared resources --------------------------------------------------------

    def arg(self, name: str) -> Any:
        return getattr(self.args, name, None)

    @property
    def store(self) -> Store:
        if self._store is None:
            from coach.casefile.store import Store

            self._store = Store.open()
        return self._store

    @property
    def playbook(self) -> Playbook:
        if self._playbook is None:
            from coach.dialogue.playbook import load_playbook
            from coach.paths import dialogues_dir

            self._playbook = load_playbook([self.arg("dialogues") or dialogues_dir()])
        return self._playbook

    def call_screen(self, mode: str) -> CallScreen | None:
        """The call screen of this mode (live or rehearse), if a call was started and not yet closed."""
        return self.calls.get(mode)

    def open_calls(self) -> list[CallScreen]:
        return [s for m in CALL_MODES if (s := self.call_screen(m)) is not None and not s.session.finished]

    # -- start-up ------------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        return _home() if self.DEFAULT_MODE == "home" else super().get_default_screen()

    def on_mount(self) -> None:
        from coach.errors import CoachError

        if self.DEFAULT_MODE == "home":
            self.add_mode("home", _home)  # its screen stack exists already: this only lets us switch back

        try:
            if self.start_mode == "live" and not any(self.arg(k) for k in ("case", "facts", "resume")):
                self.choose_quick_call(None, self.arg("counterpart"))  # no case: call now, three questions
            elif self.start_mode == "live" and self.arg("case") and not self.case_ready(self.arg("case")):
                from coach.tui.screens.home import CaseScreen

                self.push_screen(CaseScreen(self.arg("case")))  # not prepared: prepare first, or call now
            elif self.start_mode in CALL_MODES:
                self.start_call(self.request(self.start_mode))
            elif self.start_mode == "prepare":
                self.start_prepare(self.arg("case"), self.arg("counterpart"), self.arg("facts"))
            elif self.start_mode == "review":
                self.switch_mode("review")
        except CoachError as error:  # e.g. --case 99: one line on stderr and exit 2, as everywhere
            self.startup_error = str(error)
            self.exit(return_code=2)
            return
        finally:
            self.starting = False
        self.call_after_refresh(self.painted)

    def painted(self) -> None:
        import time

        self.first_frame = time.time()
        if self.exit_after_first_frame:
            self.exit()

    def on_unmount(self) -> None:
        self.close_open_calls("app closed")
        if self._store is not None:
            self._store.close()

    # -- actions -------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resume_call":
            screen = self.call_screen(str(parameters[0]))
            return screen is not None and not screen.session.finished
        return True

    def action_go_home(self) -> None:
        self.switch_mode("home")

    def action_resume_call(self, mode: str) -> None:
        if self.call_screen(mode) is not None:
            self.switch_mode(mode)

    def action_open_review(self, call_id: int | None = None) -> None:
        """The review mode, showing ``call_id`` (else the call it showed last, else the newest)."""
        if call_id is not None:
            self.review_target = call_id
        if self.current_mode != "review":
            self.switch_mode("review")  # the review screen reloads when it resumes
            return
        while len(self.screen_stack) > 1:  # a letter preview or help left open
            self.pop_screen()
        from coach.tui.screens.review import ReviewScreen

        if isinstance(self.screen, ReviewScreen):
            self.screen.reload()

    def action_help(self) -> None:
        from coach.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    async def action_quit(self) -> None:
        """Quit; if a call is open, ask first, then save its end."""
        if not self.open_calls():
            self.exit()
            return
        from coach.tui.screens.modals import ConfirmScreen

        def answer(yes: bool | None) -> None:
            if yes:
                self.close_open_calls("ended by user")
                self.exit()

        self.push_screen(
            ConfirmScreen("A call is open. End it, save it and quit?", "Enter: quit · Escape: stay"), answer
        )

    # -- calls ---------------------------------------------------------------------

    def request(self, mode: str) -> CallRequest:
        """The call the command line asked for (``coach live|rehearse`` arguments)."""
        from coach.calls import CallRequest

        arg = self.arg
        return CallRequest(
            mode=mode,
            case_id=arg("case"),
            counterpart=arg("counterpart"),
            facts_file=arg("facts"),
            persona=arg("persona"),
            difficulty=arg("difficulty") or "normal",
            seed=arg("seed"),
            resume=arg("resume"),
        )

    def case_ready(self, case_id: int) -> bool:
        """A case coach can call about at once: its account number and balance are known."""
        from coach.tui.screens.home import is_ready

        return is_ready(self.store.case(case_id).facts)

    def start_call(self, request: CallRequest) -> CallScreen | None:
        """Open a call screen on a new (or resumed) call: checked in full first, then in the store."""
        from coach.calls import check_request, open_call
        from coach.errors import CoachError
        from coach.tui.screens.call import CallScreen

        mode = request.mode
        if request.resume is not None:
            mode = self.store.call(request.resume).mode
        running = self.call_screen(mode)
        if running is not None and not running.session.finished:
            self.notify(
                f"A {'live call' if mode == 'live' else 'rehearsal'} is already open: "
                "here it is (F10 ends it).",
                severity="warning",
            )
            self.switch_mode(mode)
            return running
        try:
            if request.resume is None:
                check_request(self.playbook, request)  # a bad persona: nothing is created
            call = open_call(self.store, self.playbook, request)
        except CoachError as error:
            if self.starting:
                raise  # at start-up (coach live --case 99): the CLI reports it
            from coach.termtext import visible
            from coach.tui.actions import error_text

            self.notify(visible(error_text(error)), severity="error", timeout=10, markup=False)
            return None
        screen = CallScreen(call, clock=self.clock)
        self.drop_call_mode(mode)
        self.calls[mode] = screen
        self.add_mode(mode, lambda: screen)
        self.switch_mode(mode)
        return screen

    def drop_call_mode(self, mode: str) -> None:
        """Forget an ended call's mode (switching away first if it is showing)."""
        if mode not in self.calls:
            return
        if self.current_mode == mode:
            self.switch_mode("home")
        del self.calls[mode]
        self.remove_mode(mode)

    def on_call_screen_ended(self, message: CallScreen.Ended) -> None:
        """A call has ended: score a rehearsal, close the call in the store, show its review."""
        screen = message.screen
        self.close_call(screen)
        replay = screen.call.replay_command()
        if replay:
            self.notify(f"Replay this rehearsal: {replay}", timeout=20, markup=False)
        self.action_open_review(screen.call_id)
        if self.calls.get(screen.mode) is screen:
            self.drop_call_mode(screen.mode)

    def close_call(self, screen: CallScreen, reason: str = "ended by user") -> None:
        screen.call.finish(reason)

    def close_open_calls(self, reason: str) -> None:
        """Quitting with a call open: record its end, so the store never holds a call without one."""
        if self._store is None:
            return
        for screen in self.open_calls():
            self.close_call(screen, reason)

    def choose_rehearsal(self, case_id: int | None, counterpart: str | None) -> None:
        """Rehearse: who the other side will be (a persona), then how hard they push; then the call."""
        from coach.calls import DIFFICULTIES, CallRequest
        from coach.dialogue import counterparts as declared
        from coach.rehearsal.files import load_personas
        from coach.tui.screens.modals import ChooseScreen

        who = counterpart or declared.default()
        personas = load_personas().for_counterpart(who)
        options = [("", "Any: coach picks one"), *[(p.id, p.name) for p in personas]]

        def with_persona(persona: str | None) -> None:
            if persona is None:
                return

            def with_difficulty(difficulty: str | None) -> None:
                if difficulty is None:
                    return
                request = CallRequest(
                    mode="rehearse",
                    case_id=case_id,
                    counterpart=who,
                    persona=persona or None,
                    difficulty=difficulty,
                )
                self.start_call(request)

            levels = [(d, d.title()) for d in DIFFICULTIES]
            self.push_screen(ChooseScreen("How hard should they push?", levels), with_difficulty)

        self.push_screen(ChooseScreen(f"Rehearse: who will they be? ({who})", options), with_persona)

    def choose_counterpart(self, then: Callable[[str], object]) -> None:
        """Who the bill is from (the declared counterparts), then ``then(counterpart)``."""
        from coach.dialogue import counterparts as declared  # not on the start path: it reads YAML
        from coach.tui.screens.modals import ChooseScreen

        options = [(c, declared.get(c).title) for c in self.playbook.counterparts]

        def chosen(counterpart: str | None) -> None:
            if counterpart:
                then(counterpart)

        self.push_screen(ChooseScreen("Who is the bill from (who will you call)?", options), chosen)

    def choose_quick_call(self, case_id: int | None = None, counterpart: str | None = None) -> None:
        """Call now, with no plan: only who is on the line (unless given), the account number and the balance."""
        from coach.calls import CallRequest
        from coach.dialogue import counterparts as declared
        from coach.dialogue.facts import parse_fact
        from coach.tui.screens.modals import AskScreen, ChooseScreen

        facts = self.playbook.facts
        options = [(c, declared.get(c).title) for c in self.playbook.counterparts]

        def check_balance(text: str) -> str | None:
            if not text:
                return None
            try:
                parse_fact(facts["balance"], text)
            except ValueError as error:
                return f"balance: {error}"
            return None

        def with_counterpart(counterpart: str | None) -> None:
            if counterpart is None:
                return

            def with_account(account: str | None) -> None:
                if account is None:
                    return

                def with_balance(balance: str | None) -> None:
                    if balance is None:
                        return
                    quick = {k: v for k, v in (("account_number", account), ("balance", balance)) if v}
                    self.start_call(
                        CallRequest(mode="live", case_id=case_id, counterpart=counterpart, quick_facts=quick)
                    )

                self.push_screen(
                    AskScreen(
                        "The balance they say you owe (like $2,480)", check_balance, "Enter: start the call"
                    ),
                    with_balance,
                )

            self.push_screen(AskScreen("The account number on the bill or letter"), with_account)

        if counterpart is not None:
            with_counterpart(counterpart)
            return
        self.push_screen(ChooseScreen("Call now: who is on the line?", options), with_counterpart)

    # -- prepare -------------------------------------------------------------------

    def prepare_new(self, counterpart: str) -> None:
        """Prepare a new case with this counterpart."""
        self.start_prepare(None, counterpart)

    def start_prepare(
        self, case_id: int | None = None, counterpart: str | None = None, facts_file: Path | None = None
    ) -> None:
        """The prepare screen for a case (a new one if ``case_id`` is None); the plan follows."""
        from coach.calls import case_for
        from coach.tui.screens.prepare import PrepareScreen

        case = case_for(self.store, self.playbook, case_id, facts_file, counterpart)
        if self.current_mode != "home":  # coach prepare: home lies under it, for when prepare is done
            self.switch_mode("home")
        known = counterpart or self.store.case(case).counterpart
        if known is None:  # who the bill is from decides what prepare asks: ask it first
            self.choose_counterpart(lambda who: self.push_screen(PrepareScreen(case, who)))
            return
        self.push_screen(PrepareScreen(case, known))


def make_app(
    mode: str = "home",
    args: argparse.Namespace | None = None,
    clock: Clock | None = None,
    today: Callable[[], dt.date] | None = None,
) -> CoachApp:
    """The one app factory used by the CLI, `coach serve` and the tests.

    ``mode`` is home, live, rehearse or review; ``args`` the subcommand's arguments
    (counterpart, case, facts, persona, seed, difficulty, call, last); ``clock``
    (monotonic seconds, for the call timer) and ``today`` let tests and
    screenshots freeze time.
    """
    return CoachApp(mode, args, clock, today)
