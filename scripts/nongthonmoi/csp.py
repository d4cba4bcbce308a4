"""The Content-Security-Policy of every page, as a ``<meta http-equiv>`` in
its head (and the same directives as a header in the hosting examples,
design/hosting.md).

Scripts: the site's own files ('self') and, by their SHA-256, the inline
scripts of the page itself (Material's few lines that set the site's scope
and follow an anchor), computed from the page as written, so no
'unsafe-inline'. Styles: the site's files, and by hash ('unsafe-hashes') the
``text-align`` of Markdown tables' cells, the only style an attribute may
carry after sanitize.py. Images: the site's files and ``data:`` (Material's
icons in its CSS). Nothing from another host, no frames, no plugins, no
``<base>``, no form sends anything.

The offline copy, opened from ``file://``, gets its own policy (``offline=True``):
``file:`` for the site's files, and frames from ``file:`` for the
iframe-worker shim that runs the search worker there.
"""

from __future__ import annotations

import base64
import hashlib
import re

# Executable inline scripts: no src, and a JavaScript type (or none).
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
_STYLE_ATTRIBUTE = re.compile(r"""style=(?:"([^"]*)"|'([^']*)')""")
_META = re.compile(r'\n? *<meta http-equiv="Content-Security-Policy" content="[^"]*">')
_CHARSET = re.compile(r'<meta charset="[^"]*">', re.I)
_JS_TYPES = {"", "text/javascript", "application/javascript", "module"}
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]*)""", re.I)

# What every page needs besides its own inline scripts and styles.
BASE = {
    "default-src": ["'none'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'"],
    "manifest-src": ["'self'"],
    "frame-src": ["'none'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'none'"],
}
# The offline copy: the page's origin is a file, and search runs in an iframe.
OFFLINE_EXTRA = {
    "script-src": ["file:"],
    "style-src": ["file:"],
    "img-src": ["file:"],
    "font-src": ["file:"],
    "connect-src": ["file:"],
    "worker-src": ["file:"],
    "frame-src": ["'self'", "file:"],
}
# Directives only a header can carry (a browser ignores them in a meta).
HEADER_ONLY = {"frame-ancestors": ["'none'"]}


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def inline_scripts(html: str) -> list[str]:
    found = []
    for match in _SCRIPT.finditer(html):
        attrs = match.group(1)
        if re.search(r"\bsrc\s*=", attrs, re.I):
            continue
        kind = _TYPE.search(attrs)
        if (kind.group(1).lower() if kind else "") in _JS_TYPES:
            found.append(match.group(2))
    return found


def policy(html: str, *, offline: bool = False) -> str:
    """The policy of one page, as the meta (and a header) would carry it."""
    directives = {name: list(values) for name, values in BASE.items()}
    if offline:
        for name, values in OFFLINE_EXTRA.items():
            directives[name] = [v for v in directives[name] if v != "'none'"] + values
    scripts = sorted({_hash(text) for text in inline_scripts(html)})
    directives["script-src"] += scripts
    # sanitize.py leaves style attributes only as nh3 writes them: ' style="...'.
    styles = sorted({_hash(m.group(1) if m.group(1) is not None else m.group(2))
                     for m in _STYLE_ATTRIBUTE.finditer(html) if html[m.start() - 1].isspace()}) if " style=" in html else []
    if styles:
        directives["style-src"] += ["'unsafe-hashes'", *styles]
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def add_policy(html: str, *, offline: bool = False) -> str:
    """``html`` with its policy in a meta right after the charset (replacing an earlier one)."""
    if "<head" not in html[:2000]:
        return html
    if 'http-equiv="Content-Security-Policy"' in html:
        html = _META.sub("", html, count=1)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(html, offline=offline)}">'
    html, done = _CHARSET.subn(lambda m: m.group(0) + "\n  " + meta, html, count=1)
    if not done:
        html = html.replace("<head>", "<head>\n  " + meta, 1)
    return html


def header(extra: dict[str, list[str]] | None = None) -> str:
    """The header of the hosting examples: what does not depend on a page.

    A browser enforces the header and the page's meta both: the header keeps
    the site's hosts to itself and forbids framing; the meta narrows scripts
    and styles to the page's own hashes."""
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'none'"],
        **HEADER_ONLY,
        **(extra or {}),
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())
