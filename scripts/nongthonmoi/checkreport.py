"""What ``ntm check`` says, where a reviewer of a draft sees it.

A draft made in the web editor on a git host is a pull (merge) request; CI
runs the check on it and reports here:

- ``github``: workflow commands (``::error file=…,line=…::``), which GitHub
  and Forgejo show on the changed line of the pull request;
- ``markdown``: a Vietnamese summary for the job's page
  (``$GITHUB_STEP_SUMMARY``) and for a comment on the pull request;
- ``junit``: a JUnit XML report, which GitLab shows in the merge request;
- :func:`comment`: posts (or replaces) the summary as a comment on the pull
  request, through the host's API with the job's own token (GitHub, Gitea
  and Forgejo share the path ``/repos/{owner}/{repo}/issues/{n}/comments``).

Run as ``python -m nongthonmoi.checkreport FORMAT [--ghi FILE] [--binh-luan]``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.request
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from .errors import ContentError

MARK = "<!-- ntm-kiem-tra -->"  # finds our earlier comment to replace it


def problems(root: Path) -> list[ContentError]:
    """Everything ``ntm check`` reports (fullcheck.py: the same calls)."""
    from .fullcheck import problems as all_problems

    return all_problems(root)


def _command_text(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github(errors: list[ContentError]) -> str:
    lines = []
    for error in errors:
        where = f"file={error.path}" + (f",line={error.line}" if error.line else "")
        title = _command_text(f"[{error.rule}] " + error.message).replace(",", "%2C").replace("::", "%3A%3A")
        body = _command_text(f"{error.message}\nCách sửa: {error.hint}" if error.hint else error.message)
        lines.append(f"::error {where},title={title[:200]}::{body}")
    return "\n".join(lines)


def markdown(errors: list[ContentError]) -> str:
    if not errors:
        return f"{MARK}\n### Kiểm tra nội dung: đạt\n\nBản nháp này không có lỗi: lãnh đạo duyệt rồi đăng được.\n"
    rows = [f"{MARK}", f"### Kiểm tra nội dung: {len(errors)} lỗi, chưa đăng được", ""]
    rows.append("Sửa các lỗi dưới đây trong trang quản trị (mở bản nháp, sửa, bấm «Lưu»), rồi chờ kiểm tra lại.")
    rows.append("")
    for error in errors[:50]:
        where = f"{error.path}:{error.line}" if error.line else error.path
        rows.append(f"- **{error.rule}** `{where}`: {error.message}" + (f" *Cách sửa:* {error.hint}" if error.hint else ""))
    if len(errors) > 50:
        rows.append(f"- … và {len(errors) - 50} lỗi nữa (xem nhật ký của lần chạy).")
    return "\n".join(rows) + "\n"


def junit(errors: list[ContentError]) -> str:
    cases = []
    for error in errors:
        name = f"[{error.rule}] {error.path}:{error.line}"
        text = f"{error.message}\nCách sửa: {error.hint}" if error.hint else error.message
        cases.append(
            f"  <testcase classname={quoteattr(error.path)} name={quoteattr(name)} file={quoteattr(error.path)}>"
            f"<failure message={quoteattr(error.message)}>{escape(text)}</failure></testcase>"
        )
    if not errors:
        cases.append('  <testcase classname="noi-dung" name="Kiểm tra nội dung: không có lỗi"/>')
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuite name="Kiểm tra nội dung (ntm check)" tests="{max(len(errors), 1)}" failures="{len(errors)}">\n'
        + "\n".join(cases)
        + "\n</testsuite>\n"
    )


def comment(text: str, env: dict | None = None) -> str:
    """Post ``text`` on the pull request of this CI run (replacing our earlier one)."""
    env = os.environ if env is None else env
    api = (env.get("GITHUB_API_URL") or "").rstrip("/")
    repo = env.get("GITHUB_REPOSITORY") or ""
    token = env.get("GITHUB_TOKEN") or ""
    event_path = env.get("GITHUB_EVENT_PATH") or ""
    if not (api and repo and token and event_path):
        return "không đăng bình luận: thiếu GITHUB_API_URL, GITHUB_REPOSITORY, GITHUB_TOKEN hoặc GITHUB_EVENT_PATH"
    event = json.loads(Path(event_path).read_text(encoding="utf-8"))
    number = (event.get("pull_request") or {}).get("number") or event.get("number")
    if not number:
        return "không đăng bình luận: lần chạy này không thuộc một pull request"
    headers = {"Authorization": f"token {token}", "Accept": "application/json", "Content-Type": "application/json"}
    url = f"{api}/repos/{repo}/issues/{number}/comments"
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as answer:
        earlier = [c for c in json.loads(answer.read()) if MARK in (c.get("body") or "")]
    body = json.dumps({"body": text}).encode()
    if earlier:
        target = f"{api}/repos/{repo}/issues/comments/{earlier[-1]['id']}"
        request = urllib.request.Request(target, data=body, headers=headers, method="PATCH")
    else:
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=30):
        pass
    return f"đã đăng kết quả kiểm tra vào pull request #{number}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nongthonmoi.checkreport", description="Kết quả «ntm check» cho CI của bản nháp.")
    parser.add_argument("format", choices=("github", "markdown", "junit"))
    parser.add_argument("--ghi", type=Path, help="ghi vào tệp này (thêm vào cuối với markdown)")
    parser.add_argument("--binh-luan", action="store_true", help="đăng bản tóm tắt vào pull request")
    parser.add_argument("--root", type=Path, default=Path.cwd())
    args = parser.parse_args(argv)
    errors = problems(args.root)
    text = {"github": github, "markdown": markdown, "junit": junit}[args.format](errors)
    if args.ghi:
        with open(args.ghi, "a" if args.format == "markdown" else "w", encoding="utf-8") as out:
            out.write(text)
    else:
        print(text)
    if args.binh_luan:
        try:
            print(comment(markdown(errors)), file=sys.stderr)
        except OSError as exc:  # a comment that fails must not hide the check's own result
            print(f"không đăng được bình luận: {exc}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
