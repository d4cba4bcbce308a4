"""Regenerate the picture shown when a link to the site is shared.

Zalo and Facebook show a page's ``og:image`` next to its title. The picture
is committed in ``overrides/assets/images/chia-se.png`` (the build only copies
it), so the site still loads nothing from another host. This module is only
for maintainers who want to change it; the build never calls it:

    .venv/bin/python -m nongthonmoi.share_image

It draws the site's name and the programme's name, in the site's own Noto
Sans, with Debian's Chromium (through Playwright, a test dependency), at
1200 x 630 px, the size both apps crop to. Flat colours and a 16-colour
palette keep the PNG well under 100 KB, for phones on slow networks.
"""

from __future__ import annotations

import io
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TARGET = REPO / "overrides" / "assets" / "images" / "chia-se.png"
WIDTH, HEIGHT = 1200, 630
LIMIT = 100 * 1024

# Words from the site itself (mkdocs.yml, docs/index.md): nothing new is claimed.
HTML = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><style>
@font-face { font-family: "Noto Sans"; font-weight: 400; src: url("{fonts}/noto-sans-regular.woff2"); }
@font-face { font-family: "Noto Sans"; font-weight: 700; src: url("{fonts}/noto-sans-bold.woff2"); }
html, body { margin: 0; width: {width}px; height: {height}px; }
body { box-sizing: border-box; padding: 80px 90px; display: flex; flex-direction: column;
  justify-content: space-between; background: #1b5e20; color: #fff; font-family: "Noto Sans"; }
h1 { margin: 0; font-size: 92px; line-height: 1.1; font-weight: 700; }
p { margin: 0; font-size: 44px; line-height: 1.3; }
.rule { width: 160px; height: 10px; background: #fff; margin: 36px 0; }
.by { font-size: 34px; }
</style></head><body>
<div><h1>Nông thôn mới<br>Di Linh</h1><div class="rule"></div>
<p>Ngày thứ Bảy vì nông thôn mới, đô thị văn minh</p></div>
<p class="by">Ban Tuyên giáo Huyện ủy Di Linh</p>
</body></html>"""


def render() -> bytes:
    from playwright.sync_api import sync_playwright
    from PIL import Image

    fonts = (REPO / "overrides" / "assets" / "fonts").as_uri()
    html = HTML.replace("{fonts}", fonts).replace("{width}", str(WIDTH)).replace("{height}", str(HEIGHT))
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        page_file = Path(tmp) / "share.html"
        page_file.write_text(html, encoding="utf-8")
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        page.goto(page_file.as_uri(), wait_until="load")
        page.evaluate("document.fonts.ready")
        shot = page.screenshot(type="png")
        browser.close()
    # Two colours and their anti-aliasing: a small palette loses nothing visible.
    image = Image.open(io.BytesIO(shot)).convert("RGB").quantize(colors=16, dither=Image.Dither.NONE)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def main() -> int:
    data = render()
    if len(data) > LIMIT:
        print(f"{TARGET.name}: {len(data)} bytes, over the {LIMIT} byte limit", file=sys.stderr)
        return 1
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_bytes(data)
    print(f"{TARGET.relative_to(REPO)}: {WIDTH} x {HEIGHT} px, {len(data) / 1024:.1f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
