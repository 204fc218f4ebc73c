"""Redact what could identify a reporter before a panel reads a message."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml

from triage.places import default_gazetteer

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
    rf"|\(0\){_SEPARATOR}"  # (0) 711
    rf"|254{_SEPARATOR}"
    r"|0"  # 07xx / 01xx
    r")?"
    rf"(?:[17](?:{_SEPARATOR}\d){{8}}"
    rf"|\(\s?0?[17]\d\d\s?\){_SEPARATOR}\d(?:{_SEPARATOR}\d){{5}})"  # (0711) 000041
    r"(?!\d)"
)
# What is not ASCII: a keyboard may give a digit of another script ("０７１１" full-width,
# "٠٧١١" Arabic-Indic) or a full-width bracket, and numbers are looked for as if in ASCII.
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_REACH_ME = re.compile(
    r"(?:\b(?:(?:call|reach|text|sms|whatsapp|contact|ring)\s+(?:me|us)(?:\s+(?:on|at|via|through))?"
    r"|(?:my|our)\s+(?:phone\s+)?(?:number|no\.?)(?:\s+is)?"
    r"|[nt]ipigie(?:ni)?(?:\s+simu)?(?:\s+kwa)?|(?:namba|number)\s+(?:yangu|yetu)(?:\s+ni)?)[\s:.-]*)?"
    + _PHONE.pattern,
    re.IGNORECASE,
)
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

# A name the reporter gives of themselves. After a firm introduction ("my name is", "naitwa")
# the next word is a name even in lowercase; after a loose one ("I am", "this is", "mi ni")
# only a capitalised word is, since "I am afraid" and "mimi ni mkazi" describe, not name.
_FIRM_INTRODUCTION = (
    r"my\s+(?:full\s+|real\s+)?names?(?:\s+(?:is|are)|['’]s)"
    r"|(?:i\s+am|i['’]?m|am)\s+(?:called|known\s+as)"
    r"|(?:ma)?jina\s+(?:langu|yangu|zangu)\s+ni"
    r"|(?:ni)?naitwa"
    r"|magacaygu(?:\s+waa)?"
)
_LOOSE_INTRODUCTION = (
    r"i\s+am|i['’]?m|iam|this\s+is|it\s+is|it['’]?s|call\s+me"
    r"|(?:mimi|mi)\s+ni|ni\s+(?:mimi|mi)|(?:ma)?jina\s+(?:langu|yangu|zangu)"
)
_HONORIFIC = r"(?:mr|mrs|ms|miss|dr|mama|baba|mzee|mwalimu|pastor|sheikh)\.?\s+"
_WORD = r"[^\W\d_]+(?:['’-][^\W\d_]+)*"
_LONGEST_NAME = 3
# Without capitals nothing marks where a name ends, so fewer words are taken.
_LONGEST_LOWERCASE_NAME = 2
_INTRODUCTION = re.compile(
    rf"\b(?:(?P<firm>{_FIRM_INTRODUCTION})|{_LOOSE_INTRODUCTION})(?:\s*:\s*|\s+)(?:{_HONORIFIC})?"
    rf"(?=(?P<words>{_WORD}(?:[ \t]+{_WORD}){{0,{_LONGEST_NAME - 1}}}))",
    re.IGNORECASE,
)
_WORD_PATTERN = re.compile(_WORD)
# A Kiswahili verb (subject, tense, stem: wa-li-nipiga, ni-me-choka) is where the report
# starts, not a second name; short stems are left out because names like Akinyi look alike.
_SWAHILI_VERB = re.compile(r"(?:ha)?(?:ni|u|a|tu|m|wa|si)(?:li|me|na|ta|ki|ku|ka)[a-z]{4,}")
NOT_NAMES_FILE = Path(__file__).parent / "data" / "not_names.yaml"


def without_contact_details(text: str) -> str:
    """``text`` with emails, phone numbers (with their "call me on") and document numbers (with
    their "ID no.") taken out: how to reach or identify the reporter says nothing of what
    happened."""
    for pattern in (_EMAIL, _REACH_ME, _DOCUMENT_NUMBER, _PASSPORT, _BARE_ID):
        text = _replaced(pattern, " ", text)
    return text


def redact(text: str) -> str:
    """Replace phone numbers, ID and passport numbers, emails and self-given names. A number
    is found in digits of any script ("0７11000041")."""
    text = _replaced(_EMAIL, EMAIL, text)
    text = _replaced(_PHONE, PHONE, text)
    text = _replaced(_DOCUMENT_NUMBER, ID_NUMBER, text, group="number")
    text = _replaced(_PASSPORT, ID_NUMBER, text)
    text = _replaced(_BARE_ID, ID_NUMBER, text)
    return _redact_names(text)


def _replaced(pattern: re.Pattern[str], replacement: str, text: str, group: str | int = 0) -> str:
    """`text` with what `group` of `pattern` finds in it replaced, read in ASCII where a
    character has an ASCII form; the rest is kept as written. Each character is read as one
    character, so a match's place is the same in both."""
    kept, position = [], 0
    for match in pattern.finditer(_NOT_ASCII.sub(_as_ascii, text)):
        start, end = match.span(group)
        kept += [text[position:start], replacement]
        position = end
    return "".join(kept) + text[position:]


def _as_ascii(found: re.Match[str]) -> str:
    """A digit of any script as its ASCII digit, a full-width form ("（", "＋") as its ASCII
    character, anything else as it is."""
    char = found.group()
    if (digit := unicodedata.decimal(char, None)) is not None:
        return str(digit)
    compatible = unicodedata.normalize("NFKC", char)
    return compatible if len(compatible) == 1 and compatible.isascii() else char


def _redact_names(text: str) -> str:
    # The words after an introduction are only looked at, not consumed, so an introduction
    # that names no one ("this is urgent, my name is ...") hides no later one.
    kept, position = [], 0
    for match in _INTRODUCTION.finditer(text):
        if match.start() < position:
            continue
        words = list(_WORD_PATTERN.finditer(match["words"]))
        length = _name_length([word[0] for word in words], firm=match["firm"] is not None)
        if length:
            kept += [text[position : match.end()], NAME]
            position = match.end() + words[length - 1].end()
    return "".join(kept) + text[position:]


def _name_length(words: list[str], firm: bool) -> int:
    """How many of ``words`` are the name given after an introduction; 0 when none is."""
    first, *rest = words
    capitalised = _is_capitalised(first)
    if _is_common(first) or not (firm or (capitalised and not _is_place(first))):
        return 0
    longest = _LONGEST_NAME if capitalised else _LONGEST_LOWERCASE_NAME
    length = 1
    for word in rest[: longest - 1]:
        if not _continues_name(word, capitalised):
            break
        length += 1
    return length


def _continues_name(word: str, capitalised: bool) -> bool:
    if _is_common(word) or _is_place(word):
        return False
    return _is_capitalised(word) if capitalised else not _SWAHILI_VERB.fullmatch(word.lower())


def _is_capitalised(word: str) -> bool:
    # In a message written all in capitals ("I AM HIDING") capitals mark nothing.
    return word[0].isupper() and not word.isupper()


def _is_common(word: str) -> bool:
    return word.lower() in _not_names()


@lru_cache(maxsize=1)
def _not_names() -> frozenset[str]:
    groups: dict[str, list[object]] = yaml.safe_load(NOT_NAMES_FILE.read_text(encoding="utf-8"))
    words = [word for group in groups.values() for word in group]
    # Unquoted, YAML reads "no" and "on" as booleans: refuse them rather than lose the word.
    unreadable = [word for word in words if not isinstance(word, str)]
    if unreadable:
        raise ValueError(f"{NOT_NAMES_FILE.name}: quote these words: {unreadable}")
    return frozenset(str(word).lower() for word in words)


def _is_place(word: str) -> bool:
    return word.lower() in default_gazetteer().places
