"""The build engine can change: MkDocs 1.6 is no longer developed and
ProperDocs is its drop-in fork. Both build this site, byte for byte the same
but for the generator tag, and under both a failed strict build keeps the
previous site (the plugin relies on documented events, not logger names).
"""

from __future__ import annotations

import hashlib
import os
import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import BIN, copy_repo

pytestmark = pytest.mark.skipif(not (BIN / "properdocs").exists(), reason="properdocs is installed by scripts/run")

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def _build(engine: str, root: Path, site: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / engine), "build", "--strict", "-q", "-d", str(site), *extra],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


def _files(site: Path) -> dict[str, bytes]:
    out = {}
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix in (".gz", ".br"):
            # Precompressed copies (precompress.py): the same text once unpacked.
            import gzip

            import brotli

            data = gzip.decompress(data) if path.suffix == ".gz" else brotli.decompress(data)
        if path.suffix == ".zip":
            # The offline copy: compare what is inside, generator tags aside.
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                for name in sorted(zf.namelist()):
                    out[f"{path.relative_to(site)}!{name}"] = GENERATOR.sub(b"", zf.read(name))
            continue
        out[path.relative_to(site).as_posix()] = GENERATOR.sub(b"", data)
    return out


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    # copy_repo brings the warm handout cache: PDFs are the same for both engines.
    return copy_repo(tmp_path_factory.mktemp("engines") / "repo")


@pytest.fixture(scope="module")
def both(repo) -> dict[str, Path]:
    sites = {}
    for engine in ("mkdocs", "properdocs"):
        site = repo.parent / f"site-{engine}"
        result = _build(engine, repo, site)
        assert result.returncode == 0, (engine, result.stderr[-3000:])
        sites[engine] = site
    return sites


def test_properdocs_builds_the_same_site(both):
    mkdocs, properdocs = _files(both["mkdocs"]), _files(both["properdocs"])
    assert mkdocs.keys() == properdocs.keys()
    differing = sorted(name for name in mkdocs if mkdocs[name] != properdocs[name])
    assert differing == []
    # and the generator tag is the only difference on the pages
    page = (both["properdocs"] / "index.html").read_bytes()
    assert b"ProperDocs" in GENERATOR.search(page).group(0)


def _tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
def test_failed_strict_build_keeps_the_previous_site(both, repo, engine):
    """A warning only the engine meets (the content check switched off) fails
    the strict build after every page was written: the old site stays."""
    site = both[engine]
    before = _tree_hash(site)
    config, page = repo / "mkdocs.yml", repo / "docs/thuat-ngu.md"
    settings, text = config.read_text(encoding="utf-8"), page.read_text(encoding="utf-8")
    config.write_text(settings.replace("  - nongthonmoi\n", "  - nongthonmoi:\n      check_content: false\n", 1), encoding="utf-8")
    page.write_text(text + "\nXem [trang chưa có](khong-co.md).\n", encoding="utf-8")
    try:
        result = _build(engine, repo, site)
    finally:
        config.write_text(settings, encoding="utf-8")
        page.write_text(text, encoding="utf-8")
    assert result.returncode != 0
    assert "[P002]" in result.stderr and "khong-co.md" in result.stderr  # the engine's warning, in Vietnamese
    assert _tree_hash(site) == before
    assert not list(site.parent.glob(f".{site.name}.*"))
