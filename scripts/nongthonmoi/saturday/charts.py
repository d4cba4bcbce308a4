"""SVG charts drawn at build time: no JavaScript, no chart library.

Readable in black and white and on small screens: bars are hatched and
outlined, every value is written next to its mark, and each chart carries a
``<title>``/``<desc>`` (``role="img"``); pages add the numbers as a table.
"""

from __future__ import annotations

from datetime import date
from html import escape

from markupsafe import Markup

# Charts are drawn at about a phone's width and shown at their natural size
# (never scaled up), so their text stays at body size on a 360 px screen.
WIDTH = 380
# Beyond this many Saturdays, time charts show months: a readable line and a
# page that stays light after years of weekly reports.
MAX_POINTS = 40


def percent(value: float | None) -> str:
    """0.456 -> '45,6%' (Vietnamese decimal comma)."""
    if value is None:
        return "—"
    return f"{value * 100:.1f}%".replace(".", ",")


def _frame(chart_id: str, height: int, title: str, desc: str, body: list[str]) -> Markup:
    head = (
        f'<svg class="ntm-chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg" '
        f'font-size="13" font-family="inherit">'
        f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape(desc)}</desc>'
    )
    return Markup(head + "".join(body) + "</svg>")


def participation_bars(chart_id: str, rows: list[tuple[str, float | None]], title: str, desc: str) -> Markup:
    """One hatched horizontal bar per commune; the rate is written after the bar."""
    label_w, bar_w, row_h, top = 150, 170, 24, 24
    height = top + row_h * len(rows) + 8
    body = [
        f'<defs><pattern id="{chart_id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="#1b5e20" stroke-width="3"/></pattern></defs>'
    ]
    # Gridlines run through the rows that have a bar only: a row without data
    # says «chưa có số liệu» across the plot, and no dashed line crosses it.
    spans, start = [], None
    for index, (_, value) in enumerate([*rows, ("", None)]):
        if value is not None and start is None:
            start = index
        elif value is None and start is not None:
            spans.append((start, index))
            start = None
    for tick in (0, 50, 100):
        x = label_w + bar_w * tick / 100
        body.append(f'<text x="{x:g}" y="{top - 10}" text-anchor="middle">{tick}%</text>')
        for first, end in spans:
            y1 = top - 6 if first == 0 else top + first * row_h
            y2 = height - 8 if end == len(rows) else top + end * row_h
            body.append(f'<line x1="{x:g}" y1="{y1}" x2="{x:g}" y2="{y2}" stroke="#757575" stroke-dasharray="2 3"/>')
    for index, (label, value) in enumerate(rows):
        y = top + index * row_h
        body.append(f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end">{escape(label)}</text>')
        if value is None:
            body.append(f'<text x="{label_w + 4}" y="{y + 16}" font-style="italic">chưa có số liệu</text>')
            continue
        w = bar_w * value
        body.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" '
            f'fill="url(#{chart_id}-hatch)" stroke="#000"/>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 16}" font-weight="700">{percent(value)}</text>'
        )
    return _frame(chart_id, height, title, desc, body)


def participation_line(
    chart_id: str, points: list[tuple[date, float]], title: str, desc: str, monthly: bool = False
) -> Markup:
    """Rate over time: a solid line with round markers; values labelled where they fit.

    ``monthly``: points are months (labelled mm/yyyy), not single Saturdays.
    """
    height, left, right, top, bottom = 240, 44, 24, 20, 50
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    body = []
    for tick in (0, 25, 50, 75, 100):
        y = top + plot_h * (1 - tick / 100)
        body.append(
            f'<line x1="{left}" y1="{y:g}" x2="{WIDTH - right}" y2="{y:g}" stroke="#9e9e9e" stroke-dasharray="2 3"/>'
            f'<text x="{left - 6}" y="{y + 4:g}" text-anchor="end">{tick}%</text>'
        )
    if not points:
        body.append(f'<text x="{WIDTH / 2:g}" y="{height / 2:g}" text-anchor="middle">Chưa có số liệu</text>')
        return _frame(chart_id, height, title, desc, body)
    n = len(points)
    step = plot_w / max(n - 1, 1)
    coords = [(left + (i * step if n > 1 else plot_w / 2), top + plot_h * (1 - v)) for i, (_, v) in enumerate(points)]
    body.append(
        '<polyline fill="none" stroke="#000" stroke-width="2" points="'
        + " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        + '"/>'
    )
    # Label every point when few; otherwise about six evenly spaced ones.
    every = max(1, -(-n // 6))
    shown = set(range(0, n, every)) | {n - 1}
    for i, ((day, value), (x, y)) in enumerate(zip(points, coords)):
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{4 if n <= 40 else 2.5}" fill="#fff" stroke="#000" stroke-width="2"/>')
        if i in shown:
            # End labels lean inwards so they do not sit on the axis labels.
            anchor = "start" if i == 0 and n > 1 else "end" if i == n - 1 and n > 1 else "middle"
            body.append(f'<text x="{x:.1f}" y="{y - 8:.1f}" text-anchor="{anchor}" font-size="11">{percent(value)}</text>')
            body.append(
                f'<text x="{x:.1f}" y="{height - bottom + 18}" text-anchor="middle" font-size="11">{day:%m/%Y}</text>'
                if monthly
                else f'<text x="{x:.1f}" y="{height - bottom + 18}" text-anchor="middle" font-size="11">{day:%d/%m}</text>'
            )
            if not monthly and (i == 0 or i == n - 1 or points[i - 1][0].year != day.year):
                body.append(f'<text x="{x:.1f}" y="{height - bottom + 32}" text-anchor="middle" font-size="11">{day.year}</text>')
    return _frame(chart_id, height, title, desc, body)


def by_month(points: list[tuple[date, int, int]]) -> list[tuple[date, float]]:
    """(Saturday, joined, total) -> (first day of month, joined/total for the month)."""
    months: dict[date, list[int]] = {}
    for day, joined, total in points:
        sums = months.setdefault(day.replace(day=1), [0, 0])
        sums[0] += joined
        sums[1] += total
    return [(month, j / t) for month, (j, t) in sorted(months.items()) if t]
