"""JSON Schemas for the YAML files, generated from the models.

Each YAML file starts with ``# yaml-language-server: $schema=schema/<kind>.schema.json``
so VS Code (with Red Hat's YAML extension) autocompletes field names, shows
their Vietnamese descriptions and flags mistakes while typing. The files are
committed; ``ntm schema`` rewrites them and the tests fail if they are stale.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from .models.agencies import AgencyRegistry
from .models.documents import DocumentRegistry
from .models.plans import SaturdayPlan
from .models.results import SaturdayResult, StaffList
from .models.units import UnitRegistry

SCHEMAS: dict[str, type[BaseModel]] = {
    "van-ban": DocumentRegistry,
    "don-vi": UnitRegistry,
    "co-quan": AgencyRegistry,
    "ke-hoach": SaturdayPlan,
    "ket-qua": SaturdayResult,
    "danh-sach": StaffList,
}


def render_schema(name: str, model: type[BaseModel]) -> str:
    schema = model.model_json_schema(by_alias=True, mode="validation")
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"{name}.schema.json", **schema}
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_schemas(root: Path, check_only: bool = False) -> list[str]:
    """Write every schema; return the names that were missing or stale."""
    folder = root / "materials" / "schema"
    folder.mkdir(parents=True, exist_ok=True)
    stale = []
    for name, model in SCHEMAS.items():
        path = folder / f"{name}.schema.json"
        text = render_schema(name, model)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(name)
            if not check_only:
                path.write_text(text, encoding="utf-8")
    return stale
