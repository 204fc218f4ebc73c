"""Each outbound message is sealed with a data key of its own, and an answer to a number not
kept carries that number, so that erasing the reporter's number leaves it readable until sent

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 01:20:00.000000

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "0014"
down_revision: Union[str, Sequence[str], None] = "0013"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("outbound_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("key_id", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("wrapped_key", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("recipient", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("outbound_messages", schema=None) as batch_op:
        batch_op.drop_column("recipient")
        batch_op.drop_column("wrapped_key")
        batch_op.drop_column("key_id")
