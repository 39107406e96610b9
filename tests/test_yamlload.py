"""coach's YAML loader takes shortcuts past PyYAML's resolver (C no-ops for its per-node hooks, a tag
known from a scalar's first character): every value must still come out as PyYAML's safe loader
makes it, bar the booleans coach keeps to true/false."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from coach.dialogue.yamlload import LineDict, LineList, load_yaml

LONG = "x" * 45
SCALARS = [
    "true",
    "False",
    "yes",
    "on",
    "null",
    "~",
    "",
    "12",
    "-3",
    "+4",
    "0x1F",
    "1_000",
    "3.5",
    ".inf",
    "-.inf",
    ".nan",
    "2026-03-01",
    "2001-12-14 21:59:43.10 -5",
    "2001-12-14t21:59:43.10-05:00",
    "1" * 45,
    "-" + "2" * 45,
    "+" + "3" * 44,
    "1" * 41 + ".5",
    "." + "5" * 45,
    "2001-12-14 21:59:43." + "1" * 30,
    "True " + LONG,
    "null " + LONG,
    "No surprises " + LONG,
    "= " + LONG,
    "~" + LONG,
    "They agreed " + LONG,
    "'quoted " + LONG + "'",
    '"12"',
    "'true'",
    "42 is the answer " + LONG,
    "-" + LONG,
    ". " + LONG,
]


def _expected(text: str) -> object:
    class Loader(yaml.SafeLoader):
        pass

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    Loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool",
        re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
        list("tTfF"),
    )
    return yaml.load(text, Loader=Loader)  # a SafeLoader subclass


@pytest.mark.parametrize("scalar", SCALARS)
def test_every_scalar_comes_out_as_the_safe_loader_makes_it(tmp_path: Path, scalar: str) -> None:
    text = (
        f"key: {scalar}\nlist:\n- {scalar}\n{scalar if scalar and scalar[0] not in '-.~' else 'other'}: 1\n"
    )
    path = tmp_path / "one.yaml"
    path.write_text(text)
    ours = load_yaml(path)
    theirs = _expected(text)
    assert isinstance(ours, LineDict) and isinstance(ours["list"], LineList)

    def plain(value: object) -> object:
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    assert plain(ours)["key"] == theirs["key"] or (
        ours["key"] != ours["key"] and theirs["key"] != theirs["key"]
    )
    assert type(ours["key"]) is type(theirs["key"])
    assert [type(v) for v in ours["list"]] == [type(v) for v in theirs["list"]]
    assert sorted(map(str, ours)) == sorted(map(str, theirs))
    assert isinstance(theirs["key"], str | int | float | bool | dt.date | type(None))
