"""Prepare a case, then its call plan: the questions one at a time, large, then the plan to read or print.

Every answer goes to the case the moment it is given (:class:`coach.prepare.Preparation`
saves it), so stopping half-way loses nothing. Yes/No questions sit on keys 1 and 2;
typed answers go in the input line; Enter alone skips an optional one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from coach.prepare import Preparation
from coach.tui.plain import literal
from coach.tui.widgets.call_input import CallInput
from coach.tui.widgets.choices import ChoicesList
from coach.tui.widgets.phrase import WarningPanel
from coach.tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from coach.casefile.plan import CallPlan
    from coach.tui.app import CoachApp


class PrepareScreen(Screen[None]):
    """One question at a time; the plan screen takes over when there is nothing left to ask."""

    CSS_PATH = "../call.tcss"
    SCOPED_CSS = False
    BINDINGS = [
        *[Binding(str(n), f"pick({n})", show=False, id=f"prepare.pick{n}") for n in range(1, 10)],
        Binding("ctrl+z", "back", "Back", id="prepare.back", tooltip="The question before"),
        Binding("f10,ctrl+g", "stop", "Stop", id="prepare.stop", tooltip="Stop here; every answer is saved"),
        Binding("escape", "clear_line", "Clear", show=False, id="prepare.clear"),
    ]

    def __init__(self, case_id: int, counterpart: str | None = None) -> None:
        super().__init__()
        self.case_id = case_id
        self.counterpart = counterpart
        self.prep: Preparation | None = None

    @property
    def coach(self) -> CoachApp:
        return cast("CoachApp", self.app)

    def compose(self) -> ComposeResult:
        yield Static("", id="prep-top", markup=False)
        with Vertical(id="prep-body"):
            with Vertical(id="prep-decide"):
                yield ChoicesList(id="choices")
            with VerticalScroll(id="prep-say"):
                yield Static("", id="prep-question", markup=False)
                yield WarningPanel(id="warning")
                yield Static("", id="prep-coach", markup=False)
        yield StatusLine(id="status")
        yield CallInput(placeholder="type the answer + Enter", id="line", select_on_focus=False)
        yield Footer()

    def on_mount(self) -> None:
        self.prep = Preparation(self.coach.store, self.coach.playbook, self.case_id, self.counterpart)
        self.query_one("#prep-top", Static).update(
            Text(
                f" PREPARE · case {self.case_id} · {self.prep.counterpart} · each answer saved as you go",
                style="bold",
            )
        )
        self.query_one(CallInput).focus()
        self.refresh_view()

    def on_resize(self) -> None:
        self.set_class(self.size.height < 25, "-short")

    def refresh_view(self, message: str = "") -> None:
        prep = self.prep
        assert prep is not None
        if prep.done:
            self.show_plan()
            return
        view = prep.view()
        question = self.query_one("#prep-question", Static)
        lines = Text()
        if view.ask is not None:
            lines.append(view.ask_prompt, style="bold")
            fact = prep.playbook.facts[view.ask]
            if view.ask_current:
                lines.append(f"\nNow: {view.ask_current} (Enter keeps it)", style="italic")
            elif not fact.required and not view.choices:
                lines.append("\nEnter skips it if you don't know yet", style="italic")
        else:
            lines.append(view.title or view.stage_title, style="bold")
        question.update(literal(lines))
        question.border_title = f"Question {prep.questions}"
        self.query_one(WarningPanel).show(view.warn)
        guidance = self.query_one("#prep-coach", Static)
        guidance.update(literal(view.coach if view.ask is not None or view.title else ""))
        self.query_one(ChoicesList).show(view.choices)
        self.query_one(StatusLine).show(message)
        line = self.query_one(CallInput)
        line.picks = len(view.choices) if view.choices else 0
        required = view.ask is not None and prep.playbook.facts[view.ask].required and not view.ask_current
        if view.choices:
            line.placeholder = "press a number"
        elif required:
            line.placeholder = "type the answer + Enter (needed to go on)"
        else:
            line.placeholder = "type the answer + Enter · Enter alone skips it"

    def submit(self, text: str) -> None:
        assert self.prep is not None
        step = self.prep.submit(text)
        if step.kind == "stopped":
            self.action_stop()
            return
        if step.kind == "help":
            from coach.tui.screens.modals import TextScreen

            self.app.push_screen(TextScreen("Prepare", step.message))
            self.refresh_view()
            return
        self.refresh_view(f"! {step.message}" if step.kind == "error" else step.message)

    @on(CallInput.Pick)
    @on(ChoicesList.Picked)
    def picked(self, message: CallInput.Pick | ChoicesList.Picked) -> None:
        self.submit(str(message.number))

    @on(CallInput.Line)
    def typed(self, message: CallInput.Line) -> None:
        self.submit(message.text)

    def action_pick(self, number: int) -> None:
        self.submit(str(number))

    def action_scroll_choices(self, direction: int) -> None:
        self.query_one(ChoicesList).scroll_relative(y=3 * direction, animate=False)

    def action_scroll_say(self, direction: int) -> None:
        self.query_one("#prep-say", VerticalScroll).scroll_relative(y=5 * direction, animate=False)

    def action_back(self) -> None:
        self.submit("/back")

    def action_clear_line(self) -> None:
        self.query_one(CallInput).value = ""

    def action_stop(self) -> None:
        self.app.pop_screen()
        self.app.notify(f"Case {self.case_id}: every answer so far is saved.", markup=False)

    def show_plan(self) -> None:
        prep = self.prep
        assert prep is not None
        notes = [(p.title, p.text) for p in prep.passed]
        self.app.switch_screen(PlanScreen(self.case_id, prep.counterpart, notes, asked=prep.questions))


class PlanScreen(Screen[None]):
    """The call plan (coach.plan): read it, print it, or start the call from it."""

    CSS_PATH = "../call.tcss"
    SCOPED_CSS = False
    BINDINGS = [
        Binding("1", "live", "Live call", id="plan.live", tooltip="Start the call: opens on what to say"),
        Binding(
            "2", "rehearse", "Rehearse", id="plan.rehearse", tooltip="Practise with coach as the other side"
        ),
        Binding("3", "html", "Save HTML", id="plan.html", tooltip="Write the plan as one printable page"),
        Binding("4", "prepare", "Prepare", id="plan.prepare", tooltip="Answer the questions again"),
        Binding("escape", "home", "Home", id="plan.home"),
    ]

    def __init__(
        self,
        case_id: int,
        counterpart: str,
        notes: list[tuple[str, str]] | None = None,
        asked: int | None = None,
    ) -> None:
        super().__init__()
        self.case_id = case_id
        self.counterpart = counterpart
        self.notes = notes or []
        self.asked = asked
        self.plan: CallPlan | None = None

    @property
    def coach(self) -> CoachApp:
        return cast("CoachApp", self.app)

    def compose(self) -> ComposeResult:
        yield Static("", id="plan-top", markup=False)
        with VerticalScroll(id="plan-box"):
            yield Static("", id="plan-text", markup=False)
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        from coach.casefile.plan import as_text, build_plan
        from coach.dialogue.facts import facts_from_json
        from coach.tui.actions import on_plan  # the plan's letters as the app writes them

        coach = self.coach
        facts = facts_from_json(coach.store.case(self.case_id).facts, coach.playbook)
        self.plan = build_plan(coach.playbook, facts, self.counterpart, today=coach.today(), notes=self.notes)
        asked = f" · {self.asked} question(s) asked" if self.asked is not None else ""
        self.query_one("#plan-top", Static).update(
            Text(
                f" PLAN · case {self.case_id} · {self.counterpart}{asked} · saved with the case", style="bold"
            )
        )
        self.query_one("#plan-text", Static).update(literal(as_text(self.plan, on_plan)))
        self.query_one("#plan-box").focus()

    def plain_text(self) -> str:
        from coach.casefile.plan import as_text
        from coach.tui.actions import on_plan

        return as_text(self.plan, on_plan) if self.plan else ""

    def action_live(self) -> None:
        from coach.calls import CallRequest

        self.coach.start_call(CallRequest(mode="live", case_id=self.case_id, counterpart=self.counterpart))

    def action_rehearse(self) -> None:
        self.coach.choose_rehearsal(self.case_id, self.counterpart)

    def action_html(self) -> None:
        from coach.casefile.plan import as_html
        from coach.casefile.safewrite import write_private
        from coach.errors import CoachError
        from coach.paths import data_dir
        from coach.tui.actions import error_text, on_plan

        assert self.plan is not None
        path = data_dir() / "plans" / f"case-{self.case_id}-plan.html"
        try:
            write_private(path, as_html(self.plan, on_plan), replace=True, what="plan")
        except CoachError as error:
            self.query_one(StatusLine).show(f"! {error_text(error)}")
            return
        self.query_one(StatusLine).show(f"Saved {path} (open it in a browser to print one page)")

    def action_prepare(self) -> None:
        self.app.switch_screen(PrepareScreen(self.case_id, self.counterpart))

    def action_home(self) -> None:
        self.app.pop_screen()
