"""The developer documents stay usable: a short README that links the
maintainers' guide, design documents that start with their data flow and
name no tickets, and relative links that lead somewhere."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from conftest import ROOT

DOCUMENTS = sorted([ROOT / "README.md", ROOT / "CONTRIBUTING.md", *(ROOT / "design").glob("*.md")])
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.S | re.M)
CODE_SPAN = re.compile(r"`[^`\n]*`")  # a link shown as code is an example, not a link


def _slug(heading: str) -> str:
    """The anchor GitHub and GitLab give a heading."""
    text = unicodedata.normalize("NFC", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    return {_slug(m.group(1)) for m in re.finditer(r"^#+\s+(.*)$", text, re.M)}


def _links(path: Path) -> list[str]:
    return LINK.findall(CODE_SPAN.sub("", FENCE.sub("", path.read_text(encoding="utf-8"))))


def test_the_readme_is_short_and_links_the_guide():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 200
    assert "bash scripts/run build" in readme and "bash scripts/run test" in readme
    links = set(_links(ROOT / "README.md"))
    assert {"CONTRIBUTING.md", "design/README.md"} <= links
    # Every design document is reachable from the index.
    index = set(_links(ROOT / "design" / "README.md"))
    for path in (ROOT / "design").glob("*.md"):
        if path.name != "README.md":
            assert path.name in index, f"design/README.md does not list {path.name}"


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_relative_links_lead_somewhere(path):
    broken = []
    for target in _links(path):
        if re.match(r"[a-z]+:", target):
            continue  # http:, https:, mailto:
        file, _, anchor = target.partition("#")
        resolved = (path.parent / file).resolve() if file else path
        if not resolved.exists():
            broken.append(target)
        elif anchor and resolved.suffix == ".md" and anchor not in _anchors(resolved):
            broken.append(target)
    assert not broken, f"{path.relative_to(ROOT)}: {broken}"


@pytest.mark.parametrize("path", sorted((ROOT / "design").glob("*.md")), ids=lambda p: p.name)
def test_design_documents_start_with_their_data_flow_and_name_no_tickets(path):
    text = path.read_text(encoding="utf-8")
    body = [line for line in text.splitlines() if line.strip()][1:]  # after the title
    assert body and (body[0].startswith("```") or body[0].lstrip().startswith(("- ", "1. "))), (
        f"{path.name}: start with a picture (a fenced block) or a list of the data flow"
    )
    assert not re.search(r"\b(issues?|tickets?)[ -#]*\d+", text, re.I), f"{path.name} names an issue number"
