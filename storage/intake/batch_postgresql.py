"""PostgreSQL: a batch of new reports without media in one statement, in autocommit, so in one
round trip. The rows travel as one array a column, so the statement's text is the same for
every batch and the server plans it once per connection."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, text

from storage.intake.sealed import SealedReport, StoredReport

# Every data-modifying part runs exactly once, on the snapshot taken before the statement: the
# final SELECT finds only the reports made before, by an earlier delivery of the same message.
_STORE_BATCH = text(
    """
    WITH incoming AS (
        SELECT * FROM unnest(
            CAST(:report_id AS uuid[]), CAST(:ref AS text[]), CAST(:channel AS text[]),
            CAST(:received_at AS timestamptz[]), CAST(:key_id AS text[]), CAST(:wrapped_key AS bytea[]),
            CAST(:topic_hint AS text[]), CAST(:message_id AS uuid[]), CAST(:external_id AS text[]),
            CAST(:body AS bytea[]), CAST(:pseudonym AS text[]), CAST(:contact_key_id AS text[]),
            CAST(:contact_wrapped_key AS bytea[]), CAST(:contact AS bytea[]), CAST(:seen_at AS timestamptz[])
        ) AS row (
            report_id, ref, channel, received_at, key_id, wrapped_key, topic_hint, message_id,
            external_id, body, pseudonym, contact_key_id, contact_wrapped_key, contact, seen_at
        )
    ),
    fresh AS (
        SELECT * FROM incoming WHERE NOT EXISTS (
            SELECT 1 FROM messages
            WHERE messages.channel = incoming.channel AND messages.external_id = incoming.external_id
        )
    ),
    reporter AS (
        INSERT INTO reporters AS stored (
            pseudonym, language, key_id, wrapped_key, contact, created_at, last_seen_at
        )
        SELECT DISTINCT ON (pseudonym)
            pseudonym, 'en', contact_key_id, contact_wrapped_key, contact, seen_at, seen_at
        FROM fresh ORDER BY pseudonym
        ON CONFLICT (pseudonym) DO UPDATE SET
            last_seen_at = excluded.last_seen_at,
            contact = coalesce(stored.contact, excluded.contact),
            key_id = CASE WHEN stored.contact IS NULL THEN excluded.key_id ELSE stored.key_id END,
            wrapped_key = CASE WHEN stored.contact IS NULL
                THEN excluded.wrapped_key ELSE stored.wrapped_key END,
            stopped_at = CASE WHEN stored.contact IS NULL THEN NULL ELSE stored.stopped_at END
        RETURNING id, pseudonym
    ),
    report AS (
        INSERT INTO reports (
            id, ref, channel, status, received_at, key_id, wrapped_key, topic_hint,
            needs_translation, needs_human_review, reporter_id
        )
        SELECT fresh.report_id, fresh.ref, fresh.channel, 'received', fresh.received_at, fresh.key_id,
            fresh.wrapped_key, fresh.topic_hint, false, false, reporter.id
        FROM fresh JOIN reporter USING (pseudonym)
        RETURNING id
    ),
    message AS (
        INSERT INTO messages (id, channel, external_id, author, body, created_at, report_id)
        SELECT fresh.message_id, fresh.channel, fresh.external_id, 'reporter', fresh.body,
            fresh.received_at, report.id
        FROM fresh JOIN report ON report.id = fresh.report_id
    )
    SELECT messages.channel, messages.external_id, reports.id, reports.ref
    FROM incoming
    JOIN messages ON messages.channel = incoming.channel AND messages.external_id = incoming.external_id
    JOIN reports ON reports.id = messages.report_id
    """
)


def write_in_one_statement(connection: Connection, fresh: Sequence[SealedReport]) -> list[StoredReport]:
    """`fresh` holds each delivery once; what was stored before comes back as it was."""
    rows = connection.execute(_STORE_BATCH, _columns(fresh))
    before = {(row.channel, row.external_id): StoredReport(row.id, row.ref, created=False) for row in rows}
    return [before.get(sealed.delivery) or sealed.stored() for sealed in fresh]


def _columns(fresh: Sequence[SealedReport]) -> dict[str, list[object]]:
    return {
        "report_id": [s.report["id"] for s in fresh],
        "ref": [s.report["ref"] for s in fresh],
        "channel": [s.report["channel"] for s in fresh],
        "received_at": [s.report["received_at"] for s in fresh],
        "key_id": [s.report["key_id"] for s in fresh],
        "wrapped_key": [s.report["wrapped_key"] for s in fresh],
        "topic_hint": [s.report["topic_hint"] for s in fresh],
        "message_id": [s.message["id"] for s in fresh],
        "external_id": [s.message["external_id"] for s in fresh],
        "body": [s.message["body"] for s in fresh],
        "pseudonym": [s.reporter["pseudonym"] for s in fresh],
        "contact_key_id": [s.reporter["key_id"] for s in fresh],
        "contact_wrapped_key": [s.reporter["wrapped_key"] for s in fresh],
        "contact": [s.reporter["contact"] for s in fresh],
        "seen_at": [s.reporter["last_seen_at"] for s in fresh],
    }
