"""The USSD menu as a pure walk over the inputs so far.

Africa's Talking sends every input of the session joined by `*`; replaying them from the
first screen gives the current one without keeping session state on our side."""

from __future__ import annotations

from dataclasses import dataclass, field

from storage.reporter_texts import ussd_text, ussd_topics

PREVIEW_CHARS = 60
# Africa's Talking shows at most this many characters of a screen after "CON " or "END ".
USSD_SCREEN_LIMIT = 182


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


def walk(text: str, language: str) -> Screen:
    state = Walk(language)
    for entry in text.split("*") if text else []:
        _step(state, entry.strip())
        if state.finished:
            break
    return _outcome(state)


def render(screen: Screen, **values: str) -> str:
    """The reply body: `CON …` or `END …`, at most 182 characters after the prefix."""
    body = ussd_text(screen.name, screen.language, **values)
    if screen.notice:
        body = ussd_text(screen.notice, screen.language) + body
    return ("END " if screen.end else "CON ") + body[:USSD_SCREEN_LIMIT]


def confirm_values(text: str, language: str) -> dict[str, str]:
    room = USSD_SCREEN_LIMIT - len(ussd_text("confirm", language, preview=""))
    limit = min(PREVIEW_CHARS, room)
    preview = text if len(text) <= limit else text[: limit - 1] + "…"
    return {"preview": preview}


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
    if entry.isdigit() and 1 <= int(entry) <= len(topics):
        state.topic = topics[int(entry) - 1]
        state.stack.append("message")
    else:
        state.notice = "invalid"


def _on_message(state: Walk, entry: str) -> None:
    if not entry:
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
    return Screen(state.screen, lang, chosen_language=chosen, notice=state.notice)
