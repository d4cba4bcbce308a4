"""The editor as published on a git host, run offline: the built editor page
with Decap's in-memory ``test-repo`` backend (the same forms, widgets and
rules; drafts kept in the page instead of pull requests), filled with the
repository's data files, served on 127.0.0.1 with the page's CSP header."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from conftest import serve_folder
from nongthonmoi.editor.csp import editor_headers


def published_copy(site: Path, target: Path, publish_mode: str = "simple") -> Path:
    """site/quan-tri and the pictures it shows, with the test-repo backend."""
    shutil.copytree(site / "quan-tri", target / "quan-tri")
    shutil.copytree(site / "assets" / "images", target / "assets" / "images")
    config_path = target / "quan-tri" / "config.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["backend"] = {"name": "test-repo", "commit_messages": config["backend"].get("commit_messages", {})}
    config["publish_mode"] = publish_mode
    # The test backend lists a media folder by reading every file under its
    # first path part as a picture: keep pictures out of its way.
    config["media_folder"], config["public_folder"] = "hinh-anh-thu", "hinh-anh-thu"
    for collection in config["collections"]:
        collection.pop("media_folder", None)
        collection.pop("public_folder", None)
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    index = target / "quan-tri" / "index.html"
    text = re.sub(r'data-ntm-backend="[^"]*"', 'data-ntm-backend="test-repo"', index.read_text(encoding="utf-8"))
    text = re.sub(r'data-ntm-publish="[^"]*"', f'data-ntm-publish="{publish_mode}"', text)
    index.write_text(text.replace(' data-local-only="true"', ""), encoding="utf-8")
    return target


def serve(folder: Path):
    """The published copy as a host serves it: the editor's headers on its page."""
    def headers(path: str) -> list:
        return editor_headers() if path.rstrip("/").endswith(("quan-tri", ".html")) else []

    return serve_folder(folder, headers, {".yml": "text/yaml", ".js": "text/javascript"})


def repo_tree(root: Path) -> dict:
    """window.repoFiles for the test-repo backend: the data files of ``root``."""
    tree: dict = {}
    for path in sorted((root / "materials").rglob("*.yml")):
        rel = path.relative_to(root).as_posix()
        if rel.startswith("materials/schema/"):
            continue
        here = tree
        parts = rel.split("/")
        for part in parts[:-1]:
            here = here.setdefault(part, {})
        here[parts[-1]] = {"content": path.read_text(encoding="utf-8"), "path": rel}
    return tree


def write_back(root: Path, files: dict, drafts: dict) -> list[str]:
    """What the page holds (published files and drafts) written into ``root``; the paths written."""
    written = []

    def walk(node, prefix=""):
        for name, value in node.items():
            if isinstance(value, dict) and "content" in value and isinstance(value.get("content"), str):
                path = root / value["path"]
                if not path.is_file() or path.read_text(encoding="utf-8") != value["content"]:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(value["content"], encoding="utf-8")
                    written.append(value["path"])
            elif isinstance(value, dict):
                walk(value)

    walk(files)
    for entry in drafts.values():
        for diff in entry.get("diffs", []):
            if isinstance(diff.get("content"), str):
                path = root / diff["path"]
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(diff["content"], encoding="utf-8")
                written.append(diff["path"])
    return written


def init_script(root: Path) -> str:
    """Page start-up for the test-repo backend: the repository's data files,
    under nested names (how it reads and writes one file) and under each
    collection's folder name (how it lists a folder), the same objects."""
    import json

    return (
        "window.repoFiles = " + json.dumps(repo_tree(root), ensure_ascii=False) + ";\n"
        "for (const kind of ['ke-hoach', 'ket-qua', 'danh-sach']) {\n"
        "  window.repoFiles.materials[kind] = window.repoFiles.materials[kind] || {};\n"
        "  window.repoFiles['materials/' + kind] = window.repoFiles.materials[kind];\n"
        "}\n"
        # Decap asks the backend for pictures in each entry's folder; the test
        # backend takes every file below the folder's first part for a
        # picture. Files are found by name, not listed, under "materials".
        "for (const key of Object.keys(window.repoFiles.materials)) {\n"
        "  Object.defineProperty(window.repoFiles.materials, key, {value: window.repoFiles.materials[key], enumerable: false, writable: true, configurable: true});\n"
        "}\n"
        "window.__csp = [];\n"
        "document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));\n"
    )
