"""``coach case edit``: renames a case, and two edits at once never lose each other's facts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import coach.cli.case
from coach.casefile.store import Store
from coach.cli.main import main

FIXTURES = Path(__file__).parent / "fixtures"


def test_edit_renames_a_case(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["case", "new", "--label", "Midstate [/] Recovery"]) == 0
    assert main(["case", "edit", "1", "--label", "  St. Anne   ER visit "]) == 0
    assert "case 1 updated: St. Anne ER visit" in capsys.readouterr().out
    assert Store.open().case(1).label == "St. Anne ER visit"


@pytest.mark.parametrize("label", ["", "   ", "St. Anne \x1b]52;c;aGk=\x07"])
def test_a_label_with_nothing_visible_or_a_control_character_is_refused(
    label: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["case", "new", "--label", "St. Anne"]) == 0
    assert main(["case", "edit", "1", "--label", label]) == 2
    err = capsys.readouterr().err
    assert err.startswith("coach: --label:") and "\x1b" not in err and err.count("\n") == 1
    assert Store.open().case(1).label == "St. Anne"


def test_an_edit_made_while_another_runs_is_kept(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Another process sets a fact after this edit has begun; both changes survive."""
    assert main(["case", "new", "--set", "balance=2400"]) == 0
    real_parse_sets = coach.cli.case.parse_sets

    def parse_sets_while_another_edits(pairs: list[str], playbook: Any) -> dict[str, Any]:
        other = Store.open()  # its own connection, as a second `coach case edit` has
        other.set_case_facts(1, {"state": "OH"})
        other.close()
        return real_parse_sets(pairs, playbook)

    monkeypatch.setattr(coach.cli.case, "parse_sets", parse_sets_while_another_edits)
    assert main(["case", "edit", "1", "--set", "account_number=AC-1"]) == 0
    facts = Store.open().case(1).facts
    assert facts["state"] == "OH" and facts["account_number"] == "AC-1" and facts["balance"] == "2400.00"


def test_unset_and_an_unknown_case(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["case", "new", "--set", "balance=2400", "--set", "state=OH"]) == 0
    assert main(["case", "edit", "1", "--unset", "state"]) == 0
    assert "state" not in Store.open().case(1).facts
    capsys.readouterr()
    assert main(["case", "edit", "7", "--set", "balance=1"]) == 2
    assert "no case 7" in capsys.readouterr().err
