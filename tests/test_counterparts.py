"""Counterparts are data: declared once in dialogues/counterparts.yaml, named by no front end.

``coach check`` reports a phrase variant, persona, hearing reply or letter for a
counterpart counterparts.yaml does not declare, each with its file and line.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from coach.cli.main import main
from coach.dialogue import counterparts
from coach.dialogue.schema import Playbook
from tests.conftest import edit

ROOT = Path(__file__).resolve().parent.parent
FRONT_ENDS = sorted([*(ROOT / "coach" / "tui").rglob("*.py"), *(ROOT / "coach" / "cli").glob("*.py")])


def check(folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["check", str(folder)])
    return code, capsys.readouterr().out


def test_the_four_counterparts_are_declared_in_order(playbook: Playbook) -> None:
    assert counterparts.keys() == ("hospital", "doctor", "collections", "insurer")
    assert playbook.counterparts == list(counterparts.keys())
    assert counterparts.name("hospital") == "a hospital billing office"
    assert counterparts.get("insurer").title == "A health insurer"
    assert counterparts.default() == "hospital"


def test_aliases_traits_and_inference() -> None:
    assert counterparts.resolve("Agency") == "collections"
    assert counterparts.resolve("insurance") == "insurer"
    assert counterparts.resolve("pharmacy") is None
    assert counterparts.has("collections", "debt-collector")
    assert not counterparts.has("insurer", "debt-collector")
    assert counterparts.lacks("doctor", "charity-care") and not counterparts.lacks("pharmacy", "charity-care")
    assert counterparts.infer({"original_creditor": "St. Anne"}) == "collections"
    assert counterparts.infer({"creditor": "St. Anne"}) == "hospital"


@pytest.mark.parametrize("path", FRONT_ENDS, ids=[p.name for p in FRONT_ENDS])
def test_no_front_end_module_names_a_counterpart(path: Path) -> None:
    names = set(counterparts.keys())
    for declared in counterparts.load().values():
        names |= set(declared.aliases) | {declared.name, declared.title}
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = [
        f"{path.name}:{node.lineno}: {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.strip().lower() in names
    ]
    assert found == []


def test_the_command_line_offers_every_declared_counterpart(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["hear", "--counterpart", "pharmacy", "we need it in writing"])
    assert "choose from 'hospital', 'doctor', 'collections', 'insurer'" in capsys.readouterr().err
    assert main(["hear", "--counterpart", "insurer", "the claim is still pending"]) == 0


def test_check_fails_on_a_phrase_variant_for_an_undeclared_counterpart(
    copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(copy / "contact.yaml", "      insurer: >-\n", "      pharmacy: Hello there.\n      insurer: >-\n")
    code, out = check(copy, capsys)
    assert code == 2
    assert "contact.yaml:" in out and "'say' variant for unknown counterpart 'pharmacy'" in out


def test_check_fails_on_a_persona_for_an_undeclared_counterpart(
    copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(
        copy / "rehearse" / "personas.yaml",
        "    counterpart: insurer\n    name: Jamie",
        "    counterpart: pharmacy\n    name: Jamie",
    )
    code, out = check(copy, capsys)
    assert code == 2
    assert "personas.yaml:" in out and "unknown counterpart 'pharmacy'" in out


def test_check_fails_on_a_letter_for_an_undeclared_counterpart(
    copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(copy / "letters" / "letters.yaml", "    for: [insurer]\n", "    for: [pharmacy]\n")
    code, out = check(copy, capsys)
    assert code == 2
    assert (
        "letters.yaml:" in out and "letter claim-file: 'for' names undeclared counterpart 'pharmacy'" in out
    )


def test_check_reports_a_broken_counterparts_file_by_line(
    copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(copy / "counterparts.yaml", "    traits: [claims]", "    traits: [claims, lender]")
    edit(copy / "counterparts.yaml", "    facts: [insurer_name,", "    facts: [insurer_nam,")
    code, out = check(copy, capsys)
    assert code == 2
    lines = (copy / "counterparts.yaml").read_text(encoding="utf-8").splitlines()
    trait_line = next(i for i, line in enumerate(lines, 1) if "lender" in line)
    assert f"counterparts.yaml:{trait_line}: counterpart 'insurer': unknown trait 'lender'" in out
    assert "counterpart 'insurer': lists undeclared fact 'insurer_nam'" in out


def test_check_fails_on_a_say_variant_missing_for_a_new_counterpart(
    copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Adding a counterpart is YAML only, and check names each phrase that still lacks its variant."""
    (copy / "counterparts.yaml").write_text(
        (copy / "counterparts.yaml").read_text(encoding="utf-8")
        + "  pharmacy:\n    name: a pharmacy\n    the: the pharmacy\n",
        encoding="utf-8",
    )
    code, out = check(copy, capsys)
    assert code == 2
    assert "node 'open': 'say' has no default and no variant for pharmacy" in out
    assert "defaults: no persona for 'pharmacy'" in out
