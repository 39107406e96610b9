"""``coach case``: the case file — one bill or debt, its facts, calls and deadlines.

Export writes one JSON file per case (for moving machines or sharing with an
advocate); import checks the whole file before it touches the store.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import Any

from coach.engine import show_value
from coach.errors import CoachError
from coach.events import Event, jsonable
from coach.paths import dialogues_dir, write_private
from coach.playbook import Playbook, facts_from_json, load_playbook, parse_fact, read_facts_file
from coach.store import Store

EXPORT_FORMAT = "coach-case"
EXPORT_VERSION = 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    new = actions.add_parser("new", help="start a case file")
    _fact_flags(new)
    new.add_argument("--label", help="a name for the case, e.g. 'St. Anne ER visit'")
    new.add_argument("--counterpart", choices=["hospital", "doctor", "collections"], help="who you deal with")
    actions.add_parser("list", help="list cases")
    show = actions.add_parser("show", help="show a case's facts and calls")
    show.add_argument("id", type=int)
    edit = actions.add_parser("edit", help="change a case's facts")
    edit.add_argument("id", type=int)
    _fact_flags(edit)
    edit.add_argument("--unset", action="append", default=[], metavar="NAME", help="forget a fact")
    export = actions.add_parser("export", help="write a case, its calls and events to one JSON file")
    export.add_argument("id", type=int)
    export.add_argument("file", type=Path)
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
        args.label or " ".join(str(facts[k]) for k in ("creditor", "account_number") if k in facts) or None
    )
    case_id = store.create_case(facts, label, args.counterpart)
    print(f"case {case_id} created: {store.case(case_id).label}")
    return 0


def _list(args: argparse.Namespace, playbook: Playbook, store: Store) -> int:
    cases = store.cases()
    if not cases:
        print("No cases yet. Start one with: coach case new --set creditor='St. Anne' --set balance=2400")
    for case in cases:
        calls = len(store.calls(case.id))
        print(f"{case.id:>4}  {case.label:<40} {case.counterpart or '':<11} {calls} call(s)")
    return 0


def _show(args: argparse.Namespace, playbook: Playbook, store: Store) -> int:
    case = store.case(args.id)
    facts = facts_from_json(case.facts, playbook)
    print(f"case {case.id}: {case.label}" + (f" ({case.counterpart})" if case.counterpart else ""))
    for name, spec in playbook.facts.items():
        if name in facts:
            print(f"  {name}: {show_value(spec.type, facts[name])}")
    for call in store.calls(case.id):
        print(f"  call {call.id}: {call.started} {call.mode} {call.counterpart} {call.outcome or ''}")
    return 0


def _edit(args: argparse.Namespace, playbook: Playbook, store: Store) -> int:
    case = store.case(args.id)
    facts = facts_from_json(case.facts, playbook)
    facts.update(_gather(args, playbook))
    for name in args.unset:
        facts.pop(name, None)
    store.update_case_facts(case.id, facts)
    print(f"case {case.id} updated")
    return 0


def _export(args: argparse.Namespace, playbook: Playbook, store: Store) -> int:
    case = store.case(args.id)
    document = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "case": {"label": case.label, "counterpart": case.counterpart, "facts": case.facts},
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
    write_private(args.file, json.dumps(jsonable(document), indent=2, ensure_ascii=False))
    print(f"case {case.id} written to {args.file}")
    return 0


def _import(args: argparse.Namespace, playbook: Playbook, store: Store) -> int:
    document = read_export(args.file, playbook)
    case = document["case"]
    case_id = store.create_case(case["facts"], case["label"], case.get("counterpart"))
    for call in document["calls"]:
        call_id = store.start_call(case_id, call["mode"], call["counterpart"])
        for event in call["events"]:
            store.append(call_id, event)
        store.end_call(call_id, call.get("outcome"))
    for deadline in document["deadlines"]:
        store.add_deadline(case_id, deadline["what"], deadline["due"], source=deadline["source"])
    print(f"imported as case {case_id} with {len(document['calls'])} call(s)")
    return 0


def read_export(path: Path, playbook: Playbook) -> dict[str, Any]:
    """Read and check an export completely; CoachError (file and field) on the first problem."""
    where = str(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CoachError(f"{where}: cannot read ({error.strerror})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        line = getattr(error, "lineno", 1)
        raise CoachError(f"{where}:{line}: not a coach case export (invalid JSON)") from None
    if not isinstance(raw, dict) or raw.get("format") != EXPORT_FORMAT:
        raise CoachError(f"{where}: not a coach case export (missing 'format: {EXPORT_FORMAT}')")
    if raw.get("version") != EXPORT_VERSION:
        raise CoachError(
            f"{where}: export version {raw.get('version')!r} is not one this coach reads ({EXPORT_VERSION})"
        )
    try:
        case = raw["case"]
        facts = case["facts"]
        if not isinstance(facts, dict) or not isinstance(case.get("label"), str):
            raise TypeError("case")
        for name, value in facts.items():
            spec = playbook.facts.get(name)
            if spec is None:
                raise CoachError(f"{where}: case.facts.{name}: unknown fact")
            try:
                parse_fact(spec, value)
            except ValueError as error:
                raise CoachError(f"{where}: case.facts.{name}: {error}") from None
        calls = []
        for index, call in enumerate(raw["calls"]):
            if call["mode"] not in ("live", "rehearse") or call["counterpart"] not in playbook.counterparts:
                raise CoachError(f"{where}: calls[{index}]: bad mode or counterpart")
            try:
                events = [Event.from_json(event) for event in call["events"]]
            except (KeyError, ValueError, TypeError) as error:
                raise CoachError(f"{where}: calls[{index}].events: {error}") from None
            if [e.seq for e in events] != list(range(1, len(events) + 1)):
                raise CoachError(f"{where}: calls[{index}].events: sequence numbers must run 1, 2, 3, ...")
            calls.append({**call, "events": events})
        deadlines = [
            {
                "what": str(d["what"]),
                "source": str(d.get("source", "")),
                "due": dt.date.fromisoformat(d["due"]) if d.get("due") else None,
            }
            for d in raw.get("deadlines", [])
        ]
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise CoachError(f"{where}: not a complete coach case export (missing or wrong {error})") from None
    return {"case": case, "calls": calls, "deadlines": deadlines}


ACTIONS = {"new": _new, "list": _list, "show": _show, "edit": _edit, "export": _export, "import": _import}
