"""``ntm edit`` serves the editor and the preview of the site on two origins.

A script in a previewed page (content that got past the checks: the
attacker's ``subtitle``) runs on the preview's origin. There it can neither
read the editor's configuration, which holds the run's secret, nor call the
local backend, even when it knows the secret; and the page's own policy
(the site's, plus the live-reload script by hash) refuses an inline script
added to it. The editor's origin serves no page of the site: it sends them
on to the preview.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest

from conftest import copy_repo
from editor_support import SECRET, call, environ, git, own_history, start_edit
from nongthonmoi.editor.backend import LocalBackend

# Every violation the page sees, collected before any script of the page runs.
COLLECT = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sample || ""));
});
"""

# What the attacker's script did (finding 6), and more: read the configuration
# (same origin, then the editor's), call the backend with the secret.
ATTACK = """
async ([editor, api]) => {
  const out = {};
  const text = async (promise) => { try { const r = await promise; return r.status + " " + (await r.text()).slice(0, 400); }
                                    catch (e) { return "refused: " + e.name; } };
  out.sameOrigin = await text(fetch("/quan-tri/config.yml"));
  out.editorOrigin = await text(fetch(editor + "quan-tri/config.yml"));
  const body = JSON.stringify({action: "persistEntry", params: {entry: {path: "docs/bi-chiem.md",
      raw: "---\\ntitle: Trang bị chiếm\\n---\\n\\n# Trang bị chiếm\\n"}, options: {commitMessage: "ghi tu trang khac"}}});
  out.api = await text(fetch(editor.replace(/\\/$/, "") + api, {method: "POST", headers: {"Content-Type": "application/json"}, body}));
  out.apiNoCors = await text(fetch(editor.replace(/\\/$/, "") + api, {method: "POST", mode: "no-cors", body}));
  out.apiHere = await text(fetch(api, {method: "POST", headers: {"Content-Type": "application/json"}, body}));
  return out;
}
"""


@pytest.fixture(scope="module")
def editing(tmp_path_factory):
    root = own_history(copy_repo(tmp_path_factory.mktemp("origins") / "repo"))
    run = start_edit(root)
    yield root, run
    run.stop()


@pytest.mark.slow
def test_a_script_in_a_preview_page_cannot_read_the_secret_or_call_the_backend(editing, chromium):
    root, run = editing
    api = run.api  # what the editor page reads
    secret = api.rsplit("/", 1)[1]
    before = git(root, "rev-parse", "HEAD")
    # The editor's origin sends a page of the site on to the preview, on another origin.
    preview_url = urllib.request.urlopen(run.base + "huong-dan/ai-lam-gi/").geturl()
    context = chromium.new_context()
    context.add_init_script(COLLECT)
    page = context.new_page()
    try:
        page.goto(preview_url, wait_until="load")
        page.wait_for_timeout(300)
        # The preview page runs under the site's policy with no violation (live reload named by hash).
        assert page.evaluate("window.__violations") == []
        assert 'http-equiv="Content-Security-Policy"' in page.content()
        result = page.evaluate(ATTACK, [run.base, api])
        page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';"
                      " document.body.append(s); }")
        page.wait_for_timeout(200)
        ran = page.evaluate("window.__ran || 0")
        violations = page.evaluate("window.__violations")
    finally:
        context.close()
    assert secret not in json.dumps(result), result
    preview = urlsplit(preview_url)
    assert preview.netloc != urlsplit(run.base).netloc and preview.path == "/huong-dan/ai-lam-gi/"
    assert all(v.startswith("refused") or v.startswith("404") for v in result.values()), result
    assert not (root / "docs" / "bi-chiem.md").exists()
    assert git(root, "rev-parse", "HEAD") == before
    assert ran == 0 and any("script-src" in v for v in violations), violations


@pytest.mark.slow
def test_the_editor_origin_serves_the_editor_and_sends_pages_on(editing):
    root, run = editing
    config = urllib.request.urlopen(run.base + "quan-tri/config.yml").read().decode()
    assert "proxy_url: /__ntm/api/" in config
    preview_config = urllib.request.urlopen(run.site + "quan-tri/config.yml")
    # The preview's origin sends the editor's files back to the editor's origin.
    assert urlsplit(preview_config.geturl()).netloc == urlsplit(run.base).netloc
    assert urllib.request.urlopen(run.base + "assets/images/favicon.png").headers["Content-Type"] == "image/png"


def test_a_lone_surrogate_is_a_vietnamese_400(tmp_path):
    """``"\\ud800"`` is valid JSON but no character: refused before any work."""
    backend = LocalBackend(tmp_path, SECRET, 8123)
    body = ('{"action": "persistEntry", "params": {"entry": {"path": "docs/x.md", "raw": "---\\ntitle: x\\ud800\\n---\\n"}}}'
            ).encode()
    status, answer = call(lambda e, s: backend(e, s, e["PATH_INFO"]), environ(body, port=8123))
    assert status == 400 and "ký tự hỏng" in answer["error"]
    assert not (tmp_path / "docs" / "x.md").exists()
    # An emoji written as a JSON escape (a pair) is a character: not refused for that.
    body = '{"action": "info", "params": {"x": "\\ud83d\\ude00"}}'.encode()
    status, answer = call(lambda e, s: backend(e, s, e["PATH_INFO"]), environ(body, port=8123))
    assert status == 200, answer


@pytest.mark.slow
def test_the_editors_script_is_kept_by_the_browser_and_its_configuration_is_not(editing):
    """Decap's 5 MB script is asked again with its ETag and not sent (304):
    on a slow computer it is neither downloaded nor compiled on every
    opening. The configuration holds this run's secret: never kept."""
    root, run = editing
    first = urllib.request.urlopen(run.base + "quan-tri/decap-cms.js")
    body, tag = first.read(), first.headers["ETag"]
    assert len(body) > 1_000_000 and first.headers["Cache-Control"] == "no-cache" and tag
    again = urllib.request.Request(run.base + "quan-tri/decap-cms.js", headers={"If-None-Match": tag})
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(again)  # urllib raises on 304
    assert answer.value.code == 304 and answer.value.read() == b""
    stale = urllib.request.Request(run.base + "quan-tri/decap-cms.js", headers={"If-None-Match": '"old"'})
    assert urllib.request.urlopen(stale).read() == body
    for secret_or_page in ("quan-tri/config.yml", "quan-tri/"):
        sent = urllib.request.urlopen(run.base + secret_or_page)
        assert sent.headers["Cache-Control"] == "no-store" and sent.headers["ETag"] is None, secret_or_page


def test_a_rebuilt_editor_file_is_sent_anew_with_its_new_tag(tmp_path):
    """The server keeps each static file's ETag and the configuration it
    serves while the file stays as it was; a rebuild (which replaces files)
    gets the new bytes and a new tag to the browser at once, even with the
    same size and time."""
    import os

    from nongthonmoi.preview import PreviewServer

    site = tmp_path / "site"
    (site / "quan-tri").mkdir(parents=True)
    script, config = site / "quan-tri" / "decap-cms.js", site / "quan-tri" / "config.yml"
    script.write_text("console.log(1);\n")
    config.write_text("backend:\n  name: github\ncollections: []\nsite_url: http://a.invalid/\n")
    server = PreviewServer(lambda: None, "127.0.0.1", 0, str(site), root=tmp_path)
    try:
        def get(rel: str, tag: str = "") -> tuple[str, dict, bytes]:
            seen = {}
            body = server._serve_editor("/" + rel, lambda status, headers: seen.update(status=status, headers=dict(headers)),
                                        {"HTTP_IF_NONE_MATCH": tag} if tag else {})
            return seen["status"], seen["headers"], b"".join(body)

        status, headers, body = get("quan-tri/decap-cms.js")
        assert status == "200 OK" and body == b"console.log(1);\n"
        tag = headers["ETag"]
        assert get("quan-tri/decap-cms.js", tag)[0] == "304 Not Modified"
        assert b"a.invalid" in get("quan-tri/config.yml")[2]
        # A rebuild: new files in place of the old ones, same size, same time.
        stamp = script.stat().st_mtime_ns
        for path, text in ((script, "console.log(2);\n"), (config, config.read_text().replace("a.invalid", "b.invalid"))):
            fresh = path.with_suffix(".new")
            fresh.write_text(text)
            os.utime(fresh, ns=(stamp, stamp))
            fresh.replace(path)
        status, headers, body = get("quan-tri/decap-cms.js", tag)
        assert status == "200 OK" and body == b"console.log(2);\n" and headers["ETag"] != tag
        assert get("quan-tri/decap-cms.js", headers["ETag"])[0] == "304 Not Modified"
        served = get("quan-tri/config.yml")[2]
        assert b"b.invalid" in served and b"a.invalid" not in served
    finally:
        server.server_close()
