"""Walk every choice of the shipped playbook for every counterpart, rendering every step.

Each (node, choice) pair reachable with the fixture facts is taken at least once,
and every walk is carried on to an end, so a broken template, a condition that
fails at run time, or a branch that strands the user fails here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from coach.dialogue import counterparts
from coach.dialogue.facts import read_facts_file
from coach.dialogue.schema import Playbook
from coach.session.engine import Session

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE_ANSWERS = {"text": "Sample", "money": "500", "date": "2026-01-15", "int": "2", "bool": "no"}
MAX_STEPS = 400


def sample_answer(playbook: Playbook, fact: str) -> str:
    spec = playbook.facts[fact]
    return spec.options[0] if spec.type == "choice" else SAMPLE_ANSWERS[spec.type]


def answer_if_asked(session: Session) -> bool:
    """Answer an unanswered question with a sample value; True if it did (one undo step)."""
    view = session.view()
    if view.ask and not view.ask_current:
        session.answer(sample_answer(session.playbook, view.ask))
        return True
    return False


def check_view(session: Session) -> None:
    view = session.view()
    for text in (view.coach, view.phrase, view.warn, view.title, *[c.label for c in view.choices]):
        assert "{{" not in text and "{%" not in text, f"{view.node}: unrendered template: {text}"
    assert view.coach or view.phrase, f"{view.node}: nothing to show"


def walk(playbook: Playbook, counterpart: str, facts: dict[str, Any]) -> set[str]:
    """Depth-first over every (node, choice) pair, stepping back with undo; returns nodes seen."""
    session = Session(playbook, counterpart, facts)
    seen_edges: set[tuple[str, str]] = set()
    seen_nodes: set[str] = set()

    def visit(depth: int) -> None:
        assert depth < MAX_STEPS, f"{counterpart}: path longer than {MAX_STEPS} steps"
        check_view(session)
        node = session.node.qid
        seen_nodes.add(node)
        answered = answer_if_asked(session)
        choices = session.choices()
        assert choices or session.view().finished, f"{counterpart}: stranded at {node}"
        for choice in choices:
            if (node, choice.id) in seen_edges:
                continue
            seen_edges.add((node, choice.id))
            session.choose(choice.id)
            visit(depth + 1)
            session.undo()
        if answered:
            session.undo()

    visit(0)
    finish(Session(playbook, counterpart, facts), counterpart)
    return seen_nodes


def finish(session: Session, counterpart: str) -> None:
    """From here, always taking the last open choice still reaches an end."""
    for _ in range(MAX_STEPS):
        if session.view().finished:
            return
        answer_if_asked(session)
        session.choose(len(session.choices()))
        check_view(session)
    pytest.fail(f"{counterpart}: no end within {MAX_STEPS} steps from {session.node.qid}")


@pytest.mark.parametrize("counterpart", counterparts.keys())
def test_every_choice_walks_to_an_end_with_fixture_facts(playbook: Playbook, counterpart: str) -> None:
    facts = read_facts_file(FIXTURES / "facts.yaml", playbook)
    seen = walk(playbook, counterpart, facts)
    assert any(playbook.nodes[qid].end for qid in seen)
    assert {playbook.nodes[qid].stage for qid in seen} == set(playbook.stages)


@pytest.mark.parametrize("counterpart", counterparts.keys())
def test_walk_with_no_facts_known(playbook: Playbook, counterpart: str) -> None:
    seen = walk(playbook, counterpart, {})
    assert any(playbook.nodes[qid].end for qid in seen)


def test_fixture_account_number_appears_in_collections_phrases(playbook: Playbook) -> None:
    facts = read_facts_file(FIXTURES / "facts.yaml", playbook)
    phrases: list[str] = []
    for qid, node in playbook.nodes.items():
        if node.phrase_source("collections"):
            session = Session(playbook, "collections", facts, start=qid)
            phrases.append(session.view().phrase)
    assert any("AC-558812" in phrase for phrase in phrases)


@pytest.mark.parametrize("counterpart", counterparts.keys())
def test_phrases_are_short_enough_to_read_aloud(playbook: Playbook, counterpart: str) -> None:
    facts = read_facts_file(FIXTURES / "facts.yaml", playbook)
    too_long = []
    for qid, node in playbook.nodes.items():
        if node.phrase_source(counterpart):
            phrase = Session(playbook, counterpart, facts, start=qid).view().phrase
            if len(phrase.split()) > 45:
                too_long.append(f"{qid}: {len(phrase.split())} words")
    assert too_long == []
