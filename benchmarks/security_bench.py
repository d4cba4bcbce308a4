"""What the page sanitiser and the Content-Security-Policy cost in a build
of the benchmark's district corpus (not a test).

    .venv/bin/python -m benchmarks.security_bench [--years 3]

Writes the synthetic district of benchmarks/bench.py, builds the site once
(the site alone, as bench.py's "site alone, cold": no handouts, no zip), and
prints the build's wall time and the time spent in ``sanitize.clean`` (every
page, in ``on_page_content``) and ``csp.add_policy`` (every page, in
``on_post_page``), counted inside the build process. A second, release
build adds the offline copy's policies and the handouts' sanitised text.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench import _ISOLATE, load, make_project, reference_day, set_reference_day, write_corpus

_MEASURED = r"""
import atexit, json, sys, time
mode, config_file, site_dir, out = sys.argv[1:5]
if mode == "site":
    exec(ISOLATE)
from nongthonmoi import csp, sanitize, offline, plugin
spent = {"sanitize": [0.0, 0], "csp": [0.0, 0]}
def timed(name, function):
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name][0] += time.perf_counter() - start
            spent[name][1] += 1
    return wrapper
sanitize.clean = timed("sanitize", sanitize.clean)
csp.add_policy = timed("csp", csp.add_policy)
from mkdocs.config import load_config
from mkdocs.commands.build import build
config = load_config(config_file, site_dir=site_dir, strict=mode == "release")
config.plugins.on_startup(command="build", dirty=False)
start = time.perf_counter()
build(config)
config.plugins.on_shutdown()
spent["build"] = [time.perf_counter() - start, 1]
open(out, "w").write(json.dumps(spent))
""".replace("ISOLATE", repr(_ISOLATE))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.security_bench")
    parser.add_argument("--years", type=int, default=3)
    args = parser.parse_args(argv)
    base = Path(tempfile.mkdtemp(prefix="ntm-security-bench-"))
    try:
        root = make_project(base)
        weeks = 52 * args.years
        plans = write_corpus(root, weeks)
        set_reference_day(reference_day(weeks))
        print(f"{args.years} year(s), {plans} plans; load average at start {load()}", flush=True)
        for mode in ("site", "release"):
            shutil.rmtree(root / ".cache", ignore_errors=True)
            out = base / f"{mode}.json"
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", _MEASURED, mode, str(root / "mkdocs.yml"), str(base / "site"), str(out)],
                           cwd=root, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wall = time.perf_counter() - start
            spent = json.loads(out.read_text())
            pages = sum(1 for _ in (base / "site").rglob("*.html"))
            build = spent["build"][0]
            print(f"  {mode:7} build {build:6.1f} s (process {wall:.1f} s), {pages} HTML pages; load {load()}")
            for name in ("sanitize", "csp"):
                seconds, calls = spent[name]
                print(f"    {name:8} {seconds:6.2f} s in {calls} calls ({seconds / max(calls, 1) * 1000:.2f} ms each), "
                      f"{seconds / build * 100:.1f} % of the build")
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
