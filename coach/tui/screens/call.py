"""The call screen, for a live call and a rehearsal alike (``call.mode`` tells them apart).

Built for a real phone call, phone in one hand: the big box holds the phrase to
say, or, right after a heard line, what they said and the reply to say back; the
case card (account, balance, the three numbers, the dispute date, the warning)
stays in view; choices sit on keys 1-9; one input line takes what the other side
said and the slash commands. Every line goes through :meth:`coach.calls.Call.submit`,
exactly as in the line mode, which stores its events before returning: the
screen is drawn only after that, so what is on screen is always on disk.
"""

from __future__ import annotations

import gc
import sqlite3
from dataclasses import replace
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from coach.calls import Turn, help_text
from coach.casefile.casecard import case_card_lines
from coach.session.events import Event
from coach.session.payloads import FactData, HeardData, NoteData
from coach.tui.widgets.board import BoardView, BoxView, StepBoard, choices_of, reply_box
from coach.tui.widgets.call_input import CallInput
from coach.tui.widgets.capture import CapturePanel, RecordedLine
from coach.tui.widgets.casecard import CaseCard
from coach.tui.widgets.onepass import Column, Row
from coach.tui.widgets.progress import StageProgress
from coach.tui.widgets.status import StatusLine
from coach.tui.widgets.timer import CallTimer, Clock
from coach.tui.widgets.transcript import Transcript

if TYPE_CHECKING:
    from coach.calls import Call
    from coach.session.engine import Session

WIDE = 100  # from this many columns the side panel (recorded, transcript) is shown
SHORT = 25  # below this many rows the step title goes and the input line loses its border
TALL = 30  # from this many rows the phrase box gets its big padding
QUICK_NOTES = {"rep_name": "rep", "reference": "ref", "offer": "offer"}  # ctrl+r / ctrl+f / ctrl+o
SAVE_ERRORS = (sqlite3.Error, OSError)  # the store could not write: disk full, file locked, ...
PLACEHOLDER = "1-9 choose · type what they said + Enter · /help"
_NOTHING = object()  # a part of the screen not drawn yet
REHEARSE_PLACEHOLDER = "1-9 choose · type what you say + Enter · /help"
PENDING_PLACEHOLDER = "Enter records it · or type the amount, or a number"


def money_text(event: Event) -> str:
    """A note as recorded; a money note as an amount ($1,200.00)."""
    note = event.payload
    amount = note.amount if isinstance(note, NoteData) else None
    if amount is None:
        return event.text
    from decimal import Decimal

    from coach.money.amounts import format_money

    shown = format_money(Decimal(str(amount)))
    return shown + (" a month" if isinstance(note, NoteData) and note.monthly else "")


def settle() -> None:
    """Get ready for the call's first key, once its screen is up (in a thread: the screen stays live).

    What a line reads on first use (hearing's files and the like, :func:`coach.calls.warm_up`) is
    read now rather than at the first heard line, which took half a second.
    Then everything alive (modules, the playbook, the patterns, the widgets) lives as long as the
    call: it is moved out of the garbage collector's reach, so the full collections that walked
    all of it in the middle of a step (tens of ms, seen in tmux) walk only what the call makes."""
    from coach.calls import warm_up

    warm_up()
    gc.freeze()


class CallScreen(Screen[None]):
    """One open call (a :class:`coach.calls.Call`)."""

    CSS_PATH = "../call.tcss"  # loaded with the screen, not before home's first frame
    SCOPED_CSS = False
    BLANK = True  # its background lies under every row: painted plain, not styled again each frame

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
        # listed in help with the call's other keys (EXTRA), so no description here
        Binding("pagedown", "scroll_say(1)", show=False, id="call.more"),
        Binding("pageup", "scroll_say(-1)", show=False, id="call.less"),
        Binding("down", "scroll_choices(1)", show=False, id="call.down"),
        Binding("up", "scroll_choices(-1)", show=False, id="call.up"),
        Binding("escape", "clear_line", "Clear", show=False, id="call.clear", tooltip="Clear the input line"),
    ]

    def __init__(self, call: Call, clock: Clock | None = None) -> None:
        super().__init__(classes=call.mode)
        self.call = call
        self.clock = clock
        self.last_node = ""
        self.shown = 0  # how many of the session's events the transcript shows
        self._drawn: dict[str, object] = {}  # what each part of the screen shows now (see changed)

    @property
    def session(self) -> Session:
        return self.call.session

    @property
    def call_id(self) -> int:
        return self.call.call_id

    @property
    def partner(self) -> object:
        return self.call.partner

    @property
    def mode(self) -> str:
        return self.call.mode

    # -- layout --------------------------------------------------------------

    def compose(self) -> ComposeResult:
        playbook = self.session.playbook
        badge = "LIVE" if self.mode == "live" else "REHEARSAL"
        with Horizontal(id="topbar"):
            yield Static(f" {badge} ", id="badge", markup=False)
            yield StageProgress(playbook.stages, playbook.stage_titles, id="progress")
            yield CallTimer(self.clock, id="timer")
        yield CaseCard(id="card")
        yield RecordedLine(id="recorded")
        with Row(id="body"):
            yield StepBoard(id="main")  # the big box and the choices: one widget, so a step needs no layout
            with Column(id="side"):
                yield CapturePanel(id="capture")
                yield Transcript(id="transcript")
        yield StatusLine(id="status")
        yield CallInput(placeholder=PLACEHOLDER, id="line", select_on_focus=False)
        yield Footer(compact=True, show_command_palette=False)  # every key fits at 60 columns

    def on_mount(self) -> None:
        mode = "Rehearsal" if self.mode == "rehearse" else "Live call"
        self.title = f"{mode} · {self.session.counterpart} · call {self.call_id}"
        transcript = self.query_one(Transcript)
        partner = self.call.partner
        if partner is not None:
            transcript.title = f"Them: {partner.name}"  # drawn literally
            resumed = any(
                isinstance(e.payload, HeardData) and e.payload.by == "partner" for e in self.session.events
            )
            if not resumed:
                self.call.opening()
        line = self.query_one(CallInput)
        keys = {"rep_name": "ctrl+r", "reference": "ctrl+f", "offer": "ctrl+o"}
        line.quick = {key: (kind, self.command_for(kind)) for kind, key in keys.items()}
        line.deliver = self.take  # a step runs in the key's own handler, not two message queues later
        self.show_new_events()
        self.refresh_view()
        line.focus()
        self.run_worker(settle, thread=True, group="settle", exit_on_error=False)

    def on_resize(self) -> None:
        self.set_class(self.size.width < WIDE, "-narrow")
        self.set_class(self.size.height < SHORT, "-short")
        self.set_class(self.size.height >= TALL, "-tall")
        status = self.query_one(StatusLine)
        status.keep_row = self.size.width >= WIDE and self.size.height >= SHORT
        status.show(status.message)
        self.query_one(StepBoard).set_shape(
            short=self.size.height < SHORT, tall=self.size.height >= TALL, narrow=self.size.width < WIDE
        )
        # Every line again, not just what changed: a frame drawn for the old size just before the terminal
        # shrank (a new call opened as the window was resized) must not leave stale rows behind.
        self.call_after_refresh(self.refresh, repaint=True, layout=True)

    # -- drawing -------------------------------------------------------------

    def changed(self, part: str, value: object) -> bool:
        """Whether ``part`` of the screen would now show something else than it shows (then remember it).

        A step redraws only what changed: updating an auto-height widget with the same
        content still lays it out and paints it again, which is most of a frame."""
        if self._drawn.get(part, _NOTHING) == value:
            return False
        self._drawn[part] = value
        return True

    def refresh_view(self) -> None:
        """Draw the call as it now is (called only after the Call has stored its events)."""
        call, session = self.call, self.session
        view = session.view()
        moved = view.node != self.last_node
        self.last_node = view.node
        self.query_one(StageProgress).set_stage(view.stage_index)
        card = case_card_lines(session)
        if self.changed("card", card):
            self.query_one(CaseCard).show(card)
        title = view.title or view.stage_title
        reply = call.reply
        if reply is not None:
            box = reply_box(reply)
        elif view.phrase:
            box = BoxView("say", "Say this", ((view.phrase, ""),))
        else:
            box = BoxView("coach", "Coach", ((view.coach, ""),))
        notes = session.playbook.notes
        hint = ""
        if view.capture:
            hint = "Record here: " + "  ".join(f"/{notes[k].command}" for k in view.capture if k in notes)
        if len(view.choices) >= 10:
            hint = f"1 and 10-{len(view.choices)}: type the number + Enter" + (f" · {hint}" if hint else "")
        if view.finished:
            hint = "The call is at its end: F10 saves it and opens the review."
        guidance = [view.coach] if view.phrase and view.coach else []
        if view.sources:
            guidance.append("Source: " + "; ".join(view.sources))
        board = BoardView(
            title=f"{session.counterpart} · {title}",
            box=box,
            warnings=(view.warn,) if view.warn else (),
            guidance="\n".join(guidance),
            choices=choices_of(view.choices),
            hint=hint,
            room=0.45 if reply is not None else 0.75,  # the reply gets the room; the choices scroll
        )
        fresh = self.changed("box", box) or moved  # a new phrase or reply: shown from its top
        if self.changed("board", board) or fresh:
            self.query_one(StepBoard).show(replace(board, keep_scroll=not fresh))
        captured = self.captured()
        labels = {k: n.label for k, n in notes.items()}
        if self.changed("recorded", captured):  # hidden from 100 columns: drawn only when a note is recorded
            self.query_one(RecordedLine).show(captured, labels)
        if self.changed("captured", (captured, tuple(view.capture))):
            self.query_one(CapturePanel).show(
                captured, labels, {k: n.command for k, n in notes.items()}, view.capture
            )
        if self.changed("status", call.message):
            self.query_one(StatusLine).show(call.message)
        line = self.query_one(CallInput)
        line.picks = 0 if view.finished or call.pending is not None else len(view.choices)
        if call.pending is not None:
            placeholder = PENDING_PLACEHOLDER
        else:
            placeholder = REHEARSE_PLACEHOLDER if self.mode == "rehearse" else PLACEHOLDER
        if line.placeholder != placeholder:
            line.placeholder = placeholder

    def captured(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for event in self.session.notes():  # read on from the last step, not the whole call again
            if isinstance(note := event.payload, NoteData):
                found.setdefault(str(note.kind), []).append(money_text(event))
        return found

    def status(self, message: str) -> None:
        """Show a message until the next action (``!`` first marks an error)."""
        self.call.message = message
        self.query_one(StatusLine).show(message)

    # -- acting --------------------------------------------------------------

    @on(StepBoard.Picked)
    def picked(self, message: StepBoard.Picked) -> None:
        self.submit(str(message.number))

    def take(self, message: CallInput.Line | CallInput.Pick) -> None:
        """What the input line hands over directly (its ``deliver``): a typed line or a picked number."""
        self.submit(message.text if isinstance(message, CallInput.Line) else str(message.number))

    def action_pick(self, number: int) -> None:
        """Keys 1-9 when the input line is not focused (it handles them itself when it is)."""
        self.submit(str(number))

    def submit(self, line: str) -> Turn:
        """Apply one line exactly as the line mode does (``Call.submit``), then draw what was stored."""
        try:
            turn = self.call.submit(line)
        except SAVE_ERRORS as error:  # the Session is unchanged when its sink fails: say so, keep going
            turn = Turn("error", f"could not save ({error}); nothing changed, try again")
            self.call.message = f"! {turn.message}"
        self.show_new_events()
        if turn.kind == "ended":
            self.post_message(self.Ended(self))
            return turn
        if turn.kind == "help":
            from coach.tui.screens.modals import TextScreen

            title = "Commands" if line.strip().startswith("/help") else "Facts"
            self.call.message = ""
            self.app.push_screen(TextScreen(title, turn.message))
        elif turn.kind == "heard" and not self.call.message:
            self.call.message = "Saved what they said."
        elif turn.kind == "said" and not self.call.message:
            self.call.message = "Saved what you said."
        self.refresh_view()
        return turn

    def show_new_events(self) -> None:
        """Add what the call stored since last time to the transcript."""
        transcript = self.query_one(Transcript)
        notes = self.session.playbook.notes
        events = self.session.events[self.shown :]
        self.shown = len(self.session.events)
        for event in events:
            if isinstance(heard := event.payload, HeardData):
                partner = heard.by == "partner"
                transcript.add(
                    "Them" if partner else "They said", event.text, "partner" if partner else "heard"
                )
                if heard.reply:
                    transcript.add("Say", str(heard.reply), "coach")
                if heard.warning:
                    transcript.add("Warning", str(heard.warning), "error")
            elif event.kind == "said":
                transcript.add("You", event.text, "note")
            elif isinstance(note := event.payload, NoteData):
                kind = str(note.kind)
                label = notes[kind].label if kind in notes else kind
                transcript.add(label, money_text(event), "note")
            elif isinstance(fact := event.payload, FactData):
                transcript.add("Fact", f"{fact.name}: {event.text}", "note")
        transcript.show_added()

    def action_undo(self) -> None:
        self.submit("/back")

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

    def action_scroll_choices(self, direction: int) -> None:
        self.query_one(StepBoard).scroll_choices(direction)

    def action_scroll_say(self, direction: int) -> None:
        self.query_one(StepBoard).scroll_say(direction)

    def action_clear_line(self) -> None:
        line = self.query_one(CallInput)
        line.value = ""
        line.focus()

    def action_copy_phrase(self) -> None:
        self.app.copy_to_clipboard(self.query_one(StepBoard).box_text)
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
            self.call.finish("reached the end" if reached else "ended by user")
        except SAVE_ERRORS as error:
            self.status(f"! could not save ({error}); the call is still open, try again")
            return
        self.post_message(self.Ended(self))

    def help_commands(self) -> str:
        """The input line's commands for this playbook (for the help screen)."""
        return help_text(self.session.playbook)
