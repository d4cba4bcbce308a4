"""Example pictures: drawn, never photographed, and marked so on their face.

The sources hold no photo of Di Linh's Saturdays. The example results show
where photos go with pictures drawn here from plain shapes (sky, hills, a
road, trees, rubbish before and flowers after) under the words «ẢNH VÍ DỤ»
in large letters and «Hình vẽ minh họa, không phải ảnh chụp», so that no
one can take one for a picture of a real event. Stored like any photo
(normalised JPEG, no metadata). ``python -m nongthonmoi.photos.placeholder``
writes the example data's pictures; the benchmark draws thousands with
:func:`texture` > 0, which adds grain so that the files weigh what phone
photos weigh.
"""

from __future__ import annotations

import random
from pathlib import Path

from . import LONG_SIDE

FONT = Path(__file__).resolve().parents[3] / "overrides" / "assets" / "fonts" / "noto-sans-bold.woff2"
SIZE = (LONG_SIDE, LONG_SIDE * 3 // 4)
MARK = "ẢNH VÍ DỤ"
NOTE = "Hình vẽ minh họa, không phải ảnh chụp"
STAGE_WORDS = {"trước": "Trước khi làm", "trong": "Trong khi làm", "sau": "Sau khi làm", None: ""}


def draw(seed: str, stage: str | None = None, subject: str = "", texture: float = 0.0, size: tuple[int, int] = SIZE):
    """A Pillow image: a drawn scene, the example mark, the stage and ``subject`` (a few words)."""
    from PIL import Image, ImageDraw, ImageFont

    rng = random.Random(seed)
    width, height = size
    image = Image.new("RGB", size, (168, 200, 222))
    pen = ImageDraw.Draw(image)
    horizon = int(height * rng.uniform(0.38, 0.48))
    # Hills, fields, a road narrowing to the horizon.
    for _ in range(3):
        x = rng.randint(-width // 3, width)
        pen.ellipse([x, horizon - rng.randint(60, 200), x + rng.randint(500, 1100), horizon + 200],
                    fill=(96 + rng.randint(0, 30), 140 + rng.randint(0, 30), 90))
    pen.rectangle([0, horizon, width, height], fill=(112, 160, 84))
    middle = width // 2 + rng.randint(-200, 200)
    pen.polygon([(middle - 40, horizon), (middle + 40, horizon), (middle + width // 3, height), (middle - width // 3, height)],
                fill=(150, 140, 128) if stage != "sau" else (176, 170, 160))
    if stage == "trước":  # rubbish on the road and its edges
        for _ in range(60):
            x, y = rng.randint(0, width), rng.randint(horizon + 40, height)
            pen.ellipse([x, y, x + rng.randint(10, 40), y + rng.randint(8, 24)], fill=rng.choice([(90, 80, 70), (200, 200, 190), (60, 60, 60)]))
    elif stage == "sau":  # flowers planted along the road
        for _ in range(80):
            x, y = rng.randint(0, width), rng.randint(horizon + 60, height)
            if abs(x - middle) < (y - horizon) * (width / 3) / (height - horizon) + 30:
                continue
            pen.ellipse([x, y, x + 16, y + 16], fill=rng.choice([(220, 60, 80), (240, 200, 40), (250, 250, 250)]))
    elif stage == "trong":  # figures at work, no faces
        for _ in range(rng.randint(4, 7)):
            x, y = rng.randint(100, width - 100), rng.randint(horizon + 80, height - 200)
            pen.rectangle([x - 18, y, x + 18, y + 90], fill=rng.choice([(30, 90, 160), (200, 60, 40), (40, 120, 60)]))
            pen.ellipse([x - 16, y - 34, x + 16, y - 2], fill=(80, 60, 50))
    for _ in range(rng.randint(4, 8)):  # trees along the road
        x = rng.choice([rng.randint(0, middle - 200), rng.randint(middle + 200, width)])
        y = rng.randint(horizon, horizon + height // 5)
        r = rng.randint(30, 80)
        pen.rectangle([x - 6, y, x + 6, y + r * 2], fill=(110, 80, 50))
        pen.ellipse([x - r, y - r, x + r, y + r], fill=(60, 120 + rng.randint(0, 40), 60))
    if texture:
        image = _grain(image, rng, texture)
    _mark(image, ImageFont, ImageDraw, stage, subject)
    return image


def _grain(image, rng: random.Random, amount: float):
    """Noise at several scales, like the texture of leaves, soil and gravel in a photo."""
    from PIL import Image, ImageChops, ImageFilter

    width, height = image.size
    seed = rng.randint(0, 2**31)
    fine = Image.effect_noise((width, height), 64 * amount).convert("RGB")
    coarse = Image.effect_noise((width // 8, height // 8), 90 * amount).resize((width, height)).filter(ImageFilter.GaussianBlur(3))
    mixed = ImageChops.add(ImageChops.blend(fine, coarse.convert("RGB"), 0.5), Image.new("RGB", (width, height), (seed % 7,) * 3))
    return ImageChops.overlay(image, mixed)


def _mark(image, ImageFont, ImageDraw, stage: str | None, subject: str) -> None:
    width, height = image.size
    pen = ImageDraw.Draw(image)
    big = ImageFont.truetype(str(FONT), height // 7)
    small = ImageFont.truetype(str(FONT), height // 26)
    lines = [(MARK, big), (NOTE, small)]
    if STAGE_WORDS.get(stage):
        lines.append((STAGE_WORDS[stage], small))
    if subject:
        lines.append((subject, small))
    boxes = [pen.textbbox((0, 0), text, font=font) for text, font in lines]
    block = sum(b[3] - b[1] for b in boxes) + 24 * (len(lines) - 1)
    wide = max(b[2] - b[0] for b in boxes)
    top = (height - block) // 2
    pen.rectangle([(width - wide) // 2 - 48, top - 40, (width + wide) // 2 + 48, top + block + 48], fill=(255, 255, 255))
    y = top
    for (text, font), box in zip(lines, boxes):
        pen.text(((width - (box[2] - box[0])) // 2 - box[0], y - box[1]), text, font=font, fill=(0, 0, 0))
        y += box[3] - box[1] + 24


def placeholder_photo(seed: str, stage: str | None = None, subject: str = "", texture: float = 0.0) -> bytes:
    """A stored photo (normalised JPEG bytes) of :func:`draw`."""
    from .normalise import _encode

    return _encode(draw(seed, stage, subject, texture))


# The example data's pictures: (commune, Saturday, file, stage, words on the picture).
EXAMPLES = [
    ("gung-re", "2023-03-04", "vi-du-don-duong-truoc.jpg", "trước", "Đường thôn trước buổi ra quân"),
    ("gung-re", "2023-03-04", "vi-du-don-duong-sau.jpg", "sau", "Đường thôn sau buổi ra quân"),
    ("gung-re", "2023-03-04", "vi-du-khoi-thong-cong.jpg", "trong", "Khơi thông cống rãnh"),
    ("hoa-ninh", "2023-03-04", "vi-du-don-duong-truoc.jpg", "trước", "Đường liên thôn trước khi dọn"),
    ("hoa-ninh", "2023-03-04", "vi-du-don-duong-sau.jpg", "sau", "Đường liên thôn sau khi dọn"),
    ("thi-tran-di-linh", "2023-03-04", "vi-du-don-via-he.jpg", "trong", "Dọn vỉa hè tổ dân phố"),
    ("thi-tran-di-linh", "2023-03-04", "vi-du-tre-em-khong-dang.jpg", "trong", "Ảnh không đăng"),
    ("gung-re", "2023-03-11", "vi-du-trong-hoa-truoc.jpg", "trước", "Lề đường trước khi trồng hoa"),
    ("gung-re", "2023-03-11", "vi-du-trong-hoa.jpg", "trong", "Trồng hoa ven đường"),
    ("gung-re", "2023-03-11", "vi-du-trong-hoa-sau.jpg", "sau", "Lề đường sau khi trồng hoa"),
    ("gung-re", "2023-03-11", "vi-du-don-rac.jpg", "trong", "Dọn điểm rác tự phát"),
    ("hoa-ninh", "2023-03-11", "vi-du-trong-hoa-sau.jpg", "sau", "Hoa trồng ven đường"),
    ("thi-tran-di-linh", "2023-03-11", "vi-du-don-rac-sau.jpg", "sau", "Điểm rác đã dọn"),
]


def write_examples(root: Path) -> list[Path]:
    written = []
    for unit, day, name, stage, subject in EXAMPLES:
        path = root / "materials" / "anh" / unit / day / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(placeholder_photo(f"{unit}/{day}/{name}", stage, subject))
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_examples(Path.cwd()):
        print(path)
