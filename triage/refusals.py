"""Why triage refuses a rules file, as a message with `%(name)s` placeholders and the values
that fill them, so that the pages can translate the message while `str()` stays English for
the CLI, the API and the logs. app/babel.cfg extracts every message given to `Reason` or to a
refusal's class. A value quotes the file (a key, a rule's name, a list) or PyYAML, or is itself
a Reason: the why inside a sentence that says where."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Self


class Reason:
    """A message with `%(name)s` placeholders and the values that fill them."""

    def __init__(self, message: str, **values: Value) -> None:
        self.message = message
        self.values: Mapping[str, Value] = values

    def __str__(self) -> str:
        return self.message % self.values if self.values else self.message


Value = str | int | Reason


class RulesFileError(ValueError):
    """A file that triage cannot use; its `reason` says what to fix."""

    def __init__(self, message: str, **values: Value) -> None:
        self.reason = Reason(message, **values)
        super().__init__(str(self.reason))

    @property
    def message(self) -> str:
        return self.reason.message

    @property
    def values(self) -> Mapping[str, Value]:
        return self.reason.values

    @classmethod
    def because(cls, reason: Reason) -> Self:
        return cls(reason.message, **reason.values)

    @classmethod
    def at(cls, source: str, reason: Reason) -> Self:
        """`reason`, found in the file `source`."""
        return cls.because(Reason("%(source)s: %(reason)s", source=source, reason=reason))
