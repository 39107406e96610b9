"""Check an itemized bill (CSV) for common errors, optionally against the insurer's EOB (CSV).

Columns are documented in docs/bill-check.md. Every finding says what and why,
in words a billing office understands, for the dispute letter.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from coach.errors import CoachError
from coach.money import format_money, parse_money
from coach.playbook import parse_date

ITEMIZED_COLUMNS = ("date", "code", "description", "units", "charge")
EOB_COLUMNS = ("date", "code", "billed", "allowed", "patient_responsibility")


@dataclass(frozen=True)
class Line:
    row: int
    date: dt.date
    code: str
    description: str
    units: int
    charge: Decimal
    patient_due: Decimal | None = None  # optional column: what the bill asks you to pay for the line


@dataclass(frozen=True)
class EobLine:
    row: int
    date: dt.date
    code: str
    billed: Decimal
    allowed: Decimal
    patient_responsibility: Decimal


@dataclass(frozen=True)
class Finding:
    kind: str
    rows: tuple[int, ...]
    text: str


def _rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = [h.strip().lower() for h in reader.fieldnames or []]
            missing = [c for c in columns if c not in header]
            if missing:
                raise CoachError(
                    f"{path}:1: missing column(s) {', '.join(missing)} (expected {','.join(columns)})"
                )
            reader.fieldnames = header
            return [
                (number, {k: (v or "").strip() for k, v in row.items() if k})
                for number, row in enumerate(reader, 2)
            ]
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise CoachError(f"{path}:1: cannot read as CSV ({error})") from None


def _money(path: Path, row: int, name: str, text: str) -> Decimal:
    try:
        return parse_money(text)
    except ValueError:
        raise CoachError(f"{path}:{row}: {name} '{text}' is not an amount") from None


def _date(path: Path, row: int, text: str) -> dt.date:
    try:
        return parse_date(text)
    except ValueError:
        raise CoachError(f"{path}:{row}: date '{text}' is not a date like 2026-03-01") from None


def read_itemized(path: Path) -> list[Line]:
    lines = []
    for row, values in _rows(path, ITEMIZED_COLUMNS):
        units_text = values["units"] or "1"
        if not units_text.isdigit():
            raise CoachError(f"{path}:{row}: units '{units_text}' is not a whole number")
        due_text = values.get("patient_due", "")
        due = _money(path, row, "patient_due", due_text) if due_text else None
        lines.append(
            Line(
                row,
                _date(path, row, values["date"]),
                values["code"].upper(),
                values["description"],
                int(units_text),
                _money(path, row, "charge", values["charge"]),
                due,
            )
        )
    return lines


def read_eob(path: Path) -> list[EobLine]:
    return [
        EobLine(
            row,
            _date(path, row, v["date"]),
            v["code"].upper(),
            _money(path, row, "billed", v["billed"]),
            _money(path, row, "allowed", v["allowed"]),
            _money(path, row, "patient_responsibility", v["patient_responsibility"]),
        )
        for row, v in _rows(path, EOB_COLUMNS)
    ]


def check(
    lines: list[Line],
    eob: list[EobLine] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> list[Finding]:
    """Every finding, in row order."""
    findings: list[Finding] = []
    exact = Counter((ln.date, ln.code, ln.description, ln.units, ln.charge) for ln in lines)
    for key, count in exact.items():
        if count > 1:
            rows = tuple(
                ln.row for ln in lines if (ln.date, ln.code, ln.description, ln.units, ln.charge) == key
            )
            findings.append(
                Finding(
                    "duplicate",
                    rows,
                    f"Rows {', '.join(map(str, rows))} are the same charge "
                    f"({key[1]} {key[2]}, {format_money(key[4])}) listed {count} times.",
                )
            )
    by_code: dict[tuple[dt.date, str], list[Line]] = {}
    for line in lines:
        if line.code:
            by_code.setdefault((line.date, line.code), []).append(line)
    for (date, code), group in by_code.items():
        distinct = {(ln.description, ln.units, ln.charge) for ln in group}
        if len(group) > 1 and len(distinct) > 1:  # exact copies are reported as duplicates above
            rows = tuple(ln.row for ln in group)
            findings.append(
                Finding(
                    "repeated-code",
                    rows,
                    f"Code {code} appears {len(group)} times on {date} (rows {', '.join(map(str, rows))}): ask why.",
                )
            )
    if eob and (start is None or end is None):
        dates = [e.date for e in eob]
        start, end = start or min(dates), end or max(dates)
    for line in lines:
        if not line.code:
            findings.append(
                Finding(
                    "no-code",
                    (line.row,),
                    f"Row {line.row} ({line.description}) has no billing code; ask for it.",
                )
            )
        if start and end and not start <= line.date <= end:
            findings.append(
                Finding(
                    "outside-dates",
                    (line.row,),
                    f"Row {line.row} is dated {line.date}, outside the dates of service {start} to {end}.",
                )
            )
    if eob:
        for item in eob:
            matching = [
                ln
                for ln in lines
                if (ln.date, ln.code) == (item.date, item.code) and ln.patient_due is not None
            ]
            due = [ln.patient_due for ln in matching if ln.patient_due is not None]
            if due and sum(due, Decimal(0)) != item.patient_responsibility:
                rows = tuple(ln.row for ln in matching)
                findings.append(
                    Finding(
                        "differs-from-eob",
                        rows,
                        f"{item.code} on {item.date}: the EOB (row {item.row}) says you owe "
                        f"{format_money(item.patient_responsibility)}, the bill asks {format_money(sum(due, Decimal(0)))}.",
                    )
                )
    return sorted(findings, key=lambda f: (f.rows[0], f.kind))
