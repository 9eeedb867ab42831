"""A throwaway PostgreSQL cluster on loopback, and small process helpers, for bench/stack.py."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, seconds: float) -> bool:
    limit = time.monotonic() + seconds
    while time.monotonic() < limit:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return True
        except OSError:
            time.sleep(0.1)
    return False


def alive(pid: int) -> bool:
    """Running (a zombie nobody reaps, as in a container without an init, counts as gone)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if found:
        return found[-1]
    initdb = shutil.which("initdb")
    if not initdb:
        raise RuntimeError("PostgreSQL's initdb not found (apt-get install postgresql)")
    return Path(initdb).parent


class Postgres:
    """A throwaway cluster: ``start()``, ``restart()``, ``stop()``; url for psycopg and SQLAlchemy."""

    def __init__(self, workdir: Path):
        self.dir = workdir / "pg"
        self.data = self.dir / "data"
        self.bin = pg_bin()
        self.port = free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # initdb refuses root: the postgres user runs the cluster
            self.as_user = ["runuser", "-u", "postgres", "--"]

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    @property
    def dsn(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def init(self) -> None:
        self.dir.mkdir(parents=True)
        if self.as_user:
            for parent in [self.dir, *self.dir.parents]:
                if parent == Path("/"):
                    break
                os.chmod(parent, os.stat(parent).st_mode | 0o711)
            shutil.chown(self.dir, "postgres")
        subprocess.run([*self.as_user, str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
                        "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.start()

    def pg_ctl(self, *args: str, check: bool = True) -> None:
        subprocess.run([*self.as_user, str(self.bin / "pg_ctl"), "-D", str(self.data), *args], check=check,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def start(self) -> None:
        # fsync off: the faults crash PostgreSQL, never the machine, so the OS keeps what was written.
        # synchronous_commit stays on: off, a crash (immediate stop) forgets the last commits
        # (the first fault run here lost 2 acknowledged messages that way).
        opts = (f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories={self.dir} "
                "-c fsync=off -c full_page_writes=off -c max_connections=300")
        self.pg_ctl("-l", str(self.dir / "server.log"), "-w", "-t", "60", "-o", opts, "start")

    def restart(self, *, down_s: float = 0.0) -> None:
        """Stop at once (``-m immediate``: like a crash), stay down ``down_s``, start again."""
        self.pg_ctl("-m", "immediate", "-w", "stop")
        time.sleep(down_s)
        self.start()

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.pg_ctl("-m", "immediate", "-w", "stop", check=False)
