"""Sauti's processes as an operator runs them, for tests that need real ones: gunicorn on a
socket the test bound first (no race for a port), `flask worker`, and signed webhooks sent to
them over HTTP."""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import psutil

from tests.fixtures.webhooks import AT_SECRET, twilio_form, twilio_signature

PROJECT = Path(__file__).resolve().parent.parent
REFERENCE = re.compile(r"\b([2-9A-Z]{3}-[2-9A-Z]{3})\b")


def shared_secrets() -> dict[str, str]:
    """One set of secrets from the environment, as every host of one installation has."""
    key = base64.urlsafe_b64encode(os.urandom(32)).decode()
    return {
        "SAUTI_MASTER_KEYS": f"k1:{key}",
        "SAUTI_PEPPER": secrets.token_urlsafe(32),
        "SECRET_KEY": secrets.token_urlsafe(32),
    }


@dataclass
class Processes:
    """Every process a test started, stopped at its end."""

    folder: Path
    started: list[subprocess.Popen[bytes]] = field(default_factory=list)
    sockets: list[socket.socket] = field(default_factory=list)

    def web(self, config: dict[str, str], name: str) -> str:
        """A gunicorn instance with an instance folder of its own; its base URL."""
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(128)
        self.sockets.append(listener)
        command = [sys.executable, "-m", "gunicorn", "--workers", "1", "--threads", "4"]
        command += ["--bind", f"fd://{listener.fileno()}", "wsgi:app"]
        env = config | {"SAUTI_INSTANCE_PATH": str(self.folder / name), "PUBLIC_BASE_URL": "http://localhost"}
        self._start(command, env, name, pass_fds=(listener.fileno(),))
        return f"http://127.0.0.1:{listener.getsockname()[1]}"

    def worker(self, config: dict[str, str], name: str, *options: str) -> subprocess.Popen[bytes]:
        """`flask worker`, as systemd or a container would start it."""
        command = [sys.executable, "-m", "flask", "--app", "wsgi", "worker", *options]
        return self._start(command, config | {"SAUTI_INSTANCE_PATH": str(self.folder / name)}, name)

    def stop(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.terminate()
        for process in self.started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for listener in self.sockets:
            listener.close()

    def _start(
        self, command: list[str], env: dict[str, str], name: str, pass_fds: tuple[int, ...] = ()
    ) -> subprocess.Popen[bytes]:
        with (self.folder / f"{name}.log").open("ab") as log:
            process = subprocess.Popen(
                command,
                env=os.environ | env,
                cwd=PROJECT,
                stdout=log,
                stderr=subprocess.STDOUT,
                pass_fds=pass_fds,
            )
        self.started.append(process)
        return process


@dataclass(frozen=True)
class Answer:
    status: int
    ref: str | None


def post_twilio_sms(base_url: str, body: str, sender: str, sid: str | None = None) -> Answer:
    """A signed Twilio SMS webhook, as Twilio sends it."""
    form = twilio_form(body, sender, sid or "SM" + uuid.uuid4().hex)
    return _post(f"{base_url}/channels/twilio/sms", form, {"X-Twilio-Signature": twilio_signature(form)})


def post_africastalking_sms(base_url: str, body: str, sender: str, message_id: str | None = None) -> Answer:
    """An Africa's Talking SMS callback carrying the shared secret."""
    form = {
        "from": sender,
        "to": "22384",
        "text": body,
        "date": "2026-11-30 10:00:00",
        "id": message_id or "ATXid_" + uuid.uuid4().hex,
        "linkId": "",
    }
    return _post(f"{base_url}/channels/africastalking/sms?secret={AT_SECRET}", form, {})


def _post(url: str, form: dict[str, str], headers: dict[str, str]) -> Answer:
    request = Request(url, data=urlencode(form).encode(), headers=headers)
    try:
        with urlopen(request, timeout=15) as response:
            match = REFERENCE.search(response.read().decode())
            return Answer(response.status, match.group(1) if match else None)
    except HTTPError as error:
        return Answer(error.code, None)
    except (URLError, OSError):
        return Answer(0, None)


def get_json(url: str, token: str) -> tuple[int, dict[str, object]]:
    request = Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urlopen(request, timeout=15) as response:
            return response.status, json.loads(response.read())
    except HTTPError as error:
        return error.code, {}


def is_alive(process: psutil.Process) -> bool:
    """Running still: neither gone nor a zombie waiting to be reaped."""
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def wait_until(condition: Callable[[], bool], seconds: float, what: str | Callable[[], str]) -> float:
    """Poll until the condition holds; how long it took. Fails saying what did not happen (told
    as it stands then, when `what` is a function)."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if condition():
            return time.monotonic() - started
        time.sleep(0.2)
    raise AssertionError(f"{what() if callable(what) else what} within {seconds} s")


class TcpProxy:
    """A TCP proxy in front of a server (PostgreSQL) that the test can cut: every connection
    through it is dropped, and new ones are refused, until it is restored; or stall: every
    connection is kept and new ones taken, but nothing goes through, as a hung server looks to
    its clients."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(128)
        self.port = int(self.listener.getsockname()[1])
        self.open: set[socket.socket] = set()
        self.lock = threading.Lock()
        self.cut_off = threading.Event()
        self.closed = threading.Event()
        self.flowing = threading.Event()
        self.flowing.set()
        threading.Thread(target=self._accept, daemon=True).start()

    def cut(self) -> None:
        self.cut_off.set()
        with self.lock:
            for connection in self.open:
                with suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
            self.open.clear()

    def restore(self) -> None:
        self.cut_off.clear()

    @contextmanager
    def stalled(self) -> Iterator[None]:
        """Nothing goes through while inside; what was held back goes on after."""
        self.flowing.clear()
        try:
            yield
        finally:
            self.flowing.set()

    def close(self) -> None:
        self.closed.set()
        self.flowing.set()
        self.cut()
        self.listener.close()

    def _accept(self) -> None:
        while not self.closed.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.cut_off.is_set():
                client.close()
                continue
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self.lock:
                self.open.update((client, server))
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            with suppress(OSError):  # either end closing is the end of the pump
                while chunk := source.recv(65536):
                    self.flowing.wait()
                    sink.sendall(chunk)
        finally:
            for end in (source, sink):
                with suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
            with self.lock:
                self.open.discard(source)
            source.close()
