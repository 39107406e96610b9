"""The Session API on a small playbook written for the test: steps, conditions, facts, undo, events."""

from __future__ import annotations

import datetime as dt
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from coach.dialogue.playbook import load_playbook
from coach.dialogue.schema import Playbook
from coach.errors import CoachError
from coach.session.engine import Session
from coach.session.events import Event

PLAYBOOK = """\
playbook:
  stages: [assess, settle, document]
  start: assess.who
  counterparts: [hospital, doctor, collections]
  notes:
    rep_name: {label: "Rep's name", command: rep}
    offer: {label: "Amount offered", command: offer, type: money}
facts:
  patient_name: {type: text, prompt: "Your name?"}
  balance: {type: money, prompt: "How much?", required: true}
  insured: {type: bool, prompt: "Insured?"}
---
stage: assess
nodes:
  - id: who
    coach: Hello {{ patient_name }}.
    say:
      default: Calling about {{ balance | money }}.
      collections: Please validate the debt of {{ balance | money }}.
    choices:
      - id: big
        label: Big bill
        when: balance > 1000
        next: settle.offer
      - id: small
        label: Small bill
        when: not balance or balance <= 1000
        next: ask-insured
      - id: insured
        label: I have insurance
        set: {insured: yes}
        next: ask-insured
  - id: ask-insured
    coach: Were you insured?
    ask: insured
    next:
      - if: insured
        then: document.done
      - else: settle.offer
---
stage: settle
nodes:
  - id: offer
    coach: Offer something.
    next: document.done
---
stage: document
nodes:
  - id: done
    coach: Done.
    end: true
"""


@pytest.fixture
def small_playbook(tmp_path: Path) -> Playbook:
    folder = tmp_path / "d"
    folder.mkdir()
    for index, part in enumerate(PLAYBOOK.split("---\n")):
        (folder / f"{index}.yaml").write_text(textwrap.dedent(part))
    return load_playbook([folder])


def test_view_renders_counterpart_variant_with_facts(small_playbook: Playbook) -> None:
    hospital = Session(small_playbook, "hospital", {"balance": Decimal("1500")})
    collections = Session(small_playbook, "collections", {"balance": Decimal("1500")})
    assert hospital.view().phrase == "Calling about $1,500.00."
    assert hospital.view().phrase_id == "assess.who#default"
    assert collections.view().phrase == "Please validate the debt of $1,500.00."
    assert collections.view().phrase_id == "assess.who#collections"


def test_unknown_fact_shows_placeholder_and_conditions_treat_it_as_false(small_playbook: Playbook) -> None:
    session = Session(small_playbook, "hospital")
    assert session.view().coach == "Hello [patient name]."
    assert [c.id for c in session.choices()] == ["small", "insured"]


def test_conditions_choose_which_choices_are_open(small_playbook: Playbook) -> None:
    session = Session(small_playbook, "hospital", {"balance": Decimal("2000")})
    assert [c.id for c in session.choices()] == ["big", "insured"]
    session.choose("big")
    assert session.node.qid == "settle.offer"
    with pytest.raises(CoachError, match="choose a number from 1 to 1"):
        session.choose(5)


def test_next_branches_follow_facts(small_playbook: Playbook) -> None:
    session = Session(small_playbook, "hospital", {"balance": Decimal("10")}, mode="prepare")
    session.choose("small")
    assert [c.label for c in session.choices()] == ["Yes", "No"]  # a yes/no fact is never "Continue"
    session.answer("no")  # an answer goes on by itself
    assert session.node.qid == "settle.offer"
    session.undo()
    assert session.node.qid == "assess.ask-insured" and session.view().ask_current == "no"
    session.choose("answer:yes")
    assert session.facts["insured"] is True
    assert session.node.qid == "document.done"
    assert session.view().finished


def test_a_call_never_asks_and_digits_never_become_a_fact(small_playbook: Playbook) -> None:
    session = Session(small_playbook, "hospital", {"balance": Decimal("10")}, mode="live")
    session.choose("small")
    assert session.view().ask is None
    assert [c.label for c in session.choices()] == ["Continue"]
    with pytest.raises(CoachError, match="does not ask"):
        session.answer("1")
    assert "insured" not in session.facts


def test_choice_can_set_a_fact(small_playbook: Playbook) -> None:
    session = Session(small_playbook, "doctor", {"balance": Decimal("10")}, mode="prepare")
    session.choose("insured")
    assert session.facts["insured"] is True
    assert session.view().ask_current == "yes"


def test_user_text_is_data_not_template_code(small_playbook: Playbook) -> None:
    session = Session(
        small_playbook, "hospital", {"patient_name": "{{ 7*7 }}{% for x in range(3) %}x{% endfor %}"}
    )
    assert session.view().coach == "Hello {{ 7*7 }}{% for x in range(3) %}x{% endfor %}."


def test_bad_fact_value_names_the_fact(small_playbook: Playbook) -> None:
    session = Session(small_playbook, "hospital")
    with pytest.raises(CoachError, match=r"^balance: 'lots' is not an amount like \$1,234.50$"):
        session.set_fact("balance", "lots")
    with pytest.raises(CoachError, match="unknown fact 'balanse'"):
        session.set_fact("balanse", "3")
    assert "balance" not in session.facts


def test_undo_restores_node_and_facts_and_is_recorded(small_playbook: Playbook) -> None:
    session = Session(small_playbook, "hospital", {"balance": Decimal("10")})
    session.choose("insured")
    assert session.node.qid == "assess.ask-insured"
    session.undo()
    assert session.node.qid == "assess.who"
    assert "insured" not in session.facts
    assert session.events[-2].kind == "undo"
    with pytest.raises(CoachError, match="nothing to undo"):
        session.undo()


def test_undo_over_a_fact_renders_with_the_facts_as_they_were(small_playbook: Playbook) -> None:
    """/back keeps what was rendered only when it gives back the very same facts."""
    session = Session(small_playbook, "collections", {"balance": Decimal("10")})
    before = session.view()
    session.set_fact("balance", "2400")
    assert session.view().phrase == "Please validate the debt of $2,400.00."
    assert [c.id for c in session.view().choices] == ["big", "insured"]
    session.undo()
    assert session.view() == before
    assert session.view().phrase == "Please validate the debt of $10.00."
    session.choose("small")  # no fact set: back again to the same facts and the same step
    session.undo()
    assert session.view() == before


def test_every_change_is_an_event_in_order(small_playbook: Playbook) -> None:
    clock = iter(dt.datetime(2026, 11, 22, 10, 0, s, tzinfo=dt.UTC) for s in range(60))
    session = Session(
        small_playbook, "hospital", {"balance": Decimal("10")}, clock=lambda: next(clock), mode="prepare"
    )
    session.note("rep_name", "Dana")
    session.note("offer", "$1,200")
    session.hear("We can take half today")
    session.choose("small")
    session.answer("yes")
    session.end()
    kinds = [e.kind for e in session.events]
    assert kinds == [
        "start",
        "shown",
        "note",
        "note",
        "heard",
        "step",
        "shown",
        "fact",
        "step",
        "shown",
        "end",
    ]
    assert [e.seq for e in session.events] == list(range(1, 12))
    assert session.events[3].data == {
        "kind": "offer",
        "amount": "1200.00",
        "monthly": False,
        "months": None,
        "date": None,
    }
    assert session.events[5].data == {"choice": "small", "from": "assess.who", "to": "assess.ask-insured"}
    assert session.events[7].data == {"name": "insured", "value": True, "old": None}
    assert session.events[1].text == "Calling about $10.00."
    assert session.events[0].at < session.events[-1].at
    with pytest.raises(CoachError, match="the call has ended"):
        session.choose(1)


def test_sink_sees_each_event_before_the_call_returns(small_playbook: Playbook) -> None:
    seen: list[Event] = []

    def sink(event: Event) -> None:
        seen.append(event)

    session = Session(small_playbook, "hospital", {"balance": Decimal("10")}, sink=sink)
    session.note("rep_name", "Dana")
    assert seen[-1].text == "Dana"
    assert seen == session.events


def test_failing_sink_does_not_record_in_memory(small_playbook: Playbook) -> None:
    calls = {"n": 0}

    def flaky(event: Event) -> None:
        calls["n"] += 1
        if event.kind == "note":
            raise OSError("disk full")

    session = Session(small_playbook, "hospital", sink=flaky)
    with pytest.raises(OSError):
        session.note("rep_name", "Dana")
    assert all(e.kind != "note" for e in session.events)


def test_bad_notes_and_counterparts(small_playbook: Playbook) -> None:
    session = Session(small_playbook, "hospital")
    with pytest.raises(CoachError, match=r"^/offer: 'abc' is not an amount like \$900 or 75 a month$"):
        session.note("offer", "abc")
    with pytest.raises(CoachError, match="unknown note kind"):
        session.note("mood", "x")
    with pytest.raises(
        CoachError, match="--counterpart: 'insurer' is not one of hospital, doctor, collections"
    ):
        Session(small_playbook, "insurer")


def test_machine_has_no_auto_transitions(small_playbook: Playbook) -> None:
    session = Session(small_playbook, "hospital")
    triggers = set(session._machine.events)
    assert not any(name.startswith("to_") for name in triggers)
    assert "assess.who:big" in triggers


def test_failing_sink_leaves_step_and_fact_unchanged(small_playbook: Playbook) -> None:
    fail = {"on": ""}

    def sink(event: Event) -> None:
        if event.kind == fail["on"]:
            raise OSError("disk full")

    session = Session(small_playbook, "hospital", {"balance": Decimal("10")}, sink=sink)
    fail["on"] = "step"
    with pytest.raises(OSError):
        session.choose("small")
    assert session.node.qid == "assess.who"
    fail["on"] = "fact"
    with pytest.raises(OSError):
        session.set_fact("balance", "99")
    assert session.facts["balance"] == Decimal("10")
    fail["on"] = ""
    session.choose("small")
    assert session.node.qid == "assess.ask-insured"


def test_no_key_press_in_a_call_ever_stores_a_fact_of_1() -> None:
    """At every node a call can show, for every counterpart, "1" (or Enter) picks; it never becomes a fact."""
    from coach.paths import dialogues_dir

    playbook = load_playbook([dialogues_dir()])
    prepare_stage = playbook.nodes[playbook.start].stage
    walked = 0
    for node in playbook.nodes.values():
        if node.stage == prepare_stage:
            continue
        for counterpart in playbook.counterparts:
            session = Session(playbook, counterpart, {"balance": Decimal("2480")}, start=node.qid)
            assert session.view().ask is None, node.qid
            if not session.choices():
                continue
            session.choose(1)
            walked += 1
            for event in session.events:
                if event.kind == "fact":
                    assert str(event.data["value"]) not in ("1", "1.00"), (node.qid, counterpart, event.data)
    assert walked > 200


def test_offers_and_notes_read_on_as_the_call_goes_even_past_a_failed_step() -> None:
    """What hearing weighs a line against (the user's offers so far) and the notes a screen lists are
    read on from where they were last read: always what reading the whole call gives."""
    from coach.hearing.weighing import user_offers_from
    from coach.paths import dialogues_dir

    playbook = load_playbook([dialogues_dir()])
    stored: list[Event] = []
    fail = {"on": ""}

    def sink(event: Event) -> None:
        if event.kind == fail["on"]:
            raise OSError("disk gone")
        stored.append(event)

    session = Session(playbook, "collections", {"balance": Decimal("2400")}, sink=sink)

    def same() -> None:
        offers = session._user_offers()
        expected = user_offers_from(session.events)
        assert tuple(offers) == tuple(expected) and offers.theirs == expected.theirs
        assert session.notes() == tuple(e for e in session.events if e.kind == "note")

    same()
    session.note("counter", "900")
    session.hear("We can settle for 1500 today")
    same()
    session.note("offer", "1400")
    same()
    fail["on"] = "note"
    with pytest.raises(OSError):
        session.note("counter", "1000")  # nothing of it is kept ...
    fail["on"] = ""
    session.say("I can pay 950")  # ... and what comes next takes its place
    session.hear("Our lowest is 1300")
    same()
    offers = session._user_offers()
    assert offers[0] == Decimal("900") and Decimal("950") in offers and Decimal("1000") not in offers
    assert offers.theirs == (Decimal("1400"),)
    assert [e.text for e in session.notes()] == ["900", "1400"]


def test_the_case_card_is_kept_until_the_facts_or_the_date_change() -> None:
    """A call screen reads the card after every step: the same lines as working it out anew, every time."""
    from coach.casefile.casecard import _card_lines, case_card_lines
    from coach.paths import dialogues_dir

    playbook = load_playbook([dialogues_dir()])
    day = {"now": dt.datetime(2026, 11, 3, 12, 0, tzinfo=dt.UTC)}
    session = Session(
        playbook,
        "collections",
        {"balance": Decimal("2400"), "validation_notice_date": dt.date(2026, 11, 2)},
        clock=lambda: day["now"],
        start=playbook.call_start,
    )

    def same() -> list[str]:
        lines = case_card_lines(session)
        assert lines == _card_lines(session)
        return lines

    first = same()
    assert any("balance $2,400.00" in line for line in first)
    session.set_fact("balance", "1900")
    assert any("balance $1,900.00" in line for line in same())
    session.undo()
    assert same() == first
    day["now"] += dt.timedelta(days=1)  # a call past midnight: days left count down
    assert same() != first
    card = case_card_lines(session)
    card.append("changed by a caller")
    assert "changed by a caller" not in case_card_lines(session)
