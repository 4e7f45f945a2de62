"""Queue indexes: the urgency and due-date orders, column for column.

`GET /api/v1/cases` sorts by (safeguarding DESC, needs_review DESC, due_on ASC NULLS
LAST, created_at DESC, id DESC) or by (due_on, created_at DESC, id DESC); with indexes in
exactly those orders the first page is read off the index instead of sorting every case.
Further indexes let the common filters count their matches from an index alone.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 07:57:29.197658
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_cases_urgency", table_name="cases")
    op.create_index(
        "ix_cases_urgency",
        "cases",
        [
            sa.literal_column("safeguarding DESC"),
            sa.literal_column("needs_review DESC"),
            "due_on",
            sa.literal_column("created_at DESC"),
            sa.literal_column("id DESC"),
        ],
    )
    op.create_index(
        "ix_cases_due",
        "cases",
        ["due_on", sa.literal_column("created_at DESC"), sa.literal_column("id DESC")],
    )
    op.create_index("ix_cases_route_stage", "cases", ["route", "stage"])
    op.create_index("ix_cases_needs_review", "cases", ["needs_review"])
    op.drop_index("ix_case_causes_cause", table_name="case_causes")
    op.create_index("ix_case_causes_cause_case_id", "case_causes", ["cause", "case_id"])


def downgrade() -> None:
    op.drop_index("ix_case_causes_cause_case_id", table_name="case_causes")
    op.create_index("ix_case_causes_cause", "case_causes", ["cause"])
    op.drop_index("ix_cases_needs_review", table_name="cases")
    op.drop_index("ix_cases_route_stage", table_name="cases")
    op.drop_index("ix_cases_due", table_name="cases")
    op.drop_index("ix_cases_urgency", table_name="cases")
    op.create_index(
        "ix_cases_urgency", "cases", ["safeguarding", "needs_review", "due_on", "created_at"]
    )
