"""The Alembic migration creates exactly the tables the models declare."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import create_engine

import models
from bot import create_app
from bot.cli.database import upgrade_schema


def test_migration_matches_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    app = create_app({"app": {"env": "testing"}, "database": {"url": url}})
    with app.app_context():
        upgrade_schema()
        upgrade_schema()  # safe to run twice
    engine = create_engine(url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), models.metadata)
    assert diff == [], "stale migration: run scripts/regen_initial_migration.py"
    assert set(models.metadata.tables) <= set(inspect(engine).get_table_names())


def test_init_db_command_is_safe_to_run_twice(tmp_path):
    app = create_app({"app": {"env": "testing"}, "database": {"url": f"sqlite:///{tmp_path / 'cli.db'}"}})
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["init-db"])
        assert result.exit_code == 0, result.output
