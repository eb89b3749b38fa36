"""Load on the self-check API: locust, headless, on loopback, bounded in time.

Starts ``subsidy serve`` on a new store on 127.0.0.1 (a free port), then runs three
phases against ``POST /api/v1/check`` with a sample application:

1. **throughput** — 50 concurrent clients, each posting as fast as answers come, for
   ``--seconds`` (default 60): requests per second and latency percentiles;
2. **fixed rate** — 100 requests per second for ``--seconds``: 10 clients at 10/s each,
   started 0.1 s apart so that requests arrive evenly (every 10 ms), not in bursts;
   latency percentiles at that rate;
3. **fixed rate, plain clients** — the same 100 requests per second from ``bench/fixed_rate.py``
   (standard-library threads over kept-alive connections): locust's gevent loop shares the two
   cores with the server and adds milliseconds of its own to every request it times.

Prints the figures and stops the server. Needs the ``load`` extra (locust):
``.venv/bin/pip install -e '.[load]'``, then ``make load`` or
``.venv/bin/python bench/load_selfcheck.py [--seconds 60] [--workers 2]``.
Traffic goes to loopback only; every loop stops by itself.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import gevent
import yaml
from locust import FastHttpUser, constant_throughput, task
from locust.env import Environment

ROOT = Path(__file__).resolve().parent.parent
BODY = json.dumps(
    yaml.safe_load((ROOT / "applications" / "purchase-two-deals.yaml").read_text(encoding="utf-8")), default=str
)


class Throughput(FastHttpUser):
    """A client posting self-checks back to back."""

    @task
    def check(self) -> None:
        with self.client.post("/api/v1/check", data=BODY, catch_response=True) as response:
            if response.status_code != 200 or b'"total":"200000.00"' not in (response.content or b""):
                response.failure(f"status {response.status_code}")


class FixedRate(Throughput):
    """A client posting ten self-checks a second."""

    wait_time = constant_throughput(10)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _phase(user: type, users: int, spawn_rate: float, seconds: float, host: str) -> dict[str, float]:
    env = Environment(user_classes=[user], host=host)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=spawn_rate)
    gevent.sleep(max(3.0, users / spawn_rate + 1))  # every client started, connected and warm before counting
    env.stats.reset_all()
    started = time.monotonic()
    gevent.sleep(seconds)
    elapsed = time.monotonic() - started
    total = env.stats.total
    runner.quit()
    return {
        "requests": total.num_requests,
        "failures": total.num_failures,
        "rps": total.num_requests / elapsed,
        "p50_ms": total.get_response_time_percentile(0.50),
        "p95_ms": total.get_response_time_percentile(0.95),
        "p99_ms": total.get_response_time_percentile(0.99),
        "max_ms": total.max_response_time,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="length of each phase (default 60)")
    parser.add_argument("--workers", type=int, default=2, help="server processes (default 2)")
    args = parser.parse_args()
    port = _free_port()
    host = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as folder:
        # serve opens only a store that exists: the sample applications screened into a new one
        subprocess.run(
            [sys.executable, "-m", "engine.cli", "screen", "applications", "--db", os.path.join(folder, "load.db")],
            cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        server = subprocess.Popen(
            [sys.executable, "-m", "engine.cli", "serve", "--db", os.path.join(folder, "load.db"),
             "--port", str(port), "--workers", str(args.workers)],
            cwd=ROOT, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            for _ in range(600):
                if server.poll() is not None:
                    print(f"the server did not start (exit {server.returncode})", file=sys.stderr)
                    return 1
                try:
                    urllib.request.urlopen(host + "/api/v1/schema/application", timeout=1)  # noqa: S310 - loopback
                    break
                except OSError:
                    time.sleep(0.1)
            print(f"server: {args.workers} worker(s) on {host}; {os.cpu_count()} cores on this machine")
            phases = (("50 clients, as fast as answered", Throughput, 50, 50), ("fixed 100 req/s", FixedRate, 10, 10))
            for name, user, users, spawn_rate in phases:
                f = _phase(user, users, spawn_rate, args.seconds, host)
                print(
                    f"{name}: {f['requests']:,} requests in {args.seconds:.0f} s = {f['rps']:,.0f} req/s; "
                    f"p50 {f['p50_ms']:.1f} ms, p95 {f['p95_ms']:.1f} ms, p99 {f['p99_ms']:.1f} ms, "
                    f"max {f['max_ms']:.1f} ms; {f['failures']} failed"
                )
            # the same fixed rate from plain clients: latency at the server, the generator's cost aside
            subprocess.run(
                [sys.executable, str(ROOT / "bench" / "fixed_rate.py"), host, "--seconds", str(args.seconds)],
                check=False,
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
