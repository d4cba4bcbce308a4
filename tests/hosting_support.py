"""Run the web server configurations of design/hosting/ (nginx, Caddy, Apache)
for real, on 127.0.0.1 and a free port, around a built site: shared by
tests/test_hosting.py and benchmarks/page_speed.py.

Each snippet is used as written; only its site folder, name and port are
replaced, and the few lines a server needs to run as a test (its own pid and
log files, no admin port) are wrapped around it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "design" / "hosting"
SITE_DIR = "/srv/nong-thon-moi/site"
NAME = "nongthonmoi.example.vn"
SERVERS = {"nginx": "/usr/sbin/nginx", "caddy": "/usr/bin/caddy", "apache": "/usr/sbin/apache2"}
NGINX_BROTLI = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
APACHE_MODULES = Path("/usr/lib/apache2/modules")


def installed(server: str) -> bool:
    return Path(SERVERS[server]).exists() and (server != "nginx" or NGINX_BROTLI.exists())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def readable_copy(site: Path):
    """The site in a folder every user can read: nginx's and Apache's workers
    do not run as root, and pytest's folders are the owner's only."""
    base = Path(tempfile.mkdtemp(prefix="ntm-hosting-"))
    try:
        os.chmod(base, 0o755)
        target = base / "site"
        shutil.copytree(site, target)
        for folder, dirs, files in os.walk(target):
            os.chmod(folder, 0o755)
            for name in files:
                os.chmod(Path(folder) / name, 0o644)
        yield target
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _snippet(name: str, site: Path, port: int) -> str:
    text = (SNIPPETS / name).read_text(encoding="utf-8")
    return text.replace(SITE_DIR, str(site))


def _nginx(site: Path, port: int, work: Path) -> list[str]:
    server = _snippet("nginx.conf", site, port).replace("listen 80;", f"listen 127.0.0.1:{port};")
    (work / "nginx.conf").write_text(
        f"load_module {NGINX_BROTLI};\n"
        f"daemon off;\nworker_processes 1;\npid {work}/nginx.pid;\nerror_log {work}/error.log;\n"
        "events { worker_connections 64; }\n"
        "http {\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n"
        f"  access_log off;\n  client_body_temp_path {work}/body;\n"
        f"{server}\n}}\n",
        encoding="utf-8",
    )
    return [SERVERS["nginx"], "-p", str(work), "-c", str(work / "nginx.conf")]


def _caddy(site: Path, port: int, work: Path) -> list[str]:
    body = _snippet("Caddyfile", site, port).replace(f"{NAME} {{", f"http://127.0.0.1:{port} {{")
    (work / "Caddyfile").write_text("{\n\tadmin off\n\tauto_https off\n}\n" + body, encoding="utf-8")
    return [SERVERS["caddy"], "run", "--adapter", "caddyfile", "--config", str(work / "Caddyfile")]


def _apache(site: Path, port: int, work: Path) -> list[str]:
    host = _snippet("apache.conf", site, port).replace("<VirtualHost *:80>", f"<VirtualHost 127.0.0.1:{port}>")
    modules = ["mpm_event", "authz_core", "dir", "mime", "rewrite", "headers", "alias", "env"]
    loads = "".join(f"LoadModule {m}_module {APACHE_MODULES}/mod_{m}.so\n" for m in modules)
    (work / "apache.conf").write_text(
        loads
        + f"ServerRoot {work}\nServerName 127.0.0.1\nListen 127.0.0.1:{port}\nPidFile {work}/apache.pid\n"
        f"ErrorLog {work}/error.log\nUser www-data\nGroup www-data\nDirectoryIndex index.html\n"
        "TypesConfig /etc/mime.types\nMutex file:" + str(work) + " default\n"
        + host,
        encoding="utf-8",
    )
    return [SERVERS["apache"], "-f", str(work / "apache.conf"), "-DFOREGROUND"]


MAKE = {"nginx": _nginx, "caddy": _caddy, "apache": _apache}


@contextlib.contextmanager
def serving(server: str, site: Path):
    """Base URL of ``site`` served by ``server`` with its configuration of
    design/hosting/; the server is stopped (by its process id) on exit."""
    work = Path(tempfile.mkdtemp(prefix=f"ntm-{server}-"))
    os.chmod(work, 0o755)
    port = free_port()
    command = MAKE[server](site, port, work)
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=work)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if process.poll() is not None:
                errors = process.stderr.read().decode(errors="replace")
                log = work / "error.log"
                raise RuntimeError(f"{server} stopped: {errors} {log.read_text() if log.exists() else ''}")
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        else:
            raise RuntimeError(f"{server} did not start on port {port}")
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        # nginx's and Apache's workers end with their master (SIGTERM).
        shutil.rmtree(work, ignore_errors=True)
