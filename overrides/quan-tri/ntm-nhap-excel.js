/*
 * «Nhập từ Excel»: the page of the web editor where the Board imports the
 * workbooks communes sent on Zalo or by e-mail (address #/nhap-excel, a link
 * in Decap's top bar).
 *
 * - Local mode (`ntm edit`): the files picked here go to the local backend
 *   (<api>/tai-len, action ntmNhapExcel, scripts/nongthonmoi/editor/excel.py),
 *   which answers with the import's report (workbooks/batch.py to_dict()).
 *   «Ghi và lưu» sends the same files again with the report's token (and
 *   «Ghi đè» when chosen); the backend writes, runs `ntm check` and commits.
 * - Published site: the page explains the way through a draft (the
 *   collection «Nhập từ Excel», materials/nhap-excel/, imported by CI).
 *
 * Every text of a report comes from outside (file names, cell values): it is
 * put in the page with textContent only, never as HTML.
 */
(function () {
  "use strict";

  var ROUTE = "#/nhap-excel";
  var MODE = document.body.getAttribute("data-ntm-backend") || "local";
  var LOCAL = MODE === "local";
  var MAX_FILES = 50; // workbooks/batch.py MAX_FILES
  var MAX_FILE = 10 * 1024 * 1024; // workbooks/package.py LIMITS.max_bytes
  var MAX_TOTAL = 40 * 1024 * 1024; // under the backend's upload limit (56 MB of base64)
  var STATUS = {
    new: "Sẽ tạo mới",
    updated: "Sẽ cập nhật",
    unchanged: "Không thay đổi",
    duplicate: "Trùng tệp khác",
    "needs-overwrite": "Cần ghi đè",
    error: "Có lỗi, không nhập",
  };
  var WRITTEN = { new: "Đã tạo mới", updated: "Đã cập nhật" };

  var page = null;
  var chosen = []; // [{name, content (base64)}] of the files picked
  var lastReport = null;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // --- the backend --------------------------------------------------------

  // The backend's answer, or an Error with its message (ntm-cms.js: NTM.api).
  function send(params) {
    return window.NTM.api("ntmNhapExcel", params, "/tai-len");
  }

  function readBase64(file) {
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () {
        var text = String(reader.result || "");
        resolve(text.slice(text.indexOf(",") + 1));
      };
      reader.onerror = function () {
        reject(new Error("Không đọc được tệp «" + file.name + "» trên máy này."));
      };
      reader.readAsDataURL(file);
    });
  }

  // --- the page -------------------------------------------------------------

  function build() {
    page = el("main", "ntm-nhap");
    page.id = "ntm-nhap-excel";
    page.setAttribute("aria-labelledby", "ntm-nhap-tieu-de");
    var back = el("a", "ntm-nhap__ve", "← Về trang quản trị");
    back.href = "#/";
    page.appendChild(back);
    var title = el("h1", "", "Nhập từ Excel");
    title.id = "ntm-nhap-tieu-de";
    page.appendChild(title);
    if (LOCAL) buildLocal();
    else buildPublished();
    document.body.appendChild(page);
  }

  function buildLocal() {
    page.appendChild(
      el(
        "p",
        "",
        "Chọn các bảng tính kế hoạch, kết quả (.xlsx) xã gửi qua Zalo hay thư điện tử. Trang sẽ kiểm tra và cho xem " +
          "trước từng tệp: xã, ngày thứ Bảy, tạo mới hay cập nhật, các thay đổi cũ → mới, hoặc lỗi kèm ô cần sửa. " +
          "Chưa ghi gì cho đến khi bấm «Ghi và lưu vào lịch sử»."
      )
    );
    // The browser's own file button speaks the browser's language: ours says it in Vietnamese.
    var label = el("label", "ntm-nhap__chon");
    var input = el("input");
    input.type = "file";
    input.multiple = true;
    input.accept = ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    input.name = "bang-tinh";
    label.appendChild(input);
    label.appendChild(el("span", "ntm-nhap__nut", "Chọn bảng tính…"));
    label.appendChild(el("span", "ntm-nhap__gioi-han", "Tối đa " + MAX_FILES + " tệp một lần, mỗi tệp tối đa 10 MB."));
    page.appendChild(label);
    var status = el("p", "ntm-nhap__trang-thai");
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    page.appendChild(status);
    var report = el("section", "ntm-nhap__bao-cao");
    report.setAttribute("aria-label", "Báo cáo kiểm tra");
    page.appendChild(report);

    input.addEventListener("change", function () {
      var files = Array.prototype.slice.call(input.files || []);
      report.textContent = "";
      chosen = [];
      lastReport = null;
      var problem = limitProblem(files);
      if (problem) {
        status.textContent = problem;
        return;
      }
      status.textContent = "Đang đọc " + files.length + " tệp…";
      input.value = ""; // the same files can be picked again after a fix
      Promise.all(files.map(readBase64))
        .then(function (contents) {
          chosen = files.map(function (file, i) {
            return { name: file.name, content: contents[i] };
          });
          return preview(false);
        })
        .catch(function (problem) {
          status.textContent = problem.message;
        });
    });
  }

  function limitProblem(files) {
    if (!files.length) return "Chưa chọn tệp nào.";
    if (files.length > MAX_FILES)
      return "Đã chọn " + files.length + " tệp, quá " + MAX_FILES + " tệp một lần: nhập thành nhiều lần.";
    var total = 0;
    for (var i = 0; i < files.length; i++) {
      total += files[i].size;
      if (files[i].size > MAX_FILE)
        return "Tệp «" + files[i].name + "» lớn quá 10 MB: đây không phải biểu mẫu đã điền (chỉ vài chục kB). Chọn đúng tệp xã gửi về.";
    }
    if (total > MAX_TOTAL) return "Các tệp đã chọn lớn quá 40 MB cộng lại: nhập thành nhiều lần.";
    return "";
  }

  function statusLine() {
    return page.querySelector(".ntm-nhap__trang-thai");
  }

  function preview(overwrite) {
    statusLine().textContent = "Đang kiểm tra " + chosen.length + " tệp…";
    return send({ files: chosen, write: false, overwrite: overwrite }).then(
      function (answer) {
        lastReport = answer.report;
        statusLine().textContent = "";
        show(answer.report, overwrite, false);
      },
      function (problem) {
        statusLine().textContent = problem.message;
      }
    );
  }

  function write(overwrite, button) {
    button.disabled = true;
    statusLine().textContent = "Đang ghi, kiểm tra toàn bộ nội dung và lưu vào lịch sử…";
    send({ files: chosen, write: true, overwrite: overwrite, confirm: lastReport.token }).then(
      function (answer) {
        lastReport = answer.report;
        show(answer.report, overwrite, answer.saved);
        if (answer.saved) {
          statusLine().textContent =
            "Đã lưu " + answer.files.length + " tệp vào lịch sử (lần lưu " + answer.commit + "). " +
            "Trang web sẽ có nội dung này sau lần dựng tới.";
          chosen = [];
        } else {
          statusLine().textContent = answer.report.conclusion;
        }
      },
      function (problem) {
        button.disabled = false;
        statusLine().textContent = problem.message;
      }
    );
  }

  function show(report, overwrite, saved) {
    var box = page.querySelector(".ntm-nhap__bao-cao");
    box.textContent = "";
    box.appendChild(el("p", "ntm-nhap__ket-luan", report.conclusion));
    report.workbooks.forEach(function (book) {
      box.appendChild(workbookCard(book, saved));
    });
    if (saved) return;
    var needsOverwrite = report.workbooks.filter(function (b) {
      return b.status === "needs-overwrite" || (overwrite && b.status === "updated");
    });
    if (needsOverwrite.length) {
      var choice = el("label", "ntm-nhap__ghi-de");
      var tick = el("input");
      tick.type = "checkbox";
      tick.checked = !!overwrite;
      choice.appendChild(tick);
      choice.appendChild(
        el(
          "span",
          "",
          " Ghi đè: thay nội dung đã có của " + needsOverwrite.length +
            " tệp bằng nội dung bảng tính (đã xem các thay đổi cũ → mới ở trên)"
        )
      );
      tick.addEventListener("change", function () {
        preview(tick.checked);
      });
      box.appendChild(choice);
    }
    var writes = report.workbooks.filter(function (b) {
      return b.status === "new" || b.status === "updated";
    });
    if (report.ok && writes.length) {
      var button = el("button", "ntm-nhap__ghi", "Ghi " + writes.length + " tệp và lưu vào lịch sử");
      button.type = "button";
      button.addEventListener("click", function () {
        write(overwrite, button);
      });
      box.appendChild(button);
    } else if (report.ok) {
      box.appendChild(el("p", "", "Không có gì mới để ghi."));
    }
  }

  function workbookCard(book, saved) {
    var card = el("article", "ntm-nhap__tep ntm-nhap__tep--" + book.status);
    var head = el("h2", "", book.file);
    card.appendChild(head);
    var state = saved && book.written ? WRITTEN[book.status] : STATUS[book.status] || book.status;
    card.appendChild(el("p", "ntm-nhap__tinh-trang", state));
    var facts = el("dl");
    function fact(name, value) {
      if (!value) return;
      facts.appendChild(el("dt", "", name));
      facts.appendChild(el("dd", "", value));
    }
    fact("Loại", book.kind_text);
    fact("Xã, thị trấn", book.unit_name);
    fact("Ngày thứ Bảy", book.saturday ? book.saturday.split("-").reverse().join("/") : "");
    fact("Nội dung", book.summary);
    fact("Tệp dữ liệu", book.target);
    card.appendChild(facts);
    if (book.changes.length) {
      card.appendChild(el("h3", "", "Thay đổi (cũ → mới)"));
      var changes = el("ul", "ntm-nhap__thay-doi");
      book.changes.forEach(function (change) {
        changes.appendChild(el("li", "", change.text));
      });
      card.appendChild(changes);
    }
    if (book.errors.length) {
      card.appendChild(el("h3", "", "Lỗi cần sửa"));
      var errors = el("ul", "ntm-nhap__loi");
      book.errors.forEach(function (problem) {
        var item = el("li");
        // A cell (Kế hoạch!E35) when the problem has one; the file's own name says nothing new.
        var where = problem.where && problem.where !== book.file ? problem.where : "";
        if (where) item.appendChild(el("strong", "ntm-nhap__o", where));
        item.appendChild(el("span", "", (where ? ": " : "") + problem.message + " [" + problem.rule + "]"));
        if (problem.fix) item.appendChild(el("span", "ntm-nhap__cach-sua", "Cách sửa: " + problem.fix));
        errors.appendChild(item);
      });
      card.appendChild(errors);
    }
    return card;
  }

  function buildPublished() {
    [
      "Trên trang web đã đăng, bảng tính được nhập qua một bản nháp, để người duyệt xem trước khi lãnh đạo đăng:",
    ].forEach(function (text) {
      page.appendChild(el("p", "", text));
    });
    var steps = el("ol");
    [
      "Bấm «Tải bảng tính lên» bên dưới (mục «Nhập từ Excel»), chọn các tệp .xlsx xã gửi về, ghi chú ai gửi, rồi bấm «Lưu». Trang tạo một bản nháp chứa các tệp trong thư mục materials/nhap-excel/.",
      "Máy của kho git tự nhập bảng tính trong bản nháp (vài phút) và ghi kế hoạch, kết quả vào bản nháp đó.",
      "Mở bản nháp trên kho git (pull request, merge request), xem mục kiểm tra «nhap-excel»: báo cáo từng tệp (xã, ngày thứ Bảy, tạo mới hay cập nhật, thay đổi cũ → mới, hoặc lỗi kèm ô cần sửa).",
      "Tệp có lỗi ở lại bản nháp và kiểm tra báo đỏ: nhờ xã sửa theo «Cách sửa», rồi tải tệp đã sửa lên bản nháp đó. Khi báo cáo đúng, lãnh đạo đăng bản nháp.",
    ].forEach(function (text) {
      steps.appendChild(el("li", "", text));
    });
    page.appendChild(steps);
    var go = el("a", "ntm-nhap__ghi", "Tải bảng tính lên");
    go.href = "#/collections/nhap-excel/new";
    page.appendChild(go);
  }

  // --- the route and the link in the top bar ----------------------------------

  function route() {
    var here = window.location.hash === ROUTE;
    if (here && !page) build();
    if (page) page.hidden = !here;
    document.body.classList.toggle("ntm-dang-nhap-excel", here);
  }

  function addLink() {
    var nav = document.querySelector("[class*='-AppHeaderNavList']");
    if (!nav || nav.querySelector(".ntm-nhap-lien-ket")) return;
    var item = el("li", "ntm-nhap-lien-ket");
    var link = el("a", "", "Nhập từ Excel");
    link.href = ROUTE;
    item.appendChild(link);
    nav.appendChild(item);
  }

  window.addEventListener("hashchange", route);
  new MutationObserver(addLink).observe(document.body, { childList: true, subtree: true });
  route();
})();
