/* Comments: quoting, live updates and small conveniences. Everything here is an
   enhancement: without JavaScript the forms and links still work. */
(function () {
  "use strict";
  var section = document.getElementById("comments");
  if (!section) return;
  var list = document.getElementById("comment-list");
  var box = document.getElementById("comment-body");

  // --- A signed-in reader's own parts of a shared page (page.js's overlay) ----
  function element(markup) {
    var holder = document.createElement("template");
    holder.innerHTML = markup.trim();
    return holder.content;
  }

  function voteForm(span, id, mine, csrf) {
    var form = document.createElement("form");
    form.method = "post";
    form.action = span.getAttribute("data-vote");
    form.className = "vote-form";
    form.setAttribute("hx-post", form.action);
    form.setAttribute("hx-target", "#votes-" + id);
    form.setAttribute("hx-swap", "outerHTML");
    [["csrfmiddlewaretoken", csrf],
     ["next", location.pathname + location.search + "#comment-" + id]].forEach(function (pair) {
      var input = document.createElement("input");
      input.type = "hidden"; input.name = pair[0]; input.value = pair[1];
      form.appendChild(input);
    });
    span.querySelectorAll("a.vote").forEach(function (link) {
      var button = document.createElement("button");
      var up = link.classList.contains("vote-up");
      var pressed = mine === (up ? 1 : -1);
      // The vote the reader wants: a pressed arrow asks for none, so a click sent
      // twice leaves the same vote.
      button.type = "submit"; button.name = "value";
      button.value = pressed ? "none" : (up ? "up" : "down");
      button.className = link.className;
      var label = link.querySelector(".visually-hidden");  // "Vote up", translated
      button.title = label ? label.textContent : (up ? "Vote up" : "Vote down");
      button.setAttribute("aria-pressed", String(pressed));
      button.append.apply(button, Array.prototype.slice.call(link.childNodes));
      form.appendChild(button);
    });
    span.replaceWith(form);
    return form;
  }

  function ownControls(comment, urls, csrf) {
    var foot = comment.querySelector(".comment-foot");
    var report = foot && foot.querySelector(".comment-report");
    if (report) report.remove();
    if (!foot || foot.querySelector(".comment-own")) return;
    if (urls.edit) {
      var edit = document.createElement("a");
      edit.className = "comment-own"; edit.href = urls.edit;
      edit.textContent = section.getAttribute("data-edit-label") || "Edit";
      foot.appendChild(edit);
    }
    var form = document.createElement("form");
    form.method = "post"; form.action = urls["delete"]; form.className = "inline-form";
    form.setAttribute("data-confirm", section.getAttribute("data-delete-confirm") ||
      "Delete this comment? This cannot be undone.");
    form.innerHTML = '<input type="hidden" name="csrfmiddlewaretoken">' +
      '<button type="submit" class="link-button comment-own"></button>';
    form.firstChild.value = csrf;
    form.lastChild.textContent = section.getAttribute("data-delete-label") || "Delete";
    foot.appendChild(form);
  }

  function applyOverlay(root, part, csrf) {
    root.querySelectorAll(".votes").forEach(function (votes) {
      var id = votes.id.replace("votes-", "");
      var mine = part.votes[id] || 0;
      votes.classList.toggle("voted-up", mine === 1);
      votes.classList.toggle("voted-down", mine === -1);
      var span = votes.querySelector("span.vote-form[data-vote]");
      if (!span) return;
      if (part.own[id]) { span.remove(); return; }
      if (part.can_vote) {
        var form = voteForm(span, id, mine, csrf);
        if (window.htmx) window.htmx.process(form);
      }
    });
    Object.keys(part.own).forEach(function (id) {
      var comment = document.getElementById("comment-" + id);
      if (comment && root.contains(comment)) ownControls(comment, part.own[id], csrf);
    });
  }

  document.addEventListener("newsroom:overlay", function (event) {
    var part = event.detail.comments;
    if (!part) return;
    section.querySelectorAll(".participation").forEach(function (holder) {
      var where = holder.getAttribute("data-where");
      if (part[where] !== undefined) holder.replaceChildren(element(part[where]));
    });
    var awaiting = section.querySelector(".comment-awaiting");
    if (awaiting && part.awaiting) awaiting.replaceChildren(element(part.awaiting));
    applyOverlay(section, part, event.detail.csrf);
    box = document.getElementById("comment-body");
    restoreDraft();
    enableQuoting(section);
    section.overlay = { part: part, csrf: event.detail.csrf };
  });

  // --- A comment that did not go through is put back ----------------------
  // The composer posts as a plain form. Its text is kept in this tab as it is sent;
  // the page that shows the posted comment (#comment-N) forgets it, and any other
  // view of the article puts it back in an empty box: a post lost with a server or
  // the network is not lost to its reader.
  var draftKey = "newsroom-draft-" + section.getAttribute("data-page");
  function restoreDraft() {
    var kept;
    try { kept = window.sessionStorage.getItem(draftKey); } catch (e) { return; }
    if (!kept) return;
    if (/^#comment-\d+$/.test(window.location.hash)) {
      window.sessionStorage.removeItem(draftKey);
    } else if (box && !box.value) {
      box.value = kept;
      var note = document.createElement("p");
      note.className = "request-failed";
      note.setAttribute("role", "status");
      note.textContent = section.getAttribute("data-draft-restored");
      box.parentNode.insertBefore(note, box);
    }
  }
  restoreDraft();
  document.addEventListener("submit", function (event) {
    if (!box || !event.target.contains(box)) return;
    try { window.sessionStorage.setItem(draftKey, box.value); } catch (e) { /* full */ }
  });

  // Deleting asks first.
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });

  // --- Quoting -----------------------------------------------------------
  function ownWords(comment) {
    var parts = [];
    comment.querySelectorAll(".comment-text").forEach(function (el) {
      parts.push(el.innerText.trim());
    });
    return parts.join("\n\n");
  }

  function insertQuote(id, text) {
    if (!box || !text.trim()) return;
    var block = "[quote=" + id + "]\n" + text.trim() + "\n[/quote]\n";
    var start = box.selectionStart || box.value.length;
    var before = box.value.slice(0, start);
    if (before && !/\n\n$/.test(before)) before += before.endsWith("\n") ? "\n" : "\n\n";
    box.value = before + block + "\n" + box.value.slice(start);
    var caret = (before + block + "\n").length;
    box.focus();
    box.setSelectionRange(caret, caret);
    box.scrollIntoView({ block: "center" });
  }

  function enableQuoting(root) {
    if (!box) return;
    root.querySelectorAll(".quote-action").forEach(function (button) {
      button.hidden = false;
    });
  }
  enableQuoting(section);
  // Comments htmx brings in ("Load more comments") can be quoted too.
  document.addEventListener("htmx:load", function () { enableQuoting(section); });

  section.addEventListener("click", function (event) {
    var button = event.target.closest(".quote-action");
    if (!button) return;
    var comment = button.closest(".comment");
    insertQuote(button.getAttribute("data-quote"), ownWords(comment));
  });

  var floating = document.createElement("button");
  floating.type = "button";
  floating.className = "button quote-selection";
  floating.textContent = section.getAttribute("data-quote-selection") || "Quote selection";
  floating.hidden = true;
  document.body.appendChild(floating);
  var selected = null;

  document.addEventListener("selectionchange", function () {
    var selection = window.getSelection();
    selected = null;
    if (!box || !selection || selection.isCollapsed || !selection.rangeCount) {
      floating.hidden = true;
      return;
    }
    var range = selection.getRangeAt(0);
    var start = range.startContainer.parentElement;
    var text = start && start.closest(".comment-text");
    var comment = text && text.closest(".comment");
    var end = range.endContainer.parentElement;
    var endText = end && end.closest(".comment-text");
    // Only the comment's own words: not its footer, nor a passage it quotes.
    var crossesQuote = comment && Array.prototype.some.call(
      comment.querySelectorAll("blockquote"),
      function (quote) { return range.intersectsNode(quote); });
    if (!comment || !endText || endText.closest(".comment") !== comment || crossesQuote) {
      floating.hidden = true;
      return;
    }
    selected = { id: comment.getAttribute("data-comment-id"), text: selection.toString() };
    var rect = range.getBoundingClientRect();
    floating.style.top = window.scrollY + rect.bottom + 6 + "px";
    floating.style.left = window.scrollX + rect.left + "px";
    floating.hidden = false;
  });
  floating.addEventListener("mousedown", function (event) {
    event.preventDefault(); // keep the selection
  });
  floating.addEventListener("click", function () {
    if (selected) insertQuote(selected.id, selected.text);
    floating.hidden = true;
  });

  // --- Live updates --------------------------------------------------------
  var source = section.getAttribute("data-events");
  if (!source || !window.EventSource || !list) return;
  var banner = section.querySelector(".live-banner");
  var show = section.querySelector(".live-show");
  var waiting = [];
  // New comments go at the end of the list when the reader sees the end of the
  // thread (oldest first, and every page loaded); otherwise "show" goes to them.
  function appendable() {
    return section.getAttribute("data-sort") === "oldest" &&
      !section.querySelector(".load-more");
  }

  function fetchComments(ids) {
    var url = section.getAttribute("data-fragment") + "?ids=" + ids.join(",");
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      return r.ok ? r.text() : "";
    }).then(function (html) {
      var holder = document.createElement("ol");
      holder.innerHTML = html;
      return Array.prototype.slice.call(holder.children);
    });
  }

  function activate(el) {
    if (section.overlay) applyOverlay(el, section.overlay.part, section.overlay.csrf);
    enableQuoting(el);
    if (window.htmx) window.htmx.process(el);
  }

  function updateBanner() {
    if (!waiting.length) { banner.hidden = true; return; }
    show.textContent = waiting.length === 1 ? "1 new comment — show" :
      waiting.length + " new comments — show";
    banner.hidden = false;
  }

  show.addEventListener("click", function () {
    var ids = waiting.splice(0, 50);
    updateBanner();
    if (!appendable()) {
      window.location.href = "/comments/" + ids[0] + "/";
      return;
    }
    fetchComments(ids).then(function (items) {
      items.forEach(function (item) {
        if (!document.getElementById(item.id)) { list.appendChild(item); activate(item); }
      });
      if (items.length) items[0].scrollIntoView({ block: "center" });
    });
  });

  var events = new EventSource(source);
  events.addEventListener("comment", function (event) {
    var data = JSON.parse(event.data);
    if (document.getElementById("comment-" + data.id) || waiting.indexOf(data.id) >= 0) return;
    waiting.push(data.id);
    updateBanner();
  });
  function showCount(count) {
    if (typeof count !== "number") return;
    var label = count === 0 ? section.getAttribute("data-count-zero") :
      count === 1 ? section.getAttribute("data-count-one") :
      section.getAttribute("data-count-many").replace("{n}", count.toLocaleString("en-US"));
    document.querySelectorAll("#comments-heading, .comment-count-bottom, .article-meta .comment-count")
      .forEach(function (el) { el.textContent = label; });
  }
  events.addEventListener("comment", function (event) { showCount(JSON.parse(event.data).count); });
  events.addEventListener("delete", function (event) { showCount(JSON.parse(event.data).count); });

  events.addEventListener("vote", function (event) {
    var data = JSON.parse(event.data);
    var summary = document.querySelector("#votes-" + data.id + " .vote-summary");
    if (summary) summary.textContent = (data.up - data.down) + " ( +" + data.up + " / -" + data.down + " )";
  });
  function refresh(event) {
    var data = JSON.parse(event.data);
    var current = document.getElementById("comment-" + data.id);
    if (!current) return;
    fetchComments([data.id]).then(function (items) {
      if (items[0]) { current.replaceWith(items[0]); activate(items[0]); }
      else { current.remove(); }  // held for review: readers no longer see it
    });
  }
  events.addEventListener("edit", refresh);
  events.addEventListener("delete", refresh);
})();
