/* The site's htmx set-up, loaded right after htmx wherever htmx is used.

   htmx swaps only 2xx answers by default and drops 4xx ones, so a reader whose
   vote or comment was refused would see nothing happen. The answers the site
   writes for readers are swapped in too: 400 (a refusal with its reason) and 429
   (a rate limit, saying when to try again; the server also sends Retry-After).
   Other errors still swap nothing, as before. */
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
})();
