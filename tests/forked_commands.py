"""`ntm` and `mkdocs` for the tests, forked from a process that has already
imported them.

A new Python process spends about 0.4 s of CPU importing MkDocs, Material,
the project, WeasyPrint and openpyxl before it does any work, and the suite
runs several hundred of them. Each test process (xdist worker) starts one
"zygote" that imports all of that once and then, per command, forks a child
that runs the command exactly as the console script would: its own working
folder, environment, arguments, standard input (empty), output and error
files, exit status (a signal's death as a negative status, like
``subprocess``), exit handlers run.

What a fork cannot give a command is a new hash seed: every child shares the
zygote's PYTHONHASHSEED. Tests that compare the bytes of two builds (the
same sources give the same bytes) run real new processes (``fresh=True``), so
that output that depends on the order of a set still shows.

The zygote has no threads (it only imports and forks), which is what makes
forking it safe; it ends when its test process does (its standard input
closes).
"""

from __future__ import annotations

import atexit
import json
import os
import subprocess
import sys
import tempfile
import threading
import traceback
from pathlib import Path

BIN = Path(sys.executable).parent

# What the zygote imports before it forks: the costly imports of a build and
# of every `ntm` command (measured: 0.36 s of the 0.5 s a scenario build takes).
PRELOAD = (
    "mkdocs.__main__",
    "mkdocs.commands.build",
    "mkdocs.config.defaults",
    "material.plugins.search.plugin",
    "material.plugins.offline.plugin",
    "markdown.extensions.abbr",
    "markdown.extensions.admonition",
    "markdown.extensions.def_list",
    "markdown.extensions.footnotes",
    "markdown.extensions.md_in_html",
    "markdown.extensions.tables",
    "pymdownx.details",
    "pymdownx.highlight",
    "pymdownx.superfences",
    "pymdownx.tasklist",
    "pygments.formatters.html",
    "pygments.lexers",
    "nongthonmoi.cli",
    "nongthonmoi.plugin",
    "nongthonmoi.handouts.bulletin",
    "nongthonmoi.handouts.sheets",
    "nongthonmoi.saturday.context",
    "weasyprint",
    "openpyxl",
    "PIL.Image",
)

ENTRY_POINTS = {"ntm": ("nongthonmoi.cli", "main"), "mkdocs": ("mkdocs.__main__", "cli")}


# --- the zygote (runs as ``python forked_commands.py``) -------------------------------


def _child(request: dict) -> int:
    """Run one command in this forked child; its exit status."""
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    for fd, path in ((1, request["out"]), (2, request["err"])):
        target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(target, fd)
        os.close(target)
    os.close(null)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    import time

    time.tzset()
    module, function = ENTRY_POINTS[request["tool"]]
    sys.argv = [str(BIN / request["tool"]), *request["args"]]
    try:
        __import__(module)
        status = getattr(sys.modules[module], function)()
    except SystemExit as done:
        status = done.code
    except BaseException:  # as the interpreter would: the traceback, status 1
        traceback.print_exc()
        status = 1
    if status is None:
        status = 0
    elif not isinstance(status, int):
        print(status, file=sys.stderr)
        status = 1
    try:
        atexit._run_exitfuncs()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001  (a closed stream: nothing more to write)
                pass
    return status


def _serve() -> None:
    # The test modules' folder is not on a console script's path.
    here = str(Path(__file__).resolve().parent)
    sys.path[:] = [p for p in sys.path if p not in ("", here)]
    for module in PRELOAD:
        __import__(module)
    replies = sys.stdout
    replies.write("ready\n")
    replies.flush()
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            status = 1
            try:
                status = _child(request)
            finally:
                os._exit(status & 0xFF)  # as the system keeps it: sys.exit(-1) is 255
        _, wait_status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(wait_status)
        replies.write(json.dumps({"status": code}) + "\n")
        replies.flush()


# --- the test side ---------------------------------------------------------------------


class _Zygote:
    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        # What the interpreter read when it started (see run()).
        self.started_with = _read_at_start(os.environ)
        ready = self.process.stdout.readline()
        if ready != "ready\n":
            raise RuntimeError(f"the forking process did not start: {ready!r}")
        atexit.register(self.close)

    def close(self) -> None:
        """Its input closed, it ends; waited for, so its time counts as this process's."""
        self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def run(self, tool: str, args: list[str], cwd: Path, env: dict) -> subprocess.CompletedProcess:
        with tempfile.TemporaryDirectory(prefix="forked-") as folder:
            out, err = Path(folder) / "out", Path(folder) / "err"
            request = {"tool": tool, "args": args, "cwd": str(cwd), "env": env, "out": str(out), "err": str(err)}
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
            reply = self.process.stdout.readline()
            if not reply:
                raise RuntimeError("the forking process ended")
            status = json.loads(reply)["status"]
            return subprocess.CompletedProcess([str(BIN / tool), *args], status, _text(out), _text(err))


def _text(path: Path) -> str:
    """As ``subprocess.run(text=True)`` reads a pipe: UTF-8, universal newlines."""
    return path.read_bytes().decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def _read_at_start(env) -> dict:
    """What the interpreter reads only when it starts (a sitecustomize on
    PYTHONPATH that moves the clock, a hash seed, a preloaded library): a
    command whose environment changes it runs in a new process."""
    return {k: v for k, v in env.items() if k.startswith(("PYTHON", "LD_")) and k != "PYTHONUNBUFFERED"}


_zygote: list[_Zygote] = []
_lock = threading.Lock()


def run(tool: str, args: list[str], *, cwd: Path, env: dict | None = None, fresh: bool = False) -> subprocess.CompletedProcess:
    """``tool`` (ntm or mkdocs) with ``args`` in ``cwd``, its output as text:
    forked from the zygote, or in a new process when ``fresh``."""
    env = dict(os.environ if env is None else env)
    if not (fresh or os.environ.get("NTM_TESTS_NEW_PROCESSES")):  # the latter: to see whether a failure comes from the fork
        with _lock:  # one command at a time through the one pipe
            if not _zygote or _zygote[0].process.poll() is not None:
                _zygote[:] = [_Zygote()]
            if _read_at_start(env) == _zygote[0].started_with:
                return _zygote[0].run(tool, args, cwd, env)
    return subprocess.run([str(BIN / tool), *args], cwd=cwd, capture_output=True, text=True, env=env)


if __name__ == "__main__":
    _serve()
