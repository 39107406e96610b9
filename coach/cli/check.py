"""``coach check``: validate every file under ``dialogues/`` and print each problem as ``path:line: message``.

The playbook's YAML, hearing and rehearsal data, letters (index and templates)
and the money tables; a file no check covers is a problem too. Exit 2 on any.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from coach.checks import check_content
from coach.dialogue.playbook import check_playbook
from coach.dialogue.yamlload import Problem
from coach.paths import dialogues_dir


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="*", type=Path, help="dialogue files or folders (default: the shipped dialogues)"
    )


def _validate_intents(path: Path, extra: bool = False) -> list[str]:
    try:
        from coach.hearing.intents import validate_intents
    except ImportError:  # hearing is not part of this build
        return []
    return list(validate_intents(path, extra) if extra else validate_intents(path))


def extra_checks(folder: Path) -> list[Problem]:
    """Checks of the data that lives beside the playbook (hearing patterns)."""
    problems: list[Problem] = []
    intents_file = folder / "hear" / "intents.yaml"
    checks = [(intents_file, False)] if intents_file.is_file() else []
    checks += [(extra, True) for extra in sorted((folder / "hear").glob("intents_*.yaml"))]
    for checked, extra in checks:
        for line in _validate_intents(checked, extra):
            path, _, rest = line.partition(":")
            number, _, message = rest.partition(":")
            problems.append(Problem(path, int(number) if number.isdigit() else 1, message.strip()))
    if (folder / "rehearse" / "personas.yaml").is_file():
        from coach.rehearsal.files import validate_rehearse

        for line in validate_rehearse(folder / "rehearse"):
            path, _, rest = line.partition(":")
            number, _, message = rest.partition(":")
            problems.append(Problem(path, int(number) if number.isdigit() else 1, message.strip()))
    return problems


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    paths = args.paths or [dialogues_dir()]
    missing = [p for p in paths if not p.exists()]
    if missing:
        for path in missing:
            print(f"{path}:1: no such file or folder", file=sys.stderr)
        return 2
    playbook, problems = check_playbook(paths)
    for path in paths:
        if path.is_dir():
            problems += extra_checks(path)
            problems += check_content(path, playbook).items
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found", file=sys.stderr)
        return 2
    assert playbook is not None
    elapsed = (time.perf_counter() - started) * 1000
    print(f"{playbook.summary()} ({elapsed:.0f} ms)")
    return 0
