"""Which deadline of a case was missed, kept when an escalation or reclassification moves it;
how long its urgency gives to resolve it, and the panel that held it when it went late

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 23:50:00.000000

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "0009"
down_revision: Union[str, Sequence[str], None] = "0008"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("acknowledge_missed", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("resolve_missed", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("resolve_within", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("late_panel_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_cases_late_panel_id_panels", "panels", ["late_panel_id"], ["id"])
    # How long each case's urgency gives to resolve it, as its deadline now stands.
    if op.get_bind().dialect.name == "postgresql":
        within = "CAST(EXTRACT(EPOCH FROM resolve_due_at - opened_at) AS INTEGER)"
    else:
        within = "CAST((julianday(resolve_due_at) - julianday(opened_at)) * 86400 AS INTEGER)"
    op.execute(f"UPDATE cases SET resolve_within = {within}")


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_constraint("fk_cases_late_panel_id_panels", type_="foreignkey")
        batch_op.drop_column("late_panel_id")
        batch_op.drop_column("resolve_within")
        batch_op.drop_column("resolve_missed")
        batch_op.drop_column("acknowledge_missed")
