"""``subsidy serve`` and ``subsidy users``: the web pages and the HTTP API, and who may use them."""

from __future__ import annotations

import argparse
import errno
import getpass
import os
import secrets
import socket
import sys
import warnings
from typing import Any

from ..errors import Problem, StoreError, UsageError
from .common import MAX_WORKERS, add_db, open_db, whole_number

# Sample users for a demonstration store (``serve --sample-users``): name, role, credit code, password.
SAMPLE_USERS = (
    ("reviewer", "reviewer", None, "reviewer-demo"),
    ("auditor", "auditor", None, "auditor-demo"),
    ("longfeng", "enterprise", "91410902MA44P5T29U", "longfeng-demo"),
)


def add_parser(sub: Any) -> None:
    srv = sub.add_parser("serve", help="the web pages and the HTTP API on a store (FastAPI, uvicorn)")
    add_db(srv, "the decision store; it must exist")
    srv.add_argument(
        "--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1: this machine only)"
    )
    srv.add_argument("--port", type=_port, default=8000, help="TCP port, 0-65535 (default 8000)")
    srv.add_argument(
        "--workers",
        type=whole_number(1, MAX_WORKERS),
        default=1,
        metavar="N",
        help=f"server processes, 1 to {MAX_WORKERS} (default 1)",
    )
    srv.add_argument(
        "--forwarded-allow-ips",
        default=None,
        metavar="IPS",
        help="behind a reverse proxy: the proxy's addresses (comma-separated), whose X-Forwarded-For and "
        "X-Forwarded-Proto are believed; by default no one's are, and a client is its peer address",
    )
    srv.add_argument(
        "--sample-users",
        action="store_true",
        help="add the demonstration users (reviewer, auditor, enterprise longfeng) if they are missing",
    )
    srv.set_defaults(func=run_serve)

    users = sub.add_parser("users", help="users of the web pages and the API: add, token, list")
    steps = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    add = steps.add_parser("add", help="add a user (or replace one of that name); the password is asked for")
    add_db(add)
    add.add_argument("name", metavar="NAME", help="the user name, as typed at sign-in")
    add.add_argument(
        "--role", required=True, choices=("reviewer", "auditor", "enterprise"), help="what the user may see and do"
    )
    add.add_argument("--credit-code", default=None, help="the enterprise an enterprise account is bound to")
    add.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    add.set_defaults(func=run_add)
    tok = steps.add_parser("token", help="issue an API token for a user (shown once; the old one stops working)")
    add_db(tok)
    tok.add_argument("name", metavar="NAME", help="the user the token is for")
    tok.set_defaults(func=run_token)
    lst = steps.add_parser("list", help="every user with its role")
    add_db(lst)
    lst.set_defaults(func=run_list)


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    from ..errors import UsageError

    with warnings.catch_warnings():
        warnings.simplefilter("error", getpass.GetPassWarning)  # no terminal: it would read stdin, unseen
        try:
            first = getpass.getpass("password: ")
            again = getpass.getpass("again: ")
        except (getpass.GetPassWarning, EOFError):
            raise UsageError(
                "no terminal to ask for the password on: give it on the first line of stdin with --password-stdin"
            ) from None
    if again != first:
        raise UsageError("the two passwords differ")
    return first


def run_add(args: argparse.Namespace) -> int:
    from ..services import add_user

    password = _password(args)
    store = open_db(args, create=True)
    try:
        user = add_user(store, args.name, args.role, password, args.credit_code)
    finally:
        store.close()
    bound = f", bound to {user.credit_code}" if user.credit_code else ""
    print(f"user {user.name}: {user.role}{bound}")
    return 0


def run_token(args: argparse.Namespace) -> int:
    from ..services import issue_token

    store = open_db(args)
    try:
        token = issue_token(store, args.name)
    finally:
        store.close()
    print(token)
    print("keep it secret: it is shown once; send it as 'Authorization: Bearer <token>'", file=sys.stderr)
    return 0


def run_list(args: argparse.Namespace) -> int:
    store = open_db(args)
    try:
        users = list(store.users())
        for user in users:
            bound = f" {user.credit_code}" if user.credit_code else ""
            token = " (API token)" if user.token_hash else ""
            print(f"{user.name}\t{user.role}{bound}{token}")
        if not users:  # said beside the list, not in it: a script reading the list reads nothing
            print("no users: add one with `subsidy users add NAME --role ROLE`", file=sys.stderr)
    finally:
        store.close()
    return 0


def run_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from ..services import add_user

    store = _existing_store(args)
    try:
        sock = _listening(args.host, args.port)  # bound first: a busy port is refused before anything is changed
    except BaseException:
        store.close()
        raise
    with sock:
        try:
            if args.sample_users:
                for name, role, code, password in SAMPLE_USERS:
                    if store.user(name) is None:
                        add_user(store, name, role, password, code)
                    print(f"sample user {name} ({role}), password {password}", file=sys.stderr)
        finally:
            store.close()
        os.environ["SUBSIDY_DB"] = args.db
        os.environ.setdefault("SUBSIDY_SECRET", secrets.token_urlsafe(32))  # one key for every worker
        if args.rules:
            os.environ["SUBSIDY_RULES"] = args.rules
        print(f"serving on http://{args.host}:{args.port}/ (Ctrl-C stops)", file=sys.stderr)
        uvicorn.run(
            "engine.web:app_from_environment",
            factory=True,
            fd=sock.fileno(),
            workers=max(args.workers, 1),
            log_level="warning",
            access_log=False,
            proxy_headers=bool(args.forwarded_allow_ips),  # uvicorn would believe any loopback peer's
            forwarded_allow_ips=args.forwarded_allow_ips or "",
        )
    return 0


def _existing_store(args: argparse.Namespace) -> Any:
    """The store to serve; a path that names none is refused (a mistyped path must not serve an empty site)."""
    try:
        return open_db(args)
    except StoreError as exc:
        if exc.problems[0].message != "no such store":
            raise
        raise StoreError(
            [
                Problem(
                    args.db,
                    None,
                    "",
                    "no such store: serve shows a store that exists",
                    "create it with 'subsidy screen PATH --db DB' (decisions) or 'subsidy users add NAME --role "
                    "reviewer --db DB' (an empty store and its first user); 'subsidy migrate' only upgrades a store "
                    "that exists and refuses a new path too",
                )
            ]
        ) from None


def _port(text: str) -> int:
    port = int(text)  # argparse reports a ValueError as an invalid value
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a TCP port is 0-65535, got {port}")
    return port


def _listening(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port`` as uvicorn binds one (SO_REUSEADDR), handed to it by
    its descriptor. Raises UsageError (exit 2) when the port is in use or may not be used."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # uvicorn takes a descriptor as a unix socket, so asyncio never sets TCP_NODELAY on the
    # connections: set on the listening socket, every accepted one inherits it (Linux); without it
    # Nagle and the client's delayed ACK hold each answer 40 ms
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(
                [Problem("", None, "", f"port {port} on {host} is in use", "choose another with --port N")]
            ) from None
        raise UsageError(
            [Problem("", None, "", f"cannot listen on {host}:{port}: {exc.strerror}", "check --host and --port")]
        ) from None
    sock.set_inheritable(True)
    return sock
