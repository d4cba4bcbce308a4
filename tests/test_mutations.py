"""Whatever an editor does to a data file, the check answers with content
errors (Vietnamese, file and line), never a traceback, and soon.

Hypothesis mutates the repository's real data files the way editors break
them (a line deleted, a value of the wrong kind, a stray character, a file
cut short, two lines swapped) and runs the loader and the text check on the
result, in place of the file on disk.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from nongthonmoi import contentcheck
from nongthonmoi.errors import ContentError, ContentErrors
from nongthonmoi.materials import load_materials

pytestmark = pytest.mark.slow  # Hypothesis: hundreds of mutated files, each loaded and checked

FILES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "materials").rglob("*.yml"))
ORIGINAL = {name: (ROOT / name).read_text(encoding="utf-8") for name in FILES}
# What editors type by mistake: YAML's special characters, quotes, a Tab,
# Vietnamese letters, digits, and a few whole tokens.
NOISE = st.sampled_from(
    [":", "-", "[", "]", "{", "}", "&", "*", "!", "|", ">", "#", "'", '"', "\t", "\n", " ", "đ", "ệ", "7", "0", "<",
     "%", "@", "`", ",", "? ", "<<: ", "!!python/object ", "&a ", "*a", "yes", "null", "2023-02-30", "1e999", ".nan",
     "[a, b]", "{a: 1}", "&a [*a]", "? [x]\n: y\n", "<<: {a: 1}\n", "*zz", "03/25/2023", "99999999999999999999"]
)


def _delete_line(text: str, index: int) -> str:
    lines = text.splitlines(keepends=True)
    del lines[index % len(lines)]
    return "".join(lines)


def _retype(text: str, index: int, token: str) -> str:
    lines = text.splitlines(keepends=True)
    line = lines[index % len(lines)]
    if ":" in line:
        key = line.split(":", 1)[0]
        lines[index % len(lines)] = f"{key}: {token}\n"
    return "".join(lines)


def _rekey(text: str, index: int, token: str) -> str:
    lines = text.splitlines(keepends=True)
    line = lines[index % len(lines)]
    if ":" in line:
        indent = line[: len(line) - len(line.lstrip())]
        lines[index % len(lines)] = f"{indent}{token}:{line.split(':', 1)[1]}"
    return "".join(lines)


def _duplicate(text: str, index: int) -> str:
    lines = text.splitlines(keepends=True)
    at = index % len(lines)
    return "".join(lines[: at + 1] + [lines[at]] + lines[at + 1 :])


def _insert(text: str, index: int, token: str) -> str:
    at = index % (len(text) + 1)
    return text[:at] + token + text[at:]


def _truncate(text: str, index: int) -> str:
    return text[: index % (len(text) + 1)]


def _swap(text: str, index: int, other: int) -> str:
    lines = text.splitlines(keepends=True)
    a, b = index % len(lines), other % len(lines)
    lines[a], lines[b] = lines[b], lines[a]
    return "".join(lines)


@st.composite
def mutated_file(draw):
    name = draw(st.sampled_from(FILES))
    text = ORIGINAL[name]
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["delete", "retype", "rekey", "duplicate", "insert", "truncate", "swap"]))
        index = draw(st.integers(0, 10_000))
        if kind == "delete" and text:
            text = _delete_line(text, index)
        elif kind == "retype" and text:
            text = _retype(text, index, draw(NOISE))
        elif kind == "rekey" and text:
            text = _rekey(text, index, draw(NOISE))
        elif kind == "duplicate" and text:
            text = _duplicate(text, index)
        elif kind == "insert":
            text = _insert(text, index, draw(NOISE))
        elif kind == "truncate":
            text = _truncate(text, index)
        elif kind == "swap" and text:
            text = _swap(text, index, draw(st.integers(0, 10_000)))
    return name, text


@pytest.fixture(scope="module", autouse=True)
def warm_caches():
    load_materials(ROOT)  # the first load reads every file; examples then load one


@settings(
    max_examples=200,
    deadline=2000,  # ms per example: a mutation may never make the check crawl (alias bombs, huge values)
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,  # the same examples on every run and machine
)
@given(mutated_file())
def test_check_answers_any_broken_data_file_with_content_errors(change):
    name, text = change
    errors: list[ContentError] = []
    try:
        load_materials(ROOT, overlay={name: text})
    except ContentErrors as exc:
        errors += exc.errors
    errors += contentcheck.check_text(text, name, markdown=False)
    for error in errors:
        assert error.rule, error  # every problem comes from a named rule
        assert error.path.startswith("materials/") and error.line >= 0
        assert "Traceback" not in str(error) and "Input should" not in str(error)
    if text == ORIGINAL[name]:
        assert not errors


def test_original_files_are_clean():
    assert load_materials(ROOT) is not None
    assert not [e for name in FILES for e in contentcheck.check_text(ORIGINAL[name], name, markdown=False)]
