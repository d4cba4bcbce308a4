"""The Content-Security-Policy of the editor page (``quan-tri/``).

Only what Decap needs, per mode:

- scripts: the site's own files only (``decap-cms.js``, ``vi.js``,
  ``ntm-quy-tac.js``, ``ntm-cms.js``); no inline script, no other host.
  ``'unsafe-eval'`` is there because Decap checks its configuration with
  AJV, which compiles its validators with ``new Function``: without it the
  editor stops at "Error compiling schema" (tried in Chromium). It lets the
  code that already runs make code from strings; it lets no other code in.
- styles: the site's, and the ones Decap's components write into the page
  (emotion), hence ``'unsafe-inline'`` for styles only.
- requests (``connect-src``): the page's own origin (in local mode the local
  backend is there, same origin); on the published site also the configured
  git host's API and login (token) origins, nothing else; and ``blob:``,
  the page's own in-memory files: Decap reads a photo picked in the form
  (ntm-anh.js) back from its ``blob:`` address to send it with the save.
- pictures: the site's, ``data:``/``blob:`` (previews of uploads), and on the
  published site the git host's avatars of the logged-in editor.
- nothing may frame the editor, no plugins, no ``<base>``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from .settings import EditorSettings

# Avatars shown in the header after login, by host.
AVATARS = {
    "github": ("https://avatars.githubusercontent.com",),
    "gitlab": ("https://secure.gravatar.com", "https://www.gravatar.com"),
    "gitea": ("https://secure.gravatar.com",),
    "forgejo": ("https://secure.gravatar.com",),
}


def origin(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def remote_origins(settings: EditorSettings | None) -> tuple[list[str], list[str]]:
    """(origins the page may request, origins it may show pictures from) for the git host."""
    if settings is None or settings.backend is None:
        return [], []
    config = settings.backend_config()
    api = origin(config.get("api_root")) or origin(settings.default_api_root)
    login = origin(config.get("base_url"))  # GitHub: the OAuth relay (token refresh)
    connect = {o for o in (api, login) if o}
    if settings.backend == "github":
        # Avatars come from GitHub's image host; on GitHub Enterprise from the server itself.
        images = {api} if api != origin(settings.default_api_root) else set()
    else:
        images = set(connect)  # GitLab, Gitea, Forgejo serve avatars themselves
    images |= set(AVATARS.get(settings.backend, ()))
    return sorted(connect), sorted(images)


def policy(settings: EditorSettings | None) -> str:
    """The policy for the page: local mode when ``settings`` has no git host."""
    connect, images = remote_origins(settings)
    directives = [
        "default-src 'none'",
        "script-src 'self' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src " + " ".join(["'self'", "data:", "blob:", *images]),
        "font-src 'self' data:",
        "connect-src " + " ".join(["'self'", "blob:", *connect]),
        "frame-src 'self' blob:",
        "manifest-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
    return "; ".join(directives)


def editor_headers(settings: EditorSettings | None = None) -> list[tuple[str, str]]:
    """HTTP headers for the editor page (the preview server; the hosting examples)."""
    return [
        ("Content-Security-Policy", policy(settings) + "; frame-ancestors 'none'"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "no-referrer"),
        ("X-Content-Type-Options", "nosniff"),
    ]
