"""docs/coverage.md maps every seed tip, pushback and phrase to avoid to nodes that exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from coach.dialogue.schema import Playbook

ROOT = Path(__file__).resolve().parent.parent
COVERAGE = ROOT / "docs" / "coverage.md"
ROW = re.compile(r"^\| (?P<first>[^|]+) \| (?P<second>[^|]+) \| (?P<nodes>[^|]*) \|$")
SECTION = re.compile(r"^##+ (?P<title>.+)$")


def table_rows() -> list[tuple[str, str, str, list[str]]]:
    """(section, first cell, second cell, node ids) for every table row of the file."""
    found = []
    section = ""
    for line in COVERAGE.read_text(encoding="utf-8").splitlines():
        heading = SECTION.match(line)
        if heading:
            section = heading["title"].strip()
            continue
        match = ROW.match(line)
        if not match or match["nodes"].strip() in ("nodes", "---"):  # not a row, a header or a rule
            continue
        nodes = [n.strip() for n in match["nodes"].split(",") if n.strip()]
        found.append((section, match["first"].strip(), match["second"].strip(), nodes))
    return found


def rows() -> list[tuple[str, str, list[str]]]:
    return [(first, second, nodes) for _, first, second, nodes in table_rows()]


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
    assert (
        list((ROOT.parent / "shared" / "seeds").glob(f"{seed}_*.txt"))
        or not (ROOT.parent / "shared").exists()
    )


def test_every_pushback_family_is_answered(playbook: Playbook) -> None:
    counterparts = {first for first, _, _ in rows() if first in ("hospital", "doctor", "collections")}
    assert counterparts == {"hospital", "doctor", "collections"}
    pushback = playbook.nodes["settle.pushback"]
    for first, _, nodes in rows():
        if first in counterparts:
            assert any(choice.target in nodes for choice in pushback.choices), nodes


def test_every_pushback_choice_is_listed(playbook: Playbook) -> None:
    listed = {n for first, _, nodes in rows() if first in playbook.counterparts for n in nodes}
    targets = {c.target for c in playbook.nodes["settle.pushback"].choices} - {"settle.refused"}
    assert targets <= listed, f"pushback answers missing from docs/coverage.md: {sorted(targets - listed)}"


def test_phrases_to_avoid_are_warned_at_a_listed_node(playbook: Playbook) -> None:
    avoid = [
        (phrase, nodes)
        for section, phrase, _, nodes in table_rows()
        if section.startswith("Phrases to avoid")
    ]
    assert len(avoid) >= 7
    for phrase, nodes in avoid:
        assert any(playbook.nodes[n].warn.strip() for n in nodes), f"{phrase}: no listed node has a warn"


def test_document_stage_names_every_letter(playbook: Playbook) -> None:
    """Next steps tell the user which `coach letter KIND` to run, for every kind there is."""
    kinds = yaml.safe_load((ROOT / "dialogues" / "letters" / "letters.yaml").read_text(encoding="utf-8"))[
        "letters"
    ]
    text = " ".join(node.coach + " ".join(node.say.values()) for node in playbook.nodes_in("document"))
    text = " ".join(text.split())
    missing = [kind for kind in kinds if f"coach letter {kind}" not in text]
    assert not missing, f"the document stage never names: {missing}"
