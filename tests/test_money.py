"""Money tools: offer ladders, payment plans, eligibility arithmetic, the bill check."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.cli.main import main
from coach.errors import CoachError
from coach.money.amounts import format_money, parse_money
from coach.money.billcheck import check, read_eob, read_itemized
from coach.money.eligibility import estimate, guideline
from coach.money.negotiate import offer_ladder, payment_plan, weigh_offer

SAMPLES = Path(__file__).resolve().parent.parent / "docs" / "samples"
cents = st.decimals(min_value=Decimal("1.00"), max_value=Decimal("500000"), places=2)


@settings(max_examples=200, deadline=None)
@given(total=cents, budget=st.decimals(min_value=Decimal("1.00"), max_value=Decimal("5000"), places=2))
def test_plan_for_a_budget_sums_exactly(total: Decimal, budget: Decimal) -> None:
    plan = payment_plan(total, monthly_budget=budget)
    assert sum(plan.schedule, Decimal(0)) == total
    assert all(Decimal("0.01") <= p <= budget for p in plan.schedule)
    assert len(plan.schedule) == plan.months


@settings(max_examples=200, deadline=None)
@given(total=cents, months=st.integers(min_value=1, max_value=120))
def test_plan_for_months_sums_exactly(total: Decimal, months: int) -> None:
    plan = payment_plan(total, months=months)
    assert sum(plan.schedule, Decimal(0)) == total
    assert plan.months <= months and all(p > 0 for p in plan.schedule)


@settings(max_examples=200, deadline=None)
@given(
    balance=cents,
    available=st.none() | cents,
    counterpart=st.sampled_from(["hospital", "doctor", "collections"]),
    cash=st.none() | cents,
)
def test_ladder_is_ordered_and_within_means(
    balance: Decimal, available: Decimal | None, counterpart: str, cash: Decimal | None
) -> None:
    ladder = offer_ladder(balance, counterpart, available, {"cash_price": cash} if cash else None)
    assert ladder.opening <= ladder.target <= ladder.walk_away <= balance
    if available is not None:
        assert ladder.walk_away <= available
    amounts = [step.amount for step in ladder.steps]
    assert amounts == sorted(amounts) and all(step.reason for step in ladder.steps)


def test_collections_opens_lower_than_hospital() -> None:
    assert (
        offer_ladder(Decimal(1000), "collections").opening < offer_ladder(Decimal(1000), "hospital").opening
    )


def test_colorado_cap_noted() -> None:
    plan = payment_plan(Decimal(3000), monthly_budget=Decimal(200), monthly_income=Decimal(3000), state="CO")
    assert (
        plan.cap_note
        == "Colorado caps hospital payment plans at 4% of monthly income ($120.00) for patients who qualify for its discounted care; a separately billed professional's plan is capped at 2%, and 6% in all."
    )
    with pytest.raises(ValueError, match="interest-free"):
        payment_plan(Decimal(100), months=2, interest_rate=Decimal("0.05"))


def test_weigh_offer_words() -> None:
    ladder = offer_ladder(Decimal(2500), "collections")
    assert weigh_offer(Decimal(1200), Decimal(2500), ladder) == (
        "$1,200.00 is 48% of the balance; your target was 40%; counter at $1,100.00."
    )
    assert "at or under your target" in weigh_offer(Decimal(900), Decimal(2500), ladder)


@pytest.mark.parametrize(
    ("year", "region", "household", "expected"),
    [
        (2025, "contiguous", 1, 15650),
        (2025, "contiguous", 4, 32150),
        (2025, "alaska", 4, 40190),
        (2025, "hawaii", 4, 36980),
        (2026, "contiguous", 1, 15960),
        (2026, "contiguous", 4, 33000),
        (2026, "alaska", 4, 41250),
        (2026, "hawaii", 4, 37950),
        (2026, "alaska", 1, 19950),
        (2026, "hawaii", 1, 18360),
    ],
)
def test_poverty_guidelines(year: int, region: str, household: int, expected: int) -> None:
    assert guideline(household, year, region) == Decimal(expected)


def test_oregon_household_of_three() -> None:
    result = estimate(3, Decimal(40000), "OR", 2026)
    assert result.percent_of_poverty == Decimal("146.4")
    assert result.state_rule is not None and "full (100%) reduction" in result.state_rule["tier"]
    assert "hospital's own financial assistance policy decides" in result.summary


def test_state_without_rule_and_regions() -> None:
    assert estimate(1, Decimal(15960), "TX", 2026).state_rule is None
    assert estimate(1, Decimal(15960), "TX", 2026).percent_of_poverty == Decimal("100.0")
    assert estimate(2, Decimal(1), "ak", 2026).region == "alaska"


def test_eligibility_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "eligibility",
                "--household",
                "3",
                "--income",
                "40000",
                "--state",
                "OR",
                "--year",
                "2026",
                "--json",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["percent_of_poverty"] == 146.4 and data["year"] == 2026 and data["region"] == "contiguous"
    assert data["state_rule"]["name"].startswith("Oregon")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--household", "0", "--income", "1", "--state", "OR"], "coach: --household: must be 1 or more"),
        (
            ["--household", "2", "--income", "lots", "--state", "OR"],
            "coach: --income: 'lots' is not an amount like $1,234.50",
        ),
        (
            ["--household", "2", "--income", "1", "--state", "ZZ"],
            "coach: --state: 'ZZ' is not a US state or DC (use two letters, like OR)",
        ),
        (
            ["--household", "2", "--income", "1", "--state", "OR", "--year", "1999"],
            "coach: --year: no poverty table for 1999 (have 2025, 2026)",
        ),
    ],
)
def test_eligibility_bad_input(capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    assert main(["eligibility", *args]) == 2
    assert capsys.readouterr().err.strip() == message


def test_bill_check_sample_finds_the_duplicate(capsys: pytest.CaptureFixture[str]) -> None:
    findings = check(read_itemized(SAMPLES / "itemized.csv"), read_eob(SAMPLES / "eob.csv"))
    kinds = {f.kind: f.rows for f in findings}
    assert kinds["duplicate"] == (3, 4)
    assert kinds["no-code"] == (7,) and kinds["outside-dates"] == (6,)
    assert kinds["differs-from-eob"] == (3, 4)
    assert main(["bill-check", str(SAMPLES / "itemized.csv")]) == 0
    assert "Rows 3, 4 are the same charge" in capsys.readouterr().out


def test_bill_check_repeated_code_that_is_not_an_exact_copy(tmp_path: Path) -> None:
    path = tmp_path / "bill.csv"
    path.write_text(
        "date,code,description,units,charge\n2026-01-02,80053,Panel,1,90\n2026-01-02,80053,Panel,2,180\n"
    )
    assert [f.kind for f in check(read_itemized(path))] == ["repeated-code"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "date,code,description,units,charge\n2026-01-02,1,x,1,abc\n",
            "bill.csv:2: charge 'abc' is not an amount",
        ),
        ("date,code,units,charge\n", "bill.csv:1: missing column(s) description"),
        (
            "date,code,description,units,charge\nyesterday,1,x,1,5\n",
            "bill.csv:2: date 'yesterday' is not a date",
        ),
    ],
)
def test_bill_check_malformed(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bill.csv"
    path.write_text(content)
    with pytest.raises(CoachError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_itemized(path)


def test_money_round_trip() -> None:
    assert format_money(parse_money("$1,234.5")) == "$1,234.50"
    assert parse_money("1.2k") == Decimal("1200.00")
    with pytest.raises(ValueError):
        parse_money("-5")


def test_absurd_amounts_are_refused_not_crashed() -> None:
    with pytest.raises(ValueError, match="too large"):
        parse_money("100000000000000000000000000")
