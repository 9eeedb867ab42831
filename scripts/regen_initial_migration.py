"""Regenerate migrations/versions/0001_initial.py from the current models.

Until the first city deployment there is exactly one migration, rebuilt from
the models whenever a table changes (deterministic: running it twice gives
the same file).  After the first deployment, add incremental revisions
instead (``alembic revision --autogenerate``) and retire this script.
"""
from __future__ import annotations

import sys
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlmodel import create_engine

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    target = ROOT / "migrations" / "versions" / "0001_initial.py"
    target.unlink(missing_ok=True)
    engine = create_engine("sqlite://")
    cfg = Config()
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.attributes["engine"] = engine
    command.revision(cfg, message="initial schema", autogenerate=True, rev_id="0001")
    produced = next((ROOT / "migrations" / "versions").glob("0001_*.py"))
    text = produced.read_text()
    lines = [ln for ln in text.splitlines() if not ln.startswith("Create Date:")]
    produced.unlink()
    target.write_text("\n".join(lines) + "\n")
    print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
