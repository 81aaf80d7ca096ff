"""The workload's index in its subtask as the task file has it.

``cloud: all`` (or a list of clouds) makes one workload written once into one per
cloud, numbered in the order of the clouds; ``written_index`` keeps the place it
was written at, so that ``task compare`` pairs workloads whatever the clouds' order.
NULL for the workloads of runs stored before (they are matched by ``workload_index``).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column("workloads", sa.Column("written_index", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("workloads") as batch:
        batch.drop_column("written_index")
