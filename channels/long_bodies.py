"""A resident's message longer than a report keeps (MAX_BODY_CHARS) is kept all the same: cut
after a whole word, with a mark that shows it was cut. Refused, it would be lost, since a
gateway does not retry a 400."""

from __future__ import annotations

import re
import sys

from channels.web import MAX_BODY_CHARS, Field

# A body of any length is read: the app refuses a request larger than it accepts (413) before
# any field is, and what is longer than MAX_BODY_CHARS is cut, not refused.
BODY_FIELD = Field(sys.maxsize, free_text=True)
CUT_MARK = " [...]"
ROOM = MAX_BODY_CHARS - len(CUT_MARK)
# The longest start of a body that fits before the mark and ends where a word does.
WHOLE_WORDS = re.compile(rf"(.{{1,{ROOM}}})(?=\s)", re.DOTALL)


def cut_to_keep(body: str) -> str:
    """The body whole when it fits MAX_BODY_CHARS; else its start, cut after the last whole
    word that fits (within a word too long for that), and CUT_MARK."""
    if len(body) <= MAX_BODY_CHARS:
        return body
    words = WHOLE_WORDS.match(body)
    start = words.group(1).rstrip() if words else ""
    return (start or body[:ROOM]) + CUT_MARK
