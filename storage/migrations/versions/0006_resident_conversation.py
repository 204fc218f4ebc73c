"""Cases whose reporter cannot be reached, counted apart in the monthly summaries; request
windows swept by their start

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 01:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = ('metric_cells', 'metric_scratch')


def upgrade() -> None:
    """Upgrade schema."""
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('unreachable', sa.Integer(), server_default='0', nullable=False))
    op.create_index('ix_request_windows_window_start', 'request_windows', ['window_start'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_request_windows_window_start', table_name='request_windows')
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('unreachable')
