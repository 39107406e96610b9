"""Call stories: scripted calls replayed through the Session, checking what is shown at each step.

A story (tests/stories/*.yaml) names a counterpart and facts (`fixture` for
tests/fixtures/facts.yaml, plus `set:` overrides), optionally a `start` node
(default: the playbook's start), then steps:
`do: CHOICE-ID`, `answer: TEXT`, `until: stage.node` (take the last choice, the way on, until
there), `note: [KIND, TEXT]`, `hear: TEXT`, `back: true`; each step may
`expect:` a `node`, text it `shows` (coach, phrase, warning, title, choices) and
text it must not show (`hides`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from coach.engine import Session
from coach.playbook import FactSpec, Playbook, parse_fact, read_facts_file

STORIES = sorted((Path(__file__).parent / "stories").glob("*.yaml"))
FIXTURE = Path(__file__).parent / "fixtures" / "facts.yaml"


def screen_text(session: Session) -> str:
    view = session.view()
    return "\n".join(
        [
            view.title,
            view.coach,
            view.phrase,
            view.warn,
            *[c.label for c in view.choices],
            *[c.id for c in view.choices],
        ]
    )


def build_facts(story: dict[str, Any], playbook: Playbook) -> dict[str, Any]:
    facts = read_facts_file(FIXTURE, playbook) if story.get("facts") == "fixture" else {}
    for name, value in (story.get("set") or {}).items():
        if value is None:
            facts.pop(name, None)
        else:
            facts[name] = parse_fact(playbook.facts[name], value)
    return facts


SAMPLE_ANSWERS = {"text": "Sample", "money": "500", "date": "2026-01-15", "int": "2", "bool": "no"}


def sample_answer(spec: FactSpec) -> str:
    """What `until` types at an unanswered question: a plain value of the fact's type."""
    return spec.options[0] if spec.type == "choice" else SAMPLE_ANSWERS[spec.type]


def run_step(session: Session, step: dict[str, Any]) -> None:
    if "do" in step:
        session.choose(step["do"])
    elif "answer" in step:
        session.answer(str(step["answer"]))
    elif "until" in step:
        for _ in range(200):
            if session.node.qid == step["until"]:
                break
            view = session.view()
            if view.ask and not view.ask_current:
                session.answer(sample_answer(session.playbook.facts[view.ask]))
            session.choose(len(session.choices()))  # the last choice is the way on in this playbook
        assert session.node.qid == step["until"], f"never reached {step['until']}"
    elif "note" in step:
        session.note(step["note"][0], step["note"][1])
    elif "hear" in step:
        session.hear(step["hear"])
    elif "back" in step:
        session.undo()


@pytest.mark.parametrize("path", STORIES, ids=[p.stem for p in STORIES])
def test_story(playbook: Playbook, path: Path) -> None:
    story = yaml.safe_load(path.read_text(encoding="utf-8"))
    session = Session(playbook, story["counterpart"], build_facts(story, playbook), start=story.get("start"))
    for number, step in enumerate(story["steps"], 1):
        where = f"{path.name} step {number}"
        run_step(session, step)
        expect = step.get("expect") or {}
        if "node" in expect:
            assert session.node.qid == expect["node"], where
        shown = screen_text(session)
        for text in expect.get("shows", []):
            assert text in shown, f"{where}: {text!r} not in\n{shown}"
        for text in expect.get("hides", []):
            assert text not in shown, f"{where}: {text!r} should not show"
        for text in expect.get("events", []):
            assert any(text in e.text for e in session.events), f"{where}: no event with {text!r}"


def test_at_least_fifteen_stories() -> None:
    assert len(STORIES) >= 15
