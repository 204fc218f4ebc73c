"""YAML as the rules files (routing, SLA) are read, from the shipped defaults, the instance
folder or an admin's browser: the safe loader, with no aliases or anchors (a few hundred bytes
of nested aliases expand to millions of values), nesting bounded, and a value YAML cannot build
(a 30 February, ``!!int abc``, a number of 5000 digits) refused with the line it is on."""

from __future__ import annotations

import sys
from typing import Any

import yaml
from yaml.nodes import Node

# Rules files nest five deep (the file, its rules, a rule, a field, a value); past 16 is a slip.
MAX_DEPTH = 16
_SHOWN_CHARS = 30

_KINDS = {
    "tag:yaml.org,2002:int": f"a whole number of at most {sys.get_int_max_str_digits()} digits",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "true or false",
    "tag:yaml.org,2002:timestamp": "a valid date or time",
}

# What PyYAML's safe constructors raise, besides YAMLError, for a value they cannot build:
# int("abc"), date(2026, 2, 30), bool_values["maybe"], a timestamp regex's None.groupdict(),
# "" indexed for its sign.
_UNBUILDABLE = (ValueError, KeyError, AttributeError, IndexError)


class RulesYamlError(ValueError):
    """The text is not YAML a rules file may hold; the message says where and why."""


class _Refused(yaml.MarkedYAMLError):
    """YAML that PyYAML would read, or would fail on without a line, that rules refuse."""


class _RulesLoader(yaml.SafeLoader):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused(
                problem="aliases (*name) and anchors (&name) are not allowed; write each value out",
                problem_mark=event.start_mark,
            )
        if self._depth >= MAX_DEPTH:
            raise _Refused(problem=f"nested more than {MAX_DEPTH} deep", problem_mark=event.start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except _UNBUILDABLE as error:
            kind = _KINDS.get(node.tag, f"a value of type {node.tag}")
            raise _Refused(
                problem=f"{shown(node.value)} is not {kind}", problem_mark=node.start_mark
            ) from error


def load_rules_yaml(text: str) -> Any:
    """The document ``text`` holds (None if empty); RulesYamlError names the line at fault."""
    try:
        return yaml.load(text, Loader=_RulesLoader)  # noqa: S506 - a SafeLoader subclass
    except _Refused as error:
        raise RulesYamlError(_located(error, str(error.problem))) from error
    except yaml.MarkedYAMLError as error:
        raise RulesYamlError(_located(error, f"not valid YAML ({error.problem})")) from error
    except yaml.YAMLError as error:
        raise RulesYamlError(f"not valid YAML ({error})") from error


def _located(error: yaml.MarkedYAMLError, reason: str) -> str:
    mark = error.problem_mark or error.context_mark
    return f"line {mark.line + 1}: {reason}" if mark is not None else reason


def shown(value: object) -> str:
    """``value`` as a message quotes it, cut short if it is long."""
    text = repr(value)
    if len(text) <= _SHOWN_CHARS:
        return text
    return f"{text[:_SHOWN_CHARS]}... ({len(str(value))} characters)"
