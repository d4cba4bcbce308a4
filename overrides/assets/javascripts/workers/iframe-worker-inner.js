/* iframe-worker 1.0.4 (npm, shim/index.js), MIT License, (c) 2020-2022 Martin Donath: the lines its shim
   wrote inline into the worker's frame (see ../iframe-worker/shim.js), as a file. It is the frame's first
   script: Material's search worker takes the folder of its lunr files from it (cut at "/worker"), so it
   lives in workers/ beside the worker. In the frame, a worker's postMessage and
   importScripts, and its errors reported to the page as the worker's. */
"use strict";
(function () {
  var url = document.currentScript.dataset.url;
  window.postMessage = function (s, n) { parent.postMessage(s, n || "*"); };
  window.importScripts = function () {
    var urls = Array.prototype.slice.call(arguments);
    return urls.reduce(function (n, e) {
      return n.then(function () {
        return new Promise(function (r) {
          var t = document.createElement("script");
          t.src = e; t.onload = r; document.body.appendChild(t);
        });
      });
    }, Promise.resolve());
  };
  addEventListener("error", function (event) {
    parent.dispatchEvent(new ErrorEvent("error", { filename: url, error: event.error }));
  });
})();
