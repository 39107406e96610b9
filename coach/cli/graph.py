"""``coach graph``: print the dialogue as a mermaid state diagram."""

from __future__ import annotations

import argparse
from pathlib import Path

from coach.dialogue.counterparts import CHOICES as COUNTERPARTS
from coach.dialogue.graph import to_mermaid
from coach.dialogue.playbook import load_playbook
from coach.paths import dialogues_dir


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--counterpart",
        choices=COUNTERPARTS,
        help="only what this counterpart can see",
    )
    parser.add_argument("paths", nargs="*", type=Path, help="dialogue files or folders (default: shipped)")


def run(args: argparse.Namespace) -> int:
    playbook = load_playbook(args.paths or [dialogues_dir()])
    print(to_mermaid(playbook, args.counterpart), end="")
    return 0
