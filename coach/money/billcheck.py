"""Check an itemized bill (CSV) for common errors, optionally against the insurer's EOB (CSV).

Columns are documented in docs/bill-check.md. Every finding says what and why,
in words a billing office understands, so it can go straight into a dispute letter.
Each finding is a question to ask, not proof of an error.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from coach.dialogue.facts import parse_date
from coach.errors import CoachError
from coach.money.amounts import format_money, parse_money, shown

ITEMIZED_COLUMNS = ("date", "code", "description", "units", "charge")
EOB_COLUMNS = ("date", "code", "billed", "allowed", "patient_responsibility")
KINDS = (
    "duplicate",
    "repeated-code",
    "outside-dates",
    "no-code",
    "billed-differs-from-eob",
    "differs-from-eob",
    "not-on-eob",
    "due-above-eob",
)


@dataclass(frozen=True)
class Line:
    """One line of the itemized bill; ``row`` is its line number in the CSV file."""

    row: int
    date: dt.date
    code: str
    description: str
    units: int
    charge: Decimal  # may be negative: a credit or adjustment line
    patient_due: Decimal | None = None  # optional column: what the bill asks you to pay for the line


@dataclass(frozen=True)
class EobLine:
    """One line of the Explanation of Benefits."""

    row: int
    date: dt.date
    code: str
    billed: Decimal
    allowed: Decimal
    patient_responsibility: Decimal


@dataclass(frozen=True)
class Finding:
    """Something to ask the billing office about; ``rows`` are itemized-bill rows.

    ``rows`` is empty for a finding about the bill as a whole (its total amount due).
    """

    kind: str
    rows: tuple[int, ...]
    text: str


def _rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """(line number, values by lower-case column) for each record; CoachError naming the file."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = [(h or "").strip().lower() for h in reader.fieldnames or []]
            missing = [c for c in columns if c not in header]
            if missing:
                raise CoachError(
                    f"{path}:1: missing column(s) {', '.join(missing)} (expected {','.join(columns)})"
                )
            reader.fieldnames = header
            rows = []
            for values in reader:
                cleaned = {k: v.strip() if isinstance(v, str) else "" for k, v in values.items() if k}
                if any(cleaned.values()):  # a row of empty cells (",,,,") is skipped like a blank line
                    rows.append((reader.line_num, cleaned))
            return rows
    except FileNotFoundError:
        raise CoachError(f"{path}: no such file") from None
    except OSError as error:
        raise CoachError(f"{path}: cannot read ({error.strerror or error})") from None
    except UnicodeDecodeError:
        raise CoachError(f"{path}: not a UTF-8 text file; save it as CSV (UTF-8)") from None
    except csv.Error as error:
        raise CoachError(f"{path}: cannot read as CSV ({error})") from None


def _money(path: Path, row: int, name: str, text: str, signed: bool = False) -> Decimal:
    """An amount from a cell; with ``signed``, ``-50.00`` and ``(50.00)`` are credits."""
    cleaned = text.strip()
    if not cleaned:
        raise CoachError(f"{path}:{row}: {name} is missing")
    negative = signed and (cleaned.startswith("-") or (cleaned.startswith("(") and cleaned.endswith(")")))
    if negative:
        cleaned = cleaned.strip("()").removeprefix("-")
    try:
        value = parse_money(cleaned)
    except ValueError:
        raise CoachError(f"{path}:{row}: {name} {shown(text)} is not an amount") from None
    return -value if negative else value


def _date(path: Path, row: int, text: str) -> dt.date:
    if not text.strip():
        raise CoachError(f"{path}:{row}: date is missing")
    try:
        return parse_date(text)
    except ValueError:
        raise CoachError(
            f"{path}:{row}: date {shown(text)} is not a date like 2026-03-01 or 3/1/2026"
        ) from None


def read_itemized(path: Path) -> list[Line]:
    """The itemized bill's lines; CoachError ``path:row: problem`` for a malformed file."""
    lines = []
    for row, values in _rows(path, ITEMIZED_COLUMNS):
        units_text = values["units"] or "1"
        if not units_text.isdecimal():
            raise CoachError(f"{path}:{row}: units {shown(units_text)} is not a whole number")
        due_text = values.get("patient_due", "")
        lines.append(
            Line(
                row,
                _date(path, row, values["date"]),
                values["code"].upper(),
                values["description"],
                int(units_text),
                _money(path, row, "charge", values["charge"], signed=True),
                _money(path, row, "patient_due", due_text) if due_text else None,
            )
        )
    return lines


def read_eob(path: Path) -> list[EobLine]:
    """The EOB's lines; CoachError ``path:row: problem`` for a malformed file."""
    return [
        EobLine(
            row,
            _date(path, row, v["date"]),
            v["code"].upper(),
            _money(path, row, "billed", v["billed"], signed=True),
            _money(path, row, "allowed", v["allowed"], signed=True),
            _money(path, row, "patient_responsibility", v["patient_responsibility"], signed=True),
        )
        for row, v in _rows(path, EOB_COLUMNS)
    ]


def _rows_text(rows: Iterable[int]) -> str:
    listed = list(rows)
    return f"row {listed[0]}" if len(listed) == 1 else f"rows {', '.join(map(str, listed))}"


def _total(amounts: Iterable[Decimal]) -> Decimal:
    return sum(amounts, Decimal(0))


def check(
    lines: list[Line],
    eob: list[EobLine] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    amount_due: Decimal | None = None,
) -> list[Finding]:
    """Every finding, ordered by the first itemized row it names (whole-bill findings last).

    The dates of service run from ``start`` to ``end``; a bound not given comes
    from the EOB's earliest or latest date, and without either there is no
    date check on that side. ``amount_due`` is the total the bill asks for; with
    an EOB, asking more than the EOB's total patient responsibility is a finding.
    """
    findings: list[Finding] = []

    def exact(line: Line) -> tuple[object, ...]:
        return (line.date, line.code, line.description.lower(), line.units, line.charge)

    copies = Counter(exact(line) for line in lines)
    for key, count in copies.items():
        if count > 1:
            same = [line for line in lines if exact(line) == key]
            rows = tuple(line.row for line in same)
            first = same[0]
            findings.append(
                Finding(
                    "duplicate",
                    rows,
                    f"Rows {', '.join(map(str, rows))} are the same charge ({first.code or 'no code'} "
                    f"{first.description}, {format_money(first.charge)} on {first.date}) listed {count} times; "
                    "ask them to remove the copies or explain each one.",
                )
            )
    by_code: dict[tuple[dt.date, str], list[Line]] = {}
    for line in lines:
        if line.code:
            by_code.setdefault((line.date, line.code), []).append(line)
    for (date, code), group in by_code.items():
        if len(group) > 1 and len({exact(line) for line in group}) > 1:  # pure copies are reported above
            findings.append(
                Finding(
                    "repeated-code",
                    tuple(line.row for line in group),
                    f"Code {code} appears {len(group)} times on {date} ({_rows_text(line.row for line in group)}); "
                    "ask whether each one is a separate service.",
                )
            )
    if eob:
        dates = [item.date for item in eob]
        start = start or min(dates)
        end = end or max(dates)
    for line in lines:
        if not line.code:
            findings.append(
                Finding(
                    "no-code",
                    (line.row,),
                    f"Row {line.row} ({line.description or 'no description'}, {format_money(line.charge)}) "
                    "has no billing code; ask for the CPT, HCPCS or revenue code.",
                )
            )
        if (start and line.date < start) or (end and line.date > end):
            span = f"{start or 'the start'} to {end or 'the end'}"
            findings.append(
                Finding(
                    "outside-dates",
                    (line.row,),
                    f"Row {line.row} is dated {line.date}, outside the dates of service ({span}); "
                    "ask what service it was and when.",
                )
            )
    if eob:
        findings.extend(_against_eob(lines, eob))
        if amount_due is not None:
            findings.extend(_due_against_eob(amount_due, eob))
    return sorted(findings, key=lambda f: (not f.rows, f.rows[0] if f.rows else 0, KINDS.index(f.kind)))


def _due_against_eob(amount_due: Decimal, eob: list[EobLine]) -> list[Finding]:
    """The bill's total due against the EOB's total patient responsibility.

    Only asking *more* is a finding: a bill that asks less usually reflects a
    payment already made (a copay at the visit, say).
    """
    owed = _total(item.patient_responsibility for item in eob)
    if amount_due <= owed:
        return []
    return [
        Finding(
            "due-above-eob",
            (),
            f"The bill asks {format_money(amount_due)} in all, but the EOB says you owe "
            f"{format_money(owed)} in all, {format_money(amount_due - owed)} less; ask them to explain "
            "the difference before you pay more than the EOB says.",
        )
    ]


def _against_eob(lines: list[Line], eob: list[EobLine]) -> list[Finding]:
    """Compare each (date, code) on the bill with the same on the EOB."""
    findings: list[Finding] = []
    on_eob: dict[tuple[dt.date, str], list[EobLine]] = {}
    for item in eob:
        on_eob.setdefault((item.date, item.code), []).append(item)
    on_bill: dict[tuple[dt.date, str], list[Line]] = {}
    for line in lines:
        if line.code:
            on_bill.setdefault((line.date, line.code), []).append(line)
    for (date, code), group in on_bill.items():
        rows = tuple(line.row for line in group)
        items = on_eob.get((date, code))
        if not items:
            findings.append(
                Finding(
                    "not-on-eob",
                    rows,
                    f"{code} on {date} ({_rows_text(rows)}) is not on the EOB; "
                    "ask whether it was sent to your insurer before you pay it.",
                )
            )
            continue
        eob_rows = ", ".join(str(item.row) for item in items)
        charged, billed = _total(line.charge for line in group), _total(item.billed for item in items)
        if charged != billed:
            findings.append(
                Finding(
                    "billed-differs-from-eob",
                    rows,
                    f"{code} on {date}: the bill charges {format_money(charged)}, but the insurer was billed "
                    f"{format_money(billed)} (EOB row {eob_rows}); ask why they differ.",
                )
            )
        dues = [line.patient_due for line in group if line.patient_due is not None]
        owed = _total(item.patient_responsibility for item in items)
        if dues and _total(dues) != owed:
            findings.append(
                Finding(
                    "differs-from-eob",
                    rows,
                    f"{code} on {date}: the EOB (row {eob_rows}) says you owe {format_money(owed)}, "
                    f"the bill asks {format_money(_total(dues))}; if the provider is in your plan's network, you generally owe no more than the EOB says.",
                )
            )
    return findings
