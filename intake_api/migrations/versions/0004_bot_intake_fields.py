"""Bot intake fields: when it happened, what the person wants, disclosure and hand-off.

New columns for what the assistant now asks: the person's own words for when it happened,
an approximate start date and whether they said it was over 12 months ago (Reg 9), the
outcome they want, the service they named, a danger disclosed during the chat, a request
to speak to a person, the earlier case of the same conversation, and how to contact the
complainant. Existing rows get false for the two flags.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 22:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("events_when_text", sa.String(200), nullable=True))
        batch.add_column(sa.Column("events_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("over_12_months", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("desired_outcome", sa.Text(), nullable=True))
        batch.add_column(sa.Column("service_mentioned", sa.String(500), nullable=True))
        batch.add_column(
            sa.Column(
                "safeguarding_disclosed", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
        batch.add_column(
            sa.Column("handoff_requested", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("related_reference", sa.String(16), nullable=True))
        batch.create_index("ix_cases_related_reference", ["related_reference"])
    with op.batch_alter_table("complainants") as batch:
        batch.add_column(sa.Column("contact_via", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("complainants") as batch:
        batch.drop_column("contact_via")
    with op.batch_alter_table("cases") as batch:
        batch.drop_index("ix_cases_related_reference")
        for column in (
            "related_reference",
            "handoff_requested",
            "safeguarding_disclosed",
            "service_mentioned",
            "desired_outcome",
            "over_12_months",
            "events_on",
            "events_when_text",
        ):
            batch.drop_column(column)
