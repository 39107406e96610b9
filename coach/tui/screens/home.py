"""Home: cases, recent calls, and the way into a rehearsal, a live call or a review."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Header, RadioButton, RadioSet, Static

from coach.store import Store

COUNTERPARTS = ("hospital", "doctor", "collections")
LABELS = {
    "hospital": "Hospital billing office",
    "doctor": "Doctor's office",
    "collections": "Collection agency",
}


class HomeScreen(Screen[None]):
    """The first screen. Keys: 1 live call, 2 rehearse, 3 review."""

    BINDINGS = [
        Binding("1", "start('live')", "Live call", id="home.live"),
        Binding("2", "start('rehearse')", "Rehearse", id="home.rehearse"),
        Binding("3", "app.open_review", "Review", id="home.review"),
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
                yield Static("Who is on the other end?", classes="heading")
                with RadioSet(id="counterpart"):
                    for index, name in enumerate(COUNTERPARTS):
                        yield RadioButton(LABELS[name], value=index == 0, id=f"cp-{name}")
                yield Button("1  Live call", id="live", variant="primary")
                yield Button("2  Rehearse a call", id="rehearse")
                yield Button("3  Review saved calls", id="review")
                yield Static(
                    "coach is not a lawyer. If you have been sued, contact legal aid first.",
                    classes="note",
                    markup=False,
                )
            with Vertical(id="home-lists"):
                yield Static("Cases", classes="heading")
                yield DataTable(id="cases", cursor_type="row", zebra_stripes=True)
                yield Static("Recent calls", classes="heading")
                yield DataTable(id="calls", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "coach"
        self.sub_title = "negotiate a medical bill"
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        cases = self.query_one("#cases", DataTable)
        cases.clear(columns=True)
        cases.add_columns("#", "case", "with")
        for case in self.store.cases()[-50:]:
            cases.add_row(str(case.id), case.label, case.counterpart or "", key=str(case.id))
        calls = self.query_one("#calls", DataTable)
        calls.clear(columns=True)
        calls.add_columns("#", "when", "mode", "with", "outcome")
        for call in reversed(self.store.calls()[-50:]):
            calls.add_row(
                str(call.id),
                call.started[:16].replace("T", " "),
                call.mode,
                call.counterpart,
                call.outcome or "",
                key=str(call.id),
            )

    def counterpart(self) -> str:
        pressed = self.query_one("#counterpart", RadioSet).pressed_index
        return COUNTERPARTS[max(pressed, 0)]

    def selected_case(self) -> int | None:
        table = self.query_one("#cases", DataTable)
        if table.row_count == 0 or not table.has_focus:
            return None
        return int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or 0) or None

    def action_start(self, mode: str) -> None:
        self.app.start_call(mode, self.counterpart(), self.selected_case())  # type: ignore[attr-defined]

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        if event.button.id in ("live", "rehearse"):
            self.action_start(event.button.id)
        elif event.button.id == "review":
            self.app.action_open_review()  # type: ignore[attr-defined]

    @on(DataTable.RowSelected, "#calls")
    def open_call(self, event: DataTable.RowSelected) -> None:
        self.app.action_open_review(int(event.row_key.value or 0))  # type: ignore[attr-defined]
