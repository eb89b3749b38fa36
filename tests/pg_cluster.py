"""A throwaway PostgreSQL cluster for the tests and the benchmarks, on loopback only.

``start(folder)`` makes a cluster in ``folder`` with Debian's PostgreSQL binaries
(``initdb``, ``pg_ctl``), as a non-root user (the ``postgres`` account when run as
root: the server refuses root), listening on 127.0.0.1 at a free port and on a unix
socket in ``folder``, trusting local connections only; it returns the URL of its
``postgres`` database. ``stop(folder)`` stops it. Standard library only: CI runs it
before anything is installed::

    python3 tests/pg_cluster.py start DIR [--durable]   # prints the URL
    python3 tests/pg_cluster.py stop DIR

A test cluster trades durability for speed (no fsync); ``durable`` keeps fsync on and
only makes commits asynchronous, like the SQLite store's ``synchronous=NORMAL``: the
setting the benchmarks measure.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
from pathlib import Path

__all__ = ["binaries", "start", "stop"]

SERVER_USER = "postgres"  # the account a cluster runs as when we are root


def binaries() -> Path | None:
    """The folder of initdb and pg_ctl, newest version first; None when PostgreSQL is not installed."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent  # Debian links some tools elsewhere; its own folder has them all
    folders = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]), reverse=True)
    for folder in folders:
        if (Path(folder) / "initdb").exists():
            return Path(folder)
    return None


def _as_server_user(argv: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return argv
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", SERVER_USER, "--", *argv]
    return ["su", SERVER_USER, "-s", "/bin/sh", "-c", " ".join(f"'{a}'" for a in argv)]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(folder: Path, *, durable: bool = False) -> str:
    """Initialise and start a cluster in ``folder`` (made if missing); its URL.

    Raises RuntimeError (with the server's own words) when it cannot be started."""
    bindir = binaries()
    if bindir is None:
        raise RuntimeError("PostgreSQL is not installed (no initdb/pg_ctl found)")
    folder = Path(folder).resolve()
    data = folder / "data"
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        try:
            account = pwd.getpwnam(SERVER_USER)
        except KeyError:
            raise RuntimeError(f"running as root and there is no '{SERVER_USER}' account to run the server") from None
        for parent in [folder, *folder.parents]:  # the server's account must reach its folder
            if parent == Path("/"):
                break
            parent.chmod(parent.stat().st_mode | 0o711)
        os.chown(folder, account.pw_uid, account.pw_gid)
    port = _free_port()
    settings = [
        "listen_addresses='127.0.0.1'",
        f"port={port}",
        f"unix_socket_directories='{folder}'",
        "max_connections=100",
        "shared_buffers=128MB",
        "synchronous_commit=off",
        "log_min_messages=warning",
        "deadlock_timeout=200ms",
    ]
    if not durable:
        settings += ["fsync=off", "full_page_writes=off"]
    run = _as_server_user
    subprocess.run(
        run([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"]),
        check=True,
        capture_output=True,
        text=True,
    )
    with (data / "postgresql.conf").open("a", encoding="utf-8") as conf:
        conf.write("\n".join(settings) + "\n")
    started = subprocess.run(
        run([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"), "-w", "-t", "60", "start"]),
        capture_output=True,
        text=True,
    )
    if started.returncode != 0:
        log = (folder / "server.log").read_text(encoding="utf-8", errors="replace")[-2000:]
        raise RuntimeError(f"the PostgreSQL server did not start: {started.stderr.strip()}\n{log}")
    (folder / "url").write_text(f"postgresql://postgres@127.0.0.1:{port}/postgres\n", encoding="utf-8")
    return f"postgresql://postgres@127.0.0.1:{port}/postgres"


def stop(folder: Path) -> None:
    """Stop the cluster in ``folder`` (fast shutdown); nothing if none runs there."""
    bindir = binaries()
    data = Path(folder).resolve() / "data"
    if bindir is None or not (data / "postmaster.pid").exists():
        return
    subprocess.run(
        _as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
        capture_output=True,
        text=True,
    )


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in ("start", "stop"):
        sys.exit("usage: pg_cluster.py start|stop DIR [--durable]")
    if sys.argv[1] == "start":
        try:
            print(start(Path(sys.argv[2]), durable="--durable" in sys.argv[3:]))
        except (RuntimeError, subprocess.CalledProcessError, OSError) as exc:
            detail = getattr(exc, "stderr", "") or ""
            sys.exit(f"cannot start PostgreSQL: {exc} {detail}".strip())
    else:
        stop(Path(sys.argv[2]))
