/* The site's htmx set-up, loaded right after htmx wherever htmx is used.

   htmx swaps only 2xx answers by default and drops 4xx ones, so a reader whose
   vote or comment was refused would see nothing happen. The answers the site
   writes for readers are swapped in too: 400 (a refusal with its reason) and 429
   (a rate limit, saying when to try again; the server also sends Retry-After).
   Other errors swap nothing: the page stays as it was, the reader's text still in
   its box, and a note beside the form says the request did not go through, both
   when no answer came (the server died, the network dropped) and when the server
   answered 5xx (503 while the database restarts). The note's words come from the
   page (data-not-sent and data-unavailable on the element around it), so they
   are translated; it goes when the next request from that form starts. */
(function () {
  "use strict";
  if (!window.htmx) return;
  window.htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "400", swap: true, error: true },
    { code: "429", swap: true, error: true },
    { code: "[45]..", swap: false, error: true }
  ];

  function noteFor(element) {
    var form = element.closest("form") || element;
    var note = form.querySelector(":scope > .request-failed");
    if (!note) {
      note = document.createElement("p");
      note.className = "request-failed";
      note.setAttribute("role", "alert");
      form.appendChild(note);
    }
    return note;
  }

  function text(element, name) {
    var holder = element.closest("[data-" + name + "]");
    return holder ? holder.getAttribute("data-" + name) : "";
  }

  document.addEventListener("htmx:sendError", function (event) {
    var element = event.detail.elt;
    noteFor(element).textContent = text(element, "not-sent");
  });
  document.addEventListener("htmx:responseError", function (event) {
    var element = event.detail.elt;
    if (event.detail.xhr.status >= 500) {
      noteFor(element).textContent = text(element, "unavailable");
    }
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt.closest("form") || event.detail.elt;
    var note = form.querySelector(":scope > .request-failed");
    if (note) note.remove();
  });
})();
