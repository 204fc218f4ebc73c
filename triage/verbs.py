"""Kiswahili verb forms: which cue a conjugated verb carries (wa-me-m-piga, ha-wa-ku-tu-piga,
a-li-pigw-a), with its tense, negation, person and mood."""

from __future__ import annotations

import re

from triage.tokens import remember

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
FUTURE_VERB = re.compile(r"^(?:ni|u|a|tu|m|mu|wa)ta(?:ni|ku|m|mw|mu|tu|wa|ji)?[a-z]{3,}$")
# Any verb in the past (wa-li-vunja, a-li-kuwa): a wa-ki-... clause after it went on then.
PAST_VERB = re.compile(r"^(?:ni|u|a|tu|m|mu|wa)li(?:ni|ku|m|mw|mu|tu|wa|ji)?[a-z]{2,}a$")
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
# u-ki-kamatwa is "if you are arrested": a generic "you" in the wa-ki- form is a condition.
_GENERIC_YOU = "u"
# ni-, tu- as subject or object: the reporter is the one harmed (wa-ta-ni-ua, a-li-tu-tishia).
_FIRST_PERSON = frozenset({"ni", "tu"})
# Subject and perfect tense, never a word of their own: "wame", "ame", "tume", "nime".
_SPLIT_PREFIXES = frozenset({"wame", "ame", "tume", "nime"})
_SHORTEST_SPLIT_REST = 3
# A root this short ("ua", kill) takes only a short ending; longer, it is inside another verb.
_SHORT_ROOT = 3
_SHORT_ROOT_ENDING = 2
_DOUBLED_CONSONANT = re.compile(r"([b-df-hj-np-tv-z])\1")
# "waamemuua" for wa-me-mu-ua: the subject's vowel typed twice before a tense.
_DOUBLED_SUBJECT_VOWEL = re.compile(r"^(w?a)a(?=me|na|ta|li|sha)")

# A conjugated verb cue: its labels, a negative prefix, its tense, a first-person subject or
# object, its mood.
VerbForm = tuple[tuple[str, ...], bool, str | None, bool, str | None]


class VerbForms:
    """Reads conjugated verbs against the lexicons' verb roots; each word read once."""

    def __init__(self, labels: dict[str, tuple[str, ...]], needs_object: set[str]) -> None:
        self._labels = labels
        self._needs_object = needs_object
        self._cache: dict[str, VerbForm | None] = {}
        roots = sorted(labels, key=len, reverse=True)
        self._pattern = (
            re.compile(rf"^{_VERB_PREFIX}(?P<root>{'|'.join(roots)})(?P<ending>[a-z]{{0,6}})$")
            if roots
            else None
        )

    def form(self, token: str) -> VerbForm | None:
        """(labels, negative prefix, tense, first person, mood) of a conjugated verb cue, or None;
        read once per word."""
        if token in self._cache:
            return self._cache[token]
        form = self._indicative(token)
        subjunctive = _SUBJUNCTIVE.match(token)
        if form is None and subjunctive is not None:
            form = self._indicative(f"{subjunctive.group('stem')}a", subjunctive=True)
        return remember(self._cache, token, form)

    def _indicative(self, token: str, subjunctive: bool = False) -> VerbForm | None:
        # Kiswahili has no doubled consonants; "wanatuppiga" is a slip of the thumb.
        match = (
            (
                self._pattern.match(token)
                or self._pattern.match(_DOUBLED_CONSONANT.sub(r"\1", token))
                or self._pattern.match(_DOUBLED_SUBJECT_VOWEL.sub(r"\1", token))
            )
            if self._pattern
            else None
        )
        if match is None or not _is_verb_cue(match, self._needs_object):
            return None
        root, object_ = match.group("root"), match.group("object")
        if object_ and object_ + root in self._labels:
            root, object_ = object_ + root, None  # wa-na-itisha (demand), not wa-na-i-tisha
        persons = {match.group("subject"), object_}
        if subjunctive and (match.group("tense") or not match.group("subject") or match.group("ending")):
            return None  # a subjunctive has a subject, no tense, and ends on the root's e
        marker = match.group("tense") or ""
        tense = _TENSES.get(marker)
        subject = match.group("subject")
        labels = self._labels[root]
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


def with_prefixes_joined(tokens: list[str]) -> list[str]:
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


def _is_verb_cue(match: re.Match[str], needs_object: set[str]) -> bool:
    if match.start("root") == 0 and not match.group("ending"):
        return False  # a bare root is a noun or an imperative, listed explicitly if needed
    if len(match.group("root")) <= _SHORT_ROOT and len(match.group("ending")) > _SHORT_ROOT_ENDING:
        return False  # "ua" in a-li-ye-mu-ahidi (who promised him) is no killing
    return not (match.group("root") in needs_object and not match.group("object"))
