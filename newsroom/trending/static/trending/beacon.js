// Counts one read of the article per page view: the page is a shared document that
// caches serve without the app seeing it (newsroom/trending/views.py). Sends no
// cookie; nothing when the reader asks not to be tracked, and nothing while the page
// is only prerendered (it counts if and when the reader is shown it).
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.dataset.readBeacon;
  if (!url || !window.fetch) return;
  if (navigator.doNotTrack === "1" || window.doNotTrack === "1") return;
  if (navigator.globalPrivacyControl) return;

  function send() {
    fetch(url, {
      method: "POST",
      credentials: "omit",
      keepalive: true,
      cache: "no-store",
    }).catch(function () {});
  }

  if (document.prerendering) {
    document.addEventListener("prerenderingchange", send, { once: true });
  } else {
    send();
  }
})();
