"""``coach sources NODE``: the public sources behind what coach says at a node, or in a letter."""

from __future__ import annotations

import argparse

from coach.sources import sources_of


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", help="a node (stage.node, like propose.lump-sum) or a letter kind")


def run(args: argparse.Namespace) -> int:
    title, sources = sources_of(args.name)
    print(title)
    if not sources:
        print("  (no legal or money claim here, so no source)")
    for source in sources:
        print(f"  - {source}")
    return 0
