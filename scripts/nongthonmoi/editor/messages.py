"""What the web editor says, in the words of its form.

The rules are those of ``ntm check`` (rules.py), with the same ids; only the
way to fix them is said differently in a form: "chọn", "điền ô «…»", never
a YAML key, a file name or a command. ``FORM_FIXES`` gives that text per
rule; the messages themselves are the registry's, with each field's key
replaced by its label (check.py in Python, ntm-quy-tac.js in the browser,
both from this one table, which the build writes into the editor's rules
file).

The editor's own rules (E001-E010) are about saving through the editor
(a second plan for the same Saturday, a date that cannot change on the
published site, what the local backend refuses); they are listed with every
other rule on the guide's page «Các quy tắc kiểm tra».
"""

from __future__ import annotations

FORM_FIXES: dict[str, str] = {
    "M001": "Điền ô này.",
    "M003": "Gõ lại nội dung ô này bằng chữ.",
    "M004": "Điền nội dung cho ô này, hoặc để trống hẳn nếu ô không bắt buộc.",
    "M005": "Viết ngắn lại; chi tiết dài đưa vào một trang hướng dẫn.",
    "M006": "Chỉ dùng chữ thường không dấu, chữ số và dấu gạch ngang, ví dụ «don-duong».",
    "M007": "Gõ một số nguyên, không kèm chữ, ví dụ 120.",
    "M008": "Gõ một số, ví dụ 2 hoặc 1,5 (một nghìn năm trăm: gõ 1500, không có dấu chấm); đơn vị tính ghi ở ô riêng.",
    # M009: the registry's own fix, «Sửa thành số {allowed}.» (lớn hơn 0 / từ 0 trở lên), fits a form.
    "M010": "Sửa thành số lớn hơn 0.",
    "M012": "Gõ ngày dạng ngày/tháng/năm, ví dụ 04/03/2023.",
    "M015": "Chọn một giá trị trong danh sách.",
    "M016": "Thêm ít nhất một mục.",
    "M017": "Bớt mục, hoặc tách ra nhiều kế hoạch.",
    "M018": "Viết giờ dạng 7h00 hoặc 13h30.",
    "M019": "Sửa lại giờ bắt đầu hoặc giờ kết thúc.",
    "M020": "Xóa các thẻ «<...>», chỉ viết chữ thường.",
    "M021": "Xem lại nội dung ô này.",
    "M022": "Gõ một số, ví dụ 2 hoặc 1,5.",
    "S001": "Chọn một ngày thứ Bảy.",
    "S005": "Chọn xã, thị trấn trong danh sách.",
    "S006": "Bỏ chọn thôn đó; chỉ đánh dấu các thôn của xã đã chọn.",
    "S007": "Chọn cơ quan trong danh sách.",
    "S016": "Chưa có danh sách thôn thật của xã: đánh dấu «Dữ liệu ví dụ», hoặc nhờ người quản trị thêm các thôn thật của xã.",
    "S008": "Xóa mục trùng, hoặc sửa lại cho khác.",
    "S009": "Sửa ngày lập kế hoạch: không sau ngày thứ Bảy thực hiện.",
    "S010": "Kiểm tra lại số hộ tham gia và tổng số hộ.",
    "S011": "Nhập kế hoạch của xã cho ngày này trước, rồi nhập kết quả.",
    "S012": "Chọn lại phần việc trong danh sách.",
    "S013": "Chọn xã mà cơ quan được phân công hỗ trợ.",
    "S014": "Sửa ngày gửi: không sau ngày thứ Bảy.",
    "T002": "Đối chiếu với văn bản gốc và gõ lại chữ này với đủ dấu.",
    "T003": "Đối chiếu với văn bản gốc và gõ lại chữ này.",
    "T004": "Viết mô tả ngắn trong ngoặc vuông: ![Mô tả hình](duong-dan.png).",
    # Photos: picked with «Chọn ảnh», which turns, shrinks and cleans them.
    "A001": "Điền ô «Mô tả ảnh»: một câu nói ảnh có gì.",
    "A002": "Viết một câu (ít nhất 10 chữ cái) tả người, việc, nơi trong ảnh, ví dụ «Mặt đường thôn 3 sau khi dọn cỏ»; "
    "không viết tên tệp hay chữ «ảnh».",
    "A003": "Bấm «Chọn ảnh khác» và chọn lại ảnh này, hoặc xóa mục ảnh này.",
    "A004": "Mở kết quả (kế hoạch) của ngày đó: thêm ảnh vào mục «Ảnh» kèm lời mô tả, hoặc báo người quản trị kỹ thuật xóa tệp.",
    "A005": "Chọn ảnh JPEG, PNG hoặc WebP. Ảnh HEIC của iPhone: gửi qua Zalo rồi lưu lại, hoặc đặt Cài đặt › Camera › "
    "Định dạng › Tương thích nhất.",
    "A006": "Chọn ảnh nhỏ hơn; ảnh gốc quá lớn thì gửi qua Zalo trước để Zalo thu nhỏ, rồi chọn ảnh đó.",
    "A007": "Chọn ảnh chụp bình thường từ điện thoại (12 đến 50 triệu điểm ảnh), hoặc gửi qua Zalo để Zalo thu nhỏ, rồi chọn lại.",
    "A008": "Bấm «Chọn ảnh khác» và chọn lại ảnh: trang quản trị tự xóa vị trí GPS.",
    "A009": "Bấm «Chọn ảnh khác» và chọn lại ảnh: trang quản trị tự xóa mọi thông tin ẩn.",
    "A010": "Bấm «Chọn ảnh khác» và chọn lại ảnh: trang quản trị tự xoay đúng chiều và thu nhỏ ảnh.",
    "A011": "Lấy lại ảnh từ điện thoại hoặc Zalo rồi chọn lại.",
    "A012": "Bấm «Chọn ảnh» để trang quản trị tự đặt tên và chỗ cho ảnh.",
    "A013": "Xóa mục ảnh trùng; mỗi ảnh chỉ ghi một lần.",
    "A015": "Chọn ảnh gốc từ điện thoại (không dùng ảnh xem trước của Zalo hay ảnh chụp màn hình).",
}

# The editor's own rules: (id, title, message, fix, explanation).
EDITOR_RULES: list[tuple[str, str, str, str, str]] = [
    (
        "E001",
        "Đã có mục cho xã và ngày này",
        "Đã có {kind} của {unit} cho thứ Bảy {date}.",
        "Chọn một ngày thứ Bảy khác; hoặc đóng biểu mẫu này và mở {kind} đã có để sửa.",
        "Mỗi xã có một kế hoạch (một kết quả) cho mỗi ngày thứ Bảy, lưu trong một tệp đặt tên theo xã và ngày. "
        "Bản sao của kế hoạch tuần trước phải được chọn ngày mới trước khi lưu; trang quản trị không bao giờ lưu "
        "thành tệp thứ hai kiểu «2023-03-18-1».",
    ),
    (
        "E002",
        "Không đổi ngày, xã của mục đã đăng",
        "{kind} này đã lưu cho {unit}, thứ Bảy {date}; trên trang web đã đăng không đổi được «{label}» của mục đã lưu.",
        "Bấm «Sao chép» để làm bản mới, chọn «{label}» mới rồi lưu; sau đó mở bản cũ và bấm «Xóa».",
        "Tên tệp theo xã và ngày. Trên máy biên tập, đổi ngày thì tệp được chuyển theo; kho git trên mạng không cho "
        "trang quản trị chuyển tệp, nên làm bản mới rồi xóa bản cũ.",
    ),
    (
        "E003",
        "Xóa làm hỏng dữ liệu khác",
        "Không xóa được: {reason}",
        "Xóa (hoặc sửa) mục dựa vào nó trước, rồi mới xóa mục này.",
        "Kết quả một ngày thứ Bảy dựa vào kế hoạch cùng ngày; xóa kế hoạch khi còn kết quả thì trang web không dựng được.",
    ),
    (
        "E004",
        "Tệp ngoài phần được sửa",
        "{reason}",
        "Chỉ sửa nội dung bằng các biểu mẫu của trang quản trị.",
        "Trang quản trị trên máy biên tập chỉ đọc, ghi các trang trong docs/ và dữ liệu trong materials/; không bao giờ "
        "chạm vào mkdocs.yml, .git, chương trình hay tệp ngoài kho, kể cả qua liên kết (symlink).",
    ),
    (
        "E005",
        "Yêu cầu không từ trang quản trị",
        "Yêu cầu này không đến từ trang quản trị đang mở trên máy này ({reason}).",
        "Mở lại trang quản trị bằng biểu tượng «Sửa nội dung» rồi tải lại trang.",
        "Chỉ trang quản trị do chính máy biên tập mở (cùng địa chỉ, cùng mã bí mật của lần mở này) được ghi tệp. Trang "
        "web khác, kể cả trang trên cùng máy, hay địa chỉ giả mạo (DNS rebinding) đều bị từ chối.",
    ),
    (
        "E006",
        "Dữ liệu gửi lên quá lớn",
        "Dữ liệu gửi lên lớn {size} kB, quá giới hạn {limit} kB.",
        "Kiểm tra lại nội dung: có thể đã dán nhầm một nội dung rất dài, hoặc hình quá lớn.",
        "Giới hạn đủ rộng cho mọi nội dung thật; một yêu cầu quá lớn bị từ chối trước khi đọc.",
    ),
    (
        "E007",
        "Ảnh gửi lên không phải ảnh đã chọn",
        "Ảnh «{file}» gửi kèm lần lưu này không khớp với ảnh trang quản trị đã chuẩn hóa.",
        "Bấm «Chọn ảnh khác» và chọn lại ảnh, rồi lưu.",
        "Trang quản trị đặt tên mỗi ảnh theo chính nội dung ảnh đã chuẩn hóa (xoay đúng chiều, thu nhỏ, xóa vị trí GPS). "
        "Ảnh gửi kèm lần lưu phải đúng là ảnh đó: không bao giờ lưu ảnh gốc hay một tên đặt từ bên ngoài.",
    ),
    (
        "E008",
        "Mục đã được lưu ở nơi khác",
        "Chưa lưu: «{file}» vừa được lưu ở nơi khác (một thẻ khác của trình duyệt, hay một người khác) sau khi bạn mở "
        "nó; lưu bây giờ sẽ xóa mất thay đổi đó.",
        "Chép phần bạn vừa sửa ra Notepad hay giấy, bấm F5 để tải lại trang, mở lại mục này (đã có thay đổi kia) rồi "
        "sửa lại và lưu.",
        "Mỗi lần lưu ghi cả tệp. Trang quản trị nhớ bản tệp lúc bạn mở; nếu tệp đã đổi từ đó, lần lưu này bị từ chối "
        "thay vì lặng lẽ xóa thay đổi của người (hay thẻ) lưu trước.",
    ),
    (
        "E009",
        "Kết quả cho ngày chưa tới",
        "Chưa đến thứ Bảy {date}: kết quả của ngày này chỉ nhập được từ ngày đó trở đi.",
        "Chọn đúng ngày thứ Bảy đã làm (gần nhất là {last}); kết quả của thứ Bảy {date} nhập sau khi làm xong.",
        "Trang web đăng tỷ lệ hộ tham gia ngay khi có kết quả: kết quả của một ngày chưa tới là số liệu chưa có thật.",
    ),
    (
        "E010",
        "Kế hoạch đã có kết quả",
        "Kế hoạch này đã có kết quả của {unit} cho thứ Bảy {date}: không đổi được «{label}» của nó.",
        "Để lại «{label}» như cũ. Nếu kế hoạch nhập nhầm ngày hay nhầm xã: mở kết quả thứ Bảy {date} của {unit}, bấm "
        "«Xóa», rồi đổi kế hoạch và nhập lại kết quả cho đúng.",
        "Kết quả một ngày thứ Bảy đối chiếu với kế hoạch cùng xã, cùng ngày; chuyển kế hoạch đi thì kết quả không còn "
        "kế hoạch để đối chiếu.",
    ),
]
