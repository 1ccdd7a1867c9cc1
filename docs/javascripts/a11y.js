// Keyboard access to wide tables (WCAG 2.1.1; axe scrollable-region-focusable). Material wraps every
// table in a horizontally scrolling .md-typeset__scrollwrap. When a table is wider than the page
// and holds no link to tab to, its wrapper becomes a named, focusable region, so the arrow keys
// can scroll it; when it fits again (a wider window), it stops being a tab stop.
(function () {
  function name(wrap) {
    var figure = wrap.closest("figure");
    var source = figure && figure.querySelector("figcaption");
    for (var el = wrap.previousElementSibling; !source && el; el = el.previousElementSibling) {
      if (/^H[1-6]$/.test(el.tagName)) source = el;
    }
    return "表格：" + (source ? source.textContent.replace("¶", "").trim() : "可左右滚动");
  }
  function mark() {
    var wraps = document.querySelectorAll(".md-typeset__scrollwrap");
    for (var i = 0; i < wraps.length; i++) {
      var wrap = wraps[i];
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
  if (typeof document$ !== "undefined") {
    document$.subscribe(function () { requestAnimationFrame(mark); });
  } else {
    addEventListener("load", mark);
  }
  addEventListener("resize", mark);
})();
