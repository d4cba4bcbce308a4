"""``ntm new-plan`` and the generated-page cache behind ``ntm serve --dirty``."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from conftest import ROOT, run_ntm


@pytest.fixture
def materials_copy(tmp_path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "materials", root / "materials")
    return root


@pytest.mark.slow
def test_new_plan_copies_the_previous_week_with_dates_moved(materials_copy):
    root = materials_copy
    result = run_ntm(root, "new-plan", "gung-re", "--date", "2023-03-25")
    assert result.returncode == 0, result.stderr
    new = root / "materials/ke-hoach/gung-re/2023-03-25.yml"
    old = (root / "materials/ke-hoach/gung-re/2023-03-18.yml").read_text(encoding="utf-8")
    text = new.read_text(encoding="utf-8")
    assert "ngay: 2023-03-25\n" in text
    assert "ngay: 2023-03-18" not in text
    # Same work and quantities as last week; only the dates changed. The
    # commune's hamlets are still examples, so the plan stays an example
    # (test_workbooks.py: with real hamlets it becomes a real plan).
    import yaml

    before, after = yaml.safe_load(old), yaml.safe_load(text)
    changed = sorted(k for k in before if before[k] != after[k])
    assert changed == ["ngay", "ngay_lap"] and after["vi_du"] is True
    assert text.startswith("# yaml-language-server:")
    assert "Đã tạo kế hoạch thứ Bảy 25/03/2023 của Xã Gung Ré" in result.stdout
    assert "chép từ kế hoạch thứ Bảy 18/03/2023" in result.stdout
    assert "danh sách thôn của xã còn là ví dụ, nên kế hoạch mới vẫn là dữ liệu ví dụ" in result.stdout
    # Results are not copied.
    assert not (root / "materials/ket-qua/gung-re/2023-03-25.yml").exists()
    # The new file passes the check as it is.
    check = run_ntm(root, "check")
    assert "materials/ke-hoach/gung-re/2023-03-25.yml" not in check.stderr


def test_new_plan_refuses_to_overwrite(materials_copy):
    path = materials_copy / "materials/ke-hoach/gung-re/2023-03-18.yml"
    before = path.read_bytes()
    result = run_ntm(materials_copy, "new-plan", "gung-re", "--date", "2023-03-18")
    assert result.returncode != 0
    assert "Đã có kế hoạch thứ Bảy 18/03/2023 của Xã Gung Ré" in result.stderr and "không ghi đè" in result.stderr
    assert path.read_bytes() == before


@pytest.mark.slow
def test_new_plan_twice_says_each_time_what_it_made(materials_copy):
    first = run_ntm(materials_copy, "new-plan", "hoa-ninh", "--date", "2023-03-25")
    again = run_ntm(materials_copy, "new-plan", "hoa-ninh", "--date", "2023-03-25")
    assert first.returncode == 0 and "Đã tạo kế hoạch thứ Bảy 25/03/2023" in first.stdout
    assert again.returncode != 0 and "Đã có kế hoạch thứ Bảy 25/03/2023 của Xã Hòa Ninh" in again.stderr


@pytest.mark.slow
def test_blank_plan_gets_a_vietnamese_message_and_fix_for_every_field(materials_copy):
    """A commune with no earlier plan: every blank says what to fill, in Vietnamese."""
    result = run_ntm(materials_copy, "new-plan", "tan-lam", "--date", "2023-03-25")
    assert result.returncode == 0 and "để trống" in result.stdout
    check = run_ntm(materials_copy, "check")
    lines = [line for line in check.stderr.splitlines() if "tan-lam/2023-03-25.yml" in line]
    fields = {line.split("«")[1].split("»")[0] for line in lines}
    assert fields == {"noi_dung", "chi_dao", "to_chuc", "so", "don_vi_tinh", "cong_cu", "thanh_phan", "thu_gom", "xu_ly"}
    assert all("[M004]" in line for line in lines)
    assert check.stderr.count("Cách sửa:") >= len(lines)
    assert not any(word in check.stderr for word in ("Value should", "validation", "Input should", "Field required"))


@pytest.mark.slow
def test_new_plan_rejects_unknown_commune_and_non_saturday(materials_copy):
    assert "Không có xã, thị trấn mã «khong-co»" in run_ntm(materials_copy, "new-plan", "khong-co").stderr
    result = run_ntm(materials_copy, "new-plan", "gung-re", "--date", "2023-03-26")
    assert result.returncode != 0 and "không phải thứ Bảy" in result.stderr


def test_new_plan_defaults_to_the_saturday_after_the_last_plan(materials_copy):
    from nongthonmoi.saturday.scaffold import new_plan

    made = new_plan(materials_copy, "hoa-ninh", today=date(2023, 3, 15))
    assert made.path.name == "2023-03-25.yml"  # 18/03 already has a plan
    made = new_plan(materials_copy, "tan-lam", today=date(2023, 3, 15))
    assert made.path.name == "2023-03-18.yml"  # no plan yet: the coming Saturday
    assert "xa: tan-lam" in made.path.read_text(encoding="utf-8")


def test_generated_pages_are_rewritten_only_when_their_text_changes(materials_copy):
    """What makes ``mkdocs serve --dirty`` rebuild only the pages an edit touched."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    from nongthonmoi.saturday import data as saturday_data
    from nongthonmoi.saturday import site as saturday_site

    root = materials_copy
    shutil.copytree(ROOT / "overrides", root / "overrides")
    shutil.copytree(ROOT / "docs", root / "docs")
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"))
    config.plugins._current_plugin = None  # normally set by MkDocs while a plugin runs

    def generate() -> dict[str, int]:
        saturday_site.generate(config, get_files(config), saturday_data.load(root), root)
        out = root / ".cache/generated/pages"
        return {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in out.rglob("*.md")}

    first = generate()
    for path in (root / ".cache/generated/pages").rglob("*.md"):
        os.utime(path, ns=(1, 1))  # mark every page "old"
    plan = root / "materials/ke-hoach/hoa-ninh/2023-03-11.yml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("chi_dao: Phó Chủ tịch", "chi_dao: Chủ tịch"), encoding="utf-8")
    second = generate()
    rewritten = sorted(k for k in second if second[k] != 1)
    assert rewritten == ["xa/hoa-ninh/2023-03-11.md"]
    assert first.keys() == second.keys()


@pytest.mark.slow
def test_a_build_keeps_its_pages_in_one_file_and_renders_only_what_changed(materials_copy, monkeypatch):
    """``mkdocs build``: pages from memory, kept in pages.pack for the next
    build; a pack cut short is not trusted (every page is made again)."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    from nongthonmoi import background
    from nongthonmoi.saturday import data as saturday_data
    from nongthonmoi.saturday import site as saturday_site

    root = materials_copy
    shutil.copytree(ROOT / "overrides", root / "overrides")
    shutil.copytree(ROOT / "docs", root / "docs")
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"))
    config.plugins._current_plugin = None  # normally set by MkDocs while a plugin runs
    rendered = []
    front_matter = saturday_site._front_matter
    monkeypatch.setattr(saturday_site, "_front_matter", lambda spec: rendered.append(spec.src_uri) or front_matter(spec))
    out = root / ".cache/generated/pages"

    def generate() -> list[str]:
        rendered.clear()
        saturday_site.generate(config, get_files(config), saturday_data.load(root), root, in_memory=True)
        background.launch()
        background.wait_all()  # the pack is written beside the build
        return sorted(rendered)

    everything = generate()
    assert not list(out.rglob("*.md"))  # no file per page
    kept = saturday_site.read_pack(out)
    assert sorted(kept) == everything
    assert saturday_site.ensure_page("xa/hoa-ninh/2023-03-11.md") == kept["xa/hoa-ninh/2023-03-11.md"][1]
    assert generate() == []  # nothing changed
    plan = root / "materials/ke-hoach/hoa-ninh/2023-03-11.yml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("chi_dao: Phó Chủ tịch", "chi_dao: Chủ tịch"), encoding="utf-8")
    again = generate()
    assert "xa/hoa-ninh/2023-03-11.md" in again and len(again) < 10
    assert "Chủ tịch" in saturday_site.ensure_page("xa/hoa-ninh/2023-03-11.md")
    pack = out / saturday_site.PACK
    pack.write_bytes(pack.read_bytes()[:-5])
    assert generate() == everything
