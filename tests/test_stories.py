"""Call stories: scripted calls replayed through the Session, checking what is shown at each step.

A story (tests/stories/*.yaml) names a counterpart and facts (`fixture` for
tests/fixtures/facts.yaml, plus `set:` overrides), optionally a `start` node
(default: the playbook's start), then steps:
`do: CHOICE-ID` (a yes/no question's answers are `answer:yes` and `answer:no`),
`answer: TEXT` (answers the question and goes on), `skip: true` (goes on from a typed
question, keeping what is known), `until: stage.node` (take the last choice, the way on,
until there), `note: [KIND, TEXT]` (`note: [agreed, "900 by 12/15"]` records the deal and its
facts), `hear: TEXT`, `back: true`; each step may
`expect:` a `node`, the fact it `asks` (false: none), `facts` known by now (as in `set:`;
null: unknown), text it `shows` (coach, phrase, warning, title, choices), text it must not
show (`hides`) and text of an event recorded so far (`events`).

A story that starts in the assess stage runs in prepare mode (the only place facts are asked);
when its walk leaves that stage the call goes on in a live Session, which never asks, as in the app.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from coach.dialogue.facts import parse_fact, read_facts_file
from coach.dialogue.schema import FactSpec, Playbook
from coach.errors import CoachError
from coach.session.engine import ANSWER_PREFIX, Session

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


PRICES = ("cash_price", "agb_amount", "medicare_amount")  # asked in assess; a walk skips them
SAMPLE_ANSWERS = {"text": "Sample", "money": "500", "date": "2026-01-15", "int": "2", "bool": "no"}


def sample_answer(spec: FactSpec) -> str:
    """What `until` types at an unanswered question: a plain value of the fact's type."""
    return spec.options[0] if spec.type == "choice" else SAMPLE_ANSWERS[spec.type]


def into_call(session: Session) -> Session:
    """Once prepare's walk leaves its stage, the call goes on in a live Session, as in the app."""
    prepare_stage = session.playbook.nodes[session.playbook.start].stage
    if session.mode != "prepare" or session.node.stage == prepare_stage:
        return session
    return Session(
        session.playbook,
        session.counterpart,
        session.facts,
        mode="live",
        start=session.node.qid,
        history=session.events,
    )


def assert_call_never_asks(session: Session) -> None:
    """Outside prepare nothing is asked: no question, no answer choices, no typed answer taken."""
    if session.mode == "prepare":
        return
    view = session.view()
    assert view.ask is None and not view.ask_prompt, f"{view.node} asks {view.ask} during the call"
    answers = [c.id for c in view.choices if c.id.startswith(ANSWER_PREFIX)]
    assert not answers, f"{view.node} offers {answers} during the call"


def walk_until(session: Session, target: str) -> Session:
    """Take the way on (the last choice) until ``target``; a question keeps what is known.

    A question whose fact is known goes on keeping it; an unknown fair price is left unknown, as a
    person who did not look one up would (a story that needs one answers it at its assess node
    or sets it); any other unknown fact gets a plain sample answer.
    """
    walked: list[str] = []
    for _ in range(200):
        session = into_call(session)
        walked.append(session.node.qid)
        assert_call_never_asks(session)
        if session.node.qid == target:
            return session
        if session.asking():
            view = session.view()
            assert view.ask is not None
            spec = session.playbook.facts[view.ask]
            if view.ask_current or view.ask in PRICES:
                session.skip()
            else:
                session.answer(sample_answer(spec))
            continue
        if not session.choices():
            break
        session.choose(len(session.choices()))  # the last choice is the way on in this playbook
    raise AssertionError(f"never reached {target}; walked {' > '.join(walked)}")


def run_step(session: Session, step: dict[str, Any]) -> Session:
    if "do" in step:
        session.choose(step["do"])
    elif "answer" in step:
        session.answer(str(step["answer"]))
    elif "until" in step:
        session = walk_until(session, step["until"])
    elif "note" in step:
        session.note(step["note"][0], step["note"][1])
    elif "hear" in step:
        session.hear(step["hear"])
    elif "skip" in step:
        session.skip()
    elif "back" in step:
        session.undo()
    return into_call(session)


@pytest.mark.parametrize("path", STORIES, ids=[p.stem for p in STORIES])
def test_story(playbook: Playbook, path: Path) -> None:
    story = yaml.safe_load(path.read_text(encoding="utf-8"))
    start = story.get("start") or playbook.start
    in_prepare = playbook.nodes[start].stage == playbook.nodes[playbook.start].stage
    session = Session(
        playbook,
        story["counterpart"],
        build_facts(story, playbook),
        mode="prepare" if in_prepare else "live",
        start=start,
    )
    for number, step in enumerate(story["steps"], 1):
        where = f"{path.name} step {number}"
        at = session.node.qid
        try:
            session = run_step(session, step)
        except (CoachError, AssertionError) as error:
            raise AssertionError(f"{where} {step} from {at}: {error}") from error
        expect = step.get("expect") or {}
        if "node" in expect:
            assert session.node.qid == expect["node"], f"{where}: at {session.node.qid}, not {expect['node']}"
        if "asks" in expect:  # the fact this step asks for, or false/null: it asks nothing
            asked = session.view().ask
            assert asked == (expect["asks"] or None), f"{where}: asks {asked}, not {expect['asks']}"
        for name, value in (expect.get("facts") or {}).items():  # a fact as the story would set it
            known = session.facts.get(name)
            wanted = None if value is None else parse_fact(session.playbook.facts[name], value)
            assert known == wanted, f"{where}: fact {name} is {known!r}, not {wanted!r}"
        assert_call_never_asks(session)
        shown = screen_text(session)
        for text in expect.get("shows", []):
            assert text in shown, f"{where}: {text!r} not in\n{shown}"
        for text in expect.get("hides", []):
            assert text not in shown, f"{where}: {text!r} should not show"
        for text in expect.get("events", []):
            assert any(text in e.text for e in session.events), f"{where}: no event with {text!r}"


def test_at_least_fifteen_stories() -> None:
    assert len(STORIES) >= 15
