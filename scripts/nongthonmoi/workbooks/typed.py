"""Numbers and dates a clerk typed as text, read the way she meant them, or
refused when they can be read two ways.

A cell formatted as text (or a value pasted from Zalo) keeps what was typed:
«120», «1,5», «1.500», «1 500», «25-03-2023». Each is either one number (one
date) whatever the clerk's regional settings, and then it arrives as typed,
or it could be two, and then it is refused with both readings:

=================  ===========================  ===========================
typed              number field (Số lượng)       whole-number field (Số hộ)
=================  ===========================  ===========================
120, 0120, -1      120, 120, -1                  the same
1,5  1.5  1,25     1.5, 1.5, 1.25                refused: not whole
1.500  1,500       refused: 1500 or 1,5          1500 (1,5 households is no reading)
1.500.000          1500000                       1500000
1 500 (spaces)     1500                          1500
1.500,5  1,500.5   1500.5                        refused: not whole
120 hộ, 1/2        not a number                  not a number
=================  ===========================  ===========================

Invisible characters (zero-width space, soft hyphen, byte order mark) inside
a number are refused by name: the clerk cannot see them to fix them otherwise.
Numbers stored as numbers keep their value, rounded to the 15 significant
digits Excel shows (a pasted 0.1+0.2 is 0.3, as on screen).
"""

from __future__ import annotations

import re
from datetime import date

from ..models.base import MAX_NUMBER, MAX_NUMBER_TEXT

# What the clerk cannot see: named in the message.
INVISIBLE = {
    "\u200b": "dấu cách độ rộng 0",
    "\u200c": "ký tự nối độ rộng 0",
    "\u200d": "ký tự nối độ rộng 0",
    "\u2060": "ký tự nối từ",
    "\ufeff": "dấu BOM",
    "\u00ad": "dấu gạch nối mềm",
}

_SPACES = "\u00a0\u202f\u2009 "  # a space, no-break, narrow no-break, thin: thousands in some settings
_WHOLE = re.compile(r"^-?\d+$")
_SPACED = re.compile(rf"^-?\d{{1,3}}(?:[{_SPACES}]\d{{3}})+$")
_GROUPED = re.compile(r"^-?\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$")  # 1.500, 1,500,000
_DECIMAL = re.compile(r"^-?\d+[.,]\d+$")
_VI_MIXED = re.compile(r"^-?\d{1,3}(?:\.\d{3})+,\d+$")  # 1.500,5
_EN_MIXED = re.compile(r"^-?\d{1,3}(?:,\d{3})+\.\d+$")  # 1,500.5
_SPACED_MIXED = re.compile(rf"^-?\d{{1,3}}(?:[{_SPACES}]\d{{3}})+,\d+$")  # 1 500,5
_DAY_FIRST = re.compile(r"^\s*(\d{1,2})[.\-](\d{1,2})[.\-](\d{4})\s*$")  # 25-03-2023, 25.03.2023


class Unreadable(Exception):
    """A typed value the import refuses: ``key`` is the message, ``fill`` its values."""

    def __init__(self, key: str, **fill):
        super().__init__(key)
        self.key, self.fill = key, fill


def invisible_in(text: str) -> list[str]:
    return sorted({INVISIBLE[ch] for ch in text if ch in INVISIBLE})


def _vi(number: float) -> str:
    text = f"{number:.15g}"
    return text.replace(".", ",")


def number_from_text(text: str, whole: bool) -> int | float | None:
    """The number ``text`` means; None when it is no number; :class:`Unreadable`
    when it hides characters, could be read two ways, or is past MAX_NUMBER
    (a number, too large: ``number-out-of-range``, never «not a number»)."""
    number = _number_from_text(text, whole)
    if number is not None and abs(number) > MAX_NUMBER:
        raise Unreadable("number-out-of-range", limit=MAX_NUMBER_TEXT)
    return number


def _number_from_text(text: str, whole: bool) -> int | float | None:
    hidden = invisible_in(text)
    if hidden:
        raise Unreadable("hidden-characters", chars=", ".join(hidden))
    value = text.strip()
    if len(re.sub(r"\D", "", value).lstrip("0")) > 30:
        # Read no further: no count has 30 digits, and Python refuses to read thousands.
        raise Unreadable("number-out-of-range", limit=MAX_NUMBER_TEXT)
    if _WHOLE.match(value):
        return int(value)
    if _SPACED.match(value):
        return int(re.sub(rf"[{_SPACES}]", "", value))
    grouped = _GROUPED.match(value)
    if grouped:
        digits = int(re.sub(r"[.,]", "", value))
        if value.lstrip("-").startswith("0") and not whole:
            return float(value.replace(",", "."))  # 0,500: no one groups thousands after a zero
        if whole or value.count(grouped.group(1)) > 1:
            return digits  # 1.500.000, or households: only one reading
        as_decimal = float(value.replace(",", "."))
        raise Unreadable("ambiguous-number", one=f"{digits}", other=_vi(as_decimal))
    if _DECIMAL.match(value):
        return float(value.replace(",", "."))
    if _VI_MIXED.match(value):
        return float(value.replace(".", "").replace(",", "."))
    if _EN_MIXED.match(value):
        return float(value.replace(",", ""))
    if _SPACED_MIXED.match(value):
        return float(re.sub(rf"[{_SPACES}]", "", value).replace(",", "."))
    return None


def tidy_float(value: float) -> int | float:
    """A stored number as Excel shows it: 15 significant digits, 2.0 as 2."""
    shown = float(f"{value:.15g}")
    return int(shown) if shown.is_integer() and abs(shown) < 2**53 else shown


def date_from_text(text: str) -> date | str:
    """«25-03-2023», «25.03.2023» -> the date (day first, four-digit year, as
    Vietnamese write it); other text is left for the model (25/03/2023, 2023-03-25)."""
    match = _DAY_FIRST.match(text)
    if not match:
        return text
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return text
