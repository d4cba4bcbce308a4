/*
 * The web editor (Decap CMS) of Nông thôn mới Di Linh: our form fields, the
 * rules before each save, and the pieces a Board editor needs around them.
 *
 * Fields (every field that holds a value is one of ours, so every rule shows
 * at its field, in words that name its label; ntm-quy-tac.js has the rules):
 * - ntm-chu: a text (one line or a box); NFC as it is typed or pasted;
 * - ntm-so: a number that accepts a decimal comma (1,5);
 * - ntm-ngay: a date written dd/mm/yyyy (stored yyyy-mm-dd); Saturday dates
 *   with a list of Saturdays to pick from;
 * - ntm-chon, ntm-nhieu: one or several of a list (communes, agencies...);
 * - ntm-thon: hamlets of the commune chosen in the same form;
 * - ntm-phan-viec: a task of the plan for the same commune and Saturday;
 * - ntm-markdown: a page's Markdown in a plain text box.
 *
 * Before saving (preSave): empty optional fields dropped, text in NFC, task
 * codes made from task names, every rule checked (checkEntry); in local mode
 * the local backend checks again with the Python rules of `ntm check`.
 *
 * Around the form: one Vietnamese page instead of connection errors when the
 * local backend is not running; a status line and «Lưu vào lịch sử» in local
 * mode; list rows with commune names; the Board's name on the login page.
 */
(function () {
  "use strict";

  var CMS = window.CMS;
  var h = window.h;
  var createClass = window.createClass;
  var RULES = window.NTM.rules;
  var DATA = window.NTM_DU_LIEU || { units: {}, agencies: {} };
  var MODE = document.body.getAttribute("data-ntm-backend") || "local";
  var LOCAL = MODE === "local";
  var LOCAL_HOSTS = ["127.0.0.1", "localhost"];
  var PKCE = ["gitlab", "gitea", "forgejo"];
  var DATED = { "ke-hoach": ["xa", "ngay"], "ket-qua": ["xa", "ngay"], "danh-sach": ["co_quan", "ngay_thu_bay"] };

  function plain(value) {
    return value && value.toJS ? value.toJS() : value;
  }

  function option(field, key, fallback) {
    var value = field.get(key);
    if (value === undefined || value === null) return fallback;
    return plain(value);
  }

  function error(message) {
    return { error: { type: "CUSTOM", message: message } };
  }

  function said(p) {
    return p.message + (p.fix ? " " + p.fix : "");
  }

  // --- a whole page instead of the editor ------------------------------------

  var pageShown = false;

  function showPage(title, paragraphs, button) {
    if (pageShown) return;
    pageShown = true;
    var root = document.getElementById("nc-root");
    if (root) root.style.display = "none";
    var page = document.createElement("main");
    page.className = "ntm-trang-bao";
    page.setAttribute("role", "alert");
    var heading = document.createElement("h1");
    heading.textContent = title;
    page.appendChild(heading);
    paragraphs.forEach(function (text) {
      var p = document.createElement("p");
      p.textContent = text;
      page.appendChild(p);
    });
    if (button) {
      var action = document.createElement("button");
      action.type = "button";
      action.textContent = button;
      action.addEventListener("click", function () {
        window.location.reload();
      });
      page.appendChild(action);
    }
    document.body.appendChild(page);
    document.body.classList.add("ntm-co-trang-bao");
  }

  function backendDown() {
    showPage(
      "Trang quản trị trên máy này chưa chạy",
      [
        "Phần lưu nội dung trên máy này đang tắt, nên chưa mở hay lưu được gì. Nội dung đã lưu trước đó không mất.",
        "Mở lại bằng biểu tượng «Sửa nội dung Nông thôn mới» trên màn hình (hoặc trong danh sách ứng dụng), rồi bấm «Thử lại».",
        "Nếu vẫn thấy trang này, báo người quản trị kỹ thuật.",
      ],
      "Thử lại"
    );
  }

  function staleRun() {
    showPage(
      "Trang quản trị đã được mở lại",
      ["Trang này thuộc lần mở trước. Bấm «Tải lại» để tiếp tục; những gì đã lưu vẫn còn."],
      "Tải lại"
    );
  }

  // Each file's version (the backend's id of its bytes) as this tab opened
  // it: a save says which version its form started from, and the backend
  // refuses it if the file was saved since, in another tab or by another
  // person (E008), instead of silently undoing that save.
  var opened = {};

  function remember(entry, replace) {
    var file = entry && entry.file;
    if (file && typeof file.path === "string" && typeof file.id === "string" && (replace || !(file.path in opened))) {
      opened[file.path] = file.id;
    }
  }

  function withVersions(init) {
    try {
      var body = JSON.parse(init.body);
      if (body.action !== "persistEntry") return { init: init, body: body };
      var files = (body.params && (body.params.dataFiles || (body.params.entry ? [body.params.entry] : []))) || [];
      var base = {};
      files.forEach(function (file) {
        if (file && file.path in opened) base[file.path] = opened[file.path];
      });
      body.params.baseIds = base;
      return { init: Object.assign({}, init, { body: JSON.stringify(body) }), body: body };
    } catch (e) {
      return { init: init, body: null };
    }
  }

  function learn(body, response) {
    if (!body || !response.ok) return;
    response
      .clone()
      .json()
      .then(function (answer) {
        if (body.action === "getEntry") remember(answer, true);
        else if (body.action === "entriesByFolder" || body.action === "entriesByFiles") {
          (answer || []).forEach(function (entry) { remember(entry, false); });
        } else if (body.action === "persistEntry" && answer && answer.path) {
          opened[answer.path] = answer.id;
          if (answer.movedFrom) delete opened[answer.movedFrom];
        }
      })
      .catch(function () {});
  }

  // Decap prints its errors as `${error}` (and «Failed to persist media: »
  // before an upload's): the backend's message is Vietnamese already, so the
  // error's English name goes, and the one English prefix is said in Vietnamese.
  var errorText = Error.prototype.toString;
  Error.prototype.toString = function () {
    return this && this.name === "API_ERROR" && this.message ? String(this.message) : errorText.call(this);
  };
  // A refused save is an answer, not a fault: Decap shows it (at the field,
  // in a notice), then rejects the promise of the save, which its toolbar
  // awaits without a catch («Uncaught (in promise)» in the console), and logs
  // the refusal as an error. Those rejections are marked handled here, and
  // the log says it as information; any other rejection stays an error.
  var REFUSED_SAVE = /^(ENTRY_PERSIST_FAILURE|ENTRY_DELETE_FAILURE|UNPUBLISHED_ENTRY_PERSIST_FAILURE)$/;

  function refusedSave(reason) {
    // undefined: decap-cms-core persistEntry/persistUnpublishedEntry with
    // errors at fields (each shown under its field); else the failure action.
    return reason === undefined || (!!reason && typeof reason === "object" && REFUSED_SAVE.test(String(reason.type)));
  }

  function shownRefusal(error) {
    // Ours (preSave), or the local backend's refusal in words (4xx); a 5xx stays an error.
    return !!error && (error.ntmRefusal === true || (error.name === "API_ERROR" && error.status >= 400 && error.status < 500));
  }

  window.addEventListener("unhandledrejection", function (event) {
    if (refusedSave(event.reason)) event.preventDefault();
  });
  var consoleError = console.error;
  console.error = function (first) {
    if (arguments.length === 1 && shownRefusal(first)) return console.info(String(first));
    return consoleError.apply(console, arguments);
  };
  var ENGLISH_PREFIXES = [["Failed to persist media: ", "Chưa lưu được tệp: "]];
  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      change.addedNodes.forEach(function (node) {
        var walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
        for (var text = node.nodeType === 3 ? node : walker.nextNode(); text; text = walker.nextNode()) {
          ENGLISH_PREFIXES.forEach(function (pair) {
            if (text.nodeValue.indexOf(pair[0]) === 0) text.nodeValue = pair[1] + text.nodeValue.slice(pair[0].length);
          });
          if (node.nodeType === 3) break;
        }
      });
    });
  }).observe(document.documentElement, { childList: true, subtree: true });

  // Every request to the local backend: a refused connection or a stale
  // secret becomes one page, not a toast per request.
  var realFetch = window.fetch.bind(window);
  window.fetch = function (input, init) {
    var url = typeof input === "string" ? input : input && input.url;
    var local = LOCAL && url && url.indexOf("/__ntm/api/") >= 0;
    var sent = local && init && typeof init.body === "string" ? withVersions(init) : { init: init, body: null };
    var request = realFetch(input, sent.init);
    if (!local) return request;
    return request.then(
      function (response) {
        learn(sent.body, response);
        // Not our backend answering (the preview without the editor, another server on the port).
        if (response.status === 404 || response.status === 501 || response.status === 502 || response.status === 503) backendDown();
        if (response.status === 403) {
          response
            .clone()
            .json()
            .then(function (body) {
              if (body && /mã bí mật/.test(body.error || "")) staleRun();
            })
            .catch(function () {});
        }
        return response;
      },
      function (problem) {
        backendDown();
        throw problem;
      }
    );
  };

  // --- local backend: our own actions ----------------------------------------

  var proxyUrl = null;

  function loadProxyUrl() {
    var link = document.querySelector('link[rel="cms-config-url"]');
    return realFetch(link ? link.getAttribute("href") : "config.yml", { cache: "no-store" })
      .then(function (response) {
        return response.text();
      })
      .then(function (text) {
        var match = /proxy_url:\s*['"]?([^\s'"]+)/.exec(text);
        proxyUrl = match ? match[1] : null;
        return proxyUrl;
      });
  }

  // suffix "/tai-len": files picked in the page (backend.py, a larger limit).
  function api(action, params, suffix) {
    return window
      .fetch(proxyUrl + (suffix || ""), {
        method: "POST",
        headers: { "Content-Type": "application/json; charset=utf-8" },
        body: JSON.stringify({ action: action, params: params || {} }),
      })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) {
            var problem = new Error(body.error || "Không rõ lỗi");
            problem.problems = body.problems || [];
            throw problem;
          }
          return body;
        });
      });
  }
  window.NTM.api = api; // the «Nhập từ Excel» page (ntm-nhap-excel.js) calls the backend through it

  // --- what the rules know about other entries --------------------------------

  var collections = {}; // name -> plain configuration, from the widgets' props
  var known = {}; // "collection/slug" -> true (exists) / false
  var tasksOf = {}; // "unit/date" -> [task ids] / null (no plan)
  var pending = {};
  var listeners = [];

  function notify() {
    listeners.slice().forEach(function (component) {
      component.forceUpdate();
    });
  }

  function hasData(entry) {
    var data = entry && (entry.data || (entry.get && entry.get("data")));
    data = plain(data);
    return data && typeof data === "object" && Object.keys(data).length > 0 ? data : null;
  }

  function lookUp(loadEntry, collection, slug) {
    var key = collection + "/" + slug;
    if (key in known || pending[key] || !loadEntry) return;
    pending[key] = Promise.resolve()
      .then(function () {
        return loadEntry(collection, slug);
      })
      .then(
        function (entry) {
          var data = hasData(entry);
          known[key] = !!data;
          if (collection === "ke-hoach") {
            tasksOf[slug] = data
              ? (data.phan_viec || []).map(function (task) {
                  return task.ma;
                })
              : null;
            tasksOf[slug + "#full"] = data ? data.phan_viec || [] : null;
          }
        },
        function () {
          known[key] = false;
          if (collection === "ke-hoach") tasksOf[slug] = tasksOf[slug + "#full"] = null;
        }
      )
      .then(function () {
        delete pending[key];
        notify();
      });
  }

  function forget() {
    known = {};
    tasksOf = {};
  }

  function entryOf(props) {
    return props.getEntry ? props.getEntry() : props.entry;
  }

  function collectionOf(props) {
    var collection = props.collection;
    var name = collection && collection.get("name");
    if (name && !collections[name]) collections[name] = collection.toJS();
    return name;
  }

  function savedOf(entry, name) {
    if (!entry || entry.get("newRecord") || !DATED[name]) return null;
    var slug = String(entry.get("slug") || "");
    var parts = slug.split("/");
    return parts.length === 2 ? { owner: parts[0], date: parts[1] } : null;
  }

  function contextFor(entry, name, loadEntry) {
    var data = plain(entry && entry.get("data")) || {};
    return {
      entry: data,
      collection: name,
      local: LOCAL,
      saved: savedOf(entry, name),
      exists: function (collection, slug) {
        var key = collection + "/" + slug;
        if (!(key in known)) lookUp(loadEntry, collection, slug);
        return known[key];
      },
      planTasks: function (unit, date) {
        var slug = unit + "/" + date;
        if (!(slug in tasksOf)) lookUp(loadEntry, "ke-hoach", slug);
        return tasksOf[slug];
      },
    };
  }

  // Problems the local backend found at a top-level field, shown there too.
  var serverProblems = {};

  // Every one of our fields: its rules, and re-rendering when what they
  // depend on changes (Decap re-renders a field only for its own value).
  var ruled = {
    componentDidMount: function () {
      var self = this;
      listeners.push(self);
      self._seen = self.dependsOn();
      // The commune and Saturday name the file: look up at once whether that
      // file exists (or has a plan), so the answer is there when «Lưu» is clicked.
      var warm = option(self.props.field, "names_file", false)
        ? function () {
            self.problems();
          }
        : function () {};
      warm();
      self._timer = window.setInterval(function () {
        var now = self.dependsOn();
        if (now !== self._seen) {
          self._seen = now;
          warm();
          self.forceUpdate();
        }
      }, 400);
    },
    componentWillUnmount: function () {
      listeners.splice(listeners.indexOf(this), 1);
      window.clearInterval(this._timer);
    },
    dependsOn: function () {
      var entry = entryOf(this.props);
      var data = entry && entry.get("data");
      return data ? JSON.stringify(plain(data)).length + ":" + (data.hashCode ? data.hashCode() : "") : "";
    },
    problems: function () {
      var props = this.props;
      var field = props.field;
      var name = collectionOf(props);
      var entry = entryOf(props);
      var ctx = contextFor(entry, name, props.loadEntry);
      var found = RULES.fieldProblems(field, props.value, ctx);
      var own = field.get("name");
      var config = collections[name];
      var top = config && (config.fields || []).some(function (f) {
        return f.name === own;
      });
      if (top && config) {
        // Rules across fields and files, placed at this field.
        RULES.checkEntry(config, ctx.entry, ctx).forEach(function (p) {
          if (p.path.length === 1 && p.path[0] === own && !found.some(function (f) { return f.rule === p.rule; })) {
            found.push(p);
          }
        });
        if (serverProblems[own]) found.push(serverProblems[own]);
      }
      var list = option(field, "unique_in", null);
      if (list && props.value && ctx.entry[list]) {
        var same = (ctx.entry[list] || []).filter(function (item) {
          return item && item[own] === props.value;
        });
        if (same.length > 1) {
          found.push(RULES.problem("S008", { what: field.get("label"), value: props.value, first_index: 1, first_line: 0 }));
        }
      }
      return found;
    },
    isValid: function () {
      var found = this.problems();
      return found.length ? error(said(found[0])) : true;
    },
    changed: function (value) {
      var own = this.props.field.get("name");
      delete serverProblems[own];
      this.props.onChange(value);
    },
  };

  function widget(spec) {
    return createClass(Object.assign({}, ruled, spec));
  }

  function inputProps(props, extra) {
    return Object.assign(
      {
        id: props.forID,
        className: props.classNameWrapper,
        onFocus: props.setActiveStyle,
        onBlur: props.setInactiveStyle,
      },
      extra
    );
  }

  // --- fields -----------------------------------------------------------------

  var TextControl = widget({
    render: function () {
      var self = this;
      var props = this.props;
      var multiline = option(props.field, "multiline", false);
      return h(
        multiline ? "textarea" : "input",
        inputProps(props, {
          type: multiline ? undefined : "text",
          rows: multiline ? 3 : undefined,
          lang: "vi",
          value: props.value || "",
          onChange: function (event) {
            // Text pasted from Word or PDF arrives decomposed: stored composed.
            self.changed(String(event.target.value).normalize("NFC"));
          },
        })
      );
    },
  });

  var NumberControl = widget({
    getInitialState: function () {
      var value = this.props.value;
      return { text: value === undefined || value === null ? "" : String(value).replace(".", ",") };
    },
    render: function () {
      var self = this;
      var props = this.props;
      return h(
        "input",
        inputProps(props, {
          type: "text",
          inputMode: option(props.field, "value_type", "float") === "int" ? "numeric" : "decimal",
          value: self.state.text,
          onChange: function (event) {
            self.setState({ text: event.target.value });
            self.changed(RULES.readNumber(event.target.value, option(props.field, "value_type", "float") === "int"));
          },
        })
      );
    },
  });

  // Today in Vietnam (UTC+7), whatever the computer's time zone.
  function todayInVietnam() {
    return new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 10);
  }

  function addDays(iso, days) {
    var parts = iso.split("-").map(Number);
    var day = new Date(Date.UTC(parts[0], parts[1] - 1, parts[2] + days));
    return day.toISOString().slice(0, 10);
  }

  function nextSaturday(iso) {
    return addDays(iso, (6 - RULES.weekday(iso) + 7) % 7);
  }

  function parseViDate(text) {
    var match = /^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$/.exec(text);
    if (!match) return null;
    var iso = match[3] + "-" + ("0" + match[2]).slice(-2) + "-" + ("0" + match[1]).slice(-2);
    return RULES.isIsoDate(iso) ? iso : null;
  }

  var DateControl = widget({
    getInitialState: function () {
      var value = this.props.value;
      return { text: value && RULES.isIsoDate(String(value)) ? RULES.viDate(value) : value || "" };
    },
    componentDidMount: function () {
      ruled.componentDidMount.call(this);
      var field = this.props.field;
      if (!this.props.value && field.get("required") !== false) {
        var today = todayInVietnam();
        this.set(option(field, "saturday", false) ? nextSaturday(today) : today);
      }
    },
    componentDidUpdate: function (before) {
      // Decap changed the value (a copy, a reload): show it.
      if (before.value !== this.props.value && this.props.value && RULES.isIsoDate(String(this.props.value))) {
        var shown = RULES.viDate(this.props.value);
        if (parseViDate(this.state.text) !== this.props.value && this.state.text !== shown) this.setState({ text: shown });
      }
    },
    set: function (iso) {
      this.setState({ text: RULES.viDate(iso) });
      this.changed(iso);
    },
    render: function () {
      var self = this;
      var props = this.props;
      var saturday = option(props.field, "saturday", false);
      var input = h(
        "input",
        inputProps(props, {
          type: "text",
          inputMode: "numeric",
          placeholder: "ngày/tháng/năm",
          autoComplete: "off",
          value: self.state.text,
          onChange: function (event) {
            var text = event.target.value;
            self.setState({ text: text });
            self.changed(parseViDate(text) || text.trim());
          },
        })
      );
      if (!saturday) return input;
      var around = RULES.isIsoDate(String(props.value || "")) ? props.value : nextSaturday(todayInVietnam());
      var start = addDays(nextSaturday(around), -7 * 8);
      var choices = [h("option", { key: "", value: "" }, "Chọn nhanh một ngày thứ Bảy…")];
      for (var i = 0; i < 17; i++) {
        var day = addDays(start, 7 * i);
        choices.push(h("option", { key: day, value: day }, "Thứ Bảy " + RULES.viDate(day)));
      }
      return h("div", { className: "ntm-ngay" }, [
        input,
        h(
          "select",
          {
            key: "nhanh",
            className: "ntm-ngay__nhanh",
            "aria-label": "Chọn nhanh một ngày thứ Bảy",
            value: "",
            onChange: function (event) {
              if (event.target.value) self.set(event.target.value);
            },
          },
          choices
        ),
      ]);
    },
  });

  // A drop-down bound to the field: the chosen value, or "" for none.
  function fieldSelect(self, props, options) {
    return h(
      "select",
      inputProps(props, {
        value: props.value || "",
        onChange: function (event) {
          self.changed(event.target.value || "");
        },
      }),
      options
    );
  }

  // «Chọn…» then one option per {value, label}.
  function choiceOptions(items) {
    return [h("option", { key: "", value: "" }, "Chọn…")].concat(
      items.map(function (item) {
        return h("option", { key: item.value, value: item.value }, item.label);
      })
    );
  }

  var ChoiceControl = widget({
    render: function () {
      var props = this.props;
      return fieldSelect(this, props, choiceOptions(option(props.field, "options", [])));
    },
  });

  function ticks(self, props, items, chosen, allowed) {
    return h(
      "fieldset",
      { id: props.forID, className: props.classNameWrapper + " ntm-danh-dau" },
      items.map(function (item) {
        var checked = chosen.indexOf(item.value) >= 0;
        return h(
          "label",
          { key: item.value, className: "ntm-danh-dau__muc" },
          h("input", {
            type: "checkbox",
            value: item.value,
            checked: checked,
            onChange: function () {
              var next = checked
                ? chosen.filter(function (id) {
                    return id !== item.value;
                  })
                : allowed.filter(function (id) {
                    return id === item.value || chosen.indexOf(id) >= 0;
                  });
              self.changed(next);
            },
          }),
          item.label
        );
      })
    );
  }

  var ManyControl = widget({
    render: function () {
      var props = this.props;
      var options = option(props.field, "options", []);
      var values = options.map(function (item) {
        return item.value;
      });
      return ticks(this, props, options, plain(props.value) || [], values);
    },
  });

  var HamletControl = widget({
    render: function () {
      var props = this.props;
      var unit = (plain(entryOf(props).get("data")) || {})[option(props.field, "unit_field", "xa")];
      if (!unit) {
        return h("p", { id: props.forID, className: props.classNameWrapper }, "Chọn xã, thị trấn ở trên trước.");
      }
      var hamlets = (option(props.field, "hamlets", {}) || {})[unit] || [];
      if (option(props.field, "multiple", true) === false) return this.one(hamlets);
      var chosen = plain(props.value) || [];
      var allowed = hamlets.map(function (item) {
        return item.value;
      });
      var items = hamlets.concat(
        chosen
          .filter(function (id) {
            return allowed.indexOf(id) < 0;
          })
          .map(function (id) {
            return { value: id, label: id + " (không thuộc xã này)" };
          })
      );
      return ticks(this, props, items, chosen, allowed);
    },
    // One hamlet (where a photo was taken): a list to choose from.
    one: function (hamlets) {
      var self = this;
      var props = this.props;
      var items = hamlets.slice();
      if (props.value && !hamlets.some(function (item) { return item.value === props.value; })) {
        items.push({ value: props.value, label: props.value + " (không thuộc xã này)" });
      }
      return fieldSelect(self, props, choiceOptions(items));
    },
  });

  var TaskControl = widget({
    render: function () {
      var self = this;
      var props = this.props;
      var data = plain(entryOf(props).get("data")) || {};
      var unit = data[option(props.field, "unit_field", "xa")];
      var day = data[option(props.field, "date_field", "ngay")];
      if (!unit || !day) {
        return h("p", { id: props.forID, className: props.classNameWrapper }, "Chọn xã và ngày thứ Bảy ở trên trước.");
      }
      var slug = unit + "/" + day;
      if (!(slug in tasksOf)) lookUp(props.loadEntry, option(props.field, "plans", "ke-hoach"), slug);
      var tasks = tasksOf[slug + "#full"];
      if (tasks === null) {
        return h(
          "p",
          { id: props.forID, className: props.classNameWrapper + " ntm-chua-co" },
          "Chưa có kế hoạch cho thứ Bảy này. Nhập kế hoạch của xã cho ngày này trước, rồi nhập kết quả."
        );
      }
      tasks = tasks || [];
      var options = [h("option", { key: "", value: "" }, tasks.length ? "Chọn phần việc…" : "Đang tải kế hoạch…")];
      tasks.forEach(function (task) {
        var amount = task.khoi_luong ? " (" + String(task.khoi_luong.so).replace(".", ",") + " " + task.khoi_luong.don_vi_tinh + ")" : "";  // 1,5 km, as the site writes it
        options.push(h("option", { key: task.ma, value: task.ma }, task.noi_dung + amount));
      });
      if (props.value && !tasks.some(function (task) { return task.ma === props.value; })) {
        options.push(h("option", { key: props.value, value: props.value }, props.value + " (không có trong kế hoạch)"));
      }
      return fieldSelect(self, props, options);
    },
  });

  // Markdown of a page in a plain text box: Decap's own editor (Slate) keeps
  // only the first piece of text of each line when a line was split while
  // typing; a text box keeps every character. The preview pane still draws
  // the Markdown with Decap's own renderer.
  var MarkdownTextControl = widget({
    render: function () {
      var self = this;
      var props = this.props;
      var lines = String(props.value || "").split("\n").length;
      return h(
        "textarea",
        inputProps(props, {
          value: props.value || "",
          rows: Math.min(Math.max(lines + 2, 12), 40),
          spellCheck: false,
          lang: "vi",
          className: props.classNameWrapper + " ntm-markdown",
          onChange: function (event) {
            self.changed(String(event.target.value).normalize("NFC"));
          },
        })
      );
    },
  });

  // --- before saving ------------------------------------------------------------

  function isMap(value) {
    return !!(value && value["@@__IMMUTABLE_MAP__@@"]);
  }

  function isList(value) {
    return !!(value && value["@@__IMMUTABLE_LIST__@@"]);
  }

  function isEmpty(item) {
    return item === "" || item === null || item === undefined;
  }

  // Optional fields left empty are dropped (an empty text or a blank number
  // in the file is an error; a missing optional field is not); an optional
  // block left wholly empty goes too. Texts in NFC.
  function cleaned(value, top) {
    if (isMap(value)) {
      var out = value
        .filterNot(function (item, key) {
          return isEmpty(item) && !(top && key === "body");
        })
        .map(function (item) {
          return cleaned(item, false);
        });
      return out.filterNot(function (item) {
        return isMap(item) && item.size === 0;
      });
    }
    if (isList(value)) {
      return value
        .filterNot(isEmpty)
        .map(function (item) {
          return cleaned(item, false);
        });
    }
    return typeof value === "string" ? value.normalize("NFC") : value;
  }

  // Task codes left empty are made from the task's name (unique in the plan).
  function withCodes(data) {
    var tasks = data.get("phan_viec");
    if (!isList(tasks)) return data;
    var used = {};
    tasks.forEach(function (task) {
      if (isMap(task) && task.get("ma")) used[task.get("ma")] = true;
    });
    return data.set(
      "phan_viec",
      tasks.map(function (task) {
        if (!isMap(task) || task.get("ma") || !task.get("noi_dung")) return task;
        var base = RULES.codeFrom(task.get("noi_dung")) || "phan-viec";
        var code = base;
        for (var n = 2; used[code]; n++) code = base + "-" + n;
        used[code] = true;
        return task.set("ma", code);
      })
    );
  }

  function refusal(problems) {
    var text = problems
      .slice(0, 4)
      .map(function (p) {
        return (p.field ? p.field + ": " : "") + said(p);
      })
      .join(" ");
    var problem = new Error(text);
    problem.ntmRefusal = true;
    // Decap prints the error as text: without the "Error:" prefix.
    problem.toString = function () {
      return text;
    };
    return problem;
  }

  function settled() {
    // Look-ups still on their way (a Saturday chosen just before «Lưu»).
    var waiting = Object.keys(pending).map(function (key) {
      return pending[key];
    });
    return Promise.all(waiting);
  }

  function preSave(args) {
    return settled().then(function () {
      return checked(args);
    });
  }

  function checked(args) {
    var entry = args.entry;
    var name = entry.get("collection");
    var data = withCodes(cleaned(entry.get("data"), true));
    var config = collections[name];
    if (config) {
      var ctx = contextFor(entry.set("data", data), name, null);
      var found = RULES.checkEntry(config, plain(data), ctx);
      if (found.length) throw refusal(found);
    }
    if (!LOCAL || !DATED[name]) return data;
    var saved = savedOf(entry, name);
    return api("ntmCheck", {
      collection: name,
      data: plain(data),
      newEntry: !saved,
      path: saved ? entry.get("path") : null,
      photos: pickedPhotos(entry),
    }).then(function (answer) {
      if (answer.problems && answer.problems.length) {
        answer.problems.forEach(function (p) {
          if (p.path && p.path.length === 1) serverProblems[p.path[0]] = p;
        });
        notify();
        throw refusal(answer.problems);
      }
      return data;
    });
  }

  // Photos picked in this form (ntm-anh.js): they travel with the save itself.
  function pickedPhotos(entry) {
    var files = entry.get("mediaFiles");
    return files && files.filter
      ? plain(files.filter(function (f) { return f.get("draft"); }).map(function (f) { return f.get("name"); }))
      : [];
  }

  function postSave(args) {
    var entry = args.entry;
    var name = entry.get("collection");
    forget();
    if (LOCAL) refreshStatus();
    var keys = DATED[name];
    if (!keys || !LOCAL) return;
    // A saved entry whose commune or Saturday changed was moved: follow it.
    var data = plain(entry.get("data")) || {};
    var slug = data[keys[0]] + "/" + data[keys[1]];
    var saved = savedOf(entry, name);
    if (saved && saved.owner + "/" + saved.date !== slug) {
      window.setTimeout(function () {
        window.location.hash = "#/collections/" + name + "/entries/" + slug;
      }, 300);
    }
  }

  // --- status line and «Lưu vào lịch sử» (local mode) ---------------------------

  var statusBox = null;

  function refreshStatus() {
    if (!proxyUrl || pageShown) return;
    api("ntmStatus", {}).then(showStatus, function () {});
  }

  function showStatus(status) {
    if (!statusBox) {
      statusBox = document.createElement("div");
      statusBox.className = "ntm-lich-su";
      statusBox.setAttribute("role", "status");
      document.body.appendChild(statusBox);
    }
    var count = (status.pending || []).length;
    var push = status.push || {};
    var text = "";
    if (count) text = count + " thay đổi chưa lưu vào lịch sử (sửa ngoài trang quản trị).";
    else if (push.state === "failed") text = push.message;
    else if (push.state === "running" || push.state === "pending") text = "Đang gửi lên kho chung…";
    statusBox.textContent = "";
    statusBox.hidden = !text;
    if (!text) return;
    var words = document.createElement("span");
    words.textContent = text + " ";
    statusBox.appendChild(words);
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = count ? "Lưu vào lịch sử…" : "Gửi lại";
    button.addEventListener("click", function () {
      openSaveDialog(status.pending || []);
    });
    statusBox.appendChild(button);
  }

  function openSaveDialog(pendingFiles) {
    var dialog = document.createElement("dialog");
    dialog.className = "ntm-hop-thoai";
    var heading = document.createElement("h2");
    heading.textContent = "Lưu vào lịch sử";
    dialog.appendChild(heading);
    var list = document.createElement("ul");
    pendingFiles.slice(0, 10).forEach(function (item) {
      var li = document.createElement("li");
      li.textContent = item.label;
      list.appendChild(li);
    });
    dialog.appendChild(list);
    var labelText = document.createElement("label");
    labelText.textContent = "Ghi chú cho lần lưu này (ai sửa gì, vì sao)";
    var message = document.createElement("textarea");
    message.rows = 3;
    message.value = "Cập nhật nội dung";
    labelText.appendChild(message);
    dialog.appendChild(labelText);
    var result = document.createElement("p");
    result.setAttribute("role", "status");
    dialog.appendChild(result);
    var save = document.createElement("button");
    save.type = "button";
    save.textContent = "Lưu và gửi";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Đóng";
    close.addEventListener("click", function () {
      dialog.close();
      dialog.remove();
    });
    save.addEventListener("click", function () {
      save.disabled = true;
      result.textContent = "Đang kiểm tra và lưu…";
      api("ntmCommit", { message: message.value }).then(
        function (answer) {
          result.textContent = answer.count ? "Đã lưu " + answer.count + " thay đổi vào lịch sử." : "Không còn gì chưa lưu.";
          refreshStatus();
        },
        function (problem) {
          save.disabled = false;
          result.textContent = problem.message;
        }
      );
    });
    dialog.appendChild(save);
    dialog.appendChild(close);
    document.body.appendChild(dialog);
    dialog.showModal();
  }

  // --- around the form ------------------------------------------------------------

  // List rows "18/03/2023 · gung-re" read "18/03/2023 · Xã Gung Ré".
  var ROW = /^(\d{2}\/\d{2}\/\d{4}) · ([a-z0-9-]+)$/;

  function polish() {
    var cards = document.querySelectorAll("h2, [class*='ListCardTitle'], [class*='CardHeading']");
    for (var i = 0; i < cards.length; i++) {
      var match = ROW.exec(cards[i].textContent.trim());
      if (match) {
        var owner = DATA.units[match[2]] || (DATA.agencies[match[2]] || {}).name;
        if (owner) cards[i].textContent = match[1] + " · " + owner;
      }
    }
    // The Board's name above the login button, nowhere else.
    var login = !!document.querySelector("[class*='AuthenticationPage'], section button[class*='LoginButton']");
    document.body.classList.toggle("ntm-dang-nhap", login || !!document.querySelector("img[src*='chia-se']"));
  }

  var scheduled = false;
  new MutationObserver(function () {
    if (scheduled) return;
    scheduled = true;
    window.requestAnimationFrame(function () {
      scheduled = false;
      polish();
    });
  }).observe(document.body, { childList: true, subtree: true, characterData: true });

  // --- start ------------------------------------------------------------------------

  var onLocalHost = LOCAL_HOSTS.indexOf(window.location.hostname) >= 0;
  if (document.body.getAttribute("data-local-only") === "true" && !onLocalHost) {
    showPage("Trang quản trị chưa dùng được ở đây", [
      "Trang web này chưa được nối với kho git của Ban Tuyên giáo, nên chỉ sửa nội dung được trên máy biên tập của Ban.",
      "Trên máy biên tập: mở biểu tượng «Sửa nội dung Nông thôn mới». Xem trang «Sửa nội dung trên trang quản trị» của phần «Hướng dẫn biên tập».",
    ]);
    return;
  }
  if (PKCE.indexOf(MODE) >= 0 && !window.isSecureContext) {
    showPage("Trang quản trị cần địa chỉ https://", [
      "Đăng nhập vào kho git chỉ chạy khi trang web mở bằng địa chỉ an toàn (bắt đầu bằng https://). Trang này đang mở bằng http://, nên trình duyệt không cho đăng nhập.",
      "Báo người quản trị kỹ thuật: cần cài chứng chỉ HTTPS cho máy chủ trang web trong mạng nội bộ (xem design/editor.md, mục «HTTP trong mạng nội bộ»).",
    ]);
    return;
  }

  CMS.registerWidget("ntm-chu", TextControl);
  CMS.registerWidget("ntm-so", NumberControl);
  CMS.registerWidget("ntm-ngay", DateControl);
  CMS.registerWidget("ntm-chon", ChoiceControl);
  CMS.registerWidget("ntm-nhieu", ManyControl);
  CMS.registerWidget("ntm-thon", HamletControl);
  CMS.registerWidget("ntm-phan-viec", TaskControl);
  CMS.registerWidget("ntm-markdown", MarkdownTextControl, CMS.getWidget("markdown").preview);
  if (window.NTM.photoWidget) {
    var photoTools = { h: h, option: option, said: said, entryOf: entryOf, rules: RULES, local: LOCAL };
    photoTools.upload = function (action, params) {
      return api(action, params, "/tai-len");
    };
    CMS.registerWidget("ntm-anh", widget(window.NTM.photoWidget(photoTools)));
  }
  CMS.registerEventListener({ name: "preSave", handler: preSave });
  CMS.registerEventListener({ name: "postSave", handler: postSave });

  if (LOCAL) {
    loadProxyUrl().then(
      function () {
        CMS.init();
        refreshStatus();
        window.setInterval(refreshStatus, 15000);
      },
      function () {
        backendDown();
      }
    );
  } else {
    // Decap commits the media library's uploads as they come: a phone's photo is cleaned first.
    if (window.NTM.cleanMediaUploads && DATA.photo) window.NTM.cleanMediaUploads(DATA.photo);
    CMS.init();
  }
})();
