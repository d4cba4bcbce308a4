"""The icon a Board editor clicks instead of a terminal (Linux desktops).

``ntm cai-bieu-tuong``, run once by the technical administrator, writes a
freedesktop.org desktop entry «Sửa nội dung Nông thôn mới» into the user's
applications menu (and onto the desktop when there is one). The entry runs
``ntm edit --mo-trinh-duyet`` for this working copy without a terminal: the
preview server starts (or, if it already runs, nothing new starts) and the
browser opens on the editor. Every save is committed and pushed by the
editor itself; the server ends with the user's session.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

ENTRY_NAME = "ntm-sua-noi-dung.desktop"


def desktop_entry(root: Path, ntm: Path) -> str:
    command = " ".join(shlex.quote(str(part)) for part in (ntm, "--root", root, "edit", "--mo-trinh-duyet"))
    # The Exec key has its own quoting rules: a path with spaces is quoted, "%" doubled.
    command = command.replace("%", "%%")
    return "\n".join(
        [
            "[Desktop Entry]",
            "Type=Application",
            "Version=1.5",
            "Name=Sửa nội dung Nông thôn mới",
            "Comment=Mở trang quản trị nội dung trên máy này (kế hoạch, kết quả ngày thứ Bảy, các trang)",
            f"Exec={command}",
            f"Path={root}",
            "Icon=accessories-text-editor",
            "Terminal=false",
            "Categories=Office;",
            "StartupNotify=false",
            "",
        ]
    )


def install(root: Path, ntm: Path, home: Path | None = None) -> list[Path]:
    """Write the entry into the applications menu (and the desktop); the files written."""
    if home is None:
        home = Path.home()
        data_home = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    else:
        data_home = home / ".local" / "share"
    targets = [data_home / "applications" / ENTRY_NAME]
    desktop = home / "Desktop"
    if desktop.is_dir():
        targets.append(desktop / ENTRY_NAME)
    text = desktop_entry(root, ntm)
    for target in targets:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        target.chmod(0o755)  # desktops run only entries marked executable
    return targets
