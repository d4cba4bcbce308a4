"""``ntm edit``: the web editor on one computer, with no git host.

The preview server (preview.py) serves the editor and its local backend
(backend.py) on the address given (127.0.0.1 only), and the preview of the
site on another port of 127.0.0.1 that the system picks: two origins, so a
script in a previewed page can neither read the editor's configuration nor
call the backend. Each run makes a new secret, given to the editor page
inside the configuration it loads; the backend answers only requests that
carry it, from the editor's own origin.

With ``--mo-trinh-duyet`` (what the desktop launcher runs) the browser opens
on the editor; a second launch while one run is already serving the same
folder just opens the browser again.
"""

from __future__ import annotations

import json
import secrets
import socket
import sys
import urllib.request
import webbrowser
from pathlib import Path

LOOPBACK = "127.0.0.1"


class LocalEditorError(Exception):
    """A Vietnamese message with what to do."""


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((LOOPBACK, port))
        except OSError:
            return True
    return False


def running_editor(port: int) -> bool:
    """Is an editing run (ours) already answering on this port?"""
    try:
        with urllib.request.urlopen(f"http://{LOOPBACK}:{port}/__ntm/dang-chay", timeout=2) as answer:
            return bool(json.loads(answer.read()).get("ntm_edit"))
    except (OSError, ValueError):
        return False


def run(root: Path, addr: str, open_browser: bool = False) -> int:
    from ..preview import serve
    from .backend import LocalBackend

    host, _, port_text = addr.rpartition(":")
    if host not in (LOOPBACK, "localhost"):
        print("«ntm edit» chỉ chạy trên máy này (127.0.0.1): ai vào được địa chỉ đó cũng sửa được nội dung.", file=sys.stderr)
        return 2
    port = int(port_text)
    if port_in_use(port):
        if running_editor(port):
            # The launcher clicked twice: the editor is already there.
            if open_browser:
                webbrowser.open(f"http://{LOOPBACK}:{port}/quan-tri/")
            print(f"Trang quản trị đang chạy: http://{LOOPBACK}:{port}/quan-tri/")
            return 0
        print(f"Cổng {port} đang bận (một chương trình khác dùng). Chạy «ntm edit --addr 127.0.0.1:<cổng khác>».", file=sys.stderr)
        return 1
    preview_port = free_port()
    backend = LocalBackend(root, secrets.token_urlsafe(32), port)
    backend.preview_port = preview_port  # «Xem thử» opens the page there

    def ready(url: str) -> None:
        print(
            f"\nTrang quản trị: {url}quan-tri/\nXem trước trang web: http://{LOOPBACK}:{preview_port}/\n"
            "Mỗi lần lưu trong trang quản trị được ghi vào lịch sử (git) và gửi lên kho chung nếu có.\n"
            "Bấm Ctrl+C ở cửa sổ này để dừng.\n",
            flush=True,
        )

    return serve(root, f"{LOOPBACK}:{preview_port}", backend=backend, on_ready=ready,
                 open_browser="quan-tri/" if open_browser else None, editor_addr=f"{LOOPBACK}:{port}")


def free_port() -> int:
    """A port of 127.0.0.1 nobody uses now, for the preview of the site."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]
