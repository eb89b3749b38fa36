"""`subsidy serve` as an operator starts it: a store that exists, a port that is free, and
`make serve` keeping what was done in the browser."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from helpers_store import ROOT, SAMPLES, proc_env, run


@pytest.fixture
def store(tmp_path: Path, capsys: Any) -> Path:
    db = tmp_path / "store.db"
    assert (
        run(capsys, "screen", SAMPLES / "p1-eligible-demonstration-zone-full-name.yaml", "--db", db, "--quiet")[0] == 0
    )
    return db


def test_serve_refuses_a_store_that_does_not_exist(tmp_path: Path, capsys: Any) -> None:
    typo = tmp_path / "typo.db"
    code, out, err = run(capsys, "serve", "--db", typo, "--port", "0")
    assert code == 2, out + err
    assert "no such store" in err and "subsidy screen" in err and "subsidy migrate" in err
    assert "serving on" not in err and not typo.exists()


def test_serve_on_a_busy_port_is_an_input_error(store: Path, capsys: Any) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        before = dict(os.environ)
        code, out, err = run(capsys, "serve", "--db", store, "--port", str(port))
    assert code == 2, out + err
    assert dict(os.environ) == before  # refused before it set up anything for the server
    assert f"port {port} on 127.0.0.1 is in use" in err and "--port" in err
    assert "serving on" not in err and "Traceback" not in err


def test_serve_answers_on_the_port_it_announced(store: Path, tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with subprocess.Popen(
        [sys.executable, "-m", "engine.cli", "serve", "--db", str(store), "--port", str(port)],
        cwd=tmp_path,
        env=proc_env(),
        stderr=subprocess.PIPE,
        text=True,
    ) as server:
        try:
            assert server.stderr is not None
            assert server.stderr.readline() == f"serving on http://127.0.0.1:{port}/ (Ctrl-C stops)\n"
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
                        assert page.status == 200
                        break
                except OSError:
                    assert server.poll() is None and time.monotonic() < deadline
                    time.sleep(0.2)
            # the load benchmark's plain clients get the sample's answer from it (figures not judged)
            load = subprocess.run(
                [sys.executable, str(ROOT / "bench" / "fixed_rate.py"), f"http://127.0.0.1:{port}",
                 "--seconds", "1", "--rate", "20", "--clients", "2"],
                capture_output=True, text=True, timeout=120, env=proc_env(),
            )  # fmt: skip
            assert load.returncode == 0, load.stderr
            assert load.stdout.rstrip().endswith("; 0 failed"), load.stdout
            assert not load.stdout.startswith("fixed 20 req/s, 2 plain clients: 0 requests"), load.stdout
        finally:
            server.send_signal(signal.SIGINT)
            assert server.wait(timeout=30) == 0


def _make_plan(tmp_path: Path, target: str) -> str:
    """What `make TARGET` would run in a checkout whose venv is installed (make -n)."""
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / ".venv").mkdir(exist_ok=True)
    stamp = tmp_path / ".venv" / ".installed"
    stamp.write_text("")
    os.utime(stamp, (time.time() + 10, time.time() + 10))
    done = subprocess.run(["make", "-n", target], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="no make here")
def test_make_serve_keeps_the_demo_store_and_make_demo_starts_afresh(tmp_path: Path) -> None:
    fresh = _make_plan(tmp_path, "serve")
    assert "subsidy screen applications --db demo.db" in fresh and "subsidy serve --db demo.db" in fresh
    (tmp_path / "demo.db").write_text("")
    kept = _make_plan(tmp_path, "serve")
    assert "rm " not in kept and "subsidy screen" not in kept and "subsidy serve --db demo.db" in kept
    demo = _make_plan(tmp_path, "demo")
    assert "rm -f demo.db" in demo and "subsidy screen applications --db demo.db" in demo


def test_connections_to_the_served_port_send_at_once() -> None:
    """uvicorn is handed the listening socket by descriptor and then leaves TCP_NODELAY unset on
    its connections: each answer sat 40 ms behind Nagle and the client's delayed ACK. The
    listening socket carries the option, and a connection it accepts inherits it."""
    from engine.cli.web import _listening

    with _listening("127.0.0.1", 0) as listener:
        listener.listen(1)
        with socket.create_connection(listener.getsockname()):
            accepted, _ = listener.accept()
            with accepted:
                assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
