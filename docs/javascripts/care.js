// 关怀模式 (care mode: larger text, high contrast, a large pointer) and 朗读 (read aloud).
// Loaded in <head> without defer, so a reader's stored choice is on <html> before the page is
// first drawn (no flash of small text); the controls are wired once the page is parsed. The choice
// stays in this browser's localStorage; nothing is sent anywhere. Without JavaScript there is no
// switch and the page reads as usual.
(function () {
  "use strict";
  var KEY = "__care";
  var STEPS = [1.25, 1.5, 1.75, 2];   // text size in care mode; the CSS maps data-care-size to these
  var FIRST_STEP = 2;                  // 150 % when care mode is first turned on
  var root = document.documentElement;

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

  var state = load();
  function apply() {
    root.classList.toggle("care", state.on === true);
    root.setAttribute("data-care-size", String(step(state.size)));
  }
  apply();

  // 朗读: the article's text, a line or sentence per utterance, in the browser's own Chinese voice.
  // Pause cancels and remembers the sentence (pause() ends speech on Android), resume starts it again.
  function Reader(onchange) {
    var synth = window.speechSynthesis, voice = null, lines = [], at = 0, run = 0;
    this.state = "idle";
    var self = this;
    function chinese(v) {
      return /^(zh|cmn|yue|hak|nan|wuu)([-_]|$)/i.test(v.lang || "");
    }
    function rank(v) {
      return /^(zh[-_](cn|hans)|cmn)/i.test(v.lang) ? 0 : 1;
    }
    // Only voices of this device: a network voice would send the page's text to another host.
    function pick() {
      var voices = synth.getVoices().filter(function (v) { return chinese(v) && v.localService !== false; });
      voices.sort(function (a, b) { return rank(a) - rank(b); });
      return voices[0] || null;
    }
    function split(text) {
      var out = [];
      text.split(/\n+/).forEach(function (line) {
        line = line.replace(/¶/g, "").replace(/\t+/g, "，").replace(/\s+/g, " ").trim();
        // Long paragraphs go sentence by sentence: some engines stop in the middle of a long utterance.
        while (line.length > 120) {
          var head = line.slice(0, 120), cut = Math.max(head.lastIndexOf("。"), head.lastIndexOf("；"),
            head.lastIndexOf("！"), head.lastIndexOf("？"));
          if (cut < 20) cut = 119;
          out.push(line.slice(0, cut + 1));
          line = line.slice(cut + 1).trim();
        }
        if (line) out.push(line);
      });
      return out;
    }
    function set(next) {
      self.state = next;
      onchange();
    }
    function say(i, mine) {
      if (mine !== run) return;
      if (i >= lines.length) { set("idle"); return; }
      at = i;
      var u = new SpeechSynthesisUtterance(lines[i]), done = false, timer;
      function next() {
        if (done || mine !== run) return;
        done = true;
        clearTimeout(timer);
        say(i + 1, mine);
      }
      // An engine may now and then never report the end of an utterance (speech-dispatcher does):
      // after far longer than the line takes to say, it is cut and the next one read.
      timer = setTimeout(function () {
        if (!done && mine === run) { synth.cancel(); next(); }
      }, 3000 + 400 * lines[i].length);
      u.voice = voice;
      u.lang = voice.lang;
      u.addEventListener("end", next);
      u.addEventListener("error", function (e) {
        if (mine === run && e.error !== "interrupted" && e.error !== "canceled") { run++; set("idle"); }
      });
      synth.speak(u);
    }
    function start(i) {
      var mine = ++run;
      synth.cancel();
      set("speaking");
      say(i, mine);
    }
    this.available = function () { return !!voice; };
    this.toggle = function () {
      if (!voice) return;
      if (self.state === "speaking") { run++; synth.cancel(); set("paused"); }
      else if (self.state === "paused") start(at);
      else {
        var article = document.querySelector(".md-content article") || document.querySelector("main");
        lines = split(article ? article.innerText : "");
        if (lines.length) start(0);
      }
    };
    this.stop = function () {
      if (self.state === "idle") return;
      run++;
      synth.cancel();
      set("idle");
    };
    // Voices may arrive after the page loads (Chrome): the button appears when a Chinese one does.
    function refresh() {
      voice = pick();
      if (!voice) self.stop();
      onchange();
    }
    if (synth && typeof synth.getVoices === "function" && typeof SpeechSynthesisUtterance === "function") {
      voice = pick();
      if (synth.addEventListener) synth.addEventListener("voiceschanged", refresh);
      addEventListener("pagehide", function () { self.stop(); });
    }
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
    var reader = new Reader(render);

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
    read.addEventListener("click", reader.toggle);
    stop.addEventListener("click", function () { reader.stop(); read.focus(); });
    render();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
