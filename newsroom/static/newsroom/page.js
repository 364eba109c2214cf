/* Every page: the signed-in reader's overlay on shared pages, and CSRF tokens for
   forms on shared pages, fetched when they are used. Shared pages are the same for
   everyone (any cache may keep them); what is the reader's own comes from
   /me/overlay/. Without JavaScript the server renders the reader's own page. */
(function () {
  "use strict";
  var script = document.currentScript;
  // Deferred like this one, the other scripts have all run once the document is
  // loaded (readyState "interactive" comes before they run).
  var loaded = false;
  document.addEventListener("DOMContentLoaded", function () { loaded = true; });
  var year = 60 * 60 * 24 * 365;
  // This browser runs scripts: caches may serve it the shared page from now on.
  if (document.cookie.indexOf("nr_overlay=1") < 0) {
    document.cookie = "nr_overlay=1; path=/; max-age=" + year + "; SameSite=Lax";
  }

  function token() {
    return fetch(script.dataset.csrf, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) { return data.token; });
  }

  // Forms marked data-post are GET forms that lead to a full page without
  // JavaScript; with it they post at once, with a token fetched on submit.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-post") || form.dataset.ready) return;
    event.preventDefault();
    token().then(function (value) {
      var field = document.createElement("input");
      field.type = "hidden";
      field.name = "csrfmiddlewaretoken";
      field.value = value;
      form.appendChild(field);
      form.method = "post";
      form.dataset.ready = "1";
      form.submit();
    });
  });

  var nav = document.querySelector(".account-nav");
  var signedIn = document.cookie.split("; ").indexOf("nr_user=1") >= 0;
  // A page rendered for this reader already shows their account links.
  if (!signedIn || !nav || nav.querySelector(".account-name")) return;

  var comments = document.getElementById("comments");
  var page = comments && comments.getAttribute("data-page");
  var url = script.dataset.overlay + (page ? "?page=" + page : "");
  fetch(url, { credentials: "same-origin" })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (overlay) {
      if (!overlay) return;
      if (!overlay.signed_in) {
        document.cookie = "nr_user=; path=/; max-age=0; SameSite=Lax";
        return;
      }
      apply(overlay);
    });

  function html(markup) {
    var holder = document.createElement("template");
    holder.innerHTML = markup;
    return holder.content;
  }

  function apply(overlay) {
    nav.replaceChildren(html(overlay.nav));
    if (overlay.banner) {
      var main = document.getElementById("main");
      main.insertBefore(html(overlay.banner), main.firstChild);
    }
    document.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (el) {
      el.value = overlay.csrf;
    });
    document.body.dataset.csrf = overlay.csrf;
    if (script.dataset.bell && nav.querySelector("[data-unread-stream]")) {
      var bell = document.createElement("script");
      bell.src = script.dataset.bell;
      document.head.appendChild(bell);
    }
    // The apps' parts (comments: votes, own comments, the comment box) listen. Their
    // scripts are deferred too and may not have run yet: tell them once they have.
    window.newsroomOverlay = overlay;
    function tell() {
      document.dispatchEvent(new CustomEvent("newsroom:overlay", { detail: overlay }));
    }
    if (loaded) tell(); else document.addEventListener("DOMContentLoaded", tell);
  }
})();
