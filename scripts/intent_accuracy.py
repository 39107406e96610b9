"""How well ``coach hear`` places labelled lines: accuracy per intent, as a table.

    python scripts/intent_accuracy.py                 # the tuned set and the holdout
    python scripts/intent_accuracy.py FILE --misses   # one file, listing every miss
    python scripts/intent_accuracy.py --min 0.9       # exit 1 if any file is below 90 %

The patterns in dialogues/hear/intents.yaml are tuned on tests/data/heard_lines.yaml;
tests/data/heard_lines_holdout.yaml is never tuned on, so its figure is the honest one.
Numbers (amount, percent, monthly, months) are scored separately, on the lines that
give them.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.intents import INTENTS, SLOTS, hear  # noqa: E402
from coach.yamlload import load_yaml  # noqa: E402

DATA = ROOT / "tests" / "data"
DEFAULT_FILES = (DATA / "heard_lines.yaml", DATA / "heard_lines_holdout.yaml")


@dataclass
class Report:
    """Counts for one labelled file."""

    name: str
    total: Counter[str] = field(default_factory=Counter)
    right: Counter[str] = field(default_factory=Counter)
    slots_total: int = 0
    slots_right: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return sum(self.right.values()) / max(1, sum(self.total.values()))


def evaluate(path: Path) -> Report:
    """Run every labelled line in ``path`` through hear() and count what it got right."""
    report = Report(path.name)
    for item in load_yaml(path)["lines"]:
        expected = item["intent"]
        offered = tuple(Decimal(str(amount)) for amount in item.get("offered", []))
        heard = hear(item["text"], item.get("counterpart"), user_offers=offered)
        report.total[expected] += 1
        if heard.intent == expected:
            report.right[expected] += 1
        else:
            report.misses.append(f"line {item.line}: {expected} heard as {heard.intent}: {item['text']}")
        for slot in SLOTS:
            if slot in item:
                report.slots_total += 1
                got = getattr(heard, slot)
                if got is not None and Decimal(str(got)) == Decimal(str(item[slot])):
                    report.slots_right += 1
                else:
                    report.misses.append(
                        f"line {item.line}: {slot} {item[slot]} read as {got}: {item['text']}"
                    )
    return report


def table(reports: list[Report]) -> str:
    """One row per intent, one column per file: right/total and percent."""
    width = max(len(name) for name in INTENTS)
    header = f"{'intent':<{width}}" + "".join(f" | {r.name:>26}" for r in reports)
    lines = [header, "-" * len(header)]
    for intent in INTENTS:
        cells = []
        for report in reports:
            total = report.total[intent]
            cells.append(
                f"{report.right[intent]:>3}/{total:<3} {100 * report.right[intent] / total:5.1f}%"
                if total
                else "—"
            )
        lines.append(f"{intent:<{width}}" + "".join(f" | {cell:>26}" for cell in cells))
    lines.append("-" * len(header))
    overall = [
        f"{sum(r.right.values()):>3}/{sum(r.total.values()):<3} {100 * r.accuracy:5.1f}%" for r in reports
    ]
    lines.append(f"{'overall':<{width}}" + "".join(f" | {cell:>26}" for cell in overall))
    numbers = [
        f"{r.slots_right:>3}/{r.slots_total:<3} {100 * r.slots_right / max(1, r.slots_total):5.1f}%"
        for r in reports
    ]
    lines.append(f"{'numbers read right':<{width}}" + "".join(f" | {cell:>26}" for cell in numbers))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="labelled YAML files (default: tuned + holdout)")
    parser.add_argument("--misses", action="store_true", help="list every line it got wrong")
    parser.add_argument(
        "--min", type=float, default=None, help="exit 1 if any file's overall accuracy is below this"
    )
    args = parser.parse_args(argv)
    reports = [evaluate(path) for path in (args.files or DEFAULT_FILES)]
    print(table(reports))
    if args.misses:
        for report in reports:
            print(f"\n{report.name}: {len(report.misses)} miss(es)")
            for miss in report.misses:
                print(f"  {miss}")
    if args.min is not None and any(r.accuracy < args.min for r in reports):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
