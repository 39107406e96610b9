"""The command line's own error lines: what argparse quotes back is escaped, and only recording commands
promise that what was recorded is saved."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from coach.cli.main import SUBCOMMANDS, main
from tests.conftest import edit


def test_an_argparse_error_never_prints_the_users_control_characters(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["live", "--counterpart", "x\x1b]52;c;aGk=\x07"])
    err = capsys.readouterr().err
    assert stopped.value.code == 2
    assert "\x1b" not in err and "\x07" not in err
    assert "invalid choice: 'x\\x1b]52;c;aGk=\\x07'" in err


def test_an_unknown_command_is_escaped_too(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["live\x1b[2J"])
    err = capsys.readouterr().err
    assert "\x1b" not in err and "live\\x1b[2J" in err


def test_the_recording_commands_are_the_ones_that_save_as_the_user_goes() -> None:
    assert sorted(sub.name for sub in SUBCOMMANDS if sub.records) == ["home", "live", "prepare", "rehearse"]


def test_coach_sources_escapes_what_it_reads_from_the_dialogue_files(
    copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import coach.cli.sources

    edit(
        copy / "propose.yaml", "title: Make a lump-sum offer", 'title: "Make a lump-sum offer\\e]0;owned\\a"'
    )
    monkeypatch.setattr(coach.cli.sources, "dialogues_dir", lambda: copy)
    assert main(["sources", "propose.lump-sum"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "Make a lump-sum offer\\x1b]0;owned\\x07" in out


def test_coach_hear_escapes_the_reply_it_reads_from_the_dialogue_files(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import coach.cli.hear
    from coach.hearing.intents import hear

    def hear_with_a_poisoned_reply(*args: object, **kwargs: object) -> object:
        heard = hear(*args, **kwargs)  # type: ignore[arg-type]
        return dataclasses.replace(heard, reply=heard.reply + "\x1b[2J")

    monkeypatch.setattr(coach.cli.hear, "hear", hear_with_a_poisoned_reply)
    assert main(["hear", "we can settle for 900"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\\x1b[2J" in out
