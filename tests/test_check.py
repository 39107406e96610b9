"""`coach check`: one small broken playbook per rule, asserting the exact message and line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from coach.cli.main import main
from coach.dialogue.playbook import check_playbook

META = """\
playbook:
  stages: [assess, document]
  start: assess.first
  counterparts: [hospital, doctor, collections]
  notes:
    rep_name: {label: "Rep's name", command: rep}
  legal_terms: ['\\bFDCPA\\b']
facts:
  balance: {type: money, prompt: "How much?"}
"""

GOOD_NODES = """\
stage: assess
nodes:
  - id: first
    coach: Owed {{ balance | money }}.
    choices:
      - id: go
        label: Go on
        next: document.last
"""

LAST = """\
stage: document
nodes:
  - id: last
    coach: Done.
    end: true
"""


def write(tmp_path: Path, nodes: str, meta: str = META, last: str = LAST) -> Path:
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "a-meta.yaml").write_text(meta)
    (folder / "b-assess.yaml").write_text(textwrap.dedent(nodes))
    (folder / "c-document.yaml").write_text(last)
    return folder


def problems_of(folder: Path) -> list[str]:
    _, problems = check_playbook([folder])
    return [str(p).replace(str(folder) + "/", "") for p in problems]


def test_clean_playbook_has_no_problems(tmp_path: Path) -> None:
    assert problems_of(write(tmp_path, GOOD_NODES)) == []


CASES = [
    (
        "yaml syntax",
        "stage: assess\nnodes:\n  - id: first\n    coach: [unclosed\n",
        "b-assess.yaml:5: YAML syntax error: did not find expected ',' or ']'",
    ),
    (
        "unknown key",
        GOOD_NODES.replace("    coach:", "    colour: red\n    coach:"),
        "b-assess.yaml:4: node 'first': unknown key 'colour' "
        "(allowed: ask, capture, choices, coach, end, id, "
        "next, say, source, title, warn)",
    ),
    (
        "missing key",
        GOOD_NODES.replace("        label: Go on\n", ""),
        "b-assess.yaml:6: node 'first': choice is missing 'label'",
    ),
    (
        "duplicate id",
        GOOD_NODES + "  - id: first\n    coach: again\n    next: document.last\n",
        "b-assess.yaml:9: duplicate node id 'assess.first' (first at b-assess.yaml:3)",
    ),
    (
        "duplicate key",
        GOOD_NODES.replace("    coach: Owed", "    coach: x\n    coach: Owed"),
        "b-assess.yaml:5: duplicate key 'coach' (first on line 4)",
    ),
    (
        "missing reference",
        GOOD_NODES.replace("next: document.last", "next: document.lost"),
        "b-assess.yaml:8: node 'first': goes to missing node 'document.lost'",
    ),
    (
        "unreachable",
        GOOD_NODES + "  - id: island\n    coach: alone\n    next: document.last\n",
        "b-assess.yaml:9: node 'island': unreachable from the start 'assess.first'",
    ),
    (
        "no end reachable",
        GOOD_NODES.replace("next: document.last", "next: loop")
        + "  - id: loop\n    coach: round\n    next: first\n",
        "b-assess.yaml:3: node 'first': no way from here reaches an end",
    ),
    (
        "dead end",
        GOOD_NODES + "  - id: stuck\n    coach: nowhere\n",
        "b-assess.yaml:9: node 'stuck': dead end: needs 'choices', 'next' or 'end: true'",
    ),
    (
        "jinja syntax",
        GOOD_NODES.replace("{{ balance | money }}", "{{ balance | money }"),
        "b-assess.yaml:4: node 'first': template error: unexpected '}'",
    ),
    (
        "undeclared fact in template",
        GOOD_NODES.replace("{{ balance | money }}", "{{ balanse | money }}"),
        "b-assess.yaml:4: node 'first': template uses undeclared fact 'balanse'",
    ),
    (
        "unknown filter",
        GOOD_NODES.replace("{{ balance | money }}", "{{ balance | dollars }}"),
        "b-assess.yaml:4: node 'first': template error: no filter named 'dollars'",
    ),
    (
        "condition syntax",
        GOOD_NODES.replace(
            "        next: document.last", "        when: balance >\n        next: document.last"
        ),
        "b-assess.yaml:8: node 'first': condition error in 'balance >': unexpected end of condition",
    ),
    (
        "undeclared fact in condition",
        GOOD_NODES.replace(
            "        next: document.last", "        when: income > 5\n        next: document.last"
        ),
        "b-assess.yaml:8: node 'first': condition uses undeclared fact 'income'",
    ),
    (
        "unknown counterpart variant",
        GOOD_NODES.replace(
            "    coach: Owed", "    say:\n      default: Hi\n      insurer: Hello\n    coach: Owed"
        ),
        "b-assess.yaml:6: node 'first': 'say' variant for unknown counterpart 'insurer'",
    ),
    (
        "missing counterpart variant",
        GOOD_NODES.replace("    coach: Owed", "    say:\n      hospital: Hi\n    coach: Owed"),
        "b-assess.yaml:4: node 'first': 'say' has no default and no variant for doctor, collections",
    ),
    (
        "bad id",
        GOOD_NODES.replace("id: first", "id: First_Step"),
        "b-assess.yaml:3: node 'First_Step': id must be kebab-case (a-z, 0-9, -), like 'ask-itemized'",
    ),
    (
        "legal claim without source",
        GOOD_NODES.replace("Owed {{ balance | money }}.", "The FDCPA applies."),
        "b-assess.yaml:4: node 'first': states law or money ('FDCPA') without 'source:'",
    ),
    (
        "source without date",
        GOOD_NODES.replace("    coach: Owed", "    source: 12 CFR 1006.34\n    coach: Owed"),
        "b-assess.yaml:4: node 'first': source '12 CFR 1006.34' needs the date it was checked "
        "('checked YYYY-MM-DD')",
    ),
    (
        "ask undeclared fact",
        GOOD_NODES.replace("    coach: Owed", "    ask: income\n    coach: Owed"),
        "b-assess.yaml:4: node 'first': asks for undeclared fact 'income'",
    ),
    (
        "if without else",
        GOOD_NODES.replace(
            "    choices:\n      - id: go\n        label: Go on\n        next: document.last\n",
            "    next:\n      - if: balance > 5\n        then: document.last\n",
        ),
        "b-assess.yaml:6: node 'first': 'next' list must end with 'else:' so there is always a way on",
    ),
    (
        "end outside last stage",
        GOOD_NODES.replace(
            "    choices:\n      - id: go\n        label: Go on\n        next: document.last\n",
            "    end: true\n",
        ),
        "b-assess.yaml:3: node 'first': ends the call outside the last stage 'document'",
    ),
    (
        "yes stays a string",
        GOOD_NODES.replace("    coach: Owed", "    end: yes\n    coach: Owed"),
        "b-assess.yaml:4: node 'first': 'end' must be true (or left out)",
    ),
    (
        "empty file",
        "",
        "b-assess.yaml:1: empty file: expected 'playbook:', 'facts:' or 'stage:' with 'nodes:'",
    ),
]


@pytest.mark.parametrize(("rule", "nodes", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_rule_reports_exact_message_and_line(
    tmp_path: Path, rule: str, nodes: str, expected: str
) -> None:
    assert expected in problems_of(write(tmp_path, nodes))


def test_unknown_fact_type_and_reserved_name(tmp_path: Path) -> None:
    meta = META + "  items: {type: text, prompt: x}\n  size: {type: float, prompt: y}\n"
    found = problems_of(write(tmp_path, GOOD_NODES, meta=meta))
    assert any(p.startswith("a-meta.yaml:10: fact name 'items' must be snake_case") for p in found)
    assert (
        "a-meta.yaml:11: fact 'size': type must be one of text, money, date, int, bool, choice, state"
        in found
    )


def test_every_problem_reported_at_once(tmp_path: Path) -> None:
    nodes = (
        GOOD_NODES.replace("{{ balance | money }}", "{{ nope }}")
        + "  - id: Bad\n    coach: x\n    end: true\n"
    )
    found = problems_of(write(tmp_path, nodes))
    assert len(found) >= 2
    assert any("undeclared fact 'nope'" in p for p in found)
    assert any("id must be kebab-case" in p for p in found)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\x00\x01\xff\xfe garbage \x00", "not a readable YAML text file"),
        (b"[" * 5000 + b"]" * 5000, "b-assess.yaml:1:"),
        (b"- just\n- a list\n", "b-assess.yaml:1: expected a mapping at the top of the file"),
        (b"\xef\xbb\xbfstage: assess\nnodes: 3\n", "b-assess.yaml:2: 'nodes' must be a list"),
    ],
    ids=["binary", "deeply-nested", "list-at-top", "nodes-not-list"],
)
def test_hostile_files_give_messages_not_tracebacks(tmp_path: Path, content: bytes, expected: str) -> None:
    folder = write(tmp_path, GOOD_NODES)
    (folder / "b-assess.yaml").write_bytes(content)
    found = problems_of(folder)
    assert any(expected in p for p in found), found


def test_cli_exit_codes_and_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write(tmp_path, GOOD_NODES)
    assert main(["check", str(folder)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2 stages, 2 nodes (assess 1, document 1), 0 phrases, 1 facts: OK")
    (folder / "b-assess.yaml").write_text(GOOD_NODES.replace("document.last", "document.gone"))
    assert main(["check", str(folder)]) == 2
    captured = capsys.readouterr()
    assert f"{folder}/b-assess.yaml:8: node 'first': goes to missing node 'document.gone'" in captured.out
    assert "1 problem found" in captured.err


def test_shipped_dialogues_are_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    assert ": OK (" in capsys.readouterr().out


def test_missing_path_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path / "nope")]) == 2
    assert capsys.readouterr().err.strip() == f"{tmp_path / 'nope'}:1: no such file or folder"


# -- legal_terms: the prefilter finds what the regex alone finds ----------------------------------


def shipped_texts() -> list[str]:
    from coach.dialogue.playbook import load_playbook

    playbook = load_playbook([Path(__file__).parent.parent / "dialogues"])
    texts = []
    for node in playbook.nodes.values():
        texts += [node.title, node.coach, node.warn, *node.say.values(), *(c.label for c in node.choices)]
    return [text for text in texts if text]


TRICKY = [
    "",
    "The FDCPA says so.",
    "the fdcpa",
    "xFDCPA",
    "FDCPAx",
    "ſtatute of limitations",  # long s: matches 's' when case is ignored, and is not ASCII
    "STATUTE",
    "A LAW firm",
    "lawyer",
    "within 30 business days",
    "within 30 days",
    "30  days",
    "in 5 days.",
    "U.S.C. 1692",
    "US.C",
    "section 501(r) of the code",
    "Credit Bureau",
    "credit\nreport",
    "Form 1099-C",
    "the poverty guidelines",
    "They must send it.",
    "they must  send",
    "Kelvin: \u212a",
    "no terms here at all, just words",
]


@pytest.mark.parametrize(
    "terms",
    [
        None,  # the shipped playbook's own
        ["\\bFDCPA\\b", "\\d+ days"],
        ["law|statute", "\\bCFR\\b"],  # a branch at the top: no run for the first term, no prefilter
        ["(?-i:LAW)", "x"],  # case kept inside a group: not a run
        ["[0-9]+"],
        ["k", "ſ"],
        ["Regulation\\ F", "(?x: c r e d i t )report"],
    ],
)
def test_legal_terms_prefilter_matches_like_the_plain_regex(terms: list[str] | None) -> None:
    import re

    import yaml

    from coach.dialogue.playbook import LegalTerms

    if terms is None:
        meta = yaml.safe_load((Path(__file__).parent.parent / "dialogues" / "playbook.yaml").read_text())
        terms = meta["playbook"]["legal_terms"]
    plain = re.compile("|".join(f"(?:{t})" for t in terms), re.IGNORECASE)
    prefiltered = LegalTerms(terms)
    texts = shipped_texts() + TRICKY + [t.upper() for t in TRICKY] + [f"x {t} y" for t in TRICKY]
    found = 0
    for text in texts:
        ours, theirs = prefiltered.search(text), plain.search(text)
        assert (ours and ours.span()) == (theirs and theirs.span()), text
        found += theirs is not None
    assert found  # the texts do exercise a match


def test_legal_terms_prefilter_skips_the_regex_only_when_no_run_is_there() -> None:
    from coach.dialogue.playbook import LegalTerms

    terms = LegalTerms(["\\bFDCPA\\b", "\\b\\d+ days\\b", "U\\.S\\.C", "(?:a|b)c"])
    assert terms.runs == ("fdcpa", " days", "u.s.c", "c")
    assert LegalTerms(["\\bFDCPA\\b", "law|statute"]).runs is None  # a term with no run: the regex alone


@pytest.mark.parametrize("enabled", [True, False])
def test_check_leaves_the_cyclic_collector_as_it_found_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], enabled: bool
) -> None:
    """coach check pauses the collector and freezes what it built (speed): a caller that runs on gets the
    collector back as it was, with nothing left frozen, on success and on problems alike."""
    import gc

    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        for arguments in (["check"], ["check", str(write(tmp_path, "", meta=META + "bogus: 1\n"))]):
            main(arguments)  # the shipped dialogues (no problem), then a playbook with problems
            assert gc.isenabled() is enabled
            assert gc.get_freeze_count() == 0
    finally:
        (gc.enable if was else gc.disable)()
    capsys.readouterr()
