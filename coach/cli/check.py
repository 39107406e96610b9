"""``coach check``: validate every file under ``dialogues/`` and print each problem as ``path:line: message``.

The playbook's YAML, hearing and rehearsal data, letters (index and templates)
and the money tables; a file no check covers is a problem too. Exit 2 on any.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

from coach.checks import check_content
from coach.dialogue.playbook import check_playbook
from coach.dialogue.problems import Problems
from coach.paths import dialogues_dir


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="*", type=Path, help="dialogue files or folders (default: the shipped dialogues)"
    )


def _check_intents(path: Path, problems: Problems, extra: bool = False) -> None:
    try:
        from coach.hearing.patterns import check_intents
    except ImportError:  # hearing is not part of this build
        return
    check_intents(path, problems, extra)


def extra_checks(folder: Path, problems: Problems | None = None) -> Problems:
    """Checks of the data that lives beside the playbook (hearing patterns, rehearsal files).

    Their problems are added to ``problems`` (a new collector when none is given), which is returned."""
    problems = Problems() if problems is None else problems
    intents_file = folder / "hear" / "intents.yaml"
    checks = [(intents_file, False)] if intents_file.is_file() else []
    checks += [(extra, True) for extra in sorted((folder / "hear").glob("intents_*.yaml"))]
    for checked, extra in checks:
        _check_intents(checked, problems, extra)
    if (folder / "rehearse" / "personas.yaml").is_file():
        from coach.rehearsal.files import check_rehearse

        check_rehearse(folder / "rehearse", problems)
    return problems


def run(args: argparse.Namespace) -> int:
    # What check_playbook builds lives until the command ends. Built with the cyclic collector paused and
    # then frozen, the collector's next pass does not walk all of it once more (50 ms at 10,000 nodes);
    # unfrozen at the end, it is the collector's again (for a caller that runs on, like the tests).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(args)
    finally:
        gc.unfreeze()
        if collecting:
            gc.enable()
        else:
            gc.disable()


def _run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    paths = args.paths or [dialogues_dir()]
    missing = [p for p in paths if not p.exists()]
    if missing:
        for path in missing:
            print(f"{path}:1: no such file or folder", file=sys.stderr)
        return 2
    playbook, found = check_playbook(paths)
    gc.freeze()
    gc.enable()
    problems = Problems(found)
    for path in paths:
        if path.is_dir():
            extra_checks(path, problems)
            check_content(path, playbook, problems)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found", file=sys.stderr)
        return 2
    assert playbook is not None
    elapsed = (time.perf_counter() - started) * 1000
    print(f"{playbook.summary()} ({elapsed:.0f} ms)")
    return 0
