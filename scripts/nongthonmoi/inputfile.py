"""The one way an input file is read: a regular file, bounded.

Every file the project takes in from people (pages and pictures of
``docs/``, data and photos of ``materials/``, the workbooks of the
``ntm nhap-excel`` inbox, the photos and table of ``ntm them-anh``) is read
through :func:`read_input`:

- only a regular file: a symbolic link is never followed (``os.lstat``, then
  ``O_NOFOLLOW`` so a link swapped in between is refused too), and a device,
  FIFO or socket is never opened for reading (``/dev/zero`` never ends, a
  FIFO never answers);
- at most ``limit + 1`` bytes, whatever ``stat`` says (a device says 0): the
  caller sees that the file is over its limit and names its own rule.

A file that cannot be read raises :class:`NotReadable`, whose ``reason`` is
Vietnamese (never the operating system's English text).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

# Reasons, as the end of a sentence «Không đọc được tệp: ...».
LINK = "đây là liên kết tượng trưng (symlink), không phải tệp thật"
FOLDER = "đây là thư mục, không phải tệp"
SPECIAL = "đây không phải tệp thường (thiết bị, đường ống hay ổ cắm của hệ thống)"
MISSING = "không có tệp này"

_ERRNO = {
    errno.ENOENT: MISSING,
    errno.ENOTDIR: "đường dẫn có một phần không phải thư mục",
    errno.EISDIR: FOLDER,
    errno.ELOOP: LINK,
    errno.EACCES: "không có quyền đọc tệp này",
    errno.EPERM: "không có quyền đọc tệp này",
    errno.ENAMETOOLONG: "tên tệp quá dài",
    errno.EIO: "lỗi đọc ổ đĩa",
    errno.ENXIO: SPECIAL,
    errno.ENODEV: SPECIAL,
    errno.EMFILE: "máy đang mở quá nhiều tệp",
    errno.ENFILE: "máy đang mở quá nhiều tệp",
}


class NotReadable(Exception):
    """A file that is not read; ``reason`` says why, in Vietnamese."""

    def __init__(self, reason: str, kind: str = "error"):
        super().__init__(reason)
        self.reason = reason
        self.kind = kind  # link, folder, special, missing, error


def reason_of(exc: OSError) -> str:
    """The Vietnamese reason of an operating-system error."""
    if exc.errno in _ERRNO:
        return _ERRNO[exc.errno]
    name = errno.errorcode.get(exc.errno or 0)
    return f"lỗi hệ thống {name}" if name else "lỗi hệ thống khi đọc"


def kind_of(mode: int) -> str:
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISLNK(mode):
        return "link"
    if stat.S_ISDIR(mode):
        return "folder"
    return "special"


def check_regular(path: Path | str) -> None:
    """Raise :class:`NotReadable` unless ``path`` itself is a regular file."""
    try:
        mode = os.lstat(path).st_mode
    except OSError as exc:
        raise NotReadable(reason_of(exc), "missing" if exc.errno == errno.ENOENT else "error") from None
    kind = kind_of(mode)
    if kind != "file":
        raise NotReadable({"link": LINK, "folder": FOLDER}.get(kind, SPECIAL), kind)


_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) \
    | getattr(os, "O_BINARY", 0)


def read_input(path: Path | str, limit: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit + 1`` of them."""
    check_regular(path)
    try:
        # O_NONBLOCK: a FIFO swapped in after the lstat does not block the open.
        fd = os.open(path, _FLAGS)
    except OSError as exc:
        raise NotReadable(reason_of(exc)) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotReadable(SPECIAL, "special")
        chunks, wanted = [], limit + 1
        while wanted > 0:
            chunk = os.read(fd, min(wanted, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            wanted -= len(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise NotReadable(reason_of(exc)) from None
    finally:
        os.close(fd)
