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

import hashlib
from pathlib import Path
from typing import Iterable

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
