"""Handouts made from data: weekly plan sheets and the blank result form."""

from __future__ import annotations


def data_handouts(materials) -> list:
    return []
