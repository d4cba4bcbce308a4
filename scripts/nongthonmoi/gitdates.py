"""Last-change dates of source files, read from git history in one pass.

Dates come from commits, not file modification times, so a fresh clone and a
rebuild give the same pages (deterministic output). Paths are read with
``git log -z``: without it git quotes every path that has a letter outside
ASCII (``"docs/th\\341\\273\\255-nghi\\341\\273\\207m.md"``), and a page with a
Vietnamese file name would get no "Cập nhật lần cuối".

A shallow clone (``git clone --depth 1``, the default checkout of most CI
services) holds only the newest commits: every file would look last changed
by the oldest commit it has, so every date would be wrong.
:func:`shallow_clone_problem` says so, in Vietnamese, with the fix.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from .errors import ContentError

# Commit dates are shown in the district's time zone (UTC+7).
_VIETNAM = 7 * 3600


@dataclass(frozen=True)
class FileHistory:
    last: int  # Unix time of the last commit that changed the file
    commits: int  # how many commits changed it


def file_history(root: Path) -> dict[str, FileHistory]:
    """Map each path (relative to ``root``) to its last commit time and commit count."""
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
        log = subprocess.run(
            # \x01 opens each commit: with -z, git ends every path with NUL.
            ["git", "log", "-z", "--format=%x01%ct", "--name-only", "--no-renames", "HEAD"],
            cwd=root,
            capture_output=True,
            check=True,
        ).stdout.decode("utf-8", "surrogateescape")
    except (OSError, subprocess.CalledProcessError):
        return {}
    prefix = Path(root).resolve().relative_to(Path(top).resolve()).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    last: dict[str, int] = {}
    counts: dict[str, int] = {}
    current = None
    for token in log.split("\0"):
        if token.startswith("\x01"):
            current = int(token[1:])
            continue
        # The first path of a commit follows a newline after its header.
        path = token[1:] if token.startswith("\n") else token
        if path and current is not None and path.startswith(prefix):
            path = path[len(prefix) :]
            last[path] = max(last.get(path, current), current)
            counts[path] = counts.get(path, 0) + 1
    return {path: FileHistory(last[path], counts[path]) for path in last}


def as_dates(history: dict[str, FileHistory]) -> dict[str, date]:
    """Each path's last commit as a date in Vietnam."""
    return {
        path: datetime.fromtimestamp(h.last + _VIETNAM, tz=timezone.utc).date() for path, h in history.items()
    }


def last_commit_dates(root: Path) -> dict[str, date]:
    """Map each path (relative to the repository root) to its last commit date."""
    return as_dates(file_history(root))


def latest(dates: dict[str, date], paths) -> date | None:
    found = [dates[p] for p in paths if p in dates]
    return max(found) if found else None


def head_timestamp(root: Path) -> int | None:
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return int(out) if out else None


def is_shallow(root: Path) -> bool:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--is-shallow-repository"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return False
    return out == "true"


# Editor-facing text, in one place.


def shallow_clone_problem(root: Path) -> ContentError | None:
    """A content error for a shallow clone (None for a full one, or no git at all)."""
    if not is_shallow(root):
        return None
    from . import rules

    return rules.error("B002", ".git", 0)
