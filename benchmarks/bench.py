"""Benchmark of the site and of release builds at district scale (not a test).

    .venv/bin/python -m benchmarks.bench [--years 3] [--small-years 1] [--keep]

Generates a synthetic district (19 units, 183 hamlets, weekly plans, results
and staff lists; every file ``vi_du: true``) into a temporary copy of the
repository's config and docs, with 'today' (NTM_TODAY, buildday.py) two days
before its second-to-last Saturday, then measures in one run, at two corpus
sizes (is the cost linear in the number of plans?):

- plain Material for MkDocs building the same pages already rendered as
  Markdown (same mkdocs.yml without the nongthonmoi plugin): the yardstick;
- the site alone with the nongthonmoi plugin (no print handouts, an empty
  placeholder for the offline zip), cold and warm, and its ratio to plain;
- a release build, what `ntm build` does before publishing (site, print
  handouts, offline zip), cold (no cache at all) and after one plan of the
  coming Saturday changed, with the caches of the cold build;
- peak memory (max RSS of the build process), sizes (site, PDFs, zip),
  largest page;
- ``mkdocs serve --dirty`` (what ``ntm serve`` runs): time from saving one
  plan to the end of the rebuild.

Every figure is printed with the machine's load average (1 minute).
"""

from __future__ import annotations

import argparse
import calendar
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import zlib
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIRST_SATURDAY = date(2023, 3, 4)
HAMLETS_TOTAL = 183

# Runs one build in a fresh process. "site": the site alone, without the
# print handouts (their links and list stay empty) and with an empty
# placeholder for the offline zip. "release": everything `ntm build` makes
# (site, handouts, offline zip), strict like `ntm build`.
_ISOLATE = r"""
from mkdocs.structure.files import File
import nongthonmoi.offline as offline
import nongthonmoi.handouts as handouts
handouts.Handouts.add_files = lambda self, files, config: files
handouts.Handouts.decorate = lambda self, html, page: html
offline.site_file = lambda config, command: File.generated(config, offline.ZIP_PATH, content=b"")
offline.write_copy = lambda *args, **kwargs: {}
"""

_BUILD = r"""
import sys
mode, config_file, site_dir = sys.argv[1:4]
if mode == "site":
    exec(ISOLATE)
from mkdocs.config import load_config
from mkdocs.commands.build import build
config = load_config(config_file, site_dir=site_dir, strict=mode == "release")
config.plugins.on_startup(command="build", dirty=False)
build(config)
config.plugins.on_shutdown()
""".replace("ISOLATE", repr(_ISOLATE))

_SERVE = _ISOLATE + r"""
import logging, sys
logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")  # the bench reads the log
from mkdocs.commands.serve import serve
# Same as `ntm serve`: dirty rebuilds, not strict (MkDocs warns on every dirty build).
serve(config_file=sys.argv[1], dev_addr=sys.argv[2], livereload=True, build_type="dirty", watch=[sys.argv[3]], strict=False)
"""


# --- synthetic corpus --------------------------------------------------------

UNITS = [("thi-tran-di-linh", "Di Linh", "thị trấn")] + [
    (slug, name, "xã")
    for slug, name in [
        ("bao-thuan", "Bảo Thuận"), ("dinh-lac", "Đinh Lạc"), ("dinh-trang-hoa", "Đinh Trang Hòa"),
        ("dinh-trang-thuong", "Đinh Trang Thượng"), ("gia-bac", "Gia Bắc"), ("gia-hiep", "Gia Hiệp"),
        ("gung-re", "Gung Ré"), ("hoa-bac", "Hòa Bắc"), ("hoa-nam", "Hòa Nam"), ("hoa-ninh", "Hòa Ninh"),
        ("hoa-trung", "Hòa Trung"), ("lien-dam", "Liên Đầm"), ("son-dien", "Sơn Điền"), ("tam-bo", "Tam Bố"),
        ("tan-chau", "Tân Châu"), ("tan-lam", "Tân Lâm"), ("tan-nghia", "Tân Nghĩa"), ("tan-thuong", "Tân Thượng"),
    ]
]
TASKS = [
    ("don-duong", "Phát quang, quét dọn đường thôn", "km", ["Dao phát", "chổi", "cào"]),
    ("khoi-thong-cong", "Khơi thông cống rãnh", "m", ["Cuốc", "xẻng", "xe rùa"]),
    ("trong-hoa", "Trồng hoa dọc đường", "cây", ["Cuốc", "bình tưới"]),
    ("don-rac", "Dọn điểm rác tự phát", "điểm", ["Cào", "bao đựng rác"]),
]


def _hamlets() -> dict[str, list[str]]:
    base, extra = divmod(HAMLETS_TOTAL, len(UNITS))
    return {
        slug: [f"{'to-dan-pho' if kind == 'thị trấn' else 'thon'}-{k}" for k in range(1, base + (i < extra) + 1)]
        for i, (slug, _, kind) in enumerate(UNITS)
    }


PHOTO_STAGES = ("trước", "trong", "sau")
FULL_PAGE = ("gung-re", 12)  # a commune whose latest past Saturday has 12 photos (the page budget)


def write_corpus(root: Path, weeks: int, seed: int = 4, photos: int = 0, today: date | None = None) -> int:
    """Write materials for ``weeks`` Saturdays; return the number of plans.

    ``photos``: that many photos on each result (generated placeholders
    marked «ẢNH VÍ DỤ», grained so that each weighs what a phone photo
    weighs once normalised), and :data:`FULL_PAGE` photos on one commune's
    result of the last Saturday before ``today``."""
    rnd = random.Random(seed)
    materials = root / "materials"
    for kind in ("ke-hoach", "ket-qua", "danh-sach", "anh"):
        shutil.rmtree(materials / kind, ignore_errors=True)
    pictures: list[tuple[Path, str, str]] = []
    full_day = max((FIRST_SATURDAY + timedelta(weeks=w) for w in range(weeks)
                    if today is None or FIRST_SATURDAY + timedelta(weeks=w) < today), default=None)
    hamlets = _hamlets()
    lines = ["# Synthetic benchmark data (benchmarks/bench.py).", "don_vi:"]
    for slug, name, kind in UNITS:
        label = "Tổ dân phố" if kind == "thị trấn" else "Thôn"
        lines += [f"  - ma: {slug}", f"    ten: {name}", f"    loai: {kind}", "    thon_vi_du: true", "    thon:"]
        for h in hamlets[slug]:
            lines += [f"      - ma: {h}", f"        ten: {label} {h.rsplit('-', 1)[1]}", f"        loai: {label.lower()}"]
    (materials / "don-vi.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    agencies = re.findall(r"(?m)^  - ma: (\S+)", (REPO / "materials/co-quan.yml").read_text(encoding="utf-8"))
    names = re.findall(r"(?m)^    ten: (.+)$", (REPO / "materials/co-quan.yml").read_text(encoding="utf-8"))
    support = {a: [u for j, (u, _, _) in enumerate(UNITS) if j % len(agencies) == i] for i, a in enumerate(agencies)}
    lines = ["phan_cong_vi_du: true", "co_quan:"]
    for a, n in zip(agencies, names):
        lines += [f"  - ma: {a}", f"    ten: {n}", "    ho_tro_xa:"] + [f"      - {u}" for u in support[a]]
    (materials / "co-quan.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    helper = {u: a for a, us in support.items() for u in us}
    plans = 0
    for week in range(weeks):
        day = FIRST_SATURDAY + timedelta(weeks=week)
        for slug, _, kind in UNITS:
            hs = hamlets[slug]
            tasks = rnd.sample(TASKS, 2)
            text = [
                "vi_du: true", f"xa: {slug}", f"ngay: {day}", f"ngay_lap: {day - timedelta(days=4)}",
                f"noi_dung: {tasks[0][1]}; {tasks[1][1].lower()}", "thoi_gian:", "  bat_dau: 7h00", "  ket_thuc: 10h30",
                "chi_dao: Chủ tịch UBND xã", "to_chuc: Trưởng các thôn", "phan_viec:",
            ]
            amounts = []
            for tid, desc, unit, tools in tasks:
                amount = rnd.randint(1, 300) if unit in ("m", "cây") else rnd.randint(1, 5)
                amounts.append(amount)
                where = rnd.sample(hs, 2)
                text += [
                    f"  - ma: {tid}", f"    noi_dung: {desc}", "    khoi_luong:", f"      so: {amount}", f"      don_vi_tinh: {unit}",
                    f"    thon: [{', '.join(where)}]", f"    cong_cu: [{', '.join(tools)}]",
                    "    thanh_phan: [Hộ dân các thôn, Đoàn viên thanh niên]", f"    don_vi_ho_tro: [{helper[slug]}]",
                ]
            text += ["thu_gom_rac:", "  thu_gom: Gom về điểm tập kết đầu thôn", "  xu_ly: Chở đến nơi xử lý",
                     "  khoi_luong:", "    so: 1.5", "    don_vi_tinh: tấn"]
            path = materials / "ke-hoach" / slug / f"{day}.yml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("\n".join(text) + "\n", encoding="utf-8")
            plans += 1
            total = 150 + 40 * len(hs)
            result = [
                "vi_du: true", f"xa: {slug}", f"ngay: {day}", f"so_ho_tham_gia: {rnd.randint(total // 4, total)}",
                f"tong_so_ho: {total}", f"can_bo_xa: {rnd.randint(8, 25)}", "co_quan_tham_gia:",
                f"  - co_quan: {helper[slug]}", f"    so_nguoi: {rnd.randint(2, 9)}", "khoi_luong_da_lam:",
            ]
            for (tid, *_), amount in zip(tasks, amounts):
                result += [f"  - phan_viec: {tid}", f"    da_lam: {rnd.randint(0, amount)}"]
            count = FULL_PAGE[1] if photos and (slug, day) == (FULL_PAGE[0], full_day) else photos
            if count:
                result.append("anh:")
            for n in range(1, count + 1):
                stage = PHOTO_STAGES[(n - 1) % 3]
                name = f"anh-{n:02d}.jpg"
                result += [f"  - tep: {name}", f"    mo_ta: Hình vẽ ví dụ {n}, {tasks[0][1].lower()} ở {hs[n % len(hs)]}",
                           f"    chu_thich: Ảnh ví dụ {n} của ngày {day:%d/%m/%Y}", f"    giai_doan: {stage}",
                           f"    thon: {hs[n % len(hs)]}"]
                pictures.append((materials / "anh" / slug / str(day) / name, f"{slug}/{day}/{n}", stage))
            path = materials / "ket-qua" / slug / f"{day}.yml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("\n".join(result) + "\n", encoding="utf-8")
        for agency, units in support.items():
            staff = ["vi_du: true", f"co_quan: {agency}", f"ngay_thu_bay: {day}", f"ngay_gui: {day - timedelta(days=3)}", "phan_bo:"]
            for u in units:
                staff += [f"  - xa: {u}", "    nguoi:", "      - ho_ten: Cán bộ 1 (ví dụ)", "      - ho_ten: Cán bộ 2 (ví dụ)"]
            path = materials / "danh-sach" / agency / f"{day}.yml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("\n".join(staff) + "\n", encoding="utf-8")
    write_pictures(pictures)
    return plans


def write_pictures(pictures: list[tuple[Path, str, str]]) -> None:
    """The photos, on every core: a few grained scenes drawn once, each photo
    one of them with its own number written on it (unique bytes, as every
    real photo is), stored as a normalised JPEG."""
    if not pictures:
        return
    from concurrent.futures import ProcessPoolExecutor

    chunks = [pictures[i::os.cpu_count() or 1] for i in range(os.cpu_count() or 1)]
    with ProcessPoolExecutor(max_workers=len(chunks)) as pool:
        list(pool.map(_draw_pictures, chunks))


_SCENES: dict = {}


def _draw_pictures(chunk: list[tuple[Path, str, str]]) -> None:
    from PIL import ImageDraw, ImageFont

    from nongthonmoi.photos.normalise import _encode
    from nongthonmoi.photos.placeholder import FONT, draw

    font = ImageFont.truetype(str(FONT), 44)
    for path, seed, stage in chunk:
        key = (stage, zlib.crc32(seed.encode()) % 4)
        if key not in _SCENES:
            _SCENES[key] = draw(f"scene-{key}", stage, "", texture=0.5)
        picture = _SCENES[key].copy()
        ImageDraw.Draw(picture).text((40, 40), seed, font=font, fill=(255, 255, 255))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_encode(picture))


def make_project(base: Path) -> Path:
    root = base / "repo"
    root.mkdir()
    for name in ("docs", "overrides"):
        shutil.copytree(REPO / name, root / name)
    (root / "materials").mkdir()
    shutil.copy(REPO / "materials/van-ban.yml", root / "materials/van-ban.yml")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    # The web editor's npm packages (quan-tri/), read only: shared, not copied.
    if (REPO / "node_modules").is_dir():
        (root / "node_modules").symlink_to(REPO / "node_modules", target_is_directory=True)
    return root


# --- measurements ------------------------------------------------------------


def timed(args: list[str], cwd: Path) -> tuple[float, int]:
    """Wall time (s) and peak memory (KiB) of one child process."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    # The disk first writes out what the previous build and the removal of
    # its site left in memory (100 MB and more at 3 years): that belongs to
    # the previous build, not to this one.
    os.sync()
    time.sleep(1)
    # The log goes to a file: a pipe nobody reads while waiting would fill up and block the build.
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=log)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            log.seek(0)
            raise SystemExit(f"build failed: {' '.join(args)}\n{log.read().decode()[-3000:]}")
    return elapsed, usage.ru_maxrss


def build(root: Path, site: Path, mode: str = "site", config: str = "mkdocs.yml") -> tuple[float, int]:
    shutil.rmtree(site, ignore_errors=True)
    return timed([sys.executable, "-c", _BUILD, mode, str(root / config), str(site)], root)


def plain_project(root: Path, site: Path) -> str:
    """Docs plus every generated page as Markdown, config without the plugin."""
    docs = root / "docs-plain"
    shutil.rmtree(docs, ignore_errors=True)
    shutil.copytree(root / "docs", docs)
    # Every generated page as a Markdown file, from the pack the build kept.
    from nongthonmoi.saturday.site import read_pack

    pages = read_pack(root / ".cache/generated/pages")
    if not pages:
        raise SystemExit("no generated pages kept by the build (.cache/generated/pages/pages.pack)")
    for src_uri, (_, text) in pages.items():
        (docs / src_uri).parent.mkdir(parents=True, exist_ok=True)
        (docs / src_uri).write_text(text, encoding="utf-8")
    for folder in ("bao-cao", "lich", "bang-tinh"):  # generated files, as static files
        shutil.copytree(site / folder, docs / folder, dirs_exist_ok=True)
    shutil.copy(site / "feed.xml", docs / "feed.xml")
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("  - nongthonmoi\n", "", 1).replace("docs_dir: docs\n", "docs_dir: docs-plain\n", 1)
    text += "\nnot_in_nav: |\n  /xa/\n  /thu-bay/\n"
    # No edit links, as the plugin does without REPO_URL (otherwise MkDocs warns on every page).
    text = text.replace('edit_uri: !ENV [EDIT_URI, "edit/main/docs/"]', 'edit_uri: ""', 1)
    (root / "mkdocs-plain.yml").write_text(text, encoding="utf-8")
    return "mkdocs-plain.yml"


def site_figures(site: Path) -> tuple[int, int, str, int]:
    files = [p for p in site.rglob("*") if p.is_file()]
    pages = [p for p in files if p.suffix == ".html"]
    largest = max(pages, key=lambda p: p.stat().st_size)
    return sum(p.stat().st_size for p in files), len(pages), largest.relative_to(site).as_posix(), largest.stat().st_size


def serve_rebuild(root: Path) -> tuple[float, float]:
    """Start ``mkdocs serve --dirty``; return (first build s, edit-to-rebuilt s)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-c", _SERVE, str(root / "mkdocs.yml"), f"127.0.0.1:{port}", str(root / "materials")],
        cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        start = time.perf_counter()
        _wait_for(proc, "Serving on")
        first = time.perf_counter() - start
        time.sleep(2)  # let the watcher settle
        plan = sorted((root / "materials/ke-hoach/gung-re").glob("*.yml"))[-1]
        text = plan.read_text(encoding="utf-8")
        edited = time.perf_counter()
        plan.write_text(text.replace("chi_dao: Chủ tịch UBND xã", "chi_dao: Phó Chủ tịch UBND xã"), encoding="utf-8")
        _wait_for(proc, "Documentation built")
        rebuilt = time.perf_counter() - edited
        return first, rebuilt
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _wait_for(proc, marker: str, timeout: float = 900) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        line = proc.stderr.readline()
        if not line:
            raise SystemExit("mkdocs serve stopped")
        if marker in line:
            return
    raise SystemExit(f"timed out waiting for {marker!r}")


def serve_only(root: Path) -> None:
    first, rebuilt = serve_rebuild(root)
    print(f"mkdocs serve --dirty: first build {first:.1f} s; one plan edited -> rebuilt in {rebuilt:.2f} s "
          f"(save to 'Documentation built', watcher delay included; load {load()})", flush=True)


def load() -> str:
    """The machine's load average over the last minute: the timings depend on it."""
    return f"{os.getloadavg()[0]:.1f}"


def reference_day(weeks: int) -> date:
    """'Today' for a corpus of ``weeks`` Saturdays: the Thursday before its
    second-to-last Saturday, so the coming Saturday and the one after have
    plans and every other plan is past, as in a district that writes its
    plans a week or two ahead."""
    return FIRST_SATURDAY + timedelta(weeks=weeks - 2) - timedelta(days=2)


def set_reference_day(day: date) -> None:
    # The build's 'today' (buildday.build_day: NTM_TODAY pins it); the files'
    # timestamp (SOURCE_DATE_EPOCH) follows it, as the copy has no git history.
    os.environ["NTM_TODAY"] = day.isoformat()
    noon = calendar.timegm(day.timetuple()) + 5 * 3600  # 12:00 in Vietnam (UTC+7)
    os.environ["SOURCE_DATE_EPOCH"] = str(noon)


def edit_plan(root: Path, day: date) -> Path:
    """Change one plan of ``day`` (Gung Ré's), as an editor would; every call
    changes it again (back and forth between two wordings)."""
    plan = root / "materials/ke-hoach/gung-re" / f"{day.isoformat()}.yml"
    text = plan.read_text(encoding="utf-8")
    one, other = "chi_dao: Chủ tịch UBND xã", "chi_dao: Phó Chủ tịch UBND xã"
    changed = text.replace(one, other) if one in text else text.replace(other, one)
    assert changed != text
    plan.write_text(changed, encoding="utf-8")
    return plan


class Best:
    """The shortest of several timings, with the load average when it was taken."""

    def __init__(self):
        self.seconds, self.load, self.count = None, None, 0

    def add(self, seconds: float) -> float:
        self.count += 1
        if self.seconds is None or seconds < self.seconds:
            self.seconds, self.load = seconds, load()
        return seconds


def release_figures(site: Path) -> dict:
    from nongthonmoi import offline

    files = [p for p in site.rglob("*") if p.is_file()]
    pdfs = [p for p in files if p.suffix == ".pdf"]
    return {
        "total": sum(p.stat().st_size for p in files),
        "pdfs": len(pdfs),
        "pdf_bytes": sum(p.stat().st_size for p in pdfs),
        "zip": (site / offline.ZIP_PATH).stat().st_size,
    }


def mib(n: int) -> str:
    return f"{n / 2**20:.1f} MiB"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench")
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--small-years", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=5, help="site builds of each kind per size (best is kept)")
    parser.add_argument("--release-rounds", type=int, default=5, help="release builds of each kind per size (best is kept)")
    parser.add_argument("--no-release", action="store_true", help="the site alone (no handouts, no offline zip)")
    parser.add_argument("--no-serve", action="store_true", help="leave out the mkdocs serve measurement")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    base = Path(tempfile.mkdtemp(prefix="ntm-bench-"))
    print(f"{os.cpu_count()} cores; load average at start {load()}", flush=True)
    try:
        root = make_project(base)
        rows = []
        for years in dict.fromkeys((args.small_years, args.years)):
            weeks = 52 * years
            plans = write_corpus(root, weeks)
            today = reference_day(weeks)
            set_reference_day(today)
            # Rounds alternate plain, ours cold and ours warm; the best of each
            # is kept: other work on the machine slows one build or another,
            # not all. Cold: no cache of any kind (generated pages, handouts,
            # workbooks, offline copy) from an earlier build of these data.
            plain, cold, warm = Best(), Best(), Best()
            plain_cfg = None
            for round_ in range(args.rounds):
                shutil.rmtree(root / ".cache", ignore_errors=True)
                seconds, rss = build(root, base / "site")
                cold.add(seconds)
                if plain_cfg is None:
                    total, pages, largest, largest_size = site_figures(base / "site")
                    plain_cfg = plain_project(root, base / "site")
                seconds, plain_rss = build(root, base / "plain", config=plain_cfg)
                plain.add(seconds)
                # Warm: same data again, unchanged pages are not re-rendered.
                warm.add(build(root, base / "site")[0])
            rows.append((years, plans, pages, cold.seconds, plain.seconds))
            print(f"\n{years} year(s): {plans} plans, {pages} HTML pages, 'today' {today} "
                  f"(coming Saturday {today + timedelta(days=2)}); best of {args.rounds} rounds", flush=True)
            p = plain.seconds
            print(f"  plain Material, site:                {p:6.1f} s             (load {plain.load})")
            print(f"  site alone, cold:                    {cold.seconds:6.1f} s  ratio {cold.seconds / p:.2f} "
                  f"(target <= 1.2; load {cold.load}); {cold.seconds / plans * 1000:.1f} s per 1000 plans")
            print(f"  site alone, warm:                    {warm.seconds:6.1f} s  ratio {warm.seconds / p:.2f} (load {warm.load})")
            print(f"  site alone: peak memory {rss / 1024:.0f} MiB (plain {plain_rss / 1024:.0f} MiB), output {mib(total)}, "
                  f"largest page {largest} {largest_size / 1024:.1f} KiB", flush=True)
            if not args.no_release:
                release_cold, release_one = Best(), Best()
                for round_ in range(args.release_rounds):
                    shutil.rmtree(root / ".cache", ignore_errors=True)
                    seconds, cold_rss = build(root, base / "site", "release")
                    release_cold.add(seconds)
                    sizes = release_figures(base / "site")
                    edit_plan(root, today + timedelta(days=2))
                    release_one.add(build(root, base / "site", "release")[0])
                c, o = release_cold.seconds, release_one.seconds
                print(f"  release (site, handouts, zip), cold: {c:6.1f} s  ratio {c / p:.2f} (target <= 3; load {release_cold.load})")
                print(f"  release, one plan changed, caches:   {o:6.1f} s  ratio {o / p:.2f} (target <= 1.3; load {release_one.load})")
                print(f"  release: peak memory {cold_rss / 1024:.0f} MiB; site {mib(sizes['total'])} "
                      f"({sizes['pdfs']} PDFs, {mib(sizes['pdf_bytes'])}); offline zip {mib(sizes['zip'])}, "
                      f"{sizes['zip'] / years / 1e6:.1f} MB per year (target <= 10)", flush=True)
        if not args.no_serve:
            print()
            serve_only(root)
        if len(rows) > 1:
            small, big = rows[0], rows[-1]
            print(f"linearity (site alone, cold): {small[3] / small[1] * 1000:.1f} vs {big[3] / big[1] * 1000:.1f} s per 1000 plans")
    finally:
        if args.keep:
            print(f"kept {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
