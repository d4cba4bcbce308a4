/*
 * Runs before Decap CMS (a file, not an inline script: the page's
 * Content-Security-Policy allows no inline script).
 *
 * - Decap starts only when ntm-cms.js has registered our widgets.
 * - The editor opened as ".../quan-tri/index.html" is shown as ".../quan-tri/":
 *   the git host's login sends the editor back to the address it was
 *   registered with (the folder), and Decap gives the current address as
 *   that return address.
 */
(function () {
  "use strict";
  window.CMS_MANUAL_INIT = true;
  var path = window.location.pathname;
  if (/\/index\.html$/.test(path)) {
    window.history.replaceState(
      null,
      "",
      path.replace(/index\.html$/, "") + window.location.search + window.location.hash
    );
  }
})();
