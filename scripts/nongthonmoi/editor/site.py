"""The editor's files in the built site, under ``quan-tri/``.

- ``index.html``: the page that loads Decap CMS (overrides/quan-tri/index.html);
- ``config.yml``: generated from the models and the data (config.py);
- ``decap-cms.js`` and its lazily loaded parts: from the npm package pinned
  in package-lock.json (``node_modules/decap-cms/dist``), served by the site
  itself, so the editor loads nothing from other hosts but the git host's API;
- ``ntm-du-lieu.js``: what the form's rules need from the Python side (the
  rules' messages and fixes, the OCR word list, names of communes and
  agencies), generated here so the browser and ``ntm check`` say the same;
- ``ntm-dau.js``, ``ntm-quy-tac.js``, ``ntm-cms.js``, ``ntm-cms.css`` and
  ``vi.js``: our start-up, rules, widgets, phone layer and Vietnamese words,
  copied by MkDocs as theme files from overrides/quan-tri/.

The editor is not a page: it is in no menu, no search index and no sitemap,
and the offline copy leaves it out (offline.py).
"""

from __future__ import annotations

from pathlib import Path

import yaml
from jinja2 import Environment, FileSystemLoader, select_autoescape

from .config import EDITOR_DIR, editor_config
from .settings import EditorSettings

DECAP_DIST = Path("node_modules") / "decap-cms" / "dist"
MAIN_SCRIPT = "decap-cms.js"


class EditorMissing(Exception):
    """The npm packages are not installed."""


def decap_files(root: Path) -> list[Path]:
    """decap-cms.js and the parts it loads on demand (editor modes of the code widget)."""
    dist = root / DECAP_DIST
    main = dist / MAIN_SCRIPT
    if not main.is_file():
        raise EditorMissing(
            "Chưa cài trang quản trị (Decap CMS, gói npm trong package-lock.json). "
            "Chạy «bash scripts/run build» để cài rồi dựng lại; hoặc chạy «npm ci --ignore-scripts» trong thư mục kho."
        )
    return [main, *sorted(dist.glob("*.decap-cms.js"))]


def render_config(materials, docs_dir: Path, nav, settings: EditorSettings) -> str:
    config = editor_config(materials, docs_dir, nav, settings)
    header = (
        "# Cấu hình trang quản trị (Decap CMS), do bản dựng tạo ra từ các mô hình dữ liệu\n"
        "# (scripts/nongthonmoi/editor/config.py). Đừng sửa tay: sửa sẽ bị ghi đè.\n"
    )
    return header + yaml.dump(config, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False, width=100)


class _PlainDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """No anchors and aliases: the same choice lists are written out each time.
    libyaml's emitter where PyYAML has it: the same text, five times faster."""

    def ignore_aliases(self, data):
        return True


def render_index(root: Path, site_name: str, settings: EditorSettings) -> str:
    from .csp import policy

    env = Environment(
        loader=FileSystemLoader(root / "overrides" / EDITOR_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    return env.get_template("index.html").render(
        site_name=site_name,
        local_only=not settings.remote,
        backend=settings.backend or "local",
        publish_mode=settings.publish_mode,
        csp=policy(settings),
    )


# The rules the form applies, by id (models/base.py, saturday/data.py,
# contentcheck.py): their messages come from the registry, their fixes from
# editor/messages.py.
FORM_RULE_IDS = (
    "M001 M004 M005 M006 M007 M008 M009 M010 M023 M012 M016 M017 M018 M019 M020 "
    "S001 S006 S008 S009 S010 S011 S012 S013 S014 T002 T003 E001 E002 A005 A006 A007 A011 A015"
).split()


def render_rules_data(materials) -> str:
    """``ntm-du-lieu.js``: the Python side of the form's rules, as data."""
    import json

    from .. import rules
    from ..contentcheck import OCR_RESIDUE
    from ..photos import LONG_SIDE, MAX_INPUT_BYTES, MAX_INPUT_PIXELS, QUALITY
    from .messages import FORM_FIXES

    data = materials.saturday
    payload = {
        "rules": {
            rule_id: {"message": rules.rule(rule_id).message, "fix": FORM_FIXES.get(rule_id, rules.rule(rule_id).fix)}
            for rule_id in FORM_RULE_IDS
        },
        "ocr": sorted(OCR_RESIDUE),
        "units": {u.id: u.full_name for u in data.units.units},
        "agencies": {a.id: {"name": a.name, "supports": list(a.supports)} for a in data.agencies.agencies},
        "maxText": 2000,
        # The media library's canvas in published mode (ntm-anh.js cleanMediaUploads): normalise_photo's limits.
        "photo": {"long_side": LONG_SIDE, "quality": QUALITY, "max_bytes": MAX_INPUT_BYTES, "max_pixels": MAX_INPUT_PIXELS},
    }
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (
        "/* Tạo tự động khi dựng trang (scripts/nongthonmoi/editor/site.py). Đừng sửa tay. */\n"
        f"window.NTM_DU_LIEU = {text};\n"
    )


def editor_files(config, materials, root: Path) -> list:
    """The generated files of ``quan-tri/`` (MkDocs ``File`` objects)."""
    from mkdocs.structure.files import File

    settings = EditorSettings.from_environment(site_url=config.site_url)
    docs_dir = Path(config.docs_dir)
    files = [
        File.generated(config, f"{EDITOR_DIR}/index.html", content=render_index(root, config.site_name, settings)),
        File.generated(
            config, f"{EDITOR_DIR}/config.yml", content=render_config(materials, docs_dir, config.nav, settings)
        ),
        File.generated(config, f"{EDITOR_DIR}/ntm-du-lieu.js", content=render_rules_data(materials)),
    ]
    for path in decap_files(root):
        files.append(File.generated(config, f"{EDITOR_DIR}/{path.name}", abs_src_path=str(path)))
    return files
