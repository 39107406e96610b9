"""How a household's income compares with the poverty guideline, and what that usually means.

An estimate, not a decision: each hospital's financial assistance policy sets its
own thresholds and the year of the table it uses. The tables and state rules live
in dialogues/money/ (poverty.yaml, state_rules.yaml), each with its public source.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from coach.dialogue.problems import Problem, Problems, YamlProblem
from coach.dialogue.yamlload import LineDict, line_of, load_yaml
from coach.errors import CoachError
from coach.money.amounts import format_money, shown
from coach.paths import dialogues_dir

STATES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ "
    "NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY".split()
)
REGIONS = ("contiguous", "alaska", "hawaii")
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Table:
    """One year's poverty guidelines: per region, (base for one person, each extra person)."""

    year: int
    effective: dt.date
    source: str
    amounts: dict[str, tuple[Decimal, Decimal]]
    cautions: dict[str, str]


@dataclass(frozen=True)
class PlanCap:
    """A state's limit on hospital payment plans: payments in any ``months`` in a row
    may not exceed ``share`` of the income for those months."""

    state: str
    share: Decimal
    months: int
    over: str  # the warning when a plan breaks the cap; "{cap}" becomes the amount
    unknown: str  # what to say when the income is not known


@dataclass(frozen=True)
class Estimate:
    """Income as a percent of the poverty guideline, the state's rule, and what it means."""

    percent_of_poverty: Decimal  # one decimal place, e.g. Decimal("146.4")
    poverty_guideline: Decimal  # the yearly guideline for this household, whole dollars
    year: int
    region: str  # contiguous, alaska or hawaii
    state_rule: dict[str, Any] | None  # name, tier, text, source, caution; None where coach knows no law
    summary: str


class _Bad(CoachError):
    """One problem in a money file; readers catch it per entry and carry on to the next."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _bad(path: Path, value: Any, key: str | None, message: str) -> _Bad:
    return _Bad(Problem(str(path), line_of(value, key), message))


def _amount(path: Path, spec: Any, key: str, what: str = "a whole-dollar amount") -> Decimal:
    try:
        value = Decimal(str(spec[key]))
    except (KeyError, TypeError, InvalidOperation):
        raise _bad(path, spec, key, f"'{key}' must be {what}") from None
    if not value.is_finite() or value <= 0:
        raise _bad(path, spec, key, f"'{key}' must be more than 0")
    return value


def _load(path: Path) -> Any:
    try:
        return load_yaml(path)
    except YamlProblem as error:
        raise _Bad(error.problem) from None


def _plan_cap(path: Path, code: str, spec: Any) -> PlanCap:
    """A state's ``plan_cap`` entry, checked: a share between 0 and 1, whole months, both texts."""
    if not isinstance(spec, LineDict):
        raise _bad(path, spec, None, f"{code}: plan_cap needs share, months, over and unknown")
    share = _amount(path, spec, "share", "a fraction like 0.04")
    months = spec.get("months")
    if share >= 1:
        raise _bad(path, spec, "share", f"{code}: plan_cap share must be below 1 (0.04 means 4%)")
    if isinstance(months, bool) or not isinstance(months, int) or months < 1:
        raise _bad(path, spec, "months", f"{code}: plan_cap months must be a whole number, 1 or more")
    over, unknown = spec.get("over"), spec.get("unknown")
    if not isinstance(over, str) or "{cap}" not in over:
        raise _bad(path, spec, "over", f"{code}: plan_cap over must be a sentence with {{cap}} in it")
    if not isinstance(unknown, str) or not unknown.strip():
        raise _bad(path, spec, "unknown", f"{code}: plan_cap unknown must be a sentence")
    return PlanCap(code, share, months, over, unknown)


@lru_cache(maxsize=1)
def _data() -> tuple[dict[int, Table], dict[str, Any]]:
    """Both files, read and checked once per process (CoachError: the first problem, path:line)."""
    problems = Problems()
    tables, states = read_money(dialogues_dir() / "money", problems)
    if problems:
        raise CoachError(str(problems.items[0]))
    return tables, states


def read_money(folder: Path, problems: Problems) -> tuple[dict[int, Table], dict[str, Any]]:
    """poverty.yaml and state_rules.yaml, every problem added to ``problems`` (for coach check)."""
    poverty_path, states_path = folder / "poverty.yaml", folder / "state_rules.yaml"
    tables: dict[int, Table] = {}
    states: dict[str, Any] = {}
    try:
        tables = _read_tables(poverty_path, problems)
    except _Bad as error:
        problems.append(error.problem)
    try:
        states = _read_states(states_path, problems)
    except _Bad as error:
        problems.append(error.problem)
    return tables, states


def _read_tables(poverty_path: Path, problems: Problems) -> dict[int, Table]:
    raw = _load(poverty_path)
    if not isinstance(raw, LineDict) or not isinstance(raw.get("tables"), LineDict):
        raise _bad(poverty_path, raw, None, "expected 'tables:' with one entry per year")
    tables: dict[int, Table] = {}
    for key, spec in raw["tables"].items():
        try:
            tables[int(key)] = _read_table(poverty_path, raw["tables"], key, spec)
        except _Bad as error:
            problems.append(error.problem)
    if not tables and not problems:
        raise _bad(poverty_path, raw, None, "no poverty tables")
    return tables


def _read_table(poverty_path: Path, parent: Any, key: str, spec: Any) -> Table:
    if not key.isdigit() or not isinstance(spec, LineDict):
        raise _bad(poverty_path, parent, key, f"'{key}' must be a year with its table")
    effective = spec.get("effective")
    if not isinstance(effective, dt.date):
        raise _bad(poverty_path, spec, "effective", "'effective' must be a date like 2026-01-13")
    source = spec.get("source")
    if not isinstance(source, str) or not source.strip():
        raise _bad(poverty_path, spec, None, f"year {key}: needs 'source' (the Federal Register notice)")
    _check_public(poverty_path, spec, f"year {key}", source)
    amounts, cautions = {}, {}
    for region in REGIONS:
        region_spec = spec.get(region)
        if not isinstance(region_spec, LineDict):
            raise _bad(poverty_path, spec, None, f"year {key}: missing '{region}' with base and extra")
        amounts[region] = (
            _amount(poverty_path, region_spec, "base"),
            _amount(poverty_path, region_spec, "extra"),
        )
        if region_spec.get("caution"):
            cautions[region] = str(region_spec["caution"])
    return Table(int(key), effective, source, amounts, cautions)


def _check_public(path: Path, spec: Any, label: str, source: str) -> None:
    """A shown source must name a public source a user can look up (see coach.sources)."""
    from coach.dialogue.sources import public_source_problem

    problem = public_source_problem(source)
    if problem:
        raise _bad(path, spec, "source", f"{label}: {problem}")


def _read_states(states_path: Path, problems: Problems) -> dict[str, Any]:
    states_raw = _load(states_path)
    if not isinstance(states_raw, LineDict) or not isinstance(states_raw.get("states"), LineDict):
        raise _bad(states_path, states_raw, None, "expected 'states:' keyed by two-letter state")
    states: dict[str, Any] = {}
    for code, spec in states_raw["states"].items():
        try:
            if code not in STATES or not isinstance(spec, LineDict):
                raise _bad(states_path, states_raw["states"], code, f"'{code}' is not a US state or DC")
            tiers = spec.get("tiers")
            if not spec.get("name") or not spec.get("source") or not isinstance(tiers, list) or not tiers:
                raise _bad(states_path, spec, None, f"{code}: needs name, source and at least one tier")
            _check_public(states_path, spec, code, str(spec["source"]))
            bounds = [_amount(states_path, tier, "upto", "a percent like 200") for tier in tiers]
            if bounds != sorted(bounds):
                raise _bad(states_path, tiers, None, f"{code}: tiers must go from lowest to highest")
            if "plan_cap" in spec:
                _plan_cap(states_path, code, spec["plan_cap"])
            states[code] = spec
        except _Bad as error:
            problems.append(error.problem)
    return states


def years() -> list[int]:
    """The years coach has poverty tables for, oldest first."""
    return sorted(_data()[0])


def plan_cap(state: str | None) -> PlanCap | None:
    """The state's cap on hospital payment plans, or None where coach knows none."""
    return _caps().get((state or "").strip().upper())


@lru_cache(maxsize=1)
def _caps() -> dict[str, PlanCap]:
    path = dialogues_dir() / "money" / "state_rules.yaml"
    return {
        code: _plan_cap(path, code, spec["plan_cap"])
        for code, spec in _data()[1].items()
        if "plan_cap" in spec
    }


def region_of(state: str) -> str:
    """Alaska and Hawaii have their own guidelines; every other state and DC share one."""
    return {"AK": "alaska", "HI": "hawaii"}.get(state.upper(), "contiguous")


def guideline(household: int, year: int, region: str) -> Decimal:
    """The yearly poverty guideline for a household of this size."""
    base, extra = _data()[0][year].amounts[region]
    return base + extra * (household - 1)


def default_year(today: dt.date | None = None) -> int:
    """The newest table already in effect on ``today`` (the oldest table before any is)."""
    today = today or dt.date.today()
    tables = _data()[0]
    in_effect = [year for year, table in tables.items() if table.effective <= today]
    return max(in_effect) if in_effect else min(tables)


MAX_HOUSEHOLD = 99  # the poverty tables add a fixed amount per person; past this the estimate means nothing


def estimate(household: int, income: Decimal, state: str, year: int | None = None) -> Estimate:
    """The estimate; CoachError naming the command-line flag for bad input."""
    if isinstance(household, bool) or not isinstance(household, int) or household < 1:
        raise CoachError("--household: must be 1 or more")
    if household > MAX_HOUSEHOLD:
        raise CoachError(
            f"--household: {household} is more people than coach can count (at most {MAX_HOUSEHOLD})"
        )
    try:
        income = Decimal(income)
    except (InvalidOperation, TypeError, ValueError):
        raise CoachError(f"--income: {shown(income)} is not an amount like $1,234.50") from None
    if not income.is_finite() or income < 0:
        raise CoachError("--income: must be $0 or more")
    code = str(state).upper().strip()
    if code not in STATES:
        raise CoachError(f"--state: {shown(code)} is not a US state or DC (use two letters, like OR)")
    tables, states = _data()
    if year is None:
        year = default_year()
    if year not in tables:
        have = ", ".join(map(str, sorted(tables)))
        raise CoachError(f"--year: no poverty table for {year} (have {have})")
    region = region_of(code)
    line = guideline(household, year, region)
    exact = income * 100 / line
    percent = exact.quantize(TENTH, rounding=ROUND_HALF_UP)
    rule = _state_rule(states.get(code), exact)  # the tier by the exact share: 200.004% is not "up to 200%"
    caution = tables[year].cautions.get(region) if household > 1 else None
    summary = _summary(percent, line, year, code, rule, caution)
    return Estimate(percent, line, year, region, rule, summary)


def _state_rule(spec: dict[str, Any] | None, percent: Decimal) -> dict[str, Any] | None:
    """The state's law and the tier this percent falls in (tier None above every tier)."""
    if spec is None:
        return None
    tier = next((t for t in spec["tiers"] if percent <= Decimal(str(t["upto"]))), None)
    top = spec["tiers"][-1]["upto"]
    above = str(spec.get("above") or f"your income is above the {top}% this law covers")
    return {
        "name": str(spec["name"]),
        "tier": f"up to {tier['upto']}%: {tier['text']}" if tier else None,
        "text": str(tier["text"]) if tier else above,
        "source": str(spec["source"]),
        "caution": str(spec["caution"]) if spec.get("caution") else None,
    }


def _summary(
    percent: Decimal, line: Decimal, year: int, state: str, rule: dict[str, Any] | None, caution: str | None
) -> str:
    parts = [
        f"Your income is about {percent}% of the {year} federal poverty guideline "
        f"({format_money(line)} a year for your household)."
    ]
    if caution:
        parts.append(caution)
    parts.append(
        "Many hospitals give free care up to about 200% and discounts up to about 400%, "
        "but their cut-offs range from 41% to 600%, and some also look at savings."
    )
    if rule:
        sentence = f"State law, {rule['name']}: {rule['text']}."
        parts.append(sentence + (f" Note: {rule['caution']}" if rule["caution"] else ""))
    else:
        parts.append(
            f"coach knows no state charity-care law for {state}; nonprofit hospitals still follow the federal rule."
        )
    parts.append(
        "The hospital's own financial assistance policy decides, including which year's table it uses. "
        "Nonprofit hospitals must have one (IRS 501(r)) and must post it with a plain-language summary "
        "and the application on their website: search for the hospital's name and 'financial assistance "
        "policy', or ask the billing office to send the policy and the application. At a nonprofit hospital "
        "you can apply for at least 240 days after the first bill, even if it has gone to collections."
    )
    return " ".join(parts)
