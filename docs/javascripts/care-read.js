// 朗读 (read aloud) for 关怀模式: loaded by care.js only once care mode is on (its button is in the
// care bar, which only care mode shows), so no other reader downloads it.
(function () {
  "use strict";

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

  window.PlansiteReader = Reader;
})();
