"""The call screen, for a live call and a rehearsal alike (``session.mode`` tells them apart).

Built for a real phone call: the phrase to say comes first and large; choices
sit on keys 1-9; one input line takes what the other side said and the slash
commands, through the same ``apply_line`` as the plain line mode. Every key
goes through the Session, which stores its event before returning, and the
screen is drawn only after that: what is on screen is always on disk.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from coach.engine import Session
from coach.errors import CoachError
from coach.events import Event
from coach.lineinput import Outcome, apply_line, help_text
from coach.tui.widgets.call_input import CallInput
from coach.tui.widgets.capture import CapturePanel
from coach.tui.widgets.choices import ChoicesList
from coach.tui.widgets.phrase import PhrasePanel, WarningPanel
from coach.tui.widgets.progress import StageProgress
from coach.tui.widgets.timer import CallTimer, Clock
from coach.tui.widgets.transcript import Transcript

NARROW = 80  # below this many columns the side panel goes and the phrase box tightens
SHORT = 24  # below this many rows the step title and the coach's notes go
TALL = 30  # from this many rows the phrase box gets its big padding
QUICK_NOTES = {"rep_name": "rep", "reference": "ref", "offer": "offer"}  # ctrl+r / ctrl+f / ctrl+o
SAVE_ERRORS = (sqlite3.Error, OSError)  # the store could not write: disk full, file locked, ...
PLACEHOLDER = "1-9 choose · type what they said + Enter · /rep /ref /offer /note /back /end"


def money_text(event: Event) -> str:
    """A note as recorded; a money note as an amount ($1,200.00)."""
    amount = event.data.get("amount")
    if amount is None:
        return event.text
    from decimal import Decimal

    from coach.money import format_money

    return format_money(Decimal(str(amount)))


def reply_to(heard: Event) -> Text:
    """The reply box: what to say back first, then any warning, how an offer weighs, and what they said.

    A rehearsal partner's words come first (the user has only read them here); a
    line heard on a live call was typed by the user, so it comes last, and only
    when coach has something to say about it.
    """
    data = heard.data
    text = Text()

    def line(content: str, style: str = "") -> None:
        if text:
            text.append("\n")
        text.append(content, style=style)

    partner = data.get("by") == "partner"
    if partner:
        line(f'Them: "{heard.text}"', "bold")
    if data.get("reply"):
        line(f'Say: "{data["reply"]}"', "bold")
    if data.get("warning"):
        line(f"⚠ {data['warning']}", "bold red")
    if data.get("weigh"):
        line(f"Their offer: {data['weigh']}")
    if text and not partner:
        line(f'They said: "{heard.text}"', "dim")
    return text


class CallScreen(Screen[None]):
    """One call. ``partner`` (a rehearsal's simulated other side) answers after each step."""

    CSS_PATH = "../call.tcss"  # loaded with the screen, not before home's first frame
    SCOPED_CSS = False

    class Ended(Message):
        """The call has ended (its end event is stored); the app closes it and shows the review."""

        def __init__(self, screen: CallScreen) -> None:
            super().__init__()
            self.screen = screen

    BINDINGS = [
        *[Binding(str(n), f"pick({n})", show=False, id=f"call.pick{n}") for n in range(1, 10)],
        Binding("ctrl+z", "undo", "Undo", id="call.undo", tooltip="Step back over a mis-tap"),
        Binding("ctrl+r", "prefill('rep_name')", "Rep", id="call.rep", tooltip="Record the rep's name"),
        Binding("ctrl+f", "prefill('reference')", "Ref#", id="call.ref", tooltip="Record a reference number"),
        Binding("ctrl+o", "prefill('offer')", "Offer", id="call.offer", tooltip="Record an amount offered"),
        Binding("ctrl+y", "copy_phrase", "Copy", show=False, id="call.copy", tooltip="Copy the phrase"),
        Binding("f10,ctrl+g", "end_call", "End", id="call.end", tooltip="End and save the call"),
        Binding("escape", "clear_line", "Clear", show=False, id="call.clear", tooltip="Clear the input line"),
    ]

    def __init__(
        self,
        session: Session,
        call_id: int,
        partner: Any = None,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(classes=session.mode)
        self.session = session
        self.call_id = call_id
        self.partner = partner
        self.clock = clock
        self.last_node = ""
        self.heard: Event | None = (
            None  # the last line heard at this step: its reply shows until the step moves
        )
        self.heard_is_new = False

    @property
    def mode(self) -> str:
        return self.session.mode

    # -- layout --------------------------------------------------------------

    def compose(self) -> ComposeResult:
        playbook = self.session.playbook
        badge = "LIVE" if self.mode == "live" else "REHEARSAL"
        with Horizontal(id="topbar"):
            yield Static(f" {badge} ", id="badge", markup=False)
            yield StageProgress(playbook.stages, playbook.stage_titles, id="progress")
            yield CallTimer(self.clock, id="timer")
        with Horizontal(id="body"):
            with Vertical(id="main"):
                # The question and the choices are docked at the bottom: whatever the phrase and the
                # warnings take, they stay in view (the rest scrolls).
                with Vertical(id="decide"):
                    yield Static("", id="question", markup=False)
                    yield ChoicesList(id="choices")
                with VerticalScroll(id="say"):
                    yield Static("", id="step-title", markup=False)
                    yield PhrasePanel(id="phrase")
                    yield Static("", id="reply", markup=False)  # what coach makes of the last line heard
                    yield WarningPanel(id="warning")
                    yield Static("", id="guidance", markup=False)
            with Vertical(id="side"):
                yield CapturePanel(id="capture")
                yield Transcript(id="transcript")
        yield Static("", id="status", markup=False)
        yield CallInput(placeholder=PLACEHOLDER, id="line", select_on_focus=False)
        yield Footer()

    def on_mount(self) -> None:
        mode = "Rehearsal" if self.mode == "rehearse" else "Live call"
        self.title = f"{mode} · {self.session.counterpart} · call {self.call_id}"
        self.query_one("#capture").border_title = "Recorded"
        transcript = self.query_one(Transcript)
        transcript.border_title = "Transcript"
        if self.partner is not None:
            transcript.border_title = f"Them: {self.partner.name}"
            transcript.add("Them", self.partner.opening(), "partner")
        elif self.mode == "rehearse":
            transcript.add(
                "coach", "No rehearsal partner here: type the other side's lines yourself.", "coach"
            )
        line = self.query_one(CallInput)
        keys = {"rep_name": "ctrl+r", "reference": "ctrl+f", "offer": "ctrl+o"}
        line.quick = {key: (kind, self.command_for(kind)) for kind, key in keys.items()}
        self.refresh_view()
        line.focus()

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW, "-narrow")
        self.set_class(self.size.height < SHORT, "-short")
        self.set_class(self.size.height >= TALL, "-tall")

    # -- drawing -------------------------------------------------------------

    def refresh_view(self) -> None:
        """Draw the Session's current step (called only after the Session has stored its events)."""
        session = self.session
        view = session.view()
        moved = view.node != self.last_node
        if moved:
            self.last_node, self.heard = view.node, None
        self.query_one(StageProgress).set_stage(view.stage_index)
        title = view.title or view.stage_title
        self.query_one("#step-title", Static).update(f"{self.session.counterpart} · {title}")
        self.query_one(PhrasePanel).show(view.phrase, view.coach)
        self.query_one(WarningPanel).show(view.warn)
        reply = self.query_one("#reply", Static)
        reply_text = reply_to(self.heard) if self.heard is not None else Text()
        reply.update(reply_text)
        reply.display = bool(reply_text)
        reply.border_title = "Reply"
        if self.heard_is_new and reply_text:  # just heard: what to say back comes into view
            self.call_after_refresh(reply.scroll_visible, animate=False)
        elif moved:  # a new step starts at its phrase
            self.query_one("#say", VerticalScroll).scroll_home(animate=False)
        self.heard_is_new = False
        question = self.query_one("#question", Static)
        if view.ask and not view.finished:
            current = f"  (now: {view.ask_current}; Enter keeps it)" if view.ask_current else ""
            question.update(f"? {view.ask_prompt}{current}")
        question.display = bool(view.ask and not view.finished)
        notes = session.playbook.notes
        hint = ""
        if view.capture:
            hint = "Record here: " + "  ".join(f"/{notes[k].command}" for k in view.capture if k in notes)
        if view.finished:
            hint = "The call is at its end: F10 saves it and opens the review."
        self.query_one(ChoicesList).show(view.choices, hint)
        guidance = self.query_one("#guidance", Static)
        lines = [view.coach] if view.phrase and view.coach else []
        if view.sources:
            lines.append("Source: " + "; ".join(view.sources))
        guidance.update(Text("\n".join(lines), style="italic"))
        guidance.display = bool(lines)
        self.query_one(CapturePanel).show(
            self.captured(),
            {k: n.label for k, n in notes.items()},
            {k: n.command for k, n in notes.items()},
            view.capture,
        )
        line = self.query_one(CallInput)
        waiting = view.ask is not None and not view.ask_current and not view.finished
        line.picks = 0 if waiting or view.finished else len(view.choices)
        line.placeholder = "type the answer, then Enter" if waiting else PLACEHOLDER

    def captured(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for event in self.session.events:
            if event.kind == "note":
                found.setdefault(str(event.data.get("kind")), []).append(money_text(event))
        return found

    def status(self, message: str, error: bool = False) -> None:
        status = self.query_one("#status", Static)
        status.update(message)
        status.set_class(error, "-error")

    # -- acting --------------------------------------------------------------

    @on(CallInput.Pick)
    @on(ChoicesList.Picked)
    def picked(self, message: CallInput.Pick | ChoicesList.Picked) -> None:
        self.submit(str(message.number))

    @on(CallInput.Line)
    def submitted(self, message: CallInput.Line) -> None:
        self.submit(message.text)

    def action_pick(self, number: int) -> None:
        """Keys 1-9 when the input line is not focused (it handles them itself when it is)."""
        self.submit(str(number))

    def submit(self, line: str) -> Outcome:
        """Apply one line exactly as the line mode does, then draw what the Session stored."""
        if self.session.finished:
            self.status("The call has ended: F10 opens its review.", error=True)
            return Outcome("error", "the call has ended")
        before = len(self.session.events)
        try:
            outcome = apply_line(self.session, line)
        except SAVE_ERRORS as error:  # the Session is unchanged when its sink fails: say so, keep going
            outcome = Outcome("error", f"could not save ({error}); nothing changed, try again")
        self.show_events(self.session.events[before:])
        if outcome.kind == "ended":
            self.post_message(self.Ended(self))
            return outcome
        if outcome.kind == "error":
            self.status(f"! {outcome.message}", error=True)
        elif outcome.kind == "help":
            from coach.tui.screens.modals import TextScreen

            self.status("")
            self.app.push_screen(
                TextScreen("Commands" if line.strip() == "/help" else "Facts", outcome.message)
            )
        elif outcome.kind == "recorded":
            self.status(outcome.message.split("\n")[0])
        else:
            self.status(outcome.message)
        if outcome.kind in ("moved", "recorded"):
            self.partner_turn()
        self.refresh_view()
        return outcome

    def partner_turn(self) -> None:
        """In a rehearsal, the simulated other side answers (stored as a heard line, by="partner")."""
        if self.partner is None or self.session.finished:
            return
        said = self.partner.respond(self.session)
        if said is None:
            return
        if self.session.view().node != self.last_node:  # a new step: its reply box starts empty
            self.last_node, self.heard = self.session.view().node, None
        try:
            event = self.session.hear(said.text, by="partner")
        except (CoachError, *SAVE_ERRORS) as error:
            self.status(f"! the partner's line was not saved ({error})", error=True)
            return
        self.show_events([event])

    def show_events(self, events: list[Event]) -> None:
        """Add what the Session just stored to the transcript and the reply box."""
        transcript = self.query_one(Transcript)
        notes = self.session.playbook.notes
        for event in events:
            if event.kind == "heard":
                partner = event.data.get("by") == "partner"
                if partner:
                    transcript.add("Them", event.text, "partner")
                else:
                    transcript.add("They said", event.text, "heard")
                if event.data.get("reply"):
                    transcript.add("Say", str(event.data["reply"]), "coach")
                if event.data.get("warning"):
                    transcript.add("Warning", str(event.data["warning"]), "error")
                self.heard, self.heard_is_new = event, True
            elif event.kind == "note":
                kind = str(event.data.get("kind"))
                label = notes[kind].label if kind in notes else kind
                transcript.add(label, money_text(event), "note")
            elif event.kind == "fact":
                transcript.add("Fact", f"{event.data.get('name')}: {event.text}", "note")

    def action_undo(self) -> None:
        try:
            self.session.undo()
        except CoachError as error:
            self.status(f"! {error}", error=True)
            return
        except SAVE_ERRORS as error:
            self.status(f"! could not save ({error}); nothing changed, try again", error=True)
            return
        self.status("Went back one step.")
        self.refresh_view()

    def command_for(self, kind: str) -> str:
        note = self.session.playbook.notes.get(kind)
        return f"/{note.command if note else QUICK_NOTES[kind]} "

    def action_prefill(self, kind: str) -> None:
        """Start a capture command in the input line (ctrl+r rep name, ctrl+f reference, ctrl+o offer).

        With the input line focused, CallInput does this itself, in key order; this binding
        serves when it is not (and the footer and the command palette)."""
        line = self.query_one(CallInput)
        line.start_command(self.command_for(kind))
        line.focus()
        self.prefilled(CallInput.Prefilled(kind))

    @on(CallInput.Prefilled)
    def prefilled(self, message: CallInput.Prefilled) -> None:
        note = self.session.playbook.notes.get(message.kind)
        self.status(f"Type the {note.label.lower() if note else message.kind}, then Enter.")

    def action_clear_line(self) -> None:
        line = self.query_one(CallInput)
        line.value = ""
        line.focus()

    def action_copy_phrase(self) -> None:
        view = self.session.view()
        self.app.copy_to_clipboard(view.phrase or view.coach)
        self.status("Copied the phrase to the clipboard.")

    def action_end_call(self) -> None:
        """F10: end and save the call; asks first unless the call has reached its end."""
        if self.session.finished:
            self.post_message(self.Ended(self))
            return
        if self.session.view().finished:
            self.end_now(True)
            return
        from coach.tui.screens.modals import ConfirmScreen

        self.app.push_screen(
            ConfirmScreen("End this call and save it?", "Enter: end and review · Escape: keep talking"),
            self.end_now,
        )

    def end_now(self, confirmed: bool | None) -> None:
        if not confirmed or self.session.finished:
            return
        reached = self.session.view().finished
        try:
            self.session.end("reached the end" if reached else "ended by user")
        except SAVE_ERRORS as error:
            self.status(f"! could not save ({error}); the call is still open, try again", error=True)
            return
        self.post_message(self.Ended(self))

    def help_commands(self) -> str:
        """The input line's commands for this playbook (for the help screen)."""
        return help_text(self.session)
