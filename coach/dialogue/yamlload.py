"""Safe YAML with line numbers: every mapping, list and key remembers where it was written.

PyYAML's defaults hide two traps (see STACK.md): duplicate keys silently keep
the last value, and ``yes/no/on/off`` turn into booleans. This loader makes the
first an error and keeps the second as plain strings. It composes the node tree
with libyaml when available and builds values itself, so lines survive.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from coach.dialogue.problems import Problem, Problems, YamlProblem

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_BaseLoader):
    """SafeLoader whose only booleans are true/false."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        # libyaml's composer calls these two around every node; with no path resolvers (asserted below)
        # BaseResolver's return at once. Any C callable taking the same arguments does as little without
        # a Python call each (a twentieth of a large load): slice(parent, index) makes a throwaway object.
        self.descend_resolver = slice
        self.ascend_resolver = tuple

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        """The tag of a node, as SafeLoader finds it, without its per-node work where the answer is fixed.

        libyaml calls this for every node (a quarter of a million on a large playbook). There are no
        path resolvers, so a mapping and a list are always map and seq, a quoted scalar always str, and a
        plain scalar's tag depends on its text alone: looked up once for short ones (keys like ``id`` and
        ``next`` recur on every node), and str at once when no implicit resolver starts with its first
        character that can start a match this long (most say texts)."""
        if kind is _SCALAR:
            if not implicit[0]:
                return _STR
            if len(value) <= _CACHED_LENGTH:
                tag = _PLAIN_TAGS.get(value)
                if tag is None:
                    tag = _PLAIN_TAGS[value] = super().resolve(kind, value, implicit)
                return tag
            if value[0] not in _LONG_FIRSTS:
                return _STR
            return super().resolve(kind, value, implicit)
        if kind is _MAPPING:
            return _MAP
        if kind is _SEQUENCE:
            return _SEQ
        return super().resolve(kind, value, implicit)


_SCALAR, _MAPPING, _SEQUENCE = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode
_STR = yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG
_MAP = yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG
_SEQ = yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG
_CACHED_LENGTH = 40
_PLAIN_TAGS: dict[str, str] = {}


_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
# Past _CACHED_LENGTH only a number or a timestamp can match: bool, null, merge (<<), value (=) and yaml
# (! & *) each match five characters at most. So a longer text is str unless it starts as those can.
_SHORT_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("bool", "null", "merge", "value", "yaml")}
_LONG_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("int", "float", "timestamp")}
assert {
    tag for rs in _StrictLoader.yaml_implicit_resolvers.values() for tag, _ in rs
} <= _SHORT_TAGS | _LONG_TAGS
_LONG_FIRSTS = frozenset(
    first
    for first, resolvers in _StrictLoader.yaml_implicit_resolvers.items()
    if any(tag in _LONG_TAGS for tag, _ in resolvers)
)
assert not _StrictLoader.yaml_path_resolvers  # resolve() relies on there being none


class LineDict(dict[str, Any]):
    """A mapping from YAML that knows its own line and the line of each key."""

    __slots__ = ("key_lines", "line")  # no __dict__ of its own: one allocation fewer per mapping
    line: int
    key_lines: dict[str, int]


class LineList(list[Any]):
    """A list from YAML that knows its line."""

    __slots__ = ("line",)
    line: int


def line_of(value: Any, key: str | None = None, default: int = 1) -> int:
    """The line a value (or one of its keys) came from, or ``default``."""
    if key is not None and isinstance(value, LineDict):
        return value.key_lines.get(key, value.line)
    return getattr(value, "line", default)


MAX_NODES = 200_000
"""The most values one file may build: a "billion laughs" file (aliases of aliases) composes in a
blink but would build ~10^9 values; the dialogue folder's largest file builds a few thousand."""


class _Budget:
    """What one load may still build, and whether an alias may be followed at all."""

    def __init__(self, aliases: bool) -> None:
        self.aliases = aliases
        self.left = MAX_NODES
        self.seen: set[int] = set()


def load_yaml(path: Path, display: str | None = None, *, aliases: bool = True) -> Any:
    """Load one YAML file into LineDict/LineList/scalars.

    Raises YamlProblem (never anything else) for syntax errors, duplicate keys,
    binary garbage, unreadable files, nesting too deep to walk and files that expand
    past MAX_NODES values. ``aliases=False`` (a user's facts file) refuses any ``*alias``.
    """
    shown = display or str(path)
    try:
        with open(path, "rb") as stream:
            loader = _StrictLoader(stream)
            try:
                node = loader.get_single_node()
                if node is None:
                    return None
                return _build(node, loader, shown, _Budget(aliases))
            finally:
                loader.dispose()
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        reason = error.problem or error.context or "invalid YAML"
        raise YamlProblem(Problem(shown, line, f"YAML syntax error: {reason}")) from None
    except yaml.YAMLError as error:
        # ReaderError: bytes that are not text (binary garbage, bad encoding).
        raise YamlProblem(
            Problem(shown, 1, f"not a readable YAML text file ({_first_line(error)})")
        ) from None
    except RecursionError:
        raise YamlProblem(Problem(shown, 1, "YAML nested too deeply to read")) from None
    except OSError as error:
        raise YamlProblem(Problem(shown, 1, f"cannot read file: {error.strerror}")) from None


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _build(node: yaml.Node, loader: Any, path: str, budget: _Budget) -> Any:
    line = node.start_mark.line + 1
    budget.left -= 1
    if budget.left < 0:
        raise YamlProblem(
            Problem(path, line, f"YAML expands to more than {MAX_NODES:,} values (aliases of aliases?)")
        )
    kind = type(node)
    if not budget.aliases and (kind is _MAPPING_NODE or kind is _SEQUENCE_NODE):
        # the composer hands an alias back as the very node it names: a second visit is an alias
        if id(node) in budget.seen:
            raise YamlProblem(
                Problem(path, line, "YAML anchors and aliases (&name, *name) are not allowed in this file")
            )
        budget.seen.add(id(node))
    if kind is _MAPPING_NODE:
        mapping = LineDict()
        mapping.line = line
        key_lines: dict[str, int] = {}
        mapping.key_lines = key_lines
        for key_node, value_node in node.value:
            if key_node.tag == _STR and type(key_node) is _SCALAR_NODE:
                key = key_node.value  # the common case (a plain or quoted key), without a call
            elif key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlProblem(
                    Problem(path, key_node.start_mark.line + 1, "YAML merge keys (<<) are not supported")
                )
            else:
                key = _build(key_node, loader, path, budget)
                if not isinstance(key, str):
                    key = str(key)
            key_line = key_node.start_mark.line + 1
            if key in key_lines:
                raise YamlProblem(
                    Problem(path, key_line, f"duplicate key '{key}' (first on line {key_lines[key]})")
                )
            if value_node.tag == _STR and type(value_node) is _SCALAR_NODE:
                mapping[key] = value_node.value
            else:
                mapping[key] = _build(value_node, loader, path, budget)
            key_lines[key] = key_line
        return mapping
    if kind is _SEQUENCE_NODE:
        items = LineList(
            child.value
            if child.tag == _STR and type(child) is _SCALAR_NODE
            else _build(child, loader, path, budget)
            for child in node.value
        )
        items.line = line
        return items
    if node.tag == _STR and kind is _SCALAR_NODE:
        return node.value  # the common case, without the constructor's bookkeeping
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError as error:
        raise YamlProblem(Problem(path, line, f"bad value: {_first_line(error)}")) from None
    except (ValueError, OverflowError):
        # 2025-02-30 (a timestamp that is no date), an int past Python's 4,300-digit limit: kept as
        # the text written, so the reader that expects a date or number names the key and line
        return node.value


_MAPPING_NODE, _SEQUENCE_NODE, _SCALAR_NODE = yaml.MappingNode, yaml.SequenceNode, yaml.ScalarNode


def load_or_report(path: Path, problems: Problems) -> Any:
    """The file's YAML, or None with the reason added to ``problems``."""
    try:
        return load_yaml(path)
    except YamlProblem as error:
        problems.items.append(error.problem)
        return None
