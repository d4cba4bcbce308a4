"""Results of reading the sources, kept between builds by what they were made from.

Reading and checking the data (7,000 YAML files for three years of a
district) is the largest part of a build that no other cache covers. The
result of a step (the loaded data, the list of text problems) is kept in
``.cache/<step>/`` under a key made of the bytes of every file it read and of
the code that reads them, never of modification times, so a fresh clone or a
CI checkout with restored caches reuses it, and any change to a file or to
the code reads everything again. One entry per step: the newest.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Callable, Iterable

CACHE_VERSION = "1"
PACKAGE = Path(__file__).resolve().parent


# Libraries whose objects are kept (pickled) or that decide what is valid.
LIBRARIES = ("pydantic", "pydantic-core", "pyyaml", "markdown", "pymdown-extensions")


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


def cached(folder: Path | None, step_key: str, compute: Callable[[], object], beside: bool = False):
    """The value stored under ``step_key`` in ``folder``, else ``compute()``
    (stored when it returns; an exception stores nothing). ``beside``: store
    it from a child process (background.py), off the build's critical path."""
    if folder is None:
        return compute()
    path = folder / f"{step_key}.pickle"
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        pass
    value = compute()
    if beside:
        from . import background

        background.start("luu-du-lieu", lambda: _store(folder, path, value))
    else:
        _store(folder, path, value)
    return value


def _store(folder: Path, path: Path, value) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, path)  # a parallel build never reads half a file
        for old in folder.glob("*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a cache that cannot be written is no cache, not an error
