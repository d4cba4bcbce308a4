"""Every message the workbook import shows an editor, in one table.

Each entry has a short key (the rule), a message and a fix ("Cách sửa"),
both Vietnamese, with ``{placeholders}``. Rules that belong to workbooks only
(a deleted sheet, a merged cell, a formula...) and the wording of the model's
own rules for a cell (an empty required cell, a negative number...) live
here; the cross-checks shared with ``ntm check`` (households over the total,
not a Saturday, unknown task...) keep the wording of ``saturday/data.py``.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # --- the file itself
    "empty-file": ("Tệp rỗng (0 byte), không có bảng tính nào.", "Mở bảng tính, lưu lại dạng .xlsx rồi gửi lại."),
    "too-big": (
        "Tệp quá lớn ({size}); một bảng tính kế hoạch hay kết quả chỉ khoảng vài chục KB.",
        "Xóa ảnh, trang tính thêm vào rồi lưu lại; hoặc tải mẫu mới trên trang web và điền lại.",
    ),
    "xls": (
        "Tệp ở dạng Excel cũ (.xls), không đọc được.",
        "Mở tệp bằng Excel, chọn Tệp > Lưu thành, kiểu «Sổ làm việc Excel (*.xlsx)», rồi gửi tệp .xlsx.",
    ),
    "password": (
        "Tệp có đặt mật khẩu, không đọc được.",
        "Mở tệp, bỏ mật khẩu (Excel: Tệp > Thông tin > Bảo vệ sổ làm việc > Mã hóa bằng mật khẩu, xóa trống), lưu rồi gửi lại.",
    ),
    "ods": (
        "Tệp ở dạng bảng tính LibreOffice (.ods), không phải .xlsx.",
        "Trong LibreOffice chọn Tệp > Lưu thành, kiểu «Excel 2007-365 (.xlsx)», rồi gửi tệp .xlsx.",
    ),
    "not-xlsx": (
        "Tệp không phải bảng tính Excel (.xlsx).",
        "Gửi đúng tệp bảng tính tải từ trang web, đã lưu dạng .xlsx (không chụp ảnh, không chuyển sang PDF hay Word).",
    ),
    "csv": (
        "Tệp là bảng chữ CSV (các ô cách nhau bằng dấu «{separator}»), không phải bảng tính Excel (.xlsx): CSV không giữ "
        "các trang, danh sách chọn và ô của mẫu.",
        "Mở tệp bảng tính tải từ trang web bằng Excel (hay LibreOffice, WPS), điền rồi bấm «Lưu» (Ctrl+S) giữ dạng "
        ".xlsx; khi máy hỏi, đừng chọn «Lưu thành» CSV.",
    ),
    "broken": (
        "Tệp .xlsx bị hỏng, không mở được ({detail}).",
        "Mở lại trong Excel hoặc LibreOffice, lưu lại rồi gửi lại; nếu không mở được, tải mẫu mới và điền lại.",
    ),
    "unexpected": (
        "Lỗi không lường trước khi đọc tệp ({detail}).",
        "Gửi tệp này cho nhóm kỹ thuật; các tệp khác vẫn được nhập.",
    ),
    "unreadable": (
        "Không đọc được tệp: {detail}.",
        "Kiểm tra đường dẫn và quyền đọc tệp; một liên kết tượng trưng, thư mục hay tệp đặc biệt của hệ thống thì không "
        "nhập được: đặt chính tệp bảng tính (.xlsx) vào đây.",
    ),
    "not-ours": (
        "Bảng tính này không phải mẫu của trang Nông thôn mới Di Linh (không có trang ẩn «{sheet}», hoặc trang đó đã bị sửa).",
        "Tải mẫu kế hoạch hoặc kết quả của xã trên trang web, điền vào mẫu đó rồi gửi lại.",
    ),
    "old-version": (
        "Bảng tính theo mẫu khác (phiên bản {found}), không nhập được.",
        "Tải mẫu mới trên trang web, chép nội dung sang rồi gửi lại.",
    ),
    "report": (
        "Đây là bảng báo cáo thứ Hai (chỉ để xem và in), không phải mẫu để nhập.",
        "Nhập bảng tính kế hoạch hoặc kết quả do xã gửi.",
    ),
    "unknown-unit": (
        "Bảng tính ghi xã, thị trấn mã «{value}», không có trong materials/don-vi.yml.",
        "Tải mẫu mới của xã trên trang web; nếu xã mới được thêm, cập nhật materials/don-vi.yml trước.",
    ),
    "no-plan": (
        "Chưa có kế hoạch của {unit} ngày {date}, nên chưa nhập được kết quả.",
        "Nhập kế hoạch của ngày đó trước (bảng tính kế hoạch hoặc tệp materials/ke-hoach/{unit_id}/{iso}.yml).",
    ),
    "another-commune": (
        "Bảng tính này là mẫu của {found}, không phải của {expected}.",
        "Kiểm tra tệp có đúng của xã đã gửi không; mỗi xã tải mẫu của chính xã mình trên trang web.",
    ),
    "commune-changed": (
        "Ô này ghi «{value}», nhưng bảng tính là mẫu của {expected}.",
        "Mỗi xã tải mẫu của chính xã mình trên trang web; không sửa tên xã trong mẫu của xã khác.",
    ),
    "date-changed": (
        "Ngày ở ô này ({value}) khác ngày thứ Bảy của mẫu ({expected}).",
        "Mẫu kết quả làm cho đúng một ngày thứ Bảy: tải mẫu kết quả của ngày cần báo cáo trên trang web.",
    ),
    "result-before-its-day": (
        "Kết quả cho thứ Bảy {value}, nhưng hôm nay mới là {today}: chưa đến ngày làm.",
        "Gửi lại kết quả sau khi làm xong ngày thứ Bảy {value}; nếu đã làm ngày khác, tải mẫu kết quả của đúng ngày đó.",
    ),
    # --- the sheet's shape
    "sheet-missing": (
        "Không có trang tính «{sheet}» (đã bị xóa hoặc đổi tên; đang có: {found}).",
        "Đổi tên trang tính về «{sheet}»; nếu đã xóa, tải mẫu mới trên trang web và điền lại.",
    ),
    "merged": (
        "Các ô {range} bị gộp thành một ô.",
        "Bỏ gộp ô (Excel: Trang đầu > Gộp và Căn giữa > Bỏ gộp Ô), mỗi ô một nội dung.",
    ),
    "formula": (
        "Ô này có công thức «{formula}»; mẫu chỉ nhận chữ và số gõ vào.",
        "Gõ thẳng con số hay nội dung vào ô (hoặc chép rồi dán «Chỉ dán giá trị»).",
    ),
    "extra-column": (
        "Cột «{value}» không có trong mẫu; nội dung cột này sẽ không được nhập.",
        "Xóa cột này; ghi điều cần ghi vào cột «Ghi chú» hoặc ô «Ghi chú» của mẫu.",
    ),
    "missing-column": (
        "Bảng «{table}» thiếu cột «{title}».",
        "Không xóa cột của mẫu: tải mẫu mới trên trang web và điền lại.",
    ),
    "missing-table": (
        "Không tìm thấy bảng «{table}» (dòng tiêu đề cột đã bị xóa hoặc sửa).",
        "Tải mẫu mới trên trang web và điền lại.",
    ),
    "missing-row": (
        "Không tìm thấy dòng «{title}» trong phần thông tin chung (dòng đã bị xóa?).",
        "Tải mẫu mới trên trang web và điền lại.",
    ),
    "stray-cell": (
        "Ô này nằm ngoài các ô cần điền; nội dung «{value}» sẽ không được nhập.",
        "Xóa nội dung ô này, hoặc ghi vào ô «Ghi chú».",
    ),
    "continuation-value": (
        "Dòng này ghi tiếp phần việc ở dòng {row} (cột «{first}» để trống), nên ô «{title}» phải để trống.",
        "Nếu đây là phần việc mới: điền «{first}». Nếu là phần việc ở dòng {row}: chuyển nội dung lên dòng {row}.",
    ),
    # --- one cell
    "not-a-number": (
        "Ô «{title}» cần một số, đang là chữ «{value}».",
        "Chỉ gõ số, không kèm chữ hay đơn vị, ví dụ 120 hoặc 1,5.",
    ),
    "not-whole": ("Ô «{title}» cần một số nguyên, đang là {value}.", "Gõ số nguyên, không có phần thập phân."),
    "control-character": (
        "Ô «{title}» có ký tự điều khiển vô hình ({char}).",
        "Gõ lại nội dung ô, hoặc dán lại dưới dạng chữ thường (Ctrl+Shift+V); xuống dòng trong ô dùng Alt+Enter.",
    ),
    "number-out-of-range": (
        "Ô «{title}» có số {value}, lớn quá mức có thể (tới {limit}).",
        "Gõ lại con số cho đúng: có thể thừa chữ số, dán nhầm, hoặc ghi nhầm đơn vị (m thay cho km).",
    ),
    "not-a-date": ("Ô «{title}» cần một ngày, đang là «{value}».", "Gõ ngày dạng 25/03/2023."),
    "not-a-time": ("Ô «{title}» cần một giờ, đang là «{value}».", "Gõ giờ dạng 7:00 hoặc 13:30 (bảng tính hiện 7h00)."),
    "not-text": ("Ô «{title}» cần chữ, đang là «{value}».", "Gõ lại nội dung; muốn giữ nguyên cách viết thì gõ dấu ' trước."),
    "not-in-list": (
        "«{value}» không có trong danh sách «{title}».",
        "Bấm vào ô, chọn ở mũi tên bên phải ô. Danh sách: {choices}.",
    ),
    # --- the model's rules, worded for a cell
    "missing": ("Ô «{title}» đang để trống.", "Điền ô này (ô có dấu * phải điền)."),
    "missing-list": ("«{title}» chưa có mục nào.", "Ghi ít nhất một mục."),
    "negative": ("Ô «{title}» không được âm (đang là {value}).", "Sửa thành số {allowed}."),
    "not-positive": ("Ô «{title}» phải lớn hơn 0 (đang là {value}).", "Sửa thành số lớn hơn 0."),
    "bad-id": (
        "Mã «{value}» ở ô «{title}» không hợp lệ.",
        "Mã chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang, ví dụ «don-duong»; hoặc để trống để mã tự đặt.",
    ),
    "markup": ("Ô «{title}» có mã HTML («<...>»); trang web chỉ hiện chữ.", "Xóa các thẻ «<...>», chỉ viết chữ."),
    "invalid": ("Ô «{title}»: {detail}.", "Sửa lại cho đúng."),
    # --- limits: checked before the file is opened
    "zip-bomb": (
        "Phần «{part}» của tệp nén giải nén ra {size} từ {packed} (gấp {ratio} lần): dấu hiệu tệp «bom nén», không phải bảng tính thật.",
        "Không mở tệp này. Nhờ xã gửi lại đúng bảng tính tải từ trang web, đã điền.",
    ),
    "too-many-parts": (
        "Tệp có quá nhiều thành phần ({detail}); bảng tính của mẫu chỉ có vài chục.",
        "Xóa ảnh, trang tính thêm vào rồi lưu lại; hoặc tải mẫu mới trên trang web và điền lại.",
    ),
    "xml-dtd": (
        "Phần «{part}» của tệp có khai báo DTD hoặc thực thể XML; Excel, LibreOffice và WPS không bao giờ ghi như vậy.",
        "Không mở tệp này. Nhờ xã gửi lại đúng bảng tính tải từ trang web, đã điền.",
    ),
    "too-many-rows": (
        "Trang «{sheet}» có dữ liệu hoặc định dạng tới dòng {row}, quá giới hạn {limit} dòng của mẫu.",
        "Xóa các dòng thừa phía dưới (chọn các dòng đó, bấm chuột phải > Xóa), lưu rồi gửi lại. Một kế hoạch chỉ cần vài trăm dòng.",
    ),
    "too-many-cells": (
        "Trang «{sheet}» có hơn {limit} ô có dữ liệu hoặc định dạng; mẫu chỉ cần vài nghìn ô.",
        "Xóa các dòng, cột thừa ngoài mẫu rồi lưu lại; hoặc tải mẫu mới trên trang web và điền lại.",
    ),
    "big-range": (
        "Trang «{sheet}» có vùng {what} {range} trải {count} ô, quá giới hạn {limit} ô.",
        "Bỏ vùng {what} đó (Excel: chọn vùng, Trang đầu > Gộp và Căn giữa > Bỏ gộp Ô; liên kết: chuột phải > Loại bỏ Siêu kết nối), lưu rồi gửi lại.",
    ),
    "dimension": (
        "Trang «{sheet}» khai báo vùng dữ liệu {range}, vượt quá {limit} dòng của mẫu.",
        "Mở tệp bằng Excel hoặc LibreOffice, xóa các dòng thừa phía dưới, lưu lại dạng .xlsx rồi gửi.",
    ),
    # --- what the clerk meant is not clear: refused, never guessed
    "extra-sheet": (
        "Bảng tính có thêm trang «{sheet}» có nội dung, ngoài trang «{form}» của mẫu; chỉ trang «{form}» được nhập, nội dung trang kia sẽ mất.",
        "Nếu trang «{sheet}» là bản chép đã điền: chép nội dung sang trang «{form}» rồi xóa trang «{sheet}». Nếu không cần: xóa trang «{sheet}».",
    ),
    "hidden-row": (
        "Dòng {row} đang bị ẩn (ẩn dòng, nhóm thu gọn hoặc bộ lọc) nhưng có nội dung «{value}»: không rõ xã muốn giữ hay bỏ.",
        "Bỏ ẩn dòng (chọn các dòng quanh đó, chuột phải > Bỏ ẩn; hoặc tắt bộ lọc). Nội dung cần bỏ thì xóa hẳn; cần giữ thì để hiện.",
    ),
    "hidden-column": (
        "Cột {col} đang bị ẩn nhưng có nội dung «{value}»: không rõ xã muốn giữ hay bỏ.",
        "Bỏ ẩn cột (chọn các cột hai bên, chuột phải > Bỏ ẩn). Nội dung cần bỏ thì xóa hẳn; cần giữ thì để hiện.",
    ),
    "hidden-value": (
        "Ô này có nội dung «{value}» nhưng định dạng ô làm nó không hiện ra.",
        "Đổi định dạng ô về «Chung» (General) và màu chữ về «Tự động» (chữ đen). Nội dung cần bỏ thì xóa hẳn.",
    ),
    "strikethrough": (
        "Ô này có chữ gạch ngang «{value}»: không rõ là bỏ hay giữ.",
        "Nếu bỏ: xóa hẳn nội dung ô. Nếu giữ: bỏ gạch ngang (Ctrl+5).",
    ),
    "error-cell": (
        "Ô này đang báo lỗi «{value}» (lỗi của một công thức đã dán vào).",
        "Gõ thẳng giá trị đúng vào ô.",
    ),
    "percent-number": (
        "Ô «{title}» đang định dạng phần trăm: hiện {shown} nhưng giá trị là {value}; không rõ xã muốn số nào.",
        "Đổi định dạng ô về «Chung» (General) rồi gõ lại đúng con số.",
    ),
    "ambiguous-number": (
        "Ô «{title}» ghi «{value}»: có thể hiểu là {one} hoặc {other}.",
        "Gõ số không có dấu phân cách hàng nghìn (1500); số lẻ dùng dấu phẩy (1,5).",
    ),
    "hidden-characters": (
        "Ô «{title}» có ký tự ẩn ({chars}) lẫn trong «{value}».",
        "Xóa nội dung ô rồi gõ lại bằng tay (không dán từ Zalo hay trang web).",
    ),
    "task-leftover": (
        "Dòng {row} còn «{value}» nhưng không có «{first}»; nó không nằm liền các dòng của phần việc nào, nên có thể là phần sót lại của một phần việc đã xóa.",
        "Phần việc đã bỏ: xóa hết chữ ở dòng này. Là mục của phần việc ở dòng {task_row}: chuyển lên liền các dòng của phần việc đó, không để dòng trống xen giữa.",
    ),
    "deleted-task-leftover": (
        "Phần việc mã «{task}» ở dòng {task_row} đã xóa «{first}» nhưng dòng {row} còn «{value}».",
        "Bỏ phần việc: xóa hết chữ ở các dòng của nó (giữ hay xóa mã đều được). Giữ phần việc: điền lại «{first}».",
    ),
    "list-gap": (
        "Cột «{title}» của phần việc ở dòng {task_row} bỏ trống ở dòng {gap} rồi lại có «{value}» ở dòng này: không rõ mục này thuộc phần việc nào.",
        "Ghi các mục của một phần việc liền nhau, từ dòng đầu của phần việc. Nếu dòng này là phần sót của phần việc đã xóa: xóa hết chữ ở dòng này.",
    ),
    "duplicate-item": (
        "«{value}» ghi hai lần trong cột «{title}» của phần việc ở dòng {task_row} (lần đầu ở dòng {first}).",
        "Xóa một lần ghi. Nếu dòng này là phần sót lại của một phần việc đã xóa: xóa hết chữ ở dòng đó.",
    ),
    "far-row": (
        "Ô này nằm cách bảng «{table}» {gap} dòng trống: không rõ có thuộc bảng không.",
        "Chuyển nội dung lên ngay dưới các dòng của bảng, hoặc xóa nếu gõ nhầm.",
    ),
    "untouched": (
        "Bảng tính chưa điền: nội dung giống hệt mẫu tải từ trang web ({what}).",
        "Điền số liệu, nội dung thật của xã vào mẫu rồi gửi lại.",
    ),
    "date-before-form": (
        "Ngày thứ Bảy {value} trước ngày thứ Bảy của mẫu ({form}); mẫu này dùng cho ngày {form} hoặc sau đó.",
        "Sửa lại ngày (có thể gõ nhầm năm). Kế hoạch cho một ngày đã qua: gửi Ban Tuyên giáo nhập riêng.",
    ),
    "date-far": (
        "Ngày thứ Bảy {value} cách ngày của mẫu ({form}) {weeks} tuần: có thể gõ nhầm năm hoặc tháng.",
        "Kiểm tra lại ngày. Mẫu kế hoạch dùng cho thứ Bảy sắp tới, xa nhất {limit} tuần sau ngày của mẫu.",
    ),
    "drafted-far": (
        "Ngày lập kế hoạch {drafted} cách ngày thứ Bảy {date} tới {days} ngày: có thể gõ nhầm năm hoặc tháng.",
        "Ngày lập là ngày xã lập kế hoạch, trong vòng {limit} ngày trước ngày thứ Bảy.",
    ),
    # --- the batch and the repository
    "batch-duplicate": (
        "Tệp này và tệp «{other}» cùng là {what} của {unit} ngày {date} nhưng nội dung khác nhau: không biết tệp nào đúng.",
        "Chỉ nhập một tệp (thường là tệp xã gửi sau cùng); bỏ tệp kia ra khỏi lần nhập.",
    ),
    "batch-plan-error": (
        "Kế hoạch của {unit} ngày {date} trong cùng lần nhập (tệp «{other}») có lỗi, nên kết quả này chưa nhập được.",
        "Sửa tệp kế hoạch trước, rồi nhập lại cả hai tệp.",
    ),
    "needs-overwrite": (
        "Đã có {what} của {unit} ngày {date} ({target}) với nội dung khác; nhập tệp này sẽ thay nội dung đó (xem các thay đổi cũ → mới kèm theo).",
        "Đúng là bản sửa xã gửi: nhập lại với tùy chọn ghi đè («--ghi-de», hoặc ô «Ghi đè» trên trang nhập). Không phải: bỏ tệp này.",
    ),
    "changed-meanwhile": (
        "Tệp {target} đã thay đổi từ lúc xem trước; chưa ghi gì.",
        "Xem trước lại rồi mới ghi.",
    ),
    "planned-cell-changed": (
        "Ô «{title}» (kế hoạch) của phần việc «{task}» đã bị sửa thành «{value}»; kế hoạch ghi «{expected}». "
        "Khối lượng đã làm chỉ được hiểu theo kế hoạch ({planned}), nên chưa nhập.",
        "Trả ô này về «{expected}» rồi ghi khối lượng đã làm theo {unit} (ví dụ 1500 m là 1,5 km). "
        "Kế hoạch đã thay đổi thì gửi bảng tính kế hoạch mới trước.",
    ),
    "too-many-files": (
        "Một lần nhập nhận tối đa {limit} tệp (đang có {count}).",
        "Chia thành nhiều lần nhập.",
    ),
}


# Each key is a rule of the registry (rules.py), with its id and title.
RULE_IDS: dict[str, tuple[str, str]] = {
    "empty-file": ("W001", "Tệp rỗng"),
    "too-big": ("W002", "Tệp quá lớn"),
    "xls": ("W003", "Dạng Excel cũ (.xls)"),
    "password": ("W004", "Tệp có mật khẩu"),
    "ods": ("W005", "Dạng LibreOffice (.ods)"),
    "not-xlsx": ("W006", "Không phải bảng tính .xlsx"),
    "broken": ("W007", "Tệp hỏng"),
    "unexpected": ("W008", "Lỗi không lường trước"),
    "unreadable": ("W009", "Không đọc được tệp"),
    "not-ours": ("W010", "Không phải mẫu của trang"),
    "old-version": ("W011", "Mẫu cũ"),
    "report": ("W012", "Bảng báo cáo, không phải mẫu nhập"),
    "unknown-unit": ("W013", "Xã không có trong danh sách"),
    "no-plan": ("W014", "Kết quả chưa có kế hoạch"),
    "another-commune": ("W015", "Mẫu của xã khác"),
    "commune-changed": ("W016", "Tên xã trong mẫu bị sửa"),
    "date-changed": ("W017", "Ngày thứ Bảy của mẫu bị sửa"),
    "sheet-missing": ("W018", "Thiếu trang tính"),
    "merged": ("W019", "Ô bị gộp"),
    "formula": ("W020", "Ô có công thức"),
    "extra-column": ("W021", "Cột thêm vào"),
    "missing-column": ("W022", "Thiếu cột"),
    "missing-table": ("W023", "Thiếu bảng"),
    "missing-row": ("W024", "Thiếu dòng thông tin"),
    "stray-cell": ("W025", "Ô ngoài mẫu"),
    "continuation-value": ("W026", "Dòng ghi tiếp có số liệu"),
    "not-a-number": ("W027", "Ô cần số"),
    "not-whole": ("W028", "Ô cần số nguyên"),
    "not-a-date": ("W029", "Ô cần ngày"),
    "not-a-time": ("W030", "Ô cần giờ"),
    "not-text": ("W031", "Ô cần chữ"),
    "not-in-list": ("W032", "Giá trị ngoài danh sách"),
    "missing": ("W033", "Ô bắt buộc để trống"),
    "missing-list": ("W034", "Bảng chưa có mục"),
    "negative": ("W035", "Số âm"),
    "not-positive": ("W036", "Phải lớn hơn 0"),
    "bad-id": ("W037", "Mã không hợp lệ"),
    "markup": ("W038", "Có mã HTML"),
    "invalid": ("W039", "Ô không hợp lệ"),
    "zip-bomb": ("W040", "Tệp bom nén"),
    "too-many-parts": ("W041", "Tệp quá nhiều thành phần"),
    "xml-dtd": ("W042", "XML có khai báo DTD"),
    "too-many-rows": ("W043", "Quá nhiều dòng"),
    "too-many-cells": ("W044", "Quá nhiều ô"),
    "big-range": ("W045", "Vùng gộp ô, liên kết quá lớn"),
    "dimension": ("W046", "Vùng dữ liệu khai báo quá lớn"),
    "extra-sheet": ("W047", "Thêm trang tính có nội dung"),
    "hidden-row": ("W048", "Dòng ẩn có nội dung"),
    "hidden-column": ("W049", "Cột ẩn có nội dung"),
    "hidden-value": ("W050", "Nội dung bị định dạng che"),
    "strikethrough": ("W051", "Chữ gạch ngang"),
    "error-cell": ("W052", "Ô báo lỗi"),
    "percent-number": ("W053", "Số định dạng phần trăm"),
    "ambiguous-number": ("W054", "Số hiểu được hai cách"),
    "hidden-characters": ("W055", "Ký tự ẩn trong số"),
    "task-leftover": ("W056", "Dòng sót không thuộc phần việc nào"),
    "deleted-task-leftover": ("W057", "Phần việc xóa dở"),
    "list-gap": ("W058", "Mục ghi cách quãng"),
    "duplicate-item": ("W059", "Mục ghi hai lần"),
    "far-row": ("W060", "Ô nằm xa bảng"),
    "untouched": ("W061", "Bảng tính chưa điền"),
    "date-before-form": ("W062", "Ngày trước ngày của mẫu"),
    "date-far": ("W063", "Ngày xa ngày của mẫu"),
    "drafted-far": ("W064", "Ngày lập xa ngày thứ Bảy"),
    "batch-duplicate": ("W065", "Hai tệp cùng xã, cùng ngày"),
    "batch-plan-error": ("W066", "Kế hoạch cùng lần nhập có lỗi"),
    "needs-overwrite": ("W067", "Sẽ ghi đè nội dung đã có"),
    "changed-meanwhile": ("W068", "Tệp đã đổi sau khi xem trước"),
    "too-many-files": ("W069", "Quá nhiều tệp một lần"),
    "planned-cell-changed": ("W070", "Ô kế hoạch trong mẫu kết quả bị sửa"),
    "number-out-of-range": ("W071", "Số lớn quá mức"),
    "control-character": ("W072", "Ký tự điều khiển trong ô"),
    "result-before-its-day": ("W073", "Kết quả cho ngày chưa tới"),
    "csv": ("W074", "Tệp CSV, không phải .xlsx"),
}


# Why a rule exists, for «ntm check --giai-thich» and the guide's list of rules
# (the others share rules.py's general explanation of workbook rules).
_LIMIT = ("Bảng tính nhận qua Zalo, thư điện tử có thể đến từ bất kỳ ai. Tệp được kiểm tra trước khi mở: một tệp nhỏ "
          "cố ý làm hỏng có thể bắt máy tạo hàng tỉ ô hoặc giải nén ra hàng GB, làm treo máy của Ban. ")
_GUESS = ("Số liệu của xã phải được nhập đúng như xã muốn, hoặc bị trả lại kèm ô cần sửa; trang không bao giờ tự đoán. ")
EXPLANATIONS: dict[str, str] = {
    "zip-bomb": _LIMIT + "Phần nào giải nén ra hơn 1 MB mà gấp hơn 100 lần cỡ nén là dấu hiệu «bom nén».",
    "too-many-parts": _LIMIT + "Mẫu của trang có khoảng mười thành phần; giới hạn 300 thành phần, 400.000 phần tử XML.",
    "xml-dtd": _LIMIT + "Khai báo DTD, thực thể XML là cách dựng «bom XML» hoặc đọc tệp trên máy; tệp Excel thật không có.",
    "too-many-rows": _LIMIT + "Một kế hoạch tối đa 30 phần việc, mỗi danh sách tối đa 100 mục: không quá 5.000 dòng.",
    "too-many-cells": _LIMIT + "Mỗi trang tính tối đa 60.000 ô có dữ liệu hoặc định dạng.",
    "big-range": _LIMIT + "Mỗi ô trong vùng gộp hoặc vùng liên kết được tạo ra khi mở tệp; tối đa 10.000 ô.",
    "dimension": _LIMIT + "Trang tính ghi sẵn vùng dữ liệu của nó; vùng quá 5.000 dòng bị từ chối.",
    "extra-sheet": _GUESS + "Xã hay chép trang «Kế hoạch» ra trang mới rồi điền vào bản chép: chỉ trang của mẫu được nhập, "
                   "nên số liệu ở trang kia sẽ mất nếu không báo.",
    "hidden-row": _GUESS + "Xã hay ẩn dòng để «bỏ» một phần việc, hoặc quên tắt bộ lọc: dòng ẩn vẫn có số liệu, không rõ giữ hay bỏ.",
    "hidden-column": _GUESS + "Cột ẩn vẫn có số liệu: không rõ xã muốn giữ hay bỏ.",
    "hidden-value": _GUESS + "Định dạng «;;;» làm ô trông như trống mà vẫn có nội dung.",
    "strikethrough": _GUESS + "Gạch ngang thường có nghĩa là «bỏ», nhưng nội dung vẫn còn trong ô.",
    "error-cell": _GUESS + "Ô báo lỗi (#N/A, #DIV/0!, #REF!) là kết quả của một công thức đã dán, không phải số liệu.",
    "percent-number": _GUESS + "Gõ «60%» vào ô số hộ thì Excel lưu 0,6: không rõ xã muốn 60 hay 0,6.",
    "ambiguous-number": _GUESS + "«1.500» là một nghìn năm trăm theo cách viết Việt Nam nhưng là một phẩy năm theo máy cài tiếng Anh; "
                        "«1,5» và «1.5» chỉ có một nghĩa nên được nhận.",
    "hidden-characters": _GUESS + "Ký tự ẩn (dán từ Zalo, trang web) làm một con số không còn là số mà nhìn không thấy.",
    "task-leftover": _GUESS + "Các dòng ghi tiếp (thôn, công cụ...) phải nằm liền dưới phần việc của chúng; dòng cách quãng "
                     "thường là phần sót của một phần việc đã xóa dở.",
    "deleted-task-leftover": _GUESS + "Mã phần việc đã khóa: xóa hết chữ ở các dòng của phần việc là bỏ phần việc. Còn sót thôn, "
                             "công cụ... thì không rõ là bỏ hay giữ.",
    "list-gap": _GUESS + "Thôn, công cụ... của một phần việc ghi liền nhau từ dòng đầu; một ô trống xen giữa thường do xóa dở "
                "phần việc bên dưới.",
    "duplicate-item": _GUESS + "Một thôn ghi hai lần trong một phần việc thường là phần sót của phần việc đã xóa dở.",
    "far-row": _GUESS + "Ô gõ xa bên dưới bảng (sau hơn 20 dòng trống) thường là gõ nhầm.",
    "untouched": _GUESS + "Mẫu kế hoạch chép sẵn kế hoạch tuần trước; gửi lại nguyên như vậy tức là xã chưa điền.",
    "result-before-its-day": "Trang web đăng tỷ lệ hộ tham gia ngay khi có kết quả: kết quả của một ngày chưa tới là số "
                             "liệu chưa có thật (như trang quản trị, quy tắc E009).",
    "date-before-form": _GUESS + "Mẫu kế hoạch làm cho một ngày thứ Bảy; ngày sớm hơn thường là gõ nhầm năm.",
    "date-far": _GUESS + "Kế hoạch cách ngày của mẫu hơn 8 tuần thường là gõ nhầm năm hoặc tháng.",
    "drafted-far": _GUESS + "Ngày lập cách ngày thứ Bảy hơn 56 ngày thường là gõ nhầm năm.",
    "batch-duplicate": _GUESS + "Hai tệp của cùng một xã, cùng một ngày, khác nội dung: không biết tệp nào là bản xã muốn gửi.",
    "batch-plan-error": _GUESS + "Kết quả được kiểm tra theo kế hoạch cùng lần nhập; kế hoạch đó chưa ghi được thì kết quả cũng chưa.",
    "needs-overwrite": "Nhập đè lên kế hoạch, kết quả đã có phải là việc cố ý: lệnh in các thay đổi cũ → mới và chỉ ghi khi "
                       "có tùy chọn ghi đè. Trên bản nháp (CI), người duyệt xem các thay đổi trước khi lãnh đạo đăng.",
    "changed-meanwhile": "Chỉ ghi đúng những gì đã xem trước: tệp trong materials/ thay đổi sau lúc xem trước thì phải xem lại.",
    "planned-cell-changed": _GUESS + "Mẫu kết quả ghi số lượng và đơn vị của kế hoạch bên cạnh ô khối lượng đã làm. Ô đó bị sửa "
                            "(ví dụ đổi km thành m để ghi 1500) thì con số đã làm theo một đơn vị khác kế hoạch: nhập vào sẽ "
                            "thành 1500 km.",
    "unreadable": "Chỉ tệp thật được đọc, và không quá giới hạn cỡ tệp: một liên kết tượng trưng có thể trỏ tới tệp mật "
                  "hay thiết bị của máy (/dev/zero không bao giờ hết), một đường ống (FIFO) làm lệnh chờ mãi.",
    "control-character": "Ký tự điều khiển (ngắt trang, ký tự rỗng...) theo vào khi dán từ phần mềm khác; chúng không hiện ra "
                         "nhưng làm hỏng lịch (.ics), tìm kiếm và bản in, nên bị trả lại kèm ô. Xuống dòng được giữ.",
    "number-out-of-range": _GUESS + "Số lượng, số hộ, số người của một xã không bao giờ tới một tỉ; một số như vậy (hay một số "
                           "hàng nghìn chữ số) là gõ nhầm hoặc tệp cố ý làm hỏng, và làm vỡ trang web, bản in.",
    "too-many-files": "Giới hạn số tệp một lần nhập để việc nhập luôn nhanh và có hạn.",
}


def text(key: str, **fill) -> tuple[str, str]:
    """(message, fix) of a rule, filled in."""
    message, hint = MESSAGES[key]
    return message.format(**fill), hint.format(**fill)


def error(key: str, display: str, row: int = 0, cell: str = "", /, **fill):
    """A content error for a workbook: its rule id, message and fix."""
    from ..errors import ContentError

    message, hint = text(key, **fill)
    return ContentError(display, row, message, hint, cell=str(cell), rule=RULE_IDS[key][0])
