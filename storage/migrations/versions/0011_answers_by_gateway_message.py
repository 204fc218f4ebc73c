"""An answer sent by SMS names the gateway message it answers, so that a retry is answered once

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 17:30:00.000000

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "0011"
down_revision: Union[str, Sequence[str], None] = "0010"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("outbound_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("answers", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint("uq_outbound_channel_answers", ["channel", "answers"])


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("outbound_messages", schema=None) as batch_op:
        batch_op.drop_constraint("uq_outbound_channel_answers", type_="unique")
        batch_op.drop_column("answers")
