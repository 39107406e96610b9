"""Fuzzing: hostile files and hostile typing give messages, never tracebacks."""

from __future__ import annotations

import string
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.calls import CallRequest, open_call
from coach.playbook import Playbook, check_playbook
from coach.yamlload import Problem

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
    from coach.store import Store

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
