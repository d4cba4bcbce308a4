/*
 * «Chọn ảnh»: the file of a photo in the plan and result forms (widget
 * ntm-anh, registered by ntm-cms.js with the rules every field has).
 *
 * What a picked photo becomes before it is kept with the entry:
 * - local mode: sent to the local backend (<api>/tai-len, action ntmAnh),
 *   which turns it upright, converts its colours, removes every piece of
 *   metadata (GPS position first), shrinks it to at most 1,600 px and answers
 *   with the JPEG to store and its name (editor/photos.py);
 * - published mode: re-encoded here, on a canvas: the browser turns it
 *   upright while decoding, and a canvas keeps pixels only, so the JPEG it
 *   writes has no EXIF, GPS or XMP; the sRGB colour profile Chromium adds
 *   is cut out (pictureOnly). The CI check (rules A001-A015) still refuses
 *   anything that is not a normalised photo.
 * Either way the file is named by its content, «anh-<12 hex of its
 * SHA-256>.jpg», and given to Decap as a file of the entry: it is sent with
 * the save, into materials/anh/<xã>/<ngày>/ (the field's media_folder), in the
 * same commit as the record.
 *
 * Refused before any decoding, from the bytes (an allow-list of JPEG, PNG and
 * WebP headers): other formats (HEIC of an iPhone), files over the size
 * limit, pictures whose header claims more pixels than the limit (a
 * decompression bomb is never decoded). The message is the rule's, at the
 * field, with the fix.
 */
(function () {
  "use strict";

  window.NTM = window.NTM || {};

  var FORMATS = {
    heic: "ảnh HEIC (iPhone)",
    avif: "ảnh AVIF",
    gif: "ảnh GIF",
    tiff: "ảnh TIFF",
    bmp: "ảnh BMP",
    unknown: "tệp không phải ảnh",
  };
  var MIN_LONG_SIDE = 640;

  function megabytes(count) {
    if (count >= 1000000) return (count / 1000000).toFixed(1).replace(".", ",") + " MB";
    return Math.max(1, Math.round(count / 1000)) + " KB";
  }

  function millions(pixels) {
    return (pixels / 1e6).toFixed(1).replace(".", ",").replace(/,0$/, "");
  }

  function ascii(bytes, start, length) {
    return String.fromCharCode.apply(null, Array.prototype.slice.call(bytes, start, start + length));
  }

  // The kind of picture and its size, from the first bytes only.
  function header(bytes) {
    var n = bytes.length;
    if (n >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
      var i = 2;
      while (i + 9 < n) {
        if (bytes[i] !== 0xff) return { kind: "jpeg" };
        var marker = bytes[i + 1];
        if (marker === 0xff) {
          i += 1;
          continue;
        }
        var length = (bytes[i + 2] << 8) | bytes[i + 3];
        // SOF0-SOF15 except DHT (C4), JPG (C8), DAC (CC).
        if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
          return { kind: "jpeg", height: (bytes[i + 5] << 8) | bytes[i + 6], width: (bytes[i + 7] << 8) | bytes[i + 8] };
        }
        i += 2 + length;
      }
      return { kind: "jpeg" };
    }
    if (n >= 24 && ascii(bytes, 1, 3) === "PNG" && ascii(bytes, 12, 4) === "IHDR") {
      var view = new DataView(bytes.buffer, bytes.byteOffset);
      return { kind: "png", width: view.getUint32(16), height: view.getUint32(20) };
    }
    if (n >= 30 && ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 4) === "WEBP") {
      var chunk = ascii(bytes, 12, 4);
      if (chunk === "VP8X") {
        return {
          kind: "webp",
          width: 1 + (bytes[24] | (bytes[25] << 8) | (bytes[26] << 16)),
          height: 1 + (bytes[27] | (bytes[28] << 8) | (bytes[29] << 16)),
        };
      }
      if (chunk === "VP8 ") {
        return { kind: "webp", width: (bytes[26] | (bytes[27] << 8)) & 0x3fff, height: (bytes[28] | (bytes[29] << 8)) & 0x3fff };
      }
      if (chunk === "VP8L") {
        var bits = bytes[21] | (bytes[22] << 8) | (bytes[23] << 16) | (bytes[24] << 24);
        return { kind: "webp", width: 1 + (bits & 0x3fff), height: 1 + ((bits >> 14) & 0x3fff) };
      }
      return { kind: "webp" };
    }
    if (n >= 12 && ascii(bytes, 4, 4) === "ftyp") {
      var brand = ascii(bytes, 8, 4);
      return { kind: /^avi[fs]$/.test(brand) ? "avif" : "heic" };
    }
    if (n >= 4 && ascii(bytes, 0, 3) === "GIF") return { kind: "gif" };
    if (n >= 4 && (ascii(bytes, 0, 4) === "II*\u0000" || ascii(bytes, 0, 4) === "MM\u0000*")) return { kind: "tiff" };
    if (n >= 2 && ascii(bytes, 0, 2) === "BM") return { kind: "bmp" };
    return { kind: "unknown" };
  }

  function hex(buffer) {
    return Array.prototype.map
      .call(new Uint8Array(buffer), function (b) {
        return ("0" + b.toString(16)).slice(-2);
      })
      .join("");
  }

  function nameOf(bytes) {
    return window.crypto.subtle.digest("SHA-256", bytes).then(function (digest) {
      return "anh-" + hex(digest).slice(0, 12) + ".jpg";
    });
  }

  function readBytes(file) {
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () {
        resolve(new Uint8Array(reader.result));
      };
      reader.onerror = function () {
        reject(reader.error);
      };
      reader.readAsArrayBuffer(file);
    });
  }

  function base64(bytes) {
    var text = "";
    for (var i = 0; i < bytes.length; i += 0x8000) {
      text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return window.btoa(text);
  }

  function fromBase64(text) {
    var raw = window.atob(text);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  // Published mode: the picture drawn on a canvas (upright, at most long_side
  // pixels) and written as a JPEG: pixels only, no metadata of any kind.
  function reencode(file, longSide, quality) {
    return window.createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = Math.min(1, longSide / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(bitmap.width * scale));
      canvas.height = Math.max(1, Math.round(bitmap.height * scale));
      var pen = canvas.getContext("2d");
      pen.fillStyle = "#fff"; // a transparent PNG on white, as on paper
      pen.fillRect(0, 0, canvas.width, canvas.height);
      pen.imageSmoothingQuality = "high";
      pen.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      bitmap.close();
      return new Promise(function (resolve, reject) {
        canvas.toBlob(
          function (blob) {
            if (blob) resolve({ blob: blob, width: canvas.width, height: canvas.height });
            else reject(new Error("toBlob"));
          },
          "image/jpeg",
          quality / 100
        );
      });
    });
  }

  // Chromium's canvas writes an sRGB colour profile (APP2) into its JPEGs:
  // keep only what a stored photo may hold (rule A010), the picture's own
  // segments and the JFIF header (APP0); drop APP1-APP15 and comments.
  function pictureOnly(bytes) {
    var parts = [bytes.subarray(0, 2)];
    var i = 2;
    while (i + 4 <= bytes.length) {
      if (bytes[i] !== 0xff) throw new Error("jpeg");
      var marker = bytes[i + 1];
      if (marker === 0xda) {
        parts.push(bytes.subarray(i)); // the scan and everything after it
        break;
      }
      var length = (bytes[i + 2] << 8) | bytes[i + 3];
      if (!((marker >= 0xe1 && marker <= 0xef) || marker === 0xfe)) parts.push(bytes.subarray(i, i + 2 + length));
      i += 2 + length;
    }
    var size = parts.reduce(function (sum, part) {
      return sum + part.length;
    }, 0);
    var out = new Uint8Array(size);
    var at = 0;
    parts.forEach(function (part) {
      out.set(part, at);
      at += part.length;
    });
    return out;
  }

  // A rule's refusal as one sentence with its fix (rules: NTM.rules).
  function refusalText(rules, rule, params) {
    var p = rules.problem(rule, params);
    return p.message + (p.fix ? " " + p.fix : "");
  }

  // What the browser can refuse of a picture before decoding it: the
  // refusal's words, or null. limits: max_bytes, max_pixels, accepted (the
  // formats' sentence). «Chọn ảnh» and the media library.
  function screenedPicture(rules, file, bytes, limits) {
    var shown = String(file.name || "ảnh").slice(0, 80);
    if (bytes.length > limits.max_bytes) {
      return refusalText(rules, "A006", { file: shown, size: megabytes(bytes.length), limit: megabytes(limits.max_bytes) });
    }
    if (!bytes.length) return refusalText(rules, "A011", { file: shown, problem: "tệp trống" });
    var found = header(bytes);
    if (["jpeg", "png", "webp"].indexOf(found.kind) < 0) {
      return refusalText(rules, "A005", { file: shown, format: FORMATS[found.kind] || FORMATS.unknown, accepted: limits.accepted });
    }
    if (found.width && found.height && found.width * found.height > limits.max_pixels) {
      return refusalText(rules, "A007", {
        file: shown,
        width: found.width,
        height: found.height,
        megapixels: millions(found.width * found.height),
        limit: millions(limits.max_pixels),
      });
    }
    if (!found.width || !found.height) return refusalText(rules, "A011", { file: shown, problem: "không đọc được kích thước ảnh" });
    return null;
  }

  // A picture drawn again: upright, at most longSide pixels, JPEG, nothing
  // but the picture. «Chọn ảnh» and the media library, in published mode.
  function cleanOnCanvas(file, longSide, quality) {
    return reencode(file, longSide, quality).then(function (made) {
      return readBytes(made.blob).then(function (written) {
        return { bytes: pictureOnly(written), width: made.width, height: made.height };
      });
    });
  }

  /*
   * The media library's «Tải lên» in published mode. Decap commits the picked
   * file through the git host's API as it came, so a phone's photo would put
   * its position and camera serial into the repository, where the CI check
   * comes too late (design/photos.md). A JPEG (a camera's format) is drawn
   * again on a canvas first, as «Chọn ảnh» does, and handed to Decap as
   * <name>.jpg; other files go as they are and CI checks them (A008, A009,
   * A016). Local mode needs none of this: the backend cleans what it is sent
   * with the same normalise_photo as «Chọn ảnh» (editor/photos.py).
   *
   * How: a listener on the document, in the capture phase, sees the file
   * input's change before React (which listens on its root) and stops it;
   * the cleaned file is put in the input and the change sent again.
   */
  window.NTM.cleanMediaUploads = function (settings) {
    var resent = new WeakSet();
    function mediaInput(target) {
      return target && target.type === "file" && target.closest && !!target.closest("[class*='-UploadButton']");
    }
    function cleaned(file) {
      return readBytes(file).then(function (bytes) {
        if (header(bytes).kind !== "jpeg") return file;
        var problem = screenedPicture(window.NTM.rules, file, bytes, settings);
        if (problem) throw new Error(problem);
        return cleanOnCanvas(file, settings.long_side, settings.quality).then(
          function (made) {
            var stem = String(file.name || "anh").replace(/\.[^.]*$/, "") || "anh";
            return new File([made.bytes], stem + ".jpg", { type: "image/jpeg" });
          },
          function () {
            var shown = String(file.name || "ảnh").slice(0, 80);
            throw new Error(refusalText(window.NTM.rules, "A011", { file: shown, problem: "trình duyệt không mở được ảnh này" }));
          }
        );
      });
    }
    document.addEventListener(
      "change",
      function (event) {
        var input = event.target;
        if (resent.has(event) || !mediaInput(input) || !input.files || !input.files[0]) return;
        event.stopImmediatePropagation();
        cleaned(input.files[0]).then(
          function (file) {
            var files = new DataTransfer();
            files.items.add(file);
            input.files = files.files;
            var again = new Event("change", { bubbles: true });
            resent.add(again);
            input.dispatchEvent(again);
          },
          function (problem) {
            input.value = "";
            // Decap says its own refusals here (a file over max_file_size) the same way.
            window.alert(problem.message);
          }
        );
      },
      true
    );
  };

  /*
   * tools (from ntm-cms.js): h, option, said, rules (NTM.rules), local
   * (true in local mode), upload(action, params) -> Promise of the answer
   * (a refusal: an Error with .problems).
   */
  window.NTM.photoWidget = function (tools) {
    var h = tools.h;
    var option = tools.option;
    var RULES = tools.rules;

    function refusal(rule, params) {
      return refusalText(RULES, rule, params);
    }

    // What the browser can refuse before sending or decoding anything.
    function screened(field, file, bytes) {
      return screenedPicture(RULES, file, bytes, {
        max_bytes: option(field, "max_bytes", 40000000),
        max_pixels: option(field, "max_pixels", 40000000),
        accepted: option(field, "accepted", "trang quản trị nhận ảnh JPEG, PNG hoặc WebP"),
      });
    }

    return {
      getInitialState: function () {
        return { busy: false, refused: null, picked: null };
      },

      isValid: function () {
        if (this.state.busy) return { error: { type: "CUSTOM", message: "Ảnh đang được xử lý: chờ một chút rồi bấm «Lưu»." } };
        var found = this.problems();
        return found.length ? { error: { type: "CUSTOM", message: tools.said(found[0]) } } : true;
      },

      ready: function () {
        var entry = tools.entryOf(this.props);
        var data = entry && entry.get("data");
        var owner = data && data.get(option(this.props.field, "owner_field", "xa"));
        var day = data && data.get(option(this.props.field, "date_field", "ngay"));
        return !!(owner && day);
      },

      pick: function (event) {
        var self = this;
        var input = event.target;
        var file = input.files && input.files[0];
        input.value = "";
        if (!file) return;
        var field = self.props.field;
        self.setState({ busy: true, refused: null });
        readBytes(file)
          .then(function (bytes) {
            var refused = screened(field, file, bytes);
            if (refused) throw new Error(refused);
            if (tools.local) {
              return tools
                .upload("ntmAnh", { name: String(file.name || "").slice(0, 200), content: base64(bytes) })
                .then(function (answer) {
                  return { bytes: fromBase64(answer.content), name: answer.name, width: answer.width, height: answer.height };
                });
            }
            return cleanOnCanvas(file, option(field, "long_side", 1600), option(field, "quality", 80)).then(
              function (made) {
                if (Math.max(made.width, made.height) < MIN_LONG_SIDE) {
                  throw new Error(refusal("A015", { file: file.name, width: made.width, height: made.height, minimum: MIN_LONG_SIDE }));
                }
                return nameOf(made.bytes).then(function (name) {
                  return { bytes: made.bytes, name: name, width: made.width, height: made.height };
                });
              },
              function () {
                throw new Error(refusal("A011", { file: file.name, problem: "trình duyệt không mở được ảnh này" }));
              }
            );
          })
          .then(
            function (photo) {
              self.keep(photo);
            },
            function (problem) {
              var text = problem.problems && problem.problems.length ? tools.said(problem.problems[0]) : problem.message;
              self.setState({ busy: false, refused: text || "Không đọc được ảnh này." });
            }
          );
      },

      keep: function (photo) {
        var props = this.props;
        var file = new File([photo.bytes], photo.name, { type: "image/jpeg" });
        var entry = tools.entryOf(props);
        var files = entry && entry.get("mediaFiles");
        var already = files && files.some && files.some(function (f) {
          return f.get("name") === photo.name;
        });
        // Decap keeps the file with the entry and sends it with the save.
        if (!already) props.onPersistMedia(file, { field: props.field });
        if (this.state.picked) URL.revokeObjectURL(this.state.picked.url);
        this.setState({
          busy: false,
          refused: null,
          picked: { name: photo.name, url: URL.createObjectURL(file), width: photo.width, height: photo.height, size: photo.bytes.length },
        });
        this.changed(photo.name);
      },

      render: function () {
        var self = this;
        var props = this.props;
        var value = props.value;
        var picked = this.state.picked && this.state.picked.name === value ? this.state.picked : null;
        var url = picked ? picked.url : "";
        if (!url && value && props.getAsset) {
          var asset = props.getAsset(value, props.field);
          url = asset ? String(asset.toString() || "") : "";
        }
        var ready = this.ready();
        var inputId = props.forID + "-tep";
        var facts = picked
          ? picked.width + " × " + picked.height + " điểm ảnh · " + megabytes(picked.size) + " · đã xoay đúng chiều, xóa vị trí GPS"
          : self.state.shown
          ? self.state.shown
          : "";
        var parts = [];
        if (value) {
          parts.push(
            h("div", { key: "xem", className: "ntm-anh__xem" }, [
              url
                ? h("img", {
                    key: "anh",
                    src: url,
                    alt: "Ảnh đã chọn: " + value,
                    onLoad: function (event) {
                      if (!picked) self.setState({ shown: event.target.naturalWidth + " × " + event.target.naturalHeight + " điểm ảnh" });
                    },
                  })
                : h("span", { key: "cho", className: "ntm-anh__cho" }, "Đang tải ảnh…"),
              h("p", { key: "ten", className: "ntm-anh__ten" }, [h("code", { key: "t" }, value), facts ? " · " + facts : ""]),
            ])
          );
        }
        parts.push(
          h("input", {
            key: "tep",
            id: inputId,
            type: "file",
            accept: "image/*",
            className: "ntm-anh__tep",
            disabled: !ready || this.state.busy,
            onChange: this.pick,
          })
        );
        parts.push(
          h(
            "label",
            {
              key: "nut",
              htmlFor: inputId,
              id: props.forID,
              // The file input itself takes the keyboard (one tab stop, its
              // own Enter and Space); the label is what eyes and fingers find.
              className: "ntm-anh__nut" + (!ready || this.state.busy ? " ntm-anh__nut--tat" : ""),
            },
            this.state.busy ? "Đang xử lý ảnh…" : value ? "Chọn ảnh khác" : "Chọn ảnh"
          )
        );
        if (!ready) parts.push(h("p", { key: "truoc", className: "ntm-anh__goi-y" }, "Chọn xã và ngày thứ Bảy ở trên trước."));
        if (this.state.refused) {
          parts.push(h("p", { key: "loi", className: "ntm-anh__loi", role: "alert" }, this.state.refused));
        }
        return h("div", { className: props.classNameWrapper + " ntm-anh" }, parts);
      },
    };
  };
})();
