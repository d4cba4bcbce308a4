"""Caches that never remove what a build uses, whatever the clock says.

::

    on_config        begin(kind)                 a build of this process starts
    on_files ...     claim(folder, names, ...)   before an entry is looked up:
                                                 <parent>/.keep/<folder>/claims/<build>.json
    on_post_build    finished()                  the build got to its end
    on_shutdown      end()        succeeded  ->  record what it used, prune the rest
    on_build_error   end(False)   failed     ->  drop its claims, prune nothing

Every folder of ``.cache/`` (handouts, workbooks, the offline zip's entries,
generated pages and files, the data and check results) is pruned here and
nowhere else, only after a build that succeeded, by what builds *used*,
never by age: the caches used to delete entries older than 30 days inside
the build that was using them, so a clock a month ahead of the files' dates
made a build delete the workbooks it had just listed.

- A build *claims* the entries it is going to use before it looks for them,
  in a file of ``.keep/<folder>/claims/`` beside the folder (a copy of the
  folder copies entries only) that names the build's process
  (boot id, process id and its start time, so a reused process id is not
  taken for the same process), written under the folder's lock. A build
  that prunes at the same time either sees the claim or has already pruned,
  and then the claiming build finds no entry and makes it again.
- After a build that succeeded, the folder keeps what the last build of each
  of the last :data:`KEEP_KINDS` kinds of build used (``kept.json`` there;
  a kind: the command, the public address, the URL style, so that a
  preview, a local build, a release build and the offline build do not
  evict each other), and what the builds still running claim. Every other
  entry goes, and so do temporary files (``.<name>.<pid>.tmp``) left by a
  process that is gone. The caches stay about as large as a few builds need.
- A build that failed (or was interrupted) only drops its claims.
- Entries a process claims outside a build (``ntm check``, a builder used on
  its own by a benchmark or a test) are protected while it runs; it never
  prunes.

No clock and no file date is read: a wrong clock, a cache restored from
another machine, files dated 1971 or 2200 change nothing. Why prune after the
build rather than before the next one: only at its end does a build know all
it used, and a build that failed must not cost the next one its cache.
Claims are made in the build's own process, before forking: a forked child
claims under the build's name, and the build settles only the folders it
claimed itself.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

KEEP_KINDS = 4
KEEP_DIR = ".keep"
KEPT_FILE = "kept.json"
_TEMPORARY = re.compile(r"\.(?:.+)\.(\d+)\.tmp")  # atomicfile.write_atomically, the pages' spool


def _read(path: str) -> str:
    try:
        with open(path, encoding="ascii") as file:
            return file.read().strip()
    except (OSError, ValueError):
        return ""


_BOOT: list[str] = []


def _boot_id() -> str:
    if not _BOOT:
        _BOOT.append(_read("/proc/sys/kernel/random/boot_id").replace("-", "")[:16])
    return _BOOT[0]


def _start_time(pid: int) -> str:
    """When the process started, in clock ticks since boot (not a date)."""
    stat = _read(f"/proc/{pid}/stat")
    fields = stat.rpartition(")")[2].split()
    return fields[19] if len(fields) > 19 else ""


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, another user's
        return True
    return True


def process_name(pid: int | None = None) -> str:
    pid = os.getpid() if pid is None else pid
    return f"{_boot_id() or 'x'}-{pid}-{_start_time(pid) or 'x'}"


def process_alive(name: str) -> bool:
    """Whether the process :func:`process_name` named is still running."""
    try:
        boot, pid_text, start = name.split("-", 2)
        pid = int(pid_text)
    except ValueError:
        return False
    if boot != (_boot_id() or "x"):
        return False  # another boot, or another machine: not running here
    if not _pid_alive(pid):
        return False
    return start == "x" or start == _start_time(pid)


@dataclass
class _Folder:
    entries: re.Pattern  # which files of the folder are entries (relative paths)


@dataclass
class Build:
    kind: str
    name: str  # <process>-<number>: the claims' file name
    folders: dict[str, _Folder] = field(default_factory=dict)
    finished: bool = False


_COUNTER = itertools.count(1)
_CURRENT: Build | None = None
_OUTSIDE: Build | None = None  # claims made outside a build


def begin(kind: str) -> Build:
    """A build starts in this process. An earlier one not yet settled (the
    previous build of ``mkdocs serve``) is settled first, as it ended."""
    global _CURRENT
    if _CURRENT is not None:
        end()
    _CURRENT = Build(kind, f"{process_name()}-{next(_COUNTER)}")
    return _CURRENT


def finished() -> None:
    """The current build got through its last step (the plugin's on_post_build)."""
    if _CURRENT is not None:
        _CURRENT.finished = True


def end(succeeded: bool | None = None) -> None:
    """Settle the current build: ``succeeded`` (default: it finished) prunes
    what no recent build uses; otherwise only its claims are dropped."""
    global _CURRENT
    build, _CURRENT = _CURRENT, None
    if build is None or build.name.split("-")[1] != str(os.getpid()):
        return  # nothing open, or a forked child: the build settles, not its children
    ok = build.finished if succeeded is None else succeeded
    for folder, spec in build.folders.items():
        _settle(Path(folder), build, spec, ok)


def _owner() -> Build:
    global _OUTSIDE
    if _CURRENT is not None:
        return _CURRENT
    if _OUTSIDE is None or _OUTSIDE.name.split("-")[1] != str(os.getpid()):
        _OUTSIDE = Build("", f"{process_name()}-0")
        atexit.register(_release, _OUTSIDE)
    return _OUTSIDE


def claim(folder: Path, names: Iterable[str], entries: str) -> None:
    """This build uses ``names`` (paths relative to ``folder``) of the cache
    in ``folder``, whose entries are the files whose relative path matches
    the regular expression ``entries``. Call it before looking them up."""
    build = _owner()
    folder = Path(folder)
    build.folders.setdefault(str(folder), _Folder(re.compile(entries)))
    try:
        with _locked(folder) as keep:
            path = keep / "claims" / f"{build.name}.json"
            held = set(_load(path, []))
            new = held | set(names)
            if new != held or not path.exists():
                _dump(path, sorted(new))
    except OSError:
        build.folders[str(folder)] = _Folder(re.compile(r"(?!)"))  # unclaimed: never prune it


def _keep_dir(folder: Path) -> Path:
    """The cache's bookkeeping (claims, kept.json, lock): beside the folder, not
    in it, so that copying a cache folder copies its entries only."""
    return folder.parent / KEEP_DIR / folder.name


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[Path]:
    keep = _keep_dir(folder)
    (keep / "claims").mkdir(parents=True, exist_ok=True)
    with open(keep / "lock", "a+b") as lock:
        try:
            import fcntl

            fcntl.flock(lock, fcntl.LOCK_EX)
        except ImportError:  # no fcntl (not Linux): one build at a time is the user's affair
            pass
        yield keep


def _load(path: Path, default):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default


def _dump(path: Path, value) -> None:
    from .atomicfile import write_atomically

    write_atomically(path, json.dumps(value, ensure_ascii=False).encode("utf-8"))


def _release(build: Build) -> None:
    """Drop the claims of a process that ends outside a build."""
    if build.name.split("-")[1] != str(os.getpid()):
        return
    for folder in build.folders:
        with contextlib.suppress(OSError):
            (_keep_dir(Path(folder)) / "claims" / f"{build.name}.json").unlink()


def _settle(folder: Path, build: Build, spec: _Folder, succeeded: bool) -> None:
    try:
        with _locked(folder) as keep:
            mine = keep / "claims" / f"{build.name}.json"
            used = _load(mine, [])
            mine.unlink(missing_ok=True)
            if not succeeded:
                return
            kept = [{"kind": build.kind, "names": sorted(used)}]
            kept += [k for k in _load(keep / KEPT_FILE, []) if isinstance(k, dict) and k.get("kind") != build.kind]
            kept = kept[:KEEP_KINDS]
            protected = {name for k in kept for name in k.get("names", [])}
            for claims in (keep / "claims").glob("*.json"):
                if process_alive(claims.stem.rsplit("-", 1)[0]):
                    protected.update(_load(claims, []))
                else:
                    claims.unlink(missing_ok=True)  # a build that was killed
            present = _prune(folder, spec.entries, protected)
            for k in kept:
                k["names"] = [name for name in k.get("names", []) if name in present]
            _dump(keep / KEPT_FILE, kept)
    except OSError:
        pass  # a cache that cannot be pruned is still a cache, not an error


def _prune(folder: Path, entries: re.Pattern, protected: set[str]) -> set[str]:
    """Remove the entries not protected and the temporary files of processes
    that are gone; return the entries left."""
    present = set()
    base = str(folder)
    for current, dirs, names in os.walk(base):
        if KEEP_DIR in dirs:
            dirs.remove(KEEP_DIR)  # the bookkeeping of caches inside this one
        inside = os.path.relpath(current, base).replace(os.sep, "/")
        for name in names:
            rel = name if inside == "." else f"{inside}/{name}"
            temporary = _TEMPORARY.fullmatch(name)
            with contextlib.suppress(OSError):
                if temporary is not None:
                    if not _pid_alive(int(temporary.group(1))):
                        os.unlink(os.path.join(current, name))
                elif entries.fullmatch(rel):
                    if rel in protected:
                        present.add(rel)
                    else:
                        os.unlink(os.path.join(current, name))
    return present
