"""``nearest`` weighs only the examples sharing a word with the line: it must choose as weighing them all would."""

from __future__ import annotations

from pathlib import Path

import yaml

from coach.hearing import examples
from coach.hearing.reading import read_numbers
from coach.paths import dialogues_dir

DATA = Path(__file__).parent / "data"


def every_example(tagged: str, skip: frozenset[str] | None = None) -> tuple[str, float] | None:
    """The definition: every example weighed with ``similarity``, in file order, the first best kept."""
    found, weights = examples._examples(examples.hear_file(dialogues_dir, "examples.yaml"))
    default = max(weights.values())
    words = examples.tokens(tagged)
    best: tuple[str, float] | None = None
    for example_words, intent in found:
        if intent in examples.NEVER_GUESSED or example_words == skip or words.isdisjoint(example_words):
            continue
        score = examples.similarity(words, example_words, weights, default)
        if best is None or score > best[1]:
            best = (intent, score)
    return best if best is not None and best[1] >= examples.MIN_SIMILARITY else None


def test_nearest_chooses_as_weighing_every_example() -> None:
    lines = [
        item["text"]
        for name in ("heard_lines.yaml", "heard_lines_holdout.yaml")
        for item in yaml.safe_load((DATA / name).read_text())["lines"]
    ]
    tagged = [read_numbers(line).tagged for line in lines]
    guessed = [examples.nearest(t) for t in tagged]
    assert guessed == [every_example(t) for t in tagged]
    assert sum(g is not None for g in guessed) > 100  # the comparison covers real guesses, not only None


def test_nearest_leaves_one_out_as_weighing_every_example() -> None:
    found, _ = examples._examples(examples.hear_file(dialogues_dir, "examples.yaml"))
    for words, _intent in found[::7]:
        line = " ".join(sorted(words))
        assert examples.nearest(line, skip=words) == every_example(line, skip=words)


def test_warm_up_reads_every_file_a_heard_line_needs() -> None:
    """After ``warm_up`` a call's first heard line reads no file: every cache it uses is already filled."""
    from coach.hearing import intents, patterns, typos

    cached = [
        patterns._load_cached,
        typos._vocabulary,
        typos._numbers,
        typos._spelled,
        examples._examples,
        examples._postings,
    ]
    for function in [*cached, typos._correct_word, typos._correct_short]:  # as in a fresh process
        function.cache_clear()
    intents.warm_up()
    misses = [function.cache_info().misses for function in cached]
    assert all(misses)  # each was read by the warm-up
    intents.hear(
        "We could take twelve hundred if you pay by Friday, otherwise it goes to our attorney.", "collections"
    )
    assert [function.cache_info().misses for function in cached] == misses
