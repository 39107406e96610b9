"""The one Jinja2 environment: sandboxed, strict, with money/date/percent filters.

Templates come from the playbook (authors' files). Facts the user typed are
passed in as *data* and never compiled, so a name typed as ``{{ 7*7 }}`` shows
literally. A fact that is declared but not known yet renders as a visible
placeholder such as ``[account number]`` rather than failing mid-call.

Over 500 lines on purpose: beside Jinja2 it holds the small scanners that read the common templates and
conditions without it (``quick_scan`` and the Python paths the runtime takes, ``check_scan`` for
`coach check`), and each must be read next to the others: they accept the same language, or less.
"""

from __future__ import annotations

import datetime as dt
import keyword
import re
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from coach.money.amounts import format_money, format_percent

if TYPE_CHECKING:  # Jinja2 is imported when a text first needs it (a check the scanner reads never does)
    from jinja2 import Template
    from jinja2.nodes import Template as TemplateNode
    from jinja2.sandbox import SandboxedEnvironment


class Missing:
    """A declared fact with no value yet: falsy, never equal or ordered, shown as ``[label]``."""

    __slots__ = ("label",)

    def __init__(self, label: str) -> None:
        self.label = label

    def __str__(self) -> str:
        return f"[{self.label}]"

    def __repr__(self) -> str:
        return f"Missing({self.label!r})"

    def __bool__(self) -> bool:
        return False

    def __eq__(self, other: object) -> bool:
        return False

    def __ne__(self, other: object) -> bool:
        return True

    def __lt__(self, other: object) -> bool:
        return False

    __le__ = __gt__ = __ge__ = __lt__

    def __hash__(self) -> int:
        return hash(("Missing", self.label))


def money(value: Any) -> str:
    """``1234.5`` → ``$1,234.50``; a missing fact stays a placeholder."""
    if isinstance(value, Missing) or value is None:
        return str(value) if isinstance(value, Missing) else "[amount]"
    return format_money(Decimal(str(value)))


def percent(value: Any, places: int = 0) -> str:
    """``0.4`` or ``40`` → ``40%``."""
    if isinstance(value, Missing) or value is None:
        return str(value) if isinstance(value, Missing) else "[percent]"
    return format_percent(Decimal(str(value)), places)


def date(value: Any) -> str:
    """A date the way people say it: ``March 3, 2026``."""
    if isinstance(value, Missing) or value is None:
        return str(value) if isinstance(value, Missing) else "[date]"
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value:%B} {value.day}, {value.year}"
    return str(value)


def add_days(value: Any, days: int) -> Any:
    """``first_bill_date | add_days(240)``; a missing date stays missing."""
    if isinstance(value, dt.date):
        try:
            return value + dt.timedelta(days=days)
        except OverflowError:  # a stored year-9999 date: the sum is no date, shown as missing
            return Missing("date")
    return value


FILTERS = {"money": money, "percent": percent, "date": date, "add_days": add_days}


@lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    """The shared sandboxed environment (no autoescape: output is plain text)."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
    env.filters.update(FILTERS)
    return env


@lru_cache(maxsize=4096)
def compile_template(source: str) -> Template:
    """Compile once per distinct text; raises jinja2.TemplateSyntaxError."""
    return environment().from_string(source)


@lru_cache(maxsize=4096)
def compile_condition(source: str) -> Any:
    """A condition such as ``balance > 500 and insured`` as a callable over a context."""
    return environment().compile_expression(source, undefined_to_none=False)


@lru_cache(maxsize=4096)
def parse(source: str) -> TemplateNode:
    """The template's syntax tree (for the validator); raises TemplateSyntaxError."""
    return environment().parse(source)


_SIMPLE_OUTPUT = re.compile(r"\{\{\s*([a-z_][a-z0-9_]*)((?:\s*\|\s*[a-z_]+(?:\(\s*-?\d+\s*\))?)*)\s*\}\}")
_FILTER_NAME = re.compile(r"\|\s*([a-z_]+)")


def quick_scan(source: str) -> tuple[set[str], list[str]] | None:
    """Names and filter problems of a template made only of ``{{ name | filter }}`` outputs and
    ``{% if %}`` / ``{% elif %}`` / ``{% else %}`` / ``{% endif %}`` blocks over simple conditions.

    Most phrases are just that; reading them with a small scanner instead of the
    Jinja2 parser keeps `coach check` linear and fast. It accepts only what it is
    sure Jinja2 parses, and reads the same names from it; None means "parse it
    properly" (anything else, and every error, so messages are Jinja2's own).
    Each tag is read once (:func:`_quick_tag`): the same outputs and conditions recur across a
    playbook's texts (a few distinct ones per hundred tags), and only the nesting is the template's own.
    """
    return _scan_template(source, _quick_tag)


def check_scan(source: str) -> tuple[set[str], list[str]] | None:
    """:func:`quick_scan` for `coach check` alone, which also reads ``{% set name = expression %}`` and
    conditions and expressions with ``in`` / ``not in`` a list of literals and filters without arguments
    (:func:`check_expression`): the same names (read and not set) and filter problems as Jinja2's tree
    gives, or None. The runtime's Python paths keep to :func:`quick_scan`'s language."""
    return _scan_template(source, _check_tag)


_TagReading = tuple[str, frozenset[str], tuple[str, ...], str]  # word, names read, problems, name set


def _scan_template(source: str, read_tag: Any) -> tuple[set[str], list[str]] | None:
    if "{#" in source:
        return None
    names: set[str] = set()
    stored: set[str] = set()
    problems: list[str] = []
    depth: list[bool] = []  # one entry per open {% if %}: whether its {% else %} has been seen
    position = 0
    for tag in _TAG.finditer(source):
        start = tag.start()
        if start > position and _has_mark(source[position:start]):
            return None
        position = tag.end()
        read: _TagReading | None = read_tag(tag.group(0))
        if read is None:
            return None
        word, found, bad, target = read
        names |= found
        if bad:
            problems += bad
        if word == "output":
            continue
        if word == "set":
            stored.add(target)
        elif word == "if":
            depth.append(False)
        elif word == "elif":
            if not depth or depth[-1]:
                return None
        elif word == "else":
            if not depth or depth[-1]:
                return None
            depth[-1] = True
        else:  # endif
            if not depth:
                return None
            depth.pop()
    if depth or _has_mark(source[position:]):
        return None
    return names - stored - JINJA_GLOBALS, problems


def _has_mark(text: str) -> bool:
    """Whether text outside the tags holds anything Jinja2 would read as (part of) a tag or comment."""
    return ("{" in text or "}" in text) and any(mark in text for mark in _MARKS)  # every mark holds one


@lru_cache(maxsize=8192)
def _quick_tag(text: str) -> _TagReading | None:
    """One tag of a template as :func:`quick_scan` reads it: ``output``, ``if``, ``elif``, ``else`` or
    ``endif``, the names it reads, and its filter problems; None when the scanner does not take it."""
    if text.startswith("{{"):
        output = _SIMPLE_OUTPUT.fullmatch(text)
        if output is None:
            return None
        problems = tuple(
            f"no filter named '{name}'"
            for name in _FILTER_NAME.findall(output.group(2))
            if name not in KNOWN_FILTERS
        )
        return "output", frozenset((output.group(1),)), problems, ""
    block = _BLOCK.fullmatch(text)
    if block is None:
        return None
    word, condition = block.group(1), block.group(2)
    if word in ("if", "elif"):
        found = quick_expression(condition)
        if found is None:
            return None
        return word, found, (), ""
    if condition.strip():
        return None
    return word, frozenset(), (), ""


@lru_cache(maxsize=8192)
def _check_tag(text: str) -> _TagReading | None:
    """One tag as :func:`check_scan` reads it: :func:`_quick_tag`'s, or a ``set`` (its target the fourth
    item), or an ``if`` / ``elif`` over a condition :func:`check_expression` reads."""
    quick = _quick_tag(text)
    if quick is not None:
        return quick
    assign = _SET.fullmatch(text)
    if assign is not None:
        target = assign.group(1)
        if target in _CONSTANTS or target in _OPERATORS or target in _RESERVED:
            return None
        found = check_expression(assign.group(2))
        return None if found is None else ("set", found[0], found[1], target)
    block = _BLOCK.fullmatch(text)
    if block is None or block.group(1) not in ("if", "elif"):
        return None
    found = check_expression(block.group(2))
    return None if found is None else (block.group(1), found[0], found[1], "")


_SET = re.compile(r"\{%[-+]?\s*set\s+([A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)(.*?)[-+]?%\}", re.DOTALL)
_CHECK_TOKEN = re.compile(
    r"\s*(?:(\d+(?:\.\d+)?(?![A-Za-z0-9_.])|'[^'\\{}%#]*'|\"[^\"\\{}%#]*\")"
    r"|([A-Za-z_][A-Za-z0-9_]*)|(==|!=|>=|<=|>|<|\(|\)|[-+*/\[\],|]))"
)


@lru_cache(maxsize=8192)
def check_expression(source: str) -> tuple[frozenset[str], tuple[str, ...]] | None:
    """The names an expression reads and its filter problems, if it is :func:`quick_expression`'s language
    with also ``in`` / ``not in`` (a comparison), lists of literals (``['NY', 'CA']``) and filters without
    arguments (``state | upper``, bound to the operand as Jinja2 binds them); None otherwise."""
    tokens: list[tuple[str, str]] = []
    position = 0
    end = len(source.rstrip())
    while position < end:
        match = _CHECK_TOKEN.match(source, position)
        if match is None:
            return None
        position = match.end()
        literal, word, operator = match.groups()
        if literal is not None:
            tokens.append(("atom", literal))
        elif word is not None:
            if word == "in":
                tokens.append(("op", word))
            elif word in _RESERVED:
                return None
            else:
                kind = "op" if word in _OPERATORS else "atom" if word in _CONSTANTS else "name"
                tokens.append((kind, word))
        else:
            tokens.append(("op", operator))
    reader = _CheckReader(tokens)
    if reader.either() and reader.at == len(tokens):
        return frozenset(reader.names - JINJA_GLOBALS), tuple(reader.problems)
    return None


class _CheckReader:
    """A recursive descent over :func:`check_expression`'s tokens, each rule True when it read its part:
    either := both ('or' both)*; both := negation ('and' negation)*; negation := 'not' negation | compared;
    compared := sum ((comparison | 'in' | 'not' 'in') sum)*; sum := filtered (('+'|'-'|'*'|'/') filtered)*;
    filtered := operand ('|' name)*; operand := name | literal | '(' either ')' | '[' literal (',' literal)* ']'.
    """

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.at = 0
        self.names: set[str] = set()
        self.problems: list[str] = []

    def peek(self, offset: int = 0) -> tuple[str, str]:
        at = self.at + offset
        return self.tokens[at] if at < len(self.tokens) else ("end", "")

    def either(self) -> bool:
        return self.chain("or", self.both)

    def both(self) -> bool:
        return self.chain("and", self.negation)

    def chain(self, operator: str, operand: Callable[[], bool]) -> bool:
        """``operand (operator operand)*``: one level of ``or`` / ``and``."""
        if not operand():
            return False
        while self.peek() == ("op", operator):
            self.at += 1
            if not operand():
                return False
        return True

    def negation(self) -> bool:
        if self.peek() == ("op", "not"):
            self.at += 1
            return self.negation()
        if not self.sum():
            return False
        while True:
            kind, value = self.peek()
            if kind == "op" and (value in _COMPARE or value == "in"):
                self.at += 1
            elif (kind, value) == ("op", "not") and self.peek(1) == ("op", "in"):
                self.at += 2
            else:
                return True
            if not self.sum():
                return False

    def sum(self) -> bool:
        if not self.filtered():
            return False
        while self.peek()[0] == "op" and self.peek()[1] in _ARITHMETIC:
            self.at += 1
            if not self.filtered():
                return False
        return True

    def filtered(self) -> bool:
        if not self.operand():
            return False
        while self.peek() == ("op", "|"):
            kind, name = self.peek(1)
            if kind != "name":
                return False
            self.at += 2
            if name not in KNOWN_FILTERS:
                self.problems.append(f"no filter named '{name}'")
        return True

    def operand(self) -> bool:
        kind, value = self.peek()
        if kind == "name":
            self.names.add(value)
            self.at += 1
            return True
        if kind == "atom":
            self.at += 1
            return True
        if value == "(":
            self.at += 1
            if not self.either() or self.peek() != ("op", ")"):
                return False
            self.at += 1
            return True
        if value == "[":
            self.at += 1
            while True:
                if self.peek()[0] != "atom":
                    return False
                self.at += 1
                if self.peek() == ("op", "]"):
                    self.at += 1
                    return True
                if self.peek() != ("op", ","):
                    return False
                self.at += 1
        return False


KNOWN_FILTERS = frozenset(FILTERS) | frozenset(
    (
        "abs", "attr", "batch", "capitalize", "center", "count", "d", "default", "dictsort", "e", "escape",
        "filesizeformat", "first", "float", "forceescape", "format", "groupby", "indent", "int", "items",
        "join", "last", "length", "list", "lower", "map", "max", "min", "pprint", "random", "reject",
        "rejectattr", "replace", "reverse", "round", "safe", "select", "selectattr", "slice", "sort",
        "string", "striptags", "sum", "title", "tojson", "trim", "truncate", "unique", "upper", "urlencode",
        "urlize", "wordcount", "wordwrap", "xmlattr",
    )
)  # fmt: skip
"""Every filter the environment has (coach's and Jinja2's own; a test holds them equal to
``environment().filters``): known without importing Jinja2."""


JINJA_GLOBALS = frozenset(("range", "dict", "lipsum", "cycler", "joiner", "namespace"))
"""The names Jinja2's environment defines (``environment().globals``; a test holds the two equal): known
without importing Jinja2, which a check whose every text the scanner reads never needs."""


_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_BLOCK = re.compile(r"\{%[-+]?\s*(if|elif|else|endif)(?![A-Za-z0-9_])(.*?)[-+]?%\}", re.DOTALL)
_MARKS = ("{{", "}}", "{%", "%}", "{#", "#}")
_TOKEN = re.compile(
    r"\s*(?:(\d+(?:\.\d+)?(?![A-Za-z0-9_.])|'[^'\\{}%#]*'|\"[^\"\\{}%#]*\")"
    r"|([A-Za-z_][A-Za-z0-9_]*)|(==|!=|>=|<=|>|<|\(|\)|[-+*/]))"
)
_CONSTANTS = {"true", "false", "True", "False", "none", "None"}
_OPERATORS = {"and", "or", "not"}
# Words the Jinja2 parser reads as more than a name in a condition: left to it.
_RESERVED = {
    "in",
    "is",
    "if",
    "else",
    "elif",
    "endif",
    "for",
    "recursive",
    "set",
    "with",
    "without",
    "import",
}


def _scan(source: str) -> list[tuple[str | None, str | None, str | None]] | None:
    """``source`` cut into tokens, each (literal, word, operator) with one of them set; None if a part is none."""
    found: list[tuple[str | None, str | None, str | None]] = []
    position = 0
    end = len(source.rstrip())
    while position < end:
        match = _TOKEN.match(source, position)
        if match is None:
            return None
        found.append(match.groups())  # type: ignore[arg-type]
        position = match.end()
    return found


@lru_cache(maxsize=8192)
def quick_expression(source: str) -> frozenset[str] | None:
    """The names a condition reads, if it is only names, numbers, plain 'strings', true/false/none, comparisons,
    ``+ - * /`` between them, ``and``/``or``/``not`` and parentheses (what Jinja2 surely parses); None otherwise."""
    scanned = _scan(source)
    if scanned is None:
        return None
    tokens: list[tuple[str, str]] = []
    for number, word, operator in scanned:
        if number is not None:
            tokens.append(("atom", number))
        elif word is not None:
            if word in _RESERVED:
                return None
            kind = "op" if word in _OPERATORS else "atom" if word in _CONSTANTS else "name"
            tokens.append((kind, word))
        else:
            tokens.append(("op", str(operator)))
    names: set[str] = set()
    at = _quick_or(tokens, 0, names)
    return frozenset(names - JINJA_GLOBALS) if at == len(tokens) else None


_COMPARE = {"==", "!=", ">=", "<=", ">", "<"}
_ARITHMETIC = {"+", "-", "*", "/"}  # between two operands only: no sign, and '**' or '//' is left to Jinja2


def _quick_or(tokens: list[tuple[str, str]], at: int, names: set[str]) -> int:
    """expr := and ('or' and)*; returns where it stopped, or -1 if it is not that."""
    at = _quick_and(tokens, at, names)
    while at >= 0 and at < len(tokens) and tokens[at] == ("op", "or"):
        at = _quick_and(tokens, at + 1, names)
    return at


def _quick_and(tokens: list[tuple[str, str]], at: int, names: set[str]) -> int:
    at = _quick_not(tokens, at, names)
    while at >= 0 and at < len(tokens) and tokens[at] == ("op", "and"):
        at = _quick_not(tokens, at + 1, names)
    return at


def _quick_not(tokens: list[tuple[str, str]], at: int, names: set[str]) -> int:
    if at < len(tokens) and tokens[at] == ("op", "not"):
        return _quick_not(tokens, at + 1, names)
    at = _quick_sum(tokens, at, names)
    while at >= 0 and at < len(tokens) and tokens[at][0] == "op" and tokens[at][1] in _COMPARE:
        at = _quick_sum(tokens, at + 1, names)
    return at


def _quick_sum(tokens: list[tuple[str, str]], at: int, names: set[str]) -> int:
    """atom (('+'|'-'|'*'|'/') atom)*: Jinja2's arithmetic binds tighter than a comparison."""
    at = _quick_atom(tokens, at, names)
    while at >= 0 and at < len(tokens) and tokens[at][0] == "op" and tokens[at][1] in _ARITHMETIC:
        at = _quick_atom(tokens, at + 1, names)
    return at


def _quick_atom(tokens: list[tuple[str, str]], at: int, names: set[str]) -> int:
    if at < 0 or at >= len(tokens):
        return -1
    kind, value = tokens[at]
    if kind == "name":
        names.add(value)
        return at + 1
    if kind == "atom":
        return at + 1
    if value == "(":
        at = _quick_or(tokens, at + 1, names)
        if at < 0 or at >= len(tokens) or tokens[at] != ("op", ")"):
            return -1
        return at + 1
    return -1


def undeclared_problems(tree: TemplateNode) -> tuple[set[str], list[str]]:
    """Names a template reads but does not set, and problems with its filters and tests.

    A plain walk of the syntax tree, once (not once per kind of node): much cheaper
    than compiling (which is what jinja2.meta does), so `coach check` stays fast on
    large playbooks.
    """
    from jinja2 import nodes

    env = environment()
    loaded: set[str] = set()
    stored: set[str] = set()
    bad_filters: list[str] = []
    bad_tests: list[str] = []
    for node in tree.find_all((nodes.Name, nodes.Filter, nodes.Test)):
        if isinstance(node, nodes.Name):
            if node.ctx == "load":
                loaded.add(node.name)
            elif node.ctx in ("store", "param"):
                stored.add(node.name)
        elif isinstance(node, nodes.Filter):
            if node.name not in env.filters:
                bad_filters.append(f"no filter named '{node.name}'")
        elif isinstance(node, nodes.Test) and node.name not in env.tests:
            bad_tests.append(f"no test named '{node.name}'")
    return loaded - stored - set(env.globals), bad_filters + bad_tests


def render(source: str, context: dict[str, Any]) -> str:
    """Render playbook text with facts; whitespace at the ends trimmed.

    Most texts (choice labels above all) are plain: no ``{`` opens a tag, and no ``\\r`` is there for Jinja2
    to turn into a newline, so Jinja2 would give them back as they are. They are not compiled (about 1 ms
    each, the first time a step shows them)."""
    if "{" not in source and "\r" not in source:
        return source.strip()
    native = _native_template(source)
    if native is not None and context.keys() >= native[1]:
        out: list[str] = []
        _write(native[0], context, out)
        return "".join(out).strip()
    return compile_template(source).render(context).strip()


# A template the scanner reads, as (text, output, if-chain) items: what Jinja2 compiles it to, run in Python.
_Items = tuple[tuple[Any, ...], ...]


def _write(items: _Items, context: dict[str, Any], out: list[str]) -> None:
    for item in items:
        if item[0] == "text":
            out.append(item[1])
        elif item[0] == "output":
            value = context[item[1]]
            for function, args in item[2]:
                value = function(value, *args)
            out.append(str(value))
        else:  # an if-chain: (a condition's code from _native_condition, or None for else; its items)
            for code, body in item[1]:
                if code is None or eval(code, {"__builtins__": {}}, context):
                    _write(body, context, out)
                    break


@lru_cache(maxsize=4096)
def _native_template(source: str) -> tuple[_Items, frozenset[str]] | None:
    """A template made only of plain text, ``{{ name | filter }}`` outputs (coach's own filters, whole-number
    arguments) and ``{% if %}`` blocks over conditions :func:`_native_condition` takes, as items to run in
    Python, and every name it reads; None: leave it to Jinja2 (whitespace control, ``\\r``, anything else).

    Jinja2 writes these as just this (without autoescape): each text as it is, ``str()`` of each output
    after its filters, in order, and an ``if`` on each condition's truth, so the text (or the error) is
    the same, without compiling the template with Jinja2 (1 to 5 ms each, the first time a step shows it)."""
    if "\r" in source or any(mark in source for mark in ("{%-", "-%}", "{%+", "+%}")):
        return None
    if quick_scan(source) is None:
        return None
    filters = environment().filters
    names: set[str] = set()
    root: list[tuple[Any, ...]] = []
    stack: list[tuple[list[tuple[Any, ...]], list[tuple[Any, list[tuple[Any, ...]]]]]] = []
    current = root
    position = 0
    for tag in _TAG.finditer(source):
        if tag.start() > position:
            current.append(("text", source[position : tag.start()]))
        position = tag.end()
        text = tag.group(0)
        if text.startswith("{{"):
            output = _SIMPLE_OUTPUT.fullmatch(text)
            if output is None:
                return None
            chain: list[tuple[Any, tuple[int, ...]]] = []
            for name, argument in _FILTER_CALL.findall(output.group(2)):
                if name not in FILTERS:
                    return None
                chain.append((filters[name], (int(argument),) if argument else ()))
            names.add(output.group(1))
            current.append(("output", output.group(1), tuple(chain)))
            continue
        block = _BLOCK.fullmatch(text)
        if block is None:
            return None
        word, condition = block.group(1), block.group(2)
        if word in ("if", "elif"):
            native = _native_condition(condition)
            if native is None:
                return None
            names |= native[1]
            if word == "if":
                chain_of: list[tuple[Any, list[tuple[Any, ...]]]] = []
                stack.append((current, chain_of))
            else:
                chain_of = stack[-1][1]
            current = []
            chain_of.append((native[0], current))
        elif word == "else":
            current = []
            stack[-1][1].append((None, current))
        else:  # endif
            parent, chain_of = stack.pop()
            parent.append(("if", tuple((code, tuple(body)) for code, body in chain_of)))
            current = parent
    if position < len(source):
        current.append(("text", source[position:]))
    if stack:
        return None
    return tuple(root), frozenset(names)


_FILTER_CALL = re.compile(r"\|\s*([a-z_]+)(?:\(\s*(-?\d+)\s*\))?")


def evaluate(condition: str, context: dict[str, Any]) -> bool:
    """Evaluate a playbook condition; a missing fact makes comparisons false.

    A condition in the scanner's small language (:func:`quick_expression`) whose every name the
    context has is evaluated as the same expression in Python (what Jinja2 compiles it to: the same
    operators on the same values, so the same result or the same error), without compiling it with
    Jinja2 (about 1 ms each, the first time a step shows it) or copying the context into a Jinja2 one
    (80 µs a condition). Anything else is Jinja2's."""
    native = _native_condition(condition)
    if native is not None and context.keys() >= native[1]:
        return bool(eval(native[0], {"__builtins__": {}}, context))  # only names, literals and operators
    return bool(compile_condition(condition)(**context))


_PYTHON_CONSTANTS = {word: word.capitalize() for word in ("true", "false", "none", "True", "False", "None")}


@lru_cache(maxsize=4096)
def _native_condition(source: str) -> tuple[Any, frozenset[str]] | None:
    """A condition the scanner reads, as Python code, and every name it reads (None: leave it to Jinja2).

    Only names, numbers, plain strings, constants, comparisons, ``+ - * /``, ``and``/``or``/``not`` and
    parentheses get here: Jinja2 writes each of them as the same Python operator (comparisons chain
    alike, and this environment intercepts no operator). A name Python reserves, a string over two
    lines or a number Python reads otherwise (``007``) is left to Jinja2."""
    scanned = _scan(source)
    if scanned is None or quick_expression(source) is None:
        return None
    parts: list[str] = []
    names: set[str] = set()
    for literal, word, operator in scanned:
        if literal is not None:
            if "\n" in literal or "\r" in literal:
                return None
            parts.append(literal)
        elif word in _PYTHON_CONSTANTS:
            parts.append(_PYTHON_CONSTANTS[word])
        elif word in _OPERATORS:
            parts.append(word)
        elif word is not None:
            if keyword.iskeyword(word) or not word.isidentifier():
                return None
            parts.append(word)
            names.add(word)
        else:
            parts.append(str(operator))
    try:
        code = compile(" ".join(parts), "<condition>", "eval", dont_inherit=True)
    except SyntaxError:
        return None
    return code, frozenset(names)
