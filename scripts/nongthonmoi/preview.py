"""The preview server of ``ntm serve`` and ``ntm edit``.

MkDocs' own ``serve`` keeps the browser waiting, page after page, while the
build is broken, and prints the reason in English in a terminal the editor
may not be looking at. This server builds the same way (MkDocs' live-reload
server, dirty rebuilds) but when a build fails it shows the Vietnamese
problems in the browser, over the last good page, and reloads the page by
itself once the file is fixed.

Under ``ntm edit`` two servers share one build, on two origins (two ports
of 127.0.0.1), so that no page of the site can read the editor's secret:

- the editor's origin (the address given, ``--addr``): the editor
  (``quan-tri/``, its configuration with this run's secret), its local
  backend (editor/backend.py, at ``/__ntm/api/<secret>``), and the few
  pictures and stylesheets of ``assets/`` it uses; every other address is
  sent on (302) to the same address on the preview's origin;
- the preview's origin (a port the system picks): the site's pages, each
  with the site's Content-Security-Policy (the live-reload script named by
  its hash); ``quan-tri/`` there is sent on to the editor's origin, and the
  backend is not there.

A script in a previewed page (content that got past the checks) runs on the
preview's origin: it can neither read the editor's configuration (another
origin: the browser keeps the answer from it) nor call the backend (which
takes only the editor's Origin, and the secret it cannot read).

The editor is served without the live-reload script, so a rebuild after a
save never reloads a form in the middle of an edit.

Every request must name this server as ``127.0.0.1:<port>`` or
``localhost:<port>`` (or the address it was started on): a page of another
site whose name was pointed at this computer (DNS rebinding) gets nothing.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import re
import shutil
import socketserver
import tempfile
import threading
import time
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.livereload import _SCRIPT_TEMPLATE, LiveReloadServer
from mkdocs.livereload import _Handler as _MkDocsHandler

EDITOR_PREFIX = "quan-tri/"
RUNNING_PATH = "/__ntm/dang-chay"  # the launcher asks whether an editing run is already there


class _Problems(logging.Handler):
    """Collects what MkDocs and the plugin log during one build."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if "'dirty' build" in text or "bản dựng nhanh" in text:
            return  # how the preview builds, not something an editor can fix
        (self.errors if record.levelno >= logging.ERROR else self.warnings).append(text)


def _overlay(errors: list[str], warnings: list[str]) -> bytes:
    """A box over the page with what stops (or would stop) the build."""
    if errors:
        head = "Bản xem trước chưa cập nhật được: nội dung có lỗi"
        note = "Trang bên dưới là bản trước khi sửa. Sửa tệp theo hướng dẫn, lưu lại: trang tự tải lại."
        items = errors
    else:
        head = f"Có {len(warnings)} cảnh báo: bản dựng chính thức sẽ dừng ở đây"
        note = "Xem trước vẫn chạy, nhưng phải sửa trước khi đăng."
        items = warnings
    body = "".join(f"<li><pre>{html.escape(item)}</pre></li>" for item in items[:30])
    return (
        '<div id="ntm-loi-xem-truoc" role="alert" style="position:fixed;left:0;right:0;bottom:0;'
        "max-height:60vh;overflow:auto;z-index:10000;background:#fff;color:#000;border-top:4px solid #b71c1c;"
        'padding:12px 16px;font:15px/1.5 sans-serif;box-shadow:0 -2px 8px rgba(0,0,0,.3)">'
        f"<strong>{html.escape(head)}</strong><p style=\"margin:4px 0\">{html.escape(note)}</p>"
        f'<ul style="margin:0;padding-left:20px">{body}</ul>'
        '<pre style="display:none"></pre></div>'
    ).encode()


# What the editor's origin serves from assets/ besides quan-tri/: pictures,
# fonts and stylesheets (no document a browser would run).
_EDITOR_ASSETS = {".png", ".ico", ".jpg", ".webp", ".woff2", ".css"}


def _etag(data: bytes) -> str:
    return '"' + hashlib.sha256(data).hexdigest()[:32] + '"'


class _Handler(_MkDocsHandler):
    # A redirect between the two origins is how ntm edit works, not a
    # problem of the build (MkDocs logs every answer but 200 as a warning,
    # which the preview would show over the page).
    def log_request(self, code="-", size="-"):
        if str(code) in ("302", "304"):
            return
        super().log_request(code, size)


class PreviewServer(LiveReloadServer):
    """One origin of the preview: the site's (``editor_url``: where the
    editor is), or under ``ntm edit`` the editor's (``backend``; with
    ``preview_url``: where the site's pages are)."""

    def __init__(self, *args, root: Path, backend=None, editor_url: str | None = None, preview_url: str | None = None,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.RequestHandlerClass = _Handler
        self.repo_root = root
        self.backend = backend  # editor/backend.py LocalBackend under `ntm edit`
        self.editor_url = editor_url
        self.preview_url = preview_url
        self.errors: list[str] = []
        self.warnings: list[str] = []
        host, port = args[1], args[2]
        self.hosts = {f"{host}:{port}"}
        if host in ("127.0.0.1", "localhost"):
            self.hosts |= {f"127.0.0.1:{port}", f"localhost:{port}"}
        # What the editor's files cost to answer, kept while the file's
        # (mtime, size) stays: the configuration as served (a YAML parse and
        # dump, a tenth of a second) and each static file's ETag (a hash of
        # Decap's 5 MB script, read for nothing when the browser has it).
        self._config_cache: tuple[tuple, bytes] | None = None
        self._tags: dict[str, tuple[tuple, str]] = {}

    @property
    def editor(self) -> bool:
        return self.backend is not None

    # --- what the browser gets ---------------------------------------------

    @staticmethod
    def _guess_type(path):
        # The editor reads its configuration as YAML.
        if path.endswith((".yml", ".yaml")):
            return "text/yaml; charset=utf-8"
        return LiveReloadServer._guess_type(path)

    def _inject_js_into_html(self, content, epoch):
        # MkDocs' own injection, plus the problems box, then the page's
        # policy again (csp.py): the templates' scripts and this live-reload
        # script by hash, the box's style attributes by theirs.
        from . import csp

        at = content.rfind(b"</body>")
        at = len(content) if at < 0 else at
        script = _SCRIPT_TEMPLATE.substitute(epoch=epoch, request_id=int(time.monotonic() * 1000))
        box = _overlay(self.errors, self.warnings) if self.errors or self.warnings else b""
        content = content[:at] + box + b"<script>" + script.encode() + b"</script>" + content[at:]
        if b'http-equiv="Content-Security-Policy"' not in content[:4000]:
            return content
        return csp.add_policy(content.decode("utf-8"), extra_scripts=(script,)).encode("utf-8")

    @staticmethod
    def _redirect(start_response, url: str):
        start_response("302 Found", [("Location", url), ("Content-Length", "0"), ("Cache-Control", "no-store")])
        return [b""]

    def _serve_request(self, environ, start_response):
        if environ.get("HTTP_HOST", "") not in self.hosts:
            # DNS rebinding: another site's name pointed at this computer.
            start_response("403 Forbidden", [("Content-Type", "text/plain; charset=utf-8")])
            return ["Địa chỉ không hợp lệ: mở bằng http://127.0.0.1 hoặc http://localhost.".encode()]
        path = environ["PATH_INFO"].encode("latin-1").decode("utf-8", "ignore")
        from .editor.backend import API_PREFIX

        if path.startswith(API_PREFIX) or path == API_PREFIX.rstrip("/"):
            if self.backend is None:
                return self._json(start_response, "404 Not Found", {"error": "Trang quản trị trên máy này chưa chạy."})
            return self.backend(environ, start_response, path)
        if path == RUNNING_PATH:
            return self._json(start_response, "200 OK", {"ntm_edit": self.editor})
        query = "?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else ""
        in_editor = (path + "/").startswith(self.mount_path + EDITOR_PREFIX)
        if in_editor and self.editor_url:
            # The site's origin never serves the editor (nor its secret).
            return self._redirect(start_response, self.editor_url + path[len(self.mount_path):] + query)
        if in_editor:
            return self._serve_editor(path, start_response, environ)
        if self.backend is not None and self.preview_url:
            # The editor's origin serves no page of the site: a page's script would share its origin.
            rel = path[len(self.mount_path):]
            if rel.startswith("assets/") and Path(rel).suffix.lower() in _EDITOR_ASSETS:
                return self._serve_asset(rel, start_response, environ)
            if rel == "":
                return self._redirect(start_response, self.mount_path + EDITOR_PREFIX)
            return self._redirect(start_response, self.preview_url + rel + query)
        return super()._serve_request(environ, start_response)

    def _serve_asset(self, rel: str, start_response, environ):
        target = (Path(self.root) / rel).resolve()
        if not target.is_relative_to(Path(self.root).resolve()) or not target.is_file() or ".." in rel.split("/"):
            return None
        return self._send_static(target, [("Content-Type", self._guess_type(str(target))), ("X-Content-Type-Options", "nosniff")],
                                 start_response, environ)

    def _send_static(self, target: Path, headers: list, start_response, environ):
        """A file the same for every run (Decap's 5 MB script, styles, fonts):
        the browser keeps it and asks whether it changed (an ETag of its
        bytes; 304 when not), so it is neither downloaded nor compiled again
        on every opening of the editor. The configuration and the page carry
        this run's details: they are sent with ``no-store`` instead."""
        stat = target.stat()
        stamp = (stat.st_mtime_ns, stat.st_size, stat.st_ino)  # the build replaces files, never edits them
        known = self._tags.get(str(target))
        data = None
        if known is None or known[0] != stamp:
            data = target.read_bytes()
            known = self._tags[str(target)] = (stamp, _etag(data))
        if known[1] in [t.strip() for t in environ.get("HTTP_IF_NONE_MATCH", "").split(",")]:
            start_response("304 Not Modified",
                           [*(h for h in headers if h[0] != "Content-Type"), ("Cache-Control", "no-cache"), ("ETag", known[1])])
            return [b""]
        if data is None:
            data = target.read_bytes()
        start_response("200 OK", [*headers, ("Cache-Control", "no-cache"), ("ETag", known[1]), ("Content-Length", str(len(data)))])
        return [data]

    @staticmethod
    def _json(start_response, status: str, payload: dict):
        data = json.dumps(payload, ensure_ascii=False).encode()
        start_response(status, [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(data))),
                                ("Cache-Control", "no-store")])
        return [data]

    def _serve_editor(self, path: str, start_response, environ):
        # The editor is a single-page app: no live-reload script in it.
        from .editor.csp import editor_headers

        rel = path[len(self.mount_path) :]
        if rel.endswith("/") or rel == EDITOR_PREFIX.rstrip("/"):
            rel = EDITOR_PREFIX + "index.html"
        target = (Path(self.root) / rel).resolve()
        if not target.is_relative_to(Path(self.root).resolve()) or not target.is_file():
            return None
        if not rel.endswith((".html", ".yml")):
            return self._send_static(target, [("Content-Type", self._guess_type(str(target)))], start_response, environ)
        if rel == EDITOR_PREFIX + "config.yml":
            data = self._editor_config(target)
        else:
            data = target.read_bytes()
        if rel.endswith(".html") and self.backend is not None:
            # Whatever git host the build was made for, here the editor saves on this computer.
            data = re.sub(rb'data-ntm-backend="[^"]*"', b'data-ntm-backend="local"', data)
        headers = [("Content-Type", self._guess_type(str(target))), ("Content-Length", str(len(data))),
                   ("Cache-Control", "no-store")]
        if rel.endswith(".html"):
            headers += editor_headers()
        start_response("200 OK", headers)
        return [data]

    def _editor_config(self, built: Path) -> bytes:
        """The built configuration, pointed at this run's local backend (with its secret)."""
        from .editor.config import local_config

        stat = built.stat()
        stamp = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        if self._config_cache is None or self._config_cache[0] != stamp:
            self._config_cache = (stamp, local_config(built.read_bytes(), self.backend.api_path if self.backend else None))
        return self._config_cache[1]

    def error_page(self, code: int) -> bytes | None:
        """A page of its own when there is no good page to show yet."""
        if not self.errors and code != 404:
            return None
        page = (Path(self.root) / f"{code}.html")
        if page.is_file() and not self.errors:
            return page.read_bytes()
        script = _SCRIPT_TEMPLATE.substitute(epoch=self._visible_epoch, request_id=int(time.monotonic() * 1000))
        head = "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Xem trước</title></head><body>"
        if not self.errors:
            head += "<p>Không có trang này.</p>"
        return (head + _overlay(self.errors, self.warnings).decode() + f"<script>{script}</script></body></html>").encode()


def serve(root: Path, addr: str = "127.0.0.1:8000", *, backend=None, on_ready=None, open_browser: str | None = None,
          editor_addr: str | None = None) -> int:
    """Build, serve and rebuild on change until Ctrl+C. Returns an exit code.

    ``backend`` and ``editor_addr`` (``ntm edit``): the editor and its backend
    are served on ``editor_addr``, another origin than the site's ``addr``."""
    host, _, port_text = addr.rpartition(":")
    host, port = host or "127.0.0.1", int(port_text)
    site_dir = tempfile.mkdtemp(prefix="ntm-xem-truoc-")
    config_file = str(root / "mkdocs.yml")
    serve_url = f"http://{host}:{port}/"
    logger = logging.getLogger("mkdocs")

    def get_config():
        # Not strict: every problem is shown in the browser instead of stopping.
        config = load_config(config_file=config_file, site_dir=site_dir, strict=False, dev_addr=f"{host}:{port}")
        config.watch.append(str(root / "materials"))
        return config

    # What the build says goes to this terminal too, in Vietnamese.
    from . import buildlog
    from .engine import _Lines

    terminal = logging.StreamHandler()
    terminal.setFormatter(_Lines())
    terminal.addFilter(lambda record: "'dirty' build" not in record.getMessage())
    logger.addHandler(terminal)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    buildlog.install(root / "docs", root / "mkdocs.yml")
    config = get_config()
    config.plugins.on_startup(command="serve", dirty=True)
    config.site_url = serve_url
    editor = None
    if backend is not None and editor_addr:
        editor_host, _, editor_port = editor_addr.rpartition(":")
        editor_url = f"http://{editor_host}:{editor_port}/"
        server = PreviewServer(lambda: None, host, port, site_dir, root=root, editor_url=editor_url)
        editor = PreviewServer(lambda: None, editor_host, int(editor_port), site_dir, root=root, backend=backend,
                               preview_url=serve_url)
        editor.error_handler = lambda code: None  # never a page of the site on the editor's origin
    else:
        server = PreviewServer(lambda: None, host, port, site_dir, root=root, backend=backend)

    def builder(current=None):
        problems = _Problems()
        logger.addHandler(problems)
        try:
            current = current or get_config()
            current.site_url = serve_url
            build(current, serve_url=serve_url, dirty=True)
        except BaseException as exc:  # noqa: BLE001 - any failure is shown in the browser
            if isinstance(exc, KeyboardInterrupt):
                raise
            if not problems.errors:
                problems.errors.append(str(exc) or exc.__class__.__name__)
        finally:
            logger.removeHandler(problems)
        server.errors, server.warnings = problems.errors, problems.warnings

    server.builder = builder
    server.error_handler = server.error_page
    try:
        builder(config)
        server.watch(config.docs_dir)
        server.watch(config_file)
        server = config.plugins.on_serve(server, config=config, builder=builder)
        for item in config.watch:
            server.watch(item)
        if editor is not None:
            # The editor's origin: files of the same build, its own thread.
            editor.server_bind()
            editor.server_activate()
            threading.Thread(target=editor.serve_forever, daemon=True).start()
        if on_ready:
            on_ready(editor.url if editor is not None else serve_url)
        if open_browser:
            import webbrowser

            # Once the server listens (serve() binds first, then builds in a loop).
            threading.Timer(1.0, webbrowser.open, args=((editor.url if editor is not None else serve_url) + open_browser,)).start()
        try:
            server.serve()
        except KeyboardInterrupt:
            print("Đã dừng.")
        finally:
            server.shutdown()
            if editor is not None:
                socketserver.BaseServer.shutdown(editor)
                editor.server_close()
    finally:
        config.plugins.on_shutdown()
        logger.removeHandler(terminal)
        shutil.rmtree(site_dir, ignore_errors=True)
    return 0

