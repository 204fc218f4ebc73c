"""Language of a message: English, Kiswahili (with Sheng and code-mixing), Somali, Arabic, other.

Lexicon markers decide first, because Sheng and English-Kiswahili mixing confuse statistical
detectors; the offline lingua detector, built for a handful of languages in its low-memory
mode, decides what the markers cannot.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from triage.lexicon import Lexicon, default_lexicon
from triage.places import default_gazetteer

_LINGUA_CODES = {
    Language.ENGLISH: "en",
    Language.SWAHILI: "sw",
    Language.SOMALI: "so",
    Language.ARABIC: "ar",
    Language.FRENCH: "other",
}
# Below this share of Kiswahili markers an English message with a loan word stays English.
_CODE_MIXED_SHARE = 0.25
# A longer message with few known words may be another language sharing a word or two.
_WELL_MARKED_SHARE = 0.3
_SHORT_MESSAGE = 4
_DETECTOR_CERTAIN = 0.9
_LOANWORD = 0.5
# Subject + tense + stem: wa-na-kula, a-me-enda, tu-li-ona. Few English words look so.
_VERB_SHAPE = re.compile(r"^(?:wa|ni|tu|hawa|hatu|ha)(?:na|me|li|ta|ja|ku)[a-z]{3,}$")


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*_LINGUA_CODES).with_low_accuracy_mode().build()


def detect_language(text: str) -> str:
    """Return 'en', 'sw', 'so', 'ar' or 'other' for ``text``."""
    return language_of(text, default_lexicon().tokens(text))


def reply_language(text: str, otherwise: str = "en") -> str:
    """'sw', 'so' or 'en': the language to answer a message in while the gateway waits, from
    the lexicon's markers alone, so no detector model is loaded or run in a web process;
    `otherwise` when no word marks one ("ok", "je?"). Triage detects the report's language
    properly afterwards."""
    lexicon = default_lexicon()
    tokens = without_place_names(lexicon.tokens(text), lexicon)
    language = _language_from_markers(marker_counts(tokens, lexicon))
    if language is None:
        return otherwise
    return language if language in ("sw", "so") else "en"


def language_of(text: str, tokens: list[str]) -> str:
    """``detect_language`` for a message already tokenised with the lexicon's spelling.

    Place names are set aside first: "Majengo" or "Shauri Moyo" in an English message say
    nothing about the language the reporter writes in, and should be answered in.
    """
    script = _dominant_script(text)
    if script == "arabic":
        return "ar"
    if script in ("other", "none"):
        return "other"
    lexicon = default_lexicon()
    tokens = without_place_names(tokens, lexicon)
    if not tokens:
        return "en"  # only a place name: nothing to tell the language by
    counts = marker_counts(tokens, lexicon)
    by_markers = _language_from_markers(counts)
    well_marked = sum(counts.values()) >= _WELL_MARKED_SHARE * len(tokens)
    if by_markers is not None and (well_marked or len(tokens) < _SHORT_MESSAGE):
        return by_markers
    by_detector, certainty = _detected(" ".join(tokens))
    if by_markers is None:
        if len(tokens) < _SHORT_MESSAGE and by_detector not in ("en", "sw"):
            return "en"  # "ok", "?": too short to be anything but a reply
        return by_detector
    # A Kenyan word or two in a sentence the detector is sure is another language
    # ("la police a arrêté..."): the detector wins; otherwise the markers do.
    if by_detector not in ("en", "sw") and certainty >= _DETECTOR_CERTAIN:
        return by_detector
    return by_markers


def _detected(text: str) -> tuple[str, float]:
    values = _detector().compute_language_confidence_values(text)
    if not values or values[0].value == 0.0:
        return "other", 0.0
    return _LINGUA_CODES.get(values[0].language, "other"), values[0].value


def without_place_names(tokens: list[str], lexicon: Lexicon) -> list[str]:
    """``tokens`` less the words of place names that are not also English markers."""
    place_words = _place_words()
    return [token for token in tokens if token not in place_words]


@lru_cache(maxsize=1)
def _place_words() -> frozenset[str]:
    return default_gazetteer().words - default_lexicon().markers.get("en", set())


def marker_counts(tokens: list[str], lexicon: Lexicon) -> dict[str, float]:
    """How many tokens mark each language; conjugated Kiswahili verbs count as Kiswahili,
    Sheng nouns that English borrows as half a word."""
    counts: dict[str, float] = {language: 0.0 for language in lexicon.markers}
    counts.setdefault("sw", 0.0)
    for index, token in enumerate(tokens):
        marked = lexicon.marker_of.get(token)
        if marked:
            counts[marked] += _LOANWORD if token in lexicon.loanwords else 1.0
        if marked is None and (lexicon.is_kiswahili_verb(tokens, index) or _VERB_SHAPE.match(tokens[index])):
            counts["sw"] += 1
    return counts


def _language_from_markers(counts: dict[str, float]) -> str | None:
    english, kiswahili, somali = counts.get("en", 0), counts.get("sw", 0), counts.get("so", 0)
    if somali >= 2 and somali > kiswahili and somali > english:
        return "so"
    if somali and not (kiswahili or english):
        return "so"  # "caawimaad": one Somali word and nothing else to go by
    if kiswahili and kiswahili / (kiswahili + english) >= _CODE_MIXED_SHARE:
        return "sw"
    if english:
        return "en"
    return None


def _dominant_script(text: str) -> str:
    """'latin', 'arabic', 'other' (another script) or 'none' (no letters at all)."""
    if text.isascii():
        return "latin" if any(character.isalpha() for character in text) else "none"
    counts = {"latin": 0, "arabic": 0, "other": 0}
    for character in text:
        if not character.isalpha():
            continue
        name = unicodedata.name(character, "")
        if name.startswith("LATIN"):
            counts["latin"] += 1
        elif name.startswith("ARABIC"):
            counts["arabic"] += 1
        else:
            counts["other"] += 1
    if not any(counts.values()):
        return "none"
    return max(counts, key=lambda script: counts[script])
