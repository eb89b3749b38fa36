"""``subsidy serve`` and ``subsidy users``: the web pages and the HTTP API, and who may use them."""

from __future__ import annotations

import argparse
import getpass
import os
import secrets
import sys
from typing import Any

from .common import add_db, open_db

# Sample users for a demonstration store (``serve --sample-users``): name, role, credit code, password.
SAMPLE_USERS = (
    ("reviewer", "reviewer", None, "reviewer-demo"),
    ("auditor", "auditor", None, "auditor-demo"),
    ("longfeng", "enterprise", "91410902MA44P5T29U", "longfeng-demo"),
)


def add_parser(sub: Any) -> None:
    srv = sub.add_parser("serve", help="the web pages and the HTTP API on a store (FastAPI, uvicorn)")
    add_db(srv, "the decision store, created if new")
    srv.add_argument("--host", default="127.0.0.1")
    srv.add_argument("--port", type=int, default=8000)
    srv.add_argument("--workers", type=int, default=1, metavar="N", help="server processes (default 1)")
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
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", required=True, choices=("reviewer", "auditor", "enterprise"))
    add.add_argument("--credit-code", default=None, help="the enterprise an enterprise account is bound to")
    add.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    add.set_defaults(func=run_add)
    tok = steps.add_parser("token", help="issue an API token for a user (shown once; the old one stops working)")
    add_db(tok)
    tok.add_argument("name", metavar="NAME")
    tok.set_defaults(func=run_token)
    lst = steps.add_parser("list", help="every user with its role")
    add_db(lst)
    lst.set_defaults(func=run_list)


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        from ..errors import UsageError

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
        for user in store.users():
            bound = f" {user.credit_code}" if user.credit_code else ""
            token = " (API token)" if user.token_hash else ""
            print(f"{user.name}\t{user.role}{bound}{token}")
    finally:
        store.close()
    return 0


def run_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from ..services import add_user

    store = open_db(args, create=True)
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
        host=args.host,
        port=args.port,
        workers=max(args.workers, 1),
        log_level="warning",
        access_log=False,
        proxy_headers=bool(args.forwarded_allow_ips),  # uvicorn would believe any loopback peer's
        forwarded_allow_ips=args.forwarded_allow_ips or "",
    )
    return 0
