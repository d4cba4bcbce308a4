"""The names a workbook offers in its drop-down lists, and their ids.

A clerk chooses «Thôn 1» or «Phòng Nông nghiệp và PTNT», never an id; the
import turns the name back into the id. A name shared by two records (two
hamlets both called «Thôn 1») would be ambiguous, so those get their id
appended: «Thôn 1 (thon-1)».
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from ..models.agencies import AgencyRegistry
from ..models.plans import SaturdayPlan
from ..models.units import Unit

YES, NO = "Có", "Không"

# Units of measure offered for quantities (the list also takes other units):
# the common ones, then every unit the commune's plans already use.
COMMON_UNITS = ("km", "m", "m2", "m3", "tấn", "kg", "cây", "điểm", "khu")


def normalise(text: str) -> str:
    """How two labels are compared: NFC, case and inner spaces ignored."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def unaccented(text: str) -> str:
    """«Thôn Đồng» -> «thon dong»: a name typed on a phone without Vietnamese keys."""
    text = unicodedata.normalize("NFD", normalise(text).replace("đ", "d"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


@dataclass(frozen=True)
class Choice:
    """One drop-down list: labels in order and the id of each."""

    name: str  # defined name of the list in the workbook
    title: str  # heading of its column on the "Danh mục" sheet
    labels: tuple[str, ...]
    ids: tuple[str, ...]

    def label(self, id_: str) -> str:
        return self.labels[self.ids.index(id_)] if id_ in self.ids else id_

    def id_of(self, label: str) -> str | None:
        """The id of a typed name; without accents too («Thon 1»), when only one name reads so."""
        wanted = normalise(label)
        for lab, id_ in zip(self.labels, self.ids):
            if normalise(lab) == wanted:
                return id_
        bare = unaccented(label)
        found = [id_ for lab, id_ in zip(self.labels, self.ids) if unaccented(lab) == bare]
        return found[0] if len(found) == 1 else None


def _choice(name: str, title: str, pairs: list[tuple[str, str]]) -> Choice:
    counts: dict[str, int] = {}
    for label, _ in pairs:
        counts[normalise(label)] = counts.get(normalise(label), 0) + 1
    labels = tuple(label if counts[normalise(label)] == 1 else f"{label} ({id_})" for label, id_ in pairs)
    return Choice(name, title, labels, tuple(id_ for _, id_ in pairs))


def hamlets(unit: Unit) -> Choice:
    return _choice("DS_Thon", f"Thôn, tổ dân phố của {unit.full_name}", [(h.name, h.id) for h in unit.hamlets])


def agencies(registry: AgencyRegistry) -> Choice:
    return _choice("DS_CoQuan", "Cơ quan, đơn vị", [(a.name, a.id) for a in registry.agencies])


def tasks(plan: SaturdayPlan) -> Choice:
    return _choice("DS_PhanViec", "Phần việc", [(t.description, t.id) for t in plan.tasks])


def yes_no() -> Choice:
    return Choice("DS_CoKhong", "Có / Không", (YES, NO), ("true", "false"))


def units_of_measure(used: list[str]) -> Choice:
    seen: dict[str, str] = {}
    for unit in (*COMMON_UNITS, *used):
        seen.setdefault(normalise(unit), unit)
    values = list(seen.values())
    return Choice("DS_DonViTinh", "Đơn vị tính (gợi ý)", tuple(values), tuple(values))
