"""Which git host the published editor saves to, from environment variables.

Nothing here is secret: a client id of an OAuth application is public (it is
sent to every browser), and the git host's own login decides who may write.
No token, password or client secret is ever read or written.

What each Decap backend reads (decap-cms 3.16.3, checked against its
sources in node_modules and by tests/test_editor_hosts.py):

- github: ``repo``, ``branch``, ``api_root`` (default api.github.com; GitHub
  Enterprise: ``https://<host>/api/v3``), ``base_url`` and ``auth_endpoint``
  of the OAuth relay. The relay's answer is accepted only from exactly
  ``base_url`` (postMessage origin), so ``base_url`` is an origin and any
  path goes into ``auth_endpoint``.
- gitlab: ``repo`` (may hold sub-groups), ``branch``, ``api_root``,
  ``base_url``, ``auth_endpoint``, ``app_id``, ``auth_type: pkce``.
- gitea: ``repo``, ``branch`` (default *master*), ``api_root``, ``base_url``,
  ``app_id``; the login address is always ``<base_url>/login/oauth/authorize``
  (``auth_endpoint`` is not read) and there is no editorial workflow.
- forgejo: ``repo``, ``branch``, ``api_root`` (required), ``app_id``; the
  server's address is *derived from api_root* (``base_url`` is not read) and
  the login address is fixed as for gitea.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

BACKENDS = ("github", "gitlab", "gitea", "forgejo")
PKCE_BACKENDS = ("gitlab", "gitea", "forgejo")
GITHUB_API = "https://api.github.com"
NETLIFY_AUTH_ENDPOINT = "auth"  # decap-cms-lib-auth's default for the GitHub relay
# Gitea saves straight to its branch (no drafts): never to the published one.
GITEA_REVIEW_BRANCH = "bien-tap"
PUBLISHED_BRANCHES = ("main", "master")


class EditorSettingsError(Exception):
    """A Vietnamese message naming the variable to fix."""


def _split(url: str) -> tuple[str, str]:
    """https://example.org/git/ban-tg/ntm -> ("https://example.org", "/git/ban-tg/ntm")."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}", parts.path.rstrip("/")


@dataclass(frozen=True)
class EditorSettings:
    backend: str | None  # None: the editor works only on one computer (ntm edit)
    repo: str | None
    branch: str
    base_url: str | None
    api_root: str | None
    auth_endpoint: str | None
    app_id: str | None
    site_url: str | None

    @classmethod
    def from_environment(cls, site_url: str | None = None, env: dict | None = None) -> EditorSettings:
        env = os.environ if env is None else env

        def get(name: str) -> str:
            return (env.get(name) or "").strip()

        repo_url = get("REPO_URL").rstrip("/").removesuffix(".git")
        host_root, repo_path = _split(repo_url) if repo_url else (None, "")
        host = urlsplit(repo_url).hostname if repo_url else None
        guessed = {"github.com": "github", "gitlab.com": "gitlab"}.get(host or "")
        backend = (get("CMS_BACKEND") or guessed or "").lower() or None
        base_url = get("CMS_BASE_URL").rstrip("/") or None
        api_root = get("CMS_API_ROOT").rstrip("/") or None
        auth_endpoint = get("CMS_AUTH_ENDPOINT").strip("/") or None

        repo = get("CMS_REPO").strip("/") or None
        server = None  # address of a self-hosted git server, sub-path included
        if backend in ("gitea", "forgejo", "gitlab"):
            server = base_url
        if repo is None and repo_path:
            segments = [s for s in repo_path.split("/") if s]
            if backend == "gitlab":
                # Sub-groups: the repository is everything after the server's own path.
                prefix = _split(server)[1] if server and server.startswith(host_root or "") else ""
                repo = "/".join(s for s in repo_path[len(prefix) :].split("/") if s) or None
            elif len(segments) >= 2:
                repo = "/".join(segments[-2:])
                if server is None and backend in ("gitea", "forgejo"):
                    # A server under a sub-path: https://example.org/git/<owner>/<name>.
                    server = host_root + "".join("/" + s for s in segments[:-2])
        if server is None and backend in ("gitea", "forgejo"):
            server = host_root
        if server is None and backend == "gitlab":
            server = host_root or "https://gitlab.com"

        if backend in ("gitea", "forgejo", "gitlab"):
            base_url = server
        if api_root is None and backend == "gitlab" and server:
            api_root = f"{server}/api/v4"
        if api_root is None and backend in ("gitea", "forgejo") and server:
            api_root = f"{server}/api/v1"
        if api_root is None and backend == "github" and host and host != "github.com":
            api_root = f"{host_root}/api/v3"  # GitHub Enterprise Server
        if backend == "github" and base_url:
            # The relay's messages are accepted from exactly its origin.
            origin, path = _split(base_url)
            base_url = origin
            if path and not auth_endpoint:
                auth_endpoint = f"{path.strip('/')}/{NETLIFY_AUTH_ENDPOINT}"

        branch = get("CMS_BRANCH") or (GITEA_REVIEW_BRANCH if backend == "gitea" else "main")
        settings = cls(
            backend=backend,
            repo=repo,
            branch=branch,
            base_url=base_url,
            api_root=api_root,
            auth_endpoint=auth_endpoint,
            app_id=get("CMS_APP_ID") or None,
            site_url=site_url,
        )
        settings.check(explicit_auth_endpoint=bool(get("CMS_AUTH_ENDPOINT")))
        return settings

    def check(self, explicit_auth_endpoint: bool = False) -> None:
        if self.backend is None:
            return
        if self.backend not in BACKENDS:
            raise EditorSettingsError(
                f"CMS_BACKEND «{self.backend}» không được hỗ trợ. Dùng một trong: {', '.join(BACKENDS)}."
            )
        if not self.repo or "/" not in self.repo:
            raise EditorSettingsError(
                "Chưa đặt kho git cho trang quản trị: đặt CMS_REPO=<chủ sở hữu>/<tên kho> (hoặc REPO_URL)."
            )
        if self.backend == "github" and not self.base_url:
            raise EditorSettingsError(
                "GitHub cần một dịch vụ đăng nhập OAuth: đặt CMS_BASE_URL=<địa chỉ dịch vụ đó>. "
                "Xem design/editor.md, mục «GitHub»."
            )
        if self.backend in PKCE_BACKENDS and not self.app_id:
            raise EditorSettingsError(
                f"{self.backend} cần mã ứng dụng OAuth (Client ID): đặt CMS_APP_ID. Xem design/editor.md."
            )
        if self.backend in ("gitea", "forgejo") and not self.base_url:
            raise EditorSettingsError(
                f"{self.backend} cần địa chỉ máy chủ git: đặt REPO_URL=https://<máy chủ>/<chủ sở hữu>/<tên kho> "
                "hoặc CMS_BASE_URL=https://<máy chủ>."
            )
        if self.backend in ("gitea", "forgejo") and explicit_auth_endpoint:
            raise EditorSettingsError(
                f"Decap với {self.backend} luôn đăng nhập ở <máy chủ>/login/oauth/authorize và không đọc CMS_AUTH_ENDPOINT. "
                "Bỏ CMS_AUTH_ENDPOINT; nếu máy chủ ở một đường dẫn con, đặt CMS_BASE_URL=https://<máy chủ>/<đường dẫn con>."
            )
        if self.backend == "gitea" and self.branch in PUBLISHED_BRANCHES:
            raise EditorSettingsError(
                f"Với Gitea, trang quản trị ghi thẳng vào nhánh CMS_BRANCH, không qua bản nháp: nhánh «{self.branch}» là "
                f"nhánh được đăng. Đặt CMS_BRANCH={GITEA_REVIEW_BRANCH} (nhánh duyệt), bảo vệ nhánh {self.branch}, và để "
                "lãnh đạo gộp nhánh duyệt bằng pull request."
            )

    @property
    def default_api_root(self) -> str | None:
        """The API Decap uses when ``api_root`` is not written."""
        return GITHUB_API if self.backend == "github" else None

    def backend_config(self) -> dict:
        """Decap's ``backend`` block: only the keys that backend reads."""
        if self.backend is None:
            # The local backend of `ntm edit` (the preview server points it at
            # its own address and secret when it serves the configuration).
            return {"name": "proxy", "proxy_url": "/__ntm/api/", "branch": self.branch}
        config: dict = {"name": self.backend, "repo": self.repo, "branch": self.branch}
        if self.backend == "github":
            config["base_url"] = self.base_url
            if self.auth_endpoint:
                config["auth_endpoint"] = self.auth_endpoint
            if self.api_root:
                config["api_root"] = self.api_root
        elif self.backend == "gitlab":
            config.update(auth_type="pkce", app_id=self.app_id, base_url=self.base_url, api_root=self.api_root)
            if self.auth_endpoint:
                config["auth_endpoint"] = self.auth_endpoint
        elif self.backend == "gitea":
            config.update(app_id=self.app_id, base_url=self.base_url, api_root=self.api_root)
        elif self.backend == "forgejo":
            # Forgejo finds its server from api_root (…/api/v1), not base_url.
            config.update(app_id=self.app_id, api_root=self.api_root)
        return config

    @property
    def publish_mode(self) -> str:
        """Drafts reviewed by a leader (pull/merge requests) where the host allows.

        Decap's Gitea backend has no editorial workflow: there, saves go to
        ``CMS_BRANCH`` (a review branch, never the published one) and a leader
        merges it in Gitea through a pull request.
        """
        return "simple" if self.backend in (None, "gitea") else "editorial_workflow"

    @property
    def remote(self) -> bool:
        return self.backend is not None
