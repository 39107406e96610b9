"""``coach bill-check``: look for errors in an itemized bill, optionally against the EOB."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from coach.billcheck import check, read_eob, read_itemized
from coach.errors import CoachError
from coach.playbook import parse_date


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("itemized", type=Path, help="the itemized bill as CSV (see docs/bill-check.md)")
    parser.add_argument("--eob", type=Path, help="the insurer's Explanation of Benefits as CSV")
    parser.add_argument("--from", dest="start", help="first date of service")
    parser.add_argument("--to", dest="end", help="last date of service")
    parser.add_argument("--json", action="store_true", help="findings as JSON")


def run(args: argparse.Namespace) -> int:
    try:
        start = parse_date(args.start) if args.start else None
        end = parse_date(args.end) if args.end else None
    except ValueError as error:
        raise CoachError(f"--from/--to: {error}") from None
    lines = read_itemized(args.itemized)
    eob = read_eob(args.eob) if args.eob else None
    findings = check(lines, eob, start, end)
    if args.json:
        print(
            json.dumps([{"kind": f.kind, "rows": list(f.rows), "text": f.text} for f in findings], indent=2)
        )
        return 0
    if not findings:
        print(f"No problems found in {len(lines)} lines. Still compare the bill with your EOB line by line.")
    for finding in findings:
        print(f"{args.itemized}:{finding.rows[0]}: {finding.text}")
    if findings:
        print(
            "Send these to the billing office in writing and ask for a corrected bill (coach letter itemized)."
        )
    return 0
