"""Monitor samples and fault events: the resilience timeline of a run.

One row per probe result (``monitor_samples``) and per phase of each fault
(``fault_events``), both deleted with their run.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _run_id() -> sa.Column[str]:
    return sa.Column(
        "run_id", sa.String(32), sa.ForeignKey("runs.id", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "monitor_samples",
        sa.Column("id", _BIG_ID, primary_key=True, autoincrement=True),
        _run_id(),
        sa.Column("monitor", sa.String(64), nullable=False),
        sa.Column("target", sa.String(255), nullable=False),
        sa.Column("at", sa.Double(), nullable=False),
        sa.Column("lag", sa.Double(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("latency", sa.Double(), nullable=True),
        sa.Column("value", sa.Double(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
    )
    op.create_index("ix_monitor_samples_run", "monitor_samples", ["run_id", "monitor", "target"])
    op.create_table(
        "fault_events",
        sa.Column("id", _BIG_ID, primary_key=True, autoincrement=True),
        _run_id(),
        sa.Column("disruptor", sa.String(255), nullable=False),
        sa.Column("target", sa.String(255), nullable=False),
        sa.Column("phase", sa.String(16), nullable=False),
        sa.Column("at", sa.Double(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
    )
    op.create_index("ix_fault_events_run", "fault_events", ["run_id"])


def downgrade() -> None:
    op.drop_index("ix_fault_events_run", table_name="fault_events")
    op.drop_table("fault_events")
    op.drop_index("ix_monitor_samples_run", table_name="monitor_samples")
    op.drop_table("monitor_samples")
