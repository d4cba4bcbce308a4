"""The editor's files in the built site, under ``quan-tri/``.

- ``index.html``: the page that loads Decap CMS (overrides/quan-tri/index.html);
- ``config.yml``: generated from the models and the data (config.py);
- ``decap-cms.js`` and its lazily loaded parts: from the npm package pinned
  in package-lock.json (``node_modules/decap-cms/dist``), served by the site
  itself, so the editor loads nothing from other hosts but the git host's API;
- ``ntm-cms.js`` and ``vi.js``: our widgets and Vietnamese words, copied by
  MkDocs as theme files from overrides/quan-tri/.

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
    env = Environment(
        loader=FileSystemLoader(root / "overrides" / EDITOR_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    return env.get_template("index.html").render(site_name=site_name, local_only=not settings.remote)


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
    ]
    for path in decap_files(root):
        files.append(File.generated(config, f"{EDITOR_DIR}/{path.name}", abs_src_path=str(path)))
    return files
