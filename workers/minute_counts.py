"""How many different messages one number sent this minute: in Redis, shared by every web
process, or in this process when the app runs without Redis. Messages are counted by their
gateway id, so a gateway retrying one message (as it does while the database is down) never
makes a flood of it. A whole batch of reports is counted at once, by the group commit, with one
call. A count that cannot be made (Redis down) is None, and the report is stored as any other:
a count is never worth a lost report."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from typing import Protocol

from redis import Redis
from redis.exceptions import RedisError

from storage.intake import Held
from storage.intake.sealed import SealedReport
from storage.settings import Settings

log = logging.getLogger(__name__)
MINUTE = 60
# After Redis fails, how long counting is not tried: a batch must not wait on every attempt.
PAUSE_AFTER_FAILURE_SECONDS = 5.0


class MinuteCounts(Protocol):
    def add(self, counted: Sequence[tuple[str, str]]) -> list[int | None]:
        """Count each (key, member) this minute, a member once however often it comes: for
        each, the number of different members of its key so far, or None if it cannot say."""
        ...


# One call for a whole batch; the counts of one key grow along the batch.
ADD_AND_COUNT = """
local counts = {}
for i, key in ipairs(KEYS) do
    redis.call('SADD', key, ARGV[i])
    redis.call('EXPIRE', key, ARGV[#ARGV])
    counts[i] = redis.call('SCARD', key)
end
return counts
"""


class RedisMinuteCounts:
    def __init__(self, redis_url: str) -> None:
        self.connection = Redis.from_url(redis_url, socket_connect_timeout=0.5, socket_timeout=1)
        self.add_and_count = self.connection.register_script(ADD_AND_COUNT)
        self.paused_until = 0.0

    def add(self, counted: Sequence[tuple[str, str]]) -> list[int | None]:
        if not counted or time.monotonic() < self.paused_until:
            return [None] * len(counted)
        minute = _this_minute()
        keys = [f"sauti:minute:{key}:{minute}" for key, _ in counted]
        try:
            counts = self.add_and_count(keys=keys, args=[*(member for _, member in counted), 2 * MINUTE])
        except RedisError as error:
            self.paused_until = time.monotonic() + PAUSE_AFTER_FAILURE_SECONDS
            log.warning("minute_count.unavailable", extra={"error": type(error).__name__})
            return [None] * len(counted)
        return [int(count) for count in counts]


class LocalMinuteCounts:
    def __init__(self) -> None:
        self.members: dict[tuple[str, int], set[str]] = {}
        self.lock = threading.Lock()

    def add(self, counted: Sequence[tuple[str, str]]) -> list[int | None]:
        minute = _this_minute()
        with self.lock:
            if len(self.members) > 10_000:
                self.members = {k: v for k, v in self.members.items() if k[1] == minute}
            counts: list[int | None] = []
            for key, member in counted:
                members = self.members.setdefault((key, minute), set())
                members.add(member)
                counts.append(len(members))
            return counts


class FloodGate:
    """Holds back the reports of a number past `per_minute` this minute, a batch at a time."""

    def __init__(self, counts: MinuteCounts, per_minute: int) -> None:
        self.counts = counts
        self.per_minute = per_minute

    def held(self, batch: Sequence[SealedReport]) -> list[Held | None]:
        counted = self.counts.add(
            [(f"reports:{sealed.pseudonym}", ":".join(sealed.delivery)) for sealed in batch]
        )
        return [Held(count) if count is not None and count > self.per_minute else None for count in counted]


def make_flood_gate(settings: Settings) -> FloodGate:
    counts = RedisMinuteCounts(settings.redis_url) if settings.redis_url else LocalMinuteCounts()
    return FloodGate(counts, settings.reports_per_minute)


def _this_minute() -> int:
    return int(time.time()) // MINUTE
