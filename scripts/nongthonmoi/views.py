"""Jinja2 views in ``overrides/views``: templates that only present data.

Autoescaping is on, so text from YAML can never become live HTML.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape


def vi_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def make_environment(root: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(root / "overrides" / "views"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["ngay"] = vi_date
    return env
