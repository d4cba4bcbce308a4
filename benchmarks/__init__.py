"""Measuring tools for maintainers (not tests, not part of the installed package).

Run from the repository root, for example ``.venv/bin/python -m benchmarks.bench``.
"""
