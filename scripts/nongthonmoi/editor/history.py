"""The working copy's git history, for the local editor: every save is a
commit, and a push follows where the repository has a remote.

A Board editor never sees a terminal, so git must never stop to ask for
anything: no password prompt (``GIT_TERMINAL_PROMPT=0``, SSH in batch mode),
no editor for the message. What git says goes back to the page in
Vietnamese; a push that fails (no network, no permission) is kept as a
status the editor shows, and tried again after the next save or from the
"Lưu vào lịch sử" box.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

GIT_TIMEOUT = 60  # seconds; a push over a slow line may take a while
PUSH_TIMEOUT = 120
FALLBACK_NAME = "Trang quản trị (máy biên tập)"
FALLBACK_EMAIL = "bien-tap@may-bien-tap.invalid"
_QUIET_ENV = {
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_ASKPASS": "",
    "SSH_ASKPASS": "",
    "GIT_SSH_COMMAND": "ssh -o BatchMode=yes -o ConnectTimeout=15",
    "GIT_EDITOR": "true",
    "LC_ALL": "C",
}


class HistoryError(Exception):
    """A Vietnamese message for the page."""


@dataclass
class PushState:
    """What the last push did, for the editor's status line."""

    state: str = "none"  # none | pending | running | done | failed | no-remote
    message: str = ""
    at: float = 0.0


@dataclass
class History:
    root: Path
    push_state: PushState = field(default_factory=PushState)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _push_lock: threading.Lock = field(default_factory=threading.Lock)

    def git(self, *args: str, timeout: float = GIT_TIMEOUT) -> subprocess.CompletedProcess:
        env = {**os.environ, **_QUIET_ENV}
        try:
            return subprocess.run(
                ["git", "-c", "core.quotePath=false", *args],
                cwd=self.root,
                capture_output=True,
                text=True,
                env=env,
                timeout=timeout,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            return subprocess.CompletedProcess(args, 124, "", "timeout")
        except FileNotFoundError:
            raise HistoryError("Máy này chưa cài git: không lưu được vào lịch sử. Báo người quản trị kỹ thuật.") from None

    @property
    def is_repository(self) -> bool:
        return self.git("rev-parse", "--is-inside-work-tree").stdout.strip() == "true"

    def author_known(self) -> bool:
        return bool(self.git("config", "user.name").stdout.strip() and self.git("config", "user.email").stdout.strip())

    def pending(self, areas: tuple[str, ...] = ("docs", "materials")) -> list[str]:
        """Files under ``areas`` changed since the last commit (new, changed, removed)."""
        status = self.git("status", "--porcelain", "-z", "--untracked-files=all", "--", *areas)
        if status.returncode != 0:
            return []
        names = []
        items = status.stdout.split("\0")
        index = 0
        while index < len(items):
            item = items[index]
            index += 1
            if len(item) < 4:
                continue
            names.append(item[3:])
            if item[0] in "RC":  # a rename is followed by its old name
                index += 1
        return sorted(names)

    def commit(self, paths: list[str], message: str) -> str:
        """Commit exactly ``paths`` (added, changed or removed); the new commit id.

        Only these paths: other files the editor changed by hand stay out.
        """
        if not self.is_repository:
            raise HistoryError("Thư mục này không phải kho git: tệp đã được ghi nhưng chưa lưu vào lịch sử.")
        # A machine where nobody set a name for git still records the save,
        # under the editor's own name rather than not at all.
        who = [] if self.author_known() else ["-c", f"user.name={FALLBACK_NAME}", "-c", f"user.email={FALLBACK_EMAIL}"]
        message = _clean_message(message)
        with self._lock:
            # A path neither on disk nor known to git (a file made and removed
            # outside git) would stop `git add`: leave it out.
            tracked = set(self.git("ls-files", "-z", "--", *paths).stdout.split("\0"))
            paths = [p for p in paths if (self.root / p).exists() or p in tracked]
            if not paths:
                return self.git("rev-parse", "--short", "HEAD").stdout.strip()
            add = self.git("add", "-A", "--", *paths)
            if add.returncode != 0:
                raise HistoryError("Không ghi được vào lịch sử (git add): " + _first_line(add.stderr))
            staged = self.git("diff", "--cached", "--name-only", "--", *paths)
            if not staged.stdout.strip():
                return self.git("rev-parse", "--short", "HEAD").stdout.strip()
            commit = self.git(*who, "commit", "-q", "--no-verify", "-m", message, "--", *paths)
            if commit.returncode != 0:
                raise HistoryError("Không ghi được vào lịch sử (git commit): " + _first_line(commit.stderr or commit.stdout))
            return self.git("rev-parse", "--short", "HEAD").stdout.strip()

    # --- push -------------------------------------------------------------

    def upstream(self) -> str | None:
        """The remote branch this branch pushes to, if one is set."""
        found = self.git("rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}")
        return found.stdout.strip() or None if found.returncode == 0 else None

    def push_soon(self) -> None:
        """Push in the background (a slow line must not hold the save)."""
        if self.upstream() is None:
            self.push_state = PushState("no-remote", "", time.time())
            return
        self.push_state = PushState("pending", "", time.time())
        threading.Thread(target=self.push, daemon=True, name="ntm-push").start()

    def push(self) -> PushState:
        with self._push_lock:
            if self.upstream() is None:
                self.push_state = PushState("no-remote", "", time.time())
                return self.push_state
            self.push_state = PushState("running", "", time.time())
            result = self.git("push", "--quiet", timeout=PUSH_TIMEOUT)
            if result.returncode == 0:
                self.push_state = PushState("done", "", time.time())
            else:
                self.push_state = PushState("failed", _push_problem(result.stderr), time.time())
            return self.push_state


def _first_line(text: str) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[0][:200] if lines else "không rõ lý do"


def _clean_message(message: object) -> str:
    text = " ".join(str(message or "").split())[:200]
    return text or "Cập nhật nội dung từ trang quản trị"


def _push_problem(stderr: str) -> str:
    """git's reason, said in Vietnamese with what to do."""
    text = (stderr or "").lower()
    if "timeout" in text or "could not resolve" in text or "unable to access" in text or "connection" in text:
        return "Không kết nối được kho chung (mất mạng?). Các lần lưu vẫn nằm trong lịch sử trên máy; sẽ gửi lại ở lần lưu sau."
    if "rejected" in text or "non-fast-forward" in text or "fetch first" in text:
        return (
            "Kho chung có thay đổi mới hơn từ máy khác, nên chưa gửi được. "
            "Báo người quản trị kỹ thuật để gộp hai bên; các lần lưu trên máy này không mất."
        )
    if "permission" in text or "denied" in text or "authentication" in text or "403" in text \
            or "host key verification" in text:
        return "Kho chung từ chối quyền gửi của máy này. Báo người quản trị kỹ thuật kiểm tra tài khoản, khóa SSH."
    if "not found" in text or "does not appear to be a git repository" in text or "no such" in text \
            or "could not read from remote" in text:
        return ("Không tìm thấy kho chung ở địa chỉ đã cài cho máy này. Các lần lưu vẫn nằm trong lịch sử trên máy, "
                "không mất. Báo người quản trị kỹ thuật kiểm tra địa chỉ kho chung.")
    # git's own words are English: they go to the «ntm edit» window, for the administrator.
    print("git push: " + _first_line(stderr), file=sys.stderr, flush=True)
    return ("Chưa gửi được lên kho chung. Các lần lưu vẫn nằm trong lịch sử trên máy, không mất. Báo người quản trị kỹ "
            "thuật nếu lỗi còn lặp lại (chi tiết ghi trong cửa sổ «ntm edit»).")
