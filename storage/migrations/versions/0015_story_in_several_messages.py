"""A number's messages sent together are parts of one story, added to the report the first made

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 01:30:00.000000

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "0015"
down_revision: Union[str, Sequence[str], None] = "0014"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("reporters", schema=None) as batch_op:
        batch_op.add_column(sa.Column("story_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("story_parts", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("reporters", schema=None) as batch_op:
        batch_op.drop_column("story_parts")
        batch_op.drop_column("story_until")
