"""``ntm build``: one build of the site and handouts, with Vietnamese output.

The build engine is MkDocs, or ProperDocs (a drop-in fork whose modules are
named ``properdocs``) when ``NTM_ENGINE=properdocs``: both read mkdocs.yml
and run the nongthonmoi plugin the same way. Everything the engine logs is
shown in Vietnamese (buildlog.py), and a failed build says so in Vietnamese
and leaves the previous site/ as it was (the plugin's staging folder).
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
from pathlib import Path

from . import buildlog

ENGINES = ("mkdocs", "properdocs")


def engine_name(requested: str | None = None) -> str:
    name = (requested or os.environ.get("NTM_ENGINE") or "mkdocs").strip().lower()
    if name not in ENGINES:
        raise SystemExit(f"NTM_ENGINE «{name}» không dùng được: chọn một trong {', '.join(ENGINES)}.")
    return name


class _Lines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        return message if record.levelno >= logging.WARNING else f"  {message}"


def build(root: Path, site_dir: str | None = None, strict: bool = True, engine: str | None = None, quiet: bool = False) -> int:
    """Build once; 0 on success, 1 (with a Vietnamese message) on failure."""
    name = engine_name(engine)
    try:
        if name == "properdocs":
            # Plugins and the theme import mkdocs.*: ProperDocs maps those
            # imports to its own modules (what its own command line does).
            importlib.import_module("properdocs.replacement")
        config_module = importlib.import_module(f"{name}.config")
        build_module = importlib.import_module(f"{name}.commands.build")
        exceptions = importlib.import_module(f"{name}.exceptions")
    except ImportError:
        print(f"Chưa cài {name}: chạy «bash scripts/run build» để cài đủ.", file=sys.stderr)
        return 1
    logger = logging.getLogger(name)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Lines())
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
    logger.propagate = False
    buildlog.install(root / "docs", root / "mkdocs.yml")
    config = None
    try:
        try:
            options = {"config_file": str(root / "mkdocs.yml"), "strict": strict}
            if site_dir:
                options["site_dir"] = site_dir
            config = config_module.load_config(**options)
        except exceptions.ConfigurationError as exc:
            print(f"mkdocs.yml có lỗi, chưa dựng được trang web: {exc}", file=sys.stderr)
            return 1
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build_module.build(config)
        except (exceptions.Abort, exceptions.BuildError, exceptions.PluginError):
            print(
                "Chưa dựng được trang web: sửa các lỗi ở trên rồi chạy lại. Trang web đã dựng lần trước vẫn giữ nguyên.",
                file=sys.stderr,
            )
            return 1
        return 0
    finally:
        if config is not None:
            config.plugins.on_shutdown()
        logger.removeHandler(handler)
