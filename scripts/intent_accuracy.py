"""How well ``coach hear`` places labelled lines: intent accuracy per intent, exact numbers, and speed.

    python scripts/intent_accuracy.py                 # every labelled file (tuned and held-out)
    python scripts/intent_accuracy.py FILE --misses   # one file, listing every miss
    python scripts/intent_accuracy.py --min 0.9       # exit 1 if any rep file is below 90 %

The patterns in dialogues/hear/ are tuned on tests/data/heard_lines.yaml; the
held-out files (heard_lines_holdout*.yaml, parts A to M) were each committed before
their first measurement. Their first-run figures are the honest ones (the header of
each file says whether later changes were informed by it); re-running shows where
they stand now. Numbers (amount, percent, monthly, months, refused, fee) count as
right only when exactly equal. User lines (files with ``speaker: user``) are
what the user says, for the rehearsal partner: here only their numbers are
scored (coach.hearing.reading reads the numbers; the partner decides their meaning).
A line may name ``offered``: the user's own offers so far in the call.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.dialogue.yamlload import load_yaml  # noqa: E402
from coach.hearing.intents import hear  # noqa: E402
from coach.hearing.patterns import INTENTS  # noqa: E402
from coach.hearing.reading import read_numbers  # noqa: E402

DATA = ROOT / "tests" / "data"
DEFAULT_FILES = (
    DATA / "heard_lines.yaml",
    *sorted(DATA.glob("heard_lines_holdout*.yaml")),
    DATA / "hear_user_lines.yaml",
    DATA / "hear_user_lines_holdout.yaml",
)
NUMBER_SLOTS = ("amount", "percent", "monthly", "months", "refused", "fee")


@dataclass
class Report:
    """Counts for one labelled file."""

    name: str
    user_lines: bool = False
    total: Counter[str] = field(default_factory=Counter)
    right: Counter[str] = field(default_factory=Counter)
    slots_total: int = 0
    slots_right: int = 0
    misses: list[str] = field(default_factory=list)
    micros: list[float] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return sum(self.right.values()) / max(1, sum(self.total.values()))


def _read(item: Any) -> tuple[Any, float]:
    """What coach makes of one labelled line, and how long it took (µs)."""
    offered = tuple(Decimal(str(amount)) for amount in item.get("offered", []))
    start = time.perf_counter()
    heard = hear(item["text"], item.get("counterpart"), user_offers=offered)
    return heard, (time.perf_counter() - start) * 1e6


def evaluate(path: Path) -> Report:
    """Run every labelled line in ``path`` through coach and count what it got right."""
    raw = load_yaml(path)
    report = Report(path.name, user_lines=raw.get("speaker") == "user")
    for item in raw["lines"]:
        heard, micros = _read(item)
        report.micros.append(micros)
        numbers = read_numbers(item["text"]) if report.user_lines else heard
        if not report.user_lines:
            expected = item["intent"]
            report.total[expected] += 1
            if heard.intent == expected:
                report.right[expected] += 1
            else:
                report.misses.append(f"line {item.line}: {expected} heard as {heard.intent}: {item['text']}")
        for slot in NUMBER_SLOTS:
            if slot in item:
                report.slots_total += 1
                got = getattr(numbers, slot)
                if got is not None and Decimal(str(got)) == Decimal(str(item[slot])):
                    report.slots_right += 1
                else:
                    report.misses.append(
                        f"line {item.line}: {slot} {item[slot]} read as {got}: {item['text']}"
                    )
    return report


def combined(name: str, parts: list[Report]) -> Report:
    """One report adding up several files (the held-out parts together)."""
    total = Report(name)
    for part in parts:
        total.total.update(part.total)
        total.right.update(part.right)
        total.slots_total += part.slots_total
        total.slots_right += part.slots_right
        total.micros += part.micros
    return total


def _cell(right: int, total: int) -> str:
    return f"{right:>3}/{total:<3} {100 * right / total:5.1f}%" if total else "—"


def _short(name: str) -> str:
    """A column title: "heard_lines_holdout_b.yaml" → "holdout_b", the tuned file → "tuned"."""
    if name == "heard_lines.yaml":
        return "tuned"
    if name == "all held-out":
        return name
    return name.removesuffix(".yaml").removeprefix("heard_lines_")[:17]


def table(reports: list[Report]) -> str:
    """One row per intent, one column per file: right/total and percent; then numbers and speed."""
    width = max(len(name) for name in INTENTS)
    header = f"{'intent':<{width}}" + "".join(f" | {_short(r.name):>17}" for r in reports)
    lines = [header, "-" * len(header)]
    for intent in INTENTS:
        cells = [_cell(r.right[intent], r.total[intent]) for r in reports]
        lines.append(f"{intent:<{width}}" + "".join(f" | {cell:>17}" for cell in cells))
    lines.append("-" * len(header))
    overall = [
        _cell(sum(r.right.values()), sum(r.total.values())) if not r.user_lines else "(numbers)"
        for r in reports
    ]
    lines.append(f"{'overall':<{width}}" + "".join(f" | {cell:>17}" for cell in overall))
    numbers = [_cell(r.slots_right, r.slots_total) for r in reports]
    lines.append(f"{'numbers exact':<{width}}" + "".join(f" | {cell:>17}" for cell in numbers))
    speed = [f"{statistics.median(r.micros):.0f} µs" if r.micros else "—" for r in reports]
    lines.append(f"{'median per line':<{width}}" + "".join(f" | {cell:>17}" for cell in speed))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="labelled YAML files (default: every one)")
    parser.add_argument("--misses", action="store_true", help="list every line it got wrong")
    parser.add_argument(
        "--min", type=float, default=None, help="exit 1 if any rep file's intent accuracy is below this"
    )
    args = parser.parse_args(argv)
    hear("warm up")  # the first call loads the intents file; don't count it as a line's time
    reports = [evaluate(path) for path in (args.files or DEFAULT_FILES)]
    held_out = [r for r in reports if "holdout" in r.name and not r.user_lines]
    if len(held_out) > 1:
        reports.append(combined("all held-out", held_out))
    print(table(reports))
    if args.misses:
        for report in reports:
            print(f"\n{report.name}: {len(report.misses)} miss(es)")
            for miss in report.misses:
                print(f"  {miss}")
    if args.min is not None and any(r.accuracy < args.min for r in reports if not r.user_lines):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
