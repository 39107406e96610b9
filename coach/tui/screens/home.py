"""Home: the way into a live call, a rehearsal or a review; the cases and the recent calls."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from coach.tui.widgets.menu import Entry, Menu

if TYPE_CHECKING:
    from coach.tui.app import CoachApp

COUNTERPARTS = ("hospital", "doctor", "collections")
LABELS = {
    "hospital": "hospital billing office",
    "doctor": "doctor's office",
    "collections": "collection agency",
}
# The start menu: (mode, counterpart); key N picks entry N.
START: list[tuple[str, str]] = [
    *[("live", who) for who in COUNTERPARTS],
    *[("rehearse", who) for who in COUNTERPARTS],
    ("review", ""),
]
NEW_CASE = "Next call uses: a new case"
KEYS = Text.assemble(
    *[
        part
        for key, what in (
            ("1-7", "start"),
            ("c", "cases"),
            ("r", "recent calls"),
            ("F1", "help"),
            ("^p", "commands"),
            ("^q", "quit"),
        )
        for part in ((f" {key} ", "bold"), (f"{what} ", ""))
    ]
)


def start_label(mode: str, who: str) -> str:
    if mode == "review":
        return "Review saved calls"
    return f"{'Live call' if mode == 'live' else 'Rehearse'}: {LABELS[who]}"


class HomeScreen(Screen[None]):
    """One start menu (keys 1-7), the cases (Enter picks one for the next call), the recent calls."""

    BINDINGS = [
        *[Binding(str(n), f"pick({n})", show=False, id=f"home.pick{n}") for n in range(1, len(START) + 1)],
        Binding(
            "c", "focus_list('cases')", "Cases", id="home.cases", tooltip="Pick a case for the next call"
        ),
        Binding("r", "focus_list('calls')", "Recent calls", id="home.calls", tooltip="Open a call's review"),
        Binding(
            "s", "focus_list('start')", "Start", show=False, id="home.start", tooltip="Back to the start menu"
        ),
        Binding(
            "escape",
            "clear_case",
            "New case",
            show=False,
            id="home.clear",
            tooltip="The next call: a new case",
        ),
        Binding("q", "app.quit", "Quit", show=False, id="home.quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.case_id: int | None = None  # the case the next call uses, once picked

    @property
    def coach(self) -> CoachApp:
        return cast("CoachApp", self.app)

    def compose(self) -> ComposeResult:
        yield Static(" coach · negotiate a medical bill", id="home-title", markup=False)
        with Horizontal(id="home-body"):
            with Vertical(id="home-start"):
                yield Static("Start: press a number", classes="heading")
                start = [
                    Entry(f"{m}:{w}", Text(f"{n}  {start_label(m, w)}")) for n, (m, w) in enumerate(START, 1)
                ]
                yield Menu(start, id="start")
                yield Static("", id="open-call", markup=False)
                yield Static(NEW_CASE, id="case-chosen", markup=False)
                yield Static(
                    "coach is not a lawyer. If you have been sued, contact legal aid first.",
                    id="disclaimer",
                    markup=False,
                )
            with Vertical(id="home-lists"):
                with VerticalScroll(id="cases-box", can_focus=False):
                    yield Menu(id="cases")
                with VerticalScroll(id="calls-box", can_focus=False):
                    yield Menu(id="calls")
        # Key hints in one line rather than a Footer: home is the first frame, and a Footer costs ~40 ms there.
        yield Static(KEYS, id="home-keys")

    def on_mount(self) -> None:
        self.query_one("#cases-box").border_title = "Cases (c)"
        self.query_one("#calls-box").border_title = "Recent calls (r)"
        self.reload()
        self.query_one("#start", Menu).focus()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.reload()

    def reload(self) -> None:
        """Re-read the cases and calls (a call may have been saved since)."""
        store = self.coach.store
        cases = [
            Entry(
                str(case.id),
                Text.assemble((f"{case.id:>3} ", "bold"), case.label, (f"  {case.counterpart or ''}", "dim")),
            )
            for case in reversed(store.cases()[-50:])
        ]
        cases_menu = self.query_one("#cases", Menu)
        cases_menu.set_entries(
            cases or [Entry(None, Text("No cases yet: a call starts one."))], cases_menu.highlighted_id
        )
        calls = []
        for call in reversed(store.calls()[-50:]):
            line = Text.assemble((f"{call.id:>3} ", "bold"), f"{call.mode} {call.counterpart} ")
            line.append(call.started[5:16].replace("T", " "), style="dim")
            if call.ended is None:
                line.append("  open", style="bold")
            calls.append(Entry(str(call.id), line))
        calls_menu = self.query_one("#calls", Menu)
        calls_menu.set_entries(calls or [Entry(None, Text("No calls yet."))], calls_menu.highlighted_id)
        open_calls = self.coach.open_calls()
        running = [f"F3 returns to the live call {s.call_id}" for s in open_calls if s.mode == "live"]
        running += [f"F4 returns to rehearsal {s.call_id}" for s in open_calls if s.mode == "rehearse"]
        note = self.query_one("#open-call", Static)
        note.update("\n".join(running))
        note.display = bool(running)

    def action_pick(self, number: int) -> None:
        mode, who = START[number - 1]
        if mode == "review":
            self.coach.action_open_review()
        else:
            from coach.calls import CallRequest

            self.coach.start_call(CallRequest(mode=mode, counterpart=who, case_id=self.case_id))

    def action_focus_list(self, name: str) -> None:
        self.query_one(f"#{name}", Menu).focus()

    def action_clear_case(self) -> None:
        self.case_id = None
        self.query_one("#case-chosen", Static).update(NEW_CASE)
        self.query_one("#start", Menu).focus()

    @on(Menu.Selected, "#start")
    def start_chosen(self, event: Menu.Selected) -> None:
        self.action_pick(event.index + 1)

    @on(Menu.Selected, "#cases")
    def case_picked(self, event: Menu.Selected) -> None:
        self.case_id = int(event.id)
        case = self.coach.store.case(self.case_id)
        self.query_one("#case-chosen", Static).update(
            f"Next call uses: case {case.id}, {case.label} (Escape: a new case)"
        )
        self.query_one("#start", Menu).focus()

    @on(Menu.Selected, "#calls")
    def open_call(self, event: Menu.Selected) -> None:
        self.coach.action_open_review(int(event.id))
