"""Home: cases, recent calls, and the way into a rehearsal, a live call or a review."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from coach.store import Store

COUNTERPARTS = ("hospital", "doctor", "collections")
LABELS = {
    "hospital": "a hospital billing office",
    "doctor": "a doctor's office",
    "collections": "a collection agency",
}
# The start menu: (mode, counterpart); key N picks entry N.
START = [
    *[("live", who) for who in COUNTERPARTS],
    *[("rehearse", who) for who in COUNTERPARTS],
    ("review", ""),
]


class HomeScreen(Screen[None]):
    """The first screen: one start menu (keys 1-7), cases, and recent calls."""

    BINDINGS = [
        *[Binding(str(n), f"pick({n})", show=False, id=f"home.pick{n}") for n in range(1, len(START) + 1)],
        Binding("f1", "app.help", "Help", id="home.help"),
        Binding("q", "app.quit", "Quit", id="home.quit"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="home-body"):
            with Vertical(id="home-start"):
                yield Static("Start (press a number or Enter)", classes="heading")
                options = []
                for number, (mode, who) in enumerate(START, 1):
                    if mode == "review":
                        text = f"{number}  Review saved calls"
                    else:
                        text = f"{number}  {'Live call with' if mode == 'live' else 'Rehearse with'} {LABELS[who]}"
                    options.append(Option(text, id=f"{mode}:{who}"))
                yield OptionList(*options, id="start")
                yield Static(
                    "coach is not a lawyer. If you have been sued, contact legal aid first.",
                    classes="note",
                    markup=False,
                )
            with Vertical(id="home-lists"):
                yield Static("Cases", classes="heading")
                yield OptionList(id="cases")
                yield Static("Recent calls (Enter opens the review)", classes="heading")
                yield OptionList(id="calls")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "coach"
        self.sub_title = "negotiate a medical bill"
        self.reload()
        self.query_one("#start", OptionList).focus()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        cases = self.query_one("#cases", OptionList)
        cases.clear_options()
        for case in self.store.cases()[-50:]:
            cases.add_option(
                Option(f"{case.id:>3}  {case.label}  ({case.counterpart or '?'})", id=str(case.id))
            )
        calls = self.query_one("#calls", OptionList)
        calls.clear_options()
        for call in reversed(self.store.calls()[-50:]):
            when = call.started[:16].replace("T", " ")
            calls.add_option(
                Option(
                    f"{call.id:>3}  {when}  {call.mode:<8} {call.counterpart:<11} {call.outcome or ''}",
                    id=str(call.id),
                )
            )

    def selected_case(self) -> int | None:
        """The highlighted case, if the user picked one in the case list (its facts are reused)."""
        cases = self.query_one("#cases", OptionList)
        if cases.highlighted is None or cases.option_count == 0 or not self.case_chosen:
            return None
        option = cases.get_option_at_index(cases.highlighted)
        return int(option.id) if option.id else None

    case_chosen = False

    def action_pick(self, number: int) -> None:
        mode, who = START[number - 1]
        if mode == "review":
            self.app.action_open_review()  # type: ignore[attr-defined]
        else:
            self.app.start_call(mode, who, self.selected_case())  # type: ignore[attr-defined]

    @on(OptionList.OptionSelected, "#start")
    def start_chosen(self, event: OptionList.OptionSelected) -> None:
        self.action_pick(event.option_index + 1)

    @on(OptionList.OptionSelected, "#cases")
    def case_picked(self, event: OptionList.OptionSelected) -> None:
        self.case_chosen = True
        self.notify("Case chosen: the next call uses its facts.")
        self.query_one("#start", OptionList).focus()

    @on(OptionList.OptionSelected, "#calls")
    def open_call(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.app.action_open_review(int(event.option.id))  # type: ignore[attr-defined]
