"""The web pages and the HTTP API (FastAPI): one more face on the same services.

``create_app(store, rulebook)`` builds the application; ``subsidy serve`` runs it.
See :mod:`engine.web.app` for the parts.
"""

from .app import app_from_environment, create_app

__all__ = ["app_from_environment", "create_app"]
