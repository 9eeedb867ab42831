"""Alembic environment: the engine comes from the app (bot.cli.database)."""
from alembic import context

import models

config = context.config
target_metadata = models.metadata


def run() -> None:
    engine = config.attributes["engine"]
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run()
