"""Appeal windows and routes by plan type, from ``dialogues/insurer/appeals.yaml``.

The windows differ by plan (job-based, Marketplace, Medicare, Medicare
Advantage, Medicaid), so they are data with a public source each; coach counts
from the date on the denial notice and always says the notice's own date wins.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from coach.dialogue.problems import Problems
from coach.dialogue.yamlload import LineDict, line_of, load_or_report
from coach.paths import dialogues_dir

FILE = "insurer/appeals.yaml"


@dataclass(frozen=True)
class AppealRule:
    plan_type: str
    days: int
    route: str
    source: str


def read_appeals(path: Path, problems: Problems) -> dict[str, AppealRule]:
    """Every plan type's window; each author mistake added to ``problems`` with its line."""
    from coach.dialogue.playbook import check_sources
    from coach.dialogue.sources import public_source_problems

    document = load_or_report(path, problems)
    if document is None:
        return {}
    table = document.get("appeals") if isinstance(document, LineDict) else None
    if not isinstance(table, LineDict):
        problems.add(
            path, line_of(document), "expected an 'appeals:' mapping of plan type: {days, route, source}"
        )
        return {}
    rules: dict[str, AppealRule] = {}
    for plan_type, spec in table.items():
        line = line_of(table, plan_type)
        if not isinstance(spec, LineDict) or set(spec) != {"days", "route", "source"}:
            problems.add(path, line, f"appeals: {plan_type}: needs exactly days, route and source")
            continue
        days, route, source = spec["days"], spec["route"], spec["source"]
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 365:
            problems.add(path, line_of(spec, "days"), f"appeals: {plan_type}: 'days' must be 1 to 365")
            continue
        if not isinstance(route, str) or not isinstance(source, str):
            problems.add(path, line, f"appeals: {plan_type}: 'route' and 'source' must be text")
            continue
        found, messages = check_sources(source, f"appeals: {plan_type}")
        for message in messages + public_source_problems(found, f"appeals: {plan_type}"):
            problems.add(path, line_of(spec, "source"), message)
        rules[plan_type] = AppealRule(plan_type, days, " ".join(route.split()), source)
    return rules


@lru_cache(maxsize=2)
def appeal_rules(folder: Path | None = None) -> dict[str, AppealRule]:
    """The shipped table (empty if it is broken: ``coach check`` reports why)."""
    return read_appeals((folder or dialogues_dir()) / FILE, Problems())


def rule_for(facts: dict[str, Any] | Any) -> AppealRule | None:
    """The rule for the case's plan type (the shortest common window when unknown)."""
    rules = appeal_rules()
    plan_type = facts.get("plan_type")
    return rules.get(str(plan_type)) if plan_type in rules else rules.get("not-sure")


def appeal_deadline(facts: Any, counterpart: str = "") -> dt.date | None:
    """The last day to appeal: the denial notice's date plus the plan type's window."""
    denial = facts.get("denial_date")
    rule = rule_for(facts)
    if not isinstance(denial, dt.date) or rule is None:
        return None
    return denial + dt.timedelta(days=rule.days)


def appeal_route(facts: Any, counterpart: str = "") -> str | None:
    """Where the appeal goes for this plan type, in words."""
    if not facts.get("plan_type"):
        return None
    rule = rule_for(facts)
    return rule.route if rule else None
