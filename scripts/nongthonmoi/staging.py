"""The site folder is replaced in one step, and only by a finished build.

The build writes into a sibling folder (``.site.building-*``). When the
build engine says the build is over and nothing failed, that folder takes
the site folder's place (two renames on the same file system); when it
failed, it is removed and the previous site stays byte for byte as it was.
Nothing here knows the build engine: the plugin calls :meth:`begin`,
:meth:`discard` and :meth:`commit` from its events.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path


class StagedSite:
    def __init__(self, final: Path):
        self.final = Path(final).resolve()
        self.staging: Path | None = None

    def begin(self) -> Path:
        """A fresh folder to build into, beside the site folder."""
        self.final.parent.mkdir(parents=True, exist_ok=True)
        self.staging = Path(tempfile.mkdtemp(prefix=f".{self.final.name}.building-", dir=self.final.parent))
        return self.staging

    def discard(self) -> None:
        """The build failed: forget what it wrote."""
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None

    def commit(self) -> None:
        """The build succeeded: its folder becomes the site folder."""
        if self.staging is None:
            return
        old = None
        if self.final.exists():
            old = self.final.with_name(self.staging.name.replace(".building-", ".old-"))
            self.final.rename(old)
        self.staging.rename(self.final)
        self.staging = None
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
