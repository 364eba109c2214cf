/* The end of the embed's sign-in pop-up: the thread it came from notices the
   sign-in on its own, so the pop-up closes itself after a moment. */
window.setTimeout(function () { window.close(); }, 600);
