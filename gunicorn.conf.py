"""How gunicorn serves Sauti: `gunicorn wsgi:app` (or `gunicorn -w N wsgi:app`) reads this file
from the working directory, so no flag needs remembering.

Threaded workers: a webhook spends most of its time waiting for its report's group commit,
and the threads of one process share that commit (`storage/intake/committer.py`)."""

import ctypes
import os

bind = os.environ.get("SAUTI_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("SAUTI_THREADS", "16"))
# A gateway gives up after about 15 s; a request still running after 30 s is stuck.
timeout = 30
graceful_timeout = 30
keepalive = 5
backlog = 2048
# No control socket (`gunicornc`): by default every instance of a user shares one in its home
# folder, which the systemd unit's ProtectHome=true makes unwritable.
control_socket_disable = True
# glibc gives a thread that allocates while another does an arena of its own, and seldom hands
# back what was freed in it. Every thread of a worker in turn writes a group commit, so each
# held an arena: a worker on SQLite peaked some 20 MB higher. Two arenas keep it in its budget.
MALLOC_ARENAS = 2
M_ARENA_MAX = -8  # glibc's malloc.h


def post_fork(server: object, worker: object) -> None:
    """In each worker, before its threads start."""
    limit_malloc_arenas(MALLOC_ARENAS)


def limit_malloc_arenas(arenas: int) -> bool:
    """Cap the arenas this process's threads allocate from, where the C library is glibc."""
    try:
        glibc = os.confstr("CS_GNU_LIBC_VERSION")
    except (ValueError, OSError):
        glibc = None
    return bool(glibc) and bool(ctypes.CDLL(None).mallopt(M_ARENA_MAX, arenas))


def post_worker_init(worker: object) -> None:
    """Each worker loads what a webhook reads before it accepts a request, not in its first ones."""
    from channels.web import load_what_webhooks_read

    load_what_webhooks_read()
