"""Last-change dates of source files, read from git history in one pass.

Dates come from commits, not file modification times, so a fresh clone and a
rebuild give the same pages (deterministic output).
"""

from __future__ import annotations

import subprocess
from datetime import date, datetime, timezone
from pathlib import Path


def last_commit_dates(root: Path) -> dict[str, date]:
    """Map each path (relative to the repository root) to its last commit date."""
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
        log = subprocess.run(
            ["git", "log", "--format=%x00%ct", "--name-only", "--no-renames", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    prefix = Path(root).resolve().relative_to(Path(top).resolve()).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    dates: dict[str, date] = {}
    current = None
    for line in log.splitlines():
        if line.startswith("\x00"):
            # Commit dates are shown in the district's time zone (UTC+7).
            stamp = int(line[1:])
            current = datetime.fromtimestamp(stamp + 7 * 3600, tz=timezone.utc).date()
        elif line and current and line.startswith(prefix):
            # git log lists newest first: keep the first date seen.
            dates.setdefault(line[len(prefix) :], current)
    return dates


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
