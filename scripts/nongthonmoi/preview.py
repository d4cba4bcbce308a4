"""The preview server of ``ntm serve`` and ``ntm edit``.

MkDocs' own ``serve`` keeps the browser waiting, page after page, while the
build is broken, and prints the reason in English in a terminal the editor
may not be looking at. This server builds the same way (MkDocs' live-reload
server, dirty rebuilds) but when a build fails it shows the Vietnamese
problems in the browser, over the last good page, and reloads the page by
itself once the file is fixed. Under ``ntm edit`` it also answers the web
editor's question "may I save this?" (``/__ntm/kiem-tra``) and serves the
editor without the live-reload script, so a rebuild after a save never
reloads a form in the middle of an edit.
"""

from __future__ import annotations

import html
import json
import logging
import shutil
import tempfile
import time
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.livereload import _SCRIPT_TEMPLATE, LiveReloadServer

CHECK_PATH = "/__ntm/kiem-tra"
EDITOR_PREFIX = "quan-tri/"
MAX_CHECK_BYTES = 2_000_000


class _Problems(logging.Handler):
    """Collects what MkDocs and the plugin log during one build."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
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


class PreviewServer(LiveReloadServer):
    def __init__(self, *args, root: Path, editor: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.repo_root = root
        self.editor = editor
        self.errors: list[str] = []
        self.warnings: list[str] = []

    # --- what the browser gets ---------------------------------------------

    @staticmethod
    def _guess_type(path):
        # The editor reads its configuration as YAML.
        if path.endswith((".yml", ".yaml")):
            return "text/yaml; charset=utf-8"
        return LiveReloadServer._guess_type(path)

    def _inject_js_into_html(self, content, epoch):
        content = super()._inject_js_into_html(content, epoch)
        if self.errors or self.warnings:
            at = content.rfind(b"</body>")
            at = len(content) if at < 0 else at
            content = content[:at] + _overlay(self.errors, self.warnings) + content[at:]
        return content

    def _serve_request(self, environ, start_response):
        path = environ["PATH_INFO"].encode("latin-1").decode("utf-8", "ignore")
        if path == CHECK_PATH:
            return self._check(environ, start_response)
        if (path + "/").startswith(self.mount_path + EDITOR_PREFIX):
            return self._serve_editor(path, start_response)
        return super()._serve_request(environ, start_response)

    def _serve_editor(self, path: str, start_response):
        # The editor is a single-page app: no live-reload script in it.
        rel = path[len(self.mount_path) :]
        if rel.endswith("/") or rel == EDITOR_PREFIX.rstrip("/"):
            rel = EDITOR_PREFIX + "index.html"
        target = (Path(self.root) / rel).resolve()
        if not target.is_relative_to(Path(self.root).resolve()) or not target.is_file():
            return None
        data = target.read_bytes()
        start_response("200 OK", [("Content-Type", self._guess_type(str(target))), ("Content-Length", str(len(data)))])
        return [data]

    def _check(self, environ, start_response):
        from .editor.check import check_entry

        def answer(status: str, payload: dict):
            data = json.dumps(payload, ensure_ascii=False).encode()
            start_response(status, [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(data)))])
            return [data]

        if not self.editor or environ.get("REQUEST_METHOD") != "POST":
            return answer("404 Not Found", {"errors": []})
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length <= 0 or length > MAX_CHECK_BYTES:
            return answer("400 Bad Request", {"errors": ["Dữ liệu gửi lên quá lớn hoặc rỗng."]})
        try:
            request = json.loads(environ["wsgi.input"].read(length))
            errors = check_entry(
                self.repo_root, str(request.get("collection", "")), dict(request.get("data") or {}), str(request.get("slug", ""))
            )
        except (ValueError, TypeError, AttributeError):
            return answer("400 Bad Request", {"errors": ["Không đọc được dữ liệu của biểu mẫu."]})
        return answer("200 OK", {"errors": errors})

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


def serve(root: Path, addr: str = "127.0.0.1:8000", *, editor: bool = False, on_ready=None) -> int:
    """Build, serve and rebuild on change until Ctrl+C. Returns an exit code."""
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

    config = get_config()
    config.plugins.on_startup(command="serve", dirty=True)
    config.site_url = serve_url
    server = PreviewServer(lambda: None, host, port, site_dir, root=root, editor=editor)

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
        if on_ready:
            on_ready(serve_url)
        try:
            server.serve()
        except KeyboardInterrupt:
            print("Đã dừng.")
        finally:
            server.shutdown()
    finally:
        config.plugins.on_shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)
    return 0

