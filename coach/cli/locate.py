"""``coach locate``: print where coach keeps data and finds its dialogues."""

from __future__ import annotations

import argparse

from coach.paths import data_dir, dialogues_dir


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("what", nargs="?", choices=["data", "dialogues"], help="print just this one path")


def run(args: argparse.Namespace) -> int:
    places = {"data": data_dir(), "dialogues": dialogues_dir()}
    if args.what:
        print(places[args.what])
    else:
        for name, path in places.items():
            print(f"{name}: {path}")
    return 0
