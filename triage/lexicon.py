"""Lexicon cues: words, stems, phrases and Kiswahili verb forms that signal a category or urgency.

The lexicons live in ``triage/data/lexicon/*.yaml``; this module loads them once and finds
their cues in a message, each with whether it is negated and, for Kiswahili verbs (read by
``triage.verbs``), its tense.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from triage.tokens import normalise, remember, tokenize
from triage.verbs import FUTURE_VERB, PAST_VERB, VerbForms, with_prefixes_joined

LEXICON_DIR = Path(__file__).parent / "data" / "lexicon"

# Somali "ma" (not) is the Sheng plural prefix of "ma-shots", "ma-plainclothes": a Somali
# negator negates only a Somali cue.
_OWN_NEGATORS = "so"
_NEGATION_REACH = 3
# "bila risiti kila wiki", "not every day": how often a harm comes is never denied by a negator.
_NEVER_NEGATED = frozenset({"every"})
# Harms a thing cannot suffer: "the battery is dying", "the heat is killing me", "my phone died".
_HARMS_TO_PEOPLE = frozenset({"killing", "violence_abuse", "injury"})
_COPULAS = frozenset({"is", "was", "are", "were", "keeps"})
# "killing it", "slaying it": doing well, not a harm.
_IDIOM_OBJECT = "it"
_SUBJECT_REACH = 5
# "is being stomped", "are looting": an English harm in the progressive is going on now; "was
# being beaten", "were looting" went on then.
_PROGRESSIVE_HARMS = frozenset({"killing", "violence_abuse", "community_tension", "disappearance"})
_NOW_COPULAS = frozenset({"is", "are", "am", "being"})
_THEN_COPULAS = frozenset({"was", "were"})
# "threatened to kill me", "vowed to finish us": a threat told as made before.
_THREATS = frozenset({"threat", "threaten"})
_PAST_SAYING = frozenset({"threatened", "vowed", "warned", "said", "told", "swore"})


@dataclass(frozen=True)
class CueHit:
    """One cue found in a message: ``label`` is a category key or a cue name."""

    label: str
    language: str
    start: int
    end: int
    negated: bool = False
    tense: str | None = None
    first_person: bool = False
    mood: str | None = None  # "while_or_if" (wa-ki-m-piga), "subjunctive" (a-ni-pig-e)


@dataclass(frozen=True)
class _Entry:
    words: tuple[tuple[str, bool], ...]  # (text, is_stem)
    label: str
    language: str


# Entries that may start at a word: (one-word, longer by second word, second word a stem).
_Candidates = tuple[tuple[_Entry, ...], dict[str, tuple[_Entry, ...]], tuple[_Entry, ...]]


class Lexicon:
    """All lexicon files merged into lookup tables built once."""

    def __init__(self, documents: list[dict[str, Any]]) -> None:
        self.spelling: dict[str, tuple[str, ...]] = {}
        self.markers: dict[str, set[str]] = defaultdict(set)
        self.negators: set[str] = set()
        self.own_negators: set[str] = set()
        self.verb_false_friends: set[str] = set()
        self.verb_thing_subjects: set[str] = set()
        self.thing_subjects: set[str] = set()
        self.greetings: set[str] = set()
        self.greeting_words: set[str] = set()
        self.greetings_alone: set[tuple[str, ...]] = set()
        self.loanwords: set[str] = set()
        self._exact: dict[str, list[_Entry]] = defaultdict(list)
        self._stems: dict[str, list[_Entry]] = defaultdict(list)
        self._verb_labels: dict[str, tuple[str, ...]] = {}
        self._needs_object: set[str] = set()
        self._candidate_cache: dict[str, _Candidates] = {}
        for document in documents:
            self._add_spelling(document)
        for document in documents:
            self._add_document(document)
        # A word that marks one language only; a word two languages share ("la") tells nothing.
        self.marker_of: dict[str, str] = {}
        for language, words in self.markers.items():
            for word in words:
                shared = word in self.marker_of and self.marker_of[word] != language
                self.marker_of[word] = "" if shared else language
        self._verbs = VerbForms(self._verb_labels, self._needs_object)

    def _add_spelling(self, document: dict[str, Any]) -> None:
        for word, replacement in (document.get("spelling") or {}).items():
            words = replacement if isinstance(replacement, list) else str(replacement).split()
            self.spelling[normalise(str(word))] = tuple(normalise(w) for w in words)

    def _add_document(self, document: dict[str, Any]) -> None:
        language = document["language"]
        self.markers[language].update(self._words(document.get("markers") or []))
        negators = self._words(document.get("negators") or [])
        (self.own_negators if language == _OWN_NEGATORS else self.negators).update(negators)
        self.verb_false_friends.update(self._words(document.get("verb_false_friends") or []))
        self.verb_thing_subjects.update(self._words(document.get("verb_thing_subjects") or []))
        self.thing_subjects.update(self._words(document.get("thing_subjects") or []))
        self.greetings.update(self._words(document.get("greetings") or []))
        self.greeting_words.update(self._words(document.get("greeting_words") or []))
        self.greetings_alone.update(self._phrases(document.get("greetings_alone") or []))
        self.loanwords.update(self._words(document.get("loanwords") or []))
        groups = {**(document.get("categories") or {}), **(document.get("cues") or {})}
        for label, entries in groups.items():
            for text in entries or []:
                self._add_entry(str(text), label, language)
        for label, roots in (document.get("verb_roots") or {}).items():
            for root in roots:
                # "maliza+": only with an object, wa-ta-m-maliza (finish him), not "maliza kazi"
                bare = normalise(root.rstrip("+"))
                # A root may carry two labels: "bakw" (raped) is violence_abuse and grave.
                known = self._verb_labels.get(bare, ())
                self._verb_labels[bare] = known if label in known else (*known, label)
                if root.endswith("+"):
                    self._needs_object.add(bare)

    def _words(self, entries: list[object]) -> set[str]:
        return {token for entry in entries for token in tokenize(str(entry), self.spelling)}

    def _phrases(self, entries: list[object]) -> set[tuple[str, ...]]:
        return {tuple(tokenize(str(entry), self.spelling)) for entry in entries} - {()}

    def _add_entry(self, text: str, label: str, language: str) -> None:
        words: list[tuple[str, bool]] = []
        for raw in text.split():
            if raw.endswith("*"):
                words.extend((token, False) for token in tokenize(raw[:-1])[:-1])
                words.append((tokenize(raw[:-1])[-1], True))
            else:
                words.extend((token, False) for token in tokenize(raw, self.spelling))
        if not words:
            return
        entry = _Entry(tuple(words), label, language)
        first, is_stem = words[0]
        (self._stems if is_stem else self._exact)[first].append(entry)

    def tokens(self, text: str) -> list[str]:
        return with_prefixes_joined(tokenize(text, self.spelling))

    def find(self, tokens: list[str]) -> list[CueHit]:
        """Every cue in ``tokens``, negated when a negator comes shortly before it."""
        hits: list[CueHit] = []
        for index, token in enumerate(tokens):
            singles, by_second, others = self._candidates(token)
            following = tokens[index + 1] if index + 1 < len(tokens) else ""
            matched = [(entry, index + 1) for entry in singles]
            for entry in (*by_second.get(following, ()), *others):
                end = self._match_end(entry, tokens, index)
                if end is not None:
                    matched.append((entry, end))
            for entry, end in matched:
                if self._is_greeting(tokens, index, end) or self._said_of_a_thing(entry, tokens, index, end):
                    continue
                negated = entry.label not in _NEVER_NEGATED and self._negated(tokens, index, entry.language)
                tense = _english_tense(entry, tokens, index)
                hits.append(CueHit(entry.label, entry.language, index, end, negated, tense))
            hits.extend(self._verb_hits(tokens, index))
            if FUTURE_VERB.match(token):
                hits.append(CueHit("future_clause", "sw", index, index + 1, tense="future"))
            if PAST_VERB.match(token):
                hits.append(CueHit("past_clause", "sw", index, index + 1, tense="past"))
        return hits

    def greets(self, tokens: list[str]) -> bool:
        """Whether the message opens with a greeting: "sasa", "niaje", "hello"."""
        return bool(tokens) and tokens[0] in self.greetings

    def only_greets(self, tokens: list[str]) -> bool:
        """Whether the message is a greeting and nothing else: "sasa msee", "mambo vipi", "good
        morning", "assalamu alaikum", "iska warran", "who is this?"."""
        if not (self.greets(tokens) or self._greeting_alone_at(tokens, 0)):
            return False
        said = self.greetings | self.greeting_words
        index = 0
        while index < len(tokens):
            length = self._greeting_alone_at(tokens, index) or int(tokens[index] in said)
            if not length:
                return False
            index += length
        return True

    def _greeting_alone_at(self, tokens: list[str], start: int) -> int:
        """How many tokens from ``start`` a greeting said alone takes ("good morning": 2); 0 for none."""
        found = [
            len(phrase)
            for phrase in self.greetings_alone
            if tuple(tokens[start : start + len(phrase)]) == phrase
        ]
        return max(found, default=0)

    def _is_greeting(self, tokens: list[str], start: int, end: int) -> bool:
        """ "Sasa, ..." opening a message is a greeting, not "now"."""
        return start == 0 and end == 1 and self.greets(tokens)

    def _said_of_a_thing(self, entry: _Entry, tokens: list[str], start: int, end: int) -> bool:
        """A harm word whose subject is a thing: "my phone died", "the battery is dying"; or
        an English idiom of success: "they are killing it"."""
        if entry.label not in _HARMS_TO_PEOPLE:
            return False
        if entry.language == "en" and tokens[end : end + 1] == [_IDIOM_OBJECT]:
            return True
        if start == 0:
            return False
        before = tokens[start - 1]
        if before not in _COPULAS:
            return before in self.thing_subjects
        # "the noise from the garage is killing us": the subject may lie a few words back.
        return bool(self.thing_subjects.intersection(tokens[max(0, start - _SUBJECT_REACH) : start - 1]))

    def _candidates(self, token: str) -> _Candidates:
        """Entries that may start at ``token``: one-word entries (already matched), longer ones
        by their second word, and the few whose second word is a stem; sorted once per word."""
        cached = self._candidate_cache.get(token)
        if cached is None:
            found = list(self._exact.get(token, ()))
            for length in range(2, len(token) + 1):
                found.extend(self._stems.get(token[:length], ()))
            by_second: dict[str, list[_Entry]] = defaultdict(list)
            for entry in found:
                if len(entry.words) > 1 and not entry.words[1][1]:
                    by_second[entry.words[1][0]].append(entry)
            cached = remember(
                self._candidate_cache,
                token,
                (
                    tuple(entry for entry in found if len(entry.words) == 1),
                    {second: tuple(entries) for second, entries in by_second.items()},
                    tuple(entry for entry in found if len(entry.words) > 1 and entry.words[1][1]),
                ),
            )
        return cached

    @staticmethod
    def _match_end(entry: _Entry, tokens: list[str], start: int) -> int | None:
        if start + len(entry.words) > len(tokens):
            return None
        for offset, (word, is_stem) in enumerate(entry.words):
            token = tokens[start + offset]
            if not (token.startswith(word) if is_stem else token == word):
                return None
        return start + len(entry.words)

    def _negated(self, tokens: list[str], start: int, language: str = "") -> bool:
        before = tokens[max(0, start - _NEGATION_REACH) : start]
        negators = self.negators | self.own_negators if language == _OWN_NEGATORS else self.negators
        return any(token in negators for token in before)

    def is_kiswahili_verb(self, tokens: list[str], index: int) -> bool:
        return bool(self._verb_hits(tokens, index))

    def _verb_hits(self, tokens: list[str], index: int) -> list[CueHit]:
        form = self._verbs.form(tokens[index])
        if form is None:
            return []
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        if following in self.verb_false_friends:
            return []
        if self.verb_thing_subjects.intersection(tokens[max(0, index - 2) : index]):
            return []  # "joto linaniua": the heat, not a person, is "killing" me
        labels, negative, tense, first_person, mood = form
        negated = negative or self._negated(tokens, index)
        return [CueHit(label, "sw", index, index + 1, negated, tense, first_person, mood) for label in labels]


def _english_tense(entry: _Entry, tokens: list[str], start: int) -> str | None:
    """The time an English harm or threat is told in, when its words show it."""
    if entry.language != "en":
        return None
    if entry.label in _THREATS:
        return "past" if tokens[start] in _PAST_SAYING else None
    if entry.label not in _PROGRESSIVE_HARMS or start == 0:
        return None
    before = tokens[start - 1]
    ing = tokens[start].endswith("ing")
    passive = before == "being"
    copula = tokens[start - 2] if passive and start > 1 else before
    if copula in _THEN_COPULAS and (passive or ing):
        return "past"
    if passive or (before in _NOW_COPULAS and ing):
        return "progressive"
    return None


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The shipped lexicons, loaded once."""
    documents = [
        yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(LEXICON_DIR.glob("*.yaml"))
    ]
    return Lexicon(documents)


def greeting_only(text: str) -> bool:
    """Whether a message is a greeting and nothing more: "Sasa", "niaje msee", "Hello"."""
    lexicon = default_lexicon()
    return lexicon.only_greets(lexicon.tokens(text))
