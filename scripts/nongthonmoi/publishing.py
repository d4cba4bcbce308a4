"""A build for publishing must know the site's public address.

QR codes on the handouts, calendar files, the feed and link previews carry
absolute addresses. A local build uses ``http://localhost:8000/``; a build
that will be published (``NTM_PUBLISH=true``, set by CI on the default
branch) is refused when the address is empty or points to this machine.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from . import rules
from .errors import ContentError

ENV = "NTM_PUBLISH"
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}


def is_publishing(env: dict | None = None) -> bool:
    env = os.environ if env is None else env
    return (env.get(ENV) or "").strip().lower() in ("1", "true", "yes")


def address_problem(site_url: str | None, line: int = 0) -> ContentError | None:
    """None when ``site_url`` is a public address."""
    address = (site_url or "").strip()
    host = urlsplit(address).hostname if address else None
    if host and host not in _LOCAL_HOSTS and urlsplit(address).scheme in ("http", "https"):
        return None
    return rules.error("B003", "mkdocs.yml", line, address=address or "(trống)")
