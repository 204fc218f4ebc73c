"""Fault injection: signed webhooks arrive at a web instance while Redis is killed, the worker
is SIGKILLed, or the database is cut off for a few seconds. Afterwards every report answered
2xx is stored once and triaged, acknowledged exactly once (by the webhook's answer, carrying
the report's reference; triage writes again only to emergencies), nothing is left `received`,
and the test prints how long recovery took."""

from __future__ import annotations

import random
import subprocess
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from storage.models import Case, Message, OutboundMessage, Report
from tests.processes import Processes, TcpProxy, post_twilio_sms, shared_secrets, wait_until

pytestmark = [
    pytest.mark.services,
    pytest.mark.chaos,
    pytest.mark.parametrize("stack", ["postgresql"], indirect=True),
]
REPORTS = 120
SENDERS = 6
# The share of answered messages the gateway sends again, as gateways do after a timeout.
RESENT = 0.1
FAULT_SECONDS = 3.0
RECOVERY_LIMIT_SECONDS = 45.0
GATEWAY_ATTEMPTS = 30
# Messages arrive at this pace, so that the load spans the fault.
MESSAGES_PER_SECOND = 20
COLUMNS = (
    "fault",
    "sent",
    "answered",
    "refused",
    "stored",
    "duplicates",
    "cases",
    "acknowledgements",
    "stuck",
    "recovery s",
)


@dataclass
class Gateway:
    """Twilio as it behaves toward a web instance: each message retried until it is answered
    2xx, and some answered ones sent again."""

    base_url: str
    answered: set[str] = field(default_factory=set)
    # The reference each message's first 2xx answer carried.
    acknowledged: dict[str, str | None] = field(default_factory=dict)
    failures: int = 0
    resent: int = 0

    def deliver(self, n: int, not_before: float) -> None:
        time.sleep(max(0.0, not_before - time.monotonic()))
        sid = f"SM{uuid.uuid4().hex}"
        text = f"Polisi walimpiga kijana soko la Gikomba jana kundi {n}"
        sender = f"+2547{n:08d}"
        for _ in range(GATEWAY_ATTEMPTS):
            answer = post_twilio_sms(self.base_url, text, sender, sid)
            if 200 <= answer.status < 300:
                self.answered.add(sid)
                self.acknowledged[sid] = answer.ref
                if random.random() < RESENT:
                    self.resent += 1
                    post_twilio_sms(self.base_url, text, sender, sid)
                return
            self.failures += 1
            time.sleep(0.5)


@dataclass(frozen=True)
class Outcome:
    stored: int
    duplicates: int
    cases: int
    acknowledgements: int
    acknowledged_again: int
    stuck: int
    unsent: int
    answered_missing: int

    @property
    def settled(self) -> bool:
        return self.stuck == 0 and self.unsent == 0 and self.cases == self.stored


def outcome(runtime, gateway: Gateway) -> Outcome:
    with runtime.store.transaction() as session:
        stored = session.scalar(select(func.count()).select_from(Report)) or 0
        rows = session.execute(select(Message.external_id, Report.ref).join(Message.report))
        refs = {sid: ref for sid, ref in rows}
        sids = set(refs)
        later_acknowledgements = OutboundMessage.kind.startswith("acknowledgement")
        return Outcome(
            stored=stored,
            duplicates=stored - len(sids),
            cases=session.scalar(select(func.count()).select_from(Case)) or 0,
            acknowledgements=sum(
                1 for sid, ref in gateway.acknowledged.items() if ref and refs.get(sid) == ref
            ),
            acknowledged_again=session.scalar(select(func.count()).where(later_acknowledgements)) or 0,
            stuck=session.scalar(select(func.count()).where(Report.status == "received")) or 0,
            unsent=session.scalar(select(func.count()).where(OutboundMessage.status == "pending")) or 0,
            answered_missing=len(gateway.answered - sids),
        )


def triaged(runtime) -> int:
    with runtime.store.transaction() as session:
        return session.scalar(select(func.count()).where(Report.status == "triaged")) or 0


@pytest.fixture
def chaos_config(app_config, own_redis, database_proxy) -> dict[str, str]:
    """The web instance and the worker reach PostgreSQL through the proxy, and Redis on a
    server of this test's own; the sweeps run every two seconds."""
    database = make_url(app_config["DATABASE_URL"]).set(port=database_proxy.port)
    config = {k: v for k, v in app_config.items() if k != "SAUTI_MASTER_KEYS_FILE"} | shared_secrets()
    return config | {
        "DATABASE_URL": database.render_as_string(hide_password=False),
        "REDIS_URL": own_redis[0],
        "SAUTI_SWEEP_INTERVAL_SECONDS": "2",
        "SAUTI_SWEEP_GRACE_SECONDS": "3",
    }


@dataclass
class Stage:
    """What a fault can act on: the processes, the Redis server, the database proxy."""

    processes: Processes
    config: dict[str, str]
    redis: tuple[str, list[subprocess.Popen[bytes]], Callable[[], subprocess.Popen[bytes]]]
    proxy: TcpProxy
    worker: subprocess.Popen[bytes] | None = None


def kill_redis(stage: Stage) -> Callable[[], None]:
    _, servers, start = stage.redis
    servers[-1].kill()
    servers[-1].wait()
    return lambda: servers.append(start())


def kill_worker(stage: Stage) -> Callable[[], None]:
    assert stage.worker is not None
    stage.worker.kill()
    stage.worker.wait()

    def restart() -> None:
        """What a restart policy does."""
        stage.worker = stage.processes.worker(stage.config, "worker-restarted")

    return restart


def cut_database(stage: Stage) -> Callable[[], None]:
    stage.proxy.cut()
    return stage.proxy.restore


FAULTS = {"redis killed": kill_redis, "worker SIGKILLed": kill_worker, "database cut": cut_database}


@pytest.mark.parametrize("fault", FAULTS)
def test_nothing_is_lost_or_doubled_when(
    fault, app, runtime, chaos_config, own_redis, database_proxy, processes, capsys
):
    stage = Stage(processes, chaos_config, own_redis, database_proxy)
    gateway = Gateway(processes.web(chaos_config, "web"))
    stage.worker = processes.worker(chaos_config, "worker")

    with ThreadPoolExecutor(max_workers=SENDERS) as pool:
        start = time.monotonic()
        deliveries = [
            pool.submit(gateway.deliver, n, start + n / MESSAGES_PER_SECOND) for n in range(REPORTS)
        ]
        wait_until(lambda: triaged(runtime) > 0, 60, "the first report triaged")
        heal = FAULTS[fault](stage)
        time.sleep(FAULT_SECONDS)
        heal()
        healed_at = time.monotonic()
        for delivery in deliveries:
            delivery.result()
    wait_until(lambda: outcome(runtime, gateway).settled, RECOVERY_LIMIT_SECONDS, "recovery")
    recovery = time.monotonic() - healed_at
    result = outcome(runtime, gateway)

    with capsys.disabled():
        print_table(fault, gateway, result, recovery)
    assert len(gateway.answered) == REPORTS
    assert result.answered_missing == 0
    assert result.stored == len(gateway.answered)
    assert result.duplicates == 0
    assert result.cases == result.stored
    assert result.acknowledgements == result.stored
    assert result.acknowledged_again == 0
    assert result.stuck == 0
    assert stage.worker.poll() is None


def print_table(fault: str, gateway: Gateway, result: Outcome, recovery: float) -> None:
    values = (
        fault,
        REPORTS,
        len(gateway.answered),
        gateway.failures,
        result.stored,
        result.duplicates,
        result.cases,
        result.acknowledgements,
        result.stuck,
        f"{recovery:.1f}",
    )
    print()
    widths = [max(len(column), len(str(value))) for column, value in zip(COLUMNS, values, strict=True)]
    print(" | ".join(f"{column:>{width}}" for column, width in zip(COLUMNS, widths, strict=True)))
    print(" | ".join(f"{value!s:>{width}}" for value, width in zip(values, widths, strict=True)))
    print(f"  refused: attempts answered other than 2xx, retried; {gateway.resent} answered ones resent;")
    print("  recovery: seconds from the fault's end until every report is triaged and acknowledged")
