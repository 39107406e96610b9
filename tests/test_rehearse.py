"""The rehearsal partner (personas, difficulty, a seeded offer engine) and the scorecard."""

from __future__ import annotations

import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.dialogue.facts import read_facts_file
from coach.dialogue.playbook import load_playbook
from coach.dialogue.render import Missing, render
from coach.dialogue.schema import Playbook
from coach.errors import CoachError
from coach.rehearsal.files import load_personas, validate_rehearse
from coach.rehearsal.partner import Partner, PartnerLine, personas_for
from coach.rehearsal.personas import (
    BANK_KEYS,
    DIFFICULTIES,
    ENGINE_SITUATIONS,
    LUMP,
    PLAN,
    TEMPLATE_NAMES,
)
from coach.rehearsal.scoring import format_scorecard, score
from coach.session.engine import Session

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "tests" / "fixtures" / "facts.yaml"
FIXTURES = ROOT / "tests" / "fixtures" / "rehearse"
BALANCE = {"balance": Decimal("2000")}


# -- driving a rehearsal the way a front end does ------------------------------------


class Rehearsal:
    """A Session and a Partner, wired as the line mode and the TUI wire them."""

    def __init__(
        self,
        playbook: Playbook,
        counterpart: str,
        persona: str | None = None,
        difficulty: str = "normal",
        seed: int | None = 7,
        facts: dict[str, Any] | None = None,
    ) -> None:
        self.session = Session(playbook, counterpart, facts, mode="rehearse")
        self.partner = Partner(counterpart, persona, difficulty, seed, facts)
        self.said: list[PartnerLine] = []

    def after(self) -> PartnerLine | None:
        line = self.partner.respond(self.session)
        if line is not None:
            self.session.hear(line.text, by="partner")
            self.said.append(line)
        return line

    def choose(self, pick: int | str) -> PartnerLine | None:
        self.session.choose(pick)
        return self.after()

    def type(self, text: str) -> PartnerLine | None:
        """Enter alone takes the only way on; a note command records; other lines are the user's words."""
        if text == "":
            self.session.choose(1)
        elif text.startswith("/"):
            name, _, arg = text[1:].partition(" ")
            kind = next(k for k, n in self.session.playbook.notes.items() if n.command == name)
            self.session.note(kind, arg)
        else:
            self.session.say(text)
        return self.after()

    def walk_to(self, target: str, picks: dict[str, str] | None = None) -> None:
        """Enter through asks and single choices, the first choice elsewhere, until ``target``."""
        picks = {"assess.triage": "no-urgent", **(picks or {})}
        for _ in range(200):
            view = self.session.view()
            if view.node == target:
                return
            if view.node in picks:
                self.choose(picks[view.node])
            elif view.ask is not None or len(view.choices) == 1:
                self.type("")
            else:
                self.choose(view.choices[0].id)
        raise AssertionError(f"never reached {target}; stuck at {self.session.view().node}")


@pytest.fixture(scope="module")
def facts(playbook: Playbook) -> dict[str, Any]:
    return read_facts_file(FACTS, playbook)


def haggle(partner: Partner, offers: list[str]) -> list[PartnerLine]:
    said = []
    for offer in offers:
        line = partner.consider(Decimal(offer))
        said.append(line)
        if line.accepted:
            break
    return said


def full_collections_call(playbook: Playbook, facts: dict[str, Any], seed: int = 7) -> Rehearsal:
    """A whole collections rehearsal: open, validation, a lump sum, a counter, written terms, close."""
    call = Rehearsal(playbook, "collections", "tough", "normal", seed, facts)
    call.walk_to("contact.open")
    call.type("/rep Morgan")
    call.type(f"/repid {call.partner.rep_id}")
    call.type(f"/ref {call.partner.reference}")
    call.type("")  # said the opening; on to the list of asks
    call.choose("validation")
    call.type("")  # said it; back to the asks
    call.choose("numbers")
    call.choose("lump")
    call.walk_to("propose.lump-sum")
    call.type("")  # said the opening offer: an offer of offer_opening
    call.choose("pushback")
    call.choose("bank-details")
    call.type("")  # "I won't give bank details"; back to their answer
    call.choose("countered")
    call.type("/counter 800")
    call.choose("agreed")
    call.walk_to("document.capture")
    call.session.end()
    return call


# -- the same seed gives the same call -----------------------------------------


def test_same_seed_and_steps_give_the_same_call(playbook: Playbook, facts: dict[str, Any]) -> None:
    first = full_collections_call(playbook, facts)
    second = full_collections_call(playbook, facts)
    assert first.said == second.said
    assert [e.text for e in first.session.events if e.kind == "heard"] == [
        e.text for e in second.session.events if e.kind == "heard"
    ]
    assert len(first.said) >= 8


def test_different_seeds_may_differ(playbook: Playbook, facts: dict[str, Any]) -> None:
    calls = {
        tuple(line.text for line in full_collections_call(playbook, facts, seed).said) for seed in range(6)
    }
    assert len(calls) > 1
    asks = {tuple(Partner("collections", "tough", "tough", seed, BALANCE).asks() or ()) for seed in range(6)}
    assert len(asks) > 1  # concession sizes vary with the seed; the floor does not
    assert {a[-1] for a in asks} == {Decimal("700.00")}


def test_no_seed_draws_one_and_keeps_it_for_a_replay() -> None:
    partner = Partner("hospital", facts=BALANCE)
    assert isinstance(partner.seed, int)
    assert (
        partner.replay
        == f"--counterpart hospital --persona counselor --difficulty normal --seed {partner.seed}"
    )
    again = Partner("hospital", seed=partner.seed, facts=BALANCE)
    assert (again.rep_id, again.reference, again.asks()) == (
        partner.rep_id,
        partner.reference,
        partner.asks(),
    )


# -- the offer engine ----------------------------------------------------------------


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
@pytest.mark.parametrize(
    "persona", ["counselor", "billing-rep", "manager", "front-desk", "tough", "helpful-collector"]
)
def test_partner_never_goes_below_floor_and_reaches_it_within_its_rounds(
    persona: str, difficulty: str
) -> None:
    counterpart = load_personas().personas[persona].counterpart
    partner = Partner(counterpart, persona, difficulty, 3, BALANCE)
    floor = partner.floor
    assert floor is not None
    said = haggle(partner, ["1"] * 15)
    asks = [line.offer for line in said]
    assert all(ask is not None and ask >= floor for ask in asks)
    assert asks == sorted(asks, reverse=True)  # it only ever gives ground
    assert not any(line.accepted for line in said)
    rounds = partner.level.rounds
    assert asks[rounds - 1] == asks[-1] == partner.asks()[-1]  # at its floor after `rounds` counters  # type: ignore[index]
    assert asks[-1] - floor < 1  # the floor, rounded up to whole dollars
    if rounds > 1:
        assert asks[rounds - 2] > asks[-1]  # and not before
    assert said[-1].situation == LUMP and said[-1].intent == "offer_lump_sum"


def test_partner_accepts_at_or_above_its_ask_and_never_counters_past_the_users_number() -> None:
    partner = Partner("collections", "tough", "normal", 1, BALANCE)
    first = partner.consider(Decimal("100"))
    assert not first.accepted and first.offer is not None
    line = partner.consider(first.offer)  # meeting its ask
    assert line.accepted and line.offer == first.offer and line.intent == "agreement_reached"
    assert partner.agreed == first.offer
    again = partner.consider(Decimal("5"))
    assert again.intent == "agreement_reached" and str(first.offer) in again.text.replace(",", "")

    assert again.offer == first.offer  # the deal it already made

    eager = Partner("hospital", "counselor", "easy", 1, BALANCE)
    over = eager.consider(Decimal("5000"))
    assert over.accepted and over.offer == Decimal("2000.00")  # never more than is owed

    generous = Partner("collections", "tough", "normal", 1, BALANCE)
    asks = generous.asks()
    assert asks is not None
    between = (asks[0] + asks[1]) / 2  # below its first ask, above the next one
    taken = generous.consider(between)
    assert taken.accepted and taken.offer == between.quantize(Decimal("0.01"))


@settings(max_examples=60, deadline=None)
@given(
    balance=st.integers(min_value=1, max_value=500_000),
    seed=st.integers(min_value=0, max_value=10_000),
    offers=st.lists(st.integers(min_value=0, max_value=600_000), min_size=1, max_size=12),
    difficulty=st.sampled_from(DIFFICULTIES),
)
def test_offer_engine_holds_its_floor_for_any_balance_and_offers(
    balance: int, seed: int, offers: list[int], difficulty: str
) -> None:
    partner = Partner("collections", "tough", difficulty, seed, {"balance": Decimal(balance)})
    floor = partner.floor
    assert floor is not None
    for offer in offers:
        line = partner.consider(Decimal(offer))
        assert line.offer is None or line.offer >= floor or line.intent == "agreement_reached"
        if line.accepted:
            assert line.offer is not None and line.offer >= floor
            break


def test_payment_plan_lengthens_to_its_longest_and_accepts_a_monthly_amount_at_its_ask() -> None:
    partner = Partner("hospital", "counselor", "normal", 5, BALANCE)
    plans = partner.plans()
    assert plans is not None
    assert plans[0] == (Decimal("167.00"), 12) and plans[-1] == (Decimal("56.00"), 36)
    said = [partner.consider_plan(Decimal("20")) for _ in range(5)]
    assert [line.offer for line in said][-1] == Decimal("56.00")
    assert all(line.intent == "payment_plan_offer" and not line.accepted for line in said)
    yes = partner.consider_plan(Decimal("60"))
    assert yes.accepted and yes.situation == PLAN and partner.agreed_plan == (Decimal("60.00"), 34)


def test_without_a_balance_the_partner_asks_for_a_number() -> None:
    partner = Partner("doctor", seed=1)
    assert partner.floor is None and partner.asks() is None
    assert partner.consider(Decimal("300")).text == "What amount are you offering?"
    assert partner.consider_plan(Decimal("30")).text == "How much can you pay each month?"


# -- difficulty: tone and persistence, never the facts ------------------------------


def test_difficulty_changes_wording_and_persistence_not_the_floor() -> None:
    partners = {level: Partner("collections", "tough", level, 4, BALANCE) for level in DIFFICULTIES}
    assert {p.floor for p in partners.values()} == {Decimal("700.00")}
    assert {p.asks()[-1] for p in partners.values()} == {Decimal("700.00")}  # type: ignore[index]
    assert len({p.opening() for p in partners.values()}) == 3
    give = "I'll mail the validation notice"

    def pushes_before_giving(partner: Partner) -> int:
        for count in range(10):
            if give in partner.talk("validation_request").text:
                return count
        raise AssertionError("never gave way")

    assert [pushes_before_giving(partners[level]) for level in DIFFICULTIES] == [0, 1, 2]
    rounds = [len(haggle(partners[level], ["1"] * 12)) for level in DIFFICULTIES]
    assert rounds == [12, 12, 12]
    assert [p.level.rounds for p in partners.values()] == [2, 3, 5]
    curt = Partner("collections", "tough", "tough", 4, BALANCE)
    first = curt.talk("pay_for_delete_request").text
    second = curt.talk("pay_for_delete_request").text
    assert first.startswith(("Look.", "That's how it works here.", "We "))
    assert second.startswith(("Like I said.", "I already told you."))  # a repeated pushback says so
    held = [curt.talk("pay_for_delete_request") for _ in range(3)]  # at tough, Morgan never gives way on it
    assert {line.intent for line in held} == {"pay_for_delete_refused"}
    normal = Partner("collections", "tough", "normal", 4, BALANCE)
    said = [normal.talk("pay_for_delete_request") for _ in range(2)]
    assert [line.intent for line in said] == ["pay_for_delete_refused", "pay_for_delete_accepted"]
    assert said[-1].text.endswith("put that in the letter.")


def test_bad_persona_counterpart_and_difficulty_are_one_line_errors() -> None:
    with pytest.raises(
        CoachError,
        match=r"^--persona: 'tough' plays collections, not hospital \(try: counselor, billing-rep\)$",
    ):
        Partner("hospital", "tough")
    with pytest.raises(CoachError, match=r"^--persona: 'grumpy' is not one of manager, front-desk$"):
        Partner("doctor", "grumpy")
    with pytest.raises(CoachError, match=r"^--difficulty: 'brutal' is not one of easy, normal, tough$"):
        Partner("hospital", None, "brutal")
    with pytest.raises(
        CoachError, match=r"^--counterpart: 'pharmacy' is not one of hospital, doctor, collections, insurer$"
    ):
        Partner("pharmacy")
    assert personas_for("collections") == [
        ("tough", "Morgan, collection agent"),
        ("helpful-collector", "Lee, account specialist"),
    ]


# -- the partner in a call --------------------------------------------------------


def test_partner_answers_steps_and_stays_quiet_in_assess(playbook: Playbook, facts: dict[str, Any]) -> None:
    call = Rehearsal(playbook, "hospital", "counselor", "easy", 2, facts)
    call.walk_to("contact.open")
    assert call.said == []  # nothing is said to the other side while assessing
    assert call.partner.respond(call.session) is None  # nothing new
    opening = call.type("")
    assert opening is not None and opening.situation == "opening"
    assert f"ID {call.partner.rep_id}" in opening.text and call.partner.reference in opening.text
    assert call.choose("itemized") is None  # choosing from a menu says nothing to them
    itemized = call.type("")
    assert itemized is not None and itemized.intent == "itemized_agreed"
    heard = [e for e in call.session.events if e.kind == "heard"]
    assert [e.data["by"] for e in heard] == ["partner", "partner"]
    assert heard[-1].data.get("intent") == "itemized_agreed"  # coach hears what the partner meant


def test_typed_offer_is_answered_once(playbook: Playbook, facts: dict[str, Any]) -> None:
    call = Rehearsal(playbook, "collections", "tough", "normal", 9, facts)
    call.walk_to("propose.lump-sum", {"contact.asks": "numbers", "propose.choose": "lump"})
    counter = call.type("/offer 500")
    assert counter is not None and counter.situation == LUMP and counter.offer is not None
    assert call.type("") is None  # leaving the phrase after typing an offer: already answered
    assert len([line for line in call.said if line.situation == LUMP]) == 1


def test_words_the_user_types_in_a_rehearsal_count_as_their_offer(
    playbook: Playbook, facts: dict[str, Any]
) -> None:
    call = Rehearsal(playbook, "collections", "tough", "easy", 9, facts)
    call.walk_to("contact.asks")
    line = call.type("I can pay 2,480 dollars today if you put it in writing")
    assert line is not None and line.accepted and line.offer == Decimal("2480.00")


# -- the scorecard ------------------------------------------------------------------


def test_scripted_collections_rehearsal_ends_in_a_matching_scorecard(
    playbook: Playbook, facts: dict[str, Any]
) -> None:
    call = full_collections_call(playbook, facts)
    floor = call.partner.floor
    assert floor == Decimal("868.00")  # 35% of $2,480
    offers = [line.offer for line in call.said if line.situation == LUMP]
    assert offers and all(offer is not None and offer >= floor for offer in offers)
    card = score(call.session.events, call.session.facts, "collections")
    results = {item.id: item.passed for item in card.items}
    assert results == {
        "rep-name-id": True,
        "reference": True,
        "itemized": None,  # not a collector's job
        "assistance": False,
        "validation": True,
        "offer-with-reason": True,  # "That's more than I can pay" on the counter
        "bank-details": True,  # they asked; the user refused
        "verbal-only": True,
        "written-confirmation": True,
        "deletion": True,
        "amount": False,
    }
    why = {item.id: item.why for item in card.items}
    assert why["amount"] == (
        "Your last offer, $800.00, was above your target of $765.00, though within your walk-away of $900.00."
    )
    assert (card.points, card.possible, card.summary) == (8, 10, "Scorecard: 8 of 10 (1 did not apply)")
    text = format_scorecard(card)
    assert text.splitlines()[0] == card.summary
    assert "  MISS  Asked about financial assistance: Ask whether financial assistance" in text
    assert "  n/a   Asked for the itemized bill: A collector rarely holds the itemized bill" in text
    event = call.session.record_score(text, card.as_json())
    assert event.kind == "score" and event.data["items"][0] == {
        "id": "rep-name-id",
        "label": "Got the rep's name and ID",
        "passed": True,
        "why": "You noted the rep's name and ID, so every promise can be traced to a person.",
    }


@pytest.mark.parametrize(
    ("counterpart", "failed", "not_applicable"),
    [
        (
            "hospital",
            {
                "rep-name-id",
                "reference",
                "itemized",
                "assistance",
                "offer-with-reason",
                "written-confirmation",
            },
            {"validation", "bank-details", "verbal-only", "deletion", "amount"},
        ),
        (
            "collections",
            {
                "rep-name-id",
                "reference",
                "assistance",
                "validation",
                "offer-with-reason",
                "written-confirmation",
                "deletion",
            },
            {"itemized", "bank-details", "verbal-only", "amount"},
        ),
    ],
)
def test_scorecard_of_a_call_that_did_nothing(
    playbook: Playbook, counterpart: str, failed: set[str], not_applicable: set[str]
) -> None:
    session = Session(playbook, counterpart, mode="rehearse")
    session.end()
    card = score(session.events, {}, counterpart)
    assert {i.id for i in card.items if i.passed is False} == failed
    assert {i.id for i in card.items if i.passed is None} == not_applicable
    assert card.points == 0
    why = {item.id: item.why for item in card.items}
    assert why["rep-name-id"] == "You didn't note the rep's name: ask for it at the start (/rep)."
    assert (
        why["offer-with-reason"]
        == "You never named an amount. Make a specific offer you can pay, and say why."
    )
    assert why["amount"] == "You made no offer in this call."
    assert why["bank-details"] == "They never asked for bank or card details in this call."


def test_bank_numbers_typed_fail_but_phone_numbers_dates_and_the_account_do_not(playbook: Playbook) -> None:
    facts = {"account_number": "AC-55881234"}
    session = Session(playbook, "collections", mode="rehearse")
    session.note("note", "callback 800-555-1212 on 2026-12-01, account AC-55881234")
    session.note("reference", "REF 1234567890")
    card = score(session.events, facts, "collections")
    assert next(i for i in card.items if i.id == "bank-details").passed is None
    session.note("note", "gave routing 021000021 and account 1234-5678-90")
    item = next(i for i in score(session.events, facts, "collections").items if i.id == "bank-details")
    assert item.passed is False and item.why.startswith(
        "Something you typed looks like a bank, card or routing"
    )


def test_undone_steps_do_not_count(playbook: Playbook, facts: dict[str, Any]) -> None:
    call = Rehearsal(playbook, "collections", "tough", "normal", 1, facts)
    call.walk_to("contact.asks")
    call.choose("validation")
    call.session.undo()  # a mis-tap
    card = score(call.session.events, call.session.facts, "collections")
    assert next(i for i in card.items if i.id == "validation").passed is False


def test_amount_item_over_walk_away_and_monthly_offers(playbook: Playbook, facts: dict[str, Any]) -> None:
    session = Session(playbook, "hospital", facts, mode="rehearse")
    session.note("offer", "$1,500")
    item = next(i for i in score(session.events, facts, "hospital").items if i.id == "amount")
    assert item.passed is False
    assert (
        item.why
        == "Your last offer, $1,500.00, went past your walk-away of $900.00; never go above it on a call."
    )
    call = Rehearsal(playbook, "hospital", "counselor", "normal", 1, facts)
    call.walk_to("propose.plan", {"contact.asks": "numbers", "propose.choose": "plan"})
    line = call.type("")  # asked for the monthly budget: an offer of $120 a month
    assert line is not None and line.situation == PLAN
    item = next(i for i in score(call.session.events, facts, "hospital").items if i.id == "amount")
    assert (item.passed, item.why) == (True, "You asked for $120.00 a month, within your budget of $120.00.")


def test_deletion_does_not_apply_to_small_collections(playbook: Playbook) -> None:
    session = Session(playbook, "collections", mode="rehearse")
    card = score(session.events, {"balance": Decimal("320")}, "collections")
    item = next(i for i in card.items if i.id == "deletion")
    assert item.passed is None and "under $500" in item.why


# -- hearing agrees with what the partner means -----------------------------------


def test_hearing_agrees_with_every_declared_intent_and_reads_every_amount() -> None:
    """A contract with dialogues/hear: the scorecard relies on coach hearing these lines right."""
    hear = pytest.importorskip("coach.hearing.intents").hear
    data = load_personas()
    context: dict[str, Any] = {name: Missing(name) for name in TEMPLATE_NAMES}
    context |= {"ask": Decimal("1234"), "offer": Decimal("900"), "agreed": Decimal("900")}
    context |= {"monthly": Decimal("150"), "months": 12, "off": "12%", "rep_name": "Pat"}
    context |= {"rep_id": "4471", "reference": "RF-123456", "balance": Decimal("2480")}
    wrong = []
    for persona in data.personas.values():
        leads = {lead for level in persona.levels.values() for lead in vars(data.tones[level.tone]).values()}
        for situation in data.lines[persona.counterpart]:
            bank = data.bank(persona, situation)
            for key in BANK_KEYS:
                for line in getattr(bank, key):
                    text = render(line.say, context)
                    for lead in {lead for group in leads for lead in group}:
                        heard = hear(f"{lead} {text}".strip(), persona.counterpart)
                        if line.intent and heard.intent != line.intent:
                            wrong.append(f"{persona.id} {situation}: {heard.intent} != {line.intent}: {text}")
                        if situation in ENGINE_SITUATIONS and key in ("push", "give", "final"):
                            got = heard.amount if situation == LUMP else heard.monthly
                            want = context["ask"] if situation == LUMP else context["monthly"]
                            if got != want:
                                wrong.append(f"{persona.id} {situation}: read {got}, said {want}: {text}")
    assert wrong == []


# -- the files -------------------------------------------------------------------------


def test_shipped_rehearsal_files_are_clean() -> None:
    assert validate_rehearse(ROOT / "dialogues" / "rehearse") == []


def test_small_fixture_is_clean_and_plays() -> None:
    folder = FIXTURES / "good"
    assert validate_rehearse(folder) == []
    partner = Partner("doctor", None, "tough", 1, BALANCE, path=folder)
    assert (partner.name, partner.opening(), partner.floor) == (
        "Bo, office manager",
        "What?",
        Decimal("1200.00"),
    )
    assert [partner.talk("itemized_request").text for _ in range(3)] == [
        "No itemized bills.",
        "Again. No itemized bills.",
        "I'll mail it.",
    ]
    agent = Partner("collections", path=folder)  # its own `give` line, the counterpart's `push`
    assert [agent.talk("itemized_request").text for _ in range(2)] == [
        "No itemized bills.",
        "Ask the hospital.",
    ]


def test_broken_fixture_reports_every_problem_with_its_line() -> None:
    folder = FIXTURES / "broken"
    personas, card = folder / "personas.yaml", folder / "scorecard.yaml"
    known = "account_number, agreed, ask, balance, creditor, monthly, months, off, offer, original_creditor, reference, rep_id, rep_name, state"
    assert validate_rehearse(folder) == [
        f"{personas}:7: persona 'clerk': unknown key 'mood' (allowed: counterpart, floor, levels, lines, name, opening, opening_ask, plan_months, rep_name)",
        f"{personas}:14: persona 'clerk': levels: normal: unknown tone 'grumpy' (known: plain)",
        f"{personas}:15: persona 'clerk': levels: tough: 'pushes' must be a whole number from 0 to 10",
        f"{personas}:17: persona 'office': unknown counterpart 'dentist' (known: hospital, doctor, collections)",
        f"{personas}:34: persona 'agent': 'floor' is above 'opening_ask'",
        f"{personas}:35: persona 'agent': 'plan_months' must be [first, most], from 1 to 120",
        f"{personas}:37: persona 'agent': levels: missing 'tough'",
        f"{personas}:39: defaults: unknown persona 'office'",
        f"{personas}:44: situations: bad pattern 'itemi(': missing ), unterminated subpattern at position 5",
        f"{personas}:46: offers: give exactly one of 'amount' or 'monthly'",
        f"{personas}:49: lines: hospital: unknown situation 'greeting' (add it to 'situations' or use one of already, generic, lump_sum_offer, payment_plan_request, unclear)",
        f"{personas}:51: lines: hospital: lump_sum_offer: missing 'final' lines",
        f"{personas}:52: lines: hospital: lump_sum_offer: unknown name 'amount' (known: {known})",
        f"{personas}:53: lines: hospital: lump_sum_offer: template error: unexpected '}}'",
        f"{personas}:64: lines: doctor: missing lines for 'lump_sum_offer'",
        f"{personas}:64: lines: doctor: missing lines for 'payment_plan_request'",
        f"{personas}:67: lines: doctor: generic: 'push' must be a non-empty list of lines",
        f"{personas}:68: lines: collections: missing lines for 'payment_plan_request'",
        f"{card}:6: item 'reference': unknown key 'points' (allowed: applies, broke, check, fail, id, label, na, na_counterpart, need, never, only_if, pass)",
        f"{card}:9: item 'reference': duplicate id (first on line 3)",
        f"{card}:11: item 'reference': unknown condition 'visit' (known: all, any, asked, chose, digits, fact, fact_below, heard, heard_text, not, note, offer, real_offer, said, said_at, visited)",
        f"{card}:14: item 'validation': 'fail' missing",
        f"{card}:16: item 'validation': unknown counterpart 'dentist'",
        f"{card}:17: item 'validation': bad pattern 'valid(': missing ), unterminated subpattern at position 5",
        f"{card}:21: item 'amount': unknown check 'total' (known: amount)",
        f"{card}:23: item 'target': 'no_target' missing",
        f"{card}:26: item 'target': unknown name 'goal' (known: balance, budget, least, monthly, months, offer, suspect, target, walk_away)",
    ]
    with pytest.raises(
        CoachError,
        match=rf"^{personas}:7: persona 'clerk': unknown key 'mood' .* \(and 17 more; run coach check\)$",
    ):
        Partner("hospital", path=folder)


@pytest.mark.parametrize(
    ("name", "edit", "message"),
    [
        (
            "scorecard.yaml",
            ("{note: reference}", "{note: ref}"),
            "item 'reference': unknown note kind 'ref' (known: agreed, counter, deadline, note, offer, promise, reference, rep_id, rep_name)",
        ),
        (
            "scorecard.yaml",
            ("{fact: cash_price}", "{fact: cash}"),
            "item 'offer-with-reason': unknown fact 'cash'",
        ),
        (
            "personas.yaml",
            ("amount: offer_opening}", "amount: offer_start}"),
            "offers: unknown fact or derived value 'offer_start'",
        ),
        (
            "personas.yaml",
            ("intent: itemized_refused}", "intent: itemised_refused}"),
            "lines: hospital: itemized_request: unknown intent 'itemised_refused'",
        ),
        (
            "personas.yaml",
            ("    counterpart: doctor\n", ""),
            "persona 'manager': unknown counterpart 'None' (known: hospital, doctor, collections, insurer)",
        ),
    ],
)
def test_coach_check_cross_checks_names_owned_by_other_files(
    tmp_path: Path, name: str, edit: tuple[str, str], message: str
) -> None:
    dialogues = tmp_path / "dialogues"
    shutil.copytree(ROOT / "dialogues", dialogues)
    path = dialogues / "rehearse" / name
    text = path.read_text()
    assert edit[0] in text
    path.write_text(text.replace(*edit, 1))
    problems = validate_rehearse(dialogues / "rehearse")
    assert any(p.startswith(f"{path}:") and p.endswith(message) for p in problems), problems


def test_yaml_problems_are_reported_with_their_line(tmp_path: Path) -> None:
    folder = tmp_path / "rehearse"
    shutil.copytree(FIXTURES / "good", folder)
    shutil.copy(FIXTURES / "counterparts.yaml", tmp_path)  # the counterparts the fixture is written for
    (folder / "scorecard.yaml").write_text("items:\n  - id: a\n    id: b\n")
    assert validate_rehearse(folder) == [
        f"{folder / 'scorecard.yaml'}:3: duplicate key 'id' (first on line 2)"
    ]
    (folder / "scorecard.yaml").unlink()
    assert validate_rehearse(folder) == [f"{folder / 'scorecard.yaml'}:1: missing file scorecard.yaml"]


# -- the line mode, end to end -------------------------------------------------------


def typed_lines(playbook: Playbook, facts: dict[str, Any], picks: list[tuple[str, str]]) -> list[str]:
    """The lines a user types in the line mode to walk a collections call through ``picks``.

    Each pick is (node to reach, choice id to take there); numbers come from the
    playbook as it is now, so the script follows content changes.
    """
    session = Session(playbook, "collections", facts, mode="rehearse", start=playbook.call_start)
    lines = []
    for target, choice in picks:
        for _ in range(200):
            view = session.view()
            if view.node == target:
                break
            pick = "no-urgent" if view.node == "assess.triage" else None
            if len(view.choices) == 1 and pick is None:
                lines.append("")
                session.choose(1)
            else:
                number = next(c.number for c in view.choices if c.id == (pick or view.choices[0].id))
                lines.append(str(number))
                session.choose(number)
        number = next(c.number for c in session.view().choices if c.id == choice)
        lines.append(str(number))
        session.choose(number)
    return lines


def test_plain_rehearsal_is_reproducible(tmp_path: Path, playbook: Playbook, facts: dict[str, Any]) -> None:
    """`coach rehearse --plain --seed` twice gives the same transcript, partner lines and scorecard."""
    options = ["--persona", "tough", "--seed", "7", "--facts", str(FACTS)]
    to_asks = typed_lines(playbook, facts, [("contact.open", "continue")])
    validation = typed_lines(playbook, facts, [("contact.asks", "validation")])[-1]
    said = [*to_asks, "/rep Morgan", validation, "", "/counter 700", "/counter 900", "/end"]
    script = "\n".join(said) + "\n"

    def run(home: Path) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "coach", "rehearse", "--plain", "--counterpart", "collections", *options],
            input=script,
            capture_output=True,
            text=True,
            env={"COACH_HOME": str(home), "PATH": "/usr/bin:/bin", "TZ": "UTC"},
            cwd=ROOT,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    first, second = run(tmp_path / "a"), run(tmp_path / "b")
    assert first == second
    assert "! " not in first  # every typed line was taken
    assert first.count("Them: ") == 5  # the greeting, the open, the validation request, two offers
    assert "\nScorecard: " in first
    assert "  pass  Asked for validation or disputed the debt: " in first


def test_loading_the_shipped_playbook_the_way_the_brief_says() -> None:
    playbook = load_playbook([ROOT / "dialogues"])
    data = load_personas()
    for qid, node in playbook.nodes.items():
        if node.phrase_source("collections") and qid.startswith("assess."):
            assert data.situation_of(qid) == "none"
