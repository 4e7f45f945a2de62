"""Case lifecycle: child, stages, pauses, learning actions, notes, token scopes.

Current route, service area, flags, stage and due date are copied onto `cases` for the
queue; existing rows are filled from their latest triage. Existing service tokens get the
bot's scopes only (create cases, check status): deny by default.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 07:29:50.664533
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_causes",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("cause", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_causes_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("case_id", "cause", name=op.f("pk_case_causes")),
    )
    with op.batch_alter_table("case_causes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_causes_cause"), ["cause"], unique=False)

    op.create_table(
        "case_stages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("route", sa.String(length=32), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("working_days", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("extended_working_days", sa.Integer(), nullable=True),
        sa.Column("extended_to", sa.Date(), nullable=True),
        sa.Column("extension_reason", sa.Text(), nullable=True),
        sa.Column("paused_days", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("paused_on", sa.Date(), nullable=True),
        sa.Column("panel_on", sa.Date(), nullable=True),
        sa.Column("report_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("closed_reason", sa.String(length=32), nullable=True),
        sa.Column("request_due_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_stages_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_stages")),
    )
    with op.batch_alter_table("case_stages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_stages_case_id"), ["case_id"], unique=False)

    op.create_table(
        "children",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("age_band", sa.String(length=32), nullable=True),
        sa.Column("details", sa.Text(), nullable=True),
        sa.Column("gender", sa.String(length=64), nullable=True),
        sa.Column("ethnicity", sa.String(length=64), nullable=True),
        sa.Column("disability", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_children_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_children")),
        sa.UniqueConstraint("case_id", name=op.f("uq_children_case_id")),
    )
    op.create_table(
        "learning_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_learning_actions_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_actions")),
    )
    with op.batch_alter_table("learning_actions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_learning_actions_case_id"), ["case_id"], unique=False)

    op.create_table(
        "notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_notes_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notes")),
    )
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notes_case_id"), ["case_id"], unique=False)

    op.create_table(
        "stage_pauses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("paused_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("resumed_on", sa.Date(), nullable=True),
        sa.Column("resume_reason", sa.Text(), nullable=True),
        sa.Column("working_days", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["stage_id"],
            ["case_stages.id"],
            name=op.f("fk_stage_pauses_stage_id_case_stages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stage_pauses")),
    )
    with op.batch_alter_table("stage_pauses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stage_pauses_stage_id"), ["stage_id"], unique=False)

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=16), nullable=False, server_default="complaint")
        )
        batch_op.add_column(sa.Column("received_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("route", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("service_area", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("safeguarding", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("needs_review", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(sa.Column("stage", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("due_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("acknowledge_due_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("assignee_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("team", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("not_considered_reason", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("advocacy_offered", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("advocacy_taken_up", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_cases_assignee_id"), ["assignee_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_route"), ["route"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_service_area"), ["service_area"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_stage"), ["stage"], unique=False)
        batch_op.create_index("ix_cases_status_due_on", ["status", "due_on"], unique=False)
        batch_op.create_index(
            "ix_cases_urgency",
            ["safeguarding", "needs_review", "due_on", "created_at"],
            unique=False,
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_cases_assignee_id_officers"), "officers", ["assignee_id"], ["id"]
        )

    with op.batch_alter_table("complainants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("detail", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("advocate_organisation", sa.String(length=200), nullable=True)
        )
        batch_op.add_column(sa.Column("consent_recorded", sa.Boolean(), nullable=True))
        batch_op.add_column(
            sa.Column("consent_recorded_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("email_key", sa.String(length=320), nullable=True))
        batch_op.add_column(sa.Column("phone_key", sa.String(length=40), nullable=True))
        batch_op.create_index(batch_op.f("ix_complainants_email_key"), ["email_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_complainants_phone_key"), ["phone_key"], unique=False)

    with op.batch_alter_table("service_tokens", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "scopes",
                sa.JSON(),
                nullable=False,
                server_default='["cases:create", "status:check"]',
            )
        )
        batch_op.add_column(sa.Column("officer_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_service_tokens_officer_id"), ["officer_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_service_tokens_officer_id_officers"), "officers", ["officer_id"], ["id"]
        )

    _backfill()


def _backfill() -> None:
    """Fill the new summary columns of existing cases from their latest triage."""
    bind = op.get_bind()
    cases = sa.table(
        "cases",
        sa.column("id", sa.Integer),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("received_on", sa.Date),
        sa.column("route", sa.String),
        sa.column("service_area", sa.String),
        sa.column("safeguarding", sa.Boolean),
        sa.column("needs_review", sa.Boolean),
    )
    triage = sa.table(
        "triage_results",
        sa.column("id", sa.Integer),
        sa.column("case_id", sa.Integer),
        sa.column("route", sa.String),
        sa.column("service_area", sa.String),
        sa.column("safeguarding", sa.Boolean),
        sa.column("needs_review", sa.Boolean),
        sa.column("causes", sa.JSON),
    )
    complainants = sa.table(
        "complainants",
        sa.column("id", sa.Integer),
        sa.column("email", sa.String),
        sa.column("phone", sa.String),
        sa.column("email_key", sa.String),
        sa.column("phone_key", sa.String),
    )
    causes = sa.table(
        "case_causes", sa.column("case_id", sa.Integer), sa.column("cause", sa.String)
    )
    latest = {}
    for row in bind.execute(sa.select(triage).order_by(triage.c.id)):
        latest[row.case_id] = row
    for row in bind.execute(sa.select(cases.c.id, cases.c.created_at)):
        values = {"received_on": row.created_at.date() if row.created_at else None}
        result = latest.get(row.id)
        if result is not None:
            values.update(
                route=result.route,
                service_area=result.service_area,
                safeguarding=bool(result.safeguarding),
                needs_review=bool(result.needs_review),
            )
            for cause in sorted(set(result.causes or [])):
                bind.execute(sa.insert(causes).values(case_id=row.id, cause=cause))
        bind.execute(sa.update(cases).where(cases.c.id == row.id).values(**values))
    for row in bind.execute(sa.select(complainants)):
        email_key = row.email.strip().lower() if row.email else None
        digits = "".join(ch for ch in (row.phone or "") if ch.isdigit()) or None
        bind.execute(
            sa.update(complainants)
            .where(complainants.c.id == row.id)
            .values(email_key=email_key, phone_key=digits)
        )


def downgrade() -> None:
    with op.batch_alter_table("service_tokens", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_service_tokens_officer_id_officers"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_service_tokens_officer_id"))
        batch_op.drop_column("officer_id")
        batch_op.drop_column("scopes")

    with op.batch_alter_table("complainants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complainants_phone_key"))
        batch_op.drop_index(batch_op.f("ix_complainants_email_key"))
        batch_op.drop_column("phone_key")
        batch_op.drop_column("email_key")
        batch_op.drop_column("consent_recorded_at")
        batch_op.drop_column("consent_recorded")
        batch_op.drop_column("advocate_organisation")
        batch_op.drop_column("detail")

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_cases_assignee_id_officers"), type_="foreignkey")
        batch_op.drop_index("ix_cases_urgency")
        batch_op.drop_index("ix_cases_status_due_on")
        batch_op.drop_index(batch_op.f("ix_cases_stage"))
        batch_op.drop_index(batch_op.f("ix_cases_service_area"))
        batch_op.drop_index(batch_op.f("ix_cases_route"))
        batch_op.drop_index(batch_op.f("ix_cases_assignee_id"))
        batch_op.drop_column("anonymised_at")
        batch_op.drop_column("closed_at")
        batch_op.drop_column("advocacy_taken_up")
        batch_op.drop_column("advocacy_offered")
        batch_op.drop_column("not_considered_reason")
        batch_op.drop_column("team")
        batch_op.drop_column("assignee_id")
        batch_op.drop_column("acknowledged_at")
        batch_op.drop_column("acknowledge_due_on")
        batch_op.drop_column("due_on")
        batch_op.drop_column("stage")
        batch_op.drop_column("needs_review")
        batch_op.drop_column("safeguarding")
        batch_op.drop_column("service_area")
        batch_op.drop_column("route")
        batch_op.drop_column("received_on")
        batch_op.drop_column("kind")

    with op.batch_alter_table("stage_pauses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stage_pauses_stage_id"))

    op.drop_table("stage_pauses")
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notes_case_id"))

    op.drop_table("notes")
    with op.batch_alter_table("learning_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_learning_actions_case_id"))

    op.drop_table("learning_actions")
    op.drop_table("children")
    with op.batch_alter_table("case_stages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_stages_case_id"))

    op.drop_table("case_stages")
    with op.batch_alter_table("case_causes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_causes_cause"))

    op.drop_table("case_causes")
