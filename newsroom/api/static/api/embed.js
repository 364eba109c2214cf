/* Newsroom comments for any website. Add to the page:
     <div data-newsroom-thread data-url="https://…/article" data-title="…"></div>
     <a href="https://…/article" data-newsroom-count></a>
     <script async src="https://<newsroom site>/embed.js"></script>
   The thread opens in a frame that grows with its content; counts fill in as
   "N Comments". Nothing outside those elements is touched. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var base = new URL(script.src).origin;
  var frames = [];

  function threads() {
    document.querySelectorAll("[data-newsroom-thread]").forEach(function (el) {
      if (el.getAttribute("data-newsroom-ready")) return;
      el.setAttribute("data-newsroom-ready", "1");
      var url = el.getAttribute("data-url") || location.href.split("#")[0];
      var title = el.getAttribute("data-title") || document.title;
      var frame = document.createElement("iframe");
      frame.src = base + "/embed/thread/?" + new URLSearchParams({
        url: url, title: title
      });
      // Newsroom makes a page's first thread only when the browser says which
      // website asks (the Referer): send the origin, never the page's path, even
      // where this page sends no referrer otherwise.
      frame.referrerPolicy = "origin";
      frame.title = "Comments";
      frame.loading = "lazy";
      frame.setAttribute("scrolling", "no");
      frame.style.cssText = "width:100%;border:0;height:420px;display:block;color-scheme:normal";
      el.appendChild(frame);
      frames.push(frame);
    });
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== base || !event.data || event.data.newsroom !== "height") return;
    frames.forEach(function (frame) {
      if (frame.contentWindow === event.source) {
        var h = Math.max(120, Math.min(Number(event.data.height) || 0, 100000));
        frame.style.height = h + "px";
      }
    });
  });

  function counts() {
    var links = [].slice.call(document.querySelectorAll("[data-newsroom-count]"))
      .filter(function (el) { return !el.getAttribute("data-newsroom-ready"); });
    for (var i = 0; i < links.length; i += 100) fill(links.slice(i, i + 100));
  }

  function fill(links) {
    var query = new URLSearchParams();
    var wanted = {};
    links.forEach(function (el) {
      el.setAttribute("data-newsroom-ready", "1");
      var url = el.getAttribute("data-url") || el.href;
      if (!url) return;
      (wanted[url] = wanted[url] || []).push(el);
      query.append("url", url);
    });
    if (!query.toString()) return;
    fetch(base + "/api/v1/comment-counts?" + query, { credentials: "omit" })
      .then(function (r) { return r.ok ? r.json() : { counts: [] }; })
      .then(function (data) {
        data.counts.forEach(function (row) {
          if (row.count === null) return;
          (wanted[row.url] || []).forEach(function (el) {
            el.textContent = row.count === 1 ? "1 Comment" : row.count + " Comments";
          });
        });
      })
      .catch(function () {});
  }

  function start() { threads(); counts(); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
