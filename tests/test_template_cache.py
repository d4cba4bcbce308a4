"""The compiled page templates kept between builds (templatecache.py): a
template compiled once is not compiled again, an edited one is, and nothing
in the cache can serve another environment's code."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from nongthonmoi import cachekeep, templatecache


@pytest.fixture
def templates(tmp_path, monkeypatch) -> Path:
    monkeypatch.setattr(cachekeep, "_CURRENT", None)  # claims outside a build
    folder = tmp_path / "overrides"
    folder.mkdir()
    (folder / "main.html").write_text("{% include 'part.html' %}|{{ word | upper }}", encoding="utf-8")
    (folder / "part.html").write_text("cũ", encoding="utf-8")
    return folder


def env_of(folder: Path, root: Path, **options) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folder), **options)
    templatecache.install(env, root)
    return env


def compiled_count(monkeypatch) -> list[str]:
    """The names Jinja compiles from source from now on."""
    names: list[str] = []
    compile_ = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        names.append(name)
        return compile_(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return names


def test_a_second_environment_reads_the_compiled_templates(templates, tmp_path, monkeypatch):
    assert env_of(templates, tmp_path).get_template("main.html").render(word="xã") == "cũ|XÃ"
    entries = list((tmp_path / templatecache.CACHE_DIR).glob("*.bin"))
    assert len(entries) == 2
    compiled = compiled_count(monkeypatch)
    assert env_of(templates, tmp_path).get_template("main.html").render(word="thôn") == "cũ|THÔN"
    assert compiled == []


def test_an_edited_template_is_compiled_again(templates, tmp_path, monkeypatch):
    env_of(templates, tmp_path).get_template("main.html").render(word="a")
    (templates / "part.html").write_text("mới", encoding="utf-8")
    compiled = compiled_count(monkeypatch)
    assert env_of(templates, tmp_path).get_template("main.html").render(word="a") == "mới|A"
    assert compiled == ["part.html"]


def test_a_damaged_entry_is_compiled_again(templates, tmp_path):
    env_of(templates, tmp_path).get_template("main.html").render(word="a")
    for entry in (tmp_path / templatecache.CACHE_DIR).glob("*.bin"):
        entry.write_bytes(entry.read_bytes()[:40])  # cut short, as a full disk leaves it
    assert env_of(templates, tmp_path).get_template("main.html").render(word="a") == "cũ|A"


def test_environments_that_compile_differently_do_not_share_entries(templates, tmp_path):
    plain = env_of(templates, tmp_path)
    escaped = env_of(templates, tmp_path, autoescape=True)
    trimmed = env_of(templates, tmp_path, trim_blocks=True)
    with_context = jinja2.Environment(loader=jinja2.FileSystemLoader(templates))
    with_context.filters["upper"] = jinja2.pass_context(lambda context, value: value.upper())
    templatecache.install(with_context, tmp_path)
    keys = {env.bytecode_cache.get_cache_key("main.html") for env in (plain, escaped, trimmed, with_context)}
    assert len(keys) == 4
    # A function of the name (select_autoescape): keyed by its answer, and the
    # same in every process (no address of a function in the key).
    chosen = env_of(templates, tmp_path, autoescape=jinja2.select_autoescape(["html"]))
    again = env_of(templates, tmp_path, autoescape=jinja2.select_autoescape(["html"]))
    assert chosen.bytecode_cache.get_cache_key("main.html") == again.bytecode_cache.get_cache_key("main.html")
    assert chosen.bytecode_cache.get_cache_key("main.html") != chosen.bytecode_cache.get_cache_key("main.txt")
    # Markup from the cache follows the environment that reads it.
    (templates / "x.html").write_text("{{ v }}", encoding="utf-8")
    assert env_of(templates, tmp_path).get_template("x.html").render(v="<b>") == "<b>"
    assert env_of(templates, tmp_path, autoescape=True).get_template("x.html").render(v="<b>") == "&lt;b&gt;"


def test_every_template_is_claimed_before_it_is_looked_up(templates, tmp_path, monkeypatch):
    claimed, looked_up = [], []
    monkeypatch.setattr(cachekeep, "claim", lambda folder, names, entries: claimed.extend(names))
    read_input = templatecache.read_input

    def reading(path, limit):
        looked_up.append(path.name)
        assert path.name in claimed, "looked up before it was claimed"
        return read_input(path, limit)

    monkeypatch.setattr(templatecache, "read_input", reading)
    for _ in range(2):
        env = env_of(templates, tmp_path)
        assert env.get_template("main.html").render(word="a") == "cũ|A"
    keys = {f"{env.bytecode_cache.get_cache_key(name)}.bin" for name in ("main.html", "part.html")}
    assert set(claimed) == keys and set(looked_up) == keys
