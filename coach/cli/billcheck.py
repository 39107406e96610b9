"""``coach bill-check``: look for errors in an itemized bill, optionally against the EOB."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from coach.dialogue.facts import parse_date
from coach.errors import CoachError
from coach.money.amounts import parse_money, shown
from coach.money.billcheck import check, read_eob, read_itemized
from coach.termtext import printable


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("itemized", type=Path, help="the itemized bill as CSV (columns: docs/bill-check.md)")
    parser.add_argument("--eob", type=Path, help="the insurer's Explanation of Benefits as CSV")
    parser.add_argument("--from", dest="start", metavar="DATE", help="first date of service, e.g. 2025-06-14")
    parser.add_argument("--to", dest="end", metavar="DATE", help="last date of service, e.g. 2025-06-16")
    parser.add_argument(
        "--due", metavar="AMOUNT", help="the total the bill asks you to pay, checked against the EOB"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def _date(flag: str, text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return parse_date(text)
    except ValueError:
        raise CoachError(f"{flag}: {shown(text)} is not a date like 2026-03-01 or 3/1/2026") from None


def _due(text: str | None, has_eob: bool) -> Decimal | None:
    if text is None:
        return None
    if not has_eob:
        raise CoachError("--due: needs --eob (the amount due is checked against the EOB)")
    try:
        return parse_money(text)
    except ValueError:
        raise CoachError(f"--due: {shown(text)} is not an amount like $1,234.50") from None


def run(args: argparse.Namespace) -> int:
    start, end = _date("--from", args.start), _date("--to", args.end)
    if start is not None and end is not None and start > end:
        raise CoachError(f"--to: {end} is before --from {start}")
    due = _due(args.due, args.eob is not None)
    lines = read_itemized(args.itemized)
    eob = read_eob(args.eob) if args.eob else None
    findings = check(lines, eob, start, end, due)
    if args.json:
        data = {
            "file": str(args.itemized),
            "lines": len(lines),
            "findings": [{"kind": f.kind, "rows": list(f.rows), "text": f.text} for f in findings],
        }
        print(json.dumps(data, indent=2))
        return 0
    if not findings:
        print(f"No problems found in {len(lines)} lines. Still compare the bill with your EOB line by line.")
        return 0
    for finding in findings:
        where = f"{args.itemized}:{finding.rows[0]}" if finding.rows else str(args.itemized)
        print(printable(f"{where}: {finding.text}"))
    print("Send these to the billing office in writing and ask for a corrected bill (coach letter itemized).")
    return 0
