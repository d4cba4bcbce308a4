"""Keys for what a build keeps of reading its sources.

Reading and checking the data (7,000 YAML files for three years of a
district) was the largest part of a build that no other cache covered. The
data loader (saturday/data.py) and the text check (contentcheck.py) keep,
for each file, what they made of it, in ``.cache/materials/`` and
``.cache/checks/``, by the file's bytes (never its modification time, so a
fresh clone or a CI checkout with restored caches reuses it), under a key of
the code that reads files and of the libraries whose objects are kept
(:func:`key`): any change to either reads everything again.
"""

from __future__ import annotations

import functools
import hashlib
import pickle
from pathlib import Path
from typing import Iterable

from . import cachekeep
from .atomicfile import write_atomically

CACHE_VERSION = "1"
# The files of a store folder that are entries (cachekeep.py prunes them).
STORE_ENTRIES = r"files-[0-9a-f]{32}\.pickle"
PACKAGE = Path(__file__).resolve().parent


# Libraries whose objects are kept (pickled) or that decide what is valid.
LIBRARIES = ("pydantic", "pydantic-core", "pyyaml", "markdown", "pymdown-extensions")


@functools.cache  # installed versions do not change under a running process (and reading them is 5 ms)
def _versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in LIBRARIES:
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} ?")
    return ", ".join(found)


def key(files: Iterable[Path], root: Path, code: Iterable[str], extra: str = "") -> str:
    """sha256 of the files' paths and bytes, the package files ``code`` (globs),
    the versions of :data:`LIBRARIES` and of Python, and ``extra``."""
    import sys

    digest = hashlib.sha256(f"{CACHE_VERSION}\n{sys.version}\n{_versions()}\n{extra}\n".encode())
    for pattern in code:
        for path in sorted(PACKAGE.glob(pattern)):
            digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for path in sorted(files):
        name = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        digest.update(name.encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"\1missing")
        digest.update(b"\0")
    return digest.hexdigest()


def store_path(folder: Path, code: Iterable[str]) -> Path:
    """The file of ``folder`` that holds the results of the code ``code``."""
    return folder / f"files-{key([], folder, code)[:32]}.pickle"


def claim(folder: Path, code: Iterable[str]) -> Path:
    """This build uses the store of ``code`` in ``folder`` (cachekeep.py): to
    be called in the build's own process, also when a forked child reads it."""
    path = store_path(folder, code)
    cachekeep.claim(folder, [path.name], STORE_ENTRIES)
    return path


class FileResults:
    """What a build made of each source file (its data, or its problems), in
    ``folder`` under the key of ``code`` (:func:`key`): :attr:`known` holds
    what the last build kept, :attr:`used` what this build puts in (by the
    caller's key of a file's bytes); :meth:`save` keeps only those. Stores of
    other code (another branch, an older version) stay until a build that
    succeeded prunes them (cachekeep.py)."""

    def __init__(self, folder: Path, code: Iterable[str]):
        self.folder = folder
        self.path = claim(folder, code)
        self.known: dict = _read(self.path)
        self.used: dict = {}

    def changed(self) -> bool:
        return self.used.keys() != self.known.keys()

    def save(self) -> None:
        """Keep this build's entries; a cache that cannot be written is no cache, not an error."""
        try:
            write_atomically(self.path, pickle.dumps(self.used, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass


# The store last read from each folder, with the size and time it had:
# ``mkdocs serve`` reads it again only when a build has written it.
_READ: dict[str, tuple[Path, tuple[int, int], dict]] = {}


def _read(path: Path) -> dict:
    try:
        stat = path.stat()
        seen = _READ.get(str(path.parent))
        signature = (stat.st_size, stat.st_mtime_ns)
        if seen is not None and seen[:2] == (path, signature):
            return seen[2]
        known = pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return {}
    _READ[str(path.parent)] = (path, signature, known)
    return known
