"""Offer ladders, payment plans and weighing heard offers: exact money, within the user's means."""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from coach.money.amounts import to_cents
from coach.money.derive import ladder_for, plan_months
from coach.money.negotiate import (
    Ladder,
    Step,
    counter_for,
    offer_ladder,
    payment_plan,
    weigh_lump_sum,
    weigh_offer,
)

CENT = Decimal("0.01")
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("2000000"), places=2)
counterparts = st.sampled_from(["hospital", "doctor", "collections", "someone else"])
maybe = st.none() | amounts


@settings(max_examples=300, deadline=None)
@given(
    balance=amounts,
    counterpart=counterparts,
    available=st.none() | st.decimals(min_value=0, max_value=Decimal("2000000"), places=2),
    cash=maybe,
    medicare=maybe,
    agb=maybe,
)
def test_ladder_is_ordered_and_within_means(
    balance: Decimal,
    counterpart: str,
    available: Decimal | None,
    cash: Decimal | None,
    medicare: Decimal | None,
    agb: Decimal | None,
) -> None:
    benchmarks = {k: v for k, v in {"cash_price": cash, "medicare": medicare, "agb": agb}.items() if v}
    ladder = offer_ladder(balance, counterpart, available, benchmarks or None)
    amounts_ = [step.amount for step in ladder.steps]
    assert 0 <= ladder.opening <= ladder.target <= ladder.walk_away <= balance
    assert amounts_ == sorted(amounts_)
    assert amounts_[0] == ladder.opening and amounts_[-1] == ladder.walk_away and ladder.target in amounts_
    assert all(ladder.opening <= a <= ladder.walk_away for a in amounts_)
    assert all(a == a.quantize(CENT) for a in amounts_)
    if available is not None:
        assert ladder.walk_away <= available
    for name, value in benchmarks.items():
        fair = to_cents(value * Decimal("2.54") if name == "medicare" else value)
        if 0 < fair < balance:
            assert ladder.walk_away <= fair
    assert all(step.reason.strip() for step in ladder.steps)


def test_ladder_for_a_collector_and_its_reasons() -> None:
    ladder = offer_ladder(Decimal(2500), "collections")
    assert (ladder.opening, ladder.target, ladder.walk_away) == (Decimal(625), Decimal(1000), Decimal(1375))
    assert [s.amount for s in ladder.steps] == [Decimal(625), Decimal(1000), Decimal(1187), Decimal(1375)]
    opening, *_, walk = (s.reason for s in ladder.steps)
    assert "anecdotal" in opening and "not a promise" in opening and "FTC 2013" in opening
    assert "in writing before you pay" in walk
    text = " ".join(s.reason for s in ladder.steps).lower()
    for promise in ("guarantee", "will accept", "always accept", "you will get"):
        assert promise not in text


@settings(max_examples=100, deadline=None)
@given(balance=st.decimals(min_value=Decimal("10"), max_value=Decimal("2000000"), places=2))
def test_collections_open_lower_than_hospitals_and_doctors(balance: Decimal) -> None:
    collections = offer_ladder(balance, "collections")
    assert collections.opening < offer_ladder(balance, "hospital").opening
    assert collections.opening < offer_ladder(balance, "doctor").opening
    assert collections.target < offer_ladder(balance, "hospital").target


def test_unknown_counterpart_is_treated_as_a_hospital() -> None:
    assert offer_ladder(Decimal(1000), "dentist") == offer_ladder(Decimal(1000), "hospital")


def test_offers_of_100_or_more_are_whole_dollars_rounded_down() -> None:
    ladder = offer_ladder(Decimal("1234.56"), "hospital")
    assert (ladder.opening, ladder.target, ladder.walk_away) == (Decimal(370), Decimal(555), Decimal(802))
    small = offer_ladder(Decimal("99.99"), "hospital")
    assert (small.opening, small.target, small.walk_away) == (
        Decimal("29.99"),
        Decimal("44.99"),
        Decimal("64.99"),
    )


def test_medicare_anchor_is_about_two_and_a_half_times_medicare() -> None:
    ladder = offer_ladder(Decimal(5000), "hospital", None, {"medicare": Decimal(300)})
    assert ladder.walk_away == Decimal(762)  # 300 x 2.54
    assert ladder.opening == Decimal(457)  # 60% of that, whole dollars down
    assert "Medicare" in ladder.steps[0].reason and "RAND" in ladder.steps[0].reason


def test_lowest_benchmark_below_the_balance_anchors() -> None:
    benchmarks = {"cash_price": Decimal(1800), "agb": Decimal(1500), "medicare": Decimal(10000)}
    ladder = offer_ladder(Decimal(4000), "hospital", None, benchmarks)
    assert ladder.walk_away == Decimal(1500) and "AGB" in ladder.steps[-1].reason
    above = offer_ladder(Decimal(1000), "hospital", None, {"cash_price": Decimal(5000)})
    assert above == offer_ladder(Decimal(1000), "hospital")  # a benchmark above the balance is no help


def test_lump_sum_caps_every_step() -> None:
    ladder = offer_ladder(Decimal(10000), "hospital", Decimal(900))
    assert (
        ladder.walk_away == Decimal(900) and ladder.target == Decimal(765) and ladder.opening == Decimal(540)
    )
    assert "the most you said you can pay" in ladder.steps[-1].reason
    nothing = offer_ladder(Decimal(10000), "collections", Decimal(0))
    assert nothing.walk_away == nothing.target == nothing.opening == 0
    assert nothing.steps[-1].reason == (
        "Walk-away: you said you have nothing for a lump sum now, so don't offer one; ask about financial "
        "assistance or an interest-free payment plan instead. Whatever you agree, get it in writing before you pay."
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((Decimal(0), "hospital"), "balance must be more than"),
        ((Decimal(-5), "hospital"), "balance must be more than"),
        ((Decimal(100), "hospital", Decimal(-1)), "the amount you can pay must be"),
        ((Decimal("0.004"), "hospital"), "balance must be at least \\$0.01"),
    ],
)
def test_ladder_rejects_impossible_input(args: tuple[Any, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        offer_ladder(*args)


@settings(max_examples=300, deadline=None)
@given(total=amounts, budget=st.decimals(min_value=Decimal("1.00"), max_value=Decimal("50000"), places=2))
def test_budget_plan_sums_exactly_and_the_last_payment_takes_the_rest(
    total: Decimal, budget: Decimal
) -> None:
    assume(total / budget <= 100_000)
    plan = payment_plan(total, monthly_budget=budget)
    assert sum(plan.schedule, Decimal(0)) == total == plan.total
    assert plan.months == len(plan.schedule) == int((total / budget).to_integral_value(ROUND_CEILING))
    assert all(p == plan.monthly for p in plan.schedule[:-1])
    assert CENT <= plan.schedule[-1] <= plan.monthly <= budget
    assert all(p == p.quantize(CENT) for p in plan.schedule)


@settings(max_examples=300, deadline=None)
@given(total=amounts, months=st.integers(min_value=1, max_value=360))
def test_months_plan_sums_exactly_and_is_even(total: Decimal, months: int) -> None:
    plan = payment_plan(total, months=months)
    assert sum(plan.schedule, Decimal(0)) == total
    assert plan.months == len(plan.schedule) == min(months, int(total * 100))
    assert all(p == plan.monthly for p in plan.schedule[:-1])
    assert all(p >= CENT and p == p.quantize(CENT) for p in plan.schedule)
    if total >= months:  # ordinary bills: the last payment is off by at most a few cents per month
        assert abs(plan.schedule[-1] - plan.monthly) <= CENT * months


@pytest.mark.parametrize(
    ("total", "kwargs", "schedule"),
    [
        ("100", {"months": 3}, ["33.33", "33.33", "33.34"]),
        ("200", {"months": 3}, ["66.67", "66.67", "66.66"]),
        ("0.02", {"months": 5}, ["0.01", "0.01"]),
        ("1000", {"monthly_budget": Decimal(300)}, ["300", "300", "300", "100"]),
        ("50", {"monthly_budget": Decimal(300)}, ["50"]),
        ("99.999", {"months": 1}, ["100.00"]),
        ("10", {"monthly_budget": Decimal("3.339")}, ["3.33", "3.33", "3.33", "0.01"]),
    ],
)
def test_plan_schedules(total: str, kwargs: dict[str, Any], schedule: list[str]) -> None:
    plan = payment_plan(Decimal(total), **kwargs)
    assert list(plan.schedule) == [Decimal(p) for p in schedule]
    assert plan.monthly == Decimal(schedule[0]) and plan.months == len(schedule)


def test_colorado_cap_note() -> None:
    over = payment_plan(Decimal(3000), monthly_budget=Decimal(200), monthly_income=Decimal(3000), state="co")
    assert (
        over.cap_note
        == "Colorado caps hospital payment plans at 4% of monthly income ($120.00) for patients who qualify for its discounted care; a separately billed professional's plan is capped at 2%, and 6% in all."
    )
    assert over.over_cap
    under = payment_plan(Decimal(3000), monthly_budget=Decimal(120), monthly_income=Decimal(3000), state="CO")
    assert (under.cap_note, under.over_cap) == ("", False)  # exactly at the cap is within it
    elsewhere = payment_plan(
        Decimal(3000), monthly_budget=Decimal(200), monthly_income=Decimal(3000), state="OR"
    )
    assert (elsewhere.cap_note, elsewhere.over_cap) == ("", False)
    assert payment_plan(Decimal(3000), monthly_budget=Decimal(200)).cap_note == ""


def test_colorado_cap_is_flagged_when_the_income_is_unknown() -> None:
    plan = payment_plan(Decimal(3000), monthly_budget=Decimal(200), state=" CO ")
    assert plan.cap_note == (
        "Colorado caps hospital payment plans at 4% of monthly income for people who qualify for its "
        "discounted care (up to 250% of the poverty guideline), 2% for each separately billed professional "
        "and 6% in all, and forgives the rest after 36 payments; give your monthly income to check this plan."
    )
    assert not plan.over_cap
    assert (
        payment_plan(Decimal(3000), months=10, monthly_income=Decimal(0), state="CO").cap_note
        == plan.cap_note
    )


def test_colorado_cap_counts_the_heavier_last_payment() -> None:
    # 100 over 3 months is 33.33, 33.33, 33.34: the cap of $33.33 (4% of $833.25) is broken by the last one.
    plan = payment_plan(Decimal(100), months=3, monthly_income=Decimal("833.25"), state="CO")
    assert plan.schedule[-1] == Decimal("33.34") and plan.over_cap
    assert plan.cap_note.startswith("Colorado caps hospital payment plans at 4% of monthly income ($33.33) ")


@pytest.mark.parametrize(
    ("budget", "over"),
    [("750", False), ("750.01", True), ("1000", True), ("100", False)],
)
def test_illinois_caps_twelve_months_of_payments_at_a_quarter_of_income(budget: str, over: bool) -> None:
    plan = payment_plan(
        Decimal(30000), monthly_budget=Decimal(budget), monthly_income=Decimal(3000), state="IL"
    )
    assert plan.over_cap is over
    if over:
        assert plan.cap_note == (
            "Illinois caps what a hospital may collect in 12 months from an uninsured patient who qualifies "
            "at 25% of family income ($9,000.00); sources disagree on the details, so ask the hospital."
        )
    else:
        assert plan.cap_note == ""


def test_illinois_short_plan_is_checked_on_what_it_actually_pays() -> None:
    # Three payments of $1,000 are $3,000 in 12 months: within 25% of a $1,000-a-month income ($3,000).
    plan = payment_plan(Decimal(3000), months=3, monthly_income=Decimal(1000), state="IL")
    assert (plan.schedule, plan.over_cap) == ((Decimal(1000),) * 3, False)
    assert "sources disagree" in payment_plan(Decimal(3000), months=3, state="IL").cap_note


@settings(max_examples=200, deadline=None)
@given(
    total=amounts,
    budget=st.decimals(min_value=Decimal("1.00"), max_value=Decimal("50000"), places=2),
    income=st.decimals(min_value=Decimal("1.00"), max_value=Decimal("100000"), places=2),
    state=st.sampled_from(["CO", "IL", "OR", "TX"]),
)
def test_cap_warning_agrees_with_the_schedule(
    total: Decimal, budget: Decimal, income: Decimal, state: str
) -> None:
    assume(total / budget <= 10_000)
    plan = payment_plan(total, monthly_budget=budget, monthly_income=income, state=state)
    assert sum(plan.schedule, Decimal(0)) == total
    share, window = {"CO": (Decimal("0.04"), 1), "IL": (Decimal("0.25"), 12)}.get(state, (None, 0))
    if share is None:
        assert (plan.cap_note, plan.over_cap) == ("", False)
        return
    cap = to_cents(income * window * share)
    heaviest = max(sum(plan.schedule[i : i + window], Decimal(0)) for i in range(len(plan.schedule)))
    assert plan.over_cap is (heaviest > cap)
    assert bool(plan.cap_note) is plan.over_cap


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"total": Decimal(0), "months": 3}, "total must be more than"),
        ({"total": Decimal("0.001"), "months": 3}, "total must be at least"),
        ({"total": Decimal(100)}, "give a monthly budget or a number of months"),
        ({"total": Decimal(100), "months": 0}, "months must be 1 or more"),
        ({"total": Decimal(100), "monthly_budget": Decimal("0.004")}, "at least \\$0.01"),
        ({"total": Decimal(100), "months": 2, "interest_rate": Decimal("0.05")}, "interest-free"),
        ({"total": Decimal(10**9), "monthly_budget": Decimal("0.01")}, "never be paid off"),
    ],
)
def test_plan_rejects_impossible_input(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        payment_plan(**kwargs)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("1200", "$1,200.00 is 48% of the balance; your target was 40%; counter at $1,100.00."),
        ("1375", "$1,375.00 is 55% of the balance; your target was 40%; counter at $1,187.50."),
        (
            "1500",
            "$1,500.00 is 60% of the balance; your target was 40%; it is above your walk-away ($1,375.00). "
            "Counter at $1,000.00.",
        ),
        (
            "1000",
            "$1,000.00 is 40% of the balance; your target was 40%. "
            "That is at or under your target: get it in writing before paying.",
        ),
        (
            "10",
            "$10.00 is under 1% of the balance; your target was 40%. "
            "That is at or under your target: get it in writing before paying.",
        ),
        ("1012.50", "$1,012.50 is 41% of the balance; your target was 40%; counter at $1,006.25."),
    ],
)
def test_weigh_offer_words(amount: str, expected: str) -> None:
    ladder = offer_ladder(Decimal(2500), "collections")
    assert weigh_offer(Decimal(amount), Decimal(2500), ladder) == expected


@settings(max_examples=300, deadline=None)
@given(
    balance=amounts, offer=st.decimals(min_value=0, max_value=Decimal("3000000"), places=2), who=counterparts
)
def test_counter_is_between_target_and_walk_away(balance: Decimal, offer: Decimal, who: str) -> None:
    ladder = offer_ladder(balance, who)
    text = weigh_offer(offer, balance, ladder)
    if offer <= ladder.target:
        assert "at or under your target" in text and "in writing" in text and "counter" not in text.lower()
    else:
        counter = Decimal(text.rsplit("$", 1)[1].rstrip(".").replace(",", ""))
        assert ladder.target <= counter <= ladder.walk_away and counter < offer


def test_weigh_rejects_a_zero_balance() -> None:
    ladder = Ladder(Decimal(1), Decimal(2), Decimal(3), (Step(Decimal(1), "x"),))
    with pytest.raises(ValueError, match="balance"):
        weigh_offer(Decimal(1), Decimal(0), ladder)


def test_derive_uses_these_functions() -> None:
    facts = {"balance": Decimal(2500), "lump_sum_available": Decimal(800), "monthly_budget": Decimal(300)}
    ladder = ladder_for(facts, "collections")
    assert ladder is not None and ladder.walk_away == Decimal(800)
    assert plan_months(facts, "hospital") == 9
    assert plan_months({"balance": Decimal(2500), "monthly_budget": Decimal("0.001")}, "hospital") is None


@settings(max_examples=200, deadline=None)
@given(balance=amounts, share=st.integers(min_value=0, max_value=120), floor=st.none() | st.integers(0, 100))
def test_weighing_is_data_and_the_sentence_is_made_from_it(
    balance: Decimal, share: int, floor: int | None
) -> None:
    """weigh_lump_sum decides (counter, above the walk-away); weigh_offer only words that result."""
    ladder = offer_ladder(balance, "collections")
    amount = to_cents(balance * share / 100)
    mine = to_cents(balance * floor / 100) if floor is not None else None
    weighed = weigh_lump_sum(amount, balance, ladder, mine)
    assert weighed.sentence == weigh_offer(amount, balance, ladder, mine)
    assert weighed.counter == counter_for(amount, ladder, mine)
    assert weighed.above_walk_away == (amount > ladder.walk_away)
    assert (weighed.amount, weighed.target, weighed.walk_away) == (amount, ladder.target, ladder.walk_away)
    if weighed.counter is None:
        assert weighed.amount <= ladder.target and "at or under your target" in weighed.sentence


def test_weighing_as_data_for_one_offer() -> None:
    ladder = Ladder(Decimal(500), Decimal(1000), Decimal(1500))
    weighed = weigh_lump_sum(Decimal(2000), Decimal(2500), ladder)
    assert (weighed.share, weighed.target_share, weighed.counter, weighed.above_walk_away) == (
        Decimal(80),
        Decimal(40),
        Decimal(1000),
        True,
    )


def test_a_counter_within_reach_starts_from_the_users_own_last_offer() -> None:
    """After "I could do $832" and their "$900", split what is left ($866), not a 50-cent raise ($832.50)."""
    from coach.money.derive import ladder_for

    ladder = ladder_for({"balance": Decimal(2480), "lump_sum_available": Decimal(900)}, "collections")
    assert (ladder.target, ladder.walk_away) == (Decimal("765.00"), Decimal("900.00"))
    assert counter_for(Decimal(900), ladder, Decimal(832)) == Decimal("866.00")
    assert counter_for(Decimal(900), ladder) == Decimal(
        "832.50"
    )  # no offer of the user's yet: from the target
    assert counter_for(Decimal(850), ladder, Decimal(700)) == Decimal(
        "807.50"
    )  # an offer under the target: from it
