"""«Bản tin ảnh»: one A4 page of four to six photos with their captions, for
the hamlet notice board, per Saturday (the district) and per commune with
enough photos.

Made for the latest :data:`BULLETIN_SATURDAYS` Saturdays with photos (a
notice board shows this week's and last week's; the photos of earlier
Saturdays print from their gallery page). Pictures are picked so that the
page tells what changed: one per commune first, "after" pictures first, then
the "before" of the same place. They are embedded grey (a black-and-white
office printer renders grey better than it converts colour), 600 pixels on
the long side: 150 dpi at the size they print. Captions in 12 pt.
"""

from __future__ import annotations

import base64
from datetime import date

from ..photos.library import PhotoLibrary, StoredPhoto
from .catalog import Handout

BULLETIN_SATURDAYS = 2
MIN_PHOTOS = 4
MAX_PHOTOS = 6
GROUP = "Bản tin ảnh"
_RANK = {"sau": 0, "trước": 1, "trong": 2, None: 3}


def pick(photos: list[StoredPhoto], count: int = MAX_PHOTOS) -> list[StoredPhoto]:
    """Up to ``count`` photos: round after round, each commune's best remaining
    one ("after", then "before", then "during"), in the order given."""
    queues: dict[str, list[StoredPhoto]] = {}
    for item in photos:
        queues.setdefault(item.ref.unit, []).append(item)
    for unit in queues:
        queues[unit].sort(key=lambda p: (_RANK.get(p.photo.stage, 3), p.ref.index))
    chosen: list[StoredPhoto] = []
    while len(chosen) < count and any(queues.values()):
        for unit in list(queues):
            if queues[unit] and len(chosen) < count:
                chosen.append(queues[unit].pop(0))
    # On the page: commune by commune, each commune's in the order of the record.
    order = {item.path: n for n, item in enumerate(photos)}
    return sorted(chosen, key=lambda p: order[p.path])


def _entry(item: StoredPhoto, units: dict) -> dict:
    from ..models.photos import STAGE_NAMES

    unit = units.get(item.ref.unit)
    hamlet = unit.hamlet(item.photo.hamlet) if unit is not None and item.photo.hamlet else None
    return {
        "path": item.path,
        "sha256": item.sha256,
        "width": item.width,
        "height": item.height,
        "description": item.photo.description,
        "caption": item.photo.caption or item.photo.description,
        "where": ", ".join(x for x in (hamlet.name if hamlet else None, unit.full_name if unit else item.ref.unit) if x),
        "stage": STAGE_NAMES.get(item.photo.stage, "") if item.photo.stage else "",
        "example": item.ref.is_example,
    }


def bulletin_handouts(materials) -> list[Handout]:
    library: PhotoLibrary | None = getattr(materials, "photos", None)
    saturday_data = getattr(materials, "saturday", None)
    if library is None or saturday_data is None or not library.saturdays:
        return []
    from ..photos.site import gallery_page
    from ..photos.variants import toolchain
    from ..saturday.site import plan_page

    units = saturday_data.units.by_id()
    order = {unit_id: n for n, unit_id in enumerate(units)}
    out = []
    for day in library.saturdays[-BULLETIN_SATURDAYS:]:
        photos = sorted(library.on(day), key=lambda p: (order.get(p.ref.unit, len(order)), p.ref.kind != "ke-hoach", p.ref.index))
        if len(photos) >= MIN_PHOTOS:
            out.append(_handout(f"ban-tin-anh-{day.isoformat()}", f"Bản tin ảnh ngày thứ Bảy {day:%d/%m/%Y}", day,
                                pick(photos), units, gallery_page(day), "Ban Tuyên giáo Huyện ủy Di Linh",
                                len({p.ref.unit for p in photos}), saturday_data, toolchain()))
        for unit_id in sorted({p.ref.unit for p in photos}, key=lambda u: order.get(u, len(order))):
            mine = [p for p in photos if p.ref.unit == unit_id]
            if len(mine) >= MIN_PHOTOS:
                unit = units[unit_id]
                out.append(_handout(f"ban-tin-anh-{unit_id}-{day.isoformat()}",
                                    f"Bản tin ảnh {unit.full_name} ngày thứ Bảy {day:%d/%m/%Y}", day, pick(mine), units,
                                    plan_page(unit_id, day), unit.full_name, 1, saturday_data, toolchain()))
    return out


def _handout(slug, title: str, day: date, chosen, units, home, issuer, communes, saturday_data, encoder) -> Handout:
    from ..saturday.data import plan_path, result_path

    example = any(p.ref.is_example for p in chosen)
    records = sorted({path for p in chosen for path, key in ((plan_path(p.ref.unit, day), "plan"), (result_path(p.ref.unit, day), "result"))
                      if (p.ref.unit, day) in (saturday_data.plans if key == "plan" else saturday_data.results)})
    return Handout(
        slug=slug,
        title=title,
        kind="Bản tin ảnh" + (" (ví dụ)" if example else ""),
        paper="A4",
        template="bulletin.html",
        home=home,
        document="422-tb-hu",  # the programme the Saturdays belong to
        data={
            "photos": [_entry(p, units) for p in chosen],
            "issuer": issuer,
            "communes": communes,
            "saturday": day.isoformat(),
            "example": example,
            "encoder": encoder,  # how the grey pictures are made: a change makes the bulletin again
        },
        sources=(*records, *(p.path for p in chosen)),
        group=GROUP,
    )


def embed(entries: list[dict], image) -> list[dict]:
    """Each entry with ``src``: its grey picture as a data: address (the PDF
    needs nothing outside its HTML). ``image(entry)`` gives the JPEG's bytes."""
    return [{**entry, "src": "data:image/jpeg;base64," + base64.b64encode(image(entry)).decode("ascii")} for entry in entries]
