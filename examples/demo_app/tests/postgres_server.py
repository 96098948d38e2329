"""Start a real, throw-away PostgreSQL server for the tests (initdb + pg_ctl)."""

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def _bindir():
    """Where initdb/pg_ctl live: $PG_BINDIR, Debian's newest cluster binaries, or PATH."""
    if os.environ.get("PG_BINDIR"):
        return Path(os.environ["PG_BINDIR"])
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parent.parent.name),
    )
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise RuntimeError("PostgreSQL server binaries not found (install postgresql or set PG_BINDIR)")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    """A PostgreSQL cluster in a temporary directory, listening on 127.0.0.1 only.

    initdb refuses to run as root, so as root the cluster belongs to the 'postgres' user.
    """

    def __init__(self, password="test-password"):
        self.bindir = _bindir()
        self.port = free_port()
        self.user = "app"
        self.password = password
        self.tmp = tempfile.mkdtemp(prefix="demo-pg-")
        self.datadir = os.path.join(self.tmp, "data")
        self._prefix = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.tmp, owner.pw_uid, owner.pw_gid)
            self._prefix = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args, **kwargs):
        return subprocess.run(
            self._prefix + [str(self.bindir / args[0]), *args[1:]],
            check=True,
            capture_output=True,
            text=True,
            **kwargs,
        )

    def start(self):
        pwfile = os.path.join(self.tmp, "pw")
        with open(pwfile, "w") as handle:
            handle.write(self.password)
        if self._prefix:
            shutil.chown(pwfile, "postgres")
        self._run(
            "initdb", "-D", self.datadir, "-U", self.user, "--pwfile", pwfile,
            "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8",
        )
        os.unlink(pwfile)
        options = f"-h 127.0.0.1 -p {self.port} -k {self.tmp} -c fsync=off"
        self._run("pg_ctl", "-D", self.datadir, "-o", options, "-w", "-l",
                  os.path.join(self.tmp, "log"), "start")
        return self

    def url(self, dbname="postgres"):
        return f"postgres://{self.user}:{self.password}@127.0.0.1:{self.port}/{dbname}"

    def stop(self):
        try:
            self._run("pg_ctl", "-D", self.datadir, "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)
