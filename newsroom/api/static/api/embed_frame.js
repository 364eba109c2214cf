/* Inside the embedded thread's frame: report the height to the host page, and sign
   in through a popup, reloading the thread once the reader is signed in. */
(function () {
  "use strict";
  var lastHeight = 0;
  function report() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === lastHeight || window.parent === window) return;
    lastHeight = height;
    // Only a number leaves the frame, so any host may read it.
    window.parent.postMessage({ newsroom: "height", height: height }, "*");
  }
  if (window.ResizeObserver) new ResizeObserver(report).observe(document.documentElement);
  window.addEventListener("load", report);
  document.addEventListener("htmx:afterSettle", report);
  report();

  // Staying in the frame: sorting and paging links, and the comment box.
  document.querySelectorAll(".comment-sorts a, .comment-pager a").forEach(function (a) {
    a.target = "_self";
  });
  document.querySelectorAll("form").forEach(function (form) {
    if (!form.getAttribute("target")) form.target = "_self";
  });

  var me = document.body.getAttribute("data-me");
  var popup = null;
  function waitForSignIn(tries) {
    if (tries <= 0) return;
    fetch(me, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : { signed_in: false }; })
      .then(function (who) {
        if (who.signed_in) { window.location.reload(); return; }
        window.setTimeout(function () { waitForSignIn(tries - 1); }, 1500);
      })
      .catch(function () {
        window.setTimeout(function () { waitForSignIn(tries - 1); }, 3000);
      });
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-popup]");
    if (!link) return;
    event.preventDefault();
    popup = window.open(link.href, "newsroom-sign-in", "popup,width=520,height=720");
    if (!popup) { window.open(link.href, "_blank"); }
    waitForSignIn(200);  // about five minutes
  });
})();
