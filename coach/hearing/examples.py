"""A second opinion for lines the patterns can't place: the most similar labelled example.

Patterns in ``dialogues/hear/intents.yaml`` are precise but miss new wordings
("Insurance is still reviewing the claim"). When no pattern reaches the
threshold, ``nearest`` compares the line's content words with the labelled
examples in ``dialogues/hear/examples.yaml`` (built from the tuned labelled
set by ``scripts/build_hear_examples.py``) and returns the intent of the most
similar one, if it is similar enough. Safety meanings (crisis, scam signs) and
decided ones (accepted) are never guessed this way: they need their own words.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from pathlib import Path

from coach.dialogue.problems import YamlProblem
from coach.dialogue.yamlload import load_yaml
from coach.hearing.files import hear_file
from coach.paths import dialogues_dir

MIN_SIMILARITY = 0.4  # leave-one-out on the tuned set: 88% of guesses right (scripts/build_hear_examples.py)
NEVER_GUESSED = frozenset({"crisis", "scam_signs", "accepted", "unknown"})
_TOKEN = re.compile(r"<[a-z]+>|[a-z]+")
_STOP = frozenset(
    "a an the and or but if so to of in on at for by with from as is are was were be been being it its this that "
    "these those i we you he she they me us him her them my our your their do does did have has had will would can "
    "could should may might must shall just okay ok um uh like yeah well then there here what which who when how "
    "all any some very really also about up down out over again now today".split()
)


def examples_path() -> Path:
    """The shipped labelled examples."""
    return dialogues_dir() / "hear" / "examples.yaml"


def tokens(tagged: str) -> frozenset[str]:
    """Content words of a tagged line, cut to five letters so word forms meet ("reviewing" ~ "review")."""
    return frozenset(t if t.startswith("<") else t[:5] for t in _TOKEN.findall(tagged) if t not in _STOP)


@functools.lru_cache(maxsize=4)
def _examples(path: str) -> tuple[tuple[tuple[frozenset[str], str], ...], dict[str, float]]:
    """(token set, intent) per example, and each token's weight (rarer words weigh more)."""
    try:
        raw = load_yaml(Path(path))
    except YamlProblem:
        return (), {}
    found = tuple(
        (frozenset(str(item["tokens"]).split()), str(item["intent"]))
        for item in raw.get("examples", [])
        if isinstance(item, dict) and "tokens" in item and "intent" in item
    )
    counts = Counter(token for words, _ in found for token in words)
    weights = {token: math.log((1 + len(found)) / (1 + count)) + 1 for token, count in counts.items()}
    return found, weights


@functools.lru_cache(maxsize=4)
def _postings(path: str) -> tuple[dict[str, tuple[int, ...]], tuple[float, ...], float]:
    """For ``nearest``: each word's examples (their places in ``_examples``, leaving out the intents
    never guessed), each example's total weight, and the weight of a word no example has (the rarest
    words' weight).

    A line shares words with a tenth of the examples: only those are weighed."""
    examples, weights = _examples(path)
    found: dict[str, list[int]] = {}
    for place, (words, intent) in enumerate(examples):
        if intent not in NEVER_GUESSED:
            for word in words:
                found.setdefault(word, []).append(place)
    totals = tuple(sum(weights[word] for word in sorted(words)) for words, _ in examples)
    return {word: tuple(places) for word, places in found.items()}, totals, max(weights.values(), default=1.0)


def similarity(
    a: frozenset[str], b: frozenset[str], weights: dict[str, float], default: float = 1.0
) -> float:
    """Weighted Jaccard: the weight of shared words over the weight of all words.

    Words no example has weigh ``default`` (the rarest words' weight).
    """
    union = a | b
    if not union:
        return 0.0
    shared = sum(weights.get(t, default) for t in a & b)
    return shared / sum(weights.get(t, default) for t in union)


def nearest(tagged: str, skip: frozenset[str] | None = None) -> tuple[str, float] | None:
    """The intent of the most similar example and its similarity, or None when nothing is close enough.

    ``skip`` leaves out one example's tokens (for leave-one-out measuring).
    """
    path = hear_file(dialogues_dir, "examples.yaml")
    examples, weights = _examples(path)
    postings, totals, default = _postings(path)
    words = tokens(tagged)
    sharing: set[int] = set()  # the examples with a word of the line
    for word in words:
        sharing.update(postings.get(word, ()))
    # Each sharing example's similarity from its total weight (the union's weight is the two totals less
    # what they share); the few within rounding of the best are weighed exactly, in file order, so the
    # example chosen and its score are those of weighing every example with ``similarity``.
    line_total = sum(weights.get(t, default) for t in words)
    quick: dict[int, float] = {}
    for place in sharing:
        example_words = examples[place][0]
        if example_words != skip:
            shared = sum(weights.get(t, default) for t in words & example_words)
            quick[place] = shared / (line_total + totals[place] - shared)
    best: tuple[str, float] | None = None
    if quick:
        top = max(quick.values()) - 1e-9
        for place in sorted(p for p, score in quick.items() if score >= top):
            example_words, intent = examples[place]
            score = similarity(words, example_words, weights, default)
            if best is None or score > best[1]:
                best = (intent, score)
    return best if best is not None and best[1] >= MIN_SIMILARITY else None
