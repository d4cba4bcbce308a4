"""Every rule the content check applies, with an id, a message, a fix and an
explanation, in one registry (the way linters such as ruff or yamllint name
their rules).

Every problem reported to an editor comes from a rule here: ``ntm check``
prints the id with each error, ``ntm check --giai-thich S010`` explains one,
and the page "Các quy tắc kiểm tra" of the editing guide lists them all
(generated from this registry). A test fails for any rule without a test case.

Ids: ``Y`` a YAML file, ``M`` a field's value, ``S`` the Saturday data taken
together, ``V`` the document registry, ``T`` text anywhere, ``P`` pages and
the menu, ``A`` photos (ảnh), ``B`` the build itself, ``W`` a workbook filled
by a commune, ``E`` saving through the web editor.
"""

from __future__ import annotations

import functools

from dataclasses import dataclass

from .errors import ContentError


@dataclass(frozen=True)
class Rule:
    id: str
    title: str  # a few words, for lists
    message: str  # str.format template
    fix: str  # str.format template
    explanation: str  # why the rule exists, for --giai-thich and the guide

    def error(self, path: str, line: int, cell: str = "", **params) -> ContentError:
        return ContentError(
            path, line, self.message.format(**params), self.fix.format(**params), cell=cell, rule=self.id
        )


_DATE_FIX = "Viết ngày dạng năm-tháng-ngày (2023-03-04) hoặc ngày/tháng/năm (04/03/2023)."

RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in [
        # --- YAML files ----------------------------------------------------
        Rule("Y001", "Lỗi cú pháp YAML", "Lỗi cú pháp YAML ({problem}).",
             "Kiểm tra thụt lề (dùng dấu cách, không dùng Tab), dấu hai chấm sau tên trường và dấu ngoặc kép đóng mở đủ cặp.",
             "Tệp dữ liệu phải đúng cú pháp YAML thì mới đọc được. Lỗi hay gặp: thụt lề bằng phím Tab, thiếu dấu hai chấm, "
             "mở ngoặc kép mà không đóng. Dòng được báo là nơi trình đọc phát hiện lỗi; lỗi thật có khi ở dòng ngay trên."),
        Rule("Y002", "Tệp không phải UTF-8", "Tệp không phải UTF-8.", "Lưu lại tệp với bảng mã UTF-8.",
             "Chữ tiếng Việt phải lưu theo bảng mã UTF-8. Tệp lưu bằng bảng mã cũ (TCVN3, VNI, Windows-1258) sẽ bị lỗi font trên trang web."),
        Rule("Y003", "Trường bị lặp", "Trường «{key}» bị lặp lại (đã có ở dòng {first}).",
             "Xóa một trong hai dòng, hoặc đổi tên trường cho đúng.",
             "Một mục không được có hai trường cùng tên: khi đó không biết giá trị nào đúng."),
        Rule("Y004", "Không dùng tham chiếu YAML", "Tệp dùng tham chiếu YAML («&» hoặc «*»), trang này không nhận.",
             "Viết đầy đủ giá trị ở từng chỗ, bỏ các dấu «&tên» và «*tên».",
             "Tham chiếu YAML (anchor, alias) làm tệp khó đọc với người biên tập và có thể làm một tệp nhỏ nở ra rất lớn "
             "khi đọc. Dữ liệu của trang không cần đến, nên bị từ chối."),
        Rule("Y005", "Không dùng «<<:»", "Tệp dùng khóa gộp «<<:» của YAML, trang này không nhận.",
             "Viết đầy đủ các trường vào mục, bỏ dòng «<<:».", "Khóa gộp «<<:» là một dạng tham chiếu YAML (xem Y004)."),
        Rule("Y006", "Tên trường không phải chữ", "Tên trường phải là chữ (đang là {kind}).",
             "Viết tên trường dạng «ten_truong: giá trị»; tên trường không mở ngoặc vuông, ngoặc nhọn.",
             "Tên trường (phần trước dấu hai chấm) phải là chữ; một danh sách hay một mục không làm tên trường được."),
        Rule("Y007", "Kiểu dữ liệu lạ", "Giá trị dùng kiểu dữ liệu «{tag}» mà trang này không đọc được.",
             "Bỏ phần «{tag}» trước giá trị.", "Dữ liệu chỉ gồm chữ, số, ngày, đúng/sai, danh sách và mục; các kiểu đặc biệt của YAML bị từ chối."),
        Rule("Y008", "Tệp quá lớn", "Tệp lớn {size} kB, quá giới hạn {limit} kB của loại tệp này.",
             "Kiểm tra lại tệp: có thể đã dán nhầm một nội dung rất dài. Tách nội dung ra nhiều tệp nếu cần.",
             "Không tệp dữ liệu thật nào lớn đến vậy; giới hạn giúp một tệp dán nhầm không làm treo việc dựng trang."),
        Rule("Y009", "Thiếu tệp dữ liệu", "Thiếu tệp dữ liệu này.", "Khôi phục tệp từ lịch sử git.",
             "Các tệp danh mục (don-vi.yml, co-quan.yml, van-ban.yml) bắt buộc phải có."),
        Rule("Y010", "Tệp trống hoặc không phải một mục", "Tệp không có dữ liệu dạng «tên_trường: giá trị».",
             "Viết dữ liệu theo mẫu của loại tệp này (xem một tệp cùng loại).",
             "Mỗi tệp dữ liệu là một mục gồm các trường; tệp trống hoặc chỉ có một danh sách thì không đọc được."),
        Rule("Y011", "Ký tự điều khiển lạ", "Có ký tự điều khiển vô hình ({char}) ở dòng này.",
             "Xóa ký tự đó: gõ lại đoạn chữ quanh vị trí này, hoặc dán lại dưới dạng chữ thường (Ctrl+Shift+V).",
             "Ký tự điều khiển (ví dụ ký tự ngắt trang, ký tự rỗng) thường theo vào khi dán từ phần mềm khác; chúng không "
             "hiện ra nhưng làm hỏng việc đọc tệp, tìm kiếm và bản in. Chỉ Tab ở chữ và xuống dòng là được dùng."),
        Rule("Y012", "Dữ liệu lồng quá sâu", "Dữ liệu lồng nhau quá {limit} tầng.",
             "Xem lại thụt lề và các dấu «[», «{{» ở dòng này; dữ liệu thật chỉ lồng vài tầng.",
             "Không loại dữ liệu nào cần lồng sâu; một tệp lồng hàng nghìn tầng (thường do dán nhầm) sẽ làm treo việc đọc tệp."),
        # --- field values ----------------------------------------------------
        Rule("M001", "Thiếu trường bắt buộc", "Thiếu trường bắt buộc «{field}».", "Thêm dòng «{field}: ...» vào mục này.",
             "Mỗi loại dữ liệu có những trường bắt buộc, ví dụ kế hoạch phải có nội dung, thời gian, phần việc, thu gom rác "
             "(Thông báo 422-TB/HU, mục II.3.1)."),
        Rule("M002", "Trường lạ", "Trường «{field}» không có trong mẫu dữ liệu.",
             "Kiểm tra chính tả tên trường (gợi ý tự động trong trình soạn thảo liệt kê các tên đúng), hoặc xóa dòng này.",
             "Tên trường viết sai sẽ bị bỏ qua lặng lẽ nếu không báo; vì vậy mọi tên lạ đều bị báo."),
        Rule("M003", "Phải là chữ", "Trường «{field}» phải là chữ.", "Viết nội dung trong dấu ngoặc kép, ví dụ «{field}: \"...\"».",
             "Trường này chứa chữ. Giá trị như yes, no, on, off, hay một con số trần sẽ bị YAML hiểu là kiểu khác: đặt trong ngoặc kép."),
        Rule("M004", "Trường để trống", "Trường «{field}» đang để trống.", "Điền nội dung cho trường này, hoặc xóa cả dòng nếu không bắt buộc.",
             "Trường bắt buộc phải có nội dung; dòng chỉ có tên trường là chưa điền."),
        Rule("M005", "Chữ quá dài", "Trường «{field}» dài {length} ký tự, quá giới hạn {limit} ký tự.",
             "Viết ngắn lại; chi tiết dài đưa vào một trang hướng dẫn.",
             "Giới hạn đủ rộng cho mọi nội dung thật; một đoạn rất dài thường là dán nhầm, và sẽ làm vỡ trang và bản in."),
        Rule("M006", "Mã không hợp lệ", "Mã «{value}» ở trường «{field}» không hợp lệ.",
             "Mã chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang, ví dụ «gung-re».",
             "Mã dùng làm địa chỉ trang và tên tệp, nên chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang."),
        Rule("M007", "Phải là số nguyên", "Trường «{field}» phải là số nguyên (đang là «{value}»).",
             "Viết một số, không kèm chữ, không có phần thập phân, ví dụ «{field}: 120».",
             "Số hộ, số người là số nguyên."),
        Rule("M008", "Phải là số", "Trường «{field}» phải là số (đang là «{value}»).",
             "Viết một số, ví dụ 2 hoặc 1,5 (không kèm đơn vị; đơn vị ghi ở trường «don_vi_tinh»).",
             "Khối lượng là số; đơn vị tính ghi riêng để cộng, so sánh được."),
        Rule("M009", "Số âm", "Trường «{field}» không được âm (đang là {value}).", "Sửa thành số {allowed}.",
             "Khối lượng, số hộ, số người không thể âm."),
        Rule("M010", "Phải lớn hơn 0", "Trường «{field}» phải lớn hơn 0 (đang là {value}).", "Sửa thành số lớn hơn 0.",
             "Tổng số hộ dùng để tính tỷ lệ tham gia; số lượng một phần việc là mục tiêu để so với phần đã làm; số người ghi cho "
             "cơ quan đã cử người. Số 0 ở các ô này thường là ô xóa nhầm: phần việc không có thì bỏ, cơ quan không cử người thì "
             "không ghi cơ quan đó."),
        Rule("M011", "Phải là đúng/sai", "Trường «{field}» chỉ nhận «true» (có) hoặc «false» (không).", "Viết true hoặc false.",
             "Trường đánh dấu chỉ có hai giá trị."),
        Rule("M012", "Phải là ngày", "Trường «{field}» phải là ngày có thật (đang là «{value}»).", _DATE_FIX,
             "Ngày viết theo kiểu Việt Nam (ngày trước, tháng sau) hoặc năm-tháng-ngày. Ngày không có thật (30/02) hoặc viết kiểu "
             "tháng trước ngày sau (03/25/2023) đều bị báo."),
        Rule("M013", "Phải là danh sách", "Trường «{field}» phải là một danh sách.", "Viết mỗi mục trên một dòng, bắt đầu bằng «- ».",
             "Trường này có thể có nhiều mục, nên viết dạng danh sách, kể cả khi chỉ có một mục."),
        Rule("M014", "Phải là một mục", "Mục «{field}» phải gồm các trường «tên: giá trị».", "Xem lại thụt lề của mục này so với mẫu.",
             "Trường này gồm nhiều trường con, thụt vào dưới nó."),
        Rule("M015", "Giá trị ngoài danh sách", "Giá trị «{value}» ở trường «{field}» không hợp lệ.", "Chọn một trong các giá trị: {expected}.",
             "Trường này chỉ nhận một số giá trị định sẵn."),
        Rule("M016", "Danh sách còn trống", "Trường «{field}» cần ít nhất {limit} mục.", "Thêm mục vào danh sách, mỗi mục một dòng bắt đầu bằng «- ».",
             "Ví dụ mỗi phần việc phải ghi ít nhất một thôn thực hiện, một công cụ và một thành phần tham gia."),
        Rule("M017", "Danh sách quá dài", "Trường «{field}» có {length} mục, quá giới hạn {limit} mục.",
             "Bớt mục, hoặc tách ra nhiều kế hoạch, nhiều tệp.",
             "Giới hạn đủ rộng cho mọi kế hoạch thật (một ngày thứ Bảy không có hàng trăm phần việc) và giữ bản in gọn."),
        Rule("M018", "Giờ không đọc được", "Giờ «{value}» ở trường «{field}» không đọc được.", "Viết giờ dạng «7h00» hoặc «13h30».",
             "Giờ viết kiểu Việt Nam: 7h00, 13h30 (7:30 cũng được)."),
        Rule("M019", "Giờ kết thúc trước giờ bắt đầu", "Giờ kết thúc ({end}) phải sau giờ bắt đầu ({start}).",
             "Sửa lại giờ bắt đầu hoặc giờ kết thúc.", "Một buổi làm phải kết thúc sau khi bắt đầu."),
        Rule("M020", "Có mã HTML", "Trường «{field}» có mã HTML («<...>»); trang web sẽ hiện nguyên văn, không chạy mã này.",
             "Xóa các thẻ «<...>» và chỉ viết chữ thường.", "Dữ liệu chỉ là chữ. Trang web không bao giờ chạy mã viết trong dữ liệu."),
        Rule("M021", "Giá trị không hợp lệ", "Trường «{field}» không hợp lệ.", "Xem lại giá trị của trường này theo mẫu.",
             "Giá trị không khớp mẫu của trường (trường hợp hiếm, không thuộc các quy tắc M khác)."),
        Rule("M022", "Số không hữu hạn", "Trường «{field}» phải là một số bình thường (đang là «{value}»).",
             "Viết một số, ví dụ 2 hoặc 1,5.", "Các giá trị đặc biệt như .nan, .inf của YAML không phải khối lượng."),
        Rule("M023", "Số lớn quá mức", "Trường «{field}» có số {value}, lớn quá mức cho phép (lớn nhất là {largest}).",
             "Gõ lại con số cho đúng: có thể thừa chữ số, dán nhầm, hoặc ghi nhầm đơn vị (m thay cho km).",
             "Số lượng, số hộ, số người của một xã không bao giờ tới một tỉ; một số như vậy là gõ nhầm, và làm vỡ trang "
             "web, bản in. Trang quản trị, lệnh kiểm tra và việc nhập bảng tính dùng cùng giới hạn."),
        # --- Saturday data ---------------------------------------------------
        Rule("S001", "Không phải thứ Bảy", "Ngày {date} ở trường «{field}» là {weekday}, không phải thứ Bảy.",
             "Chương trình làm vào ngày thứ Bảy: sửa lại ngày (và tên tệp) cho đúng ngày thứ Bảy.",
             "Kế hoạch, kết quả, danh sách cán bộ đều gắn với một ngày thứ Bảy (Chương trình «Ngày thứ Bảy vì nông thôn mới, đô thị văn minh»)."),
        Rule("S002", "Ngày khác tên tệp", "Ngày {date} ở trường «{field}» không khớp với tên tệp ({file_date}).",
             "Sửa «{field}: {file_iso}», hoặc đổi tên tệp thành {iso}.yml.",
             "Tên tệp là ngày thứ Bảy (ví dụ 2023-03-04.yml); ngày trong tệp phải trùng, để mỗi ngày chỉ có một tệp."),
        Rule("S003", "Mã khác thư mục", "Mã {what} «{value}» không khớp với thư mục «{folder}» của tệp.",
             "Sửa «{field}: {folder}», hoặc chuyển tệp vào thư mục «{value}».",
             "Thư mục chứa tệp là mã xã (kế hoạch, kết quả) hoặc mã cơ quan (danh sách cán bộ); mã trong tệp phải trùng."),
        Rule("S004", "Tên tệp sai quy ước", "Tên hoặc vị trí tệp không đúng quy ước.",
             "Đặt tệp ở materials/{kind}/<mã>/<năm-tháng-ngày>.yml, ví dụ materials/{kind}/gung-re/2023-03-04.yml.",
             "Trang web tìm dữ liệu theo đường dẫn: thư mục là mã xã hoặc cơ quan, tên tệp là ngày thứ Bảy."),
        Rule("S005", "Không có xã, thị trấn", "Không có xã, thị trấn mã «{value}».", "Dùng một mã trong materials/don-vi.yml, ví dụ: {known}.",
             "Mã xã phải có trong danh sách xã, thị trấn."),
        Rule("S006", "Thôn không thuộc xã", "{unit} không có thôn, tổ dân phố mã «{value}».",
             "Dùng một mã thôn của {unit} trong materials/don-vi.yml: {known}.", "Mỗi phần việc làm ở các thôn của chính xã lập kế hoạch."),
        Rule("S007", "Không có cơ quan", "Không có cơ quan, đơn vị mã «{value}».", "Dùng một mã trong materials/co-quan.yml: {known}.",
             "Mã cơ quan phải có trong danh sách cơ quan, đơn vị của huyện."),
        Rule("S008", "Bị trùng", "{what} «{value}» bị trùng (đã có ở mục thứ {first_index}, dòng {first_line}).",
             "Xóa mục trùng, hoặc sửa lại cho đúng.", "Mã xã, mã thôn, mã phần việc, mã cơ quan... không được trùng trong cùng danh sách."),
        Rule("S009", "Lập kế hoạch sau ngày làm", "Ngày lập kế hoạch ({drafted}) sau ngày thực hiện ({date}).", "Sửa ngày lập kế hoạch.",
             "Kế hoạch phải lập trước ngày thứ Bảy thực hiện."),
        Rule("S010", "Số hộ tham gia quá tổng số hộ", "Số hộ tham gia ({joined}) lớn hơn tổng số hộ ({total}).",
             "Kiểm tra lại hai số «so_ho_tham_gia» và «tong_so_ho».", "Tỷ lệ hộ tham gia không thể quá 100%."),
        Rule("S011", "Kết quả chưa có kế hoạch", "Chưa có kế hoạch của xã «{unit}» cho ngày {date}, nên không đối chiếu được kết quả.",
             "Thêm tệp materials/ke-hoach/{unit}/{iso}.yml (lệnh «ntm new-plan»).",
             "Kết quả được đối chiếu với kế hoạch cùng ngày: khối lượng đã làm so với khối lượng kế hoạch."),
        Rule("S012", "Phần việc không có trong kế hoạch", "Kế hoạch ngày {date} không có phần việc mã «{value}».",
             "Dùng một mã phần việc trong kế hoạch: {known}.", "Khối lượng đã làm ghi theo mã phần việc của kế hoạch cùng ngày."),
        Rule("S013", "Cơ quan không được phân công", "{agency} không được phân công hỗ trợ xã «{value}».",
             "Sửa mã xã, hoặc thêm «{value}» vào «ho_tro_xa» của cơ quan này trong materials/co-quan.yml.",
             "Cơ quan cử người về những xã được phân công hỗ trợ."),
        Rule("S014", "Gửi danh sách sau ngày thứ Bảy", "Ngày gửi ({sent}) sau ngày thứ Bảy ({saturday}).", "Sửa ngày gửi danh sách.",
             "Danh sách cán bộ gửi trước ngày thứ Bảy, chậm nhất thứ Tư (Thông báo 422-TB/HU, mục II.3.2)."),
        Rule("S015", "Kết quả thật của kế hoạch ví dụ",
             "Kết quả ghi là số liệu thật («Dữ liệu ví dụ»: không) nhưng kế hoạch của xã cho thứ Bảy {date} là dữ liệu ví dụ.",
             "Nếu đây là kế hoạch thật của xã: mở kế hoạch, sửa «Dữ liệu ví dụ» thành «Không» (vi_du: false) rồi lưu lại kết "
             "quả. Nếu chưa phải số liệu thật: ghi kết quả là dữ liệu ví dụ (vi_du: true).",
             "Trang web và báo cáo thứ Hai coi kết quả của một kế hoạch ví dụ là ví dụ: số liệu thật ghi vào đó sẽ bị hiện "
             "là «Dữ liệu ví dụ» và không được cộng vào số liệu thật."),
        Rule("S016", "Kế hoạch thật dùng thôn ví dụ",
             "Kế hoạch ghi là kế hoạch thật («Dữ liệu ví dụ»: không) nhưng danh sách thôn của {unit} vẫn là ví dụ "
             "(thôn «{value}»).",
             "Thêm các thôn, tổ dân phố thật của {unit} vào materials/don-vi.yml và đổi «thon_vi_du: false»; nếu chưa có "
             "danh sách thật, ghi kế hoạch là dữ liệu ví dụ (vi_du: true).",
             "Danh sách thôn trong materials/don-vi.yml là ví dụ cho tới khi xã gửi danh sách thật; bản in của kế hoạch khi "
             "đó ghi «Danh sách thôn là ví dụ». Một kế hoạch thật làm ở những thôn có thật, nên phải có tên thôn thật."),
        Rule("S017", "Khối lượng đã làm gấp trăm lần kế hoạch",
             "Ghi {done} {unit}, gấp {times} lần kế hoạch ({planned} {unit}): có gõ nhầm đơn vị (m thay vì km, kg thay vì tấn)?",
             "Ghi khối lượng theo đúng đơn vị của kế hoạch ({unit}). Nếu thật sự đã làm nhiều như vậy, sửa khối lượng trong kế hoạch "
             "cho đúng trước, rồi lưu lại kết quả.",
             "Kết quả ghi cùng đơn vị tính với kế hoạch. Một con số gấp 100 lần kế hoạch trở lên hầu như luôn là gõ nhầm đơn vị "
             "(1.500 thay vì 1,5 km); để nguyên thì trang web và báo cáo thứ Hai cộng con số sai đó vào số liệu của huyện."),
        # --- document registry ------------------------------------------------
        Rule("V001", "Văn bản liên quan không có", "Văn bản liên quan «{value}» không có trong danh mục.", "Dùng một mã đã có: {known}.",
             "Liên kết giữa các văn bản chỉ trỏ tới văn bản có trong danh mục."),
        Rule("V002", "Thiếu trang của văn bản", "Không tìm thấy trang «docs/{page}».",
             "Tạo tệp Markdown đó, hoặc sửa đường dẫn (tính từ thư mục docs/).", "Mỗi văn bản trong danh mục có một trang."),
        # --- text -------------------------------------------------------------
        Rule("T001", "Chữ không ở dạng NFC",
             "Dòng có chữ tiếng Việt ở dạng tổ hợp (không phải Unicode NFC), thường do dán từ Word hoặc PDF.",
             "Chạy «ntm fix-nfc» để chuẩn hóa tự động, hoặc gõ lại các chữ có dấu trên dòng này.",
             "Cùng một chữ có dấu có thể lưu theo hai cách. Cách tổ hợp (dán từ Word, PDF) trông giống hệt nhưng làm hỏng tìm kiếm và chữ trong bản in."),
        Rule("T002", "Lỗi nhận dạng chữ (OCR)", "Chữ «{word}» giống lỗi nhận dạng chữ (OCR) từ bản quét.",
             "Đối chiếu với văn bản gốc và gõ lại chữ này với đủ dấu tiếng Việt.",
             "Văn bản khôi phục từ bản quét hay còn chữ sai dấu («néng» thay vì «nông»). Danh sách các chữ này lấy từ bản quét Thông báo 422-TB/HU."),
        Rule("T003", "Chữ số lẫn trong chữ", "Chữ «{word}» có chữ số lẫn trong chữ, thường là lỗi OCR (ví dụ «s6» là «số»).",
             "Đối chiếu với văn bản gốc và gõ lại chữ này.", "Trừ đơn vị (m2, m3, km, kg, ha) và giờ (7h30), chữ số không nằm trong chữ."),
        Rule("T004", "Hình thiếu lời mô tả",
             "Hình ảnh chưa có lời mô tả (alt), người dùng trình đọc màn hình sẽ không biết hình nói gì.",
             "Viết mô tả ngắn trong ngoặc vuông: ![Mô tả hình](duong-dan.png).", "Người khiếm thị nghe lời mô tả thay cho hình."),
        Rule("T005", "Trang quá lớn", "Trang lớn {size} kB, quá giới hạn {limit} kB.",
             "Kiểm tra lại: có thể đã dán nhầm một nội dung rất dài. Tách thành nhiều trang nếu cần.",
             "Trang dài nhất của bộ tài liệu (Thông báo 422-TB/HU) chỉ vài chục kB; giới hạn giúp một trang dán nhầm không làm "
             "treo việc kiểm tra và dựng trang."),
        Rule("T006", "Trang quá phức tạp", "Trang có {what} (giới hạn {limit}).",
             "Chia đoạn văn ra, bỏ các ký hiệu thừa (thường do dán nhầm); mỗi đoạn chỉ cần vài liên kết.",
             "Một dòng dán nhầm gồm hàng nghìn dấu «[» hay «1. 1. 1.» làm bộ chuyển Markdown chạy hàng giờ hoặc dừng "
             "với lỗi. Trang thật không gần tới các giới hạn này; kiểm tra báo trước khi trang được chuyển."),
        # --- pages and the menu ------------------------------------------------
        Rule("P001", "Phần đầu trang hỏng", "Phần đầu trang (giữa hai dòng «---») không đọc được: {problem}.",
             "Mỗi dòng dạng «title: Tiêu đề»; câu có dấu hai chấm thì đặt trong ngoặc kép; kết thúc bằng dòng «---».",
             "Phần đầu trang giữ tiêu đề, mô tả của trang. Khi hỏng, trang web sẽ in nguyên phần đó ra thành chữ."),
        Rule("P002", "Liên kết tới trang không có", "Liên kết «{target}» trỏ tới trang không có.",
             "Sửa đường dẫn (tính từ thư mục của trang này, ví dụ «../van-ban/422-tb-hu.md»), hoặc tạo trang đó.",
             "Liên kết giữa các trang phải trỏ tới một tệp .md có thật trong docs/."),
        Rule("P003", "Liên kết tới mục không có", "Liên kết «{target}» trỏ tới mục «#{anchor}» mà trang «{page}» không có.",
             "Sửa phần sau dấu «#» cho đúng địa chỉ một mục của trang đó, hoặc bỏ phần «#...».",
             "Mỗi đề mục có một địa chỉ (ví dụ «#muc-ii-1»); liên kết tới mục phải dùng địa chỉ có thật."),
        Rule("P004", "Menu trỏ tới trang không có", "Menu (nav trong mkdocs.yml) có trang «{page}» nhưng không có tệp docs/{page}.",
             "Sửa đường dẫn trong mkdocs.yml, hoặc xóa dòng đó khỏi menu.", "Mỗi mục của menu phải trỏ tới một trang có thật."),
        Rule("P005", "Mã chạy được trong trang", "Trang có {what}: trang web không cho chạy mã trong nội dung và sẽ bỏ phần này.",
             "Xóa {what}; muốn nhúng nội dung đặc biệt, nhờ người quản trị kỹ thuật.",
             "Trang có thể dùng vài thẻ HTML để trình bày, nhưng không được chứa mã chạy trong trình duyệt (thẻ script, "
             "thuộc tính on…= như onclick, onload, kể cả trong hình SVG, liên kết javascript:). Trang web lọc mọi trang "
             "theo một danh sách thẻ được phép; kiểm tra báo trước để người biên tập biết, không để nội dung tự biến mất."),
        Rule("P006", "Tài liệu in thiếu mục", "Tài liệu in cần mục «{section}» nhưng trang không còn mục này.",
             "Nếu đã đổi tên mục, sửa tên đó trong scripts/nongthonmoi/handouts/catalog.py; các mục hiện có: {known}.",
             "Tờ rơi, phiếu in được cắt từ các mục «## » của trang; đổi tên mục thì bản in không tìm thấy."),
        Rule("P007", "Tài liệu in thiếu trang", "Tài liệu in cần trang này nhưng không tìm thấy tệp.",
             "Tạo lại trang, hoặc sửa danh mục tài liệu in (scripts/nongthonmoi/handouts/catalog.py).",
             "Mỗi bản in lấy nội dung từ một số trang của trang web."),
        Rule("P008", "Liên kết tuyệt đối", "Liên kết «{target}» bắt đầu bằng «/», nên hỏng khi trang web đặt ở thư mục khác hay mở không cần mạng.",
             "Viết liên kết tương đối tới tệp .md, ví dụ «../van-ban/422-tb-hu.md».",
             "Trang web chạy cả khi đặt ở địa chỉ con và khi mở từ máy (bản không cần mạng); liên kết tương đối mới dùng được ở mọi nơi."),
        Rule("P009", "Thẻ HTML không được dùng", "Trang có thẻ «{what}»: trang web không nhận thẻ này và sẽ bỏ nó đi.",
             "Xóa thẻ này; viết nội dung bằng Markdown (tiêu đề, danh sách, bảng, hình, liên kết).",
             "Trang web chỉ nhận các thẻ HTML dùng để trình bày chữ, bảng và hình. Các thẻ nhúng trang khác hay tệp khác "
             "(iframe, object, embed), đổi địa chỉ gốc (base), tự chuyển trang (meta), kiểu trình bày riêng (style, link), "
             "biểu mẫu (form) đều bị bỏ, vì chúng có thể đưa người đọc tới trang giả hoặc chạy mã."),
        Rule("P010", "Thuộc tính HTML không được dùng", "Trang có thuộc tính «{what}»: trang web sẽ bỏ thuộc tính này.",
             "Xóa thuộc tính này. Muốn đổi cách trình bày, dùng lớp có sẵn, ví dụ «{{: .ntm-no-print }}».",
             "Mỗi thẻ chỉ giữ những thuộc tính trình bày an toàn (id, class, title, alt...). Thuộc tính như style, srcdoc, "
             "rel=\"attachment\", hay id bắt đầu bằng «_» (trùng với các phần của chính trang web) bị bỏ."),
        Rule("P011", "Địa chỉ không được dùng", "Liên kết có địa chỉ «{what}» mà trang web không nhận; liên kết sẽ bị bỏ.",
             "Dùng địa chỉ http://, https://, mailto:, tel: hoặc đường dẫn tương đối tới một trang, một tệp của trang web.",
             "Địa chỉ javascript:, data:, file: và các loại lạ khác có thể chạy mã hoặc mở tệp trên máy người đọc."),
        Rule("P012", "Hình lấy từ nơi khác", "Hình hoặc tệp «{what}» lấy từ ngoài trang web; trang web và tài liệu in không tải gì từ nơi khác.",
             "Tải hình về, đặt vào thư mục docs/ (ví dụ docs/hinh/) và dùng đường dẫn tương đối: ![Mô tả](../hinh/ten-hinh.jpg).",
             "Trang web không lấy gì từ máy chủ khác: người đọc không bị theo dõi, trang vẫn chạy khi không có mạng, "
             "và tài liệu in không bao giờ chứa tệp lấy từ nơi khác."),
        Rule("P013", "Phần đầu trang chỉ có các trường đã biết, đúng kiểu", "Trường «{field}» ở phần đầu trang {problem}.",
             "Tiêu đề, mô tả, tác giả, phụ đề (title, description, author, subtitle): một dòng chữ thường, không có «<...>» "
             "hay «&...;», ví dụ «title: Hướng dẫn hộ gia đình». «view»: tên một trang dữ liệu có sẵn. «hide», «status», "
             "«search»: chỉ các giá trị nêu trong thông báo. Trường khác («icon», «template»...): xóa dòng này.",
             "Tiêu đề, mô tả của trang được in vào nhiều chỗ (thẻ tiêu đề, trình đơn, bản xem trước khi chia sẻ lên Zalo, "
             "Facebook); chúng chỉ là chữ, mã HTML trong đó sẽ hiện nguyên văn. Các trường khác do khuôn trình bày đọc: "
             "một giá trị sai kiểu (một số thay cho danh sách, một tên biểu tượng không có) làm hỏng cả lần dựng trang, "
             "nên chỉ các trường trang web thật sự dùng, đúng kiểu, mới được nhận."),
        Rule("P014", "Tài liệu in lấy tệp không được phép", "Tài liệu in «{handout}» cần tệp «{what}», nhưng bản in chỉ được dùng tệp của chính nó.",
             "Bỏ hình, tệp đính kèm này khỏi trang; tài liệu in chỉ dùng phông chữ và kiểu trình bày có sẵn trong overrides/print/.",
             "Bản in được dựng trên máy dựng trang; nếu lấy được tệp bất kỳ, một trang có thể đưa tệp mật của máy dựng "
             "(khóa, mật khẩu) vào tài liệu in phát cho mọi người. Vì vậy bản in chỉ đọc phông chữ, tệp trình bày của chính nó "
             "và dữ liệu «data:», không đính kèm tệp nào."),
        Rule("P015", "Loại tệp không được đăng", "Tệp «{name}» (đuôi {suffix}) không thuộc các loại tệp trang web đăng.",
             # The kinds of pagecheck.PUBLISHABLE_SUFFIXES, in words.
             "Chỉ đặt vào docs/: trang Markdown (.md); hình JPG, PNG, WebP, GIF; tệp PDF, Word (.docx), Excel (.xlsx), "
             "PowerPoint (.pptx), OpenDocument, CSV, TXT. Word, Excel, PowerPoint dạng cũ (.doc, .xls, .ppt): mở rồi «Lưu "
             "thành» .docx, .xlsx, .pptx hoặc PDF. Hình vẽ SVG: xuất ra PNG; trang HTML: đưa nội dung vào một trang "
             "Markdown; tệp khác: đổi sang PDF.",
             "Máy chủ web chọn cách mở tệp theo đuôi tên tệp, và nhiều đuôi (.html, .shtml, .xht, .svg, .xml...) được mở như "
             "một trang của chính trang web, chạy được mã lấy cắp quyền của người biên tập. Vì vậy docs/ (kể cả thư mục hình "
             "của trang quản trị) chỉ nhận một danh sách loại tệp cố định, không bao giờ bị máy chủ mở như trang web."),
        Rule("P016", "Liên kết tượng trưng", "«{name}» là liên kết tượng trưng (symlink) tới «{target}».",
             "Thay liên kết tượng trưng bằng chính tệp (sao chép tệp vào đây), hoặc xóa nó.",
             "Liên kết tượng trưng có thể trỏ ra ngoài kho (tệp mật của máy dựng), và bản dựng sẽ chép tệp đó lên trang web "
             "và vào bản dùng không cần mạng. Thư mục docs/ và materials/ chỉ nhận tệp thật."),
        Rule("P017", "Không phải tệp thường", "«{name}» không phải tệp thường (thiết bị, đường ống hay ổ cắm của hệ thống).",
             "Xóa mục này; trong docs/ và materials/ chỉ đặt tệp thật và thư mục.",
             "Đọc một thiết bị như /dev/zero không bao giờ hết, một đường ống (FIFO) làm lệnh kiểm tra chờ mãi. Kho tài liệu "
             "chỉ nhận tệp thường; các mục khác không bao giờ được đọc."),
        # --- photos (materials/anh/, and images in docs/) ----------------------
        Rule("A001", "Ảnh thiếu mô tả", "Ảnh «{file}» chưa có mô tả (trường «mo_ta»).",
             "Thêm dòng «mo_ta: ...» dưới «tep: {file}»: một câu nói ảnh có gì, ví dụ «Đoàn viên thôn 2 khơi thông rãnh nước».",
             "Người khiếm thị nghe lời mô tả thay cho ảnh; người dùng mạng chậm đọc lời mô tả trong lúc ảnh chưa hiện. "
             "Ảnh không có mô tả thì không đăng được."),
        Rule("A002", "Mô tả ảnh chưa nói ảnh có gì", "Mô tả «{value}» của ảnh «{file}» chưa nói ảnh có gì.",
             "Viết một câu (ít nhất {minimum} ký tự) tả người, việc, nơi trong ảnh, ví dụ «Mặt đường thôn 3 sau khi dọn cỏ»; "
             "không viết tên tệp hay chữ «ảnh».",
             "Lời mô tả như «ảnh 1», «IMG_2041.jpg» hay «hình ảnh» không giúp người không xem được ảnh."),
        Rule("A003", "Không có tệp ảnh", "Không có tệp ảnh «{photo}».",
             "Thêm ảnh bằng lệnh «ntm them-anh {unit} {date} <ảnh>», hoặc sửa tên tệp ở «tep:» cho đúng tên trong thư mục {folder}.",
             "Mỗi ảnh trong kết quả, kế hoạch là một tệp trong materials/anh/<mã xã>/<ngày>/, cùng xã và cùng ngày thứ Bảy."),
        Rule("A004", "Tệp ảnh không dùng đến", "Tệp ảnh này không có trong kết quả hay kế hoạch nào của {unit} ngày {date}.",
             "Thêm ảnh vào danh sách «anh:» của kết quả (materials/ket-qua/{unit_id}/{iso}.yml) kèm lời mô tả, hoặc xóa tệp.",
             "Ảnh nằm trong kho mà không gắn với kết quả nào thì không ai biết ảnh chụp gì, có được đăng không."),
        Rule("A005", "Định dạng ảnh không nhận", "Tệp «{file}» là {format}; {accepted}.",
             "Thêm ảnh bằng lệnh «ntm them-anh» (đổi sang JPEG, xóa thông tin ẩn). Ảnh HEIC của iPhone: gửi qua Zalo rồi lưu lại, "
             "hoặc chọn Cài đặt > Camera > Định dạng > Tương thích nhất.",
             "Trang web, bản in và bản tải về dùng ảnh JPEG đã chuẩn hóa; các định dạng khác không được lưu trong kho."),
        Rule("A006", "Tệp ảnh quá lớn", "Tệp «{file}» lớn {size}, quá giới hạn {limit}.",
             "Thêm lại ảnh bằng lệnh «ntm them-anh» (ảnh được thu nhỏ); ảnh gốc quá lớn thì gửi qua Zalo trước để Zalo thu nhỏ.",
             "Ảnh trong kho đã thu nhỏ còn vài trăm KB; tệp lớn hơn giới hạn là ảnh gốc chưa chuẩn hóa, làm kho tài liệu phình to."),
        Rule("A007", "Ảnh quá nhiều điểm ảnh", "Ảnh «{file}» có {width} × {height} điểm ảnh ({megapixels} triệu), quá giới hạn {limit} triệu: không mở ảnh này.",
             "Dùng ảnh chụp bình thường từ điện thoại (12 đến 50 triệu điểm ảnh), hoặc gửi qua Zalo để Zalo thu nhỏ, rồi thêm lại.",
             "Một tệp vài KB có thể khai hàng tỷ điểm ảnh (bom giải nén) làm treo máy dựng trang. Kích thước được đọc từ đầu tệp, "
             "trước khi mở ảnh; ảnh vượt giới hạn bị từ chối, không bao giờ được giải nén."),
        Rule("A008", "Ảnh còn vị trí GPS", "Ảnh «{file}» còn vị trí GPS nơi chụp: ai tải ảnh cũng biết nhà, ngõ trong ảnh ở đâu trên bản đồ.",
             "Thêm lại ảnh bằng lệnh «ntm them-anh» (tự xóa vị trí); đừng chép ảnh thẳng vào thư mục. Hình trong docs/: "
             "mở bằng Paint (Windows) rồi lưu thành tệp PNG mới, thay tệp cũ; chạy lại «ntm check» để xem đã sạch chưa.",
             "Điện thoại ghi tọa độ nơi chụp vào ảnh. Ảnh đăng lên mạng còn tọa độ thì chỉ ra chính xác nhà của người dân trong ảnh."),
        Rule("A009", "Ảnh còn thông tin ẩn", "Ảnh «{file}» còn thông tin ẩn: {kinds}.",
             "Thêm lại ảnh bằng lệnh «ntm them-anh» (tự xóa mọi thông tin ẩn); đừng chép ảnh thẳng vào thư mục. Hình trong "
             "docs/: mở bằng Paint (Windows) rồi lưu thành tệp PNG mới, thay tệp cũ; chạy lại «ntm check» để xem đã sạch chưa.",
             "Ảnh điện thoại mang tên máy, số máy, ngày giờ, tên người chụp, có khi cả một đoạn video. Ảnh đăng chỉ giữ hình."),
        Rule("A010", "Ảnh chưa chuẩn hóa", "Ảnh «{file}» chưa chuẩn hóa: {detail}.",
             "Thêm lại ảnh bằng lệnh «ntm them-anh» (xoay đúng chiều, thu nhỏ còn {long_side} điểm ảnh chiều dài, JPEG).",
             "Ảnh trong kho được lưu một kiểu: JPEG, chiều dài nhất {long_side} điểm ảnh, không có thông tin ẩn, không hồ sơ màu, "
             "để trang web nhẹ và ảnh hiện đúng chiều ở mọi nơi."),
        Rule("A011", "Tệp ảnh hỏng", "Tệp «{file}» không đọc được ({problem}).",
             "Lấy lại ảnh từ điện thoại hoặc Zalo rồi thêm lại bằng lệnh «ntm them-anh».",
             "Tệp bị cắt giữa chừng (tải chưa xong) hay không phải ảnh thì không dùng được."),
        Rule("A012", "Tên tệp ảnh sai quy ước", "Tên hoặc vị trí tệp ảnh «{value}» không đúng quy ước.",
             "Tệp ảnh đặt ở materials/anh/<mã xã>/<ngày thứ Bảy>/, tên gồm chữ thường không dấu, chữ số, dấu gạch ngang "
             "và đuôi .jpg, ví dụ «don-duong-1.jpg»; ở trường «tep:» chỉ ghi tên tệp.",
             "Tên tệp dùng làm địa chỉ trên trang web; thư mục cho biết ảnh của xã nào, ngày nào."),
        Rule("A013", "Ảnh bị ghi hai lần", "Ảnh «{file}» đã có ở {first}.",
             "Xóa mục trùng; mỗi ảnh chỉ ghi một lần, trong kết quả hoặc trong kế hoạch.",
             "Một ảnh ghi hai lần sẽ hiện hai lần trên trang và bản tin."),
        Rule("A014", "Ảnh chưa tải về máy", "Tệp «{file}» mới là con trỏ Git LFS, chưa có ảnh.",
             "Chạy «git lfs pull» để tải ảnh về (cài git-lfs trước nếu máy chưa có: «apt install git-lfs»; Git cho Windows có sẵn).",
             "Kho lưu ảnh bằng Git LFS: bản sao kho chỉ giữ con trỏ, ảnh tải về khi cần. Bản dựng cần ảnh để làm các cỡ ảnh cho trang web."),
        Rule("A015", "Ảnh quá nhỏ", "Ảnh «{file}» chỉ có {width} × {height} điểm ảnh, nhỏ hơn {minimum} điểm ảnh chiều dài.",
             "Lấy ảnh gốc từ điện thoại (không dùng ảnh xem trước, ảnh chụp màn hình) rồi thêm lại.",
             "Ảnh quá nhỏ thường là ảnh xem trước của Zalo: lên trang web và bản in sẽ nhòe."),
        Rule("A016", "Hình có phần không phải hình", "Hình «{file}» {detail}: trang web chỉ đăng hình trơn.",
             "Mở hình bằng Paint (Windows) rồi lưu thành tệp PNG mới, thay tệp cũ; chạy lại «ntm check» để xem đã sạch chưa. "
             "Phần mềm khác (GIMP...): khi xuất hình, bỏ chọn lưu thông tin Exif, XMP, chú thích.",
             "Hình trong docs/ được đăng nguyên tệp lên trang web, vào bản tải về và nhúng nguyên vào tài liệu in. Chỉ những "
             "phần một hình cần (bảng màu, dữ liệu điểm ảnh, hồ sơ màu) được nhận: phần khác có thể mang vị trí, tên người, "
             "máy chụp dưới một dạng mà bộ kiểm tra không biết tới."),
        Rule("A017", "Ảnh có quá nhiều lượt quét", "Ảnh «{file}» có {scans} lượt quét (JPEG lũy tiến), quá giới hạn {limit}: "
             "không mở ảnh này.",
             "Dùng ảnh chụp bình thường từ điện thoại hoặc Zalo (khoảng 10 lượt quét), hoặc mở ảnh bằng phần mềm xem ảnh "
             "rồi lưu lại thành JPG mới.",
             "Mỗi lượt quét của ảnh JPEG lũy tiến được giải mã trên toàn bộ ảnh: một tệp 1 MB có hàng nghìn lượt quét rỗng "
             "làm máy bận hàng giờ. Số lượt quét được đếm từ cấu trúc tệp, trước khi mở ảnh."),
        Rule("A018", "Tài liệu không kiểm tra được", "Tệp «{file}» {detail}: không kiểm tra được trong tệp có gì.",
             "Mở tệp bằng chương trình đã tạo ra nó rồi lưu lại đúng loại (Word: «Lưu thành» .docx hoặc PDF), hoặc đổi "
             "đuôi tên tệp cho đúng. Tài liệu quá lớn: giảm cỡ ảnh trong tài liệu hoặc chia thành nhiều tệp. Chạy lại "
             "«ntm check».",
             "Trang web đăng nguyên tệp và máy chủ cho người đọc mở theo đuôi tên tệp: một tệp mang đuôi khác với nội dung "
             "có thể là trang chạy mã. Loại tệp được xét từ những byte đầu của tệp; ảnh và thuộc tính trong tệp được đọc "
             "trong giới hạn định trước, phần nào vượt giới hạn thì cả tệp bị từ chối."),
        Rule("A019", "Tài liệu có ảnh còn thông tin ẩn", "Tài liệu «{file}» có ảnh bên trong còn {kinds}.",
             "Ảnh dán vào Word giữ nguyên vị trí và thông tin máy chụp: trước khi dán, lưu ảnh lại bằng Paint (Windows) "
             "thành tệp PNG mới rồi dán tệp đó, hoặc thêm ảnh bằng «ntm them-anh». Trong Word: bấm vào ảnh, «Nén ảnh» "
             "(Compress Pictures) không xóa được thông tin này. Xuất lại PDF sau khi thay ảnh; chạy lại «ntm check».",
             "Ảnh chụp điện thoại dán vào Word hay in ra PDF vẫn mang tọa độ nơi chụp, tên máy, ngày giờ: người đọc không "
             "thấy, nhưng ai tải tài liệu về cũng đọc được."),
        Rule("A020", "Tài liệu còn tên người soạn", "Tài liệu «{file}» còn thông tin người soạn trong thuộc tính tệp: {fields}.",
             "Word, Excel, PowerPoint: «Tệp» > «Thông tin» > «Kiểm tra vấn đề» > «Kiểm tra tài liệu», bấm «Loại bỏ tất cả» ở "
             "dòng «Thuộc tính tài liệu và thông tin cá nhân», lưu lại. Khi xuất PDF từ Word: «Tùy chọn...», bỏ chọn "
             "«Thuộc tính tài liệu». LibreOffice: «Công cụ» > «Tùy chọn» > «Bảo mật» > «Tùy chọn...», chọn «Xóa thông tin "
             "cá nhân khi lưu», rồi lưu hoặc xuất PDF lại. Chạy lại «ntm check».",
             "Word, Excel, LibreOffice ghi tên tài khoản máy tính (thường là họ tên, có khi cả số điện thoại) vào thuộc tính "
             "tệp. Người đọc không thấy, nhưng ai tải tài liệu về cũng đọc được."),
        # --- the build --------------------------------------------------------
        Rule("B001", "Cảnh báo khi dựng trang", "{message}",
             "Sửa theo cảnh báo; bản dựng chính thức dừng lại khi có bất kỳ cảnh báo nào.",
             "Bản dựng chính thức chạy ở chế độ nghiêm ngặt: mọi cảnh báo đều phải sửa trước khi đăng."),
        Rule("B002", "Kho git thiếu lịch sử",
             "Kho git này chỉ có một phần lịch sử (bản sao «shallow»), nên ngày «Cập nhật lần cuối» của các trang, "
             "ngày in trên tài liệu in và lịch, bản tin đều sẽ sai: bản dựng dừng ở đây.",
             "Lấy đủ lịch sử rồi dựng lại. Trên máy: chạy «git fetch --unshallow». GitHub Actions: thêm «fetch-depth: 0» "
             "vào bước actions/checkout. GitLab CI: đặt biến «GIT_DEPTH: 0».",
             "Ngày cập nhật của mỗi trang, ngày in trên tài liệu in, lịch và bản tin lấy từ lịch sử git; thiếu lịch sử thì "
             "mọi ngày đều sai, nên bản dựng chính thức dừng lại. Bản xem trước chỉ cảnh báo."),
        Rule("B003", "Bản để đăng chưa có địa chỉ thật",
             "Đây là bản dựng để đăng nhưng địa chỉ công khai của trang web là «{address}»: mã QR trên tài liệu in, lịch và "
             "bản tin sẽ dẫn về máy dựng, không về trang web.",
             "Đặt biến SITE_URL=https://<địa chỉ trang web>/ khi dựng. GitHub Pages và GitLab Pages tự đặt trong CI; "
             "Gitea, Forgejo: đặt biến SITE_URL của kho. Dựng thử trên máy thì bỏ NTM_PUBLISH.",
             "Bản đăng lên mạng phải biết địa chỉ của chính nó để in mã QR, lịch và bản tin. Bản dựng thử trên máy vẫn dùng "
             "http://localhost:8000/."),
        Rule("B007", "Ngày dựng NTM_TODAY không hợp lệ",
             "Biến NTM_TODAY là «{value}», không phải một ngày có thật viết dạng năm-tháng-ngày.",
             "Viết NTM_TODAY dạng năm-tháng-ngày, ví dụ NTM_TODAY=2023-03-09, hoặc bỏ biến này để lấy ngày dựng "
             "theo giờ Việt Nam.",
             "«Hôm nay» của bản dựng (thứ Bảy sắp tới, bản in kế hoạch, bảng tính kế hoạch) là ngày dựng theo giờ Việt Nam. "
             "Biến NTM_TODAY ghim ngày đó để kiểm thử hoặc dựng lại đúng từng byte một bản cũ; ngày sai thì bản dựng dừng "
             "lại thay vì lặng lẽ lấy ngày của đồng hồ."),
    ]
}


def _workbook_rules() -> None:
    """The workbook import's rules (workbooks/messages.py), ``W`` ids."""
    from .workbooks.messages import EXPLANATIONS, MESSAGES, RULE_IDS

    for key, (rule_id, title) in RULE_IDS.items():
        message, fix = MESSAGES[key]
        RULES[rule_id] = Rule(
            rule_id,
            title,
            message,
            fix,
            EXPLANATIONS.get(key, "Quy tắc của bảng tính Excel do xã điền (lệnh «ntm nhap-excel»): lời báo chỉ ra bảng tính, "
                             "trang tính và ô cần sửa."),
        )


_workbook_rules()


def _editor_rules() -> None:
    """The web editor's own rules (editor/messages.py), ``E`` ids."""
    from .editor.messages import EDITOR_RULES

    for rule_id, title, message, fix, explanation in EDITOR_RULES:
        RULES[rule_id] = Rule(rule_id, title, message, fix, explanation)


_editor_rules()


def rule(rule_id: str) -> Rule:
    return RULES[rule_id]


def error(rule_id: str, path: str, line: int, cell: str = "", **params) -> ContentError:
    """A content error from the registry: message and fix filled with ``params``.

    ``cell`` ("Kế hoạch!C7") when the content came from a workbook.
    """
    return RULES[rule_id].error(path, line, cell, **params)


def explain(rule_id: str) -> str | None:
    found = RULES.get(rule_id.strip().upper())
    if found is None:
        return None
    return "\n".join(
        [
            f"{found.id}: {found.title}",
            "",
            found.explanation,
            "",
            "Lời báo: " + _placeholders(found.message),
            "Cách sửa: " + _placeholders(found.fix),
        ]
    )


def _placeholders(template: str) -> str:
    """'Trường «{field}»' -> 'Trường «…»' for the documentation."""
    import re

    return re.sub(r"\{[a-z_]+\}", "…", template)


@functools.cache  # the plugin passes it to every page's views; the registry does not change
def documentation() -> list[dict]:
    """The registry as rows for the guide page."""
    return [
        {
            "id": r.id,
            "title": r.title,
            "explanation": r.explanation,
            "message": _placeholders(r.message),
            "fix": _placeholders(r.fix),
        }
        for r in RULES.values()
    ]
