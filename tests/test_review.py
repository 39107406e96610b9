"""Review and export read the stored events: capture fields, timeline, escaping in every format."""

from __future__ import annotations

import json
from decimal import Decimal
from html.parser import HTMLParser

import pytest

from coach.casefile.export import render_call
from coach.casefile.store import Store
from coach.cli.main import main
from coach.dialogue.schema import Playbook
from coach.session.engine import Session
from coach.session.events import Event

HOSTILE = "<script>alert(1)</script> {{ 7*7 }} [bold]x[/] *y* | z"


@pytest.fixture
def recorded_call(playbook: Playbook) -> int:
    store = Store.open()
    case_id = store.create_case({"account_number": "AC-1"}, "St. Anne", "collections")
    call_id = store.start_call(case_id, "live", "collections")
    session = Session(playbook, "collections", {"balance": Decimal("2480")}, sink=store.sink_for(call_id))
    session.note("rep_name", HOSTILE)
    session.note("reference", "REF-4471")
    session.note("offer", "$1,200")
    session.note("promise", "will mail validation notice")
    session.hear("We don't do deletions")
    session.set_fact("patient_name", HOSTILE)
    session.choose(1)
    session.end()
    store.end_call(call_id, "ended by user")
    store.close()
    return call_id


def test_text_review_shows_capture_fields_and_next_steps(recorded_call: int) -> None:
    store = Store.open()
    text = render_call(store, recorded_call, "text")
    assert f"Rep's name: {HOSTILE}" in text
    assert "Reference number: REF-4471" in text
    assert "Their offer: $1,200.00" in text
    assert "Follow up on their promise: will mail validation notice" in text
    assert "  they said        We don't do deletions" in text
    assert "coach letter validation" in text
    assert f"Facts changed:\n  patient_name: {HOSTILE}" in text
    assert "Reached: " in text and "Outcome: ended by user" in text


def test_review_uses_the_stored_text_not_the_yaml(recorded_call: int) -> None:
    """A phrase edited (or deleted) in the dialogues after the call still reads as it was said."""
    store = Store.open()
    seq = len(store.events(recorded_call)) + 1
    at = store.events(recorded_call)[-1].at
    old = Event(seq, at, "shown", "gone", "gone.node", "A phrase from last year's dialogues", {"coach": "x"})
    store.append(recorded_call, old)
    text = render_call(store, recorded_call, "text")
    assert "  say              A phrase from last year's dialogues" in text
    coached = [str(e.data["coach"]) for e in store.events(recorded_call) if e.kind == "shown" and not e.text]
    assert coached and all(" ".join(c.split())[:60] in " ".join(text.split()) for c in coached)


def test_json_review_is_structured(recorded_call: int) -> None:
    data = json.loads(render_call(Store.open(), recorded_call, "json"))
    assert data["captured"]["reference"] == ["REF-4471"]
    assert data["call"]["counterpart"] == "collections"
    assert data["case"]["label"] == "St. Anne"
    assert data["timeline"][0]["kind"] == "start"


def test_html_is_escaped_and_self_contained(recorded_call: int) -> None:
    page = render_call(Store.open(), recorded_call, "html")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}" in page
    assert "<h2>Facts changed</h2>" in page
    assert "http://" not in page and "https://" not in page and "src=" not in page

    class Tags(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: list[str] = []

        def handle_starttag(self, tag: str, attrs: object) -> None:
            self.tags.append(tag)

    parser = Tags()
    parser.feed(page)
    assert "script" not in parser.tags and "table" in parser.tags


def test_markdown_escapes_user_text(recorded_call: int) -> None:
    page = render_call(Store.open(), recorded_call, "markdown")
    assert r"\<script\>alert(1)\</script\> \{\{ 7\*7 \}\} \[bold\]x\[/\] \*y\* \| z" in page
    assert "| time | who | what |" in page


def test_cli_review_last_and_list(recorded_call: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", "--last", "--format", "markdown"]) == 0
    assert "REF\\-4471" not in capsys.readouterr().out  # '-' is left alone
    assert main(["review", "--list"]) == 0
    assert f"{recorded_call:>4}" in capsys.readouterr().out
    assert main(["review", "99", "--format", "text"]) == 2
    assert capsys.readouterr().err.strip() == "coach: no call 99 (see coach review --list)"


def test_review_out_file_is_owner_only(
    recorded_call: int, tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "call.html"
    assert main(["review", str(recorded_call), "--format", "html", "--out", str(out)]) == 0
    assert out.stat().st_mode & 0o777 == 0o600
    assert "REF-4471" in out.read_text()


def test_review_lists_the_case_dates(playbook: Playbook) -> None:
    import datetime as dt

    store = Store.open()
    case_id = store.create_case({"validation_notice_date": dt.date(2026, 11, 2)}, "Midstate", "collections")
    call_id = store.start_call(case_id, "live", "collections")
    session = Session(playbook, "collections", sink=store.sink_for(call_id))
    session.note("promise", "validation notice by 2026-12-05")
    text = render_call(store, call_id, "text")
    assert "Dates that matter:" in text
    assert "Dec 05, 2026: Promised: validation notice by 2026-12-05" in text
    assert "Dec 09, 2026: Last day to dispute in writing" in text


def test_json_export_is_exactly_what_json_dumps_writes() -> None:
    """The JSON export writes its indented text itself (fast); it must be json.dumps(indent=2) to the byte."""
    import json

    from coach.casefile.export import _indented, _NotPlain

    value = {
        "call": {
            "id": 3,
            "ended": None,
            "ok": True,
            "no": False,
            "text": 'quote " back\\slash \u00e9 \u2028 \x01',
        },
        "empty": {},
        "none": [],
        "list": [1, "two", {"three": [3, {"deep": "x"}]}, [], {}],
        "lines": ["a", 'b "c"', "\u00e9 %s %%"],
        "rows": [{"time": "10:00", "50% off": '%s "x"\n'}, {"time": "10:01", "50% off": "%(y)s"}],
        "rows in two orders": [{"a": "1", "b": "2"}, {"b": "2", "a": "1"}],
        "rows of two shapes": [{"a": "1"}, {"a": "1", "b": "2"}, {}],
        "rows not all text": [{"a": "1", "b": None}, {"a": "1", "b": 2}, {"a": True, "b": False}],
        "rows holding more": [{"a": "1", "b": [1]}, {"a": "1", "b": {"c": None}}],
        "one row": [{"only": "x"}],
    }
    assert _indented(value, "\n") == json.dumps(value, indent=2, ensure_ascii=False)
    with pytest.raises(_NotPlain):  # a float: json.dumps writes the whole document (to_json)
        _indented({"rows": [{"a": "1", "b": 2.5}, {"a": "1", "b": 2}]}, "\n")


def test_markdown_escaping_one_by_one_and_all_at_once_is_one_rule() -> None:
    """md and md_lines backslash every Markdown special character once, and put text on one line."""
    from coach.casefile.export import md, md_lines

    special = "\\`*_{}[]#|<>~"
    rule = str.maketrans({char: "\\" + char for char in special})
    texts = [
        HOSTILE,
        "back\\slash \\* already\nnew line\r\n  tabs\there \u2028 sep \x1c end ",
        "",
        "   ",
        "plain words",
        special * 2,
        "line 3 <b>{{ x }}</b> *y* [z]",
    ]
    expected = [" ".join(text.split()).translate(rule) for text in texts]
    assert [md(text) for text in texts] == expected
    assert md_lines(texts) == expected and md_lines([]) == []


def _call_with_heard_acceptance(playbook: Playbook, *, then_record: bool) -> int:
    store = Store.open()
    case_id = store.create_case({"account_number": "AC-1"}, "Midstate", "collections")
    call_id = store.start_call(case_id, "live", "collections")
    session = Session(
        playbook, "collections", {"balance": Decimal("2480")}, sink=store.sink_for(call_id), mode="live"
    )
    session.note("counter", "765")
    heard = session.hear("OK, I can accept 765 as a settlement in full")
    assert heard.data["intent"] == "accepted"
    if then_record:
        session.note("agreed", "765")
    session.end()
    store.end_call(call_id, "ended by user")
    store.close()
    return call_id


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
def test_an_acceptance_heard_but_not_recorded_is_a_next_step(playbook: Playbook, fmt: str) -> None:
    """Typing the next line instead of Enter on 'They agreed…' must not make the review forget the deal."""
    call_id = _call_with_heard_acceptance(playbook, then_record=False)
    shown = render_call(Store.open(), call_id, fmt)
    assert "They said they accept $765.00, but no agreement was recorded" in shown
    if fmt == "json":
        assert json.loads(shown)["heard_agreement"]["amount"] in ("765.00", 765, "765")


def test_a_recorded_agreement_replaces_the_heard_one(playbook: Playbook) -> None:
    call_id = _call_with_heard_acceptance(playbook, then_record=True)
    text = render_call(Store.open(), call_id, "text")
    assert "You agreed to $765.00" in text and "no agreement was recorded" not in text


@pytest.mark.parametrize("zone", ["UTC", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"])
def test_the_timeline_clock_is_the_local_time_of_day_across_a_clock_change(
    zone: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """build_review reads the time of day through time.localtime: the same as astimezone gives."""
    import datetime as dt
    import time

    from coach.casefile.review import build_review
    from coach.casefile.store import CallRecord

    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        starts = [dt.datetime(2026, 3, 8, 6, 0, tzinfo=dt.UTC), dt.datetime(2026, 4, 4, 14, 0, tzinfo=dt.UTC)]
        moments = [
            s + dt.timedelta(minutes=7 * i, microseconds=999_999 * (i % 2)) for s in starts for i in range(60)
        ]
        events = [Event(i, at, "step", "a", "a.b", f"step {i}") for i, at in enumerate(moments, 1)]
        call = CallRecord(1, None, "live", "collections", "", None, None)
        review = build_review(events, call, None)
        expected = [at.replace(microsecond=0).astimezone().strftime("%H:%M:%S") for at in moments]
        assert [entry.time for entry in review.timeline] == expected
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()


@pytest.mark.parametrize(
    "zone",
    ["America/New_York", "Australia/Lord_Howe", "Africa/Monrovia", "Asia/Kolkata", "right/America/New_York"],
)
def test_the_timeline_clock_is_each_seconds_local_time_in_minutes_with_a_clock_change(
    zone: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """build_review reads a minute's local time once, and each second of a minute with a clock change
    (a change of offset, Monrovia's -0:44:30 to UTC in 1972, a leap second of a right/ zone) by itself:
    every second shows what time.localtime gives for it."""
    import datetime as dt
    import time

    from coach.casefile.review import build_review
    from coach.casefile.store import CallRecord

    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
        changes = [1772953200, 1775314800, 63593070, 1483228826, -1_000_000_000, 0]  # and far off
        moments = [
            epoch + dt.timedelta(seconds=change + offset, microseconds=(offset * 7919) % 1_000_000)
            for change in changes
            for offset in range(-130, 130)
        ]
        moments += [epoch + dt.timedelta(seconds=s) for s in range(-2_000_000_000, 4_000_000_000, 9_999_991)]
        events = [Event(i, at, "step", "a", "a.b", f"step {i}") for i, at in enumerate(moments, 1)]
        review = build_review(events, CallRecord(1, None, "live", "collections", "", None, None), None)
        expected = [
            time.strftime("%H:%M:%S", time.localtime((at - epoch) // dt.timedelta(seconds=1)))
            for at in moments
        ]
        assert [entry.time for entry in review.timeline] == expected
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()


def test_the_review_dates_are_those_of_all_the_calls_events(playbook: Playbook) -> None:
    """load_review gives the case's dates only the notes that say one (promise, deadline): the same dates
    as from every event of the call, with a note of every kind."""
    from coach.casefile.review import case_dates, load_review, note_labels

    store = Store.open()
    case_id = store.create_case({"account_number": "AC-1", "balance": "2480"}, "St. Anne", "collections")
    call_id = store.start_call(case_id, "live", "collections")
    session = Session(playbook, "collections", {"balance": Decimal("2480")}, sink=store.sink_for(call_id))
    assert {"promise", "deadline"} < set(note_labels())
    for kind in note_labels():
        session.note(kind, f"{kind}: by 12/15/2026, or $300 on Jan 5 2027")
    session.hear("We'll send the letter by next Friday")
    session.end()
    store.end_call(call_id, "ended by user")
    case = store.case(case_id)
    everything = case_dates(case, [(call_id, store.events(call_id))], "collections")
    assert len(everything) >= 2 and load_review(store, call_id).deadlines == everything


def test_the_json_export_is_json_dumps_of_as_dict(recorded_call: int) -> None:
    """to_json writes the timeline from the entries themselves: still json.dumps(as_dict(...), indent=2)
    to the byte, for odd words, no timeline at all, and values no entry of a stored call has."""
    import dataclasses

    from coach.casefile.export import command, to_json
    from coach.casefile.review import TimelineEntry, as_dict, load_review

    review = load_review(Store.open(), recorded_call)
    odd = ['quote " back\\slash', "new\nline %s %% %(x)s", "\u00e9 \u2028 \x01", "", "}, {"]
    entries = [TimelineEntry(f"10:0{i}", text, text[::-1], "note") for i, text in enumerate(odd)]
    for timeline in (review.timeline, review.timeline + entries, entries[:1], []):
        shaped = dataclasses.replace(review, timeline=timeline)
        assert to_json(shaped) == json.dumps(as_dict(shaped, command), indent=2, ensure_ascii=False) + "\n"
    for value in (None, 7, True, ["a"], 2.5):  # not words: json.dumps writes the document
        shaped = dataclasses.replace(review, timeline=[*entries, TimelineEntry("10:09", "x", value, "note")])  # type: ignore[arg-type]
        assert to_json(shaped) == json.dumps(as_dict(shaped, command), indent=2, ensure_ascii=False) + "\n"


def test_markdown_whitespace_is_every_character_str_split_splits_on() -> None:
    """md_lines leaves texts as they are unless _loose finds whitespace md changes: its list of
    whitespace is str.isspace's, every character of it."""
    import sys

    from coach.casefile.export import _ASCII_SPACES, _SPACES, md, md_lines

    spaces = {char for char in map(chr, range(sys.maxunicode + 1)) if char.isspace()}
    assert set(_SPACES) == spaces - {" ", "\n"} and set(_ASCII_SPACES) == {c for c in _SPACES if c.isascii()}
    for space in sorted(spaces):
        for texts in (
            ["a", f"b{space}c", "d"],
            [f"{space}x"],
            [f"x{space}"],
            ["\u00e9", f"y{space}z"],
            ["", space],
        ):
            assert md_lines(texts) == [md(text) for text in texts], (space, texts)


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
def test_every_timeline_is_written_as_entry_by_entry(recorded_call: int, fmt: str) -> None:
    """The exports write a timeline's rows at once; the same text as the rules for one entry, for odd
    words (spaces, markup, the characters the HTML rows are joined by), none, and values no entry of a
    stored call has."""
    import dataclasses
    import html

    from coach.casefile.export import md, render_review
    from coach.casefile.review import TimelineEntry, load_review

    review = load_review(Store.open(), recorded_call)
    odd = [
        HOSTILE,
        "two  spaces",
        " lead",
        "trail ",
        "tab\there",
        "new\nline",
        "\x00\x01\x02 nul",
        "| pipe",
        "",
    ]
    entries = [TimelineEntry(f"10:0{i}", text[:7], text, "note") for i, text in enumerate(odd)]
    strange = [*entries, TimelineEntry("10:09", "x", 7, "note"), TimelineEntry(8, "y", "z", "note")]  # type: ignore[arg-type]
    timelines = [entries, entries[:1], [], review.timeline + entries]
    for timeline in timelines + ([strange] if fmt in ("text", "json") else []):  # (md and escape need words)
        shaped = dataclasses.replace(review, timeline=timeline)
        shown = render_review(shaped, fmt)
        if fmt == "text":
            width = min(18, max((len(str(t.who)) for t in timeline), default=0))
            rows = [f"  {t.time}  {t.who:<{width}} {t.text}" for t in timeline]
            assert shown.endswith("Timeline:\n" + "".join(row + "\n" for row in rows))
        elif fmt == "markdown":
            rows = [f"| {t.time} | {md(t.who)} | {md(t.text)} |" for t in timeline]
            assert shown.endswith("| --- | --- | --- |\n" + "".join(row + "\n" for row in rows))
        elif fmt == "html":
            e = html.escape
            rows = [
                f"<tr><td>{e(t.time)}</td><td>{e(t.who)}</td><td>{e(t.text)}</td></tr>\n" for t in timeline
            ]
            assert shown.endswith("<th>what</th></tr>\n" + "".join(rows) + "</table></body></html>\n")
        elif fmt == "json":
            assert json.loads(shown)["timeline"] == [t._asdict() for t in timeline]


def test_a_review_of_the_stored_rows_is_the_review_of_the_events(recorded_call: int) -> None:
    """load_review folds the stored rows (payloads decoded only where read); build_review folds Events:
    one review."""
    import dataclasses

    from coach.casefile.review import build_review, load_review

    store = Store.open()
    session_call = store.call(recorded_call)
    case = store.case(session_call.case_id) if session_call.case_id is not None else None
    loaded = load_review(store, recorded_call)
    built = build_review(store.events(recorded_call), session_call, case)
    assert loaded.timeline and loaded.offers and loaded.warnings is not None
    assert dataclasses.replace(loaded, deadlines=[], sides=[]) == built
