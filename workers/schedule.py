"""Periodic jobs, for `rq cron workers/schedule.py` (and started by `flask worker`)."""

from rq import cron

from storage import Settings
from workers.anchors import anchor_audit_chain
from workers.jobs import sweep_outbox, sweep_received, sweep_request_windows
from workers.media import sweep_attachments
from workers.retention import apply_retention_policy
from workers.sla import sweep_sla

SWEEP_INTERVAL_SECONDS = Settings.from_env().sweep_interval_seconds

cron.register(sweep_received, "maintenance", interval=SWEEP_INTERVAL_SECONDS)
cron.register(sweep_outbox, "maintenance", interval=SWEEP_INTERVAL_SECONDS)
cron.register(sweep_attachments, "maintenance", interval=SWEEP_INTERVAL_SECONDS)
cron.register(sweep_sla, "maintenance", interval=SWEEP_INTERVAL_SECONDS)
cron.register(sweep_request_windows, "maintenance", interval=SWEEP_INTERVAL_SECONDS)
cron.register(anchor_audit_chain, "maintenance", cron="0 * * * *")
cron.register(apply_retention_policy, "maintenance", cron="30 2 * * *")
