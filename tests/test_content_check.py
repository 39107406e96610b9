"""`coach check` covers every file under dialogues/: letters, templates, money tables, stray files."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from coach.casefile.letters import CONTEXT_NAMES, letter_context
from coach.cli.main import main
from coach.dialogue.schema import Playbook
from coach.dialogue.sources import public_source_problem
from tests.conftest import edit

DIALOGUES = Path(__file__).parent.parent / "dialogues"


def check(folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["check", str(folder)])
    return code, capsys.readouterr().out


def test_shipped_content_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = check(DIALOGUES, capsys)
    assert code == 0, out


BREAKS: dict[str, tuple[Callable[[Path], None], str]] = {
    "letters.yaml syntax": (
        lambda d: edit(d / "letters" / "letters.yaml", "  itemized:\n", "  itemized: [\n"),
        r"letters/letters\.yaml:\d+: YAML syntax error",
    ),
    "letters.yaml shape": (
        lambda d: edit(d / "letters" / "letters.yaml", "    title: Itemized bill request\n", ""),
        r"letters/letters\.yaml:\d+: letter itemized: needs 'title' and 'when' as text",
    ),
    "template syntax": (
        lambda d: edit(d / "letters" / "cease.txt.j2", "{% else %}", "{% elsee %}"),
        r"letters/cease\.txt\.j2:\d+: template syntax error",
    ),
    "template unknown filter": (
        lambda d: edit(
            d / "letters" / "itemized.txt.j2", "{% if insured %}", "{{ insured | shout }}{% if insured %}"
        ),
        r"letters/itemized\.txt\.j2:\d+: template syntax error: .*shout",
    ),
    "template unknown name": (
        lambda d: edit(d / "letters" / "itemized.txt.j2", "{% if insured %}", "{{ insurd }}{% if insured %}"),
        r"letters/itemized\.txt\.j2:\d+: unknown name 'insurd'",
    ),
    "missing include": (
        lambda d: (d / "letters" / "_not_acknowledgment.txt.j2").unlink(),
        r"letters/confirmation\.txt\.j2:\d+: includes missing template '_not_acknowledgment\.txt\.j2'",
    ),
    "poverty garbage": (
        lambda d: (d / "money" / "poverty.yaml").write_bytes(b"tables:\n  2026: [\x00\x01garbage"),
        r"money/poverty\.yaml:\d+: ",
    ),
    "poverty amount": (
        lambda d: edit(d / "money" / "poverty.yaml", "base: 19950", "base: lots"),
        r"money/poverty\.yaml:\d+: 'base' must be a whole-dollar amount",
    ),
    "state rules": (
        lambda d: edit(d / "money" / "state_rules.yaml", "  OR:\n", "  XX:\n"),
        r"money/state_rules\.yaml:\d+: 'XX' is not a US state",
    ),
    "node source from the notebook": (
        lambda d: edit(
            d / "propose.yaml",
            '"45 CFR part 180 (hospitals post discounted cash prices), checked 2026-11-22"',
            '"FACTS §2.I, checked 2026-11-22"',
        ),
        r"propose\.yaml:\d+: node 'evidence': source 'FACTS §2\.I, checked 2026-11-22' cites coach's research notes",
    ),
    "letter source naming nothing": (
        lambda d: edit(
            d / "letters" / "letters.yaml",
            '"45 CFR 164.524 (HIPAA right of access to billing records), checked 2026-11-22"',
            '"see above, checked 2026-11-22"',
        ),
        r"letters/letters\.yaml:\d+: letter itemized: source 'see above, checked 2026-11-22' names no public source",
    ),
    "money source from the notebook": (
        lambda d: edit(
            d / "money" / "state_rules.yaml", "ORS 442.614 (HB 3076, 2019), checked", "FACTS 2.F, checked"
        ),
        r"money/state_rules\.yaml:\d+: OR: source 'FACTS 2\.F, checked 2026-11-22' cites coach's research notes",
    ),
    "hearing words garbage": (
        lambda d: (d / "hear" / "vocabulary.yaml").write_text("words: {not: a list}\n"),
        r"hear/vocabulary\.yaml:1: 'words' must be a list of words",
    ),
    "hearing replies garbage": (
        lambda d: (d / "hear" / "weighing.yaml").write_text("counter: [1, 2]\n"),
        r"hear/weighing\.yaml:1: verdict 'counter': expected \{part: text\}",
    ),
    "hearing source from the notebook": (
        lambda d: edit(d / "hear" / "intents.yaml", "Nolo (nolo.com), statute", "FACTS §2.G, statute"),
        r"hear/intents\.yaml:\d+: intent 'small_payment_request': source 'FACTS §2\.G.*cites coach's research notes",
    ),
    "stray file": (
        lambda d: (d / "money" / "notes.txt").write_text("scratch"),
        r"money/notes\.txt:1: no check covers this file",
    ),
}


@pytest.mark.parametrize("name", BREAKS)
def test_each_broken_file_fails_with_path_and_line(
    copy: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    breaker, pattern = BREAKS[name]
    breaker(copy)
    code, out = check(copy, capsys)
    assert code == 2
    assert re.search(pattern, out), out
    assert "Traceback" not in out


def test_every_problem_of_every_file_at_once(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("template syntax", "poverty amount", "state rules", "letters.yaml shape"):
        BREAKS[name][0](copy)
    code, out = check(copy, capsys)
    assert code == 2
    for name in ("template syntax", "poverty amount", "state rules", "letters.yaml shape"):
        assert re.search(BREAKS[name][1], out), (name, out)


def test_letter_context_names_are_declared(playbook: Playbook) -> None:
    context = letter_context(playbook, {}, "collections")
    extra = set(context) - set(playbook.facts) - set(playbook.derived)
    assert extra == set(CONTEXT_NAMES)


@pytest.mark.parametrize(
    ("source", "ok"),
    [
        ("12 CFR 1006.26(b), checked 2026-11-22", True),
        ("Nolo (nolo.com), on time-barred debt, checked 2026-11-22", True),
        ("RAND hospital price study Round 5.1 (2024), checked 2026-11-22", True),
        ("FACTS §2.H (settlement percentages), checked 2026-11-22", False),
        ("checked 2026-11-22", False),
        ("our research, checked 2026-11-22", False),
    ],
)
def test_public_sources(source: str, ok: bool) -> None:
    assert (public_source_problem(source) is None) is ok


def test_sources_command_lists_a_nodes_public_sources(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sources", "propose.lump-sum"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Make a lump-sum offer\n") and "12 CFR 1006.26(b)" in out and "FACTS" not in out
    assert main(["sources", "credit-dispute"]) == 0
    assert "15 U.S.C. 1681i" in capsys.readouterr().out
    assert main(["sources", "nowhere"]) == 2
    assert capsys.readouterr().err.strip() == (
        "coach: no node or letter 'nowhere' (nodes are stage.node, like propose.lump-sum)"
    )


def test_no_user_visible_text_in_dialogues_cites_the_notebook() -> None:
    """Comments aside, nothing under dialogues/ (but hear/, another engineer's) names FACTS."""
    for path in DIALOGUES.rglob("*"):
        if path.is_file() and "hear" not in path.parts:
            visible = [line for line in path.read_text().splitlines() if not line.lstrip().startswith("#")]
            assert not any("FACTS" in line for line in visible), path
