"""Tooling for the Di Linh "nông thôn mới" document set.

Turns the Markdown pages in ``docs/`` and the YAML data in ``materials/`` into
the website (through the MkDocs plugin in :mod:`nongthonmoi.plugin`) and checks
content for editors (``ntm check``).
"""

__version__ = "0.1.0"
