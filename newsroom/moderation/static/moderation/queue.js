// Moderation queue: keyboard shortcuts and "select all". Works without it too.
(function () {
  "use strict";
  // Choosing a site shows its queue at once (the form's Show button does it without JS).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  var queue = document.querySelector("[data-queue]");
  if (!queue) { return; }
  var items = Array.prototype.slice.call(queue.querySelectorAll("[data-item]"));
  var current = -1;

  function focusItem(index) {
    if (!items.length) { return; }
    index = Math.max(0, Math.min(items.length - 1, index));
    if (items[current]) { items[current].classList.remove("is-current"); }
    current = index;
    items[current].classList.add("is-current");
    items[current].focus({ preventScroll: true });
    items[current].scrollIntoView({ block: "nearest" });
  }

  items.forEach(function (item, index) {
    item.addEventListener("focusin", function () {
      if (current !== index) {
        if (items[current]) { items[current].classList.remove("is-current"); }
        current = index;
        item.classList.add("is-current");
      }
    });
  });

  var all = queue.querySelector("[data-select-all]");
  if (all) {
    all.addEventListener("change", function () {
      queue.querySelectorAll("[data-check]").forEach(function (box) { box.checked = all.checked; });
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var target = event.target;
    if (target.closest && target.closest("input[type=text], textarea, select, [contenteditable]")) { return; }
    var key = event.key;
    if (key === "j" || key === "k") {
      event.preventDefault();
      focusItem(current < 0 ? 0 : current + (key === "j" ? 1 : -1));
      return;
    }
    var item = items[current];
    if (!item) { return; }
    if (key === "x") {
      event.preventDefault();
      var box = item.querySelector("[data-check]");
      box.checked = !box.checked;
    } else if (key === "o") {
      window.open(item.dataset.contextUrl, "_blank", "noopener");
    } else if (key === "s" && item.dataset.sanctionUrl) {
      window.location.assign(item.dataset.sanctionUrl);
    } else {
      var button = item.querySelector('[data-key="' + key + '"]');
      if (button && button.tagName === "BUTTON") {
        event.preventDefault();
        button.click();
      }
    }
  });
})();
