"""How many reports one number sent this minute, counted while the gateway waits: in Redis,
shared by every web process, or in this process when the app runs without Redis. Counting
takes no database lock, so it never stands in the way of the group commit. A count that
cannot be made (Redis down) is None, and the report is stored as any other: a count is never
worth a lost report."""

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
    def add(self, key: str) -> int | None:
        """Count one more for `key` this minute; the count so far, or None if it cannot say."""
        ...


class RedisMinuteCounts:
    def __init__(self, redis_url: str) -> None:
        self.connection = Redis.from_url(redis_url, socket_connect_timeout=0.5, socket_timeout=1)

    def add(self, key: str) -> int | None:
        name = f"sauti:minute:{key}:{_this_minute()}"
        try:
            with self.connection.pipeline() as pipeline:
                pipeline.incr(name)
                pipeline.expire(name, 2 * MINUTE)
                counted, _ = pipeline.execute()
        except RedisError as error:
            log.warning("minute_count.unavailable", extra={"error": type(error).__name__})
            return None
        return int(counted)


class LocalMinuteCounts:
    def __init__(self) -> None:
        self.counts: dict[str, tuple[int, int]] = {}
        self.lock = threading.Lock()

    def add(self, key: str) -> int:
        minute = _this_minute()
        with self.lock:
            if len(self.counts) > 10_000:
                self.counts = {k: v for k, v in self.counts.items() if v[0] == minute}
            counted_minute, counted = self.counts.get(key, (minute, 0))
            counted = counted + 1 if counted_minute == minute else 1
            self.counts[key] = (minute, counted)
            return counted


def make_minute_counts(settings: Settings) -> MinuteCounts:
    return RedisMinuteCounts(settings.redis_url) if settings.redis_url else LocalMinuteCounts()


def _this_minute() -> int:
    return int(time.time()) // MINUTE
