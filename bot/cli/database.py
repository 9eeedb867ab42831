"""``init-db``: create or upgrade the schema (Alembic); safe to run twice."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from bot import PROJECT_ROOT, db


def alembic_config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    cfg.attributes["engine"] = db.engine()
    return cfg


def upgrade_schema() -> None:
    from alembic import command

    command.upgrade(alembic_config(), "head")


@click.command("init-db")
@click.option("--demo", is_flag=True, help="Also load the demo community, roster, FAQ and accounts.")
@with_appcontext
def init_db(demo: bool) -> None:
    """Create or upgrade the database schema."""
    if demo and current_app.config["LINLI"]["app"]["env"] == "production":
        # The demo accounts' passwords are in the repository (bot/demo_households.py).
        raise click.ClickException("init-db --demo 在生产环境中被拒绝 (refused in production: the demo accounts' "
                                   "passwords are published in the repository); nothing was written")
    url = db.engine().url.render_as_string(hide_password=True)
    upgrade_schema()
    click.echo(f"数据库已就绪 (database ready): {url}")
    if demo:
        from bot.demo import load_demo

        for line in load_demo(current_app):
            click.echo(line)


commands = [init_db]
