"""What a process needs to serve and to run jobs: settings, the store, routing rules, the SLA
policy, the gateways and the dispatcher.

A runtime is built in two places only: `create_app` (one per app) and the worker (one per
worker process). It is then bound to the context that uses it: a request or command of that
app, a thread of its in-process worker, or the worker's process. `current()` reads that
binding; nothing is process-global, so two apps in one process never see each other's."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass
from pathlib import Path

import triage
from storage import Settings, Store
from workers.dispatch import Dispatcher, make_dispatcher
from workers.gateways import Gateways

# Saved by an admin in the instance folder; each replaces the shipped default when present.
ROUTING_FILE = "routing.yaml"
SLA_FILE = "sla.yaml"


@dataclass
class Runtime:
    settings: Settings
    store: Store
    routing: triage.Routing
    sla: triage.SlaPolicy
    gateways: Gateways
    dispatcher: Dispatcher


_bound: ContextVar[Runtime] = ContextVar("sauti_runtime")


class NoRuntimeError(RuntimeError):
    """Code that needs the runtime ran outside an app, a worker or a `bound` block."""


def build_runtime(settings: Settings, *, background: bool = True) -> Runtime:
    """`background` is for serving processes: without Redis their jobs run on threads of their
    own, and with Redis the ids they enqueue linger a moment to leave together."""
    runtime = Runtime(
        settings=settings,
        store=Store.from_settings(settings),
        routing=triage.load_routing(instance_rules(settings, ROUTING_FILE)),
        sla=triage.load_sla_policy(instance_rules(settings, SLA_FILE)),
        gateways=Gateways.from_settings(settings),
        dispatcher=make_dispatcher(settings, background=background),
    )
    runtime.dispatcher.attach(lambda: bound(runtime), background=background)
    return runtime


def current() -> Runtime:
    """The runtime bound to this context."""
    try:
        return _bound.get()
    except LookupError:
        raise NoRuntimeError(
            "no Sauti runtime here: run inside the app, a worker, or `with bound(runtime)`"
        ) from None


def bind(runtime: Runtime) -> Token[Runtime]:
    """Bind the runtime to this context until `unbind` is given the token (an app context),
    or for the rest of the thread (a worker's)."""
    return _bound.set(runtime)


def unbind(token: Token[Runtime]) -> None:
    _bound.reset(token)


@contextmanager
def bound(runtime: Runtime) -> Iterator[Runtime]:
    """Bind the runtime for the length of a block."""
    token = bind(runtime)
    try:
        yield runtime
    finally:
        unbind(token)


def instance_rules(settings: Settings, name: str) -> Path | None:
    """The instance folder's copy of a rules file, or None to use the shipped default."""
    path = settings.instance_path / name
    return path if path.is_file() else None


def reload_rules(runtime: Runtime) -> None:
    """Take up the routing rules and SLA policy as they are now on disk."""
    runtime.routing = triage.load_routing(instance_rules(runtime.settings, ROUTING_FILE))
    runtime.sla = triage.load_sla_policy(instance_rules(runtime.settings, SLA_FILE))
