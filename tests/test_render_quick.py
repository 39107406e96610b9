"""coach check reads simple templates and conditions with a small scanner instead of the Jinja2 parser
(for speed): it must accept only what Jinja2 parses, and find exactly the names and filter problems
that the parser's tree gives."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from jinja2 import TemplateSyntaxError

from coach.dialogue import render
from coach.dialogue.yamlload import load_yaml

ROOT = Path(__file__).resolve().parent.parent

TEMPLATES = [
    "plain {{ balance | money }} and {{ name }}",
    "{% if insured %}You have insurance.{% else %}No insurance.{% endif %}",
    "{% if balance > 500 and not insured %}big{% elif balance == 0 %}none{% else %}{{ balance }}{% endif %}",
    "{%- if (a or b) and c != 3.5 -%}x{%+ endif %}",
    "{% if a %}{% if b %}both{% endif %}{% endif %}",
    "{% if a < b <= c %}chain{% endif %}",
    "{% if true %}{{ range }}{% endif %}",
    "{{ x | nosuchfilter }} {% if y %}{{ z | money | upper }}{% endif %}",
    "{% if ifx %}x{% endif %}",
    "{% if who == 'collections' and kind != \"a b\" %}x{% endif %}",
    "{% if a + 1 > 2 and balance * 10 > income / 2 - fee %}x{% endif %}",
    # not for the scanner: each must go to the parser (and some are errors)
    "{% if %}empty{% endif %}",
    "{% if a %}never closed",
    "{% endif %}",
    "{% if a %}x{% else %}y{% elif b %}z{% endif %}",
    "{% if a %}x{% else %}y{% else %}z{% endif %}",
    "{% if a is defined %}x{% endif %}",
    "{% if a in b %}x{% endif %}",
    "{% if a.b %}x{% endif %}",
    "{% if a ** 2 > 2 %}x{% endif %}",
    "{% if -a > 2 %}x{% endif %}",
    "{% if 1_000 > a %}x{% endif %}",
    "{% if a b %}x{% endif %}",
    "{% for x in y %}{{ x }}{% endfor %}",
    "{# a comment #}{{ a }}",
    "{% set q = 1 %}{{ q }}",
    "{% if a %}x{% endif %} }} stray",
    "{{ a }",
    "{% if (a %}x{% endif %}",
    "{% iffy %}",
]

CONDITIONS = [
    "balance > 500",
    "insured and not surprise_bill",
    "(a or b) and c",
    "not not a",
    "a == none",
    "range",
    "a >",
    "a is defined",
    "a in [1, 2]",
    "a | length > 2",
    "a.b",
    "",
    "a b",
    "(a",
    "a)",
    "x == 'y'",
    "x == 'a\\'b'",
    "x == '{{'",
    "x == 'unclosed",
    "balance * 10 > annual_income",
    "a + 'x' == b",
    "(a - 1) * (b + 2) / c",
    "a - -1",
    "a ** 2",
    "a // 2",
    "a * not b",
    "-a > 1",
    "a +",
    "* a",
    "a + + b",
    "a % 2",
]


def shipped_texts() -> tuple[list[str], list[str]]:
    """Every string in the shipped dialogues that holds template syntax, and every 'when:'/'if:'."""
    templates: list[str] = []
    conditions: list[str] = []

    def walk(value: object, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, str(k))
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str):
            if key in ("when", "if"):
                conditions.append(value)
            elif "{" in value:
                templates.append(value)

    for path in sorted((ROOT / "dialogues").rglob("*.yaml")):
        walk(load_yaml(path))
    return templates, conditions


def slow(template: str) -> tuple[set[str], list[str]] | None:
    try:
        return render.undeclared_problems(render.parse(template))
    except TemplateSyntaxError:
        return None


@pytest.mark.parametrize("template", TEMPLATES + shipped_texts()[0])
def test_the_scanner_agrees_with_the_parser_on_templates(template: str) -> None:
    quick = render.quick_scan(template)
    if quick is not None:
        found = slow(template)
        assert found is not None, "the scanner accepted what Jinja2 refuses"
        assert (quick[0], sorted(quick[1])) == (found[0], sorted(found[1]))


@pytest.mark.parametrize("condition", CONDITIONS + shipped_texts()[1])
def test_the_scanner_agrees_with_the_parser_on_conditions(condition: str) -> None:
    quick = render.quick_expression(condition)
    if quick is not None:
        found = slow("{{ " + condition + " }}")
        assert found is not None, "the scanner accepted what Jinja2 refuses"
        assert quick == found[0] and not found[1]


def test_the_scanner_takes_the_common_shapes_and_leaves_the_rest() -> None:
    """It must actually be used for the common shapes (or coach check is slow), and never for errors."""
    taken = [t for t in TEMPLATES if render.quick_scan(t) is not None]
    assert taken == TEMPLATES[:11]
    assert render.quick_expression("insured and not surprise_bill") == {"insured", "surprise_bill"}
    assert render.quick_expression("counterpart == 'collections' and not (age < 3)") == {"counterpart", "age"}
    assert render.quick_expression("balance * 10 > annual_income") == {"balance", "annual_income"}
    for condition in ("a >", "", "a b", "(a", "a)", "a is defined", "a ** 2", "-a > 1", "a + + b"):
        assert render.quick_expression(condition) is None


@pytest.mark.parametrize(
    "text",
    [
        "Big bill",
        "  I have insurance \n",
        "Ask for the itemized bill.\n\nThen wait.",
        "50% off? #1 priority; $ and } and % alone",
        "line one\r\nline two\rthree",  # a carriage return: Jinja2's own newline handling decides
        "{{ balance | money }} owed",
        "{ not a tag }",
    ],
)
def test_a_plain_text_renders_exactly_as_jinja2_renders_it(text: str) -> None:
    context = {"balance": 12}
    assert render.render(text, context) == render.compile_template(text).render(context).strip()


def _outcome(run: object) -> tuple[str, object]:
    try:
        return ("value", run())  # type: ignore[operator]
    except Exception as error:
        return (type(error).__name__, str(error))


_CONTEXTS: list[dict[str, object]] = [
    {},
    {"balance": Decimal("1200.50"), "insured": True, "counterpart": "collections", "a": 1, "b": 0, "c": 2.5},
    {"balance": render.Missing("balance"), "insured": render.Missing("insured"), "a": None, "b": "x", "c": 0},
    {"balance": 0, "insured": False, "counterpart": "hospital", "a": "x", "b": "y", "c": Decimal("0")},
    {"debt_age_years": 7, "surprise_bill": True, "gfe_over": render.Missing("gfe"), "annual_income": 0},
]


@pytest.mark.parametrize("condition", CONDITIONS + sorted(set(shipped_texts()[1])) + ["1 / c", "007 > a"])
def test_a_condition_evaluates_exactly_as_jinja2_evaluates_it(condition: str) -> None:
    """The same value, or the same error (its type and message), for contexts that hold every name, some,
    or none: Python when every name is there, Jinja2 otherwise."""
    names = render.quick_expression(condition) or set()
    fill = [Decimal("900"), 3, "collections", True, False, None, render.Missing("x"), "text", 0]
    contexts = [*_CONTEXTS, *({name: value for name in names} for value in fill)]
    for context in contexts:
        ours = _outcome(lambda context=context: render.evaluate(condition, context))
        theirs = _outcome(lambda context=context: bool(render.compile_condition(condition)(**context)))
        assert ours == theirs, (condition, context)


_PLAYBOOK_CONTEXTS: list[dict[str, object]] = []


def playbook_contexts() -> list[dict[str, object]]:
    """The shipped playbook's own contexts: several counterparts, a case with no facts and a full one."""
    if not _PLAYBOOK_CONTEXTS:
        from coach.dialogue.facts import read_facts_file
        from coach.dialogue.playbook import load_playbook
        from coach.session.engine import Session

        playbook = load_playbook([ROOT / "dialogues"])
        full = read_facts_file(ROOT / "tests" / "fixtures" / "facts.yaml", playbook)
        _PLAYBOOK_CONTEXTS.extend(
            Session(playbook, counterpart, facts).context()
            for counterpart in ("collections", "hospital", "doctor", "insurer")
            for facts in ({}, full)
        )
    return _PLAYBOOK_CONTEXTS


@pytest.mark.parametrize("template", TEMPLATES + sorted(set(shipped_texts()[0])))
def test_a_template_renders_exactly_as_jinja2_renders_it(template: str) -> None:
    """The same text, or the same error (type and message), from the Python path and from Jinja2."""
    quick = render.quick_scan(template)
    if quick is None:
        return
    fill = [Decimal("1234.5"), 3, "text", True, None, render.Missing("x"), dt.date(2026, 3, 1), 0]
    contexts = [*playbook_contexts(), *({name: value for name in quick[0]} for value in fill)]
    for context in contexts:
        ours = _outcome(lambda context=context: render.render(template, context))
        theirs = _outcome(lambda context=context: render.compile_template(template).render(context).strip())
        assert ours == theirs, (template, {k: context.get(k) for k in sorted(quick[0])})


def test_the_scanner_knows_jinja2s_globals_without_importing_it() -> None:
    """quick_scan and quick_expression drop Jinja2's own names (range, dict, ...) from what a text reads,
    from a list kept beside them: it must be the environment's, or the two paths would disagree."""
    assert set(render.environment().globals) == render.JINJA_GLOBALS


def test_a_check_the_scanner_reads_imports_no_jinja2(tmp_path: Path) -> None:
    """coach check on a playbook whose every text the scanner reads never imports Jinja2 (a cold start
    pays about 50 ms for it); the shipped dialogues' letters do need it."""
    import subprocess
    import sys

    for name in ("playbook.yaml", "facts.yaml", "facts-assess.yaml", "counterparts.yaml"):
        (tmp_path / name).write_text((ROOT / "dialogues" / name).read_text())
    (tmp_path / "stage.yaml").write_text(
        "stage: assess\nnodes:\n- id: start\n  coach: 'Owed: {{ balance | money }}{% if insured %}, insured{% endif %}'\n"
        "  next: done\n- id: done\n  coach: Done.\n  end: true\n"
    )
    code = (
        "import sys\nfrom coach.cli.main import main\nrc = main(['check', sys.argv[1]])\n"
        "print('JINJA2' if 'jinja2' in sys.modules else 'CLEAN')\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True)
    assert result.stdout.strip().splitlines()[-1] == "CLEAN", result.stdout + result.stderr


CHECK_TEMPLATES = [
    "{% set st = state | upper %}{% if st in ['NY', 'CA'] %}{{ st }}{% endif %}",
    "{% if a not in [1, 'x'] and b | length > 2 %}y{% endif %}",
    "{% set a = a | nofilter %}{{ a }}",
    "{% if a | upper | lower in ['X'] %}{% endif %}",
    "{% set range = 1 %}{{ range }}",
    "{% set a = [1, 2] %}{{ b }}",
    "{% set a = (b | upper) + c %}{{ d }}",
    "{% if a in b %}{% endif %}",
    "{% if not a in [1] %}{% elif c | int > 3 %}{% else %}{% endif %}",
    "{% set a = 1 %}{% set b = a %}{{ b }}{{ c }}",
    "{{ a }}{% set a = 2 %}",
    "{%- set a = b -%}{{ a }}",
    "{% set a = b +%}",
    "{% if a +%}x{% endif %}",
    "{% if x | badone and y | badtwo %}{{ z | badthree }}{% endif %}",
    # each must go to the parser (and some are errors)
    "{% set a = b - %}",
    "{% if a | default(1) %}{% endif %}",
    "{% if a not b %}{% endif %}",
    "{% if a in [1,] %}{% endif %}",
    "{% if a in [] %}{% endif %}",
    "{% set a.b = 1 %}",
    "{% set a, b = 1, 2 %}",
    "{% set a %}x{% endset %}",
    "{% set none = 1 %}",
    "{% set if = 1 %}",
    "{% set a == 1 %}",
    "{% setx = 1 %}",
    "{% if a | b.c %}{% endif %}",
    "{% if a | not %}{% endif %}",
    "{% if a | %}{% endif %}",
    "{% if [a] %}{% endif %}",
    "{% if a is in [1] %}{% endif %}",
]


@pytest.mark.parametrize("template", TEMPLATES + CHECK_TEMPLATES + shipped_texts()[0])
def test_the_checks_scanner_agrees_with_the_parser_on_templates(template: str) -> None:
    """check_scan (coach check's wider scanner: set, in, filters in expressions) finds what the parser's
    tree gives, and takes nothing Jinja2 refuses."""
    quick = render.check_scan(template)
    if quick is not None:
        found = slow(template)
        assert found is not None, "the scanner accepted what Jinja2 refuses"
        assert (quick[0], sorted(quick[1])) == (found[0], sorted(found[1]))


@pytest.mark.parametrize("condition", CONDITIONS + shipped_texts()[1])
def test_the_checks_scanner_agrees_with_the_parser_on_conditions(condition: str) -> None:
    quick = render.check_expression(condition)
    if quick is not None:
        found = slow("{{ " + condition + " }}")
        assert found is not None, "the scanner accepted what Jinja2 refuses"
        assert (quick[0], sorted(quick[1])) == (found[0], sorted(found[1]))


def test_the_checks_scanner_takes_what_the_quick_one_takes_and_the_shipped_set_and_in() -> None:
    """Every shipped text (the state-law one has a set, a filter and an 'in' list) is read without
    Jinja2's parser, and the runtime's scanner still leaves set and 'in' to Jinja2."""
    templates, conditions = shipped_texts()
    assert all(render.check_scan(t) is not None for t in templates)
    assert all(
        render.check_expression(c) is not None for c in conditions if render.quick_expression(c) is not None
    )
    taken = [t for t in CHECK_TEMPLATES if render.check_scan(t) is not None]
    assert taken == CHECK_TEMPLATES[:15]
    assert render.quick_scan(CHECK_TEMPLATES[0]) is None
    assert render.quick_expression("a in [1]") is None
    assert all(render.check_scan(t) is not None for t in TEMPLATES[:11])


def test_the_checks_scanner_knows_every_filter_without_importing_jinja2() -> None:
    assert set(render.environment().filters) == render.KNOWN_FILTERS
