"""Hearing the other side: intents, numbers, replies, and their use inside a call."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.cli.main import main
from coach.dialogue.schema import Playbook
from coach.hearing.intents import hear
from coach.hearing.patterns import validate_intents
from coach.hearing.reading import read_numbers
from coach.session.engine import Session

DATA = Path(__file__).parent / "data"
INTENTS = Path(__file__).resolve().parent.parent / "dialogues" / "hear" / "intents.yaml"


def labelled(name: str) -> list[dict[str, object]]:
    return list(yaml.safe_load((DATA / name).read_text(encoding="utf-8"))["lines"])


def test_done_when_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["hear", "We can take $1,200 if you pay today", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["intent"] == "offer_lump_sum" and data["amount"] == 1200
    assert set(data) >= {"intent", "amount", "percent", "monthly", "months", "reply", "warning"}


def heard_as_labelled(line: dict[str, object]) -> str:
    """The intent coach hears for a labelled line, given the user's offers the label names."""
    offered = tuple(Decimal(str(a)) for a in line.get("offered", []))  # type: ignore[attr-defined]
    return hear(str(line["text"]), line.get("counterpart"), user_offers=offered).intent  # type: ignore[arg-type]


def test_labelled_set_accuracy_per_intent() -> None:
    lines = labelled("heard_lines.yaml")
    right, total = Counter[str](), Counter[str]()
    for line in lines:
        total[str(line["intent"])] += 1
        if heard_as_labelled(line) == line["intent"]:
            right[str(line["intent"])] += 1
    assert len(lines) >= 300 and len(total) >= 34
    assert sum(right.values()) / len(lines) >= 0.95
    assert all(right[i] / total[i] >= 0.8 for i in total), {i: f"{right[i]}/{total[i]}" for i in total}


def test_holdout_is_honest_and_still_useful() -> None:
    lines = labelled("heard_lines_holdout.yaml")
    right = sum(heard_as_labelled(line) == line["intent"] for line in lines)
    assert right / len(lines) >= 0.9


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("we'd take twelve hundred", "amount", Decimal(1200)),
        ("sixty percent and it's done", "percent", Decimal(60)),
        ("we can do $150 a month for 12 months", "monthly", Decimal(150)),
        ("we can do $150 a month for 12 months", "months", 12),
        ("1.2k today", "amount", Decimal(1200)),
    ],
)
def test_numbers(text: str, field: str, value: object) -> None:
    assert getattr(hear(text), field) == value


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_hear_never_raises(text: str) -> None:
    assert hear(text).intent


def test_in_a_call_a_heard_offer_is_weighed(playbook: Playbook) -> None:
    facts = {"balance": Decimal("2500"), "lump_sum_available": Decimal("1500")}
    session = Session(playbook, "collections", facts)
    event = session.hear("We can take $1,200 if you pay today")
    assert event.data["intent"] == "offer_lump_sum"
    assert event.data["weigh"].startswith("$1,200.00 is 48% of the balance; your target was")
    bank = session.hear("I'll need your routing and account number")
    assert bank.data["warning"] and "routing" in bank.data["warning"].lower()


def test_shipped_intents_are_clean_and_broken_ones_are_reported(tmp_path: Path) -> None:
    assert validate_intents(INTENTS) == []
    broken = tmp_path / "intents.yaml"
    broken.write_text(INTENTS.read_text(encoding="utf-8").replace("intents:", "intents:\n  bogus: 3", 1))
    problems = validate_intents(broken)
    assert problems and all(p.startswith(f"{broken}:") for p in problems)


def test_an_offer_above_target_gets_the_playbooks_counter(playbook: Playbook) -> None:
    facts = {"balance": Decimal("2480"), "lump_sum_available": Decimal("900"), "account_number": "AC-1"}
    event = Session(playbook, "collections", facts).hear("We can take $1,200 if you pay today")
    assert "above your walk-away ($900.00)" in event.data["weigh"]
    assert event.data["reply"].startswith("Thank you. That's more than I can pay. I could do $765.00")


# -- issue 12: the lines that went wrong at the money moments ---------------------------

FIXTURE_FACTS = Path(__file__).parent / "fixtures" / "facts.yaml"


def hear_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    assert main(["hear", *args, "--json"]) == 0
    return dict(json.loads(capsys.readouterr().out))


@pytest.mark.parametrize(
    ("text", "intent", "numbers"),
    [
        (
            "I can't do 765. I could go down to 1,100 if you pay this week.",
            "offer_lump_sum",
            {"amount": 1100},
        ),
        ("We would never take 500 for this account.", "refuse_discount", {"amount": None, "refused": 500}),
        ("I can't take twelve hundred, the lowest is eighteen hundred.", "offer_lump_sum", {"amount": 1800}),
        ("We can do 100 a month for 24 months.", "payment_plan_offer", {"monthly": 100, "months": 24}),
        ("We could settle for eleven fifty.", "offer_lump_sum", {"amount": 1150}),
        ("We can take seven fifty today.", "offer_lump_sum", {"amount": 750}),
        ("Nine seventy five and it's done.", "offer_lump_sum", {"amount": 975}),
        ("Eighteen fifty is the lowest I can go.", "offer_lump_sum", {"amount": 1850}),
        ("We'd take two grand to close it.", "offer_lump_sum", {"amount": 2000}),
        ("We can do one fifty a month.", "payment_plan_offer", {"monthly": 150}),
        ("We can do one twenty-five monthly.", "payment_plan_offer", {"monthly": 125}),
        (
            "We can settle for two thousand two thousand four hundred fifty dollars.",
            "offer_lump_sum",
            {"amount": 2450},
        ),
        ("We'll settle for fifty cents on the dollar.", "offer_percent", {"percent": 50}),
        ("We can take 1.5k in full.", "offer_lump_sum", {"amount": 1500}),
        ("We'd accept a hundred and fifty dollars to settle.", "offer_lump_sum", {"amount": 150}),
        (
            "This is an attempt to collect a debt and any information obtained will be used for that purpose.",
            "debt_notice",
            {},
        ),
        ("Your balance of $2,480 plus a $35 processing fee.", "fee_added", {"fee": 35}),
        ("The hospital already sent this to collections last month.", "already_in_collections", {}),
        ("Hi, this is Dana. This call is being recorded.", "call_recorded", {}),
        ("OK, I'll put a 60-day hold on it.", "hold_placed", {}),
        ("The lowest I can go is $400 if you pay by card today.", "offer_lump_sum", {"amount": 400}),
        ("I want to kill myself", "crisis", {}),
        ("pay with a gift card or you will be arrested", "scam_signs", {}),
        ("Just send 25 dollars today as a good faith payment.", "small_payment_request", {"amount": 25}),
    ],
)
def test_issue_lines_get_the_right_meaning_and_number(
    capsys: pytest.CaptureFixture[str], text: str, intent: str, numbers: dict[str, object]
) -> None:
    data = hear_json(capsys, text)
    assert data["intent"] == intent, data
    for name, value in numbers.items():
        assert data[name] == value, (name, data)
    assert data["reply"] != hear("").reply  # never "Sorry, could you say that again"


def test_the_offer_and_the_card_warning_both_show(capsys: pytest.CaptureFixture[str]) -> None:
    data = hear_json(capsys, "The lowest I can go is $400 if you pay by card today")
    assert data["intents"] == ["offer_lump_sum", "asks_payment_details"]
    assert "card" in str(data["warning"]).lower()


def test_crisis_leads_with_988_and_is_not_set_off_by_a_coverage_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = hear_json(capsys, "I want to kill myself")
    assert str(data["reply"]).startswith("Please call or text 988, the Suicide & Crisis Lifeline")
    assert hear("honestly i dont see the point of living anymore").intent == "crisis"
    mixed = hear("I can't take this anymore, we can settle for 900 today")
    assert mixed.intent == "crisis" and "988" in mixed.reply
    for line in (
        "my coverage for suicidal ideation treatment was denied",
        "The claim for the suicide prevention program visit is pending.",
        "we can kill the late fee if you pay today",
        "Shoot me a copy of your unemployment letter.",
        "This bill is killing me, honestly.",
        "Hang on, let me pull up the account.",
    ):
        assert hear(line).intent != "crisis", line


def test_an_acceptance_of_the_users_own_offer_is_an_agreement() -> None:
    facts = {"balance": Decimal("2480"), "lump_sum_available": Decimal("900")}
    line = "Okay, I can accept 900 as a settlement in full."
    agreed = hear(line, "collections", facts, user_offers=(Decimal("765"), Decimal("900")))
    assert agreed.intent == "accepted" and agreed.weighing.verdict == "accepted"
    assert agreed.weighing.counter is None and "I could do" not in agreed.reply
    assert "$900.00" in agreed.reply
    offered_less = hear(line, "collections", facts, user_offers=(Decimal("700"),))
    assert offered_less.intent == "offer_lump_sum" and offered_less.weighing.verdict == "counter"


def test_one_reply_states_one_counter() -> None:
    facts = {"balance": Decimal("2480"), "lump_sum_available": Decimal("900")}
    heard = hear("We can take $850 today", "collections", facts)  # between the target and the walk-away
    assert heard.weighing.verdict == "counter" and heard.weighing.counter is not None
    counter = f"${heard.weighing.counter:,.2f}"
    assert counter in heard.reply and counter in heard.weighing.sentence
    stated = {m for m in re.findall(r"\$[\d,]+\.\d\d", heard.reply + " " + heard.weighing.sentence)}
    assert stated - {"$850.00", counter, "$900.00"} == set()


def test_a_counter_never_goes_below_the_users_own_last_offer() -> None:
    facts = {"balance": Decimal("2480"), "lump_sum_available": Decimal("900")}
    heard = hear("We can take $880 today", "collections", facts, user_offers=(Decimal("870"),))
    assert heard.weighing.counter == Decimal("875.00")  # what is left between the two, split: never below 870
    lower = hear("We can take $880 today", "collections", facts, user_offers=(Decimal("600"),))
    assert lower.weighing.counter == Decimal("822.50")  # from the target when the user's offer is under it


def test_a_plan_above_the_budget_is_declined_with_the_budget() -> None:
    facts = {"balance": Decimal("2480"), "monthly_budget": Decimal("75")}
    heard = hear("We can do 100 a month for 24 months.", "collections", facts)
    assert heard.weighing.verdict == "plan_over_budget"
    assert "may work" not in heard.reply.lower() and "$75.00" in heard.reply
    fits = hear("We can do 60 a month for 24 months.", "collections", facts)
    assert fits.weighing.verdict == "plan_fits"


@pytest.mark.parametrize(
    "line",
    [
        "Just send 25 dollars today as a good faith payment.",
        "We can take $400 to settle it today.",
        "We can do 50 a month starting today.",
        "Okay, I can accept 900 as a settlement in full.",
        "If you settle today we'll ask the bureaus to remove it entirely.",
        "We don't send settlement letters, your confirmation number is your proof.",
    ],
)
def test_an_old_debt_never_gets_a_reply_that_pays_or_promises(line: str) -> None:
    old = {"balance": Decimal("2480"), "debt_age_years": 8, "monthly_budget": Decimal("75")}
    heard = hear(line, "collections", old, user_offers=(Decimal("900"),))
    assert heard.weighing.verdict == "old_debt"
    assert "time limit" in str(heard.warning)
    for promise in ("I may accept", "may work", "I could do", "we agree", "I'll pay", "before I pay"):
        assert promise not in heard.reply
    by_date = {"balance": Decimal("2480"), "date_of_service": dt.date.today() - dt.timedelta(days=365 * 4)}
    assert hear(line, "collections", by_date, user_offers=(Decimal("900"),)).weighing.verdict == "old_debt"


def test_in_a_live_call_after_my_offer_their_acceptance_is_not_countered(playbook: Playbook) -> None:
    from coach.dialogue.facts import read_facts_file

    facts = read_facts_file(FIXTURE_FACTS, playbook)
    session = Session(playbook, "collections", facts)
    session.note("counter", "900")
    event = session.hear("Okay, I can accept 900 as a settlement in full.")
    assert event.data["intent"] == "accepted" and event.data["verdict"] == "accepted"
    assert "could do" not in event.data["reply"] and "counter" not in event.data["weigh"].lower()
    assert set(event.data) >= {
        "intent",
        "amount",
        "percent",
        "monthly",
        "months",
        "reply",
        "warning",
        "weigh",
    }
    other = Session(playbook, "collections", facts)
    other.note("offer", "I offered 900")  # /offer in the user's own words counts as the user's offer
    assert other.hear("Okay, I can accept 900 as a settlement in full.").data["intent"] == "accepted"


def test_the_counter_the_coach_gave_is_the_users_offer_in_a_live_call(playbook: Playbook) -> None:
    """The coach told the user to say its counter: the rep taking that amount is a deal, not a new offer."""
    session = Session(playbook, "collections", {"balance": Decimal("2480")}, mode="live")
    first = session.hear("The lowest we can go is eighteen hundred")
    counter = Decimal(first.data["counter"])
    assert first.data["verdict"] == "counter" and counter < Decimal("1800")
    agreed = session.hear(f"OK, I can accept {counter} as a settlement in full")
    assert agreed.data["intent"] == "accepted" and agreed.data["verdict"] == "accepted"
    assert "could do" not in agreed.data["reply"]
    # a higher offer after the counter is countered again, never below the counter already given
    other = Session(playbook, "collections", {"balance": Decimal("2480")}, mode="live")
    given = Decimal(other.hear("The lowest we can go is eighteen hundred").data["counter"])
    again = other.hear("OK, I can do 1500").data
    assert again["verdict"] == "counter" and given <= Decimal(again["counter"]) < Decimal("1500")


def test_in_a_rehearsal_only_what_the_user_typed_counts_as_their_offer(playbook: Playbook) -> None:
    session = Session(playbook, "collections", {"balance": Decimal("2480")}, mode="rehearse")
    counter = session.hear("The lowest we can go is eighteen hundred", by="partner").data["counter"]
    heard = session.hear(f"OK, I can accept {counter} as a settlement in full", by="partner").data
    assert heard["verdict"] != "accepted"


def test_a_card_number_heard_in_a_call_is_stored_masked(playbook: Playbook) -> None:
    session = Session(playbook, "collections", {"balance": Decimal("2480")})
    event = session.hear("4111 1111 1111 1111")
    assert event.text == "…1111"
    assert "card number" in event.data["warning"]
    assert "4111 1111" not in json.dumps([e.to_json() for e in session.events], ensure_ascii=False)
    said = session.say("my routing number is 021000021")
    assert said.text == "my routing number is …0021"
    noted = session.note("note", "they asked for SSN 123-45-6789")
    assert noted.text == "they asked for SSN …6789"
    assert "123-45" not in json.dumps([e.to_json() for e in session.events], ensure_ascii=False)


def test_typing_mistakes_in_key_words_are_tolerated() -> None:
    assert hear("we can setle for twelve hundrd").amount == Decimal(1200)
    assert hear("we can setle for twelve hundrd").intent == "offer_lump_sum"
    assert hear("ths call is being recored").intent == "call_recorded"
    assert hear("we could do fourty percent of the balence").percent == Decimal(40)
    assert hear("the insurance claim is still waiting").intent == "insurance_pending"  # not "writing"


def test_cli_weighs_against_the_case_and_rejects_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    data = hear_json(
        capsys, "Okay, I can accept 900 as a settlement in full.", "--offered", "900", "--balance", "2480"
    )
    assert data["intent"] == "accepted"
    with pytest.raises(SystemExit):
        main(["hear", "we can take 900", "--balance", "lots"])
    assert "is not an amount" in capsys.readouterr().err


def test_labelled_sets_are_big_enough_and_user_numbers_are_read() -> None:
    rep = labelled("heard_lines.yaml") + labelled("heard_lines_holdout.yaml")
    user = labelled("hear_user_lines.yaml") + labelled("hear_user_lines_holdout.yaml")
    assert len(rep) >= 400 and len(user) >= 150
    checked = right = 0
    for line in user:
        numbers = read_numbers(str(line["text"]))
        for slot in ("amount", "percent", "monthly", "months"):
            if slot in line:
                checked += 1
                right += getattr(numbers, slot) == Decimal(str(line[slot]))
    assert checked >= 40 and right / checked >= 0.9


def test_an_offer_above_the_whole_balance_is_asked_again() -> None:
    heard = hear("We can settle for 2,900 today", "collections", {"balance": Decimal("2480")})
    assert heard.weighing.verdict == "check_number" and heard.weighing.counter is None
    assert "repeat" in heard.reply and "$2,480.00" in heard.weighing.sentence


def test_a_line_no_pattern_places_takes_the_meaning_of_a_close_example_and_says_so() -> None:
    from coach.hearing.examples import NEVER_GUESSED, examples_path, nearest, tokens

    assert examples_path().is_file()
    shipped = yaml.safe_load(examples_path().read_text(encoding="utf-8"))["examples"]
    example = next(e for e in shipped if e["intent"] == "insurance_pending")
    found = nearest(example["tokens"])
    assert found is not None and found[0] == "insurance_pending" and found[1] == pytest.approx(1.0)
    assert nearest("completely unrelated words about weather and gardens") is None
    assert all(e["intent"] not in NEVER_GUESSED for e in shipped)
    assert tokens("we are reviewing the claim") == frozenset({"revie", "claim"})


def test_shipped_examples_are_built_from_the_tuned_set_only() -> None:
    from coach.hearing.examples import NEVER_GUESSED, examples_path, tokens

    shipped = {
        (e["tokens"], e["intent"]) for e in yaml.safe_load(examples_path().read_text("utf-8"))["examples"]
    }
    tuned = {
        (" ".join(sorted(tokens(read_numbers(str(line["text"])).tagged))), str(line["intent"]))
        for line in labelled("heard_lines.yaml")
        if line["intent"] not in NEVER_GUESSED
    }
    assert shipped == {row for row in tuned if row[0]}, "run scripts/build_hear_examples.py"


def test_a_card_number_is_masked_in_the_store_file_too(playbook: Playbook, tmp_path: Path) -> None:
    from coach.casefile.store import Store

    store = Store.open(tmp_path / "coach.db")
    call = store.start_call(store.create_case({}, "c", None), "live", "collections")
    session = Session(playbook, "collections", sink=store.sink_for(call))
    session.hear("4111 1111 1111 1111")
    assert [e.text for e in store.events(call)][-1] == "…1111"
    store.close()
    assert b"4111 1111" not in (tmp_path / "coach.db").read_bytes()


def test_after_they_turn_the_users_number_down_the_counter_steps_up() -> None:
    """ "I can't do 765 … 1,100": answering with $765 again is no answer; the next step is."""
    facts = {"balance": Decimal("2480"), "lump_sum_available": Decimal("900")}
    heard = hear("I can't do 765. I could go down to 1,100 if you pay this week.", "collections", facts)
    assert heard.amount == Decimal("1100") and heard.weighing.counter is not None
    assert Decimal("765") < heard.weighing.counter < Decimal("1100")
    assert "$765.00" not in heard.reply


def test_no_hear_source_cites_the_internal_research_notes() -> None:
    def sources(node: object) -> list[str]:
        if isinstance(node, dict):
            found = []
            for key, value in node.items():
                if key == "source":
                    found += [value] if isinstance(value, str) else list(value)
                else:
                    found += sources(value)
            return found
        if isinstance(node, list):
            return [s for item in node for s in sources(item)]
        return []

    cited = sources(yaml.safe_load(INTENTS.read_text(encoding="utf-8")))
    assert cited
    assert [s for s in cited if "FACTS" in s] == []


# -- messy wording: negation scope, amounts named as what is owed, shorthand, spoken forms -------


@pytest.mark.parametrize(
    ("text", "intent", "numbers"),
    [
        # a negation reaches back no further than an earlier amount
        (
            "its not gonna be eight hundred its gonna be more like twelve fifty",
            "offer_lump_sum",
            {"amount": Decimal(1250), "refused": Decimal(800)},
        ),
        ("we would never take 500 or 600", "refuse_discount", {"amount": None, "refused": Decimal(500)}),
        # an amount named as what is owed is never the offer
        ("instead of 2480 you could pay 1600 and be done", "offer_lump_sum", {"amount": Decimal(1600)}),
        ("you owe 2480 but we can take 1200", "offer_lump_sum", {"amount": Decimal(1200)}),
        ("ok so I see a balance of 2480 on this", "full_balance_demand", {"amount": Decimal(2480)}),
        # amounts as people say them
        ("the offer on the table is two point one k", "offer_lump_sum", {"amount": Decimal(2100)}),
        ("a grand would settle the whole thing", "offer_lump_sum", {"amount": Decimal(1000)}),
        ("two and a half grand and its closed", "offer_lump_sum", {"amount": Decimal(2500)}),
        ("$1,000... sorry, $1,100 is the number", "offer_lump_sum", {"amount": Decimal(1100)}),
        ("we can settle for 1,200, sorry, 1,250", "offer_lump_sum", {"amount": Decimal(1250)}),
        # rushed typing: shorthand, contractions without apostrophes, sound-alike letters
        ("five hundred nah thats way too low", "refuse_discount", {"refused": Decimal(500)}),
        ("im not authorized to take anything off the balanse", "refuse_discount", {}),
        ("if u can pay 1300 by friday were good", "offer_lump_sum", {"amount": Decimal(1300)}),
    ],
)
def test_messy_wording_is_heard_by_general_rules(text: str, intent: str, numbers: dict[str, object]) -> None:
    heard = hear(text, "collections")
    assert heard.intent == intent, heard
    for name, value in numbers.items():
        assert getattr(heard, name) == value, (name, heard)


def test_their_no_to_the_users_own_number_is_never_an_agreement() -> None:
    """Found in a played call: "seven sixty five huh, no, I cant get that approved" was heard as accepted."""
    facts = {"balance": Decimal("2480"), "lump_sum_available": Decimal("900")}
    offers = (Decimal("765"),)
    for line in ("seven sixty five huh, no, I cant get that approved", "765? no, we can't do that"):
        heard = hear(line, "collections", facts, user_offers=offers)
        assert heard.intent == "refuse_discount" and heard.refused == Decimal(765), heard
        assert heard.weighing.verdict != "accepted" and "we agree" not in heard.reply
    yes = hear("765, yeah, I can do that", "collections", facts, user_offers=offers)
    assert yes.intent == "accepted" and yes.weighing.verdict == "accepted"


def test_an_agreement_is_never_guessed_from_a_similar_line() -> None:
    from coach.hearing import intents

    facts = {"balance": Decimal("2480"), "lump_sum_available": Decimal("900")}
    line = "the client 765"  # no pattern places it; a similar offer example does
    assert intents.nearest(intents.read_numbers(line).tagged) is not None
    heard = hear(line, "collections", facts, user_offers=(Decimal("765"),))
    assert heard.intent == "offer_lump_sum" and heard.weighing.verdict != "accepted"
    assert heard.warning is not None and "isn't sure" in heard.warning


def test_a_real_word_is_never_corrected_into_a_key_word() -> None:
    """Typo tolerance must not turn "homeless" into "hopeless" (a crisis) or "were" into "wire" (a scam)."""
    from coach.hearing.typos import correct, correct_word

    for word in (
        "internet",
        "homeless",
        "eleventh",
        "right",
        "playing",
        "deport",
        "unauthorized",
        "collecting",
        "creditor",
        "managed",
        "policies",
        "standing",
        "weight",
        "superior",
    ):
        assert correct_word(word) == word, word
    assert correct("we can setle at twelv hundrd") == "we can settle at twelve hundred"
    assert hear("what can you put towards it right now").amount is None  # "right" is not "eight"
    assert hear("I'm homeless right now and can't pay").intent != "crisis"
    assert hear("thats way too low u know").intent == "refuse_discount"


@pytest.mark.parametrize(
    ("text", "slot", "value"),
    [
        ("settle for 900ish today", "amount", Decimal(900)),
        ("we can settle at an even thousand", "amount", Decimal(1000)),
        ("one thousand two fifty settles it", "amount", Decimal(1250)),
        ("eleven hundred, no wait, eleven fifty is my best", "amount", Decimal(1150)),
        ("we can do 12 months at $210", "monthly", Decimal(210)),
        ("no, 500 is not going to do it", "refused", Decimal(500)),
        ("eight hundred? not a chance", "refused", Decimal(800)),
    ],
)
def test_amounts_said_every_which_way(text: str, slot: str, value: Decimal) -> None:
    assert getattr(hear(text, "collections"), slot) == value


def test_a_second_played_call_on_an_old_debt() -> None:
    """Lines from a played collector call (an 8-year-old debt), each once misheard."""
    fee = hear("the balance we have is twenty four eighty plus thirty five in fees", "collections")
    assert fee.intent == "fee_added" and fee.amount == Decimal(2480) and fee.fee == Decimal(35)
    assert hear("there are 12 fees on it").fee is None  # a count of fees is no fee amount
    assert hear("ill put a note on the account and call you next week").intent == "callback"
    for line in (
        "no we cant send anything before you pay",
        "we can email you a letter after payment goes thru",
    ):
        assert hear(line, "collections").intent == "written_confirmation_refused", line
    old = {"balance": Decimal("2480"), "debt_age_years": 8}
    plan = hear("we culd do one twenty five a month for twenty months", "collections", old)
    assert (plan.monthly, plan.months, plan.weighing.verdict) == (Decimal(125), 20, "old_debt")


def test_when_they_ask_what_the_user_can_pay_coach_names_the_opening_not_the_walk_away() -> None:
    facts = {
        "balance": Decimal("2480"),
        "lump_sum_available": Decimal("900"),
        "monthly_budget": Decimal("120"),
    }
    heard = hear("How much are you offering to pay?", "collections", facts)
    assert heard.intent == "asks_offer" and heard.weighing.verdict == "name_offer"
    assert "$540.00" in heard.reply and "$120.00 a month" in heard.reply and "$900.00" not in heard.reply
    again = hear("so what number did you have in mind", "collections", facts, user_offers=(Decimal("765"),))
    assert "$765.00" in again.reply
    old = hear(
        "How much can you pay each month?", "collections", {"balance": Decimal("2480"), "debt_age_years": 8}
    )
    assert old.weighing.verdict == "old_debt" and "$" not in old.reply
    assert hear("How much can you pay each month?").reply.startswith("I'd like to resolve this")
    assert hear("we can take 900, how much can you pay today?").intent != "asks_offer"  # their number leads


def test_the_partners_own_pushbacks_get_an_answer() -> None:
    """Rehearsal: coach answers the partner's lines as it would a real rep, never "say that again"."""
    unknown = hear("").reply
    for line in (
        "My supervisor will say the same. I'm the one handling your account.",
        "Everyone has something going on. The balance is still due.",
        "You were sent a notice already. The debt is valid.",
        "How much are you offering to pay?",
        "I understand, but we need to be paid for the visit.",
    ):
        assert hear(line, "collections").reply != unknown, line


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("I'm afraid 500 won't be enough.", "refuse_discount"),
        ("we don't negotiate balances under a thousand", "refuse_discount"),
        ("they're asking for payment in full, no exceptions", "full_balance_demand"),
        ("let me transfer you over to our financial counselor", "hold_or_transfer"),
        ("we'll pursue legal remedies if necessary", "threat_legal"),
        ("we'll have to report the account as delinquent", "threat_credit"),
        ("i can stop the statements for sixty days", "hold_placed"),
        ("so what do you think you can afford to pay", "asks_offer"),
        ("i can get you a deal at nine twenty five if thats something you can swing", "offer_lump_sum"),
        ("have you looked into our financial assistance program", "assistance_available"),
    ],
)
def test_held_out_style_lines_written_for_the_tuned_set(text: str, intent: str) -> None:
    assert hear(text, "collections").intent == intent
    assert hear("can you do a small payment today, maybe twenty five").amount == Decimal(25)
    assert hear("we can put you on 12 payments of two oh five").monthly == Decimal(205)


def test_after_slash_offer_900_their_acceptance_of_900_is_not_countered(playbook: Playbook) -> None:
    """Done-when: in a live call on the fixture facts, `/offer 900` then "Okay, I can accept 900 ..."."""
    from coach.dialogue.facts import read_facts_file

    facts = read_facts_file(FIXTURE_FACTS, playbook)
    session = Session(playbook, "collections", facts)
    session.note("offer", "900")  # the amount noted as on the table
    event = session.hear("Okay, I can accept 900 as a settlement in full.")
    assert event.data["intent"] == "accepted" and event.data["counter"] is None
    assert "could do" not in event.data["reply"]
    above = Session(playbook, "collections", facts)
    above.note("offer", "1500")  # above the walk-away ($900): never agreed to for the user
    again = above.hear("Okay, I can accept 1500 as a settlement in full.")
    assert again.data["intent"] == "offer_lump_sum" and again.data["verdict"] == "counter"


def test_texting_shorthand_is_spelled_out_without_touching_form_names() -> None:
    from coach.hearing.typos import correct

    assert correct("send your w-2 and w2 forms w my notes") == "send your w-2 and w2 forms with my notes"
    assert hear("1250 n we r done", "collections").amount == Decimal(1250)
    assert hear("card # pls", "collections").intent == "asks_payment_details"
    assert hear("can u send us your w-2", "hospital").intent == "asks_documents"
    assert hear("we can settle this for like a grand and a half").amount == Decimal(1500)
    assert hear("if you can swing ten k, sorry, ten hundred, we're good").amount == Decimal(1000)


def test_not_seeing_a_reason_to_keep_living_is_a_crisis() -> None:
    """A safety miss found on held-out part J: coach must answer it with 988 first."""
    for line in ("i don't see a reason to keep living", "honestly i can't find any reason to keep going on"):
        heard = hear(line, "collections")
        assert heard.intent == "crisis" and "988" in heard.reply, line
    assert hear("I don't see the point of paying this bill").intent != "crisis"


def test_a_four_letter_slip_is_read_only_as_a_number_word() -> None:
    """ "sevn" is seven, but a real four-letter word ("seen", "tree", "tour", "none") never becomes a number."""
    from coach.hearing.typos import correct

    assert correct("we can do sevn hundred") == "we can do seven hundred"
    assert correct("thre hundred and nien") == "three hundred and nine"
    for line in ("i have seen the tree", "the tour is none of it", "give me that", "then what"):
        assert correct(line) == line, line
    assert correct("culd we talk") == "culd we talk"  # a slip in a word that is not a number is left as typed
    assert hear("I have seen the bill, the tree of charges is long").amount is None


@pytest.mark.parametrize(
    ("text", "slot", "value"),
    [
        ("ok they would take fifteen even", "amount", Decimal(1500)),
        ("they said fifteen even dollars today", "amount", Decimal(15)),  # "even dollars" keeps it $15
        ("Two twenty five is not something the office can accept.", "refused", Decimal(225)),
        ("Two twenty five is not something the office can accept.", "amount", None),
        ("a monthly arrangement of $70 is fine", "monthly", Decimal(70)),
        ("a payment of $640 zeroes the balance", "amount", Decimal(640)),
        ("a payment of $640 zeroes the balance", "monthly", None),
        ("on the plan, a payment of $40 is due", "monthly", Decimal(40)),
    ],
)
def test_money_moment_wordings(text: str, slot: str, value: Decimal | None) -> None:
    assert getattr(hear(text, "collections"), slot) == value
