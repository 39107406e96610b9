"""`coach graph` draws every node and every edge of the playbook, with mermaid-safe ids."""

from __future__ import annotations

import re

import pytest

from coach.cli.main import main
from coach.dialogue.graph import mermaid_id, to_mermaid
from coach.dialogue.schema import Playbook


def test_every_node_and_edge_is_drawn(playbook: Playbook) -> None:
    text = to_mermaid(playbook)
    assert text.startswith("stateDiagram-v2\n")
    for node in playbook.nodes.values():
        assert f" as {mermaid_id(node.qid)}" in text
        for target in node.targets():
            assert f"  {mermaid_id(node.qid)} --> {mermaid_id(target)}" in text
    ids = re.findall(r" as (\S+)", text)
    assert all(re.fullmatch(r"[A-Za-z0-9_]+", i) for i in ids)


def test_counterpart_filter_drops_edges_it_cannot_take(playbook: Playbook) -> None:
    everything = to_mermaid(playbook)
    collections = to_mermaid(playbook, "collections")
    assert collections.count("-->") < everything.count("-->")


def test_cli_prints_diagram(playbook: Playbook, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph"]) == 0
    assert f"[*] --> {mermaid_id(playbook.start)}" in capsys.readouterr().out
