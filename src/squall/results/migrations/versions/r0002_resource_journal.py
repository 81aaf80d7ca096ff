"""The resource journal: one row per cloud resource squall creates, written before
the create call, completed after it and marked when the resource is deleted.

No foreign key to ``runs``: deleting a run's results must not lose the record of
what it may have left in a cloud.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "resource_journal",
        sa.Column("id", _BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.String(32), nullable=False),
        sa.Column("cloud", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("resource_id", sa.String(255), nullable=True),
        sa.Column("project_id", sa.String(255), nullable=True),
        sa.Column("parent_id", sa.String(255), nullable=True),
        sa.Column("scope", sa.String(64), nullable=True),
        sa.Column("created_at", sa.Double(), nullable=False),
        sa.Column("deleted_at", sa.Double(), nullable=True),
    )
    op.create_index("ix_resource_journal_run_state", "resource_journal", ["run_id", "state"])
    op.create_index("ix_resource_journal_resource", "resource_journal", ["resource_id"])


def downgrade() -> None:
    op.drop_index("ix_resource_journal_resource", table_name="resource_journal")
    op.drop_index("ix_resource_journal_run_state", table_name="resource_journal")
    op.drop_table("resource_journal")
