"""What a process needs to run jobs: settings, the store, triage data, the dispatcher and the
gateways. Built once per process, from the environment unless the app installs its own."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import triage
from storage import Settings, Store
from workers.gateways import Gateways

if TYPE_CHECKING:
    from workers.dispatch import Dispatcher


@dataclass
class Runtime:
    settings: Settings
    store: Store
    routing: triage.Routing
    sla: triage.SlaPolicy
    gateways: Gateways
    dispatcher: Dispatcher


_current: Runtime | None = None
_lock = threading.Lock()
# Saved by an admin in the instance folder; each replaces the shipped default when present.
ROUTING_FILE = "routing.yaml"
SLA_FILE = "sla.yaml"


def build_runtime(settings: Settings, *, background: bool = True) -> Runtime:
    from workers.dispatch import make_dispatcher

    return Runtime(
        settings=settings,
        store=Store.from_settings(settings),
        routing=triage.load_routing(instance_rules(settings, ROUTING_FILE)),
        sla=triage.load_sla_policy(instance_rules(settings, SLA_FILE)),
        gateways=Gateways.from_settings(settings),
        dispatcher=make_dispatcher(settings, background=background),
    )


def instance_rules(settings: Settings, name: str) -> Path | None:
    """The instance folder's copy of a rules file, or None to use the shipped default."""
    path = settings.instance_path / name
    return path if path.is_file() else None


def reload_rules(runtime: Runtime) -> None:
    """Take up the routing rules and SLA policy as they are now on disk."""
    runtime.routing = triage.load_routing(instance_rules(runtime.settings, ROUTING_FILE))
    runtime.sla = triage.load_sla_policy(instance_rules(runtime.settings, SLA_FILE))


def install(runtime: Runtime) -> None:
    global _current
    _current = runtime


def current() -> Runtime:
    """The process's runtime; an RQ worker builds it from the environment on first use."""
    global _current
    with _lock:
        if _current is None:
            _current = build_runtime(Settings.from_env(), background=False)
        return _current
