"""Alembic environment of stalker_core.

Runs with the connection put in ``config.attributes["connection"]`` by
:mod:`stalker_core.db.migrate`, or with ``sqlalchemy.url`` of the config.
"""

from __future__ import annotations

from alembic import context

from stalker_core.db.engine import make_engine
from stalker_core.db.migrate import migration_options
from stalker_core.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    """Emit SQL to stdout (``--sql``) without a database connection."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        **migration_options(None),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations on a live connection."""
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(
            connection=connection, target_metadata=target_metadata,
            **migration_options(connection.dialect.name),
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    with engine.connect() as conn:
        context.configure(
            connection=conn, target_metadata=target_metadata,
            **migration_options(conn.dialect.name),
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
