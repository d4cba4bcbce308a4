/* "Thứ Bảy này" (overrides/views/saturday/this_saturday.html): the plans of
   the reader's Saturday, counted in Vietnam's time. A file of its own, not an
   inline script, so the page's Content-Security-Policy needs no exception. */
(function () {
  var box = document.getElementById("ntm-this-saturday");
  if (!box) return;
  var DAY = 86400000;
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  /* Dates are UTC midnights; the UTC fields of (now + 7 h) are the date in
     Vietnam (UTC+7 all year), whatever time zone the phone is set to. */
  var iso = function (t) { var d = new Date(t); return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate()); };
  var vi = function (t) { var d = new Date(t); return pad(d.getUTCDate()) + "/" + pad(d.getUTCMonth() + 1) + "/" + d.getUTCFullYear(); };
  var here = new Date(Date.now() + 7 * 3600 * 1000);
  var today = Date.UTC(here.getUTCFullYear(), here.getUTCMonth(), here.getUTCDate());
  var saturday = today + ((6 - new Date(today).getUTCDay() + 7) % 7) * DAY;
  var built = box.dataset.built;
  if (iso(saturday) === built) return;
  var set = function (name, text) { box.querySelector('[data-field="' + name + '"]').textContent = text; };
  set("saturday", vi(saturday));
  set("note", "");
  set("wednesday", vi(saturday - 3 * DAY));
  set("monday", vi(saturday + 2 * DAY));
  box.querySelector('[data-saturday="' + built + '"]').hidden = true;
  var week = box.querySelector('[data-saturday="' + iso(saturday) + '"]');
  if (week) { week.hidden = false; return; }
  /* An earlier week (a phone whose clock is behind): its page, if any. */
  var other = box.querySelector('[data-saturday="other"]');
  var page = document.querySelector('a[data-day="' + iso(saturday) + '"]');
  var url = page && page.getAttribute("href");
  if (url) {
    var p = other.querySelector('[data-field="elsewhere"]'), a = document.createElement("a");
    a.href = url;
    a.textContent = "Xem kế hoạch của các xã ngày " + vi(saturday);
    p.textContent = "";
    p.appendChild(a);
  }
  /* Then the next Saturday after the reader's that has plans on the page. */
  var later = Array.prototype.filter.call(box.querySelectorAll("section[data-saturday]"), function (s) {
    return s.dataset.saturday > iso(saturday) && s.dataset.saturday !== "other" && s.querySelector("table");
  })[0];
  var laterPage = later && document.querySelector('a[data-day="' + later.dataset.saturday + '"]');
  if (laterPage) {
    var next = other.querySelector('[data-field="next"]'), link = document.createElement("a");
    link.href = laterPage.getAttribute("href");
    link.textContent = "ngày " + vi(Date.parse(later.dataset.saturday));
    next.textContent = "Thứ Bảy tiếp theo đã có kế hoạch: ";
    next.appendChild(link);
    next.appendChild(document.createTextNode("."));
    next.hidden = false;
  }
  other.hidden = false;
})();
