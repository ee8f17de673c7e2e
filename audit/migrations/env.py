"""Alembic environment: the engine comes from the caller (audit.db.upgrade), never from a config file."""

from __future__ import annotations

from alembic import context

from audit.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        raise RuntimeError("audit.db.upgrade() passes the engine; alembic's command line is not used here")
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
