"""What the input limits cost and what they save (not a test).

    .venv/bin/python -m benchmarks.input_files_bench

Prints:

- a progressive JPEG with extra empty scans (163 bytes each, the attacker's
  recipe): the header walk that counts them (A017) and, for a few counts
  under the limit, what Pillow's decoder spends, to show the cost per scan;
- the allow-list check of a picture of docs/ (header.py + published.py) for
  a 1,600-px JPEG, a PNG screenshot, a GIF;
- reading a 10 MB file through inputfile.read_input against Path.read_bytes.
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
import hostile_files_support as hostile  # noqa: E402

from nongthonmoi.inputfile import read_input  # noqa: E402
from nongthonmoi.photos.header import read_header  # noqa: E402
from nongthonmoi.photos.published import published_problems  # noqa: E402


def _best(step, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    print("progressive JPEG, 2000 x 2000 grey, extra empty scans")
    for extra in (0, 50, 200, 6000, 60000):
        data = hostile.many_scans(extra, size=2000)
        header_s = _best(lambda: read_header(data))
        line = f"  {extra + 10:6} scans, {len(data) / 1e6:6.2f} MB: header walk {header_s * 1000:7.1f} ms"
        if extra <= 200:
            def decode():
                image = Image.open(io.BytesIO(data))
                image.load()
            line += f", Pillow decode {_best(decode, 2):6.2f} s"
        print(line)
    print("allow-list check of a picture of docs/ (header walk + published_problems)")
    pictures = {"JPEG 1600 x 1200": hostile._jpeg(1600, 1200), "PNG 1280 x 800": None, "GIF 64 x 48": hostile._gif()}
    png = io.BytesIO()
    Image.new("RGB", (1280, 800), (240, 240, 240)).save(png, "PNG")
    pictures["PNG 1280 x 800"] = png.getvalue()
    for name, data in pictures.items():
        print(f"  {name:18} {len(data) / 1000:7.1f} KB: {_best(lambda: published_problems(read_header(data))) * 1000:6.2f} ms")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.xlsx"
        path.write_bytes(b"\0" * 10 * 2**20)
        print("reading 10 MB")
        print(f"  read_input      {_best(lambda: read_input(path, 10 * 2**20)) * 1000:6.1f} ms")
        print(f"  Path.read_bytes {_best(path.read_bytes) * 1000:6.1f} ms")


if __name__ == "__main__":
    main()
