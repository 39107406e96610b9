"""The rehearsal partner's understanding of the user's own words, measured on labelled lines."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from coach.dialogue.yamlload import load_yaml
from coach.errors import CoachError
from coach.rehearsal.understand import MEANINGS, load_vocabulary, understand, validate_understand

ROOT = Path(__file__).resolve().parent.parent
LINES = ROOT / "tests" / "data" / "user_lines.yaml"
HOLDOUT = ROOT / "tests" / "data" / "user_lines_holdout.yaml"
SHIPPED = ROOT / "dialogues" / "rehearse" / "understand.yaml"
NUMBERS = ("amount", "percent", "monthly", "months")


def labelled(path: Path = LINES) -> tuple[Decimal, str, list[dict[str, Any]]]:
    data = load_yaml(path)
    return Decimal(str(data["balance"])), str(data["counterpart"]), list(data["lines"])


def mistakes(entry: dict[str, Any], balance: Decimal, counterpart: str) -> list[str]:
    """How the partner's reading of one labelled line differs from its label ([] when right)."""
    got = understand(entry["say"], counterpart, balance)
    wrong = []
    if set(got.meanings) != set(entry["means"]):
        wrong.append(f"means {sorted(got.meanings)}, not {sorted(entry['means'])}")
    for name in NUMBERS:
        if name in entry:
            value = getattr(got, name)
            if value is None or Decimal(value) != Decimal(str(entry[name])):
                wrong.append(f"{name} {value}, not {entry[name]}")
    return wrong


def test_labelled_user_lines_are_varied_and_use_known_meanings() -> None:
    lines = labelled()[2]
    assert len(lines) >= 60
    assert len({entry["say"] for entry in lines}) == len(lines)
    for entry in lines:
        assert set(entry["means"]) <= set(MEANINGS), entry
    covered = {meaning for entry in lines for meaning in entry["means"]}
    assert covered == set(MEANINGS)  # every meaning is measured
    assert sum(1 for entry in lines if not entry["means"]) >= 5  # and lines that mean none


@pytest.mark.parametrize("path", [LINES, HOLDOUT], ids=["tuned", "held-out"])
def test_partner_understands_at_least_95_percent_of_labelled_user_lines(path: Path) -> None:
    balance, counterpart, lines = labelled(path)
    wrong = {entry["say"]: m for entry in lines if (m := mistakes(entry, balance, counterpart))}
    right = len(lines) - len(wrong)
    share = right / len(lines)
    print(f"\n{path.name}: understood {right}/{len(lines)} = {share:.1%}; wrong: {wrong}")
    assert share >= 0.95, wrong


@pytest.mark.parametrize(
    ("text", "meanings", "amount"),
    [
        ("I can pay 900 today", ("offer_lump",), Decimal("900.00")),
        ("i cant pay 2480 but i could do 900", ("offer_lump",), Decimal("900.00")),
        ("i can't pay 2480", (), None),
        ("The bill says $2,480, but I can do $800.", ("offer_lump",), Decimal("800.00")),
    ],
)
def test_a_refused_or_quoted_amount_is_not_an_offer(
    text: str, meanings: tuple[str, ...], amount: Decimal | None
) -> None:
    got = understand(text, "collections", Decimal("2480"))
    assert (got.meanings, got.amount) == (meanings, amount)


def test_a_percent_needs_the_balance_to_become_dollars() -> None:
    assert understand("would you take 40 percent", "hospital", None).amount is None
    assert understand("would you take 40 percent", "hospital", Decimal("1000")).amount == Decimal("400.00")


def test_typos_are_tolerated_but_real_words_near_a_key_word_are_not() -> None:
    assert understand("pay for delte?").meanings == ("pay_for_delete",)
    assert understand("get me a supervsor").meanings == ("supervisor",)
    assert "supervisor" not in understand("i can manage 100 a month").meanings
    assert understand("I got a letter from you").meanings == ()


def test_shipped_file_is_clean_and_a_broken_one_reports_lines(tmp_path: Path) -> None:
    assert validate_understand(SHIPPED) == []
    broken = tmp_path / "understand.yaml"
    text = SHIPPED.read_text()
    text = text.replace("  supervisor:\n", "  supervisr:\n", 1).replace("'\\bitemi\\w*'", "'itemi('", 1)
    broken.write_text(text)
    problems = validate_understand(broken)
    assert any("bad pattern 'itemi('" in p for p in problems), problems
    assert any("unknown meaning 'supervisr'" in p for p in problems), problems
    assert any("meanings: 'supervisor' is missing" in p for p in problems), problems
    assert all(p.startswith(f"{broken}:") for p in problems)
    with pytest.raises(CoachError, match="run coach check"):
        load_vocabulary(broken)
    shutil.copy(SHIPPED, broken)
    assert load_vocabulary(broken).meanings


def test_an_account_or_reference_number_is_never_an_offer() -> None:
    from decimal import Decimal

    from coach.rehearsal.understand import understand

    for line in ("I'm calling about account AC-558812.", "my reference is 4471-B"):
        assert understand(line, "collections", Decimal("2480")).amount is None, line
    assert understand("account 12345, I can pay 700", "collections", Decimal("2480")).amount == Decimal(
        "700.00"
    )
