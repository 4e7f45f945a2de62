"""Deferred triage: a case may be committed with triage pending, for the triage worker.

`triage_state` says where each case is with triage (pending, done, failed, not_needed);
`triage_attempts` and `triage_retry_at` let the worker retry a failure with a back-off.
A partial index holds the pending cases only, so the worker's poll is one tiny index scan.
Existing cases are marked done when they have a triage result, not_needed when they are
compliments, and failed otherwise (as before: an officer triages them by hand).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 23:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("triage_state", sa.String(16), nullable=True))
        batch.add_column(
            sa.Column("triage_attempts", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("triage_retry_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(
        "UPDATE cases SET triage_state = CASE "
        "WHEN EXISTS (SELECT 1 FROM triage_results t WHERE t.case_id = cases.id) THEN 'done' "
        "WHEN kind = 'compliment' THEN 'not_needed' ELSE 'failed' END"
    )
    op.create_index(
        "ix_cases_triage_pending",
        "cases",
        ["id"],
        postgresql_where=sa.text("triage_state = 'pending'"),
        sqlite_where=sa.text("triage_state = 'pending'"),
    )


def downgrade() -> None:
    op.drop_index("ix_cases_triage_pending", table_name="cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("triage_retry_at")
        batch.drop_column("triage_attempts")
        batch.drop_column("triage_state")
