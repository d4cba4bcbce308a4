"""The page templates, compiled once and kept between builds.

Each build makes a new Jinja environment and compiled the theme's
templates (Material's base, partials and ours) again: a build of the
real site that reuses everything else took 1.46 s of CPU, 1.29 s with
this cache, and so does every rebuild after an editor saves (`ntm edit`).
Jinja's bytecode cache keeps the compiled code in ``.cache/templates/``:

- an entry is found by the template's name and what else decides the
  compiled code (Jinja's version, the environment's syntax options and
  extensions: :func:`fingerprint`); Jinja itself checks the template's
  source (a checksum) and Python's version before using an entry, so an
  edited template is compiled again;
- an entry is claimed before it is looked up (cachekeep.py), so what a
  build uses is never pruned under it.

The entries are Python code, like ``__pycache__`` and the data cache's
pickles (inputcache.py): ``.cache/`` is the build machine's own, never
written by an editor or a reader.
"""

from __future__ import annotations

import hashlib
import io
import pickle
from pathlib import Path

import jinja2

from . import cachekeep
from .atomicfile import write_atomically
from .inputfile import NotReadable, read_input

CACHE_DIR = Path(".cache") / "templates"
CACHE_ENTRIES = r"[0-9a-f]{64}\.bin"
VERSION = "1"
MAX_ENTRY_BYTES = 4 * 1024 * 1024  # compiled templates are tens of KB; a larger file is not ours


def _pass_arg(function) -> str:
    # How Jinja calls a filter, test or finalize (with the context or not):
    # the compiled call differs.
    return repr(getattr(function, "jinja_pass_arg", None)) if function is not None else "-"


def fingerprint(env: jinja2.Environment) -> str:
    """What, besides a template's source and name, decides its compiled code."""
    options = (
        "block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
        "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
        "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "optimized", "is_async",
    )
    parts = [VERSION, jinja2.__version__, *(f"{name}={getattr(env, name, None)!r}" for name in options)]
    parts += sorted(f"{type(ext).__module__}.{type(ext).__qualname__}" for ext in env.extensions.values())
    parts.append(f"finalize={_pass_arg(env.finalize)}")
    for kind, functions in (("filter", env.filters), ("test", env.tests)):
        parts += sorted(f"{kind} {name} {_pass_arg(f)}" for name, f in functions.items())
    return "\n".join(parts)


class TemplateCache(jinja2.BytecodeCache):
    """Jinja's bytecode cache in one folder, an entry per template name."""

    def __init__(self, folder: Path, env: jinja2.Environment):
        self.folder = Path(folder)
        self.env = env
        self._fingerprint: str | None = None  # taken at the first template, when every plugin has added its filters

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        # The name (not the file: Jinja compares the source's checksum kept
        # in the entry, so another file under the same name is compiled
        # again, never served stale), the fingerprint, and whether the name
        # is escaped (autoescape may be a function of the name).
        if self._fingerprint is None:
            self._fingerprint = fingerprint(self.env)
        autoescape = self.env.autoescape(name) if callable(self.env.autoescape) else self.env.autoescape
        return hashlib.sha256(f"{self._fingerprint}\0{bool(autoescape)}\0{name}".encode()).hexdigest()

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        # Claimed before it is looked up (cachekeep.py). One by one: the theme
        # lists thousands of files (Material's icons) and a page uses a few dozen.
        cachekeep.claim(self.folder, [f"{bucket.key}.bin"], CACHE_ENTRIES)
        try:
            data = read_input(self.folder / f"{bucket.key}.bin", MAX_ENTRY_BYTES)
        except NotReadable:
            return  # not made yet (or not a regular file): compiled and written
        if len(data) > MAX_ENTRY_BYTES:
            return
        # A damaged entry (cut short by a full disk) leaves the bucket empty:
        # the template is compiled again and the entry written anew.
        try:
            bucket.load_bytecode(io.BytesIO(data))
        except (EOFError, ValueError, TypeError, pickle.UnpicklingError):
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        out = io.BytesIO()
        bucket.write_bytecode(out)
        try:
            write_atomically(self.folder / f"{bucket.key}.bin", out.getvalue())
        except OSError:
            pass  # a cache that cannot be written costs time, never the build


def install(env: jinja2.Environment, root: Path) -> None:
    """Give ``env`` the cache of ``root``'s ``.cache/templates/``: call it when
    the plugins have added their filters, before the first template."""
    env.bytecode_cache = TemplateCache(Path(root) / CACHE_DIR, env)
