"""How a household's income compares with the poverty guideline, and what that usually means.

An estimate, not a decision: each hospital's financial assistance policy sets its
own thresholds and dates. The tables and state rules live in dialogues/money/.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from coach.errors import CoachError
from coach.money import format_money
from coach.paths import dialogues_dir
from coach.yamlload import YamlProblem, load_yaml

STATES = frozenset(
    {
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "DC",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
    }
)


@dataclass(frozen=True)
class Estimate:
    percent_of_poverty: Decimal
    poverty_guideline: Decimal
    year: int
    region: str
    state_rule: dict[str, Any] | None
    summary: str


@lru_cache(maxsize=1)
def _data() -> tuple[dict[int, Any], dict[str, Any]]:
    folder = dialogues_dir() / "money"
    try:
        tables = load_yaml(folder / "poverty.yaml")["tables"]
        states = load_yaml(folder / "state_rules.yaml")["states"]
    except YamlProblem as error:
        raise CoachError(str(error.problem)) from None
    return {int(year): table for year, table in tables.items()}, dict(states)


def region_of(state: str) -> str:
    return {"AK": "alaska", "HI": "hawaii"}.get(state, "contiguous")


def guideline(household: int, year: int, region: str) -> Decimal:
    table = _data()[0][year][region]
    return Decimal(table["base"]) + Decimal(table["extra"]) * (household - 1)


def default_year(today: dt.date | None = None) -> int:
    today = today or dt.date.today()
    tables = _data()[0]
    in_effect = [year for year, table in tables.items() if table["effective"] <= today]
    return max(in_effect) if in_effect else min(tables)


def estimate(household: int, income: Decimal, state: str, year: int | None = None) -> Estimate:
    """The estimate; CoachError naming the flag for bad input."""
    tables, states = _data()
    if household < 1:
        raise CoachError("--household: must be 1 or more")
    if income < 0:
        raise CoachError("--income: must be $0 or more")
    state = state.upper().strip()
    if state not in STATES:
        raise CoachError(f"--state: '{state}' is not a US state or DC (use two letters, like OR)")
    year = year or default_year()
    if year not in tables:
        raise CoachError(f"--year: no poverty table for {year} (have {', '.join(map(str, sorted(tables)))})")
    region = region_of(state)
    line = guideline(household, year, region)
    percent = (income / line * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    rule = _state_rule(states.get(state), percent)
    return Estimate(percent, line, year, region, rule, _summary(percent, line, year, rule))


def _state_rule(spec: dict[str, Any] | None, percent: Decimal) -> dict[str, Any] | None:
    if spec is None:
        return None
    tier = next((t for t in spec["tiers"] if percent <= Decimal(t["upto"])), None)
    return {
        "name": spec["name"],
        "tier": f"up to {tier['upto']}%: {tier['text']}" if tier else None,
        "text": tier["text"] if tier else "your income is above the tiers this law sets",
        "source": spec["source"],
        "caution": spec.get("caution"),
    }


def _summary(percent: Decimal, line: Decimal, year: int, rule: dict[str, Any] | None) -> str:
    parts = [
        f"Your income is about {percent}% of the {year} federal poverty guideline ({format_money(line)} for your household).",
        "Many hospitals give free care up to about 200% and discounts up to about 400%, but policies range from 41% to 600%.",
    ]
    if rule:
        parts.append(
            f"{rule['name']}: {rule['text']}." + (f" Note: {rule['caution']}" if rule.get("caution") else "")
        )
    parts.append(
        "The hospital's own financial assistance policy decides (nonprofit hospitals must have one, under IRS 501(r)): "
        "find it on the hospital's website, or ask billing for the policy and the application."
    )
    return " ".join(parts)
