"""Every text file of the site also written compressed, beside it.

A reader on a slow line pays for every byte, and many hosts send files as
they are (Python's server, a plain object store, an intranet server). A
server that can serve precompressed files (nginx ``gzip_static`` /
``brotli_static``, Caddy ``file_server { precompressed }``, Apache with
mod_rewrite; design/hosting.md) sends ``page.html.br`` or ``page.html.gz``
to a browser that accepts it, with no work per request:

- ``.gz``: gzip at level 9, no file name and time 0 in the header, so the
  same file gives the same bytes on every build;
- ``.br``: Brotli at quality 11 (the ``brotli`` package, Google's library;
  deterministic), when it is installed.

Only where it pays: text types, at least ``MIN_SIZE`` bytes, and a result at
least 10 % smaller. The compressed bytes are kept in ``.cache/compressed/``
by content (claimed and pruned by cachekeep.py like every cache), so a build
after one changed plan compresses a dozen files.
They are not in the offline zip (offline.py), which a browser opens from
disk: it never reads a ``.gz`` there, and they would double the download.
"""

from __future__ import annotations

import gzip
import hashlib
import io
from pathlib import Path

from . import cachekeep
from .atomicfile import write_atomically

try:  # optional: without it, only .gz is written
    import brotli
except ImportError:  # pragma: no cover - brotli is a declared dependency
    brotli = None

TEXT_SUFFIXES = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".ics", ".csv", ".webmanifest", ".map")
COMPRESSED_SUFFIXES = (".gz", ".br")
MIN_SIZE = 512  # bytes: below this, the headers weigh more than the saving
CACHE_DIR = Path(".cache") / "compressed"
CACHE_ENTRIES = r"[0-9a-f]{64}\.(gz|br)"  # the files cachekeep.py may prune
VERSION = "1"


def gzip_bytes(data: bytes) -> bytes:
    """gzip, level 9, no name and time 0: the same input gives the same bytes."""
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=out, mtime=0) as f:
        f.write(data)
    return out.getvalue()


def brotli_bytes(data: bytes) -> bytes:
    return brotli.compress(data, quality=11, mode=brotli.MODE_TEXT)


ENCODERS = {".gz": gzip_bytes, **({".br": brotli_bytes} if brotli is not None else {})}


def wanted(path: Path) -> bool:
    return path.suffix in TEXT_SUFFIXES


def _key(data: bytes, suffix: str) -> str:
    return hashlib.sha256(f"{VERSION}{suffix}\0".encode() + data).hexdigest() + suffix


def _cached(cache: Path | None, data: bytes, suffix: str) -> bytes:
    encode = ENCODERS[suffix]
    if cache is None:
        return encode(data)
    path = cache / _key(data, suffix)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    out = encode(data)
    write_atomically(path, out)
    return out


def precompress(site: Path, cache: Path | None = None, skip: tuple[str, ...] = ()) -> dict:
    """Write ``x.gz`` (and ``x.br``) beside every text file ``x`` of ``site``
    that gains from it; stale ones (of a file now gone or too small) go.
    ``skip``: folders (relative) left as they are. Returns counts for the log."""
    site = Path(site)
    texts = {}
    for path in sorted(site.rglob("*")):
        if not path.is_file() or path.suffix in COMPRESSED_SUFFIXES:
            continue
        rel = path.relative_to(site).as_posix()
        if any(rel.startswith(s.rstrip("/") + "/") for s in skip):
            continue
        texts[path] = path.read_bytes() if wanted(path) else b""
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        # Claimed before any is looked up (cachekeep.py), then kept or pruned
        # with the other caches after the build.
        names = [_key(data, suffix) for data in texts.values() if len(data) >= MIN_SIZE for suffix in ENCODERS]
        cachekeep.claim(cache, names, CACHE_ENTRIES)
    counts = {"files": 0, "written": 0, "raw": 0, "gzip": 0, "brotli": 0}
    for path, data in texts.items():
        targets = {suffix: path.with_name(path.name + suffix) for suffix in COMPRESSED_SUFFIXES}
        made = {}
        if len(data) >= MIN_SIZE:
            for suffix in ENCODERS:
                packed = _cached(cache, data, suffix)
                if len(packed) <= 0.9 * len(data):
                    made[suffix] = packed
        for suffix, target in targets.items():
            if suffix in made:
                if not target.is_file() or target.read_bytes() != made[suffix]:
                    target.write_bytes(made[suffix])
                    counts["written"] += 1
            elif target.exists():
                target.unlink()
        if made:
            counts["files"] += 1
            counts["raw"] += len(data)
            counts["gzip"] += len(made.get(".gz", data))
            counts["brotli"] += len(made.get(".br", made.get(".gz", data)))
    return counts
