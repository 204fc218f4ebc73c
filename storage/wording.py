"""What Sauti says to people when it refuses something: an English message marked with `N_`
(app/babel.cfg extracts it) and its parameters. `str()` reads as English, for logs, the CLI
and the API; the pages translate the message and name each word in it (a field, an action, a
role, a status, a choice) in the reader's language. A parameter may itself be a Wording: a
reason inside a sentence that says where it was found."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

# How the pages name a word: "field" and "action" by their key, "key" as the pages label keys
# (roles, statuses, outcomes, categories, urgencies), "value" as a value to type (a query's),
# with its label where that reads otherwise, "phrase" as an English message id.
WordKind = Literal["field", "action", "key", "value", "phrase"]
OR = " or "


def N_(message: str) -> str:  # noqa: N802  (the conventional name extraction tools look for)
    """Mark an English message for translation where it is shown; app/babel.cfg extracts it."""
    return message


@dataclass(frozen=True)
class Words:
    """One or more words of one kind inside a message, read as a list joined by `joiner`
    (", " or " or "); in English each word is its key."""

    kind: WordKind
    keys: tuple[str, ...]
    joiner: str = ", "

    def __str__(self) -> str:
        return self.joiner.join(self.keys)


def word(kind: WordKind, key: str) -> Words:
    return Words(kind, (key,))


@dataclass(frozen=True)
class Wording:
    """A message with `%(name)s` placeholders and the values that fill them."""

    message: str
    values: Mapping[str, Value] = field(default_factory=dict)

    def __str__(self) -> str:
        if not self.values:
            return self.message
        return self.message % {name: _english(value) for name, value in self.values.items()}


Value = str | int | Words | Wording


class RefusalError(Exception):
    """An error whose message a person reads; `wording` carries it for translation. It is made
    from a message and its values, or from the wording of another refusal it passes on."""

    def __init__(self, message: str | Wording, **values: Value) -> None:
        self.wording = message if isinstance(message, Wording) else Wording(message, values)
        super().__init__(str(self.wording))


def _english(value: Value) -> str | int:
    return str(value) if isinstance(value, Words | Wording) else value
