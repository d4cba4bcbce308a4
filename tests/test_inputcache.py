"""The data and the text checks of an earlier build are reused only when every
file they read and the code that reads them are the same (inputcache.py)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from nongthonmoi import background, contentcheck, inputcache
from nongthonmoi.errors import ContentErrors
from nongthonmoi.materials import load_materials

PLAN = "materials/ke-hoach/gung-re/2023-03-04.yml"


def load(root: Path, cache: Path):
    """As the build does: the data is stored beside the build, waited for in on_env."""
    materials = load_materials(root, cache_dir=cache)
    background.wait_all()
    return materials


@pytest.fixture
def sources(tmp_path) -> Path:
    root = tmp_path / "repo"
    for name in ("materials", "docs"):
        shutil.copytree(ROOT / name, root / name)
    return root


def test_the_data_of_an_earlier_build_is_reused_for_the_same_bytes(sources, tmp_path, monkeypatch):
    from nongthonmoi.saturday import data

    cache = tmp_path / "cache"
    first = load(sources, cache)
    assert len(list(cache.glob("files-*.pickle"))) == 1
    read = []
    real = data.load_yaml
    monkeypatch.setattr(data, "load_yaml", lambda path, display, data=None: read.append(display) or real(path, display, data))
    # New modification times, same bytes (a fresh clone, a CI checkout): nothing read again.
    for path in (sources / "materials").rglob("*.yml"):
        os.utime(path, (1, 1))
    again = load(sources, cache)
    assert read == []
    assert again == first
    # One changed plan: that file only.
    plan = sources / PLAN
    plan.write_text(plan.read_text(encoding="utf-8").replace("chi_dao: ", "chi_dao: Đồng chí ", 1), encoding="utf-8")
    load(sources, cache)
    assert read == [PLAN]


def test_a_changed_file_is_read_again(sources, tmp_path):
    cache = tmp_path / "cache"
    before = load(sources, cache)
    plan = sources / PLAN
    plan.write_text(plan.read_text(encoding="utf-8").replace("chi_dao: ", "chi_dao: Đồng chí ", 1), encoding="utf-8")
    after = load(sources, cache)
    key = next(k for k in after.saturday.plans if k[0] == "gung-re" and k[1].isoformat() == "2023-03-04")
    assert after.saturday.plans[key].direction == "Đồng chí " + before.saturday.plans[key].direction
    assert after == load_materials(sources)  # what a build without the cache reads
    assert len(list(cache.glob("files-*.pickle"))) == 1  # the newest entry only


def test_broken_data_is_reported_every_time_and_never_kept(sources, tmp_path):
    cache = tmp_path / "cache"
    load(sources, cache)
    plan = sources / PLAN
    good = plan.read_text(encoding="utf-8")
    plan.write_text(good.replace("xa: gung-re", "xa: khong-co-xa", 1), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ContentErrors):
            load(sources, cache)
    plan.write_text(good, encoding="utf-8")
    assert load(sources, cache) == load_materials(sources)


def test_text_problems_of_an_earlier_build_follow_the_bytes(sources, tmp_path, monkeypatch):
    cache = tmp_path / "checks"
    assert contentcheck.check_tree(sources, cache_dir=cache) == []
    checked = []
    real = contentcheck.check_text
    monkeypatch.setattr(contentcheck, "check_text", lambda text, display, md: checked.append(display) or real(text, display, md))
    page = sources / "docs/thuat-ngu.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nnéng thén méi\n", encoding="utf-8")
    found = contentcheck.check_tree(sources, cache_dir=cache)
    assert checked == ["docs/thuat-ngu.md"]  # the changed file only
    assert [e.rule for e in found] and all(e.path == "docs/thuat-ngu.md" for e in found)
    assert found == contentcheck.check_tree(sources, cache_dir=cache)
    assert checked == ["docs/thuat-ngu.md"]
    assert found == contentcheck.check_tree(sources)  # what a build without the cache finds


def test_the_key_covers_the_code_and_the_libraries(sources):
    files = list((sources / "materials").rglob("*.yml"))
    base = inputcache.key(files, sources, ("materials.py",))
    assert inputcache.key(files, sources, ("materials.py", "yamlsource.py")) != base
    assert inputcache.key(files[1:], sources, ("materials.py",)) != base
    assert "pydantic" in inputcache._versions()
