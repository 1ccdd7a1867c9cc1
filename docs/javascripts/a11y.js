// Tables on any screen. Material wraps every table in a horizontally scrolling .md-typeset__scrollwrap.
//
// Cards: a table that does not fit (a phone, or care mode's larger text) is shown as cards instead:
// one card per row, each cell on a line of its own after its column's heading (extra.css,
// table[data-cards]). A table does not fit when, laid out in columns, it would scroll sideways (a
// date or a number never breaks) or it squeezes a column until its words run a character a line,
// even with tighter cells.
// ARIA roles keep the cards a table for screen readers, whatever their CSS display.
//
// Keyboard access (WCAG 2.1.1; axe scrollable-region-focusable): when a table still scrolls sideways
// (no script for cards: a table without a heading row) and holds no link to tab to, its wrapper
// becomes a named, focusable region, so the arrow keys can scroll it; when it fits again (a wider
// window), it stops being a tab stop.
//
// Long tables (class long-table: the downloads page's chart files) are not laid out at start-up
// (extra.css, content-visibility), which kept a phone busy while Material started. Each is laid out
// (data-near) and measured on its own: a table at a time once the page is idle, or at once when the
// reader comes within a screen of it. (Chromium gives screen readers no table it never laid out.)
(function () {
  var ROLE = { TABLE: "table", THEAD: "rowgroup", TBODY: "rowgroup", TR: "row", TD: "cell" };

  // How many lines an element's text takes (line boxes of its text, by their vertical middle).
  function lines(el) {
    var range = document.createRange();
    range.selectNodeContents(el);
    var rects = range.getClientRects(), middles = [];
    for (var i = 0; i < rects.length; i++) {
      var r = rects[i], middle = (r.top + r.bottom) / 2;
      if (r.width < 0.5 || r.height < 0.5) continue;
      if (!middles.some(function (m) { return Math.abs(m - middle) < r.height / 2; })) middles.push(middle);
    }
    return middles.length;
  }
  function fits(table) {
    var wrap = table.closest(".md-typeset__scrollwrap") || table.parentElement;
    if (wrap.scrollWidth > wrap.clientWidth + 1) return false;
    var cells = table.querySelectorAll("th, td");
    for (var i = 0; i < cells.length; i++) {
      var length = cells[i].textContent.replace(/\s+/g, "").length;
      if (length < 3) continue;
      var n = lines(cells[i]);
      if (n > 1 && length / n < 1.5) return false;  // 常/态/推/进: a character or so a line
    }
    return true;
  }
  // Each cell carries its column's heading (shown before it on a card) and its table role.
  function label(table) {
    if (table.hasAttribute("role")) return;
    var heads = table.tHead.rows[0].cells;
    table.setAttribute("role", "table");
    Array.prototype.forEach.call(table.querySelectorAll("thead, tbody, tr, th, td"), function (el) {
      var role = ROLE[el.tagName];
      if (el.tagName === "TH") role = el.parentNode.parentNode.tagName === "THEAD" ? "columnheader" : "rowheader";
      el.setAttribute("role", role);
      if (el.parentNode.parentNode.tagName === "TBODY" && el.cellIndex > 0 && heads[el.cellIndex]) {
        el.setAttribute("data-label", heads[el.cellIndex].textContent.trim());
      }
    });
  }
  // In a long table not laid out yet (content-visibility: auto): measuring it would lay it out now.
  function skipped(el) {
    var long = el.closest(".long-table:not([data-near])");
    return !!long && getComputedStyle(long).contentVisibility === "auto";
  }
  function cards(root) {
    var tables = Array.prototype.filter.call(root.querySelectorAll(".md-content table:not([class])"),
      function (table) {
        return table.tHead && table.tHead.rows.length === 1 && table.tBodies.length && !skipped(table);
      });
    // All back to columns first and measured in one layout; those that do not fit are tried with
    // tighter cells (data-compact: what a phone's cells have anyway), and the ones that still do
    // not fit become cards.
    tables.forEach(function (table) {
      table.removeAttribute("data-cards");
      table.removeAttribute("data-compact");
    });
    var wide = tables.filter(function (table) { return !fits(table); });
    wide.forEach(function (table) { table.setAttribute("data-compact", ""); });
    wide.filter(function (table) { return !fits(table); }).forEach(function (table) {
      label(table);
      table.removeAttribute("data-compact");
      table.setAttribute("data-cards", "");
    });
  }

  function name(wrap) {
    var figure = wrap.closest("figure");
    var source = figure && figure.querySelector("figcaption");
    for (var el = wrap.previousElementSibling; !source && el; el = el.previousElementSibling) {
      if (/^H[1-6]$/.test(el.tagName)) source = el;
    }
    return "表格：" + (source ? source.textContent.replace("¶", "").trim() : "可左右滚动");
  }
  function mark(root) {
    var wraps = root.querySelectorAll(".md-typeset__scrollwrap");
    for (var i = 0; i < wraps.length; i++) {
      var wrap = wraps[i];
      if (skipped(wrap)) continue;
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      var focusable = wrap.querySelector("a[href], button, input, select, textarea, [tabindex]");
      if (scrolls && !focusable && !wrap.hasAttribute("tabindex")) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", name(wrap));
      } else if (!scrolls && wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    }
  }
  // 引用本页: the citing date of a GB/T 7714 citation is the day the reader cites the page.
  function citeToday() {
    var d = new Date();
    var today = d.getFullYear() + "年" + (d.getMonth() + 1) + "月" + d.getDate() + "日";
    var places = document.querySelectorAll(".cite-today");
    for (var i = 0; i < places.length; i++) places[i].textContent = today;
  }
  function lift(long) {
    if (long.hasAttribute("data-near")) return;
    long.setAttribute("data-near", "");
    if (near) near.unobserve(long);
    requestAnimationFrame(function () { cards(long); mark(long); });
  }
  function idle(next) {
    // At most a second's wait: a page kept busy still gives screen readers every table soon.
    if (window.requestIdleCallback) requestIdleCallback(next, { timeout: 1000 });
    else setTimeout(next, 100);  // Safari: no idle callbacks
  }
  function liftNext() {
    var long = document.querySelector(".long-table:not([data-near])");
    if (!long) return;
    lift(long);
    idle(liftNext);
  }
  var near = "IntersectionObserver" in window && new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) { if (entry.isIntersecting) lift(entry.target); });
  }, { rootMargin: "100% 0px" });
  var started = false;
  function update() {
    if (!started) {
      started = true;
      var long = document.querySelectorAll(".long-table");
      for (var i = 0; near && i < long.length; i++) near.observe(long[i]);
      idle(liftNext);
    }
    cards(document);
    mark(document);
    citeToday();
  }
  var pending = false;
  function later() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; update(); });
  }
  // The script runs at the end of <body>, so the citations are already parsed: write the date now,
  // before the load event, not a frame later (a reader or a test reading at load saw 引用日期).
  citeToday();
  if (typeof document$ !== "undefined") {
    document$.subscribe(later);
  } else {
    addEventListener("load", update);
  }
  // A wider or narrower window, or care mode's text size changed (care.js sends a resize).
  addEventListener("resize", later);
})();
