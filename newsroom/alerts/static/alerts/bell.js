// The masthead's unread count, kept current by /notifications/stream/ (Server-Sent
// Events). Only visible pages listen: each open stream holds one of the browser's
// few connections per host, and a page shown again gets the count at once.
(function () {
  "use strict";
  var link = document.querySelector("[data-unread-stream]");
  var badge = link && link.querySelector("[data-unread-count]");
  if (!badge || !window.EventSource) return;
  var source = null;

  function show(count) {
    badge.dataset.unreadCount = count;
    badge.hidden = count === 0;
    badge.replaceChildren();
    if (!count) return;
    var number = document.createElement("span");
    number.className = "unread-count";
    number.textContent = count;
    var label = document.createElement("span");
    label.className = "visually-hidden";
    label.textContent = " " + badge.dataset.unreadLabel;
    badge.append(" ", number, label);
  }

  function listen() {
    if (document.hidden) {
      if (source) source.close();
      source = null;
    } else if (!source) {
      source = new EventSource(link.dataset.unreadStream);
      source.addEventListener("unread", function (event) {
        var count = JSON.parse(event.data).count;
        if (String(count) !== badge.dataset.unreadCount) show(count);
      });
    }
  }

  document.addEventListener("visibilitychange", listen);
  listen();
})();
