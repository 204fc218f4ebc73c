"""gunicorn.conf.py, plus a clock on the steps of a request: each worker adds up the CPU its
threads spend inside each step (thread CPU time, so a wait for the commit counts nothing) and
writes the sums to SAUTI_STEPS_DIR as it exits, leaving out its first SAUTI_STEPS_SKIP requests
(a server that has served before). For `bench/intake_steps.py`."""

from __future__ import annotations

import functools
import importlib
import json
import os
import runpy
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

_serving = runpy.run_path(str(Path(__file__).parent.parent / "gunicorn.conf.py"))
globals().update({name: value for name, value in _serving.items() if not name.startswith("__")})

BATCHES = "writing batches"
# (module, attribute path, what the step is), outermost first.
STEPS = [
    ("flask", "Flask.wsgi_app", "the whole app"),
    ("flask", "Flask.dispatch_request", "the view"),
    ("channels.twilio", "verify_twilio_signature", "reading the form, checking the signature"),
    ("channels.twilio", "inbound_from_twilio", "reading the gateway's fields"),
    ("channels.conversation", "parse_command", "reading a command"),
    ("channels.conversation", "reply_language", "the reply language"),
    ("storage.intake.reports", "seal_report", "sealing"),
    ("storage.intake.committer", "Committer.store", "handing in, waking, writing"),
    ("storage.intake.committer", "write_batch", BATCHES),
    ("channels.conversation", "_stored", "queueing triage, the answer"),
]
WHOLE = STEPS[0][2]
_spent: Counter[str] = Counter()
_calls: Counter[str] = Counter()
_warm = False


def post_worker_init(worker: object) -> None:
    _serving["post_worker_init"](worker)
    for module_name, path, label in STEPS:
        owner: Any = importlib.import_module(module_name)
        *parents, name = path.split(".")
        for parent in parents:
            owner = getattr(owner, parent)
        setattr(owner, name, _clocked(getattr(owner, name), label))


def _clocked(step: Callable[..., Any], label: str) -> Callable[..., Any]:
    @functools.wraps(step)
    def clocked(*args: Any, **kwargs: Any) -> Any:
        started = time.thread_time()
        try:
            return step(*args, **kwargs)
        finally:
            _spent[label] += time.thread_time() - started
            _calls[label] += 1
            if label == WHOLE and not _warm and _calls[WHOLE] >= int(os.environ["SAUTI_STEPS_SKIP"]):
                _start_counting()

    return clocked


def _start_counting() -> None:
    global _warm
    _warm = True
    _spent.clear()
    _calls.clear()


def worker_exit(server: object, worker: object) -> None:
    sums = {"spent": dict(_spent), "calls": dict(_calls)}
    Path(os.environ["SAUTI_STEPS_DIR"], f"{os.getpid()}.json").write_text(json.dumps(sums))
