"""The local backend of the web editor: Decap's file protocol, served by the
preview server itself, for one editing run.

Decap's ``proxy`` backend POSTs ``{"action": ..., "params": ...}`` as JSON to
one address. This module answers the actions of decap-server's file mode
(info, entriesByFolder, entriesByFiles, getEntry, persistEntry, getMedia,
getMediaFile, persistMedia, deleteFile, deleteFiles, getDeployPreview) and a
few of our own (``ntm...``), behind one guard (:meth:`LocalBackend.guard`):

- the ``Host`` is exactly ``127.0.0.1:<port>`` or ``localhost:<port>``
  (a page of another site whose name was pointed at 127.0.0.1, "DNS
  rebinding", is refused);
- the ``Origin`` is the editor's own (another page, even on another port of
  this computer, is refused; browsers always send Origin on a POST);
- the address holds the secret of this run (random, made when ``ntm edit``
  starts, given only inside the editor's configuration, which other origins
  cannot read), compared in constant time;
- JSON only, with a length given and under a limit, read only then. Files
  picked in the page (a photo, workbooks) go to the same address followed by
  ``/tai-len``, which takes a larger body and only the actions that need it.

Every path goes through paths.py (docs/ and materials/ only, no link, no
``..``); every save through check.py (the rules of ``ntm check``, before
writing) and history.py (one commit per save, then a push where a remote is
set). Adding an action is one decorated method: see ``@action`` below.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .. import rules as registry
from ..atomicfile import write_atomically
from ..buildday import build_day
from ..photos import MAX_INPUT_BYTES
from . import paths
from .check import (
    Problem,
    check_delete,
    check_page,
    check_save,
    collection_named,
    collection_of_path,
    describe_file,
    exists_problem,
    future_result_problem,
    moved_plan_problem,
    nfc,
    tidy_saved,
    tidy_values,
    target_path,
)
from .history import History, HistoryError
from .photos import (
    JPEG_SUFFIXES,
    PhotoFiles,
    PhotoProblem,
    UploadRefused,
    cleaned_upload,
    files_of_record,
    files_of_save,
    pending_photo_problem,
    upload_photo,
)

API_PREFIX = "/__ntm/api/"
UPLOAD_SUFFIX = "/tai-len"  # <api>/tai-len: files picked in the page
# A save of a result with its 24 photos (each at most 1 MB once normalised), base64.
MAX_REQUEST = 36 * 1024 * 1024
# A photo as the phone took it (normalise.py takes up to 40 MB), or workbooks, base64.
MAX_UPLOAD = 56 * 1024 * 1024
MAX_TEXT_FILE = 512 * 1024  # one page or data file
MAX_MEDIA_FILE = 8 * 1024 * 1024
MAX_FILES = 50  # paths in one request

ACTIONS: dict[str, Callable] = {}
UPLOAD_ACTIONS: set[str] = set()  # answered only at <api>/tai-len


def action(name: str, *, upload: bool = False):
    """Register a method as the answer to one action (``{"action": name}``);
    ``upload``: it takes files picked in the page, at ``<api>/tai-len`` only."""

    def register(method):
        ACTIONS[name] = method
        if upload:
            UPLOAD_ACTIONS.add(name)
        return method

    return register


class Refused(Exception):
    """An answer other than 200: status, Vietnamese message, optional problems."""

    def __init__(self, status: int, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.status, self.message, self.problems = status, message, problems or []


def _rule_text(rule_id: str, **params) -> str:
    rule = registry.rule(rule_id)
    return f"{rule.message.format(**params)} Cách sửa: {rule.fix.format(**params)}"


def _refused_path(exc: paths.PathRefused) -> Refused:
    return Refused(403, _rule_text("E004", reason=str(exc)))


class LocalBackend:
    """The backend of one editing run on 127.0.0.1:<port>."""

    def __init__(self, root: Path, secret: str, port: int):
        self.root = root
        self.secret = secret
        self.port = port
        self.history = History(root)
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        self.preview_port = port  # ntm edit: the preview of the site is on another port (local.py)

    @property
    def api_path(self) -> str:
        return API_PREFIX + self.secret

    # --- the guard ----------------------------------------------------------

    def host_allowed(self, environ: dict) -> bool:
        return environ.get("HTTP_HOST", "") in self.hosts

    def guard(self, environ: dict, path: str) -> dict:
        """The request's JSON body, or Refused (nothing is read before the checks)."""
        if not self.host_allowed(environ):
            raise Refused(403, _rule_text("E005", reason="địa chỉ máy chủ lạ"))
        if environ.get("REQUEST_METHOD") != "POST":
            raise Refused(405, _rule_text("E005", reason="không phải yêu cầu ghi"))
        given = path[len(API_PREFIX) :] if path.startswith(API_PREFIX) else ""
        upload = given.endswith(UPLOAD_SUFFIX)
        given = given.removesuffix(UPLOAD_SUFFIX)
        limit = MAX_UPLOAD if upload else MAX_REQUEST
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            raise Refused(403, _rule_text("E005", reason="thiếu mã bí mật của lần mở này"))
        origin = environ.get("HTTP_ORIGIN", "")
        if origin != f"http://{environ.get('HTTP_HOST')}":
            raise Refused(403, _rule_text("E005", reason="gửi từ một trang khác"))
        if environ.get("HTTP_SEC_FETCH_SITE", "same-origin") != "same-origin":
            raise Refused(403, _rule_text("E005", reason="gửi từ một trang khác"))
        if not environ.get("CONTENT_TYPE", "").startswith("application/json"):
            raise Refused(415, _rule_text("E005", reason="không phải dữ liệu JSON"))
        try:
            length = int(environ.get("CONTENT_LENGTH") or -1)
        except ValueError:
            length = -1
        if length > limit:
            raise Refused(413, _rule_text("E006", size=length // 1024, limit=limit // 1024))
        if length <= 0:
            raise Refused(411, _rule_text("E005", reason="không rõ độ dài dữ liệu"))
        body = environ["wsgi.input"].read(length)
        try:
            request = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise Refused(400, "Không đọc được dữ liệu gửi lên.") from None
        if _SURROGATE_ESCAPE.search(body) and _has_lone_surrogate(request):
            raise Refused(400, "Dữ liệu gửi lên có ký tự hỏng (nửa ký tự UTF-16, «\\ud800»...). "
                               "Cách sửa: xóa ký tự đó (thường do dán từ một chương trình khác) rồi lưu lại.")
        if not isinstance(request, dict) or not isinstance(request.get("action"), str):
            raise Refused(400, "Không đọc được dữ liệu gửi lên.")
        if not isinstance(request.get("params", {}), dict):
            raise Refused(400, "Không đọc được dữ liệu gửi lên.")
        if (request["action"] in UPLOAD_ACTIONS) != upload:
            raise Refused(400, "Không đọc được dữ liệu gửi lên.")
        return request

    # --- WSGI -----------------------------------------------------------------

    def __call__(self, environ: dict, start_response, path: str):
        try:
            request = self.guard(environ, path)
            method = ACTIONS.get(request["action"])
            if method is None:
                raise Refused(422, f"Trang quản trị trên máy này không làm được việc «{request['action'][:40]}».")
            status, payload = 200, method(self, request.get("params") or {})
        except Refused as exc:
            status, payload = exc.status, {"error": exc.message, "problems": [p.as_dict() for p in exc.problems]}
        except paths.PathRefused as exc:
            refused = _refused_path(exc)
            status, payload = refused.status, {"error": refused.message}
        except HistoryError as exc:
            status, payload = 500, {"error": str(exc)}
        data = json.dumps(payload, ensure_ascii=False).encode()
        reason = {200: "OK", 400: "Bad Request", 403: "Forbidden", 405: "Method Not Allowed", 409: "Conflict",
                  411: "Length Required", 413: "Payload Too Large", 415: "Unsupported Media Type",
                  422: "Unprocessable Entity", 500: "Internal Server Error"}.get(status, "Error")
        start_response(
            f"{status} {reason}",
            [
                ("Content-Type", "application/json; charset=utf-8"),
                ("Content-Length", str(len(data))),
                ("Cache-Control", "no-store"),
                ("X-Content-Type-Options", "nosniff"),
            ],
        )
        return [data]

    # --- reading ------------------------------------------------------------

    def _entry(self, rel: str, label=None) -> dict:
        try:
            path = paths.resolve(self.root, rel, write=False)
            if path.stat().st_size > MAX_TEXT_FILE:
                raise FileNotFoundError(rel)
            content = path.read_bytes()
        except FileNotFoundError:
            return {"data": None, "file": {"path": rel, "label": label, "id": None}}
        return {
            "data": content.decode("utf-8", "replace"),
            "file": {"path": rel, "label": label, "id": hashlib.sha256(content).hexdigest()},
        }

    def _media(self, rel: str) -> dict:
        path = paths.resolve(self.root, rel, write=False)
        if paths.kind_of(rel) not in ("media", "photo") or path.stat().st_size > MAX_MEDIA_FILE:
            raise paths.PathRefused(f"«{rel}» không phải hình hay tài liệu đính kèm.")
        content = path.read_bytes()
        return {
            "id": hashlib.sha256(content).hexdigest(),
            "content": base64.b64encode(content).decode("ascii"),
            "encoding": "base64",
            "path": rel,
            "name": os.path.basename(rel),
        }

    @action("info")
    def info(self, params: dict) -> dict:
        return {"repo": self.root.name, "publish_modes": ["simple"], "type": "local_fs"}

    @action("entriesByFolder")
    def entries_by_folder(self, params: dict) -> list:
        folder = str(params.get("folder", ""))
        extension = str(params.get("extension", ""))
        files = paths.list_files(self.root, folder, extension, _int(params.get("depth"), 1))
        return [self._entry(rel) for rel in files]

    @action("entriesByFiles")
    def entries_by_files(self, params: dict) -> list:
        files = _limited(params.get("files"))
        return [self._entry(str(f.get("path", "")), f.get("label")) for f in files if isinstance(f, dict)]

    @action("getEntry")
    def get_entry(self, params: dict) -> dict:
        return self._entry(str(params.get("path", "")))

    @action("getMedia")
    def get_media(self, params: dict) -> list:
        folder = str(params.get("mediaFolder", ""))
        return [self._media(rel) for rel in paths.list_files(self.root, folder, "", 1) if paths.kind_of(rel) == "media"]

    @action("getMediaFile")
    def get_media_file(self, params: dict) -> dict:
        return self._media(str(params.get("path", "")))

    # --- writing --------------------------------------------------------------

    def _write(self, rel: str, data: bytes, limit: int) -> None:
        if len(data) > limit:
            raise Refused(413, _rule_text("E006", size=len(data) // 1024, limit=limit // 1024))
        write_atomically(paths.resolve(self.root, rel, write=True), data)

    def _asset(self, asset: object, kinds: tuple[str, ...] = ("media",)) -> tuple[str, bytes]:
        if not isinstance(asset, dict) or asset.get("encoding") != "base64":
            raise Refused(400, "Không đọc được tệp đính kèm.")
        rel = str(asset.get("path", ""))
        if paths.kind_of(rel) not in kinds:
            raise paths.PathRefused(f"«{rel}» không phải hình hay tài liệu đính kèm.")
        content = str(asset.get("content", ""))
        limit = _asset_limit(rel)
        if len(content) > limit * 4 // 3 + 4:
            raise Refused(413, _rule_text("E006", size=len(content) * 3 // 4 // 1024, limit=limit // 1024))
        try:
            return rel, base64.b64decode(content, validate=True)
        except (binascii.Error, ValueError):
            raise Refused(400, "Không đọc được tệp đính kèm.") from None

    def _commit(self, changed: list[str], message: object, undo: Callable[[], None]) -> str:
        """One commit for one save; if git refuses, the files go back as they were."""
        try:
            commit = self.history.commit(changed, str(message or ""))
        except HistoryError:
            undo()
            raise
        self.history.push_soon()
        return commit

    def _snapshot(self, rels: list[str]) -> Callable[[], None]:
        """A way back to the current bytes of ``rels`` (absent files are removed again)."""
        saved = {}
        for rel in rels:
            path = paths.resolve(self.root, rel, write=True)
            saved[rel] = path.read_bytes() if path.is_file() else None

        def undo() -> None:
            for rel, content in saved.items():
                path = paths.resolve(self.root, rel, write=True)
                if content is None:
                    path.unlink(missing_ok=True)
                else:
                    write_atomically(path, content)

        return undo

    @action("persistEntry")
    def persist_entry(self, params: dict) -> dict:
        data_files = params.get("dataFiles") or ([params["entry"]] if isinstance(params.get("entry"), dict) else [])
        options = params.get("options") if isinstance(params.get("options"), dict) else {}
        if len(data_files) != 1 or not isinstance(data_files[0], dict):
            raise Refused(400, "Không đọc được dữ liệu gửi lên.")
        data_file = data_files[0]
        rel, raw = str(data_file.get("path", "")), data_file.get("raw")
        if not isinstance(raw, str):
            raise Refused(400, "Không đọc được dữ liệu gửi lên.")
        if len(raw) > MAX_TEXT_FILE:
            raise Refused(413, _rule_text("E006", size=len(raw.encode()) // 1024, limit=MAX_TEXT_FILE // 1024))
        kind = paths.kind_of(rel)
        raw = tidy_saved(raw, kind)
        target, old = rel, None
        assets = [self._asset(a, ("media", "photo")) for a in _limited(params.get("assets"))]
        sent_photos = {a: c for a, c in assets if paths.kind_of(a) == "photo"}
        # The page links its attachments by the names Decap gave them: cleaned under those names only.
        assets = [self._cleaned(a, c, rename=False, said="Chưa lưu. ") for a, c in assets if a not in sent_photos]
        photos = PhotoFiles()
        if kind == "data":
            target, old, photos = self._data_target(rel, raw, new_entry=bool(options.get("newEntry")), sent_photos=sent_photos)
        elif kind == "page":
            problems = check_page(raw, rel, self.root)
            if problems:
                raise Refused(422, "Chưa lưu. " + " ".join(p.text() for p in problems), problems)
        else:
            raise paths.PathRefused(f"«{rel}» không phải trang hay tệp dữ liệu.")
        self._refuse_if_changed_since_opened(params.get("baseIds"), [rel, target])
        # The record, its photos (written, moved, removed) and attachments: one commit.
        changed = [target] + ([old] if old else []) + [a for a, _ in assets] + photos.paths
        undo = self._snapshot(changed)
        self._write(target, raw.encode("utf-8"), MAX_TEXT_FILE)
        for asset_path, content in [*assets, *photos.write.items()]:
            self._write(asset_path, content, MAX_MEDIA_FILE)
        for gone in [*([old] if old else []), *photos.remove]:
            paths.resolve(self.root, gone, write=True).unlink(missing_ok=True)
        message = str(options.get("commitMessage") or "")
        if old:
            # Decap words the message from the entry as it was opened: say where it went.
            message = f"{message} (chuyển sang «{_entry_slug(target)}»)".strip()
        commit = self._commit(changed, message, undo)
        return {"message": "entry persisted", "path": target, "movedFrom": old, "commit": commit,
                "id": hashlib.sha256(raw.encode("utf-8")).hexdigest()}

    def _refuse_if_changed_since_opened(self, base_ids: object, rels: list[str]) -> None:
        """The page says which version of each file its form was opened from
        (ntm-cms.js, the ``id`` this backend gave it); a file saved since by
        another tab or person is not overwritten (E008)."""
        if not isinstance(base_ids, dict):
            return
        for rel in dict.fromkeys(rels):
            base = base_ids.get(rel)
            if not isinstance(base, str):
                continue
            path = paths.resolve(self.root, rel, write=True)
            try:
                current = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
            except OSError:
                current = None
            if current is not None and current != base:
                raise Refused(409, _rule_text("E008", file=rel.rsplit("/", 1)[-1]))

    def _data_target(
        self, rel: str, raw: str, *, new_entry: bool, sent_photos: dict[str, bytes] | None = None
    ) -> tuple[str, str | None, PhotoFiles]:
        """Where the entry goes (its commune and Saturday say), the file it
        leaves, and the photo files that go with it (photos.py)."""
        collection = collection_of_path(rel)
        if collection is None:
            raise paths.PathRefused(f"«{rel}» không thuộc loại dữ liệu nào của trang quản trị.")
        try:
            data = yaml.safe_load(raw)
        except yaml.YAMLError:
            raise Refused(400, "Không đọc được dữ liệu của biểu mẫu.") from None
        if not isinstance(data, dict):
            raise Refused(400, "Không đọc được dữ liệu của biểu mẫu.")
        data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}
        target = target_path(collection, data)
        future = future_result_problem(collection, data, build_day())
        if future is not None:
            raise Refused(422, "Chưa lưu. " + future.text(), [future])
        if collection.file is None:
            paths.resolve(self.root, target, write=True)  # a commune id is a path part: checked like any path
        old = None if new_entry or rel == target else rel
        moved = moved_plan_problem(self.root, collection, data, old, target)
        if moved is not None:
            raise Refused(422, "Chưa lưu. " + moved.text(), [moved])
        if (new_entry or old) and (self.root / target).exists():
            problem = exists_problem(self.root, collection, data)
            raise Refused(409, "Chưa lưu. " + problem.text(), [problem])
        try:
            photos = files_of_save(self.root, target, old, data, sent_photos or {})
        except PhotoProblem as exc:
            raise Refused(422, "Chưa lưu. " + exc.problem.text(), [exc.problem]) from None
        problems = check_save(self.root, collection, raw, target=target, old_path=old, photos=photos.overlay())
        if problems:
            raise Refused(422, "Chưa lưu. " + " ".join(p.text() for p in problems), problems)
        return target, old, photos

    def _cleaned(self, rel: str, content: bytes, *, rename: bool, said: str = "") -> tuple[str, bytes]:
        """A picture or document for docs/ as it will be stored (photos.cleaned_upload:
        a phone photo without its position and camera data), or Refused.
        ``said``: before the refusal (Decap's toast of an upload says «Chưa lưu được tệp:» itself)."""
        folder, name = rel.rsplit("/", 1)
        try:
            cleaned = cleaned_upload(name, content, rename=rename)
        except UploadRefused as exc:
            words = " ".join(f"{p.message} Cách sửa: {p.fix}" for p in exc.problems)
            raise Refused(422, said + words, exc.problems) from None
        return f"{folder}/{cleaned.name}", cleaned.data

    @action("persistMedia")
    def persist_media(self, params: dict) -> dict:
        """The media library's «Tải lên»: stored cleaned, committed; the answer's
        ``path`` is the stored file's, which Decap lists and links (a PNG
        carrying a position comes back as <name>.jpg)."""
        sent, content = self._asset(params.get("asset"))
        rel, content = self._cleaned(sent, content, rename=True)
        if rel != sent and (self.root / rel).exists():
            name = rel.rsplit("/", 1)[-1]
            raise Refused(409, f"Ảnh được lưu thành «{name}», nhưng thư mục đã có một tệp tên này. "
                               "Cách sửa: đổi tên ảnh trên máy rồi tải lên lại.")
        undo = self._snapshot([rel])
        self._write(rel, content, MAX_MEDIA_FILE)
        options = params.get("options") if isinstance(params.get("options"), dict) else {}
        self._commit([rel], options.get("commitMessage"), undo)
        return self._media(rel)

    def _delete(self, rels: list[str], message: object) -> None:
        for rel in rels:
            paths.resolve(self.root, rel, write=True)
        # A plan or result goes with its photos (A004 otherwise).
        rels = [*rels, *(p for rel in rels for p in files_of_record(self.root, rel) if p not in rels)]
        problems = check_delete(self.root, rels)
        if problems:
            raise Refused(409, " ".join(p.text() for p in problems), problems)
        undo = self._snapshot(rels)
        for rel in rels:
            paths.resolve(self.root, rel, write=True).unlink(missing_ok=True)
        self._commit(rels, message, undo)

    @action("deleteFile")
    def delete_file(self, params: dict) -> dict:
        options = params.get("options") if isinstance(params.get("options"), dict) else {}
        self._delete([str(params.get("path", ""))], options.get("commitMessage"))
        return {"message": "deleted"}

    @action("deleteFiles")
    def delete_files(self, params: dict) -> dict:
        options = params.get("options") if isinstance(params.get("options"), dict) else {}
        self._delete([str(p) for p in _limited(params.get("paths"))], options.get("commitMessage"))
        return {"message": "deleted"}

    @action("getDeployPreview")
    def get_deploy_preview(self, params: dict) -> dict | None:
        """«Xem thử»: the preview server's page of the entry."""
        url = preview_path(self.root, str(params.get("collection", "")), str(params.get("slug", "")))
        return {"url": f"http://127.0.0.1:{self.preview_port}/{url}", "status": "SUCCESS"} if url is not None else None

    # --- our own actions ------------------------------------------------------

    @action("ntmCheck")
    def ntm_check(self, params: dict) -> dict:
        """The problems saving this entry would meet, at their fields (before the real save)."""
        collection = collection_named(str(params.get("collection", "")))
        data = params.get("data")
        if collection is None or not isinstance(data, dict):
            return {"problems": []}
        raw = nfc(yaml.safe_dump(tidy_values(data), allow_unicode=True, sort_keys=False))
        old = params.get("path") if isinstance(params.get("path"), str) and not params.get("newEntry") else None
        # Photos picked in this form travel with the real save: not missing yet.
        coming = {str(n) for n in _limited(params.get("photos"))}
        try:
            target, _, _ = self._data_target(old or target_path(collection, data), raw, new_entry=old is None)
        except Refused as exc:
            problems = [p for p in exc.problems if not pending_photo_problem(p, data, coming)]
            if exc.problems and not problems:
                return {"problems": [], "path": target_path(collection, data)}
            return {"problems": [p.as_dict() for p in problems] or [{"rule": "", "path": [], "field": "", "message": exc.message, "fix": ""}]}
        return {"problems": [], "path": target}

    @action("ntmNhapExcel", upload=True)
    def ntm_nhap_excel(self, params: dict) -> dict:
        """«Nhập từ Excel»: preview the picked workbooks, or write, check and commit them (excel.py)."""
        from .excel import ExcelRefused, import_workbooks

        try:
            return import_workbooks(self, params)
        except ExcelRefused as exc:
            raise Refused(exc.status, exc.message) from None

    @action("ntmAnh", upload=True)
    def ntm_anh(self, params: dict) -> dict:
        """«Chọn ảnh»: the picked photo, normalised (photos.py); nothing is written."""
        content = params.get("content")
        if not isinstance(content, str):
            raise Refused(400, "Không đọc được ảnh gửi lên.")
        try:
            data = base64.b64decode(content, validate=True)
        except (binascii.Error, ValueError):
            raise Refused(400, "Không đọc được ảnh gửi lên.") from None
        try:
            photo = upload_photo(data, str(params.get("name") or ""))
        except PhotoProblem as exc:
            raise Refused(422, exc.problem.text(), [exc.problem]) from None
        return {
            "name": photo.name,
            "content": base64.b64encode(photo.data).decode("ascii"),
            "width": photo.width,
            "height": photo.height,
            "size": len(photo.data),
            "report": photo.report,
        }

    @action("ntmStatus")
    def ntm_status(self, params: dict) -> dict:
        """What is not yet in history, and what the last push did."""
        names = _names(self.root)
        pending = self.history.pending()
        state = self.history.push_state
        return {
            "pending": [{"path": p, "label": describe_file(p, names)} for p in pending],
            "remote": self.history.upstream(),
            "push": {"state": state.state, "message": state.message},
        }

    @action("ntmCommit")
    def ntm_commit(self, params: dict) -> dict:
        """«Lưu vào lịch sử»: check everything as ``ntm check`` does, commit with the editor's message, push."""
        problems = full_check(self.root)
        if problems:
            raise Refused(422, "Chưa lưu vào lịch sử: nội dung còn lỗi. " + " ".join(problems[:5]))
        pending = self.history.pending()
        if not pending:
            self.history.push_soon()
            return {"commit": None, "count": 0}
        commit = self.history.commit(pending, str(params.get("message") or ""))
        self.history.push_soon()
        return {"commit": commit, "count": len(pending)}


def full_check(root: Path) -> list[str]:
    """What ``ntm check`` says, as lines (empty when all is well). The preview
    already warns of a shallow clone; committing stays possible there."""
    from ..fullcheck import problems

    return [str(p) for p in problems(root, shallow=False)]


def _entry_slug(rel: str) -> str:
    """«materials/ke-hoach/hoa-ninh/2026-12-19.yml» -> «hoa-ninh/2026-12-19» (how Decap names an entry)."""
    return "/".join(rel.removesuffix(".yml").split("/")[2:])


def preview_path(root: Path, collection: str, slug: str) -> str | None:
    """The address (under the site) of the page that shows an entry."""
    if collection in ("ke-hoach", "ket-qua") and slug.count("/") == 1:
        return f"xa/{slug}/"
    if collection == "danh-sach" and slug.count("/") == 1:
        return f"thu-bay/{slug.split('/')[1]}/"
    if collection in ("don-vi", "co-quan"):
        return "xa/"
    if collection == "van-ban":
        return "van-ban/"
    if collection == "trang" or collection.startswith("trang-"):
        from .config import page_collection_name

        folders = [""] + sorted(p.relative_to(root / "docs").as_posix() for p in (root / "docs").rglob("*") if p.is_dir())
        folder = next((f for f in folders if page_collection_name(f or ".") == collection), None)
        if folder is None or "/" in slug:
            return None
        address = "/".join(part for part in (folder, "" if slug == "index" else slug) if part)
        return address + "/" if address else ""
    return None


def _names(root: Path) -> dict:
    from .check import _unit_names

    return _unit_names(root)


# A JSON escape of a UTF-16 surrogate: a pair is an emoji, a lone one is no
# character at all and cannot be written to a UTF-8 file.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _has_lone_surrogate(request: object) -> bool:
    try:
        json.dumps(request, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _int(value: object, default: int) -> int:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default


def _asset_limit(rel: str) -> int:
    """Bytes an attachment may have before it is decoded: a picture the
    cleaner takes (a phone's photo) as much as «Chọn ảnh» takes, since only
    its cleaned bytes (at most 1 MB) are stored; anything else as stored."""
    if paths.kind_of(rel) == "media" and rel.lower().endswith((*JPEG_SUFFIXES, ".png", ".webp")):
        return MAX_INPUT_BYTES
    return MAX_MEDIA_FILE


def _limited(items: object) -> list:
    if not isinstance(items, list):
        return []
    if len(items) > MAX_FILES:
        raise Refused(413, _rule_text("E006", size=len(items), limit=MAX_FILES))
    return items


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
