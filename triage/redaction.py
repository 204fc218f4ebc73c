"""Redact what could identify a reporter before a panel reads a message."""

from __future__ import annotations

import re

PHONE = "[phone]"
ID_NUMBER = "[id]"
EMAIL = "[email]"
NAME = "[name]"

_SEPARATOR = r"[\s\-.]?"
_PHONE = re.compile(
    r"(?<![\w+])"
    r"(?:"
    rf"(?:\+|00)\s?254{_SEPARATOR}(?:\(0\){_SEPARATOR}|0{_SEPARATOR})?"  # +254 / 00254
    rf"|\(\+?254\){_SEPARATOR}"  # (+254)
    rf"|254{_SEPARATOR}"
    r"|0"  # 07xx / 01xx
    r")?"
    rf"[17](?:{_SEPARATOR}\d){{8}}"
    r"(?!\d)"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Kenyan passports (A1234567, AK0123456) and refugee / alien card numbers with letters.
_PASSPORT = re.compile(r"\b[A-Za-z]{1,3}\d{6,9}\b")
_DOCUMENT_NUMBER = re.compile(
    r"(?P<label>\b(?:id|i\.d\.?|national id|kitambulisho|kipande|passport|pasipoti|"
    r"alien card|refugee card|refugee id|namba ya kitambulisho|id no|id number)\b"
    r"[\s:.#-]*(?:no\.?|number|namba|nambari|#)?[\s:.#-]*)"
    r"(?P<number>[A-Za-z]{0,3}[\d][\d\s/-]{4,14}\d)",
    re.IGNORECASE,
)
# National ID numbers are 7 or 8 digits; written alone they are still someone's identity.
_BARE_ID = re.compile(r"(?<![\w+])\d{7,8}(?![\w])")

_NAME_WORD = r"[A-Za-z][A-Za-z'’-]+"
_NAME_STOPWORDS = (
    r"(?!(?:and|from|of|in|at|the|i|im|na|wa|ya|kutoka|wangu|yangu|ni|my|but|lakini|"
    r"a|an|on|resident|mkazi|mama|baba|mzazi|mwalimu|here|hapa|not|sio|si)\b)"
)
_SELF_INTRODUCTION = re.compile(
    r"(?P<intro>\b(?:my names? (?:is|are)|my full names? (?:is|are)|i am called|i'?m called|"
    r"am called|jina langu ni|majina yangu ni|jina langu|naitwa|ninaitwa|"
    r"mimi naitwa|mimi ni|mi ni|magacaygu waa|magacaygu)\s+)"
    rf"(?P<name>{_NAME_STOPWORDS}{_NAME_WORD}(?:\s+{_NAME_STOPWORDS}{_NAME_WORD}){{0,2}})",
    re.IGNORECASE,
)
# "mimi ni" also introduces a description ("mimi ni mkazi wa..."): only a capitalised word
# after it is taken for a name.
_LOOSE_INTRODUCTIONS = ("mimi ni", "mi ni")


def redact(text: str) -> str:
    """Replace phone numbers, ID and passport numbers, emails and self-given names."""
    text = _EMAIL.sub(EMAIL, text)
    text = _PHONE.sub(PHONE, text)
    text = _DOCUMENT_NUMBER.sub(lambda match: match.group("label") + ID_NUMBER, text)
    text = _PASSPORT.sub(ID_NUMBER, text)
    text = _BARE_ID.sub(ID_NUMBER, text)
    return _SELF_INTRODUCTION.sub(_redact_name, text)


def _redact_name(match: re.Match[str]) -> str:
    intro, name = match.group("intro"), match.group("name")
    if intro.strip().lower() in _LOOSE_INTRODUCTIONS and not name[0].isupper():
        return match.group(0)
    return intro + NAME
