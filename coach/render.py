"""The one Jinja2 environment: sandboxed, strict, with money/date/percent filters.

Templates come from the playbook (authors' files). Facts the user typed are
passed in as *data* and never compiled, so a name typed as ``{{ 7*7 }}`` shows
literally. A fact that is declared but not known yet renders as a visible
placeholder such as ``[account number]`` rather than failing mid-call.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, Template, nodes
from jinja2.nodes import Template as TemplateNode
from jinja2.sandbox import SandboxedEnvironment

from coach.money import format_money, format_percent


class Missing:
    """A declared fact with no value yet: falsy, never equal or ordered, shown as ``[label]``."""

    __slots__ = ("label",)

    def __init__(self, label: str) -> None:
        self.label = label

    def __str__(self) -> str:
        return f"[{self.label}]"

    def __repr__(self) -> str:
        return f"Missing({self.label!r})"

    def __bool__(self) -> bool:
        return False

    def __eq__(self, other: object) -> bool:
        return False

    def __ne__(self, other: object) -> bool:
        return True

    def __lt__(self, other: object) -> bool:
        return False

    __le__ = __gt__ = __ge__ = __lt__

    def __hash__(self) -> int:
        return hash(("Missing", self.label))


def money(value: Any) -> str:
    """``1234.5`` → ``$1,234.50``; a missing fact stays a placeholder."""
    if isinstance(value, Missing) or value is None:
        return str(value) if isinstance(value, Missing) else "[amount]"
    return format_money(Decimal(str(value)))


def percent(value: Any, places: int = 0) -> str:
    """``0.4`` or ``40`` → ``40%``."""
    if isinstance(value, Missing) or value is None:
        return str(value) if isinstance(value, Missing) else "[percent]"
    return format_percent(Decimal(str(value)), places)


def date(value: Any) -> str:
    """A date the way people say it: ``March 3, 2026``."""
    if isinstance(value, Missing) or value is None:
        return str(value) if isinstance(value, Missing) else "[date]"
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value:%B} {value.day}, {value.year}"
    return str(value)


def add_days(value: Any, days: int) -> Any:
    """``first_bill_date | add_days(240)``; a missing date stays missing."""
    if isinstance(value, dt.date):
        return value + dt.timedelta(days=days)
    return value


FILTERS = {"money": money, "percent": percent, "date": date, "add_days": add_days}


@lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    """The shared sandboxed environment (no autoescape: output is plain text)."""
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
    env.filters.update(FILTERS)
    return env


@lru_cache(maxsize=4096)
def compile_template(source: str) -> Template:
    """Compile once per distinct text; raises jinja2.TemplateSyntaxError."""
    return environment().from_string(source)


@lru_cache(maxsize=4096)
def compile_condition(source: str) -> Any:
    """A condition such as ``balance > 500 and insured`` as a callable over a context."""
    return environment().compile_expression(source, undefined_to_none=False)


@lru_cache(maxsize=4096)
def parse(source: str) -> TemplateNode:
    """The template's syntax tree (for the validator); raises TemplateSyntaxError."""
    return environment().parse(source)


_SIMPLE_OUTPUT = re.compile(r"\{\{\s*([a-z_][a-z0-9_]*)((?:\s*\|\s*[a-z_]+(?:\(\s*-?\d+\s*\))?)*)\s*\}\}")
_FILTER_NAME = re.compile(r"\|\s*([a-z_]+)")


def quick_scan(source: str) -> tuple[set[str], list[str]] | None:
    """Names and filter problems of a template made only of ``{{ name | filter }}`` outputs.

    Most phrases are just that; reading them with a regex instead of the Jinja2
    parser keeps `coach check` linear and fast. None means "parse it properly".
    """
    if "{%" in source or "{#" in source:
        return None
    outputs = list(_SIMPLE_OUTPUT.finditer(source))
    if source.count("{{") != len(outputs) or source.count("}}") != len(outputs):
        return None
    filters = environment().filters
    names = {match.group(1) for match in outputs}
    problems = [
        f"no filter named '{name}'"
        for match in outputs
        for name in _FILTER_NAME.findall(match.group(2))
        if name not in filters
    ]
    return names, problems


def undeclared_problems(tree: TemplateNode) -> tuple[set[str], list[str]]:
    """Names a template reads but does not set, and problems with its filters and tests.

    A plain walk of the syntax tree: much cheaper than compiling (which is what
    jinja2.meta does), so `coach check` stays fast on large playbooks.
    """
    loaded = {n.name for n in tree.find_all(nodes.Name) if n.ctx == "load"}
    stored = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    env = environment()
    problems = [
        f"no filter named '{f.name}'" for f in tree.find_all(nodes.Filter) if f.name not in env.filters
    ]
    problems += [f"no test named '{t.name}'" for t in tree.find_all(nodes.Test) if t.name not in env.tests]
    return loaded - stored - set(env.globals), problems


def render(source: str, context: dict[str, Any]) -> str:
    """Render playbook text with facts; whitespace at the ends trimmed."""
    return compile_template(source).render(context).strip()


def evaluate(condition: str, context: dict[str, Any]) -> bool:
    """Evaluate a playbook condition; a missing fact makes comparisons false."""
    return bool(compile_condition(condition)(**context))
