/*
 * The checklists of the guidance pages ("đánh dấu việc đã làm") can be ticked
 * on the phone and remember it: the ticks of a page are kept in the
 * browser's localStorage under the page's address, by the item's text (an
 * edited item starts unticked, the others keep their ticks). Nothing leaves
 * the phone. A button under the last list clears the page's ticks for the
 * next week. Without script, or where storage is refused, the boxes still
 * tick, and forget on reload.
 */
(function () {
  "use strict";
  var PREFIX = "ntm-danh-dau:";

  function storage() {
    try {
      var s = window.localStorage, probe = PREFIX + "?";
      s.setItem(probe, "1");
      s.removeItem(probe);
      return s;
    } catch (e) {
      return null;
    }
  }

  function textOf(box) {
    var item = box.closest("li");
    return item ? item.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function setUp() {
    var boxes = Array.prototype.slice.call(
      document.querySelectorAll("article .task-list-item input[type=checkbox]"));
    if (!boxes.length) return;
    var store = storage(), key = PREFIX + location.pathname, ticked = {};
    if (store) {
      try { (JSON.parse(store.getItem(key) || "[]") || []).forEach(function (t) { ticked[t] = true; }); }
      catch (e) { ticked = {}; }
    }
    function save() {
      if (!store) return;
      var list = boxes.filter(function (b) { return b.checked; }).map(textOf);
      try {
        if (list.length) store.setItem(key, JSON.stringify(list)); else store.removeItem(key);
      } catch (e) { /* storage full or refused: the ticks stay until reload */ }
    }
    boxes.forEach(function (box) {
      box.disabled = false;
      box.checked = !!ticked[textOf(box)];
      box.addEventListener("change", save);
    });
    var lists = document.querySelectorAll("article ul.task-list, article .task-list");
    var last = lists[lists.length - 1];
    if (!last || document.getElementById("ntm-bo-danh-dau")) return;
    var p = document.createElement("p");
    p.className = "ntm-checklist-note";
    var button = document.createElement("button");
    button.type = "button";
    button.id = "ntm-bo-danh-dau";
    button.className = "md-button";
    button.textContent = "Bỏ hết dấu trên trang này";
    button.addEventListener("click", function () {
      boxes.forEach(function (b) { b.checked = false; });
      save();
    });
    p.appendChild(document.createTextNode(store
      ? "Các ô đã đánh dấu được nhớ trên máy này. "
      : "Trình duyệt không cho lưu: dấu sẽ mất khi tải lại trang. "));
    p.appendChild(button);
    last.parentNode.insertBefore(p, last.nextSibling);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
