"""A call review as text, Markdown, JSON or one self-contained HTML file.

Everything a user or the other side said is escaped for the format it lands in:
HTML through ``html.escape``, Markdown with its special characters backslashed.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from itertools import chain, cycle
from operator import attrgetter
from typing import Any

from coach.casefile.actions import Action, Letter, worded
from coach.casefile.review import CallReview, TimelineEntry, as_dict, load_review, note_label
from coach.casefile.store import Store

FORMATS = ("text", "markdown", "json", "html")
_MARKDOWN_SPECIAL = "\\`*_{}[]#|<>~"  # the backslash first: the others' escapes are not escaped again
_MARKDOWN_ESCAPES = tuple((char, "\\" + char) for char in _MARKDOWN_SPECIAL)


def _backslashed(text: str) -> str:
    """Each Markdown special character with a backslash before it (a replace per character found:
    ``str.translate`` to two-character strings looks each character up, ten times slower)."""
    for char, escaped in _MARKDOWN_ESCAPES:
        if char in text:
            text = text.replace(char, escaped)
    return text


def md(text: str) -> str:
    """Escape Markdown syntax so user text shows literally, on one line (runs of spaces as one)."""
    return _backslashed(" ".join(text.split()))


def md_lines(texts: list[str]) -> list[str]:
    """``[md(text) for text in texts]``, escaped all at once: a 10,000-event timeline has 20,000
    cells. Each text is on one line once its spaces are collapsed, so they are escaped joined by
    newlines, and split apart again."""
    if not texts:
        return []
    joined = "\n".join(texts)
    if joined.count("\n") != len(texts) - 1 or _loose(joined):  # a text to put on one line
        joined = "\n".join([" ".join(text.split()) for text in texts])
    return _backslashed(joined).split("\n")


def _loose(joined: str) -> bool:
    """Whether texts joined by newlines (none in a text) have whitespace that md changes: two spaces, a
    space at either end of a text, or any whitespace but a space (``str.split``'s: _SPACES)."""
    if "  " in joined or " \n" in joined or "\n " in joined or joined[:1] == " " or joined[-1:] == " ":
        return True
    return any(space in joined for space in (_ASCII_SPACES if joined.isascii() else _SPACES))


_ASCII_SPACES = "\t\r\x0b\x0c\x1c\x1d\x1e\x1f"  # with " " and "\n", what str.isspace holds in ASCII
_SPACES = (
    _ASCII_SPACES
    + "\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def command(action: Action) -> str:
    """An action as the command line runs it: the wording of the printed and exported review, plan
    and dates (the app names its own keys: coach.tui.actions)."""
    if isinstance(action, Letter):
        ids = (f" --call {action.call}" if action.call is not None else "") + (
            f" --case {action.case}" if action.case is not None else ""
        )
        return f"coach letter {action.kind}{ids}"
    return "coach deadlines" + (f" --case {action.case}" if action.case is not None else "")


def steps(review: CallReview) -> list[str]:
    """The next steps, in the command line's words."""
    return [step.worded(command) for step in review.next_steps]


def dates(review: CallReview) -> list[str]:
    """The dates that matter, in the command line's words."""
    return [worded(line, command) for line in review.deadlines]


def when(stamp: str | None) -> str:
    """A stored UTC timestamp in the user's local time, to the minute."""
    if not stamp:
        return "no time recorded"
    import datetime as dt

    return dt.datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M %Z")


def _title(review: CallReview) -> str:
    call = review.call
    case = f" · case {review.case.id}: {review.case.label}" if review.case else ""
    return f"Call {call.id} · {call.mode} · {call.counterpart}{case}"


def span(review: CallReview) -> str:
    """When the call ran; a call with no end is said to be interrupted (killed or never closed)."""
    if review.call.ended is None:
        return f"Started {when(review.call.started)}; interrupted (no end was recorded)"
    return f"Started {when(review.call.started)}; ended {when(review.call.ended)}"


MONEY_KINDS = ("offer", "counter", "agreed")


def recorded(review: CallReview) -> list[tuple[str, str]]:
    """(label, value) of what was noted; amounts are left to the Money section when it is shown."""
    skip = MONEY_KINDS if (review.offers or review.agreed) else ()
    return [
        (note_label(kind), value)
        for kind, values in review.captured.items()
        if kind not in skip
        for value in values
    ]


def money_lines(review: CallReview) -> list[str]:
    """Every amount offered by each side, in order, and what was agreed."""
    lines = [f"Their offer: {o.describe()}" for o in review.offers_by("them")]
    lines += [f"My offer: {o.describe()}" for o in review.offers_by("user")]
    if review.agreed is not None:
        lines.append(f"Agreed: {review.agreed.describe()}")
    return lines


def to_text(review: CallReview) -> str:
    lines = [_title(review), span(review), ""]
    lines.append("What was recorded:")
    if not review.captured:
        lines.append("  (nothing: no rep name, reference number or offer was noted)")
    lines += [f"  {label}: {value}" for label, value in recorded(review)]
    if review.offers or review.agreed:
        lines += ["", "Money:"] + [f"  {line}" for line in money_lines(review)]
    if review.facts_changed:
        lines += ["", "Facts changed:"] + [f"  {change}" for change in review.facts_changed]
    if review.warnings:
        lines += ["", "Warnings shown:"] + [f"  ! {w}" for w in review.warnings]
    lines += ["", f"Reached: {review.reached}   Outcome: {review.outcome}"]
    if review.score:
        lines += ["", review.score]
    lines += ["", "Next steps:"] + [f"  - {step}" for step in steps(review)]
    if review.deadlines:
        lines += ["", "Dates that matter:"] + [f"  - {line}" for line in dates(review)]
    if review.sides:
        lines += ["", "The other side of this case:"] + [f"  - {line}" for line in review.sides]
    width = min(18, max((len(t.who) for t in review.timeline), default=0))
    lines += ["", "Timeline:"]
    times, whos, texts = _columns(review.timeline)
    if times and {type(value) for value in (*times, *whos, *texts)} == {str}:  # each line in one go (_woven)
        padded = {who: f"{who:<{width}}" for who in set(whos)}  # a call has a few whos
        lines.append(_woven((times, [padded[who] for who in whos], texts), ("\n  ", "  ", " "))[1:])
    else:
        lines += [f"  {t.time}  {t.who:<{width}} {t.text}" for t in review.timeline]
    return "\n".join(lines) + "\n"


def _columns(timeline: list[TimelineEntry]) -> tuple[Sequence[Any], Sequence[Any], Sequence[Any]]:
    """The times, whos and texts of a timeline's entries."""
    if {type(entry) for entry in timeline} == {TimelineEntry}:
        times, whos, texts, _ = zip(*timeline, strict=True) if timeline else ((), (), (), ())
        return times, whos, texts
    return [t.time for t in timeline], [t.who for t in timeline], [t.text for t in timeline]


def _woven(columns: tuple[Sequence[str], ...], before: tuple[str, ...]) -> str:
    """The columns' values row by row, each after its words in ``before``, joined: laid out in one list
    by slices, without a Python step per row (a timeline has 10,000). TypeError for a value that is no
    string; ValueError for columns of different lengths."""
    width, rows = len(columns), len(columns[0])
    out = [""] * (2 * width * rows)
    for at, (words, column) in enumerate(zip(before, columns, strict=True)):
        out[2 * at :: 2 * width] = [words] * rows
        out[2 * at + 1 :: 2 * width] = column
    return "".join(out)


def to_markdown(review: CallReview) -> str:
    lines = [
        f"# {md(_title(review))}",
        "",
        f"{span(review)}.",
    ]
    lines += ["", "## What was recorded", ""]
    if not review.captured:
        lines.append("Nothing: no rep name, reference number or offer was noted.")
    noted = recorded(review)
    cells = md_lines([label for label, _ in noted] + [value for _, value in noted])
    lines += [
        f"- **{label}:** {value}"
        for label, value in zip(cells[: len(noted)], cells[len(noted) :], strict=True)
    ]
    if review.offers or review.agreed:
        lines += ["", "## Money", ""] + [f"- {md(line)}" for line in money_lines(review)]
    if review.facts_changed:
        lines += ["", "## Facts changed", ""] + [f"- {md(change)}" for change in review.facts_changed]
    if review.warnings:
        lines += ["", "## Warnings shown", ""] + [f"- {md(w)}" for w in review.warnings]
    lines += ["", "## Outcome", "", f"Reached: {md(review.reached)}. {md(review.outcome)}"]
    if review.score:
        lines += ["", "## Scorecard", "", "```", review.score.replace("```", "'''"), "```"]
    lines += ["", "## Next steps", ""] + [f"- {md(step)}" for step in steps(review)]
    if review.deadlines:
        lines += ["", "## Dates that matter", ""] + [f"- {md(line)}" for line in dates(review)]
    if review.sides:
        lines += ["", "## The other side of this case", ""] + [f"- {md(line)}" for line in review.sides]
    lines += ["", "## Timeline", "", "| time | who | what |", "| --- | --- | --- |"]
    timeline = review.timeline
    times, whos, texts = _columns(timeline)
    cells = md_lines([*whos, *texts])
    if times and {type(time) for time in times} == {str}:  # the rows in one go (_woven)
        rows = _woven((times, cells[: len(timeline)], cells[len(timeline) :]), (" |\n| ", " | ", " | "))
        lines.append(rows[3:] + " |")
    else:
        lines += [
            f"| {t.time} | {who} | {text} |"
            for t, who, text in zip(timeline, cells[: len(timeline)], cells[len(timeline) :], strict=True)
        ]
    return "\n".join(lines) + "\n"


def to_json(review: CallReview) -> str:
    data = as_dict(review, command, timeline=False)
    data["timeline"] = _Timeline(review.timeline)  # as_dict's timeline, written from the entries
    try:
        return _indented(data, "\n") + "\n"
    except _NotPlain:
        return json.dumps(as_dict(review, command), indent=2, ensure_ascii=False) + "\n"


class _NotPlain(Exception):
    """A value _indented does not write itself (json.dumps then writes the whole document)."""


_encode_string = getattr(json.encoder, "c_encode_basestring", None) or json.encoder.py_encode_basestring


def _indented(value: Any, newline: str) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)``, character for character, but fast.

    With ``indent``, json falls back to its pure-Python encoder (about 0.3 s for a 10,000-event
    call); this writes the same text with the C string encoder and plain joins."""
    inner = newline + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        if not all(type(key) is str for key in value):
            raise _NotPlain
        items = [str(_encode_string(key)) + ": " + _indented(item, inner) for key, item in value.items()]
        return "{" + inner + ("," + inner).join(items) + newline + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        parts: Iterable[str]
        if all(type(item) is str for item in value):  # heard, captured: lines of text
            parts = map(_encode_string, value)
        elif type(value) is _Timeline:
            parts = (_entries(value, inner),)
        elif (rows := _rows(value, inner)) is not None:
            parts = rows
        else:
            parts = (_indented(item, inner) for item in value)
        return "[" + inner + ("," + inner).join(parts) + newline + "]"
    return _scalar(value)  # floats (NaN, Infinity), Decimals, anything else: _NotPlain, json's own rules


def _scalar(value: Any) -> str:
    """A string, None, a flag or a whole number as JSON; _NotPlain for anything else."""
    if isinstance(value, str):  # a str subclass too (json writes it as a string)
        return str(_encode_string(value))
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return int.__repr__(value)
    raise _NotPlain


def _rows(value: list[Any] | tuple[Any, ...], newline: str) -> list[str] | None:
    """A list of records (the timeline, the offers: dicts of the same keys, in the same order,
    every value a string, None, a flag or a whole number) written through one template; None for
    any other list."""
    first = value[0]
    if type(first) is not dict or not first or not all(type(key) is str for key in first):
        return None
    keys = tuple(first)
    if not all(type(item) is dict and tuple(item) == keys for item in value):
        return None
    values = [text for item in value for text in item.values()]
    if all(type(text) is str for text in values):
        encoded = list(map(_encode_string, values))
    else:  # offers: amounts as strings, flags, counts and None
        try:
            encoded = [_scalar(item) for item in values]
        except _NotPlain:
            return None
    inner = newline + "  "
    fields = ("," + inner).join(str(_encode_string(key)).replace("%", "%%") + ": %s" for key in keys)
    row = "{" + inner + fields + newline + "}"
    width = len(keys)
    return [row % tuple(encoded[at : at + width]) for at in range(0, len(encoded), width)]


class _Timeline(list[Any]):
    """A review's timeline entries in to_json's data: written as as_dict writes them (_entries)."""


def _entries(entries: _Timeline, newline: str) -> str:
    """The records of as_dict's timeline (time, who, text and kind of each entry), joined.

    Written at once, without a Python step per entry: each value encoded by json's C string encoder,
    after the words that come before it (a record's start and its key, or a key) in turn. _NotPlain
    if a value is not a string (json.dumps then writes the whole document)."""
    inner = newline + "  "
    keys = [f"{_encode_string(key)}: " for key in _TIMELINE_KEYS]
    before = [newline + "}," + newline + "{" + inner + keys[0], *("," + inner + key for key in keys[1:])]
    fields = entries if {type(entry) for entry in entries} == _ENTRIES else map(_TIMELINE_VALUES, entries)
    values = map(_encode_string, chain.from_iterable(fields))
    try:
        written = "".join(chain.from_iterable(zip(cycle(before), values)))
    except TypeError:  # a value that is no string
        raise _NotPlain from None
    return written[len(newline) * 2 + 2 :] + newline + "}"  # the first record starts at its brace


_TIMELINE_KEYS = ("time", "who", "text", "kind")  # as as_dict writes an entry
_TIMELINE_VALUES = attrgetter(*_TIMELINE_KEYS)
_ENTRIES = {TimelineEntry} if TimelineEntry._fields == _TIMELINE_KEYS else set()  # its values in that order


_STYLE = (
    "body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}"
    "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left;"
    "vertical-align:top}.warn{color:#8a1c1c}pre{background:#f4f4f4;padding:.5rem;white-space:pre-wrap}"
)


def to_html(review: CallReview) -> str:
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(_title(review))}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{e(_title(review))}</h1>",
        f"<p>{e(span(review))}.</p>",
        "<h2>What was recorded</h2><ul>",
    ]
    if not review.captured:
        parts.append("<li>Nothing: no rep name, reference number or offer was noted.</li>")
    parts += [f"<li><strong>{e(label)}:</strong> {e(value)}</li>" for label, value in recorded(review)]
    parts.append("</ul>")
    if review.offers or review.agreed:
        parts += ["<h2>Money</h2><ul>"] + [f"<li>{e(line)}</li>" for line in money_lines(review)] + ["</ul>"]
    if review.facts_changed:
        parts += ["<h2>Facts changed</h2><ul>"] + [f"<li>{e(c)}</li>" for c in review.facts_changed]
        parts.append("</ul>")
    if review.warnings:
        parts += ["<h2>Warnings shown</h2><ul>"] + [f'<li class="warn">{e(w)}</li>' for w in review.warnings]
        parts.append("</ul>")
    parts.append(f"<h2>Outcome</h2><p>Reached: {e(review.reached)}. {e(review.outcome)}</p>")
    if review.score:
        parts.append(f"<h2>Scorecard</h2><pre>{e(review.score)}</pre>")
    parts += ["<h2>Next steps</h2><ul>"] + [f"<li>{e(step)}</li>" for step in steps(review)] + ["</ul>"]
    if review.deadlines:
        parts += (
            ["<h2>Dates that matter</h2><ul>"] + [f"<li>{e(line)}</li>" for line in dates(review)] + ["</ul>"]
        )
    if review.sides:
        parts += (
            ["<h2>The other side of this case</h2><ul>"]
            + [f"<li>{e(s)}</li>" for s in review.sides]
            + ["</ul>"]
        )
    parts.append("<h2>Timeline</h2><table><tr><th>time</th><th>who</th><th>what</th></tr>")
    cells = _escaped(review.timeline)
    if cells:  # the rows in one go (_woven)
        columns = (cells[0::3], cells[1::3], cells[2::3])
        rows = _woven(columns, ("</td></tr>\n<tr><td>", "</td><td>", "</td><td>"))
        parts.append(rows[len("</td></tr>\n") :] + "</td></tr>")
    elif cells is None:
        parts += [
            f"<tr><td>{e(t.time)}</td><td>{e(t.who)}</td><td>{e(t.text)}</td></tr>" for t in review.timeline
        ]
    parts.append("</table></body></html>")
    return "\n".join(parts) + "\n"


def _escaped(timeline: list[TimelineEntry]) -> list[str] | None:
    """Each entry's time, who and text through ``html.escape``, in that order, escaped at once: joined
    by a character none has (escape changes only & < > " ', one by one), and split again. None when
    a value is no string, or every character tried is in one."""
    times, whos, texts = _columns(timeline)
    cells = list(chain.from_iterable(zip(times, whos, texts, strict=True)))
    if not cells:
        return []
    if {type(cell) for cell in cells} != {str}:
        return None
    for mark in "\x00\x01\x02":
        joined = mark.join(cells)
        if joined.count(mark) == len(cells) - 1:
            return html.escape(joined).split(mark)
    return None


RENDERERS: dict[str, Any] = {"text": to_text, "markdown": to_markdown, "json": to_json, "html": to_html}


def render_review(review: CallReview, fmt: str) -> str:
    return str(RENDERERS[fmt](review))


def render_call(store: Store, call_id: int, fmt: str) -> str:
    """Load a stored call and render it in one format."""
    return render_review(load_review(store, call_id), fmt)
