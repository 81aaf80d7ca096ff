"""Data-plane runs: one row per run, one per test repetition with its merged figures.

``dataplane_tests.data`` is the repetition as ``squall.dataplane.results.test_dict``
renders it (totals, encoded HdrHistograms with their percentiles, intervals, pairs,
hosts, matrix, flagged hosts). Owned by ``squall.dataplane.store``.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "dataplane_runs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("provider", sa.String(32), nullable=False),
        sa.Column("network_mode", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("started_at", sa.Double(), nullable=False),
        sa.Column("finished_at", sa.Double(), nullable=True),
        sa.Column("plan", sa.Text(), nullable=False),
        sa.Column("environment", sa.Text(), nullable=False),
        sa.Column("agents", sa.Text(), nullable=False),
        sa.Column("rejected_messages", sa.Integer(), nullable=False),
    )
    op.create_index("ix_dataplane_runs_started", "dataplane_runs", ["started_at"])
    op.create_table(
        "dataplane_tests",
        sa.Column("id", _BIG_ID, primary_key=True, autoincrement=True),
        sa.Column(
            "run_id",
            sa.String(32),
            sa.ForeignKey("dataplane_runs.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("test", sa.String(64), nullable=False),
        sa.Column("tool", sa.String(64), nullable=False),
        sa.Column("repetition", sa.Integer(), nullable=False),
        sa.Column("partial", sa.Boolean(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
    )
    op.create_index("ix_dataplane_tests_run", "dataplane_tests", ["run_id", "position"])


def downgrade() -> None:
    op.drop_index("ix_dataplane_tests_run", table_name="dataplane_tests")
    op.drop_table("dataplane_tests")
    op.drop_index("ix_dataplane_runs_started", table_name="dataplane_runs")
    op.drop_table("dataplane_runs")
