"""STOP and START however residents say them: "STOP", "Unsubscribe me", "Please stop messaging
me", "ACHA KABISA", "Msinitumie ujumbe tena", "JOOJI", STOP beside the reporter's reference
("STOP K7F-3QX", "K7F-3QX STOP"); and "START", "opt in", "anza tena", or a START mistyped
alone ("strat", "STRAT K7F-3QX"). A message that tells of anything besides ("stop it they are
beating me", "police told us to stop the protest") is neither: it is kept."""

from __future__ import annotations

from dataclasses import dataclass

from channels.references import COURTESY, PUNCTUATION, bare, canonical, only, reference_at, wordless
from channels.slips import meant
from channels.status_words import SAUTI


@dataclass(frozen=True)
class Stop:
    language: str


@dataclass(frozen=True)
class Start:
    """START after STOP: the number may be written to again. `language` is None when the word
    names none: START is said in every language."""

    language: str | None


STOP_WORDS = {
    **dict.fromkeys(("STOP", "STP", "UNSUBSCRIBE", "STOPALL", "OPTOUT"), "en"),
    **{"ACHA": "sw", "WACHA": "sw", "JOOJI": "so", "JOOJIYA": "so"},
}
# Words that say "send me nothing more" by themselves: "msinitumie ujumbe tena", "usinitext".
NOTHING_MORE_TO_ME = dict.fromkeys(
    ("MSINITUMIE", "USINITUMIE", "MSINITEXT", "USINITEXT", "MSINISUMBUE", "USINISUMBUE"), "sw"
)
# What may be said around STOP and still only ask to stop ("Stop sending me messages", "acha
# kabisa", "fariimaha iga jooji"): never a word of what is being done to someone ("stop it they
# are beating me").
STOP_SAID = {
    *("ME", "SENDING", "SEND", "MESSAGES", "MESSAGE", "MESSAGING", "MSGS", "SMS", "TEXT", "TEXTS"),
    *("TEXTING", "ALL", "ANYMORE", "COMPLETELY", "FOREVER", "CONTACTING"),
    *("KUNITUMIA", "KUNITEXT", "UJUMBE", "MESEJI", "KABISA", "TENA", "MILELE"),
    *("FARIIMAHA", "FARIIN", "FARIIMO", "IGA", "II", "DAMBE"),
}
STOP_TALK = STOP_WORDS.keys() | NOTHING_MORE_TO_ME.keys() | COURTESY | SAUTI | STOP_SAID
# English that refuses what is sent, said with a word of sending: "don't message me", "no more
# texts please". Never with STOP itself: "please don't stop" asks the opposite.
REFUSING = {"DONT", "DO", "NOT", "NO", "MORE", "ANY", "NEVER"}
SENDING = {"SEND", "SENDING", "MESSAGE", "MESSAGES", "MESSAGING", "MSGS", "SMS", "TEXT", "TEXTS", "TEXTING"}
# START after STOP, and the language of each word that names one: "START", "unstop", "opt in",
# "anza tena", "endelea kunitumia ujumbe".
START_WORDS = {
    **dict.fromkeys(("START", "UNSTOP", "OPTIN"), None),
    **{"ANZA": "sw", "ENDELEA": "sw", "BILOW": "so"},
}
START_TALK = START_WORDS.keys() | COURTESY | SAUTI | STOP_SAID | {"AGAIN", "TENA", "UPYA", "MAR", "KALE"}
# The most words a reference may be typed in: "K7F 3QX", "ref K7F-3QX".
REFERENCE_WIDTHS = (1, 2, 3)


def stop_or_start(words: list[str]) -> Stop | Start | None:
    """STOP, however it is said ("Unsubscribe me", "opt out", "acha kunitumia ujumbe", "STOP
    K7F-3QX"), or START ("start again", "opt in", "anza tena", "strat")."""
    said = _joined_opt(_without_reference(words))
    if not said:
        return None
    if said[0] in START_WORDS and only(said[1:], START_TALK):
        return Start(START_WORDS[said[0]])
    return _stop(said) or _start_mistyped(said)


def stop_mistyped(words: list[str]) -> str | None:
    """The language of the STOP a word alone is a slip of ("SOTP", "ACAH", "JOJI"), or None. It
    is never read as STOP, so that no typo erases a number: the help, which says how to stop,
    answers it, and no report is opened."""
    said = _joined_opt(_without_reference(words))
    stop = meant(said[0], STOP_WORDS) if len(said) == 1 else None
    return None if stop is None else STOP_WORDS[stop]


def _start_mistyped(said: list[str]) -> Start | None:
    """START, UNSTOP, ANZA, ENDELEA or BILOW mistyped and alone ("strat", "STRAT", "unstpo")."""
    start = meant(said[0], START_WORDS) if len(said) == 1 else None
    return None if start is None else Start(START_WORDS[start])


def _stop(said: list[str]) -> Stop | None:
    heads = [language for word in said if (language := STOP_WORDS.get(word) or NOTHING_MORE_TO_ME.get(word))]
    if heads and only(said, STOP_TALK) and not REFUSING.intersection(said):
        return Stop(heads[0])
    refused = REFUSING.intersection(said) and SENDING.intersection(said)
    if refused and not STOP_WORDS.keys() & set(said) and only(said, STOP_TALK | REFUSING):
        return Stop("en")
    return None


def _joined_opt(words: list[str]) -> list[str]:
    """The words as compared with those above, "opt out" and "opt in" as one word."""
    said = [_plain(word) for word in words if not wordless(word)]
    for index in range(len(said) - 1):
        if said[index] == "OPT" and said[index + 1] in ("OUT", "IN"):
            return [*said[:index], "OPT" + said[index + 1], *said[index + 2 :]]
    return said


def _without_reference(words: list[str]) -> list[str]:
    """The words but a valid reference they begin or end with: STOP beside the reporter's own
    reference ("STOP K7F-3QX", "K7F-3QX STOP") asks to stop all the same."""
    ref, used = reference_at(words)
    if ref is not None:
        return words[used:]
    for width in REFERENCE_WIDTHS:
        if len(words) > width and canonical(" ".join(words[-width:]).strip(PUNCTUATION)):
            return words[:-width]
    return words


def _plain(word: str) -> str:
    """The word as compared with those above: "don't" is DONT, "STOP-ALL" is STOPALL."""
    return bare(word).replace("'", "").replace("\u2019", "").replace("-", "")
