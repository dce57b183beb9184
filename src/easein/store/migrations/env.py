"""Alembic environment: the engine comes from the caller (`config.attributes`)."""

from __future__ import annotations

from alembic import context

from easein.store.models import every_table

config = context.config
engine = config.attributes["engine"]

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=every_table(),
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
