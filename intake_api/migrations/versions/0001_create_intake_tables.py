"""Create the intake tables: cases, complainants, triage, events, officers, tokens.

Revision ID: 0001
Revises:
Create Date: 2026-11-27 07:09:32.258892
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "complainants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complainants")),
    )
    op.create_table(
        "officers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_officers")),
        sa.UniqueConstraint("email", name=op.f("uq_officers_email")),
    )
    op.create_table(
        "service_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_service_tokens_token_hash")),
    )
    op.create_index(op.f("ix_service_tokens_name"), "service_tokens", ["name"])
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("conversation_id", sa.String(length=200), nullable=True),
        sa.Column("complainant_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("status_secret_hash", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["complainant_id"],
            ["complainants.id"],
            name=op.f("fk_cases_complainant_id_complainants"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("reference", name=op.f("uq_cases_reference")),
    )
    op.create_index(op.f("ix_cases_complainant_id"), "cases", ["complainant_id"])
    op.create_index(op.f("ix_cases_conversation_id"), "cases", ["conversation_id"])
    op.create_index(op.f("ix_cases_created_at"), "cases", ["created_at"])
    op.create_index(op.f("ix_cases_status"), "cases", ["status"])
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_events_case_id_cases"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    op.create_index(op.f("ix_events_action"), "events", ["action"])
    op.create_index(op.f("ix_events_at"), "events", ["at"])
    op.create_index(op.f("ix_events_case_id"), "events", ["case_id"])
    op.create_table(
        "idempotency_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_idempotency_keys_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_keys")),
        sa.UniqueConstraint("key", name=op.f("uq_idempotency_keys_key")),
    )
    op.create_index(op.f("ix_idempotency_keys_case_id"), "idempotency_keys", ["case_id"])
    op.create_table(
        "triage_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("route", sa.String(length=32), nullable=False),
        sa.Column("causes", sa.JSON(), nullable=False),
        sa.Column("service_area", sa.String(length=64), nullable=False),
        sa.Column("safeguarding", sa.Boolean(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("needs_review", sa.Boolean(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("model_version", sa.String(length=100), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_triage_results_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["officers.id"], name=op.f("fk_triage_results_officer_id_officers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_triage_results")),
    )
    op.create_index(op.f("ix_triage_results_case_id"), "triage_results", ["case_id"])
    op.create_index(op.f("ix_triage_results_needs_review"), "triage_results", ["needs_review"])
    op.create_index(op.f("ix_triage_results_route"), "triage_results", ["route"])
    op.create_index(op.f("ix_triage_results_safeguarding"), "triage_results", ["safeguarding"])


def downgrade() -> None:
    op.drop_index(op.f("ix_triage_results_safeguarding"), table_name="triage_results")
    op.drop_index(op.f("ix_triage_results_route"), table_name="triage_results")
    op.drop_index(op.f("ix_triage_results_needs_review"), table_name="triage_results")
    op.drop_index(op.f("ix_triage_results_case_id"), table_name="triage_results")
    op.drop_table("triage_results")
    op.drop_index(op.f("ix_idempotency_keys_case_id"), table_name="idempotency_keys")
    op.drop_table("idempotency_keys")
    op.drop_index(op.f("ix_events_case_id"), table_name="events")
    op.drop_index(op.f("ix_events_at"), table_name="events")
    op.drop_index(op.f("ix_events_action"), table_name="events")
    op.drop_table("events")
    op.drop_index(op.f("ix_cases_status"), table_name="cases")
    op.drop_index(op.f("ix_cases_created_at"), table_name="cases")
    op.drop_index(op.f("ix_cases_conversation_id"), table_name="cases")
    op.drop_index(op.f("ix_cases_complainant_id"), table_name="cases")
    op.drop_table("cases")
    op.drop_index(op.f("ix_service_tokens_name"), table_name="service_tokens")
    op.drop_table("service_tokens")
    op.drop_table("officers")
    op.drop_table("complainants")
