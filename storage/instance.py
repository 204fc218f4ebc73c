"""Files in the instance folder: written atomically and readable by their owner only, under a
lock shared by every process of this host, and the development secrets kept there."""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class DevelopmentSecrets:
    """Random secrets generated on first use and kept in a 0600 file under the instance folder."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def get(self, name: str) -> str:
        # Several processes (gunicorn workers, a worker, the CLI) may start at once; each must
        # end up with the same secret, so the read-generate-write happens under a file lock.
        with file_lock(self.path):
            values = self._read()
            if name not in values:
                values[name] = secrets.token_urlsafe(32)
                write_private_file(self.path, json.dumps(values, indent=2))
        return values[name]

    def _read(self) -> dict[str, str]:
        if not self.path.exists():
            return {}
        loaded: dict[str, str] = json.loads(self.path.read_text())
        return loaded


def write_private_file(path: Path, content: str | bytes) -> None:
    """Write atomically and durably a file only its owner can read, in a folder only its owner
    can enter when the folder is new: once this returns, the file survives a power cut, so a
    commit that names it (and the gateway's copy deleted after) never outlives it."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "wb") as handle:
        handle.write(content.encode() if isinstance(content, str) else content)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Make a file's new name in `folder` durable (a renamed file is not, until its folder is)."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock beside `path` (across processes on this host)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
