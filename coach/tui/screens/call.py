"""The call screen, for a live call and a rehearsal alike.

Built for a real phone call: the phrase to say comes first and large; choices
sit on keys 1-9; one input line takes what the other side said and the slash
commands. Every key goes through the Session (which stores the event) before
the screen is redrawn, so what is on screen is always on disk.
"""

from __future__ import annotations

import time
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from coach.engine import Session
from coach.errors import CoachError
from coach.lineinput import apply_line
from coach.tui.widgets.call_input import CallInput
from coach.tui.widgets.progress import StageProgress
from coach.tui.widgets.transcript import Transcript


class CallScreen(Screen[None]):
    """One call. ``partner`` (rehearsal only) answers after each step."""

    BINDINGS = [
        Binding("ctrl+z", "undo", "Undo", id="call.undo"),
        Binding("ctrl+r", "prefill('/rep ')", "Rep name", id="call.rep"),
        Binding("ctrl+f", "prefill('/ref ')", "Ref #", id="call.ref"),
        Binding("ctrl+o", "prefill('/offer ')", "Offer", id="call.offer"),
        Binding("ctrl+y", "copy_phrase", "Copy", id="call.copy"),
        Binding("f10,ctrl+g", "end_call", "End call", id="call.end"),
        Binding("f1", "app.help", "Help", id="call.help"),
    ]

    def __init__(self, session: Session, call_id: int, on_end: Any = None, partner: Any = None) -> None:
        super().__init__(classes=session.mode)
        self.session = session
        self.call_id = call_id
        self.on_end = on_end
        self.partner = partner
        self.started = time.monotonic()
        self.frozen_clock: str | None = None  # tests and screenshots pin the timer

    def compose(self) -> ComposeResult:
        playbook = self.session.playbook
        with Horizontal(id="topbar"):
            yield StageProgress(playbook.stages, playbook.stage_titles, id="progress")
            yield Static("", id="timer")
        with Horizontal(id="body"):
            with Vertical(id="main"):
                yield Static("", id="step-title", markup=False)
                yield Static("", id="phrase", markup=False)
                yield Static("", id="warning", markup=False)
                yield Static("", id="guidance", markup=False)
                yield Static("", id="question", markup=False)
                yield VerticalScroll(Static("", id="choices", markup=False), id="choices-box")
            yield Transcript(id="transcript")
        yield Static("", id="status", markup=False)
        yield CallInput(
            placeholder="1-9 to choose · what they said · /rep /ref /offer /note /back /end", id="line"
        )
        yield Footer()

    def on_mount(self) -> None:
        mode = "Rehearsal" if self.session.mode == "rehearse" else "Live call"
        self.title = f"{mode} · {self.session.counterpart} · call {self.call_id}"
        self.query_one("#transcript", Transcript).border_title = "Transcript"
        self.query_one("#phrase", Static).border_title = "Say this"
        if self.partner is not None:
            self.query_one(Transcript).add("Them", self.partner.opening(), "partner")
        self.refresh_view()
        self.set_interval(1, self.tick)
        self.query_one(CallInput).focus()

    def on_resize(self) -> None:
        self.set_class(self.size.width < 80, "-narrow")

    # -- drawing -----------------------------------------------------------

    def tick(self) -> None:
        if self.frozen_clock is not None:
            self.query_one("#timer", Static).update(self.frozen_clock)
            return
        seconds = int(time.monotonic() - self.started)
        self.query_one("#timer", Static).update(f"⏱ {seconds // 60:02d}:{seconds % 60:02d}")

    def refresh_view(self) -> None:
        view = self.session.view()
        self.query_one(StageProgress).set_stage(view.stage_index)
        self.query_one("#step-title", Static).update(view.title or view.node)
        phrase = self.query_one("#phrase", Static)
        phrase.update(view.phrase or view.coach)
        phrase.set_class(not view.phrase, "guidance-only")
        phrase.border_title = "Say this" if view.phrase else "Coach"
        warning = self.query_one("#warning", Static)
        warning.update(f"⚠ {view.warn}" if view.warn else "")
        warning.display = bool(view.warn)
        guidance = self.query_one("#guidance", Static)
        guidance.update(view.coach if view.phrase else "")
        guidance.display = bool(view.phrase and view.coach)
        question = self.query_one("#question", Static)
        if view.ask:
            current = f"  (now: {view.ask_current} — Enter keeps it)" if view.ask_current else ""
            question.update(f"? {view.ask_prompt}{current}")
        question.display = bool(view.ask)
        choices = Text()
        for choice in view.choices:
            choices.append(f" {choice.number} ", style="bold reverse")
            choices.append(f" {choice.label}\n")
        if view.capture:
            commands = "  ".join("/" + self.session.playbook.notes[k].command for k in view.capture)
            choices.append(f"\nRecord: {commands}", style="dim")
        if view.finished:
            choices.append("The call is at its end. Press F10 to save and review it.", style="bold")
        self.query_one("#choices", Static).update(choices)
        line = self.query_one(CallInput)
        line.quick_pick = not (view.ask and not view.ask_current)
        self.tick()

    def status(self, message: str, error: bool = False) -> None:
        status = self.query_one("#status", Static)
        status.update(message)
        status.set_class(error, "error")

    # -- acting --------------------------------------------------------------

    @on(CallInput.Pick)
    def pick(self, message: CallInput.Pick) -> None:
        self.submit(str(message.number))

    @on(Input.Submitted, "#line")
    def submitted(self, message: Input.Submitted) -> None:
        line = message.value
        message.input.value = ""
        self.submit(line)

    def submit(self, line: str) -> None:
        """Apply one line exactly as the line mode does, then redraw."""
        if self.session.finished:
            self.status("The call has ended.", error=True)
            return
        before = len(self.session.events)
        outcome = apply_line(self.session, line)
        transcript = self.query_one(Transcript)
        for event in self.session.events[before:]:
            if event.kind == "heard":
                transcript.add("They said", event.text, "heard")
                if event.data.get("weigh"):
                    transcript.add("Their offer", str(event.data["weigh"]), "note")
                reply = event.data.get("reply")
                if reply:
                    transcript.add("Say", str(reply), "coach")
                if event.data.get("warning"):
                    transcript.add("Warning", str(event.data["warning"]), "error")
            elif event.kind == "note":
                label = self.session.playbook.notes[event.data["kind"]].label
                transcript.add(label, event.text, "note")
        if outcome.kind == "error":
            self.status(f"! {outcome.message}", error=True)
        elif outcome.kind == "help":
            self.status(outcome.message)
        elif outcome.kind == "ended":
            self.finish()
            return
        else:
            self.status(outcome.message.split("\n")[0] if outcome.kind == "recorded" else "")
            if (
                outcome.kind in ("moved", "recorded")
                and self.partner is not None
                and not self.session.finished
            ):
                said = self.partner.respond(self.session)
                if said is not None:
                    self.session.hear(said.text, by="partner")
                    transcript.add("Them", said.text, "partner")
        self.refresh_view()

    def action_undo(self) -> None:
        try:
            self.session.undo()
        except CoachError as error:
            self.status(f"! {error}", error=True)
            return
        self.status("Went back one step.")
        self.refresh_view()

    def action_prefill(self, text: str) -> None:
        line = self.query_one(CallInput)
        line.value = text
        line.cursor_position = len(text)
        line.focus()

    def action_copy_phrase(self) -> None:
        view = self.session.view()
        self.app.copy_to_clipboard(view.phrase or view.coach)
        self.status("Phrase copied to the clipboard.")

    def action_end_call(self) -> None:
        if not self.session.finished:
            self.session.end("ended by user")
        self.finish()

    def finish(self) -> None:
        """Save the call's end and hand over to whoever opened the screen."""
        if self.on_end is not None:
            self.on_end(self)
