"""The command line's own error lines: what argparse quotes back is escaped, and only recording commands
promise that what was recorded is saved."""

from __future__ import annotations

import pytest

from coach.cli.main import SUBCOMMANDS, main


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
