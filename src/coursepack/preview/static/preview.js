/* preview.js: reload the page when the source changes. The server names each check of the
 * source (its process, then a number); a page made from another one reloads, a page showing
 * problems too, so fixing them brings the content back. A hidden tab lets go of its stream
 * (browsers allow few per server) and asks again when shown. */
(function () {
  "use strict";

  var seen = document.body.dataset.generation;
  var live = document.querySelector(".pv-live");
  var events = null;
  if (!window.EventSource) return;

  function listen() {
    if (events) return;
    events = new EventSource("/events?since=" + encodeURIComponent(seen));
    events.onmessage = function (e) {
      if (e.data === seen) return;
      if (live) live.textContent = "Changed: reloading…";
      stop();
      location.reload();
    };
    events.onerror = function () { if (live) live.textContent = "Not connected to coursepack preview"; };
    events.onopen = function () { if (live) live.textContent = ""; };
  }
  function stop() { if (events) { events.close(); events = null; } }

  document.addEventListener("visibilitychange", function () { if (document.hidden) stop(); else listen(); });
  window.addEventListener("pagehide", stop);
  window.addEventListener("pageshow", function () { if (!document.hidden) listen(); });
  if (!document.hidden) listen();
})();
