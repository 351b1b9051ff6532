"""A throwaway PostgreSQL server for the tests (a pytest plugin, loaded by conftest.py).

``pg_server`` (session scope) runs ``initdb`` into a fresh temporary directory and
``pg_ctl start`` on 127.0.0.1 with a free port and its unix socket in that directory,
and stops and removes it at the end. As root, initdb refuses to run, so the server
runs as the ``postgres`` system user (the directory is chowned to it). ``pg_url``
gives each test a database of its own on that server.

When the server binaries are missing or the server cannot start, every test that
uses these fixtures is SKIPPED with the reason, never silently passed.
Binaries: ``$QUOTES_PG_BIN`` if set, else the newest ``/usr/lib/postgresql/*/bin``,
else ``pg_ctl`` on PATH (Debian: ``apt-get install postgresql``).
"""
from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator

import pytest

_names = itertools.count(1)


def pg_bin_dir() -> Path | None:
    env = os.environ.get("QUOTES_PG_BIN")
    if env:
        return Path(env) if (Path(env) / "pg_ctl").exists() else None

    def version(d: str) -> tuple[int, ...]:
        parts = Path(d).parent.name.split(".")
        return tuple(int(p) for p in parts if p.isdigit())

    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version, reverse=True)
    for d in dirs:
        if (Path(d) / "initdb").exists() and (Path(d) / "pg_ctl").exists():
            return Path(d)
    found = shutil.which("pg_ctl")
    if found and (Path(found).parent / "initdb").exists():
        return Path(found).parent
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    """A running throwaway server; ``create_database()`` returns a SQLAlchemy URL."""

    def __init__(self, bindir: Path, root: Path, as_user: str | None):
        self.bindir, self.root, self.as_user = bindir, root, as_user
        self.data, self.log = root / "data", root / "server.log"
        self.port = 0

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        cmd = list(args)
        if self.as_user:
            cmd = ["runuser", "-u", self.as_user, "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL, cwd=self.root)

    def start(self) -> None:
        r = self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                      "-E", "UTF8", "--locale=C", "--no-sync")
        if r.returncode:
            raise RuntimeError(f"initdb failed: {' '.join((r.stderr or r.stdout).split())[:300]}")
        last = ""
        for _ in range(3):  # the free port can be taken between probing and binding: retry
            self.port = _free_port()
            opts = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                    f"-c synchronous_commit=off -c full_page_writes=off -c max_connections=50")
            r = self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
                          "-o", opts, "-w", "-t", "30", "start")
            if r.returncode == 0:
                return
            last = self.log.read_text(errors="replace")[-300:] if self.log.exists() else r.stderr
        raise RuntimeError(f"pg_ctl start failed: {' '.join(last.split())}")

    def stop(self) -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str | None = None) -> str:
        import psycopg

        name = name or f"quotes_test_{os.getpid()}_{next(_names)}"
        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _start() -> tuple[PgServer | None, str]:
    bindir = pg_bin_dir()
    if bindir is None:
        return None, "PostgreSQL server binaries not found (apt-get install postgresql, or set QUOTES_PG_BIN)"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return None, "the PostgreSQL driver is not installed (pip install 'psycopg[binary]')"
    as_user = None
    if os.geteuid() == 0:  # initdb refuses to run as root
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return None, "running as root and there is no 'postgres' system user to run the server as"
        if shutil.which("runuser") is None:
            return None, "running as root and runuser is missing"
        as_user = "postgres"
    root = Path(tempfile.mkdtemp(prefix="quotes-pg-"))  # under /tmp: reachable by the postgres user
    if as_user:
        shutil.chown(root, user=as_user)
    server = PgServer(bindir, root, as_user)
    try:
        server.start()
    except (RuntimeError, OSError, subprocess.SubprocessError) as e:
        shutil.rmtree(root, ignore_errors=True)
        return None, f"could not start a PostgreSQL server: {e}"
    return server, ""


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    server, reason = _start()
    if server is None:
        pytest.skip(reason)
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.root, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server: PgServer) -> str:
    """A SQLAlchemy URL of a fresh, empty database on the throwaway server."""
    return pg_server.create_database()
