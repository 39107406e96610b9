"""The rehearsal partner hears the user: what they say is theirs, and each thing gets an answer."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from coach.dialogue.facts import read_facts_file
from coach.dialogue.schema import Playbook
from coach.rehearsal.partner import Partner, PartnerLine
from coach.rehearsal.personas import LUMP, PLAN
from coach.rehearsal.scoring import score
from coach.session.engine import Session
from coach.session.events import Event
from tests.test_rehearse import FACTS, Rehearsal


@pytest.fixture(scope="module")
def facts(playbook: Playbook) -> dict[str, Any]:
    return read_facts_file(FACTS, playbook)


class Call:
    """The call core's rehearsal turn as the new contract has it: say the line, then the partner answers."""

    def __init__(self, playbook: Playbook, facts: dict[str, Any], persona: str = "tough", **kw: Any) -> None:
        self.session = Session(playbook, "collections", facts, mode="rehearse")
        self.partner = Partner(
            "collections", persona, kw.get("difficulty", "normal"), kw.get("seed", 3), facts
        )
        self.lines: list[PartnerLine] = []

    def say(self, text: str) -> Event:
        self.session.say(text)
        line = self.partner.respond(self.session)
        assert line is not None, f"no answer to {text!r}"
        self.lines.append(line)
        return self.partner.speak(self.session, line)


def test_scripted_rehearsal_answers_each_thing_the_user_says(
    playbook: Playbook, facts: dict[str, Any]
) -> None:
    call = Call(playbook, facts)
    delete = call.say("can you do pay for delete?")
    writing = call.say("I want this in writing")
    lump = call.say("I can pay 900 today")
    plan = call.say("how about 75 a month")

    assert delete.data["intent"] in ("pay_for_delete_refused", "pay_for_delete_accepted")
    assert call.lines[0].answers == ("pay_for_delete",)
    assert writing.data["intent"] in ("written_confirmation_refused", "written_confirmation_agreed")
    assert call.lines[1].answers == ("in_writing",)

    floor = call.partner.floor
    assert floor == Decimal("868.00")  # 35% of $2,480
    counter = call.lines[2]
    assert counter.situation == LUMP and counter.answers == ("offer_lump",)
    assert counter.offer is not None and Decimal("900") < counter.offer <= Decimal("2480")  # a counter
    assert counter.intent == "offer_lump_sum" and Decimal(str(lump.data["amount"])) == counter.offer

    monthly = call.lines[3]
    assert monthly.situation == PLAN and monthly.intent == "payment_plan_offer"
    assert monthly.offer is not None and monthly.offer > Decimal("75") and monthly.months
    assert Decimal(str(plan.data["monthly"])) == monthly.offer

    events = call.session.events
    said = [e for e in events if e.kind == "said"]
    assert [e.text for e in said] == [
        "can you do pay for delete?",
        "I want this in writing",
        "I can pay 900 today",
        "how about 75 a month",
    ]
    assert all(e.data == {"by": "user"} for e in said)  # the user's words, never "heard"
    heard = [e for e in events if e.kind == "heard"]
    assert len(heard) == 4 and all(e.data["by"] == "partner" for e in heard)
    assert all(e.data.get("reply") for e in heard)  # the coach has an answer for the user to practise
    # each answer follows the line it answers
    order = [e.kind for e in events if e.kind in ("said", "heard")]
    assert order == ["said", "heard"] * 4


def test_partner_speaks_its_own_meaning_when_the_session_takes_it(
    playbook: Playbook, facts: dict[str, Any]
) -> None:
    """The contract for Session.hear(..., meaning=...): the partner's intent and numbers, not a guess."""

    class MeaningSession(Session):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.meanings: list[dict[str, Any]] = []

        def hear(self, text: str, by: str = "counterpart", meaning: dict[str, Any] | None = None) -> Event:
            self.meanings.append(dict(meaning or {}))
            return super().hear(text, by)

    session = MeaningSession(playbook, "collections", facts, mode="rehearse")
    partner = Partner("collections", "tough", "normal", 3, facts)
    session.say("I can pay 900 today")
    event = partner.answer(session)
    assert event is not None and event.data["by"] == "partner"
    meaning = session.meanings[-1]
    assert meaning["intent"] == "offer_lump_sum" and meaning["situation"] == LUMP
    assert Decimal(meaning["amount"]) == Decimal(str(event.data["amount"])) and meaning["accepted"] is False
    assert meaning["answers"] == ["offer_lump"]
    assert partner.answer(session) is None  # nothing new: nothing said


def test_partner_answers_only_when_there_is_something_new(playbook: Playbook, facts: dict[str, Any]) -> None:
    call = Call(playbook, facts)
    assert call.partner.respond(call.session) is None  # the call has only started
    call.say("I want this in writing")
    assert call.partner.respond(call.session) is None  # already answered
    call.session.note("rep_name", "Morgan")
    assert call.partner.respond(call.session) is None  # a note to self says nothing to them


def test_partner_never_repeats_a_line(playbook: Playbook, facts: dict[str, Any]) -> None:
    call = Call(playbook, facts, difficulty="tough", seed=11)
    for text in [
        "hello",
        "can you do pay for delete?",
        "pay for delete?",
        "I want this in writing",
        "put it in writing please",
        "I want it in writing",
        "i need proof i owe this",
        "can i talk to a supervisor",
        "i lost my job",
        "what",
        "I can pay 500",
        "I can pay 500",
        "I can pay 600",
    ]:
        call.say(text)
    texts = [line.text for line in call.lines]
    assert len(texts) == len(set(texts)), texts
    # at tough, Morgan never gives way on deletion; asked again it says so
    assert {line.intent for line in call.lines[1:3]} == {"pay_for_delete_refused"}
    assert call.lines[2].text.startswith(("Like I said.", "I already told you."))


def test_introduction_is_said_once_however_often_the_user_passes_by(
    playbook: Playbook, facts: dict[str, Any]
) -> None:
    call = Rehearsal(playbook, "collections", "tough", "easy", 2, facts)
    call.walk_to("contact.open")
    first = call.type("")
    assert first is not None and f"ID {call.partner.rep_id}" in first.text
    call.session.undo()
    assert call.session.view().node == "contact.open"
    assert call.type("") is None  # moving on again: no second introduction


def test_each_persona_answers_in_its_own_way(playbook: Playbook, facts: dict[str, Any]) -> None:
    easy = Call(playbook, facts, difficulty="easy")
    assert easy.say("can you do pay for delete?").data["intent"] == "pay_for_delete_accepted"
    assert easy.say("I want this in writing").data["intent"] == "written_confirmation_agreed"
    assert easy.lines[-1].text == "We'll put the settlement terms in a letter before you pay."
    easy.say("I want this in writing")
    assert easy.lines[-1].situation == "already"  # granted once; asked again it says so

    hospital = Session(playbook, "hospital", facts, mode="rehearse")
    counselor = Partner("hospital", "counselor", "easy", 1, facts)
    hospital.say("send me an itemized bill")
    assert counselor.answer(hospital).data["intent"] == "itemized_agreed"  # type: ignore[union-attr]
    hospital.say("is there financial assistance?")
    assert counselor.answer(hospital).data["intent"] == "assistance_available"  # type: ignore[union-attr]


def test_deal_takes_the_partners_number_and_the_scorecard_judges_it(
    playbook: Playbook, facts: dict[str, Any]
) -> None:
    call = Call(playbook, facts, difficulty="easy")
    call.say("I can pay 700")
    ask = call.lines[-1].offer
    assert ask is not None and not call.lines[-1].accepted
    call.say("deal")
    assert call.lines[-1].accepted and call.lines[-1].offer == ask == call.partner.agreed
    card = score(call.session.events, call.session.facts, "collections")
    amount = next(item for item in card.items if item.id == "amount")
    assert f"${ask:,.2f}" in amount.why  # the amount agreed, not the $700 first said
    asked = {item.id: item.passed for item in card.items}
    assert asked["written-confirmation"] is False and asked["deletion"] is False
    call.say("I want this in writing, and can you delete it?")
    card = score(call.session.events, call.session.facts, "collections")
    assert {item.id: item.passed for item in card.items}["written-confirmation"] is True
    assert {item.id: item.passed for item in card.items}["deletion"] is True


def test_an_offer_built_from_a_bad_fact_never_passes(playbook: Playbook, facts: dict[str, Any]) -> None:
    """$0.60 on a $2,480 debt, because what the user can pay at once was stored as $1."""
    bad = facts | {"lump_sum_available": Decimal("1")}
    call = Rehearsal(playbook, "collections", "tough", "normal", 7, bad)
    call.walk_to("propose.lump-sum", {"contact.asks": "numbers", "propose.choose": "lump"})
    call.type("")  # said the opening offer: offer_opening, built from the $1
    card = score(call.session.events, call.session.facts, "collections")
    items = {item.id: item for item in card.items}
    assert items["amount"].passed is False
    assert items["amount"].why == (
        "Your last offer, $0.60, is under 5% of the $2,480.00 balance, too little to be real: "
        "check the facts it came from (what you can pay at once is $1.00)."
    )
    assert items["offer-with-reason"].passed is False
    assert items["offer-with-reason"].why.startswith("Your offer was under 5% of the balance")

    session = Session(playbook, "collections", facts | {"monthly_budget": Decimal("1")}, mode="rehearse")
    session.say("I can do 1 dollar a month")
    item = next(i for i in score(session.events, session.facts, "collections").items if i.id == "amount")
    assert item.passed is False and item.why == (
        "$1.00 a month would take more than 120 months to clear $2,480.00: "
        "check the facts it came from (your monthly budget is $1.00)."
    )


def test_a_stated_hardship_moves_a_kind_persona_once_and_a_hard_one_not_at_all(
    playbook: Playbook, facts: dict[str, Any]
) -> None:
    def second_ask(persona: str, hardship: bool) -> Decimal:
        call = Call(playbook, facts, persona=persona, seed=5)
        call.say("I can pay 500")
        if hardship:
            call.say("i lost my job")
            call.say("i'm on disability too, it's a real hardship")  # said twice: counted once
        call.say("I can pay 500")
        ask = call.lines[-1].offer
        assert ask is not None and not call.lines[-1].accepted
        return ask

    kind = Partner("collections", "helpful-collector", "normal", 5, facts)
    asks = kind.asks()
    assert asks is not None
    assert second_ask("helpful-collector", False) == asks[2]
    assert second_ask("helpful-collector", True) == asks[3]  # one counter's worth, once
    assert second_ask("tough", True) == second_ask("tough", False)
