"""Each git host's published editor: the generated ``backend`` block holds
exactly what that Decap backend reads (read from the backend's own sources
in node_modules, decap-cms 3.16.3), and the addresses Decap derives from it
are the Board's server, sub-path included.

And two things of the page itself: opened as ``/quan-tri/index.html`` it
shows ``/quan-tri/`` (the address the git host sends the editor back to);
opened over plain HTTP in an intranet with a PKCE login it says so in
Vietnamese instead of Decap's English error.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import CHROMIUM, CHROMIUM_ARGS, ROOT
from nongthonmoi.editor.settings import EditorSettings, EditorSettingsError

SOURCES = ROOT / "node_modules"
# Keys Decap's core reads from every backend block (name, commit messages...).
CORE_KEYS = {"name", "commit_messages", "branch", "repo"}


def keys_read(backend: str) -> set[str]:
    """The ``backend`` keys a Decap backend package reads, from its sources."""
    folder = SOURCES / f"decap-cms-backend-{backend}" / "src"
    if not folder.is_dir():
        pytest.skip("node_modules missing: bash scripts/run build")
    keys: set[str] = set()
    for path in folder.glob("*.*"):
        if "__tests__" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        keys |= set(re.findall(r"config\.backend(?:\?)?\.(\w+)", text))
        for group in re.findall(r"const \{([^}]*)\}\s*=\s*this\.props\.config\.backend", text):
            keys |= {part.split("=")[0].split(":")[0].strip() for part in group.split(",") if part.strip()}
    return keys


def generated(env: dict) -> dict:
    return EditorSettings.from_environment(env=env).backend_config()


HOSTS = {
    "github": {"REPO_URL": "https://github.com/ban-tg/ntm", "CMS_BASE_URL": "https://dang-nhap.example.vn"},
    "gitlab": {"CMS_BACKEND": "gitlab", "REPO_URL": "https://gitlab.example.vn/ban-tg/ntm", "CMS_APP_ID": "abc"},
    "gitea": {"CMS_BACKEND": "gitea", "REPO_URL": "https://git.example.vn/ban-tg/ntm", "CMS_APP_ID": "abc"},
    "forgejo": {"CMS_BACKEND": "forgejo", "REPO_URL": "https://git.example.vn/ban-tg/ntm", "CMS_APP_ID": "abc"},
}


@pytest.mark.parametrize("host", sorted(HOSTS))
def test_only_keys_the_backend_reads(host):
    config = generated(HOSTS[host])
    unread = set(config) - keys_read(host) - CORE_KEYS
    assert unread == set(), f"{host} would ignore {unread}"
    assert config["name"] == host and config["repo"] == "ban-tg/ntm"


def test_forgejo_finds_its_server_from_api_root():
    """Forgejo's login page derives the server from api_root and reads no base_url."""
    source = (SOURCES / "decap-cms-backend-forgejo/src/AuthenticationPage.js").read_text(encoding="utf-8")
    assert "api_root.replace(/\\/api\\/[^/]+\\/?$/, '')" in source
    config = generated({**HOSTS["forgejo"], "REPO_URL": "https://example.org/git/ban-tg/ntm"})
    assert "base_url" not in config and "base_url" not in keys_read("forgejo")
    assert config["api_root"] == "https://example.org/git/api/v1"
    assert re.sub(r"/api/[^/]+/?$", "", config["api_root"]) == "https://example.org/git"


@pytest.mark.parametrize("host", ["gitea", "forgejo"])
def test_gitea_and_forgejo_log_in_at_a_fixed_address(host):
    """CMS_AUTH_ENDPOINT would be ignored by these backends: refused, with what to do."""
    source = (SOURCES / f"decap-cms-backend-{host}/src/AuthenticationPage.js").read_text(encoding="utf-8")
    assert "auth_endpoint: 'login/oauth/authorize'" in source
    with pytest.raises(EditorSettingsError, match="CMS_AUTH_ENDPOINT"):
        EditorSettings.from_environment(env={**HOSTS[host], "CMS_AUTH_ENDPOINT": "dang-nhap"})


def test_repositories_under_a_sub_path():
    config = generated({**HOSTS["gitea"], "REPO_URL": "https://example.org/git/ban-tg/ntm"})
    assert config["repo"] == "ban-tg/ntm"
    assert config["base_url"] == "https://example.org/git"
    assert config["api_root"] == "https://example.org/git/api/v1"
    # GitLab: sub-groups are part of the repository; its server's own sub-path comes from CMS_BASE_URL.
    config = generated({**HOSTS["gitlab"], "REPO_URL": "https://gitlab.example.vn/tinh/huyen/ntm"})
    assert config["repo"] == "tinh/huyen/ntm" and config["api_root"] == "https://gitlab.example.vn/api/v4"
    config = generated({**HOSTS["gitlab"], "REPO_URL": "https://example.org/gitlab/ban-tg/ntm", "CMS_BASE_URL": "https://example.org/gitlab"})
    assert config["repo"] == "ban-tg/ntm" and config["base_url"] == "https://example.org/gitlab"
    assert config["api_root"] == "https://example.org/gitlab/api/v4"


def test_gitea_never_commits_to_the_published_branch():
    """Gitea has no drafts: saves go to a review branch, main is never the default."""
    source = (SOURCES / "decap-cms-backend-gitea/src/implementation.tsx").read_text(encoding="utf-8")
    assert "The Gitea backend does not support editorial workflow." in source
    settings = EditorSettings.from_environment(env=HOSTS["gitea"])
    assert settings.branch == "bien-tap" and settings.publish_mode == "simple"
    for branch in ("main", "master"):
        with pytest.raises(EditorSettingsError, match="nhánh duyệt"):
            EditorSettings.from_environment(env={**HOSTS["gitea"], "CMS_BRANCH": branch})
    assert EditorSettings.from_environment(env=HOSTS["forgejo"]).publish_mode == "editorial_workflow"


def test_github_enterprise_and_the_relay_address():
    source = (SOURCES / "decap-cms-backend-github/src/implementation.tsx").read_text(encoding="utf-8")
    assert "config.backend.api_root || 'https://api.github.com'" in source
    config = generated({**HOSTS["github"], "CMS_API_ROOT": "https://github.ban.example.vn/api/v3"})
    assert config["api_root"] == "https://github.ban.example.vn/api/v3"
    config = generated({"CMS_BACKEND": "github", "REPO_URL": "https://github.ban.example.vn/ban-tg/ntm", "CMS_BASE_URL": "https://relay.example.vn"})
    assert config["api_root"] == "https://github.ban.example.vn/api/v3"  # GitHub Enterprise Server
    # The relay answers through postMessage, accepted from exactly base_url: an origin.
    auth = (SOURCES / "decap-cms-lib-auth/src/netlify-auth.js").read_text(encoding="utf-8")
    assert "e.origin === this.base_url" in auth
    config = generated({**HOSTS["github"], "CMS_BASE_URL": "https://dich-vu.example.vn/oauth/"})
    assert config["base_url"] == "https://dich-vu.example.vn" and config["auth_endpoint"] == "oauth/auth"


def test_pkce_hosts_and_their_addresses():
    config = generated(HOSTS["gitlab"])
    assert config["auth_type"] == "pkce" and config["app_id"] == "abc"
    assert config["base_url"] == "https://gitlab.example.vn" and config["api_root"] == "https://gitlab.example.vn/api/v4"
    assert generated(HOSTS["gitea"])["base_url"] == "https://git.example.vn"


def test_the_page_allows_only_its_own_files_and_the_git_host():
    from nongthonmoi.editor.csp import policy

    local = policy(EditorSettings.from_environment(env={}))
    assert "connect-src 'self' blob:;" in local and "http" not in local.replace("https://", "")
    github = policy(EditorSettings.from_environment(env=HOSTS["github"]))
    assert "connect-src 'self' blob: https://api.github.com https://dang-nhap.example.vn;" in github
    forgejo = policy(EditorSettings.from_environment(env={**HOSTS["forgejo"], "REPO_URL": "https://example.org/git/a/b"}))
    assert "connect-src 'self' blob: https://example.org;" in forgejo
    for text in (local, github, forgejo):
        assert "script-src 'self' 'unsafe-eval';" in text and "'unsafe-inline'" not in text.split("style-src")[0]
        assert "default-src 'none'" in text and "object-src 'none'" in text and "base-uri 'none'" in text


# --- the page --------------------------------------------------------------------


@pytest.fixture(scope="module")
def insecure_browser(chromium):
    """Chromium where intranet.example is this computer: a plain-HTTP intranet site."""
    browser = chromium.browser_type.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--host-resolver-rules=MAP intranet.example 127.0.0.1"]
    )
    yield browser
    browser.close()


def _gitlab_copy(site: Path, target: Path) -> Path:
    import shutil

    import yaml

    shutil.copytree(site / "quan-tri", target / "quan-tri")
    shutil.copytree(site / "assets" / "images", target / "assets" / "images")
    config = yaml.safe_load((target / "quan-tri/config.yml").read_text(encoding="utf-8"))
    config["backend"] = generated(HOSTS["gitlab"])
    config["publish_mode"] = "editorial_workflow"
    (target / "quan-tri/config.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    index = target / "quan-tri/index.html"
    text = re.sub(r'data-ntm-backend="[^"]*"', 'data-ntm-backend="gitlab"', index.read_text(encoding="utf-8"))
    index.write_text(text.replace(' data-local-only="true"', ""), encoding="utf-8")
    return target


def test_plain_http_intranet_gets_a_vietnamese_page(site, tmp_path, insecure_browser):
    from editor_published import serve

    server, base = serve(_gitlab_copy(site, tmp_path))
    port = server.server_address[1]
    page = insecure_browser.new_page()
    try:
        page.goto(f"http://intranet.example:{port}/quan-tri/")
        alert = page.get_by_role("alert")
        alert.wait_for()
        text = alert.inner_text()
        assert "cần địa chỉ https://" in text and "insecure" not in page.inner_text("body").lower()
        # The same page on this computer (a secure context) shows the login.
        page.goto(f"{base}quan-tri/")
        page.get_by_role("button", name=re.compile("Đăng nhập")).wait_for()
    finally:
        page.close()
        server.shutdown()
        server.server_close()


def test_opened_as_index_html_the_address_is_the_folder(site, tmp_path, chromium):
    """PKCE sends back to origin + pathname: the registered address is .../quan-tri/."""
    from editor_published import serve

    server, base = serve(_gitlab_copy(site, tmp_path))
    page = chromium.new_page()
    try:
        page.goto(base + "quan-tri/index.html?a=1")
        page.get_by_role("button", name=re.compile("Đăng nhập")).wait_for()
        assert page.evaluate("location.pathname") == "/quan-tri/"
    finally:
        page.close()
        server.shutdown()
        server.server_close()


def test_without_the_local_backend_one_page_says_what_to_do(site, tmp_path, chromium):
    """The editor page on this computer with nothing answering behind it
    (`ntm serve`, a closed editor): one Vietnamese page, no error toasts."""
    import shutil

    from editor_published import serve

    shutil.copytree(site / "quan-tri", tmp_path / "quan-tri")
    shutil.copytree(site / "assets" / "images", tmp_path / "assets" / "images")
    server, base = serve(tmp_path)
    page = chromium.new_page()
    try:
        page.goto(base + "quan-tri/")
        login = page.get_by_role("button", name="Đăng nhập")
        alert = page.get_by_role("alert").filter(has_text="chưa chạy")
        alert.or_(login).first.wait_for()
        if login.is_visible():
            login.click()
        alert.wait_for()
        assert "biểu tượng «Sửa nội dung Nông thôn mới»" in alert.inner_text()
        page.wait_for_timeout(1500)
        assert page.locator(".Toastify__toast").count() == 0
        assert "Failed to fetch" not in page.inner_text("body")
    finally:
        page.close()
        server.shutdown()
        server.server_close()
