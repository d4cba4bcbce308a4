"""The Content-Security-Policy of every page, as a ``<meta http-equiv>`` in
its head (and the same directives as a header in the hosting examples,
design/hosting.md).

Scripts: the site's own files ('self') and, by their SHA-256, the inline
scripts of the page that the templates wrote (Material's few lines that set
the site's scope and follow an anchor), so no 'unsafe-inline'. Only those:
an inline script is hashed when its text is exactly one of the templates'
(:data:`KNOWN_SCRIPTS`, read from Material's own partials), so a script that
reached the page any other way (a bug letting markup through) is not named
by the policy, and the browser refuses it. Styles: the site's files, and by hash ('unsafe-hashes') the
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


# Material's inline scripts, as its partials write them: the only ones a
# page's policy may name. ``{{ ... }}`` in a partial is the site's base
# address there ("." / ".." / "../.." relative, "/" or "/path/" absolute).
_MATERIAL_SCRIPTS = ("partials/javascripts/base.html", "partials/javascripts/content.html")
_JINJA = re.compile(r"\{\{.*?\}\}")
_BASE_ADDRESS = r"(?:\.\.?(?:/\.\.)*|/(?:[A-Za-z0-9._~-]+/)*)"
MAX_DEPTH = 8  # folders under the site's root, for the header's list


def _template_scripts() -> list[str]:
    """The inline scripts of Material's partials, with their ``{{ }}`` left in."""
    from importlib.resources import files

    found = []
    for name in _MATERIAL_SCRIPTS:
        try:
            text = (files("material") / "templates" / name).read_text(encoding="utf-8")
        except (OSError, ModuleNotFoundError):
            continue  # another layout: its scripts are not trusted (tests in Chromium say so)
        found += [m.group(2) for m in _SCRIPT.finditer(text) if not re.search(r"\bsrc\s*=", m.group(1))]
    return found


def _known_pattern(template: str) -> re.Pattern:
    parts = _JINJA.split(template)
    return re.compile(_BASE_ADDRESS.join(re.escape(part) for part in parts), re.S)


KNOWN_SCRIPTS = [_known_pattern(t) for t in _template_scripts()]


def is_known(script: str) -> bool:
    """Is this inline script exactly one the templates write?"""
    return any(pattern.fullmatch(script) for pattern in KNOWN_SCRIPTS)


def known_scripts_at_every_depth(base_path: str = "/") -> list[str]:
    """The templates' inline scripts as every page of the site writes them
    (depth 0 to :data:`MAX_DEPTH`, and ``base_path``, the site's address
    on its server, for the 404 page)."""
    bases = [".", *("/".join([".."] * depth) for depth in range(1, MAX_DEPTH + 1)), base_path]
    texts = []
    for template in _template_scripts():
        parts = _JINJA.split(template)
        texts += [base.join(parts) for base in bases] if len(parts) > 1 else [template]
    return list(dict.fromkeys(texts))


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


def policy(html: str, *, offline: bool = False, extra_scripts: tuple[str, ...] = ()) -> str:
    """The policy of one page, as the meta would carry it.

    ``extra_scripts``: inline scripts the caller itself put there (the
    preview's live reload), named too."""
    directives = {name: list(values) for name, values in BASE.items()}
    if offline:
        for name, values in OFFLINE_EXTRA.items():
            directives[name] = [v for v in directives[name] if v != "'none'"] + values
    scripts = sorted({_hash(text) for text in inline_scripts(html) if is_known(text) or text in extra_scripts})
    directives["script-src"] += scripts
    # sanitize.py leaves style attributes only as nh3 writes them: ' style="...'.
    styles = sorted({_hash(m.group(1) if m.group(1) is not None else m.group(2))
                     for m in _STYLE_ATTRIBUTE.finditer(html) if html[m.start() - 1].isspace()}) if " style=" in html else []
    if styles:
        directives["style-src"] += ["'unsafe-hashes'", *styles]
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def add_policy(html: str, *, offline: bool = False, extra_scripts: tuple[str, ...] = ()) -> str:
    """``html`` with its policy in a meta right after the charset (replacing an earlier one)."""
    if "<head" not in html[:2000]:
        return html
    if 'http-equiv="Content-Security-Policy"' in html:
        html = _META.sub("", html, count=1)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(html, offline=offline, extra_scripts=extra_scripts)}">'
    html, done = _CHARSET.subn(lambda m: m.group(0) + "\n  " + meta, html, count=1)
    if not done:
        html = html.replace("<head>", "<head>\n  " + meta, 1)
    return html


def header(extra: dict[str, list[str]] | None = None, *, base_path: str = "/") -> str:
    """The header of the hosting examples: what does not depend on a page.

    A browser enforces the header and the page's meta both (a script runs
    only if both allow it): the header keeps the site's hosts to itself,
    forbids framing, and allows no inline script but the templates' own (by
    hash, at every depth: a header cannot know the page), so a document the
    site did not write (no meta) runs no inline script; the meta narrows
    scripts and styles to the page's own hashes."""
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *(_hash(text) for text in known_scripts_at_every_depth(base_path))],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'none'"],
        **HEADER_ONLY,
        **(extra or {}),
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())
