"""``coach case``: the case file — one bill or debt, its facts, calls and deadlines.

Export writes one JSON file per case (for moving machines or sharing with an
advocate); import checks the whole file before it touches the store.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from coach.casefile.safewrite import write_private
from coach.casefile.store import CallRecord, CaseRecord, Store, now_utc
from coach.dialogue.counterparts import CHOICES as COUNTERPARTS
from coach.dialogue.facts import facts_from_json, parse_fact, read_facts_file, sane_date
from coach.dialogue.playbook import load_playbook
from coach.dialogue.schema import Playbook
from coach.errors import CoachError
from coach.money.amounts import parse_money, shown
from coach.paths import dialogues_dir
from coach.session.engine import show_value
from coach.session.events import Event, jsonable
from coach.termtext import has_control, printable

EXPORT_FORMAT = "coach-case"
EXPORT_VERSION = 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    new = actions.add_parser("new", help="start a case file")
    _fact_flags(new)
    new.add_argument("--label", help="a name for the case, e.g. 'St. Anne ER visit'")
    new.add_argument("--counterpart", choices=COUNTERPARTS, help="who you deal with")
    actions.add_parser("list", help="list cases")
    show = actions.add_parser("show", help="show a case's facts and calls")
    show.add_argument("id", type=int)
    edit = actions.add_parser("edit", help="change a case's facts")
    edit.add_argument("id", type=int)
    _fact_flags(edit)
    edit.add_argument("--label", help="rename the case")
    edit.add_argument("--unset", action="append", default=[], metavar="NAME", help="forget a fact")
    export = actions.add_parser("export", help="write a case, its calls and events to one JSON file")
    export.add_argument("id", type=int)
    export.add_argument("file", type=Path)
    export.add_argument("--force", action="store_true", help="replace FILE if it already exists")
    imported = actions.add_parser("import", help="read a case exported by coach case export")
    imported.add_argument("file", type=Path)


def _fact_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", help="a fact (repeatable)"
    )
    parser.add_argument("--facts", type=Path, metavar="FILE.yaml", help="facts from a YAML file")


def parse_sets(pairs: list[str], playbook: Playbook) -> dict[str, Any]:
    """``["balance=2400", ...]`` → typed facts; the first bad one is named with its reason."""
    facts: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep:
            raise CoachError(f"--set {pair}: write it as NAME=VALUE, like balance=2400")
        spec = playbook.facts.get(name)
        if spec is None:
            raise CoachError(
                f"--set {name}: unknown fact (see docs/dialogue-schema.md or dialogues/facts.yaml)"
            )
        try:
            facts[name] = parse_fact(spec, value)
        except ValueError as error:
            raise CoachError(f"{name}: {error}") from None
    return facts


def _gather(args: argparse.Namespace, playbook: Playbook) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    if args.facts is not None:
        if not args.facts.is_file():
            raise CoachError(f"--facts: no such file: {args.facts}")
        facts.update(read_facts_file(args.facts, playbook))
    facts.update(parse_sets(args.set, playbook))
    return facts


def run(args: argparse.Namespace) -> int:
    playbook = load_playbook([dialogues_dir()])
    store = Store.open()
    try:
        return ACTIONS[args.action](args, playbook, store)
    finally:
        store.close()


def _new(args: argparse.Namespace, playbook: Playbook, store: Store) -> int:
    facts = _gather(args, playbook)
    label = (
        (_label(args.label) if args.label is not None else None)
        or " ".join(str(facts[k]) for k in ("creditor", "account_number") if k in facts)
        or None
    )
    case_id = store.create_case(facts, label, args.counterpart)
    print(f"case {case_id} created: {printable(store.case(case_id).label)}")
    return 0


def _list(args: argparse.Namespace, playbook: Playbook, store: Store) -> int:
    cases = store.cases()
    if not cases:
        print("No cases yet. Start one with: coach case new --set creditor='St. Anne' --set balance=2400")
    for case in cases:
        calls = len(store.calls(case.id))
        print(f"{case.id:>4}  {printable(case.label):<40} {case.counterpart or '':<11} {calls} call(s)")
    return 0


def _show(args: argparse.Namespace, playbook: Playbook, store: Store) -> int:
    case = store.case(args.id)
    facts = facts_from_json(case.facts, playbook)
    print(f"case {case.id}: {printable(case.label)}" + (f" ({case.counterpart})" if case.counterpart else ""))
    for name, spec in playbook.facts.items():
        if name in facts:
            print(f"  {name}: {printable(show_value(spec.type, facts[name]))}")
    for call in store.calls(case.id):
        outcome = printable(call.outcome or "")
        print(f"  call {call.id}: {call.started} {call.mode} {call.counterpart} {outcome}")
    return 0


def _edit(args: argparse.Namespace, playbook: Playbook, store: Store) -> int:
    """Only the named facts change, merged inside one transaction (a concurrent edit is never lost)."""
    changes: dict[str, Any] = _gather(args, playbook)
    for name in args.unset:
        changes[name] = None
    label = _label(args.label) if args.label is not None else None
    store.set_case_facts(args.id, changes, label=label)
    print(f"case {args.id} updated" + (f": {printable(label)}" if label else ""))
    return 0


def _label(text: str) -> str:
    """A case's name: one line of visible text."""
    label = " ".join(text.split())
    if not label:
        raise CoachError("--label: give the case a name, like 'St. Anne ER visit'")
    if has_control(label):
        raise CoachError(f"--label: '{printable(label)}' holds a control character; type the name plainly")
    return label


def _export(args: argparse.Namespace, playbook: Playbook, store: Store) -> int:
    case = store.case(args.id)
    document = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported": now_utc(),
        "case": {
            "label": case.label,
            "counterpart": case.counterpart,
            "created": case.created,
            "facts": case.facts,
        },
        "calls": [
            {
                "mode": call.mode,
                "counterpart": call.counterpart,
                "started": call.started,
                "ended": call.ended,
                "outcome": call.outcome,
                "events": [event.to_json() for event in store.events(call.id)],
            }
            for call in store.calls(case.id)
        ],
        "deadlines": [{"due": d.due, "what": d.what, "source": d.source} for d in store.deadlines(case.id)],
    }
    text = json.dumps(jsonable(document), indent=2, ensure_ascii=False) + "\n"
    write_private(args.file, text, replace=args.force, what="export")
    print(f"case {case.id} written to {printable(args.file)}")
    return 0


def _import(args: argparse.Namespace, playbook: Playbook, store: Store) -> int:
    exported = read_export(args.file, playbook)
    case_id = store.import_case(exported.case, exported.calls, exported.deadlines)
    print(f"imported as case {case_id} with {len(exported.calls)} call(s)")
    return 0


@dataclass(frozen=True)
class ExportedCase:
    """A checked export, ready for :meth:`Store.import_case` (ids are placeholders)."""

    case: CaseRecord
    calls: list[tuple[CallRecord, list[Event]]]
    deadlines: list[tuple[dt.date | None, str, str]]


class _Bad(Exception):
    """A problem at one place in the export: ``where`` is a path like ``calls[0].mode``."""

    def __init__(self, where: str, why: str) -> None:
        super().__init__(f"{where}: {why}")


_JSON_NAMES: dict[type, str] = {str: "text", dict: "an object", list: "a list"}


def _get(raw: dict[str, Any], key: str, kind: type, where: str, optional: bool = False) -> Any:
    """``raw[key]`` if it has the expected JSON type; None if optional and absent or null."""
    value = raw.get(key)
    if value is None and optional:
        return None
    if value is None:
        raise _Bad(f"{where}{key}", "missing")
    if not isinstance(value, kind):
        raise _Bad(f"{where}{key}", f"expected {_JSON_NAMES[kind]}")
    return value


def _timestamp(raw: dict[str, Any], key: str, where: str, optional: bool = False) -> str | None:
    value = _get(raw, key, str, where, optional)
    if value is not None:
        try:
            dt.datetime.fromisoformat(value)
        except ValueError:
            raise _Bad(
                f"{where}{key}", f"'{printable(value)[:40]}' is not a time like 2026-11-22T12:00:00+00:00"
            ) from None
        _check_time(value, f"{where}{key}")
    return value


def read_export(path: Path, playbook: Playbook) -> ExportedCase:
    """Read and check a whole export before anything is stored; CoachError names the file and field."""
    where = str(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CoachError(f"{where}: cannot read ({error.strerror})") from None
    except UnicodeDecodeError:
        raise CoachError(f"{where}: not a coach case export (not UTF-8 text)") from None
    except json.JSONDecodeError as error:
        raise CoachError(f"{where}:{error.lineno}: not a coach case export (invalid JSON)") from None
    if not isinstance(raw, dict) or raw.get("format") != EXPORT_FORMAT:
        raise CoachError(f"{where}: not a coach case export (missing 'format: {EXPORT_FORMAT}')")
    if raw.get("version") != EXPORT_VERSION:
        raise CoachError(
            f"{where}: export version {raw.get('version')!r} is not one this coach reads ({EXPORT_VERSION})"
        )
    try:
        return _check_export(raw, playbook)
    except _Bad as problem:
        raise CoachError(f"{where}: {problem}") from None


def _check_export(raw: dict[str, Any], playbook: Playbook) -> ExportedCase:
    case = _get(raw, "case", dict, "")
    counterparts = playbook.counterparts
    counterpart = _get(case, "counterpart", str, "case.", optional=True)
    if counterpart is not None and counterpart not in counterparts:
        raise _Bad("case.counterpart", f"'{counterpart}' is not one of {', '.join(counterparts)}")
    facts = _get(case, "facts", dict, "case.")
    for name, value in facts.items():
        spec = playbook.facts.get(name)
        if spec is None:
            raise _Bad(f"case.facts.{name}", "unknown fact")
        try:
            parse_fact(spec, value)
        except ValueError as error:
            raise _Bad(f"case.facts.{name}", str(error)) from None
    record = CaseRecord(
        id=0,
        label=_get(case, "label", str, "case."),
        counterpart=counterpart,
        facts=facts,
        created=_timestamp(case, "created", "case.", optional=True) or now_utc(),
        updated="",
    )
    calls = [
        _check_call(call, f"calls[{index}].", counterparts, playbook)
        for index, call in enumerate(_get(raw, "calls", list, ""))
    ]
    deadlines = []
    for index, item in enumerate(_get(raw, "deadlines", list, "", optional=True) or []):
        at = f"deadlines[{index}]."
        if not isinstance(item, dict):
            raise _Bad(at.rstrip("."), "expected an object")
        due = _get(item, "due", str, at, optional=True)
        try:
            due_date = sane_date(dt.date.fromisoformat(due)) if due else None
        except ValueError:
            raise _Bad(
                f"{at}due", f"'{printable(due)[:40]}' is not a date like 2026-03-01, from 1900 to 2199"
            ) from None
        deadlines.append(
            (due_date, _get(item, "what", str, at), _get(item, "source", str, at, optional=True) or "")
        )
    return ExportedCase(record, calls, deadlines)


def _check_time(value: str, where: str) -> None:
    """A stored time must be a time coach can show and count from (1900-2199, like every date)."""
    try:
        stamp = dt.datetime.fromisoformat(value)
        sane_date(stamp.date())
        stamp.astimezone()  # year 9999 near midnight overflows when shown in local time
    except (ValueError, OverflowError):
        raise _Bad(where, f"'{printable(value)[:40]}' is not a time from 1900 to 2199") from None


def _check_event_data(event: Event, where: str, playbook: Playbook) -> None:
    """The values review, letters and deadlines compute with: an amount, a percent, a date, a count."""
    data = event.data
    _check_time(event.at.isoformat(), f"{where}.at")
    if data.get("amount") is not None:
        amount = data["amount"]
        if not isinstance(amount, str | int) or isinstance(amount, bool):
            raise _Bad(f"{where}.data.amount", "expected an amount like 1234.50")
        try:
            parse_money(str(amount) if len(str(amount)) <= 40 else "x")
        except ValueError:
            raise _Bad(f"{where}.data.amount", f"{shown(amount)} is not an amount like 1234.50") from None
    if data.get("percent") is not None:
        try:
            percent = Decimal(str(data["percent"])) if len(str(data["percent"])) <= 40 else Decimal("NaN")
        except ArithmeticError:
            percent = Decimal("NaN")
        if isinstance(data["percent"], bool) or not percent.is_finite() or not 0 <= percent <= 100:
            raise _Bad(f"{where}.data.percent", "expected a percent from 0 to 100")
    if data.get("date") is not None:
        try:
            sane_date(dt.date.fromisoformat(str(data["date"])))
        except ValueError:
            raise _Bad(f"{where}.data.date", "expected a date like 2026-03-01, from 1900 to 2199") from None
    months = data.get("months")
    if months is not None and (
        isinstance(months, bool) or not isinstance(months, int) or not 0 < months <= 1200
    ):
        raise _Bad(f"{where}.data.months", "expected a number of months from 1 to 1200")
    if event.kind == "fact":
        spec = playbook.facts.get(str(data.get("name")))
        for key in ("value", "old"):
            if spec is not None and data.get(key) is not None:
                try:
                    parse_fact(spec, data[key])
                except ValueError as error:
                    raise _Bad(f"{where}.data.{key}", str(error)) from None


def _check_call(
    call: Any, at: str, counterparts: list[str], playbook: Playbook | None = None
) -> tuple[CallRecord, list[Event]]:
    if not isinstance(call, dict):
        raise _Bad(at.rstrip("."), "expected an object")
    mode = _get(call, "mode", str, at)
    if mode not in ("live", "rehearse"):
        raise _Bad(f"{at}mode", f"'{mode}' is not live or rehearse")
    counterpart = _get(call, "counterpart", str, at)
    if counterpart not in counterparts:
        raise _Bad(f"{at}counterpart", f"'{counterpart}' is not one of {', '.join(counterparts)}")
    events = []
    for index, item in enumerate(_get(call, "events", list, at)):
        if not isinstance(item, dict) or not isinstance(item.get("data", {}), dict):
            raise _Bad(f"{at}events[{index}]", "expected an object with a 'data' object")
        try:
            events.append(Event.from_json(item))
        except KeyError as error:
            raise _Bad(f"{at}events[{index}].{error.args[0]}", "missing") from None
        except (ValueError, TypeError, OverflowError) as error:
            raise _Bad(f"{at}events[{index}]", printable(str(error))[:120]) from None
        if playbook is not None:
            _check_event_data(events[-1], f"{at}events[{index}]", playbook)
    if [event.seq for event in events] != list(range(1, len(events) + 1)):
        raise _Bad(f"{at}events", "sequence numbers must run 1, 2, 3, ...")
    record = CallRecord(
        id=0,
        case_id=None,
        mode=mode,
        counterpart=counterpart,
        started=_timestamp(call, "started", at) or "",
        ended=_timestamp(call, "ended", at, optional=True),
        outcome=_get(call, "outcome", str, at, optional=True),
    )
    return record, events


ACTIONS = {"new": _new, "list": _list, "show": _show, "edit": _edit, "export": _export, "import": _import}
