"""A reporter's follow-up waits to be read by triage, which may make its case more urgent

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 03:30:00.000000

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "0010"
down_revision: Union[str, Sequence[str], None] = "0009"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("awaiting_triage", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_index(
        "ix_messages_awaiting_triage",
        "messages",
        ["created_at"],
        unique=False,
        postgresql_where=sa.text("awaiting_triage"),
        sqlite_where=sa.text("awaiting_triage"),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index("ix_messages_awaiting_triage", table_name="messages")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_column("awaiting_triage")
