"""Fuzzing: hostile files and hostile typing give messages, never tracebacks."""

from __future__ import annotations

import copy
import datetime as dt
import os
import string
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.calls import CallRequest, open_call
from coach.dialogue.playbook import check_playbook
from coach.dialogue.problems import Problem
from coach.dialogue.schema import Playbook

DIALOGUES = Path(__file__).resolve().parent.parent / "dialogues"
KEYS = [
    "playbook",
    "facts",
    "stage",
    "nodes",
    "id",
    "say",
    "coach",
    "next",
    "choices",
    "end",
    "when",
    "if",
    "then",
    "else",
    "label",
    "type",
    "prompt",
    "source",
    "ask",
    "stages",
    "start",
    "counterparts",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=30),
    st.sampled_from(["{{ x }}", "{% if %}", "assess.triage", "yes", "true", "[", "money", "&a", "*a"]),
)
trees: st.SearchStrategy[Any] = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), children, max_size=5),
    ),
    max_leaves=25,
)
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def check_file(content: bytes) -> list[Problem]:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "x.yaml").write_bytes(content)
        _, problems = check_playbook([Path(folder)])
    return problems


@SETTINGS
@given(st.binary(max_size=300))
def test_random_bytes_never_raise(content: bytes) -> None:
    problems = check_file(content)
    assert problems and all(isinstance(p, Problem) and p.line >= 1 for p in problems)


@SETTINGS
@given(trees)
def test_random_yaml_structures_never_raise(tree: Any) -> None:
    problems = check_file(yaml.safe_dump(tree, allow_unicode=True).encode())
    assert all(str(p).count(":") >= 2 for p in problems)


@SETTINGS
@given(
    st.lists(
        st.sampled_from(
            [
                "- ",
                "  ",
                "{",
                "}",
                "[",
                "]",
                ": ",
                "\n",
                "id: x",
                "'",
                '"',
                "&a ",
                "*a",
                "!!python/object:os.system ",
                "{{",
                "%",
                "\t",
            ]
        ),
        max_size=40,
    )
)
def test_yamlish_fragments_never_raise(parts: list[str]) -> None:
    for problem in check_file("".join(parts).encode()):
        assert isinstance(problem, Problem)


def test_python_tags_are_refused_not_executed(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("stage: !!python/object/apply:os.system ['echo pwned']\n")
    _, problems = check_playbook([tmp_path])
    assert any("x.yaml:1:" in str(p) for p in problems)


typing_lines = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "/rep",
            "/offer abc",
            "/offer -5",
            "/ref",
            "/back",
            "/set",
            "/set balance x",
            "/set x 1",
            "/nope",
            "0",
            "99",
            "-1",
            "",
            "   ",
            "{{ 7*7 }}",
            "[bold]x[/]",
            "/note {% raw %}",
        ]
    ),
    st.text(alphabet=string.digits, min_size=1, max_size=4),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(typing_lines, max_size=25), st.sampled_from(["hospital", "doctor", "collections"]))
def test_any_typing_gives_an_outcome(playbook: Playbook, lines: list[str], counterpart: str) -> None:
    """Whatever is typed during a call, the call core answers with a turn, and facts never change."""
    from coach.casefile.store import Store

    store = Store.open()
    try:
        call = open_call(store, playbook, CallRequest(counterpart=counterpart))
        before = dict(call.session.facts)
        for line in lines:
            if call.session.finished:
                break
            turn = call.submit(line)
            assert turn.kind in {"moved", "recorded", "heard", "said", "help", "ended", "error"}
            if turn.kind == "error":
                assert "\n" not in turn.message and turn.message
            if not line.startswith("/set"):
                assert call.session.facts == before or any(e.kind == "fact" for e in turn.events)
            before = dict(call.session.facts)
            assert not any(e.kind == "fact" for e in turn.events) or line.startswith(("/set", "/agreed"))
    finally:
        store.close()


# -- facts files, imports and line input: invalid bytes, extreme dates and numbers -----------------

FACT_NAMES = ["balance", "creditor", "first_bill_date", "plan_payments", "household_size", "insured", "state"]
extreme_values = st.one_of(
    st.sampled_from(
        [
            "9999-12-31",
            "0001-01-01",
            "2025-02-30",
            "12/31/9999",
            "1e999999",
            "NaN",
            "-Infinity",
            "9" * 5000,
            "-" + "9" * 400,
            "1" + "0" * 30 + ".5",
            "&a [x]",
            "*a",
            "!!binary AAAA",
            "!!timestamp 9999-12-31T23:59:59",
            "'\\x1b]52;c;x\\x07'",
            "[1, [2, [3]]]",
        ]
    ),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.dates().map(str),
    st.text(max_size=20).map(lambda t: '"' + t.replace("\\", "").replace('"', "") + '"'),
)


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(FACT_NAMES), extreme_values), max_size=6), st.binary(max_size=8))
def test_facts_files_with_extreme_values_give_problems_never_errors(
    playbook: Playbook, pairs: list[tuple[str, str]], junk: bytes
) -> None:
    from coach.dialogue.facts import read_facts_file
    from coach.dialogue.schema import PlaybookProblems

    body = "".join(f"{name}: {value}\n" for name, value in dict(pairs).items()).encode() + junk
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "facts.yaml"
        path.write_bytes(body)
        try:
            facts = read_facts_file(path, playbook)
        except PlaybookProblems as problems:
            assert all(len(str(p)) < 400 and "\n" not in str(p) for p in problems.problems)
            return
    from coach.casefile.deadlines import case_deadlines

    case_deadlines(facts, "hospital", [], dt.date.today())  # what was accepted can be counted from


def _an_export() -> dict[str, Any]:
    """One real export (a case with a call carrying an offer), built once per test run."""
    import json

    from coach.casefile.store import Store
    from coach.cli.main import main
    from coach.dialogue.playbook import load_playbook

    if not _EXPORT:
        with tempfile.TemporaryDirectory() as home:
            old = os.environ.get("COACH_HOME")
            os.environ["COACH_HOME"] = home
            try:
                main(["case", "new", "--set", "creditor=St. Anne", "--set", "balance=2400"])
                store = Store.open()
                try:
                    call = open_call(
                        store, load_playbook([DIALOGUES]), CallRequest(case_id=1, counterpart="collections")
                    )
                    call.submit("/offer 1200")
                    call.finish("done")
                finally:
                    store.close()
                main(["case", "export", "1", f"{home}/x.json"])
                _EXPORT.append(json.loads(Path(f"{home}/x.json").read_text()))
            finally:
                if old is not None:
                    os.environ["COACH_HOME"] = old
    return copy.deepcopy(_EXPORT[0])


_EXPORT: list[dict[str, Any]] = []
json_values = st.one_of(
    extreme_values,
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.lists(st.integers(), max_size=2),
    st.sampled_from(["9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00-12:00", "2026-13-01T00:00:00"]),
)
EXPORT_SPOTS = [
    ("case", "facts", "balance"),
    ("case", "facts", "first_bill_date"),
    ("case", "facts", "plan_payments"),
    ("case", "created"),
    ("case", "label"),
    ("calls", 0, "started"),
    ("calls", 0, "ended"),
    ("calls", 0, "events", 0, "at"),
    ("calls", 0, "events", -2, "data", "amount"),
    ("calls", 0, "events", -2, "data", "percent"),
    ("calls", 0, "events", -2, "data", "date"),
    ("calls", 0, "events", -2, "data", "months"),
    ("calls", 0, "events", -2, "text"),
    ("deadlines",),
]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(EXPORT_SPOTS), json_values), min_size=1, max_size=4))
def test_imports_with_extreme_values_are_refused_or_work_everywhere(
    playbook: Playbook, spoils: list[tuple[tuple[Any, ...], Any]]
) -> None:
    """A hostile export is refused with one line; one that imports can be reviewed, listed and counted."""
    import json

    from coach.casefile.export import render_call
    from coach.casefile.store import Store
    from coach.cli.main import main
    from coach.errors import CoachError

    document = _an_export()
    for spot, value in spoils:
        target: Any = document
        for key in spot[:-1]:
            target = target[key]
        target[spot[-1]] = [{"due": value, "what": "x"}] if spot == ("deadlines",) else value
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "spoiled.json"
        path.write_text(json.dumps(document))
        from coach.cli.case import read_export

        try:
            exported = read_export(path, playbook)
        except CoachError as error:
            assert "\n" not in str(error) and len(str(error)) < 400
            return
        store = Store.open()
        try:
            case_id = store.import_case(exported.case, exported.calls, exported.deadlines)
            for call in store.calls(case_id):
                for fmt in ("text", "markdown", "json", "html"):
                    render_call(store, call.id, fmt)
        finally:
            store.close()
        for argv in (["deadlines"], ["case", "list"], ["case", "show", str(case_id)]):
            assert main(argv) == 0


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.one_of(
            st.binary(max_size=30).map(lambda b: b.replace(b"\n", b"")),
            st.sampled_from(
                [b"/rep Da\xffna", b"/offer \xc3", b"/set first_bill_date 9999-12-31", b"/offer 1e9999"]
            ),
            st.sampled_from(
                [b"/set plan_payments " + b"9" * 5000, b"/note \xed\xa0\x80", b"\x1b]52;c;x\x07"]
            ),
        ),
        max_size=12,
    )
)
def test_line_mode_reads_every_line_whatever_its_bytes(lines: list[bytes]) -> None:
    """Bad bytes, extreme dates and numbers: each line gets its turn and the call ends normally."""
    import argparse
    import io

    from coach.casefile.store import Store
    from coach.cli.call import run_plain

    data = b"".join(line + b"\n" for line in [*lines, b"/note last line"])
    stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    stdout = io.StringIO()
    args = argparse.Namespace(
        dialogues=None,
        case=None,
        counterpart="collections",
        facts=None,
        persona=None,
        difficulty="normal",
        seed=None,
        resume=None,
    )
    assert run_plain(args, "live", stdin, stdout) == 0
    store = Store.open()
    try:
        last = store.last_call()
        assert last is not None
        texts = [e.text for e in store.events(last.id) if e.kind == "note"]
    finally:
        store.close()
    ended = any(line.strip().lower() in (b"/end", b"/quit") for line in lines)
    assert ended or texts[-1:] == ["last line"]
