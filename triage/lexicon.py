"""Lexicon cues: words, stems, phrases and Kiswahili verb forms that signal a category or urgency.

The lexicons live in ``triage/data/lexicon/*.yaml``; this module loads them once and finds
their cues in a message, each with whether it is negated and, for Kiswahili verbs, its tense.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import yaml

from triage.tokens import normalise, tokenize

LEXICON_DIR = Path(__file__).parent / "data" / "lexicon"

# Kiswahili verb: [negation][subject][tense][relative][object]ROOT[ending].
_VERB_PREFIX = (
    r"(?P<neg>ha|si)?(?P<subject>ni|u|a|tu|m|mu|wa|ku|i|li|ya|ki|vi|zi)?"
    r"(?P<tense>me|li|na|ta|ki|ka|ku|ja|sha|nge|hu)?(?P<relative>ye|o|yo|cho|vyo|zo|lo|po)?"
    r"(?P<object>ni|ku|m|mu|mw|tu|wa|ji|i|ki|li|zi)?"
)
_TENSES = {
    "me": "perfect",
    "sha": "perfect",
    "na": "progressive",
    "ta": "future",
    "li": "past",
    "ka": "past",
    "ku": "past",
    "ja": "perfect",
    "hu": "habitual",
    "ki": "progressive",
}
# wa-ki-m-piga is "beating him" after a verb of seeing, but "if they beat him" before a clause
# in the future; ``triage.signals`` tells which from the rest of the message.
_WHILE_OR_IF = "ki"
# a-ni-pig-e (that he shoot me), wa-mu-u-e (that they kill him): a wish or an order, the
# root's final a turned e; told after "amesema" or "anataka", a threat.
_SUBJUNCTIVE = re.compile(r"^(?P<stem>[a-z]{3,})e$")
# Any verb in the future (ni-ta-enda, tu-ta-ji-tetea), cue or not: the main clause that makes
# a wa-ki-... clause before it an "if".
_FUTURE_VERB = re.compile(r"^(?:ni|u|a|tu|m|mu|wa)ta(?:ni|ku|m|mw|mu|tu|wa|ji)?[a-z]{3,}$")
# Any verb in the past (wa-li-vunja, a-li-kuwa): a wa-ki-... clause after it went on then.
_PAST_VERB = re.compile(r"^(?:ni|u|a|tu|m|mu|wa)li(?:ni|ku|m|mw|mu|tu|wa|ji)?[a-z]{2,}a$")
# Subjects of noun classes for things, not people: li (joto, gari), ki, vi, ya. A thing thrown
# (jiwe li-me-rushw-a) keeps its tense.
_THING_SUBJECTS = frozenset({"li", "ki", "vi", "ya"})
_THROWN = "throw"
# A door, a toilet or shops i-me-fungwa, zi-me-fungwa are shut: no one is held.
_SHUT_SUBJECTS = frozenset({"i", "zi"})
_SHUT = "arrest_detention"
# An ID, a phone or money i-na-chukuliwa, i-me-potea: a thing is taken or lost, not a person.
_TAKE = "take"
_THING_LOSSES = frozenset({_TAKE, "disappearance"})
_THING_TAKEN_SUBJECTS = _THING_SUBJECTS | _SHUT_SUBJECTS
# Somali "ma" (not) is the Sheng plural prefix of "ma-shots", "ma-plainclothes": a Somali
# negator negates only a Somali cue.
_OWN_NEGATORS = "so"
# u-ki-kamatwa is "if you are arrested": a generic "you" in the wa-ki- form is a condition.
_GENERIC_YOU = "u"
# ni-, tu- as subject or object: the reporter is the one harmed (wa-ta-ni-ua, a-li-tu-tishia).
_FIRST_PERSON = frozenset({"ni", "tu"})
_NEGATION_REACH = 3
# Subject and perfect tense, never a word of their own: "wame", "ame", "tume", "nime".
_SPLIT_PREFIXES = frozenset({"wame", "ame", "tume", "nime"})
_SHORTEST_SPLIT_REST = 3
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
# A root this short ("ua", kill) takes only a short ending; longer, it is inside another verb.
_SHORT_ROOT = 3
_SHORT_ROOT_ENDING = 2
_CACHE_LIMIT = 50_000
_T = TypeVar("_T")
_DOUBLED_CONSONANT = re.compile(r"([b-df-hj-np-tv-z])\1")
# "waamemuua" for wa-me-mu-ua: the subject's vowel typed twice before a tense.
_DOUBLED_SUBJECT_VOWEL = re.compile(r"^(w?a)a(?=me|na|ta|li|sha)")


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


# A conjugated verb cue: its labels, a negative prefix, its tense, a first-person subject or
# object, its mood.
_VerbForm = tuple[tuple[str, ...], bool, str | None, bool, str | None]
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
        self.loanwords: set[str] = set()
        self._exact: dict[str, list[_Entry]] = defaultdict(list)
        self._stems: dict[str, list[_Entry]] = defaultdict(list)
        self._verb_labels: dict[str, tuple[str, ...]] = {}
        self._needs_object: set[str] = set()
        self._candidate_cache: dict[str, _Candidates] = {}
        self._verb_cache: dict[str, _VerbForm | None] = {}
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
        roots = sorted(self._verb_labels, key=len, reverse=True)
        self._verb = (
            re.compile(rf"^{_VERB_PREFIX}(?P<root>{'|'.join(roots)})(?P<ending>[a-z]{{0,6}})$")
            if roots
            else None
        )

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
        return _with_prefixes_joined(tokenize(text, self.spelling))

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
                negated = self._negated(tokens, index, entry.language)
                tense = _english_tense(entry, tokens, index)
                hits.append(CueHit(entry.label, entry.language, index, end, negated, tense))
            hits.extend(self._verb_hits(tokens, index))
            if _FUTURE_VERB.match(token):
                hits.append(CueHit("future_clause", "sw", index, index + 1, tense="future"))
            if _PAST_VERB.match(token):
                hits.append(CueHit("past_clause", "sw", index, index + 1, tense="past"))
        return hits

    def _is_greeting(self, tokens: list[str], start: int, end: int) -> bool:
        """ "Sasa, ..." opening a message is a greeting, not "now"."""
        return start == 0 and end == 1 and tokens[0] in self.greetings

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
            cached = self._remember(
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
        form = self._verb_form(tokens[index])
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

    def _verb_form(self, token: str) -> _VerbForm | None:
        """(labels, negative prefix, tense, first person, mood) of a conjugated verb cue, or None;
        read once per word."""
        if token in self._verb_cache:
            return self._verb_cache[token]
        form = self._indicative(token)
        subjunctive = _SUBJUNCTIVE.match(token)
        if form is None and subjunctive is not None:
            form = self._indicative(f"{subjunctive.group('stem')}a", subjunctive=True)
        return self._remember(self._verb_cache, token, form)

    def _indicative(self, token: str, subjunctive: bool = False) -> _VerbForm | None:
        # Kiswahili has no doubled consonants; "wanatuppiga" is a slip of the thumb.
        match = (
            (
                self._verb.match(token)
                or self._verb.match(_DOUBLED_CONSONANT.sub(r"\1", token))
                or self._verb.match(_DOUBLED_SUBJECT_VOWEL.sub(r"\1", token))
            )
            if self._verb
            else None
        )
        if match is None or not _is_verb_cue(match, self._needs_object):
            return None
        root, object_ = match.group("root"), match.group("object")
        if object_ and object_ + root in self._verb_labels:
            root, object_ = object_ + root, None  # wa-na-itisha (demand), not wa-na-i-tisha
        persons = {match.group("subject"), object_}
        if subjunctive and (match.group("tense") or not match.group("subject") or match.group("ending")):
            return None  # a subjunctive has a subject, no tense, and ends on the root's e
        marker = match.group("tense") or ""
        tense = _TENSES.get(marker)
        subject = match.group("subject")
        labels = self._verb_labels[root]
        if subject in _THING_TAKEN_SUBJECTS:
            labels = tuple(label for label in labels if label not in _THING_LOSSES)
            if not labels:
                return None
        thing = subject in _THING_SUBJECTS and _THROWN not in labels
        if thing or (subject in _SHUT_SUBJECTS and _SHUT in labels):
            tense = None  # "joto li-na-ni-ua" (the heat is killing me) tells no time of a harm
        if subject == _GENERIC_YOU and marker == _WHILE_OR_IF:
            tense = "conditional"
        mood = "subjunctive" if subjunctive else ("while_or_if" if marker == _WHILE_OR_IF else None)
        return (
            labels,
            bool(match.group("neg")),
            tense,
            bool(persons & _FIRST_PERSON),
            mood,
        )

    @staticmethod
    def _remember(cache: dict[str, _T], token: str, value: _T) -> _T:
        if len(cache) > _CACHE_LIMIT:
            cache.clear()  # a worker meets new words all day; keep the cache bounded
        cache[token] = value
        return value


def _with_prefixes_joined(tokens: list[str]) -> list[str]:
    """ "wame mchukua", "tume zunguka": a verb's subject and tense typed apart from the rest of
    it are one word."""
    joined: list[str] = []
    for token in tokens:
        rest_of_a_verb = len(token) >= _SHORTEST_SPLIT_REST and token.isalpha()
        if joined and joined[-1] in _SPLIT_PREFIXES and rest_of_a_verb:
            joined[-1] += token
        else:
            joined.append(token)
    return joined


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


def _is_verb_cue(match: re.Match[str], needs_object: set[str]) -> bool:
    if match.start("root") == 0 and not match.group("ending"):
        return False  # a bare root is a noun or an imperative, listed explicitly if needed
    if len(match.group("root")) <= _SHORT_ROOT and len(match.group("ending")) > _SHORT_ROOT_ENDING:
        return False  # "ua" in a-li-ye-mu-ahidi (who promised him) is no killing
    return not (match.group("root") in needs_object and not match.group("object"))


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The shipped lexicons, loaded once."""
    documents = [
        yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(LEXICON_DIR.glob("*.yaml"))
    ]
    return Lexicon(documents)
