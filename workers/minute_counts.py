"""How many different messages one number sent this minute, counted while the gateway waits:
in Redis, shared by every web process, or in this process when the app runs without Redis.
Messages are counted by their gateway id, so a gateway retrying one message (as it does while
the database is down) never makes a flood of it. Counting takes no database lock, so it never
stands in the way of the group commit. A count that cannot be made (Redis down) is None, and
the report is stored as any other: a count is never worth a lost report."""

from __future__ import annotations

import logging
import threading
import time
from typing import Protocol

from redis import Redis
from redis.exceptions import RedisError

from storage.settings import Settings

log = logging.getLogger(__name__)
MINUTE = 60


class MinuteCounts(Protocol):
    def add(self, key: str, member: str) -> int | None:
        """Count `member` for `key` this minute, once however often it comes: the number of
        different members so far, or None if it cannot say."""
        ...


# One command, one round trip, while the gateway waits: a pipeline costs more of the web
# process's CPU than the count itself.
ADD_AND_COUNT = """
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
return redis.call('SCARD', KEYS[1])
"""


class RedisMinuteCounts:
    def __init__(self, redis_url: str) -> None:
        self.connection = Redis.from_url(redis_url, socket_connect_timeout=0.5, socket_timeout=1)
        self.add_and_count = self.connection.register_script(ADD_AND_COUNT)

    def add(self, key: str, member: str) -> int | None:
        name = f"sauti:minute:{key}:{_this_minute()}"
        try:
            counted = self.add_and_count(keys=[name], args=[member, 2 * MINUTE])
        except RedisError as error:
            log.warning("minute_count.unavailable", extra={"error": type(error).__name__})
            return None
        return int(counted)


class LocalMinuteCounts:
    def __init__(self) -> None:
        self.members: dict[tuple[str, int], set[str]] = {}
        self.lock = threading.Lock()

    def add(self, key: str, member: str) -> int:
        minute = _this_minute()
        with self.lock:
            if len(self.members) > 10_000:
                self.members = {k: v for k, v in self.members.items() if k[1] == minute}
            counted = self.members.setdefault((key, minute), set())
            counted.add(member)
            return len(counted)


def make_minute_counts(settings: Settings) -> MinuteCounts:
    return RedisMinuteCounts(settings.redis_url) if settings.redis_url else LocalMinuteCounts()


def _this_minute() -> int:
    return int(time.time()) // MINUTE
