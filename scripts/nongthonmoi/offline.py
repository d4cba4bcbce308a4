"""The offline copy: a zip of the site that works opened from the file system.

``mkdocs build`` builds the site a second time, in a subprocess, with
``NTM_OFFLINE=1``. That switches on Material's ``offline`` plugin (plain
``page.html`` links instead of folders, the search index as a script) and
:func:`configure` points Material at the iframe-worker shim shipped in
``overrides/assets/javascripts/iframe-worker/`` instead of the public CDN, so
search works on a computer without network. The result is zipped with fixed
timestamps and sorted entries, so the same sources give the same bytes, and
published at :data:`ZIP_PATH` inside the main site.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ENV = "NTM_OFFLINE"
ZIP_PATH = "tai-ve/nong-thon-moi-di-linh.zip"
# Folder the zip unpacks into; the reader opens <FOLDER>/index.html.
FOLDER = "nong-thon-moi-di-linh"
SHIM = "assets/javascripts/iframe-worker/shim.js"

# Not needed from file://: source maps, the JSON index (the offline plugin
# writes search/search_index.js), sitemaps, 404.html (served by web servers
# only, with absolute links), and lunr languages other than Vietnamese (the
# worker loads only the stemmer support and lunr.vi).
_LUNR_KEEP = {"lunr.stemmer.support.min.js", "lunr.vi.min.js"}


def is_offline_build() -> bool:
    return os.environ.get(ENV, "") not in ("", "0", "false")


def configure(config) -> None:
    """In the offline build: load the local iframe-worker shim.

    Runs before Material's offline plugin, which then sees an iframe-worker
    polyfill and does not add ``https://unpkg.com/iframe-worker/shim``.
    """
    polyfills = config.extra.get("polyfills") or []
    if SHIM not in polyfills:
        config.extra["polyfills"] = [*polyfills, SHIM]


def _wanted(rel: str) -> bool:
    if rel in (ZIP_PATH, "404.html") or rel.endswith(".map") or rel.startswith("sitemap.xml"):
        return False
    if rel.startswith("quan-tri/"):
        return False  # the web editor needs a git host or ntm edit, not a folder on disk
    if rel == "search/search_index.json":
        return False
    if rel.startswith("assets/javascripts/lunr/"):
        return Path(rel).name in _LUNR_KEEP
    return True


def _zip_time() -> tuple[int, int, int, int, int, int]:
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or 315532800)
    # Zip dates start in 1980 and have two-second resolution.
    return time.gmtime(max(epoch, 315532800))[:6]


def zip_folder(folder: Path) -> bytes:
    """Deterministic zip of ``folder``: sorted entries, one fixed timestamp."""
    stamp = _zip_time()
    files = sorted(
        p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for rel in files:
            if not _wanted(rel):
                continue
            info = zipfile.ZipInfo(f"{FOLDER}/{rel}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever the build machine
            zf.writestr(info, (folder / rel).read_bytes(), compresslevel=9)
    return buffer.getvalue()


# What the editor reads when the offline copy fails (the build's own lines follow).
OFFLINE_FAILED = (
    "Không dựng được bản dùng không cần mạng (offline), nên chưa đăng được trang. "
    "Các vấn đề bản dựng này gặp (sửa như sửa lỗi của trang web):"
)


def _problems(output: str) -> str:
    """The warnings and errors of a build log, without its INFO lines."""
    lines = [line for line in output.splitlines() if line.strip() and not line.startswith("INFO")]
    return "\n".join(lines) or output.strip()


def build_zip(config_file: str) -> bytes:
    """Build the offline copy into a temporary folder and return its zip.

    Strict like the site: no ``-q``, which raises MkDocs' log level above
    WARNING, so strict mode would count nothing and a broken link would ship
    in the zip.
    """
    config_file = str(Path(config_file).resolve())
    with tempfile.TemporaryDirectory(prefix="ntm-offline-") as tmp:
        site = Path(tmp) / "site"
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config_file, "-d", str(site)],
            cwd=Path(config_file).parent,
            capture_output=True,
            text=True,
            # "true": mkdocs.yml reads it with !ENV as a YAML boolean.
            env={**os.environ, ENV: "true", "NO_MKDOCS_2_WARNING": "1"},
        )
        if result.returncode != 0:
            raise RuntimeError(OFFLINE_FAILED + "\n" + _problems(result.stderr + result.stdout))
        return zip_folder(site)


def _preview_placeholder() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo(f"{FOLDER}/DOC-TRUOC.txt", date_time=_zip_time())
        zf.writestr(
            info,
            "Đây là bản xem trước trên máy biên tập, không kèm bản dùng không cần mạng.\n"
            "Bản dùng không cần mạng có trên trang web đã đăng, mục «Tải về».\n",
        )
    return buffer.getvalue()


def site_file(config, command: str):
    """The zip as a generated MkDocs file at :data:`ZIP_PATH`.

    Inside the offline build itself it is an empty placeholder (so the home
    page link validates) that :func:`zip_folder` leaves out. The preview
    (``ntm serve``, ``ntm edit``) gets a small zip that says where the real
    copy is: building the whole site a second time would delay every start
    of the preview by as long as the site itself takes.
    """
    from mkdocs.structure.files import File

    if is_offline_build():
        content = b""
    elif command == "serve":
        content = _preview_placeholder()
    else:
        content = build_zip(config.config_file_path)
    return File.generated(config, ZIP_PATH, content=content)
