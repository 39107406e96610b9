"""Hearing skips the regexes a line can't match: the scores stay exactly what every regex would give."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coach.dialogue.yamlload import load_yaml
from coach.hearing.files import hear_file
from coach.hearing.needs import required_text
from coach.hearing.patterns import Intent, Pattern, load_intents
from coach.hearing.reading import Numbers, read_numbers

DATA = Path(__file__).parent / "data"


def every_regex_score(intent: Intent, numbers: Numbers) -> float:
    """The score with each pattern's regex run, no piece looked for first."""
    return sum(
        [
            p.weight
            for p in intent.patterns
            if (
                p.regex.search(numbers.tagged) is not None
                if p.regex
                else getattr(numbers, str(p.slot)) is not None
            )
        ]
    )


def labelled_lines() -> list[str]:
    lines = []
    for path in sorted(DATA.glob("*.yaml")):
        for item in load_yaml(path)["lines"]:
            lines.append(str(item.get("text", item.get("say"))))
    return lines


@pytest.mark.parametrize(
    ("source", "needs"),
    [
        (r"settle for <money>", ("settle for <money>",)),
        (r"\b(?:lump sum|in full)\b", ("lump sum", "in full")),
        (r"\bpay(?:ment)?s? of <money>", (" of <money>",)),
        (r"(?:call)+ back", (" back",)),
        (r"(?:sued?)? court", (" court",)),
        (r"\b(?:sue|court|\w+ly)\b", ("sue", "court", "ly")),
        (r"\b(?:sue|court|\w+)\b", ()),  # a branch needing nothing: the regex is always run
        (r"(?i)court", ()),  # case-folded: always run
        (r"(?:court)?", ()),
    ],
)
def test_required_text_is_what_every_match_holds(source: str, needs: tuple[str, ...]) -> None:
    assert required_text(re.compile(source)) == needs


def test_a_pattern_is_skipped_only_when_its_regex_could_not_match() -> None:
    book = load_intents()
    lines = labelled_lines()
    assert len(lines) > 1000
    for text in lines:
        numbers = read_numbers(text)
        for intent in book.intents.values():
            for pattern in intent.patterns:
                if pattern.regex is not None and pattern.regex.search(numbers.tagged):
                    assert not pattern.needs or any(piece in numbers.tagged for piece in pattern.needs)


def test_the_book_scores_every_line_as_running_every_regex() -> None:
    book = load_intents()
    for text in labelled_lines():
        numbers = read_numbers(text)
        expected = {name: every_regex_score(intent, numbers) for name, intent in book.intents.items()}
        assert book.scores(numbers) == expected
        assert list(book.scores(numbers)) == list(book.intents)
        assert {name: intent.score(numbers) for name, intent in book.intents.items()} == expected


def test_most_regexes_carry_a_piece_to_look_for() -> None:
    patterns = [p for intent in load_intents().intents.values() for p in intent.patterns if p.regex]
    assert sum(1 for p in patterns if p.needs) > 0.9 * len(patterns)


def test_a_slot_pattern_needs_nothing() -> None:
    assert Pattern(1.0, slot="amount").needs == ()


def test_hearing_files_follow_the_dialogues_folder_they_are_given(tmp_path: Path) -> None:
    assert hear_file(lambda: tmp_path, "intents.yaml") == str(tmp_path / "hear" / "intents.yaml")
    other = tmp_path / "other"
    assert hear_file(lambda: other, "intents.yaml") == str(other / "hear" / "intents.yaml")
