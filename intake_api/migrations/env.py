"""Alembic environment: the URL and metadata come from the running Flask app.

Run through `flask --app intake_api db-upgrade` (or `db-revision`), which provide the
app context.
"""

from __future__ import annotations

from alembic import context
from flask import current_app

config = context.config
extension = current_app.extensions["sqlalchemy"]
target_metadata = extension.metadata


def run_migrations_offline() -> None:
    """Write SQL instead of running it (`alembic upgrade --sql`)."""
    context.configure(
        url=str(extension.engine.url.render_as_string(hide_password=False)),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations on the app's engine."""
    with extension.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode rebuilds a table by copying it and dropping the old one; with
            # foreign keys on, that drop would cascade and delete the rows pointing at it
            # (triage results, events, idempotency keys). SQLite ignores this pragma
            # inside a transaction, so it is set before one begins.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            # SQLite cannot ALTER most things; batch mode copies the table instead.
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
