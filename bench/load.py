"""A count-bounded HTTP load generator: sends each prepared request exactly once over a fixed
number of keep-alive connections and measures every latency."""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class LoadResult:
    requests: int
    seconds: float
    latencies_ms: list[float]
    not_ok: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    @classmethod
    def combined(cls, results: list[LoadResult]) -> LoadResult:
        return cls(
            requests=sum(r.requests for r in results),
            seconds=sum(r.seconds for r in results),
            latencies_ms=[latency for r in results for latency in r.latencies_ms],
            not_ok=sum(r.not_ok for r in results),
        )

    def percentile(self, share: float) -> float:
        return statistics.quantiles(self.latencies_ms, n=1000)[round(share * 1000) - 1]


def run_load(
    host: str, port: int, path: str, bodies: list[tuple[dict[str, str], bytes]], concurrency: int
) -> LoadResult:
    """POST every (headers, body) once to host:port/path from `concurrency` connections."""
    return asyncio.run(_run(host, port, path, bodies, concurrency))


async def _run(
    host: str, port: int, path: str, bodies: list[tuple[dict[str, str], bytes]], concurrency: int
) -> LoadResult:
    pending = list(reversed(bodies))
    latencies: list[float] = []
    failures = [0]
    started = time.perf_counter()
    await asyncio.gather(
        *(_connection(host, port, path, pending, latencies, failures) for _ in range(concurrency))
    )
    return LoadResult(len(latencies), time.perf_counter() - started, latencies, failures[0])


async def _connection(host, port, path, pending, latencies, failures) -> None:  # type: ignore[no-untyped-def]
    reader, writer = await asyncio.open_connection(host, port)
    while pending:
        headers, body = pending.pop()
        head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        request = f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Length: {len(body)}\r\n{head}\r\n"
        sent = time.perf_counter()
        writer.write(request.encode() + body)
        status, close = await _read_response(reader)
        latencies.append((time.perf_counter() - sent) * 1000)
        failures[0] += status != 200
        if close:
            writer.close()
            reader, writer = await asyncio.open_connection(host, port)
    writer.close()


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    status_line = await reader.readline()
    status = int(status_line.split()[1])
    length, close = 0, False
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode().partition(":")
        if name.lower() == "content-length":
            length = int(value)
        elif name.lower() == "connection" and value.strip().lower() == "close":
            close = True
    await reader.readexactly(length)
    return status, close
