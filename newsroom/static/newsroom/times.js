/* Times in the reader's zone and on the reader's day. A page prints each time as
   <time datetime="<UTC>" data-relative|data-absolute> with absolute text in the zone
   the page was made in (the site's on a shared page, which any cache may keep for
   anyone, any day): `Dec 7 2026 06:53 am JST`. This rewrites it in the reader's zone
   (the page's, or the one the signed-in reader chose, from the overlay), a relative
   one as `Today 06:53 am JST`, `Yesterday 11:40 pm JST` or the date, at load, when
   the day changes and in whatever is added to the page later. */
(function () {
  "use strict";
  var script = document.currentScript;
  var zone = script.dataset.timeZone;
  var siteZone = script.dataset.siteZone;
  var language = document.documentElement.lang || "en";
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun",
                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var SELECTOR = "time[data-relative], time[data-absolute]";
  var DAY = 24 * 60 * 60 * 1000;

  // The server's abbreviations for the site's zone, by UTC offset in minutes
  // (`540=JST`): browsers name Asia/Tokyo `GMT+9`. Other zones get the browser's.
  var siteNames = {};
  (script.dataset.zoneNames || "").split(" ").forEach(function (pair) {
    var parts = pair.split("=");
    if (parts.length === 2) siteNames[parts[0]] = parts[1];
  });

  var formats = {};
  function format(name, options) {
    var key = name + JSON.stringify(options);
    if (!formats[key]) {
      formats[key] = new Intl.DateTimeFormat("en-US", Object.assign({ timeZone: name }, options));
    }
    return formats[key];
  }

  // The wall clock in `name` at `date`: numbers, and the zone's offset from UTC.
  function wallClock(date, name) {
    var fields = {};
    format(name, {
      year: "numeric", month: "numeric", day: "numeric",
      hour: "numeric", minute: "numeric", second: "numeric", hourCycle: "h23",
    }).formatToParts(date).forEach(function (part) {
      fields[part.type] = Number(part.value);
    });
    fields.hour = fields.hour % 24;
    var asUtc = Date.UTC(fields.year, fields.month - 1, fields.day,
                         fields.hour, fields.minute, fields.second);
    fields.offset = Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60000);
    fields.dayKey = asUtc - asUtc % DAY;  // midnight of that calendar day, as if UTC
    return fields;
  }

  function abbreviation(date, name, offset) {
    if (name === siteZone && siteNames[offset]) return siteNames[offset];
    var found = "";
    format(name, { timeZoneName: "short" }).formatToParts(date).forEach(function (part) {
      if (part.type === "timeZoneName") found = part.value;
    });
    return found;
  }

  function pad(number) {
    return (number < 10 ? "0" : "") + number;
  }

  // `Today`, `Yesterday` in the page's language, as the browser words them.
  function dayWord(days) {
    var word = new Intl.RelativeTimeFormat(language, { numeric: "auto" }).format(days, "day");
    return word.charAt(0).toLocaleUpperCase(language) + word.slice(1);
  }

  function text(date, relative, today) {
    var at = wallClock(date, zone);
    var clock = pad(at.hour % 12 || 12) + ":" + pad(at.minute) + " " +
      (at.hour < 12 ? "am" : "pm") + " " + abbreviation(date, zone, at.offset);
    var whole = MONTHS[at.month - 1] + " " + at.day + " " + at.year + " " + clock;
    if (!relative) return [whole, whole];
    var days = (at.dayKey - today) / DAY;
    if (days === 0 || days === -1) return [dayWord(days) + " " + clock, whole];
    return [whole, whole];
  }

  var shownDay = null;
  function show(root) {
    var today = wallClock(new Date(), zone).dayKey;
    shownDay = today;
    var found = root.matches && root.matches(SELECTOR) ? [root] : [];
    (root.querySelectorAll ? root.querySelectorAll(SELECTOR) : []).forEach(function (el) {
      found.push(el);
    });
    found.forEach(function (el) {
      var date = new Date(el.getAttribute("datetime"));
      if (isNaN(date.getTime())) return;
      var shown = text(date, el.hasAttribute("data-relative"), today);
      if (el.textContent !== shown[0]) el.textContent = shown[0];
      if (shown[0] !== shown[1]) el.title = shown[1];
    });
  }

  try {
    wallClock(new Date(), zone);
  } catch (error) {
    return;  // a zone this browser does not know: the printed times stand
  }
  show(document);

  // A signed-in reader on a shared page sees it in the zone they chose.
  document.addEventListener("newsroom:overlay", function (event) {
    var chosen = event.detail && event.detail.time_zone;
    if (!chosen || chosen === zone) return;
    try {
      wallClock(new Date(), chosen);
    } catch (error) {
      return;
    }
    zone = chosen;
    show(document);
  });

  // Comments arriving live, pages of replies, the overlay's own parts.
  new MutationObserver(function (records) {
    records.forEach(function (record) {
      record.addedNodes.forEach(function (node) {
        if (node.nodeType === Node.ELEMENT_NODE) show(node);
      });
    });
  }).observe(document.body, { childList: true, subtree: true });

  // A page left open past midnight: `Today` becomes `Yesterday`.
  window.setInterval(function () {
    if (wallClock(new Date(), zone).dayKey !== shownDay) show(document);
  }, 60 * 1000);
})();
