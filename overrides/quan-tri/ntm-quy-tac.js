/*
 * The rules of `ntm check`, in the browser: what the form refuses before it
 * saves, in local mode and on the published site alike.
 *
 * Nothing here is a second copy of the rules' words: each field's limits come
 * from config.yml (generated from the models' JSON Schemas), the messages and
 * fixes from ntm-du-lieu.js (generated from the rule registry), both by the
 * build. tests/test_editor_rules.py runs the same table of cases through the
 * Python check and through this file in Chromium, and compares rule ids and
 * places.
 *
 * NTM.rules.fieldProblems(field, value, ctx) -> the problems of one field, for
 *   the widget that shows it (its isValid);
 * NTM.rules.checkEntry(collection, data, ctx) -> every problem of an entry,
 *   with its place ["phan_viec", 1, "khoi_luong", "so"] and label path.
 *
 * ctx: { entry: the entry's data, collection: name, saved: {owner, date} of
 *   the saved entry or null for a new one, local: true in local mode,
 *   exists(collection, slug): true/false/undefined (not known yet),
 *   planTasks(unit, date): [task ids] / null (no plan) / undefined }
 */
(function () {
  "use strict";

  var DATA = window.NTM_DU_LIEU || { rules: {}, ocr: [], units: {}, agencies: {} };
  var OCR = {};
  (DATA.ocr || []).forEach(function (word) {
    OCR[word] = true;
  });
  var WEEKDAYS = ["Chủ nhật", "thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy"];
  var MARKUP = /<\s*\/?\s*[A-Za-z!?]/;
  var CODE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
  var CLOCK = /^\s*(\d{1,2})\s*(?:h|g|giờ|:)\s*(\d{0,2})\s*(?:p|phút)?\s*$/i;
  var WORD = /[\p{L}\p{N}_]+/gu;
  var DIGIT_IN_WORD = /[a-zà-ỹđ]\d|\d[a-zà-ỹđ]/;
  var ALLOWED_MIXED = /^(?:\d*(m2|m3|km2|km|kg|ha|cm|mm|h\d{0,2}|g)|\d+[a-z]\d*)$/; // as contentcheck._ALLOWED_MIXED: and «tổ 5b», «4x4»
  var NOT_PROSE = [/`[^`]*`/g, /\]\([^)]*\)/g, /\{[:#][^}]*\}/g, /<[^>]*>/g, /https?:\/\/\S+/g];
  var LINE_NOTE = /,? dòng \d+/g;
  // Lists whose items must differ (saturday/data.py check_unique): list -> key, what.
  var UNIQUE = {
    phan_viec: ["ma", "Mã phần việc"],
    co_quan_tham_gia: ["co_quan", "Cơ quan"],
    khoi_luong_da_lam: ["phan_viec", "Phần việc"],
    phan_bo: ["xa", "Xã"],
  };
  var KINDS = { "ke-hoach": "kế hoạch", "ket-qua": "kết quả", "danh-sach": "danh sách" };

  function plain(value) {
    return value && value.toJS ? value.toJS() : value;
  }

  function option(field, key, fallback) {
    var value = field && (field.get ? field.get(key) : field[key]);
    if (value === undefined || value === null) return fallback;
    return plain(value);
  }

  function label(field) {
    return option(field, "label", option(field, "name", ""));
  }

  function format(template, params) {
    return String(template || "").replace(/\{([a-z_]+)\}/g, function (all, key) {
      return params[key] === undefined ? all : String(params[key]);
    });
  }

  function problem(rule, params) {
    var text = DATA.rules[rule] || { message: rule, fix: "" };
    return {
      rule: rule,
      message: format(text.message, params).replace(LINE_NOTE, ""),
      fix: format(text.fix, params),
    };
  }

  function shown(value) {
    var text = String(value);
    return text.length <= 60 ? text : text.slice(0, 57) + "...";
  }

  function viDate(iso) {
    var parts = String(iso).split("-");
    return parts.length === 3 ? parts[2] + "/" + parts[1] + "/" + parts[0] : String(iso);
  }

  function isIsoDate(iso) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return false;
    var parts = iso.split("-").map(Number);
    var day = new Date(Date.UTC(parts[0], parts[1] - 1, parts[2]));
    return day.getUTCMonth() === parts[1] - 1 && day.getUTCDate() === parts[2];
  }

  function weekday(iso) {
    var parts = iso.split("-").map(Number);
    return new Date(Date.UTC(parts[0], parts[1] - 1, parts[2])).getUTCDay();
  }

  function parseClock(text) {
    var match = CLOCK.exec(String(text));
    if (!match) return null;
    var hours = Number(match[1]);
    var minutes = Number(match[2] || 0);
    return hours < 24 && minutes < 60 ? hours * 60 + minutes : null;
  }

  function clockText(minutes) {
    var m = minutes % 60;
    return Math.floor(minutes / 60) + "h" + (m < 10 ? "0" : "") + m;
  }

  function blank(value) {
    return value === undefined || value === null || (typeof value === "string" && value.trim() === "");
  }

  function nfc(value) {
    return typeof value === "string" ? value.normalize("NFC") : value;
  }

  function unitName(id) {
    return DATA.units[id] || id;
  }

  // contentcheck.py: words of OCR residue and digits inside words.
  function textWordProblems(text) {
    var found = [];
    var prose = String(text).normalize("NFC");
    NOT_PROSE.forEach(function (pattern) {
      prose = prose.replace(pattern, " ");
    });
    (prose.match(WORD) || []).forEach(function (word) {
      var lower = word.toLowerCase();
      if (OCR[lower] || OCR[word]) found.push(problem("T002", { word: word }));
      else if (DIGIT_IN_WORD.test(word) && !ALLOWED_MIXED.test(word)) found.push(problem("T003", { word: word }));
    });
    return found;
  }

  // --- one field ------------------------------------------------------------

  function textProblems(field, value) {
    var name = label(field);
    var text = String(value);
    var trimmed = text.trim();
    var kind = option(field, "kind", "text");
    if (trimmed === "") return [problem("M004", { field: name })];
    var max = option(field, "max_length", null);
    if (max !== null && trimmed.length > max) {
      return [problem("M005", { field: name, length: trimmed.length, limit: max })];
    }
    if (kind === "code" && !CODE.test(text)) return [problem("M006", { field: name, value: shown(text) })];
    if (kind === "clock" && parseClock(text) === null) return [problem("M018", { field: name, value: shown(text) })];
    if (kind === "text") {
      if (MARKUP.test(text)) return [problem("M020", { field: name })];
      return textWordProblems(text);
    }
    return [];
  }

  function numberProblems(field, value) {
    var name = label(field);
    var integer = option(field, "value_type", "float") === "int";
    var largest = option(field, "max", null);
    // Past 15 digits the form keeps the typed text (readNumber): still a number, for its range.
    var typed = typeof value === "string" ? numberDigits(value.trim(), integer) : null;
    if (typed !== null) value = Number(typed);
    if (typeof value === "number" && largest !== null && value > largest) {
      return [problem("M023", { field: name, value: typed !== null ? typed : value, largest: groupThousands(largest) })];
    }
    if (typeof value !== "number" || !isFinite(value)) {
      return [problem(integer ? "M007" : "M008", { field: name, value: shown(value) })];
    }
    if (integer && Math.floor(value) !== value) return [problem("M007", { field: name, value: shown(value) })];
    var min = option(field, "min", null);
    if (min !== null) {
      var exclusive = option(field, "min_exclusive", false);
      // models/base.allowed_numbers: what the fix says the field takes.
      var allowed = exclusive ? "lớn hơn " + min : "từ " + min + " trở lên";
      if (option(field, "negative_first", false) && value < min) return [problem("M009", { field: name, value: value, allowed: allowed })];
      if (exclusive && value <= min) return [problem("M010", { field: name, value: value })];
      if (!exclusive && value < min) return [problem("M009", { field: name, value: value, allowed: allowed })];
    }
    return [];
  }

  // 1000000000 -> "1.000.000.000", as MAX_NUMBER_TEXT (models/base.py) writes it.
  function groupThousands(number) {
    return String(number).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  function dateProblems(field, value, ctx) {
    var name = label(field);
    if (!isIsoDate(String(value))) return [problem("M012", { field: name, value: shown(value) })];
    if (option(field, "saturday", false) && weekday(value) !== 6) {
      return [problem("S001", { field: name, date: viDate(value), weekday: WEEKDAYS[weekday(value)] })];
    }
    var other = option(field, "not_after", null);
    var otherValue = other && ctx && ctx.entry ? ctx.entry[other] : null;
    if (otherValue && isIsoDate(String(otherValue)) && value > otherValue) {
      var rule = option(field, "rule", "S009");
      return [
        problem(rule, { drafted: viDate(value), date: viDate(otherValue), sent: viDate(value), saturday: viDate(otherValue) }),
      ];
    }
    return [];
  }

  function choiceProblems(field, value, ctx) {
    var ref = option(field, "ref", null);
    var values = (option(field, "options", []) || []).map(function (item) {
      return item.value;
    });
    var chosen = Array.isArray(value) ? value : [value];
    var unknown = chosen.filter(function (item) {
      return values.indexOf(item) < 0;
    });
    if (unknown.length && ref === "unit") return [problem("S005", { value: unknown[0], known: values.slice(0, 4).join(", ") })];
    if (unknown.length && ref === "agency") return [problem("S007", { value: unknown[0], known: values.join(", ") })];
    return [];
  }

  function hamletProblems(field, value, ctx) {
    var unit = ctx && ctx.entry ? ctx.entry[option(field, "unit_field", "xa")] : null;
    var all = option(field, "hamlets", {}) || {};
    var known = (all[unit] || []).map(function (item) {
      return item.value;
    });
    return (Array.isArray(value) ? value : value ? [value] : [])
      .filter(function (id) {
        return known.indexOf(id) < 0;
      })
      .map(function (id) {
        return problem("S006", { unit: unitName(unit), value: id, known: known.join(", ") });
      });
  }

  function taskProblems(field, value, ctx) {
    var entry = (ctx && ctx.entry) || {};
    if (!ctx || !ctx.planTasks || !entry.xa || !entry.ngay) return [];
    var tasks = ctx.planTasks(entry.xa, entry.ngay);
    if (!tasks) return []; // no plan: said once, at the Saturday (S011)
    if (tasks.indexOf(value) < 0) {
      return [problem("S012", { date: viDate(entry.ngay), value: value, known: tasks.join(", ") })];
    }
    return [];
  }

  /* The problems of one field's own value (empty values: only "required"). */
  function fieldProblems(field, value, ctx) {
    value = plain(value);
    var widget = option(field, "widget", "");
    if (blank(value) || (Array.isArray(value) && value.length === 0 && widget !== "list")) {
      if (option(field, "required", true) && widget !== "boolean" && !option(field, "auto_from", null)) {
        return [problem("M001", { field: label(field) })];
      }
      return [];
    }
    switch (widget) {
      case "ntm-chu":
        return textProblems(field, value);
      case "ntm-so":
        return numberProblems(field, value);
      case "ntm-ngay":
        return dateProblems(field, value, ctx);
      case "ntm-chon":
      case "ntm-nhieu":
        return choiceProblems(field, value, ctx);
      case "ntm-thon":
        return hamletProblems(field, value, ctx);
      case "ntm-phan-viec":
        return taskProblems(field, value, ctx);
      case "ntm-markdown":
        return textWordProblems(value);
      default:
        return [];
    }
  }

  // --- rules across fields, items and files ----------------------------------

  function listProblems(field, items) {
    var name = label(field);
    var min = option(field, "min", null);
    var max = option(field, "max", null);
    if (min !== null && items.length < min) return [problem("M016", { field: name, limit: min })];
    if (max !== null && items.length > max) return [problem("M017", { field: name, length: items.length, limit: max })];
    return [];
  }

  function duplicates(name, items, path) {
    var rule = UNIQUE[name];
    if (!rule) return [];
    var seen = {};
    var found = [];
    items.forEach(function (item, index) {
      var value = item && item[rule[0]];
      if (blank(value)) return;
      if (Object.prototype.hasOwnProperty.call(seen, value)) {
        var shownValue = rule[0] === "xa" ? unitName(value) : value;
        found.push({
          path: path.concat([index, rule[0]]),
          problem: problem("S008", { what: rule[1], value: shownValue, first_index: seen[value] + 1, first_line: 0 }),
        });
      } else {
        seen[value] = index;
      }
    });
    return found;
  }

  /* The Saturday and commune that name the file: a new entry may not take a
     pair that has one already; a saved one moves with them in local mode. */
  function fileProblems(collection, data, ctx) {
    var name = option(collection, "name", "");
    if (!KINDS[name] || !ctx) return [];
    var ownerField = name === "danh-sach" ? "co_quan" : "xa";
    var dateField = name === "danh-sach" ? "ngay_thu_bay" : "ngay";
    var owner = data[ownerField];
    var date = data[dateField];
    if (blank(owner) || blank(date)) return [];
    var saved = ctx.saved;
    var changed = !saved || saved.owner !== owner || saved.date !== date;
    var found = [];
    var ownerName = name === "danh-sach" ? ((DATA.agencies[owner] || {}).name || owner) : unitName(owner);
    if (saved && changed && !ctx.local) {
      var which = saved.owner !== owner ? ownerField : dateField;
      var fieldLabel = labelOf(collection, which);
      found.push({
        path: [which],
        problem: problem("E002", {
          kind: KINDS[name].charAt(0).toUpperCase() + KINDS[name].slice(1),
          unit: unitName(saved.owner) || saved.owner,
          date: viDate(saved.date),
          label: fieldLabel,
        }),
      });
    } else if (changed && ctx.exists && ctx.exists(name, owner + "/" + date) === true) {
      found.push({ path: [dateField], problem: problem("E001", { kind: KINDS[name], unit: ownerName, date: viDate(date) }) });
    }
    if (name === "ket-qua" && ctx.planTasks && ctx.planTasks(owner, date) === null) {
      found.push({ path: ["ngay"], problem: problem("S011", { unit: unitName(owner), date: viDate(date), iso: date }) });
    }
    return found;
  }

  function labelOf(collection, name) {
    var fields = option(collection, "fields", []) || [];
    var field = fields.filter(function (f) {
      return f.name === name;
    })[0];
    return field ? field.label : name;
  }

  function crossFieldProblems(collection, data) {
    var name = option(collection, "name", "");
    var found = [];
    if (name === "ket-qua" && typeof data.so_ho_tham_gia === "number" && typeof data.tong_so_ho === "number") {
      if (data.so_ho_tham_gia > data.tong_so_ho) {
        found.push({ path: ["so_ho_tham_gia"], problem: problem("S010", { joined: data.so_ho_tham_gia, total: data.tong_so_ho }) });
      }
    }
    var hours = data.thoi_gian;
    if (hours && !blank(hours.bat_dau) && !blank(hours.ket_thuc)) {
      var start = parseClock(hours.bat_dau);
      var end = parseClock(hours.ket_thuc);
      if (start !== null && end !== null && end <= start) {
        found.push({ path: ["thoi_gian"], problem: problem("M019", { start: clockText(start), end: clockText(end) }) });
      }
    }
    if (name === "danh-sach" && Array.isArray(data.phan_bo)) {
      var agency = DATA.agencies[data.co_quan];
      if (agency) {
        data.phan_bo.forEach(function (item, index) {
          if (item && item.xa && DATA.units[item.xa] && agency.supports.indexOf(item.xa) < 0) {
            found.push({ path: ["phan_bo", index, "xa"], problem: problem("S013", { agency: agency.name, value: unitName(item.xa) }) });
          }
        });
      }
    }
    return found;
  }

  function walk(fields, data, path, labels, ctx, found, optionalBlock) {
    (fields || []).forEach(function (field) {
      var name = field.name;
      var value = data ? data[name] : undefined;
      var here = path.concat([name]);
      var here_labels = labels.concat([field.label]);
      var widget = field.widget;
      if (widget === "object") {
        if (value && typeof value === "object") {
          var given = optionalBlockGiven(field, value);
          walk(field.fields, value, here, here_labels, ctx, found, field.optional_block && given);
        } else if (field.required !== false) {
          found.push(place(here, here_labels, problem("M001", { field: field.label })));
        }
        return;
      }
      var required = field.required !== false || optionalBlock;
      var fieldCopy = required === (field.required !== false) ? field : Object.assign({}, field, { required: required });
      if (value === undefined && (widget === "list" || widget === "ntm-nhieu" || widget === "ntm-thon")) {
        if (field.required !== false || optionalBlock) found.push(place(here, here_labels, problem("M001", { field: field.label })));
        return;
      }
      if (widget === "list" && (field.fields || field.field)) {
        var items = Array.isArray(value) ? value : [];
        listProblems(field, items).forEach(function (p) {
          found.push(place(here, here_labels, p));
        });
        items.forEach(function (item, index) {
          var itemLabels = here_labels.concat([capital(field.label_singular || "mục") + " " + (index + 1)]);
          if (field.fields) {
            walk(field.fields, item, here.concat([index]), itemLabels, ctx, found, false);
          } else {
            fieldProblems(field.field, item, ctx).forEach(function (p) {
              found.push(place(here.concat([index]), itemLabels, p));
            });
          }
        });
        duplicates(name, items, here).forEach(function (d) {
          found.push(place(d.path, here_labels.concat([capital(field.label_singular || "mục") + " " + (d.path[d.path.length - 2] + 1)]), d.problem));
        });
        return;
      }
      if (widget === "list" || widget === "ntm-nhieu" || widget === "ntm-thon") {
        var chosen = Array.isArray(value) ? value : [];
        listProblems(field, chosen).forEach(function (p) {
          found.push(place(here, here_labels, p));
        });
        if (!chosen.length) return;
        // Each chosen item on its own (a hamlet of another commune, S006).
        chosen.forEach(function (item, index) {
          fieldProblems(fieldCopy, [item], ctx).forEach(function (p) {
            found.push(place(here.concat([index]), here_labels, p));
          });
        });
        return;
      }
      fieldProblems(fieldCopy, value, ctx).forEach(function (p) {
        found.push(place(here, here_labels, p));
      });
    });
  }

  function optionalBlockGiven(field, value) {
    return Object.keys(value).some(function (key) {
      return !blank(value[key]);
    });
  }

  function capital(text) {
    text = String(text);
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  function place(path, labels, p) {
    return { rule: p.rule, path: path, field: labels.join(" › "), message: p.message, fix: p.fix };
  }

  /* Every problem of an entry (plain data), each with its place. */
  function checkEntry(collection, data, ctx) {
    collection = plain(collection);
    data = plain(data) || {};
    ctx = Object.assign({ entry: data, collection: collection.name }, ctx || {});
    var found = [];
    walk(collection.fields, data, [], [], ctx, found, false);
    // As in `ntm check`: rules between fields and files only for an entry
    // whose fields are each valid; the file's place is checked always.
    var valid = found.length === 0;
    crossFieldProblems(collection, data).forEach(function (d) {
      // M019 is the model's own rule (pydantic), said with the others.
      if (valid || d.problem.rule.charAt(0) === "M") found.push(place(d.path, [labelPath(collection, d.path)], d.problem));
    });
    fileProblems(collection, data, ctx).forEach(function (d) {
      if (valid || d.problem.rule !== "S011") found.push(place(d.path, [labelPath(collection, d.path)], d.problem));
    });
    return found;
  }

  function labelPath(collection, path) {
    var words = [];
    var fields = collection.fields;
    path.forEach(function (part) {
      if (typeof part === "number") return;
      var field = (fields || []).filter(function (f) {
        return f.name === part;
      })[0];
      if (!field) return;
      words.push(field.label);
      fields = field.fields;
    });
    return words.join(" › ");
  }

  /* Every text of the entry in NFC (text pasted from Word or PDF). */
  function normalise(value) {
    if (typeof value === "string") return nfc(value);
    if (Array.isArray(value)) return value.map(normalise);
    if (value && typeof value === "object") {
      var out = {};
      Object.keys(value).forEach(function (key) {
        out[key] = normalise(value[key]);
      });
      return out;
    }
    return value;
  }

  /* A number as a person types it, read as the workbook import reads a
     typed cell (workbooks/typed.number_from_text): «1,5» and «1.5» are one
     and a half; «1 200» and, in a whole-number field, «1.000» are thousands;
     «1.500» where a fraction is allowed could be either, and «0,500» is a
     fraction. What cannot be read one way only (or past 15 digits, which a
     number would round) stays the typed text, which the field's rule refuses
     with the text shown: never a different number than the one typed; a
     number past the field's largest value is said to be too large (M023),
     not «not a number» (tooLarge). */
  var WHOLE = /^-?\d+$/;
  var SPACED = /^-?\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+$/;
  var GROUPED = /^-?\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$/;
  var DECIMAL = /^-?\d+[.,]\d+$/;
  var VI_MIXED = /^-?\d{1,3}(?:\.\d{3})+,\d+$/;
  var EN_MIXED = /^-?\d{1,3}(?:,\d{3})+\.\d+$/;
  var SPACED_MIXED = /^-?\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+,\d+$/;

  // The digits of a typed number, "-1500.5", or null when it is no number or could be two.
  function numberDigits(value, whole) {
    var read = null;
    var grouped = GROUPED.exec(value);
    if (WHOLE.test(value)) read = value;
    else if (SPACED.test(value)) read = value.replace(/[ \u00a0\u202f\u2009]/g, "");
    else if (grouped) {
      if (value.replace("-", "").charAt(0) === "0" && !whole) read = value.replace(",", ".");
      else if (whole || value.split(grouped[1]).length > 2) read = value.replace(/[.,]/g, "");
    } else if (DECIMAL.test(value)) read = value.replace(",", ".");
    else if (VI_MIXED.test(value)) read = value.replace(/\./g, "").replace(",", ".");
    else if (EN_MIXED.test(value)) read = value.replace(/,/g, "");
    else if (SPACED_MIXED.test(value)) read = value.replace(/[ \u00a0\u202f\u2009]/g, "").replace(",", ".");
    return read;
  }

  function readNumber(text, whole) {
    var value = String(text).trim();
    if (value === "") return undefined;
    var read = numberDigits(value, whole);
    if (read === null || read.replace(/[-.]/g, "").replace(/^0+/, "").length > 15) return value;
    return Number(read);
  }

  /* A typed text that is a number past ``largest`` (workbooks/typed.py:
     number-out-of-range): 20 digits are a number, too large. */
  function tooLarge(text, whole, largest) {
    var read = numberDigits(String(text).trim(), whole);
    return read !== null && largest !== null && Number(read) > largest;
  }

  /* "Quét dọn đường liên thôn" -> "quet-don-duong-lien-thon" (a task code). */
  function codeFrom(text) {
    return String(text || "")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d")
      .replace(/Đ/g, "d")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .split("-")
      .slice(0, 6)
      .join("-");
  }

  window.NTM = window.NTM || {};
  window.NTM.rules = {
    fieldProblems: fieldProblems,
    checkEntry: checkEntry,
    normalise: normalise,
    codeFrom: codeFrom,
    readNumber: readNumber,
    tooLarge: tooLarge,
    viDate: viDate,
    isIsoDate: isIsoDate,
    weekday: weekday,
    unitName: unitName,
    problem: problem,
  };
})();
