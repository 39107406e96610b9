"""Home: prepare a case, call now, resume an interrupted call, pick a case; the recent calls.

Every entry has a number key. A case opens its own small menu (:class:`CaseScreen`):
a live call or a rehearsal for a prepared case, prepare or "call now" for one
that is not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from coach.tui.plain import literal
from coach.tui.widgets.menu import Entry, Menu

if TYPE_CHECKING:
    from coach.tui.app import CoachApp

READY_FACTS = ("account_number", "balance")  # a case with these can be called about at once


def is_ready(facts: dict[str, Any] | None) -> bool:
    """A case with these facts can be called about at once (its account number and balance are known)."""
    return all(name in (facts or {}) for name in READY_FACTS)


KEYS = Text.assemble(
    *[
        part
        for key, what in (
            ("1-9", "pick"),
            ("r", "recent calls"),
            ("F1", "help"),
            ("^p", "commands"),
            ("^q", "quit"),
        )
        for part in ((f" {key} ", "bold"), (f"{what} ", ""))
    ]
)


def numbered(entries: list[tuple[str | None, str]]) -> list[Entry]:
    """Menu entries; the pickable ones numbered 1, 2, ... (keys 1-9 reach the first nine)."""
    out: list[Entry] = []
    number = 0
    for key, label in entries:
        if key is None:
            out.append(Entry(None, Text(label)))
            continue
        number += 1
        shown = f"{number}  " if number <= 9 else "   "
        out.append(Entry(key, Text(shown + label)))
    return out


class HomeScreen(Screen[None]):
    """The start menu (numbers), and the recent calls (r, then Enter opens a review)."""

    BINDINGS = [
        *[Binding(str(n), f"pick({n})", show=False, id=f"home.pick{n}") for n in range(1, 10)],
        Binding("r", "focus_list('calls')", "Recent calls", id="home.calls", tooltip="Open a call's review"),
        Binding(
            "s", "focus_list('start')", "Start", show=False, id="home.start", tooltip="Back to the start menu"
        ),
        Binding("q", "app.quit", "Quit", show=False, id="home.quit"),
    ]

    @property
    def coach(self) -> CoachApp:
        return cast("CoachApp", self.app)

    def compose(self) -> ComposeResult:
        yield Static(" coach · negotiate a medical bill", id="home-title", markup=False)
        with Vertical(id="home-body"):
            with Vertical(id="home-start"):
                yield Static("Press a number", classes="heading")
                with VerticalScroll(id="start-box", can_focus=False):
                    yield Menu(id="start")
                yield Static("", id="open-call", markup=False)
                yield Static(
                    "coach is not a lawyer. If you have been sued, contact legal aid first.",
                    id="disclaimer",
                    markup=False,
                )
            with Vertical(id="home-lists"), VerticalScroll(id="calls-box", can_focus=False):
                yield Menu(id="calls")
        # Key hints in one line rather than a Footer: home is the first frame, and a Footer costs ~40 ms there.
        yield Static(KEYS, id="home-keys")

    def on_mount(self) -> None:
        from textual.css.query import NoMatches

        try:
            self.query_one("#calls-box").border_title = "Recent calls (r)"
        except NoMatches:  # the app is exiting at start-up (coach live --case 99): nothing to show
            return
        self.reload()
        self.loaded = True  # the first resume follows the mount at once: the lists are fresh
        self.query_one("#start", Menu).focus()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        import contextlib

        from textual.css.query import NoMatches

        if getattr(self, "loaded", False):
            self.loaded = False
            # Its first resume follows the mount at once, which styled every widget (and focus restyled what
            # it changed): Textual's restyle of the whole screen on a resume (runs after this) would only
            # repeat it, before home's first frame.
            event.refresh_styles = False
            return
        if self.is_mounted:
            with contextlib.suppress(NoMatches):  # resumed while the app is closing
                self.reload()

    def start_entries(self, calls: list[Any] | None = None) -> list[tuple[str | None, str]]:
        """The start menu; ``calls``: the store's calls, if already read (home reads each list once)."""
        store = self.coach.store
        entries: list[tuple[str | None, str]] = [
            ("prepare", "Prepare a new case (then its call plan)"),
            ("quick", "Call now, no plan yet (3 questions)"),
            ("review", "Review saved calls"),
        ]
        open_ids = {s.call_id for s in self.coach.open_calls()}
        # Interrupted calls (never ended: killed, or the power went), as coach.calls.interrupted_calls
        # finds them; read here from the list home shows anyway, without loading the call machinery.
        stopped = [
            c for c in (store.calls() if calls is None else calls) if c.ended is None and c.id not in open_ids
        ]
        if stopped:
            entries.append((None, "Interrupted calls"))
            for call in reversed(stopped[-5:]):
                when = call.started[5:16].replace("T", " ")
                where = self.stopped_at(call.id)
                entries.append(
                    (
                        f"resume:{call.id}",
                        f"Resume {call.mode} call {call.id} · {call.counterpart} · {when}{where}",
                    )
                )
        cases = list(reversed(store.cases()[-50:]))
        entries.append((None, "Your cases" if cases else "No cases yet: prepare one"))
        for case in cases:
            ready = is_ready(case.facts)
            tail = "" if ready else " · not prepared"
            entries.append((f"case:{case.id}", f"Case {case.id} · {case.label}{tail}"))
        return entries

    def stopped_at(self, call_id: int) -> str:
        """`` · at <step title>``: where an interrupted call stopped (its last step shown)."""
        node = self.coach.store.last_node(call_id, "shown")  # not the call's every event
        found = self.coach.playbook.nodes.get(node) if node else None
        return f" · at {found.title}" if found is not None and found.title else ""

    def reload(self) -> None:
        """Re-read the cases and calls (a call may have been saved since)."""
        store = self.coach.store
        every_call = store.calls()
        start = self.query_one("#start", Menu)
        start.set_entries(numbered(self.start_entries(every_call)), start.highlighted_id)
        calls = []
        for call in reversed(every_call[-50:]):
            line = Text.assemble((f"{call.id:>3} ", "bold"), f"{call.mode} {call.counterpart} ")
            line.append(call.started[5:16].replace("T", " "), style="dim")
            if call.ended is None:
                line.append("  interrupted", style="bold")
            calls.append(Entry(str(call.id), line))
        calls_menu = self.query_one("#calls", Menu)
        calls_menu.set_entries(calls or [Entry(None, Text("No calls yet."))], calls_menu.highlighted_id)
        # More calls than the screen has rows: they cannot fit, so the box has its scrollbar from its first layout
        # (found by Textual only after a layout, it arrived one pass and one frame after home's first frame).
        # Textual makes the scrollbar itself only once a layout has given the box its size, and a CSS class
        # reaches the styles only when the app next idles: both after home's first frame, which then lacked the
        # scrollbar (the 100,000-event store's home was complete two frames and ~50 ms after its first).
        # So the style is set inline (no class: adding one restyles the box and its menu there and then), and
        # the scrollbar made now.
        box = self.query_one("#calls-box")
        overflows = len(calls) >= self.app.size.height
        box.styles.overflow_y = "scroll" if overflows else "auto"
        if overflows and not box.show_vertical_scrollbar:
            box.show_vertical_scrollbar = True
            box.vertical_scrollbar.display = True
        open_calls = self.coach.open_calls()
        running = [f"F3 returns to the live call {s.call_id}" for s in open_calls if s.mode == "live"]
        running += [f"F4 returns to rehearsal {s.call_id}" for s in open_calls if s.mode == "rehearse"]
        note = self.query_one("#open-call", Static)
        note.update("\n".join(running))
        note.display = bool(running)

    def action_pick(self, number: int) -> None:
        keys = [e.id for e in self.query_one("#start", Menu).entries if e.id is not None]
        if 1 <= number <= len(keys):
            self.open_entry(str(keys[number - 1]))

    def open_entry(self, key: str) -> None:
        from coach.calls import CallRequest

        coach = self.coach
        kind, _, value = key.partition(":")
        if kind == "prepare":
            coach.choose_counterpart(coach.prepare_new)
        elif kind == "quick":
            coach.choose_quick_call(None)
        elif kind == "review":
            coach.action_open_review()
        elif kind == "resume":
            coach.start_call(CallRequest(resume=int(value)))
        elif kind == "case":
            self.app.push_screen(CaseScreen(int(value)))

    def action_focus_list(self, name: str) -> None:
        self.query_one(f"#{name}", Menu).focus()

    @on(Menu.Selected, "#start")
    def start_chosen(self, event: Menu.Selected) -> None:
        self.open_entry(event.id)

    @on(Menu.Selected, "#calls")
    def open_call(self, event: Menu.Selected) -> None:
        self.coach.action_open_review(int(event.id))


class CaseScreen(Screen[None]):
    """One case: its card, then a live call, a rehearsal, the plan or prepare (number keys)."""

    BINDINGS = [
        *[Binding(str(n), f"pick({n})", show=False, id=f"case.pick{n}") for n in range(1, 10)],
        Binding("escape", "back", "Back", id="case.back"),
    ]

    def __init__(self, case_id: int) -> None:
        super().__init__()
        self.case_id = case_id

    @property
    def coach(self) -> CoachApp:
        return cast("CoachApp", self.app)

    def case(self) -> Any:
        return self.coach.store.case(self.case_id)

    def entries(self) -> list[tuple[str, str]]:
        if self.coach.case_ready(self.case_id):
            return [
                ("live", "Live call: opens on the first thing to say"),
                ("rehearse", "Rehearse first: pick who they are and how hard"),
                ("plan", "The call plan (print it)"),
                ("prepare", "Prepare: answer what is still open"),
            ]
        return [
            ("prepare", "Prepare this case, then its call plan (recommended)"),
            ("quick", "Call now: give only who, account number, balance"),
            ("rehearse", "Rehearse: pick who they are and how hard"),
        ]

    def compose(self) -> ComposeResult:
        case = self.case()
        yield Static(
            literal(f" Case {case.id} · {case.label}", keep_lines=False), id="home-title", markup=False
        )
        with Vertical(id="case-body"):
            yield Static("", id="case-card", markup=False)
            yield Static("Press a number", classes="heading")
            yield Menu(numbered([(k, v) for k, v in self.entries()]), id="case-menu")
        yield Static(Text.assemble((" 1-4 ", "bold"), "pick ", (" Esc ", "bold"), "back"), id="home-keys")

    def on_mount(self) -> None:
        from coach.casefile.casecard import case_card_lines
        from coach.dialogue.counterparts import default as default_counterpart
        from coach.dialogue.facts import facts_from_json
        from coach.session.engine import Session

        coach, case = self.coach, self.case()
        facts = facts_from_json(case.facts, coach.playbook)
        session = Session(
            coach.playbook, case.counterpart or default_counterpart(), facts, start=coach.playbook.call_start
        )
        lines = case_card_lines(session) or ["Nothing known about this bill yet."]
        self.query_one("#case-card", Static).update(literal("\n".join(lines)))
        self.query_one("#case-menu", Menu).focus()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.query_one("#case-menu", Menu).set_entries(numbered([(k, v) for k, v in self.entries()]))

    def action_pick(self, number: int) -> None:
        entries = self.entries()
        if 1 <= number <= len(entries):
            self.open_entry(entries[number - 1][0])

    @on(Menu.Selected, "#case-menu")
    def chosen(self, event: Menu.Selected) -> None:
        self.open_entry(event.id)

    def open_entry(self, key: str) -> None:
        from coach.calls import CallRequest

        coach, case = self.coach, self.case()
        if key == "live":
            coach.start_call(CallRequest(mode="live", case_id=case.id, counterpart=case.counterpart))
        elif key == "rehearse":
            coach.choose_rehearsal(case.id, case.counterpart)
        elif key == "plan":
            from coach.dialogue.counterparts import default as default_counterpart
            from coach.tui.screens.prepare import PlanScreen

            self.app.push_screen(PlanScreen(case.id, case.counterpart or default_counterpart()))
        elif key == "prepare":
            if case.counterpart:
                coach.start_prepare(case.id, case.counterpart)
            else:
                coach.choose_counterpart(lambda who: coach.start_prepare(case.id, who))
        elif key == "quick":
            coach.choose_quick_call(case.id)

    def action_back(self) -> None:
        self.app.pop_screen()
