"""``coach sources NODE``: the public sources behind what coach says at a node, or in a letter."""

from __future__ import annotations

import argparse

from coach.casefile.letters import letter_kinds
from coach.dialogue.playbook import load_playbook
from coach.errors import CoachError
from coach.paths import dialogues_dir
from coach.termtext import printable


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", help="a node (stage.node, like propose.lump-sum) or a letter kind")


def run(args: argparse.Namespace) -> int:
    title, sources = sources_of(args.name)
    print(printable(title))  # the dialogue files' words: escaped like any text from a file
    if not sources:
        print("  (no legal or money claim here, so no source)")
    for source in sources:
        print(f"  - {printable(source)}")
    return 0


def sources_of(name: str) -> tuple[str, list[str]]:
    """The title and sources behind a node (``propose.lump-sum`` or ``lump-sum``) or a letter kind."""
    playbook = load_playbook([dialogues_dir()])
    matches = [node for qid, node in playbook.nodes.items() if name in (qid, node.id)]
    if len(matches) == 1:
        node = matches[0]
        return node.title or playbook.stage_titles.get(node.stage, node.qid), list(node.sources)
    if len(matches) > 1:
        raise CoachError(f"'{name}' is in several stages: say which ({', '.join(n.qid for n in matches)})")
    kinds = letter_kinds()
    if name in kinds:
        return f"letter: {kinds[name].title}", list(kinds[name].sources)
    raise CoachError(f"no node or letter '{name}' (nodes are stage.node, like propose.lump-sum)")
