"""A throwaway PostgreSQL server for tests and benchmarks (initdb + pg_ctl on loopback).

Used when no ``STALKER_TEST_PG_URL`` is given. When running as root the
cluster is created and run as the ``postgres`` system user, as PostgreSQL
refuses to run as root.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from stalker_core.config import env_value
from stalker_core.exceptions import DatabaseError

PG_BIN_DIRS = ("/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/local/bin")


def find_pg_bin() -> Path:
    """Return the directory holding ``initdb`` and ``pg_ctl``."""
    env = env_value("STALKER_PG_BIN")
    candidates = ([env] if env else []) + list(PG_BIN_DIRS)
    for c in candidates:
        if c and (Path(c) / "initdb").exists():
            return Path(c)
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise DatabaseError(
        "PostgreSQL server binaries (initdb, pg_ctl) not found; install the Debian package "
        "'postgresql' or set STALKER_TEST_PG_URL to an existing server"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresServer:
    """A private PostgreSQL cluster on 127.0.0.1; use as a context manager."""

    def __init__(self) -> None:
        self.bin = find_pg_bin()
        self.port = _free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="stalker-pg-"))
        self.data = self.dir / "data"
        self.as_root = hasattr(os, "geteuid") and os.geteuid() == 0
        self.user = "postgres"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = list(args)
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, check=True, capture_output=True, text=True)

    @property
    def url(self) -> str:
        """SQLAlchemy URL of the ``postgres`` database."""
        return f"postgresql+psycopg2://{self.user}@127.0.0.1:{self.port}/postgres"

    def url_for(self, dbname: str) -> str:
        """SQLAlchemy URL of database ``dbname`` on this server."""
        return f"postgresql+psycopg2://{self.user}@127.0.0.1:{self.port}/{dbname}"

    def start(self) -> PostgresServer:
        """Create the cluster and start the server; wait until it accepts connections."""
        if self.as_root:
            shutil.chown(self.dir, "postgres", "postgres")
        else:
            import getpass

            self.user = getpass.getuser()
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", self.user,
            "-E", "UTF8", "--no-sync",
        )
        opts = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200"
        )
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", opts, "-l",
            str(self.dir / "log"), "-w", "start",
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.1)
        raise DatabaseError(f"PostgreSQL did not start; see {self.dir / 'log'}")

    def restart(self, mode: str = "fast") -> None:
        """Restart the server (its clients' connections are cut), keeping the cluster.

        :param mode: ``pg_ctl``'s shutdown mode: ``fast`` (what an administrator's
            restart does) or ``immediate`` (like a crash).
        """
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w",
                  "-l", str(self.dir / "log"), "restart")

    def stop(self) -> None:
        """Stop the server and remove the cluster."""
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def database_url(url: str, name: str) -> str:
    """Return ``url`` pointing at database ``name`` on the same server."""
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


def create_database(admin_url: str, template: str | None = None) -> tuple[str, str]:
    """Create a uniquely named database (optionally from ``template``).

    :param admin_url: URL of a database on the server with CREATE DATABASE rights.
    :returns: ``(name, url)`` of the new database.
    """
    import uuid

    from sqlalchemy import create_engine, text

    name = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            tpl = f' TEMPLATE "{template}"' if template else ""
            conn.execute(text(f'CREATE DATABASE "{name}"{tpl}'))
    finally:
        admin.dispose()
    return name, database_url(admin_url, name)


def drop_database(admin_url: str, name: str) -> None:
    """Drop database ``name``, disconnecting its remaining sessions."""
    from sqlalchemy import create_engine, text

    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
