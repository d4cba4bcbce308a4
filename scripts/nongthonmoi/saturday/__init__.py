"""The "Ngày thứ Bảy" programme: weekly plans, results and staff lists per
commune, and everything built from them (pages, charts, calendars, feed,
CSV reports, the plan scaffold).

The plugin only calls :func:`load` (via ``materials.load_materials``) and
:func:`site.generate`; the rest stays in this package.
"""

from .data import SaturdayData, load

__all__ = ["SaturdayData", "load"]
