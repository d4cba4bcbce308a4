"""Regenerate the web and print font subsets shipped in overrides/assets/fonts.

The site must not load fonts from an outside host, and WeasyPrint must embed
the same glyphs on every machine, so the fonts live in the repository. This
module is only for maintainers who want to rebuild them from Debian's
fonts-noto-core (SIL Open Font License); the build never calls it.
"""

from __future__ import annotations

from pathlib import Path

# Latin, Vietnamese letters (Ă Đ Ĩ Ũ Ơ Ư and the Latin Extended Additional
# block with stacked tones), combining marks for text typed in NFD, common
# punctuation, the đồng sign and the arrows/boxes the handouts use.
VIETNAMESE_UNICODES = ",".join(
    [
        "U+0020-007E",
        "U+00A0-00FF",
        "U+0102-0103",
        "U+0110-0111",
        "U+0128-0129",
        "U+0168-0169",
        "U+01A0-01A1",
        "U+01AF-01B0",
        "U+0300-0303",
        "U+0309",
        "U+0323",
        "U+1EA0-1EF9",
        "U+2013-2014",
        "U+2018-201D",
        "U+2022",
        "U+2026",
        "U+20AB",
        "U+2192",
        "U+2212",
    ]
)

FAMILIES = {"NotoSans": "noto-sans", "NotoSerif": "noto-serif"}
STYLES = {"Regular": "regular", "Bold": "bold", "Italic": "italic", "BoldItalic": "bold-italic"}


def build_fonts(source_dir: Path, target_dir: Path) -> list[Path]:
    from fontTools import subset  # maintainer-only dependency

    target_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for family, slug in FAMILIES.items():
        for style, style_slug in STYLES.items():
            out = target_dir / f"{slug}-{style_slug}.woff2"
            subset.main(
                [
                    str(source_dir / f"{family}-{style}.ttf"),
                    f"--unicodes={VIETNAMESE_UNICODES}",
                    f"--output-file={out}",
                    "--flavor=woff2",
                    "--no-hinting",
                    "--desubroutinize",
                    "--name-IDs=*",
                    "--notdef-outline",
                ]
            )
            written.append(out)
    return written
