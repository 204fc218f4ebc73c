"""Searching the redacted text of cases. The text is never indexed: a search decrypts the
candidate cases the SQL filters leave (only those the reader may open), redacts what could
match, and keeps the cases that hold every term.

A search is words and phrases in quotes; case and runs of whitespace do not count. Each term is
found where a word starts, never inside one: `id` finds "ID" and "idara", not "saidieni". A term
of three letters or more is also found behind the plural prefix ma- or wa-, which Kiswahili and
Sheng put before nouns (`karao` finds "makarao", `polisi` "wapolisi"); other class prefixes are
left out, as they turn common search words into other words (`jana`, yesterday, into "kijana").
An apostrophe is part of a word ("ng'ombe"); a number is found where no digit stands before it.
A match must lie in the redacted text outside its redaction tags, so searching for a number or
a name that was redacted finds nothing."""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import ColumnElement, Row, Select, String, and_, cast, select
from sqlalchemy.orm import QueryableAttribute, Session

from storage.crypto import DecryptionError, KeyRing, associated_data
from storage.crypto.envelope import open_sealed
from storage.models import Case, Message, Report

Redact = Callable[[str], str]
SearchRow = Row[int, Any, str | None, bytes | None, Any, bytes]

# A phrase in straight or curly quotes, or a word outside them.
_TERM = re.compile(r'["\u201c\u201d]([^"\u201c\u201d]*)["\u201c\u201d]|[^\s"\u201c\u201d]+')
NOUN_PREFIXES = ("ma", "wa")
PREFIXED_FROM_LETTERS = 3
_NOT_IN_A_WORD = r"(?<![\w'\u2019])"
_NOT_AFTER_A_DIGIT = r"(?<!\d)"


@dataclass(frozen=True)
class Redaction:
    """How the text is redacted before a panel reads it, and the tags it writes in place of
    what it takes out ("[phone]")."""

    redact: Redact
    tags: tuple[str, ...]


def search_terms(text: str) -> tuple[str, ...]:
    """What a search asks for: each phrase in quotes and each word outside them, case-folded
    with its whitespace collapsed. A case matches when its text holds every one."""
    terms: dict[str, None] = {}
    for match in _TERM.finditer(text.casefold()):
        term = " ".join((match[0] if match[1] is None else match[1]).split())
        if term:
            terms[term] = None
    return tuple(terms)


def term_pattern(term: str) -> re.Pattern[str]:
    """Where a case-folded term is found: at the start of a word, or behind a plural prefix
    when it has letters enough; a number where no digit stands before it ("500" in "ksh500",
    not in "1500"); a term that starts with neither ("#", "(") anywhere."""
    written = re.escape(term)
    if term[0].isdigit():
        return re.compile(_NOT_AFTER_A_DIGIT + written)
    if not term[0].isalpha():
        return re.compile(written)
    if sum(ch.isalpha() for ch in term) >= PREFIXED_FROM_LETTERS:
        written = f"(?:{'|'.join(NOUN_PREFIXES)})?{written}"
    return re.compile(_NOT_IN_A_WORD + written)


def matching_cases(
    session: Session,
    keys: KeyRing,
    candidates: Select[Any],
    conditions: list[ColumnElement[bool]],
    text: str,
    redaction: Redaction,
) -> tuple[list[int], dict[int, list[str]]]:
    """Every candidate case, in the order of `candidates` (case ids), whose redacted reporter
    messages hold every term of `text`; with the redacted texts of those that match. The
    candidates are sorted as ids alone and their sealed messages read unsorted: sorting the wide
    rows would cost more than the rest. Only a case whose raw text holds every word is
    redacted, redaction being the dear part."""
    terms = search_terms(text)
    words = {word for term in terms for word in term.split()}
    patterns = [term_pattern(term) for term in terms]
    tags = _tag_pattern(redaction.tags)
    ordered: Sequence[int] = session.scalars(candidates).all()
    texts: dict[int, list[str]] = {}
    for case_id, rows in _sealed_messages(session, conditions).items():
        opened = _opened(keys, rows)
        folded = "\n".join(opened).casefold()
        if all(word in folded for word in words):
            redacted = [redaction.redact(raw) for raw in opened]
            if _holds(patterns, redacted, tags):
                texts[case_id] = redacted
    return [case_id for case_id in ordered if case_id in texts], texts


def _sealed_messages(session: Session, conditions: list[ColumnElement[bool]]) -> dict[int, list[SearchRow]]:
    postgresql = session.get_bind().dialect.name == "postgresql"
    material = (
        select(Case.id, _row_id(Report.id, postgresql), Report.key_id, Report.wrapped_key)
        .add_columns(_row_id(Message.id, postgresql), Message.body)
        .select_from(Case)
        .join(Report, Report.id == Case.report_id)
        .join(Message, and_(Message.report_id == Report.id, Message.author == "reporter"))
        .where(*conditions)
        .order_by(Message.created_at)
    )
    by_case: dict[int, list[SearchRow]] = defaultdict(list)
    for row in session.connection().execute(material):
        by_case[row[0]].append(row)
    return by_case


def _row_id(
    column: QueryableAttribute[uuid.UUID], postgresql: bool
) -> ColumnElement[Any] | QueryableAttribute[Any]:
    """A row's UUID as its text, as the associated data of its ciphertexts names it. PostgreSQL
    writes that text itself, which spares parsing and printing thousands of UUIDs here."""
    return cast(column, String) if postgresql else column


def _opened(keys: KeyRing, rows: list[SearchRow]) -> list[str]:
    """One case's reporter messages, oldest first, decrypted; none once its key is gone."""
    _, report_id, key_id, wrapped, _, _ = rows[0]
    data_key = _data_key(keys, report_id, key_id, wrapped)
    if data_key is None:
        return []
    cipher = AESGCM(data_key)
    return [
        open_sealed(cipher, body, associated_data("messages", message_id, "body"))
        for _, _, _, _, message_id, body in rows
    ]


def _data_key(keys: KeyRing, report_id: object, key_id: str | None, wrapped: bytes | None) -> bytes | None:
    """The report's data key; None once it was destroyed (the text is gone)."""
    if key_id is None or wrapped is None:
        return None
    try:
        return keys.unwrap(key_id, wrapped, associated_data("reports", report_id, "data_key"))
    except DecryptionError:
        return None


def _holds(patterns: list[re.Pattern[str]], redacted: list[str], tags: re.Pattern[str]) -> bool:
    """Whether every term is in one of the redacted messages without touching a redaction tag."""
    pieces = [piece for text in redacted for piece in _untagged(text.casefold(), tags)]
    return all(any(pattern.search(piece) for piece in pieces) for pattern in patterns)


def _tag_pattern(tags: tuple[str, ...]) -> re.Pattern[str]:
    # With no tags, a pattern that matches nothing: an empty one would split between letters.
    return re.compile("|".join(re.escape(tag.casefold()) for tag in tags) or "(?!)")


def _untagged(text: str, tags: re.Pattern[str]) -> list[str]:
    """The text between the redaction tags, each piece with its whitespace collapsed; brackets
    the reporter typed are text like any other."""
    return [" ".join(piece.split()) for piece in tags.split(text)]
