"""``ntm edit``: the web editor on one computer, with no git host.

Starts Decap's local backend (``decap-server``, from the npm packages pinned
in package-lock.json) on 127.0.0.1 only, in the mode that writes files
straight into this working copy, then the preview server. The editor at
``http://127.0.0.1:<port>/quan-tri/`` saves into ``materials/`` and
``docs/``; the preview rebuilds and reloads; ``git`` records the changes
when the editor commits them (``ntm luu``).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from .settings import PROXY_ENV

SERVER_SCRIPT = Path("node_modules") / "decap-server" / "dist" / "index.js"
LOOPBACK = "127.0.0.1"


class LocalEditorError(Exception):
    """A Vietnamese message with what to do."""


def free_port(preferred: int) -> int:
    """``preferred`` if nothing listens there, else any free port."""
    for port in (preferred, 0):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind((LOOPBACK, port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise LocalEditorError("Không tìm được cổng mạng trống trên máy này.")


def start_backend(root: Path, port: int, log_file=None) -> subprocess.Popen:
    """Start decap-server on 127.0.0.1:<port>; wait until it answers."""
    node = shutil.which("node")
    script = root / SERVER_SCRIPT
    if node is None:
        raise LocalEditorError("Máy này chưa có Node.js. Chạy «bash scripts/run edit» để cài đủ rồi mở trang quản trị.")
    if not script.is_file():
        raise LocalEditorError(
            "Chưa cài máy chủ cục bộ của trang quản trị (decap-server). Chạy «bash scripts/run edit» "
            "(hoặc «npm ci --ignore-scripts» trong thư mục kho)."
        )
    env = {
        **os.environ,
        "PORT": str(port),
        # decap-server listens on every network interface unless told not to:
        # nobody else on the office network may write into this working copy.
        "BIND_HOST": LOOPBACK,
        "MODE": "fs",
        "GIT_REPO_DIRECTORY": str(root),
        "LOG_LEVEL": "warn",
    }
    process = subprocess.Popen(
        [node, str(script)], cwd=root, env=env, stdout=log_file or subprocess.DEVNULL, stderr=log_file or subprocess.STDOUT
    )
    url = proxy_url(port)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise LocalEditorError(f"Máy chủ cục bộ của trang quản trị dừng ngay khi chạy (mã {process.returncode}).")
        if _answers(url):
            return process
        time.sleep(0.2)
    process.terminate()
    raise LocalEditorError("Máy chủ cục bộ của trang quản trị không trả lời sau 20 giây.")


def proxy_url(port: int) -> str:
    return f"http://{LOOPBACK}:{port}/api/v1"


def _answers(url: str) -> bool:
    request = urllib.request.Request(
        url, data=json.dumps({"action": "info"}).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=1) as response:
            return "repo" in json.loads(response.read() or b"{}")
    except (OSError, ValueError):
        return False


def run(root: Path, addr: str, proxy_port: int = 8081) -> int:
    from ..preview import serve

    host, _, port_text = addr.rpartition(":")
    if host not in (LOOPBACK, "localhost"):
        print("«ntm edit» chỉ chạy trên máy này (127.0.0.1): ai vào được địa chỉ đó cũng sửa được nội dung.", file=sys.stderr)
        return 2
    try:
        port = free_port(proxy_port)
        backend = start_backend(root, port)
    except LocalEditorError as exc:
        print(exc, file=sys.stderr)
        return 1
    # The build writes this address into quan-tri/config.yml.
    os.environ[PROXY_ENV] = proxy_url(port)

    def ready(url: str) -> None:
        print(
            f"\nTrang quản trị: {url}quan-tri/\nXem trước trang web: {url}\n"
            "Mở hai địa chỉ trên bằng trình duyệt. Bấm Ctrl+C ở cửa sổ này để dừng.\n"
            "Các thay đổi được ghi vào thư mục kho. Muốn lưu vào lịch sử (git): «ntm luu».\n",
            flush=True,
        )

    try:
        return serve(root, f"{LOOPBACK}:{port_text}", editor=True, on_ready=ready)
    finally:
        backend.terminate()
        try:
            backend.wait(timeout=5)
        except subprocess.TimeoutExpired:
            backend.kill()
