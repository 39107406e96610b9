"""Dates that matter for a case, computed from its facts and its calls' events.

Each deadline carries where it comes from (a rule with its citation, or the
call where it was promised). ``to_ics`` writes them as all-day iCalendar events.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from typing import Any

from coach.casefile.actions import Letter, Namer, Text, Words, parts, worded
from coach.money.derive import add_business_days, assistance_deadline, gfe_dispute_deadline, validation_end
from coach.session.events import Event
from coach.session.payloads import NoteData

MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_US = re.compile(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?\b")
_WORDS = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b",
    re.I,
)
_RELATIVE = re.compile(r"\b(?:in|within)\s+(\d{1,3})\s+(business\s+days?|days?|weeks?)\b", re.I)
_TOMORROW = re.compile(r"\btomorrow\b", re.I)


@dataclass(frozen=True)
class Deadline:
    """A date (None when a promise named none), what it is, and why coach lists it.

    The texts may point at a letter (coach.casefile.actions), which each front end words for itself;
    ``what`` is the first as the command line prints it."""

    due: dt.date | None
    words: Text  # what it is
    source: Text
    after: Text = ""  # what to do once the date has passed ("" = nothing more to say than "passed")

    @property
    def what(self) -> str:
        """What it is, as ``coach deadlines`` and the calendar file say it."""
        from coach.casefile.export import command

        return worded(self.words, command)

    def passed(self, today: dt.date) -> bool:
        return self.due is not None and self.due < today

    def status(self, today: dt.date) -> Words:
        """Nothing while the date is ahead; once behind, "(passed)" and what to do now."""
        if not self.passed(today):
            return ()
        return ("(passed) ", *parts(self.after)) if self.after else ("(passed)",)


def plus_days(day: dt.date, days: int) -> dt.date | None:
    """``day`` + ``days``, or None past the calendar's end (a stored year-9999 date must not stop
    ``coach deadlines`` for every case)."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return None


def stored_date(text: str | None) -> dt.date | None:
    """A saved deadline's ``due`` text as a date; None when empty or not a date (an old or hand-edited
    store), so one bad row shows as "no date given" instead of ending the command."""
    try:
        return dt.date.fromisoformat(text) if text else None
    except (TypeError, ValueError):
        return None


def _this_or_next_year(said_on: dt.date, month: int, day: int) -> dt.date:
    """A date said without a year: the next one on or after about two months before the call."""
    found = dt.date(said_on.year, month, day)
    if found < said_on - dt.timedelta(days=60):
        found = found.replace(year=said_on.year + 1)  # "Jan 5" said in December means next year
    return found


def find_date(text: str, said_on: dt.date) -> dt.date | None:
    """The first date in a note, read as said on ``said_on``; None if there is none.

    Understands "2026-12-05", "12/5/2026", "12/5", "Dec 5", "December 5, 2026",
    "tomorrow", and "in 10 days" / "within 2 weeks" / "within 5 business days".
    """
    try:
        if match := _ISO.search(text):
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        if match := _US.search(text):
            if not match[3]:
                return _this_or_next_year(said_on, int(match[1]), int(match[2]))
            year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
            return dt.date(year, int(match[1]), int(match[2]))
        if match := _WORDS.search(text):
            month, day = MONTHS[match[1].lower()[:3]], int(match[2])
            if match[3]:
                return dt.date(int(match[3]), month, day)
            return _this_or_next_year(said_on, month, day)
    except ValueError:  # 13/45, Feb 30: not a date
        return None
    if match := _RELATIVE.search(text):
        count, unit = int(match[1]), match[2].lower()
        try:
            if unit.startswith("business"):
                return add_business_days(said_on, count)
        except OverflowError:
            return None
        return plus_days(said_on, count * (7 if unit.startswith("week") else 1))
    if _TOMORROW.search(text):
        return plus_days(said_on, 1)
    return None


def case_deadlines(
    facts: dict[str, Any], counterpart: str | None, calls: list[tuple[int, list[Event]]], today: dt.date
) -> list[Deadline]:
    """Every deadline for a case: from the rules, from agreed dates, and from what calls promised.

    ``today`` only orders undated items; dates in notes are read relative to the
    day each note was made.
    """
    found: list[Deadline] = []
    if isinstance(court := facts.get("court_deadline"), dt.date):
        found.append(
            Deadline(
                court,
                "Answer the court papers by this date, or you may lose by default: see a lawyer or legal aid now",
                "the summons or complaint you received",
            )
        )
    if (end := validation_end(facts, counterpart or "")) is not None:
        found.append(
            Deadline(
                end,
                "Last day to dispute in writing / ask for the original creditor (validation period)",
                "12 CFR 1006.34(b)(5), 1006.38; receipt assumed 5 business days after sending",
                (
                    "You can still dispute in writing: the collector need not pause collection, but if it "
                    "reports the debt it must show it as disputed (15 U.S.C. 1692e(8)). ",
                    Letter("validation"),
                ),
            )
        )
    if (window := assistance_deadline(facts, counterpart or "")) is not None:
        found.append(
            Deadline(
                window,
                "Financial assistance: a nonprofit hospital must accept your application until at least "
                "this date; apply as early as you can",
                "26 CFR 1.501(r)-6: at least 240 days from the first bill after discharge, a minimum, "
                "not a cut-off; some states allow longer",
                "Apply anyway: the 240 days are the least a nonprofit hospital must allow. Its own policy "
                "may allow longer, and some states do (New York: any time during collections).",
            )
        )
    if (gfe := gfe_dispute_deadline(facts, counterpart or "")) is not None and facts.get("insured") is False:
        found.append(
            Deadline(
                gfe,
                "Self-pay: dispute a bill $400+ over the good faith estimate by this date",
                "CMS patient-provider dispute resolution: 120 calendar days from the bill; $25 fee",
            )
        )
    found += insurer_deadlines(facts)
    if isinstance(due := facts.get("payment_due_date"), dt.date):
        found.append(
            Deadline(
                due,
                "Agreed payment due: pay only once the signed agreement is in hand",
                ("the terms you agreed (", Letter("confirmation"), ")"),
            )
        )
    if isinstance(paid := facts.get("paid_date"), dt.date):
        found.append(
            Deadline(
                plus_days(paid, 30),
                "Check your credit reports: is the paid account updated or removed?",
                "30-60 days after paying; NCRA policy since 2022-07-01: paid medical collections removed",
            )
        )
        found.append(
            Deadline(
                plus_days(paid, 60),
                ("Check your credit reports again; dispute if still wrong (", Letter("credit-dispute"), ")"),
                "FCRA 15 U.S.C. 1681i",
            )
        )
    for call_id, events in calls:
        for event in events:
            if event.kind != "note":  # the payload is read only for notes: a call has 10,000 events
                continue
            kind = event.payload.kind if isinstance(event.payload, NoteData) else None
            if kind in ("promise", "deadline"):
                label = "Promised" if kind == "promise" else "Deadline"
                said_on = event.at.astimezone().date()
                found.append(
                    Deadline(
                        find_date(event.text, said_on),
                        f"{label}: {event.text}",
                        f"call {call_id}, {said_on:%b %d, %Y}",
                    )
                )
    return sorted(found, key=lambda d: (d.due is None, d.due or today, d.what))


def insurer_deadlines(facts: dict[str, Any]) -> list[Deadline]:
    """The insurer's side of a case: the appeal deadline, and the answers the letters ask for by a date."""
    from coach.dialogue.appeals import appeal_deadline, rule_for

    found: list[Deadline] = []
    rule = rule_for(facts)
    if (appeal := appeal_deadline(facts)) is not None and rule is not None:
        appeal_by = f"Appeal the denied claim {facts.get('claim_number') or ''} by this date ("
        found.append(
            Deadline(
                appeal,
                (
                    appeal_by.replace("  ", " "),
                    Letter("appeal"),
                    "); the date on your denial notice wins over coach's count",
                ),
                rule.source,
                "Ask the insurer whether it will still take the appeal (some accept a late one for good "
                "cause); your state's consumer assistance program or insurance department can help.",
            )
        )
    if isinstance(sent := facts.get("claim_file_sent"), dt.date) and facts.get("plan_type") == "job-based":
        found.append(
            Deadline(
                sent + dt.timedelta(days=30),
                ("Plan documents due from the plan administrator (", Letter("claim-file"), ")"),
                "29 U.S.C. 1024(b)(4) and 1132(c): 30 days after a written request (job-based plans)",
                "Write again and keep a copy; a plan administrator can owe a daily penalty for late documents.",
            )
        )
    if isinstance(sent := facts.get("appeal_sent"), dt.date):
        urgent = facts.get("health_at_risk") is True
        found.append(
            Deadline(
                sent + dt.timedelta(days=3 if urgent else 60),
                "The insurer's decision on your appeal is due"
                + (" (urgent: 72 hours)" if urgent else " (care already received: 60 days)"),
                "29 CFR 2560.503-1(i)(2) and 45 CFR 147.136(b): 72 hours for urgent care, 60 days after care; "
                "Medicare and Medicaid plans have their own clocks; a missed deadline: 29 CFR 2560.503-1(l)",
                "Call and ask for the decision in writing; a plan that misses its deadline may let you go "
                "straight to external review.",
            )
        )
    return found


def _ics_text(text: str) -> str:
    """RFC 5545 TEXT: backslash, semicolon and comma escaped; line breaks as \\n."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """RFC 5545 lines are at most 75 octets; longer ones continue with a leading space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return [line]
    parts: list[str] = []
    current = b""
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += piece
    parts.append(current.decode("utf-8"))
    return [parts[0]] + [" " + p for p in parts[1:]]


def to_ics(
    entries: list[tuple[str, Deadline]], now: dt.datetime | None = None, name: Namer | None = None
) -> str:
    """Dated deadlines as an iCalendar file: all-day events, CRLF line ends, folded lines.

    ``entries`` pairs each deadline with its case's label. A UID is derived from
    case, date and text, so importing a fresh file again updates the same events.
    ``name`` words the letters the texts point at (default: as the command line prints them).
    """
    if name is None:
        from coach.casefile.export import command

        name = command
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//coach//medical bill deadlines//EN",
        "CALSCALE:GREGORIAN",
    ]
    for case_label, deadline in entries:
        end = plus_days(deadline.due, 1) if deadline.due is not None else None
        if deadline.due is None or end is None:
            continue
        what, source = worded(deadline.words, name), worded(deadline.source, name)
        key = f"{case_label}|{deadline.due}|{what}"
        uid = hashlib.sha256(key.encode()).hexdigest()[:24]
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}@coach.local",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{deadline.due:%Y%m%d}",
            f"DTEND;VALUE=DATE:{end:%Y%m%d}",
            f"SUMMARY:{_ics_text(what)}",
            f"DESCRIPTION:{_ics_text(f'{case_label}. Source: {source}')}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(folded + "\r\n" for line in lines for folded in _fold(line))
