"""Which git host the published editor saves to, from environment variables.

Nothing here is secret: a client id of an OAuth application is public (it is
sent to every browser), and the git host's own login decides who may write.
No token, password or client secret is ever read or written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

BACKENDS = ("github", "gitlab", "gitea", "forgejo")
DEFAULT_PROXY = "http://127.0.0.1:8081/api/v1"
PROXY_ENV = "NTM_CMS_PROXY_URL"


class EditorSettingsError(Exception):
    """A Vietnamese message naming the variable to fix."""


@dataclass(frozen=True)
class EditorSettings:
    backend: str | None  # None: the editor works only on one computer (ntm edit)
    repo: str | None
    branch: str
    base_url: str | None
    api_root: str | None
    auth_endpoint: str | None
    app_id: str | None
    local_proxy_url: str
    site_url: str | None

    @classmethod
    def from_environment(cls, site_url: str | None = None, env: dict | None = None) -> EditorSettings:
        env = os.environ if env is None else env
        repo_url = (env.get("REPO_URL") or "").strip().rstrip("/")
        parts = urlsplit(repo_url) if repo_url else None
        guessed = None
        if parts and parts.hostname == "github.com":
            guessed = "github"
        elif parts and parts.hostname == "gitlab.com":
            guessed = "gitlab"
        backend = (env.get("CMS_BACKEND") or guessed or "").strip().lower() or None
        repo = (env.get("CMS_REPO") or "").strip() or (
            parts.path.strip("/").removesuffix(".git") if parts and parts.path.strip("/") else None
        )
        host_root = f"{parts.scheme}://{parts.netloc}" if parts and parts.netloc else None
        base_url = (env.get("CMS_BASE_URL") or "").strip().rstrip("/") or None
        if base_url is None and backend in ("gitlab", "gitea", "forgejo"):
            base_url = host_root or ("https://gitlab.com" if backend == "gitlab" else None)
        api_root = (env.get("CMS_API_ROOT") or "").strip().rstrip("/") or None
        if api_root is None and base_url and backend == "gitlab":
            api_root = f"{base_url}/api/v4"
        if api_root is None and base_url and backend in ("gitea", "forgejo"):
            api_root = f"{base_url}/api/v1"
        settings = cls(
            backend=backend,
            repo=repo,
            branch=(env.get("CMS_BRANCH") or "main").strip(),
            base_url=base_url,
            api_root=api_root,
            auth_endpoint=(env.get("CMS_AUTH_ENDPOINT") or "").strip() or None,
            app_id=(env.get("CMS_APP_ID") or "").strip() or None,
            local_proxy_url=(env.get(PROXY_ENV) or DEFAULT_PROXY).strip(),
            site_url=site_url,
        )
        settings.check()
        return settings

    def check(self) -> None:
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
                "Cách cài đặt: tệp design/editor.md trong kho, mục «Two ways to run it»."
            )
        if self.backend in ("gitlab", "gitea", "forgejo") and not self.app_id:
            raise EditorSettingsError(
                f"{self.backend} cần mã ứng dụng OAuth (Client ID): đặt CMS_APP_ID. "
                "Cách cài đặt: tệp design/editor.md trong kho, mục «Two ways to run it»."
            )
        if self.backend in ("gitea", "forgejo") and not self.base_url:
            raise EditorSettingsError(
                f"{self.backend} cần địa chỉ máy chủ git: đặt CMS_BASE_URL=https://<máy chủ git>."
            )

    def backend_config(self) -> dict:
        """Decap's ``backend`` block; without a git host, the local proxy only."""
        if self.backend is None:
            return {"name": "proxy", "proxy_url": self.local_proxy_url, "branch": self.branch}
        config: dict = {"name": self.backend, "repo": self.repo, "branch": self.branch}
        if self.backend == "github":
            config["base_url"] = self.base_url
            if self.auth_endpoint:
                config["auth_endpoint"] = self.auth_endpoint
        else:
            # GitLab, Gitea and Forgejo log in from the browser with PKCE:
            # no server of ours, no client secret.
            config["app_id"] = self.app_id
            config["base_url"] = self.base_url
            if self.api_root:
                config["api_root"] = self.api_root
            if self.backend == "gitlab":
                config["auth_type"] = "pkce"
            if self.auth_endpoint:
                config["auth_endpoint"] = self.auth_endpoint
        return config

    @property
    def publish_mode(self) -> str:
        """Drafts reviewed by a leader (pull/merge requests) where the host allows.

        Decap's Gitea backend has no editorial workflow: there, saves go to
        ``CMS_BRANCH`` (set it to a review branch) and a leader merges it in
        Gitea. Forgejo, GitHub and GitLab get drafts and reviews in the editor.
        """
        return "simple" if self.backend == "gitea" else "editorial_workflow"

    @property
    def remote(self) -> bool:
        return self.backend is not None
