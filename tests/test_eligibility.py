"""Eligibility: poverty-guideline arithmetic in every region and year, state tiers, the CLI."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.cli.main import main
from coach.errors import CoachError
from coach.money import eligibility
from coach.money.eligibility import (
    STATES,
    PlanCap,
    default_year,
    estimate,
    guideline,
    plan_cap,
    region_of,
    years,
)

# FACTS 2.F, typed here independently of dialogues/money/poverty.yaml.
TABLES = {
    (2025, "contiguous"): (15650, 5500),
    (2025, "alaska"): (19550, 6880),
    (2025, "hawaii"): (17990, 6330),
    (2026, "contiguous"): (15960, 5680),
    (2026, "alaska"): (19950, 7100),
    (2026, "hawaii"): (18360, 6530),
}
FAMILY_OF_FOUR = {
    (2025, "contiguous"): 32150,
    (2025, "alaska"): 40190,
    (2025, "hawaii"): 36980,
    (2026, "contiguous"): 33000,
    (2026, "alaska"): 41250,
    (2026, "hawaii"): 37950,
}
STATE_OF = {"contiguous": "OR", "alaska": "AK", "hawaii": "HI"}
OREGON_2026 = ["eligibility", "--household", "3", "--income", "40000", "--state", "OR", "--year", "2026"]


@pytest.mark.parametrize(("year", "region"), sorted(TABLES))
@pytest.mark.parametrize("household", range(1, 11))
def test_guideline_in_every_region_and_year(year: int, region: str, household: int) -> None:
    base, extra = TABLES[year, region]
    assert guideline(household, year, region) == Decimal(base + extra * (household - 1))


@pytest.mark.parametrize(("year", "region"), sorted(FAMILY_OF_FOUR))
def test_family_of_four_matches_facts(year: int, region: str) -> None:
    assert guideline(4, year, region) == FAMILY_OF_FOUR[year, region]
    result = estimate(4, Decimal(FAMILY_OF_FOUR[year, region] * 2), STATE_OF[region], year)
    assert (result.percent_of_poverty, result.region, result.year) == (Decimal("200.0"), region, year)


@pytest.mark.parametrize("state", sorted(STATES))
@pytest.mark.parametrize("year", [2025, 2026])
def test_income_at_the_guideline_is_100_percent_in_every_state(state: str, year: int) -> None:
    region = region_of(state)
    base, extra = TABLES[year, region]
    result = estimate(2, Decimal(base + extra), state.lower(), year)
    assert result.percent_of_poverty == Decimal("100.0")
    assert result.poverty_guideline == Decimal(base + extra)


def test_regions_and_states() -> None:
    assert len(STATES) == 51 and "DC" in STATES and "PR" not in STATES
    assert [region_of(s) for s in ("AK", "hi", "DC", "TX")] == [
        "alaska",
        "hawaii",
        "contiguous",
        "contiguous",
    ]
    assert years() == [2025, 2026]


@pytest.mark.parametrize(
    ("household", "income", "expected"),
    [
        (3, "40000", "146.4"),  # 40000 / 27320
        (1, "0", "0.0"),
        (1, "15960", "100.0"),
        (1, "15968", "100.1"),
        (1, "15967.98", "100.1"),  # exactly 100.05: half rounds up
        (1, "15967.97", "100.0"),
        (1, "31920", "200.0"),
        (8, "1000000", "1794.7"),  # 1000000 / 55720
    ],
)
def test_percent_is_rounded_half_up_to_one_place(household: int, income: str, expected: str) -> None:
    assert estimate(household, Decimal(income), "TX", 2026).percent_of_poverty == Decimal(expected)


@settings(max_examples=150, deadline=None)
@given(
    household=st.integers(min_value=1, max_value=20),
    income=st.decimals(min_value=0, max_value=Decimal("5000000"), places=2),
    state=st.sampled_from(sorted(STATES)),
    year=st.sampled_from([2025, 2026]),
)
def test_percent_agrees_with_the_guideline(household: int, income: Decimal, state: str, year: int) -> None:
    result = estimate(household, income, state, year)
    assert result.percent_of_poverty == result.percent_of_poverty.quantize(Decimal("0.1"))
    assert abs(result.percent_of_poverty - income * 100 / result.poverty_guideline) <= Decimal("0.05")
    more = estimate(household, income + 100, state, year)
    assert more.percent_of_poverty >= result.percent_of_poverty
    assert "financial assistance policy decides" in result.summary


def test_default_year_is_the_newest_table_in_effect() -> None:
    assert default_year(dt.date(2026, 1, 12)) == 2025
    assert default_year(dt.date(2026, 1, 13)) == 2026
    assert default_year(dt.date(2031, 6, 1)) == 2026
    assert default_year(dt.date(2020, 1, 1)) == 2025  # before any table: the oldest one
    # The 2025 notice took effect on 2025-01-15, two days before it was published.
    assert eligibility._data()[0][2025].effective == dt.date(2025, 1, 15)
    assert "effective 2025-01-15" in eligibility._data()[0][2025].source
    assert estimate(1, Decimal(1000), "OR").year == default_year()


@pytest.mark.parametrize(
    ("income", "tier"),
    [
        ("54640", "up to 200%: full (100%) reduction of what you owe"),  # exactly 200.0%
        ("54641", "up to 300%: at least a 75% reduction"),  # 200.004%, shown as 200.0%
        ("95620", "up to 350%: at least a 50% reduction"),
        ("109280", "up to 400%: at least a 25% reduction"),  # exactly 400.0%
        ("109320", None),
    ],
)
def test_oregon_tiers_at_their_edges(income: str, tier: str | None) -> None:
    rule = estimate(3, Decimal(income), "OR", 2026).state_rule
    assert rule is not None and rule["tier"] == tier
    assert rule["source"].startswith("ORS 442.614")
    if tier is None:
        assert rule["text"] == "your income is above the 400% this law covers"


@pytest.mark.parametrize(
    ("income", "tier"),
    [
        ("54640", "up to 200%: free care at every hospital"),
        ("68300", "up to 250%: free care at the largest hospital systems, 75% off at other hospitals"),
        ("81960", "up to 300%: free care at the largest hospital systems, 50% off at other hospitals"),
        (
            "90000",
            "up to 350%: 75% off at the largest hospital systems; other hospitals' required discounts stop at 300%, so ask",
        ),
        (
            "109280",
            "up to 400%: 50% off at the largest hospital systems; other hospitals' required discounts stop at 300%, so ask",
        ),
        ("109281", None),
    ],
)
def test_washington_gives_both_sets_of_tiers(income: str, tier: str | None) -> None:
    """FACTS 2.F: tier 1 free to 300%, 75% off to 350%, 50% to 400%; tier 2 free to 200%, 75% to 250%, 50% to 300%."""
    rule = estimate(3, Decimal(income), "WA", 2026).state_rule
    assert rule is not None and rule["tier"] == tier
    assert rule["caution"] is not None and "ask the hospital which one it follows" in rule["caution"]


def test_maryland_above_its_tiers_says_to_ask() -> None:
    rule = estimate(1, Decimal(100000), "MD", 2026).state_rule
    assert rule is not None and rule["tier"] is None
    assert (
        rule["text"]
        == "coach's sources stop at 500%; ask the hospital whether its reduced-cost care reaches your income"
    )
    assert "no upper income limit" in str(rule["caution"])


def test_oregon_household_of_three_in_2026() -> None:
    result = estimate(3, Decimal(40000), "OR", 2026)
    assert result.percent_of_poverty == Decimal("146.4")
    assert result.poverty_guideline == Decimal(27320)
    assert result.state_rule == {
        "name": "Oregon hospital financial assistance (ORS 442.614, HB 3076)",
        "tier": "up to 200%: full (100%) reduction of what you owe",
        "text": "full (100%) reduction of what you owe",
        "source": "ORS 442.614 (HB 3076, 2019), checked 2026-11-22",
        "caution": "Applies to nonprofit hospitals and their affiliated clinics.",
    }
    assert result.summary.startswith(
        "Your income is about 146.4% of the 2026 federal poverty guideline ($27,320.00 a year for your household)."
    )
    assert result.summary.endswith(
        "search for the hospital's name and 'financial assistance policy', or ask the billing office to send "
        "the policy and the application. At a nonprofit hospital you can apply for at least 240 days after the "
        "first bill, even if it has gone to collections."
    )
    for words in ("200%", "400%", "41% to 600%", "IRS 501(r)", "financial assistance", "240 days"):
        assert words in result.summary


@pytest.mark.parametrize("state", ["CA", "WA", "NY", "CO", "IL", "MD", "OR", "NJ", "RI", "CT"])
def test_every_state_rule_has_a_source_and_shows_its_caution(state: str) -> None:
    result = estimate(1, Decimal(20000), state, 2026)
    rule = result.state_rule
    assert rule is not None and rule["name"] and rule["source"] and rule["tier"]
    assert rule["text"] in result.summary
    if rule["caution"]:
        assert rule["caution"] in result.summary


def test_disputed_and_changed_rules_carry_a_caution() -> None:
    for state in ("IL", "NJ", "CA", "WA"):
        rule = estimate(1, Decimal(20000), state, 2026).state_rule
        assert rule is not None and rule["caution"], state
    assert "disagree" in str(estimate(1, Decimal(20000), "IL", 2026).state_rule)


def test_state_without_a_law_falls_back_to_501r() -> None:
    result = estimate(2, Decimal(30000), "TX", 2026)
    assert result.state_rule is None
    assert "coach knows no state charity-care law for TX" in result.summary
    assert "IRS 501(r)" in result.summary


def test_alaska_and_hawaii_say_their_per_person_amounts_are_secondary() -> None:
    """2025's Alaska and Hawaii increments come from secondary copies; 2026's are in ASPE's own table."""
    assert "aspe.hhs.gov" in estimate(3, Decimal(50000), "AK", 2025).summary
    assert "aspe.hhs.gov" in estimate(3, Decimal(50000), "HI", 2025).summary
    assert "secondary" not in estimate(3, Decimal(50000), "AK", 2026).summary
    assert "secondary" not in estimate(3, Decimal(50000), "HI", 2026).summary
    assert "aspe.hhs.gov" not in estimate(1, Decimal(50000), "AK", 2025).summary  # one person: base only
    assert "aspe.hhs.gov" not in estimate(3, Decimal(50000), "OR", 2026).summary


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ((0, Decimal(1), "OR"), "--household: must be 1 or more"),
        ((True, Decimal(1), "OR"), "--household: must be 1 or more"),
        ((1, Decimal(-1), "OR"), "--income: must be $0 or more"),
        ((1, Decimal("NaN"), "OR"), "--income: must be $0 or more"),
        ((1, Decimal(1), "Oregon"), "--state: 'OREGON' is not a US state or DC (use two letters, like OR)"),
        ((1, Decimal(1), "PR"), "--state: 'PR' is not a US state or DC (use two letters, like OR)"),
        ((1, Decimal(1), "O\nR"), "--state: 'O\\nR' is not a US state or DC (use two letters, like OR)"),
        ((1, Decimal(1), "OR", 2024), "--year: no poverty table for 2024 (have 2025, 2026)"),
    ],
)
def test_estimate_errors_name_the_flag(call: tuple[Any, ...], message: str) -> None:
    with pytest.raises(CoachError) as error:
        estimate(*call)
    assert str(error.value) == message


def test_cli_json_is_exact(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*OREGON_2026, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    expected = estimate(3, Decimal(40000), "OR", 2026)
    assert data == {
        "percent_of_poverty": 146.4,
        "poverty_guideline": 27320,
        "year": 2026,
        "region": "contiguous",
        "state_rule": expected.state_rule,
        "summary": expected.summary,
    }
    assert main(["eligibility", "--household", "1", "--income", "$20k", "--state", "tx", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["state_rule"] is None and data["region"] == "contiguous"


def test_cli_text_is_the_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(OREGON_2026) == 0
    captured = capsys.readouterr()
    assert captured.out == estimate(3, Decimal(40000), "OR", 2026).summary + "\n"
    assert captured.err == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--household", "0", "--income", "1", "--state", "OR"], "coach: --household: must be 1 or more"),
        (["--household", "-2", "--income", "1", "--state", "OR"], "coach: --household: must be 1 or more"),
        (["--household", "two", "--income", "1", "--state", "OR"], "coach: --household: 'two' is not a whole number"),
        (["--household", "2", "--income", "lots", "--state", "OR"], "coach: --income: 'lots' is not an amount like $1,234.50"),
        (["--household", "2", "--income", "-5", "--state", "OR"], "coach: --income: '-5' is not an amount like $1,234.50"),
        (["--household", "2", "--income", "1", "--state", "ZZ"], "coach: --state: 'ZZ' is not a US state or DC (use two letters, like OR)"),
        (["--household", "2", "--income", "1", "--state", "OR", "--year", "1999"], "coach: --year: no poverty table for 1999 (have 2025, 2026)"),
        (["--household", "2", "--income", "1", "--state", "OR", "--year", "next"], "coach: --year: 'next' is not a whole number"),
        (["--household", "²", "--income", "1", "--state", "OR"], "coach: --household: '²' is not a whole number"),
        (["--household", "2\n3", "--income", "1", "--state", "OR"], "coach: --household: '2\\n3' is not a whole number"),
        (["--household", "2", "--income", "1\n2", "--state", "OR"], "coach: --income: '1\\n2' is not an amount like $1,234.50"),
        (["--household", "2", "--income", "99999999999999", "--state", "OR"], "coach: --income: '99999999999999' is too large to be a medical bill"),
    ],
)  # fmt: skip
def test_cli_errors_are_one_line_naming_the_flag(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["eligibility", *args]) == 2
    captured = capsys.readouterr()
    assert captured.err == message + "\n" and captured.out == ""


@pytest.fixture
def money_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A dialogues folder whose money/ files a test writes; the cache is cleared around it."""
    folder = tmp_path / "money"
    folder.mkdir()
    source = eligibility.dialogues_dir() / "money"  # the shipped files, read before the folder is swapped
    for name in ("poverty.yaml", "state_rules.yaml"):
        (folder / name).write_text((source / name).read_text())
    monkeypatch.setattr(eligibility, "dialogues_dir", lambda: tmp_path)
    eligibility._data.cache_clear()
    eligibility._caps.cache_clear()
    yield folder
    eligibility._data.cache_clear()
    eligibility._caps.cache_clear()


def test_broken_data_files_are_reported_with_path_and_line(money_dir: Path) -> None:
    poverty = money_dir / "poverty.yaml"
    poverty.write_text(poverty.read_text().replace("base: 15960", "base: lots"))
    with pytest.raises(CoachError, match=r"poverty\.yaml:\d+: 'base' must be a whole-dollar amount"):
        estimate(1, Decimal(1), "OR", 2026)


def test_unsorted_state_tiers_are_rejected(money_dir: Path) -> None:
    rules = money_dir / "state_rules.yaml"
    rules.write_text(
        rules.read_text().replace('{upto: 300, text: "at least a 75%', '{upto: 150, text: "at least a 75%')
    )
    with pytest.raises(CoachError, match=r"state_rules\.yaml:\d+: OR: tiers must go from lowest to highest"):
        estimate(1, Decimal(1), "OR", 2026)


def test_plan_caps_come_from_the_state_rules() -> None:
    colorado = plan_cap("co")
    assert colorado == PlanCap(
        "CO",
        Decimal("0.04"),
        1,
        "Colorado caps hospital payment plans at 4% of monthly income ({cap}) for patients who qualify for its discounted care; a separately billed professional's plan is capped at 2%, and 6% in all.",
        colorado.unknown if colorado else "",
    )
    illinois = plan_cap("IL")
    assert illinois is not None and (illinois.share, illinois.months) == (Decimal("0.25"), 12)
    assert plan_cap("OR") is None and plan_cap(None) is None and plan_cap("ZZ") is None


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("share: 0.04", "share: 4", "CO: plan_cap share must be below 1 (0.04 means 4%)"),
        ("share: 0.04", "share: lots", "'share' must be a fraction like 0.04"),
        ("months: 12", "months: twelve", "IL: plan_cap months must be a whole number, 1 or more"),
        ("income ({cap}) for", "income for", "CO: plan_cap over must be a sentence with {cap} in it"),
        ('{upto: 200, text: "full', '{upto: most, text: "full', "'upto' must be a percent like 200"),
    ],
)
def test_broken_state_rules_are_reported_with_path_and_line(
    money_dir: Path, old: str, new: str, message: str
) -> None:
    rules = money_dir / "state_rules.yaml"
    text = rules.read_text()
    assert text.count(old) == 1
    rules.write_text(text.replace(old, new))
    line = text[: text.index(old)].count("\n") + 1
    with pytest.raises(CoachError) as error:
        estimate(1, Decimal(1), "OR", 2026)
    assert str(error.value) == f"{rules}:{line}: {message}"
