"""How gunicorn serves Sauti: `gunicorn wsgi:app` (or `gunicorn -w N wsgi:app`) reads this file
from the working directory, so no flag needs remembering.

Threaded workers: a webhook spends most of its time waiting for its report's group commit,
and the threads of one process share that commit (`storage/intake/committer.py`)."""

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


def post_worker_init(worker: object) -> None:
    """Each worker loads what a webhook reads before it accepts a request, not in its first ones."""
    from channels.web import load_what_webhooks_read

    load_what_webhooks_read()
