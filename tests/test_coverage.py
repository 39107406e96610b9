"""docs/coverage.md maps every seed tip and every pushback to nodes that exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coach.playbook import Playbook

COVERAGE = Path(__file__).resolve().parent.parent / "docs" / "coverage.md"
ROW = re.compile(r"^\| (?P<first>[^|]+) \| (?P<second>[^|]+) \| (?P<nodes>[^|]*) \|$")


def rows() -> list[tuple[str, str, list[str]]]:
    found = []
    for line in COVERAGE.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if not match or match["first"].strip() in ("seed", "counterpart", "phrase", "---"):
            continue
        nodes = [n.strip() for n in match["nodes"].split(",") if n.strip()]
        found.append((match["first"].strip(), match["second"].strip(), nodes))
    return found


def test_every_row_names_nodes_that_exist(playbook: Playbook) -> None:
    table = rows()
    assert len(table) > 60
    for first, tip, nodes in table:
        assert nodes, f"no node for: {first} {tip}"
        missing = [n for n in nodes if n not in playbook.nodes]
        assert not missing, f"{first} {tip}: missing nodes {missing}"


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_every_seed_has_rows(seed: str) -> None:
    assert sum(1 for first, _, _ in rows() if first == seed) >= 5


def test_every_pushback_family_is_answered(playbook: Playbook) -> None:
    counterparts = {first for first, _, _ in rows() if first in ("hospital", "doctor", "collections")}
    assert counterparts == {"hospital", "doctor", "collections"}
    pushback = playbook.nodes["settle.pushback"]
    for first, _, nodes in rows():
        if first in counterparts:
            assert any(choice.target in nodes for choice in pushback.choices), nodes
