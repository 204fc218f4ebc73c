"""The USSD menu as a pure walk over the inputs so far.

Africa's Talking sends every input of the session joined by `*`; replaying them from the
first screen gives the current one. A report may itself hold a `*`: where each earlier
request's `text` ended (its length, never its content) is the one fact about a session kept
on our side, and says where the report ends (`TypedInputs`)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from channels.keywords import wordless
from storage.reporter_texts import ussd_text, ussd_topics
from storage.segments import cut_to_gsm7, units
from storage.typed_values import is_ascii_number

PREVIEW_CHARS = 60
# Africa's Talking shows at most this many characters of a reply, its "CON " or "END " included.
USSD_SCREEN_LIMIT = 182
# What a screen may say after "CON " or "END " (both four characters).
SCREEN_TEXT_LIMIT = USSD_SCREEN_LIMIT - len("CON ")


@dataclass
class Walk:
    language: str
    stack: list[str] = field(default_factory=lambda: ["main"])
    topic: str | None = None
    text: str = ""
    notice: str | None = None
    chosen_language: str | None = None
    finished: str | None = None
    ref: str | None = None

    @property
    def screen(self) -> str:
        return self.stack[-1]


@dataclass(frozen=True)
class Screen:
    """What to show, and what the route must do first (store a report, look one up...)."""

    name: str
    language: str
    end: bool = False
    send: tuple[str, str] | None = None
    lookup: str | None = None
    chosen_language: str | None = None
    notice: str | None = None
    # On the confirm screen: the report as it will be stored.
    preview: str | None = None


def walk(text: str, language: str, earlier_ends: Collection[int] = frozenset()) -> Screen:
    """The screen the session is on after the inputs in `text`; `earlier_ends` are the
    lengths of the `text` of the session's earlier requests (none known: a session whose
    start was not seen)."""
    state = Walk(language)
    inputs = TypedInputs(text, frozenset(earlier_ends))
    while not inputs.done and not state.finished:
        _step(state, inputs.next_input(free_text=state.screen == "message").strip())
    return _outcome(state)


@dataclass
class TypedInputs:
    """The inputs in `text`, read one at a time. A menu choice ends at the next `*`. A report
    ends where the gateway ended the request that carried it: where the next earlier request
    ended, else at the end of this one, so a `*` typed in it stays. That needs the request
    before it to have been seen; if it was not, the report too ends at the next `*`."""

    text: str
    earlier_ends: frozenset[int]
    position: int = 0

    @property
    def done(self) -> bool:
        return not self.text or self.position > len(self.text)

    def next_input(self, *, free_text: bool) -> str:
        start = self.position
        if free_text and start - 1 in self.earlier_ends:
            stop = min((end for end in self.earlier_ends if end >= start), default=len(self.text))
        else:
            separator = self.text.find("*", start)
            stop = len(self.text) if separator < 0 else separator
        self.position = stop + 1
        return self.text[start:stop]


def screen_body(screen: Screen, **values: str) -> str:
    """What the screen says, its notice first, before any cut."""
    body = ussd_text(screen.name, screen.language, **values)
    if screen.notice:
        body = ussd_text(screen.notice, screen.language) + body
    return body


def screen_reply(screen: Screen, **values: str) -> str:
    """The whole reply, `CON …` or `END …`, before any cut."""
    return ("END " if screen.end else "CON ") + screen_body(screen, **values)


def render(screen: Screen, **values: str) -> str:
    """The reply body: `CON …` or `END …`. Every menu fits in 182 characters whole, the
    prefix included; only a value from outside (an answer, a typed reference) can be cut."""
    return screen_reply(screen, **values)[:USSD_SCREEN_LIMIT]


def cut_to_screen(text: str) -> str:
    """A text from outside (the panel's answer) in GSM-7, which every phone shows whole, cut
    after a word with "..." to what a screen may say after "END "."""
    return cut_to_gsm7(text, SCREEN_TEXT_LIMIT)


def confirm_values(screen: Screen) -> dict[str, str]:
    """The confirm screen's preview of the report in GSM-7: whole, or its start and "..."
    when it has not the room. An emoji or a curly quote would make the whole screen UCS-2,
    which holds less than half as much."""
    room = USSD_SCREEN_LIMIT - units(screen_reply(screen, preview=""))
    return {"preview": cut_to_gsm7(screen.preview or "", min(PREVIEW_CHARS, room))}


def _step(state: Walk, entry: str) -> None:
    state.notice = None
    if entry == "0" and len(state.stack) > 1:
        state.stack.pop()
        return
    handler = {
        "main": _on_main,
        "topics": _on_topics,
        "message": _on_message,
        "confirm": _on_confirm,
        "ask_ref": _on_ref,
        "language": _on_language,
    }[state.screen]
    handler(state, entry)


def _on_main(state: Walk, entry: str) -> None:
    target = {"1": "topics", "2": "ask_ref", "3": "language"}.get(entry)
    if target:
        state.stack.append(target)
    else:
        state.notice = "invalid"


def _on_topics(state: Walk, entry: str) -> None:
    topics = ussd_topics()
    if is_ascii_number(entry) and len(entry) <= 2 and 1 <= int(entry) <= len(topics):
        state.topic = topics[int(entry) - 1]
        state.stack.append("message")
    else:
        state.notice = "invalid"


def _on_message(state: Walk, entry: str) -> None:
    if wordless(entry):
        # "*", "**#": no words to read, as an empty SMS has none.
        state.notice = "empty_message"
        return
    state.text = entry
    state.stack.append("confirm")


def _on_confirm(state: Walk, entry: str) -> None:
    if entry == "1":
        state.finished = "sent"
    elif entry == "2":
        state.finished = "cancelled"
    else:
        state.notice = "invalid"


def _on_ref(state: Walk, entry: str) -> None:
    if wordless(entry):
        state.notice = "invalid"
        return
    state.ref = entry
    state.finished = "lookup"


def _on_language(state: Walk, entry: str) -> None:
    choice = {"1": "en", "2": "sw", "3": "so"}.get(entry)
    if choice is None:
        state.notice = "invalid"
        return
    state.language = state.chosen_language = choice
    state.stack = ["main"]


def _outcome(state: Walk) -> Screen:
    lang, chosen = state.language, state.chosen_language
    if state.finished == "sent" and state.topic is not None:
        return Screen("sent", lang, end=True, send=(state.topic, state.text), chosen_language=chosen)
    if state.finished == "cancelled":
        return Screen("cancelled", lang, end=True, chosen_language=chosen)
    if state.finished == "lookup":
        return Screen("status", lang, end=True, lookup=state.ref, chosen_language=chosen)
    if state.notice == "empty_message":
        return Screen("empty_message", lang, chosen_language=chosen)
    preview = state.text if state.screen == "confirm" else None
    return Screen(state.screen, lang, chosen_language=chosen, notice=state.notice, preview=preview)
