"""A case's facts as values: typed answers, facts files and stored cases read by their declarations.

Every front end turns what a person typed or a file holds into a fact through :func:`parse_fact`, so a
balance, a date or a household size means the same wherever it was entered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from coach.dialogue.problems import Problem, YamlProblem
from coach.dialogue.schema import FactSpec, Playbook, PlaybookProblems
from coach.dialogue.yamlload import LineDict, line_of, load_yaml

_TRUE = {"yes", "y", "true", "t", "1"}
_FALSE = {"no", "n", "false", "f", "0"}
_MAX_DIGITS = (
    15  # a household, a count of payments: anything longer is a typo (and int() of 5,000 digits raises)
)


def parse_fact(spec: FactSpec, value: Any) -> Any:
    """Turn typed or YAML input into the fact's Python value; ValueError says why not."""
    from coach.money.amounts import parse_money

    if isinstance(value, str):
        value = value.strip()
        if value == "":
            raise ValueError("is empty")
    kind = spec.type
    result: Any
    if kind == "text":
        if not isinstance(value, str | int):
            raise ValueError("expected text")
        result = str(value)
    elif kind == "state":
        from coach.dialogue.usstates import parse_state

        if len(str(value)) > _MAX_SHOWN:
            raise ValueError(f"'{_quoted(value)}' is not a US state or DC (use two letters, like OR)")
        result = parse_state(str(value))
    elif kind == "money":
        if len(str(value)) > _MAX_SHOWN:
            raise ValueError(f"'{_quoted(value)}' is too long to be an amount like $1,234.50")
        result = parse_money(value)
    elif kind == "int":
        if isinstance(value, bool):
            raise ValueError("expected a whole number")
        digits = str(value).replace(",", "")
        if len(digits.strip().lstrip("+-")) > _MAX_DIGITS:
            raise ValueError(f"'{_quoted(value)}' is too long to be a count (at most {_MAX_DIGITS} digits)")
        try:
            result = int(digits)
        except ValueError:
            raise ValueError(f"'{_quoted(value)}' is not a whole number") from None
    elif kind == "bool":
        if isinstance(value, bool):
            result = value
        elif str(value).lower() in _TRUE:
            result = True
        elif str(value).lower() in _FALSE:
            result = False
        else:
            raise ValueError(f"'{_quoted(value)}' is not yes or no")
    elif kind == "date":
        result = sane_date(value)
    else:  # choice
        matches = [option for option in spec.options if option.lower() == str(value).lower()]
        if not matches:
            raise ValueError(f"'{_quoted(value)}' is not one of {', '.join(spec.options)}")
        result = matches[0]
    if isinstance(result, int | Decimal) and not isinstance(result, bool):
        if spec.minimum is not None and result < spec.minimum:
            raise ValueError(f"must be at least {spec.minimum}")
        if spec.maximum is not None and result > spec.maximum:
            raise ValueError(f"must be at most {spec.maximum}")
    return result


EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2199, 12, 31)
"""The dates a bill, letter or deadline can carry: outside them a date is a typo, and adding
240 days to year 9999 would overflow in every later command that reads the case."""

_MAX_SHOWN = 40


def _quoted(value: Any) -> str:
    """A bad value as an error message quotes it: one line, cut short (a 5,000-digit number is not echoed)."""
    text = " ".join(str(value).split())
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"


def sane_date(value: Any) -> dt.date:
    """A fact's date (typed, from a file or an import): :func:`parse_date`, between 1900 and 2199."""
    found = parse_date(value)
    if not EARLIEST_DATE <= found <= LATEST_DATE:
        raise ValueError(f"{found.isoformat()} is not a date coach can use (it must be from 1900 to 2199)")
    return found


def parse_date(value: Any) -> dt.date:
    """``2026-03-01``, ``3/1/2026`` or a YAML date → ``date`` (any year: see :func:`sane_date`)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        found = value
    else:
        text = str(value).strip()
        for fmt in ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%B %d, %Y", "%b %d, %Y"):
            try:
                found = dt.datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
        else:
            raise ValueError(f"'{_quoted(text)}' is not a date like 2026-03-01 or 3/1/2026")
    return found


def read_facts_file(path: Path, playbook: Playbook) -> dict[str, Any]:
    """Facts from a YAML mapping file, typed by their declarations.

    Every problem (unknown fact, bad value) is collected and raised together as
    PlaybookProblems so the user fixes the file in one go.
    """
    try:
        document = load_yaml(path, aliases=False)
    except YamlProblem as error:
        raise PlaybookProblems([error.problem]) from None
    shown = str(path)
    if document is None:
        return {}
    if not isinstance(document, LineDict):
        raise PlaybookProblems([Problem(shown, line_of(document), "expected a mapping of fact: value")])
    facts: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, value in document.items():
        line = line_of(document, name)
        spec = playbook.facts.get(name)
        if spec is None:
            hint = _closest(name, playbook.facts)
            problems.append(Problem(shown, line, f"unknown fact '{_quoted(name)}'{hint}"))
            continue
        if value is None:
            continue
        try:
            facts[name] = parse_fact(spec, value)
        except ValueError as error:
            problems.append(Problem(shown, line, f"{name}: {error}"))
    if problems:
        raise PlaybookProblems(problems)
    return facts


def _closest(name: str, known: Iterable[str]) -> str:
    import difflib

    match = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean '{match[0]}'?)" if match else ""


def facts_from_json(raw: dict[str, Any], playbook: Playbook) -> dict[str, Any]:
    """Typed facts from a stored case (JSON strings back to Decimal, date, ...).

    A fact the playbook no longer declares, or a value it no longer accepts, is
    dropped rather than failing the call: the case file keeps it untouched.
    """
    facts: dict[str, Any] = {}
    for name, value in raw.items():
        spec = playbook.facts.get(name)
        if spec is None or value is None:
            continue
        try:
            facts[name] = parse_fact(spec, value)
        except ValueError:
            continue
    return facts
