"""YAML as the rules files (routing, SLA) are read, from the shipped defaults, the instance
folder or an admin's browser: the safe loader, with no aliases or anchors (a few hundred bytes
of nested aliases expand to millions of values), nesting bounded, and a value YAML cannot build
(a 30 February, ``!!int abc``, a number of 5000 digits) refused with the line it is on."""

from __future__ import annotations

import sys
from typing import Any

import yaml
from yaml.error import Mark
from yaml.nodes import Node

from triage.refusals import Reason, RulesFileError

# Rules files nest five deep (the file, its rules, a rule, a field, a value); past 16 is a slip.
MAX_DEPTH = 16
_SHOWN_CHARS = 30

_KINDS = {
    "tag:yaml.org,2002:int": Reason(
        "a whole number of at most %(digits)s digits", digits=sys.get_int_max_str_digits()
    ),
    "tag:yaml.org,2002:float": Reason("a number"),
    "tag:yaml.org,2002:bool": Reason("true or false"),
    "tag:yaml.org,2002:timestamp": Reason("a valid date or time"),
}

# What PyYAML's safe constructors raise, besides YAMLError, for a value they cannot build:
# int("abc"), date(2026, 2, 30), bool_values["maybe"], a timestamp regex's None.groupdict(),
# "" indexed for its sign.
_UNBUILDABLE = (ValueError, KeyError, AttributeError, IndexError)


class RulesYamlError(RulesFileError):
    """The text is not YAML a rules file may hold; the reason says where and why."""


class _Refused(yaml.MarkedYAMLError):
    """YAML that PyYAML would read, or would fail on without a line, that rules refuse."""

    def __init__(self, reason: Reason, mark: Mark) -> None:
        super().__init__(problem=str(reason), problem_mark=mark)
        self.reason = reason


class _RulesLoader(yaml.SafeLoader):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused(
                Reason("aliases (*name) and anchors (&name) are not allowed; write each value out"),
                event.start_mark,
            )
        if self._depth >= MAX_DEPTH:
            raise _Refused(Reason("nested more than %(depth)s deep", depth=MAX_DEPTH), event.start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except _UNBUILDABLE as error:
            kind = _KINDS.get(node.tag) or Reason("a value of type %(tag)s", tag=node.tag)
            raise _Refused(
                Reason("%(value)s is not %(kind)s", value=shown(node.value), kind=kind), node.start_mark
            ) from error


def load_rules_yaml(text: str) -> Any:
    """The document ``text`` holds (None if empty); RulesYamlError names the line at fault."""
    try:
        return yaml.load(text, Loader=_RulesLoader)  # noqa: S506 - a SafeLoader subclass
    except _Refused as error:
        raise _located(error, error.reason) from error
    except yaml.MarkedYAMLError as error:
        raise _located(error, _not_yaml(error.problem)) from error
    except yaml.YAMLError as error:
        raise RulesYamlError.because(_not_yaml(error)) from error


def _not_yaml(problem: object) -> Reason:
    """PyYAML's own account of the problem, quoted as it gives it."""
    return Reason("not valid YAML (%(problem)s)", problem=str(problem))


def _located(error: yaml.MarkedYAMLError, reason: Reason) -> RulesYamlError:
    mark = error.problem_mark or error.context_mark
    if mark is None:
        return RulesYamlError.because(reason)
    return RulesYamlError("line %(line)s: %(reason)s", line=mark.line + 1, reason=reason)


def shown(value: object) -> str:
    """``value`` as a message quotes it, cut short if it is long."""
    text = repr(value)
    if len(text) <= _SHOWN_CHARS:
        return text
    return f"{text[:_SHOWN_CHARS]}... ({len(str(value))} characters)"
