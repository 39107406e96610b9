"""Test isolation: every test gets its own COACH_HOME, never the developer's data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DIALOGUES = ROOT / "dialogues"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def coach_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point COACH_HOME at a fresh temp dir for each test."""
    home = tmp_path_factory.mktemp("coach-home")
    monkeypatch.setenv("COACH_HOME", str(home))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    yield home


@pytest.fixture(scope="session")
def playbook():  # type: ignore[no-untyped-def]
    """The shipped playbook, loaded once."""
    from coach.playbook import load_playbook

    return load_playbook([DIALOGUES])
