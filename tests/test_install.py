"""Installs are reproducible: the virtual environment holds exactly the
versions of requirements.lock (scripts/run installs it with hashes), and
every package the code imports is declared in pyproject.toml."""

from __future__ import annotations

import ast
import importlib.metadata as metadata
import re
import sys
import tomllib

from conftest import ROOT

LOCK = ROOT / "requirements.lock"


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()  # PEP 503


def _pins() -> dict[str, str]:
    text = LOCK.read_text(encoding="utf-8")
    return {_normal(name): version for name, version in re.findall(r"(?m)^([A-Za-z0-9_.\-]+)==([^\s\\]+)", text)}


def _name(requirement: str) -> str:
    return _normal(re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].strip())


def test_every_locked_version_is_installed():
    pins = _pins()
    assert len(pins) > 20
    installed = {_normal(d.metadata["Name"]): d.version for d in metadata.distributions()}
    wrong = {name: (version, installed.get(name)) for name, version in pins.items() if installed.get(name) != version}
    assert wrong == {}


def test_every_locked_package_has_hashes():
    blocks = re.split(r"(?m)^(?=[A-Za-z0-9_.\-]+==)", LOCK.read_text(encoding="utf-8"))[1:]
    assert blocks and all("--hash=sha256:" in block for block in blocks)


def test_every_direct_dependency_is_pinned_and_bounded():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = _pins()
    for requirement in project["dependencies"] + project["optional-dependencies"]["test"]:
        assert _name(requirement) in pins, requirement
        assert "<" in requirement, f"no upper bound: {requirement}"
    assert project["license"] == "MIT"  # an SPDX expression (PEP 639), not a table


def _imports(folder) -> set[str]:
    found = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found


def test_every_imported_package_is_declared():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_name(r) for r in project["dependencies"]}
    tools = {_name(r) for r in project["optional-dependencies"]["test"] + project["optional-dependencies"]["dev"]}
    owners = metadata.packages_distributions()
    local = {"nongthonmoi", "conftest", "test_search", "test_site", "test_workbooks", "test_workbook_import", "benchmarks"}
    missing = {}
    for module in _imports(ROOT / "scripts" / "nongthonmoi") - set(sys.stdlib_module_names) - local:
        distributions = {_normal(d) for d in owners.get(module, [module])}
        # maintainers' tools (fonts, share image, benchmarks) may use the dev or test extras
        if not distributions & (declared | tools):
            missing[module] = sorted(distributions)
    assert missing == {}


def test_pip_itself_is_locked_with_hashes():
    """pip is installed from requirements-pip.lock, with hashes, before
    anything else; never "--upgrade pip" (whatever the index serves that day)."""
    lock = (ROOT / "requirements-pip.lock").read_text(encoding="utf-8")
    version = re.search(r"(?m)^pip==([^\s\\]+)", lock).group(1)
    assert "--hash=sha256:" in lock
    assert metadata.version("pip") == version
    run = (ROOT / "scripts" / "run").read_text(encoding="utf-8")
    assert "--upgrade pip" not in run
    pip_line = run.index("--require-hashes -r requirements-pip.lock")
    assert pip_line < run.index("--require-hashes -r requirements.lock")
    assert "requirements-pip.lock" in run[: pip_line].split("stamp=", 1)[1]  # a new pin reinstalls
