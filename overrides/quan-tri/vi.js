/*
 * Vietnamese words of the web editor. Decap CMS ships a Vietnamese locale
 * with gaps (English shows through) and a few words a Board editor would not
 * use ("bộ sưu tập", "giữ lại mục"); this fills the gaps and plain-words the
 * rest. Loaded after decap-cms.js, before ntm-cms.js starts the editor.
 */
(function () {
  "use strict";
  var CMS = window.CMS;

  function merge(target, patch) {
    Object.keys(patch).forEach(function (key) {
      var value = patch[key];
      if (value && typeof value === "object" && !Array.isArray(value)) {
        target[key] = merge(Object.assign({}, target[key] || {}), value);
      } else {
        target[key] = value;
      }
    });
    return target;
  }

  var patch = {
    auth: {
      loginWithAzure: "Đăng nhập bằng Azure",
      loginWithForgejo: "Đăng nhập bằng Forgejo",
      errors: {
        identitySettings: "Không đọc được thiết lập đăng nhập. Hãy báo người quản trị kỹ thuật.",
      },
    },
    app: {
      header: { content: "Nội dung", workflow: "Chờ duyệt", media: "Hình ảnh", quickAdd: "Thêm mới" },
      app: {
        errorHeader: "Không mở được trang quản trị",
        configErrors: "Lỗi cấu hình",
        checkConfigYml: "Cấu hình của trang quản trị có lỗi. Hãy báo người quản trị kỹ thuật.",
        loadingConfig: "Đang mở trang quản trị…",
        waitingBackend: "Đang kết nối kho dữ liệu…",
      },
    },
    collection: {
      sidebar: {
        collections: "Loại nội dung",
        allCollections: "Tất cả loại nội dung",
        searchAll: "Tìm trong mọi nội dung",
        searchIn: "Tìm trong",
      },
      collectionTop: {
        viewAs: "Xem dạng",
        viewAsList: "Danh sách",
        viewAsGrid: "Lưới",
        newButton: "＋ Thêm %{collectionLabel}",
        newButtonAriaLabel: "Thêm %{collectionLabel}",
        groupBy: "Nhóm theo",
        sortBy: "Sắp xếp theo",
        filterBy: "Lọc theo",
      },
      entries: { unpublishedHeader: "Bản nháp chưa đăng", noEntries: "Chưa có mục nào" },
      groups: { other: "Khác", negateLabel: "Không phải %{label}" },
    },
    editor: {
      editorControl: { field: { optional: "không bắt buộc", widgetLabel: "ô %{widgetLabel}" } },
      editorControlPane: {
        widget: {
          required: "Chưa điền «%{fieldLabel}».",
          regexPattern: "«%{fieldLabel}» chưa đúng: %{pattern}",
          processing: "Đang kiểm tra «%{fieldLabel}»…",
          range: "«%{fieldLabel}» phải từ %{minValue} đến %{maxValue}.",
          min: "«%{fieldLabel}» phải từ %{minValue} trở lên.",
          max: "«%{fieldLabel}» không được lớn hơn %{maxValue}.",
          rangeCount: "«%{fieldLabel}» phải có từ %{minCount} đến %{maxCount} mục.",
          rangeCountExact: "«%{fieldLabel}» phải có đúng %{count} mục.",
          rangeMin: "«%{fieldLabel}» phải có ít nhất %{minCount} mục.",
          rangeMax: "«%{fieldLabel}» chỉ được có tối đa %{maxCount} mục.",
          invalidPath: "Đường dẫn «%{path}» không hợp lệ",
          pathExists: "Đã có tệp «%{path}»",
        },
        i18n: {
          writingInLocale: "Đang viết bằng %{locale}",
          copyFromLocale: "Chép từ ngôn ngữ khác",
          copyFromLocaleConfirm: "Chép nội dung từ %{locale}? Nội dung hiện có sẽ bị thay.",
        },
      },
      editorInterface: {
        toggleI18n: "Bật, tắt ngôn ngữ",
        togglePreview: "Bật, tắt xem trước",
        toggleScrollSync: "Cuộn cùng nhau",
        toggleNotes: "Bật, tắt ghi chú",
      },
      editorNotesPane: {
        title: "Ghi chú",
        emptyState: "Chưa có ghi chú.",
        addNote: "Thêm ghi chú",
        addPlaceholder: "Viết ghi chú…",
        editPlaceholder: "Sửa ghi chú…",
        save: "Lưu",
        cancel: "Hủy",
        edit: "Sửa",
        delete: "Xóa",
        resolve: "Đã xong",
        unresolve: "Mở lại",
        confirmDelete: "Xóa ghi chú này?",
        shortcut: "Mẹo: bấm Ctrl+Enter để thêm ghi chú",
      },
      editor: {
        onLeavePage: "Bạn chưa lưu. Vẫn rời trang này?",
        onUpdatingWithUnsavedChanges: "Bạn chưa lưu. Hãy bấm «Lưu» trước khi đổi trạng thái.",
        onPublishingNotReady: "Hãy chuyển trạng thái sang «Sẵn sàng» trước khi đăng.",
        onPublishingWithUnsavedChanges: "Bạn chưa lưu. Hãy bấm «Lưu» trước khi đăng.",
        onPublishing: "Đăng mục này lên trang web?",
        onUnpublishing: "Gỡ mục này khỏi trang web?",
        onDeletePublishedEntry: "Xóa mục này khỏi trang web?",
        loadingEntry: "Đang tải…",
        confirmLoadBackup: "Máy này còn giữ một bản bạn chưa lưu của mục này. Mở bản đó?",
      },
      editorToolbar: {
        publishing: "Đang đăng…",
        publish: "Đăng",
        published: "Đã đăng",
        unpublish: "Gỡ khỏi trang web",
        duplicate: "Sao chép",
        unpublishing: "Đang gỡ…",
        publishAndCreateNew: "Đăng và thêm mục mới",
        publishAndDuplicate: "Đăng và sao chép",
        deleteUnpublishedChanges: "Bỏ các thay đổi chưa đăng",
        deleteUnpublishedEntry: "Xóa bản nháp này",
        deletePublishedEntry: "Xóa mục đã đăng này",
        deleteEntry: "Xóa mục này",
        saving: "Đang lưu…",
        save: "Lưu",
        deleting: "Đang xóa…",
        updating: "Đang cập nhật…",
        status: "Trạng thái: %{status}",
        backCollection: " Đang sửa trong «%{collectionLabel}»",
        unsavedChanges: "Chưa lưu",
        changesSaved: "Đã lưu",
        draft: "Bản nháp",
        inReview: "Chờ lãnh đạo duyệt",
        ready: "Sẵn sàng đăng",
        publishNow: "Đăng ngay",
        statusInfoTooltipDraft: "Đây là bản nháp. Khi viết xong, chuyển sang «Chờ lãnh đạo duyệt».",
        statusInfoTooltipInReview: "Lãnh đạo đang duyệt. Bạn vẫn sửa được trong lúc chờ.",
        deployPreviewPendingButtonLabel: "Xem thử",
        deployPreviewButtonLabel: "Xem thử",
        deployButtonLabel: "Xem trên trang web",
      },
      editorWidgets: {
        markdown: {
          bold: "Đậm",
          italic: "Nghiêng",
          strikethrough: "Gạch ngang",
          code: "Mã",
          link: "Liên kết",
          linkPrompt: "Nhập địa chỉ liên kết",
          headings: "Đề mục",
          quote: "Trích dẫn",
          bulletedList: "Gạch đầu dòng",
          numberedList: "Danh sách đánh số",
          addComponent: "Thêm thành phần",
          richText: "Soạn thảo",
          markdown: "Markdown",
          toggleMode: { rich: "Chuyển sang soạn thảo", markdown: "Chuyển sang Markdown" },
        },
        image: {
          choose: "Chọn hình",
          chooseMultiple: "Chọn hình",
          chooseDifferent: "Chọn hình khác",
          chooseUrl: "Chèn từ địa chỉ web",
          replaceUrl: "Thay bằng địa chỉ web",
          promptUrl: "Nhập địa chỉ của hình",
          addMore: "Thêm hình",
          remove: "Bỏ hình",
          removeAll: "Bỏ hết hình",
        },
        file: {
          choose: "Chọn tệp",
          chooseMultiple: "Chọn tệp",
          chooseDifferent: "Chọn tệp khác",
          chooseUrl: "Chèn từ địa chỉ web",
          replaceUrl: "Thay bằng địa chỉ web",
          promptUrl: "Nhập địa chỉ của tệp",
          addMore: "Thêm tệp",
          remove: "Bỏ tệp",
          removeAll: "Bỏ hết tệp",
        },
        unknownControl: { noControl: "Trang quản trị không có ô nhập kiểu «%{widget}». Hãy báo người quản trị kỹ thuật." },
        unknownPreview: { noPreview: "Không xem trước được ô «%{widget}»." },
        datetime: { now: "Hôm nay", clear: "Xóa", setToNow: "Đặt «%{fieldLabel}» là hôm nay" },
        list: { add: "Thêm %{item}", addType: "Thêm %{item}" },
        object: { expand: "Mở ra", collapse: "Thu gọn" },
      },
    },
    mediaLibrary: {
      mediaLibraryCard: {
        draft: "Bản nháp",
        copy: "Chép",
        copyUrl: "Chép địa chỉ",
        copyPath: "Chép đường dẫn",
        copyName: "Chép tên",
        copied: "Đã chép",
      },
      mediaLibrary: {
        onDelete: "Xóa tệp này?",
        fileTooLarge: "Tệp quá lớn: chỉ nhận tệp đến %{size} kB.",
      },
      mediaLibraryModal: {
        close: "Đóng",
        deleteSelected: "Xóa các tệp đã chọn",
        chooseSelected: "Dùng các tệp đã chọn",
        mediaAssets: "Tệp",
      },
    },
    ui: {
      default: { goBackToSite: "Về trang web" },
      errorBoundary: {
        title: "Có lỗi",
        details: "Trang quản trị gặp lỗi. Hãy ",
        reportIt: "báo người quản trị kỹ thuật.",
        detailsHeading: "Chi tiết",
        privacyWarning: "Nội dung lỗi dưới đây giúp người quản trị tìm nguyên nhân.",
        recoveredEntry: {
          heading: "Nội dung đang sửa",
          warning: "Hãy chép nội dung này ra chỗ khác trước khi rời trang!",
          copyButtonLabel: "Chép",
        },
      },
      settingsDropdown: { logOut: "Đăng xuất", account: "Tài khoản" },
      toast: {
        onFailToLoadEntries: "Không tải được nội dung: %{details}",
        onFailToLoadDeployPreview: "Không tải được bản xem thử: %{details}",
        onFailToPersist: "Chưa lưu được. %{details}",
        onFailToDelete: "Không xóa được: %{details}",
        onFailToUpdateStatus: "Không đổi được trạng thái: %{details}",
        missingRequiredField: "Còn ô bắt buộc chưa điền (tô đỏ). Điền xong rồi bấm «Lưu».",
        entrySaved: "Đã lưu",
        entryPublished: "Đã đăng",
        entryUnpublished: "Đã gỡ khỏi trang web",
        onFailToPublishEntry: "Không đăng được: %{details}",
        onFailToUnpublishEntry: "Không gỡ được: %{details}",
        entryUpdated: "Đã đổi trạng thái",
        onDeleteUnpublishedChanges: "Đã bỏ các thay đổi chưa đăng",
        onLoggedOut: "Bạn đã bị đăng xuất. Hãy chép lại nội dung đang sửa rồi đăng nhập lại.",
        onBackendDown: "Máy chủ git đang trục trặc. Xem %{details}",
        noteAdded: "Đã thêm ghi chú",
        onFailToAddNote: "Không thêm được ghi chú: %{details}",
        noteUpdated: "Đã sửa ghi chú",
        onFailToUpdateNote: "Không sửa được ghi chú: %{details}",
        noteDeleted: "Đã xóa ghi chú",
        onFailToDeleteNote: "Không xóa được ghi chú: %{details}",
        noteResolved: "Đã đánh dấu xong",
        noteReopened: "Đã mở lại ghi chú",
        onFailToToggleNote: "Không đổi được ghi chú: %{details}",
      },
    },
    workflow: {
      workflow: {
        loading: "Đang tải các bản nháp",
        workflowHeading: "Bản nháp chờ duyệt",
        newPost: "Thêm mới",
        description:
          "%{smart_count} bản đang chờ duyệt, %{readyCount} bản sẵn sàng đăng. |||| %{smart_count} bản đang chờ duyệt, %{readyCount} bản sẵn sàng đăng.",
      },
      workflowCard: {
        deleteChanges: "Bỏ thay đổi",
        deleteNewEntry: "Xóa bản mới",
        publishChanges: "Đăng thay đổi",
        publishNewEntry: "Đăng bản mới",
      },
      workflowList: {
        onDeleteEntry: "Xóa bản này?",
        onPublishingNotReadyEntry: "Chỉ đăng được bản «Sẵn sàng đăng». Kéo thẻ sang cột «Sẵn sàng đăng» trước.",
        onPublishEntry: "Đăng bản này lên trang web?",
        draftHeader: "Bản nháp",
        inReviewHeader: "Chờ lãnh đạo duyệt",
        readyHeader: "Sẵn sàng đăng",
        currentEntries: "%{smart_count} bản |||| %{smart_count} bản",
      },
    },
  };

  // What "saved" means depends on where the save goes (body data-ntm-backend,
  // "local" when the preview server of this computer serves the editor):
  // never "Đã lưu" for something that is not on its way to the site.
  var backend = document.body.getAttribute("data-ntm-backend") || "";
  if (backend === "local") {
    merge(patch, {
      editor: {
        editorToolbar: {
          publish: "Lưu",
          publishNow: "Lưu vào lịch sử",
          publishAndCreateNew: "Lưu và thêm mục mới",
          publishAndDuplicate: "Lưu và sao chép",
          publishing: "Đang lưu…",
          published: "Đã lưu",
          deployPreviewButtonLabel: "Xem thử",
          deployButtonLabel: "Xem thử",
        },
      },
      ui: {
        toast: {
          entrySaved: "Đã lưu vào lịch sử. Bản xem trước cập nhật sau vài giây.",
          entryPublished: "Đã lưu vào lịch sử. Bản xem trước cập nhật sau vài giây.",
        },
      },
    });
  } else if (backend === "gitea") {
    merge(patch, {
      editor: { editorToolbar: { publish: "Lưu", publishNow: "Lưu vào nhánh duyệt", published: "Đã lưu" } },
      ui: {
        toast: {
          entrySaved: "Đã lưu vào nhánh duyệt. Lãnh đạo gộp nhánh duyệt thì trang web cập nhật.",
          entryPublished: "Đã lưu vào nhánh duyệt. Lãnh đạo gộp nhánh duyệt thì trang web cập nhật.",
        },
      },
    });
  } else if (document.body.getAttribute("data-ntm-publish") === "simple") {
    merge(patch, {
      editor: { editorToolbar: { publish: "Đăng", publishNow: "Đăng ngay", published: "Đã đăng" } },
      ui: {
        toast: {
          entrySaved: "Đã lưu vào kho. Trang web cập nhật sau vài phút.",
          entryPublished: "Đã lưu vào kho. Trang web cập nhật sau vài phút.",
        },
      },
    });
  } else {
    merge(patch, {
      ui: {
        toast: {
          entrySaved: "Đã lưu bản nháp. Khi viết xong, chuyển trạng thái sang «Chờ lãnh đạo duyệt».",
          entryPublished: "Đã đăng: trang web cập nhật sau vài phút.",
        },
      },
    });
  }

  CMS.registerLocale("vi", merge(merge({}, CMS.getLocale("vi") || {}), patch));
})();
