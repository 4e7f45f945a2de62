"""The Rasa server's conversation store: Rasa's SQL tracker store, with SQLite set up for chat.

Loaded by the Rasa server (`.venv-bot`) from `bot/endpoints.yml`
(`type: bot.tracker_store.ConversationStore`); it imports Rasa and SQLAlchemy only, never
the action server's code, `triage` or `intake_api`.

Rasa saves the conversation after every message. With SQLite's defaults (rollback journal,
`synchronous=FULL`) each save waits for the disk to flush two or three times: about 5 ms of
every turn on our machines. In write-ahead-log mode with `synchronous=NORMAL` a save is
durable when Rasa or the whole server process stops or crashes (what "a restart loses no
conversation" needs); only a power cut or an operating-system crash can lose the last
moments. PostgreSQL, the production store, is left exactly as Rasa configures it.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy import event, orm, pool

#: Pragmas applied to every SQLite connection the store opens.
SQLITE_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL")


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


class ConversationStore(SQLTrackerStore):
    """`SQLTrackerStore` that puts SQLite in write-ahead-log mode; other databases as is."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            # SQLAlchemy 1.4 opens and closes a SQLite connection per session, and closing
            # the last connection checkpoints the log (another flush). Keep connections open.
            url = self.engine.url
            self.engine.dispose()
            self.engine = sa.create_engine(
                url, poolclass=pool.QueuePool, connect_args={"check_same_thread": False}
            )
            event.listen(self.engine, "connect", _tune_sqlite)
            self.sessionmaker = orm.sessionmaker(bind=self.engine)
