"""Review: the saved calls; one call's summary (what was recorded, outcome, next steps, dates),
its timeline, the letters it can write, and exports.

Everything shown comes from the store's events through coach.casefile.review, the same
as ``coach review --format``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Header, OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from coach.casefile.export import when
from coach.errors import CoachError
from coach.termtext import visible
from coach.tui.actions import error_text
from coach.tui.plain import literal

if TYPE_CHECKING:
    from coach.casefile.review import CallReview
    from coach.tui.app import CoachApp

SUFFIXES = {"markdown": "md", "html": "html", "json": "json", "text": "txt"}
FORMAT_OF = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".json": "json"}
CAPTURE_ORDER = ("rep_name", "rep_id", "reference", "offer", "promise", "deadline", "note")


def reached_text(review: CallReview, playbook: Any) -> str:
    """Where the call got to, as the user saw it ("Contact / What to ask for"), never a node id."""
    node = playbook.nodes.get(review.reached_id) if playbook is not None else None
    if node is None:
        return "the start"
    stage = playbook.stage_titles.get(node.stage, node.stage.title())
    return f"{stage} / {node.title}" if node.title else stage


def summary(review: CallReview, saved_deadlines: list[str], playbook: Any = None) -> Group:
    """The call at a glance: what was recorded, warnings, outcome, scorecard, dates, next steps.

    Drawn as rich Text (user text is never markup): a Markdown widget took ~0.3 s
    to show the same on these machines, on every move through the call list.
    """
    from coach.casefile.actions import worded
    from coach.casefile.review import note_label
    from coach.tui.actions import on_review

    call = review.call
    parts: list[Text | Table] = []
    title = Text.assemble((f"Call {call.id}", "bold"), f" · {call.mode} · {call.counterpart}")
    if review.case:
        title.append(f" · case {review.case.id}: ")
        title.append_text(literal(review.case.label, keep_lines=False))
    ended = (
        f"ended {when(call.ended)}."
        if call.ended
        else f"interrupted (never ended): resume it from home, or coach live --resume {call.id}."
    )
    parts += [title, Text(f"Started {when(call.started)}; {ended}", style="dim")]

    def heading(text: str) -> None:
        parts.append(Text(f"\n{text}", style="bold underline"))

    def bullets(lines: list[str], style: str = "") -> None:
        table = Table(box=None, show_header=False, padding=(0, 1, 0, 0))  # wrapped lines hang under the text
        table.add_column("bullet", width=3, justify="right")
        table.add_column("text", ratio=1)
        for line in lines:
            table.add_row(Text("•"), literal(line, style=style))
        parts.append(table)

    heading("Recorded")
    kinds = [k for k in CAPTURE_ORDER if k in review.captured]
    kinds += [k for k in review.captured if k not in CAPTURE_ORDER]
    if kinds:
        table = Table(box=None, show_header=False, padding=(0, 1, 0, 2))
        table.add_column("what", style="bold", no_wrap=True)
        table.add_column("value")
        for kind in kinds:
            table.add_row(Text(note_label(kind)), literal("; ".join(review.captured[kind])))
        parts.append(table)
        missing = [note_label(k).lower() for k in ("rep_name", "reference") if k not in review.captured]
        if missing:
            parts.append(Text(f"  Not recorded: {' and '.join(missing)}.", style="italic yellow"))
    else:
        parts.append(
            Text("  Nothing: no rep name, reference number or offer was noted.", style="italic yellow")
        )
    if review.warnings:
        heading("Warnings shown")
        bullets([f"⚠ {w}" for w in review.warnings], "red")
    heading("Outcome")
    outcome = f" {review.outcome[:1].upper()}{review.outcome[1:]}." if review.outcome else ""
    parts.append(literal(f"  Reached {reached_text(review, playbook)}.{outcome}"))
    if review.score:
        heading("Scorecard")
        parts.append(literal(review.score))
    dates_shown = bool(review.deadlines or saved_deadlines)
    name = on_review(dates_shown)  # next steps and dates name this screen's keys, never a command
    if dates_shown:
        heading("Dates that matter")
        bullets([*(worded(line, name) for line in review.deadlines), *saved_deadlines])
    if review.sides:  # one case, both sides: the insurer's claim, or the provider's bill
        heading("The other side of this case")
        bullets(review.sides)
    heading("Next steps")
    bullets([step.worded(name) for step in review.next_steps])
    return Group(*parts)


def timeline_table(review: CallReview, advice: list[str] | None = None) -> Table:
    """Every event of the call, as plain text cells (never markup); after each heard line, what coach advised.

    ``advice`` is the reply coach gave to each heard line, in order ('' where it gave none).
    """
    table = Table(box=None, expand=True, show_edge=False, pad_edge=False, header_style="bold")
    table.add_column("time", width=8, no_wrap=True, style="dim")
    table.add_column("who", width=11, no_wrap=True, style="bold")
    table.add_column("what", ratio=1)
    styles = {"heard": "cyan", "note": "green", "warning": "bold red", "shown": "", "end": "bold"}
    replies = iter(advice or [])
    for entry in review.timeline:
        table.add_row(
            Text(entry.time), literal(entry.who), literal(entry.text, style=styles.get(entry.kind, ""))
        )
        if entry.kind == "heard":
            reply = next(replies, "")
            if reply:
                table.add_row(Text(""), Text("coach said"), literal(f'Say: "{reply}"', style="yellow"))
    return table


class LetterScreen(ModalScreen[None]):
    """A letter preview: s saves it with the exports, a saves it where you say, Escape closes."""

    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="letter.close"),
        Binding("s", "save", "Save", id="letter.save"),
        Binding("a", "save_as", "Save as", id="letter.save_as"),
        Binding("ctrl+y", "copy", "Copy", id="letter.copy"),
    ]

    def __init__(self, kind: str, text: str, path: Path) -> None:
        super().__init__()
        self.kind, self.text, self.path = kind, text, path

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="letter-box", classes="dialog"):
            yield Static(literal(self.text), markup=False, id="letter-text")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#letter-box").border_title = f"Letter: {self.kind}"
        self.query_one("#letter-box").border_subtitle = "s save · a save as · Escape close"

    def action_save(self, path: Path | None = None) -> None:
        from coach.casefile.safewrite import write_private
        from coach.errors import CoachError

        target = path or self.path
        try:  # its own default path may be saved again; a path typed in "save as" is never clobbered
            write_private(target, self.text, replace=path is None, what="save")
        except CoachError as error:
            self.notify(visible(error_text(error)), severity="error", markup=False)
            return
        self.notify(f"Saved {target}", markup=False)

    def action_save_as(self) -> None:
        from coach.tui.screens.modals import SavePathScreen

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.action_save(path)

        self.app.push_screen(SavePathScreen("Save the letter to:", self.path), chosen)

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.text)
        self.notify("Copied the letter to the clipboard.")


class ReviewScreen(Screen[None]):
    """Calls on the left; the chosen call's summary, timeline and letters on the right."""

    CSS_PATH = "../review.tcss"  # loaded with the screen, not before home's first frame
    SCOPED_CSS = False

    BINDINGS = [
        Binding("escape", "app.go_home", "Home", id="review.home"),
        Binding("s", "tab('summary')", "Summary", show=False, id="review.summary"),
        Binding("t", "tab('timeline')", "Timeline", id="review.timeline"),
        Binding("l", "tab('letters')", "Letters", id="review.letters"),
        Binding("m", "export('markdown')", "Save .md", id="review.markdown"),
        Binding("h", "export('html')", "Save .html", id="review.html"),
        Binding("j", "export('json')", "Save .json", show=False, id="review.json"),
        Binding("e", "export_as", "Export to…", id="review.export"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.call_id: int | None = None
        self.summary: Group | None = None
        self.timeline: Table | None = None

    @property
    def coach(self) -> CoachApp:
        return cast("CoachApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="review-body"):
            yield OptionList(id="call-list", markup=False)
            with TabbedContent(id="review-tabs", initial="summary"):
                with TabPane("Summary", id="summary"), VerticalScroll(id="summary-box"):
                    yield Static("", id="summary-text")
                with TabPane("Timeline", id="timeline"), VerticalScroll(id="timeline-box"):
                    yield Static("", id="timeline-text")
                with TabPane("Letters", id="letters"):
                    yield OptionList(id="letter-list", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Review"
        self.query_one("#call-list").border_title = "Calls"
        letters = self.query_one("#letter-list", OptionList)
        try:
            from coach.casefile.letters import letter_kinds

            for kind in letter_kinds().values():
                prompt = Text(kind.title, style="bold")
                prompt.append(f"\n{kind.when}", style="dim")
                letters.add_option(Option(prompt, id=kind.name))
        except CoachError as error:
            letters.add_option(Option(f"Letters unavailable: {error_text(error)}", disabled=True))
        self.reload()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.reload()

    def reload(self) -> None:
        """Re-read the calls; show the app's target call (a call just ended), else the one shown, else the newest."""
        calls = list(reversed(self.coach.store.calls()))
        options = self.query_one("#call-list", OptionList)
        options.clear_options()
        for call in calls:
            line = Text(f"{call.id:>3} ", style="bold")
            line.append(f"{call.mode:<8} {call.counterpart}")  # both checked words, never free text
            line.append(f"\n    {call.started[:16].replace('T', ' ')}", style="dim")
            options.add_option(Option(line, id=str(call.id)))
        if not calls:
            self.call_id = None
            self.show_text("No calls saved yet. Press Escape, then start a call from home.")
            return
        target, self.coach.review_target = self.coach.review_target, None
        ids = [c.id for c in calls]
        chosen = target if target in ids else self.call_id if self.call_id in ids else ids[0]
        options.highlighted = ids.index(chosen)
        self.show_call(chosen)
        options.focus()

    def show_text(self, text: str) -> None:
        self.summary = Group(Text(text))
        self.query_one("#summary-text", Static).update(self.summary)
        self.query_one("#timeline-text", Static).update("")

    def show_call(self, call_id: int) -> None:
        from coach.casefile.review import load_review
        from coach.session.payloads import HeardData

        store = self.coach.store
        try:
            review = load_review(store, call_id)
        except CoachError as error:
            self.show_text(error_text(error))
            return
        self.call_id = call_id
        saved = []
        if review.case is not None:
            saved = [
                f"{d.due or '(no date)'}: {d.what}" + (f" ({d.source})" if d.source else "")
                for d in store.deadlines(review.case.id)
            ]
        self.summary = summary(review, saved, self.coach.playbook)
        self.query_one("#summary-text", Static).update(self.summary)
        self.query_one("#summary-box", VerticalScroll).scroll_home(animate=False)
        advice = [
            str(e.payload.reply or "")
            for e in store.events(call_id)
            if e.kind == "heard" and e.text and isinstance(e.payload, HeardData)
        ]
        self.timeline = timeline_table(review, advice)
        self.query_one("#timeline-text", Static).update(self.timeline)
        self.sub_title = f"call {call_id}"

    @on(OptionList.OptionHighlighted, "#call-list")
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id and int(event.option.id) != self.call_id:
            self.show_call(int(event.option.id))

    def action_tab(self, tab: str) -> None:
        self.query_one("#review-tabs", TabbedContent).active = tab
        if tab == "letters":
            letters = self.query_one("#letter-list", OptionList)
            if letters.highlighted is None and letters.option_count:
                letters.highlighted = 0
            letters.focus()

    # -- exports -------------------------------------------------------------

    def exports_dir(self) -> Path:
        from coach.paths import data_dir

        return data_dir() / "exports"

    def export(self, fmt: str, path: Path, replace: bool = True) -> None:
        from coach.casefile.export import render_call
        from coach.casefile.safewrite import write_private
        from coach.errors import CoachError

        if self.call_id is None:
            self.notify("No call to export.", severity="warning")
            return
        try:
            write_private(
                path, render_call(self.coach.store, self.call_id, fmt), replace=replace, what="export"
            )
        except CoachError as error:
            self.notify(visible(error_text(error)), severity="error", markup=False)
            return
        self.notify(f"Saved {path}", markup=False)

    def action_export(self, fmt: str) -> None:
        """m / h / j: save the call as Markdown / HTML / JSON in the data folder's exports."""
        if self.call_id is not None:
            self.export(fmt, self.exports_dir() / f"call-{self.call_id}.{SUFFIXES[fmt]}")

    def action_export_as(self) -> None:
        """e: save the call where you say; the format follows the extension (.md .html .json .txt)."""
        from coach.tui.screens.modals import SavePathScreen

        if self.call_id is None:
            return

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.export(FORMAT_OF.get(path.suffix.lower(), "text"), path, replace=False)

        self.app.push_screen(
            SavePathScreen(
                "Export this call to:",
                Path.cwd() / f"coach-call-{self.call_id}.md",
                "The format follows the extension: .md .html .json (else text) · Enter saves · Escape cancels",
            ),
            chosen,
        )

    # -- letters ---------------------------------------------------------------

    @on(OptionList.OptionSelected, "#letter-list")
    def letter_chosen(self, event: OptionList.OptionSelected) -> None:
        if self.call_id is None or not event.option.id:
            return
        text = self.letter(event.option.id)
        if text is not None:
            path = self.exports_dir() / f"letter-{event.option.id}-call-{self.call_id}.txt"
            self.app.push_screen(LetterScreen(event.option.id, text, path))

    def letter(self, kind: str) -> str | None:
        """The letter's text for the shown call and its case; None (and a note) if facts are missing."""
        from coach.casefile.letters import write_letter
        from coach.casefile.review import load_review
        from coach.dialogue.facts import facts_from_json

        assert self.call_id is not None
        review = load_review(self.coach.store, self.call_id)
        try:
            facts = facts_from_json(review.case.facts, self.coach.playbook) if review.case else {}
            return write_letter(
                kind,
                self.coach.playbook,
                facts,
                review.call.counterpart,
                review,
                review.case.id if review.case else None,
                today=self.coach.today(),
            )
        except CoachError as error:
            self.notify(visible(error_text(error)), severity="error", timeout=10, markup=False)
            return None
