"""Shared set-up of the web tests: a store holding the sample applications, users of each
role, and a client of the application (FastAPI's TestClient) signed in as one of them.

The store is screened once per session and copied for each test, so that a test that
settles or screens never sees another's records.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from engine import load_rulebook, open_store
from engine.services import add_user, issue_token, screen
from engine.web import create_app

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "applications"

CODE_A = "91410902MA44P5T29U"  # 濮阳市龙丰新材料有限公司: purchase-two-deals.yaml, PY-2024-0031
CODE_B = "91410928MA5M71JF0Y"  # 濮阳市新兴管道科技有限公司: review-p2-related-party-not-declared.yaml, PY-2024-0502
APP_A = "PY-2024-0031"
APP_B = "PY-2024-0502"
INVENTOR_APP = "PY-2024-0301"  # an individual with an ID number 410902197804154305
INVENTOR_ID = "410902197804154305"

# role name -> (user, password, credit code)
USERS = {
    "reviewer": ("rev", "reviewer-pass", None),
    "auditor": ("aud", "auditor-pass", None),
    "enterprise_a": ("ent-a", "enterprise-a-pass", CODE_A),
    "enterprise_b": ("ent-b", "enterprise-b-pass", CODE_B),
}
ROLE_OF = {"reviewer": "reviewer", "auditor": "auditor", "enterprise_a": "enterprise", "enterprise_b": "enterprise"}

_RULEBOOK: Any = None


def rulebook() -> Any:
    global _RULEBOOK
    if _RULEBOOK is None:
        _RULEBOOK = load_rulebook()
    return _RULEBOOK


def build_store(path: Path) -> dict[str, str]:
    """Screen the samples into a new store at ``path``, add the users; their API tokens."""
    store = open_store(path, create=True)
    try:
        for _ in screen([SAMPLES], store, rulebook(), workers=0):
            pass
        tokens = {}
        for key, (name, password, code) in USERS.items():
            add_user(store, name, ROLE_OF[key], password, code)
            tokens[key] = issue_token(store, name)
    finally:
        store.close()
    return tokens


class Web:
    """An application on a private copy of the sample store, and clients of it."""

    def __init__(self, base: Path, tokens: dict[str, str], folder: Path) -> None:
        self.path = folder / "store.db"
        shutil.copyfile(base, self.path)
        self.store = open_store(self.path)
        self.tokens = tokens
        self.app = create_app(self.store, rulebook(), secret="test-secret")

    def client(self, role: str | None = None) -> TestClient:
        """A client signed in to the pages as ``role`` (None: anonymous)."""
        client = TestClient(self.app, raise_server_exceptions=False, follow_redirects=False)
        if role is not None:
            name, password, _ = USERS[role]
            response = client.post("/login", data={"csrf": csrf(client), "username": name, "password": password})
            assert response.status_code == 303, response.text
        return client

    def api(self, role: str | None = None) -> TestClient:
        """A client of the API with ``role``'s token (None: no token)."""
        headers = {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}
        return TestClient(self.app, raise_server_exceptions=False, follow_redirects=False, headers=headers)

    def close(self) -> None:
        self.store.close()


def csrf(client: TestClient, page: str = "/check") -> str:
    """The session's CSRF token, as a form on ``page`` carries it."""
    match = re.search(r'name="csrf" value="([^"]+)"', client.get(page).text)
    assert match, f"no CSRF token on {page}"
    return match.group(1)


def visible_text(html: str) -> str:
    """What a person reads on a page: tags and scripts gone, white space collapsed."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()
