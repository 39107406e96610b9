"""One problems collector: a problem stays a Problem (path, line, message) from the reader to the print.

``coach check`` once turned the hearing's and the rehearsal's problems into text
and split them back at ``:``; a folder whose name holds ``:`` then lost its path
and took a wrong line. These tests follow a problem found deep in a reader to the
printed line, with no parsing in between.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coach.cli.check import extra_checks
from coach.cli.main import main
from coach.dialogue.problems import Problem, Problems
from tests.conftest import DIALOGUES, edit

PERSONA_LINE = "intent: assistance_unavailable}"
PATTERN = "- {re: '\\b(?:take|accept|settle|"


def line_number(path: Path, text: str) -> int:
    """The line of ``path`` that holds ``text`` (1-based)."""
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def spoil(folder: Path, intent: str) -> tuple[Problem, Problem]:
    """A persona line naming an unknown intent and an intents pattern that is no regex; what each reports."""
    personas, intents = folder / "rehearse" / "personas.yaml", folder / "hear" / "intents.yaml"
    edit(personas, PERSONA_LINE, f'intent: "{intent}"}}')
    edit(intents, PATTERN, "- {re: '((unclosed|")
    persona = Problem(
        str(personas),
        line_number(personas, intent),
        f"persona 'counselor': lines: assistance_request: unknown intent '{intent}'",
    )
    bad = line_number(intents, "((unclosed|")
    pattern = next(p for p in extra_checks(folder) if p.path == str(intents) and p.line == bad)
    assert pattern.message.startswith("intent 'offer_lump_sum': bad regex '((unclosed|")
    return persona, pattern


def test_a_persona_line_reaches_coach_check_as_a_problem_with_its_line(
    copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    persona, pattern = spoil(copy, "assistance_unavailabl")
    found = extra_checks(copy)
    assert isinstance(found, Problems)
    assert all(type(p) is Problem for p in found)
    assert persona in list(found)
    assert main(["check", str(copy)]) == 2
    printed = capsys.readouterr().out.splitlines()
    assert f"{persona.path}:{persona.line}: {persona.message}" in printed
    assert str(pattern) in printed


def test_a_colon_in_the_folder_or_the_message_is_not_split(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "at:12" / "dialogues"  # split at ':', the path was '.../at' and the line 12
    shutil.copytree(DIALOGUES, folder)
    persona, pattern = spoil(folder, "gone: 3")
    found = list(extra_checks(folder))
    assert persona in found
    assert persona.path.endswith("at:12/dialogues/rehearse/personas.yaml") and persona.line > 12
    assert persona.message.endswith("unknown intent 'gone: 3'")
    assert main(["check", str(folder)]) == 2
    printed = capsys.readouterr().out.splitlines()
    assert f"{persona.path}:{persona.line}: {persona.message}" in printed
    assert str(pattern) in printed
    assert not any(line.startswith(f"{tmp_path}/at:12: ") for line in printed)


def test_one_collector_gathers_every_reader_in_order() -> None:
    problems = Problems([Problem("a.yaml", 3, "first")])
    problems.add(Path("b.yaml"), 0, "second: at line 0, kept at 1")
    problems.append(Problem("c.yaml", 7, "third"))
    assert [str(p) for p in problems] == [
        "a.yaml:3: first",
        "b.yaml:1: second: at line 0, kept at 1",
        "c.yaml:7: third",
    ]
    assert len(problems) == 3 and bool(problems) and not Problems()
