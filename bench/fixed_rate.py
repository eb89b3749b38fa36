"""A fixed rate of self-checks from plain HTTP clients, for latency at the server.

``python bench/fixed_rate.py URL [--seconds 60] [--rate 100] [--clients 10]`` posts the sample
application to ``URL/api/v1/check`` from ``--clients`` threads over kept-alive connections, each
at ``rate / clients`` requests a second, started evenly apart, and prints the latency
percentiles. The standard library only: the load generator's own cost stays small beside the
server's on the same cores (locust's gevent loop costs several milliseconds a request there).
Called by ``bench/load_selfcheck.py``; prints figures, never fails on them.
"""

from __future__ import annotations

import argparse
import http.client
import json
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
BODY = json.dumps(
    yaml.safe_load((ROOT / "applications" / "purchase-two-deals.yaml").read_text(encoding="utf-8")), default=str
).encode()


def _client(host: str, port: int, start: float, period: float, end: float, out: list[float], failed: list[int]) -> None:
    connection = http.client.HTTPConnection(host, port, timeout=10)
    due = start
    while due < end:
        time.sleep(max(0.0, due - time.perf_counter()))
        began = time.perf_counter()
        connection.request("POST", "/api/v1/check", body=BODY, headers={"content-type": "application/json"})
        response = connection.getresponse()
        answer = response.read()
        out.append(time.perf_counter() - began)
        if response.status != 200 or b'"total":"200000.00"' not in answer:
            failed.append(response.status)
        due += period
    connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="the server, e.g. http://127.0.0.1:8000")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--rate", type=float, default=100.0, help="requests a second in all")
    parser.add_argument("--clients", type=int, default=10)
    args = parser.parse_args()
    where = urlsplit(args.url)
    period = args.clients / args.rate
    start = time.perf_counter() + 0.5
    end = start + args.seconds
    latencies: list[float] = []
    failed: list[int] = []
    threads = [
        threading.Thread(
            target=_client,
            args=(where.hostname, where.port, start + i * period / args.clients, period, end, latencies, failed),
        )
        for i in range(args.clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ms = sorted(x * 1000 for x in latencies)
    n = len(ms)

    def at(q: float) -> float:
        return ms[min(n - 1, int(q * n))]

    print(
        f"fixed {args.rate:.0f} req/s, {args.clients} plain clients: {n:,} requests in {args.seconds:.0f} s = "
        f"{n / args.seconds:,.0f} req/s; p50 {at(0.50):.1f} ms, p95 {at(0.95):.1f} ms, p99 {at(0.99):.1f} ms, "
        f"max {ms[-1]:.1f} ms; {len(failed)} failed"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
