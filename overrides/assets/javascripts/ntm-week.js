/*
 * Links that hold for some days only: the build provides the form of the
 * build day's week and the one of the days after the coming Saturday
 * (data-ntm-until / data-ntm-since, ISO days in Vietnam); this shows the one
 * of the reader's day, counted in Vietnam's time (UTC+7 all year) whatever
 * time zone the phone is set to. Without script the build day's stays.
 */
(function () {
  "use strict";
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  var here = new Date(Date.now() + 7 * 3600 * 1000);
  var today = here.getUTCFullYear() + "-" + pad(here.getUTCMonth() + 1) + "-" + pad(here.getUTCDate());
  function show() {
    document.querySelectorAll("[data-ntm-until], [data-ntm-since]").forEach(function (el) {
      var until = el.getAttribute("data-ntm-until"), since = el.getAttribute("data-ntm-since");
      el.hidden = (until && today > until) || (since && today < since) ? true : false;
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", show);
  else show();
  /* Material's instant navigation swaps the page without reloading scripts. */
  if (typeof document$ !== "undefined" && document$.subscribe) document$.subscribe(show);
})();
