"""Files written all at once: a reader (a parallel build, ``ntm check``, the
web editor's preview) sees the old file or the new one, never half of one."""

from __future__ import annotations

import os
from pathlib import Path


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a hidden temporary file beside ``path``, then rename
    it over ``path``. On failure (a full disk, a folder in the way) no stray
    temporary file is left behind: in ``materials/`` one would be refused by
    ``ntm check`` (S004)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
