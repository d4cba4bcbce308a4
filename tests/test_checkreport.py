"""The check's result for a draft's reviewer: annotations, a Vietnamese
summary, a JUnit report for GitLab, and a comment on the pull request
(posted to a fake host API on 127.0.0.1)."""

from __future__ import annotations

import http.server
import json
import threading
import xml.etree.ElementTree as ET

import pytest
import yaml

from conftest import copy_repo
from nongthonmoi import checkreport

PLAN = "materials/ke-hoach/gung-re/2023-03-18.yml"


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    root = copy_repo(tmp_path_factory.mktemp("draft") / "repo")
    path = root / PLAN
    data = path.read_text(encoding="utf-8").replace("so_ho", "so_ho")
    path.write_text(data.replace("    khoi_luong:\n      so: ", "    khoi_luong:\n      so: -", 1), encoding="utf-8")
    return root


def test_reports_say_the_rule_the_file_the_line_and_the_fix(broken):
    errors = checkreport.problems(broken)
    assert [e.rule for e in errors] == ["M009"]
    annotations = checkreport.github(errors)
    assert annotations.startswith(f"::error file={PLAN},line=") and "Cách sửa" in annotations.replace("%0A", "\n")
    summary = checkreport.markdown(errors)
    assert "1 lỗi, chưa đăng được" in summary and "**M009**" in summary and checkreport.MARK in summary
    report = ET.fromstring(checkreport.junit(errors))
    assert report.get("failures") == "1"
    failure = report.find("testcase/failure")
    assert "không được âm" in failure.get("message") and "Cách sửa" in failure.text
    assert "đạt" in checkreport.markdown([]) and ET.fromstring(checkreport.junit([])).get("failures") == "0"


def test_the_result_is_posted_on_the_pull_request_and_replaced_next_time(broken, tmp_path):
    seen = []
    comments = [{"id": 7, "body": "Ý kiến của lãnh đạo"}]

    class Api(http.server.BaseHTTPRequestHandler):
        def _answer(self, payload):
            data = json.dumps(payload).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            seen.append(("GET", self.path, self.headers["Authorization"]))
            self._answer(comments)

        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            seen.append(("POST", self.path, body["body"]))
            comments.append({"id": 8, "body": body["body"]})
            self._answer({"id": 8})

        def do_PATCH(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            seen.append(("PATCH", self.path, body["body"]))
            self._answer({})

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Api)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": 12}}), encoding="utf-8")
    env = {
        "GITHUB_API_URL": f"http://127.0.0.1:{server.server_address[1]}/api/v1",
        "GITHUB_REPOSITORY": "ban-tg/ntm",
        "GITHUB_TOKEN": "token-cua-lan-chay",
        "GITHUB_EVENT_PATH": str(event),
    }
    try:
        text = checkreport.markdown(checkreport.problems(broken))
        assert "#12" in checkreport.comment(text, env)
        assert "#12" in checkreport.comment(text, env)
    finally:
        server.shutdown()
        server.server_close()
    assert seen[0] == ("GET", "/api/v1/repos/ban-tg/ntm/issues/12/comments", "token token-cua-lan-chay")
    assert seen[1][0] == "POST" and "M009" in seen[1][2]
    assert seen[3][:2] == ("PATCH", "/api/v1/repos/ban-tg/ntm/issues/comments/8")  # the same comment, updated


def test_the_drafts_workflow_reports_and_comments():
    from conftest import ROOT

    workflow = yaml.safe_load((ROOT / ".github/workflows/ban-nhap.yml").read_text(encoding="utf-8"))
    job = workflow["jobs"]["kiem-tra-noi-dung"]
    assert workflow[True]["pull_request"] is None or "pull_request" in workflow[True]
    assert workflow["permissions"]["pull-requests"] == "write"
    script = job["steps"][-1]["run"]
    assert "checkreport markdown" in script and "--binh-luan" in script and "checkreport github" in script
    gitlab = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert gitlab["kiem-tra-noi-dung"]["artifacts"]["reports"]["junit"] == "kiem-tra.xml"
