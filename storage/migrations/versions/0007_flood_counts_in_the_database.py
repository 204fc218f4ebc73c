"""Each reporter's new reports this minute, counted where they are written

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 14:15:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('reporters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('minute_started_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('minute_reports', sa.Integer(), server_default='0', nullable=False))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('reporters', schema=None) as batch_op:
        batch_op.drop_column('minute_reports')
        batch_op.drop_column('minute_started_at')
