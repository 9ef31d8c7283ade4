/* preview.js: reload the page when the source changes. The server sends the generation of each
 * check of the source; a page made from an older one reloads (a page showing problems too, so
 * fixing them brings the content back). */
(function () {
  "use strict";

  var seen = document.body.dataset.generation;
  var live = document.querySelector(".pv-live");
  if (!window.EventSource) return;
  var events = new EventSource("/events?since=" + encodeURIComponent(seen));
  events.onmessage = function (e) {
    if (e.data === seen) return;
    if (live) live.textContent = "Changed: reloading…";
    events.close();
    location.reload();
  };
  events.onerror = function () { if (live) live.textContent = "Not connected to coursepack preview"; };
  events.onopen = function () { if (live) live.textContent = ""; };
})();
