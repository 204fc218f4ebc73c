"""An SMS as commands are read from it: undressed of what fonts, emoji and copy-paste put in and
around its words, so that "ＳＴＯＰ", "🛑 STOP", "S T O P" and STOP with a zero-width space
from copy-paste are all STOP. A new report is kept exactly as it was written; what is added to
a report after its reference is kept as read here: the same words, with no meaning changed."""

from __future__ import annotations

import re
import unicodedata

from channels.references import DASHES

# Words made of symbols and punctuation before the first word: "🛑 STOP", "*** HELP".
LEADING_SYMBOLS = re.compile(r"^(?:[^\w\s]+\s+)+")
# Letters typed one by one at the start of a message: "S T O P", "H E L P please".
SPELLED_OUT = re.compile(r"^[^\W\d_](?: [^\W\d_])+(?!\w)")
# Each character a phone or a font may dress up; the rest is read as it is.
NOT_ASCII = re.compile(r"[^\x00-\x7f]")


def normalised(body: str) -> str:
    """`body` as a command is read from it: letters in full-width or styled forms as plain
    letters, invisible format characters beside words (zero-width spaces) gone, emoji and
    other symbols set apart from the words they touch, no symbols before the first word, and
    letters spaced one by one at the start joined into a word."""
    text = body.strip().translate(DASHES)
    if not text.isascii():
        text = _apart_from_words(_plain_letters(_visible(text)))
    text = LEADING_SYMBOLS.sub("", text)
    return SPELLED_OUT.sub(lambda spelled: spelled.group().replace(" ", ""), text)


def _visible(text: str) -> str:
    """`text` without its format characters (category Cf), but those joining the parts of an
    emoji (a family, a flag), which stand between neither letters, digits nor spaces."""

    def kept(found: re.Match[str]) -> str:
        char = found.group()
        invisible = unicodedata.category(char) == "Cf" and not _inside_an_emoji(text, found.start())
        return "" if invisible else char

    return NOT_ASCII.sub(kept, text)


def _inside_an_emoji(text: str, index: int) -> bool:
    before, after = text[index - 1 : index], text[index + 1 : index + 2]
    return all(near and not (near.isalnum() or near.isspace()) for near in (before, after))


def _plain_letters(text: str) -> str:
    """Each character in its compatibility form (NFKC: "Ｓ" and "𝐒" are S, "！" is !), but for
    numbers written as superscripts or fractions ("²" is no score of 2) and symbols ("™"),
    which are kept as typed."""

    def plain(found: re.Match[str]) -> str:
        char = found.group()
        kept_as_typed = unicodedata.category(char) == "No" or _is_symbol(char)
        return char if kept_as_typed else unicodedata.normalize("NFKC", char)

    return NOT_ASCII.sub(plain, text)


def _apart_from_words(text: str) -> str:
    """A space between an emoji or other symbol and a letter or digit it touches: "🛑STOP",
    "STOP🙏". Symbols of the keyboard ("500/=", "+254") stay where they are."""

    def apart(found: re.Match[str]) -> str:
        char = found.group()
        if not _is_symbol(char):
            return char
        before, after = text[found.start() - 1 : found.start()], text[found.end() : found.end() + 1]
        return (" " if before.isalnum() else "") + char + (" " if after.isalnum() else "")

    return NOT_ASCII.sub(apart, text)


def _is_symbol(char: str) -> bool:
    return not char.isascii() and unicodedata.category(char).startswith("S")
