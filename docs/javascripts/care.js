// 关怀模式 (care mode: larger text, high contrast, a large pointer) and its bar (text size, 朗读).
// The reader's stored choice is put on <html> before the page is first drawn (no flash of small
// text) by the few lines in <head> (overrides/partials/care-head.html); this file loads after the
// page, like every other script, and adds the switch and wires the bar. 朗读 (care-read.js) is
// loaded only when care mode is on. The choice stays in this browser's localStorage; nothing is
// sent anywhere. Without JavaScript there is no switch and the page reads as usual.
(function () {
  "use strict";
  var KEY = "__care";
  // Text size in care mode; the CSS maps data-care-size to these. care-head.html, which applies a
  // stored choice before the first paint, knows their number and the first step too.
  var STEPS = [1.25, 1.5, 1.75, 2];
  var FIRST_STEP = 2;                  // 150 % when care mode is first turned on
  var root = document.documentElement;
  var here = document.currentScript ? document.currentScript.src : "";

  // Material's own storage helpers (its head script) scope the key to the site's address.
  function load() {
    try {
      var value = typeof __md_get === "function" ? __md_get(KEY) : JSON.parse(localStorage.getItem(KEY));
      return value && typeof value === "object" ? value : {};
    } catch (e) {
      return {};
    }
  }
  function save(value) {
    try {
      if (typeof __md_set === "function") __md_set(KEY, value);
      else localStorage.setItem(KEY, JSON.stringify(value));
    } catch (e) { /* storage refused: the choice lasts for this page only */ }
  }
  function step(value) {
    var n = Math.round(Number(value));
    return n >= 1 && n <= STEPS.length ? n : FIRST_STEP;
  }

  var state = load();  // already on <html> (care-head.html)
  function apply() {
    root.classList.toggle("care", state.on === true);
    root.setAttribute("data-care-size", String(step(state.size)));
  }

  function ready() {
    var header = document.querySelector(".md-header__inner");
    var bar = document.querySelector("[data-care-bar]");
    if (!header || !bar) return;
    var toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "md-header__button care-toggle";
    toggle.textContent = "关怀模式";
    toggle.title = "关怀模式：大字号、高对比度、朗读";
    header.insertBefore(toggle, header.querySelector(".md-header__option, label[for='__search']"));

    var smaller = bar.querySelector("[data-care-smaller]");
    var larger = bar.querySelector("[data-care-larger]");
    var size = bar.querySelector("[data-care-size-now]");
    var read = bar.querySelector("[data-care-read]");
    var stop = bar.querySelector("[data-care-stop]");
    // Until care-read.js has loaded (and without it): no voice, so no 朗读 button.
    var reader = { state: "idle", available: function () { return false; }, toggle: function () {}, stop: function () {} };
    var loading = false;
    function loadReader() {
      if (loading || !here) return;
      loading = true;
      var script = document.createElement("script");
      script.src = here.replace(/care\.js(?=$|[?#])/, "care-read.js");
      script.onload = function () {
        if (typeof window.PlansiteReader !== "function") return;
        reader = new window.PlansiteReader(render);
        render();
      };
      document.head.appendChild(script);
    }

    function render() {
      var n = step(state.size);
      toggle.setAttribute("aria-pressed", state.on === true ? "true" : "false");
      size.textContent = Math.round(STEPS[n - 1] * 100) + "%";
      smaller.setAttribute("aria-disabled", n === 1 ? "true" : "false");
      larger.setAttribute("aria-disabled", n === STEPS.length ? "true" : "false");
      read.hidden = !reader.available();
      read.textContent = { idle: "朗读", speaking: "暂停朗读", paused: "继续朗读" }[reader.state];
      stop.hidden = read.hidden || reader.state === "idle";
    }
    function change(next) {
      state = next;
      save(state);
      apply();
      if (state.on === true) loadReader();
      render();
      // Text grew or shrank: let width-dependent scripts (a11y.js's scrolling tables) look again.
      dispatchEvent(new Event("resize"));
    }
    toggle.addEventListener("click", function () {
      if (state.on === true) reader.stop();
      change({ on: state.on !== true, size: step(state.size) });
    });
    smaller.addEventListener("click", function () {
      if (step(state.size) > 1) change({ on: true, size: step(state.size) - 1 });
    });
    larger.addEventListener("click", function () {
      if (step(state.size) < STEPS.length) change({ on: true, size: step(state.size) + 1 });
    });
    read.addEventListener("click", function () { reader.toggle(); });
    stop.addEventListener("click", function () { reader.stop(); read.focus(); });
    render();
    if (state.on === true) loadReader();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
