"""Hostile text in every data field and every front matter field, built:
no page of the site gains an element or attribute kind the unmodified build
does not have (scripts, handlers, frames, base, meta refresh, objects, forms,
javascript:/data: addresses...), and no run ends in a traceback.

A bounded number of builds of one scratch repository (Hypothesis, a few
examples, the copy's warm caches shared): slow, but it is the test of the whole
chain, from the loader to the templates. The build runs with the content
check off, so what the check would refuse still reaches the templates: the
build's own defences (escaping, the sanitiser) are what is tested.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import copy_repo, run_mkdocs

# Fragments an attacker combines; Hypothesis joins a few of them.
TOKENS = [
    "<script>alert(1)</script>", "&lt;script&gt;alert(2)&lt;/script&gt;", "&#60;img src=x onerror=alert(3)&#62;",
    '" onmouseover="alert(4)', "' autofocus onfocus='alert(5)", "[bấm](javascript:alert(6))", "javascript:alert(7)",
    "{: onclick=\"alert(8)\" }", "<img src=x onerror=alert(9)>", "</title><script>alert(10)</script>",
    "data:text/html;base64,PHNjcmlwdD4=", "![x](http://127.0.0.1:9/x.png)", "<base href=//example.invalid>",
    "*", "_", "`", "|", "#", "\\", "<", ">", "&", "&amp;", "\n", "  ", "Gung Ré", "Xã", "{{ 7*7 }}", "{% raw %}",
    "<!--", "-->", "]]>", "\u00a0", "<svg onload=alert(11)>", "<iframe srcdoc=x>", "[[x]]", "%3Cscript%3E",
]
# Data fields refuse markup at load (M020, always on): their strings carry
# everything else, so the build goes through and the escaping is what is tested.
DATA_TOKENS = [t for t in TOKENS if not re.search(r"<\s*/?\s*[A-Za-z!?]", t)]
hostile = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=6).map(lambda parts: "".join(parts).strip() or "x")
MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!?]")  # what M020 refuses (models/base.py)
hostile_data = (st.lists(st.sampled_from(DATA_TOKENS), min_size=1, max_size=6).map(lambda p: "".join(p).strip() or "x")
                .filter(lambda v: not MARKUP.search(v)))

# (file, key, how many occurrences): the text fields of every kind of data.
DATA_FIELDS = [
    ("materials/don-vi.yml", "ten", 2),  # communes (and their hamlets' names)
    ("materials/co-quan.yml", "ten", 2),  # agencies
    ("materials/van-ban.yml", "trich_yeu", 1),  # documents
    ("materials/van-ban.yml", "co_quan", 1),
    ("materials/ke-hoach/gung-re/2023-03-04.yml", "noi_dung", 3),  # plans and their tasks
    ("materials/ket-qua/gung-re/2023-03-04.yml", "ghi_chu", 1),  # results
    ("materials/danh-sach/phong-nn-ptnt/2023-03-04.yml", "ho_ten", 2),  # staff lists
    ("materials/danh-sach/phong-nn-ptnt/2023-03-04.yml", "chuc_vu", 1),
]
# subtitle: printed by Material's menu on every page of the section (raw, before
# frontmatter.for_templates); author: in the head.
FRONT_MATTER = [("docs/thuat-ngu.md", "title"), ("docs/thuat-ngu.md", "description"),
                ("docs/huong-dan/ai-lam-gi.md", "title"), ("docs/huong-dan/ai-lam-gi.md", "description"),
                ("docs/huong-dan/ai-lam-gi.md", "subtitle"), ("docs/thuat-ngu.md", "author")]

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "srcdoc"}
SCOPE = re.compile(r'new URL\("[^"]*",location\)')


class Kinds(HTMLParser):
    """The element and attribute kinds of a page, what its addresses start
    with, and the shape of its inline scripts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.kinds: set[tuple] = set()
        self.script_open = False
        self.inline: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.kinds.add((tag,))
        for name, value in attrs:
            value = value or ""
            self.kinds.add((tag, name))
            if name in URL_ATTRIBUTES:
                plain = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                scheme = re.match(r"^([a-z][a-z0-9+.-]*):", plain)
                self.kinds.add((tag, name, scheme.group(1) if scheme else "relative"))
            if tag == "meta" and name == "http-equiv":
                self.kinds.add((tag, name, value.lower()))
            if tag == "script" and name == "src":
                self.kinds.add((tag, name, re.sub(r"^(\.\./)+", "", value)))
        self.script_open = tag == "script" and not any(n == "src" for n, _ in attrs)

    def handle_data(self, data):
        if self.script_open and data.strip():
            self.inline.add(SCOPE.sub('new URL("",location)', data.strip()))

    def handle_endtag(self, tag):
        self.script_open = False


def site_kinds(site: Path) -> tuple[set, set]:
    kinds, inline = set(), set()
    for page in site.rglob("*.html"):
        if "quan-tri" in page.relative_to(site).parts:
            continue  # the editor's page: another engineer's, with its own policy
        parser = Kinds()
        parser.feed(page.read_text(encoding="utf-8"))
        kinds |= parser.kinds
        inline |= parser.inline
    return kinds, inline


def _quoted(value: str) -> str:
    return json.dumps(value)  # a JSON string is a YAML double-quoted scalar


def plant(root: Path, values: list[str], front: list[str]) -> None:
    index = 0
    for file, key, count in DATA_FIELDS:
        path = root / file
        text = path.read_text(encoding="utf-8")
        pattern = re.compile(rf"(?m)^([ \t]*(?:- )?{key}:)[ \t]*(>-\n(?:[ \t]{{6,}}.*\n)*[ \t]{{6,}}.*|.*)$")

        def put(match: re.Match) -> str:
            nonlocal index
            value = values[index % len(values)]
            index += 1
            return f"{match.group(1)} {_quoted(value)}"

        text, done = pattern.subn(put, text, count=count)
        assert done == count, (file, key)
        path.write_text(text, encoding="utf-8")
    for number, (file, key) in enumerate(FRONT_MATTER):
        path = root / file
        text = path.read_text(encoding="utf-8")
        value = front[number % len(front)]
        text, done = re.subn(rf"(?m)^{key}:.*$", lambda m: f"{key}: {_quoted(value)}", text, count=1)
        if not done:
            text = text.replace("---\n", f"---\n{key}: {_quoted(value)}\n", 1)
        path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def scratch_site(tmp_path_factory):
    root = copy_repo(tmp_path_factory.mktemp("hostile") / "repo")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - nongthonmoi\n", "  - nongthonmoi:\n      check_content: false\n"), encoding="utf-8")
    # The baseline has every front-matter field planted, as plain text: a
    # subtitle brings Material's own <br> and <small> into the menu.
    for file, key in FRONT_MATTER:
        path = root / file
        text = path.read_text(encoding="utf-8")
        if not re.search(rf"(?m)^{key}:", text):
            path.write_text(text.replace("---\n", f"---\n{key}: Chữ thường\n", 1), encoding="utf-8")
    env = {}  # the copy's caches, warm from the real build: only what the hostile text changes is made again
    out = tmp_path_factory.mktemp("hostile-baseline") / "site"
    result = run_mkdocs(root, out, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    originals = {p: (root / p).read_bytes() for p in {f for f, _, _ in DATA_FIELDS} | {f for f, _ in FRONT_MATTER}}
    return root, env, site_kinds(out), originals


@pytest.mark.slow
@settings(max_examples=4, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(values=st.lists(hostile_data, min_size=5, max_size=5), front=st.lists(hostile, min_size=6, max_size=6))
def test_hostile_text_everywhere_adds_no_kind_of_markup(scratch_site, tmp_path_factory, values, front):
    root, env, (base_kinds, base_inline), originals = scratch_site
    for name, data in originals.items():
        (root / name).write_bytes(data)
    plant(root, values, front)
    out = tmp_path_factory.mktemp("hostile-site") / "site"
    result = run_mkdocs(root, out, env=env)
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output[-3000:]
    # Data without markup and front matter of any text: the build goes through
    # (the check, switched off here, is what refuses them).
    assert result.returncode == 0, re.findall(r"\[[A-Z]\d{3}\][^\n]*", output)[:5] or output[-3000:]
    kinds, inline = site_kinds(out)
    assert sorted(kinds - base_kinds, key=str) == []
    assert sorted(inline - base_inline) == []
