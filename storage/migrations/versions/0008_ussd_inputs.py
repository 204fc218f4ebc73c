"""Where each input of a USSD session ended: a `*` typed in a report stays in it

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 10:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('ussd_inputs',
    sa.Column('session_id', sa.String(length=64), nullable=False),
    sa.Column('ends_at', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('session_id', 'ends_at')
    )
    with op.batch_alter_table('ussd_inputs', schema=None) as batch_op:
        batch_op.create_index('ix_ussd_inputs_seen_at', ['seen_at'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('ussd_inputs', schema=None) as batch_op:
        batch_op.drop_index('ix_ussd_inputs_seen_at')
    op.drop_table('ussd_inputs')
