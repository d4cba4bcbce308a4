/*
 * The web editor (Decap CMS) of Nông thôn mới Di Linh: form fields that the
 * data needs and Decap does not have, and a check before each save.
 *
 * - ntm-ngay: a date (dd/mm/yyyy in the browser, yyyy-mm-dd in the file);
 *   Saturday dates offer Saturdays only; "not after" another date field.
 * - ntm-so: a number that accepts a decimal comma (1,5), with a minimum and
 *   "not above" another number field (households taking part <= total).
 * - ntm-thon: hamlets of the commune chosen in the same form.
 * - ntm-phan-viec: a task of the plan for the same commune and Saturday.
 * - preSave: empty optional fields are dropped (an empty text is an error in
 *   the data), and on one computer (ntm edit) the preview server checks the
 *   file with the same rules as `ntm check` before it is written.
 *
 * Options and Vietnamese messages come from config.yml, which the build
 * generates from the data models (scripts/nongthonmoi/editor/config.py).
 */
(function () {
  "use strict";

  var CMS = window.CMS;
  var h = window.h;
  var createClass = window.createClass;
  var WEEKDAYS = ["Chủ nhật", "thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy"];
  var LOCAL_HOSTS = ["127.0.0.1", "localhost"];

  function option(field, key, fallback) {
    var value = field.get(key);
    if (value === undefined || value === null) return fallback;
    return value && value.toJS ? value.toJS() : value;
  }

  function label(field) {
    return field.get("label") || field.get("name");
  }

  // The value of another top-level field of the entry being edited.
  function entryValue(props, name) {
    var entry = props.getEntry ? props.getEntry() : props.entry;
    var data = entry && entry.get("data");
    var value = data && data.get(name);
    return value && value.toJS ? value.toJS() : value;
  }

  function plain(value) {
    if (value === undefined || value === null) return [];
    if (value.toJS) return value.toJS();
    return Array.isArray(value) ? value : [value];
  }

  // Today in Vietnam (UTC+7), whatever the computer's time zone.
  function todayInVietnam() {
    return new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 10);
  }

  function weekday(iso) {
    var parts = iso.split("-").map(Number);
    return new Date(Date.UTC(parts[0], parts[1] - 1, parts[2])).getUTCDay();
  }

  function nextSaturday(iso) {
    var parts = iso.split("-").map(Number);
    var day = new Date(Date.UTC(parts[0], parts[1] - 1, parts[2]));
    day.setUTCDate(day.getUTCDate() + ((6 - day.getUTCDay() + 7) % 7));
    return day.toISOString().slice(0, 10);
  }

  function viDate(iso) {
    var parts = iso.split("-");
    return parts[2] + "/" + parts[1] + "/" + parts[0];
  }

  function isValidIso(iso) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return false;
    var parts = iso.split("-").map(Number);
    var day = new Date(Date.UTC(parts[0], parts[1] - 1, parts[2]));
    return day.getUTCMonth() === parts[1] - 1 && day.getUTCDate() === parts[2];
  }

  function error(message) {
    return { error: { type: "CUSTOM", message: message } };
  }

  // Re-render when fields this one depends on change: Decap re-renders a
  // field only when its own value changes, and fields inside a list not at all.
  var watchOtherFields = {
    componentDidMount: function () {
      var self = this;
      self._seen = self.dependsOn();
      self._timer = window.setInterval(function () {
        var now = self.dependsOn();
        if (now !== self._seen) {
          self._seen = now;
          self.forceUpdate();
        }
      }, 400);
    },
    componentWillUnmount: function () {
      window.clearInterval(this._timer);
    },
  };

  var DateControl = createClass({
    componentDidMount: function () {
      var field = this.props.field;
      if (!this.props.value && field.get("required") !== false) {
        var today = todayInVietnam();
        this.props.onChange(option(field, "saturday", false) ? nextSaturday(today) : today);
      }
    },
    isValid: function () {
      var field = this.props.field;
      var value = this.props.value;
      if (!value) return true;
      if (!isValidIso(value)) return error(label(field) + ": ngày không hợp lệ. Chọn ngày trong lịch.");
      if (option(field, "saturday", false) && weekday(value) !== 6) {
        return error(
          "Ngày " + viDate(value) + " là " + WEEKDAYS[weekday(value)] +
            ", không phải thứ Bảy. Chọn một ngày thứ Bảy."
        );
      }
      var other = option(field, "not_after", null);
      var otherValue = other && entryValue(this.props, other);
      if (otherValue && isValidIso(otherValue) && value > otherValue) {
        return error(option(field, "message", label(field) + " không được sau " + viDate(otherValue) + "."));
      }
      return true;
    },
    render: function () {
      var props = this.props;
      var saturday = option(props.field, "saturday", false);
      return h("input", {
        type: "date",
        id: props.forID,
        className: props.classNameWrapper,
        value: props.value || "",
        // 1 January 2000 was a Saturday: with a 7-day step the browser's
        // calendar offers Saturdays only.
        min: saturday ? "2000-01-01" : undefined,
        step: saturday ? 7 : undefined,
        lang: "vi",
        onChange: function (event) {
          props.onChange(event.target.value || "");
        },
        onFocus: props.setActiveStyle,
        onBlur: props.setInactiveStyle,
      });
    },
  });

  function parseNumber(text) {
    var cleaned = String(text).trim().replace(/\s/g, "").replace(",", ".");
    if (cleaned === "") return undefined;
    return /^-?\d+(\.\d+)?$/.test(cleaned) ? Number(cleaned) : text;
  }

  var NumberControl = createClass({
    getInitialState: function () {
      var value = this.props.value;
      return { text: value === undefined || value === null ? "" : String(value).replace(".", ",") };
    },
    isValid: function () {
      var field = this.props.field;
      var value = this.props.value;
      if (value === undefined || value === null || value === "") return true;
      if (typeof value !== "number") return error(label(field) + " phải là một số, ví dụ 120 hoặc 1,5.");
      if (option(field, "value_type", "float") === "int" && Math.floor(value) !== value) {
        return error(label(field) + " phải là số nguyên (không có phần thập phân).");
      }
      var min = option(field, "min", null);
      if (min !== null && (value < min || (option(field, "min_exclusive", false) && value === min))) {
        return error(label(field) + (min === 0 ? " không được âm." : " phải từ " + min + " trở lên."));
      }
      var other = option(field, "not_above", null);
      var otherValue = other && entryValue(this.props, other);
      if (typeof otherValue === "number" && value > otherValue) {
        return error(option(field, "message", label(field) + " không được lớn hơn " + otherValue + "."));
      }
      return true;
    },
    render: function () {
      var self = this;
      var props = this.props;
      return h("input", {
        type: "text",
        inputMode: option(props.field, "value_type", "float") === "int" ? "numeric" : "decimal",
        id: props.forID,
        className: props.classNameWrapper,
        value: self.state.text,
        onChange: function (event) {
          self.setState({ text: event.target.value });
          props.onChange(parseNumber(event.target.value));
        },
        onFocus: props.setActiveStyle,
        onBlur: props.setInactiveStyle,
      });
    },
  });

  var HamletControl = createClass(
    Object.assign({}, watchOtherFields, {
      dependsOn: function () {
        return entryValue(this.props, option(this.props.field, "unit_field", "xa")) || "";
      },
      hamlets: function () {
        var all = option(this.props.field, "hamlets", {});
        return all[this.dependsOn()] || [];
      },
      isValid: function () {
        var known = this.hamlets().map(function (item) {
          return item.value;
        });
        var unknown = plain(this.props.value).filter(function (id) {
          return known.indexOf(id) < 0;
        });
        if (unknown.length) {
          return error("Thôn «" + unknown.join(", ") + "» không thuộc xã, thị trấn đã chọn. Bỏ chọn thôn đó.");
        }
        return true;
      },
      render: function () {
        var props = this.props;
        var chosen = plain(props.value);
        var hamlets = this.hamlets();
        if (!this.dependsOn()) {
          return h("p", { id: props.forID, className: props.classNameWrapper }, "Chọn xã, thị trấn ở trên trước.");
        }
        var known = hamlets.map(function (item) {
          return item.value;
        });
        var items = hamlets.concat(
          chosen
            .filter(function (id) {
              return known.indexOf(id) < 0;
            })
            .map(function (id) {
              return { value: id, label: id + " (không thuộc xã này)" };
            })
        );
        return h(
          "fieldset",
          { id: props.forID, className: props.classNameWrapper, style: { border: "none" } },
          items.map(function (item) {
            var checked = chosen.indexOf(item.value) >= 0;
            return h(
              "label",
              { key: item.value, style: { display: "block", padding: "6px 0", fontSize: "15px" } },
              h("input", {
                type: "checkbox",
                value: item.value,
                checked: checked,
                style: { marginRight: "8px", width: "18px", height: "18px" },
                onChange: function () {
                  var next = checked
                    ? chosen.filter(function (id) {
                        return id !== item.value;
                      })
                    : known.filter(function (id) {
                        return id === item.value || chosen.indexOf(id) >= 0;
                      });
                  props.onChange(next);
                },
              }),
              item.label
            );
          })
        );
      },
    })
  );

  // Plans read once per editor session; a plan saved meanwhile is read again.
  var plans = {};

  var TaskControl = createClass(
    Object.assign({}, watchOtherFields, {
      getInitialState: function () {
        return { tasks: null, missing: false };
      },
      dependsOn: function () {
        var field = this.props.field;
        var unit = entryValue(this.props, option(field, "unit_field", "xa"));
        var day = entryValue(this.props, option(field, "date_field", "ngay"));
        return unit && day ? unit + "/" + day : "";
      },
      componentDidUpdate: function () {
        this.load();
      },
      load: function () {
        var self = this;
        var slug = self.dependsOn();
        if (!slug || self._loaded === slug) return;
        self._loaded = slug;
        if (!plans[slug]) {
          plans[slug] = self.props.loadEntry(option(self.props.field, "plans", "ke-hoach"), slug).then(
            function (entry) {
              var data = entry && (entry.data || (entry.get && entry.get("data")));
              data = data && data.toJS ? data.toJS() : data;
              return (data && data.phan_viec) || [];
            },
            function () {
              delete plans[slug];
              return null;
            }
          );
        }
        plans[slug].then(function (tasks) {
          if (self._loaded === slug) self.setState({ tasks: tasks, missing: tasks === null });
        });
      },
      isValid: function () {
        var value = this.props.value;
        if (!value) return true;
        if (this.state.missing) {
          return error("Chưa có kế hoạch của xã này cho ngày thứ Bảy đã chọn. Nhập kế hoạch trước, rồi nhập kết quả.");
        }
        var tasks = this.state.tasks;
        if (tasks && !tasks.some(function (task) { return task.ma === value; })) {
          return error("Kế hoạch ngày này không có phần việc mã «" + value + "». Chọn lại phần việc.");
        }
        return true;
      },
      render: function () {
        var props = this.props;
        var self = this;
        if (!self.dependsOn()) {
          return h("p", { id: props.forID, className: props.classNameWrapper }, "Chọn xã và ngày thứ Bảy ở trên trước.");
        }
        if (self._loaded !== self.dependsOn()) window.setTimeout(function () { self.load(); }, 0);
        if (self.state.missing) {
          return h(
            "p",
            { id: props.forID, className: props.classNameWrapper },
            "Chưa có kế hoạch của xã này cho ngày thứ Bảy đã chọn: nhập kế hoạch trước."
          );
        }
        var tasks = self.state.tasks || [];
        var options = [h("option", { key: "", value: "" }, tasks.length ? "Chọn phần việc…" : "Đang tải kế hoạch…")];
        tasks.forEach(function (task) {
          var amount = task.khoi_luong ? " (" + task.khoi_luong.so + " " + task.khoi_luong.don_vi_tinh + ")" : "";
          options.push(h("option", { key: task.ma, value: task.ma }, task.noi_dung + amount));
        });
        if (props.value && !tasks.some(function (task) { return task.ma === props.value; })) {
          options.push(h("option", { key: props.value, value: props.value }, props.value + " (không có trong kế hoạch)"));
        }
        return h(
          "select",
          {
            id: props.forID,
            className: props.classNameWrapper,
            value: props.value || "",
            onChange: function (event) {
              props.onChange(event.target.value || "");
            },
            onFocus: props.setActiveStyle,
            onBlur: props.setInactiveStyle,
          },
          options
        );
      },
    })
  );

  // --- before saving ---------------------------------------------------------

  function isImmutableMap(value) {
    return !!(value && value["@@__IMMUTABLE_MAP__@@"]);
  }

  function isImmutableList(value) {
    return !!(value && value["@@__IMMUTABLE_LIST__@@"]);
  }

  // Optional fields left empty are dropped: an empty text or a blank number
  // in the file would fail the check, a missing optional field does not.
  function withoutEmpty(value, top) {
    if (isImmutableMap(value)) {
      return value
        .filterNot(function (item, key) {
          return (item === "" || item === null || item === undefined) && !(top && key === "body");
        })
        .map(function (item) {
          return withoutEmpty(item, false);
        });
    }
    if (isImmutableList(value)) {
      return value
        .filterNot(function (item) {
          return item === "" || item === null || item === undefined;
        })
        .map(function (item) {
          return withoutEmpty(item, false);
        });
    }
    return value;
  }

  function isLocal() {
    return LOCAL_HOSTS.indexOf(window.location.hostname) >= 0;
  }

  // On one computer the preview server (ntm edit) checks the file with the
  // same rules as `ntm check`; on the published site there is no server, and
  // the preview build of the pull request shows the same messages.
  function checkWithPreview(collection, slug, data) {
    return window
      .fetch("/__ntm/kiem-tra", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ collection: collection, slug: slug, data: data }),
      })
      .then(
        function (response) {
          if (response.status !== 200) return null;
          return response.json();
        },
        function () {
          return null;
        }
      )
      .then(function (answer) {
        if (answer && answer.errors && answer.errors.length) {
          // Decap prints the error as text: without the "Error:" prefix.
          var message = answer.errors.join(" ");
          var problem = new Error(message);
          problem.toString = function () {
            return message;
          };
          throw problem;
        }
      });
  }

  // Without a git host the editor saves through `ntm edit` on this computer
  // only; on the published site say so instead of a connection error.
  if (document.body.getAttribute("data-local-only") === "true" && !isLocal()) {
    var note = document.createElement("main");
    note.setAttribute("style", "max-width:36rem;margin:3rem auto;padding:0 1rem;font:16px/1.6 sans-serif");
    note.innerHTML =
      "<h1>Trang quản trị chưa dùng được ở đây</h1>" +
      "<p>Trang web này chưa được nối với kho git của Ban Tuyên giáo, nên chỉ sửa nội dung được trên máy biên tập, " +
      "bằng lệnh <code>ntm edit</code>.</p><p>Xem trang «Hướng dẫn biên tập» của trang web.</p>";
    document.body.appendChild(note);
    return;
  }

  CMS.registerWidget("ntm-ngay", DateControl);
  CMS.registerWidget("ntm-so", NumberControl);
  CMS.registerWidget("ntm-thon", HamletControl);
  CMS.registerWidget("ntm-phan-viec", TaskControl);
  CMS.registerEventListener({
    name: "preSave",
    handler: function (args) {
      var entry = args.entry;
      var data = withoutEmpty(entry.get("data"), true);
      if (!isLocal()) return data;
      return checkWithPreview(entry.get("collection"), entry.get("slug") || "", data.toJS()).then(function () {
        return data;
      });
    },
  });
  CMS.registerEventListener({
    name: "postSave",
    handler: function (args) {
      // A plan saved now may be the plan a result form is waiting for.
      var entry = args.entry;
      if (entry.get("collection") === "ke-hoach") plans = {};
    },
  });
  CMS.init();
})();
